"""Issue 14's race scenarios in the simulator: the real scripts' lock and demote steps, then the real functions.

    python3 race_scenarios.py --out OUT [--only NAME] [--verbose] [--baseline probe|all|none] [--jobs N]

OUT is a generated out/ (its Makefile, scripts/ and cloudformation/).  v1 serves a 10-task service;
v2 (minute 10) and v3 (minute 12) come up beside it; their deploys' last steps run as the
generated Makefile runs them -- `make deploy`'s lock (lock.sh run "deploy VERSION", the deploy's
sub-make reduced to its smoke-test step, SMOKE_TEST=skip: the lock renewed, compute.sh demote,
deploy-stack.sh's Status flip) -- as subprocesses whose aws calls lockstep.py answers from the
World (awscli.py).  Then the lifecycle functions of OUT's cluster.json run minute by minute
(harness.py) and drain, scale and clean up.  Each scenario must end with exactly one active
version, the newest (v3), and the only stack left; never a minute with no active version after the
deploys start; no service task killed (stopped by an instance's termination or a fleet shrink, not
drained and replaced: World.killed); I1-I8 held; the service back at its desired count; every Status
flip keeping the other parameters (TemplateDigest among them); and each script step's exit status
and words as the scenario says.

"baseline" rows run the same scenario with compute.sh's demote as it was before issue 14
(baseline/demote-pre-issue-14.sh: every other active stack set inactive) and must fail the
outcome checks: that is how the test shows it can fail.  The scripts take a few seconds of a loaded
machine per call, so by default only one baseline row runs (the probe); --baseline all runs every
scenario's (each fails: the table is in the commit that added them).
"""
import argparse
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import awscli  # noqa: E402
import fakeaws  # noqa: E402
import harness  # noqa: E402
import lockstep  # noqa: E402
import scenarios  # noqa: E402

START = 20  # the minute the deploys' smoke tests pass
NEWEST = "v3"


class Race(scenarios.Scenario):
    minutes = 180
    steps = ()   # (minute, [(job, kind, version, env)], kill {job: predicate} or None)
    expect = ()  # (job, exit status, regex of its output or None)
    lock = None  # a lock item in the table from the start (the stale-lock scenario)

    def __init__(self, ctx, variant):
        super().__init__(False)
        self.ctx, self.variant, self.results = ctx, variant, {}
        for minute, jobs, kill in self.steps:
            kill = {job: factory() for job, factory in (kill or {}).items()}
            self.at(minute, lambda w, jobs=jobs, kill=kill: self.run_steps(w, jobs, kill))

    def setup(self, w):
        self.cli = awscli.Cli(w, self.ctx.compute, self.ctx.cluster, self.ctx.names)
        self.lockstep = lockstep.Lockstep(self.cli, os.path.join(HERE, "aws"), self.ctx.work, self.ctx.env)
        w.deploy("v1", fleets=[dict(weights={"m5.large": 1}, desired=2, timeout=120)])
        w.service("web", 10, cpu=256, mem=512)
        self.at(10, lambda w: w.deploy("v2", fleets=[dict(weights={"m5.large": 1}, desired=1)]))
        self.at(12, lambda w: w.deploy(NEWEST, fleets=[dict(weights={"m5.large": 1}, desired=1)]))
        if self.lock:
            w.items[(self.ctx.names["LOCK_TABLE"], "deploy")] = dict(self.lock)

    def run_steps(self, w, jobs, kill):
        argvs = [(job, self.ctx.argv(kind, version), env) for job, kind, version, env in jobs]
        for job, r in self.lockstep.run(argvs, kill=kill).items():
            self.results[job] = r
            w.note(f"script {job}: exit {r.rc}, {r.calls} aws calls")
            for line in r.out.splitlines():
                w.note(f"  {job}: {line}")

    def observe(self, w, m):
        super().observe(w, m)
        if m >= START and not [st for st in w.stacks.values() if st.status == "active"]:
            self.flags.setdefault("none_active", m)

    def goal(self, w):
        return scenarios.versions(w) == [NEWEST] and scenarios.whole(w) and scenarios.quiet(w)

    def checks(self, w):
        """[(ok, what, detail)]: the outcome's checks, then the scripts'."""
        active = sorted(st.version for st in w.stacks.values() if st.status == "active")
        web = w.services["web"]
        running = len(w.live_tasks(service="web", state="RUNNING"))
        out = [
            (active == [NEWEST], f"exactly one active version, the newest ({NEWEST})", f"active: {active or 'none'}"),
            ("none_active" not in self.flags, "never a minute without an active version",
             f"none active from minute {self.flags.get('none_active')}"),
            (w.killed == 0, "no service task killed", f"{w.killed} killed"),
            (not w.violations, "I1-I8 hold", "; ".join(f"minute {m} {i}: {s}" for m, i, s in w.violations[:3])),
            (running == web.desired, "the service is back at its desired count", f"{running}/{web.desired} running"),
            (self.converged_at(w) is not None, f"converges: {NEWEST} the only stack, quiet for 30 minutes",
             f"stacks: {scenarios.versions(w)}"),
            (not self.cli.param_changes, "every Status flip keeps the other parameters", "; ".join(self.cli.param_changes)),
            (w.exceptions == 0, "the functions raised nothing", f"{w.exceptions} exception(s): "
             + "; ".join(line for line in w.log if " raised " in line)[:600]),
        ]
        if self.variant == "new":
            for job, rc, pattern in self.expect:
                r = self.results.get(job)
                got = "never ran" if r is None else f"exit {r.rc}"
                pattern = pattern and pattern.replace("CLUSTER", re.escape(self.ctx.names["CLUSTER"]))
                ok = r is not None and r.rc == rc and (pattern is None or re.search(pattern, r.out, re.M))
                out.append((bool(ok), f"{job} exits {rc}" + (f" saying /{pattern}/" if pattern else ""),
                            got + ("" if r is None else ": " + r.out.strip().replace("\n", " | ")[-600:])))
        return out


def deploy(job, version, **env):
    return (job, "deploy", version, env)


class Together(Race):
    """Both deploys pass in the same minute, each under make deploy's lock: v2's calls first."""
    name = "both-pass-together"
    steps = ((START, [deploy("v2", "v2"), deploy("v3", NEWEST)], None),)
    expect = (("v2", 0, r"demoting 'CLUSTER-compute-v1'"),
              ("v3", 0, r"demoting 'CLUSTER-compute-v2'"))


class TogetherNewerFirst(Race):
    """Both pass in the same minute, v3's calls first: v2 finds itself demoted."""
    name = "both-pass-together-newer-first"
    steps = ((START, [deploy("v3", NEWEST), deploy("v2", "v2")], None),)
    expect = (("v3", 0, r"demoting 'CLUSTER-compute-v2'"),
              ("v2", 2, r"version v2 is inactive, not active .*it demotes nothing"))


class TogetherUnlocked(Race):
    """Both pass in the same minute with no lock (compute.sh demote run directly, as a broken lock
    leaves them): their calls interleave one by one."""
    name = "both-pass-together-unlocked"
    steps = ((START, [("v2", "demote", "v2", {}), ("v3", "demote", NEWEST, {})], None),)
    # Both flip v1; CloudFormation refuses v3's update-stack while v2's runs: v3 waits and tries again.
    expect = (("v2", 0, r"demoting 'CLUSTER-compute-v1'"),
              ("v3", 0, r"stack 'CLUSTER-compute-v1' is being updated by another run; waiting for it to settle"),
              ("v3", 0, r"demoting 'CLUSTER-compute-v2'"))


class TogetherUnlockedNewerFirst(Race):
    """Both pass in the same minute with no lock, v3's calls first."""
    name = "both-pass-together-unlocked-newer-first"
    steps = ((START, [("v3", "demote", NEWEST, {}), ("v2", "demote", "v2", {})], None),)
    expect = (("v3", 0, r"demoting 'CLUSTER-compute-v2'"),
              ("v2", 0, r"'CLUSTER-compute-v3' was created after 'CLUSTER-compute-v2'.*left to its own deploy"))


class OlderFirst(Race):
    """The older passes first (minute 20), the newer four minutes later."""
    name = "older-passes-first"
    steps = ((START, [deploy("v2", "v2")], None), (START + 4, [deploy("v3", NEWEST)], None))
    expect = (("v2", 0, r"'CLUSTER-compute-v3' was created after 'CLUSTER-compute-v2'.*left to its own deploy"),
              ("v3", 0, r"demoting 'CLUSTER-compute-v2'"))


class NewerFirst(Race):
    """The newer passes first, the older four minutes later: it demotes nothing and fails."""
    name = "newer-passes-first"
    steps = ((START, [deploy("v3", NEWEST)], None), (START + 4, [deploy("v2", "v2")], None))
    expect = (("v3", 0, None), ("v2", 2, r"version v2 is inactive, not active .*it demotes nothing"))


def after_flip():
    """A deploy killed mid-way: at its first call after it asked for a Status flip."""
    seen = []

    def kill(n, argv):
        if argv[:2] == ["cloudformation", "update-stack"]:
            seen.append(n)
            return False
        return bool(seen)
    return kill


class Killed(Race):
    """v2's deploy is killed (SIGKILL: no trap) right after it asked for v1's flip, holding the lock.
    v3's deploy at minute 21 (LOCK_WAIT=0) is refused, naming the holder and make unlock; someone
    runs make unlock at 22; v3's deploy again at 23; v2's pipeline retries at 30."""
    name = "deploy-killed-holding-lock"
    steps = ((START, [deploy("v2", "v2")], {"v2": after_flip}),
             (START + 1, [deploy("v3-refused", NEWEST, LOCK_WAIT="0")], None),
             (START + 2, [("unlock", "unlock", NEWEST, {})], None),
             (START + 3, [deploy("v3", NEWEST)], None),
             (START + 10, [deploy("v2-retry", "v2")], None))
    expect = (("v3-refused", 2, r"cluster 'CLUSTER' is locked: deploy v2 by .* now in demote for v2.*"),
              ("v3-refused", 2, r"if that run is dead .*: make unlock$"),
              ("unlock", 0, r"broke the lock of cluster 'CLUSTER': deploy v2 by "),
              ("v3", 0, r"demoting 'CLUSTER-compute-v2'"),
              ("v2-retry", 2, r"version v2 is inactive, not active .*it demotes nothing"))

    def checks(self, w):
        out = super().checks(w)
        r = self.results.get("v2")
        out.append((r is not None and r.killed_at is not None, "v2's deploy was killed mid-way",
                    f"{r!r}"))
        return out


class Stale(Race):
    """A lock left by a dead run whose lease ran out; both deploys pass together: the first takes it over."""
    name = "stale-lock"
    lock = {"pk": {"S": "deploy"}, "holder": {"S": "gone"}, "what": {"S": "deploy v0"}, "who": {"S": "ci"},
            "place": {"S": "CodeBuild build b:1 on ip-10 (pid 9)"}, "since": {"S": "2024-01-01T00:00:00Z"},
            "phase": {"S": "smoke-test v0"}, "expires_at": {"N": "1704074400"}}
    steps = ((START, [deploy("v2", "v2"), deploy("v3", NEWEST)], None),)
    expect = (("v2", 0, r"took over the lock of cluster 'CLUSTER' from a run whose lease ran out: deploy v0 by ci"),
              ("v3", 0, r"demoting 'CLUSTER-compute-v2'"))


RACES = [Together, TogetherNewerFirst, TogetherUnlocked, TogetherUnlockedNewerFirst, OlderFirst, NewerFirst, Killed, Stale]


class Context:
    """One generated out/ ready to run: its templates, its names, the steps' command lines."""

    def __init__(self, out, work, demote=None):
        import json
        self.out, self.work = os.path.abspath(out), work
        if demote:
            self.out = self.baseline(out, demote)
        with open(os.path.join(self.out, "cloudformation", "compute.json")) as f:
            self.compute = json.load(f)
        with open(os.path.join(self.out, "cloudformation", "cluster.json")) as f:
            self.cluster = json.load(f)
        self.template = os.path.join(self.out, "cloudformation", "cluster.json")
        with open(os.path.join(self.out, "Makefile")) as f:
            makefile = f.read()
        self.names = dict(re.findall(r"^([A-Z_]+) := (.*)$", makefile, re.M))
        # make deploy's own recipe, its sub-make reduced to the smoke-test step.
        m = re.search(r"^deploy: check-version\n((?:\t.*\n)+)", makefile, re.M)
        recipe = m.group(1) if m else ""
        phases = "deploy-assets deploy-cluster deploy-health deploy-compute smoke-test"
        if phases not in recipe or "lock.sh\" run" not in recipe:
            raise SystemExit(f"race: the generated deploy recipe is not the lock around {phases}:\n{recipe}")
        self.race_mk = os.path.join(work, "race.mk")
        with open(self.race_mk, "w") as f:
            f.write("race-deploy: check-version\n" + recipe.replace(phases, "smoke-test") +
                    "race-demote: check-version\n\t@sh \"$$OUT/scripts/compute.sh\" demote \"$$CLUSTER\" \"$$VERSION\"\n")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("ECSGEN_LOCK_", "AWS_", "MAKE"))
                    and k not in ("DEPLOY_PLAN", "CODEBUILD_BUILD_ID", "COMPUTE_ROLE_ARN", "LOCK_WAIT", "MFLAGS")}

    def baseline(self, out, demote):
        """A copy of out/ whose compute.sh demotes the pre-issue-14 way."""
        copy = os.path.join(self.work, "out-baseline")
        shutil.copytree(out, copy)
        path = os.path.join(copy, "scripts", "compute.sh")
        with open(path) as f:
            script = f.read()
        with open(demote) as f:
            old = "".join(line for line in f if not line.startswith("#"))
        new, n = re.subn(r"^demote\)\n.*?^\t;;\n(?=retire\))", lambda _: old, script, flags=re.M | re.S)
        if n != 1:
            raise SystemExit("race: cannot find compute.sh's demote branch to replace")
        with open(path, "w") as f:
            f.write(new)
        return copy

    def argv(self, kind, version):
        make = ["make", "-s", "--no-print-directory"]
        if kind == "unlock":
            return make + ["-f", os.path.join(self.out, "Makefile"), "unlock"]
        target = {"deploy": "race-deploy", "demote": "race-demote"}[kind]
        return make + ["-f", self.race_mk, "-f", os.path.join(self.out, "Makefile"), target,
                       f"VERSION={version}", "SMOKE_TEST=skip"]


def run_one(cls, out, variant, demote, verbose):
    work = tempfile.mkdtemp(prefix="ecsgen-race.")
    try:
        ctx = Context(out, work, demote if variant == "baseline" else None)
        sc = cls(ctx, variant)
        h = harness.Harness(ctx.template)
        w = fakeaws.World(h.cluster, types_=scenarios.TYPES)
        start = time.time()
        h.run(sc, w, verbose=verbose)
        checks = sc.checks(w)
        active = sorted(st.version for st in w.stacks.values() if st.status == "active")
        return dict(name=cls.name, variant=variant, checks=checks, active=active, killed=w.killed, lost=w.lost,
                    violations=len(w.violations), converged=sc.converged_at(w), calls=len(sc.cli.calls),
                    none_active=sc.flags.get("none_active"), seconds=time.time() - start,
                    scripts={j: r.rc for j, r in sc.results.items()}, log=w.log if verbose else [])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--baseline-demote", default=os.path.join(HERE, "baseline", "demote-pre-issue-14.sh"))
    p.add_argument("--baseline", choices=("probe", "all", "none"), default="probe",
                   help="baseline rows: one probe (both-pass-together), every scenario, or none")
    p.add_argument("--only")
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    a = p.parse_args()
    work = [(c, "new") for c in RACES] + [(c, "baseline") for c in {"probe": RACES[:1], "all": RACES, "none": []}[a.baseline]]
    if a.only:
        work = [x for x in work if x[0].name == a.only]
    start = time.time()
    args = [(c, a.out, v, a.baseline_demote, a.verbose) for c, v in work]
    if a.jobs > 1 and len(args) > 1:
        with multiprocessing.Pool(a.jobs) as pool:
            rows = pool.starmap(run_one, args, chunksize=1)
    else:
        rows = [run_one(*x) for x in args]
    print(f"# {'scenario':40} {'variant':9} {'active at end':>13} {'killed':>6} {'lost':>4} {'violations':>10} "
          f"{'converged':>10} {'no active from':>14} {'aws calls':>9}  scripts")
    for r in rows:
        conv = "never" if r["converged"] is None else f"minute {r['converged']}"
        none = "-" if r["none_active"] is None else f"minute {r['none_active']}"
        print(f"# {r['name']:40} {r['variant']:9} {','.join(r['active']) or 'none':>13} {r['killed']:>6} {r['lost']:>4} "
              f"{r['violations']:>10} {conv:>10} {none:>14} {r['calls']:>9}  "
              + " ".join(f"{j}:{rc}" for j, rc in r["scripts"].items()))
    n = failed = 0
    for r in rows:
        if r["variant"] == "new":
            for ok, what, detail in r["checks"]:
                n += 1
                failed += not ok
                print(f"{'ok' if ok else 'not ok'} {n} - {r['name']}: {what}")
                if not ok:
                    print(f"# {detail}")
        else:
            # The outcome checks (the first six: the scripts' own words are the new code's) must fail.
            bad = [what for ok, what, _ in r["checks"][:6] if not ok]
            n += 1
            failed += not bad
            print(f"{'ok' if bad else 'not ok'} {n} - {r['name']} (baseline, the pre-issue-14 demote): "
                  f"fails the outcome checks ({'; '.join(bad) or 'it passed them all'})")
        for line in r["log"]:
            print(f"# {line}")
    print(f"1..{n}")
    print(f"# {len(rows)} runs in {time.time() - start:.1f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
