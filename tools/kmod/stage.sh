#!/usr/bin/env bash
# Copies the kernel-module sources into a self-contained tree: kmod/ (minus kcheck/, which
# is the separate compile check, and minus test/) plus the core headers under core/include.
# That tree is what DKMS installs as /usr/src/connac-core-<version>: connac_core.ko and
# connac_example.ko, no test material.
#
# With --tests the tree also gets the test module, connac_core_test.ko: kmod/test (the
# suites, the case tables, the simulator's C view) and the core's test headers
# (core/testing). That is the tree `make kmod` and `make kmod-test` build (so no build
# product lands in the source tree); it is never what DKMS installs.
#
# usage: tools/kmod/stage.sh [--tests] DEST_DIR     (DEST_DIR is replaced)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tests=0
if [[ "${1:-}" == "--tests" ]]; then
  tests=1
  shift
fi
dest=${1:?usage: stage.sh [--tests] DEST_DIR}
rm -rf "$dest"
mkdir -p "$dest/core/include/connac" "$dest/connac_core" "$dest/example" "$dest/include" "$dest/scripts"
cp -p "$repo"/kmod/{Makefile,cxx.mk,dkms.conf} "$dest/"
cp -p "$repo"/kmod/include/*.h "$dest/include/"
cp -p "$repo"/kmod/scripts/{cxx_guard.sh,gen_exports.sh} "$dest/scripts/"
# The kernel resolver kmod/Makefile asks for its default KDIR (tools/kdir.sh).
cp -p "$repo"/tools/kdir.sh "$dest/scripts/kdir.sh"
# Sources only: an in-place `make -C kmod` leaves *.mod.c, the generated export list and
# objects next to them.
copy() {
  local f sub
  for f in "$@"; do
    [[ -e "$f" ]] || continue
    [[ "$f" == *.mod.c || "$f" == */connac_exports.c ]] && continue
    sub=${f#"$repo"/kmod/}
    cp -p "$f" "$dest/$sub"
  done
}
copy "$repo"/kmod/connac_core/{Kbuild,*.c,*.cc,*.h} "$repo"/kmod/example/{Kbuild,*.c}
cp -p "$repo"/core/include/connac/*.h "$dest/core/include/connac/"
if [[ $tests -eq 1 ]]; then
  mkdir -p "$dest/test" "$dest/core/testing"
  copy "$repo"/kmod/test/{Kbuild,*.c,*.cc,*.h}
  cp -p "$repo"/core/testing/*.h "$dest/core/testing/"
fi
