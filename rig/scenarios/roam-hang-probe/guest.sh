#!/bin/sh
# Scenario roam-hang-probe (guest side): roam-hang with the patched driver's liveness probe on
# (files/cmdline: mt7925_common.connac_probe_ms=300, in a boot of its own; the stock driver
# has no such parameter: files/drivers limits the scenario to connac). As roam-hang, the #1036 case:
# the firmware hangs at the first BSS_INFO_UPDATE after the roam starts.
. /rig/lib.sh
rig_roam_hang || exit 1
exit 0
