"""The named scenarios of issue 13 and the seeded random runs.

A scenario sets a world up, acts on it at given minutes (what people, the pipeline and AWS do),
and says what a converged world looks like.  Instance sizes: m5.large 2 vCPU / 8 GiB, m5.xlarge
4 / 16, m5.2xlarge 8 / 32 (ECS registers vCPU x 1024 CPU units and the memory less 256 MiB).
Fleet ids: EC2 Fleet (fleet-...) unless a scenario says legacy, or the variant is the baseline,
whose functions know only the legacy Spot Fleet API.
"""
import json
import random

from fakeaws import EPOCH

TYPES = {"m5.large": (2, 8192), "m5.xlarge": (4, 16384), "m5.2xlarge": (8, 32768), "c5.large": (2, 4096),
         "m6g.large": (2, 8192),
         "g4dn.xlarge": (4, 16384), "g4dn.12xlarge": (48, 196608)}
SMOKE = 6  # minutes from a deploy to its smoke test passing and the old version going inactive


class Scenario:
    minutes = 180
    legacy = False
    baseline_fails = False  # the baseline must show this scenario's failure (issue 13's list)
    alarms = ()  # the lifecycle alarms (emitters/cfn_alarms.c) the run must raise, and no other

    def __init__(self, legacy=None):
        if legacy is not None:
            self.legacy = legacy
        self.actions = {}
        self.flags = {}

    def at(self, minute, fn):
        self.actions.setdefault(minute, []).append(fn)

    def script(self, w, m):
        if m == 0:
            self.setup(w)
            w.warm()
        for fn in self.actions.get(m, []):
            fn(w)

    def setup(self, w):
        pass

    def observe(self, w, m):
        if self.goal(w):
            self.flags.setdefault("since", m)
        else:
            self.flags.pop("since", None)

    def goal(self, w):
        return whole(w) and quiet(w)

    def converged_at(self, w):
        return self.flags.get("since")

    def deploy(self, version, **kw):
        fleets = kw.pop("fleets", [dict(weights={"m5.large": 1}, desired=1)])
        return lambda w: w.deploy(version, fleets=fleets, legacy=kw.pop("legacy", self.legacy), **kw)


def whole(w):
    """Every service runs its desired count and no job waits for room it could get."""
    return all(s.daemon or len(w.live_tasks(service=s.name, state="RUNNING")) == s.desired for s in w.services.values())


def quiet(w, minutes=30):
    return w.minute - w.last_change >= minutes


def versions(w):
    return sorted(st.version for st in w.stacks.values())


def live_instances(w):
    return [i for i in w.instances.values() if i.state in ("pending", "running")]


# --- the named scenarios -----------------------------------------------------------------------

class Deploy(Scenario):
    """Issue 13, 1: v1 with 4 nodes and 20 tasks, v2 deployed with desired_weight 1."""
    name, baseline_fails = "deploy", True

    def __init__(self, legacy=None, v2_legacy=None):
        super().__init__(legacy)
        self.v2_legacy = self.legacy if v2_legacy is None else v2_legacy
        self.at(20, self.deploy("v2", legacy=self.v2_legacy))
        self.at(20 + SMOKE, lambda w: w.set_status("v1", "inactive"))

    def setup(self, w):
        w.deploy("v1", fleets=[dict(weights={"m5.large": 1}, desired=4, timeout=120)], legacy=self.legacy)
        w.service("web", 20, cpu=256, mem=512)

    def goal(self, w):
        return versions(w) == ["v2"] and whole(w) and quiet(w)


class LegacyToFleet(Deploy):
    """A legacy Spot Fleet version retired for an EC2 Fleet one (issue 12's migration)."""
    name = "legacy-to-ec2-fleet"

    def __init__(self, legacy=None):
        super().__init__(legacy=True if legacy is None else legacy, v2_legacy=legacy if legacy else False)


class BatchJob(Scenario):
    """Issue 13, 2: no services, two 60-minute run-task jobs on three nodes; idle scale-in must not kill them."""
    name, baseline_fails, minutes = "batch-job", True, 150

    def setup(self, w):
        w.deploy("v1", fleets=[dict(weights={"m5.large": 1}, desired=3)], legacy=self.legacy)
        w.job(2048, 4096, 60)  # one node each
        w.job(2048, 4096, 60)

    def goal(self, w):
        return not w.jobs and not w.live_tasks(kind="standalone") and not live_instances(w) and quiet(w)


class Weights124(Scenario):
    """Issue 13, 3: weights 1, 2, 4 (the 4-unit type cheapest per unit), 16-task nodes."""
    name, baseline_fails, minutes = "weights-1-2-4", True, 240

    def setup(self, w):
        w.deploy("v1", fleets=[dict(weights={"m5.xlarge": 4, "m5.large": 2, "c5.large": 1}, desired=1, max=16,
                                    thr_out=3, thr_in=10)], legacy=self.legacy)
        w.service("web", 20, cpu=256, mem=512)


class Thresholds34(Scenario):
    """Issue 13, 3: task_threshold_out 3, task_threshold_in 4 must not flap."""
    name, minutes = "thresholds-3-4", 240

    def setup(self, w):
        w.deploy("v1", fleets=[dict(weights={"m5.large": 1}, desired=2, thr_out=3, thr_in=4)], legacy=self.legacy)
        w.service("web", 10, cpu=256, mem=512)


class AsgThrottle(Scenario):
    """Issue 13, 4: one throttled TerminateInstanceInAutoScalingGroup during retirement."""
    name, baseline_fails = "asg-throttle", True

    def setup(self, w):
        w.deploy("v1", fleets=[dict(weights={"m5.large": 1}, desired=2)], asgs=[dict(type="m5.large", size=2)],
                 legacy=self.legacy)
        w.service("web", 8, cpu=256, mem=512)
        w.throttle_rules.append([None, "TerminateInstanceInAutoScalingGroup", 1])
        self.at(20, self.deploy("v2", fleets=[dict(weights={"m5.large": 1}, desired=2)],
                                asgs=[dict(type="m5.large", size=2)]))
        self.at(20 + SMOKE, lambda w: w.set_status("v1", "inactive"))

    def goal(self, w):
        return versions(w) == ["v2"] and whole(w) and quiet(w)


class ReservedHook(Scenario):
    """Issue 13, 5: a reserved node running a 40-minute job is retired: the hook must wait for it."""
    name = "reserved-hook"

    def setup(self, w):
        w.deploy("v1", asgs=[dict(type="m5.large", size=1)], legacy=self.legacy, autoscaling=False)
        self.at(5, lambda w: w.job(1024, 2048, 40))
        self.at(10, self.deploy("v2", fleets=[], asgs=[dict(type="m5.large", size=1)], autoscaling=False))
        self.at(10 + SMOKE, lambda w: w.set_status("v1", "inactive"))

    def goal(self, w):
        return versions(w) == ["v2"] and not w.live_tasks(kind="standalone") and quiet(w)


class HookHeartbeat(Scenario):
    """The group itself takes a node running a 40-minute job (desired capacity lowered by hand):
    the termination hook must be kept alive until the job is done (I1)."""
    name, baseline_fails = "asg-hook-heartbeat", True

    def setup(self, w):
        w.deploy("v1", asgs=[dict(type="m5.large", size=2)], legacy=self.legacy, autoscaling=False)
        w.job(2048, 4096, 40)  # fills the oldest node
        self.at(5, self.lower)

    def lower(self, w):
        g = next(iter(w.asgs.values()))
        g.desired = g.min = 1
        job = w.live_tasks(kind="standalone")[0]
        w.asg_leave(w.instances[w.nodes[job.node].iid])  # the group's choice: the node with the job

    def goal(self, w):
        return not w.live_tasks(kind="standalone") and len(live_instances(w)) == 1 and quiet(w)


class FleetThrottle(Deploy):
    """TerminateInstances is throttled twice during retirement and scale-in: nothing may lower a target twice (I5)."""
    name = "terminate-throttled"

    def setup(self, w):
        super().setup(w)
        w.throttle_rules.append([None, "TerminateInstances", 2])


class Burst(Scenario):
    """Scale-out must be proportional (I8): 2 -> 40 -> 2 tasks."""
    name, minutes = "burst-2-40-2", 240

    def setup(self, w):
        w.deploy("v1", fleets=[dict(weights={"m5.large": 1}, desired=1, max=16)], legacy=self.legacy)
        w.service("web", 2, cpu=256, mem=512)
        self.at(30, lambda w: setattr(w.services["web"], "desired", 40))
        self.at(90, lambda w: setattr(w.services["web"], "desired", 2))

    def observe(self, w, m):
        super().observe(w, m)
        if 30 <= m < 90 and len(w.live_tasks(service="web", state="RUNNING")) >= 40:
            self.flags.setdefault("placed", m - 30)
        if m == 89 and self.flags.get("placed", 99) > 8:
            w.violate("I8", f"40 tasks placed after {self.flags.get('placed', 'more than 60')} minutes (bound: 8)")


class IdleToZero(Scenario):
    """Idle to zero and back (I7): a service goes to 0 for 90 minutes, then comes back."""
    name, minutes = "idle-to-zero-and-back", 240

    def setup(self, w):
        w.deploy("v1", fleets=[dict(weights={"m5.xlarge": 2, "m5.large": 1}, desired=2, max=16)], legacy=self.legacy)
        w.service("web", 6, cpu=256, mem=512)
        self.at(20, lambda w: setattr(w.services["web"], "desired", 0))
        self.at(140, lambda w: setattr(w.services["web"], "desired", 6))

    def observe(self, w, m):
        super().observe(w, m)
        if m == 139 and live_instances(w):
            w.violate("I7", f"{len(live_instances(w))} instance(s) left after two idle hours")


class TwoActive(Scenario):
    """Two active versions at once, both autoscaled."""
    name = "two-active-versions"

    def setup(self, w):
        w.deploy("v1", fleets=[dict(weights={"m5.large": 1}, desired=2)], legacy=self.legacy)
        w.service("web", 12, cpu=256, mem=512)
        self.at(20, self.deploy("v2", fleets=[dict(weights={"m5.large": 1}, desired=2)]))

    def goal(self, w):
        return versions(w) == ["v1", "v2"] and whole(w) and quiet(w)


class Reactivate(Deploy):
    """v1 is re-activated by hand while it deflates."""
    name = "reactivate-mid-deflate"

    def __init__(self, legacy=None):
        super().__init__(legacy)
        self.at(20 + SMOKE + 3, lambda w: w.set_status("v1", "active"))

    def goal(self, w):
        return versions(w) == ["v1", "v2"] and whole(w) and quiet(w)


class FailedSmoke(Scenario):
    """v2's nodes never register (its smoke test fails); the deploy sets v2 inactive."""
    name = "failed-smoke-test"

    def setup(self, w):
        w.deploy("v1", fleets=[dict(weights={"m5.large": 1}, desired=3)], legacy=self.legacy)
        w.service("web", 12, cpu=256, mem=512)
        self.at(20, lambda w: w.deploy("v2", fleets=[dict(weights={"m5.large": 1}, desired=2)], legacy=self.legacy,
                                       registers=False))
        self.at(20 + 15, lambda w: w.set_status("v2", "inactive"))

    def goal(self, w):
        return versions(w) == ["v1"] and whole(w) and quiet(w)


class SpotMidDrain(Deploy):
    """A spot interruption hits a v1 node while v1 deflates."""
    name = "spot-interruption-mid-drain"

    def __init__(self, legacy=None):
        super().__init__(legacy)
        self.at(20 + SMOKE + 4, self.interrupt)

    def interrupt(self, w):
        draining = sorted(n.iid for n in w.nodes.values() if n.status == "DRAINING")
        v1 = sorted(n.iid for n in w.nodes.values() if n.version == "v1")
        target = (draining or v1 or sorted(i.id for i in live_instances(w)))[0]
        w.interrupt(target)


class Nodes150(Scenario):
    """150 nodes: every listing paginates."""
    name, minutes = "150-nodes", 120

    def setup(self, w):
        w.deploy("v1", fleets=[dict(weights={"m5.large": 1}, desired=150, max=200, min=0)], legacy=self.legacy)
        w.service("web", 900, cpu=256, mem=512, min_healthy=50)
        self.at(30, self.deploy("v2", fleets=[dict(weights={"m5.large": 1}, desired=120, max=200)]))
        self.at(30 + SMOKE, lambda w: w.set_status("v1", "inactive"))

    def goal(self, w):
        return versions(w) == ["v2"] and whole(w) and quiet(w, 10)


class Unfit(Scenario):
    """A service whose task fits no bid (I7): reported, never a reason to grow."""
    name, minutes = "task-fits-no-bid", 120
    alarms = ("UnfitDemandAlarm",)

    def setup(self, w):
        w.deploy("v1", fleets=[dict(weights={"m5.large": 1}, desired=1, max=16)], legacy=self.legacy)
        w.service("web", 4, cpu=256, mem=512)
        w.service("huge", 1, cpu=16384, mem=65536)

    def goal(self, w):
        f = next(iter(w.fleets.values()))
        return f.target <= 2 and quiet(w)

    def observe(self, w, m):
        super().observe(w, m)
        f = next(iter(w.fleets.values()))
        if f.target >= 16 and "grew" not in self.flags:
            self.flags["grew"] = m
            w.violate("I7", "the fleet grew to max_weight for a task that fits no bid")


class RetireBlocked(Deploy):
    """I2: v2 is capped (max_weight 1) below what v1's service needs: retirement waits, says so, kills nothing."""
    name, baseline_fails = "retirement-blocked", False
    alarms = ("RetirementBlockedAlarm",)

    def __init__(self, legacy=None):
        Scenario.__init__(self, legacy)
        self.at(20, self.deploy("v2", fleets=[dict(weights={"m5.large": 1}, desired=1, max=1)]))
        self.at(20 + SMOKE, lambda w: w.set_status("v1", "inactive"))

    def goal(self, w):
        return versions(w) == ["v1", "v2"] and whole(w) and quiet(w)


class LongJobDrain(HookHeartbeat):
    """I1: the group takes a node running a 100-minute job; it drains, kept by the hook, past an hour."""
    name, baseline_fails, minutes = "long-job-drain", False, 180
    alarms = ("DrainOverdueAlarm",)

    def setup(self, w):
        w.deploy("v1", asgs=[dict(type="m5.large", size=2)], legacy=self.legacy, autoscaling=False)
        w.job(2048, 4096, 100)  # fills the oldest node
        self.at(5, self.lower)


class DrainedByHand(Deploy):
    """Someone drains a v1 node by hand just before v1 is retired."""
    name = "drained-by-hand"

    def __init__(self, legacy=None):
        super().__init__(legacy)
        self.at(20 + SMOKE - 1, lambda w: w.drain_by_hand(sorted(n.iid for n in w.nodes.values() if n.version == "v1")[0]))


class FleetGone(Deploy):
    """v1's fleet is deleted outside ecsgen (its id no longer resolves) before v1 retires."""
    name = "fleet-gone"

    def __init__(self, legacy=None):
        super().__init__(legacy)
        self.at(20 + SMOKE - 1, self.remove)

    def remove(self, w):
        st = w.stacks[f"{w.cluster}-compute-v1"]
        for fid in st.fleets:
            f = w.fleets.pop(fid)
            for iid in sorted(f.instances):
                w.terminate(iid, "aws")


class Overlap(Deploy):
    """Two scaler runs at once (I6): a second run starts inside every run between minutes 20 and 60."""
    name = "overlapping-runs"

    def script(self, w, m):
        super().script(w, m)
        self.flags["overlap"] = 20 <= m < 60


class ArmWaits(Scenario):
    """Issue 17: an arm64 service waits while only the x86_64 fleet has room: the arm64 fleet grows
    (from zero), the x86_64 one does not, and the web tasks that name no architecture keep running."""
    name, baseline_fails = "arm64-task-waits", True

    def setup(self, w):
        w.deploy("v1", fleets=[dict(name="X86", weights={"m5.large": 1}, desired=3, min=1, max=16, variant="x86_64"),
                               dict(name="Arm", weights={"m6g.large": 1}, desired=0, min=0, max=8, variant="arm64")],
                 legacy=self.legacy)
        w.service("web", 4, cpu=256, mem=512)
        self.at(10, lambda w: w.service("arm-api", 6, cpu=512, mem=1024, arch="arm64"))

    def goal(self, w):
        arm = [f for f in w.fleets.values() if "m6g.large" in f.weights]
        x86 = [f for f in w.fleets.values() if "m5.large" in f.weights]
        on_arm = all(w.nodes[t.node].arch == "arm64" for t in w.live_tasks(service="arm-api"))
        # Growing the x86_64 fleet (the one with room) for arm64 tasks is the failure: paid for,
        # never used by them, and the arm64 fleet grows only once it is at max_weight.
        if x86[0].target > 3:
            self.flags["wasted"] = True
        return whole(w) and quiet(w) and on_arm and arm[0].target >= 1 and not self.flags.get("wasted")


class SpotGone(Scenario):
    """Issue 17: spot capacity gone for 30 minutes while the load doubles.  With on_demand_fallback
    10m the fleet gets on-demand nodes within the duration (and keeps asking for spot); nothing is
    killed; once spot is back the on-demand nodes drain and go."""
    name, fallback, od_cap, gone = "spot-gone-30m-fallback", 600, None, ((20, 50),)

    def setup(self, w):
        spec = dict(name="Main", weights={"m5.large": 1}, desired=2, max=16, variant="x86_64")
        if self.fallback:
            spec["fallback"] = self.fallback
        if self.od_cap is not None:
            spec["od_cap"] = self.od_cap
        w.deploy("v1", fleets=[spec], legacy=self.legacy)
        w.service("web", 6, cpu=512, mem=1024)
        self.at(20, lambda w: setattr(w.services["web"], "desired", 14))
        for start, end in self.gone:
            self.at(start, lambda w: setattr(w, "spot_gone", True))
            self.at(end, lambda w: setattr(w, "spot_gone", False))

    def observe(self, w, m):
        f = next(iter(w.fleets.values()))
        if any(i.on_demand for i in live_instances(w)):
            self.flags.setdefault("od_at", m)
        if f.od_target != self.flags.get("od_target", 0):
            # Oscillation: the on-demand target turning around (up after down, or down after up)
            # sooner than the scaler's cooldown, 300 s.
            up = f.od_target > self.flags.get("od_target", 0)
            if up != self.flags.get("od_up", up) and m - self.flags.get("od_changed", -99) < 5:
                self.flags["flapped"] = m
            self.flags["od_target"], self.flags["od_changed"], self.flags["od_up"] = f.od_target, m, up
        if any(name == "OnDemandUnfulfilled" and v > 0 for _, _, name, v in w.metrics):
            self.flags["reported"] = True
        # What `make status` shows (compute.sh reads the scaler's state): the fleet is on the
        # fallback exactly while it asks for on-demand units, and its switches are counted.
        fid = next(iter(w.fleets))
        state = json.loads(next((v for k, v in w.params.items() if k.endswith("/scaler-state")), "") or "{}")
        if f.od_target and f"fallback:{fid}" not in state:
            self.flags["unrecorded"] = m
        if state.get(f"switches:{fid}"):
            self.flags["switches_seen"] = True
        self.flags["state_on"] = f"fallback:{fid}" in state
        super().observe(w, m)

    def goal(self, w):
        f = next(iter(w.fleets.values()))
        back = not any(i.on_demand for i in live_instances(w)) and f.od_target == 0
        # The state says so too (make status): off once back, and every switch was recorded.
        recorded = not self.flags.get("unrecorded") and not self.flags.get("state_on")
        if self.fallback:
            recorded = recorded and self.flags.get("switches_seen")
        return (whole(w) and quiet(w) and back and not self.flags.get("flapped") and self.fallen_back()
                and recorded)

    def fallen_back(self):
        # On-demand nodes within the duration: 10 minutes, the scaler's minute, a boot.
        at = self.flags.get("od_at")
        return at is not None and at <= self.gone[0][0] + 10 + 4


class SpotFlapping(SpotGone):
    """Issue 17: spot comes and goes (gone 12 minutes, back 3) under load: the on-demand target
    never changes faster than the cooldown, and the cluster settles on spot."""
    name, gone = "spot-flapping", tuple((m, m + 12) for m in range(20, 100, 15))

    def fallen_back(self):
        return self.flags.get("od_at") is not None


class FallbackOff(SpotGone):
    """Issue 17: without on_demand_fallback nothing changes: no on-demand node, ever; the waiting
    tasks run once spot is back."""
    name, fallback = "spot-gone-fallback-off", None

    def fallen_back(self):
        return self.flags.get("od_at") is None


class FallbackCapped(SpotGone):
    """Issue 17: on_demand_fallback_max_per_hour below one node's price: the on-demand target is
    raised, nothing launches, the scaler reports it (OnDemandUnfulfilled), and gives the target up
    once spot is back."""
    name, od_cap = "spot-gone-cap-blocks", 0.05

    def fallen_back(self):
        return self.flags.get("od_at") is None and self.flags.get("reported")


class GpuWaits(Scenario):
    """Issue 17: GPU tasks count GPUs when packing.  Three GPU tasks (one GPU each) wait while the
    one g4dn.xlarge (1 GPU, 4 vCPU) has CPU and memory to spare but no free GPU: the GPU fleet grows
    by enough at once, by the GPUs the tasks reserve, not by their CPU (which would fit them all on
    the node there is).  And the web tasks, which reserve no GPU, keep their task_threshold_out of
    headroom on the x86_64 fleet: the GPU nodes' spare CPU is not counted as their room."""
    name = "gpu-tasks-wait"

    def setup(self, w):
        w.deploy("v1", fleets=[dict(name="Web", weights={"m5.large": 1}, desired=2, min=1, max=16, variant="x86_64"),
                               dict(name="Gpu", weights={"g4dn.xlarge": 1}, desired=1, min=0, max=8, variant="gpu",
                                    thr_out=0, thr_in=4)],
                 legacy=self.legacy)
        w.service("web", 4, cpu=512, mem=1024)
        w.service("infer", 1, cpu=512, mem=2048, gpu=1)
        self.at(20, lambda w: setattr(w.services["infer"], "desired", 4))

    def observe(self, w, m):
        gpu = next(f for f in w.fleets.values() if "g4dn.xlarge" in f.weights)
        if m >= 20 and "grew_to" not in self.flags and gpu.target > 1:
            self.flags["grew_to"] = gpu.target
        # The capacity metric's Headroom (CONTRACT.md: tasks of the largest service that still fit)
        # counts GPUs as the scaler does: while a GPU task waits and no active node has a GPU free,
        # no more of it fit, whatever CPU and memory are spare.
        headroom = [v for t, _, name, v in w.metrics if name == "Headroom" and (t - EPOCH) // 60 == m]
        free_gpus = sum(n.gpus - n.ugpu for n in w.nodes.values() if n.status == "ACTIVE")
        waiting = len(w.live_tasks(service="infer")) < w.services["infer"].desired
        if headroom and waiting and not free_gpus and headroom[-1] > 0:
            self.flags.setdefault("headroom_without_gpus", (m, headroom[-1]))
        super().observe(w, m)

    def goal(self, w):
        web = next(f for f in w.fleets.values() if "m5.large" in f.weights)
        # The web tasks' room on the x86_64 fleet: its nodes hold every web task and task_threshold_out
        # more (counting the GPU node's spare CPU as theirs scales the web fleet in to one node).
        slots = sum(min(n.cpu // 512, n.mem // 1024) for n in w.nodes.values()
                    if n.status == "ACTIVE" and n.iid in web.instances)
        room = slots - w.services["web"].desired
        on_gpu = all(w.nodes[t.node].gpus for t in w.live_tasks(service="infer"))
        # Enough at once: the first growth after the wait covers the four GPU tasks.
        return (whole(w) and quiet(w) and on_gpu and self.flags.get("grew_to", 0) >= 4
                and room >= web.thr_out and "headroom_without_gpus" not in self.flags)


SCENARIOS = [Deploy, BatchJob, Weights124, AsgThrottle, Thresholds34, ReservedHook, HookHeartbeat, FleetThrottle, Burst, IdleToZero, TwoActive,
             Reactivate, FailedSmoke, SpotMidDrain, Nodes150, Unfit, DrainedByHand, FleetGone, Overlap, LegacyToFleet,
             RetireBlocked, LongJobDrain, ArmWaits, SpotGone, SpotFlapping, FallbackOff, FallbackCapped,
             GpuWaits]


# --- seeded random runs ------------------------------------------------------------------------------

class Random(Scenario):
    """Random services and jobs, weights 1/2/4, deploys, interruptions, 5% throttling; 6 simulated hours.

    Activity stops two hours before the end, so a run that converges shows it."""
    minutes = 360

    def __init__(self, seed, legacy=None):
        super().__init__(legacy)
        self.seed, self.name = seed, f"seed-{seed}"
        self.rng = random.Random(seed)
        self.throttle = 0.05

    def setup(self, w):
        r = self.rng
        self.fleet = dict(weights={"m5.xlarge": 4, "m5.large": 2, "c5.large": 1} if r.random() < 0.5 else
                          {"m5.large": 1, "m5.xlarge": 2}, desired=r.choice([1, 2, 4]), max=24,
                          thr_out=r.choice([1, 2, 3]), thr_in=r.choice([6, 8, 12]))
        w.deploy("v1", fleets=[self.fleet], legacy=self.legacy)
        for k in range(r.randint(1, 3)):
            w.service(f"svc{k}", r.randint(1, 12), cpu=r.choice([128, 256, 512]), mem=r.choice([256, 512, 1024]),
                      min_healthy=r.choice([50, 100]), max_pct=200)
        self.version = 1
        for m in range(10, self.minutes - 120):
            x = r.random()
            if x < 0.03:
                self.at(m, lambda w, d=r.randint(0, 16), k=r.randint(0, 2): self.resize(w, k, d))
            elif x < 0.06:
                self.at(m, lambda w, c=r.choice([256, 512, 1024]), d=r.randint(3, 90): w.job(c, c * 2, d))
            elif x < 0.075:
                self.at(m, self.interrupt_one)
            elif x < 0.085:
                self.at(m, self.new_version)

    def resize(self, w, k, desired):
        s = w.services.get(f"svc{k}")
        if s:
            s.desired = desired

    def interrupt_one(self, w):
        spot = sorted(i.id for i in live_instances(w) if i.fleet and i.notice is None)
        if spot:
            w.interrupt(spot[self.rng.randrange(len(spot))])

    def new_version(self, w):
        old = [st.version for st in w.stacks.values() if st.status == "active"]
        self.version += 1
        v = f"v{self.version}"
        w.deploy(v, fleets=[dict(self.fleet, desired=self.rng.choice([1, 2]))], legacy=self.legacy)

        def retire(w, old=old):
            for version in old:
                if f"{w.cluster}-compute-{version}" in w.stacks:
                    w.set_status(version, "inactive")
        self.at(w.minute + SMOKE, retire)

    def goal(self, w):
        return whole(w) and len([st for st in w.stacks.values() if st.status == "inactive"]) == 0 and quiet(w, 10)


def named(legacy=None):
    return [cls(legacy) for cls in SCENARIOS]
