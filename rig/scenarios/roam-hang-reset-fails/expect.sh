# Pass criteria of roam-hang-reset-fails: as roam-hang (the hang fired at a BSS_INFO_UPDATE,
# at least one MCU timeout, a reset, traffic back), and the first reload failed and a later
# one succeeded.
[[ "$assoc" == true ]] || fails+=("not associated")
[[ "$(q .fault.kind)" == hang && "$(q .fault.at)" == UNI_BSS_INFO_UPDATE* ]] ||
  fails+=("the hang did not fire at a BSS_INFO_UPDATE: $(q -c .fault)")
[[ "$(q .mcu_timeouts)" -ge 1 ]] || fails+=("no MCU timeout")
[[ "$(q .fw_reloads)" -ge 1 && "$(dev wfsys_resets "$work")" -ge 1 ]] ||
  fails+=("no reset and reload")
[[ "$(q .outage_ms)" =~ ^[0-9]+$ ]] || fails+=("traffic did not come back")
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
[[ "$(q .fw_reload_failures)" -ge 1 && "$(q .fw_reloads)" -ge 2 ]] ||
  fails+=("want a failed reload and a good one: $(q .fw_reloads) reloads, $(q .fw_reload_failures) failed")
