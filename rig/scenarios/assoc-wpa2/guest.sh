#!/bin/sh
# Scenario assoc-wpa2 (guest side): hostapd (WPA2-PSK, CCMP) on a mac80211_hwsim radio in
# netns "ap"; vmt7925 as the medium and the USB device; wpa_supplicant on the stock mt7925u
# wlan0 associates; addresses set; 100 pings; the device's counters are read back.
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

timeout 5 vmt7925ctl status | section device
wpa_cli -i "$sta" disconnect >/dev/null 2>&1
wait_for 5 sh -c "wpa_cli -i $sta status | grep -q '^wpa_state=DISCONNECTED'" && mark disconnected
cat /tmp/wpa_status | section wpa-status
kill "$(cat /run/wpa.pid)" 2>/dev/null
exit 0
