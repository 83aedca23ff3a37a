#!/bin/sh
# Scenario assoc-wpa2 (guest side): wpa_supplicant on the stock mt7925u wlan0 (the virtual
# MT7925) associates to AP1 (hostapd, WPA2-PSK CCMP, 2.4 GHz, on a mac80211_hwsim radio in
# netns "ap"); addresses set; 100 pings; the device's counters are read back.
. /rig/lib.sh
rig_device_up || exit 1
rig_connect "$AP1_FREQ"
rig_probe_start
# 100 echo requests, 50 ms apart; busybox ping prints the transmitted/received summary.
timeout 40 ping -c 100 -i 0.05 -W 5 "$AP_ADDR" >/tmp/ping.log 2>&1
mark ping-done
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' /tmp/ping.log)
recv=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' /tmp/ping.log)
result ping_sent "${sent:-0}"
result ping_received "${recv:-0}"
rig_report_state
wpa disconnect >/dev/null 2>&1
wait_for 5 sh -c "wpa_cli -p /run/wpa_supplicant -i $STA status | grep -q '^wpa_state=DISCONNECTED'" &&
  mark disconnected
cat /tmp/wpa_status | section wpa-status
exit 0
