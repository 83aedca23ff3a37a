#!/bin/sh
# Scenario roam-hang (guest side), the #1036 case: the firmware hangs at the first
# BSS_INFO_UPDATE after the roam starts (armed at the "roam-started" mark, then
# `wpa_cli roam` to AP2). The stock driver pays its MCU timeouts, resets, reloads the
# firmware and forces a reconnect; the scenario waits for traffic to come back.
. /rig/lib.sh
rig_device_up || exit 1
rig_connect
rig_probe_start
rig_prepare_roam || exit 1
sleep 1
t0=$(uptime_ms)
mark "roam-started wpa_cli $AP2_BSSID"
vmt7925ctl fault hang cid=0x02 >/dev/null
wpa roam "$AP2_BSSID" >/dev/null
rig_wait_recovered "$t0" 100 && mark recovered
sleep 2
rig_report_state
exit 0
