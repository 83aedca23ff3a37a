# Pass criteria of roam-hang: the hang fired at a BSS_INFO_UPDATE, the stock driver paid at
# least one MCU timeout, reset, reloaded the firmware, and traffic came back (the figures
# themselves are measured, not judged: docs/PERFORMANCE.md).
[[ "$assoc" == true ]] || fails+=("not associated")
[[ "$(q .fault.kind)" == hang && "$(q .fault.at)" == UNI_BSS_INFO_UPDATE* ]] ||
  fails+=("the hang did not fire at a BSS_INFO_UPDATE: $(q -c .fault)")
[[ "$(q .mcu_timeouts)" -ge 1 ]] || fails+=("no MCU timeout")
[[ "$(q .fw_reloads)" -ge 1 && "$(dev wfsys_resets "$work")" -ge 1 ]] ||
  fails+=("no reset and reload")
[[ "$(q .outage_ms)" =~ ^[0-9]+$ ]] || fails+=("traffic did not come back")
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
