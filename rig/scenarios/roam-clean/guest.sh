#!/bin/sh
# Scenario roam-clean (guest side), no fault: the station roams from AP1 (2.4 GHz) to AP2
# (5 GHz) with `wpa_cli roam`, then AP2 leaves (hostapd disables it: every station is
# deauthenticated, beacons stop) and the supplicant moves back to AP1. The probe measures
# both gaps; the report's outage_ms is the wpa_cli roam's.
. /rig/lib.sh
rig_device_up || exit 1
rig_connect
rig_probe_start
rig_prepare_roam || exit 1
sleep 1
t0=$(uptime_ms)
mark "roam-started wpa_cli $AP2_BSSID"
wpa roam "$AP2_BSSID" >/dev/null
wait_for 30 on_bssid "$AP2_BSSID" && mark "roamed $AP2_BSSID"
t=$(uptime_ms)
wait_for 20 reply_after "$t" && mark "traffic-back"
sleep 1
t1=$(uptime_ms)
mark "roam-started ap-deauth $AP2_BSSID"
ap_disable "$AP2_IF"
wait_for 40 on_bssid "$AP1_BSSID" && mark "roamed $AP1_BSSID"
t=$(uptime_ms)
wait_for 20 reply_after "$t" && mark "traffic-back"
sleep 1
rig_report_state
exit 0
