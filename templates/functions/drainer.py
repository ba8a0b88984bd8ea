# Drainer: on an ASG termination hook, a spot interruption warning or a rebalance recommendation,
# drains the node so its tasks move first.  The scaler keeps a hook alive until the node is empty
# (I1).
import os
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

CONFIG = Config(retries={"mode": "adaptive", "max_attempts": 8})

MARK = "ecsgen_drain"  # node attribute "<reason>:<epoch>", shared with the scaler


def complete_lifecycle(asg, instance_id):
    # Its own function so tests can stub it: moto does not implement the call.
    boto3.client("autoscaling", config=CONFIG).complete_lifecycle_action(
        LifecycleHookName="ecsgen-drain",
        AutoScalingGroupName=asg,
        InstanceId=instance_id,
        LifecycleActionResult="CONTINUE",
    )


def other_cluster(cluster, instance_id):
    # The rule matches group names by prefix, which another cluster's name may share; the instance
    # tag decides.
    try:
        res = boto3.client("ec2", config=CONFIG).describe_instances(InstanceIds=[instance_id])[
            "Reservations"
        ]
    except ClientError:
        return False
    return any(
        t["Key"] == os.environ["TAG_CLUSTER"] and t["Value"] != cluster
        for r in res
        for i in r["Instances"]
        for t in i.get("Tags", [])
    )


def handler(event, context):
    cluster, detail, ecs = (
        os.environ["CLUSTER_NAME"],
        event.get("detail", {}),
        boto3.client("ecs", config=CONFIG),
    )
    lifecycle = event.get("detail-type") == "EC2 Instance-terminate Lifecycle Action"
    iid = detail.get("EC2InstanceId" if lifecycle else "instance-id")
    if not iid or lifecycle and detail.get("LifecycleHookName") != "ecsgen-drain":
        return {"action": "ignored"}
    arns = [
        a
        for p in ecs.get_paginator("list_container_instances").paginate(cluster=cluster)
        for a in p["containerInstanceArns"]
    ]
    node = next(
        (
            n
            for i in range(0, len(arns), 100)
            for n in ecs.describe_container_instances(
                cluster=cluster, containerInstances=arns[i : i + 100]
            )["containerInstances"]
            if n["ec2InstanceId"] == iid
        ),
        None,
    )
    if node is None:  # never registered (a failed smoke test), or not ours
        if lifecycle and not other_cluster(cluster, iid):
            complete_lifecycle(detail["AutoScalingGroupName"], iid)
            print(f"{iid}: not registered, lifecycle action completed")
            return {"action": "completed"}
        return {"action": "ignored"}
    old = next((a.get("value") or "" for a in node.get("attributes", []) if a["name"] == MARK), "")
    since = old.partition(":")[2] or str(int(time.time()))  # a drain under way keeps its clock
    ecs.put_attributes(
        cluster=cluster,
        attributes=[
            {
                "name": MARK,
                "value": ("lifecycle:" if lifecycle else "spot:") + since,
                "targetId": node["containerInstanceArn"],
            }
        ],
    )
    ecs.update_container_instances_state(
        cluster=cluster, containerInstances=[node["containerInstanceArn"]], status="DRAINING"
    )
    if lifecycle and node["runningTasksCount"] + node["pendingTasksCount"] == 0:
        complete_lifecycle(detail["AutoScalingGroupName"], iid)
        print(f"{iid}: idle, lifecycle action completed")
        return {"action": "completed"}
    print(
        f"{iid}: draining; the scaler keeps the hook alive and completes it once no task runs there"
    )
    return {"action": "draining"}
