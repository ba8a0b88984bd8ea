"""The part of JMESPath (the aws CLI's --query language) the generated scripts use, standard library only.

https://jmespath.org/specification.html -- identifiers, quoted identifiers, sub-expressions (a.b),
index ([0]), list and flatten projections ([*], []), filter projections ([?expr]), multi-select
lists ([a, b]), pipes, comparisons (== != < <= > >=), && || !, raw string ('x') and JSON (`x`)
literals, @, and the functions length, ends_with, starts_with, contains.  Anything else raises
ValueError, so a script that starts using more of the language fails the simulator loudly instead
of getting a wrong answer.  The parser follows the reference implementation's binding powers
(jmespath.py's parser), projections included: a projection applies the rest of the expression up
to a pipe to each element and drops the nulls.
"""
import json
import re

BP = {"eof": 0, "pipe": 1, "or": 2, "and": 3, "eq": 5, "ne": 5, "lt": 5, "le": 5, "gt": 5, "ge": 5,
      "flatten": 9, "star": 20, "filter": 21, "dot": 40, "not": 45, "lbracket": 55, "lparen": 60,
      "rbracket": 0, "rparen": 0, "comma": 0, "number": 0, "ident": 0, "quoted": 0, "literal": 0, "current": 0}

TOKENS = re.compile(r"""\s*(?:
    (?P<flatten>\[\])|(?P<filter>\[\?)|(?P<lbracket>\[)|(?P<rbracket>\])|(?P<lparen>\()|(?P<rparen>\))|
    (?P<pipe>\|(?!\|))|(?P<or>\|\|)|(?P<and>&&)|(?P<eq>==)|(?P<ne>!=)|(?P<le><=)|(?P<ge>>=)|(?P<lt><)|(?P<gt>>)|
    (?P<not>!)|(?P<dot>\.)|(?P<star>\*)|(?P<comma>,)|(?P<current>@)|
    (?P<number>-?\d+)|(?P<ident>[A-Za-z_][A-Za-z0-9_]*)|(?P<quoted>"(?:\\.|[^"\\])*")|
    (?P<raw>'(?:\\'|[^'])*')|(?P<literal>`(?:\\`|[^`])*`))""", re.X)


def lex(text):
    out, pos = [], 0
    while pos < len(text.rstrip()):
        m = TOKENS.match(text, pos)
        if not m:
            raise ValueError(f"jmes: cannot read {text[pos:]!r} in {text!r}")
        kind, value = next((k, v) for k, v in m.groupdict().items() if v is not None)
        if kind == "number":
            value = int(value)
        elif kind == "quoted":
            kind, value = "ident", json.loads(value)
        elif kind == "raw":
            kind, value = "literal", value[1:-1].replace("\\'", "'")
        elif kind == "literal":
            value = json.loads(value[1:-1].replace("\\`", "`"))
        out.append((kind, value))
        pos = m.end()
    out.append(("eof", None))
    return out


class Parser:
    def __init__(self, text):
        self.text, self.toks, self.i = text, lex(text), 0

    def kind(self, ahead=0):
        return self.toks[self.i + ahead][0]

    def take(self, want=None):
        kind, value = self.toks[self.i]
        if want and kind != want:
            raise ValueError(f"jmes: expected {want}, found {kind} in {self.text!r}")
        self.i += 1
        return value

    def parse(self):
        node = self.expr(0)
        self.take("eof")
        return node

    def expr(self, bp):
        kind = self.kind()
        value = self.take()
        left = self.nud(kind, value)
        while bp < BP[self.kind()]:
            kind = self.kind()
            self.take()
            left = self.led(kind, left)
        return left

    def nud(self, kind, value):
        if kind == "ident":
            if self.kind() == "lparen":
                self.take()
                args = []
                while self.kind() != "rparen":
                    args.append(self.expr(0))
                    if self.kind() == "comma":
                        self.take()
                self.take("rparen")
                return ("call", value, args)
            return ("field", value)
        if kind == "literal":
            return ("literal", value)
        if kind == "current":
            return ("current",)
        if kind == "not":
            return ("not", self.expr(BP["not"]))
        if kind == "star":
            return ("values", ("current",), self.rhs(BP["star"]))
        if kind == "flatten":
            return ("project", ("flatten", ("current",)), self.rhs(BP["flatten"]))
        if kind == "filter":
            return self.filter(("current",))
        if kind == "lparen":
            node = self.expr(0)
            self.take("rparen")
            return node
        if kind == "lbracket":
            if self.kind() == "number" and self.kind(1) == "rbracket":
                n = self.take()
                self.take("rbracket")
                return ("index", ("current",), n)
            if self.kind() == "star" and self.kind(1) == "rbracket":
                self.take()
                self.take()
                return ("project", ("current",), self.rhs(BP["star"]))
            return self.multiselect()
        raise ValueError(f"jmes: unsupported {kind} in {self.text!r}")

    def led(self, kind, left):
        if kind == "dot":
            if self.kind() == "lbracket":
                self.take()
                return ("sub", left, self.multiselect())
            if self.kind() == "star":
                self.take()
                return ("values", left, self.rhs(BP["star"]))
            return ("sub", left, self.expr(BP["dot"]))
        if kind == "pipe":
            return ("pipe", left, self.expr(BP["pipe"]))
        if kind in ("or", "and"):
            return (kind, left, self.expr(BP[kind]))
        if kind in ("eq", "ne", "lt", "le", "gt", "ge"):
            return ("cmp", kind, left, self.expr(BP[kind]))
        if kind == "flatten":
            return ("project", ("flatten", left), self.rhs(BP["flatten"]))
        if kind == "filter":
            return self.filter(left)
        if kind == "lbracket":
            if self.kind() == "number":
                n = self.take()
                self.take("rbracket")
                return ("index", left, n)
            if self.kind() == "star":
                self.take()
                self.take("rbracket")
                return ("project", left, self.rhs(BP["star"]))
        raise ValueError(f"jmes: unsupported {kind} after an expression in {self.text!r}")

    def filter(self, left):
        cond = self.expr(0)
        self.take("rbracket")
        return ("filter", left, cond, self.rhs(BP["filter"]))

    def multiselect(self):
        items = [self.expr(0)]
        while self.kind() == "comma":
            self.take()
            items.append(self.expr(0))
        self.take("rbracket")
        return ("list", items)

    def rhs(self, bp):
        """What a projection applies to each element (the reference's _parse_projection_rhs)."""
        kind = self.kind()
        if BP[kind] < 10:
            return ("current",)
        if kind in ("lbracket", "filter"):
            return self.expr(bp)
        if kind == "dot":
            self.take()
            if self.kind() == "lbracket":
                self.take()
                return self.multiselect()
            return self.expr(bp)
        raise ValueError(f"jmes: unsupported {kind} after a projection in {self.text!r}")


def truthy(v):
    return v not in (None, False, "", [], {})


FUNCTIONS = {
    "length": lambda v: len(v),
    "ends_with": lambda s, x: s.endswith(x),
    "starts_with": lambda s, x: s.startswith(x),
    "contains": lambda s, x: x in s,
}


def ev(node, cur):
    op = node[0]
    if op == "current":
        return cur
    if op == "field":
        return cur.get(node[1]) if isinstance(cur, dict) else None
    if op == "literal":
        return node[1]
    if op == "sub":
        left = ev(node[1], cur)
        return None if left is None else ev(node[2], left)
    if op == "index":
        left = ev(node[1], cur)
        if not isinstance(left, list):
            return None
        try:
            return left[node[2]]
        except IndexError:
            return None
    if op == "flatten":
        left = ev(node[1], cur)
        if not isinstance(left, list):
            return None
        out = []
        for x in left:
            out.extend(x if isinstance(x, list) else [x])
        return out
    if op in ("project", "values", "filter"):
        base = ev(node[1], cur)
        if op == "values":
            base = list(base.values()) if isinstance(base, dict) else None
        if not isinstance(base, list):
            return None
        if op == "filter":
            base = [x for x in base if truthy(ev(node[2], x))]
        out = [ev(node[-1], x) for x in base]
        return [x for x in out if x is not None]
    if op == "pipe":
        return ev(node[2], ev(node[1], cur))
    if op == "list":
        return None if cur is None else [ev(n, cur) for n in node[1]]
    if op == "or":
        left = ev(node[1], cur)
        return left if truthy(left) else ev(node[2], cur)
    if op == "and":
        left = ev(node[1], cur)
        return ev(node[2], cur) if truthy(left) else left
    if op == "not":
        return not truthy(ev(node[1], cur))
    if op == "cmp":
        a, b = ev(node[2], cur), ev(node[3], cur)
        if node[1] == "eq":
            return a == b
        if node[1] == "ne":
            return a != b
        if not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
            return None
        return {"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[node[1]]
    if op == "call":
        if node[1] not in FUNCTIONS:
            raise ValueError(f"jmes: no function {node[1]}")
        args = [ev(a, cur) for a in node[2]]
        try:
            return FUNCTIONS[node[1]](*args)
        except (TypeError, AttributeError):
            raise ValueError(f"invalid-type: {node[1]}() of {args!r}")
    raise ValueError(f"jmes: cannot evaluate {op}")


def search(expression, data):
    return ev(Parser(expression).parse(), data)
