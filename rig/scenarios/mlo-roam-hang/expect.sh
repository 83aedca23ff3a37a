# Pass criteria of mlo-roam-hang (issue 16, the #1036 case): the hang fired at a
# BSS_INFO_UPDATE of the roam, the driver paid at least one MCU timeout, reset and reloaded the
# firmware, traffic came back, and at the end the station is on an AP MLD with all of its links,
# each with a pairwise and a group key and frames decrypted (the report's `links`). The figures
# (outage, timeouts, reloads, reassociated) and the issue-16 targets are judged in
# rig/compare.sh, not here.
. rig/scenarios/mlo-expect.sh
mlo_aps_ok || return 0
[[ "$assoc" == true ]] || fails+=("not associated")
[[ "$(r n_links_assoc)" == 2 ]] || fails+=("$(r n_links_assoc) links before the roam, want 2")
[[ "$(q .fault.kind)" == hang && "$(q .fault.at)" == UNI_BSS_INFO_UPDATE* ]] ||
  fails+=("the hang did not fire at a BSS_INFO_UPDATE: $(q -c .fault)")
[[ "$(q .mcu_timeouts)" -ge 1 ]] || fails+=("no MCU timeout")
[[ "$(q .fw_reloads)" -ge 1 && "$(dev wfsys_resets "$work")" -ge 1 ]] ||
  fails+=("no reset and reload")
[[ "$(q .outage_ms)" =~ ^[0-9]+$ ]] || fails+=("traffic did not come back")
# Back on whichever AP MLD the recovery ended on, with all of its links.
end=$(r final_ap_mld_addr)
m=2; [[ "$end" == "$(r mld1 | cut -d' ' -f1)" ]] && m=1
mlo_links_ok roam "$m"
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
