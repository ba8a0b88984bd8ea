"""formats.py - checks one --diagnostics-format output against the text format.

    python3 formats.py FORMAT OUTPUT TEXT CODES

OUTPUT is what ecsgen printed in FORMAT, TEXT what it printed as text for the
same input, CODES the output of `ecsgen --list-warnings`.  The structured
forms must carry exactly the diagnostics the text shows (same codes,
severities, places and messages, in the same order) and be well-formed:
JSON parses, SARIF 2.1.0 has the required shape with one rule per code
(https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html, 3.13,
3.19, 3.27, 3.30), JUnit XML parses with consistent counts.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

HEADER = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): "
                    r"(?P<msg>.*) \[(?:-W(?:error=)?)?(?P<code>[a-z0-9-]+)\]$")
CASE = re.compile(r"^(?:(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): )?(?P<msg>.*) \[(?P<code>[a-z0-9-]+)\]$")
NOPLACE = re.compile(r"^ecsgen: (?P<sev>error|warning): (?P<msg>.*) \[(?:-W(?:error=)?)?(?P<code>[a-z0-9-]+)\]$")


def text_diagnostics(text):
    out = []
    for line in text.splitlines():
        m = HEADER.match(line) or NOPLACE.match(line)
        if m:
            d = m.groupdict()
            out.append((d["code"], d["sev"], d.get("file"), int(d["line"]) if d.get("line") else None,
                        int(d["col"]) if d.get("col") else None, d["msg"]))
    return out


def quoted(s):
    """s as the text format quotes it (diag_escape in src/diag.c)."""
    out = []
    for ch in s:
        c = ord(ch)
        if ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif c < 0x20 or c == 0x7F:
            out.append("\\x%02X" % c)
        elif 0x80 <= c <= 0x9F:
            out.append("\\u%04X" % c)
        else:
            out.append(ch)
    return "".join(out)


def fail(why):
    print(why)
    sys.exit(1)


def main():
    fmt, output, text, codes = sys.argv[1:5]
    want = text_diagnostics(open(text, encoding="utf-8", errors="replace").read())
    names = [line.split()[0] for line in open(codes, encoding="utf-8").read().splitlines()[1:]]
    raw = open(output, encoding="utf-8", errors="replace").read()
    if fmt == "json":
        doc = json.loads(raw)
        got = [(d["code"], d["severity"], d.get("file"), d.get("line"), d.get("column"),
                quoted(d["message"])) for d in doc["diagnostics"]]
        for d in doc["diagnostics"]:
            if "line" in d and not d["end_column"] > d["column"] >= 1:
                fail(f"bad columns in {d}")
        if doc["errors"] < sum(1 for g in got if g[1] == "error"):
            fail("error count below the errors listed")
    elif fmt == "sarif":
        doc = json.loads(raw)
        if doc.get("version") != "2.1.0" or len(doc.get("runs", [])) != 1:
            fail("not one SARIF 2.1.0 run")
        run = doc["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        if [r["id"] for r in rules] != names:
            fail("the rules are not the diagnostics table")
        got = []
        for r in run["results"]:
            if rules[r["ruleIndex"]]["id"] != r["ruleId"]:
                fail(f"ruleIndex does not point at {r['ruleId']}")
            if r["level"] not in ("error", "warning"):
                fail(f"level {r['level']}")
            loc = r.get("locations", [{}])[0].get("physicalLocation")
            msg = quoted(re.sub(r" \(hint: .*\)$", "", r["message"]["text"], flags=re.S))
            if loc:
                reg = loc["region"]
                if not reg["endColumn"] > reg["startColumn"] >= 1 or reg["startLine"] < 1:
                    fail(f"bad region {reg}")
                got.append((r["ruleId"], r["level"], loc["artifactLocation"]["uri"], reg["startLine"],
                            reg["startColumn"], msg))
            else:
                got.append((r["ruleId"], r["level"], None, None, None, msg))
    elif fmt == "junit":
        root = ET.fromstring(raw)
        suite = root.find("testsuite")
        cases = suite.findall("testcase")
        failures = [c for c in cases if c.find("failure") is not None]
        if int(suite.get("tests")) != len(cases) or int(suite.get("failures")) != len(failures):
            fail("testsuite counts do not match its test cases")
        got = []
        for c in cases:
            if c.get("name") == "no diagnostics":
                continue
            m = CASE.match(c.get("name"))
            sev = "error" if c.find("failure") is not None else "warning"
            d = m.groupdict()
            got.append((d["code"], sev, d.get("file"), int(d["line"]) if d.get("line") else None,
                        int(d["col"]) if d.get("col") else None, d["msg"]))
    else:
        fail(f"unknown format {fmt}")
    if got != want:
        fail(f"{fmt} differs from the text:\n  text: {want}\n  {fmt}: {got}")


if __name__ == "__main__":
    main()
