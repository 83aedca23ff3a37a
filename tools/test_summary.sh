#!/usr/bin/env bash
# Counts the test cases of ONE `bazel test` invocation and prints "<passed> <failed> <skipped>".
#
# usage: test_summary.sh BEP_JSON
#   BEP_JSON: the file that invocation wrote with --build_event_json_file (delete it before
#   the run, so a run that never started cannot leave an old one behind).
#
# Why the build-event file and not bazel-testlogs: bazel-testlogs holds the test.xml of every
# target that ever ran in that configuration (a target that stops building keeps its old
# XML), and the link can point at another output base. The event file names exactly the
# test targets this invocation configured and the test.xml each one produced.
#
# How each test target of the invocation counts:
#   - ran: its test.xml (last attempt of each run/shard), case by case: a <failure> or <error>
#     is failed; a <skipped>, result="skipped"/"suppressed" or status="notrun" (GTEST_SKIP,
#     DISABLED_) is skipped; the rest passed. If Bazel says the target failed (crash, timeout,
#     a sanitizer report at exit) and its XML shows no failed case, one more failed. No
#     readable XML: 1 passed or 1 failed, as Bazel's status says.
#   - did not run (failed to build, aborted, not finished): 1 failed; aborted as SKIPPED
#     (incompatible target): 1 skipped.
# An invocation that failed before configuring any test, or never finished, adds 1 failed;
# a missing or unreadable BEP_JSON prints "0 1 0". Each target that did not simply pass is
# named on stderr. Exit status: 0 when the counts could be read, 1 when BEP_JSON could not.
set -uo pipefail
bep=${1:-}
if [[ -z "$bep" || -d "$bep" ]]; then
  echo "usage: test_summary.sh BEP_JSON (the --build_event_json_file of one bazel test run)" >&2
  echo "0 1 0"
  exit 2
fi
# Debian's python3 (bazel-bootstrap depends on it), not whatever python3 comes first in PATH.
py=/usr/bin/python3
[[ -x "$py" ]] || py=python3
exec "$py" - "$bep" <<'EOF'
import json
import sys
import urllib.parse
import xml.etree.ElementTree as ET


def note(msg):
    print("test_summary: " + msg, file=sys.stderr)


def path_of(uri):
    if uri.startswith("file://"):
        return urllib.parse.unquote(uri[len("file://"):])
    return None


def count_xml(path):
    """(passed, failed, skipped) of one test.xml, or None when it cannot be read."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    p = f = s = 0
    for case in root.iter("testcase"):
        tags = {child.tag for child in case}
        if tags & {"failure", "error"}:
            f += 1
        elif ("skipped" in tags or case.get("result") in ("skipped", "suppressed")
              or case.get("status") == "notrun"):
            s += 1
        else:
            p += 1
    return p, f, s


def main():
    try:
        lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
    except OSError as e:
        note("cannot read the build-event file: %s" % e)
        print("0 1 0")
        return 1
    tests = []         # test labels in configuration order
    summaries = {}     # label -> overallStatus
    results = {}       # (label, run, shard) -> (attempt, test.xml path)
    aborted = {}       # label -> reason
    finished = None
    events = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        events += 1
        eid = ev.get("id", {})
        if "targetConfigured" in eid:
            conf = ev.get("configured", {})
            if "testSize" in conf or conf.get("targetKind", "").endswith("_test rule"):
                label = eid["targetConfigured"]["label"]
                if label not in tests:
                    tests.append(label)
        elif "testResult" in eid:
            r = eid["testResult"]
            key = (r["label"], r.get("run", 1), r.get("shard", 1))
            xml = None
            for out in ev.get("testResult", {}).get("testActionOutput", []):
                if out.get("name") == "test.xml":
                    xml = path_of(out.get("uri", ""))
            attempt = r.get("attempt", 1)
            if key not in results or attempt >= results[key][0]:
                results[key] = (attempt, xml)
        elif "testSummary" in eid:
            summaries[eid["testSummary"]["label"]] = ev.get("testSummary", {}).get(
                "overallStatus", "NO_STATUS")
        elif "targetCompleted" in eid and "aborted" in ev:
            aborted[eid["targetCompleted"]["label"]] = ev["aborted"].get("reason", "UNKNOWN")
        elif "buildFinished" in eid:
            finished = ev.get("finished", {})
    if events == 0:
        note("%s holds no build events" % sys.argv[1])
        print("0 1 0")
        return 1

    passed = failed = skipped = 0
    for label in tests:
        if label not in summaries:
            reason = aborted.get(label)
            if reason == "SKIPPED":
                skipped += 1
                note("%s skipped by Bazel (counted 1 skipped)" % label)
            else:
                failed += 1
                note("%s did not run: %s (counted 1 failed)"
                     % (label, "aborted, " + reason if reason else "failed to build"))
            continue
        status = summaries[label]
        ok = status in ("PASSED", "FLAKY")
        p = f = s = 0
        unread = 0
        for (l, _, _), (_, xml) in sorted(results.items()):
            if l != label:
                continue
            c = count_xml(xml) if xml else None
            if c is None:
                unread += 1
                continue
            p, f, s = p + c[0], f + c[1], s + c[2]
        if unread and p + f + s == 0:
            p, f = (1, 0) if ok else (0, 1)
        if not ok and f == 0:
            f += 1
            note("%s %s with no failed case in its XML (counted 1 failed)" % (label, status))
        elif f:
            note("%s %s: %d failed case(s)" % (label, status, f))
        if s:
            note("%s: %d skipped or disabled case(s)" % (label, s))
        passed, failed, skipped = passed + p, failed + f, skipped + s
    if finished is None:
        failed += 1
        note("the invocation did not finish (no buildFinished event; counted 1 failed)")
    elif not tests and finished.get("exitCode", {}).get("code", 0) != 0:
        failed += 1
        note("the invocation failed (%s) before configuring any test (counted 1 failed)"
             % finished.get("exitCode", {}).get("name", "?"))
    print("%d %d %d" % (passed, failed, skipped))
    return 0


sys.exit(main())
EOF
