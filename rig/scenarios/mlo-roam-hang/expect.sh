# Pass criteria of mlo-roam-hang (issue 16, the #1036 case): the hang fired at a
# BSS_INFO_UPDATE of the roam, the driver paid at least one MCU timeout, reset and reloaded the
# firmware, traffic came back, and at the end the station is on an AP MLD with all of its links,
# each with a pairwise and a group key and frames decrypted (the report's `links`). The figures
# (outage, timeouts, reloads, reassociated) and the issue-16 targets are judged in
# rig/compare.sh, not here.
if grep -qE 'error: (hostapd-mld|the vmt7925 medium)' "$work/console.txt" 2>/dev/null; then
  fails+=("the AP MLDs did not come up: $(grep -m1 -oE 'error: .*' "$work/console.txt")")
  return 0
fi
r() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print v }' "$work/results"; }
# mlo_links_ok TAG M: the station's links (links_TAG) and the device's active links are AP
# MLD M's two links, each with a pairwise and a group key and frames decrypted.
mlo_links_ok() {
  local want got
  want=$(r "mld$2" | cut -d' ' -f2- | tr ' ' '\n' | sort | xargs)
  got=$(r "links_$1" | tr ' ' '\n' | awk -F/ '{ print $3 }' | sort | xargs)
  [[ "$(r "n_links_$1")" == 2 && "$got" == "$want" ]] ||
    fails+=("$1: station links '$(r "links_$1")', want MLD$2's $want")
  got=$(jq -r '[.[].bssid] | sort | join(" ")' <<<"$links_list")
  [[ "$got" == "$want" ]] || fails+=("$1: device links '$got', want MLD$2's $want")
  [[ "$(jq -r '[.[].band] | sort | join(" ")' <<<"$links_list")" == "2.4 5" ]] ||
    fails+=("$1: device link bands $(jq -c '[.[].band]' <<<"$links_list"), want 2.4 and 5")
  local bad
  bad=$(jq -c '[.[] | select(.keys_pairwise < 1 or .keys_group < 1 or .frames_decrypted < 1)
    | {link_id, keys_pairwise, keys_group, frames_decrypted}]' <<<"$links_list")
  [[ "$bad" == "[]" ]] || fails+=("$1: links without keys or decrypted frames: $bad")
}
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
