# Scaler: sizes the active fleets to the tasks that must run and retires inactive compute stacks,
# never terminating a node that runs a task (README, "The lifecycle's promises": I1-I8).
import json
import math
import os
import re
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

MARK = "ecsgen_drain"  # node attribute "<reason>:<epoch>" (CONTRACT.md), shared with the drainer
INF = 1000000
CONFIG = Config(retries={"mode": "adaptive", "max_attempts": 8})
# instance type -> (CPU units, MiB, GPUs) from DescribeInstanceTypes (GpuInfo), kept while Lambda
# keeps the module: AWS's own table of what each type has.
SIZES = {}
# task definition ARN -> (CPU units, MiB, platform, GPUs): the image variants (CONTRACT.md: a
# fleet's "variant") the task may run on, most preferred first, () when it names none (any
# architecture); and the GPUs its containers reserve (resourceRequirements), 0 when none.
TASKDEFS = {}
ARCH = re.compile(r"attribute:ecs\.cpu-architecture\s*==\s*(arm64|x86_64)")


def compute_stack_name():
    # A compute stack is exactly <STACK_COMPUTE_PREFIX><VERSION>: both from the
    # names table, through the environment (templates/CONTRACT.md).
    return re.compile(
        re.escape(os.environ["STACK_COMPUTE_PREFIX"]) + "([" + os.environ["VERSION_CHARS"] + "]+)"
    )


def setting(name, default):
    return int(os.environ.get(name, default))


def accepts(variant, plat):
    # A node or fleet of variant (None: facts from before variants, any) runs a task of plat.
    return variant is None or not plat or variant in plat


def grows_on(variant, plat):
    # The variant whose fleets grow for a task of plat: its first choice; a task naming no
    # architecture grows a fleet without GPUs (it may land on either architecture).
    return variant is None or (variant == plat[0] if plat else variant != "gpu")


def platform(d, service):
    # runtimePlatform.cpuArchitecture, an ecs.cpu-architecture placement constraint, and GPU
    # resource requirements decide where a task may run.
    cs = d.get("containerDefinitions", [])
    if any(r.get("type") == "GPU" for c in cs for r in c.get("resourceRequirements") or []):
        return ("gpu",)
    arch = ((d.get("runtimePlatform") or {}).get("cpuArchitecture") or "").lower()
    exprs = " ".join(
        c.get("expression", "")
        for c in (d.get("placementConstraints") or []) + (service.get("placementConstraints") or [])
    )
    m = ARCH.search(exprs)
    arch = arch or (m.group(1) if m else "")
    return {"arm64": ("arm64",), "x86_64": ("x86_64", "gpu")}.get(arch, ())


def gpus(d):
    # The GPUs a task reserves: the sum of its containers' GPU resource requirements; ECS places
    # it only where that many GPUs are free.
    # https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ResourceRequirement.html
    return sum(
        int(r.get("value") or 0)
        for c in d.get("containerDefinitions", [])
        for r in c.get("resourceRequirements") or []
        if r.get("type") == "GPU"
    )


def fits(free, size):
    # free is a bin [cpu, mem, variant, gpus], size a task (cpu, mem, platform, gpus): GPUs count
    # only for tasks that reserve some.
    n = min(free[0] // size[0] if size[0] else INF, free[1] // size[1] if size[1] else INF)
    if len(size) > 3 and size[3]:
        n = min(n, (free[3] if len(free) > 3 else 0) // size[3])
    return max(0, n)


def pack(bins, need):
    # Places need ({(cpu, mem): count}) into bins ([cpu, mem], changed in place); returns what found
    # no room.
    # need's keys are (cpu, mem, platform) and bins [cpu, mem, variant]: a task goes where its
    # platform allows, the most particular first, then the largest.
    left = {}
    for size, count in sorted(
        need.items(), key=lambda kv: (len(kv[0][2]) or 9, -kv[0][0], -kv[0][1])
    ):
        for b in bins:
            if not accepts(b[2], size[2]):
                continue
            k = min(count, fits(b, size))
            b[0], b[1], count = b[0] - k * size[0], b[1] - k * size[1], count - k
            if len(size) > 3 and size[3]:
                b[3] -= k * size[3]
        if count:
            left[size] = count
    return left


def size(t):
    # What ECS will register for an instance type: its CPU, and somewhat less memory than the type
    # has.
    return [SIZES[t][0], int(SIZES[t][1] * 0.9)]


def node_bin(t, variant):
    # A node of instance type t that is not registered yet, as a bin.
    return size(t) + [variant, SIZES[t][2] if len(SIZES[t]) > 2 else 0]


def free_bin(n):
    # A registered node's free room, as a bin.
    return list(n["free"]) + [n["variant"], n["gpus"]]


def spare(bins, sizes):
    # How many more tasks of the hardest size would fit: the capacity metric's Headroom.  A task
    # that reserves no GPU keeps its headroom off the GPU nodes: their room is for GPU tasks.
    return min(
        [
            sum(
                fits(b, s)
                for b in bins
                if accepts(b[2], s[2]) and (b[2] != "gpu" or (len(s) > 3 and s[3]))
            )
            for s in sizes
        ]
        or [INF]
    )


def variant_of(n, g):
    # A node's image variant: its fleet's or group's facts, else what its agent registered.
    if g and g[1].get("variant"):
        return g[1]["variant"]
    a = {x["name"]: x.get("value") for x in n.get("attributes", [])}
    if any(r["name"] == "GPU" for r in n.get("registeredResources", [])):
        return "gpu"
    return a.get("ecs.cpu-architecture")


class Scaler:
    def __init__(self):
        self.cluster, self.now, self.actions, self.reasons = (
            os.environ["CLUSTER_NAME"],
            time.time(),
            [],
            [],
        )
        # What the alarms watch (emitters/cfn_alarms.c): inactive versions whose retirement
        # waits, and tasks that fit no bid.
        self.waiting, self.unfit, self.nodes = 0, 0, []
        # The on-demand fallback: switches to on-demand and back this run, units on-demand asked
        # for but not launched (a cap), and the on-demand instances.
        self.switches, self.od_short, self.on_demand = 0, 0, set()
        self.ecs, self.ec2, self.asg = (
            boto3.client(n, config=CONFIG) for n in ("ecs", "ec2", "autoscaling")
        )

    def log(self, what):
        print(what)
        self.actions.append(what)
        return True

    def why(self, what):  # a reason something waits: logged, and counted in the Blocked metric
        self.reasons.append(what)
        print(what)

    def each(self, items, act):
        # One item's failure never aborts the run (I5): it is logged and tried again next run.
        for x in list(items):
            try:
                act(x)
            except ClientError as e:
                self.log(f"{x.get('id') or x.get('name')}: {e}")

    # --- what AWS reports now ---------------------------------------------------------------------
    def load(self):
        pattern, self.stacks = compute_stack_name(), []
        for page in (
            boto3.client("cloudformation", config=CONFIG)
            .get_paginator("describe_stacks")
            .paginate()
        ):
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
        self.group_of, self.hooked = (
            {},
            set(),
        )  # instance id -> (stack, fleet or group, weight); Terminating:Wait
        for st in self.stacks:
            for f in st["fleets"]:
                try:
                    self.read_fleet(st, f)
                except (
                    ClientError
                ) as e:  # a fleet that no longer exists is adopted (I7); anything else: no decision
                    if "NotFound" not in str(e):
                        raise
                    f["gone"] = self.log(f"fleet {f['id']} no longer exists")
            names = {a["name"]: a for a in st["asgs"]}
            for g in (
                self.asg.describe_auto_scaling_groups(AutoScalingGroupNames=list(names))[
                    "AutoScalingGroups"
                ]
                if names
                else []
            ):
                for i in g["Instances"]:
                    self.group_of[i["InstanceId"]] = (
                        st,
                        names[g["AutoScalingGroupName"]],
                        1,
                        i["InstanceType"],
                    )
                    if i["LifecycleState"] == "Terminating:Wait":
                        self.hooked.add(i["InstanceId"])
        self.services = [
            s
            for p in self.ecs.get_paginator("list_services").paginate(cluster=self.cluster)
            for i in range(0, len(p["serviceArns"]), 10)
            for s in self.ecs.describe_services(
                cluster=self.cluster, services=p["serviceArns"][i : i + 10]
            )["services"]
            if s["status"] == "ACTIVE"
        ]
        daemons = {
            s["serviceName"] for s in self.services if s.get("schedulingStrategy") == "DAEMON"
        }
        arns = [
            a
            for p in self.ecs.get_paginator("list_container_instances").paginate(
                cluster=self.cluster
            )
            for a in p["containerInstanceArns"]
        ]
        self.nodes, by_arn = [], {}
        for i in range(0, len(arns), 100):
            for n in self.ecs.describe_container_instances(
                cluster=self.cluster, containerInstances=arns[i : i + 100]
            )["containerInstances"]:
                a = {x["name"]: x.get("value") for x in n.get("attributes", [])}
                reason, _, since = (a.get(MARK) or "").partition(":")
                res = {r["name"]: r.get("integerValue", 0) for r in n["remainingResources"]}
                # ECS registers a node's GPUs as a set of GPU ids (STRINGSET).
                gpu = {
                    k: sum(
                        len(r.get("stringSetValue") or []) or r.get("integerValue", 0)
                        for r in n[k]
                        if r["name"] == "GPU"
                    )
                    for k in ("registeredResources", "remainingResources")
                }
                n.update(
                    id=n["ec2InstanceId"],
                    arn=n["containerInstanceArn"],
                    reason=reason or None,
                    since=int(since) if since.isdigit() else self.now,
                    service={},
                    jobs=0,
                    free=[res.get("CPU", 0), res.get("MEMORY", 0)],
                    gpus=gpu["remainingResources"],
                    gpus_registered=gpu["registeredResources"],
                    size=tuple(
                        {r["name"]: r.get("integerValue", 0) for r in n["registeredResources"]}.get(
                            k, 0
                        )
                        for k in ("CPU", "MEMORY")
                    ),
                    stack=next(
                        (s for s in self.stacks if s["version"] == a.get("asg_version")), None
                    ),
                )
                n["variant"] = variant_of(n, self.group_of.get(n["id"]))
                self.nodes.append(n)
                by_arn[n["arn"]] = n
        # Which tasks run where: service tasks can move, standalone ones finish where they run (I3).
        tasks = [
            a
            for p in self.ecs.get_paginator("list_tasks").paginate(cluster=self.cluster)
            for a in p["taskArns"]
        ]
        for i in range(0, len(tasks), 100):
            for t in self.ecs.describe_tasks(cluster=self.cluster, tasks=tasks[i : i + 100])[
                "tasks"
            ]:
                n, group = by_arn.get(t.get("containerInstanceArn")), t.get("group") or ""
                if n is None or t["lastStatus"] == "STOPPED":
                    continue
                if group.startswith("service:"):
                    if group[8:] not in daemons:
                        n["service"][group[8:]] = n["service"].get(group[8:], 0) + 1
                else:
                    n["jobs"] += 1
        ids, self.live = sorted(set(self.group_of) | {n["id"] for n in self.nodes}), set()
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
        types = sorted(
            {t for st in self.stacks for f in st["fleets"] for t in f.get("weights", {})}
            - set(SIZES)
        )
        for i in range(0, len(types), 100):
            for t in self.ec2.describe_instance_types(InstanceTypes=types[i : i + 100])[
                "InstanceTypes"
            ]:
                SIZES[t["InstanceType"]] = (
                    t["VCpuInfo"]["DefaultVCpus"] * 1024,
                    t["MemoryInfo"]["SizeInMiB"],
                    sum(g.get("Count", 0) for g in (t.get("GpuInfo") or {}).get("Gpus", [])),
                )
        for n in self.nodes:  # a registered node of a type tells its real size
            t = self.group_of.get(n["id"], (0, 0, 0, None))[3]
            if t:
                SIZES[t] = (n["size"][0], math.ceil(n["size"][1] / 0.9), n["gpus_registered"])

    def read_fleet(self, st, f):
        fid = f["id"]
        if fid.startswith("fleet-"):  # EC2 Fleet (type maintain)
            d = self.ec2.describe_fleets(FleetIds=[fid])["Fleets"][0]
            f["target"], f["busy"] = (
                d["TargetCapacitySpecification"]["TotalTargetCapacity"],
                d["FleetState"] == "modifying",
            )
            f["od_target"] = d["TargetCapacitySpecification"].get("OnDemandTargetCapacity", 0)
            pages, token = [], None
            while not pages or token:
                pages.append(
                    self.ec2.describe_fleet_instances(
                        FleetId=fid, **({"NextToken": token} if token else {})
                    )
                )
                token = pages[-1].get("NextToken")
        else:  # a legacy Spot Fleet request
            d = self.ec2.describe_spot_fleet_requests(SpotFleetRequestIds=[fid])[
                "SpotFleetRequestConfigs"
            ][0]
            f["target"], f["busy"] = (
                d["SpotFleetRequestConfig"]["TargetCapacity"],
                d["SpotFleetRequestState"] == "modifying",
            )
            pages = self.ec2.get_paginator("describe_spot_fleet_instances").paginate(
                SpotFleetRequestId=fid
            )
        f["units"] = f["od_units"] = 0
        for p in pages:
            for i in p["ActiveInstances"]:
                w = f.get("weights", {}).get(i["InstanceType"], 1)
                self.group_of[i["InstanceId"]] = (st, f, w, i["InstanceType"])
                f["units"] += w
                if fid.startswith("fleet-") and not i.get("SpotInstanceRequestId"):
                    self.on_demand.add(i["InstanceId"])
                    f["od_units"] += w

    # --- actions, each computed from what AWS reports now (I5)
    # --------------------------------------
    def resize(self, f, target, od=None):
        # Never lets the fleet choose which instance goes: no termination on every call.  od: the
        # on-demand part too (the fallback); it stays where it is otherwise.
        low = f["min_weight"] if f.get("active") else 0
        od = f.get("od_target", 0) if od is None else od
        # max_weight bounds the spot part; the on-demand part comes on top of it.
        target = max(low, min(f["max_weight"] + od, target))
        od = max(0, min(od, target))
        if (target, od) == (f["target"], f.get("od_target", 0)) or f["busy"]:
            return (target, od) == (f["target"], f.get("od_target", 0)) or self.why(
                f"fleet {f['id']} is being modified: resized next run"
            )
        if f["id"].startswith("fleet-"):
            spec = {"TotalTargetCapacity": target}
            if od or f.get("od_target"):
                spec["OnDemandTargetCapacity"] = od
            self.ec2.modify_fleet(
                FleetId=f["id"],
                TargetCapacitySpecification=spec,
                ExcessCapacityTerminationPolicy="no-termination",
            )
            f["od_target"] = od
        else:
            self.ec2.modify_spot_fleet_request(
                SpotFleetRequestId=f["id"],
                TargetCapacity=target,
                ExcessCapacityTerminationPolicy="noTermination",
            )
        f["busy"], f["target"] = True, target
        return self.log(f"fleet {f['id']} target {target}")

    def mark(self, n, reason):
        # Without a reason the attribute keeps no value (DeleteAttributes would want none, moto
        # one).
        attribute = {"name": MARK, "targetId": n["arn"]}
        if reason:
            attribute["value"] = f"{reason}:{int(self.now)}"
        self.ecs.put_attributes(cluster=self.cluster, attributes=[attribute])
        n["reason"] = reason

    def drain(self, n, reason):
        self.mark(n, reason)  # first the mark, so a drained node always says why
        self.ecs.update_container_instances_state(
            cluster=self.cluster, containerInstances=[n["arn"]], status="DRAINING"
        )
        n["status"] = "DRAINING"
        return self.log(f"{n['id']} DRAINING {reason}")

    def undrain(self, n):
        self.ecs.update_container_instances_state(
            cluster=self.cluster, containerInstances=[n["arn"]], status="ACTIVE"
        )
        self.mark(n, None)
        n["status"] = "ACTIVE"
        return self.log(f"{n['id']} ACTIVE again")

    def lifecycle(self, group, iid, done):
        if done:
            self.asg.complete_lifecycle_action(
                LifecycleHookName="ecsgen-drain",
                AutoScalingGroupName=group["name"],
                InstanceId=iid,
                LifecycleActionResult="CONTINUE",
            )
            return self.log(f"{iid} lifecycle action completed")
        # Tasks still run there: the hook waits (I1), up to its global limit.
        self.asg.record_lifecycle_action_heartbeat(
            LifecycleHookName="ecsgen-drain", AutoScalingGroupName=group["name"], InstanceId=iid
        )

    def remove(self, ids):
        # Only instances without tasks get here (I1).  A fleet is lowered first, once, so it
        # replaces none of them.
        batches = {}
        for iid in ids:
            batches.setdefault(id(self.group_of[iid][1]), []).append(iid)
        for batch in batches.values():
            st, g = self.group_of[batch[0]][:2]
            try:
                if "id" in g:
                    w = sum(self.group_of[i][2] for i in batch)
                    odw = sum(self.group_of[i][2] for i in batch if i in self.on_demand)
                    od = max(0, g.get("od_target", 0) - odw) if g["active"] else 0
                    if not self.resize(g, g["units"] - w if g["active"] else 0, od):
                        continue
                    self.ec2.terminate_instances(InstanceIds=batch)
                    g["units"] -= w
                else:  # the hook fires; the empty node's action is completed then
                    for i in batch:
                        if i not in self.hooked:
                            self.asg.terminate_instance_in_auto_scaling_group(
                                InstanceId=i, ShouldDecrementDesiredCapacity=True
                            )
                self.live -= set(batch)
                self.log(f"terminate {' '.join(batch)} of {st['name']}")
            except ClientError as e:
                self.log(f"{st['name']}: {e}")

    # --- the run
    # ----------------------------------------------------------------------------------------
    def sizes(self):
        for s in self.services:
            td = s["taskDefinition"]
            if td not in TASKDEFS:
                d = self.ecs.describe_task_definition(taskDefinition=td)["taskDefinition"]
                cs = d.get("containerDefinitions", [])
                TASKDEFS[td] = (
                    int(d.get("cpu") or 0) or sum(c.get("cpu", 0) for c in cs),
                    int(d.get("memory") or 0)
                    or sum(c.get("memoryReservation") or c.get("memory") or 0 for c in cs),
                    platform(d, s),
                    gpus(d),
                )
            s["size"] = TASKDEFS[td]

    def run(self, state):
        self.load()
        self.sizes()
        fleets = [f for st in self.stacks for f in st["fleets"] if "target" in f]
        for st in self.stacks:
            for f in st["fleets"]:
                f["active"] = st["active"]
        self.nodes = [
            n for n in self.nodes if n["id"] in self.live
        ]  # a gone instance's registration lingers a while
        staying = [
            n for n in self.nodes if n["status"] == "ACTIVE" and n["stack"] and n["stack"]["active"]
        ]
        # Drained by hand, or re-activated: adopted, never waited on (I7).
        for n in self.nodes:
            if (
                n["stack"]
                and not n["stack"]["active"]
                and n["status"] == "DRAINING"
                and not n["reason"]
            ):
                n["reason"] = "retire"
        self.each(
            [
                n
                for n in self.nodes
                if n["reason"] == "retire" and n["stack"] and n["stack"]["active"]
            ],
            self.undrain,
        )
        # What must run on the staying nodes: every service's desired count, less what already runs
        # there (I2).
        need, biggest = {}, {}
        for s in self.services:
            if s.get("schedulingStrategy") == "DAEMON" or not s["desiredCount"]:
                continue
            there = sum(n["service"].get(s["serviceName"], 0) for n in staying)
            need[s["size"]] = need.get(s["size"], 0) + max(0, s["desiredCount"] - there)
            biggest[s["size"]] = 1
        bids = [
            (t, f.get("variant"))
            for f in fleets
            if f["active"]
            for t in f.get("weights", {})
            if t in SIZES
        ]
        unfit = {
            k: v
            for k, v in need.items()
            if bids and not any(fits(node_bin(t, fv), k) and accepts(fv, k[2]) for t, fv in bids)
        }
        for k, v in unfit.items():
            need.pop(k)
            self.unfit += v
            self.why(
                f"{v} task(s) of {k[0]} CPU / {k[1]} MiB"
                + (f" on {' or '.join(k[2])}" if k[2] else "")
                + " fit no bid of the active fleets: not a reason to grow"
            )
        bins = [free_bin(n) for n in staying]
        left = pack(bins, need)
        # Capacity on its way: instances not registered yet, and units asked for but not launched
        # yet.
        coming, known = [], {n["id"] for n in self.nodes}
        for iid, (st, f, w, t) in self.group_of.items():
            if st["active"] and iid not in known and iid in self.live and t in SIZES:
                coming.append(node_bin(t, f.get("variant")))
        for f in fleets:
            types = [t for t in f.get("weights", {}) if t in SIZES]
            if f["active"] and types and f["target"] > f["units"]:
                t = max(types, key=lambda t: f["weights"][t])
                coming += [
                    node_bin(t, f.get("variant"))
                    for _ in range(math.ceil((f["target"] - f["units"]) / f["weights"][t]))
                ]
        still = pack(coming, left)
        growable = [
            f
            for st in reversed(self.stacks)
            if st["active"] and st["autoscaling"]
            for f in st["fleets"]
            if "target" in f and not f.get("gone")
        ]
        self.grow(growable, still, biggest, bins + coming)
        self.fallback(growable, left, staying, need, biggest, state)
        self.retire(left)
        self.finish()
        if (
            not left
            and not still
            and self.now - state.get("active", 0) >= setting("COOLDOWN_SECONDS", 300)
        ):
            if self.shrink(growable, staying, need, biggest):
                state["active"] = self.now
        self.publish()

    def grow(self, fleets, still, sizes, bins):
        # Proportional (I8): the units the unplaced tasks need, plus enough to keep
        # task_threshold_out free, each in a fleet of the variant the task asks for.
        plan = {}  # id(fleet) -> (fleet, {size: count})

        def add(f, k, count):
            plan.setdefault(id(f), (f, {}))[1][k] = plan.get(id(f), (f, {}))[1].get(k, 0) + count

        def room(f, k):
            return any(fits(node_bin(t, None), k) for t in f.get("weights", {}) if t in SIZES)

        for k, count in still.items():
            mine = [f for f in fleets if grows_on(f.get("variant"), k[2])]
            pick = next((f for f in mine if f["target"] < f["max_weight"] and room(f, k)), None)
            pick = (
                pick or next((f for f in mine if room(f, k)), None) or (mine[0] if mine else None)
            )
            if pick:
                add(pick, k, count)
            elif fleets:
                self.why(
                    f"{count} task(s) on {' or '.join(k[2])} need room and no active fleet of that "
                    "variant autoscales"
                )
        # Headroom: each size is the first fleet's that grows for it.
        for f in fleets:
            mine = {
                k: 1
                for k in sizes
                if next((g for g in fleets if grows_on(g.get("variant"), k[2])), None) is f
            }
            want = f["task_threshold_out"] - spare(bins, mine) if mine else 0
            if want > 0:
                add(f, max(mine), want)
        if not plan and (fleets or not still):
            return
        variants = {f.get("variant") for f, _ in plan.values()}
        shrinking = [
            n
            for n in self.nodes
            if n["reason"] == "scale-in"
            and n["status"] == "DRAINING"
            and (not fleets or None in variants or n["variant"] in variants or n["variant"] is None)
        ]
        if shrinking:  # taking back a draining node is cheaper than a new one
            return self.each(shrinking, self.undrain)
        if not fleets:
            return self.why(
                f"{sum(still.values())} task(s) need room and no active fleet autoscales"
            )
        for f, short in plan.values():
            types = [t for t in f.get("weights", {}) if t in SIZES] or [None]
            # The fleet launches the cheapest type per unit, which we do not know: plan with the one
            # that holds least per unit.
            per = min(
                (min(fits(node_bin(t, None), k) for k in short) / f["weights"][t]) if t else 0
                for t in types
            )
            units = math.ceil(sum(short.values()) / per) if per else 0
            if not units:
                continue
            if f["target"] >= f["max_weight"]:
                self.why(
                    f"fleet {f['id']} is at max_weight {f['max_weight']}: {sum(short.values())} "
                    "task(s) wait"
                )
                continue
            try:
                self.resize(f, max(f["target"], f["units"]) + units)
            except ClientError as e:
                self.log(f"fleet {f['id']}: {e}")

    def switched(self, state, fid):
        # One switch to on-demand or back: the cooldown's clock, the metric, and the last hour's
        # switches that `make status` shows (compute.sh reads these keys: templates/CONTRACT.md).
        state[f"switch:{fid}"], self.switches = self.now, self.switches + 1
        hour = [t for t in state.get(f"switches:{fid}", []) if self.now - t < 3600]
        state[f"switches:{fid}"] = hour + [int(self.now)]

    def fallback_since(self, state, fid, units, target):
        # For `make status`: since when the fleet asks for or runs on-demand units (the fallback
        # is on), its on-demand units fulfilled and asked for, and the last hour's switches.
        if units or target:
            state.setdefault(f"fallback:{fid}", int(self.now))
            state[f"ondemand:{fid}"] = [units, target]
        else:
            state.pop(f"fallback:{fid}", None)
            state.pop(f"ondemand:{fid}", None)
        hour = [t for t in state.get(f"switches:{fid}", []) if self.now - t < 3600]
        if hour:
            state[f"switches:{fid}"] = hour
        else:
            state.pop(f"switches:{fid}", None)

    def fallback(self, fleets, left, staying, need, sizes, state):
        # The on-demand fallback (on_demand_fallback): spot fulfilled below its target for that
        # long while tasks wait raises the on-demand and the total target by the shortfall, so the
        # fleet keeps asking for spot; once spot is whole again (for a cooldown), the on-demand
        # nodes drain and go first, like any scale-in (I1, I4).
        cooldown = setting("COOLDOWN_SECONDS", 300)
        for f in fleets:
            fid, after = f["id"], f.get("on_demand_fallback", 0)
            if not after or not fid.startswith("fleet-"):
                continue
            od, spot_units = f.get("od_target", 0), f["units"] - f.get("od_units", 0)
            short = max(0, f["target"] - od - spot_units)
            self.fallback_since(state, fid, f.get("od_units", 0), od)
            waiting = any(grows_on(f.get("variant"), k[2]) for k in left)
            last = state.get(f"switch:{fid}", 0)
            if od > f.get("od_units", 0):
                self.od_short += od - f["od_units"]
                cap = f.get("on_demand_max_per_hour")
                self.why(
                    f"fleet {fid}: on-demand {f['od_units']} of {od} unit(s) fulfilled"
                    + (f" (on_demand_fallback_max_per_hour ${cap} may hold it back)" if cap else "")
                )
            if short and waiting:
                state.pop(f"whole:{fid}", None)
                since = state.setdefault(f"short:{fid}", self.now)
                if self.now - since < after or self.now - last < cooldown or f["busy"]:
                    continue
                if self.resize(f, f["target"] + short, od + short):
                    self.switched(state, fid)
                    self.fallback_since(state, fid, f.get("od_units", 0), od + short)
                    state.pop(f"short:{fid}", None)
                    self.log(
                        f"fleet {fid}: spot {short} unit(s) short for {int(self.now - since)}s "
                        f"with tasks waiting: on-demand target {od + short}"
                    )
                continue
            state.pop(f"short:{fid}", None)
            if short or not (od or f.get("od_units")):
                state.pop(f"whole:{fid}", None)
                continue
            whole = state.setdefault(f"whole:{fid}", self.now)
            if self.now - whole < cooldown or self.now - last < cooldown:
                continue
            if od > f.get("od_units", 0):  # on-demand never launched (a cap): asked for no longer
                if self.resize(f, f["target"] - (od - f["od_units"]), f["od_units"]):
                    self.switched(state, fid)
                    self.log(f"fleet {fid}: spot is whole again: on-demand target {f['od_units']}")
                continue
            # Spot is back: drain an on-demand node whose tasks fit elsewhere, headroom kept; when
            # the headroom needs it, hand one node's units back to spot first (the fleet launches a
            # spot node, and the on-demand one is extra then).
            mine = {k: 1 for k in sizes if grows_on(f.get("variant"), k[2])}
            ours = [
                n
                for n in staying
                if n["id"] in self.on_demand and self.group_of.get(n["id"], (0, {}))[1] is f
            ]
            for n in ours:
                if n["jobs"] or n["status"] != "ACTIVE":
                    continue
                rest = [free_bin(m) for m in staying if m is not n]
                extra = dict(need)
                for s in self.services:
                    if n["service"].get(s["serviceName"]):
                        extra[s["size"]] = extra.get(s["size"], 0) + n["service"][s["serviceName"]]
                if pack(rest, extra) or spare(rest, mine) < f["task_threshold_out"]:
                    continue
                self.drain(n, "scale-in")
                self.switched(state, fid)
                self.log(f"fleet {fid}: spot is whole again: on-demand {n['id']} drains")
                break
            else:
                w = min([self.group_of[n["id"]][2] for n in ours] or [od])
                if od and self.resize(f, f["target"], od - w):
                    self.switched(state, fid)
                    self.log(
                        f"fleet {fid}: spot is whole again: {w} on-demand unit(s) back to spot"
                    )

    def retire(self, left):
        if not any(st["active"] for st in self.stacks):
            self.waiting = sum(1 for st in self.stacks if not st["active"])
            return self.why("no active version: nothing is retired")
        for st in [s for s in self.stacks if not s["active"]]:
            for f in st["fleets"]:  # no replacements for what leaves
                if "target" in f and f["target"]:
                    self.each([f], lambda f: self.resize(f, 0))
            mine = [n for n in self.nodes if n["stack"] is st]
            # Instances that never registered (a failed smoke test): no task ever ran there.
            known = {n["id"] for n in self.nodes}
            self.remove(
                [
                    i
                    for i, g in self.group_of.items()
                    if g[0] is st and i in self.live and i not in known and i not in self.hooked
                ]
            )
            ready = [n for n in mine if n["status"] == "ACTIVE"]
            if ready and left:
                self.waiting += 1
                self.why(
                    f"{st['name']}: retirement waits for room for {sum(left.values())} task(s) on "
                    "the active versions"
                )
            elif ready:
                self.each(ready, lambda n: self.drain(n, "retire"))

    def finish(self):
        # Drained nodes without tasks leave; nodes in a termination hook are completed or kept
        # waiting.
        def one(n):
            if n["service"] or n["jobs"] or n["pendingTasksCount"]:
                if n["id"] in self.hooked:
                    self.lifecycle(self.group_of[n["id"]][1], n["id"], False)
                return
            if n["id"] in self.hooked:
                return self.lifecycle(self.group_of[n["id"]][1], n["id"], True)
            if (
                n["status"] == "DRAINING"
                and n["reason"] in ("retire", "scale-in", "spot")
                and n["id"] in self.group_of
            ):
                empty.append(n["id"])

        empty = []
        self.each(self.nodes, one)
        self.remove(empty)
        bare = [{"id": i} for i in self.hooked if i not in {n["id"] for n in self.nodes}]
        self.each(bare, lambda x: self.lifecycle(self.group_of[x["id"]][1], x["id"], True))

    def shrink(self, fleets, staying, need, sizes):
        grace = setting("SMOKE_TEST_GRACE_SECONDS", 900)
        # Only nodes whose tasks all belong to services (I3), and only if what stays keeps
        # task_threshold_out free (I4).
        close, base = False, [free_bin(m) for m in staying]
        pack(base, need)
        for n in sorted(
            staying,
            key=lambda n: (
                n["stack"]["created"],
                n["id"] not in self.on_demand,  # on-demand nodes (the fallback's) go first
                sum(n["service"].values()),
                n["registeredAt"],
            ),
        ):
            st, f, w, t = self.group_of.get(n["id"], (0, {}, 0, 0))
            # The headroom this node's variant keeps: for the tasks that grow its fleets.
            mine = {k: 1 for k in sizes if grows_on(f.get("variant"), k[2])}
            if (
                not any(f is x for x in fleets)
                or n["jobs"]
                or n["pendingTasksCount"]
                or f["units"] - w < f["min_weight"]
                or self.now - n["registeredAt"].timestamp() < grace
                or f["busy"]
                or spare(base, mine) <= f["task_threshold_in"]
            ):
                continue
            rest, extra = [free_bin(m) for m in staying if m is not n], dict(
                need
            )
            for s in self.services:
                if n["service"].get(s["serviceName"]):
                    extra[s["size"]] = extra.get(s["size"], 0) + n["service"][s["serviceName"]]
            if pack(rest, extra):
                continue
            if spare(rest, mine) < f["task_threshold_out"]:
                close = True
                continue
            return self.drain(n, "scale-in")
        if close:
            self.why(
                "task_threshold_in and task_threshold_out are closer than one node holds: no "
                "scale-in"
            )

    def publish(self):
        # The drain mark's epoch says since when a node drains; the alarm fires past an hour.
        oldest = max(
            [self.now - n["since"] for n in self.nodes if n["status"] == "DRAINING" and n["reason"]]
            or [0]
        )
        dims = [{"Name": "ClusterName", "Value": self.cluster}]
        boto3.client("cloudwatch", config=CONFIG).put_metric_data(
            Namespace=os.environ["METRIC_NAMESPACE"],
            MetricData=[
                {"MetricName": name, "Dimensions": dims, "Value": value, "Unit": unit}
                for name, value, unit in (
                    ("Blocked", len(self.reasons), "Count"),
                    ("RetirementBlocked", self.waiting, "Count"),
                    ("UnfitTasks", self.unfit, "Count"),
                    ("OnDemandSwitches", self.switches, "Count"),
                    ("OnDemandUnfulfilled", self.od_short, "Count"),
                    ("OldestDrainSeconds", int(max(0, oldest)), "Seconds"),
                )
            ],
        )


def lease(owner, take):
    # One run at a time (I6): a DynamoDB item taken by a conditional put, held at most the
    # function's timeout.
    db, now, key = (
        boto3.client("dynamodb", config=CONFIG),
        int(time.time()),
        {"pk": {"S": "scaler"}},
    )
    try:
        if take:
            db.put_item(
                TableName=os.environ["LOCK_TABLE"],
                Item={**key, "holder": {"S": owner}, "expires_at": {"N": str(now + 150)}},
                ConditionExpression="attribute_not_exists(pk) OR expires_at < :now",
                ExpressionAttributeValues={":now": {"N": str(now)}},
            )
        else:
            db.delete_item(
                TableName=os.environ["LOCK_TABLE"],
                Key=key,
                ConditionExpression="holder = :owner",
                ExpressionAttributeValues={":owner": {"S": owner}},
            )
        return True
    except ClientError as e:
        if e.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        print("another run holds the lease: this one does nothing")


def handler(event, context):
    owner = getattr(context, "aws_request_id", None) or os.urandom(8).hex()
    if not lease(owner, True):
        return {"actions": [], "blocked": ["another run holds the lease"]}
    try:
        return run()
    finally:
        lease(owner, False)


def run():
    s, ssm, name = Scaler(), boto3.client("ssm", config=CONFIG), os.environ["STATE_PARAMETER"]
    try:
        state = json.loads(ssm.get_parameter(Name=name)["Parameter"]["Value"] or "{}")
    except (ClientError, ValueError):
        state = {}
    old = json.dumps(state, sort_keys=True)
    s.run(state)
    if json.dumps(state, sort_keys=True) != old:
        ssm.put_parameter(Name=name, Value=json.dumps(state), Type="String", Overwrite=True)
    return {"actions": s.actions, "blocked": s.reasons}
