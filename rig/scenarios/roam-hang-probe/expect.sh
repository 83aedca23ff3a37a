# Pass criteria of roam-hang-probe: as roam-hang, except that with the probe the patched
# driver may reset before any MCU timeout (the probe declares the firmware dead first).
[[ "$assoc" == true ]] || fails+=("not associated")
[[ "$(q .fault.kind)" == hang && "$(q .fault.at)" == UNI_BSS_INFO_UPDATE* ]] ||
  fails+=("the hang did not fire at a BSS_INFO_UPDATE: $(q -c .fault)")
if [[ "$driver" == stock ]]; then
  [[ "$(q .mcu_timeouts)" -ge 1 ]] || fails+=("no MCU timeout")
fi
[[ "$(q .fw_reloads)" -ge 1 && "$(dev wfsys_resets "$work")" -ge 1 ]] ||
  fails+=("no reset and reload")
[[ "$(q .outage_ms)" =~ ^[0-9]+$ ]] || fails+=("traffic did not come back")
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
