"""The aws CLI calls the generated scripts make, as API operations.

Two ways in, one record format (a JSON object a line):

    {"caller": [argv of the process that ran aws], "cluster": "$CLUSTER",
     "service": "cloudformation", "operation": "DescribeStacks",
     "params": {"StackName": "c-cluster"}, "source": "moto" | "fake"}

* Live (the moto runs): tests/iam/aws-record stands in for `aws` on PATH.
  It runs the real CLI in-process and records every API call botocore
  makes (paginated pages and waiter polls included) at `before-call`, with
  the parameters the CLI built -- the calls themselves, not the script
  text.
* Fake (tests/deploy/fake-aws): the fake appends each argv, NUL-separated,
  to $ECSGEN_IAM_RECORD.argv0; `replay()` turns each argv into the
  operation the real CLI would call by running the real CLI's own parser
  and stopping it at its first API call (no request leaves the process).

The caller is the process ancestry of the aws process (/proc/PID/cmdline
from its parent up): the generated scripts that ran it (`sh
.../scripts/compute.sh status c`), which say which role makes the call
(tests/iam/callers.json).
"""
import json
import os
import sys


class _Stop(Exception):
    """Raised at the first API call of a replayed argv."""


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            raw = f.read()
    except OSError:
        return []
    return [a.decode("utf-8", "replace") for a in raw.split(b"\0")[:-1]]


def _ancestry(pid):
    """The command lines from the aws process's parent up to the test that
    ran it (the test and what ran the test are not recorded)."""
    chain = []
    while pid > 1 and len(chain) < 12:
        argv = _cmdline(pid)
        if any(a.endswith(".test") for a in argv):
            break
        chain.append(argv)
        try:
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return chain


def _jsonable(value):
    """botocore's params hold bytes (blobs) and datetimes: make them JSON."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _driver(on_call, stop_early=False):
    from awscli.clidriver import create_clidriver

    driver = create_clidriver()
    captured = {}

    def params(params, model, **_):
        # before-parameter-build: the API parameters the CLI built (before
        # botocore validates them, so a replay needs no valid values).
        if stop_early:
            return on_call(model.service_model.service_name, model.name, _jsonable(params))
        captured["params"] = _jsonable(params)

    def call(model, **_):
        return on_call(model.service_model.service_name, model.name, captured.pop("params", {}))

    driver.session.register("before-parameter-build", params)
    if not stop_early:
        driver.session.register("before-call", call)
    return driver


def live(argv):
    """Run the real aws CLI on argv, appending every API call it makes."""
    out = os.environ.get("ECSGEN_IAM_RECORD")
    caller = _ancestry(os.getppid())
    cluster = os.environ.get("CLUSTER", "")

    def on_call(service, operation, params):
        if out:
            with open(out, "a") as f:
                f.write(json.dumps({"caller": caller, "cluster": cluster, "service": service,
                                    "operation": operation, "params": params, "source": "moto"}) + "\n")
        return None  # let the request go

    return _driver(on_call).main(argv)


def read_argv0(path):
    """The calls a fake-aws run appended: (caller, cluster, argv) each."""
    with open(path, "rb") as f:
        fields = [x.decode("utf-8", "replace") for x in f.read().split(b"\0")[:-1]]
    calls, cur, key = [], None, None
    for x in fields:
        if x in ("\036call", "\036proc", "\036argv", "\036cluster"):
            key = x[1:]
            if key == "call":
                cur = {"caller": [], "argv": [], "cluster": ""}
                calls.append(cur)
            elif key == "proc" and cur is not None:
                cur["caller"].append([])
            continue
        if cur is None or key is None:
            continue
        if key == "cluster":
            cur["cluster"] = x
            key = None
        elif key == "proc":
            if x:
                cur["caller"][-1].append(x)
        else:
            cur[key].append(x)
    return calls


def replay(calls):
    """Each recorded argv as the first API call the real CLI makes for it."""
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ["AWS_DEFAULT_REGION"] = "us-west-2"
    os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
    import tempfile
    records, failed = [], []
    tmp = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    tmp.write("{}")
    tmp.close()
    got = []

    def on_call(service, operation, params):
        got.append((service, operation, params))
        raise _Stop()

    driver = _driver(on_call, stop_early=True)
    for c in calls:
        got.clear()
        stdout, stderr = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = open(os.devnull, "w")
        try:
            driver.main(_present_all(c["argv"], tmp))
        except (_Stop, SystemExit):
            pass
        finally:
            sys.stdout.close()
            sys.stdout, sys.stderr = stdout, stderr
        if not got:
            failed.append(c)
            continue
        service, operation, params = got[0]
        records.append({"caller": c["caller"], "cluster": c["cluster"], "service": service,
                        "operation": operation, "params": params, "source": "fake"})
    os.unlink(tmp.name)
    return records, failed


# Options whose value is a path the CLI opens (not a file:// URL).
_PATH_OPTIONS = ("--body",)


def _present_all(argv, tmp):
    """A file argument whose file the test has removed: a stand-in (file://
    anywhere, or the value of an option that names a path, as s3api
    put-object --body does)."""
    out = []
    for i, arg in enumerate(argv):
        if arg.startswith("file://") and not os.path.exists(arg[7:]):
            arg = "file://" + tmp.name
        elif i and argv[i - 1] in _PATH_OPTIONS and not os.path.exists(arg):
            arg = tmp.name
        out.append(arg)
    return out


if __name__ == "__main__":
    sys.exit(live(sys.argv[1:]))
