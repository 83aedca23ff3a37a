# Pass criteria of soak-roam-hang: every cycle recovered, connected at the end, no kernel
# WARN (checked by the runner), and no allocation site in the modules the connac-mt7925
# package builds (mt76*, mt792x*, mt7925*, connac_core) whose live kmalloc/skbuff objects
# grew by one or more per cycle between the first cycle and the last (alloc_traces of
# slub_debug=U, files/cmdline). mac80211's and cfg80211's sites are reported apart, not
# judged: minstrel's rate tables and cfg80211's BSS IEs are freed with kfree_rcu, whose
# batches drain up to 5 s later, and the probe's traffic keeps replacing them, so their live
# counts swing by tens or more between two snapshots, with either driver (minstrel +100 over
# 19 connac cycles, +122 over 2 stock cycles in one run; nothing from the patched modules). Growth elsewhere (the guest's processes and files) is reported.
[[ "$assoc" == true ]] || fails+=("not associated")
cycles=$(res soak_cycles "$work"); ok=$(res soak_recovered "$work")
[[ -n "$cycles" && "$ok" == "$cycles" ]] || fails+=("${ok:-0} of ${cycles:-?} cycles recovered")
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
if [[ -s "$work/slab-warm-sites" && -s "$work/slab-after-sites" && "${cycles:-0}" -ge 3 ]]; then
  # Lines "cache count function+off/len [module]": live objects per cache and function.
  # alloc_traces: "@@ <cache>" (ours), then per site "  <count> <func>+off/len [module] age=..."
  # and its stack, one indented frame per line. Owner: the first frame in a driver module,
  # else the site itself. Output: "<cache> <owner> [module] <live objects>".
  sites() { awk -v drv='^\\[(mt76[a-z_]*|mt792x[a-z_]*|mt7925[a-z_]*|connac_core|mac80211|cfg80211)\\]$' '
    function flush() { if (n != "") c[cache " " own " " mod] += n; n = "" }
    /^@@ / { flush(); cache = $2; next }
    $1 ~ /^[0-9]+$/ && $2 ~ /\+0x/ { flush(); n = $1; own = $2; sub(/\+.*/, "", own)
      mod = ($3 ~ /^\[/) ? $3 : "[vmlinux]"; found = (mod ~ drv); next }
    n != "" && !found && $1 ~ /\+0x/ && $2 ~ drv { own = $1; sub(/\+.*/, "", own); mod = $2; found = 1 }
    END { flush(); for (k in c) print k, c[k] }' "$1"; }
  growth=$(awk -v c=$((cycles - 1)) 'NR == FNR { a[$1 " " $2 " " $3] = $4; next }
    { k = $1 " " $2 " " $3; d = $4 - a[k]; if (d >= c) printf "%s:%s%s+%d\n", $1, $2, ($3 == "[vmlinux]" ? "" : $3), d }' \
    <(sites "$work/slab-warm-sites") <(sites "$work/slab-after-sites") | sort)
  leaks=$(grep -E '\[(mt76[a-z_]*|mt792x[a-z_]*|mt7925[a-z_]*|connac_core)\]' <<<"$growth" | paste -sd ' ' -)
  echo "allocation sites that grew by >= 1 live object per cycle over $((cycles - 1)) cycles:" \
    "driver: ${leaks:-none};" \
    "mac80211/cfg80211: $(grep -E '\[(mac80211|cfg80211)\]' <<<"$growth" | paste -sd ' ' -);" \
    "others: $(grep -vE '\[(mt76|mt792x|mt7925|connac_core|mac80211|cfg80211)' <<<"$growth" | paste -sd ' ' -)" \
    >"$work/slab-growth"
  [[ -z "$leaks" ]] || fails+=("driver allocation sites grew by >= 1 object per cycle: $leaks")
else
  fails+=("no slab allocation-site snapshots (slub_debug=U on the kernel command line?)")
fi
