#!/usr/bin/env bash
# DRIVER=connac (issue 15): the guest kernel's module tree with the connac-mt7925 stack
# (connac_core.ko and the patched mt76/mt792x/mt7925 modules) installed into updates/, where
# depmod prefers it over the stock modules in kernel/. mkinitramfs.sh then resolves mt7925u
# from this tree (RIG_MODULES_ROOT), so the guest loads the patched stack.
#
#   rig/guest/connac-modules.sh RELEASE      prints the tree's root (for RIG_MODULES_ROOT)
#
# The modules are the ones the DKMS package installs (kmod/mt7925/dkms-install.sh: add, build,
# install into a private copy of the guest's module tree, remove; cached by the package's
# content), or those in RIG_CONNAC_KO_DIR (a directory of .ko files, e.g. a development
# build) when set.
set -euo pipefail
cd "$(dirname "$0")/../.."
release=${1:?usage: connac-modules.sh RELEASE}
stock=$PWD/build/rig/kernel/$release
root=$PWD/build/rig/kernel-connac/$release
mods=lib/modules/$release

if [[ -n "${RIG_CONNAC_KO_DIR:-}" ]]; then
  kos=$(find "$RIG_CONNAC_KO_DIR" -name '*.ko' -o -name '*.ko.xz' | sort)
else
  dkms_out=$(kmod/mt7925/dkms-install.sh "$release") || {
    echo "rig: the connac-mt7925 DKMS package failed (build/mt7925/dkms/$release/dkms.log)" >&2
    exit 1
  }
  grep '^dkms: ' <<<"$dkms_out" | sed 's/^/rig: /' >&2
  kos=$(find "$(tail -n 1 <<<"$dkms_out")" -name '*.ko' -o -name '*.ko.xz' | sort)
fi
[[ -n "$kos" ]] || { echo "rig: no connac-mt7925 modules found" >&2; exit 1; }

# The stock tree, hard-linked (read-only use), with depmod's outputs written anew.
rm -rf "$root"
mkdir -p "$root/lib/modules"
cp -al "$stock/$mods" "$root/$mods"
find "$root/$mods" -maxdepth 1 -name 'modules.*' ! -name 'modules.builtin*' ! -name 'modules.order' \
  -delete
mkdir -p "$root/$mods/updates/connac"
for k in $kos; do cp "$k" "$root/$mods/updates/connac/"; done
depmod -b "$root" "$release"
echo "$root"
