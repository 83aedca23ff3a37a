#!/usr/bin/env bash
# Copies the kernel-module sources into a self-contained tree: kmod/ (minus kcheck/, which
# is the separate compile check) plus the core headers under core/include. That tree is what
# `make kmod` builds (so no build product lands in the source tree) and what DKMS installs
# as /usr/src/connac-core-<version>.
#
# usage: tools/kmod/stage.sh DEST_DIR     (DEST_DIR is replaced)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dest=${1:?usage: stage.sh DEST_DIR}
rm -rf "$dest"
mkdir -p "$dest/core/include/connac" "$dest/connac_core" "$dest/example" "$dest/include" "$dest/scripts"
cp -p "$repo"/kmod/{Makefile,cxx.mk,dkms.conf} "$dest/"
cp -p "$repo"/kmod/include/*.h "$dest/include/"
cp -p "$repo"/kmod/scripts/cxx_guard.sh "$dest/scripts/"
# The kernel resolver kmod/Makefile asks for its default KDIR (tools/kdir.sh).
cp -p "$repo"/tools/kdir.sh "$dest/scripts/kdir.sh"
# Sources only: an in-place `make -C kmod` leaves *.mod.c and objects next to them.
for f in "$repo"/kmod/connac_core/{Kbuild,*.c,*.cc,*.h} "$repo"/kmod/example/{Kbuild,*.c}; do
  [[ "$f" == *.mod.c ]] && continue
  sub=${f#"$repo"/kmod/}
  cp -p "$f" "$dest/$sub"
done
cp -p "$repo"/core/include/connac/*.h "$dest/core/include/connac/"
