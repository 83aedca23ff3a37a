#!/bin/sh
# Scenario reset-smoke (guest side): assoc-wpa2's association and 100 pings, then the driver's
# own reset path (debugfs chip_reset -> mt792x_reset -> mt7925u_mac_reset: WFSYS reset through
# the UHW registers, firmware download, mac init) against the virtual MT7925, the supplicant's
# new association (stock 6.12 restores with ieee80211_disconnect), new keys, 20 pings.
. /rig/lib.sh
SSID=rig-wpa2
PSK=connac-rig-passphrase

# AP: the hwsim radio moves into its own namespace so traffic crosses the medium.
ip netns add ap
phy=$(hwsim_phys | head -n 1)
[ -n "$phy" ] || { mark "error: no hwsim phy"; exit 1; }
iw phy "$phy" set netns name ap || { mark "error: cannot move $phy"; exit 1; }
mark hwsim-moved

vmt7925 run >/tmp/vmt7925.log 2>&1 &
echo $! >/run/vmt7925.pid
wait_for 20 mt7925_netdev || { mark "error: no mt7925u netdev"; exit 1; }
sta=$(mt7925_netdev)
mark "wlan-registered $sta"
result sta_ifname "$sta"

cat >/tmp/hostapd.conf <<CONF
interface=wlan0
driver=nl80211
ctrl_interface=/run/hostapd
ssid=$SSID
hw_mode=g
channel=6
wmm_enabled=1
wpa=2
wpa_key_mgmt=WPA-PSK
rsn_pairwise=CCMP
wpa_passphrase=$PSK
CONF
ip netns exec ap ip link set lo up
ip netns exec ap hostapd -B -P /run/hostapd.pid -f /tmp/hostapd.log /tmp/hostapd.conf ||
  { mark "error: hostapd failed"; exit 1; }
ip netns exec ap ip addr add 10.77.0.1/24 dev wlan0
mark hostapd-up

ip link set "$sta" up && mark "link-up $sta"
cat >/tmp/wpa.conf <<CONF
ctrl_interface=/run/wpa_supplicant
network={
  ssid="$SSID"
  key_mgmt=WPA-PSK
  proto=RSN
  pairwise=CCMP
  group=CCMP
  psk="$PSK"
  scan_freq=2437
}
CONF
wpa_supplicant -B -i "$sta" -D nl80211 -c /tmp/wpa.conf -f /tmp/wpa.log -P /run/wpa.pid
mark supplicant-started
state() { wpa_cli -i "$sta" status 2>/dev/null | sed -n 's/^wpa_state=//p'; }
if wait_for 30 sh -c "wpa_cli -i $sta status | grep -q '^wpa_state=COMPLETED'"; then
  mark associated
  result associated true
else
  mark "not-associated state=$(state)"
  result associated false
fi
wpa_cli -i "$sta" status >/tmp/wpa_status 2>&1
result cipher "$(sed -n 's/^pairwise_cipher=//p' /tmp/wpa_status)"
result group_cipher "$(sed -n 's/^group_cipher=//p' /tmp/wpa_status)"
result bssid "$(sed -n 's/^bssid=//p' /tmp/wpa_status)"

ip addr add 10.77.0.2/24 dev "$sta"
mark addresses-set
# 100 echo requests, 50 ms apart; busybox ping prints the transmitted/received summary.
timeout 40 ping -c 100 -i 0.05 -W 1 10.77.0.1 >/tmp/ping.log 2>&1
mark ping-done
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' /tmp/ping.log)
recv=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' /tmp/ping.log)
result ping_sent "${sent:-0}"
result ping_received "${recv:-0}"

timeout 5 vmt7925ctl status | section device-before
# 1) the driver's own reset (debugfs chip_reset=1 -> mt792x_reset -> mt7925u_mac_reset:
#    WFSYS reset through UHW, firmware download, mac init, reconnect).
dbg=$(ls -d /sys/kernel/debug/ieee80211/phy*/mt76 2>/dev/null | while read d; do
  [ -e "$d/chip_reset" ] && echo "$d"; done | head -n 1)
mark "reset-requested $dbg"
echo 1 >"$dbg/chip_reset"
# Reassociated: a second CTRL-EVENT-CONNECTED (the first one is the initial association).
connected() { [ "$(grep -c CTRL-EVENT-CONNECTED /tmp/wpa.log)" -ge 2 ]; }
if [ "$(cat /etc/rig/driver 2>/dev/null)" = connac ]; then
  # connac restores the association and its keys instead of reconnecting (issue 15): wait
  # for the driver's recovery line, then check the supplicant did not reassociate.
  if wait_for 40 sh -c "dmesg | grep -q 'connac: recovered'"; then
    mark recovered-after-reset
    result recovered true
  else
    mark "not-recovered state=$(state)"
    result recovered false
  fi
  sleep 2
  if connected; then result reassociated true; else result reassociated false; fi
elif wait_for 40 connected; then
  mark reassociated-after-reset
  result reassociated true
else
  mark "not-reassociated state=$(state)"
  result reassociated false
fi
timeout 20 ping -c 20 -i 0.05 -W 1 10.77.0.1 >/tmp/ping2.log 2>&1
mark ping2-done
result ping2_sent "$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' /tmp/ping2.log)"
result ping2_received "$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' /tmp/ping2.log)"
timeout 5 vmt7925ctl status | section device
# DRIVER=connac: the core's state and counters (mt76/connac in debugfs).
[ -r "$dbg/connac" ] && section connac <"$dbg/connac"
exit 0
