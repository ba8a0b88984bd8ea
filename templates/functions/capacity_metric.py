# Capacity metric: publishes how many more tasks fit (Headroom) and how many cannot be placed (UnplacedDemand).
import os
import re

import boto3

UNBOUNDED = 1000000


def attr(node, name):
    return next((a.get("value") for a in node.get("attributes", []) if a["name"] == name), None)


def active_versions(cfn, cluster):
    # Exact name match plus the Version output, so "<cluster>2-compute-x" never counts.
    pattern = re.compile(re.escape(cluster) + r"-compute-([A-Za-z0-9-]+)")
    versions = set()
    for page in cfn.get_paginator("describe_stacks").paginate():
        for stack in page["Stacks"]:
            m = pattern.fullmatch(stack["StackName"])
            out = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
            if m and out.get("Version") == m.group(1) and out.get("Status") == "active":
                versions.add(m.group(1))
    return versions


def nodes(ecs, cluster):
    arns = [a for p in ecs.get_paginator("list_container_instances").paginate(cluster=cluster)
            for a in p["containerInstanceArns"]]
    found = []
    for i in range(0, len(arns), 100):
        found += ecs.describe_container_instances(cluster=cluster, containerInstances=arns[i:i + 100])["containerInstances"]
    return found


def services(ecs, cluster):
    arns = [a for p in ecs.get_paginator("list_services").paginate(cluster=cluster) for a in p["serviceArns"]]
    found = []
    for i in range(0, len(arns), 10):
        found += ecs.describe_services(cluster=cluster, services=arns[i:i + 10])["services"]
    return [s for s in found if s.get("status") == "ACTIVE"]


def task_size(ecs, arn):
    td = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
    containers = td.get("containerDefinitions", [])
    # A task-level size is what EC2 placement reserves; else the containers' sum
    # (memoryReservation is the soft limit placement uses when given).
    cpu = int(td.get("cpu") or 0) or sum(c.get("cpu", 0) for c in containers)
    mem = int(td.get("memory") or 0) or sum(c.get("memoryReservation") or c.get("memory") or 0 for c in containers)
    return cpu, mem


def fits(node, cpu, mem):
    left = {r["name"]: r.get("integerValue", 0) for r in node.get("remainingResources", [])}
    counts = [left.get("CPU", 0) // cpu if cpu else UNBOUNDED, left.get("MEMORY", 0) // mem if mem else UNBOUNDED]
    return max(0, min(counts))


def measure(ecs, cfn, cluster):
    versions = active_versions(cfn, cluster)
    usable = [n for n in nodes(ecs, cluster) if n["status"] == "ACTIVE" and attr(n, "asg_version") in versions]
    # Daemon services follow the instances; they never ask for more of them.
    wanted = [s for s in services(ecs, cluster) if s["desiredCount"] > 0 and s.get("schedulingStrategy") != "DAEMON"]
    # With no instances ECS creates no pending tasks, so demand is what is neither running nor pending.
    demand = sum(max(0, s["desiredCount"] - s["runningCount"] - s["pendingCount"]) for s in wanted)
    headroom = UNBOUNDED  # nothing wanted: an empty cluster must not scale straight back out
    sizes = {task_size(ecs, arn) for arn in {s["taskDefinition"] for s in wanted}}
    for cpu, mem in sizes:
        # The largest task is the one that fits the fewest times.
        headroom = min(headroom, sum(fits(n, cpu, mem) for n in usable))
    return min(headroom, UNBOUNDED), demand


def handler(event, context):
    cluster = os.environ["CLUSTER_NAME"]
    headroom, demand = measure(boto3.client("ecs"), boto3.client("cloudformation"), cluster)
    dims = [{"Name": "ClusterName", "Value": cluster}]
    boto3.client("cloudwatch").put_metric_data(Namespace=os.environ["METRIC_NAMESPACE"], MetricData=[
        {"MetricName": "Headroom", "Dimensions": dims, "Value": headroom, "Unit": "Count"},
        {"MetricName": "UnplacedDemand", "Dimensions": dims, "Value": demand, "Unit": "Count"}])
    print(f"headroom={headroom} demand={demand}")
    return {"headroom": headroom, "demand": demand}
