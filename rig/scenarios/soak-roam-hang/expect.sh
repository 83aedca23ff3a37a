# Pass criteria of soak-roam-hang: every cycle recovered, connected at the end, no kernel
# WARN (checked by the runner), and no kmalloc or skbuff cache (where the driver's and
# mac80211's allocations live) that grew by one object or more per cycle between the first
# cycle and the last (a leak of one allocation per reset or roam). The other caches follow
# the guest's processes and files (dentry, anon_vma, vmap_area, ...): reported, not judged.
[[ "$assoc" == true ]] || fails+=("not associated")
n=$(res soak_cycles "$work"); ok=$(res soak_recovered "$work")
[[ -n "$n" && "$ok" == "$n" ]] || fails+=("${ok:-0} of ${n:-?} cycles recovered")
[[ "$(q .final_state)" == connected ]] || fails+=("final state $(q .final_state)")
if [[ -f "$work/slab-warm" && -f "$work/slab-after" && "${n:-0}" -ge 3 ]]; then
  # "name active_objs ...": the caches that grew by >= 1 object per cycle after the first.
  growth() {  # REGEX: caches matching it that grew by >= 1 object per cycle
    awk -v c=$((n - 1)) -v re="$1" 'NR == FNR { if ($1 !~ /^#|^slabinfo/) a[$1] = $2; next }
      $1 ~ re && ($1 in a) && $2 - a[$1] >= c { printf "%s+%d ", $1, $2 - a[$1] }' \
      "$work/slab-warm" "$work/slab-after"
  }
  grew=$(growth '^(kmalloc-|kmalloc-rcl-|skbuff_)')
  echo "slab growth over $((n - 1)) cycles: driver caches: ${grew:-none}; others: $(growth '.') " \
    >"$work/slab-growth"
  [[ -z "$grew" ]] || fails+=("kmalloc/skbuff caches grew by >= 1 object per cycle: $grew")
else
  fails+=("no slab snapshots")
fi
