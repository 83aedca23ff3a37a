# Pass criteria of roam-clean (no fault): both roams complete, traffic comes back after each,
# no MCU timeout, no reload, connected at the end.
[[ "$assoc" == true ]] || fails+=("not associated")
[[ "$(q '.roams | length')" == 2 ]] || fails+=("$(q '.roams | length') roams started, want 2")
[[ "$(q '[.roams[] | select(.completed and .gap_ms != null)] | length')" == 2 ]] ||
  fails+=("a roam did not complete or no traffic gap was measured: $(q -c .roams)")
[[ "$(q .outage_ms)" =~ ^[0-9]+$ ]] || fails+=("no roam gap measured")
[[ "$(q .mcu_timeouts)" == 0 && "$(q .fw_reloads)" == 0 ]] ||
  fails+=("$(q .mcu_timeouts) MCU timeouts, $(q .fw_reloads) reloads without a fault")
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
