# The generated cluster template embeds the four functions as Lambda can run them.
import json
import os
import re
import unittest

import function_source

REQUIRED_ENV = {  # CONTRACT.md: what each function is given
    "capacity_metric": {"CLUSTER_NAME", "METRIC_NAMESPACE"},
    "scaler": {"CLUSTER_NAME", "METRIC_NAMESPACE", "STATE_PARAMETER", "LOCK_TABLE"},
    "drainer": {"CLUSTER_NAME"},
    "cleanup": {"CLUSTER_NAME", "COMPUTE_ROLE_ARN"},
}


class TemplateTest(unittest.TestCase):
    def test_functions_are_inline_python_with_index_handler(self):
        for name in function_source.LOGICAL_IDS:
            with self.subTest(name):
                props = function_source.resource(name)["Properties"]
                self.assertEqual(props.get("Handler"), "index.handler")
                self.assertRegex(props.get("Runtime", ""), r"^python3\.(1[2-9]|[2-9]\d)$")
                module = function_source.load(name)
                self.assertEqual(module.handler.__code__.co_argcount, 2)

    def test_every_environment_variable_the_source_requires_is_set(self):
        for name in function_source.LOGICAL_IDS:
            with self.subTest(name):
                res = function_source.resource(name)
                given = set(res["Properties"].get("Environment", {}).get("Variables", {}))
                required = set(re.findall(r'os\.environ\["([A-Z_]+)"\]', function_source.inline_code(res)))
                self.assertLessEqual(required, REQUIRED_ENV[name])
                self.assertLessEqual(REQUIRED_ENV[name], given)

    def test_the_template_fits_the_inline_limit(self):
        size = os.path.getsize(function_source.template_path())
        self.assertLessEqual(size, 51200, "CloudFormation takes at most 51,200 bytes inline")

    def test_the_functions_stay_compact(self):
        total = sum(len(json.dumps(function_source.inline_code(function_source.resource(n))))
                    for n in function_source.LOGICAL_IDS)
        self.assertLess(total, 25000, "the four functions share the cluster template's 51,200 bytes")
