#!/usr/bin/env bash
# `make rig-demo`: runs the assoc-wpa2 scenario on the stock driver and shows it in a few
# lines (the full report is build/rig/assoc-wpa2.stock.json, the guest console .console).
set -uo pipefail
cd "$(dirname "$0")/.."
echo "== rig: Debian's stock mt7925u on the virtual MT7925 (QEMU/TCG), WPA2 through hostapd"
rig/run.sh assoc-wpa2 stock >build/rig-demo.log 2>&1
rc=$?
j=build/rig/assoc-wpa2.stock.json
if [[ ! -f $j ]]; then
  tail -n 20 build/rig-demo.log
  exit 1
fi
t() { jq -r --arg e "$1" '[.timeline[] | select(.event | startswith($e))][0].t_ms // empty | . / 1000' "$j"; }
jq -r '"  guest kernel \(.kernel): hostapd (WPA2-PSK) on a mac80211_hwsim radio in its own netns, wpa_supplicant on wlan0 (mt7925u)"' "$j"
printf '  t=%ss wlan0 registered | t=%ss associated | t=%ss 100 pings done\n' \
  "$(t wlan-registered)" "$(t associated)" "$(t ping-done)"
grep -hE 'wlan0: (authenticated|RX AssocResp|associated)$|wlan0: RX AssocResp' \
  build/rig/assoc-wpa2.stock.log | tr -d '\r' | sed 's/^/  kernel: /' | head -n 3
jq -r '"  supplicant: cipher \(.cipher)/\(.group_cipher), pings \(.ping_received)/\(.ping_sent)",
  "  device: \(.device.mcu_commands) MCU commands, keys pairwise \(.device.keys_pairwise) + group \(.device.keys_group) (STA_REC KEY_V3), \(.device.frames_encrypted) frames encrypted, \(.device.frames_decrypted) decrypted, \(.device.frames_dropped_nokey) dropped for no key",
  "  \(if .passed then "PASS" else "FAIL: " + (.failures | join("; ")) end) in \(.duration_s) s (report: build/rig/assoc-wpa2.stock.json)"' "$j"
exit $rc
