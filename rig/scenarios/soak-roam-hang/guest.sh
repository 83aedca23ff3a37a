#!/bin/sh
# Scenario soak-roam-hang (guest side): roam + hang cycles in a row (issue 15: "20 roam + hang
# cycles in a row: no leak, no WARN, always recovered"). Each cycle arms a hang at the first
# BSS_INFO_UPDATE, roams to the other AP with `wpa_cli roam` and waits for traffic to come
# back. The slab caches (/proc/slabinfo: kmemleak is not in Debian's kernel) are read after
# the first cycle (warm: one-time allocations done) and after the last; the host compares
# them (expect.sh). 20 cycles with the connac driver, the target's. A full rig run skips it
# for stock (files/drivers: the budget); run alone on stock it does 3 cycles (SOAK_CYCLES in
# /rig/env overrides both).
. /rig/lib.sh
rig_device_up || exit 1
rig_connect
rig_probe_start
rig_prepare_roam || exit 1
# The supplicant drops scan entries older than bss_expire_age (180 s); a long soak roams to
# entries it saw once.
wpa bss_expire_age 3600 >/dev/null
if [ -n "${SOAK_CYCLES:-}" ]; then n=$SOAK_CYCLES
elif [ "$(cat /etc/rig/driver 2>/dev/null)" = connac ]; then n=20
else n=3; fi
result soak_cycles "$n"
# Freed objects reach the slab counts late (RCU, the page cache's dentries): settle first.
# files/cmdline boots this scenario alone with slub_debug=U on the kmalloc and skbuff caches:
# their alloc_traces (debugfs) list each allocation site with its count of live objects and
# its stack, so a growth is attributed to a function and module (driver or guest userland),
# not guessed at.
slab_snapshot() {
  sync
  echo 3 >/proc/sys/vm/drop_caches
  sleep 6
  echo 3 >/proc/sys/vm/drop_caches
  sleep 1
  section "$1" </proc/slabinfo
  local f
  for f in /sys/kernel/debug/slab/kmalloc-*/alloc_traces /sys/kernel/debug/slab/skbuff_*/alloc_traces; do
    [ -r "$f" ] || continue
    f=${f%/alloc_traces}
    echo "@@ ${f##*/}"
    cat "$f/alloc_traces"
  done | section "$1-sites"
}
target=$AP2_BSSID
ok=0 i=1
while [ "$i" -le "$n" ]; do
  # Associated and passing traffic for a while before the next roam: a roam every few
  # seconds that kills the firmware each time is a crash loop, which the reset sequencer
  # escalates by design (healthy_decay 7 s, docs/reset.md).
  sleep 5
  t0=$(uptime_ms)
  mark "soak-cycle $i roam-hang to $target"
  vmt7925ctl fault hang cid=0x02 >/dev/null
  wpa roam "$target" >/dev/null
  # Recovered: traffic flows again (on either AP: after a failed roam the supplicant may
  # go back to the one it left).
  if rig_wait_recovered "$t0" 40; then
    ok=$((ok + 1))
    wait_for 5 connected
    mark "soak-cycle $i recovered on $(wpa_bssid)"
    target=$(wpa_bssid)
    if [ "$target" = "$AP1_BSSID" ]; then target=$AP2_BSSID; else target=$AP1_BSSID; fi
  else
    mark "soak-cycle $i not-recovered state=$(wpa_state)"
  fi
  [ "$i" -eq 1 ] && slab_snapshot slab-warm
  i=$((i + 1))
done
slab_snapshot slab-after
result soak_recovered "$ok"
sleep 1
rig_report_state
exit 0
