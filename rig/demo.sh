#!/usr/bin/env bash
# `make rig-demo`: the #1036 case on the rig, stock driver then connac. Runs roam-hang (the
# firmware hangs at the first BSS_INFO_UPDATE of a roam) with each driver and shows the stock
# timeline and both outcomes in a few lines. Full reports: build/rig/roam-hang.<driver>.json,
# guest kernel logs .log.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
echo "== rig: the firmware hangs during a roam (Debian's 6.12 mt7925u on the virtual MT7925, QEMU/TCG)"
rc=0
for d in stock connac; do
  rig/run.sh roam-hang "$d" >"build/rig-demo.$d.log" 2>&1 || rc=1
done
s=build/rig/roam-hang.stock.json c=build/rig/roam-hang.connac.json
if [[ ! -f $s ]]; then
  tail -n 20 build/rig-demo.stock.log
  exit 1
fi
# The stock timeline, relative to the fault: the events a maintainer reads.
jq -r '(.fault.t_ms // 0) as $f | .timeline[] | select(.t_ms >= $f)
  | select(.event | test("^(fault: hang fired|mcu timeout|reset: chip reset|firmware download: done|mac80211: Driver requested disconnection|supplicant: CTRL-EVENT-CONNECTED|traffic: first echo after)"))
  | "  stock  +\((.t_ms - $f) / 1000 * 100 | round / 100)s  \(.event | .[0:90])"' "$s" | head -n 8
show() {  # DRIVER FILE
  [[ -f $2 ]] || { echo "  $1: no report (build/rig-demo.$1.log)"; return; }
  jq -r --arg d "$1" '"  \($d | . + "      " | .[0:6]) outage \(.outage_ms // "n/a") ms, \(.mcu_timeouts) MCU timeout(s) paid, \(.fw_reloads) firmware reload(s), reassociated \(.reassociated), \(.final_state)\(if .passed then "" else " (FAIL: " + (.failures | join("; ")) + ")" end)"' "$2"
}
show stock "$s"
show connac "$c"
if [[ -f $s && -f $c ]]; then
  jq -rn --slurpfile a "$s" --slurpfile b "$c" '
    if ($a[0].outage_ms // 0) > 0 and ($b[0].outage_ms // 0) > 0
    then "  stock / connac outage: \(($a[0].outage_ms / $b[0].outage_ms * 100 | round) / 100)x" else empty end'
fi
exit $rc
