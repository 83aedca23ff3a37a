#!/bin/sh
# Scenario mlo-hwsim-smoke (issue 16): the AP side of the MLO rig, proven with a plain
# mac80211_hwsim station (the third radio, wpa_supplicant 2.11) before the virtual MT7925
# does MLO. Two AP MLDs (rig_mld_ap_up; files/cmdline loads hwsim with MLO, three channels
# per radio, no custom regulatory domain, and sets rig.aps=mld, country DE and the links),
# each with a 2.4, a 5 and a 6 GHz link, as in mt76 #1036. The station associates with
# MLD1 on all links and passes traffic, roams to MLD2 with `wpa_cli roam <MLD2's 2.4 GHz link
# BSSID>`, then back to MLD1 with `wpa_cli roam <MLD1's 5 GHz link BSSID>`. The links after
# each step are results (links_<step>) and sections (mld-<step>: wpa_cli status and
# mlo_status, iw dev info and station dump). (MLD2 going away instead of the second roam
# is not used: the hwsim MLO station never notices, docs/rig.md.)
. /rig/lib.sh
phy=$(hwsim_phys | head -n 1)
[ -n "$phy" ] || { mark "error: no hwsim phy left for the station"; exit 1; }
STA=$(ls "/sys/class/ieee80211/$phy/device/net/" | head -n 1)
mark "station $phy $STA"
result sta_ifname "$STA"
# Each AP MLD: its MLD address, then its link BSSIDs; and the bands of its links.
for m in 1 2; do
  eval "v=\$MLD${m}_ADDR; n=\$MLD${m}_NLINKS"
  bands=""
  l=0
  while [ $l -lt "$n" ]; do
    eval "v=\"\$v \$MLD${m}_L$l\"; f=\$MLD${m}_F$l"
    if [ "$f" -lt 3000 ]; then b=2.4; elif [ "$f" -lt 5950 ]; then b=5; else b=6; fi
    bands="$bands $b"
    l=$((l + 1))
  done
  result "mld$m" "$v"
  result "mld${m}_bands" "${bands# }"
done
rig_mld_connect
rig_probe_start
sleep 1
mld_report_links assoc

# roam_to LINK_BSSID MLD_ADDR TAG: `wpa_cli roam` by one link of an AP MLD, then its links.
roam_to() {
  mark "roam-started wpa_cli $1"
  wpam roam "$1" >/dev/null
  wait_for 30 on_mld "$2" && mark "roamed $2"
  local t; t=$(uptime_ms)
  wait_for 20 reply_after "$t" && mark "traffic-back"
  sleep 1
  mld_report_links "$3"
}
roam_to "$MLD2_L0" "$MLD2_ADDR" roam
roam_to "$MLD1_L1" "$MLD1_ADDR" back

result wpa_state "$(wpam_field wpa_state)"
result final_bssid "$(wpam_field bssid)"
result final_ap_mld_addr "$(wpam_field ap_mld_addr)"
result last_reply_ms "$(last_reply)"
result end_ms "$(uptime_ms)"
rig_probe_stop
section probe-log </tmp/probe.log
exit 0
