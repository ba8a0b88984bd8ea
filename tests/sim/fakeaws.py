"""A deterministic model of the AWS services the lifecycle functions call, and a fake boto3 in front of it.

Python 3.11 standard library only.  One World is one cluster in one account; its clock moves in
one-minute ticks (World.tick).  The embedded functions reach it through the modules installed in
sys.modules as boto3, botocore, botocore.exceptions and botocore.config, so they run unchanged.

What is modelled, and the AWS documentation it follows:
- ECS draining: a DRAINING instance takes no new task; its service tasks are stopped and replaced
  within minimumHealthyPercent / maximumPercent; standalone tasks are not touched; a service task
  that finds no room is not reported as pending (the service simply runs below desiredCount).
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html
- An instance that is terminated takes its tasks with it; ECS deregisters it.
- EC2 Fleet (type maintain): ModifyFleet puts the fleet in the modifying state; lowering
  TotalTargetCapacity with no-termination keeps the running instances; weights count capacity units.
  https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/modify-ec2-fleet.html
- Spot: an interruption warning two minutes before the instance goes; a rebalance recommendation
  earlier.  https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html
- Auto scaling termination hook: the instance waits in Terminating:Wait until CompleteLifecycleAction,
  or the heartbeat timeout (then DefaultResult), or the global limit of 100 x the heartbeat timeout or
  48 hours, whichever is smaller; RecordLifecycleActionHeartbeat restarts the heartbeat timeout.
  https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html
- Throttling: a throttled API stays throttled for the whole minute, so the SDK's own retries within
  one run do not get through either (the injected fault is the one the function code sees).
"""
import datetime
import json
import math
import re
import sys
import types
import zlib

# On-demand prices per instance-hour, us-east-1 (the fallback's MaxTotalPrice caps their sum).
ON_DEMAND = {"m5.large": 0.096, "m5.xlarge": 0.192, "m5.2xlarge": 0.384, "c5.large": 0.085, "m6g.large": 0.077}

# NVIDIA GPUs per instance type (issue 17's GPU packing), from "Amazon EC2 instance type
# specifications", Accelerated computing: g4dn.xlarge 1 T4, g4dn.12xlarge 4 T4.
# https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html
# The agent registers them as the STRINGSET resource GPU (their ids); a task reserving n GPUs
# places only where n are free.
GPUS = {"g4dn.xlarge": 1, "g4dn.12xlarge": 4}

EPOCH = 1_700_000_000  # minute 0
MUTATING = {
    "PutAttributes", "DeleteAttributes", "UpdateContainerInstancesState", "DeregisterContainerInstance",
    "ModifySpotFleetRequest", "ModifyFleet", "TerminateInstances", "TerminateInstanceInAutoScalingGroup",
    "CompleteLifecycleAction", "RecordLifecycleActionHeartbeat", "DeleteStack", "SetDesiredCapacity",
    "UpdateAutoScalingGroup",
}


# --- the fake botocore / boto3 modules -------------------------------------------------------------

class ClientError(Exception):
    def __init__(self, error_response, operation_name):
        self.response, self.operation_name = error_response, operation_name
        err = error_response.get("Error", {})
        super().__init__(f"An error occurred ({err.get('Code')}) when calling the {operation_name} operation: {err.get('Message')}")


class BotoCoreError(Exception):
    pass


class Config:
    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def merge(self, other):
        return Config(**{**self.kwargs, **other.kwargs})


def fail(op, code, message):
    raise ClientError({"Error": {"Code": code, "Message": message}}, op)


def camel(name):
    return "".join(p.capitalize() for p in name.split("_")).replace("Ec2", "EC2")


class Paginator:
    def __init__(self, client, method):
        self.client, self.method = client, method

    def paginate(self, **kwargs):
        key = "nextToken" if self.client._service == "ecs" else "NextToken"
        while True:
            page = getattr(self.client, self.method)(**kwargs)
            yield page
            if not page.get(key):
                return
            kwargs[key] = page[key]


class Client:
    def __init__(self, world, service, config):
        self._world, self._service, self._config = world, service, config

    def get_paginator(self, method):
        return Paginator(self, method)

    def __getattr__(self, method):
        if method.startswith("_"):
            raise AttributeError(method)
        impl = getattr(self._world, f"{self._service}_{method}", None)
        if impl is None:
            raise AttributeError(f"the simulated {self._service} has no {method}")

        def call(**kwargs):
            return self._world.call(self._service, method, impl, kwargs, self._config)
        return call


def install(world_ref):
    """Put fake boto3 and botocore modules in sys.modules; world_ref() is the World calls go to."""
    boto3 = types.ModuleType("boto3")
    boto3.client = lambda service, config=None, **kw: Client(world_ref(), service, config)
    botocore = types.ModuleType("botocore")
    exceptions = types.ModuleType("botocore.exceptions")
    exceptions.ClientError, exceptions.BotoCoreError = ClientError, BotoCoreError
    config = types.ModuleType("botocore.config")
    config.Config = Config
    botocore.exceptions, botocore.config = exceptions, config
    sys.modules.update({"boto3": boto3, "botocore": botocore, "botocore.exceptions": exceptions,
                        "botocore.config": config})


class Clock:
    """The functions' time module: time.time() is the world's clock; sleep advances nothing."""

    def __init__(self, world_ref):
        self._world = world_ref

    def time(self):
        return self._world().now

    def sleep(self, seconds):
        self._world().now += seconds

    def __getattr__(self, name):
        import time
        return getattr(time, name)


# --- the world ----------------------------------------------------------------------------------

class Box:
    def __init__(self, **kw):
        self.__dict__.update(kw)


class World:
    def __init__(self, cluster, seed=0, throttle=0.0, types_=None):
        self.cluster, self.seed, self.throttle_rate = cluster, seed, throttle
        self.minute, self.now = 0, EPOCH
        self.types = types_ or {}  # instance type -> (vcpus, MiB)
        self.instances, self.nodes, self.tasks, self.services = {}, {}, {}, {}
        self.fleets, self.asgs, self.stacks, self.params, self.metrics, self.items = {}, {}, {}, {}, [], {}
        self.jobs = []            # standalone jobs waiting for room: Box(cpu, mem, minutes, started_by)
        self.events = []          # EventBridge events to deliver this tick
        self.throttle_rules = []  # (minute or None, operation, times): scripted throttles
        self.counter = 0
        self.spot_gone = False    # no spot capacity to be had (issue 17's fallback scenarios)
        self.killed, self.lost, self.violations, self.exceptions = 0, 0, [], 0
        self.caller = None        # the function run making calls now (a Box), or None for the scenario
        self.runs = []            # runs in progress, for I6
        self.log = []
        self.last_change = 0
        self.hook_calls = {}      # name -> callable(world, run) on every call of that function's runs
        self.before_acting = {}   # name -> callable(run): starts an overlapping run before a run's first action

    # ids and helpers
    def new_id(self, prefix, width=17):
        self.counter += 1
        return f"{prefix}{self.counter:0{width}x}"

    def at(self, minute):
        return datetime.datetime.fromtimestamp(EPOCH + 60 * minute, datetime.timezone.utc)

    def note(self, what):
        self.log.append(f"{self.minute:4d} {what}")

    def violate(self, invariant, what):
        self.violations.append((self.minute, invariant, what))
        self.note(f"VIOLATION {invariant}: {what}")

    # every call from a function goes through here
    def call(self, service, method, impl, kwargs, config):
        op = camel(method)
        run = self.caller
        if run is not None:
            run.calls += 1
            hook = self.hook_calls.get(run.name)
            if hook:
                hook(self, run)
        if self.throttled(service, op):
            fail(op, "Throttling" if service != "ec2" else "RequestLimitExceeded", "Rate exceeded")
        if op in MUTATING and run is not None:
            if not run.mutated and run.name in self.before_acting:
                self.before_acting.pop(run.name)(run)  # another run of the same function starts now
            run.mutated = True
        return impl(**kwargs)

    def begin(self, run):
        for other in self.runs:
            other.overlaps.append(run)
        self.runs.append(run)

    def end(self, run):
        self.runs.remove(run)
        if run.mutated and any(o.mutated and o.name == run.name for o in run.overlaps):
            self.violate("I6", f"two {run.name} runs acted at once")

    def throttled(self, service, op):
        for rule in self.throttle_rules:
            if rule[1] == op and (rule[0] is None or rule[0] == self.minute) and rule[2] > 0:
                rule[2] -= 1
                return True
        if not self.throttle_rate:
            return False
        h = zlib.crc32(f"{self.seed}/{self.minute}/{service}/{op}".encode())
        return (h % 10000) < self.throttle_rate * 10000

    # --- capacity: instances, nodes ----------------------------------------------------------------

    def launch(self, itype, fleet=None, asg=None, version=None, registers=True, on_demand=False):
        iid = self.new_id("i-")
        vcpu, mib = self.types[itype]
        self.instances[iid] = Box(id=iid, type=itype, fleet=fleet, asg=asg, state="pending", launched=self.minute,
                                  on_demand=on_demand,
                                  vcpu=vcpu, mib=mib, version=version, registers=registers, node=None,
                                  notice=None, lifecycle="InService", hook_until=None, hook_limit=None,
                                  terminated_at=None)
        self.last_change = self.minute
        return iid

    def terminate(self, iid, cause):
        """cause: 'ecsgen' (a call of ours), 'aws' (an AWS deadline), 'none' (nothing can run there)."""
        i = self.instances.get(iid)
        if not i or i.state in ("shutting-down", "terminated"):
            return
        i.state, i.terminated_at = "shutting-down", self.minute
        self.last_change = self.minute
        n = self.nodes.get(i.node)
        if n:
            victims = [t for t in self.on(n) if t.kind != "daemon"]
            if victims:
                if cause == "aws":
                    self.lost += len(victims)
                else:
                    self.killed += len(victims)
                    self.violate("I1", f"{iid} terminated with {len(victims)} task(s) on it")
            for t in self.on(n):
                self.stop(t)
            n.agent = False
        self.note(f"terminate {iid} ({cause})")

    def arch(self, itype):
        """Graviton families end in 'g' (m6g, c7g) in the simulator's few types."""
        return "arm64" if itype.split(".")[0].endswith("g") else "x86_64"

    def register(self, i, version):
        arn = f"arn:aws:ecs:us-west-2:123456789012:container-instance/{self.cluster}/{self.new_id('', 32)}"
        cpu, mem = i.vcpu * 1024, i.mib - 256  # the agent keeps some memory for the OS
        # The agent registers ecs.cpu-architecture itself.
        attrs = {"asg_version": version, "ecsgen_cluster": self.cluster, "ecs.cpu-architecture": self.arch(i.type)}
        self.nodes[arn] = Box(arn=arn, iid=i.id, status="ACTIVE", attrs=attrs, arch=self.arch(i.type),
                              cpu=cpu, mem=mem, registered=self.minute, agent=True, version=version, tasks=set(), ucpu=0, umem=0,
                              gpus=GPUS.get(i.type, 0), ugpu=0)
        i.node = arn

    def on(self, n):
        return [self.tasks[a] for a in sorted(n.tasks)]

    def stop(self, t):
        t.state = "STOPPED"
        self.tasks.pop(t.arn, None)
        n = self.nodes.get(t.node)
        if n and t.arn in n.tasks:
            n.tasks.discard(t.arn)
            n.ucpu -= t.cpu
            n.umem -= t.mem
            n.ugpu -= getattr(t, "gpu", 0)

    def used(self, n):
        return n.ucpu, n.umem, None

    def room(self, n, cpu, mem, gpu=0):
        ucpu, umem, _ = self.used(n)
        return n.cpu - ucpu >= cpu and n.mem - umem >= mem and n.gpus - n.ugpu >= gpu

    def place(self, cpu, mem, kind, service=None, minutes=None, started_by=None, spread=True, node=None, arch=None,
              gpu=0):
        cands = [node] if node else [n for n in self.nodes.values() if n.status == "ACTIVE" and n.agent]
        # runtimePlatform.cpuArchitecture: only nodes of that architecture.
        cands = [n for n in cands if self.room(n, cpu, mem, gpu) and (arch is None or n.arch == arch)]
        if not cands:
            return None
        key = (lambda n: (self.used(n)[0] - n.cpu, n.arn)) if spread else (lambda n: (n.cpu - self.used(n)[0], n.arn))
        n = min(cands, key=key)
        arn = f"arn:aws:ecs:us-west-2:123456789012:task/{self.cluster}/{self.new_id('', 32)}"
        self.tasks[arn] = Box(arn=arn, node=n.arn, cpu=cpu, mem=mem, kind=kind, service=service, state="PENDING",
                              ends=None if minutes is None else self.minute + 1 + minutes, started_by=started_by,
                              gpu=gpu)
        n.tasks.add(arn)
        n.ucpu += cpu
        n.umem += mem
        n.ugpu += gpu
        return self.tasks[arn]

    def live_tasks(self, **where):
        if "node" in where:
            n = self.nodes.get(where.pop("node"))
            pool = self.on(n) if n else []
        else:
            pool = self.tasks.values()
        return [t for t in pool if all(getattr(t, k) == v for k, v in where.items())]

    # --- the minute ------------------------------------------------------------------------------

    def advance_aws(self):
        m = self.minute
        for i in list(self.instances.values()):
            if i.state == "pending" and m - i.launched >= 1:
                i.state = "running"
            if i.state == "running" and i.node is None and i.registers and m - i.launched >= 2:
                self.register(i, i.version)
            if i.state == "shutting-down" and m > i.terminated_at:
                i.state = "terminated"
                n = self.nodes.pop(i.node, None)
                if n:
                    self.last_change = m
            if i.notice is not None and m >= i.notice and i.state in ("pending", "running"):
                self.terminate(i.id, "aws")  # the two-minute warning has run out
                f = self.fleets.get(i.fleet)
                if f:
                    f.instances.discard(i.id)
            if i.lifecycle == "Terminating:Wait" and i.state == "running":
                g = self.asgs[i.asg]
                if m >= i.hook_limit:
                    self.asg_finish(i, "aws")
                elif m >= i.hook_until:
                    self.asg_finish(i, "ecsgen" if g.default == "CONTINUE" else None)
        for f in self.fleets.values():
            self.fulfil(f)
        for g in self.asgs.values():
            self.asg_fulfil(g)
        for st in list(self.stacks.values()):
            if st.stack_status == "DELETE_IN_PROGRESS" and self.minute > st.deleting:
                for fid in st.fleets:
                    f = self.fleets.pop(fid, None)
                    if f:
                        for iid in list(f.instances):
                            self.terminate(iid, "ecsgen")
                for name in st.asgs:
                    g = self.asgs.pop(name, None)
                    if g:
                        for iid in list(g.instances):
                            self.terminate(iid, "ecsgen")
                del self.stacks[st.name]
                self.note(f"stack {st.name} deleted")

    def fulfil(self, f):
        if f.state == "modifying" and self.minute >= f.modified_until:
            f.state = "active"
        live = [self.instances[i] for i in f.instances if self.instances[i].state in ("pending", "running")]
        have = sum(f.weights[i.type] for i in live)
        od = sum(f.weights[i.type] for i in live if i.on_demand)
        # The on-demand part first, within MaxTotalPrice (issue 17; on-demand prices per hour).
        itype = f.order[0]
        while od < f.od_target and (f.od_cap is None or (od / f.weights[itype] + 1) * ON_DEMAND[itype] <= f.od_cap):
            f.instances.add(self.launch(itype, fleet=f.id, version=f.version, registers=f.registers, on_demand=True))
            have, od = have + f.weights[itype], od + f.weights[itype]
        # Then spot, the cheapest type per unit first (each fleet's bids are listed cheapest first),
        # unless spot capacity is gone (the scenario says so) and only up to the spot target.
        while have - od < f.target - f.od_target and not self.spot_gone:
            f.instances.add(self.launch(itype, fleet=f.id, version=f.version, registers=f.registers))
            have += f.weights[itype]
        f.fulfilled, f.od_fulfilled = have, od
        if f.policy == "termination" and have > f.target:
            for i in sorted(live, key=lambda i: -f.weights[i.type]):
                if have - f.weights[i.type] >= f.target:
                    have -= f.weights[i.type]
                    self.terminate(i.id, "ecsgen")  # the fleet chose: only a call of ours asks for that

    def asg_fulfil(self, g):
        live = [self.instances[i] for i in g.instances if self.instances[i].lifecycle == "InService"
                and self.instances[i].state in ("pending", "running")]
        while len(live) < g.desired:
            iid = self.launch(g.type, asg=g.name, version=g.version, registers=g.registers)
            g.instances.add(iid)
            live.append(self.instances[iid])
        if len(live) > g.desired:
            for i in sorted(live, key=lambda i: i.launched)[:len(live) - g.desired]:
                self.asg_leave(i)

    def asg_leave(self, i):
        g = self.asgs[i.asg]
        if g.hook is None:
            return self.asg_finish(i, "ecsgen")
        i.lifecycle, i.hook_until = "Terminating:Wait", self.minute + math.ceil(g.hook / 60)
        i.hook_limit = self.minute + math.ceil(min(100 * g.hook, 48 * 3600) / 60)
        self.events.append({"source": "aws.autoscaling", "detail-type": "EC2 Instance-terminate Lifecycle Action",
                            "detail": {"LifecycleHookName": "ecsgen-drain", "AutoScalingGroupName": g.name,
                                       "EC2InstanceId": i.id, "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING"}})

    def asg_finish(self, i, cause):
        g = self.asgs.get(i.asg)
        i.lifecycle = "Terminating:Proceed"
        self.terminate(i.id, cause or "ecsgen")
        if g:
            g.instances.discard(i.id)

    def interrupt(self, iid, rebalance_first=True):
        """A spot interruption: a rebalance recommendation, then the two-minute warning."""
        i = self.instances[iid]
        if rebalance_first:
            self.events.append({"source": "aws.ec2", "detail-type": "EC2 Instance Rebalance Recommendation",
                                "detail": {"instance-id": iid}})
        i.notice = self.minute + 2
        self.events.append({"source": "aws.ec2", "detail-type": "EC2 Spot Instance Interruption Warning",
                            "detail": {"instance-id": iid, "instance-action": "terminate"}})

    def schedule(self):
        """One minute of the ECS schedulers."""
        for t in list(self.tasks.values()):
            if t.state == "PENDING":
                t.state = "RUNNING"
            elif t.state == "RUNNING" and t.ends is not None and self.minute >= t.ends:
                self.stop(t)
        for n in self.nodes.values():  # a DRAINING instance's pending service tasks stop at once
            if n.status == "DRAINING":
                for t in self.live_tasks(node=n.arn, state="PENDING"):
                    if t.kind == "service":
                        self.stop(t)
        for s in self.services.values():
            if s.daemon:
                for n in self.nodes.values():
                    mine = [t for t in self.live_tasks(node=n.arn) if t.service == s.name]
                    if n.status == "ACTIVE" and n.agent and not mine:
                        self.place(s.cpu, s.mem, "daemon", s.name, node=n)
                    if n.status == "DRAINING" and mine and not [t for t in self.live_tasks(node=n.arn) if t.kind != "daemon"]:
                        for t in mine:
                            self.stop(t)
                continue
            tasks = self.live_tasks(service=s.name)
            on_active = [t for t in tasks if self.nodes[t.node].status == "ACTIVE"]
            draining = [t for t in tasks if self.nodes[t.node].status == "DRAINING"]
            running = [t for t in tasks if t.state == "RUNNING"]
            # Draining tasks stop while the running ones stay at or above minimumHealthyPercent of desiredCount.
            floor = math.ceil(s.desired * s.min_healthy / 100)
            for t in draining:
                if t.state == "RUNNING" and len(running) - 1 >= floor:
                    self.stop(t)
                    running.remove(t)
                    tasks.remove(t)
            # Too many (desired lowered): stop the newest extras.
            while len(tasks) > s.desired and on_active and not draining:
                t = on_active.pop()
                self.stop(t)
                tasks.remove(t)
            ceiling = math.floor(s.desired * s.max_pct / 100)
            on_active = [t for t in tasks if self.nodes[t.node].status == "ACTIVE"]
            want = s.desired - len(on_active)
            while want > 0 and len(tasks) < ceiling:
                t = self.place(s.cpu, s.mem, "service", s.name, arch=s.arch, gpu=getattr(s, "gpu", 0))
                if not t:
                    break
                tasks.append(t)
                want -= 1
        for job in list(self.jobs):
            t = self.place(job.cpu, job.mem, "standalone", minutes=job.minutes, started_by=job.started_by, spread=False)
            if t:
                self.jobs.remove(job)

    def deliver(self, rules, invoke):
        events, self.events = self.events, []
        for e in events:
            for target, pattern in rules:
                if matches(pattern, e):
                    invoke(target, dict(e, time=self.at(self.minute).isoformat()))

    # --- checks after every minute ---------------------------------------------------------------

    def check_drain(self, n, reason):
        """I2/I3/I4 at the moment ecsgen drains node n for retirement or scale-in."""
        active_versions = {st.version for st in self.stacks.values() if st.status == "active"}
        others = [m for m in self.nodes.values() if m is not n and m.status == "ACTIVE" and m.agent and m.version in active_versions]
        mine = [t for t in self.live_tasks(node=n.arn) if t.kind == "service"]
        free = {m.arn: [m.cpu - self.used(m)[0], m.mem - self.used(m)[1]] for m in others}
        homeless = 0
        for t in sorted(mine, key=lambda t: -t.cpu):
            spot = next((k for k, v in free.items() if v[0] >= t.cpu and v[1] >= t.mem), None)
            if spot is None:
                homeless += 1
            else:
                free[spot][0] -= t.cpu
                free[spot][1] -= t.mem
        if homeless:
            self.violate("I2", f"{n.iid} drained ({reason}) with {homeless} service task(s) that have no room elsewhere")
        if reason == "scale-in":
            if any(t.kind == "standalone" for t in self.live_tasks(node=n.arn)):
                self.violate("I3", f"{n.iid} drained for scale-in with a standalone task on it")
            fleets = [self.fleets[self.instances[m.iid].fleet] for m in [n] if self.instances[m.iid].fleet in self.fleets]
            if fleets:
                sizes = {(s.cpu, s.mem) for s in self.services.values() if not s.daemon and s.desired}
                if sizes:
                    headroom = min(sum(min(v[0] // c if c else 10**6, v[1] // mm if mm else 10**6) for v in free.values())
                                   for c, mm in sizes)
                    if headroom < fleets[0].thr_out:
                        self.violate("I4", f"{n.iid} scaled in leaving headroom {headroom} < task_threshold_out {fleets[0].thr_out}")

    def check_minute(self):
        for n in self.nodes.values():
            i = self.instances[n.iid]
            if n.status == "DRAINING" and not [t for t in self.live_tasks(node=n.arn) if t.kind != "daemon"]:
                n.empty_since = getattr(n, "empty_since", None) or self.minute
                if self.minute - n.empty_since == 60 and i.state == "running":
                    self.violate("I7", f"{n.iid} drained and empty for an hour, still running")
            else:
                n.empty_since = None
        for i in self.instances.values():
            if i.state == "running" and i.node is None and self.minute - i.launched == 90:
                self.violate("I7", f"{i.id} running for 90 minutes without an ECS registration")

    # --- scenario-level actions (what people, the deploy scripts and the pipeline do) -------------

    def deploy(self, version, fleets=(), asgs=(), status="active", legacy=False, registers=True, autoscaling=True):
        name = f"{self.cluster}-compute-{version}"
        outputs = {"Status": status, "Version": version, "Autoscaling": "true" if autoscaling else "false"}
        st = Box(name=name, version=version, status=status, outputs=outputs, stack_status="CREATE_COMPLETE",
                 created=self.minute, updated=None, fleets=[], asgs=[], deleting=None)
        for spec in fleets:
            fid = self.new_id("sfr-" if legacy else "fleet-", 8) + "-0000-4000-8000-000000000000"
            if legacy:
                fid = "sfr-" + fid[len("sfr-"):]
            weights = dict(spec["weights"])
            f = Box(id=fid, version=version, legacy=legacy, target=spec.get("desired", 1), weights=weights,
                    order=list(weights), policy="no-termination", instances=set(), state="active",
                    modified_until=0, fulfilled=0, registers=registers, thr_out=spec.get("thr_out", 3),
                    stack=name, od_target=0, od_fulfilled=0, od_cap=spec.get("od_cap"))
            self.fleets[fid] = f
            st.fleets.append(fid)
            outputs[f"SpotFleet{spec.get('name', 'Main')}"] = json.dumps({
                "id": fid, "min_weight": spec.get("min", 0), "max_weight": spec.get("max", 16),
                "desired_weight": spec.get("desired", 1), "task_threshold_out": spec.get("thr_out", 3),
                "task_threshold_in": spec.get("thr_in", 10), "drain_timeout": spec.get("timeout", 120),
                "weights": weights, **({"variant": spec["variant"]} if "variant" in spec else {}),
                **({"on_demand_fallback": spec["fallback"]} if "fallback" in spec else {}),
                **({"on_demand_max_per_hour": str(spec["od_cap"])} if spec.get("od_cap") is not None else {})})
        for spec in asgs:
            gname = f"{name}-AutoScalingGroup{spec.get('name', 'Reserved')}-{self.new_id('', 12).upper()}"
            g = Box(name=gname, version=version, type=spec["type"], desired=spec.get("size", 1), min=spec.get("size", 1),
                    max=spec.get("size", 1), hook=spec.get("hook", 240), default=spec.get("default", "CONTINUE"),
                    instances=set(), registers=registers)
            self.asgs[gname] = g
            st.asgs.append(gname)
            outputs[f"AutoScalingGroup{spec.get('name', 'Reserved')}"] = json.dumps({
                "name": gname, "min_size": g.min, "max_size": g.max, "drain_timeout": spec.get("timeout", 120)})
        self.stacks[name] = st
        self.note(f"deploy {version}")
        return st

    def warm(self):
        """Start from a settled cluster: every instance asked for so far booted, registered, its tasks running."""
        for f in self.fleets.values():
            self.fulfil(f)
        for g in self.asgs.values():
            self.asg_fulfil(g)
        for i in self.instances.values():
            i.state, i.launched = "running", -30
            if i.registers and i.node is None:
                self.register(i, i.version)
                self.nodes[i.node].registered = -30
        self.schedule()
        self.schedule()
        self.last_change = -30

    def set_status(self, version, status):
        st = self.stacks[f"{self.cluster}-compute-{version}"]
        st.status = st.outputs["Status"] = status
        st.updated, st.stack_status = self.minute, "UPDATE_COMPLETE"
        for gname in st.asgs:  # MinSize follows Status (CONTRACT.md)
            g = self.asgs[gname]
            g.min = g.max if status == "active" else 0
        self.note(f"{version} {status}")

    def service(self, name, desired, cpu=256, mem=256, min_healthy=100, max_pct=200, daemon=False, arch=None, gpu=0):
        self.services[name] = Box(name=name, desired=desired, cpu=cpu, mem=mem, min_healthy=min_healthy,
                                  max_pct=max_pct, daemon=daemon, arch=arch, gpu=gpu)

    def job(self, cpu, mem, minutes, started_by="batch"):
        self.jobs.append(Box(cpu=cpu, mem=mem, minutes=minutes, started_by=started_by))

    def drain_by_hand(self, iid):
        n = self.nodes[self.instances[iid].node]
        n.status = "DRAINING"

    # --- ECS API -----------------------------------------------------------------------------------

    def ecs_node(self, cluster, ref):
        if cluster != self.cluster:
            fail("ECS", "ClusterNotFoundException", "Cluster not found.")
        n = self.nodes.get(ref) or next((n for n in self.nodes.values() if n.arn.endswith("/" + ref)), None)
        if n is None:
            fail("ECS", "InvalidParameterException", f"container instance {ref} not found")
        return n

    def ecs_list_container_instances(self, cluster, nextToken=None, maxResults=100, status=None, filter=None):
        arns = sorted(a for a, n in self.nodes.items() if status is None or n.status == status)
        start = int(nextToken or 0)
        page = {"containerInstanceArns": arns[start:start + maxResults]}
        if start + maxResults < len(arns):
            page["nextToken"] = str(start + maxResults)
        return page

    def ecs_describe_container_instances(self, cluster, containerInstances, include=None):
        if len(containerInstances) > 100:
            fail("DescribeContainerInstances", "InvalidParameterException", "at most 100 container instances")
        out = []
        for ref in containerInstances:
            n = self.ecs_node(cluster, ref)
            ucpu, umem, live = n.ucpu, n.umem, self.on(n)
            out.append({
                "containerInstanceArn": n.arn, "ec2InstanceId": n.iid, "status": n.status, "agentConnected": n.agent,
                "attributes": [{"name": k, **({"value": v} if v is not None else {})} for k, v in n.attrs.items()],
                "registeredResources": [{"name": "CPU", "type": "INTEGER", "integerValue": n.cpu},
                                        {"name": "MEMORY", "type": "INTEGER", "integerValue": n.mem}],
                "remainingResources": [{"name": "CPU", "type": "INTEGER", "integerValue": n.cpu - ucpu},
                                       {"name": "MEMORY", "type": "INTEGER", "integerValue": n.mem - umem}],
                "runningTasksCount": sum(t.state == "RUNNING" for t in live),
                "pendingTasksCount": sum(t.state == "PENDING" for t in live),
                "registeredAt": self.at(n.registered)})
            if getattr(n, "gpus", 0):
                ids = [f"GPU-{n.iid}-{k}" for k in range(n.gpus)]
                out[-1]["registeredResources"].append({"name": "GPU", "type": "STRINGSET", "stringSetValue": ids})
                out[-1]["remainingResources"].append({"name": "GPU", "type": "STRINGSET",
                                                      "stringSetValue": ids[n.ugpu:]})
        return {"containerInstances": out, "failures": []}

    def ecs_put_attributes(self, cluster, attributes):
        for a in attributes:
            n = self.ecs_node(cluster, a["targetId"])
            n.attrs[a["name"]] = a.get("value")
        return {"attributes": attributes}

    def ecs_delete_attributes(self, cluster, attributes):
        for a in attributes:
            self.ecs_node(cluster, a["targetId"]).attrs.pop(a["name"], None)
        return {"attributes": attributes}

    def ecs_update_container_instances_state(self, cluster, containerInstances, status):
        for ref in containerInstances:
            n = self.ecs_node(cluster, ref)
            if status == "DRAINING" and n.status != "DRAINING":
                reason = (n.attrs.get("ecsgen_drain") or "").partition(":")[0]
                if reason in ("retire", "scale-in"):
                    self.check_drain(n, reason)
                self.note(f"{n.iid} DRAINING ({reason or 'no mark'})")
            n.status = status
        return {"containerInstances": [], "failures": []}

    def ecs_deregister_container_instance(self, cluster, containerInstance, force=False):
        n = self.ecs_node(cluster, containerInstance)
        victims = [t for t in self.live_tasks(node=n.arn) if t.kind != "daemon"]
        if victims:
            if not force:
                fail("DeregisterContainerInstance", "InvalidParameterException", "the instance has tasks")
            self.killed += len(victims)
            self.violate("I1", f"{n.iid} deregistered with {len(victims)} task(s)")
        for t in self.live_tasks(node=n.arn):
            self.stop(t)
        del self.nodes[n.arn]
        self.instances[n.iid].node = None
        self.instances[n.iid].deregistered = True
        return {"containerInstance": {"containerInstanceArn": n.arn}}

    def ecs_list_services(self, cluster, nextToken=None, maxResults=10, **kw):
        arns = sorted(f"arn:aws:ecs:us-west-2:123456789012:service/{self.cluster}/{s}" for s in self.services)
        start = int(nextToken or 0)
        page = {"serviceArns": arns[start:start + maxResults]}
        if start + maxResults < len(arns):
            page["nextToken"] = str(start + maxResults)
        return page

    def ecs_describe_services(self, cluster, services, include=None):
        if len(services) > 10:
            fail("DescribeServices", "InvalidParameterException", "at most 10 services")
        out = []
        for ref in services:
            s = self.services[ref.rsplit("/", 1)[-1]]
            live = self.live_tasks(service=s.name)
            out.append({"serviceName": s.name, "serviceArn": ref, "status": "ACTIVE", "desiredCount": s.desired,
                        "runningCount": sum(t.state == "RUNNING" for t in live),
                        "pendingCount": sum(t.state == "PENDING" for t in live),
                        "schedulingStrategy": "DAEMON" if s.daemon else "REPLICA",
                        "taskDefinition": f"arn:aws:ecs:us-west-2:123456789012:task-definition/{s.name}:1",
                        "deploymentConfiguration": {"minimumHealthyPercent": s.min_healthy, "maximumPercent": s.max_pct}})
        return {"services": out, "failures": []}

    def ecs_describe_task_definition(self, taskDefinition, include=None):
        s = self.services[taskDefinition.rsplit("/", 1)[-1].split(":")[0]]
        d = {"taskDefinitionArn": taskDefinition, "cpu": str(s.cpu), "memory": str(s.mem),
             "containerDefinitions": [{"name": s.name, "cpu": s.cpu, "memory": s.mem}]}
        if s.arch:
            d["runtimePlatform"] = {"cpuArchitecture": s.arch.upper(), "operatingSystemFamily": "LINUX"}
        if getattr(s, "gpu", 0):
            d["containerDefinitions"][0]["resourceRequirements"] = [{"type": "GPU", "value": str(s.gpu)}]
        return {"taskDefinition": d}

    def ecs_list_tasks(self, cluster, containerInstance=None, nextToken=None, maxResults=100, desiredStatus="RUNNING", **kw):
        n = self.ecs_node(cluster, containerInstance) if containerInstance else None
        arns = sorted(t.arn for t in (self.on(n) if n else self.tasks.values()))
        start = int(nextToken or 0)
        page = {"taskArns": arns[start:start + maxResults]}
        if start + maxResults < len(arns):
            page["nextToken"] = str(start + maxResults)
        return page

    def ecs_describe_tasks(self, cluster, tasks, include=None):
        if len(tasks) > 100:
            fail("DescribeTasks", "InvalidParameterException", "at most 100 tasks")
        out = []
        for arn in tasks:
            t = self.tasks.get(arn)
            if t is None:
                continue
            out.append({"taskArn": t.arn, "containerInstanceArn": t.node, "lastStatus": t.state, "desiredStatus": "RUNNING",
                        "cpu": str(t.cpu), "memory": str(t.mem),
                        "group": f"service:{t.service}" if t.kind != "standalone" else f"family:{t.started_by}",
                        **({"startedBy": f"ecs-svc/{t.service}"} if t.kind != "standalone" else
                           {"startedBy": t.started_by} if t.started_by else {})})
        return {"tasks": out, "failures": []}

    # --- EC2 API -----------------------------------------------------------------------------------

    def fleet_of(self, op, fid, legacy):
        f = self.fleets.get(fid)
        if f is None or f.legacy != legacy:
            fail(op, "InvalidSpotFleetRequestId.NotFound" if legacy else "InvalidFleetId.NotFound", f"{fid} not found")
        return f

    def fleet_active(self, f, limit, token):
        ids = sorted(i for i in f.instances if self.instances[i].state in ("pending", "running"))
        start = int(token or 0)
        # A spot instance carries its request id; an on-demand one none.
        page = {"ActiveInstances": [{"InstanceId": i, "InstanceType": self.instances[i].type, "InstanceHealth": "healthy",
                                     **({} if self.instances[i].on_demand else {"SpotInstanceRequestId": "sir-" + i[2:10]})}
                                    for i in ids[start:start + limit]]}
        if start + limit < len(ids):
            page["NextToken"] = str(start + limit)
        return page

    def ec2_describe_spot_fleet_requests(self, SpotFleetRequestIds):
        out = []
        for fid in SpotFleetRequestIds:
            f = self.fleet_of("DescribeSpotFleetRequests", fid, True)
            out.append({"SpotFleetRequestId": fid, "SpotFleetRequestState": "modifying" if f.state == "modifying" else "active",
                        "SpotFleetRequestConfig": {"TargetCapacity": f.target, "FulfilledCapacity": f.fulfilled,
                                                   "ExcessCapacityTerminationPolicy": "noTermination" if f.policy == "no-termination" else "default"}})
        return {"SpotFleetRequestConfigs": out}

    def ec2_describe_spot_fleet_instances(self, SpotFleetRequestId, MaxResults=1000, NextToken=None):
        return self.fleet_active(self.fleet_of("DescribeSpotFleetInstances", SpotFleetRequestId, True), MaxResults, NextToken)

    def ec2_modify_spot_fleet_request(self, SpotFleetRequestId, TargetCapacity=None, ExcessCapacityTerminationPolicy=None):
        f = self.fleet_of("ModifySpotFleetRequest", SpotFleetRequestId, True)
        if f.state == "modifying":
            fail("ModifySpotFleetRequest", "IncorrectState", "the request is being modified")
        f.policy = "termination" if ExcessCapacityTerminationPolicy == "default" else "no-termination"
        f.target, f.state, f.modified_until = TargetCapacity, "modifying", self.minute + 1
        self.note(f"fleet {f.id} target {TargetCapacity}")
        return {"Return": True}

    def ec2_describe_fleets(self, FleetIds):
        out = []
        for fid in FleetIds:
            f = self.fleet_of("DescribeFleets", fid, False)
            out.append({"FleetId": fid, "FleetState": f.state, "Type": "maintain", "ActivityStatus": "fulfilled",
                        "ExcessCapacityTerminationPolicy": f.policy, "FulfilledCapacity": float(f.fulfilled),
                        "FulfilledOnDemandCapacity": float(f.od_fulfilled),
                        "TargetCapacitySpecification": {"TotalTargetCapacity": f.target,
                                                        "OnDemandTargetCapacity": f.od_target,
                                                        "SpotTargetCapacity": f.target - f.od_target,
                                                        "DefaultTargetCapacityType": "spot"}})
        return {"Fleets": out}

    def ec2_describe_fleet_instances(self, FleetId, MaxResults=1000, NextToken=None):
        return self.fleet_active(self.fleet_of("DescribeFleetInstances", FleetId, False), MaxResults, NextToken)

    def ec2_modify_fleet(self, FleetId, TargetCapacitySpecification=None, ExcessCapacityTerminationPolicy=None):
        f = self.fleet_of("ModifyFleet", FleetId, False)
        if f.state == "modifying":
            fail("ModifyFleet", "IncorrectState", "The fleet is in the modifying state")
        if ExcessCapacityTerminationPolicy:
            f.policy = ExcessCapacityTerminationPolicy
        f.target = TargetCapacitySpecification["TotalTargetCapacity"]
        f.od_target = TargetCapacitySpecification.get("OnDemandTargetCapacity", f.od_target)
        if f.od_target > f.target:
            fail("ModifyFleet", "InvalidParameterValue", "OnDemandTargetCapacity exceeds TotalTargetCapacity")
        f.state, f.modified_until = "modifying", self.minute + 1
        self.note(f"fleet {f.id} target {f.target}" + (f" on-demand {f.od_target}" if f.od_target else ""))
        return {"Return": True}

    def ec2_terminate_instances(self, InstanceIds):
        for iid in InstanceIds:
            if iid not in self.instances:
                fail("TerminateInstances", "InvalidInstanceID.NotFound", iid)
            self.terminate(iid, "ecsgen")
        return {"TerminatingInstances": [{"InstanceId": i} for i in InstanceIds]}

    def ec2_describe_instances(self, InstanceIds=None, Filters=(), NextToken=None, MaxResults=None):
        ids = set(InstanceIds or self.instances)
        for f in Filters:
            if f["Name"] == "instance-id":
                ids &= set(f["Values"])
            if len(f["Values"]) > 200:
                fail("DescribeInstances", "InvalidParameterValue", "at most 200 filter values")
        states = next((set(f["Values"]) for f in Filters if f["Name"] == "instance-state-name"), None)
        if InstanceIds and any(i not in self.instances for i in InstanceIds):
            fail("DescribeInstances", "InvalidInstanceID.NotFound", "not found")
        found = [self.instances[i] for i in sorted(ids) if i in self.instances and (states is None or self.instances[i].state in states)]
        return {"Reservations": [{"Instances": [{"InstanceId": i.id, "InstanceType": i.type, "State": {"Name": i.state},
                                                 "Tags": [{"Key": "ecsgen:cluster", "Value": self.cluster}]}]} for i in found]}

    def ec2_describe_instance_types(self, InstanceTypes=(), NextToken=None):
        return {"InstanceTypes": [{"InstanceType": t, "VCpuInfo": {"DefaultVCpus": self.types[t][0]},
                                   "MemoryInfo": {"SizeInMiB": self.types[t][1]},
                                   **({"GpuInfo": {"Gpus": [{"Name": "T4", "Manufacturer": "NVIDIA", "Count": GPUS[t]}]}}
                                      if t in GPUS else {})} for t in InstanceTypes]}

    # --- Auto Scaling API ---------------------------------------------------------------------------

    def autoscaling_describe_auto_scaling_groups(self, AutoScalingGroupNames=(), NextToken=None, MaxRecords=None):
        out = []
        for name in AutoScalingGroupNames:
            g = self.asgs.get(name)
            if g:
                out.append({"AutoScalingGroupName": name, "MinSize": g.min, "MaxSize": g.max, "DesiredCapacity": g.desired,
                            "Instances": [{"InstanceId": i, "LifecycleState": self.instances[i].lifecycle,
                                           "InstanceType": self.instances[i].type}
                                          for i in sorted(g.instances) if self.instances[i].state != "terminated"]})
        return {"AutoScalingGroups": out}

    def autoscaling_terminate_instance_in_auto_scaling_group(self, InstanceId, ShouldDecrementDesiredCapacity):
        i = self.instances.get(InstanceId)
        if not i or i.asg not in self.asgs:
            fail("TerminateInstanceInAutoScalingGroup", "ValidationError", "Instance Id not found")
        g = self.asgs[i.asg]
        if i.lifecycle != "InService":
            return {"Activity": {}}
        if ShouldDecrementDesiredCapacity:
            if g.desired - 1 < g.min:
                fail("TerminateInstanceInAutoScalingGroup", "ValidationError",
                     "Currently, desiredSize equals minSize. Terminating instance without replacement will violate group's min size constraint.")
            g.desired -= 1
        self.asg_leave(i)
        return {"Activity": {"StatusCode": "InProgress"}}

    def hooked(self, op, LifecycleHookName, AutoScalingGroupName, InstanceId):
        i = self.instances.get(InstanceId)
        if LifecycleHookName != "ecsgen-drain" or not i or i.asg != AutoScalingGroupName or i.lifecycle != "Terminating:Wait":
            fail(op, "ValidationError", "No active Lifecycle Action found with instance ID " + str(InstanceId))
        return i

    def autoscaling_complete_lifecycle_action(self, LifecycleHookName, AutoScalingGroupName, LifecycleActionResult,
                                              InstanceId=None, LifecycleActionToken=None):
        i = self.hooked("CompleteLifecycleAction", LifecycleHookName, AutoScalingGroupName, InstanceId)
        self.asg_finish(i, "ecsgen")
        return {}

    def autoscaling_record_lifecycle_action_heartbeat(self, LifecycleHookName, AutoScalingGroupName, InstanceId=None,
                                                      LifecycleActionToken=None):
        i = self.hooked("RecordLifecycleActionHeartbeat", LifecycleHookName, AutoScalingGroupName, InstanceId)
        i.hook_until = self.minute + math.ceil(self.asgs[i.asg].hook / 60)
        return {}

    # --- CloudFormation, CloudWatch, SSM, DynamoDB -------------------------------------------------------

    def cloudformation_describe_stacks(self, StackName=None, NextToken=None):
        names = sorted(self.stacks)
        start = int(NextToken or 0)
        page = {"Stacks": [{
            "StackName": st.name, "StackStatus": st.stack_status, "CreationTime": self.at(st.created),
            **({"LastUpdatedTime": self.at(st.updated)} if st.updated is not None else {}),
            "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in st.outputs.items()]}
            for st in (self.stacks[n] for n in names[start:start + 100])]}
        if start + 100 < len(names):
            page["NextToken"] = str(start + 100)
        return page

    def cloudformation_delete_stack(self, StackName, RoleARN=None):
        st = self.stacks.get(StackName)
        if st and st.stack_status != "DELETE_IN_PROGRESS":
            st.stack_status, st.deleting = "DELETE_IN_PROGRESS", self.minute + 2
            self.last_change = self.minute
        return {}

    def cloudwatch_put_metric_data(self, Namespace, MetricData):
        for d in MetricData:
            self.metrics.append((self.now, Namespace, d["MetricName"], d["Value"]))
        return {}

    def cloudwatch_get_metric_statistics(self, Namespace, MetricName, StartTime, EndTime, Period, Statistics, Dimensions=()):
        start = StartTime.timestamp() if hasattr(StartTime, "timestamp") else StartTime
        end = EndTime.timestamp() if hasattr(EndTime, "timestamp") else EndTime
        buckets = {}
        for t, ns, name, v in self.metrics:
            if ns == Namespace and name == MetricName and start <= t < end:
                buckets.setdefault(int(t // Period) * Period, []).append(v)
        return {"Datapoints": [{"Timestamp": datetime.datetime.fromtimestamp(k, datetime.timezone.utc),
                                "Average": sum(v) / len(v), "Maximum": max(v), "Minimum": min(v)} for k, v in buckets.items()]}

    def ssm_get_parameter(self, Name, WithDecryption=False):
        if Name not in self.params:
            fail("GetParameter", "ParameterNotFound", Name)
        return {"Parameter": {"Name": Name, "Value": self.params[Name]}}

    def ssm_put_parameter(self, Name, Value, Type="String", Overwrite=False):
        self.params[Name] = Value
        return {"Version": 1}

    def condition(self, expression, item, values):
        """The ConditionExpression forms a lease uses: OR/AND of attribute_(not_)exists(a), a < :v, a = :v."""
        def term(t):
            t = t.strip()
            m = re.fullmatch(r"attribute_(not_)?exists\((\w+)\)", t)
            if m:
                return (item is not None and m.group(2) in item) != bool(m.group(1))
            m = re.fullmatch(r"(\w+)\s*(<|=|<=|>)\s*(:\w+)", t)
            if not m:
                raise ValueError(f"unsupported condition {t!r}")
            have, want = (item or {}).get(m.group(1)), values[m.group(3)]
            if have is None:
                return False
            a, b = [float(x["N"]) if "N" in x else x.get("S") for x in (have, want)]
            return {"<": a < b, "=": a == b, "<=": a <= b, ">": a > b}[m.group(2)]
        return any(all(term(t) for t in part.split(" AND ")) for part in expression.split(" OR "))

    def dynamodb_put_item(self, TableName, Item, ConditionExpression=None, ExpressionAttributeValues=None, **kw):
        key = (TableName, Item["pk"]["S"])
        if ConditionExpression and not self.condition(ConditionExpression, self.items.get(key), ExpressionAttributeValues or {}):
            fail("PutItem", "ConditionalCheckFailedException", "The conditional request failed")
        self.items[key] = Item
        return {}

    def dynamodb_delete_item(self, TableName, Key, ConditionExpression=None, ExpressionAttributeValues=None, **kw):
        key = (TableName, Key["pk"]["S"])
        if ConditionExpression and not self.condition(ConditionExpression, self.items.get(key), ExpressionAttributeValues or {}):
            fail("DeleteItem", "ConditionalCheckFailedException", "The conditional request failed")
        self.items.pop(key, None)
        return {}


def matches(pattern, event):
    """EventBridge content matching: the subset the generated rules use (lists of values, prefix, $or)."""
    if "$or" in pattern:
        return any(matches(p, event) for p in pattern["$or"])
    for key, want in pattern.items():
        have = event.get(key)
        if isinstance(want, dict):
            if not isinstance(have, dict) or not matches(want, have):
                return False
            continue
        ok = False
        for w in want:
            if isinstance(w, dict) and "prefix" in w:
                ok |= isinstance(have, str) and have.startswith(w["prefix"])
            else:
                ok |= have == w
        if not ok:
            return False
    return True
