"""An honest DynamoDB behind tests/deploy/fake-aws, for the lock tests.

    python3 fake-dynamodb.py STATE_DIR OPERATION ARGS...   (the aws CLI's arguments after `dynamodb`)

Each table is STATE_DIR/TABLE.json ({pk value: item}); a table exists when
its file does (fake_dynamodb_table in tests/deploy/lib.sh makes one).  Every
call holds an exclusive flock on STATE_DIR/.lock, so concurrent processes
see DynamoDB's one-item atomicity: a conditional put either finds the
condition true and writes, or fails with ConditionalCheckFailedException
and writes nothing.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
The condition grammar is the subset DynamoDB defines that the scripts may
use: attribute_exists / attribute_not_exists, = <> < <= > >=, AND, OR, NOT,
parentheses; N compares as a number, S as a string.  --query is evaluated
with jmespath (the aws CLI's own library) and printed as the CLI's text
output prints it (a list as tab-separated fields, null as None).
"""
import fcntl
import json
import os
import re
import sys

import jmespath

OPS = {"put-item": "PutItem", "get-item": "GetItem", "delete-item": "DeleteItem"}


def fail(op, code, message):
    print(f"\nAn error occurred ({code}) when calling the {OPS.get(op, op)} operation: {message}", file=sys.stderr)
    sys.exit(254)


def options(args):
    opts, i = {}, 0
    while i < len(args):
        a = args[i]
        if not a.startswith("--"):
            sys.exit(f"fake-dynamodb: unexpected argument {a}")
        if a in ("--consistent-read", "--no-consistent-read"):
            opts[a[2:]] = True
            i += 1
            continue
        opts[a[2:]] = args[i + 1]
        i += 2
    return opts


TOKEN = re.compile(r"\s*(?:(\()|(\))|(,)|(<>|<=|>=|=|<|>)|(:[A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*))")


def tokens(text):
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            sys.exit(f"fake-dynamodb: cannot parse condition at: {text[pos:]}")
        out.append(next(g for g in m.groups() if g is not None))
        pos = m.end()
    return out


def value(v):
    (kind, x), = v.items()
    return (0, float(x)) if kind == "N" else (1, x)


class Condition:
    def __init__(self, text, values, item):
        self.t, self.i, self.values, self.item = tokens(text), 0, values, item

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self, want=None):
        tok = self.peek()
        if want is not None and (tok or "").upper() != want:
            sys.exit(f"fake-dynamodb: expected {want}, got {tok}")
        self.i += 1
        return tok

    def evaluate(self):
        result = self.disjunction()
        if self.peek() is not None:
            sys.exit(f"fake-dynamodb: trailing {self.peek()}")
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

    def operand(self):
        tok = self.take()
        if tok.startswith(":"):
            if tok not in self.values:
                sys.exit(f"fake-dynamodb: {tok} has no value")
            return value(self.values[tok])
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
            name = self.take()
            self.take(")")
            return (name in self.item) == (tok == "attribute_exists")
        left = self.operand()
        op = self.take()
        right = self.operand()
        if left is None or right is None or left[0] != right[0]:
            return False
        return {"=": left == right, "<>": left != right, "<": left < right, "<=": left <= right,
                ">": left > right, ">=": left >= right}[op]


def text(result):
    if result is None:
        return "None"
    if isinstance(result, list):
        if result and all(isinstance(r, list) for r in result):
            return "\n".join(text(r) for r in result)
        return "\t".join("None" if r is None else str(r) for r in result)
    return str(result)


def main():
    state, op, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    opts = options(args)
    os.makedirs(state, exist_ok=True)
    with open(os.path.join(state, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path = os.path.join(state, opts["table-name"] + ".json")
        if not os.path.exists(path):
            fail(op, "ResourceNotFoundException", "Requested resource not found")
        with open(path) as f:
            table = json.load(f)
        if op == "put-item":
            item = json.loads(opts["item"])
        elif op in ("get-item", "delete-item"):
            item = json.loads(opts["key"])
        else:
            sys.exit(f"fake-dynamodb: no operation {op}")
        (pk,) = [k for k in item if k == "pk"]  # the lock table's key (emitters/cfn_functions.c)
        key = json.dumps(item[pk], sort_keys=True)
        old = table.get(key)
        if "condition-expression" in opts:
            values = json.loads(opts.get("expression-attribute-values", "{}"))
            if not Condition(opts["condition-expression"], values, old or {}).evaluate():
                fail(op, "ConditionalCheckFailedException", "The conditional request failed")
        response = {}
        if op == "put-item":
            table[key] = item
            if old is not None and opts.get("return-values") == "ALL_OLD":
                response = {"Attributes": old}
        elif op == "delete-item":
            table.pop(key, None)
        elif old is not None:
            response = {"Item": old}
        if op != "get-item":
            with open(path + ".tmp", "w") as f:
                json.dump(table, f)
            os.replace(path + ".tmp", path)
    if "query" in opts:
        print(text(jmespath.search(opts["query"], response)))
    elif response:
        print(json.dumps(response, indent=4))


main()
