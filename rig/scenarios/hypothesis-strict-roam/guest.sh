#!/bin/sh
# Scenario hypothesis-strict-roam (guest side), HYPOTHESIS MODE: the virtual firmware runs
# with --strict-hypothesis (it wedges on a key or BSS command for a BSS index it was told to
# remove; real firmware behaviour is unknown, docs/rig.md) and the station does a plain
# `wpa_cli roam` to AP2, no injected fault. The report says whether the stock roam trips it.
. /rig/lib.sh
rig_device_up --strict-hypothesis || exit 1
rig_connect
rig_probe_start
rig_prepare_roam || exit 1
sleep 1
mark "roam-started wpa_cli $AP2_BSSID"
wpa roam "$AP2_BSSID" >/dev/null
wait_for 10 on_bssid "$AP2_BSSID" && mark "roamed $AP2_BSSID"
# Traffic after the roam is the recovery: a clean roam's gap (~0.3 s) is under the 500 ms
# rig_wait_recovered looks for, and a tripped firmware's reset ends before the roam completes.
t=$(uptime_ms)
wait_for 30 reply_after "$t" && mark recovered
sleep 2
rig_report_state
exit 0
