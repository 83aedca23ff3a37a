# Pass criteria of mlo-assoc (issue 16): associated with an AP MLD on both of its links (2.4
# and 5 GHz, its link BSSIDs), traffic, and on each link in the device: a pairwise and a group
# key and frames decrypted (the report's `links`). No timeout, no reload, connected.
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
[[ "$cipher" == CCMP ]] || fails+=("pairwise cipher '$cipher', want CCMP")
mlo_links_ok assoc "$(r mld_from)"
[[ "$(q '.traffic.received // 0')" -gt 0 ]] || fails+=("no traffic")
[[ "$(q .mcu_timeouts)" == 0 && "$(q .fw_reloads)" == 0 ]] ||
  fails+=("$(q .mcu_timeouts) MCU timeouts, $(q .fw_reloads) reloads without a fault")
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
