#!/usr/bin/env bash
# The rig's scenario runner (issue 13).
#
#   rig/run.sh [SCENARIO] [DRIVER]     DRIVER: stock (default) | connac
#
# Builds what it needs (host packages, guest kernel + userland, vmt7925), then for each
# scenario (all under rig/scenarios/ when SCENARIO is empty) boots the guest under QEMU/TCG with
# a hard timeout and writes build/rig/<scenario>.<driver>.json (report) and
# build/rig/<scenario>.<driver>.log (guest kernel log), and prints one summary line each.
# Exit 0 when every scenario passed, 1 when one failed, 2 on bad arguments.
set -uo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-}
driver=${2:-stock}
BAZEL=${BAZEL:-bazel}
TIMEOUT=${RIG_TIMEOUT:-150}
SMP=${RIG_SMP:-1}
out=build/rig
mkdir -p "$out"

case "$driver" in
  stock | connac) ;;
  *) echo "rig: unknown DRIVER '$driver' (stock|connac)" >&2; exit 2 ;;
esac
if [[ -n "$scenario" && ! -f "rig/scenarios/$scenario/guest.sh" ]]; then
  echo "rig: unknown scenario '$scenario' (have: $(ls rig/scenarios | tr '\n' ' '))" >&2
  exit 2
fi

# Seconds since $1 (a `date +%s.%N` stamp), one decimal.
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
t_build=$(date +%s.%N)
rig/guest/setup.sh || { echo "rig: host setup failed" >&2; exit 1; }
release=$(rig/guest/fetch.sh | tail -n 1) || { echo "rig: fetching the guest failed" >&2; exit 1; }
$BAZEL build //rig/vmt7925:vmt7925 >"$out/bazel-build.log" 2>&1 ||
  { tail -n 30 "$out/bazel-build.log"; echo "rig: building vmt7925 failed" >&2; exit 1; }
vmt="$($BAZEL info bazel-bin 2>/dev/null)/rig/vmt7925/vmt7925"
kernel="$out/kernel/$release/boot/vmlinuz-$release"
# DRIVER=connac: the guest loads connac_core.ko and the patched mt7925 stack (issue 15).
if [[ "$driver" == connac ]]; then
  RIG_MODULES_ROOT=$(rig/guest/connac-modules.sh "$release" | tail -n 1) ||
    { echo "rig: the connac-mt7925 modules are not available" >&2; exit 1; }
  export RIG_MODULES_ROOT
fi
export RIG_DRIVER=$driver
echo "rig: kernel $release ($(cat "$out/kernel-version")), build/fetch $(since "$t_build") s"

# Splits the guest's result stream (ttyS1) into: timeline, results, sections.
parse_stream() {  # STREAM DIR
  awk -v dir="$2" '
    { sub(/\r$/, "") }
    /^== end/ { sec = ""; next }
    /^== / { sec = $2; next }
    sec != "" { print > (dir "/" sec); next }
    /^T / { print $2 "\t" substr($0, index($0, $3)) > (dir "/timeline"); next }
    /^R / { k = $2; v = substr($0, length($1) + length($2) + 3); print k "\t" v > (dir "/results"); next }
  ' "$1"
}
res() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print v }' "$2/results" 2>/dev/null; }
dev() { sed -n "s/^$1=//p" "$2/device" 2>/dev/null | head -n 1; }

run_one() {
  local name=$1 tag="$1.$driver"
  local work="$out/run.$tag"
  rm -rf "$work" && mkdir -p "$work"
  rig/guest/mkinitramfs.sh "$release" "$vmt" "rig/scenarios/$name" "$work/initrd.cpio" ||
    { echo "rig $name $driver: FAIL (initramfs)"; return 1; }
  local t0; t0=$(date +%s.%N)
  timeout -k 5 "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -smp "$SMP" -m 1024 \
    -no-reboot -display none -monitor none -nic none \
    -serial "file:$work/console.txt" -serial "file:$work/stream.txt" \
    -kernel "$kernel" -initrd "$work/initrd.cpio" \
    -append "console=ttyS0 loglevel=${RIG_LOGLEVEL:-4} panic=-1 oops=panic ${RIG_APPEND:-}" >"$work/qemu.txt" 2>&1
  local qrc=$?
  local secs; secs=$(since "$t0")
  parse_stream "$work/stream.txt" "$work"
  cp "$work/dmesg" "$out/$tag.log" 2>/dev/null || cp "$work/console.txt" "$out/$tag.log"
  cp "$work/console.txt" "$out/$tag.console"

  local fails=()
  [[ $qrc -eq 124 || $qrc -eq 137 ]] && fails+=("timeout after ${TIMEOUT}s")
  grep -q poweroff "$work/timeline" 2>/dev/null || fails+=("guest did not finish")
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
  if [[ -f "rig/scenarios/$name/expect.sh" ]]; then
    # shellcheck source=/dev/null
    . "rig/scenarios/$name/expect.sh"
  fi
  [[ "${warns:-0}" -eq 0 ]] || fails+=("kernel log has $warns WARN/BUG lines")
  # The core's decoder and key encoder must agree with what the real driver sent.
  [[ "$(dev mcu_malformed "$work")" == 0 ]] ||
    fails+=("$(dev mcu_malformed "$work") MCU frames rejected by connac::DecodeFrame")
  [[ "$(dev key_frames_core_mismatch "$work")" == 0 ]] ||
    fails+=("KEY_V3 frames differ from connac::EncodeKeyAction (vmt7925-log)")
  local passed=true
  [[ ${#fails[@]} -eq 0 ]] || passed=false

  local timeline='[]'
  if [[ -f "$work/timeline" ]]; then
    timeline=$(jq -R -s 'split("\n") | map(select(length > 0) | split("\t") |
      {t_ms: (.[0] | tonumber), event: .[1]})' "$work/timeline")
  fi
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
    --argjson by_name "$mcu_by_name" --argjson key_list "$keys_list" \
    --argjson timeline "$timeline" --argjson passed "$passed" \
    --argjson warns "${warns:-0}" --argjson known "${known:-0}" --arg secs "$(printf '%.1f' "$secs")" \
    --arg fails "$(printf '%s\n' "${fails[@]}")" '
    {scenario: $scenario, driver: $driver, kernel: $kernel, associated: $associated,
     cipher: $cipher, group_cipher: $group_cipher,
     ping_sent: $ping_sent, ping_received: $ping_received,
     device: {mcu_commands: $mcu, keys_installed: $keys, keys_pairwise: $pw, keys_group: $grp,
              frames_encrypted: $enc, frames_decrypted: $dec, frames_dropped_nokey: $nokey,
              frames_dropped_mic: $mic, txs_sent: $txs, mcu_malformed: $malformed,
              key_frames_core_match: $kmatch, key_frames_core_mismatch: $kmismatch,
              wfsys_resets: $resets, fw_starts: $fwstarts,
              keys: $key_list, mcu_by_name: $by_name},
     kernel_warnings: $warns, kernel_warnings_known: $known, passed: $passed,
     failures: ($fails | split("\n") | map(select(length > 0))),
     duration_s: ($secs | tonumber), timeline: $timeline}' >"$out/$tag.json"

  if $passed; then
    echo "rig $name $driver: PASS associated=$assoc cipher=$cipher ping=$recv/$sent keys=pairwise:$pw,group:$grp enc=$enc dec=$dec nokey=$nokey mcu=$mcu (${secs%.*} s)"
    return 0
  fi
  echo "rig $name $driver: FAIL ($(IFS=';'; echo "${fails[*]}")) associated=$assoc cipher=$cipher ping=${recv:-0}/${sent:-0} enc=${enc:-?} dec=${dec:-?} (${secs%.*} s)"
  echo "--- console tail ($out/$tag.console)"
  tail -n 40 "$work/console.txt"
  return 1
}

rc=0 npass=0 nfail=0
if [[ -n "$scenario" ]]; then
  names=("$scenario")
else
  names=()
  for d in rig/scenarios/*/; do names+=("$(basename "$d")"); done
fi
for n in "${names[@]}"; do
  if run_one "$n"; then npass=$((npass + 1)); else nfail=$((nfail + 1)); rc=1; fi
done
echo "rig: $npass passed, $nfail failed ($(since "$t_build") s in all)"
exit $rc
