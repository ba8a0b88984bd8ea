"""The simulator's `aws` command: the generated scripts' CLI calls, answered from a fakeaws.World.

Standard library only.  The scripts' `aws` is tests/sim/aws, which carries each call to the
simulator (lockstep.py); Cli(world, ...).answer(argv) is what the simulator answers it with, between
the World's minutes: it reads and changes the same World the lifecycle functions' fake boto3 calls
do (its compute stacks, their Status, the DynamoDB items).

The CLI's rules it keeps: unknown options and missing required ones are usage errors (exit 252);
an API error prints "An error occurred (Code) when calling the Op operation: message" on standard
error and exits 254; --query is JMESPath (jmes.py); --output text prints a list as tab-separated
fields, a list of lists one line each, null as None.
https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-returncodes.html
https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-output-format.html

What the services do:
- CloudFormation: list-stacks (with --stack-status-filter), describe-stacks (by name or stack id),
  update-stack with --use-previous-template: every template parameter is given a value, or
  UsePreviousValue, or takes its Default; one with no Default and neither is an error
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Parameter.html); an update
  that changes nothing is "No updates are to be performed."; a stack in *_IN_PROGRESS or
  UPDATE_ROLLBACK_FAILED cannot be updated.  An update is UPDATE_IN_PROGRESS (the new parameter
  values shown, the outputs still the old ones) for the next UPDATE_CALLS calls of any script, or
  until the minute ends, then UPDATE_COMPLETE with World.set_status: the Status output the
  functions read, the reserved groups' MinSize.  describe-stack-events lists what updates did.
- DynamoDB: put-item, get-item, delete-item on the template's tables, with ConditionExpression
  (attribute_exists / attribute_not_exists, = <> < <= > >=, AND, OR, NOT, parentheses; N compares
  as a number, S as a string), every :value used and every one given used
  (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html,
  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeValues.html),
  ReturnValues ALL_OLD.  The items are World.items, the table the functions' lease lives in too.
Any other call fails loudly (exit 255, "the simulated aws has no ..."), so a script step that
starts calling something new fails the simulator instead of passing untested.
"""
import json
import re
import zlib

UPDATE_CALLS = 2
STATUSES = {
    "CREATE_IN_PROGRESS", "CREATE_FAILED", "CREATE_COMPLETE", "ROLLBACK_IN_PROGRESS", "ROLLBACK_FAILED",
    "ROLLBACK_COMPLETE", "DELETE_IN_PROGRESS", "DELETE_FAILED", "DELETE_COMPLETE", "UPDATE_IN_PROGRESS",
    "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_COMPLETE", "UPDATE_FAILED", "UPDATE_ROLLBACK_IN_PROGRESS",
    "UPDATE_ROLLBACK_FAILED", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE",
    "REVIEW_IN_PROGRESS", "IMPORT_IN_PROGRESS", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_IN_PROGRESS",
    "IMPORT_ROLLBACK_FAILED", "IMPORT_ROLLBACK_COMPLETE",
}
GLOBAL = {"output": "str", "query": "str", "region": "str", "endpoint-url": "str", "profile": "str",
          "no-cli-pager": "flag", "no-paginate": "flag", "debug": "flag", "color": "str"}
# Each operation's options: str, json, list (one or more words), flag; a leading ! is required.
OPS = {
    ("cloudformation", "list-stacks"): {"stack-status-filter": "list", "next-token": "str"},
    ("cloudformation", "describe-stacks"): {"stack-name": "str", "next-token": "str"},
    ("cloudformation", "describe-stack-events"): {"!stack-name": "str", "next-token": "str"},
    ("cloudformation", "update-stack"): {
        "!stack-name": "str", "template-body": "str", "template-url": "str", "use-previous-template": "flag",
        "parameters": "json", "capabilities": "list", "role-arn": "str", "tags": "json",
        "stack-policy-body": "str", "client-request-token": "str"},
    ("dynamodb", "put-item"): {
        "!table-name": "str", "!item": "json", "condition-expression": "str", "expression-attribute-values": "json",
        "expression-attribute-names": "json", "return-values": "str"},
    ("dynamodb", "get-item"): {"!table-name": "str", "!key": "json", "consistent-read": "flag",
                               "no-consistent-read": "flag", "projection-expression": "str"},
    ("dynamodb", "delete-item"): {
        "!table-name": "str", "!key": "json", "condition-expression": "str", "expression-attribute-values": "json",
        "expression-attribute-names": "json", "return-values": "str"},
}
ACCOUNT, REGION = "123456789012", "us-west-2"


class Usage(Exception):
    pass


class ApiError(Exception):
    def __init__(self, op, code, message):
        super().__init__(f"An error occurred ({code}) when calling the {op} operation: {message}")


def camel(op):
    return "".join(p.capitalize() for p in op.split("-"))


def parse(argv):
    """(service, operation, options) from the CLI's arguments, or Usage."""
    words, opts, i = [], {}, 0
    spec = dict(GLOBAL)
    while i < len(argv):
        a = argv[i]
        if not a.startswith("--"):
            words.append(a)
            if len(words) == 2:
                op = OPS.get(tuple(words))
                if op is None:
                    raise NotImplementedError(f"the simulated aws has no {words[0]} {words[1]}")
                spec.update({k.lstrip("!"): v for k, v in op.items()})
            elif len(words) > 2:
                raise Usage(f"Unknown options: {a}")
            i += 1
            continue
        name = a[2:]
        kind = spec.get(name) if len(words) == 2 or name in GLOBAL else None
        if kind is None:
            raise Usage(f"Unknown options: {a}")
        if kind == "flag":
            opts[name] = True
            i += 1
        elif kind == "list":
            j = i + 1
            while j < len(argv) and not argv[j].startswith("--"):
                j += 1
            if j == i + 1:
                raise Usage(f"argument {a}: expected at least one argument")
            opts[name] = argv[i + 1:j]
            i = j
        else:
            if i + 1 >= len(argv):
                raise Usage(f"argument {a}: expected one argument")
            value = argv[i + 1]
            if kind == "json":
                try:
                    value = json.loads(value)
                except ValueError as e:
                    raise Usage(f"Error parsing parameter '{name}': Invalid JSON: {e}")
            opts[name] = value
            i += 2
    if len(words) != 2:
        raise Usage("the following arguments are required: command, operation")
    missing = [k[1:] for k in OPS[tuple(words)] if k.startswith("!") and k[1:] not in opts]
    if missing:
        raise Usage("the following arguments are required: " + ", ".join("--" + m for m in missing))
    return words[0], words[1], opts


def text(result):
    if result is None:
        return "None"
    if isinstance(result, bool):
        return "True" if result else "False"
    if isinstance(result, list):
        if result and all(isinstance(r, list) for r in result):
            return "\n".join(text(r) for r in result)
        return "\t".join(text(r) for r in result)
    if isinstance(result, dict):
        return "\t".join(text(v) for v in result.values())
    return str(result)


# --- DynamoDB's condition expressions ----------------------------------------------------------------

TOKEN = re.compile(r"\s*(?:(\()|(\))|(,)|(<>|<=|>=|=|<|>)|(:[A-Za-z0-9_]+)|(#[A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*))")


class Condition:
    def __init__(self, op, text_, values, names, item):
        self.op, self.values, self.names, self.item, self.used = op, values, names, item, set()
        self.t, pos = [], 0
        text_ = text_.strip()
        while pos < len(text_):
            m = TOKEN.match(text_, pos)
            if not m or m.end() == pos:
                self.invalid(f"Invalid ConditionExpression: Syntax error; token: \"{text_[pos:pos + 10]}\"")
            self.t.append(next(g for g in m.groups() if g is not None))
            pos = m.end()
        self.i = 0

    def invalid(self, message):
        raise ApiError(self.op, "ValidationException", message)

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self, want=None):
        tok = self.peek()
        if tok is None or (want is not None and tok.upper() != want):
            self.invalid(f"Invalid ConditionExpression: Syntax error; token: \"{tok or '<EOF>'}\"")
        self.i += 1
        return tok

    def evaluate(self):
        result = self.disjunction()
        if self.peek() is not None:
            self.invalid(f"Invalid ConditionExpression: Syntax error; token: \"{self.peek()}\"")
        unused = sorted(set(self.values) - self.used)
        if unused:
            self.invalid("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                         + ", ".join(unused) + "}")
        return result

    def disjunction(self):
        r = self.conjunction()
        while (self.peek() or "").upper() == "OR":
            self.take()
            r = self.conjunction() or r
        return r

    def conjunction(self):
        r = self.negation()
        while (self.peek() or "").upper() == "AND":
            self.take()
            r = self.negation() and r
        return r

    def negation(self):
        if (self.peek() or "").upper() == "NOT":
            self.take()
            return not self.negation()
        return self.comparison()

    def name(self, tok):
        if tok.startswith("#"):
            if tok not in self.names:
                self.invalid(f"An expression attribute name used in the document path is not defined; attribute name: {tok}")
            return self.names[tok]
        return tok

    def operand(self):
        tok = self.take()
        if tok.startswith(":"):
            if tok not in self.values:
                self.invalid(f"An expression attribute value used in expression is not defined; attribute value: {tok}")
            self.used.add(tok)
            return value(self.values[tok])
        tok = self.name(tok)
        return value(self.item[tok]) if tok in self.item else None

    def comparison(self):
        tok = self.peek()
        if tok == "(":
            self.take()
            r = self.disjunction()
            self.take(")")
            return r
        if tok in ("attribute_exists", "attribute_not_exists"):
            self.take()
            self.take("(")
            attr = self.name(self.take())
            self.take(")")
            return (attr in self.item) == (tok == "attribute_exists")
        left = self.operand()
        op = self.take()
        if op not in ("=", "<>", "<", "<=", ">", ">="):
            self.invalid(f"Invalid ConditionExpression: Syntax error; token: \"{op}\"")
        right = self.operand()
        if left is None or right is None or left[0] != right[0]:
            return False
        return {"=": left == right, "<>": left != right, "<": left < right, "<=": left <= right,
                ">": left > right, ">=": left >= right}[op]


def value(v):
    (kind, x), = v.items()
    return (0, float(x)) if kind == "N" else (1, x)


# --- the answers --------------------------------------------------------------------------------------

class Cli:
    """The CLI's answers from one World.

    compute_template: the generated compute.json (its Parameters: the compute stacks' parameters);
    cluster_template: cluster.json (its DynamoDB tables); names: the Makefile's names table
    (STACK_CLUSTER); role: the compute service role the cluster stack outputs."""

    def __init__(self, world, compute_template, cluster_template, names):
        self.world, self.names = world, names
        self.params = compute_template["Parameters"]
        self.tables = {r["Properties"]["TableName"] for r in cluster_template["Resources"].values()
                       if r["Type"] == "AWS::DynamoDB::Table"}
        self.role = f"arn:aws:iam::{ACCOUNT}:role{names['ROLE_PATH']}ComputeServiceRole"
        self.updates = {}   # stack name -> [calls left, new parameters]
        self.events = {}    # stack name -> [event dicts], newest first
        self.calls = []     # (minute, script, argv, exit status)
        self.param_changes = []  # a completed update that changed a parameter other than Status

    # the stacks the CLI sees: the World's compute stacks, and the cluster stack
    def parameters(self, st):
        if not hasattr(st, "cli_params"):
            digest = "%064x" % (sum(map(ord, st.version)) * 0x9E3779B97F4A7C15 % (1 << 255))
            st.cli_params = {k: p.get("Default", {"Version": st.version, "TemplateDigest": digest, "AMI": "ami-0123456789abcdef0",
                                                  "NodeSecurityGroup": "sg-0123456789abcdef0",
                                                  "InstanceProfileArn": f"arn:aws:iam::{ACCOUNT}:instance-profile/node"}.get(k, ""))
                             for k, p in self.params.items()}
        pending = self.updates.get(st.name)
        shown = dict(pending[1]) if pending else dict(st.cli_params)
        if not pending:
            shown["Status"] = st.status
        return shown

    def stack_id(self, name):
        return f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{name}/{zlib.crc32(name.encode()):012d}-sim"

    def cluster_stack(self):
        name = self.names["STACK_CLUSTER"]
        return {"StackId": self.stack_id(name), "StackName": name, "StackStatus": "CREATE_COMPLETE",
                "CreationTime": self.when(-600), "Parameters": [],
                "Outputs": [{"OutputKey": "ComputeServiceRoleArn", "OutputValue": self.role}]}

    def when(self, minute):
        return self.world.at(minute).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    def describe(self, st):
        d = {"StackId": self.stack_id(st.name), "StackName": st.name, "StackStatus": st.stack_status,
             "CreationTime": self.when(st.created), "RoleARN": self.role,
             "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in self.parameters(st).items()],
             "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in st.outputs.items()]}
        if st.updated is not None:
            d["LastUpdatedTime"] = self.when(st.updated)
        return d

    def find(self, op, ref):
        name = ref.split(":stack/", 1)[1].split("/", 1)[0] if ref.startswith("arn:") else ref
        if name == self.names["STACK_CLUSTER"]:
            return None
        st = self.world.stacks.get(name)
        if st is None or (ref.startswith("arn:") and ref != self.stack_id(name)):
            raise ApiError(op, "ValidationError", f"Stack with id {ref} does not exist")
        return st

    def cloudformation_list_stacks(self, o):
        want = set(o.get("stack-status-filter", STATUSES))
        bad = want - STATUSES
        if bad:
            raise ApiError("ListStacks", "ValidationError", f"1 validation error detected: Value '{sorted(bad)}' at 'stackStatusFilter'")
        out = [{"StackName": self.names["STACK_CLUSTER"], "StackStatus": "CREATE_COMPLETE", "CreationTime": self.when(-600)}]
        out += [{"StackId": self.stack_id(st.name), "StackName": st.name, "StackStatus": st.stack_status,
                 "CreationTime": self.when(st.created)} for st in sorted(self.world.stacks.values(), key=lambda s: s.name)]
        return {"StackSummaries": [s for s in out if s["StackStatus"] in want]}

    def cloudformation_describe_stacks(self, o):
        if "stack-name" not in o:
            return {"Stacks": [self.cluster_stack()] + [self.describe(st) for st in sorted(self.world.stacks.values(), key=lambda s: s.name)]}
        st = self.find("DescribeStacks", o["stack-name"])
        return {"Stacks": [self.cluster_stack() if st is None else self.describe(st)]}

    def cloudformation_describe_stack_events(self, o):
        st = self.find("DescribeStackEvents", o["stack-name"])
        return {"StackEvents": [] if st is None else list(self.events.get(st.name, []))}

    def event(self, st, status, logical=None, reason=None):
        e = {"StackName": st.name, "LogicalResourceId": logical or st.name, "ResourceStatus": status,
             "Timestamp": self.when(self.world.minute)}
        if reason:
            e["ResourceStatusReason"] = reason
        self.events.setdefault(st.name, []).insert(0, e)

    def cloudformation_update_stack(self, o):
        op = "UpdateStack"
        st = self.find(op, o["stack-name"])
        if st is None:
            raise ApiError(op, "ValidationError", "the simulator does not update the cluster stack")
        if not o.get("use-previous-template") or "template-body" in o or "template-url" in o:
            raise NotImplementedError("the simulated aws updates compute stacks only with --use-previous-template")
        if st.stack_status.endswith("_IN_PROGRESS") or st.stack_status in ("UPDATE_ROLLBACK_FAILED", "CREATE_FAILED",
                                                                            "ROLLBACK_COMPLETE", "ROLLBACK_FAILED"):
            raise ApiError(op, "ValidationError", f"Stack:{self.stack_id(st.name)} is in {st.stack_status} state and can not be updated.")
        if o.get("role-arn") not in (None, self.role):
            raise ApiError(op, "ValidationError", f"Role {o['role-arn']} is invalid or cannot be assumed")
        old = self.parameters(st)
        given = {}
        for p in o.get("parameters", []):
            key = p.get("ParameterKey")
            if key not in self.params:
                raise ApiError(op, "ValidationError", f"Parameters: [{key}] do not exist in the template")
            if p.get("UsePreviousValue") and "ParameterValue" in p:
                raise ApiError(op, "ValidationError", f"Invalid input for parameter key {key}. Cannot specify usePreviousValue as true and non empty value for a parameter")
            given[key] = old[key] if p.get("UsePreviousValue") else p.get("ParameterValue")
        new = {}
        for key, p in self.params.items():
            if key in given:
                new[key] = given[key]
            elif "Default" in p:
                new[key] = p["Default"]
            else:
                raise ApiError(op, "ValidationError", f"Parameters: [{key}] must have values")
            allowed = p.get("AllowedValues")
            if allowed and new[key] not in allowed:
                raise ApiError(op, "ValidationError", f"Parameter '{key}' must be one of AllowedValues")
        if new == old:
            raise ApiError(op, "ValidationError", "No updates are to be performed.")
        self.updates[st.name] = [UPDATE_CALLS, new]
        st.stack_status = "UPDATE_IN_PROGRESS"
        self.event(st, "UPDATE_IN_PROGRESS", reason="User Initiated")
        return {"StackId": self.stack_id(st.name)}

    def settle(self, everything=False):
        """One more call has been answered (or, everything: the minute ends): updates due complete."""
        for name, pending in list(self.updates.items()):
            pending[0] -= 1
            if pending[0] > 0 and not everything:
                continue
            del self.updates[name]
            st = self.world.stacks.get(name)
            if st is None:
                continue
            status = pending[1]["Status"]
            self.param_changes += [f"{name}: {k} {st.cli_params[k]!r} -> {v!r}" for k, v in pending[1].items()
                                   if k != "Status" and st.cli_params[k] != v]
            st.cli_params = pending[1]
            if status != st.status:
                self.world.set_status(st.version, status)
            st.stack_status, st.updated = "UPDATE_COMPLETE", self.world.minute
            self.event(st, "UPDATE_COMPLETE")

    # DynamoDB
    def table(self, op, o):
        if o["table-name"] not in self.tables:
            raise ApiError(op, "ResourceNotFoundException", "Requested resource not found")
        return o["table-name"]

    def key(self, op, item):
        if "pk" not in item or list(item["pk"]) != ["S"]:
            raise ApiError(op, "ValidationException", "One of the required keys was not given a value")
        return item["pk"]["S"]

    def check(self, op, o, old):
        values = o.get("expression-attribute-values", {})
        if "condition-expression" not in o:
            if values:
                raise ApiError(op, "ValidationException", "ExpressionAttributeValues can only be specified when using expressions")
            return
        if not Condition(op, o["condition-expression"], values, o.get("expression-attribute-names", {}), old or {}).evaluate():
            raise ApiError(op, "ConditionalCheckFailedException", "The conditional request failed")

    def dynamodb_put_item(self, o):
        op = "PutItem"
        table = self.table(op, o)
        k = (table, self.key(op, o["item"]))
        old = self.world.items.get(k)
        self.check(op, o, old)
        self.world.items[k] = o["item"]
        return {"Attributes": old} if old is not None and o.get("return-values") == "ALL_OLD" else {}

    def dynamodb_get_item(self, o):
        op = "GetItem"
        table = self.table(op, o)
        item = self.world.items.get((table, self.key(op, o["key"])))
        return {} if item is None else {"Item": item}

    def dynamodb_delete_item(self, o):
        op = "DeleteItem"
        table = self.table(op, o)
        if set(o["key"]) != {"pk"}:
            raise ApiError(op, "ValidationException", "The provided key element does not match the schema")
        k = (table, self.key(op, o["key"]))
        old = self.world.items.get(k)
        self.check(op, o, old)
        self.world.items.pop(k, None)
        return {"Attributes": old} if old is not None and o.get("return-values") == "ALL_OLD" else {}

    def answer(self, argv, script=None):
        """(stdout, stderr, exit status) of one call, as the aws CLI would print them."""
        import jmes
        try:
            service, op, o = parse(argv)
            result = getattr(self, f"{service}_{op.replace('-', '_')}")(o)
            if "query" in o:
                result = jmes.search(o["query"], result)
            if o.get("output", "json") == "text":
                out = "" if result in ({}, None) and "query" not in o else text(result) + "\n"
            else:
                out = "" if result == {} else json.dumps(result, indent=4) + "\n"
            answer = (out, "", 0)
        except Usage as e:
            answer = ("", f"usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\naws: error: {e}\n", 252)
        except ApiError as e:
            answer = ("", f"\n{e}\n", 254)
        except (NotImplementedError, ValueError) as e:
            answer = ("", f"simulated aws: {e}\n", 255)
        self.calls.append((self.world.minute, script, list(argv), answer[2]))
        self.settle()
        return answer
