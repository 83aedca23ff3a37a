#!/bin/sh
# Scenario mlo-roam-hang (issue 16), the openwrt/mt76 #1036 case with MLO: associated with
# one AP MLD on both links, the firmware is armed to hang at the first BSS_INFO_UPDATE after
# the "roam-started" mark (vmt7925ctl fault hang cid=0x02, as roam-hang) and the station
# roams to the other AP MLD with `wpa_cli roam`. The driver pays its MCU timeouts, resets and
# reloads the firmware; the scenario waits up to 100 s for traffic, then for every link.
. /rig/lib.sh
rig_mld_sta_up || exit 1
mld_report_links assoc
rig_mld_roam hang
exit 0
