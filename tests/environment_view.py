"""environment_view.py - one environment of an example as a single-cluster example.

    python3 environment_view.py EXAMPLE_DIR ENVIRONMENT VIEW_DIR

Writes VIEW_DIR/infra.yml: EXAMPLE_DIR/infra.yml without 'environments',
ENVIRONMENT.yml beside it laid over (mappings merge key by key, lists and
scalars replace: src/overlay.c's rule), cluster.name defaulting to
'<infra.yml's name>-<ENVIRONMENT>' (src/environment.c), and copies the
example's other files (user_data).  Compiled alone, it gives the same
cluster, health, compute and assets templates as out/ENVIRONMENT/
(tests/environments.test checks that), so the checks written for one
cluster (tests/cfn) run on each environment's cluster through it.
"""
import os
import shutil
import sys

import yaml


def merge(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge(base[k], v) if k in base else v
        return out
    return over


def main(example, environment, view):
    shutil.copytree(example, view, ignore=shutil.ignore_patterns("out"), dirs_exist_ok=True)
    doc = yaml.safe_load(open(os.path.join(example, "infra.yml")))
    doc.pop("environments", None)
    path = os.path.join(example, f"{environment}.yml")
    over = (yaml.safe_load(open(path)) if os.path.exists(path) else None) or {}
    named = "name" in (over.get("cluster") or {})
    doc = merge(doc, over)
    if not named:
        doc["cluster"]["name"] = f"{doc['cluster']['name']}-{environment}"
    with open(os.path.join(view, "infra.yml"), "w") as f:
        yaml.safe_dump(doc, f, sort_keys=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
