# Pass criteria of assoc-wpa2 (issue 13 "Done when"), sourced by rig/run.sh with the parsed
# values in scope; each unmet one appends to fails. `q EXPR` reads the report's outage part
# (rig_report), `res`/`dev` the guest's results and the device's counters.
[[ "$assoc" == true ]] || fails+=("not associated")
[[ "$cipher" == CCMP ]] || fails+=("pairwise cipher '$cipher', want CCMP")
[[ "${sent:-0}" -eq 100 ]] || fails+=("sent ${sent:-0} pings, want 100")
[[ "${recv:-0}" -ge 95 ]] || fails+=("${recv:-0}/100 pings answered, want >= 95")
[[ "${pw:-0}" -ge 1 ]] || fails+=("no pairwise key in the device")
[[ "${grp:-0}" -ge 1 ]] || fails+=("no group key in the device")
[[ "${enc:-0}" -gt 0 ]] || fails+=("device encrypted no frame")
[[ "${dec:-0}" -gt 0 ]] || fails+=("device decrypted no frame")
[[ "$(q .mcu_timeouts)" == 0 && "$(q .fw_reloads)" == 0 ]] ||
  fails+=("$(q .mcu_timeouts) MCU timeouts, $(q .fw_reloads) reloads without a fault")
