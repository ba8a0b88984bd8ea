"""moto end to end: upgrading ecsgen itself, from Spot Fleet versions to EC2 Fleet ones.

tests/cfn/legacy/ holds the cluster and compute templates ecsgen wrote for
examples/default-vpc before issue 12 (the golden output of commit b6d946c):
a Spot Fleet role in the cluster stack, an AWS::EC2::SpotFleet in the
compute stack.  A cluster that runs them is upgraded the way `make deploy`
of the new ecsgen does it:

1. the old cluster stack and an old version v1, whose fleet is a Spot Fleet;
2. the new cluster stack as an update of the old one (the Spot Fleet role
   goes, v1 keeps running), then v2 from the new compute.json: an EC2 Fleet;
3. v1 set inactive (previous template, previous values);
4. v1's fleet brought to 0 and its nodes terminated, as the scaler does once
   they have drained (moto runs no ECS agent, so there is nothing to drain);
5. the new cleanup function, exactly as the new cluster.json embeds it, run
   in-process against moto_server: it deletes v1 through the compute service
   role and keeps v2, whose EC2 Fleet is untouched.

    python3 upgrade.py            (AWS_ENDPOINT_URL points at moto_server)

Prints TAP.  Only the templates and the functions are exercised here: what
the functions decide for legacy fleets is tests/sim's legacy-to-ec2-fleet
scenario and tests/python's Spot Fleet cases.
"""
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import types

import boto3

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import e2e  # noqa: E402  (the moto e2e's set-up, stack calls and TAP)

tap, aws, params = e2e.tap, e2e.aws, e2e.params
EXAMPLE = os.path.join(HERE, "..", "..", "examples", "default-vpc")


def load_function(template, fid):
    """A lifecycle function's module, from the template's inline ZipFile."""
    code = json.load(open(template))["Resources"][fid]["Properties"]["Code"]["ZipFile"]
    module = types.ModuleType(fid)
    exec(compile(code, f"{template}:{fid}", "exec"), module.__dict__)
    return module


class Upgrade(e2e.Example):
    def run(self):
        e2e.post("/moto-api/reset")
        e2e.post("/moto-api/seed?a=42")
        work = tempfile.mkdtemp(prefix="ecsgen-upgrade-")
        try:
            self.steps(work)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def update(self, name, template, values, *extra):
        rc, out = aws("cloudformation", "update-stack", "--stack-name", name, "--template-url", self.upload(template),
                      "--parameters", params(values), "--capabilities", "CAPABILITY_IAM", *extra)
        status = self.stack(name)["StackStatus"] if rc == 0 else out
        return tap.eq(f"{self.name}: update-stack {name} to the new {template} reaches UPDATE_COMPLETE",
                      "UPDATE_COMPLETE", status)

    def steps(self, work):
        if not self.prepare(work):
            return
        c = self.cluster
        for t in ("cluster", "compute"):
            shutil.copy(os.path.join(HERE, "legacy", f"{t}.json"), os.path.join(self.out, f"legacy-{t}.json"))
        network = {"VpcId": self.vpc, "Subnets": ",".join(self.default_subnets)}
        ami = boto3.client("ssm").get_parameter(
            Name="/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id")["Parameter"]["Value"]

        # 1. What an older ecsgen deployed.
        if not (self.create(f"{c}-assets", "assets.json", {}) and
                self.create(f"{c}-cluster", "legacy-cluster.json", network)):
            return
        old = self.outputs(f"{c}-cluster")
        role = old["ComputeServiceRoleArn"]
        v1 = {"Version": "v1", "Status": "active", "AMI": ami, "VpcId": old["VpcId"], "Subnets": old["Subnets"],
              "NodeSecurityGroup": old["NodeSecurityGroup"], "InstanceProfileArn": old["InstanceProfileArn"],
              "SpotFleetRoleArn": old["SpotFleetRoleArn"]}
        if not self.create(f"{c}-compute-v1", "legacy-compute.json", v1, "--role-arn", role):
            return
        sfr = json.loads(self.outputs(f"{c}-compute-v1")["SpotFleetMain"])["id"]
        tap.ok(f"{self.name}: the old version's fleet is a Spot Fleet request", sfr.startswith("sfr-"), sfr)

        # 2. The new ecsgen's deploy: the cluster stack updated, then a new version.
        if not self.update(f"{c}-cluster", "cluster.json", network):
            return
        self.cluster_outputs = new = self.outputs(f"{c}-cluster")
        tap.ok(f"{self.name}: the updated cluster stack has no Spot Fleet role any more",
               "SpotFleetRoleArn" not in new and "SpotFleetRole" not in self.resources(f"{c}-cluster"), sorted(new))
        tap.eq(f"{self.name}: the compute service role is kept (old versions are deleted through it)",
               role, new["ComputeServiceRoleArn"])
        linked = aws("iam", "create-service-linked-role", "--aws-service-name", "ec2fleet.amazonaws.com")
        tap.eq(f"{self.name}: EC2 Fleet's service-linked role is created (deploy-compute.sh's step)", 0, linked[0])
        v2 = {**self.compute_parameters(ami), "Version": "v2"}
        if not self.create(f"{c}-compute-v2", "compute.json", v2, "--role-arn", role):
            return
        fid = json.loads(self.outputs(f"{c}-compute-v2")["SpotFleetMain"])["id"]
        fleet = self.ec2.describe_fleets(FleetIds=[fid])["Fleets"]
        tap.ok(f"{self.name}: the new version's fleet is an active EC2 Fleet",
               fid.startswith("fleet-") and fleet and fleet[0]["FleetState"] == "active", fleet)
        req = self.ec2.describe_spot_fleet_requests(SpotFleetRequestIds=[sfr])["SpotFleetRequestConfigs"]
        tap.ok(f"{self.name}: the old version's Spot Fleet still runs beside it",
               req and req[0]["SpotFleetRequestState"] == "active", req)

        # 3. The old version set inactive: previous template, previous values.
        keys = [{"ParameterKey": k, "UsePreviousValue": True} for k in v1 if k != "Status"]
        keys.append({"ParameterKey": "Status", "ParameterValue": "inactive"})
        rc, text = aws("cloudformation", "update-stack", "--stack-name", f"{c}-compute-v1", "--use-previous-template",
                       "--parameters", json.dumps(keys), "--role-arn", role, "--capabilities", "CAPABILITY_IAM")
        tap.eq(f"{self.name}: the old version is set inactive", (0, "inactive"),
               (rc, self.outputs(f"{c}-compute-v1").get("Status") if rc == 0 else text))

        # 4. Its nodes go, as the scaler sends them once drained.
        self.ec2.modify_spot_fleet_request(SpotFleetRequestId=sfr, TargetCapacity=0,
                                           ExcessCapacityTerminationPolicy="noTermination")
        nodes = [i["InstanceId"] for i in self.ec2.describe_spot_fleet_instances(
            SpotFleetRequestId=sfr)["ActiveInstances"]]
        if nodes:
            self.ec2.terminate_instances(InstanceIds=nodes)

        # 5. The new cleanup function retires the old version.
        cleanup = load_function(os.path.join(self.out, "cluster.json"), "CleanupFunction")
        env = {"CLUSTER_NAME": c, "MIN_STACK_AGE_SECONDS": "0", "COMPUTE_ROLE_ARN": role,
               "STACK_COMPUTE_PREFIX": f"{c}-compute-", "VERSION_CHARS": "A-Za-z0-9-"}
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        said = io.StringIO()
        try:
            with contextlib.redirect_stdout(said):
                result = cleanup.handler({}, None)
        except Exception as e:  # noqa: BLE001 (reported, not raised)
            result = repr(e)
        finally:
            for line in said.getvalue().splitlines():
                print(f"# cleanup: {line}")
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        tap.eq(f"{self.name}: the new cleanup function deletes the old Spot Fleet version, and only it",
               {"deleted": [f"{c}-compute-v1"]}, result)
        status = {s["StackName"]: s["StackStatus"] for s in self.cfn.list_stacks()["StackSummaries"]
                  if "-compute-" in s["StackName"]}
        tap.eq(f"{self.name}: v1 is deleted, v2 runs on", {f"{c}-compute-v1": "DELETE_COMPLETE",
                                                          f"{c}-compute-v2": "CREATE_COMPLETE"}, status)
        tap.eq(f"{self.name}: v2's EC2 Fleet is untouched", ("active", 1),
               (self.ec2.describe_fleets(FleetIds=[fid])["Fleets"][0]["FleetState"],
                self.ec2.describe_fleets(FleetIds=[fid])["Fleets"][0]["TargetCapacitySpecification"]
                ["TotalTargetCapacity"]))


def main():
    try:
        Upgrade(EXAMPLE).run()
    except Exception as e:  # a moto or boto3 surprise: fail, do not crash without a plan
        tap.ok("upgrade: runs without an exception", False, repr(e))
    print(f"1..{tap.count}")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
