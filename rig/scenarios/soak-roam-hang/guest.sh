#!/bin/sh
# Scenario soak-roam-hang (guest side): roam + hang cycles in a row (issue 15: "20 roam + hang
# cycles in a row: no leak, no WARN, always recovered"). Each cycle arms a hang at the first
# BSS_INFO_UPDATE, roams to the other AP with `wpa_cli roam` and waits for traffic to come
# back. The slab caches (/proc/slabinfo: kmemleak is not in Debian's kernel) are read after
# the first cycle (warm: one-time allocations done) and after the last; the host compares
# them (expect.sh). 20 cycles with the connac driver, the target's; 5 with stock, as a
# baseline within the rig's time budget (SOAK_CYCLES in /rig/env overrides both).
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
else n=5; fi
result soak_cycles "$n"
# Freed objects reach the slab counts late (RCU, the page cache's dentries): settle first.
slab_snapshot() { sync; echo 3 >/proc/sys/vm/drop_caches; sleep 2; section "$1" </proc/slabinfo; }
target=$AP2_BSSID other=$AP1_BSSID
ok=0 i=1
while [ "$i" -le "$n" ]; do
  # Associated and passing traffic a moment before the next roam, as a station would be.
  sleep 2
  t0=$(uptime_ms)
  mark "soak-cycle $i roam-hang to $target"
  vmt7925ctl fault hang cid=0x02 >/dev/null
  wpa roam "$target" >/dev/null
  if rig_wait_recovered "$t0" 40 && wait_for 10 on_bssid "$target"; then
    ok=$((ok + 1))
    mark "soak-cycle $i recovered"
  else
    mark "soak-cycle $i not-recovered state=$(wpa_state)"
  fi
  [ "$i" -eq 1 ] && slab_snapshot slab-warm
  t=$target target=$other other=$t
  i=$((i + 1))
done
slab_snapshot slab-after
result soak_recovered "$ok"
sleep 1
rig_report_state
exit 0
