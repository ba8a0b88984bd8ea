"""Each patch of tests/cfn/moto_launcher.py, checked against moto in-process.

    python3 moto_patches.py      (prints TAP)

A patch that stops doing what the launcher says (a moto upgrade, a typo)
fails here, before the end-to-end tests fail in a less legible way.
"""
import json
import os
import sys
import unittest

os.environ.pop("AWS_ENDPOINT_URL", None)  # mock_aws does not intercept a custom endpoint
os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-west-2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

import moto_launcher  # noqa: E402,F401  (the patches)

AMI = "ami-09ce4678f4ed66583"  # moto's ECS-optimized image


def fleet_template(total=2, strategy="price-capacity-optimized", policy="no-termination"):
    """A compute stack's shape: a launch template and an EC2 Fleet on it."""
    return json.dumps({
        "Parameters": {"Subnet": {"Type": "String"}, "Status": {"Type": "String", "Default": "active"}},
        "Conditions": {"Never": {"Fn::Equals": [{"Ref": "Subnet"}, ""]}},
        "Resources": {
            "LT": {"Type": "AWS::EC2::LaunchTemplate",
                   "Properties": {"LaunchTemplateData": {"ImageId": AMI}}},
            "Fleet": {"Type": "AWS::EC2::EC2Fleet", "Properties": {
                "Type": "maintain",
                "TargetCapacitySpecification": {"DefaultTargetCapacityType": "spot", "TotalTargetCapacity": total},
                "ExcessCapacityTerminationPolicy": policy,
                "SpotOptions": {"AllocationStrategy": strategy},
                "LaunchTemplateConfigs": [{
                    "LaunchTemplateSpecification": {"LaunchTemplateId": {"Ref": "LT"},
                                                    "Version": {"Fn::GetAtt": ["LT", "LatestVersionNumber"]}},
                    "Overrides": [{"InstanceType": "t3.large", "MaxPrice": "0.05", "WeightedCapacity": 1,
                                   "SubnetId": {"Ref": "Subnet"}},
                                  # A subnet slot past the list, as ecsgen emits it.
                                  {"Fn::If": ["Never", {"InstanceType": "t3.xlarge", "MaxPrice": "0.05",
                                                        "WeightedCapacity": 2, "SubnetId": {"Ref": "Subnet"}},
                                              {"Ref": "AWS::NoValue"}]}]}],
                "TagSpecifications": [{"ResourceType": "fleet", "Tags": [{"Key": "ecsgen:cluster", "Value": "c"}]}]}},
        },
        "Outputs": {"Fleet": {"Value": {"Ref": "Fleet"}}, "Status": {"Value": {"Ref": "Status"}}},
    })


@mock_aws
class Patches(unittest.TestCase):
    def setUp(self):
        self.ec2, self.cfn = boto3.client("ec2"), boto3.client("cloudformation")
        self.subnet = self.ec2.describe_subnets(
            Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]["SubnetId"]

    def describe(self, fid):
        return self.ec2.describe_fleets(FleetIds=[fid])["Fleets"][0]

    def running(self, fid):
        ids = [i["InstanceId"] for i in self.ec2.describe_fleet_instances(FleetId=fid)["ActiveInstances"]]
        if not ids:
            return 0
        res = self.ec2.describe_instances(InstanceIds=ids)["Reservations"]
        return sum(1 for r in res for i in r["Instances"] if i["State"]["Name"] == "running")

    def create_stack(self, name="s", **kw):
        self.cfn.create_stack(StackName=name, TemplateBody=fleet_template(**kw),
                              Parameters=[{"ParameterKey": "Subnet", "ParameterValue": self.subnet}])
        out = {o["OutputKey"]: o["OutputValue"] for o in self.cfn.describe_stacks(StackName=name)["Stacks"][0]["Outputs"]}
        return out["Fleet"]

    def update_stack(self, name="s", **kw):
        self.cfn.update_stack(StackName=name, TemplateBody=fleet_template(**kw),
                              Parameters=[{"ParameterKey": "Subnet", "UsePreviousValue": True}])
        res = self.cfn.describe_stack_resources(StackName=name)["StackResources"]
        return [r["PhysicalResourceId"] for r in res if r.get("LogicalResourceId") == "Fleet"][0]

    # 1. AWS::EC2::EC2Fleet in CloudFormation
    def test_create_makes_the_fleet_with_its_target_and_tags(self):
        fid = self.create_stack(total=2)
        d = self.describe(fid)
        self.assertTrue(fid.startswith("fleet-"))
        self.assertEqual((2, "maintain", "no-termination"),
                         (d["TargetCapacitySpecification"]["TotalTargetCapacity"], d["Type"],
                          d["ExcessCapacityTerminationPolicy"]))
        self.assertIn({"Key": "ecsgen:cluster", "Value": "c"}, d["Tags"])
        self.assertEqual(2, self.running(fid))

    def test_update_of_the_target_is_in_place(self):
        fid = self.create_stack(total=1)
        self.assertEqual(fid, self.update_stack(total=3))
        self.assertEqual(3, self.describe(fid)["TargetCapacitySpecification"]["TotalTargetCapacity"])
        self.assertEqual(3, self.running(fid))

    def test_update_of_a_create_only_property_replaces_the_fleet(self):
        fid = self.create_stack(total=1)
        new = self.update_stack(total=1, strategy="capacity-optimized")
        self.assertNotEqual(fid, new)
        self.assertEqual("deleted_terminating", self.describe(fid)["FleetState"])
        self.assertEqual("active", self.describe(new)["FleetState"])

    def test_a_flip_of_an_unread_parameter_leaves_the_fleet_alone(self):
        fid = self.create_stack(total=1)
        self.cfn.update_stack(StackName="s", UsePreviousTemplate=True,
                              Parameters=[{"ParameterKey": "Subnet", "UsePreviousValue": True},
                                          {"ParameterKey": "Status", "ParameterValue": "inactive"}])
        res = self.cfn.describe_stack_resources(StackName="s")["StackResources"]
        self.assertEqual([fid], [r["PhysicalResourceId"] for r in res if r.get("LogicalResourceId") == "Fleet"])
        self.assertEqual("active", self.describe(fid)["FleetState"])

    def test_delete_deletes_the_fleet_and_its_instances(self):
        fid = self.create_stack(total=2)
        self.cfn.delete_stack(StackName="s")
        self.assertEqual("deleted_terminating", self.describe(fid)["FleetState"])
        self.assertEqual(0, self.running(fid))

    # 2. ModifyFleet
    def test_modify_fleet_grows_and_shrinks_without_terminating(self):
        fid = self.create_stack(total=1)
        self.ec2.modify_fleet(FleetId=fid, TargetCapacitySpecification={"TotalTargetCapacity": 3},
                              ExcessCapacityTerminationPolicy="no-termination")
        self.assertEqual(3, self.running(fid))
        self.ec2.modify_fleet(FleetId=fid, TargetCapacitySpecification={"TotalTargetCapacity": 0},
                              ExcessCapacityTerminationPolicy="no-termination")
        d = self.describe(fid)
        self.assertEqual(0, d["TargetCapacitySpecification"]["TotalTargetCapacity"])
        self.assertEqual(3, self.running(fid), "no-termination: the scaler terminates nodes itself")

    def test_modify_fleet_with_termination_terminates_the_excess(self):
        fid = self.create_stack(total=2, policy="termination")
        self.ec2.modify_fleet(FleetId=fid, TargetCapacitySpecification={"TotalTargetCapacity": 0})
        self.assertEqual(0, self.running(fid))

    # Spot by default when DefaultTargetCapacityType says so (moto as is).
    def test_the_fleet_launches_spot_instances(self):
        fid = self.create_stack(total=2)
        got = [i.get("SpotInstanceRequestId", "") for i in self.ec2.describe_fleet_instances(FleetId=fid)["ActiveInstances"]]
        self.assertEqual(2, len(got))
        self.assertTrue(all(x.startswith("sir-") for x in got), got)

    # 3. SpotFleet with LaunchTemplateConfigs (older ecsgen versions)
    def test_a_legacy_spot_fleet_with_launch_template_configs_is_created(self):
        body = json.loads(fleet_template())
        body["Resources"]["Fleet"] = {"Type": "AWS::EC2::SpotFleet", "Properties": {"SpotFleetRequestConfigData": {
            "IamFleetRole": "arn:aws:iam::123456789012:role/fleet", "TargetCapacity": 2,
            "AllocationStrategy": "priceCapacityOptimized",
            "LaunchTemplateConfigs": body["Resources"]["Fleet"]["Properties"]["LaunchTemplateConfigs"]}}}
        self.cfn.create_stack(StackName="old", TemplateBody=json.dumps(body),
                              Parameters=[{"ParameterKey": "Subnet", "ParameterValue": self.subnet}])
        out = {o["OutputKey"]: o["OutputValue"] for o in self.cfn.describe_stacks(StackName="old")["Stacks"][0]["Outputs"]}
        req = self.ec2.describe_spot_fleet_requests(SpotFleetRequestIds=[out["Fleet"]])["SpotFleetRequestConfigs"][0]
        self.assertEqual(2, req["SpotFleetRequestConfig"]["TargetCapacity"])

    # 4. ListServices without deleted services (make destroy)
    def test_a_deleted_service_is_no_longer_listed(self):
        ecs = boto3.client("ecs")
        ecs.create_cluster(clusterName="c")
        ecs.register_task_definition(family="web", containerDefinitions=[
            {"name": "web", "image": "nginx", "memory": 128}])
        for name in ("web", "worker"):
            ecs.create_service(cluster="c", serviceName=name, taskDefinition="web", desiredCount=0)
        ecs.delete_service(cluster="c", service="web")
        self.assertEqual(["worker"], [a.rsplit("/", 1)[1] for a in ecs.list_services(cluster="c")["serviceArns"]])
        self.assertEqual("INACTIVE", ecs.describe_services(cluster="c", services=["web"])["services"][0]["status"])


def main():
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(Patches)
    count = failed = 0
    for test in suite:
        result = unittest.TestResult()
        test.run(result)
        count += 1
        problems = result.failures + result.errors
        failed += bool(problems)
        print(("not ok" if problems else "ok") + f" {count} - moto patch: {test._testMethodName.replace('_', ' ')}")
        for _, text in problems:
            for line in text.splitlines()[-15:]:
                print(f"# {line}")
    print(f"1..{count}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
