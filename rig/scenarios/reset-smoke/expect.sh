# Pass criteria of reset-smoke, sourced by rig/run.sh (see assoc-wpa2/expect.sh).
[[ "$assoc" == true ]] || fails+=("not associated")
[[ "$cipher" == CCMP ]] || fails+=("pairwise cipher '$cipher', want CCMP")
[[ "${recv:-0}" -ge 95 ]] || fails+=("${recv:-0}/100 pings answered before the reset")
if [[ "$driver" == connac ]]; then
  # The patched driver restores the association and keys without a reconnect (issue 15).
  [[ "$(res recovered "$work")" == true ]] || fails+=("no 'connac: recovered' after the reset")
  [[ "$(q .reassociated)" == false ]] || fails+=("the supplicant reassociated")
else
  [[ "$(res reconnected_after_reset "$work")" == true ]] || fails+=("no new association after the reset")
fi
[[ "$(dev wfsys_resets "$work")" -ge 1 ]] || fails+=("the device saw no WFSYS reset")
[[ "$(dev fw_starts "$work")" -ge 2 ]] || fails+=("the firmware was not downloaded again")
[[ "${pw:-0}" -ge 1 && "${grp:-0}" -ge 1 ]] || fails+=("keys missing after the reset")
[[ "$(res ping2_received "$work")" -ge 18 ]] ||
  fails+=("$(res ping2_received "$work")/20 pings answered after the reset")
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
