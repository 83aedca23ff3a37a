#!/usr/bin/env bash
# The rig's scenario runner (issues 13 and 14).
#
#   rig/run.sh [SCENARIO] [DRIVER]     DRIVER: stock (default) | connac
#
# Builds what it needs (host packages, guest kernel + userland, vmt7925, rigprobe,
# rig_report, the connac CLI), then boots the guest under QEMU/TCG with a hard timeout and
# runs the scenarios (all under rig/scenarios/ when SCENARIO is empty) one after the other in
# that guest, each on a fresh virtual MT7925 (the driver probes it anew). If the guest dies
# or times out in the middle, that scenario fails and the rest run in a new boot. Per
# scenario: build/rig/<scenario>.<driver>.json (report), .log (guest kernel log), .console,
# and one summary line. Exit 0 when every scenario passed, 1 when one failed, 2 on bad
# arguments.
set -uo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-}
driver=${2:-stock}
BAZEL=${BAZEL:-bazel}
SMP=${RIG_SMP:-2}
out=build/rig
mkdir -p "$out"

# ---------------------------------------------------------------- the driver under test
# The one place a driver is plugged in (its module tree is made after the build, below). A driver is the
# module tree the guest loads mt7925u from: the stock one is Debian's own (the image's
# modules, unchanged); connac is that tree with the connac-mt7925 DKMS package's modules in
# updates/ (rig/guest/connac-modules.sh sets RIG_MODULES_ROOT for mkinitramfs.sh).
case "$driver" in
  stock | connac) ;;
  *) echo "rig: unknown DRIVER '$driver' (stock|connac)" >&2; exit 2 ;;
esac

if [[ -n "$scenario" && ! -f "rig/scenarios/$scenario/guest.sh" ]]; then
  echo "rig: unknown scenario '$scenario' (have: $(cd rig/scenarios && ls -d */ | tr -d / | tr '\n' ' '))" >&2
  exit 2
fi

# Seconds since $1 (a `date +%s.%N` stamp), one decimal.
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
t_build=$(date +%s.%N)
rig/guest/setup.sh || { echo "rig: host setup failed" >&2; exit 1; }
release=$(rig/guest/fetch.sh | tail -n 1) || { echo "rig: fetching the guest failed" >&2; exit 1; }
targets=(//rig/vmt7925:vmt7925 //rig/probe:rigprobe //rig/report:rig_report //tools:connac)
$BAZEL build "${targets[@]}" >"$out/bazel-build.log" 2>&1 ||
  { tail -n 30 "$out/bazel-build.log"; echo "rig: building the rig's tools failed" >&2; exit 1; }
bin="$($BAZEL info bazel-bin 2>/dev/null)"
vmt="$bin/rig/vmt7925/vmt7925"
probe="$bin/rig/probe/rigprobe"
report="$bin/rig/report/rig_report"
connac="$bin/tools/connac"
kernel="$out/kernel/$release/boot/vmlinuz-$release"
# DRIVER=connac: the guest loads connac_core.ko and the patched mt7925 stack (issue 15).
if [[ "$driver" == connac ]]; then
  RIG_MODULES_ROOT=$(rig/guest/connac-modules.sh "$release" | tail -n 1) ||
    { echo "rig: the connac-mt7925 modules are not available" >&2; exit 1; }
  export RIG_MODULES_ROOT
fi
export RIG_DRIVER=$driver
echo "rig: kernel $release ($(cat "$out/kernel-version")), build/fetch $(since "$t_build") s"

# Splits one boot's result stream (ttyS1) by scenario ("S <name>" lines) into
# $out/run.<name>.<driver>/: timeline, results, sections.
parse_stream() {  # STREAM
  awk -v base="$out/run." -v drv=".$driver" '
    { sub(/\r$/, "") }
    /^S / { dir = ($2 == "-") ? "" : base $2 drv; sec = ""; next }
    dir == "" { next }
    /^== end/ { sec = ""; next }
    /^== / { sec = $2; next }
    sec != "" { print > (dir "/" sec); next }
    /^T / { print $2 "\t" substr($0, index($0, $3)) > (dir "/timeline"); next }
    /^R / { k = $2; v = substr($0, length($1) + length($2) + 3); print k "\t" v > (dir "/results"); next }
  ' "$1"
}
res() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print v }' "$2/results" 2>/dev/null; }
dev() { sed -n "s/^$1=//p" "$2/device" 2>/dev/null | head -n 1; }
timeout_of() { cat "rig/scenarios/$1/files/timeout" 2>/dev/null || echo 110; }

# Boots the guest once for the scenarios given, in order. Sets `finished` (those that ran to
# their end) and `died_in` (the one running when the guest stopped, if any); scenarios after
# those did not begin and are left for the next boot.
boot_no=0
run_boot() {
  boot_no=$((boot_no + 1))
  local boot="$out/boot.$boot_no.$driver" dirs=() n limit=60
  rm -rf "$boot" && mkdir -p "$boot"
  for n in "$@"; do
    rm -rf "$out/run.$n.$driver" && mkdir -p "$out/run.$n.$driver"
    dirs+=("rig/scenarios/$n")
    limit=$((limit + $(timeout_of "$n") + 15))
  done
  if ! rig/guest/mkinitramfs.sh "$release" "$vmt" "$probe" "$boot/initrd.cpio" "${dirs[@]}"; then
    finished=() died_in=$1
    echo "initramfs" >"$out/run.$1.$driver/died"
    return
  fi
  local t0; t0=$(date +%s.%N)
  timeout -k 5 "${RIG_TIMEOUT:-$limit}" qemu-system-x86_64 -accel tcg -cpu "${RIG_CPU:-max}" -smp "$SMP" \
    -m 1024 -no-reboot -display none -monitor none -nic none \
    -serial "file:$boot/console.txt" -serial "file:$boot/stream.txt" \
    -kernel "$kernel" -initrd "$boot/initrd.cpio" \
    -append "console=ttyS0 loglevel=4 panic=-1 oops=panic ${BOOT_APPEND:-} ${RIG_APPEND:-}" >"$boot/qemu.txt" 2>&1
  local qrc=$?
  echo "rig: boot $boot_no ($*): guest ran $(since "$t0") s, qemu exit $qrc"
  parse_stream "$boot/stream.txt"
  finished=() died_in=
  local prev=""
  for n in "$@"; do
    local w="$out/run.$n.$driver"
    # This scenario's part of the console: from its begin mark (the first one: from boot).
    awk -v n="$n" -v first="$([[ -z $prev ]] && echo 1)" '
      { sub(/\r$/, "") }
      $0 == "rig: scenario-begin " n { on = 1 }
      on || first { print }
      $0 == "rig: scenario-end " n { exit }' "$boot/console.txt" >"$w/console.txt"
    prev=$n
    if grep -q "scenario-end $n\$" "$w/timeline" 2>/dev/null; then
      finished+=("$n")
      continue
    fi
    # Not begun (the guest stopped before it, e.g. after a failed teardown): the next boot
    # runs it, unless nothing at all ran in this one.
    if ! grep -q "scenario-begin $n\$" "$w/timeline" 2>/dev/null && [[ ${#finished[@]} -gt 0 ]]; then
      break
    fi
    died_in=$n
    if [[ $qrc -eq 124 || $qrc -eq 137 ]]; then echo "timeout after ${RIG_TIMEOUT:-$limit}s" >"$w/died"
    else echo "the guest stopped in this scenario (qemu exit $qrc)" >"$w/died"; fi
    # No kernel log section came out: keep the console's kernel lines instead.
    [[ -f "$w/dmesg" ]] || cp "$boot/console.txt" "$w/dmesg"
    break
  done
}

# The report of one scenario, its pass criteria and the summary line.
finish_one() {
  local name=$1 tag="$1.$driver"
  local work="$out/run.$tag"
  cp "$work/dmesg" "$out/$tag.log" 2>/dev/null || : >"$out/$tag.log"
  cp "$work/console.txt" "$out/$tag.console" 2>/dev/null || : >"$out/$tag.console"

  local fails=() retried=""
  [[ -f "$work/died" ]] && fails+=("$(cat "$work/died")")
  [[ -f "$out/retry.$tag" ]] && retried=$(cat "$out/retry.$tag")
  local assoc cipher sent recv
  assoc=$(res associated "$work"); cipher=$(res cipher "$work")
  sent=$(res ping_sent "$work"); recv=$(res ping_received "$work")
  local pw grp keys enc dec nokey mcu
  pw=$(dev keys_pairwise "$work"); grp=$(dev keys_group "$work"); keys=$(dev keys_installed "$work")
  enc=$(dev frames_encrypted "$work"); dec=$(dev frames_decrypted "$work")
  nokey=$(dev frames_dropped_nokey "$work"); mcu=$(dev mcu_commands "$work")
  # Kernel warnings: every WARNING/BUG/Oops line, minus those a scenario lists in its
  # known-warnings file (one extended regex per line: stock-driver findings, docs/rig.md).
  local warns known=0
  warns=$(grep -cE 'WARNING:|BUG:|Oops|kernel BUG' "$out/$tag.log" 2>/dev/null)
  if [[ -f "rig/scenarios/$name/known-warnings" ]]; then
    known=$(grep -E 'WARNING:|BUG:|Oops|kernel BUG' "$out/$tag.log" 2>/dev/null |
      grep -cEf <(grep -v '^#' "rig/scenarios/$name/known-warnings"))
    warns=$((warns - known))
  fi

  # The outage part of the report (rig/report: timeline, outage, timeouts, reloads, ...).
  local outage="$work/outage.json"
  if ! "$report" --dir "$work" --scenario "$name" >"$outage" 2>"$work/report.err"; then
    fails+=("rig_report: $(head -n 1 "$work/report.err")")
    echo '{}' >"$outage"
  fi
  q() { jq -r "$@" "$outage"; }

  # links (issue 16): one entry per link active and connected at the end, from the device's
  # `link bss=N ...` status lines (vmt7925 status): band (GHz), BSSID, keys, frames decrypted.
  local links_list='[]'
  if [[ -f "$work/device" ]]; then
    links_list=$(grep '^link ' "$work/device" | sed 's/^link //' | jq -R -s 'split("\n") |
      map(select(length > 0) | split(" ") | map(split("=") | {(.[0]): .[1]}) | add
        | select(.active == "1" and .connected == "1")
        | def n: if . == null or . == "-" then null else tonumber end;
          {link_id: (.link_id | n), bss: (.bss | n),
           band: ({"2g": "2.4", "5g": "5", "6g": "6"}[.band] // null),
           freq: (.freq | n), channel: (.channel | n), bssid, mld_addr, own,
           keys_installed: (.keys | n), keys_pairwise: (.keys_pairwise | n),
           keys_group: (.keys_group | n), frames_decrypted: (.frames_decrypted | n),
           frames_encrypted: (.frames_encrypted | n)})')
  fi
  if [[ -f "rig/scenarios/$name/expect.sh" ]]; then
    # shellcheck source=/dev/null
    . "rig/scenarios/$name/expect.sh"
  fi
  [[ "${warns:-0}" -eq 0 ]] || fails+=("kernel log has $warns WARN/BUG lines")
  # The core's decoder and key encoder must agree with what the real driver sent.
  # (Without the device's status the scenario has already failed: nothing to compare.)
  if [[ -f "$work/device" ]]; then
    [[ "$(dev mcu_malformed "$work")" == 0 ]] ||
      fails+=("$(dev mcu_malformed "$work") MCU frames rejected by connac::DecodeFrame")
    [[ "$(dev key_frames_core_mismatch "$work")" == 0 ]] ||
      fails+=("KEY_V3 frames differ from connac::EncodeKeyAction (vmt7925-log)")
  fi
  # Every report is complete: the outage fields are there (null only where the report says
  # why: no fault, or traffic never came back).
  local f
  for f in outage_ms mcu_timeouts fw_reloads reassociated final_state timeline; do
    [[ "$(q "has(\"$f\")")" == true ]] || fails+=("report field $f missing")
  done
  # Cross-check: `connac diagnose` on the guest kernel log finds the same MCU timeouts (command
  # and seq, in order) and firmware reloads as the report.
  local diag="$work/diagnose.json"
  if "$connac" diagnose --json "$out/$tag.log" >"$diag" 2>"$work/diagnose.err"; then
    local d_to r_to d_rl r_rl
    d_to=$(jq -c '[.mcu_timeouts[] | [.cmd, .seq]]' "$diag")
    r_to=$(q '[.mcu_timeout_list[]? | [.cmd, .seq]]' | jq -c .)
    d_rl=$(jq '[.fw_loads[] | select(.kind != "boot")] | length' "$diag")
    r_rl=$(q '.fw_reloads // 0')
    [[ "$d_to" == "$r_to" ]] ||
      fails+=("diagnose found MCU timeouts $d_to, the report $r_to")
    [[ "$d_rl" == "$r_rl" ]] ||
      fails+=("diagnose found $d_rl firmware reloads, the report $r_rl")
  else
    fails+=("connac diagnose failed: $(head -n 1 "$work/diagnose.err")")
  fi
  local passed=true
  [[ ${#fails[@]} -eq 0 ]] || passed=false

  local mcu_by_name='{}'
  if [[ -f "$work/device" ]]; then
    mcu_by_name=$(sed -n 's/^mcu \([^=]*\)=\([0-9]*\)$/\1\t\2/p' "$work/device" |
      jq -R -s 'split("\n") | map(select(length > 0) | split("\t") | {(.[0]): (.[1] | tonumber)}) | add // {}')
  fi
  local keys_list='[]'
  if [[ -f "$work/device" ]]; then
    keys_list=$(grep '^key ' "$work/device" | sed 's/^key //' | jq -R -s 'split("\n") |
      map(select(length > 0) | split(" ") | map(split("=") | {(.[0]): .[1]}) | add)')
  fi
  local secs
  secs=$(awk -F'\t' '$2 ~ /^scenario-begin / { a = $1 } $2 ~ /^scenario-end / { b = $1 }
    END { if (a != "" && b != "") printf "%.1f", (b - a) / 1000; else print "null" }' \
    "$work/timeline" 2>/dev/null)
  num() { [[ "${1:-}" =~ ^[0-9]+$ ]] && echo "$1" || echo null; }
  jq -n \
    --arg scenario "$name" --arg driver "$driver" --arg kernel "$(res kernel "$work")" \
    --argjson associated "$([[ "$assoc" == true ]] && echo true || echo false)" \
    --arg cipher "$cipher" --arg group_cipher "$(res group_cipher "$work")" \
    --argjson ping_sent "$(num "$sent")" --argjson ping_received "$(num "$recv")" \
    --argjson mcu "$(num "$mcu")" --argjson keys "$(num "$keys")" \
    --argjson pw "$(num "$pw")" --argjson grp "$(num "$grp")" \
    --argjson enc "$(num "$enc")" --argjson dec "$(num "$dec")" --argjson nokey "$(num "$nokey")" \
    --argjson mic "$(num "$(dev frames_dropped_mic "$work")")" \
    --argjson txs "$(num "$(dev txs_sent "$work")")" \
    --argjson malformed "$(num "$(dev mcu_malformed "$work")")" \
    --argjson kmatch "$(num "$(dev key_frames_core_match "$work")")" \
    --argjson kmismatch "$(num "$(dev key_frames_core_mismatch "$work")")" \
    --argjson resets "$(num "$(dev wfsys_resets "$work")")" \
    --argjson fwstarts "$(num "$(dev fw_starts "$work")")" \
    --argjson by_name "$mcu_by_name" --argjson key_list "$keys_list" --argjson links "$links_list" \
    --argjson passed "$passed" --arg retried "$retried" \
    --argjson warns "${warns:-0}" --argjson known "${known:-0}" --argjson secs "$secs" \
    --arg fails "$(printf '%s\n' "${fails[@]}")" --slurpfile o "$outage" '
    {scenario: $scenario, driver: $driver, kernel: $kernel, associated: $associated,
     cipher: $cipher, group_cipher: $group_cipher,
     ping_sent: $ping_sent, ping_received: $ping_received,
     device: {mcu_commands: $mcu, keys_installed: $keys, keys_pairwise: $pw, keys_group: $grp,
              frames_encrypted: $enc, frames_decrypted: $dec, frames_dropped_nokey: $nokey,
              frames_dropped_mic: $mic, txs_sent: $txs, mcu_malformed: $malformed,
              key_frames_core_match: $kmatch, key_frames_core_mismatch: $kmismatch,
              wfsys_resets: $resets, fw_starts: $fwstarts,
              keys: $key_list, mcu_by_name: $by_name},
     links: $links,
     kernel_warnings: $warns, kernel_warnings_known: $known, passed: $passed,
     failures: ($fails | split("\n") | map(select(length > 0))),
     duration_s: $secs, retried_after: (if $retried == "" then null else $retried end)}
     + $o[0]' >"$out/$tag.json"

  local fig
  fig=$(jq -r '"outage_ms=\(.outage_ms) mcu_timeouts=\(.mcu_timeouts) fw_reloads=\(.fw_reloads) reassociated=\(.reassociated) final_state=\(.final_state)"' "$out/$tag.json")
  [[ -z "$retried" ]] || fig="$fig (second boot; first: $retried)"
  if $passed; then
    echo "rig $name $driver: PASS associated=$assoc cipher=$cipher $fig mcu=$mcu (${secs%.*} s)"
    return 0
  fi
  echo "rig $name $driver: FAIL ($(IFS=';'; echo "${fails[*]}")) associated=$assoc $fig (${secs%.*} s)"
  echo "--- console tail ($out/$tag.console)"
  tail -n 40 "$work/console.txt" 2>/dev/null
  return 1
}

# Every scenario, those that leave the driver untouched first (they share a boot); the
# others follow in this order, then any other scenario directory alphabetically.
order=(assoc-wpa2 roam-clean slow-alive roam-hang roam-hang-reset-fails idle-hang assert
       hypothesis-strict-roam reset-smoke fw-never-back)
if [[ -n "$scenario" ]]; then
  names=("$scenario")
else
  names=()
  for n in "${order[@]}"; do [[ -f "rig/scenarios/$n/guest.sh" ]] && names+=("$n"); done
  for d in rig/scenarios/*/; do
    n=$(basename "$d")
    [[ " ${names[*]} " == *" $n "* ]] || names+=("$n")
  done
fi
rc=0 npass=0 nfail=0 nskip=0
# files/drivers: the drivers a scenario is meant for (e.g. roam-hang-probe: connac; the stock
# driver has no probe). Others skip it, reported as skipped.
# files/requires: what a scenario needs that a fresh machine does not have (`hostapd-mld`: an
# AP MLD hostapd, which Debian does not ship, given as RIG_HOSTAPD_MLD, docs/rig.md MLO).
# Without it the scenario is skipped, also when it is named alone: never passed, never failed.
missing_need() {  # SCENARIO: prints the skip reason, if any
  local f="rig/scenarios/$1/files/requires" w
  [[ -f $f ]] || return 0
  for w in $(grep -v '^#' "$f"); do
    case "$w" in
      hostapd-mld)
        [[ -n "${RIG_HOSTAPD_MLD:-}" ]] ||
          { echo "needs an AP MLD hostapd (RIG_HOSTAPD_MLD, docs/rig.md MLO)"; return 0; } ;;
      *) echo "needs '$w' (unknown requirement in files/requires)"; return 0 ;;
    esac
  done
}
kept=()
for n in "${names[@]}"; do
  f="rig/scenarios/$n/files/drivers"
  if [[ -z "$scenario" && -f $f ]] && ! grep -qw -- "$driver" "$f"; then
    echo "rig $n $driver: skip - meant for $(tr '\n' ' ' <"$f")only"
    nskip=$((nskip + 1))
    continue
  fi
  why=$(missing_need "$n")
  if [[ -n "$why" ]]; then
    echo "rig $n $driver: skip - $why"
    nskip=$((nskip + 1))
    continue
  fi
  kept+=("$n")
done
names=("${kept[@]}")
remaining=("${names[@]}")
for n in "${names[@]}"; do
  rm -rf "$out/retry.$n.$driver" "$out/$n.$driver.attempt1.log" "$out/run.$n.$driver.attempt1"
done
# A scenario with files/cmdline (kernel parameters, e.g. slub_debug) boots alone with them;
# the others share boots.
cmdline_of() { cat "rig/scenarios/$1/files/cmdline" 2>/dev/null; }
while [[ ${#remaining[@]} -gt 0 ]]; do
  batch=()
  if [[ -n "$(cmdline_of "${remaining[0]}")" ]]; then
    batch=("${remaining[0]}")
  else
    for n in "${remaining[@]}"; do
      [[ -z "$(cmdline_of "$n")" ]] || break
      batch+=("$n")
    done
  fi
  BOOT_APPEND=$(cmdline_of "${batch[0]}") run_boot "${batch[@]}"
  done_now=("${finished[@]}")
  # A guest killed by a kernel oops (the emulated USB stack under TCG has produced a few, in
  # stock and patched mt76-usb alike: docs/rig.md "Driver findings") gets that scenario one
  # more boot. The first attempt's files stay (run.<name>.<driver>.attempt1, .attempt1.log)
  # and the report says so (retried_after); a second death fails it.
  if [[ -n "$died_in" && ! -f "$out/retry.$died_in.$driver" ]] &&
    oops=$(grep -m1 -E 'BUG: |Oops: |Kernel panic' "$out/run.$died_in.$driver/console.txt" 2>/dev/null); then
    echo "rig: $died_in $driver: the guest died (${oops#*] }); one more boot for it"
    rm -rf "$out/run.$died_in.$driver.attempt1"
    mv "$out/run.$died_in.$driver" "$out/run.$died_in.$driver.attempt1"
    cp "$out/run.$died_in.$driver.attempt1/console.txt" "$out/$died_in.$driver.attempt1.log"
    echo "guest died: ${oops#*] }" >"$out/retry.$died_in.$driver"
    died_in=
  fi
  [[ -n "$died_in" ]] && done_now+=("$died_in")
  for n in "${done_now[@]}"; do
    if finish_one "$n"; then npass=$((npass + 1)); else nfail=$((nfail + 1)); rc=1; fi
  done
  next=()
  for n in "${remaining[@]}"; do
    [[ " ${done_now[*]} " == *" $n "* ]] || next+=("$n")
  done
  remaining=("${next[@]}")
done
echo "rig: $npass passed, $nfail failed, $nskip skipped ($(since "$t_build") s in all)"
exit $rc
