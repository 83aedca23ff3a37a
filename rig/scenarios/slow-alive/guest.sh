#!/bin/sh
# Scenario slow-alive (guest side): for one minute every MCU answer (and every firmware event)
# comes 2.5 s late, under the driver's 3 s timeout: a slow but healthy firmware. Inside the
# window the station keeps its traffic and the driver is made to send commands every few
# seconds (power save on/off: BSS_INFO PS; a scan: SCAN_REQ); no MCU timeout and no reset may
# happen. (A whole roam needs ~35 commands, 90 s at this pace: not inside one minute.)
. /rig/lib.sh
rig_device_up || exit 1
rig_connect "$AP1_FREQ"
rig_probe_start
sleep 1
t0=$(uptime_ms)
mark "fault-armed slow ms=2500 for 60 s"
vmt7925ctl fault slow ms=2500 now >/dev/null
i=0
now_ms
while [ $((NOW - t0)) -lt 52000 ]; do
  i=$((i + 1))
  case $((i % 3)) in
    1) timeout 10 iw dev "$STA" set power_save on && mark "power-save on" ;;
    2) timeout 10 iw dev "$STA" set power_save off && mark "power-save off" ;;
    0) wpa scan >/dev/null 2>&1 && mark "scan-requested" ;;
  esac
  sleep 6
  now_ms
done
while [ $((NOW - t0)) -lt 60000 ]; do usleep 200000; now_ms; done
vmt7925ctl fault clear >/dev/null
mark "fault-cleared"
result slow_answers "$(dev_stat mcu_answered_late)"
sleep 3
rig_report_state
exit 0
