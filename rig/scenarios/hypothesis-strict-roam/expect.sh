# Pass criteria of hypothesis-strict-roam (HYPOTHESIS MODE): the strict option was on and the
# report says whether the stock roam tripped it (and by which command). A tripped firmware is
# a hang: then the driver must have reset and traffic come back, as in roam-hang.
[[ "$assoc" == true ]] || fails+=("not associated")
[[ "$(q .hypothesis.strict_firmware)" == true ]] || fails+=("strict hypothesis mode was off")
if [[ "$(q .hypothesis.tripped)" == true ]]; then
  [[ -n "$(q .hypothesis.tripped_by)" ]] || fails+=("tripped, but by what is not reported")
  [[ "$(q .fw_reloads)" -ge 1 ]] || fails+=("tripped and never reset")
fi
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
