#!/bin/sh
# Scenario mlo-assoc (issue 16): the driver under test (stock or connac mt7925u) on the
# virtual MT7925 with MLO (files/cmdline: vmt7925.mlo=1; hwsim radios=0 and the medium holder
# creating the two AP radios, rig.medium=2:2) associates with an AP MLD (two links: 2.4 and
# 5 GHz, WPA3-SAE, PMF) and passes traffic; the driver activates the second link itself.
# The links as the station sees them (links_assoc) and the device status (per-link keys and
# decrypted frames: the report's `links`) after 5 s of traffic.
. /rig/lib.sh
rig_mld_sta_up || exit 1
sleep 5
mld_report_links assoc
rig_mld_report_state
exit 0
