# A small ECS-on-EC2 world in moto's in-process mock, and the embedded functions to run against it.
import json
import os
import unittest
from unittest import mock

os.environ.pop("AWS_ENDPOINT_URL", None)  # mock_aws would not intercept a custom endpoint
os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                  AWS_SESSION_TOKEN="testing", AWS_DEFAULT_REGION="us-west-2",
                  MOTO_EC2_LOAD_DEFAULT_AMIS="false")  # loading them costs most of a test's time

import boto3  # noqa: E402
import botocore.session  # noqa: E402
from moto import mock_aws  # noqa: E402
from moto.core import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.ecs.models import ecs_backends  # noqa: E402

import function_source  # noqa: E402

CLUSTER = "demo"
REGION = "us-west-2"
STATE = f"/ecsgen/{CLUSTER}/scaler-state"
ROLE = f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/{CLUSTER}-compute-service"
ENV = {
    "CLUSTER_NAME": CLUSTER, "METRIC_NAMESPACE": f"ecsgen/{CLUSTER}", "STATE_PARAMETER": STATE,
    "COOLDOWN_SECONDS": "300", "INACTIVE_STEP_SECONDS": "0", "SMOKE_TEST_GRACE_SECONDS": "0",
    "MIN_STACK_AGE_SECONDS": "0", "COMPUTE_ROLE_ARN": ROLE, "LOCK_TABLE": f"{CLUSTER}-lock",
    "STACK_COMPUTE_PREFIX": f"{CLUSTER}-compute-", "VERSION_CHARS": "A-Za-z0-9-", "TAG_CLUSTER": "ecsgen:cluster",
}
FLEET_DEFAULTS = {"min_weight": 0, "max_weight": 10, "desired_weight": 2, "task_threshold_out": 3,
                  "task_threshold_in": 10, "drain_timeout": 300}

_modules = {}
_calls = []  # (operation, parameters) of every call a test makes, the functions' calls included


def _record(params, model, **kwargs):
    _calls.append((model.name, dict(params)))


# One botocore session for every test: a new one would load the service models again.
_botocore_session = botocore.session.get_session()
for _service in ("ec2", "ecs", "autoscaling", "cloudformation", "dynamodb"):
    _botocore_session.register(f"provide-client-params.{_service}", _record)


def function(name):
    """The embedded function NAME, loaded once from $ECSGEN_CLUSTER_TEMPLATE."""
    if name not in _modules:
        _modules[name] = function_source.load(name)
    return _modules[name]


class WorldTest(unittest.TestCase):
    """Each test gets a fresh mock, the function environment and a recorder of every AWS call made."""

    def setUp(self):
        patcher = mock.patch.dict(os.environ, ENV)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.mock = mock_aws()
        self.mock.start()
        self.addCleanup(self.mock.stop)
        boto3.setup_default_session(botocore_session=_botocore_session)  # mock_aws has just unset it
        self.calls = _calls
        self.calls.clear()
        self.lifecycle_completed = []
        self.w = World()
        for module in _modules.values():  # each test is a cold start: no cache from another test's world
            for cache in ("SIZES", "TASKDEFS"):
                getattr(module, cache, {}).clear()

    def called(self, operation):
        return [p for name, p in self.calls if name == operation]

    def run_function(self, name, event=None):
        module, first = function(name), len(self.calls)
        if hasattr(module, "complete_lifecycle"):
            # moto does not implement CompleteLifecycleAction: record it instead.
            with mock.patch.object(module, "complete_lifecycle",
                                   lambda asg, iid: self.lifecycle_completed.append((asg, iid))):
                result = module.handler(event or {}, None)
        else:
            result = module.handler(event or {}, None)
        for params in [p for op, p in self.calls[first:] if op == "ModifySpotFleetRequest"]:
            self.assertEqual(params.get("ExcessCapacityTerminationPolicy"), "noTermination", params)
        return result

    def published(self, name):
        """Every value a function put for metric NAME in the cluster's namespace (dimension ClusterName)."""
        stats = boto3.client("cloudwatch").get_metric_statistics(
            Namespace=f"ecsgen/{CLUSTER}", MetricName=name, Dimensions=[{"Name": "ClusterName", "Value": CLUSTER}],
            StartTime="2000-01-01T00:00:00Z", EndTime="2100-01-01T00:00:00Z", Period=60, Statistics=["Maximum"])
        return [p["Maximum"] for p in stats["Datapoints"]]

    def scale(self):
        """One minute of the cluster: the metric, then the scaler."""
        self.run_function("capacity_metric")
        return self.run_function("scaler")


class World:
    def __init__(self):
        self.ec2, self.ecs, self.cfn, self.asg, self.ssm = (
            boto3.client(n) for n in ("ec2", "ecs", "cloudformation", "autoscaling", "ssm"))
        self.ecs.create_cluster(clusterName=CLUSTER)
        self.ssm.put_parameter(Name=STATE, Value="{}", Type="String")
        self.lock = ENV["LOCK_TABLE"]
        boto3.client("dynamodb").create_table(TableName=self.lock, BillingMode="PAY_PER_REQUEST",
                                              AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        self.image = "ami-12345678"  # moto does not check it; describe_images would cost a second per test
        self.ecs.register_task_definition(family="job", containerDefinitions=[
            {"name": "job", "image": "busybox", "cpu": 1024, "memory": 1024}])

    # EC2 capacity
    def fleet(self, target, weights=None):
        """A spot fleet; moto launches the first type only (and one instance even at target 0)."""
        weights = weights or {"m5.large": 1}
        specs = [{"ImageId": self.image, "InstanceType": t, "WeightedCapacity": w} for t, w in weights.items()]
        return self.ec2.request_spot_fleet(SpotFleetRequestConfig={
            "IamFleetRole": f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/fleet", "TargetCapacity": target,
            "AllocationStrategy": "lowestPrice", "LaunchSpecifications": specs})["SpotFleetRequestId"]

    def target(self, fleet_id):
        configs = self.ec2.describe_spot_fleet_requests(SpotFleetRequestIds=[fleet_id])["SpotFleetRequestConfigs"]
        return configs[0]["SpotFleetRequestConfig"]["TargetCapacity"]

    def fleet_instances(self, fleet_id):
        ids = [i["InstanceId"] for i in self.ec2.describe_spot_fleet_instances(
            SpotFleetRequestId=fleet_id)["ActiveInstances"]]
        return [i for i in ids if self.running(i)]

    def running(self, instance_id):
        res = self.ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
        return res[0]["Instances"][0]["State"]["Name"] in ("pending", "running")

    def group(self, name, size):
        if not self.ec2.describe_launch_templates(Filters=[{"Name": "launch-template-name", "Values": ["node"]}])["LaunchTemplates"]:
            self.ec2.create_launch_template(LaunchTemplateName="node", LaunchTemplateData={
                "ImageId": self.image, "InstanceType": "m5.large"})
        self.asg.create_auto_scaling_group(
            AutoScalingGroupName=name, LaunchTemplate={"LaunchTemplateName": "node", "Version": "$Latest"},
            MinSize=0, MaxSize=10, DesiredCapacity=size, AvailabilityZones=[f"{REGION}a"])
        self.asg.put_lifecycle_hook(LifecycleHookName="ecsgen-drain", AutoScalingGroupName=name,
                                    LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING")
        return name

    def group_desired(self, name):
        return self.asg.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]["DesiredCapacity"]

    def group_instances(self, name):
        groups = self.asg.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"]
        return [i["InstanceId"] for i in groups[0]["Instances"]]

    # Compute stacks: a supported placeholder resource, and the outputs CONTRACT.md defines.
    def stack(self, version, status="active", autoscaling=True, fleets=(), groups=(), cluster=CLUSTER, name=None):
        outputs = {"Status": {"Value": {"Ref": "Status"}}, "Version": {"Value": version},
                   "Autoscaling": {"Value": "true" if autoscaling else "false"}}
        for n, fleet in enumerate(fleets):
            fleet = dict(fleet) if isinstance(fleet, dict) else {"id": fleet}
            value = dict(FLEET_DEFAULTS, weights={"m5.large": 1})
            value.update(fleet)
            outputs[f"SpotFleetFleet{n}"] = {"Value": json.dumps(value)}
        for n, group in enumerate(groups):
            value = {"name": group, "min_size": 0, "max_size": 10, "drain_timeout": 300}
            outputs[f"AutoScalingGroupGroup{n}"] = {"Value": json.dumps(value)}
        template = {"Parameters": {"Status": {"Type": "String"}},
                    "Resources": {"Placeholder": {"Type": "AWS::SQS::Queue"}}, "Outputs": outputs}
        name = name or f"{cluster}-compute-{version}"
        self.cfn.create_stack(StackName=name, TemplateBody=json.dumps(template),
                              Parameters=[{"ParameterKey": "Status", "ParameterValue": status}],
                              Tags=[{"Key": "ecsgen:cluster", "Value": cluster}, {"Key": "ecsgen:version", "Value": version}])
        return name

    def set_status(self, version, status):
        self.cfn.update_stack(StackName=f"{CLUSTER}-compute-{version}", UsePreviousTemplate=True,
                              Parameters=[{"ParameterKey": "Status", "ParameterValue": status}])

    def stack_names(self):
        return sorted(s["StackName"] for s in self.cfn.describe_stacks()["Stacks"])

    # ECS
    def register(self, instance_id, version, cluster=CLUSTER):
        arn = self.ecs.register_container_instance(
            cluster=cluster, instanceIdentityDocument=json.dumps({"instanceId": instance_id}))["containerInstance"]["containerInstanceArn"]
        # moto drops attributes given at registration; the agent would set these from ECS_INSTANCE_ATTRIBUTES.
        self.ecs.put_attributes(cluster=cluster, attributes=[
            {"name": "asg_version", "value": version, "targetId": arn},
            {"name": "ecsgen_cluster", "value": cluster, "targetId": arn}])
        return arn

    def register_all(self, instance_ids, version):
        return [self.register(i, version) for i in instance_ids]

    def node(self, arn):
        found = self.ecs.describe_container_instances(cluster=CLUSTER, containerInstances=[arn])["containerInstances"]
        return found[0] if found else None

    def nodes(self):
        return self.ecs.list_container_instances(cluster=CLUSTER)["containerInstanceArns"]

    def status(self, arn):
        node = self.node(arn)
        return node["status"] if node else "DEREGISTERED"

    def mark(self, arn):
        return next((a.get("value") for a in self.node(arn)["attributes"] if a["name"] == "ecsgen_drain"), None)

    def set_mark(self, arn, value):
        self.ecs.put_attributes(cluster=CLUSTER, attributes=[{"name": "ecsgen_drain", "value": value, "targetId": arn}])

    def task(self, arn, family="job"):
        return self.ecs.start_task(cluster=CLUSTER, taskDefinition=family, containerInstances=[arn])["tasks"][0]["taskArn"]

    def stop(self, task_arn):
        self.ecs.stop_task(cluster=CLUSTER, task=task_arn)

    def set_pending(self, arn, count):
        ecs_backends[DEFAULT_ACCOUNT_ID][REGION].container_instances[CLUSTER][arn.split("/")[-1]].pending_tasks_count = count

    def service(self, name, desired, running, pending, cpu=1024, memory=1024, task_cpu=None, task_memory=None):
        """A service with the counts a test needs (moto itself reports desired = running + pending)."""
        extra = {k: v for k, v in (("cpu", task_cpu), ("memory", task_memory)) if v}
        self.ecs.register_task_definition(family=name, containerDefinitions=[
            {"name": name, "image": "busybox", "cpu": cpu, "memory": memory}], **extra)
        self.ecs.create_service(cluster=CLUSTER, serviceName=name, taskDefinition=name, desiredCount=desired)
        svc = ecs_backends[DEFAULT_ACCOUNT_ID][REGION].services[f"{CLUSTER}:{name}"]
        svc.running_count, svc.pending_count = running, pending

    # Scaler state
    def state(self):
        return json.loads(self.ssm.get_parameter(Name=STATE)["Parameter"]["Value"])

    def set_state(self, state):
        self.ssm.put_parameter(Name=STATE, Value=json.dumps(state), Type="String", Overwrite=True)
