# Pass criteria of mlo-roam (issue 16): associated with one AP MLD on both links, roamed to
# the other with `wpa_cli roam` (a measured gap, no timeout, no reload), and at the end on all of
# its links (2.4 and 5 GHz, its link BSSIDs) with a pairwise and a group key and frames
# decrypted on each (the report's `links`); connected.
. rig/scenarios/mlo-expect.sh
mlo_aps_ok || return 0
[[ "$assoc" == true ]] || fails+=("not associated")
[[ "$(r n_links_assoc)" == 2 ]] || fails+=("$(r n_links_assoc) links before the roam, want 2")
[[ "$(q '.roams | length')" == 1 ]] || fails+=("$(q '.roams | length') roams started, want 1")
[[ "$(q '[.roams[] | select(.completed and .gap_ms != null)] | length')" == 1 ]] ||
  fails+=("the roam did not complete or no traffic gap was measured: $(q -c .roams)")
[[ "$(r final_ap_mld_addr)" == "$(r "mld$(r mld_to)" | cut -d' ' -f1)" ]] ||
  fails+=("ended on AP MLD $(r final_ap_mld_addr), want MLD$(r mld_to)")
mlo_links_ok roam "$(r mld_to)"
[[ "$(q .mcu_timeouts)" == 0 && "$(q .fw_reloads)" == 0 ]] ||
  fails+=("$(q .mcu_timeouts) MCU timeouts, $(q .fw_reloads) reloads without a fault")
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
