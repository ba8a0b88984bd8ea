"""Real-AWS readiness of the generated outputs (issue 15): what moto ignores.

    python3 ready_checks.py EXAMPLE_DIR OUT_DIR [EXAMPLE_DIR OUT_DIR]...

Per example, statically:
 1. the root volume: compute.json takes RootDeviceName and RootVolumeSize
    at creation, and deploy-compute.sh reads the image's root device and
    snapshot size (describe-images) and passes max(requested, snapshot);
    the Makefile carries the size infra.yml requests;
 2. every launch template maps an encrypted gp3 root on that device, and
    no other mapping names /dev/xvda (an image rooted at /dev/sda1 would get
    a stray volume);
 3. the node group always exists, admits the load-balancer badge and every
    security_group_ingress, and the nodes wear it beside infra.yml's groups
    and the DB badge, five at most;
 7. task containers cannot reach IMDS: hop limit 1, ECS_AWSVPC_BLOCK_IMDS,
    the DOCKER-USER drop loaded by a systemd unit after docker (unless
    infra.yml's imds_for_tasks opts out);
10. the Packer bake never opens SSH to 0.0.0.0/0 (the builder's /32), and
    make ami checks the source image's ImdsSupport;
12. compute stacks get, on creation, a stack policy that denies
    Update:Replace and Update:Delete on fleets, groups and launch templates
    and allows Update:* on the rest;
 4. the compute VpcId parameter (it feeds only an output) is a String;
 6. the badge groups keep the original tool's GroupDescription verbatim
    (create-only: other text replaces the groups its stacks import);
11. the pipeline role may use the source connection by the action of the
    ARN's own service (codeconnections: or codestar-connections:), and
    nothing when the GitHub token is the source.
Prints TAP.
"""
import base64
import json
import os
import re
import sys

import yaml

# The node rule of item 7: the one AWS documents for bridge-mode tasks.
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
IPTABLES = "iptables -I DOCKER-USER 1 -i docker+ -d 169.254.169.254/32 -j DROP"
# A launch template's EBS root must be at least the snapshot:
# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/RootDeviceStorage.html
# Five security groups per network interface by default:
# https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups
GROUPS_PER_ENI = 5
# Stack policies: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/protect-stack-resources.html
PROTECTED = {"AWS::EC2::SpotFleet", "AWS::EC2::EC2Fleet", "AWS::AutoScaling::AutoScalingGroup",
             "AWS::EC2::LaunchTemplate"}


class Tap:
    def __init__(self):
        self.count = self.failed = 0

    def ok(self, name, cond, why=""):
        self.count += 1
        print(("ok" if cond else "not ok") + f" {self.count} - {name}")
        if not cond:
            self.failed += 1
            for line in str(why).splitlines()[:25]:
                print(f"# {line}")
        return cond


tap = Tap()


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def launch_templates(compute):
    return {rid: r["Properties"]["LaunchTemplateData"] for rid, r in compute["Resources"].items()
            if r["Type"] == "AWS::EC2::LaunchTemplate"}


def user_data(data):
    sub = data["UserData"]["Fn::Base64"]["Fn::Sub"]
    return sub if isinstance(sub, str) else sub[0]


def requested_root(doc):
    for m in (doc.get("ec2_instances") or {}).get("ebs_mounts") or []:
        if m.get("device_name") == "/dev/xvda":
            return m.get("size")
    return None


def image_suffixes(compute):
    """The image variants' parameter suffixes (issue 17): AMI, AMIArm64, AMIGpu -> "", "Arm64", "Gpu"."""
    return sorted(k[3:] for k in compute["Parameters"] if k.startswith("AMI"))


def check_root(name, doc, out, compute):
    params = compute["Parameters"]
    suffixes = image_suffixes(compute)
    tap.ok(f"{name}: item 1: compute.json takes RootDeviceName (String) and RootVolumeSize (Number) per image variant",
           suffixes and all(params.get("RootDeviceName" + s, {}).get("Type") == "String"
                            and params.get("RootVolumeSize" + s, {}).get("Type") == "Number" for s in suffixes),
           json.dumps(params)[:600])
    script = read(os.path.join(out, "scripts", "deploy-compute.sh"))
    tap.ok(f"{name}: item 1: deploy-compute.sh reads the image's root device and snapshot with describe-images",
           re.search(r"aws ec2 describe-images --image-ids \"\$1\"[^\n]*RootDeviceName", script) is not None
           and 'root_of "$ami"' in script and "Ebs.VolumeSize" in script)
    tap.ok(f"{name}: item 1: deploy-compute.sh passes RootDeviceName and RootVolumeSize at creation",
           'RootDeviceName$suffix=$root_device RootVolumeSize$suffix=$root_size' in script)
    want = requested_root(doc)
    make = read(os.path.join(out, "Makefile"))
    line = re.search(r"^ROOT_VOLUME_SIZE :=(.*)$", make, re.M)
    tap.ok(f"{name}: item 1: the Makefile carries the requested root size ({want})",
           line is not None and line.group(1).strip() == ("" if want is None else str(want)),
           line.group(0) if line else "no ROOT_VOLUME_SIZE line")


def check_mappings(name, doc, compute):
    extra = sorted(m["device_name"] for m in (doc.get("ec2_instances") or {}).get("ebs_mounts") or []
                   if m.get("device_name") != "/dev/xvda")
    problems = []
    for rid, data in launch_templates(compute).items():
        maps = data.get("BlockDeviceMappings", [])
        # The root of the launch template's own image variant: AMIArm64 -> RootDeviceNameArm64.
        suffix = data.get("ImageId", {}).get("Ref", "AMI")[3:]
        roots = [m for m in maps if m.get("DeviceName") == {"Ref": "RootDeviceName" + suffix}]
        if len(roots) != 1:
            problems.append(f"{rid}: {len(roots)} mappings on Ref RootDeviceName{suffix}")
        else:
            e = roots[0]["Ebs"]
            if (e.get("VolumeSize"), e.get("VolumeType"), e.get("Encrypted"), e.get("DeleteOnTermination")) != \
                    ({"Ref": "RootVolumeSize" + suffix}, "gp3", True, True):
                problems.append(f"{rid}: root {roots[0]}")
        others = sorted(m["DeviceName"] for m in maps if m not in roots)
        if others != extra:
            problems.append(f"{rid}: other devices {others}, want {extra}")
        for m in maps:
            e = m["Ebs"]
            if (e.get("VolumeType"), e.get("Encrypted")) != ("gp3", True):
                problems.append(f"{rid}: unencrypted or not gp3: {m}")
    tap.ok(f"{name}: item 2: every launch template has one encrypted gp3 root on the image's root device, "
           "and no stray /dev/xvda", not problems, "\n".join(problems))


def check_groups(name, doc, cluster, compute):
    cl = doc.get("cluster") or {}
    user = cl.get("security_groups") or []
    ingress = cl.get("security_group_ingress") or []
    node = cluster["Resources"].get("NodeSecurityGroup", {})
    rules = node.get("Properties", {}).get("SecurityGroupIngress", [])
    sources = [r.get("SourceSecurityGroupId") for r in rules]
    tap.ok(f"{name}: item 3: the node group exists, admits the ALB badge and every security_group_ingress",
           node.get("Type") == "AWS::EC2::SecurityGroup"
           and {"Fn::GetAtt": ["ALBBadgeSg", "GroupId"]} in sources and all(g in sources for g in ingress),
           json.dumps(node)[:800])
    out = cluster["Outputs"]["NodeSecurityGroup"]["Value"]
    worn = out["Fn::Join"][1] if isinstance(out, dict) and "Fn::Join" in out else [out]
    tap.ok(f"{name}: item 3: the nodes wear the node group beside infra.yml's groups",
           {"Ref": "NodeSecurityGroup"} in worn and all(g in worn for g in user), json.dumps(out))
    problems = []
    for rid, data in launch_templates(compute).items():
        text = json.dumps(data["SecurityGroupIds"])
        if '"Ref": "NodeSecurityGroup"' not in text or "DBBadgeSg" not in text:
            problems.append(f"{rid}: {text}")
    tap.ok(f"{name}: item 3: every launch template wears the nodes' groups and the DB badge, "
           f"{len(user) + 2} of {GROUPS_PER_ENI}", not problems and len(user) + 2 <= GROUPS_PER_ENI,
           "\n".join(problems))


def check_imds(name, doc, compute):
    opt_out = bool((doc.get("ec2_instances") or {}).get("imds_for_tasks"))
    problems = []
    for rid, data in launch_templates(compute).items():
        meta = data["MetadataOptions"]
        want = ("enabled", "required", 2 if opt_out else 1)
        got = (meta.get("HttpEndpoint"), meta.get("HttpTokens"), meta.get("HttpPutResponseHopLimit"))
        if got != want:
            problems.append(f"{rid}: IMDS {got}, want {want}")
        text = user_data(data)
        blocked = "ECS_AWSVPC_BLOCK_IMDS=true" in text and IPTABLES in text
        if blocked == opt_out:
            problems.append(f"{rid}: imds_for_tasks={opt_out} but the block is {'there' if blocked else 'missing'}")
        if not opt_out:
            unit = re.search(r"/etc/systemd/system/docker\.service\.d/[^\s]+\.conf", text)
            if not unit or "ExecStartPost=" not in text or "systemctl daemon-reload" not in text:
                problems.append(f"{rid}: the iptables rule is not loaded by a systemd drop-in of docker.service")
    tap.ok(f"{name}: item 7: tasks cannot reach IMDS (hop limit 1, awsvpc block, DOCKER-USER drop after docker)"
           + (" — opted out" if opt_out else ""), not problems, "\n".join(problems))


def check_packer(name, doc, out):
    if (doc.get("cluster") or {}).get("ami") or (doc.get("cluster") or {}).get("amis"):
        return
    hcl = read(os.path.join(out, "packer", "ami.pkr.hcl"))
    tap.ok(f"{name}: item 10: the bake's SSH is open to the builder's /32 only, never 0.0.0.0/0",
           '"0.0.0.0/0"' not in hcl
           and re.search(r"temporary_security_group_source_cidrs = \[var\.ssh_source_cidr\]", hcl) is not None
           and re.search(r'substr\(var\.ssh_source_cidr, length\(var\.ssh_source_cidr\) - 3, 3\) == "/32"', hcl)
           is not None, hcl[:0])
    ami = read(os.path.join(out, "scripts", "ami.sh"))
    tap.ok(f"{name}: item 10: make ami checks the source image's ImdsSupport is v2.0 and passes the builder's /32",
           "ImdsSupport" in ami and "v2.0" in ami and "ssh_source_cidr=" in ami)


def check_policy(name, out, compute):
    script = read(os.path.join(out, "scripts", "deploy-compute.sh"))
    m = re.search(r"^policy='(\{.*?\})'$", script, re.M | re.S)
    policy = None
    if m:
        try:
            policy = json.loads(m.group(1))
        except ValueError as e:
            tap.ok(f"{name}: item 12: the stack policy is JSON", False, str(e))
            return
    types = {r["Type"] for r in compute["Resources"].values()}
    ok, why = policy is not None, "no policy='...' in deploy-compute.sh"
    if policy:
        sts = policy["Statement"]
        allow = [s for s in sts if s["Effect"] == "Allow" and s.get("Action") == "Update:*"
                 and s.get("Resource") == "*" and s.get("Principal") == "*" and "Condition" not in s]
        deny = [s for s in sts if s["Effect"] == "Deny" and sorted(s.get("Action", [])) == ["Update:Delete", "Update:Replace"]
                and s.get("Resource") == "*"]
        covered = set(deny[0]["Condition"]["StringEquals"]["ResourceType"]) if deny else set()
        missing = (types & {t for t in types if "Fleet" in t or t.endswith("AutoScalingGroup")
                            or t.endswith("LaunchTemplate")}) - covered
        ok = len(sts) == 2 and len(allow) == 1 and len(deny) == 1 and covered <= PROTECTED and not missing
        why = json.dumps(policy) + (f"\nnot covered: {missing}" if missing else "")
    tap.ok(f"{name}: item 12: the compute stack policy denies Replace and Delete on fleets, groups and "
           "launch templates and allows Update:* otherwise", ok, why)
    tap.ok(f"{name}: item 12: the policy is set on creation (deploy-stack.sh -s)",
           re.search(r'deploy-stack\.sh" -t "\$template" (-a "\$STACK_ASSETS" )?-r "\$role" -s "\$policy"', script) is not None)


def check_vpc_param(name, compute):
    tap.ok(f"{name}: item 4: the compute VpcId parameter is a String (it feeds only an output)",
           compute["Parameters"]["VpcId"]["Type"] == "String", compute["Parameters"]["VpcId"])


# The original tool's badges (ecs_cluster_deployer/cluster/__init__.py):
# GroupDescription="SG for {} to wear in order to talk to ecs instances"
# for ALB, DB, Cache, Aux.  GroupDescription is create-only:
# https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html
BADGES = {f"{x}BadgeSg": f"SG for {x} to wear in order to talk to ecs instances" for x in ("ALB", "DB", "Cache", "Aux")}


def check_badges(name, cluster):
    res = cluster["Resources"]
    got = {k: res.get(k, {}).get("Properties", {}).get("GroupDescription") for k in BADGES}
    tap.ok(f"{name}: the badge groups keep the original tool's descriptions (item 6)", got == BADGES,
           json.dumps(got, indent=1))


def evaluate(node, params, conds):
    """A template value with ConnectionArn given: the intrinsics the
    pipeline's conditions and role use."""
    if isinstance(node, list):
        return [v for v in (evaluate(x, params, conds) for x in node) if v is not NOVALUE]
    if not isinstance(node, dict):
        return node
    if len(node) != 1 or not next(iter(node)).startswith(("Fn::", "Ref")):
        return {k: v for k, v in ((k, evaluate(x, params, conds)) for k, x in node.items()) if v is not NOVALUE}
    (fn, arg), = node.items()
    if fn == "Ref":
        return NOVALUE if arg == "AWS::NoValue" else params.get(arg, "{%s}" % arg)
    if fn == "Fn::If":
        return evaluate(arg[1] if evaluate(conds[arg[0]], params, conds) else arg[2], params, conds)
    if fn == "Fn::Equals":
        return evaluate(arg[0], params, conds) == evaluate(arg[1], params, conds)
    if fn == "Fn::Not":
        return not evaluate(arg[0], params, conds)
    if fn == "Fn::Select":
        return evaluate(arg[1], params, conds)[arg[0]]
    if fn == "Fn::Split":
        return evaluate(arg[1], params, conds).split(arg[0])
    if fn == "Fn::Join":
        return arg[0].join(evaluate(arg[1], params, conds))
    return "{%s}" % fn


NOVALUE = object()
# A connection keeps the ARN of the service it was made with; the
# pipeline role needs that service's UseConnection:
# https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html
CONNECTIONS = {
    "arn:aws:codeconnections:us-west-2:123456789012:connection/0f1e2d3c-aaaa-4bbb-8ccc-000000000001":
        "codeconnections:UseConnection",
    "arn:aws:codestar-connections:us-west-2:123456789012:connection/0f1e2d3c-aaaa-4bbb-8ccc-000000000002":
        "codestar-connections:UseConnection",
    "": None,
}


def check_connection(name, out):
    pipeline = json.load(open(os.path.join(out, "cloudformation", "pipeline.json")))
    role = pipeline["Resources"]["PipelineRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    bad = []
    for arn, want in CONNECTIONS.items():
        conds = pipeline.get("Conditions", {})
        statements = evaluate(role["Statement"], {"ConnectionArn": arn}, conds)
        got = sorted(a for st in statements for a in ([st["Action"]] if isinstance(st["Action"], str) else st["Action"])
                     if a.endswith(":UseConnection"))
        if got != ([want] if want else []):
            bad.append(f"ConnectionArn={arn or '(empty)'}: UseConnection actions {got}, want {want}")
    tap.ok(f"{name}: the pipeline role uses the connection by its ARN's own service (item 11)", not bad,
           "\n".join(bad))


def main(args):
    for example, out in zip(args[::2], args[1::2]):
        name = os.path.basename(example.rstrip("/"))
        doc = yaml.safe_load(open(os.path.join(example, "infra.yml")))
        cluster = json.load(open(os.path.join(out, "cloudformation", "cluster.json")))
        compute = json.load(open(os.path.join(out, "cloudformation", "compute.json")))
        check_root(name, doc, out, compute)
        check_mappings(name, doc, compute)
        check_groups(name, doc, cluster, compute)
        check_imds(name, doc, compute)
        check_packer(name, doc, out)
        check_policy(name, out, compute)
        check_vpc_param(name, compute)
        check_badges(name, cluster)
        check_connection(name, out)
    print(f"1..{tap.count}")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
