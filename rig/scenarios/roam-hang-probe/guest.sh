#!/bin/sh
# Scenario roam-hang-probe (guest side): roam-hang with the patched driver's liveness probe on
# (files/cmdline: mt7925_common.connac_probe_ms=300, in a boot of its own; the stock driver
# has no such parameter: files/drivers limits the scenario to connac). As roam-hang, the #1036 case:
# the firmware hangs at the first BSS_INFO_UPDATE after the roam starts.
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
