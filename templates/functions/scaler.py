# Scaler: one capacity decision per cluster per cooldown, and the step-by-step retirement of inactive compute stacks.
import json
import os
import re
import time
from datetime import datetime, timedelta, timezone

import boto3
from botocore.exceptions import ClientError

HOOK = "ecsgen-drain"
MARK = "ecsgen_drain"  # container instance attribute "<reason>:<epoch>": why we drain it and since when


def setting(name, default):
    return int(os.environ.get(name, default))


def complete_lifecycle(asg, instance_id):
    # Its own function so tests can stub it: moto does not implement the call.
    boto3.client("autoscaling").complete_lifecycle_action(
        LifecycleHookName=HOOK, AutoScalingGroupName=asg, InstanceId=instance_id, LifecycleActionResult="CONTINUE")


def attr(node, name):
    return next((a.get("value") for a in node.get("attributes", []) if a["name"] == name), None)


def mark(node):
    reason, _, since = (attr(node, MARK) or "").partition(":")
    return (reason, float(since)) if since.isdigit() else (None, None)


def tasks(node):
    return node["runningTasksCount"] + node["pendingTasksCount"]


class Scaler:
    def __init__(self):
        self.cluster = os.environ["CLUSTER_NAME"]
        self.now = time.time()
        self.ecs, self.ec2, self.asg, self.cfn = (boto3.client(n) for n in ("ecs", "ec2", "autoscaling", "cloudformation"))
        self.actions = []

    def log(self, what):
        print(what)
        self.actions.append(what)
        return True

    def load_stacks(self):
        # Exact name match plus the Version output, so "<cluster>2-compute-x" is never ours.
        pattern = re.compile(re.escape(self.cluster) + r"-compute-([A-Za-z0-9-]+)")
        self.stacks = []
        for page in self.cfn.get_paginator("describe_stacks").paginate():
            for s in page["Stacks"]:
                m = pattern.fullmatch(s["StackName"])
                out = {o["OutputKey"]: o["OutputValue"] for o in s.get("Outputs", [])}
                if not m or out.get("Version") != m.group(1) or out.get("Status") not in ("active", "inactive"):
                    continue
                self.stacks.append({
                    "name": s["StackName"], "version": m.group(1), "created": s["CreationTime"],
                    "active": out["Status"] == "active", "autoscaling": out.get("Autoscaling") == "true",
                    "fleets": [json.loads(v) for k, v in out.items() if k.startswith("SpotFleet")],
                    "asgs": [json.loads(v) for k, v in out.items() if k.startswith("AutoScalingGroup")]})
        self.stacks.sort(key=lambda s: s["created"])

    def load_instances(self):
        # group_of: instance id -> (stack, fleet or ASG output, weight); owner: the same without ASG instances
        # already on their way out.
        self.group_of, leaving = {}, set()
        for st in self.stacks:
            for f in st["fleets"]:
                try:
                    cfg = self.ec2.describe_spot_fleet_requests(SpotFleetRequestIds=[f["id"]])["SpotFleetRequestConfigs"]
                    f["target"] = cfg[0]["SpotFleetRequestConfig"]["TargetCapacity"]
                    running = self.ec2.describe_spot_fleet_instances(SpotFleetRequestId=f["id"], MaxResults=1000)
                except (ClientError, IndexError) as e:
                    self.log(f"fleet {f['id']} of {st['name']} unreadable: {e}")
                    continue
                for i in running["ActiveInstances"]:
                    self.group_of[i["InstanceId"]] = (st, f, f.get("weights", {}).get(i["InstanceType"], 1))
            if st["asgs"]:
                names = [a["name"] for a in st["asgs"]]
                for g in self.asg.describe_auto_scaling_groups(AutoScalingGroupNames=names)["AutoScalingGroups"]:
                    a = st["asgs"][names.index(g["AutoScalingGroupName"])]
                    for i in g["Instances"]:
                        self.group_of[i["InstanceId"]] = (st, a, 1)
                        if i["LifecycleState"].startswith("Terminat"):
                            leaving.add(i["InstanceId"])
        arns = [a for p in self.ecs.get_paginator("list_container_instances").paginate(cluster=self.cluster)
                for a in p["containerInstanceArns"]]
        self.nodes = []
        for i in range(0, len(arns), 100):
            self.nodes += self.ecs.describe_container_instances(
                cluster=self.cluster, containerInstances=arns[i:i + 100])["containerInstances"]
        ids, self.live = sorted(set(self.group_of) | {n["ec2InstanceId"] for n in self.nodes}), set()
        for i in range(0, len(ids), 200):
            for page in self.ec2.get_paginator("describe_instances").paginate(Filters=[
                    {"Name": "instance-id", "Values": ids[i:i + 200]},
                    {"Name": "instance-state-name", "Values": ["pending", "running"]}]):
                self.live.update(x["InstanceId"] for r in page["Reservations"] for x in r["Instances"])
        self.owner = {i: g for i, g in self.group_of.items() if i in self.live and i not in leaving}
        for n in self.nodes:
            n["version"] = attr(n, "asg_version")

    def stack_of(self, node):
        return next((s for s in self.stacks if s["version"] == node["version"]), None)

    def set_mark(self, node, reason, since=None):
        value = f"{reason}:{int(since or self.now)}"
        self.ecs.put_attributes(cluster=self.cluster, attributes=[
            {"name": MARK, "value": value, "targetId": node["containerInstanceArn"]}])
        node["attributes"] = [a for a in node.get("attributes", []) if a["name"] != MARK] + [{"name": MARK, "value": value}]

    def set_state(self, node, status):
        self.ecs.update_container_instances_state(
            cluster=self.cluster, containerInstances=[node["containerInstanceArn"]], status=status)
        node["status"] = status

    def drain(self, node, reason):
        self.set_mark(node, reason)
        self.set_state(node, "DRAINING")
        return self.log(f"drain {node['ec2InstanceId']} ({reason})")

    def undrain(self, node):
        if attr(node, MARK):
            self.ecs.delete_attributes(cluster=self.cluster, attributes=[
                {"name": MARK, "value": attr(node, MARK), "targetId": node["containerInstanceArn"]}])
        self.set_state(node, "ACTIVE")
        return self.log(f"activate {node['ec2InstanceId']}")

    def forget(self, node):
        self.ecs.deregister_container_instance(
            cluster=self.cluster, containerInstance=node["containerInstanceArn"], force=True)
        self.nodes.remove(node)

    def drained(self, node):
        # Its tasks have moved, or its group's drain timeout has passed.
        group = self.group_of.get(node["ec2InstanceId"], (None, {}, 0))[1]
        return tasks(node) == 0 or self.now - (mark(node)[1] or self.now) >= group.get("drain_timeout", 300)

    def shrink_fleet(self, fleet, weight):
        # noTermination on every call: the fleet must never pick the instance to kill, we do.
        fleet["target"] = max(0, fleet["target"] - weight)
        self.ec2.modify_spot_fleet_request(SpotFleetRequestId=fleet["id"], TargetCapacity=fleet["target"],
                                           ExcessCapacityTerminationPolicy="noTermination")

    def terminate(self, instance_id, node=None):
        st, group, weight = self.group_of.get(instance_id, (None, None, 0))
        if group is None or ("id" in group and "target" not in group):
            self.log(f"{instance_id}: not in a readable fleet or group, left alone")
            return False
        self.owner.pop(instance_id, None)
        if "id" in group:
            self.shrink_fleet(group, weight)
            self.ec2.terminate_instances(InstanceIds=[instance_id])
            if node:
                self.forget(node)
        else:
            if node:  # the hook fires next; the node is drained, so its action is completed at once
                self.set_mark(node, "lifecycle", mark(node)[1])
            self.asg.terminate_instance_in_auto_scaling_group(InstanceId=instance_id, ShouldDecrementDesiredCapacity=True)
        return self.log(f"terminate {instance_id} of {st['name']}")

    def tidy(self):
        for n in list(self.nodes):
            reason = mark(n)[0]
            st = self.stack_of(n)
            if n["ec2InstanceId"] not in self.live:
                # Gone instances leave registrations behind for a while; they hold no tasks.
                self.forget(n)
            elif reason == "lifecycle" and self.drained(n):
                group = self.group_of.get(n["ec2InstanceId"], (None, {}, 0))[1]
                try:
                    complete_lifecycle(group["name"], n["ec2InstanceId"])
                    self.forget(n)
                    self.log(f"complete lifecycle action of {n['ec2InstanceId']}")
                except (ClientError, KeyError) as e:
                    self.log(f"lifecycle action of {n['ec2InstanceId']} not completed: {e}")
            elif st and st["active"] and n["status"] == "DRAINING" and reason in (None, "retire"):
                self.undrain(n)  # re-activated by hand
            elif reason in ("retire", "scale-in") and n["status"] == "DRAINING" and self.drained(n):
                self.terminate(n["ec2InstanceId"], n)

    def retire(self, st):
        # One step for an inactive stack: kill never-registered instances, or drain one more node.
        mine = [n for n in self.nodes if n["version"] == st["version"]]
        registered = {n["ec2InstanceId"] for n in mine}
        strays = [i for i, g in self.owner.items() if g[0] is st and i not in registered]
        if strays:
            return any([self.terminate(i) for i in strays])
        if any(n["status"] == "DRAINING" for n in mine):
            return False
        ready = sorted((n for n in mine if n["status"] == "ACTIVE"), key=tasks)
        if ready:
            return self.drain(ready[0], "retire")
        for f in st["fleets"]:
            if f.get("target"):
                self.shrink_fleet(f, f["target"])
                self.log(f"fleet {f['id']} of {st['name']} emptied")
        return False

    def metrics(self):
        cw, end = boto3.client("cloudwatch"), datetime.now(timezone.utc)
        values = []
        for name in ("Headroom", "UnplacedDemand"):
            points = cw.get_metric_statistics(
                Namespace=os.environ["METRIC_NAMESPACE"], MetricName=name, Period=60, Statistics=["Average"],
                Dimensions=[{"Name": "ClusterName", "Value": self.cluster}],
                StartTime=end - timedelta(seconds=180), EndTime=end + timedelta(seconds=60))["Datapoints"]
            if not points:
                return None, None
            values.append(max(points, key=lambda p: p["Timestamp"])["Average"])
        return values

    def decide(self):
        headroom, demand = self.metrics()
        if headroom is None:
            self.log("no recent capacity metric, no decision")
            return False
        fleets = [(st, f) for st in self.stacks if st["active"] and st["autoscaling"]
                  for f in st["fleets"] if f.get("target") is not None]
        shrinking = [n for n in self.nodes if mark(n)[0] == "scale-in"]
        grow = [f for st, f in fleets if (demand > 0 or headroom < f["task_threshold_out"]) and f["target"] < f["max_weight"]]
        if grow:
            if shrinking:  # taking back a draining node is cheaper than a new one
                return any([self.undrain(n) for n in shrinking])
            f = max(grow, key=lambda f: f["max_weight"] - f["target"])
            step = 2 * max(f.get("weights", {}).values(), default=1)  # two instances' worth, of the biggest type
            before = f["target"]
            f["target"] = min(f["max_weight"], before + step)
            self.ec2.modify_spot_fleet_request(SpotFleetRequestId=f["id"], TargetCapacity=f["target"],
                                               ExcessCapacityTerminationPolicy="noTermination")
            return self.log(f"scale out {f['id']} {before}->{f['target']} (headroom {headroom}, demand {demand})")
        if demand or shrinking or any(n["pendingTasksCount"] for n in self.nodes):
            return False
        grace = setting("SMOKE_TEST_GRACE_SECONDS", 900)
        candidates = []
        for n in self.nodes:
            st, g, w = self.owner.get(n["ec2InstanceId"], (None, None, 0))
            if (n["status"] == "ACTIVE" and any(g is f for _, f in fleets) and headroom > g["task_threshold_in"]
                    and g["target"] - w >= g["min_weight"] and self.now - n["registeredAt"].timestamp() >= grace):
                candidates.append(n)
        if not candidates:
            return False
        # The oldest version's nodes go first, the least loaded of them first.
        n = min(candidates, key=lambda n: (self.stack_of(n)["created"], tasks(n), n["registeredAt"]))
        others = [m for m in self.nodes if m is not n and m["status"] == "ACTIVE"]
        if not others and any(tasks(m) for m in self.nodes):
            return False  # scale to zero only when nothing runs
        return self.drain(n, "scale-in")


def load_state(ssm):
    try:
        return json.loads(ssm.get_parameter(Name=os.environ["STATE_PARAMETER"])["Parameter"]["Value"] or "{}")
    except (ClientError, ValueError):
        return {}


def handler(event, context):
    s, ssm = Scaler(), boto3.client("ssm")
    state = load_state(ssm)
    old = json.dumps(state, sort_keys=True)
    s.load_stacks()
    s.load_instances()
    s.tidy()
    # Inactive stacks deflate on their own clocks, whatever Autoscaling says, never blocking the active decision.
    clocks = state.get("retire", {})
    state["retire"] = {st["name"]: clocks.get(st["name"], 0) for st in s.stacks if not st["active"]}
    for st in s.stacks:
        if not st["active"] and s.now - state["retire"][st["name"]] >= setting("INACTIVE_STEP_SECONDS", 60):
            if s.retire(st):
                state["retire"][st["name"]] = s.now
    if s.now - state.get("active", 0) >= setting("COOLDOWN_SECONDS", 300) and s.decide():
        state["active"] = s.now
    if json.dumps(state, sort_keys=True) != old:
        ssm.put_parameter(Name=os.environ["STATE_PARAMETER"], Value=json.dumps(state), Type="String", Overwrite=True)
    return {"actions": s.actions}
