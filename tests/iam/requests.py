"""Every request ecsgen's outputs make of AWS, with the role that makes it.

    python3 requests.py RECORDS_DIR ECSGEN EXAMPLES_DIR WORK_DIR > cases.json

Sources of requests (see tests/iam/README.md):
  1. the aws CLI calls recorded in the fake-aws and moto runs of
     tests/deploy/ (RECORDS_DIR/*.argv0, *.jsonl; tests/iam/awsrec.py);
  2. the calls CloudFormation makes with the deployer's rights
     (tests/iam/cfn-calls.json), for every resource of every stack;
  3. the lifecycle functions' calls: JSON lines of {role, service, action,
     resource, context} -- today tests/iam/function-calls.jsonl, checked
     against the boto3 calls in each function's embedded source; any
     RECORDS_DIR/functions*.jsonl (the simulator's recording) is read too.

Each example is compiled once for every cluster name the recordings use,
its policies resolved (tests/iam/resolve.py), and each request paired with
the resolved policies of its role.  Prints JSON for evaluate.mjs:
{"cases": [...], "statements": [...], "errors": [...]}.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "cfn"))
import awsrec  # noqa: E402
from resolve import ACCOUNT, PARTITION, REGION, Stacks, Unresolved  # noqa: E402

CALLERS = json.load(open(os.path.join(HERE, "callers.json")))
OPERATIONS = json.load(open(os.path.join(HERE, "operations.json")))
CFN_CALLS = json.load(open(os.path.join(HERE, "cfn-calls.json")))
STACK_ROLE = {"cluster": "DeployRole", "health": "DeployRole", "compute": "ComputeServiceRole"}
# Where each role is defined.
ROLE_STACK = {"DeployRole": "pipeline", "BakeRole": "pipeline", "PipelineRole": "pipeline",
              "AmiUpdateRole": "pipeline", "AmiScheduleRole": "pipeline"}
A = f"arn:{PARTITION}"


def as_list(v):
    return v if isinstance(v, list) else [v]


# --- 1. recorded CLI calls --------------------------------------------------

def load_records(records_dir):
    records, errors = [], []
    for path in sorted(glob.glob(os.path.join(records_dir, "*.jsonl"))):
        if os.path.basename(path).startswith("functions"):
            continue
        with open(path) as f:
            records += [json.loads(line) for line in f if line.strip()]
    for path in sorted(glob.glob(os.path.join(records_dir, "*.argv0"))):
        got, failed = awsrec.replay(awsrec.read_argv0(path))
        records += got
        errors += [f"{os.path.basename(path)}: the aws CLI does not parse: aws {' '.join(c['argv'])}" for c in failed]
    return records, errors


def caller_of(record):
    """(script, role, cluster) of a recorded call; script None: not ours.

    The role is the outermost generated script's (pipeline.sh runs
    deploy-stack.sh with an operator's credentials); the cluster comes from
    the innermost script that names it."""
    found = []
    for argv in record["caller"]:
        for i, a in enumerate(argv):
            base = os.path.basename(a)
            if base in CALLERS and a.endswith(".sh") and "/scripts/" in a:
                found.append((base, argv[i + 1:]))
                break
    if not found:
        return None, None, None
    role = CALLERS[found[-1][0]]["role"]
    targets = CALLERS["make targets"]
    for argv in record["caller"]:
        if argv and os.path.basename(argv[0]) == "make" and any(a in targets for a in argv[1:]):
            return found[-1][0], None, None
    cluster = None
    for script, args in found:
        cluster = cluster or cluster_of(CALLERS[script].get("cluster"), args, record)
    return found[-1][0], role, cluster


def stack_of(args):
    """deploy-stack.sh [-t F [-a ASSETS] | -p] [-r ARN] [-s POLICY] [-g K=V]... STACK:
    the stack it acts on; upload-template.sh ASSETS_STACK TEMPLATE: the assets stack."""
    rest = list(args)
    while rest and rest[0].startswith("-") and rest[0] != "--":
        opt = rest.pop(0)
        if opt in ("-t", "-a", "-r", "-s", "-g") and rest:
            rest.pop(0)
    return rest[0] if rest else ""


def caller_stack_of(record):
    """The stack the innermost deploy-stack.sh on the caller stack acts on."""
    for argv in record["caller"]:
        for i, a in enumerate(argv):
            if os.path.basename(a) == "deploy-stack.sh" and "/scripts/" in a:
                return stack_of(argv[i + 1:])
    return None


def cluster_of(how, args, record):
    if how == "stack":
        stack = stack_of(args)
        if "-compute-" in stack:
            return stack.rsplit("-compute-", 1)[0]
        for suffix in ("-cluster", "-health", "-pipeline", "-assets"):
            if stack.endswith(suffix):
                return stack[: -len(suffix)]
        return None
    if how == "env":
        return record.get("cluster") or "c"   # the fake tests' cluster
    if isinstance(how, int):
        return args[how - 1] if len(args) >= how else None
    return None


FAKE_ASSETS_BUCKET = "bkt"          # tests/deploy's fake assets stack output
ASSETS_BUCKET = "{assets-bucket}"   # the example's, once its stacks resolve
# Each service's linked role, named by the service (not by the caller).
# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-fleet-prerequisites.html
LINKED_ROLES = {"ec2fleet.amazonaws.com": "AWSServiceRoleForEC2Fleet"}

FAKE_ARN = re.compile(r"^arn:aws:([a-z0-9-]+):([a-z0-9-]*):([0-9]+):")


def fixed_account(value):
    """The fake scenarios answer with made-up ARNs (account 1): the same
    resource in the checked account and region."""
    if isinstance(value, dict):
        return {k: fixed_account(v) for k, v in value.items()}
    if isinstance(value, list):
        return [fixed_account(v) for v in value]
    if isinstance(value, str):
        return FAKE_ARN.sub(lambda m: f"arn:aws:{m.group(1)}:{REGION if m.group(2) else ''}:{ACCOUNT}:", value)
    return value


def resource_of(kind, params, cluster, caller_stack=None):
    """The ARNs a call targets (operations.json's resource kinds)."""
    if kind == "*":
        return ["*"]
    if kind == "caller-stack":
        # A change set named by its ARN: IAM authorises the call on the
        # stack the change set belongs to, the one the calling script acts on.
        if not caller_stack:
            raise Unresolved("caller-stack: no stack in the caller")
        return [f"{A}:cloudformation:{REGION}:{ACCOUNT}:stack/{caller_stack}/00000000-0000-4000-8000-000000000000"]
    name, *keys = kind.split()
    vals = [params.get(k) for k in keys]
    r = f"{A}:{{svc}}:{REGION}:{ACCOUNT}"
    if any(v is None for v in vals):
        raise Unresolved(f"{kind}: the call has no {keys}")
    v = vals[0]
    if name == "stack":
        return [v if v.startswith("arn:") else f"{A}:cloudformation:{REGION}:{ACCOUNT}:stack/{v}/00000000-0000-4000-8000-000000000000"]
    if name == "ecs-cluster":
        return [x if x.startswith("arn:") else f"{A}:ecs:{REGION}:{ACCOUNT}:cluster/{x}" for x in as_list(v)]
    cname = v.rsplit("/", 1)[-1] if isinstance(v, str) else None
    if name == "ecs-container-instance":
        return [x if x.startswith("arn:") else f"{A}:ecs:{REGION}:{ACCOUNT}:container-instance/{cname}/{x}" for x in vals[1]]
    if name == "ecs-task":
        return [x if x.startswith("arn:") else f"{A}:ecs:{REGION}:{ACCOUNT}:task/{cname}/{x}" for x in as_list(vals[1])]
    if name == "ecs-service":
        return [x if x.startswith("arn:") else f"{A}:ecs:{REGION}:{ACCOUNT}:service/{cname}/{x}" for x in as_list(vals[1])]
    if name == "ecs-task-definition":
        if v.startswith("arn:"):
            return [v]
        return [f"{A}:ecs:{REGION}:{ACCOUNT}:task-definition/{v if ':' in v else v + ':1'}"]
    if name == "ssm-parameter":
        # AWS's public parameters live in no account.
        acct = "" if v.startswith("/aws/service/") else ACCOUNT
        return [f"{A}:ssm:{REGION}:{acct}:parameter{v if v.startswith('/') else '/' + v}"]
    if name == "ec2-image":
        return [f"{A}:ec2:{REGION}::image/{v}"]
    if name == "ec2-snapshot":
        return [f"{A}:ec2:{REGION}::snapshot/{v}"]
    if name == "secret":
        return [v if v.startswith("arn:") else f"{A}:secretsmanager:{REGION}:{ACCOUNT}:secret:{v}-AbCdEf"]
    if name == "dynamodb-table":
        return [v if v.startswith("arn:") else f"{A}:dynamodb:{REGION}:{ACCOUNT}:table/{v}"]
    if name == "s3-bucket":
        return [f"{A}:s3:::{v}"]
    if name == "s3-object":
        return [f"{A}:s3:::{v}/{vals[1]}"]
    if name == "service-linked-role":
        if v not in LINKED_ROLES:
            raise Unresolved(f"{kind}: no service-linked role name known for {v}")
        return [f"{A}:iam::{ACCOUNT}:role/aws-service-role/{v}/{LINKED_ROLES[v]}"]
    if name == "value":
        return [v]
    if name == "s3-objects":
        return [f"{A}:s3:::{v}/{o['Key']}" for o in vals[1].get("Objects", [])]
    raise Unresolved(f"no resource kind {name} ({r})")


def cli_requests(records, errors):
    """(role, cluster, request, where) of every recorded call a role makes."""
    out, skipped = [], {}
    for rec in records:
        script, role, cluster = caller_of(rec)
        if script is None:
            continue  # the test's own aws calls, not a generated script's
        if role is None:
            skipped[script] = skipped.get(script, 0) + 1
            continue
        op = f"{rec['service']}:{rec['operation']}"
        if rec["service"] == "s3":
            op = f"s3:{rec['operation']}"
        entry = OPERATIONS.get(op)
        where = f"{script} ({rec['source']})"
        if entry is None:
            errors.append(f"{where}: {op} is not in tests/iam/operations.json")
            continue
        if not cluster:
            errors.append(f"{where}: {op}: no cluster name in the caller {rec['caller']}")
            continue
        params = fixed_account(rec["params"]) if rec["source"] == "fake" else rec["params"]
        bucket = params.get("Bucket")
        if bucket == FAKE_ASSETS_BUCKET if rec["source"] == "fake" else str(bucket).startswith(f"{cluster}-assets-"):
            # The assets stack's bucket, as the fake answers it ("bkt") or as
            # moto named it (<stack>-<logical id>-<random>): the example's own
            # assets bucket, resolved per example below.
            params = dict(params, Bucket=ASSETS_BUCKET)
        try:
            resources = resource_of(entry["resource"], params, cluster, caller_stack_of(rec))
            context = {k: resource_of(v, params, cluster)[0] for k, v in entry.get("context", {}).items()}
        except Unresolved as e:
            errors.append(f"{where}: {op}: {e}")
            continue
        for res in resources:
            out.append((role, cluster, {"action": entry.get("action", op), "resource": res, "context": context}, where))
        # A stack call through a service role passes that role.
        role_arn = rec["params"].get("RoleARN")
        if role_arn and rec["source"] == "moto":
            out.append((role, cluster, {"action": "iam:PassRole", "resource": role_arn,
                                        "context": {"iam:PassedToService": "cloudformation.amazonaws.com"}}, where))
    return out, skipped


# --- 2. CloudFormation's calls ---------------------------------------------

def fill(text, stacks, stack, lid, props, each=None):
    """cfn-calls.json placeholders -> a list of strings (lists expand)."""
    if text == "*":
        return ["*"]
    if text.startswith("{prop:") and text.endswith("}"):
        key = text[6:-1]
        if key not in props:
            return []
        return [str(x) for x in as_list(stacks.value(stack, props[key]))]
    if text.startswith("{roleof:"):
        key = text[8:-1]
        names = as_list(stacks.value(stack, props.get(key, [])))
        arns = []
        for n in names:
            lids = [k for k, r in stacks.templates[stack]["Resources"].items()
                    if r["Type"] == "AWS::IAM::Role" and stacks.ref(stack, k) == n]
            if not lids:
                raise Unresolved(f"{stack}: {lid}: role {n} is not in the stack")
            arns.append(stacks.arn(stack, lids[0]))
        return arns
    if text.startswith("{lambda:"):
        v = stacks.value(stack, props[text[8:-1]])
        return [v if v.startswith("arn:") else f"{A}:lambda:{REGION}:{ACCOUNT}:function:{v}"]
    out = text.replace("{a}", A).replace("{region}", REGION).replace("{account}", ACCOUNT)
    out = out.replace("{cluster}", stacks.cluster)
    if "{self}" in out:
        out = out.replace("{self}", stacks.arn(stack, lid))
    if "{ref}" in out:
        out = out.replace("{ref}", str(stacks.ref(stack, lid)))
    if "{each}" in out:
        out = out.replace("{each}", each)
    if "{prop:" in out:
        pre, rest = out.split("{prop:", 1)
        key, post = rest.split("}", 1)
        return [pre + v + post for v in fill("{prop:" + key + "}", stacks, stack, lid, props)]
    return [out]


def cfn_requests(stacks, errors):
    out = []
    for stack, role in STACK_ROLE.items():
        for lid, res in stacks.templates[stack]["Resources"].items():
            entry = CFN_CALLS.get(res["Type"])
            if entry is None:
                errors.append(f"{stack}.json: {lid}: {res['Type']} is not in tests/iam/cfn-calls.json")
                continue
            props = res.get("Properties", {})
            for call in entry["calls"]:
                if "when" in call and call["when"] not in props:
                    continue
                try:
                    eachs = [stacks.value(stack, x) for x in as_list(props.get(call["each"], []))] if "each" in call else [None]
                    for each in eachs:
                        for r in fill(call["resource"], stacks, stack, lid, props, each):
                            ctx = {}
                            for k, v in call.get("context", {}).items():
                                got = fill(v, stacks, stack, lid, props, each)
                                if not got:
                                    raise Unresolved(f"{k}: the resource has no {v.strip('{}')}")
                                ctx[k] = got[0]
                            req = {"action": call["action"], "resource": r, "context": ctx}
                            # A KMS key's own policy must allow a call too: IAM alone cannot.
                            # https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
                            if res["Type"] == "AWS::KMS::Key" and call["resource"] == "{self}":
                                req["resourcePolicy"] = stacks.value(stack, props["KeyPolicy"])
                            out.append((role, req, f"CloudFormation for {stacks.names[stack]} {lid} ({res['Type']})"))
                except (Unresolved, KeyError, IndexError) as e:
                    errors.append(f"{stack}.json: {lid}: {call['action']}: {e}")
    return out


# --- 3. the functions' calls -----------------------------------------------

def function_requests(stacks, rows, errors):
    out = []
    for row in rows:
        # when_resource: a row of a role only some examples have (cluster.ami_updates' roles).
        if "when_resource" in row and \
                row["when_resource"] not in stacks.templates[ROLE_STACK.get(row["role"], "cluster")]["Resources"]:
            continue
        def sub(s):
            s = s.replace("{region}", REGION).replace("{account}", ACCOUNT).replace("{cluster}", stacks.cluster)
            if s.startswith("{role:"):
                s = stacks.arn("cluster", s[6:-1])
            return s
        try:
            req = {"action": row["action"], "resource": sub(row["resource"]),
                   "context": {k: sub(v) for k, v in row.get("context", {}).items()}}
        except Unresolved as e:
            errors.append(f"functions: {row['action']}: {e}")
            continue
        out.append((row["role"], req, f"function of {row['role']} ({row.get('source', 'static table')})"))
    return out


def check_function_table(stacks, rows, errors):
    """The static table names exactly the calls each embedded source makes."""
    import static_checks
    res = dict(stacks.templates["cluster"]["Resources"])
    # The pipeline stack's function (cluster.ami_updates: auto) too.
    res.update(stacks.templates["pipeline"]["Resources"])
    for fid, r in res.items():
        if r["Type"] != "AWS::Lambda::Function":
            continue
        role = r["Properties"]["Role"]["Fn::GetAtt"][0]
        calls, unknown = static_checks.source_calls(r["Properties"]["Code"]["ZipFile"])
        table = {x["action"] for x in rows if x["role"] == role}
        if calls != table or unknown:
            errors.append(f"function-calls.jsonl: {role}: not listed {sorted(calls - table)}, "
                          f"not called {sorted(table - calls)}, ambiguous {unknown}")


# --- policies and wildcard statements ---------------------------------------

def role_policies(stacks, role):
    stack = ROLE_STACK.get(role, "cluster")
    res = stacks.templates[stack]["Resources"].get(role)
    if res is None:
        return None
    docs = []
    for p in res["Properties"].get("Policies", []):
        docs.append({"name": p["PolicyName"], "policy": stacks.value(stack, p["PolicyDocument"])})
    for arn in res["Properties"].get("ManagedPolicyArns", []):
        # A customer managed policy of the same template (DeployClusterPolicy):
        # its document, like an inline policy; an AWS managed one cannot be read.
        if isinstance(arn, dict) and "Ref" in arn and \
                stacks.templates[stack]["Resources"].get(arn["Ref"], {}).get("Type") == "AWS::IAM::ManagedPolicy":
            own = stacks.templates[stack]["Resources"][arn["Ref"]]["Properties"]
            docs.append({"name": arn["Ref"], "policy": stacks.value(stack, own["PolicyDocument"])})
            continue
        docs.append({"name": "managed", "policy": {"Version": "2012-10-17", "Statement": [],
                                                   "_managed": stacks.value(stack, arn)}})
    return docs


def role_boundary(stacks, role, errors, name):
    """The permissions boundary of a role: the managed policy its
    PermissionsBoundary names (the pipeline stack's RoleBoundary).  Every
    role the cluster stack creates must carry one (issue 15, item 8)."""
    stack = ROLE_STACK.get(role, "cluster")
    res = stacks.templates[stack]["Resources"].get(role)
    if res is None:
        return None
    arn = res["Properties"].get("PermissionsBoundary")
    if arn is None:
        if stack != "pipeline":
            errors.append(f"{name}: {stack}.json {role}: no PermissionsBoundary (every role the deploy creates needs one)")
        return None
    arn = stacks.value(stack, arn)
    for t_stack, t in stacks.templates.items():
        for lid, r in t["Resources"].items():
            if r["Type"] == "AWS::IAM::ManagedPolicy" and stacks.arn(t_stack, lid) == arn:
                return [{"name": lid, "policy": stacks.value(t_stack, r["Properties"]["PolicyDocument"])}]
    errors.append(f"{name}: {stack}.json {role}: its boundary {arn} is no managed policy of the templates")
    return None


DENIED = json.load(open(os.path.join(HERE, "denied.json")))
ADMIN = [{"name": "a-wider-template", "policy": {"Version": "2012-10-17",
                                                 "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]


def denied_requests(stacks, errors):
    """denied.json: calls on what is not this cluster's, each to be denied."""
    other = f"{stacks.cluster}-other"
    out = []
    for row in DENIED["denied"]:
        if "when_resource" in row and row["when_resource"] not in stacks.templates["cluster"]["Resources"]:
            continue

        def sub(v):
            return (v.replace("{a}", A).replace("{region}", REGION).replace("{account}", ACCOUNT)
                    .replace("{other}", other).replace("{cluster}", stacks.cluster))
        try:
            boundary = stacks.arn("pipeline", "RoleBoundary")
        except Unresolved as e:
            errors.append(f"denied.json: {row['why']}: {e}")
            boundary = f"{A}:iam::{ACCOUNT}:policy/no-boundary"
        ctx = {sub(k): boundary if v == "{boundary}" else sub(v) for k, v in row.get("context", {}).items()}
        resource = boundary if row["resource"] == "{boundary}" else sub(row["resource"])
        out.append((row["role"], {"action": row["action"], "resource": resource, "context": ctx},
                    f"denied.json: {row['why']}"))
    return out


def star_statements(name, stacks):
    out = []
    for stack, t in stacks.templates.items():
        for lid, res in t["Resources"].items():
            if res["Type"] != "AWS::IAM::Role":
                continue
            own = [(p["PolicyName"], p["PolicyDocument"]) for p in res["Properties"].get("Policies", [])]
            own += [(a["Ref"], t["Resources"][a["Ref"]]["Properties"]["PolicyDocument"])
                    for a in res["Properties"].get("ManagedPolicyArns", [])
                    if isinstance(a, dict) and t["Resources"].get(a.get("Ref"), {}).get("Type") == "AWS::IAM::ManagedPolicy"]
            for pname, pdoc in own:
                doc = stacks.value(stack, pdoc)
                for i, st in enumerate(as_list(doc["Statement"])):
                    if st.get("Effect") == "Allow" and "*" in as_list(st.get("Resource", [])):
                        keys = sorted({k for op in st.get("Condition", {}).values() for k in op})
                        out.append({"where": f"{name}: {stack}.json {lid} {pname}[{i}]",
                                    "actions": as_list(st["Action"]), "role": lid,
                                    "condition_keys": keys})
    return out


def example_targets(example):
    """The clusters an example deploys: [None] (infra.yml's), or each of its environments."""
    doc = yaml.safe_load(open(os.path.join(example, "infra.yml")))
    return doc.get("environments") or [None]


def logical(name):
    """An environment's part of the pipeline's logical ids (src/lower.c's lower_logical_id)."""
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[-_]", name) if p)


def compile_example(ecsgen, example, cluster, work, environment=None):
    """The example compiled as cluster `cluster`: infra.yml's, or with
    environments that environment's (its overlay names it `cluster`); its
    stage's roles in the pipeline renamed to the single cluster's ids
    (DeployRoleProd -> DeployRole), so the check reads them alike."""
    doc = yaml.safe_load(open(os.path.join(example, "infra.yml")))
    tag = environment and f"{environment}-{cluster}" or cluster
    d = os.path.join(work, f"{os.path.basename(example.rstrip('/'))}-{tag}")
    # The example's folder (user_data and other files are relative to it).
    shutil.copytree(example, d, ignore=shutil.ignore_patterns("out"), dirs_exist_ok=True)
    if environment:
        # This environment is `cluster`; the others get names no recording uses.
        for e in doc["environments"]:
            path = os.path.join(d, f"{e}.yml")
            over = (yaml.safe_load(open(path)) if os.path.exists(path) else None) or {}
            over.setdefault("cluster", {})["name"] = cluster if e == environment else f"{cluster}-iam-{e}"
            with open(path, "w") as f:
                yaml.safe_dump(over, f, sort_keys=False)
    else:
        doc["cluster"]["name"] = cluster
        with open(os.path.join(d, "infra.yml"), "w") as f:
            yaml.safe_dump(doc, f, sort_keys=False)
    src = os.path.join(d, "infra.yml")
    p = subprocess.run([ecsgen, "-q", src, "-o", os.path.join(d, "out")], capture_output=True, text=True)
    if p.returncode != 0:
        raise Unresolved(f"ecsgen {src}: {p.stderr.strip()}")
    tree = os.path.join(d, "out", environment) if environment else os.path.join(d, "out")
    templates = {t: json.load(open(os.path.join(tree, "cloudformation", f"{t}.json")))
                 for t in ("cluster", "health", "compute", "assets")}
    text = open(os.path.join(d, "out", "cloudformation", "pipeline.json")).read()
    if environment:
        for lid in ("DeployRole", "RoleBoundary", "DeployClusterPolicy"):
            text = text.replace(f'"{lid}{logical(environment)}"', f'"{lid}"')
    templates["pipeline"] = json.loads(text)
    if environment:
        # The other environments' stage roles name stacks of clusters this view does not
        # deploy (their own runs check them): they are no part of this one's requests.
        for e in doc["environments"]:
            for lid in ("DeployRole", "RoleBoundary", "DeployClusterPolicy"):
                if e != environment:
                    templates["pipeline"]["Resources"].pop(f"{lid}{logical(e)}", None)
    return templates


def main(records_dir, ecsgen, examples_dir, work):
    records, errors = load_records(records_dir)
    cli, skipped = cli_requests(records, errors)
    rows = [json.loads(line) for line in open(os.path.join(HERE, "function-calls.jsonl")) if line.strip()]
    recorded_functions = []
    for path in sorted(glob.glob(os.path.join(records_dir, "functions*.jsonl"))):
        recorded_functions += [dict(json.loads(line), source=os.path.basename(path)) for line in open(path) if line.strip()]
    clusters = sorted({c for _, c, _, _ in cli}) or ["c"]
    cases, statements = [], []
    examples = sorted(glob.glob(os.path.join(examples_dir, "*", "infra.yml")))
    targets = [(os.path.dirname(e), env) for e in examples for env in example_targets(os.path.dirname(e))]
    for example, environment in targets:
        name = os.path.basename(example) + (f"/{environment}" if environment else "")
        for cluster in clusters:
            try:
                templates = compile_example(ecsgen, example, cluster, work, environment)
                assets = templates.pop("assets")
                stacks = Stacks(cluster, templates)
                stacks.assets = assets
            except Unresolved as e:
                errors.append(f"{name}: {e}")
                continue
            # Without a bake (cluster.ami pinned) make ami runs no ami.sh and
            # the pipeline has no BakeRole.
            bakes = "BakeRole" in stacks.templates["pipeline"]["Resources"]
            bucket = stacks.value("pipeline", {"Fn::ImportValue": f"{cluster}-assets:Bucket"})
            reqs = [(role, dict(req, resource=req["resource"].replace(ASSETS_BUCKET, bucket)), where)
                    for role, c, req, where in cli if c == cluster and (bakes or role != "BakeRole")]
            reqs += cfn_requests(stacks, errors)
            reqs += function_requests(stacks, rows + recorded_functions, errors)
            check_function_table(stacks, rows, errors)
            denied = denied_requests(stacks, errors)
            policies, boundaries = {}, {}
            for expect, group in (("Allowed", reqs), ("Denied", denied)):
                for role, req, where in group:
                    if role not in policies:
                        try:
                            if role == "BoundedAdmin":
                                # A cluster role a changed template grants everything:
                                # the boundary alone must stop it.
                                policies[role] = ADMIN
                                res = stacks.templates["pipeline"]["Resources"].get("RoleBoundary")
                                boundaries[role] = res and [{"name": "RoleBoundary", "policy": stacks.value(
                                    "pipeline", res["Properties"]["PolicyDocument"])}]
                            else:
                                policies[role] = role_policies(stacks, role)
                                boundaries[role] = role_boundary(stacks, role, errors, name)
                        except Unresolved as e:
                            errors.append(f"{name}: {role}: {e}")
                            policies[role] = None
                    cases.append({"example": name, "cluster": cluster, "role": role, "where": where,
                                  "request": req, "expect": expect})
            for c in cases:
                if c["example"] == name and c["cluster"] == cluster and "policies" not in c:
                    c["policies"] = policies.get(c["role"])
                    c["boundary"] = boundaries.get(c["role"])
            if cluster == clusters[0]:
                statements += star_statements(name, stacks)
    json.dump({"cases": cases, "statements": statements, "errors": sorted(set(errors)),
               "skipped": skipped, "records": len(records), "account": ACCOUNT}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
