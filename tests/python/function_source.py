# Loads a lifecycle function from a generated cluster template, exactly as ecsgen embedded it.
import json
import os
import types

LOGICAL_IDS = {
    "capacity_metric": "CapacityMetricFunction",
    "scaler": "ScalerFunction",
    "drainer": "DrainerFunction",
    "cleanup": "CleanupFunction",
}


class TemplateError(Exception):
    pass


def template_path():
    path = os.environ.get("ECSGEN_CLUSTER_TEMPLATE")
    if not path:
        raise TemplateError("ECSGEN_CLUSTER_TEMPLATE is not set: point it at a generated "
                            "cloudformation/cluster.json (tests/python/lifecycle.test does this)")
    if not os.path.isfile(path):
        raise TemplateError(f"ECSGEN_CLUSTER_TEMPLATE={path}: no such file")
    return path


def resource(name):
    path = template_path()
    with open(path, encoding="utf-8") as f:
        template = json.load(f)
    logical_id = LOGICAL_IDS[name]
    res = template.get("Resources", {}).get(logical_id)
    if not res or res.get("Type") != "AWS::Lambda::Function":
        raise TemplateError(f"{path}: no AWS::Lambda::Function resource '{logical_id}'")
    return res


def inline_code(res):
    code = res.get("Properties", {}).get("Code", {}).get("ZipFile")
    if isinstance(code, str):
        return code
    # Tolerate the two intrinsic wrappings an emitter might use, as long as nothing is substituted.
    if isinstance(code, dict) and "Fn::Join" in code:
        sep, parts = code["Fn::Join"]
        if all(isinstance(p, str) for p in parts):
            return sep.join(parts)
    if isinstance(code, dict) and isinstance(code.get("Fn::Sub"), str) and "${" not in code["Fn::Sub"].replace("${!", ""):
        return code["Fn::Sub"].replace("${!", "${")
    raise TemplateError(f"Code.ZipFile is not a plain inline string: {json.dumps(code)[:200]}")


def load(name):
    """The module Lambda would import as 'index' for function NAME (a key of LOGICAL_IDS)."""
    res = resource(name)
    module = types.ModuleType("index")
    module.__file__ = f"{template_path()}#{LOGICAL_IDS[name]}"
    exec(compile(inline_code(res), module.__file__, "exec"), module.__dict__)
    return module
