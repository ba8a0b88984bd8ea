# Cleanup: deletes this cluster's inactive compute stacks once they hold no instances and no tasks.
import json
import os
import re
import time

import boto3
from botocore.exceptions import ClientError

LIVE = ["pending", "running", "shutting-down", "stopping", "stopped"]


def registered_versions(ecs, cluster):
    arns = [a for p in ecs.get_paginator("list_container_instances").paginate(cluster=cluster)
            for a in p["containerInstanceArns"]]
    versions = set()
    for i in range(0, len(arns), 100):
        for n in ecs.describe_container_instances(cluster=cluster, containerInstances=arns[i:i + 100])["containerInstances"]:
            versions.update(a.get("value") for a in n.get("attributes", []) if a["name"] == "asg_version")
    return versions


def has_instances(outputs):
    ec2, ids = boto3.client("ec2"), []
    for key, value in outputs.items():
        group = json.loads(value) if key.startswith(("SpotFleet", "AutoScalingGroup")) else None
        if group and key.startswith("SpotFleet"):
            ids += [i["InstanceId"] for i in ec2.describe_spot_fleet_instances(
                SpotFleetRequestId=group["id"], MaxResults=1000)["ActiveInstances"]]
        elif group:
            for g in boto3.client("autoscaling").describe_auto_scaling_groups(
                    AutoScalingGroupNames=[group["name"]])["AutoScalingGroups"]:
                ids += [i["InstanceId"] for i in g["Instances"]]
    # Fleets may still list instances that are already gone; only existing ones count.
    return bool(ids) and any(r["Instances"] for r in ec2.describe_instances(Filters=[
        {"Name": "instance-id", "Values": ids[:200]}, {"Name": "instance-state-name", "Values": LIVE}])["Reservations"])


def handler(event, context):
    cluster, now = os.environ["CLUSTER_NAME"], time.time()
    min_age = int(os.environ.get("MIN_STACK_AGE_SECONDS", 600))
    cfn = boto3.client("cloudformation")
    pattern = re.compile(re.escape(cluster) + r"-compute-([A-Za-z0-9-]+)")
    registered = registered_versions(boto3.client("ecs"), cluster)
    deleted = []
    for page in cfn.get_paginator("describe_stacks").paginate():
        for s in page["Stacks"]:
            m, name = pattern.fullmatch(s["StackName"]), s["StackName"]
            out = {o["OutputKey"]: o["OutputValue"] for o in s.get("Outputs", [])}
            # The Version output must agree with the name, so "<cluster>2-compute-x" or a longer cluster name never match.
            if not m or out.get("Version") != m.group(1) or out.get("Status") != "inactive":
                continue
            changed = max(s["CreationTime"], s.get("LastUpdatedTime") or s["CreationTime"])
            if s["StackStatus"].endswith("_IN_PROGRESS") or now - changed.timestamp() < min_age:
                print(f"{name}: {s['StackStatus']}, changed {int(now - changed.timestamp())}s ago, kept")
                continue
            try:
                if m.group(1) in registered or has_instances(out):
                    print(f"{name}: still has instances or tasks, kept")
                    continue
            except ClientError as e:  # a fleet or group we cannot read may still hold instances
                print(f"{name}: {e}, kept")
                continue
            cfn.delete_stack(StackName=name, RoleARN=os.environ["COMPUTE_ROLE_ARN"])
            print(f"{name}: deleted")
            deleted.append(name)
    return {"deleted": deleted}
