#!/bin/sh
# Scenario assert (guest side): the firmware sends its COREDUMP (assert) event, then hangs,
# while the station is associated; the stock driver's coredump work resets it.
. /rig/lib.sh
rig_device_up || exit 1
rig_connect "$AP1_FREQ"
rig_probe_start
sleep 2
t0=$(uptime_ms)
mark "fault-armed assert now"
vmt7925ctl fault assert now >/dev/null
rig_wait_recovered "$t0" 100 && mark recovered
sleep 2
rig_report_state
exit 0
