# Development stand-in for ecsgen's cluster.json: the four functions embedded verbatim as inline ZipFile code.
#   python3 tests/python/fake_cluster_template.py OUT.json
import json
import os
import sys

from function_source import LOGICAL_IDS

CLUSTER = "demo"
STACKS = {"STACK_COMPUTE_PREFIX": f"{CLUSTER}-compute-", "VERSION_CHARS": "A-Za-z0-9-"}
ENV = {  # CONTRACT.md
    "capacity_metric": {"CLUSTER_NAME": CLUSTER, "METRIC_NAMESPACE": f"ecsgen/{CLUSTER}", **STACKS},
    "scaler": {"CLUSTER_NAME": CLUSTER, "METRIC_NAMESPACE": f"ecsgen/{CLUSTER}", **STACKS,
               "STATE_PARAMETER": f"/ecsgen/{CLUSTER}/scaler-state", "COOLDOWN_SECONDS": "300",
               "INACTIVE_STEP_SECONDS": "60", "SMOKE_TEST_GRACE_SECONDS": "900"},
    "drainer": {"CLUSTER_NAME": CLUSTER, "TAG_CLUSTER": "ecsgen:cluster"},
    "cleanup": {"CLUSTER_NAME": CLUSTER, "MIN_STACK_AGE_SECONDS": "600", **STACKS,
                "COMPUTE_ROLE_ARN": "arn:aws:iam::123456789012:role/ecsgen/demo/compute"},
}
here = os.path.dirname(os.path.abspath(__file__))
functions = os.path.join(here, "..", "..", "templates", "functions")
resources = {}
for name, logical_id in LOGICAL_IDS.items():
    with open(os.path.join(functions, name + ".py"), encoding="utf-8") as f:
        resources[logical_id] = {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.12", "Handler": "index.handler", "Code": {"ZipFile": f.read()},
            "Environment": {"Variables": ENV[name]}}}
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}, out, indent=1)
