#!/usr/bin/env bash
# Contract tests for the `connac` CLI: exact output lines, JSON fields and exit codes that
# users and scripts depend on. Each case is one line: description, expectation, command.
set -uo pipefail
connac=${1:?usage: cli_test.sh path/to/connac}
errf=$(mktemp "${TEST_TMPDIR:-/tmp}/cli_test.XXXXXX")
trap 'rm -f "$errf"' EXIT
pass=0
fail=0

# expect_out DESC EXPECTED_STDOUT ARGS... : exit 0 and stdout exactly EXPECTED.
expect_out() {
  local desc=$1 want=$2
  shift 2
  local got rc
  got=$("$connac" "$@" 2>"$errf")
  rc=$?
  if [[ $rc -eq 0 && "$got" == "$want" ]]; then
    pass=$((pass + 1)); echo "ok - $desc"
  else
    fail=$((fail + 1)); echo "not ok - $desc"; echo "  rc=$rc"; echo "  want: $want"; echo "  got:  $got"
  fi
}

# expect_fail DESC STDERR_SUBSTRING ARGS... : exit 2, empty stdout, one stderr line.
expect_fail() {
  local desc=$1 want=$2
  shift 2
  local got err rc lines
  got=$("$connac" "$@" 2>"$errf")
  rc=$?
  err=$(cat "$errf")
  lines=$(wc -l <"$errf")
  if [[ $rc -eq 2 && -z "$got" && $lines -eq 1 && "$err" == *"$want"* ]]; then
    pass=$((pass + 1)); echo "ok - $desc"
  else
    fail=$((fail + 1)); echo "not ok - $desc"; echo "  rc=$rc lines=$lines"; echo "  stderr: $err"; echo "  stdout: $got"
  fi
}

# The #1036 command as mt7925 frames it: DW0 = 0x41000000 | 52, DW1 = 0x00004000 (connac3
# HDR_FORMAT CMD), len 20, cid 0x0002, pkt_type 0xa0, seq 12, s2d H2N, option 0x07.
bss12=34000041004000000000000000000000000000000000000000000000000000001400020000a0000c000000070000000000000000
expect_out "encode 0x00020002 seq 12 (mt7925)" "$bss12" encode --cmd=0x00020002 --seq=12 --payload=00000000
expect_out "encode by name matches the word" "$bss12" encode --cmd=UNI_BSS_INFO_UPDATE --seq=12 --payload=00000000
expect_out "encode by kernel log spelling" "$bss12" encode --cmd=00020002 --seq=12 --payload=00000000
expect_out "encode with --flag value form" "$bss12" encode --cmd 0x00020002 --seq 12 --payload 00000000
# mt7921 (connac2 filler): DW1 = LONG_FORMAT | HDR_FORMAT<<16 = 0x80010000.
expect_out "encode mt7921 UNI uses connac2 DW1" \
  "34000041000001800000000000000000000000000000000000000000000000001400020000a0000c000000070000000000000000" \
  encode --cmd=0x00020002 --seq=12 --payload=00000000 --family=mt7921
expect_out "FW_SCATTER is raw payload" "deadbeef" encode --cmd=MCU_CMD_FW_SCATTER --seq=3 --payload=deadbeef
expect_out "decode #1036 frame" \
  '{"format":"uni","cmd":"0x00020002","name":"UNI BSS_INFO_UPDATE","query":false,"seq":12,"len":20,"tx_bytes":52,"dw0":"0x41000034","dw1":"0x00004000","txd_generation":"connac3","pkt_type":"0xa0","cid":"0x02","s2d_index":0,"option":"0x07","ack":true,"payload_len":4,"payload":"00000000"}' \
  decode --hex="$bss12"
expect_out "describe EXT GET_MIB_INFO" \
  '{"cmd":"0x00005aed","name":"EXT GET_MIB_INFO","kind":"EXT","known":true,"id":"0xed","ext_id":"0x5a","query":false,"uni":false,"ce":false,"wa":false,"wm":false,"unknown_bits":false}' \
  describe --cmd=0x00005aed

# mt7925 events: 32-byte RXD, len, pkt_type_id, eid 0x01, seq, option 0x02, rsv, ext_eid,
# rsv[2], s2d, then {u8 cid, 3 pad, le32 status}.
hdr=$(printf '%072d' 0)
ev14="${hdr}010e020000000000""0200000000000000"
expect_out "response: done, status 0" '{"verdict":"done","status":0}' \
  parse-response --cmd=0x00020002 --seq=14 --hex="$ev14"
expect_out "response: firmware status is a signed int" '{"verdict":"done","status":-1073741823}' \
  parse-response --cmd=0x00020002 --seq=14 --hex="${hdr}010e020000000000""02000000010000c0"
expect_out "response: wrong seq is stale" '{"verdict":"stale"}' \
  parse-response --cmd=0x00020002 --seq=13 --hex="$ev14"
expect_out "response: cid mismatch is stale" '{"verdict":"stale"}' \
  parse-response --cmd=0x00020003 --seq=14 --hex="$ev14"
expect_out "response: short result is malformed" \
  '{"verdict":"malformed","reason":"result event shorter than 8 bytes"}' \
  parse-response --cmd=0x00020002 --seq=14 --hex="${ev14:0:100}"
expect_out "response: shorter than the RXD is malformed" \
  '{"verdict":"malformed","reason":"event shorter than the RX descriptor"}' \
  parse-response --cmd=0x00020002 --seq=14 --hex=0000
expect_out "response: PATCH_SEM_CONTROL reads byte 40" '{"verdict":"done","status":2}' \
  parse-response --cmd=CMD_PATCH_SEM_CONTROL --seq=14 --hex="${hdr}010e020002000000"

expect_fail "unknown subcommand" "unknown subcommand" frobnicate
expect_fail "unknown flag" "unknown flag --bogus" encode --bogus=1
expect_fail "seq 0 rejected" "--seq must be 1..15" encode --cmd=0x00020002 --seq=0
expect_fail "seq 16 rejected" "--seq must be 1..15" encode --cmd=0x00020002 --seq=16
expect_fail "missing --cmd" "--cmd is required" encode --seq=1
expect_fail "unknown name" "unknown command name" encode --cmd=UNI_NOPE --seq=1
expect_fail "ambiguous bare name" "ambiguous" encode --cmd=BSS_INFO_UPDATE --seq=1
expect_fail "odd hex" "odd number of hex digits" encode --cmd=0x00020002 --seq=1 --payload=abc
expect_fail "non-hex payload" "not a hex digit" encode --cmd=0x00020002 --seq=1 --payload=zz
expect_fail "unknown family" "unknown --family" encode --cmd=0x00020002 --seq=1 --family=mt7615
expect_fail "word with undefined bits" "bits above 20" encode --cmd=0x80020002 --seq=1
expect_fail "decode of a truncated frame" "not an MCU command frame" decode --hex="${bss12:0:90}"
expect_fail "decode of garbage" "not an MCU command frame" decode --hex="$(printf 'ff%.0s' $(seq 64))"
expect_fail "payload too large" "longer than 65535" encode --cmd=0x00020002 --seq=1 \
  --payload="$(head -c 65500 /dev/zero | od -An -v -tx1 | tr -d ' \n')"

echo "cli: ${pass} passed, ${fail} failed"
[[ $fail -eq 0 ]]
