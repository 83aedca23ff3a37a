# Pass criteria of slow-alive: answers came late and the driver still sent commands, yet no
# MCU timeout, no chip reset, no WFSYS reset, no reload; connected at the end.
[[ "$assoc" == true ]] || fails+=("not associated")
[[ "$(q .fault.kind)" == slow ]] || fails+=("the slow fault did not fire")
[[ "$(res slow_answers "$work")" -ge 3 ]] ||
  fails+=("only $(res slow_answers "$work") answers were late: the driver sent too little")
[[ "$(q .mcu_timeouts)" == 0 ]] || fails+=("$(q .mcu_timeouts) MCU timeouts (a false alarm)")
[[ "$(q .chip_resets)" == 0 && "$(q .fw_reloads)" == 0 && "$(dev wfsys_resets "$work")" == 0 ]] ||
  fails+=("a reset happened: $(q .chip_resets) chip resets, $(q .fw_reloads) reloads")
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
