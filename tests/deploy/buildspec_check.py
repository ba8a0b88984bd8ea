"""buildspec_check.py - the CodeBuild shape of a generated buildspec.

    python3 buildspec_check.py deploy|ami FILE [ENVIRONMENTS]

ENVIRONMENTS (one word each, in order) when infra.yml lists environments
(every one baked: the example pins no image).

Parses FILE with PyYAML and checks what CodeBuild requires of a version 0.2
buildspec (known top-level keys, known phases, each a list of string
commands, env keys CodeBuild knows) and what the pipeline relies on (see
templates/CONTRACT.md).  Prints one line per problem; exit 1 when any.
"""
import sys

import yaml

TOP = {"version", "run-as", "env", "proxy", "batch", "phases", "reports", "artifacts", "cache"}
ENV = {"shell", "variables", "parameter-store", "exported-variables", "secrets-manager", "git-credential-helper"}
PHASES = {"install", "pre_build", "build", "post_build"}
PHASE_KEYS = {"run-as", "on-failure", "runtime-versions", "commands", "finally"}


def check(kind, path):
    with open(path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    problems = []
    if not isinstance(spec, dict):
        return ["not a mapping"]
    if spec.get("version") != 0.2:
        problems.append("version is %r, not 0.2" % spec.get("version"))
    problems += ["unknown top-level key %r" % k for k in spec if k not in TOP]
    env = spec.get("env", {})
    if not isinstance(env, dict):
        problems.append("env is not a mapping")
        env = {}
    problems += ["unknown env key %r" % k for k in env if k not in ENV]
    for k, v in env.get("variables", {}).items():
        if not isinstance(v, str):
            problems.append("env variable %s is %r, not a string" % (k, v))
    phases = spec.get("phases")
    if not isinstance(phases, dict) or not phases:
        return problems + ["no phases"]
    commands = []
    for name, phase in phases.items():
        if name not in PHASES:
            problems.append("unknown phase %r" % name)
            continue
        problems += ["%s: unknown key %r" % (name, k) for k in phase if k not in PHASE_KEYS]
        cmds = phase.get("commands")
        if not isinstance(cmds, list) or not all(isinstance(c, str) for c in cmds):
            problems.append("%s: commands is not a list of strings" % name)
            continue
        commands += [(name, c) for c in cmds]

    def has(phase, text):
        if not any(p == phase and text in c for p, c in commands):
            problems.append("%s does not run %r" % (phase, text))

    has("install", "sh out/scripts/install-ecsgen.sh \"$ECSGEN_SOURCE_URL\" \"$ECSGEN_SOURCE_SHA256\"")
    has("pre_build", "ecsgen --check")
    environments = sys.argv[3].split() if len(sys.argv) > 3 else []
    if kind == "deploy" and environments:
        # Each stage's project sets ENVIRONMENT (cfn_pipeline.c); pipeline-deploy is make deploy,
        # or with cluster.ami_updates a new version for a new image.
        has("build", "make -f out/Makefile pipeline-deploy ENVIRONMENT=\"$ENVIRONMENT\" VERSION=\"$VERSION\" AMI=\"$AMI\"")
    elif kind == "deploy":
        has("build", "make -f out/Makefile pipeline-deploy VERSION=\"$VERSION\" AMI=\"$AMI\"")
    elif environments:
        # Each environment's image, in order, as AMI_<Env> (#{BakeVariables.AMI_<Env>}).
        has("install", "sh out/scripts/install-packer.sh")
        want = []
        for e in environments:
            var = "AMI_" + "".join(p[:1].upper() + p[1:] for p in e.split("-") if p)
            has("build", "make -f out/Makefile ami ENVIRONMENT=%s" % e)
            has("build", "%s=$(cat \".ecsgen/%s/ami-$AWS_DEFAULT_REGION\")" % (var, e))
            want.append(var)
        if env.get("exported-variables") != want:
            problems.append("exports %r, not %r" % (env.get("exported-variables"), want))
    else:
        has("install", "sh out/scripts/install-packer.sh")
        has("build", "make -f out/Makefile ami")
        has("build", "AMI=")
        if env.get("exported-variables") != ["AMI"]:
            problems.append("does not export AMI")
    return problems


def main():
    problems = check(sys.argv[1], sys.argv[2])
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
