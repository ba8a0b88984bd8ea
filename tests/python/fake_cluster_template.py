# Development stand-in for ecsgen's cluster.json: the four functions embedded verbatim as inline ZipFile code.
#   python3 tests/python/fake_cluster_template.py OUT.json
import json
import os
import sys

from function_source import LOGICAL_IDS

here = os.path.dirname(os.path.abspath(__file__))
functions = os.path.join(here, "..", "..", "templates", "functions")
resources = {}
for name, logical_id in LOGICAL_IDS.items():
    with open(os.path.join(functions, name + ".py"), encoding="utf-8") as f:
        resources[logical_id] = {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.12", "Handler": "index.handler", "Code": {"ZipFile": f.read()}}}
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}, out, indent=1)
