# The generated cluster template embeds the four functions as Lambda can run them.
import ast
import os
import re
import unittest

import function_source

REQUIRED_ENV = {  # CONTRACT.md: what each function is given
    "capacity_metric": {"CLUSTER_NAME", "METRIC_NAMESPACE", "STACK_COMPUTE_PREFIX", "VERSION_CHARS"},
    "scaler": {"CLUSTER_NAME", "METRIC_NAMESPACE", "STATE_PARAMETER", "LOCK_TABLE", "STACK_COMPUTE_PREFIX",
               "VERSION_CHARS"},
    "drainer": {"CLUSTER_NAME", "TAG_CLUSTER"},
    "cleanup": {"CLUSTER_NAME", "COMPUTE_ROLE_ARN", "STACK_COMPUTE_PREFIX", "VERSION_CHARS"},
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

    def test_the_template_fits_the_url_limit(self):
        # The cluster template is deployed from the assets bucket (issue 11).
        # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
        size = os.path.getsize(function_source.template_path())
        self.assertLessEqual(size, 1000000, "CloudFormation takes at most 1 MB by --template-url")

    def test_the_functions_are_in_normal_style(self):
        # No byte budget any more: at most 100 columns and one statement a line.
        problems = []
        for name in function_source.LOGICAL_IDS:
            code = function_source.inline_code(function_source.resource(name))
            for i, line in enumerate(code.splitlines()):
                if len(line) > 100:
                    problems.append(f"{name} line {i + 1}: {len(line)} columns")
            starts = [n.lineno for n in ast.walk(ast.parse(code)) if isinstance(n, ast.stmt)]
            for i in sorted({i for i in starts if starts.count(i) > 1}):
                problems.append(f"{name} line {i}: more than one statement")
        self.assertEqual([], problems)
