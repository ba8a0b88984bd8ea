# Capacity metric: publishes how many more tasks fit (Headroom) and how many found no room
# (UnplacedDemand).
import os
import re

import boto3
from botocore.config import Config

UNBOUNDED = 1000000
ARCH = re.compile(r"attribute:ecs\.cpu-architecture\s*==\s*(arm64|x86_64)")
CONFIG = Config(retries={"mode": "adaptive", "max_attempts": 8})


def compute_stack_name():
    # A compute stack is exactly <STACK_COMPUTE_PREFIX><VERSION>: both from the
    # names table, through the environment (templates/CONTRACT.md).
    return re.compile(
        re.escape(os.environ["STACK_COMPUTE_PREFIX"]) + "([" + os.environ["VERSION_CHARS"] + "]+)"
    )


def active_versions(cluster):
    # Exact name match plus the Version output, so "<cluster>2-compute-x" never counts.
    pattern, versions = compute_stack_name(), set()
    for page in (
        boto3.client("cloudformation", config=CONFIG).get_paginator("describe_stacks").paginate()
    ):
        for s in page["Stacks"]:
            m = pattern.fullmatch(s["StackName"])
            out = {o["OutputKey"]: o["OutputValue"] for o in s.get("Outputs", [])}
            if m and out.get("Version") == m.group(1) and out.get("Status") == "active":
                versions.add(m.group(1))
    return versions


def task_shape(td, service):
    # What a task of the service needs and where it may run, on the scaler's rules (scaler.py:
    # platform, gpus): (CPU units, MiB, the image variants it may run on, () for any, GPUs).
    cs = td.get("containerDefinitions", [])
    # A task-level size is what EC2 placement reserves, else the containers' sum
    # (memoryReservation, the soft limit, when given).
    cpu = int(td.get("cpu") or 0) or sum(c.get("cpu", 0) for c in cs)
    mem = int(td.get("memory") or 0) or sum(
        c.get("memoryReservation") or c.get("memory") or 0 for c in cs
    )
    # The GPUs its containers reserve: ECS places it only where that many are free.
    # https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ResourceRequirement.html
    gpus = sum(
        int(r.get("value") or 0)
        for c in cs
        for r in c.get("resourceRequirements") or []
        if r.get("type") == "GPU"
    )
    if gpus:
        return (cpu, mem, ("gpu",), gpus)
    arch = ((td.get("runtimePlatform") or {}).get("cpuArchitecture") or "").lower()
    constraints = (td.get("placementConstraints") or []) + (
        service.get("placementConstraints") or []
    )
    exprs = " ".join(c.get("expression", "") for c in constraints)
    m = ARCH.search(exprs)
    arch = arch or (m.group(1) if m else "")
    return (cpu, mem, {"arm64": ("arm64",), "x86_64": ("x86_64", "gpu")}.get(arch, ()), 0)


def variant(node):
    # A node's image variant as its agent registered it: GPUs, else its architecture.
    if any(r["name"] == "GPU" for r in node.get("registeredResources", [])):
        return "gpu"
    return {a["name"]: a.get("value") for a in node.get("attributes", [])}.get(
        "ecs.cpu-architecture"
    )


def fits(node, shape):
    # How many more tasks of shape the node takes.  A GPU node's room is for GPU tasks, as in
    # the scaler's headroom, and ECS registers a node's GPUs as a set of GPU ids (STRINGSET).
    cpu, mem, plat, gpus = shape
    v = variant(node)
    if (v is not None and plat and v not in plat) or (v == "gpu" and not gpus):
        return 0
    left = {r["name"]: r.get("integerValue", 0) for r in node.get("remainingResources", [])}
    n = min(
        left.get("CPU", 0) // cpu if cpu else UNBOUNDED,
        left.get("MEMORY", 0) // mem if mem else UNBOUNDED,
    )
    if gpus:
        free = sum(
            len(r.get("stringSetValue") or []) or r.get("integerValue", 0)
            for r in node.get("remainingResources", [])
            if r["name"] == "GPU"
        )
        n = min(n, free // gpus)
    return max(0, n)


def measure(cluster):
    ecs, versions = boto3.client("ecs", config=CONFIG), active_versions(cluster)
    arns = [
        a
        for p in ecs.get_paginator("list_container_instances").paginate(cluster=cluster)
        for a in p["containerInstanceArns"]
    ]
    nodes = [
        n
        for i in range(0, len(arns), 100)
        for n in ecs.describe_container_instances(
            cluster=cluster, containerInstances=arns[i : i + 100]
        )["containerInstances"]
    ]
    usable = [
        n
        for n in nodes
        if n["status"] == "ACTIVE"
        and any(
            a["name"] == "asg_version" and a.get("value") in versions
            for a in n.get("attributes", [])
        )
    ]
    arns = [
        a
        for p in ecs.get_paginator("list_services").paginate(cluster=cluster)
        for a in p["serviceArns"]
    ]
    services = [
        s
        for i in range(0, len(arns), 10)
        for s in ecs.describe_services(cluster=cluster, services=arns[i : i + 10])["services"]
    ]
    # Daemon services follow the instances; they never ask for more of them.
    wanted = [
        s
        for s in services
        if s["status"] == "ACTIVE"
        and s["desiredCount"] > 0
        and s.get("schedulingStrategy") != "DAEMON"
    ]
    # With no instance ECS creates no pending task, so demand is what is neither running nor
    # pending.
    demand = sum(max(0, s["desiredCount"] - s["runningCount"] - s["pendingCount"]) for s in wanted)
    headroom = UNBOUNDED  # nothing wanted: an empty cluster must not scale straight back out
    defs = {
        arn: ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
        for arn in {s["taskDefinition"] for s in wanted}
    }
    for shape in {task_shape(defs[s["taskDefinition"]], s) for s in wanted}:
        # The largest task is the one that fits the fewest times.
        headroom = min(headroom, sum(fits(n, shape) for n in usable))
    return headroom, demand


def handler(event, context):
    cluster = os.environ["CLUSTER_NAME"]
    headroom, demand = measure(cluster)
    dims = [{"Name": "ClusterName", "Value": cluster}]
    boto3.client("cloudwatch", config=CONFIG).put_metric_data(
        Namespace=os.environ["METRIC_NAMESPACE"],
        MetricData=[
            {"MetricName": "Headroom", "Dimensions": dims, "Value": headroom, "Unit": "Count"},
            {"MetricName": "UnplacedDemand", "Dimensions": dims, "Value": demand, "Unit": "Count"},
        ],
    )
    print(f"headroom={headroom} demand={demand}")
    return {"headroom": headroom, "demand": demand}
