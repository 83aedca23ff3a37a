#!/bin/sh
# Scenario roam-hang-reset-fails (guest side): roam-hang, and the first firmware reload after
# the hang fails (the firmware never reports ready: the driver's CONN_ON_MISC poll in
# mt792x_load_firmware times out and mt7925_mac_reset_work tries again).
. /rig/lib.sh
rig_roam_hang "reset-fails count=1" || exit 1
exit 0
