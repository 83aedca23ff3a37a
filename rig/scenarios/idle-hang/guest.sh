#!/bin/sh
# Scenario idle-hang (guest side): the firmware hangs while the station is associated and
# idle (no management operation; only the 10 ms probe flows), on a wall-clock trigger. Stock
# 6.12 leaves connection monitoring to the firmware (IEEE80211_HW_CONNECTION_MONITOR and
# IEEE80211_VIF_BEACON_FILTER: mac80211 waits for the firmware's BEACON_LOSS event), so a
# hung firmware that sends nothing goes unnoticed until the driver sends an MCU command. The
# scenario waits 20 s for the driver to notice, then asks wpa_supplicant for a scan (as a
# network manager's periodic scan would): the SCAN_REQ times out and the reset follows.
. /rig/lib.sh
rig_device_up || exit 1
rig_connect "$AP1_FREQ"
rig_probe_start
sleep 2
t0=$(uptime_ms)
mark "fault-armed hang in=500ms"
vmt7925ctl fault hang in=500 >/dev/null
if rig_wait_recovered "$t0" 20; then
  mark recovered
  result idle_hang_noticed true
else
  result idle_hang_noticed false
  mark "not-noticed-20s: scan requested"
  wpa scan >/dev/null 2>&1
  rig_wait_recovered "$t0" 60 && mark recovered
fi
sleep 2
rig_report_state
exit 0
