#!/usr/bin/env bash
# Why: the core is meant to be cheap enough to link into every mt76-family driver. This
# prints what it costs, from the built objects, and fails when a target is missed:
#   - .text / .data (+ .rodata, .bss, .init.text) of connac_core.ko, connac_example.ko and
#     the test module connac_core_test.ko (every .text* / .data* / .rodata* section, the C++
#     COMDAT and .text.unlikely ones included); target: connac_core.ko .text <= 32 KiB.
#     connac_core.ko holds no test code (the simulator and the self-test are the test
#     module's), so its .text is all the code a driver that loads it pays for
#   - the largest stack frame of the C++ objects, from -fstack-usage (.su files written by
#     kmod/cxx.mk); target <= 384 bytes
#   - the per-device state a driver embeds: sizeof(struct connac_dev) and the bytes the core
#     uses of it (connac_dev_state_bytes(), from the same glue compiled for the host ABI);
#     target <= 4 KiB
#
# usage: footprint.sh MODULE_TREE      (the tree tools/kmod/build.sh built)
# Last line: "footprint: all targets met" or "footprint: N target(s) missed".
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tree=${1:?usage: footprint.sh MODULE_TREE}
text_max=$((32 * 1024))
frame_max=384
state_max=4096
missed=0

sections() {  # module -> "text data rodata bss init_text" bytes
  size -A "$1" | awk '
    $1 ~ /^\.text/ { t += $2 } $1 ~ /^\.data/ { d += $2 }
    $1 ~ /^\.rodata/ { r += $2 } $1 ~ /^\.bss/ { b += $2 }
    $1 ~ /^\.init\.text/ { i += $2 }
    END { printf "%d %d %d %d %d\n", t, d, r, b, i }'
}

target() {  # name value max unit
  local verdict=ok
  if (($2 > $3)); then
    verdict=MISSED
    missed=$((missed + 1))
  fi
  printf '  %-44s %7d %-5s (target <= %d) %s\n' "$1" "$2" "$4" "$3" "$verdict"
}

echo "footprint:"
for ko in connac_core/connac_core.ko example/connac_example.ko test/connac_core_test.ko; do
  [[ -f "$tree/$ko" ]] || continue
  read -r t d r b i < <(sections "$tree/$ko")
  printf '  %-22s .text %6d  .data %4d  .rodata %6d  .bss %3d  .init.text %6d bytes\n' \
    "${ko##*/}" "$t" "$d" "$r" "$b" "$i"
  [[ "$ko" == connac_core/* ]] && core_text=$t
done
# connac_glue.o is the C++: the glue and the core it instantiates (connac::Device); the rest
# is the C shim and the generated export list.
read -r gt _ gr _ _ < <(sections "$tree/connac_core/connac_glue.o")
cold=$(size -A "$tree/connac_core/connac_glue.o" | awk '$1 ~ /^\.text\.unlikely/ { c += $2 } END { print c + 0 }')
printf '  %-22s .text %6d of it the C++ glue + core (%d of that cold: the control plane), .rodata %d\n' \
  "" "$gt" "$cold" "$gr"
printf '  %-22s .text %6d the C shim and the export list\n' "" "$((core_text - gt))"
target "connac_core.ko .text" "$core_text" "$text_max" bytes

su=$(cat "$tree"/connac_core/*.su 2>/dev/null | sort -t$'\t' -k2,2n | tail -n 1 || true)
if [[ -z "$su" ]]; then
  echo "  no .su files: was the C++ object built with -fstack-usage (kmod/cxx.mk)?"
  missed=$((missed + 1))
else
  frame=$(cut -f2 <<<"$su")
  where=$(cut -f1 <<<"$su" | sed -E 's#^.*/(core/include/|connac_core/)#\1#; s/:[0-9]+:[0-9]+:/: /' | cut -c 1-90)
  target "largest C++ stack frame" "$frame" "$frame_max" bytes
  echo "    in $where ($(cut -f3 <<<"$su"))"
fi

# connac_dev_state_bytes() of the same glue, compiled for the host: the x86-64 SysV layout
# is the kernel's for these plain types (no kernel type is involved).
probe=$(mktemp -d "${TMPDIR:-/tmp}/connac-footprint.XXXXXX")
trap 'rm -rf "$probe"' EXIT
cat >"$probe/probe.cc" <<'EOF'
#include <cstdio>
#include "connac_core.h"
extern "C" void connac_shim_assert_failed(const char*, const char*, int) {}
extern "C" void connac_core_check_failed(const char*, const char*, int) {}
int main() { std::printf("%lu %zu\n", connac_dev_state_bytes(), sizeof(connac_dev)); }
EOF
cxx=$(command -v g++-12 || command -v g++)
"$cxx" -std=gnu++20 -fno-exceptions -fno-rtti -O1 -I"$tree/core/include" -I"$tree/include" \
  -I"$tree/connac_core" "$probe/probe.cc" "$tree/connac_core/connac_glue.cc" -o "$probe/probe"
read -r used whole < <("$probe/probe")
target "per-device state (sizeof struct connac_dev)" "$whole" "$state_max" bytes
echo "    the core uses $used (connac::Device<7>: in-flight table, key slots, reset sequencer, restore record, the key operation and restore in progress; the glue's host ops and event view), $((whole - used)) spare"

if [[ $missed -eq 0 ]]; then
  echo "footprint: all targets met"
else
  echo "footprint: $missed target(s) missed"
  exit 1
fi
