# Pass criteria of mlo-hwsim-smoke (issue 16): an MLO association with every link of MLD1
# (2.4, 5 and 6 GHz, MLD1's link BSSIDs), a roam to MLD2 on all of its links and one back to
# MLD1 (wpa_cli roam), each with a measured traffic gap; connected on MLD1 at the end.
# No AP MLD (e.g. Debian's hostapd, built without 802.11be): that one reason, not the rest.
if grep -q 'error: hostapd-mld' "$work/console.txt" 2>/dev/null; then
  fails+=("the AP MLDs did not come up: $(grep -m1 -o 'hostapd-mld .*' "$work/console.txt")")
  return 0
fi
r() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print v }' "$work/results"; }
# links_ok STEP MLD: as many links as that AP MLD has, on its links' bands and BSSIDs.
links_ok() {
  local links want got n
  links=$(r "links_$1")
  read -r _ want <<<"$(r "$2")"
  n=$(wc -w <<<"$want")
  got=$(tr ' ' '\n' <<<"$links" | awk -F/ '{ print $3 }' | sort | xargs)
  [[ "$(r "n_links_$1")" == "$n" ]] ||
    { fails+=("$1: $(r "n_links_$1") links ($links), want $n"); return; }
  [[ "$(tr ' ' '\n' <<<"$links" | awk -F/ '{ print $2 }' | sort | xargs)" == \
     "$(tr ' ' '\n' <<<"$(r "$2_bands")" | sort | xargs)" ]] ||
    fails+=("$1: link bands $links, want $(r "$2_bands")")
  [[ "$got" == "$(tr ' ' '\n' <<<"$want" | sort | xargs)" ]] ||
    fails+=("$1: link BSSIDs $got, want $2's $want")
}
# The AP MLDs have the links files/cmdline asks for (2.4, 5 and 6 GHz).
[[ "$(r mld1_bands)" == "2.4 5 6" && "$(r mld2_bands)" == "2.4 5 6" ]] ||
  fails+=("AP MLD link bands '$(r mld1_bands)' / '$(r mld2_bands)', want 2.4 5 6")
[[ "$assoc" == true ]] || fails+=("not associated")
[[ "$cipher" == CCMP ]] || fails+=("pairwise cipher '$cipher', want CCMP")
links_ok assoc mld1
links_ok roam mld2
links_ok back mld1
[[ "$(q '.roams | length')" == 2 ]] || fails+=("$(q '.roams | length') roams started, want 2")
[[ "$(q '[.roams[] | select(.completed and .gap_ms != null)] | length')" == 2 ]] ||
  fails+=("a roam did not complete or no traffic gap was measured: $(q -c .roams)")
[[ "$(r final_ap_mld_addr)" == "$(r mld1 | cut -d' ' -f1)" ]] ||
  fails+=("ended on AP MLD $(r final_ap_mld_addr), want MLD1")
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
