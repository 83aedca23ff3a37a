#!/bin/sh
# Scenario mlo-roam (issue 16): associated with one AP MLD on both links (as mlo-assoc), the
# station roams to the other AP MLD with `wpa_cli roam <its first link BSSID>` (all of its
# links come along: a new SAE authentication and a reassociation). The gap is the outage
# figure; the links after the roam are links_roam and the report's `links`.
. /rig/lib.sh
rig_mld_sta_up || exit 1
mld_report_links assoc
rig_mld_roam
exit 0
