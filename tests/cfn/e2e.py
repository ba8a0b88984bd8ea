"""moto end to end: every example's cluster, health and compute stacks.

For each example: reset moto_server, create the VPC, subnets, security
groups, key pair and instance profile infra.yml names (the default VPC and
its subnets stand in for the ids in the file, which is rewritten to the new
ids), run ecsgen, then `aws cloudformation create-stack` of cluster, health
and compute in that order, each from the assets stack's bucket through
--template-url as the Makefile does (the assets stack itself inline, first;
compute parameters from the cluster stack's outputs), assert what moto really built, flip Status
to inactive (previous template, previous values) and delete the stacks.
Stack operations go through the aws CLI, as the Makefile's do; set-up and
assertions through boto3 (one process: each CLI call costs half a second).

    python3 e2e.py EXAMPLE_DIR...      (AWS_ENDPOINT_URL points at moto_server)

Prints TAP.  Only what moto does not build is left to static_checks.py.
"""
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request

import boto3
import yaml

ENDPOINT = os.environ["AWS_ENDPOINT_URL"]
ECSGEN = os.environ["ECSGEN"]
ACCOUNT = "123456789012"
VERSION = "v1"


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def ok(self, name, cond, why=""):
        self.count += 1
        if cond:
            print(f"ok {self.count} - {name}")
        else:
            self.failed += 1
            print(f"not ok {self.count} - {name}")
            for line in str(why).splitlines()[:20]:
                print(f"# {line}")
        sys.stdout.flush()
        return cond

    def eq(self, name, expected, actual):
        return self.ok(name, expected == actual, f"expected: {expected!r}\nactual:   {actual!r}")


tap = Tap()


def post(path):
    urllib.request.urlopen(urllib.request.Request(ENDPOINT + path, method="POST"), timeout=10).read()


def aws(*args):
    """Run the aws CLI; returns (exit status, stdout + stderr)."""
    try:
        r = subprocess.run(["aws", *args], capture_output=True, text=True, timeout=60)
        return r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired:
        return 124, "timed out after 60 s"


def params(values):
    return json.dumps([{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()])


class Example:
    def __init__(self, folder):
        self.folder = folder
        self.name = os.path.basename(folder.rstrip("/"))
        self.ec2 = boto3.client("ec2")
        self.cfn = boto3.client("cloudformation")

    # --- set-up: the ids infra.yml names, created in moto --------------------

    def prepare(self, work):
        text = open(os.path.join(self.folder, "infra.yml")).read()
        doc = yaml.safe_load(text)
        cluster, ec2doc = doc["cluster"], doc.get("ec2_instances") or {}
        self.cluster = cluster["name"]
        self.doc = doc
        # cluster.tags (issue 19) go on the nodes, their volumes and the fleets beside ecsgen's own.
        self.cost_tags = {str(k): str(v) for k, v in ((doc.get("cluster") or {}).get("tags") or {}).items()}
        vpc = self.ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
        subnets = sorted(self.ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"],
                         key=lambda s: s["AvailabilityZone"])
        self.vpc = vpc
        self.default_subnets = [s["SubnetId"] for s in subnets]
        ids = {}
        if "vpc" in cluster:
            ids[cluster["vpc"]] = vpc
        for i, old in enumerate(cluster.get("subnets") or []):
            if i < len(subnets):
                ids[old] = subnets[i]["SubnetId"]
            else:
                ids[old] = self.ec2.create_subnet(VpcId=vpc, CidrBlock=f"172.31.{64 + 16 * i}.0/20")["Subnet"]["SubnetId"]
        for old in (cluster.get("security_groups") or []) + (cluster.get("security_group_ingress") or []):
            ids[old] = self.ec2.create_security_group(GroupName=old, Description="e2e", VpcId=vpc)["GroupId"]
        if "keypair" in cluster:
            self.ec2.create_key_pair(KeyName=cluster["keypair"])
        arn = ec2doc.get("instance_profile_arn")
        if arn:
            iam = boto3.client("iam")
            name = arn.rsplit("/", 1)[1]
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))
            iam.create_instance_profile(InstanceProfileName=name)
            iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name)
        for old, new in ids.items():
            text = re.sub(r"\b%s\b" % re.escape(old), new, text)
        self.ids = ids
        shutil.copytree(self.folder, os.path.join(work, "in"), ignore=shutil.ignore_patterns("out"))
        with open(os.path.join(work, "in", "infra.yml"), "w") as f:
            f.write(text)
        out = os.path.join(work, "out")
        r = subprocess.run([ECSGEN, os.path.join(work, "in", "infra.yml"), "-o", out],
                           capture_output=True, text=True, timeout=60)
        self.out = os.path.join(out, "cloudformation")
        return tap.ok(f"{self.name}: ecsgen writes the templates", r.returncode == 0, r.stderr)

    # --- stacks -----------------------------------------------------------------

    def stack(self, name):
        return self.cfn.describe_stacks(StackName=name)["Stacks"][0]

    def outputs(self, name):
        return {o["OutputKey"]: o["OutputValue"] for o in self.stack(name).get("Outputs", [])}

    def resources(self, name):
        # moto lists a type it skips (AWS::Lambda::EventInvokeConfig, for one) as a row without ids.
        return {r["LogicalResourceId"]: r.get("PhysicalResourceId", "")
                for r in self.cfn.describe_stack_resources(StackName=name)["StackResources"] if r.get("LogicalResourceId")}

    def upload(self, template):
        """Put a template in the assets bucket under its SHA-256; returns its regional URL."""
        body = open(f"{self.out}/{template}", "rb").read()
        key = f"templates/{hashlib.sha256(body).hexdigest()}.json"
        out = self.outputs(f"{self.cluster}-assets")
        boto3.client("s3").put_object(Bucket=out["Bucket"], Key=key, Body=body)
        return f"https://{out['BucketDomain']}/{key}"

    def create(self, name, template, values, *extra):
        if template == "assets.json":
            source = ["--template-body", f"file://{self.out}/{template}"]
        else:
            source = ["--template-url", self.upload(template)]
        rc, out = aws("cloudformation", "create-stack", "--stack-name", name, *source,
                      "--parameters", params(values), "--capabilities", "CAPABILITY_IAM", *extra)
        status = self.stack(name)["StackStatus"] if rc == 0 else out
        return tap.eq(f"{self.name}: create-stack {name} reaches CREATE_COMPLETE", "CREATE_COMPLETE", status)

    # --- assertions ---------------------------------------------------------------

    def check_cluster(self):
        c, name = self.cluster, f"{self.cluster}-cluster"
        out, res = self.outputs(name), self.resources(name)
        self.cluster_outputs = out
        ecs = boto3.client("ecs")
        found = ecs.describe_clusters(clusters=[c])["clusters"]
        tap.eq(f"{self.name}: the ECS cluster exists", [c], [x["clusterName"] for x in found])
        exports = {e["Name"] for e in self.cfn.list_exports()["Exports"] if e["Name"].startswith(f"{name}:")}
        want = {f"{name}:{x}" for x in ("ClusterName", "ALBBadgeSg", "DBBadgeSg", "CacheBadgeSg", "AuxBadgeSg")}
        tap.eq(f"{self.name}: the cluster stack exports the name and the four badges", want, exports)
        groups = out["NodeSecurityGroup"].split(",")
        # The node group always comes first; infra.yml's groups follow it (issue 15 item 3).
        tap.eq(f"{self.name}: the nodes wear the node group, then infra.yml's security groups",
               [self.ids[g] for g in self.doc["cluster"].get("security_groups") or []], groups[1:])
        sg = self.ec2.describe_security_groups(GroupIds=groups[:1])["SecurityGroups"][0]
        rules = sorted((p["IpProtocol"], p.get("FromPort"), p.get("ToPort"), g["GroupId"])
                       for p in sg["IpPermissions"] for g in p.get("UserIdGroupPairs", []))
        want = [("tcp", 32768, 60999, out["ALBBadgeSg"])]
        want += [("tcp", 0, 65535, self.ids[g]) for g in self.doc["cluster"].get("security_group_ingress") or []]
        tap.eq(f"{self.name}: the node group admits the ALB badge on the dynamic ports, and the listed groups",
               sorted(want), rules)
        iam = boto3.client("iam")
        if "InstanceRole" in res:
            profile = iam.get_instance_profile(InstanceProfileName=out["InstanceProfileArn"].rsplit("/", 1)[1])
            roles = [(r["RoleName"], r["Path"]) for r in profile["InstanceProfile"]["Roles"]]
            tap.eq(f"{self.name}: the instance profile holds the node role under /ecsgen/{c}/",
                   [(res["InstanceRole"], f"/ecsgen/{c}/")], roles)
        else:
            tap.ok(f"{self.name}: infra.yml's instance profile is passed on",
                   out["InstanceProfileArn"].endswith(self.doc["ec2_instances"]["instance_profile_arn"].rsplit("/", 1)[1])
                   and "${" not in out["InstanceProfileArn"], out["InstanceProfileArn"])
        role = iam.get_role(RoleName=out["ComputeServiceRoleArn"].rsplit("/", 1)[1])["Role"]
        trust = role["AssumeRolePolicyDocument"]
        if isinstance(trust, str):
            trust = json.loads(trust)
        tap.eq(f"{self.name}: the compute service role is CloudFormation's",
               "cloudformation.amazonaws.com", trust["Statement"][0]["Principal"]["Service"])
        self.check_functions(res, out)

    def check_functions(self, res, out):
        c = self.cluster
        lam, events, logs = boto3.client("lambda"), boto3.client("events"), boto3.client("logs")
        stacks = {"STACK_COMPUTE_PREFIX": f"{c}-compute-", "VERSION_CHARS": "A-Za-z0-9-"}
        env_want = {
            "CapacityMetric": {"CLUSTER_NAME": c, "METRIC_NAMESPACE": f"ecsgen/{c}", **stacks},
            "Scaler": {"CLUSTER_NAME": c, "METRIC_NAMESPACE": f"ecsgen/{c}", "STATE_PARAMETER": f"/ecsgen/{c}/scaler-state", **stacks,
                       "LOCK_TABLE": f"{c}-lock",
                       "COOLDOWN_SECONDS": "300", "INACTIVE_STEP_SECONDS": "60", "SMOKE_TEST_GRACE_SECONDS": "900"},
            "Drainer": {"CLUSTER_NAME": c, "TAG_CLUSTER": "ecsgen:cluster"},
            "Cleanup": {"CLUSTER_NAME": c, "MIN_STACK_AGE_SECONDS": "600", "COMPUTE_ROLE_ARN": out["ComputeServiceRoleArn"],
                        **stacks},
        }
        rules = {"CapacityMetric": "CapacityMetricSchedule", "Scaler": "ScalerSchedule",
                 "Drainer": "DrainerEvents", "Cleanup": "CleanupSchedule"}
        schedules = {"CapacityMetric": "rate(1 minute)", "Scaler": "rate(1 minute)", "Cleanup": "rate(5 minutes)"}
        for fn, env in env_want.items():
            cfg = lam.get_function_configuration(FunctionName=res[f"{fn}Function"])
            got = (cfg["Runtime"], cfg["Handler"], cfg["Environment"]["Variables"], cfg["Role"].split("/")[-1])
            # moto takes python3.14 (its CloudFormation handler drops Architectures:
            # static_checks.py and cfn-lint's schema check arm64).
            tap.eq(f"{self.name}: {fn} function: runtime, handler, environment, own role",
                   ("python3.14", "index.handler", env, res[f"{fn}Role"]), got)
            rule = events.describe_rule(Name=res[rules[fn]])
            targets = [t["Arn"] for t in events.list_targets_by_rule(Rule=res[rules[fn]])["Targets"]]
            trigger = rule.get("ScheduleExpression") or json.loads(rule["EventPattern"])
            if fn == "Drainer":
                kinds = sorted(k for p in trigger["$or"] for k in p["detail-type"])
                ok = kinds == ["EC2 Instance Rebalance Recommendation", "EC2 Instance-terminate Lifecycle Action",
                               "EC2 Spot Instance Interruption Warning"]
                tap.ok(f"{self.name}: DrainerEvents matches lifecycle actions, spot interruptions and rebalance "
                       "recommendations, targets the drainer",
                       ok and targets == [cfg["FunctionArn"]], f"{trigger} {targets}")
            else:
                tap.eq(f"{self.name}: {rules[fn]} runs the {fn} function {schedules[fn]}",
                       (schedules[fn], [cfg["FunctionArn"]]), (trigger, targets))
            policy = json.loads(lam.get_policy(FunctionName=res[f"{fn}Function"])["Policy"])
            sources = [s.get("Condition", {}).get("ArnLike", {}).get("AWS:SourceArn") for s in policy["Statement"]]
            tap.eq(f"{self.name}: EventBridge may invoke the {fn} function from its rule only",
                   [rule["Arn"]], sources)
        groups = {g["logGroupName"]: g.get("retentionInDays")
                  for g in logs.describe_log_groups(logGroupNamePrefix=f"/ecsgen/{c}/")["logGroups"]}
        tap.eq(f"{self.name}: each function logs to its own group, kept 14 days",
               {f"/ecsgen/{c}/{s}": 14 for s in ("capacity-metric", "scaler", "drainer", "cleanup")}, groups)
        value = boto3.client("ssm").get_parameter(Name=f"/ecsgen/{c}/scaler-state")["Parameter"]["Value"]
        tap.eq(f"{self.name}: the scaler's state parameter starts empty", "{}", value)

    def check_health(self):
        out = self.outputs(f"{self.cluster}-health")
        td = boto3.client("ecs").describe_task_definition(taskDefinition=out["TaskDefinition"])["taskDefinition"]
        box = td["containerDefinitions"][0]
        tap.ok(f"{self.name}: the health task runs a public ECR image and logs to /ecsgen/{self.cluster}/health",
               box["image"].startswith("public.ecr.aws/") and
               box["logConfiguration"]["options"]["awslogs-group"] == f"/ecsgen/{self.cluster}/health", box)

    def compute_parameters(self, ami):
        out = self.cluster_outputs
        # One image per variant present (issue 17), each from its public SSM parameter (moto
        # carries AWS's): AMI x86_64, AMIArm64, AMIGpu.
        # https://docs.aws.amazon.com/AmazonECS/latest/developerguide/retrieve-ecs-optimized_AMI.html
        params = json.load(open(f"{self.out}/compute.json"))["Parameters"]
        ssm = boto3.client("ssm")
        self.images = {}
        for key in sorted(k for k in params if k.startswith("AMI")):
            path = {"AMI": "", "AMIArm64": "arm64/", "AMIGpu": "gpu/"}[key]
            self.images[key] = ami if not path else ssm.get_parameter(
                Name=f"/aws/service/ecs/optimized-ami/amazon-linux-2023/{path}recommended/image_id")["Parameter"]["Value"]
        values = {"Version": VERSION, "Status": "active", **self.images, "VpcId": out["VpcId"],
                  "Subnets": out["Subnets"], "NodeSecurityGroup": out["NodeSecurityGroup"],
                  "InstanceProfileArn": out["InstanceProfileArn"],
                  "TemplateDigest": hashlib.sha256(open(f"{self.out}/compute.json", "rb").read()).hexdigest()}
        return values

    def check_launch_template(self, lt_id, what, timeout, facts):
        data = self.ec2.describe_launch_template_versions(LaunchTemplateId=lt_id)["LaunchTemplateVersions"][0]["LaunchTemplateData"]
        key = "AMI" + {"x86_64": "", "arm64": "Arm64", "gpu": "Gpu"}[facts["variant"]]
        tap.eq(f"{self.name}: {what} runs the {facts['variant']} image ({key})", self.images[key], data.get("ImageId"))
        meta = data["MetadataOptions"]
        hops = 2 if self.doc["ec2_instances"].get("imds_for_tasks") else 1
        tap.eq(f"{self.name}: {what} launch template requires IMDSv2, {hops} hop(s)",
               ("required", hops), (meta.get("HttpTokens"), meta.get("HttpPutResponseHopLimit")))
        disks = [(d["DeviceName"], d["Ebs"]["VolumeType"], d["Ebs"]["Encrypted"], d["Ebs"]["DeleteOnTermination"])
                 for d in data.get("BlockDeviceMappings", [])]
        # The root always, on RootDeviceName (its default here), then the other volumes.
        want = [("/dev/xvda", "gp3", True, True)] + [
            (m["device_name"], "gp3", True, True) for m in self.doc["ec2_instances"].get("ebs_mounts") or []
            if m["device_name"] != "/dev/xvda"]
        tap.eq(f"{self.name}: {what} volumes are encrypted gp3, deleted on termination", want, disks)
        groups = set(data["SecurityGroupIds"])
        want = set(self.cluster_outputs["NodeSecurityGroup"].split(",")) | {self.cluster_outputs["DBBadgeSg"]}
        tap.eq(f"{self.name}: {what} nodes wear the node groups and the DB badge", want, groups)
        user = base64.b64decode(data["UserData"]).decode()
        lines = set(user.splitlines())
        want = {f"ECS_CLUSTER={self.cluster}", f"ECS_CONTAINER_STOP_TIMEOUT={timeout}s",
                "ECS_DYNAMIC_HOST_PORT_RANGE=32768-60999",
                'ECS_INSTANCE_ATTRIBUTES={"asg_version":"%s","ecsgen_cluster":"%s","ecsgen_variant":"%s"}'
                % (VERSION, self.cluster, facts["variant"])}
        tap.ok(f"{self.name}: {what} user data joins the cluster with the version attribute",
               want <= lines and "${" not in user.replace("${!", ""), "\n".join(sorted(want - lines)) or user[-400:])
        tap.eq(f"{self.name}: {what} has GPU support exactly when its variant is gpu",
               facts["gpu"], "ECS_ENABLE_GPU_SUPPORT=true" in lines)
        tags = {t["Key"]: t["Value"] for s in data["TagSpecifications"] if s["ResourceType"] == "instance" for t in s["Tags"]}
        tap.eq(f"{self.name}: {what} nodes are tagged with cluster and version",
               {**self.cost_tags, "ecsgen:cluster": self.cluster, "ecsgen:version": VERSION,
                "Name": f"{self.cluster}-{VERSION}"}, tags)
        if "keypair" in self.doc["cluster"]:
            tap.eq(f"{self.name}: {what} nodes get the key pair", self.doc["cluster"]["keypair"], data.get("KeyName"))

    def check_compute(self, name):
        out, res = self.outputs(name), self.resources(name)
        ec2doc = self.doc["ec2_instances"]
        tap.eq(f"{self.name}: compute outputs give Status and Version", ("active", VERSION), (out["Status"], out["Version"]))
        for fleet in ec2doc.get("spot_fleets") or []:
            lid = re.sub(r"[^A-Za-z0-9]", "", "".join(p[:1].upper() + p[1:] for p in re.split(r"[-_]", fleet["name"])))
            facts = json.loads(out[f"SpotFleet{lid}"])
            # An EC2 Fleet (issue 12), built by tests/cfn/moto_launcher.py's CloudFormation model.
            found = self.ec2.describe_fleets(FleetIds=[facts["id"]])["Fleets"]
            d = found[0] if found else {}
            tap.eq(f"{self.name}: spot fleet {fleet['name']}: an active EC2 Fleet, maintain, spot, "
                   "TotalTargetCapacity desired_weight, no-termination",
                   (True, "active", "maintain", "spot", fleet.get("desired_weight", 1), "no-termination"),
                   (facts["id"].startswith("fleet-"), d.get("FleetState"), d.get("Type"),
                    d.get("TargetCapacitySpecification", {}).get("DefaultTargetCapacityType"),
                    d.get("TargetCapacitySpecification", {}).get("TotalTargetCapacity"),
                    d.get("ExcessCapacityTerminationPolicy")))
            tags = {t["Key"]: t["Value"] for t in d.get("Tags", []) if not t["Key"].startswith("aws:")}
            tap.eq(f"{self.name}: spot fleet {fleet['name']}: the fleet is tagged with cluster and version",
                   {**self.cost_tags, "ecsgen:cluster": self.cluster, "ecsgen:version": VERSION}, tags)
            tap.eq(f"{self.name}: spot fleet {fleet['name']}: the scaler's facts",
                   (fleet["min_weight"], fleet["max_weight"]), (facts["min_weight"], facts["max_weight"]))
            self.check_launch_template(res[f"SpotFleet{lid}LaunchTemplate"], f"fleet {fleet['name']}", facts["drain_timeout"],
                                       facts)
        for group in ec2doc.get("auto_scaling_groups") or []:
            lid = re.sub(r"[^A-Za-z0-9]", "", "".join(p[:1].upper() + p[1:] for p in re.split(r"[-_]", group["name"])))
            facts = json.loads(out[f"AutoScalingGroup{lid}"])
            asg = boto3.client("autoscaling").describe_auto_scaling_groups(
                AutoScalingGroupNames=[facts["name"]])["AutoScalingGroups"][0]
            desired = group.get("desired_instances", 1)
            want = (group.get("min_size", desired), group.get("max_size", desired), desired,
                    res[f"AutoScalingGroup{lid}LaunchTemplate"], f"{self.cluster}-compute-{VERSION}-")
            got = (asg["MinSize"], asg["MaxSize"], asg["DesiredCapacity"], asg["LaunchTemplate"]["LaunchTemplateId"],
                   asg["AutoScalingGroupName"][:len(want[4])])
            tap.eq(f"{self.name}: group {group['name']}: sizes, launch template, name prefix the drainer matches", want, got)
            self.check_launch_template(res[f"AutoScalingGroup{lid}LaunchTemplate"], f"group {group['name']}",
                                       facts["drain_timeout"], facts)
        return out, res

    def flip(self, name, before_out, before_res, values):
        keys = [{"ParameterKey": k, "UsePreviousValue": True} for k in values if k != "Status"]
        keys.append({"ParameterKey": "Status", "ParameterValue": "inactive"})
        rc, text = aws("cloudformation", "update-stack", "--stack-name", name, "--use-previous-template",
                       "--parameters", json.dumps(keys), "--capabilities", "CAPABILITY_IAM")
        status = self.stack(name)["StackStatus"] if rc == 0 else text
        tap.eq(f"{self.name}: a Status flip (previous template, previous values) reaches UPDATE_COMPLETE",
               "UPDATE_COMPLETE", status)
        out, res = self.outputs(name), self.resources(name)
        tap.eq(f"{self.name}: after the flip Status is inactive, and no fleet, group or launch template was replaced",
               ({**before_out, "Status": "inactive"}, before_res), (out, res))

    def fleets(self, out):
        return {k: json.loads(v)["id"] for k, v in out.items() if k.startswith("SpotFleet")}

    def resize(self, name, values):
        """An update of the fleets' target capacities alone is applied in place (a
        CloudFormation update, not a replacement: TotalTargetCapacity is not
        create-only)."""
        before = self.fleets(self.outputs(name))
        body = json.load(open(f"{self.out}/compute.json"))
        for lid in before:
            body["Resources"][lid]["Properties"]["TargetCapacitySpecification"]["TotalTargetCapacity"] += 1
        path = f"{self.out}/compute-resized.json"
        with open(path, "w") as f:
            json.dump(body, f)
        keys = [{"ParameterKey": k, "UsePreviousValue": True} for k in values]
        rc, text = aws("cloudformation", "update-stack", "--stack-name", name, "--template-url",
                       self.upload("compute-resized.json"), "--parameters", json.dumps(keys),
                       "--role-arn", self.cluster_outputs["ComputeServiceRoleArn"], "--capabilities", "CAPABILITY_IAM")
        status = self.stack(name)["StackStatus"] if rc == 0 else text
        tap.eq(f"{self.name}: an update of the fleets' target capacities reaches UPDATE_COMPLETE", "UPDATE_COMPLETE", status)
        after = self.fleets(self.outputs(name))
        targets = {lid: self.ec2.describe_fleets(FleetIds=[fid])["Fleets"][0]["TargetCapacitySpecification"]
                   ["TotalTargetCapacity"] for lid, fid in after.items()}
        want = {lid: body["Resources"][lid]["Properties"]["TargetCapacitySpecification"]["TotalTargetCapacity"]
                for lid in before}
        tap.eq(f"{self.name}: the same fleets, with the new target capacities (in place)", (before, want), (after, targets))
        return after

    def check_assets(self):
        name = f"{self.cluster}-assets"
        out = self.outputs(name)
        s3 = boto3.client("s3")
        # https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html (regional form)
        tap.eq(f"{self.name}: the assets bucket exists and BucketDomain is its regional name",
               f"{out['Bucket']}.s3.us-west-2.amazonaws.com", out["BucketDomain"])
        sse = s3.get_bucket_encryption(Bucket=out["Bucket"])["ServerSideEncryptionConfiguration"]["Rules"]
        tap.eq(f"{self.name}: the assets bucket is encrypted", "AES256",
               sse[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"])
        self.bucket = out["Bucket"]

    def check_from_url(self, name, template):
        body = self.cfn.get_template(StackName=name)["TemplateBody"]
        if not isinstance(body, str):
            body = json.dumps(body)
        want = open(f"{self.out}/{template}").read()
        tap.ok(f"{self.name}: {name} runs the uploaded {template}", json.loads(body) == json.loads(want))

    def empty_assets(self):
        s3 = boto3.client("s3")
        listing = s3.list_object_versions(Bucket=self.bucket)
        objects = [{"Key": v["Key"], "VersionId": v["VersionId"]}
                   for v in listing.get("Versions", []) + listing.get("DeleteMarkers", [])]
        if objects:
            s3.delete_objects(Bucket=self.bucket, Delete={"Objects": objects})

    def delete(self, names):
        for name in names:
            if name.endswith("-assets"):
                self.empty_assets()
            sid = self.stack(name)["StackId"]
            rc, text = aws("cloudformation", "delete-stack", "--stack-name", name)
            status = self.cfn.describe_stacks(StackName=sid)["Stacks"][0]["StackStatus"] if rc == 0 else text
            tap.eq(f"{self.name}: delete-stack {name} reaches DELETE_COMPLETE", "DELETE_COMPLETE", status)

    def run(self):
        post("/moto-api/reset")
        post("/moto-api/seed?a=42")
        work = tempfile.mkdtemp(prefix="ecsgen-e2e-")
        try:
            if not self.prepare(work):
                return
            c = self.cluster
            values = {}
            if "vpc" not in self.doc["cluster"]:
                values["VpcId"] = self.vpc
            if "subnets" not in self.doc["cluster"]:
                values["Subnets"] = ",".join(self.default_subnets)
            if not self.create(f"{c}-assets", "assets.json", {}):
                return
            self.check_assets()
            if not self.create(f"{c}-cluster", "cluster.json", values):
                return
            self.check_from_url(f"{c}-cluster", "cluster.json")
            self.check_cluster()
            if not self.create(f"{c}-health", "health.json", {}):
                return
            self.check_health()
            ami = boto3.client("ssm").get_parameter(
                Name="/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id")["Parameter"]["Value"]
            name = f"{c}-compute-{VERSION}"
            values = self.compute_parameters(ami)
            if not self.create(name, "compute.json", values, "--role-arn", self.cluster_outputs["ComputeServiceRoleArn"]):
                return
            self.check_from_url(name, "compute.json")
            out, res = self.check_compute(name)
            self.flip(name, out, res, values)
            fleets = self.resize(name, values) if self.fleets(out) else {}
            self.delete([name, f"{c}-health", f"{c}-cluster", f"{c}-assets"])
            if fleets:
                states = {lid: self.ec2.describe_fleets(FleetIds=[fid])["Fleets"][0]["FleetState"]
                          for lid, fid in fleets.items()}
                tap.eq(f"{self.name}: deleting the compute stack deletes its fleets and their instances",
                       {lid: "deleted_terminating" for lid in fleets}, states)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def main():
    for folder in sys.argv[1:]:
        try:
            Example(folder).run()
        except Exception as e:  # a moto or boto3 surprise: fail this example, go on
            tap.ok(f"{os.path.basename(folder.rstrip('/'))}: runs without an exception", False, repr(e))
    print(f"1..{tap.count}")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
