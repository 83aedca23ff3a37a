#!/usr/bin/env python3
"""Figures of the restart-hw experiment (docs/mt7925.md, "Restore mechanism").

  restart-hw-figures.py [--until CMD[,CMD]] RUN_DIR REPORT_JSON [RUN_DIR REPORT_JSON ...]

RUN_DIR is a copy of build/rig/run.<scenario>.connac after a rig run, REPORT_JSON its
build/rig/<scenario>.connac.json. Per run, one line: the report's outage, reassociation,
timeouts, WARNs and failures, the device's keys at the end, and the MCU commands of the
restore as the virtual device received them (vmt7925-log): those after the reset's "fw
ready" that are not the READY step's own (its CHIP_CONFIG, WSYS_CONFIG, EFUSE_CTRL, then
the SET_DOMAIN_INFO, BAND_CONFIG, SET_POWER_LIMIT burst), up to the first command of what
follows the restore (default UNI_ROC,UNI_SCAN_REQ: the roam resuming), at most 1.5 s.
With restart_hw the roam's pending authentication sends its ROC before the reconfig: there
--until UNI_SCAN_REQ counts up to the supplicant's new scan, that authentication included. "span" is the time
from the first to the last of them.
"""
import collections
import json
import re
import sys

LINE = re.compile(r"^\[\s*([0-9.]+)\] vmt7925: mcu (\S+)(.*)$")
READY = ["UNI_CHIP_CONFIG", "UNI_WSYS_CONFIG", "UNI_EFUSE_CTRL"]
BURST = ("UNI_SET_DOMAIN_INFO", "UNI_BAND_CONFIG", "UNI_SET_POWER_LIMIT")


def restore_commands(log, until):
    lines = open(log).read().splitlines()
    ready = max(i for i, l in enumerate(lines) if l.endswith("vmt7925: fw ready"))
    t0 = float(lines[ready].split("]")[0].strip("[ "))
    cmds = []
    for l in lines[ready + 1:]:
        m = LINE.match(l)
        if not m:
            continue
        t, name, rest = float(m.group(1)), m.group(2), m.group(3)
        if name in until or t - t0 > 1.5:
            break
        cmds.append((t, name, rest.strip()))
    # The READY step: its three commands, then its regulatory burst.
    i = 0
    while i < len(cmds) and i < len(READY) and cmds[i][1] == READY[i]:
        i += 1
    while i < len(cmds) and cmds[i][1] in BURST:
        if cmds[i][1] == "UNI_BAND_CONFIG" and i + 1 < len(cmds) and \
                cmds[i + 1][1] not in BURST:
            break
        i += 1
        # One burst only: a second SET_DOMAIN_INFO starts the restore's own.
        if i < len(cmds) and cmds[i][1] == "UNI_SET_DOMAIN_INFO":
            break
    return cmds[i:]


def main(args):
    until = ("UNI_ROC", "UNI_SCAN_REQ")
    if args[:1] == ["--until"]:
        until = tuple(args[1].split(","))
        args = args[2:]
    for run, rep in zip(args[::2], args[1::2]):
        r = json.load(open(rep))
        cmds = restore_commands(run + "/vmt7925-log", until)
        by = collections.Counter(c[1].replace("UNI_", "") for c in cmds)
        keys = sum("key=set" in c[2] for c in cmds)
        span = int(1000 * (cmds[-1][0] - cmds[0][0])) if cmds else 0
        dev = r.get("device", {})
        print(f"{rep}: passed={r['passed']} outage_ms={r['outage_ms']} "
              f"reassociated={str(r['reassociated']).lower()} mcu_timeouts={r['mcu_timeouts']} "
              f"warnings={r['kernel_warnings']} failures={len(r['failures'])} "
              f"keys_in_device={dev.get('keys_installed')} "
              f"dropped_nokey={dev.get('frames_dropped_nokey')} "
              f"restore_mcu={len(cmds)} key_frames={keys} span_ms={span} "
              f"by={dict(sorted(by.items()))}")


if __name__ == "__main__":
    main(sys.argv[1:])
