#!/bin/sh
# Scenario reset-smoke (guest side): assoc-wpa2's association and 100 pings, then the driver's
# own reset path (debugfs chip_reset -> mt792x_reset -> mt7925u_mac_reset: WFSYS reset through
# the UHW registers, firmware download, mac init) against the virtual MT7925, the supplicant's
# new association (stock 6.12 restores with ieee80211_disconnect), new keys, 20 pings.
. /rig/lib.sh
rig_device_up || exit 1
rig_connect "$AP1_FREQ"
rig_probe_start
timeout 40 ping -c 100 -i 0.05 -W 5 "$AP_ADDR" >/tmp/ping.log 2>&1
mark ping-done
result ping_sent "$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' /tmp/ping.log)"
result ping_received "$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' /tmp/ping.log)"
timeout 5 vmt7925ctl status | section device-before
# The driver's own reset (debugfs chip_reset=1 -> mt792x_reset -> mt7925u_mac_reset: WFSYS
# reset through UHW, firmware download, mac init, reconnect).
dbg=$(ls -d /sys/kernel/debug/ieee80211/phy*/mt76 2>/dev/null | while read d; do
  [ -e "$d/chip_reset" ] && echo "$d"; done | tail -n 1)
t0=$(uptime_ms)
mark "reset-requested $dbg"
echo 1 >"$dbg/chip_reset"
# Reassociated: a second CTRL-EVENT-CONNECTED (the first one is the initial association).
reconnected() { [ "$(grep -c CTRL-EVENT-CONNECTED /tmp/wpa.log)" -ge 2 ]; }
if [ "$(cat /etc/rig/driver 2>/dev/null)" = connac ]; then
  # connac restores the association and its keys instead of reconnecting (issue 15): wait
  # for the driver's recovery line, then check the supplicant did not reassociate.
  if wait_for 40 sh -c "dmesg | grep -q 'connac: recovered'"; then
    mark recovered-after-reset
    result recovered true
  else
    mark "not-recovered state=$(wpa_state)"
    result recovered false
  fi
elif wait_for 40 reconnected; then
  mark reassociated-after-reset
  result reconnected_after_reset true
else
  mark "not-reassociated state=$(wpa_state)"
  result reconnected_after_reset false
fi
rig_wait_recovered "$t0" 20 && mark recovered
timeout 20 ping -c 20 -i 0.05 -W 5 "$AP_ADDR" >/tmp/ping2.log 2>&1
mark ping2-done
result ping2_sent "$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' /tmp/ping2.log)"
result ping2_received "$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' /tmp/ping2.log)"
# DRIVER=connac: the core's state and counters (mt76/connac in debugfs).
[ -r "$dbg/connac" ] && section connac <"$dbg/connac"
rig_report_state
exit 0
