# Drainer: on an ASG termination hook or a spot interruption warning, drains the node so its tasks move first.
import os
import time

import boto3
from botocore.exceptions import ClientError

HOOK = "ecsgen-drain"
MARK = "ecsgen_drain"  # container instance attribute "<reason>:<epoch>", shared with the scaler


def complete_lifecycle(asg, instance_id):
    # Its own function so tests can stub it: moto does not implement the call.
    boto3.client("autoscaling").complete_lifecycle_action(
        LifecycleHookName=HOOK, AutoScalingGroupName=asg, InstanceId=instance_id, LifecycleActionResult="CONTINUE")


def find_node(ecs, cluster, instance_id):
    arns = [a for p in ecs.get_paginator("list_container_instances").paginate(cluster=cluster)
            for a in p["containerInstanceArns"]]
    for i in range(0, len(arns), 100):
        for n in ecs.describe_container_instances(cluster=cluster, containerInstances=arns[i:i + 100])["containerInstances"]:
            if n["ec2InstanceId"] == instance_id:
                return n
    return None


def other_cluster(cluster, instance_id):
    # The rule matches group names by prefix, which another cluster's name can share; the instance tag decides.
    try:
        res = boto3.client("ec2").describe_instances(InstanceIds=[instance_id])["Reservations"]
    except ClientError:
        return False
    tags = {t["Key"]: t["Value"] for r in res for i in r["Instances"] for t in i.get("Tags", [])}
    return tags.get("ecsgen:cluster", cluster) != cluster


def handler(event, context):
    cluster, detail = os.environ["CLUSTER_NAME"], event.get("detail", {})
    lifecycle = event.get("detail-type") == "EC2 Instance-terminate Lifecycle Action"
    if lifecycle and detail.get("LifecycleHookName") != HOOK:
        return {"action": "ignored"}
    instance_id = detail.get("EC2InstanceId" if lifecycle else "instance-id")
    if not instance_id:
        return {"action": "ignored"}
    ecs = boto3.client("ecs")
    node = find_node(ecs, cluster, instance_id)
    if node is None:
        # Never registered (a failed smoke test) or not ours: nothing to drain.
        if lifecycle and not other_cluster(cluster, instance_id):
            complete_lifecycle(detail["AutoScalingGroupName"], instance_id)
            print(f"{instance_id}: not registered, lifecycle action completed")
            return {"action": "completed"}
        return {"action": "ignored"}
    old = next((a.get("value") or "" for a in node.get("attributes", []) if a["name"] == MARK), "")
    since = old.partition(":")[2] or str(int(time.time()))  # a drain already under way keeps its clock
    ecs.put_attributes(cluster=cluster, attributes=[{
        "name": MARK, "value": ("lifecycle:" if lifecycle else "spot:") + since, "targetId": node["containerInstanceArn"]}])
    ecs.update_container_instances_state(
        cluster=cluster, containerInstances=[node["containerInstanceArn"]], status="DRAINING")
    if lifecycle and node["runningTasksCount"] + node["pendingTasksCount"] == 0:
        complete_lifecycle(detail["AutoScalingGroupName"], instance_id)
        ecs.deregister_container_instance(cluster=cluster, containerInstance=node["containerInstanceArn"], force=True)
        print(f"{instance_id}: idle, lifecycle action completed")
        return {"action": "completed"}
    # The scaler completes the action once the tasks have moved or the drain timeout has passed.
    print(f"{instance_id}: draining")
    return {"action": "draining"}
