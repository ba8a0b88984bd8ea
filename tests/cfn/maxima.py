"""The supported maxima (man ecsgen, SUPPORTED MAXIMA), one input at each.

    python3 maxima.py WORKDIR      (ECSGEN names the binary)

An ordinary input first: every name at its longest allowed length, two
fleets of three bids, a group, two EFS and two EBS mounts, subnets found at
deploy (six override slots a bid), a 2 KB user_data file.  Then one input
per maximum, that list at its maximum and the rest ordinary, and one past
each maximum.  Each input at a maximum compiles, and every template stays
at or under 80% of each of CloudFormation's limits for a template passed by
URL (the assets template: of the 51,200-byte inline limit); one item more
is refused with a located error and nothing is written.  The maxima are
read from `ecsgen --help` (the schema table), so the test follows the table
and fails when a maximum no longer fits.  cfn-lint checks every template of
every input at a maximum, in one call.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
Prints TAP.
"""
import json
import os
import re
import subprocess
import sys

ECSGEN = os.environ["ECSGEN"]
BODY, INLINE, RESOURCES, PARAMETERS, OUTPUTS = 1000000, 51200, 500, 200, 200
SHARE = 0.8
OVERRIDES = 300  # a fleet's most launch template overrides (EC2 Fleet API reference)
NAME = 79        # cluster name: 128 - len("-compute-") - 40
count = failed = 0


def ok(name, cond, why=""):
    global count, failed
    count += 1
    print(f"{'ok' if cond else 'not ok'} {count} - {name}")
    if not cond:
        failed += 1
        for line in str(why).splitlines()[:20]:
            print(f"# {line}")
    sys.stdout.flush()
    return cond


def maxima():
    """{key path: most items}, from ecsgen --help."""
    text = subprocess.run([ECSGEN, "--help"], capture_output=True, text=True, check=True).stdout
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^  (\S+) +(?:list of [a-z]+|mapping of strings).*, at most (\d+)$", text, re.M)}


def item(prefix, i, width=64):
    """A list item's name at its longest (64 characters), unique by i."""
    head = f"{prefix}{i:03d}"
    return head + "n" * (width - len(head))


def infra(counts):
    """infra.yml text for the given list lengths (ordinary where not given)."""
    n = {"ingress": 3, "subnets": 0, "security_groups": 0, "efs": 2, "ebs": 2, "fleets": 2, "bids": 3,
         "groups": 1, "tags": 0, **counts}
    lines = ["cluster:", "  name: c" + "x" * (NAME - 1)]
    if n["tags"]:
        # Each key and value at its longest (127 and 256 characters), unique by i.
        lines.append("  tags:")
        lines += [f"    t{i:03d}{'k' * 123}: {'v' * 256}" for i in range(n["tags"])]
    if n["subnets"]:
        lines.append("  vpc: vpc-0a1b2c3d")
        lines.append("  subnets: [" + ", ".join(f"subnet-{i:08x}" for i in range(n["subnets"])) + "]")
    if n["security_groups"]:
        lines.append("  security_groups: [" + ", ".join(f"sg-{0x1000 + i:08x}" for i in range(n["security_groups"])) + "]")
    if n["ingress"]:
        lines.append("  security_group_ingress: [" + ", ".join(f"sg-{0x2000 + i:08x}" for i in range(n["ingress"])) + "]")
    lines.append("  keypair: " + "k" * 255)
    lines.append("ec2_instances:")
    lines.append("  user_data: user-data.sh")
    if n["efs"]:
        lines.append("  efs_mounts:")
        lines += [f"    - {{name: {item('e', i)}, efs_id: fs-{i:08x}, local_path: /mnt/{'e' * 240}{i:03d}}}"
                  for i in range(n["efs"])]
    if n["ebs"]:
        lines.append("  ebs_mounts:")
        lines.append("    - {name: root, device_name: /dev/xvda, size: 30}")
        lines += [f"    - {{name: {item('v', i)}, device_name: /dev/xvd{chr(98 + i)}, size: 100, "
                  f"mount_path: /data/{'v' * 240}{i:03d}}}" for i in range(n["ebs"] - 1)]
    if n["fleets"]:
        lines.append("  spot_fleets:")
        for f in range(n["fleets"]):
            lines += [f"    - name: {item('f', f)}", "      timeout: 59m", "      min_weight: 0",
                      "      max_weight: 10000", "      desired_weight: 10000", "      bids:"]
            lines += [f"        - {{instance_type: {family}.{size}, price: 123.456789, weight: 999}}"
                      for family, size in instance_types(n["bids"])]
    if n["groups"]:
        lines.append("  auto_scaling_groups:")
        lines += [f"    - {{name: {item('g', g)}, instance_type: m5.24xlarge, desired_instances: 1}}"
                  for g in range(n["groups"])]
    return "\n".join(lines) + "\n"


def instance_types(k):
    # Real types only: an EC2 Fleet override's InstanceType is an enum in the
    # resource schema cfn-lint checks (c5n has no 24xlarge).
    families = ["m5", "m5d", "m5n", "m5dn", "m6i", "m6id", "m6in", "m6idn", "c5", "c5d", "c7i", "c6i", "c6id",
                "c6in", "r5", "r5d", "r5n", "r5dn", "r6i", "r6id", "r6in", "r6idn"]
    return [(families[i], "24xlarge") for i in range(k)]


def user_data_text(size):
    line = "echo \"${HOSTNAME}\" 'it''s' \\\\ done  # a line of user data\n"
    return (line * (size // len(line) + 1))[:size - 1] + "\n"


def compile_input(work, label, counts, size=2048):
    folder = os.path.join(work, label)
    os.makedirs(folder, exist_ok=True)
    text = infra(counts)
    with open(os.path.join(folder, "infra.yml"), "w") as f:
        f.write(text)
    with open(os.path.join(folder, "user-data.sh"), "w") as f:
        f.write(user_data_text(size))
    r = subprocess.run([ECSGEN, "-q", os.path.join(folder, "infra.yml"), "-o", os.path.join(folder, "out")],
                       capture_output=True, text=True, timeout=120)
    return folder, r


def within(label, folder):
    """Every template of folder/out within SHARE of each limit; returns the template paths."""
    paths = []
    cfn = os.path.join(folder, "out", "cloudformation")
    problems, sizes = [], []
    for name in sorted(os.listdir(cfn)):
        path = os.path.join(cfn, name)
        paths.append(path)
        size = os.path.getsize(path)
        t = json.load(open(path))
        body = INLINE if name == "assets.json" else BODY
        counts = {"bytes": (size, body), "resources": (len(t["Resources"]), RESOURCES),
                  "parameters": (len(t.get("Parameters", {})), PARAMETERS),
                  "outputs": (len(t.get("Outputs", {})), OUTPUTS)}
        for what, (n, limit) in counts.items():
            if n > SHARE * limit:
                problems.append(f"{name}: {n} {what}, more than {int(SHARE * 100)}% of {limit}")
        sizes.append(f"{name} {size}")
        for rid, r in t["Resources"].items():
            if r["Type"] in ("AWS::EC2::SpotFleet", "AWS::EC2::EC2Fleet"):
                props = r["Properties"].get("SpotFleetRequestConfigData", r["Properties"])
                n = sum(len(c["Overrides"]) for c in props["LaunchTemplateConfigs"])
                if n > OVERRIDES:
                    problems.append(f"{name} {rid}: {n} overrides, more than {OVERRIDES}")
    ok(f"{label}: every template within {int(SHARE * 100)}% of each CloudFormation limit ({', '.join(sizes)})",
       not problems, "\n".join(problems))
    return paths


def main():
    work = sys.argv[1]
    most = maxima()
    # Counted: nine lists of the cluster and its nodes,
    # cluster.tags, and environments (each a cluster of its own and a pipeline stage: its
    # templates are these, checked per environment; not varied here).
    ok("ecsgen --help names the maxima of every list and mapping", len(most) == 11, most)
    variants = [
        ("ordinary input", {}, 2048),
        ("security_group_ingress at its maximum", {"ingress": most["cluster.security_group_ingress"]}, 2048),
        ("subnets at their maximum", {"subnets": most["cluster.subnets"]}, 2048),
        ("security_groups at their maximum", {"security_groups": most["cluster.security_groups"]}, 2048),
        ("efs_mounts at their maximum", {"efs": most["ec2_instances.efs_mounts"]}, 2048),
        ("ebs_mounts at their maximum", {"ebs": most["ec2_instances.ebs_mounts"]}, 2048),
        ("spot_fleets at their maximum", {"fleets": most["ec2_instances.spot_fleets"]}, 2048),
        ("bids at their maximum, in the most subnets",
         {"bids": most["ec2_instances.spot_fleets[].bids"], "subnets": most["cluster.subnets"]}, 2048),
        ("auto_scaling_groups at their maximum", {"groups": most["ec2_instances.auto_scaling_groups"]}, 2048),
        ("user_data at its maximum", {}, 8192),
        ("tags at their maximum, each key and value at its longest", {"tags": most["cluster.tags"]}, 2048),
    ]
    lint = []
    for i, (label, counts, size) in enumerate(variants):
        folder, r = compile_input(work, f"at{i}", counts, size)
        if ok(f"{label}: ecsgen compiles it", r.returncode == 0, r.stderr):
            lint += within(label, folder)
    past = [
        ("security_group_ingress", {"ingress": most["cluster.security_group_ingress"] + 1}),
        ("subnets", {"subnets": most["cluster.subnets"] + 1}),
        ("security_groups", {"security_groups": most["cluster.security_groups"] + 1}),
        ("efs_mounts", {"efs": most["ec2_instances.efs_mounts"] + 1}),
        ("ebs_mounts", {"ebs": most["ec2_instances.ebs_mounts"] + 1}),
        ("spot_fleets", {"fleets": most["ec2_instances.spot_fleets"] + 1}),
        ("bids", {"bids": most["ec2_instances.spot_fleets[].bids"] + 1}),
        ("auto_scaling_groups", {"groups": most["ec2_instances.auto_scaling_groups"] + 1}),
        ("tags", {"tags": most["cluster.tags"] + 1}),
    ]
    for i, (key, counts) in enumerate(past):
        folder, r = compile_input(work, f"past{i}", counts)
        said = re.search(rf"infra\.yml:\d+:\d+: error: '{key}' has \d+ items; ecsgen supports at most \d+", r.stderr)
        ok(f"one item past the maximum of {key}: exit 1, a located error, nothing written",
           r.returncode == 1 and said and not os.path.exists(os.path.join(folder, "out")), r.stderr)
    if lint:
        r = subprocess.run(["cfn-lint", "--format", "parseable", "--", *lint], capture_output=True, text=True)
        ok(f"cfn-lint: no error and no warning in the {len(lint)} templates at the maxima", r.returncode == 0,
           r.stdout + r.stderr)
    print(f"1..{count}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
