"""tests/schema/agree.py - ecsgen --schema and the checker agree (issue 19).

    python3 agree.py ECSGEN SCHEMA.json TOP_SRCDIR WORKDIR

Prints TAP lines (no plan; tests/schema.test counts them):

1. the schema is a valid draft-07 schema, and every pattern compiles as an
   ECMA-262 regular expression ('u' flag, as editors run them) through node;
2. every example, every warning case and the `ecsgen init` starter
   validate against it;
3. every bad input of tests/bad/ whose errors all have a code a schema
   states (type, format, range, unknown-key, missing-key, tag) is rejected,
   except the ones tests/schema/beyond-schema.txt lists with why, which
   must be accepted (so the list cannot go stale);
4. probes: one value at a time put into a clean file, the checker
   (ecsgen --validate) and the schema give the same verdict, for the
   boundaries of every bound, format and type the schema states;
5. the schema's keys are exactly the keys --help lists.

YAML is read with PyYAML (YAML 1.1, as ecsgen reads booleans); editors
read YAML 1.2, where `yes` is a string: the schema takes both spellings.
"""
import copy
import glob
import json
import os
import re
import subprocess
import sys

import jsonschema
import yaml

ECSGEN, SCHEMA, TOP, WORK = sys.argv[1:5]
count = 0


def tap(ok, name, *why):
    global count
    count += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", count, name))
    if not ok:
        for line in why:
            for part in str(line).splitlines():
                print("# " + part)


schema = json.load(open(SCHEMA))
try:
    jsonschema.Draft7Validator.check_schema(schema)
    tap(True, "the schema is a valid draft-07 schema")
except jsonschema.SchemaError as e:
    tap(False, "the schema is a valid draft-07 schema", e.message)
validator = jsonschema.Draft7Validator(schema)
tap(schema.get("$schema") == "http://json-schema.org/draft-07/schema#", "it declares draft-07")


def walk(node, out):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            out.append(node["pattern"])
        for v in node.values():
            walk(v, out)
    elif isinstance(node, list):
        for v in node:
            walk(v, out)


patterns = []
walk(schema, patterns)
js = "for (const p of JSON.parse(require('fs').readFileSync(0, 'utf8'))) new RegExp(p, 'u');"
r = subprocess.run(["node", "-e", js], input=json.dumps(patterns), capture_output=True, text=True)
tap(r.returncode == 0 and len(patterns) > 10, "its %d patterns compile as ECMA-262 with the 'u' flag" % len(patterns),
    r.stderr)


def load(path):
    with open(path, "rb") as f:
        return yaml.safe_load(f)


def errors(doc):
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message) for e in validator.iter_errors(doc)]


# 2. Valid inputs.
good = sorted(glob.glob(os.path.join(TOP, "examples", "*", "infra.yml")))
good += sorted(glob.glob(os.path.join(TOP, "tests", "warn", "*.yml")))
# Anchors, aliases and merge keys: PyYAML expands them as ecsgen does.
good += sorted(glob.glob(os.path.join(TOP, "tests", "anchors", "*.yml")))
starter = os.path.join(WORK, "starter", "infra.yml")
good.append(starter)
for path in good:
    name = os.path.relpath(path, TOP) if path != starter else "the ecsgen init starter"
    errs = errors(load(path))
    tap(not errs, "valid: " + name, *errs)

# 3. Bad inputs.
STATED = {"type", "format", "range", "unknown-key", "missing-key", "tag"}
beyond = {}
for line in open(os.path.join(TOP, "tests", "schema", "beyond-schema.txt")):
    if line.strip() and not line.startswith("#"):
        name, why = line.rstrip("\n").split("\t", 1)
        beyond[name] = why
stated = 0
for err in sorted(glob.glob(os.path.join(TOP, "tests", "bad", "*.err"))):
    name = os.path.basename(err)[:-4]
    codes = set(re.findall(r": error: .*\[([a-z0-9-]+)\]$", open(err, errors="replace").read(), re.M))
    if not codes:
        tap(False, "bad: %s has error codes" % name)
        continue
    if not codes <= STATED:
        tap(name not in beyond, "bad: %s is beyond a schema (%s), so not listed" % (name, ", ".join(sorted(codes))))
        continue
    stated += 1
    try:
        errs = errors(load(os.path.join(TOP, "tests", "bad", name + ".yml")))
    except yaml.YAMLError as e:
        tap(False, "bad: %s loads as YAML" % name, e)
        continue
    if name in beyond:
        tap(not errs, "bad: %s is accepted, as beyond-schema.txt says (%s)" % (name, beyond[name]), *errs)
    else:
        tap(bool(errs), "bad: %s is rejected (%s)" % (name, ", ".join(sorted(codes))))
unknown = sorted(set(beyond) - {os.path.basename(e)[:-4] for e in glob.glob(os.path.join(TOP, "tests", "bad", "*.err"))})
tap(not unknown, "beyond-schema.txt names only cases of tests/bad/", *unknown)
tap(stated - len(beyond) >= 80, "at least 80 bad inputs are the schema's to reject (%d are)" % (stated - len(beyond)))

# 4. Probes: (where, values[, setup]).  where is a path into the starter
# document; each value replaces what is there, after setup's (where, value)
# pairs (what a value needs to pass the rules between keys).  A Raw value is
# written into the file as it is, not as PyYAML would dump it.  The file is
# what both read: the checker runs on it, the schema sees PyYAML's load of
# it.  They must agree on every value, valid or not.  Not probed, as known
# and wanted differences: a quoted "yes" (a string to a YAML 1.2 editor,
# which the schema takes, and so it takes the string), numbers in exponent
# notation (1e-06: the same number as 0.000001 to a validator; the checker
# takes decimals only), and key values spelt as booleans (cluster name true).
class Raw(str):
    pass


class Weaker:
    """A value the checker rejects and the schema, by design, accepts: asserted so."""
    def __init__(self, value, why):
        self.value, self.why = value, why


base = load(starter)
assert isinstance(base, dict)
efs = [{"name": "data", "efs_id": "fs-0123abcd", "local_path": "/data"}]
probes = [
    (("cluster", "name"), ["a", "A1", "a" * 79, "a" * 80, "a-compute", "a-compute-b", "a-computer", "compute",
                           "1a", "a_b", "a.b", "-a", "a-", 2024]),
    (("cluster", "vpc"), ["vpc-0a1b2c3d", "vpc-0123456789abcdef0", "vpc-0a1b2c3", "vpc-0A1B2C3D", "vpc0a1b2c3d",
                          "vpc-0123456789abcdef", 12345678], [(("cluster", "subnets"), ["subnet-0a1b2c3d"])]),
    (("cluster", "subnets"), [["subnet-0a1b2c3d"], ["subnet-0123456789abcdef0"] * 15, ["subnet-0a1b2c3d"] * 16,
                              ["subnet-0A1B2C3D"], ["subnet-0a1b2c3"], []],
     [(("cluster", "vpc"), "vpc-0a1b2c3d")]),
    (("cluster", "availability_zones"), [["us-west-2a"], ["us-west-2-lax-1a"], ["us-gov-west-1a"], ["ab-c-1a"],
                                         ["us-west-2"], ["US-WEST-2A"], ["us--west-2a"], ["uswest-2a"],
                                         ["us-west-2a-"], [], ["us-west-2a"] * 16, [None]]),
    (("cluster", "security_groups"), [["sg-093c234a"] * 3, ["sg-093c234a"] * 4, ["sg-dab3aca"], [{"a": 1}],
                                      "sg-093c234a"]),
    (("cluster", "keypair"), ["ops", "my key", "x" * 255, "x" * 256, "caf\u00e9", 2024, "tab\there"]),
    (("cluster", "ami"), ["ami-0123456789abcdef0", "ami-12345678", "ami-0123456789abcdef", "AMI-12345678"]),
    (("cluster", "ami_updates"), ["auto", "weekly", "off", Raw("off"), "daily", "Auto", 1,
                                  Weaker(Raw("no"), "YAML 1.1 reads a bare off as false, and no too"),
                                  Weaker(Raw("OFF"), "YAML 1.1 reads OFF as false; the checker takes off only")]),
    (("cluster", "container_insights"), [True, False, Raw("yes"), Raw("no"), Raw("On"), Raw("OFF"),
                                            Raw("TRUE"), Raw("False"), "sometimes", 1, "y", "true", "1"]),
    (("ec2_instances", "instance_profile_arn"), ["arn:aws:iam::${AWS::AccountId}:instance-profile/x",
                                                 "line\nbreak", "bell\x07"]),
    (("ec2_instances", "efs_mounts", 0, "local_path"), ["/efs", "/", "/a/./b", "/a/../b", "/.hidden", "/a/..b",
                                                       "/a/", "//a", "a", "/a b", "/a;b", "/" + "a" * 254,
                                                       "/" + "a" * 255, "/a/.", "/a/.."]),
    (("ec2_instances", "efs_mounts", 0, "efs_id"), ["fs-df827476", "fs-df82747", "efs-df827476"]),
    (("ec2_instances", "ebs_mounts", 0, "device_name"), ["/dev/xvda", "/dev/sda1", "/dev/xvdba", "/dev/hda",
                                                         "xvda", "/dev/xvda123", "/dev/sd"]),
    (("ec2_instances", "ebs_mounts", 0, "size"), [30, 16384, 16385, 0, -1, 30.5, "thirty"]),
    (("ec2_instances", "spot_fleets", 0, "name"), ["main", "a_b-c", "1", 1, "--", "a b", "a" * 64, "a" * 65, ""]),
    (("ec2_instances", "spot_fleets", 0, "timeout"), ["1s", "90s", "3600s", "3601s", "0s", 1, 3600, 3601, 0,
                                                      "60m", "61m", "1m", "1h", "2h", "0090s", "3d", "1.5m",
                                                      "two minutes", "m", "90 s"]),
    (("ec2_instances", "spot_fleets", 0, "max_weight"), [1, 10000, 10001, 0, 99999999999999999999]),
    (("ec2_instances", "spot_fleets", 0, "bids", 0, "price"), [0.01, 1, "0.015", Raw("0.0000001"), 0,
                                                               -0.01, "$0.01", Raw(".5"), Raw("1.5"), "1.",
                                                               "0.1234567", "abc", "0.000000",
                                                               Weaker(Raw("0.1234567"), "a number's decimals: "
                                                                      "multipleOf 0.000001 fails on binary floats"),
                                                               Weaker(Raw("0.0005"), "EC2's floor per unit of "
                                                                      "weight is a rule between price and weight"),
                                                               Raw("1000000")]),
    (("ec2_instances", "spot_fleets", 0, "bids", 0, "instance_type"), ["t3.micro", "m7i-flex.large",
                                                                       "u-6tb1.metal", "c5n.18xlarge", "t3",
                                                                       "medium.large", "T3.Medium", "t3.micro.x",
                                                                       "3t.micro", "t3."]),
    (("ec2_instances", "spot_fleets", 0, "bids", 0, "weight"), [1, 1000, 1001, 0],
     [(("ec2_instances", "spot_fleets", 0, "bids", 0, "price"), 100)]),
    (("ec2_instances", "spot_fleets", 0, "logical_id"), ["Main"]),
    # AWS's tag rules (src/check_format.c, check_map_pair): 47 tags, keys 1..127, values 0..256, the
    # common character set, no aws: prefix in any case, none of ecsgen's own keys.
    (("cluster", "tags"), [{"team": "payments"}, {"a b": "c d", "x+-=._:/@": "+-=._:/@"}, {"t": ""},
                           {"k" * 127: "v"}, {"k" * 128: "v"}, {"t": "v" * 256}, {"t": "v" * 257},
                           {"aws:x": "y"}, {"AwS:x": "y"}, {"awsx": "y"}, {"t": "aws:x"}, {"t": "AWS:"},
                           {"ecsgen:cluster": "x"}, {"ecsgen:version": "x"}, {"ecsgen:z": "x"}, {"Name": "x"},
                           {"name": "x"}, {"Names": "x"}, {"a!": "b"}, {"t": "caf\u00e9"}, {"t": "$1"},
                           {"t": "a\nb"}, {"t%02d" % i: "v" for i in range(47)}, {"t%02d" % i: "v" for i in range(48)},
                           {}, ["a"], "team=payments", {"t": None}, {"t": ["a"]}, {"t": {"a": "b"}}, {"t": 3},
                           {"t": True}, {"": "x"}]),
    (("kind",), ["aws-ecs-cluster-deployer", "ecs-cluster"]),
    (("ec2_instances", "colour"), ["blue"]),
]


def put(doc, where, value):
    node = doc
    for step in where[:-1]:
        node = node[step]
    node[where[-1]] = value


def write_probe(doc, raw):
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    if raw is not None:
        assert text.count("RAWVALUE0") == 1
        text = text.replace("RAWVALUE0", raw)
    path = os.path.join(WORK, "probe.yml")
    with open(path, "w") as f:
        f.write(text)
    return path, yaml.safe_load(text)


def checker_accepts(path):
    r = subprocess.run([ECSGEN, "--validate", "-q", path], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit("ecsgen --validate exited %d: %s" % (r.returncode, r.stderr))
    return r.returncode == 0, r.stderr


for probe in probes:
    where, values, setup = probe if len(probe) == 3 else probe + ([],)
    for value in values:
        weaker = value if isinstance(value, Weaker) else None
        if weaker:
            value = weaker.value
        doc = copy.deepcopy(base)
        doc["ec2_instances"]["efs_mounts"] = copy.deepcopy(efs)
        for w, v in setup:
            put(doc, w, v)
        put(doc, where, "RAWVALUE0" if isinstance(value, Raw) else value)
        path, loaded = write_probe(doc, value if isinstance(value, Raw) else None)
        ok, why = checker_accepts(path)
        errs = errors(loaded)
        shown = repr(value) if len(repr(value)) < 40 else repr(value)[:37] + "..."
        name = "probe %s = %s: checker %s, schema %s" % (
            ".".join(str(w) for w in where), shown, "accepts" if ok else "rejects",
            "accepts" if not errs else "rejects")
        if weaker:
            tap(not ok and not errs, name + " (by design: %s)" % weaker.why, why, *errs)
        else:
            tap(ok == (not errs), name, why, *errs)

# 5. The keys.
def paths(node, prefix, out):
    for key, sub in node.get("properties", {}).items():
        out.append(prefix + key)
        if sub.get("type") == "object":
            paths(sub, prefix + key + ".", out)
        elif sub.get("type") == "array" and sub["items"].get("type") == "object":
            paths(sub["items"], prefix + key + "[].", out)


have = []
paths(schema, "", have)
help_text = subprocess.run([ECSGEN, "--help"], capture_output=True, text=True).stdout
want = re.findall(r"^  ([a-z_][a-z0-9_.\[\]]*) ", help_text, re.M)
tap(have == want, "the schema has exactly the keys --help lists, in its order (%d)" % len(want),
    "schema only: %s" % sorted(set(have) - set(want)), "--help only: %s" % sorted(set(want) - set(have)))
print("# %d checks" % count)
