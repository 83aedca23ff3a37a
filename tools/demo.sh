#!/usr/bin/env bash
# `make demo`: frames the five MCU commands that timed out in openwrt/mt76 issue #1036
# exactly as mt7925 puts them on the wire, decodes them back, and shows how the core judges
# candidate responses (the driver's parse_response rules, with bounds checks).
#
# Payloads are the commands' real fixed headers with no TLVs (BSS_INFO: bss_idx + 3 pad;
# STA_REC: the 8-byte sta_req_hdr; DEV_INFO: omac_idx, band_idx, 2 pad), enough to show the
# framing; the firmware's answer is synthesised from the mt7925 event layout.
set -euo pipefail
connac=${1:-bazel-bin/tools/connac}
here=$(cd "$(dirname "$0")" && pwd)

# Log line from the #1036 report: "Message <word> (seq <n>) timeout".
timeouts=(
  "00020002 12 00000000"
  "00020003 13 0001000001000000"
  "00020002 14 00000000"
  "00020002 15 00000000"
  "00020001 1 00000000"
)
# STA_REC's sta_req_hdr above: bss_idx 0, wlan_idx_lo 1, tlv_num 0 (le16), is_tlv_append 1,
# muar_idx 0, wlan_idx_hi 0, rsv.

echo "connac-core demo: the MCU commands of openwrt/mt76 #1036, framed for mt7925"
echo
for t in "${timeouts[@]}"; do
  read -r word seq payload <<<"$t"
  name=$("$connac" describe --cmd="$word" | sed -n 's/.*"name":"\([^"]*\)".*/\1/p')
  frame=$("$connac" encode --cmd="$word" --seq="$seq" --payload="$payload")
  echo "Message $word (seq $seq) timeout  ->  $name"
  echo "  frame  ${frame}"
  echo "  decode $("$connac" decode --hex="$frame")"
done

echo
echo "Judging candidate answers to BSS_INFO_UPDATE (0x00020002, seq 14):"
# mt7925 event: 32-byte RXD, len, pkt_type_id, eid@36, seq@37, option@38, rsv, ext_eid@40,
# rsv[2], s2d@43, then the UNI result {u8 cid, 3 pad, le32 status}.
event() {  # seq(hex) cid(hex) status(8 hex digits, little-endian)
  printf '%064d' 0
  printf '0000' ; printf '0000'
  printf '01%s020000000000' "$1"
  printf '%s000000%s' "$2" "$3"
}
show() {
  printf '  %-44s %s\n' "$1" "$("$connac" parse-response --cmd=0x00020002 --seq=14 --hex="$2")"
}
show "answer, seq 14, status 0" "$(event 0e 02 00000000)"
show "answer, seq 14, WLAN_FAILURE 0xc0000001" "$(event 0e 02 010000c0)"
show "late answer to seq 12" "$(event 0c 02 00000000)"
show "seq 14 but cid of STA_REC (0x03)" "$(event 0e 03 00000000)"
ev=$(event 0e 02 00000000)
show "truncated to 46 bytes" "${ev:0:92}"
echo
echo "In the driver each of the five timeouts above cost its full 3 s before the firmware was"
echo "reloaded (first at +0 s, reload at +15.4 s). The core's transaction table reports the first"
echo "timeout at its deadline and offers FailAll() to fail everything still pending at once."

keys_out=$("$connac" keys --script="$here/scripts/roam-1036.keys")
echo
echo "Key slots across the #1036 roam (tools/scripts/roam-1036.keys, connac keys):"
n=0
while IFS= read -r line; do
  [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
  n=$((n + 1))
  out=$(sed -n "${n}p" <<<"$keys_out")
  ret=$(sed -n 's/.*"ret":\(-\{0,1\}[0-9]*\).*/\1/p' <<<"$out")
  frames=$(grep -o '"hex"' <<<"$out" | wc -l || true)
  printf '  %-52s ret %-4s %s STA_REC_UPDATE frame(s)\n' "$line" "$ret" "$frames"
done < <(sed 's/#.*//' "$here/scripts/roam-1036.keys")
echo "The removals after the teardown return 0 with no MCU traffic, where the driver in the"
echo "report returned -22 (and upstream dereferences a NULL link)."

echo
echo "Recovery from the #1036 hang on the firmware simulator (connac simulate, virtual clock):"
for policy in mt76 connac; do
  json=$("$connac" simulate --scenario=mlo-roam-hang --policy="$policy" --json)
  get() { sed -n "s/.*\"$1\":\([^,]*\),.*/\1/p" <<<"$json"; }
  first=$(get first_unanswered_ms)
  printf '  %-7s timeouts paid %s, firmware reloaded +%5.1f s, restored +%5.1f s after the first unanswered command, keys lost %s\n' \
    "$policy" "$(get timeouts_paid)" "$(awk -v a="$(get fw_reloaded_ms)" -v b="$first" 'BEGIN{print (a-b)/1000}')" \
    "$(awk -v a="$(get restored_ms)" -v b="$first" 'BEGIN{print (a-b)/1000}')" "$(get keys_lost)"
done
echo "mt76 pays every queued command's 3 s timeout, reloads, then forces a reassociation; connac fails the"
echo "queue at the first timeout, reloads, and replays device, BSS, stations and keys (docs/reset.md)."
