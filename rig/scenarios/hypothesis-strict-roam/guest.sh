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
t0=$(uptime_ms)
mark "roam-started wpa_cli $AP2_BSSID"
wpa roam "$AP2_BSSID" >/dev/null
wait_for 10 on_bssid "$AP2_BSSID" && mark "roamed $AP2_BSSID"
rig_wait_recovered "$t0" 100 && mark recovered
sleep 2
rig_report_state
exit 0
