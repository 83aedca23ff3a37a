#!/bin/sh
# Scenario roam-hang-reset-fails (guest side): roam-hang, and the first firmware reload after
# the hang fails (the firmware never reports ready: the driver's CONN_ON_MISC poll in
# mt792x_load_firmware times out and mt7925_mac_reset_work tries again).
. /rig/lib.sh
rig_device_up || exit 1
rig_connect
rig_probe_start
rig_prepare_roam || exit 1
sleep 1
t0=$(uptime_ms)
mark "roam-started wpa_cli $AP2_BSSID"
vmt7925ctl fault reset-fails count=1 >/dev/null
vmt7925ctl fault hang cid=0x02 >/dev/null
wpa roam "$AP2_BSSID" >/dev/null
rig_wait_recovered "$t0" 100 && mark recovered
sleep 2
rig_report_state
exit 0
