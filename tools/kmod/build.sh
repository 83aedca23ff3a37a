#!/usr/bin/env bash
# Builds connac_core.ko, connac_example.ko and the test module connac_core_test.ko out of
# the source tree: stages kmod/ and the core headers (with the test material: --tests) into
# build/kmod/src (tools/kmod/stage.sh) and runs kmod/Makefile there, so the example and the
# test module link against the core's Module.symvers the way another driver would.
#
# Env: KDIR (default: `tools/kdir.sh default`: /lib/modules/$(uname -r)/build if it exists,
# else the newest installed Debian /usr/src/linux-headers-*-amd64), CXX (default: g++ of the
# kernel's CONFIG_GCC_VERSION), KMOD_BUILD_DIR (default: <repo>/build/kmod), KMOD_EXTRA_GLUE
# (test hook: a file appended to the staged connac_glue.cc, to prove the C++ guard rejects
# it). Prints the KDIR used as "kdir: <path>" and exits non-zero with the kbuild diagnostics
# when the build fails.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${KMOD_BUILD_DIR:-$repo/build/kmod}

if [[ -z "${KDIR:-}" ]]; then
  KDIR=$("$repo/tools/kdir.sh" default 2>/dev/null || true)
fi
if [[ -z "$KDIR" || ! -f "$KDIR/Makefile" ]]; then
  echo "kmod: no kernel headers (KDIR='${KDIR:-}'): apt-get install linux-headers-amd64 or set KDIR" >&2
  exit 2
fi
echo "kdir: $KDIR"

"$repo/tools/kmod/stage.sh" --tests "$out/src"
if [[ -n "${KMOD_EXTRA_GLUE:-}" ]]; then
  cat "$KMOD_EXTRA_GLUE" >>"$out/src/connac_core/connac_glue.cc"
fi
args=(-C "$out/src" KDIR="$KDIR" -j"$(nproc 2>/dev/null || echo 2)")
[[ -n "${CXX:-}" ]] && args+=(CXX="$CXX")
# A fresh make: a parent `make test` must not leak its flags or jobserver into kbuild.
env -u MAKEFLAGS -u MFLAGS -u MAKEOVERRIDES -u MAKELEVEL -u GNUMAKEFLAGS \
  make "${args[@]}" >"$out/build.log" 2>&1 || {
  echo "kmod: build failed; diagnostics from $out/build.log:" >&2
  grep -E -B1 -A3 '(error|ERROR|connac: C\+\+ guard|connac:)' "$out/build.log" | head -n 40 >&2
  exit 1
}
if grep -E '(warning|WARNING):' "$out/build.log" | grep -v 'Skipping BTF' >"$out/warnings.log"; then
  echo "kmod: the build printed warnings (treated as errors):" >&2
  head -n 10 "$out/warnings.log" >&2
  exit 1
fi
echo "kmod: built $out/src/connac_core/connac_core.ko, $out/src/example/connac_example.ko and $out/src/test/connac_core_test.ko"
