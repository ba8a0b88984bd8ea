"""IAM's size quotas on every policy the generated templates create.

    python3 sizes.py ECSGEN EXAMPLES_DIR WORK      (prints TAP)
    python3 sizes.py --probe                      (prints TAP: the check fails an oversized policy)

IAM counts a policy's characters without white space, after CloudFormation
has resolved its intrinsics:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
  - the inline policies of one role, together: 10,240 characters;
  - one managed policy: 6,144 characters;
  - a role's trust policy: 2,048 characters (the default quota).
GetAccountSummary names the same three quotas "in non-whitespace characters":
https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html

Every example is compiled twice: with its own cluster name and with the
longest one ecsgen accepts (79 characters: CloudFormation's 128 less
"-compute-" and a 40-character VERSION), since the cluster's name is in
most ARNs.  Intrinsics resolve in account 123456789012, region us-west-2
(tests/iam/resolve.py); the check keeps a margin for the longest region
and partition names (each ARN's "us-west-2" and "aws" counted at their
longest), so no region can tip a policy over.
"""
import json
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from resolve import PARTITION, REGION, Stacks, Unresolved  # noqa: E402
from requests import compile_example  # noqa: E402

ROLE_INLINE = 10240
MANAGED = 6144
TRUST = 2048
# The longest region and partition names, for the margin: "ap-southeast-5"
# and the like are 14 characters, "us-gov-west-1" 13; "aws-us-gov" 10.
LONGEST_REGION = 14
LONGEST_PARTITION = 10
LONGEST_CLUSTER = 128 - len("-compute-") - 40


def size(doc):
    """Characters IAM counts: the JSON without any white space."""
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    n = len(re.sub(r"\s", "", text))
    # Each ARN's region and partition at their longest.
    n += text.count(f":{REGION}:") * (LONGEST_REGION - len(REGION))
    n += text.count(f"arn:{PARTITION}:") * (LONGEST_PARTITION - len(PARTITION))
    return n


def measure(stacks):
    """(what, characters, quota) for every policy of every template."""
    rows = []
    for stack, t in sorted(stacks.templates.items()):
        for lid, r in sorted(t.get("Resources", {}).items()):
            props = r.get("Properties", {})
            if r["Type"] == "AWS::IAM::Role":
                inline = sum(size(stacks.value(stack, p["PolicyDocument"])) for p in props.get("Policies", []))
                if props.get("Policies"):
                    rows.append((f"{stack}.json {lid}: inline policies together", inline, ROLE_INLINE))
                rows.append((f"{stack}.json {lid}: trust policy",
                             size(stacks.value(stack, props["AssumeRolePolicyDocument"])), TRUST))
            elif r["Type"] == "AWS::IAM::ManagedPolicy":
                rows.append((f"{stack}.json {lid}: managed policy",
                             size(stacks.value(stack, props["PolicyDocument"])), MANAGED))
            elif r["Type"].startswith("AWS::IAM::") and r["Type"].endswith("Policy"):
                # AWS::IAM::Policy, RolePolicy...: inline on roles named elsewhere.
                raise Unresolved(f"{stack}.json {lid}: {r['Type']} is not counted: add it to its roles' totals")
    return rows


class Tap:
    def __init__(self):
        self.n = self.failed = 0

    def ok(self, name, cond, why=""):
        self.n += 1
        print(("ok" if cond else "not ok") + f" {self.n} - {name}")
        if not cond:
            self.failed += 1
            for line in str(why).splitlines():
                print(f"# {line}")

    def done(self):
        print(f"1..{self.n}")
        return 1 if self.failed else 0


def check(tap, label, stacks):
    rows = measure(stacks)
    over = [f"{what}: {n} characters, over IAM's {quota}" for what, n, quota in rows if n > quota]
    tightest = sorted(rows, key=lambda r: r[1] / r[2], reverse=True)[:3]
    print("# " + label + ": tightest: " + "; ".join(f"{w} {n}/{q}" for w, n, q in tightest))
    tap.ok(f"{label}: {len(rows)} policies within IAM's quotas (inline per role {ROLE_INLINE}, "
           f"managed {MANAGED}, trust {TRUST})", rows and not over, "\n".join(over) or "no policy found")


def probe():
    """The check is able to fail: a role whose inline policies add up to
    more than 10,240 characters, a managed policy over 6,144 and a trust
    policy over 2,048, each one character over."""
    tap = Tap()

    def doc(chars):
        base = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ""}]}
        pad = chars - size(base)
        base["Statement"][0]["Resource"] = "x" * pad
        assert size(base) == chars
        return base

    for quota, kind in ((ROLE_INLINE, "inline"), (MANAGED, "managed"), (TRUST, "trust")):
        for n, want in ((quota, True), (quota + 1, False)):
            if kind == "inline":
                # Two policies on one role: each under the quota, their sum n.
                res = {"R": {"Type": "AWS::IAM::Role", "Properties": {
                    "AssumeRolePolicyDocument": doc(200),
                    "Policies": [{"PolicyName": "a", "PolicyDocument": doc(n // 2)},
                                 {"PolicyName": "b", "PolicyDocument": doc(n - n // 2)}]}}}
            elif kind == "managed":
                res = {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": doc(n)}}}
            else:
                res = {"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": doc(n)}}}
            stacks = Stacks("c", {"cluster": {"Resources": res}})
            rows = measure(stacks)
            fits = all(c <= q for _, c, q in rows)
            tap.ok(f"probe: {kind} policy of {n} characters is {'within' if want else 'over'} the {quota} quota",
                   fits == want, rows)
    return tap.done()


def folded(stacks):
    """The templates as they were before the deploy role's rights were split
    (issue 15): each customer managed policy a role attaches folded back
    into that role's inline policies."""
    templates = json.loads(json.dumps(stacks.templates))
    for t in templates.values():
        res = t.get("Resources", {})
        for r in list(res.values()):
            if r["Type"] != "AWS::IAM::Role":
                continue
            props = r["Properties"]
            for arn in list(props.get("ManagedPolicyArns", [])):
                own = res.get(arn.get("Ref", "")) if isinstance(arn, dict) else None
                if own and own["Type"] == "AWS::IAM::ManagedPolicy":
                    props.setdefault("Policies", []).append({"PolicyName": arn["Ref"],
                                                             "PolicyDocument": own["Properties"]["PolicyDocument"]})
                    props["ManagedPolicyArns"].remove(arn)
    out = Stacks(stacks.cluster, templates)
    out.assets = stacks.assets
    return out


def main(ecsgen, examples_dir, work):
    tap = Tap()
    probed = False
    for example in sorted(d for d in os.listdir(examples_dir) if os.path.isfile(os.path.join(examples_dir, d, "infra.yml"))):
        path = os.path.join(examples_dir, example)
        own = yaml.safe_load(open(os.path.join(path, "infra.yml")))["cluster"]["name"]
        longest = ("c" + "x" * LONGEST_CLUSTER)[:LONGEST_CLUSTER]
        for cluster in (own, longest):
            label = f"{example} ({'its own name' if cluster == own else f'a {len(cluster)}-character name'})"
            try:
                stacks = Stacks(cluster, compile_example(ecsgen, path, cluster, work))
                # The assets stack's export (the bucket), as requests.py reads it.
                stacks.assets = json.load(open(os.path.join(work, f"{example}-{cluster}", "out", "cloudformation",
                                                            "assets.json")))
                check(tap, label, stacks)
                if example == "full" and cluster == own:
                    # The check fails the shape before the split: one role over 10,240.
                    rows = measure(folded(stacks))
                    over = [f"{w}: {n}" for w, n, q in rows if n > q]
                    tap.ok(f"{label}: folded back into DeployRole's inline policies, the deploy role's rights "
                           f"are over the quota ({'; '.join(over) or 'nothing over'})", bool(over), rows)
                    probed = True
            except Unresolved as e:
                tap.ok(f"{label}: every policy resolves", False, e)
    tap.ok("examples/full was probed with the deploy role's rights folded back", probed)
    return tap.done()


if __name__ == "__main__":
    if sys.argv[1:] == ["--probe"]:
        sys.exit(probe())
    sys.exit(main(*sys.argv[1:4]))
