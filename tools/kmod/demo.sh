#!/usr/bin/env bash
# `make demo-kmod` (and the end of `make demo`): builds connac_core.ko and connac_example.ko,
# boots the matching Debian kernel under QEMU (tools/kmod/qemu_test.sh), and shows what the
# guest printed: the test module's KTAP (connac_core_test.ko) and the example driver's report
# (a command, keys around the #1036 roam, recovery from a firmware hang, measured with ktime).
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$repo/build/kmod
mkdir -p "$out"

echo
echo "Kernel module: connac_core.ko and its test module loaded in Debian's kernel under QEMU (TCG)"
if ! "$repo/tools/kmod/build.sh" >"$out/demo-build.log" 2>&1; then
  echo "  build failed:"; sed 's/^/    /' "$out/demo-build.log" | tail -n 15
  exit 1
fi
kdir=$(cd "$(sed -n "s/^kdir: //p" "$out/demo-build.log")" && pwd -P)
# The release the modules are built for (their vermagic): UTS_RELEASE, e.g. 6.1.0-56-amd64
# (Debian's include/config/kernel.release holds the upstream 6.1.x instead).
kver=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kdir/include/generated/utsrelease.h" 2>/dev/null)
log=$out/demo-console.log
"$repo/tools/kmod/qemu_test.sh" "$out/src" "$kver" "$log" >"$out/demo-qemu.txt" 2>&1
rc=$?
[[ -s "$log" ]] || { cat "$out/demo-qemu.txt"; exit 1; }

echo
sed -n '/^KTAP version 1$/,/^# connac_core_test:/p' "$log" | sed 's/^/  /'
echo
echo "The example driver (connac_example.ko, first load), using only the exported C API:"
sed -n '/^connac-test: ok rmmod connac_core_test/,/^connac_example: report:/p' "$log" |
  grep '^connac_example:' | sed 's/^/  /'
echo
echo "Load test: $(grep -c '^connac-test: cycle [0-9]* ok' "$log") load/unload cycles; checks:"
grep '^kmod-test:' "$out/demo-qemu.txt" | sed 's/^kmod-test: /  /'
exit "$rc"
