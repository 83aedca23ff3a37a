# Shared pass criteria of the MLO scenarios (mlo-assoc, mlo-roam, mlo-roam-hang), sourced by
# their expect.sh inside rig/run.sh's finish_one (which defines $work, $links_list and fails).

# mlo_aps_ok: false (with the reason in fails) when the boot's AP MLDs never came up; the
# scenario's other criteria would only repeat it.
mlo_aps_ok() {
  grep -qE 'error: (hostapd-mld|the vmt7925 medium)' "$work/console.txt" 2>/dev/null || return 0
  fails+=("the AP MLDs did not come up: $(grep -m1 -oE 'error: .*' "$work/console.txt")")
  return 1
}

# r KEY: the guest's last result KEY.
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
