# Pass criteria of mlo-assoc (issue 16): associated with an AP MLD on both of its links (2.4
# and 5 GHz, its link BSSIDs), traffic, and on each link in the device: a pairwise and a group
# key and frames decrypted (the report's `links`). No timeout, no reload, connected.
. rig/scenarios/mlo-expect.sh
mlo_aps_ok || return 0
[[ "$assoc" == true ]] || fails+=("not associated")
[[ "$cipher" == CCMP ]] || fails+=("pairwise cipher '$cipher', want CCMP")
mlo_links_ok assoc "$(r mld_from)"
[[ "$(q '.traffic.received // 0')" -gt 0 ]] || fails+=("no traffic")
[[ "$(q .mcu_timeouts)" == 0 && "$(q .fw_reloads)" == 0 ]] ||
  fails+=("$(q .mcu_timeouts) MCU timeouts, $(q .fw_reloads) reloads without a fault")
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
