"""Static checks of the generated CloudFormation: what moto cannot show.

    python3 static_checks.py EXAMPLE_DIR OUT_DIR [EXAMPLE_DIR OUT_DIR]...

OUT_DIR is ecsgen's output for EXAMPLE_DIR/infra.yml.  Checks, per example:
least privilege (no wildcard action in any Allow; every action exists; "*"
only for actions without resource-level permissions, per cfn-lint's IAM
table; each function's role allows exactly the calls its embedded source
makes), the alarms and their topic (issue 13), managed policies, the artifact bucket, lifecycle hooks, CodeBuild
and CodePipeline shape, ClusterSettings, IMDSv2, encrypted gp3, SpotPrice
= price / weight, EC2 Fleet (not Spot Fleet), its target capacity,
no-termination, capacity rebalancing, subnet slots, MinSize on
Status, DesiredCapacity set at creation only, nothing but MinSize changing
with Status, and the size limit.  Prints TAP.
"""
import ast
import copy
import datetime
import json
import os
import re
import shlex
import sys

import botocore.session
import cfnlint
import yaml
from botocore import xform_name

# CloudFormation takes 51,200 bytes inline (the assets stack) and 1,000,000
# from S3 (every other template, --template-url).
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
INLINE_LIMIT = 51200
URL_LIMIT = 1000000
# Listing calls that IAM authorises only against "*" although the action has
# resource-level permissions for the one-resource form.
STAR_OK = {
    "cloudformation:DescribeStacks": "describe_stacks without a name lists every stack",
}
SERVICES = ("ecs", "ec2", "autoscaling", "cloudformation", "cloudwatch", "ssm", "iam", "dynamodb", "codepipeline")
VARIABLE_HINTS = {"ecs": "ecs", "ec2": "ec2", "asg": "autoscaling", "autoscaling": "autoscaling",
                  "cfn": "cloudformation", "cw": "cloudwatch", "ssm": "ssm"}


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

    def eq(self, name, expected, actual):
        return self.ok(name, expected == actual, f"expected: {expected!r}\nactual:   {actual!r}")


tap = Tap()
POLICIES = json.load(open(os.path.join(os.path.dirname(cfnlint.__file__), "data/AdditionalSpecs/Policies.json")))
SESSION = botocore.session.get_session()
OPERATIONS = {svc: {xform_name(op): op for op in SESSION.get_service_model(svc).operation_names} for svc in SERVICES}


def action_resources(action):
    """The resource types of an IAM action, or None when IAM does not know it."""
    service, name = action.split(":", 1)
    actions = {k.lower(): v for k, v in POLICIES.get(service, {}).get("Actions", {}).items()}
    if name.lower() not in actions:
        return None
    return actions[name.lower()].get("Resources", [])


def as_list(v):
    return v if isinstance(v, list) else [v]


def walk(node, path=()):
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, path + (i,))


def statements(template):
    """(where, statement) for every policy statement of every role and bucket policy."""
    for rid, res in template["Resources"].items():
        props = res.get("Properties", {})
        for i, pol in enumerate(props.get("Policies", [])):
            for j, st in enumerate(as_list(pol["PolicyDocument"]["Statement"])):
                if isinstance(st, dict) and "Fn::If" in st:
                    st = st["Fn::If"][1]
                yield f"{rid}.Policies[{i}][{j}]", st
        if res["Type"] in ("AWS::S3::BucketPolicy", "AWS::IAM::ManagedPolicy"):
            for j, st in enumerate(as_list(props["PolicyDocument"]["Statement"])):
                yield f"{rid}[{j}]", st


def check_iam(name, templates):
    problems = []
    for tname, t in templates.items():
        for where, st in statements(t):
            if st["Effect"] != "Allow":
                continue
            # An action chosen by a condition (the pipeline role's
            # UseConnection): each branch.
            actions = as_list(st["Action"])
            if isinstance(st["Action"], dict) and "Fn::If" in st["Action"]:
                actions = st["Action"]["Fn::If"][1:]
            # A permissions boundary is a ceiling: it may name "*" where the
            # roles under it (checked here too) name their resources.
            ceiling = t["Resources"][where.split(".")[0].split("[")[0]]["Type"] == "AWS::IAM::ManagedPolicy"
            for action in actions:
                if "*" in action:
                    problems.append(f"{tname} {where}: wildcard action {action}")
                    continue
                types = action_resources(action)
                if types is None:
                    problems.append(f"{tname} {where}: unknown action {action}")
                elif "*" in as_list(st["Resource"]) and types and action not in STAR_OK and not ceiling:
                    problems.append(f"{tname} {where}: {action} on '*' but IAM scopes it to {types}")
        for rid, res in t["Resources"].items():
            if res["Type"] == "AWS::IAM::Role" and "RoleName" in res.get("Properties", {}):
                problems.append(f"{tname} {rid}: an explicit RoleName")
    tap.ok(f"{name}: IAM: no wildcard action, every action exists, '*' only where IAM has no narrower resource, unnamed roles",
           not problems, "\n".join(problems))


def source_calls(code):
    """The IAM actions an embedded function's boto3 calls need."""
    tree = ast.parse(code)
    clients = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in SERVICES}
    found, unknown = set(), []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        if method == "get_paginator" and node.args and isinstance(node.args[0], ast.Constant):
            method = node.args[0].value
        owners = [s for s in clients if method in OPERATIONS[s]]
        if len(owners) > 1:
            hint = node.func.value
            var = hint.attr if isinstance(hint, ast.Attribute) else getattr(hint, "id", "")
            owners = [s for s in owners if VARIABLE_HINTS.get(var) == s] or owners
        if len(owners) == 1:
            found.add(f"{owners[0]}:{OPERATIONS[owners[0]][method]}")
        elif len(owners) > 1:
            unknown.append(method)
        if any(k.arg == "RoleARN" for k in node.keywords):
            found.add("iam:PassRole")
    return found, unknown


def newest_python():
    """The Python runtime cfn-lint's Lambda table (AWS's runtime lifecycle,
    https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html) names
    no successor for, with its deprecation date."""
    path = os.path.join(os.path.dirname(cfnlint.__file__), "data", "AdditionalSpecs", "LmbdRuntimeLifecycle.json")
    table = json.load(open(path))
    newest = [k for k, v in table.items() if k.startswith("python") and not v.get("successor")]
    return (newest[0], table[newest[0]]["deprecated"]) if len(newest) == 1 else (newest, None)


def check_functions(name, cluster):
    res = cluster["Resources"]
    runtime, deprecated = newest_python()
    today = datetime.date.today().isoformat()
    for fid in sorted(k for k, v in res.items() if v["Type"] == "AWS::Lambda::Function"):
        base = fid[:-len("Function")]
        props = res[fid]["Properties"]
        # Issue 15 polish: the newest Python runtime, not yet deprecated, on Graviton.
        # https://docs.aws.amazon.com/lambda/latest/dg/foundation-arch.html
        tap.ok(f"{name}: {base} runs {runtime} (Lambda's newest Python, deprecated {deprecated}) on arm64",
               (props.get("Runtime"), props.get("Architectures")) == (runtime, ["arm64"])
               and deprecated is not None and deprecated > today,
               f"Runtime {props.get('Runtime')!r}, Architectures {props.get('Architectures')!r}; "
               f"cfn-lint's newest: {runtime!r}, deprecated {deprecated}, today {today}")
        calls, unknown = source_calls(res[fid]["Properties"]["Code"]["ZipFile"])
        role = res[f"{base}Role"]["Properties"]["Policies"]
        granted = {a for p in role for st in as_list(p["PolicyDocument"]["Statement"])
                   for a in as_list(st["Action"]) if not a.startswith("logs:")}
        tap.ok(f"{name}: {base} role allows exactly the calls its source makes",
               granted == calls and not unknown,
               f"not granted: {sorted(calls - granted)}\nnot called: {sorted(granted - calls)}\nambiguous: {unknown}")
        # I6 (issue 13): no Lambda retry may overlap the next run.
        # https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
        configs = [r["Properties"] for r in res.values() if r["Type"] == "AWS::Lambda::EventInvokeConfig"
                   and r["Properties"].get("FunctionName") == {"Ref": fid}]
        tap.eq(f"{name}: {base} is never retried by Lambda and takes no stale event",
               [{"FunctionName": {"Ref": fid}, "Qualifier": "$LATEST", "MaximumRetryAttempts": 0,
                 "MaximumEventAgeInSeconds": 60}], configs)
        group = res[f"{base}LogGroup"]["Properties"]
        tap.ok(f"{name}: {base} logs to its own group with retention",
               res[fid]["Properties"]["LoggingConfig"]["LogGroup"] == {"Ref": f"{base}LogGroup"}
               and group.get("RetentionInDays"), group)


def check_cluster(name, doc, t):
    res = t["Resources"]
    settings = res["Cluster"]["Properties"]["ClusterSettings"]
    want = "enabled" if (doc["cluster"].get("container_insights") is True) else "disabled"
    tap.eq(f"{name}: Container Insights {want}", [{"Name": "containerInsights", "Value": want}], settings)
    managed = {rid: sorted(r["Properties"].get("ManagedPolicyArns", []), key=json.dumps)
               for rid, r in res.items() if r["Type"] == "AWS::IAM::Role" and r["Properties"].get("ManagedPolicyArns")}
    want = {}
    if not (doc.get("ec2_instances") or {}).get("instance_profile_arn"):
        want["InstanceRole"] = sorted([{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"},
                                       {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"}],
                                      key=json.dumps)
    # EC2 Fleet acts through its service-linked role: no Spot Fleet role (issue 12).
    tap.eq(f"{name}: managed policies: ECS + SSM on the node role, none elsewhere",
           want, managed)
    # Upgrading ecsgen: compute stacks of older versions hold Spot Fleets, and
    # the cleanup function deletes them through this role until none remain.
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-spotfleet.html
    granted = {a for p in res["ComputeServiceRole"]["Properties"]["Policies"]
               for st in as_list(p["PolicyDocument"]["Statement"]) if st["Effect"] == "Allow"
               for a in as_list(st["Action"])}
    want = {"ec2:DescribeSpotFleetRequests", "ec2:DescribeSpotFleetInstances", "ec2:CancelSpotFleetRequests",
            "ec2:CreateFleet", "ec2:DescribeFleets", "ec2:ModifyFleet", "ec2:DeleteFleets"}
    tap.eq(f"{name}: the compute service role creates, updates and deletes EC2 Fleets, deletes legacy Spot Fleets, "
           "requests none", (want, set()),
           (want & granted, granted & {"ec2:RequestSpotFleet", "ec2:ModifySpotFleetRequest"}))
    check_functions(name, t)


# The alarms of issue 13, on the scaler's lifecycle metrics: (metric, statistic, threshold).
# moto skips AWS::CloudWatch::Alarm (../shared/reference/moto.md), so they are checked here.
LIFECYCLE_ALARMS = {
    "OldestDrainSeconds": ("Maximum", 3600),  # a node that has not drained within an hour
    "RetirementBlocked": ("Minimum", 1),      # an inactive version's retirement waits (I2)
    "UnfitTasks": ("Minimum", 1),             # demand that fits no bid (I7)
}
# Issue 17's, only when a spot fleet has on_demand_fallback: a switch to on-demand or back, and
# on-demand units asked for that do not launch (the cap, MaxTotalPrice).
FALLBACK_ALARMS = {
    "OnDemandSwitches": ("Sum", 1),
    "OnDemandUnfulfilled": ("Minimum", 1),
}


def string_constants(code):
    return {n.value for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def check_alarms(name, doc, t):
    """Every alarm's metric, namespace, dimensions, threshold and actions; the topic, its key and policy.

    Lambda's Errors metric, read with Sum, dimension FunctionName:
    https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
    CloudWatch publishes to a KMS-encrypted topic only if the key policy lets
    cloudwatch.amazonaws.com use the key (the AWS-managed alias/aws/sns key's cannot):
    https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    and only if the topic policy lets it publish (aws:SourceAccount against the confused deputy):
    https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
    """
    res = t["Resources"]
    cl = doc["cluster"]
    by_type = lambda ty: {k: v.get("Properties", {}) for k, v in res.items() if v["Type"] == ty}
    topics, keys, subs = by_type("AWS::SNS::Topic"), by_type("AWS::KMS::Key"), by_type("AWS::SNS::Subscription")
    policies, alarms = by_type("AWS::SNS::TopicPolicy"), by_type("AWS::CloudWatch::Alarm")
    account = {"Fn::Sub": "${AWS::AccountId}"}
    if cl.get("alarm_topic_arn"):
        topic = cl["alarm_topic_arn"]
        tap.eq(f"{name}: alarm_topic_arn: no topic, key or subscription of its own",
               ({}, {}, {}, {}), (topics, keys, subs, policies))
    else:
        topic = {"Ref": "AlarmTopic"}
        props = topics.get("AlarmTopic", {})
        key = props.get("KmsMasterKeyId", {}).get("Ref") if isinstance(props.get("KmsMasterKeyId"), dict) else None
        kprops = keys.get(key, {})
        use = [st for st in as_list(kprops.get("KeyPolicy", {}).get("Statement", []))
               if st.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}]
        tap.ok(f"{name}: the alarm topic is encrypted with a rotated key CloudWatch of this account may use",
               list(topics) == ["AlarmTopic"] and kprops.get("EnableKeyRotation") is True and
               [(st["Effect"], sorted(as_list(st["Action"])), st.get("Condition")) for st in use] ==
               [("Allow", ["kms:Decrypt", "kms:GenerateDataKey*"], {"StringEquals": {"aws:SourceAccount": account}})],
               json.dumps({"topic": props, "key": kprops}, indent=1))
        pol = [p for p in policies.values() if {"Ref": "AlarmTopic"} in p.get("Topics", [])]
        allows = [st for p in pol for st in as_list(p["PolicyDocument"]["Statement"]) if st["Effect"] == "Allow"]
        tap.eq(f"{name}: only CloudWatch alarms of this account may publish to the alarm topic",
               [({"Service": "cloudwatch.amazonaws.com"}, "sns:Publish", {"Ref": "AlarmTopic"},
                 {"StringEquals": {"aws:SourceAccount": account}})],
               [(st.get("Principal"), st.get("Action"), st.get("Resource"), st.get("Condition")) for st in allows])
        want = [{"TopicArn": {"Ref": "AlarmTopic"}, "Protocol": "email", "Endpoint": cl["alarm_email"]}] \
            if cl.get("alarm_email") else []
        tap.eq(f"{name}: alarm_email is subscribed to the topic, and nothing else", want, list(subs.values()))
    scaler = res["ScalerFunction"]["Properties"]
    namespace = scaler["Environment"]["Variables"]["METRIC_NAMESPACE"]
    published = string_constants(scaler["Code"]["ZipFile"])
    want, have = {}, {}
    for fid in sorted(k for k, v in res.items() if v["Type"] == "AWS::Lambda::Function"):
        want[("AWS/Lambda", "Errors", fid)] = ("Sum", 1, [{"Name": "FunctionName", "Value": {"Ref": fid}}])
    fallback = any(f.get("on_demand_fallback") for f in (doc.get("ec2_instances") or {}).get("spot_fleets") or [])
    for metric, (statistic, threshold) in {**LIFECYCLE_ALARMS, **(FALLBACK_ALARMS if fallback else {})}.items():
        want[(f"ecsgen/{cl['name']}", metric, None)] = (statistic, threshold,
                                                       [{"Name": "ClusterName", "Value": cl["name"]}])
    problems = []
    for aid, a in sorted(alarms.items()):
        dims = a.get("Dimensions", [])
        fid = dims[0]["Value"].get("Ref") if a.get("Namespace") == "AWS/Lambda" and dims else None
        have[(a.get("Namespace"), a.get("MetricName"), fid)] = (a.get("Statistic"), a.get("Threshold"), dims)
        if a.get("ComparisonOperator") != "GreaterThanOrEqualToThreshold":
            problems.append(f"{aid}: ComparisonOperator {a.get('ComparisonOperator')}")
        if a.get("AlarmActions") != [topic] or a.get("OKActions") != [topic]:
            problems.append(f"{aid}: actions {a.get('AlarmActions')} / {a.get('OKActions')}, not [{topic}]")
        if not str(a.get("AlarmName", "")).startswith(cl["name"] + "-"):
            problems.append(f"{aid}: AlarmName {a.get('AlarmName')} does not name the cluster")
        if a.get("Namespace") != "AWS/Lambda" and (a.get("Namespace") != namespace or a.get("MetricName") not in published):
            problems.append(f"{aid}: {a.get('Namespace')} {a.get('MetricName')} is not a metric the scaler publishes")
    tap.eq(f"{name}: alarms: each function's Errors, and the scaler's drain, retirement and unfit-demand metrics"
           + (", and the on-demand fallback's switches and unfulfilled units" if fallback else
              " (no on-demand fallback: none of its alarms)"), want, have)
    tap.ok(f"{name}: every alarm names the cluster, notifies {json.dumps(topic)} on ALARM and OK, on a published metric",
           not problems, "\n".join(problems))


def resolve_status(node, status, status_conditions):
    """node with every Fn::If on a Status condition resolved."""
    if isinstance(node, dict):
        if "Fn::If" in node and node["Fn::If"][0] in status_conditions:
            cond = node["Fn::If"][0]
            branch = node["Fn::If"][1] if status_conditions[cond](status) else node["Fn::If"][2]
            return resolve_status(branch, status, status_conditions)
        return {k: resolve_status(v, status, status_conditions) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve_status(v, status, status_conditions) for v in node]
    return node


def logical(name):
    return re.sub(r"[^A-Za-z0-9]", "", "".join(p[:1].upper() + p[1:] for p in re.split(r"[-_]", name)))


def check_compute(name, doc, t):
    ec2doc = doc.get("ec2_instances") or {}
    res, params, conds = t["Resources"], t["Parameters"], t.get("Conditions", {})
    # One per image variant present (issue 17): AMI, AMIArm64, AMIGpu.
    amis = {k: v["Type"] for k, v in params.items() if k.startswith("AMI")}
    tap.ok(f"{name}: each variant's AMI is a plain image id parameter (never re-resolved on a Status flip)",
           amis and set(amis.values()) == {"AWS::EC2::Image::Id"}, amis)
    lt_images = {k: r["Properties"]["LaunchTemplateData"]["ImageId"] for k, r in res.items()
                 if r["Type"] == "AWS::EC2::LaunchTemplate"}
    tap.ok(f"{name}: every launch template runs one of the variants' images",
           all(v in [{"Ref": a} for a in amis] for v in lt_images.values()), lt_images)
    # Nothing but MinSize changes with Status.
    status_conditions = {}
    for cid, expr in conds.items():
        if expr == {"Fn::Equals": [{"Ref": "Status"}, "active"]}:
            status_conditions[cid] = lambda s: s == "active"
        elif "Status" in json.dumps(expr):
            status_conditions[cid] = None
    unknown = [c for c, f in status_conditions.items() if f is None]
    active = resolve_status(res, "active", {k: v for k, v in status_conditions.items() if v})
    inactive = resolve_status(res, "inactive", {k: v for k, v in status_conditions.items() if v})
    diffs = sorted({p[:3] + (p[-1],) for p, v in walk(active) if not isinstance(v, (dict, list))
                    and dict(walk(inactive)).get(p) != v})
    refs = [p for p, v in walk(res) if v == {"Ref": "Status"}]
    allowed = {(g, "Properties", "MinSize", "MinSize") for g in res if res[g]["Type"] == "AWS::AutoScaling::AutoScalingGroup"}
    tap.ok(f"{name}: a Status flip changes nothing in the compute stack but the groups' MinSize",
           not unknown and not refs and set(diffs) <= allowed, f"conditions: {unknown}\nrefs: {refs}\ndiffs: {diffs}")
    subnets = (doc.get("cluster") or {}).get("subnets")
    slots = len(subnets) if subnets else 6
    for fleet in ec2doc.get("spot_fleets") or []:
        lid = logical(fleet["name"])
        r = res[f"SpotFleet{lid}"]
        cfg = r["Properties"]
        # EC2 Fleet, not the legacy Spot Fleet API (issue 12).  Without
        # DefaultTargetCapacityType spot a fleet is on-demand; capacity
        # rebalancing "launch" never terminates a node itself (the drainer
        # drains it; launch-before-terminate would kill it after a delay,
        # drained or not); no-termination leaves scale-in to the scaler.
        # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-ec2fleet.html
        # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ec2-ec2fleet-capacityrebalance.html
        # https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-fleet-capacity-rebalance.html
        tap.eq(f"{name}: fleet {fleet['name']}: an EC2 Fleet, maintain, spot by default, TotalTargetCapacity, "
               "no-termination, price-capacity-optimized, rebalance by launch, launch template",
               ("AWS::EC2::EC2Fleet", "maintain",
                {"DefaultTargetCapacityType": "spot", "TotalTargetCapacity": fleet.get("desired_weight", 1)},
                "no-termination",
                {"AllocationStrategy": "price-capacity-optimized", "InstanceInterruptionBehavior": "terminate",
                 "MaintenanceStrategies": {"CapacityRebalance": {"ReplacementStrategy": "launch"}}},
                {"Ref": f"SpotFleet{lid}LaunchTemplate"}),
               (r["Type"], cfg.get("Type"), cfg.get("TargetCapacitySpecification"),
                cfg.get("ExcessCapacityTerminationPolicy"), cfg.get("SpotOptions"),
                cfg["LaunchTemplateConfigs"][0]["LaunchTemplateSpecification"]["LaunchTemplateId"]))
        # A maintain fleet takes tags for the fleet only; the nodes' tags come from the launch template.
        # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-ec2fleet-tagspecification.html
        tap.eq(f"{name}: fleet {fleet['name']}: tagged as a fleet only, with cluster, cluster.tags and version",
               [("fleet", ["ecsgen:cluster"] + list(user_tags(doc)) + ["ecsgen:version"])],
               [(spec["ResourceType"], [tag["Key"] for tag in spec["Tags"]]) for spec in cfg.get("TagSpecifications", [])])
        got = []
        for o in cfg["LaunchTemplateConfigs"][0]["Overrides"]:
            cond = None
            if "Fn::If" in o:
                cond, o = o["Fn::If"][0], o["Fn::If"][1]
            got.append((o["InstanceType"], o.get("MaxPrice"), o["WeightedCapacity"], o["SubnetId"], cond))
        want, merged = [], {}
        for bid in fleet["bids"]:
            key = bid["instance_type"]
            merged[key] = max(merged.get(key, (0, 1)), (round(float(bid["price"]) * 1e6), bid.get("weight", 1)))
        for itype, (micros, weight) in merged.items():
            unit = micros // weight
            price = f"{unit // 1000000}.{unit % 1000000:06d}".rstrip("0").rstrip(".")
            for k in range(slots):
                cond = f"HasSubnet{k + 1}" if not subnets and k else None
                want.append((itype, price, weight, {"Fn::Select": [k, {"Ref": "Subnets"}]}, cond))
        # MaxPrice is per unit hour: infra.yml's price per instance / weight.
        # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_FleetLaunchTemplateOverridesRequest.html
        tap.eq(f"{name}: fleet {fleet['name']}: one override per bid and subnet slot, MaxPrice = price / weight",
               sorted(want, key=json.dumps), sorted(got, key=json.dumps))
    if not subnets and ec2doc.get("spot_fleets"):
        tap.ok(f"{name}: subnet slots 2..6 exist only when the Subnets list is that long",
               all(f"HasSubnet{k}" in conds and "Subnets" in json.dumps(conds[f"HasSubnet{k}"]) for k in range(2, 7)),
               conds)
    for group in ec2doc.get("auto_scaling_groups") or []:
        lid = logical(group["name"])
        r = res[f"AutoScalingGroup{lid}"]
        p = r["Properties"]
        desired = group.get("desired_instances", 1)
        tap.eq(f"{name}: group {group['name']}: MinSize on Status, MaxSize, DesiredCapacity constant and kept on update",
               ({"Fn::If": ["IsActive", str(group.get("min_size", desired)), "0"]}, str(group.get("max_size", desired)),
                str(desired), {"AutoScalingScheduledAction": {"IgnoreUnmodifiedGroupSizeProperties": True}},
                {"Fn::Equals": [{"Ref": "Status"}, "active"]}),
               (p["MinSize"], p["MaxSize"], p["DesiredCapacity"], r.get("UpdatePolicy"), conds.get("IsActive")))
        hooks = p.get("LifecycleHookSpecificationList", [])
        timeout = json.loads(t["Outputs"][f"AutoScalingGroup{lid}"]["Value"]["Fn::Sub"].replace("${", "{").replace(
            '"{AutoScalingGroup%s}"' % lid, '""'))["drain_timeout"]
        tap.ok(f"{name}: group {group['name']}: termination hook ecsgen-drain, CONTINUE, heartbeat >= drain timeout",
               len(hooks) == 1 and hooks[0]["LifecycleHookName"] == "ecsgen-drain"
               and hooks[0]["LifecycleTransition"] == "autoscaling:EC2_INSTANCE_TERMINATING"
               and hooks[0]["DefaultResult"] == "CONTINUE" and hooks[0]["HeartbeatTimeout"] >= timeout, hooks)
    problems = []
    for rid, r in res.items():
        if r["Type"] != "AWS::EC2::LaunchTemplate":
            continue
        data = r["Properties"]["LaunchTemplateData"]
        meta = data["MetadataOptions"]
        # One hop unless imds_for_tasks (tests/cfn/ready_checks.py, issue 15 item 7).
        hops = 2 if (doc.get("ec2_instances") or {}).get("imds_for_tasks") else 1
        if (meta.get("HttpTokens"), meta.get("HttpPutResponseHopLimit")) != ("required", hops):
            problems.append(f"{rid}: IMDS {meta}")
        for d in data.get("BlockDeviceMappings", []):
            e = d["Ebs"]
            if (e["VolumeType"], e["Encrypted"], e["DeleteOnTermination"]) != ("gp3", True, True):
                problems.append(f"{rid}: volume {d}")
    tap.ok(f"{name}: every launch template requires IMDSv2 and has encrypted gp3 volumes", not problems,
           "\n".join(problems))


def check_bucket(name, what, res, bucket):
    b = res[bucket]["Properties"]
    ok = (b["VersioningConfiguration"] == {"Status": "Enabled"}
          and all(b["PublicAccessBlockConfiguration"].values()) and len(b["PublicAccessBlockConfiguration"]) == 4
          and b["BucketEncryption"]["ServerSideEncryptionConfiguration"]
          and any("NoncurrentVersionExpiration" in r for r in b["LifecycleConfiguration"]["Rules"]))
    policy = res[f"{bucket}Policy"]["Properties"]["PolicyDocument"]["Statement"]
    tls = any(s["Effect"] == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}} for s in policy)
    tap.ok(f"{name}: {what} bucket: encrypted, versioned, public access blocked, old versions expire, TLS only",
           ok and tls, json.dumps(b))


def reads_templates(role, cluster):
    """Whether role may s3:GetObject the templates/ prefix of the exported assets bucket."""
    want = {"Fn::Join": ["", [{"Fn::Sub": "arn:${AWS::Partition}:s3:::"},
                              {"Fn::ImportValue": f"{cluster}-assets:Bucket"}, "/templates/*"]]}
    return any(st["Effect"] == "Allow" and "s3:GetObject" in as_list(st["Action"]) and st["Resource"] == want
               for pol in role["Properties"]["Policies"] for st in as_list(pol["PolicyDocument"]["Statement"]))


def check_assets(name, doc, t, cluster_t, pipeline_t):
    res = t["Resources"]
    tap.eq(f"{name}: assets stack: one bucket and its policy", ["AWS::S3::Bucket", "AWS::S3::BucketPolicy"],
           sorted(r["Type"] for r in res.values()))
    check_bucket(name, "assets", res, "AssetBucket")
    c = doc["cluster"]["name"]
    out = t["Outputs"]
    tap.ok(f"{name}: assets stack exports its bucket and gives the regional domain for --template-url",
           out["Bucket"]["Export"]["Name"] == {"Fn::Sub": "${AWS::StackName}:Bucket"}
           and out["BucketDomain"]["Value"] == {"Fn::GetAtt": ["AssetBucket", "RegionalDomainName"]}, out)
    # The roles that create stacks from a URL read the template themselves.
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
    tap.ok(f"{name}: the compute service role and the deploy role read the uploaded templates",
           reads_templates(cluster_t["Resources"]["ComputeServiceRole"], c)
           and reads_templates(pipeline_t["Resources"]["DeployRole"], c))


def check_pipeline(name, doc, t):
    res = t["Resources"]
    check_bucket(name, "artifact", res, "ArtifactBucket")
    bake = not (doc.get("cluster") or {}).get("ami") and not (doc.get("cluster") or {}).get("amis")
    projects = {r["Properties"]["Name"]: (r["Properties"]["Source"], r["Properties"]["Environment"]["Image"])
                for r in res.values() if r["Type"] == "AWS::CodeBuild::Project"}
    c = doc["cluster"]["name"]
    want = {f"{c}-deploy": ({"Type": "CODEPIPELINE", "BuildSpec": "out/buildspec.yml"}, "aws/codebuild/standard:7.0")}
    if bake:
        want[f"{c}-bake"] = ({"Type": "CODEPIPELINE", "BuildSpec": "out/buildspec-ami.yml"}, "aws/codebuild/standard:7.0")
    tap.eq(f"{name}: CodeBuild projects (bake only without cluster.ami or cluster.amis) on a current standard image", want, projects)
    pipe = res["Pipeline"]["Properties"]
    stages = [s["Name"] for s in pipe["Stages"]]
    tap.eq(f"{name}: pipeline stages", ["Source", "Bake", "Deploy"] if bake else ["Source", "Deploy"], stages)
    source = pipe["Stages"][0]["Actions"][0]["Fn::If"]
    github = source[2]
    tap.ok(f"{name}: source: CodeConnections when ConnectionArn is set, else GitHub with the token as a dynamic reference",
           source[0] == "UseConnection" and source[1]["ActionTypeId"]["Provider"] == "CodeStarSourceConnection"
           and github["Configuration"]["OAuthToken"]["Fn::Sub"].startswith("{{resolve:secretsmanager:${GitHubTokenSecret}")
           and source[1]["Namespace"] == github["Namespace"] == "SourceVariables", source)
    deploy = pipe["Stages"][-1]["Actions"][0]["Configuration"]
    env = {v["name"]: v["value"] for v in json.loads(deploy["EnvironmentVariables"])}
    tap.eq(f"{name}: deploy gets VERSION and AMI as pipeline variables",
           {"VERSION": "#{SourceVariables.CommitId}", "AMI": "#{BakeVariables.AMI}" if bake else ""}, env)
    hook = res["Webhook"]["Properties"]["AuthenticationConfiguration"]["SecretToken"]
    tap.ok(f"{name}: the webhook secret is its own secret, not the token",
           "GitHubTokenSecret" not in json.dumps(hook) and "webhook" in json.dumps(hook), hook)
    secrets = [p for p, v in walk(t) if isinstance(v, str) and re.search(r"gh[pousr]_[A-Za-z0-9]{20,}", v)]
    tap.ok(f"{name}: no token in the template", not secrets, secrets)
    check_ami_updates(name, doc, t)


# AWS's public topic of ECS-optimized AMI updates, in us-east-1:
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ECS-AMI-SubscribeTopic.html
# A Lambda function in another region subscribes in the topic's region
# (AWS::SNS::Subscription Region), and lets SNS invoke it for that topic only:
# https://docs.aws.amazon.com/sns/latest/dg/sns-cross-region-delivery.html
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-subscription.html
AMI_UPDATE_TOPIC = "arn:aws:sns:us-east-1:177427601217:ecs-optimized-amazon-ami-update"


def check_ami_updates(name, doc, t):
    """cluster.ami_updates: auto subscribes a function that may start this
    pipeline only; weekly, a schedule whose role may start this pipeline only;
    off (the default), neither."""
    res = t["Resources"]
    mode = (doc.get("cluster") or {}).get("ami_updates") or "off"
    if mode is False:
        mode = "off"  # YAML 1.1 reads a bare off as false
    pipeline = {"Fn::Sub": "arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:"
                f"{doc['cluster']['name']}-pipeline"}
    have = sorted(k for k, r in res.items() if k.startswith("Ami"))
    want = {"off": [], "weekly": ["AmiSchedule", "AmiScheduleRole"],
            "auto": ["AmiUpdateFunction", "AmiUpdateLogGroup", "AmiUpdatePermission", "AmiUpdateRole",
                     "AmiUpdateSubscription"]}[mode]
    tap.eq(f"{name}: ami_updates {mode}: its resources", want, have)

    def starts_only(role):
        sts = [st for p in res[role]["Properties"]["Policies"] for st in as_list(p["PolicyDocument"]["Statement"])
               if not any(a.startswith("logs:") for a in as_list(st["Action"]))]
        return sts == [{"Effect": "Allow", "Action": "codepipeline:StartPipelineExecution", "Resource": pipeline}] \
            and res[role]["Properties"]["Path"] == f"/ecsgen-pipeline/{doc['cluster']['name']}/", sts

    if mode == "auto":
        sub, perm = res["AmiUpdateSubscription"]["Properties"], res["AmiUpdatePermission"]["Properties"]
        tap.eq(f"{name}: auto: a lambda subscription to AWS's ECS-optimized AMI update topic, in its region",
               {"TopicArn": AMI_UPDATE_TOPIC, "Protocol": "lambda", "Endpoint": {"Fn::GetAtt": ["AmiUpdateFunction", "Arn"]},
                "Region": {"Fn::If": ["InAmiUpdateTopicRegion", {"Ref": "AWS::NoValue"}, "us-east-1"]}}, sub)
        tap.eq(f"{name}: auto: the topic's region is us-east-1",
               {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}, t["Conditions"]["InAmiUpdateTopicRegion"])
        tap.eq(f"{name}: auto: SNS may invoke the function for that topic only",
               {"Action": "lambda:InvokeFunction", "FunctionName": {"Ref": "AmiUpdateFunction"},
                "Principal": "sns.amazonaws.com", "SourceArn": AMI_UPDATE_TOPIC}, perm)
        calls, unknown = source_calls(res["AmiUpdateFunction"]["Properties"]["Code"]["ZipFile"])
        tap.eq(f"{name}: auto: the function's source starts the pipeline, and nothing else", 
               ({"codepipeline:StartPipelineExecution"}, []), (calls, unknown))
        ok, sts = starts_only("AmiUpdateRole")
        tap.ok(f"{name}: auto: its role (out of the deploy role's reach) may start this pipeline only", ok, sts)
        fn = res["AmiUpdateFunction"]["Properties"]
        tap.ok(f"{name}: auto: the function names the pipeline and logs to its own group with retention",
               fn["Environment"]["Variables"]["PIPELINE_NAME"] == f"{doc['cluster']['name']}-pipeline"
               and fn["LoggingConfig"]["LogGroup"] == {"Ref": "AmiUpdateLogGroup"}
               and res["AmiUpdateLogGroup"]["Properties"].get("RetentionInDays"), fn)
    if mode == "weekly":
        rule = res["AmiSchedule"]["Properties"]
        tap.ok(f"{name}: weekly: a weekly rule starts the pipeline through its own role",
               rule["ScheduleExpression"] == "cron(0 6 ? * MON *)" and rule["State"] == "ENABLED"
               and rule["Targets"] == [{"Arn": pipeline, "Id": "pipeline",
                                        "RoleArn": {"Fn::GetAtt": ["AmiScheduleRole", "Arn"]}}], rule)
        ok, sts = starts_only("AmiScheduleRole")
        tap.ok(f"{name}: weekly: its role may start this pipeline only", ok
               and res["AmiScheduleRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
               == {"Service": "events.amazonaws.com"}, sts)


def user_tags(doc):
    """infra.yml's cluster.tags as {key: value text}, in order."""
    return {str(k): "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in ((doc.get("cluster") or {}).get("tags") or {}).items()}


# Resource types that take tags but get them from their stack only: deploy-stack.sh
# sets cluster.tags as every stack's tags, and CloudFormation passes a stack's tags
# on to its resources.
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-console-add-tags.html
STACK_TAGS_ONLY = {
    "AWS::SSM::Parameter": "moto 5.2.1 fails on its Tags map (emitters/cfn_functions.c)",
    "AWS::KMS::Key": "moto 5.2.1 fails on its Key/Value tags (emitters/cfn_alarms.c)",
    "AWS::DynamoDB::Table": "the lock table has carried its stack's tags only since issue 14",
    "AWS::EC2::LaunchTemplate": "the template itself (free); LaunchTemplateData's TagSpecifications tag the nodes",
}


def check_tags(name, doc, templates, out):
    """Cost-allocation tags (issue 19): cluster.tags on every resource that takes tags."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
    want = user_tags(doc)
    missing, wrong, over = [], [], []
    for t, body in templates.items():
        for lid, r in body["Resources"].items():
            props = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", r["Type"]).schema.get("properties", {})
            given = r.get("Properties", {})
            if "Tags" not in props and "TagSpecifications" not in props:
                continue
            if r["Type"] in STACK_TAGS_ONLY:
                continue
            lists = []
            if "Tags" in props:
                if "Tags" not in given:
                    missing.append(f"{t}:{lid}")
                    continue
                lists.append(("Tags", given["Tags"]))
            for spec in given.get("TagSpecifications", []):
                lists.append((spec["ResourceType"], spec["Tags"]))
            for spec in given.get("LaunchTemplateData", {}).get("TagSpecifications", []):
                lists.append((spec["ResourceType"], spec["Tags"]))
            for where, tags in lists:
                have = {tag["Key"]: tag["Value"] for tag in tags} if isinstance(tags, list) else dict(tags)
                if {k: have.get(k) for k in want} != want:
                    wrong.append(f"{t}:{lid} {where}: {have}")
                # AWS takes 50 tags on a resource, aws: ones aside.
                # https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
                if len(have) > 50:
                    over.append(f"{t}:{lid} {where}: {len(have)}")
    tap.eq(f"{name}: every resource whose type takes Tags has them", [], missing)
    tap.eq(f"{name}: every Tags list and TagSpecification holds cluster.tags with their values", [], wrong)
    tap.eq(f"{name}: no resource has more than 50 tags", [], over)
    script = open(os.path.join(out, "scripts", "deploy-stack.sh")).read()
    stack = [(shlex.split(k)[0], shlex.split(v)[0] if v.strip() else "")
             for k, v in re.findall(r'^tags=.*json_str (.+?)\),\\"Value\\":\$\(json_str (.*?)\)\}"$', script, re.M)]
    tap.eq(f"{name}: deploy-stack.sh sets cluster.tags as every stack's tags", list(want.items()), stack)


def main(args):
    for example, out in zip(args[::2], args[1::2]):
        name = os.path.basename(example.rstrip("/"))
        doc = yaml.safe_load(open(os.path.join(example, "infra.yml")))
        templates = {}
        for t in ("assets", "cluster", "health", "compute", "pipeline"):
            path = os.path.join(out, "cloudformation", f"{t}.json")
            size = os.path.getsize(path)
            limit, how = (INLINE_LIMIT, "inline") if t == "assets" else (URL_LIMIT, "--template-url")
            tap.ok(f"{name}: {t}.json is {size} bytes, under the {limit}-byte {how} limit", size <= limit)
            templates[t] = json.load(open(path))
        # AWS calls Spot Fleet "a legacy API with no planned investment", and
        # AWS Control Tower's CT.EC2.PV.6 denies ec2:RequestSpotFleet (issue 12).
        # https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-fleet.html
        legacy = [f"{t}.json" for t, body in templates.items()
                  if re.search(r"AWS::EC2::SpotFleet|spotfleet\.amazonaws\.com|ec2:RequestSpotFleet|SpotFleetTaggingRole",
                               json.dumps(body))]
        tap.eq(f"{name}: no template creates a Spot Fleet, its role, or passes one", [], legacy)
        check_iam(name, templates)
        check_cluster(name, doc, templates["cluster"])
        check_alarms(name, doc, templates["cluster"])
        check_compute(name, doc, templates["compute"])
        check_pipeline(name, doc, templates["pipeline"])
        check_assets(name, doc, templates["assets"], templates["cluster"], templates["pipeline"])
        check_tags(name, doc, templates, out)
    print(f"1..{tap.count}")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
