# Cleanup: deletes this cluster's inactive compute stacks once they hold no instances and no tasks.
import json
import os
import re
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

CONFIG = Config(retries={"mode": "adaptive", "max_attempts": 8})


def compute_stack_name():
    # A compute stack is exactly <STACK_COMPUTE_PREFIX><VERSION>: both from the
    # names table, through the environment (templates/CONTRACT.md).
    return re.compile(
        re.escape(os.environ["STACK_COMPUTE_PREFIX"]) + "([" + os.environ["VERSION_CHARS"] + "]+)"
    )


def fleet_instances(ec2, fid):
    # EC2 Fleet (fleet-...) or a legacy Spot Fleet request (sfr-...); a fleet that no longer exists
    # holds nothing.
    pages, token = [], None
    try:
        while not pages or token:
            pages.append(
                ec2.describe_fleet_instances(FleetId=fid, **({"NextToken": token} if token else {}))
                if fid.startswith("fleet-")
                else ec2.describe_spot_fleet_instances(
                    SpotFleetRequestId=fid, **({"NextToken": token} if token else {})
                )
            )
            token = pages[-1].get("NextToken")
    except ClientError as e:
        if "NotFound" not in str(e):
            raise
    return [i["InstanceId"] for p in pages for i in p["ActiveInstances"]]


def instance_ids(outputs):
    ids, ec2 = [], boto3.client("ec2", config=CONFIG)
    for key, value in outputs.items():
        if key.startswith("SpotFleet"):
            ids += fleet_instances(ec2, json.loads(value)["id"])
        elif key.startswith("AutoScalingGroup"):
            for g in boto3.client("autoscaling", config=CONFIG).describe_auto_scaling_groups(
                AutoScalingGroupNames=[json.loads(value)["name"]]
            )["AutoScalingGroups"]:
                ids += [i["InstanceId"] for i in g["Instances"]]
    return ids


def any_left(ids):
    # Fleets may still list instances that are gone; only those not terminated count.
    return any(
        r["Instances"]
        for i in range(0, len(ids), 200)
        for r in boto3.client("ec2", config=CONFIG).describe_instances(
            Filters=[
                {"Name": "instance-id", "Values": ids[i : i + 200]},
                {
                    "Name": "instance-state-name",
                    "Values": ["pending", "running", "shutting-down", "stopping", "stopped"],
                },
            ]
        )["Reservations"]
    )


def handler(event, context):
    cluster, now, ecs = os.environ["CLUSTER_NAME"], time.time(), boto3.client("ecs", config=CONFIG)
    min_age = int(os.environ.get("MIN_STACK_AGE_SECONDS", 600))
    arns = [
        a
        for p in ecs.get_paginator("list_container_instances").paginate(cluster=cluster)
        for a in p["containerInstanceArns"]
    ]
    # Versions with a registered node: tasks may run there.
    busy = {
        a.get("value")
        for i in range(0, len(arns), 100)
        for n in ecs.describe_container_instances(
            cluster=cluster, containerInstances=arns[i : i + 100]
        )["containerInstances"]
        for a in n.get("attributes", [])
        if a["name"] == "asg_version"
    }
    cfn, pattern, deleted = (
        boto3.client("cloudformation", config=CONFIG),
        compute_stack_name(),
        [],
    )
    for page in cfn.get_paginator("describe_stacks").paginate():
        for s in page["Stacks"]:
            m, name = pattern.fullmatch(s["StackName"]), s["StackName"]
            out = {o["OutputKey"]: o["OutputValue"] for o in s.get("Outputs", [])}
            # The Version output must agree with the name: "<cluster>2-compute-x" or a longer
            # cluster name never match.
            if not m or out.get("Version") != m.group(1) or out.get("Status") != "inactive":
                continue
            age = (
                now
                - max(s["CreationTime"], s.get("LastUpdatedTime") or s["CreationTime"]).timestamp()
            )
            try:
                if (
                    s["StackStatus"].endswith("_IN_PROGRESS")
                    or age < min_age
                    or m.group(1) in busy
                    or any_left(instance_ids(out))
                ):
                    print(
                        f"{name}: {s['StackStatus']}, changed {int(age)}s ago, or instances left: "
                        "kept"
                    )
                    continue
            except ClientError as e:  # a fleet or group we cannot read may still hold instances
                print(f"{name}: {e}: kept")
                continue
            cfn.delete_stack(StackName=name, RoleARN=os.environ["COMPUTE_ROLE_ARN"])
            print(f"{name}: deleted")
            deleted.append(name)
    return {"deleted": deleted}
