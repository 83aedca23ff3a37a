#!/usr/bin/env bash
# Contract tests for the `connac` CLI: exact output lines, JSON fields and exit codes that
# users and scripts depend on. Each case is one line: description, expectation, command.
set -uo pipefail
connac=${1:?usage: cli_test.sh path/to/connac [path/to/issue-1036.log]}
log1036=${2:-}
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

# ---- connac keys -----------------------------------------------------------------------
keys() { printf "$1" | "$connac" keys --script=- 2>"$errf"; }
z() { printf '%0*d' "$1" 0; }  # N zero hex digits

# Pairwise CCMP, idx 0, default key 10..1f, on link 0's station (wcid 1: wcid 0 is the
# driver's own, mt792x_init_wcid), first seq (1): 48-byte UNI header (TX_BYTES 124, len 92,
# cid 3), sta_req_hdr {bss 0, wcid 1, tlv_num 1, append 1, muar 0}, STA_REC_KEY_V3 {tag 0x27,
# len 68, add 1, tx_key 1, key_type 1, auth 0, peer 02:00:00:00:00:10, bss 0, cipher 4,
# key_id 0, key_len 16, wlan_idx 1, mgmt_prot 1, key, 16 zero, rsc zero} (mt7925_mcu_add_key /
# mt7925_mcu_sta_key_tlv). Before it, the link's first key, the BSS_INFO_UPDATE carrying the
# cipher (mt7925_set_link_key): built by the driver, so shown without a frame.
ptk_frame="7c00004100400000$(z 48)5c00030000a000010000000700000000""0001010001000000""27004400010101000200000000100004001001011011121314151617""18191a1b1c1d1e1f$(z 32)$(z 32)"
got=$(keys 'link add 0\nsta add 0 02:00:00:00:00:10\nkey set pairwise idx=0 cipher=CCMP\n' | tail -1)
want='{"op":"key set pairwise","ret":0,"mcu":[{"cmd":"0x00020002","bss_cipher":true,"link":0,"bss_idx":0,"cipher_id":4},{"cmd":"0x00020003","wcid":1,"add":1,"key_id":0,"cipher_id":4,"hex":"'"$ptk_frame"'"}]}'
if [[ "$got" == "$want" ]]; then pass=$((pass + 1)); echo "ok - keys: pairwise SET frame byte-exact"; else
  fail=$((fail + 1)); echo "not ok - keys: pairwise SET frame byte-exact"; echo "  want: $want"; echo "  got:  $got"; fi

roam='link add 0\nsta add 0 d8:b3:70:f8:9e:7b\nkey set pairwise idx=0 cipher=CCMP\nkey set group idx=1 link=0 cipher=CCMP\nkey set group idx=4 link=0 cipher=BIP-CMAC-128\nlink remove 0\nkey del group idx=1 link=0\nkey del group idx=4 link=0\n'
got=$(keys "$roam" | tail -2 | tr '\n' '|')
want='{"op":"key del group","ret":0,"mcu":[]}|{"op":"key del group","ret":0,"mcu":[]}|'
if [[ "$got" == "$want" ]]; then pass=$((pass + 1)); echo "ok - keys: #1036 removals after link teardown return 0, no MCU traffic"; else
  fail=$((fail + 1)); echo "not ok - keys: #1036 removals"; echo "  got: $got"; fi

# fail=3: the fourth command (link 1's PTK, after BSS 0, PTK 0, BSS 1) is rejected; the
# rollback takes PTK 0 out again.
got=$(keys 'link add 0\nsta add 0 02:00:00:00:00:10\nlink add 1\nsta add 1 02:00:00:00:00:11\nkey set pairwise idx=0 cipher=CCMP fail=3\nreset\n' \
  | tail -2 | sed -E 's/,"hex":"[0-9a-f]+"//g' | tr '\n' '|')
want='{"op":"key set pairwise","ret":-5,"mcu":[{"cmd":"0x00020002","bss_cipher":true,"link":0,"bss_idx":0,"cipher_id":4},{"cmd":"0x00020003","wcid":1,"add":1,"key_id":0,"cipher_id":4},{"cmd":"0x00020002","bss_cipher":true,"link":1,"bss_idx":1,"cipher_id":4},{"cmd":"0x00020003","wcid":2,"add":1,"key_id":0,"cipher_id":4},{"cmd":"0x00020003","wcid":1,"add":0,"key_id":0,"cipher_id":0}]}|{"op":"reset","ret":0,"mcu":[]}|'
if [[ "$got" == "$want" ]]; then pass=$((pass + 1)); echo "ok - keys: failed fan-out rolls back and is not replayed"; else
  fail=$((fail + 1)); echo "not ok - keys: failed fan-out rollback"; echo "  want: $want"; echo "  got:  $got"; fi

got=$(keys 'link add 0\nkey set group idx=1 link=0 cipher=BIP-GMAC-256\nkey set group idx=6 link=0 cipher=BIP-CMAC-128\nkey set group idx=1 link=0 cipher=CCMP key=00\n' | tail -3 | tr '\n' '|')
want='{"op":"key set group","ret":-95,"mcu":[]}|{"op":"key set group","ret":-95,"mcu":[]}|{"op":"key set group","ret":-22,"mcu":[]}|'
if [[ "$got" == "$want" ]]; then pass=$((pass + 1)); echo "ok - keys: unsupported cipher and BIGTK are -EOPNOTSUPP, bad length -EINVAL"; else
  fail=$((fail + 1)); echo "not ok - keys: error codes"; echo "  got: $got"; fi

out=$(keys 'link add 0\nkey set group idx=1 link=0 cipher=CCMP key=8badf00dcafe12348badf00dcafe1234\nreset\n')
if [[ "$out" == *8badf00dcafe1234* ]] && ! sed -E 's/"hex":"[0-9a-f]+"//g' <<<"$out" | grep -q 8badf00d; then
  pass=$((pass + 1)); echo "ok - keys: key bytes appear only inside hex"; else
  fail=$((fail + 1)); echo "not ok - keys: key bytes leaked outside hex"; echo "$out"; fi

# Lines run as they are read (bounded memory): a malformed line stops the script after the
# lines of the operations before it.
printf 'link add 0\nfrobnicate\nlink add 1\n' >"$errf.k"
got=$("$connac" keys --script=/dev/null --script="$errf.k" 2>"$errf"); rc=$?
if [[ $rc -eq 2 && "$got" == '{"op":"link add","ret":0,"mcu":[]}' && $(wc -l <"$errf") -eq 1 &&
      "$(cat "$errf")" == "connac keys: line 2: unknown operation 'frobnicate'" ]]; then
  pass=$((pass + 1)); echo "ok - keys: malformed line names its number, after the lines before it"; else
  fail=$((fail + 1)); echo "not ok - keys: malformed line"; echo "  rc=$rc stdout: $got"; echo "  stderr: $(cat "$errf")"; fi
expect_fail "keys: unknown cipher" "line 1: unknown cipher 'ROT13'" keys --script="$(printf 'key set pairwise idx=0 cipher=ROT13\n' > "$errf.k"; echo "$errf.k")"
expect_fail "keys: group key needs link=" "line 1: link= is required" keys --script="$(printf 'key del group idx=1\n' > "$errf.k"; echo "$errf.k")"
expect_fail "keys: missing script" "cannot read script" keys --script=/nonexistent/script
rm -f "$errf.k"

# ---- connac diagnose ------------------------------------------------------------------
# expect_has DESC STDOUT_SUBSTRING ARGS... : exit 0 and stdout contains each "|"-separated part.
expect_has() {
  local desc=$1 want=$2
  shift 2
  local got rc part ok=1
  got=$("$connac" "$@" 2>"$errf")
  rc=$?
  IFS='|' read -ra parts <<<"$want"
  for part in "${parts[@]}"; do [[ "$got" == *"$part"* ]] || { ok=0; echo "  missing: $part"; }; done
  if [[ $rc -eq 0 && $ok -eq 1 ]]; then
    pass=$((pass + 1)); echo "ok - $desc"
  else
    fail=$((fail + 1)); echo "not ok - $desc"; echo "  rc=$rc"; echo "  got: ${got:0:400}"
  fi
}

expect_fail "diagnose: missing file" "cannot open '/nonexistent/kern.log'" diagnose /nonexistent/kern.log
expect_fail "diagnose: a directory cannot be read" "cannot read" diagnose /
expect_fail "diagnose: unknown flag" "unknown flag --bogus" diagnose --bogus
expect_fail "diagnose: one FILE only" "unexpected argument 'b'" diagnose a b
expect_fail "diagnose: --json takes true or false" "--json must be true or false" diagnose --json=maybe /dev/null
expect_fail "other subcommands still take no positional" "unexpected argument 'foo'" describe foo
expect_has "diagnose: empty input is a clear result" '"code":"nothing_recognised"' diagnose /dev/null --json
if [[ -n "$log1036" ]]; then
  expect_has "diagnose #1036: commands named by the core" \
    '"cmd":"0x00020002","name":"UNI BSS_INFO_UPDATE","seq":12|"cmd":"0x00020003","name":"UNI STA_REC_UPDATE","seq":13|"cmd":"0x00020001","name":"UNI DEV_INFO_UPDATE","seq":1' \
    diagnose "$log1036" --json
  expect_has "diagnose #1036: 5 timeouts, one recovered episode, recovery load" \
    '"episodes":[{"device":"mt7925e 0000:c0:00.0","first_timeout_t":8,"timeouts":5,"fw_reload_t":23,"reconnected_t":null,"verdict":"recovered"|"fw_loads":[{"t":23,"line":15,"device":"mt7925e 0000:c0:00.0","kind":"recovery","build":"20250721232943"' \
    diagnose "$log1036" --json
  expect_has "diagnose #1036: -22 key removals and cfg80211 lines explained" \
    '"op":"remove","idx":1,"key":"GTK","addr":"ff:ff:ff:ff:ff:ff","err":-22,"errno":"EINVAL"|"code":"key_remove_failed"|"code":"cfg80211_link_id_required"|"code":"cfg80211_bss_for_link"|"code":"timeouts_before_reset"' \
    diagnose "$log1036" --json
  want_json=$("$connac" diagnose "$log1036" --json 2>/dev/null)
  got=$("$connac" diagnose - --json=true <"$log1036" 2>/dev/null)
  if [[ -n "$want_json" && "$got" == "$want_json" ]]; then pass=$((pass + 1)); echo "ok - diagnose: stdin and --json=true give the same JSON"; else
    fail=$((fail + 1)); echo "not ok - diagnose: stdin and --json=true"; fi
  got=$("$connac" diagnose --json=false <"$log1036" 2>/dev/null | head -1)
  if [[ "$got" == "connac diagnose: 20 lines, 18 recognised, 1 device" ]]; then pass=$((pass + 1)); echo "ok - diagnose: text report by default (stdin)"; else
    fail=$((fail + 1)); echo "not ok - diagnose: text report"; echo "  got: $got"; fi
fi

# ---- connac simulate -------------------------------------------------------------------
sim_json=$("$connac" simulate --scenario=mlo-roam-hang --policy=connac --json 2>"$errf")
field() { sed -n "s/.*\"$1\":\([^,]*\),.*/\1/p" <<<"$2"; }
if [[ "$(field timeouts_paid "$sim_json")" == 1 && "$(field final_state "$sim_json")" == '"RUNNING"' \
      && "$(field keys_lost "$sim_json")" == 0 && "$(field stale_keys "$sim_json")" == 0 \
      && "$sim_json" == *'"first_unanswered_ms":'* && "$sim_json" == *'"outage_ms":'* \
      && "$sim_json" == *'"timeline":['* ]]; then
  pass=$((pass + 1)); echo "ok - simulate: mlo-roam-hang JSON fields (connac: one timeout, RUNNING, no lost keys)"
else
  fail=$((fail + 1)); echo "not ok - simulate: mlo-roam-hang JSON fields"; echo "  got: ${sim_json:0:300}"
fi
mt=$("$connac" simulate --scenario=mlo-roam-hang --policy=mt76 --json 2>"$errf")
if [[ "$(field timeouts_paid "$mt")" == 5 ]]; then
  pass=$((pass + 1)); echo "ok - simulate: the mt76 policy pays the five #1036 timeouts"
else
  fail=$((fail + 1)); echo "not ok - simulate: mt76 timeouts"; echo "  got: ${mt:0:300}"
fi
rig_note=$("$connac" simulate --scenario=roam-hang --policy=mt76 2>"$errf" | grep '^  calibration: ')
if [[ "$rig_note" == *"timing from the rig (stock 6.12 mt7925u"* && "$sim_json" == *'"calibration":"timing from #1036'* ]]; then
  pass=$((pass + 1)); echo "ok - simulate: the calibration note names the rig (roam-hang) and #1036 (mlo-roam-hang)"
else
  fail=$((fail + 1)); echo "not ok - simulate: calibration note"; echo "  got: ${rig_note:0:200}"
fi
expect_fail "simulate: unknown scenario" "unknown --scenario 'nope'" simulate --scenario=nope
expect_fail "simulate: unknown policy" "--policy must be connac or mt76" simulate --scenario=fw-assert --policy=iwlwifi
expect_fail "simulate: probe is a connac option" "--probe is a connac policy option" simulate --scenario=fw-assert --policy=mt76 --probe=true
expect_fail "simulate: scenario required" "--scenario is required" simulate

# ---- Bad-input table (docs/cli.md) -----------------------------------------------------
# Each row: description, expected exit code (2 bad input, 1 output not written), a string
# stderr must contain, and the command (run by bash; $c is the binary, $t a scratch dir).
# Every row also checks the error contract: exactly one stderr line of at most 200 bytes,
# valid UTF-8 with no control bytes, and, for exit 2, nothing on stdout.
t=$(mktemp -d "${TEST_TMPDIR:-/tmp}/cli_bad.XXXXXX")
trap 'rm -f "$errf" "$errf.k"; rm -rf "$t"' EXIT
skipped=0
# A sanitizer runtime reserves terabytes of address space, so `ulimit -v` cannot apply to it.
sanitized=0
if grep -qa -e __asan_init -e __tsan_init "$connac"; then sanitized=1; fi
# The limit for the bounded-memory rows: the tool needs a few MB; reading the input whole
# (as it once did) needs several times the input.
memlimit="ulimit -v 262144"  # 256 MiB of address space
printf 'x%.0s' $(seq 4000) >"$t/line4k"
for _ in $(seq 750); do cat "$t/line4k"; done >"$t/line3m"  # one 3 MB line
printf '\n' >>"$t/line3m"
bad() {
  local desc=$1 want_rc=$2 want=$3 cmd=$4 got rc err len
  got=$(c=$connac t=$t bash -c "$cmd" 2>"$errf")
  rc=$?
  err=$(cat "$errf")
  len=$(wc -c <"$errf")
  local why=()
  [[ $rc -eq $want_rc ]] || why+=("rc=$rc, want $want_rc")
  [[ $(wc -l <"$errf") -eq 1 && $(tail -c 1 "$errf" | od -An -c | tr -d ' ') == '\n' ]] ||
    why+=("stderr is not one line")
  [[ $len -le 200 ]] || why+=("stderr is $len bytes")
  LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$errf" && why+=("raw control byte on stderr")
  iconv -f UTF-8 -t UTF-8 "$errf" >/dev/null 2>&1 || why+=("stderr is not valid UTF-8")
  [[ "$err" == *"$want"* ]] || why+=("stderr lacks: $want")
  [[ $want_rc -ne 2 || -z "$got" ]] || why+=("stdout not empty")
  if [[ ${#why[@]} -eq 0 ]]; then
    pass=$((pass + 1)); echo "ok - bad input: $desc"
  else
    fail=$((fail + 1)); echo "not ok - bad input: $desc"; printf '  %s\n' "${why[@]}"
    echo "  stderr: $(head -c 300 "$errf" | od -An -c | head -4 | tr -s ' ')"
  fi
}
bad "flag without value at the end" 2 "--seq needs a value" '"$c" encode --cmd=0x00020002 --seq'
bad "flag followed by another flag" 2 "--seq needs a value" '"$c" encode --seq --cmd=0x00020002'
bad "value-less --script" 2 "--script needs a value" '"$c" keys --script'
bad "keys: script is a directory" 2 "': Is a directory" '"$c" keys --script="$t"'
bad "keys: --script=- with stdin closed" 2 "cannot read script '<stdin>': Bad file descriptor" \
  '"$c" keys --script=- <&-'
bad "keys: a 3 MB bad line is quoted, not echoed" 2 "line 1: longer than 4096 bytes: 'xxxxxxxx" \
  '"$c" keys --script="$t/line3m"'
bad "keys: a 3 MB bad line from stdin" 2 "line 1: longer than 4096 bytes: 'xxx" \
  '"$c" keys --script=- <"$t/line3m"'
if [[ $sanitized -eq 0 ]]; then
  bad "keys: /dev/zero under a 256 MiB limit" 2 "line 1: longer than 4096 bytes: '\\x00\\x00" \
    "$memlimit; timeout 60 \"\$c\" keys --script=/dev/zero"
  # 128 MiB of comments, then one operation: streamed, it runs; read whole, it cannot fit.
  got=$( (eval "$memlimit"; yes '# padding padding padding padding padding padding padding' |
    head -c 134217728; printf '\nkey set pairwise idx=0 cipher=ROT13\n') |
    (eval "$memlimit"; timeout 120 "$connac" keys --script=-) 2>"$errf")
  rc=$?
  if [[ $rc -eq 2 && -z "$got" && "$(cat "$errf")" == "connac keys: line 2314100: unknown cipher 'ROT13'" ]]; then
    pass=$((pass + 1)); echo "ok - bad input: keys streams 128 MiB under a 256 MiB limit"; else
    fail=$((fail + 1)); echo "not ok - bad input: keys streams 128 MiB under a 256 MiB limit"
    echo "  rc=$rc stderr: $(head -c 300 "$errf")"; fi
else
  bad "keys: /dev/zero (no memory limit under a sanitizer)" 2 "line 1: longer than 4096 bytes" \
    'timeout 60 "$c" keys --script=/dev/zero'
  skipped=$((skipped + 1)); echo "skip - bad input: keys streams 128 MiB under a 256 MiB limit (ulimit -v and a sanitizer runtime do not mix)"
fi
bad "CR in a script line is escaped" 2 "line 2: unknown operation 'frob\\rnicate'" \
  'printf "link add 0\nfrob\rnicate now\n" | "$c" keys --script=- >/dev/null'
bad "invalid UTF-8 in --cmd is escaped" 2 "unknown command name '\\xff\\xfeA'" \
  '"$c" encode --cmd=$'"'"'\xff\xfeA'"'"' --seq=1'
bad "terminal escape and bidi override in --cmd are escaped" 2 "'\\x1b[31mX\\u202e'" \
  '"$c" describe --cmd=$'"'"'\e[31mX\xe2\x80\xae'"'"''
bad "a 3000-byte --cmd is cut" 2 "unknown command name 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA...'" \
  '"$c" encode --cmd=$(printf "A%.0s" $(seq 3000)) --seq=1'
bad "non-hex byte in --hex is escaped" 2 "--hex: '\\xff' at offset 2 is not a hex digit" \
  '"$c" decode --hex=$'"'"'00\xff'"'"''
bad "CR after --seq is not a number" 2 "--seq must be 1..15 (4-bit, 0 is never used), got '12\\r'" \
  '"$c" encode --cmd=0x00020002 --seq=$'"'"'12\r'"'"''
bad "CR after --seed is not a number" 2 "--seed must be a number, got '7\\r'" \
  '"$c" simulate --scenario=fw-assert --seed=$'"'"'7\r'"'"''
bad "unknown subcommand is quoted, escaped" 2 "connac: unknown subcommand 'fro\\x1b'" \
  '"$c" $'"'"'fro\e'"'"''
bad "no subcommand: one line, not the usage" 2 "connac: missing subcommand" '"$c"'
bad "unknown flag name is escaped" 2 "unknown flag --\\r" '"$c" encode --$'"'"'\r'"'"'=1'
bad "diagnose: invalid UTF-8 path is escaped" 2 "cannot open '\\xff\\r': No such file" \
  '"$c" diagnose $'"'"'\xff\r'"'"''
bad "keys: a key without key= is not echoed" 2 "unexpected hex word in 'key set pairwise' (a key needs key=)" \
  'echo "key set pairwise idx=0 cipher=CCMP 8badf00dcafe12348badf00dcafe1234" | "$c" keys --script=-'
bad "encode to a full disk" 1 "connac encode: cannot write output: No space left on device" \
  '"$c" encode --cmd=0x00020002 --seq=1 >/dev/full'
bad "decode to a full disk" 1 "connac decode: cannot write output" '"$c" decode --hex='"$bss12"' >/dev/full'
bad "parse-response to a full disk" 1 "connac parse-response: cannot write output" \
  '"$c" parse-response --cmd=0x00020002 --seq=14 --hex=0000 >/dev/full'
bad "describe to a full disk" 1 "connac describe: cannot write output" '"$c" describe --cmd=1 >/dev/full'
bad "keys to a full disk" 1 "connac keys: cannot write output" \
  'echo "link add 0" | "$c" keys --script=- >/dev/full'
bad "diagnose to a full disk" 1 "connac diagnose: cannot write output" \
  '"$c" diagnose /dev/null >/dev/full'
bad "simulate to a full disk" 1 "connac simulate: cannot write output" \
  '"$c" simulate --scenario=fw-assert --json >/dev/full'
bad "--help to a full disk" 1 "cannot write output" '"$c" --help >/dev/full'
bad "stdout closed" 1 "connac describe: cannot write output: Bad file descriptor" \
  '"$c" describe --cmd=1 >&-'

echo "cli: ${pass} passed, ${fail} failed, ${skipped} skipped"
[[ $fail -eq 0 ]]
