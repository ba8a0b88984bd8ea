# Scaler: one capacity decision per cluster per cooldown, and the step-by-step retirement of
# inactive compute stacks.
import json
import os
import re
import time

import boto3
from botocore.exceptions import ClientError

# Node attribute "<reason>:<epoch>": why we drain it and since when (shared with the drainer).
MARK = "ecsgen_drain"


def setting(name, default):
    return int(os.environ.get(name, default))


def complete_lifecycle(asg, instance_id):
    # Its own function so tests can stub it: moto does not implement the call.
    boto3.client("autoscaling").complete_lifecycle_action(
        LifecycleHookName="ecsgen-drain",
        AutoScalingGroupName=asg,
        InstanceId=instance_id,
        LifecycleActionResult="CONTINUE",
    )


class Scaler:
    def __init__(self):
        self.cluster = os.environ["CLUSTER_NAME"]
        self.now = time.time()
        self.actions = []
        self.ecs = boto3.client("ecs")
        self.ec2 = boto3.client("ec2")
        self.asg = boto3.client("autoscaling")

    def log(self, what):
        print(what)
        self.actions.append(what)
        return True

    def load(self):
        # Exact name match plus the Version output, so "<cluster>2-compute-x" is never ours.
        pattern = re.compile(re.escape(self.cluster) + r"-compute-([A-Za-z0-9-]+)")
        self.stacks = []
        for page in boto3.client("cloudformation").get_paginator("describe_stacks").paginate():
            for s in page["Stacks"]:
                m = pattern.fullmatch(s["StackName"])
                out = {o["OutputKey"]: o["OutputValue"] for o in s.get("Outputs", [])}
                if (
                    m
                    and out.get("Version") == m.group(1)
                    and out.get("Status") in ("active", "inactive")
                ):
                    self.stacks.append(
                        {
                            "name": s["StackName"],
                            "version": m.group(1),
                            "created": s["CreationTime"],
                            "active": out["Status"] == "active",
                            "autoscaling": out.get("Autoscaling") == "true",
                            "fleets": [
                                json.loads(v) for k, v in out.items() if k.startswith("SpotFleet")
                            ],
                            "asgs": [
                                json.loads(v)
                                for k, v in out.items()
                                if k.startswith("AutoScalingGroup")
                            ],
                        }
                    )
        self.stacks.sort(key=lambda s: s["created"])
        self.group_of = {}  # instance id -> (stack, fleet or ASG output, weight)
        leaving = set()
        for st in self.stacks:
            for f in st["fleets"]:
                try:
                    cfg = self.ec2.describe_spot_fleet_requests(SpotFleetRequestIds=[f["id"]])[
                        "SpotFleetRequestConfigs"
                    ]
                    running = self.ec2.describe_spot_fleet_instances(
                        SpotFleetRequestId=f["id"], MaxResults=1000
                    )
                    f["target"] = cfg[0]["SpotFleetRequestConfig"]["TargetCapacity"]
                except (ClientError, IndexError) as e:
                    self.log(f"fleet {f['id']} unreadable: {e}")
                    continue
                for i in running["ActiveInstances"]:
                    self.group_of[i["InstanceId"]] = (
                        st,
                        f,
                        f.get("weights", {}).get(i["InstanceType"], 1),
                    )
            names = {a["name"]: a for a in st["asgs"]}
            for g in (
                self.asg.describe_auto_scaling_groups(AutoScalingGroupNames=list(names))[
                    "AutoScalingGroups"
                ]
                if names
                else []
            ):
                for i in g["Instances"]:
                    self.group_of[i["InstanceId"]] = (st, names[g["AutoScalingGroupName"]], 1)
                    if i["LifecycleState"].startswith("Terminat"):
                        leaving.add(i["InstanceId"])
        arns = [
            a
            for p in self.ecs.get_paginator("list_container_instances").paginate(
                cluster=self.cluster
            )
            for a in p["containerInstanceArns"]
        ]
        self.nodes = []
        for i in range(0, len(arns), 100):
            for n in self.ecs.describe_container_instances(
                cluster=self.cluster, containerInstances=arns[i : i + 100]
            )["containerInstances"]:
                a = {x["name"]: x.get("value") for x in n.get("attributes", [])}
                reason, _, since = (a.get(MARK) or "").partition(":")
                n.update(
                    id=n["ec2InstanceId"],
                    arn=n["containerInstanceArn"],
                    reason=reason or None,
                    since=int(since) if since.isdigit() else self.now,
                    tasks=n["runningTasksCount"] + n["pendingTasksCount"],
                    stack=next(
                        (s for s in self.stacks if s["version"] == a.get("asg_version")), None
                    ),
                )
                self.nodes.append(n)
        ids = sorted(set(self.group_of) | {n["id"] for n in self.nodes})
        self.live = set()
        for i in range(0, len(ids), 200):
            for page in self.ec2.get_paginator("describe_instances").paginate(
                Filters=[
                    {"Name": "instance-id", "Values": ids[i : i + 200]},
                    {"Name": "instance-state-name", "Values": ["pending", "running"]},
                ]
            ):
                self.live.update(
                    x["InstanceId"] for r in page["Reservations"] for x in r["Instances"]
                )
        self.owner = {i: g for i, g in self.group_of.items() if i in self.live and i not in leaving}

    def mark(self, n, reason=None, since=None):
        # Without a reason the attribute keeps no value (DeleteAttributes would want none, moto
        # one).
        attribute = {"name": MARK, "targetId": n["arn"]}
        if reason:
            attribute["value"] = f"{reason}:{int(since or self.now)}"
        self.ecs.put_attributes(cluster=self.cluster, attributes=[attribute])
        n["reason"], n["since"] = reason, since or self.now

    def set_status(self, n, status, reason=None):
        self.mark(n, reason)
        self.ecs.update_container_instances_state(
            cluster=self.cluster, containerInstances=[n["arn"]], status=status
        )
        n["status"] = status
        return self.log(f"{n['id']} {status} {reason or ''}")

    def forget(self, n):
        self.ecs.deregister_container_instance(
            cluster=self.cluster, containerInstance=n["arn"], force=True
        )
        self.nodes.remove(n)

    def drained(self, n):
        # Its tasks have moved, or its group's drain timeout has passed.
        return not n["tasks"] or self.now - n["since"] >= self.group_of.get(n["id"], (0, {}))[
            1
        ].get("drain_timeout", 300)

    def resize(self, f, target):
        # noTermination on every call: the fleet must never choose which instance goes, we do.
        before, f["target"] = f["target"], max(0, target)
        self.ec2.modify_spot_fleet_request(
            SpotFleetRequestId=f["id"],
            TargetCapacity=f["target"],
            ExcessCapacityTerminationPolicy="noTermination",
        )
        return self.log(f"fleet {f['id']} {before} -> {f['target']}")

    def terminate(self, iid, n=None):
        st, group, weight = self.group_of.get(iid, (None, {}, 0))
        if "target" in group:  # lower the fleet first, so it does not replace the instance
            self.resize(group, group["target"] - weight)
            self.ec2.terminate_instances(InstanceIds=[iid])
            if n:
                self.forget(n)
        elif "name" in group:  # the hook fires next; the drained node's action is completed at once
            if n:
                self.mark(n, "lifecycle", n["since"])
            self.asg.terminate_instance_in_auto_scaling_group(
                InstanceId=iid, ShouldDecrementDesiredCapacity=True
            )
        else:
            self.log(f"{iid}: not in a readable fleet or group, left alone")
            return False
        self.owner.pop(iid, None)
        return self.log(f"terminate {iid} of {st['name']}")

    def tidy(self):
        for n in list(self.nodes):
            if n["id"] not in self.live:
                self.forget(n)  # a gone instance's registration lingers a while; no task runs there
            elif n["reason"] == "lifecycle" and self.drained(n):
                try:
                    complete_lifecycle(self.group_of[n["id"]][1]["name"], n["id"])
                    self.forget(n)
                    self.log(f"{n['id']} lifecycle action completed")
                except (ClientError, KeyError) as e:
                    self.log(f"{n['id']} lifecycle action not completed: {e}")
            elif n["status"] != "DRAINING" or n["reason"] not in ("retire", "scale-in"):
                continue
            elif n["reason"] == "retire" and n["stack"] and n["stack"]["active"]:
                self.set_status(n, "ACTIVE")  # its stack was re-activated by hand
            elif self.drained(n):
                self.terminate(n["id"], n)

    def retire(self, st):
        # One step of an inactive stack: its never-registered instances go at once, else one more
        # node drains.
        mine = [n for n in self.nodes if n["stack"] is st]
        strays = [
            i for i, g in self.owner.items() if g[0] is st and i not in {n["id"] for n in mine}
        ]
        if strays:
            return any([self.terminate(i) for i in strays])
        if any(n["status"] == "DRAINING" for n in mine):
            return False
        ready = sorted((n for n in mine if n["status"] == "ACTIVE"), key=lambda n: n["tasks"])
        if ready:
            return self.set_status(ready[0], "DRAINING", "retire")
        for f in st["fleets"]:
            if f.get("target"):  # no instance left, yet capacity still asked for
                self.resize(f, 0)
        return False

    def metrics(self):
        cw = boto3.client("cloudwatch")
        values = []
        for name in ("Headroom", "UnplacedDemand"):
            points = cw.get_metric_statistics(
                Namespace=os.environ["METRIC_NAMESPACE"],
                MetricName=name,
                Period=60,
                Statistics=["Average"],
                Dimensions=[{"Name": "ClusterName", "Value": self.cluster}],
                StartTime=self.now - 180,
                EndTime=self.now + 60,
            )["Datapoints"]
            if not points:
                return None, None
            values.append(max(points, key=lambda p: p["Timestamp"])["Average"])
        return values

    def decide(self):
        headroom, demand = self.metrics()
        if headroom is None:
            self.log("no recent capacity metric, no decision")
            return False
        fleets = [
            f
            for st in self.stacks
            if st["active"] and st["autoscaling"]
            for f in st["fleets"]
            if "target" in f
        ]
        shrinking = [
            n for n in self.nodes if n["reason"] == "scale-in" and n["status"] == "DRAINING"
        ]
        grow = [
            f
            for f in fleets
            if (demand > 0 or headroom < f["task_threshold_out"]) and f["target"] < f["max_weight"]
        ]
        if grow:
            self.log(f"scale out: headroom {headroom}, demand {demand}")
            if shrinking:  # taking back a draining node is cheaper than a new one
                return any([self.set_status(n, "ACTIVE") for n in shrinking])
            f = max(grow, key=lambda f: f["max_weight"] - f["target"])
            # Two instances' worth, of the biggest type.
            return self.resize(
                f,
                min(
                    f["max_weight"], f["target"] + 2 * max(f.get("weights", {}).values(), default=1)
                ),
            )
        if demand or shrinking or any(n["pendingTasksCount"] for n in self.nodes):
            return False
        grace = setting("SMOKE_TEST_GRACE_SECONDS", 900)

        def removable(n):
            st, f, w = self.owner.get(n["id"], (None, None, 0))
            return (
                n["status"] == "ACTIVE"
                and any(f is x for x in fleets)
                and headroom > f["task_threshold_in"]
                and f["target"] - w >= f["min_weight"]
                and self.now - n["registeredAt"].timestamp() >= grace
            )

        candidates = [n for n in self.nodes if removable(n)]
        if not candidates:
            return False
        # The oldest version's nodes go first, the least loaded of them first.
        n = min(
            candidates,
            key=lambda n: (self.owner[n["id"]][0]["created"], n["tasks"], n["registeredAt"]),
        )
        if not any(
            m is not n and m["status"] == "ACTIVE" and (m["stack"] or {}).get("active")
            for m in self.nodes
        ) and any(m["tasks"] for m in self.nodes):
            return False  # the last active node goes only when nothing runs
        return self.set_status(n, "DRAINING", "scale-in")


def handler(event, context):
    s = Scaler()
    ssm = boto3.client("ssm")
    name = os.environ["STATE_PARAMETER"]
    try:
        state = json.loads(ssm.get_parameter(Name=name)["Parameter"]["Value"] or "{}")
    except (ClientError, ValueError):
        state = {}
    old = json.dumps(state, sort_keys=True)
    s.load()
    s.tidy()
    # Inactive stacks deflate on their own clocks, whatever Autoscaling says, never blocking the
    # active decision.
    clocks = state.get("retire", {})
    state["retire"] = {st["name"]: clocks.get(st["name"], 0) for st in s.stacks if not st["active"]}
    for st in s.stacks:
        if (
            not st["active"]
            and s.now - state["retire"][st["name"]] >= setting("INACTIVE_STEP_SECONDS", 60)
            and s.retire(st)
        ):
            state["retire"][st["name"]] = s.now
    if s.now - state.get("active", 0) >= setting("COOLDOWN_SECONDS", 300) and s.decide():
        state["active"] = s.now
    if json.dumps(state, sort_keys=True) != old:
        ssm.put_parameter(Name=name, Value=json.dumps(state), Type="String", Overwrite=True)
    return {"actions": s.actions}
