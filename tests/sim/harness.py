"""Runs the lifecycle functions exactly as a generated cluster.json embeds them against a fakeaws.World.

The template decides everything the functions see: their source (Code.ZipFile), their environment,
which EventBridge rules invoke them (schedules and event patterns) and how Lambda retries a failed
asynchronous invocation (AWS::Lambda::EventInvokeConfig; without one, two retries, the first after
about a minute, the second two minutes later:
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
A retry that falls due runs nested inside the same function's next scheduled run, as it would
overlap with it in Lambda.
"""
import contextlib
import io
import json
import os
import re
import sys
import traceback
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))

import fakeaws  # noqa: E402
import function_source  # noqa: E402  (tests/python: how the unittest cases read the embedded code)

_current = [None]
fakeaws.install(lambda: _current[0])


def _resolve(value, resources, cluster):
    if isinstance(value, str):
        return value
    if "Ref" in value:
        props = resources.get(value["Ref"], {}).get("Properties", {})
        return props.get("Name") or props.get("TableName") or props.get("TopicName") or f"{value['Ref']}-{cluster}"
    if "Fn::GetAtt" in value:
        return f"arn:aws:sim:::{value['Fn::GetAtt'][0]}"
    if "Fn::Sub" in value:
        return value["Fn::Sub"].replace("${AWS::Region}", "us-west-2").replace("${AWS::AccountId}", "123456789012") \
            .replace("${AWS::Partition}", "aws")
    raise ValueError(f"cannot resolve {value}")


class Function:
    def __init__(self, name, res, resources, cluster):
        self.name, self.logical = name, function_source.LOGICAL_IDS[name]
        self.code = function_source.inline_code(res)
        self.env = {k: _resolve(v, resources, cluster) for k, v in res["Properties"].get("Environment", {}).get("Variables", {}).items()}
        self.retries = 2
        for r in resources.values():
            if r["Type"] == "AWS::Lambda::EventInvokeConfig" and r["Properties"].get("FunctionName") in (
                    {"Ref": self.logical}, self.logical):
                self.retries = r["Properties"].get("MaximumRetryAttempts", 2)
        self.rate, self.pattern = None, None
        for r in resources.values():
            if r["Type"] != "AWS::Events::Rule":
                continue
            if any(t.get("Arn") == {"Fn::GetAtt": [self.logical, "Arn"]} for t in r["Properties"].get("Targets", [])):
                sched = r["Properties"].get("ScheduleExpression")
                if sched:
                    m = re.fullmatch(r"rate\((\d+) minutes?\)", sched)
                    self.rate = int(m.group(1))
                else:
                    self.pattern = r["Properties"]["EventPattern"]

    def load(self):
        module = types.ModuleType("index")
        module.__file__ = f"cluster.json#{self.logical}"
        exec(compile(self.code, module.__file__, "exec"), module.__dict__)
        module.time = fakeaws.Clock(lambda: _current[0])
        return module


class Harness:
    def __init__(self, template_path):
        with open(template_path, encoding="utf-8") as f:
            self.template = json.load(f)
        res = self.template["Resources"]
        self.cluster = res["CapacityMetricFunction"]["Properties"]["Environment"]["Variables"]["CLUSTER_NAME"]
        self.functions = {n: Function(n, res[lid], res, self.cluster) for n, lid in function_source.LOGICAL_IDS.items()}

    def run(self, scenario, world, verbose=False):
        _current[0] = world
        self.world, self.verbose = world, verbose
        self.modules = {n: f.load() for n, f in self.functions.items()}
        self.retry_due = []  # (minute, function, event, attempts left)
        param = self.functions["scaler"].env.get("STATE_PARAMETER")
        if param:
            world.params[param] = "{}"
        rules = [(n, f.pattern) for n, f in self.functions.items() if f.pattern]
        for m in range(scenario.minutes):
            world.minute, world.now = m, fakeaws.EPOCH + 60 * m
            scenario.script(world, m)
            world.advance_aws()
            world.schedule()
            self.event_retries()
            world.deliver(rules, self.invoke)
            for name in ("capacity_metric", "scaler", "cleanup"):
                f = self.functions[name]
                if f.rate and m % f.rate == 0:
                    world.now = fakeaws.EPOCH + 60 * m + 10 * ("capacity_metric", "scaler", "cleanup").index(name)
                    due = [r for r in self.retry_due if r[1] == name and r[0] <= m]
                    self.retry_due = [r for r in self.retry_due if r not in due]
                    if name == "scaler" and scenario.flags.get("overlap"):
                        due.append((m, "scaler", {"source": "aws.events", "detail-type": "Scheduled Event"}, 99))
                    self.invoke(name, {"source": "aws.events", "detail-type": "Scheduled Event"}, nested=due)
            world.now = fakeaws.EPOCH + 60 * m + 40
            world.deliver(rules, self.invoke)
            world.check_minute()
            scenario.observe(world, m)
        _current[0] = None

    def lifecycle_alarms(self):
        """The template's alarms on the scaler's metrics (emitters/cfn_alarms.c), by logical id."""
        ns = self.functions["scaler"].env.get("METRIC_NAMESPACE")
        return {lid: r["Properties"] for lid, r in self.template["Resources"].items()
                if r["Type"] == "AWS::CloudWatch::Alarm" and r["Properties"].get("Namespace") == ns}

    def fired(self, world):
        """The lifecycle alarms that would have gone to ALARM over what the scaler published.

        CloudWatch's rules: a period breaches when its statistic is >= Threshold; the alarm goes
        to ALARM when DatapointsToAlarm of EvaluationPeriods consecutive periods breach; a period
        without data does not breach (TreatMissingData notBreaching).  Periods are aligned to the
        clock.  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
        """
        out = []
        for lid, a in sorted(self.lifecycle_alarms().items()):
            if a["ComparisonOperator"] != "GreaterThanOrEqualToThreshold" or a.get("TreatMissingData") != "notBreaching":
                raise ValueError(f"{lid}: the simulator evaluates only >= with missing data not breaching")
            period, n = a["Period"], a["EvaluationPeriods"]
            need, stat = a.get("DatapointsToAlarm", n), {"Maximum": max, "Minimum": min}[a["Statistic"]]
            buckets = {}
            for t, ns, name, v in world.metrics:
                if ns == a["Namespace"] and name == a["MetricName"]:
                    buckets.setdefault(int(t // period), []).append(v)
            if not buckets:
                continue
            breach = [k in buckets and stat(buckets[k]) >= a["Threshold"] for k in range(min(buckets), max(buckets) + 1)]
            if any(sum(breach[i:i + n]) >= need for i in range(len(breach) - n + 1)):
                out.append(lid)
        return out

    def invoke(self, name, event, nested=(), attempt=0):
        w, f = self.world, self.functions[name]
        run = fakeaws.Box(name=name, calls=0, mutated=False, overlaps=[])
        outer, pending = w.caller, list(nested)

        def overlap(r):
            # The worst moment for a second run: the first has read the world and is about to act on it.
            while pending:
                _, fn, ev, n = pending.pop(0)
                self.invoke(fn, ev, attempt=n)
        if pending:
            w.before_acting[name] = overlap
        w.caller = run
        w.begin(run)
        saved = {k: os.environ.get(k) for k in f.env}
        os.environ.update(f.env)
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                self.modules[name].handler(event, None)
        except Exception as e:  # what Lambda would log as the function's error
            w.exceptions += 1
            w.note(f"{name} raised {type(e).__name__}: {e}")
            if self.verbose:
                w.note(traceback.format_exc())
            if attempt < f.retries:
                self.retry_due.append((w.minute + (1 if attempt == 0 else 2), name, event, attempt + 1))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            w.end(run)
            w.caller = outer
            if w.before_acting.get(name) is overlap:
                del w.before_acting[name]
            overlap(run)  # a run that never acted: the other one still runs, after it
            if self.verbose:
                for line in out.getvalue().splitlines():
                    w.note(f"  {name}: {line}")

    def event_retries(self):
        due = [r for r in self.retry_due if r[0] <= self.world.minute and self.functions[r[1]].pattern]
        self.retry_due = [r for r in self.retry_due if r not in due]
        for _, name, event, n in due:
            self.invoke(name, event, attempt=n)
