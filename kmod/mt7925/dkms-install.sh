#!/usr/bin/env bash
# Runs the connac-mt7925 DKMS package through its whole life for one Debian 6.12 kernel, in
# private trees (never the system's DKMS state or /lib/modules), the way a user's machine
# would: dkms add, dkms build (connac_core.ko, then the patched stack from the kernel's own
# linux-source tarball), dkms install into a copy of the kernel's module tree (updates/dkms),
# a depmod check that mt7925u now resolves to the package, dkms remove, and a check that the
# tree is back to the stock modules.
#
#   kmod/mt7925/dkms-install.sh [RELEASE]     default RELEASE: the rig's guest kernel
#
# Needs the kernel's module tree (build/rig/kernel/<release>: rig/guest/fetch.sh, run when it
# is missing). Prints
# "dkms: ..." result lines, then, last, a directory holding the installed modules as DKMS
# installed them (the rig's DRIVER=connac loads these). The result is cached by the package's
# content: a second run with the same package prints the same directory at once.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mapfile -t f < <("$repo/kmod/mt7925/fetch.sh" "$@")
release=${f[0]} kdir=${f[1]} tarball=${f[3]}
pkg=connac-mt7925
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$repo/kmod/mt7925/dkms.conf")
out=$repo/build/mt7925/dkms/$release
stock=$repo/build/rig/kernel/$release/lib/modules/$release
[[ -d "$stock" ]] || RIG_KERNEL_RELEASE=$release "$repo/rig/guest/fetch.sh" >/dev/null
[[ -d "$stock" ]] || { echo "dkms: no module tree for $release at $stock (rig/guest/fetch.sh)" >&2; exit 1; }
command -v dkms >/dev/null || { echo "dkms: dkms is not installed (tools/setup.sh)" >&2; exit 1; }

# The package, as /usr/src/connac-mt7925-<ver> would hold it; its hash names the result.
mkdir -p "$out"
staged=$(mktemp -d "$out/stage.XXXXXX")
trap 'rm -rf "$staged"' EXIT
"$repo/kmod/mt7925/stage.sh" "$staged/$pkg-$ver"
hash=$( (cd "$staged" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16)
result=$out/modules-$hash
if [[ -f "$result/.done" ]]; then
  echo "dkms: $pkg/$ver for $release: cached ($(ls "$result" | tr '\n' ' '))"
  echo "$result"
  exit 0
fi

src=$out/source dkmstree=$out/tree inst=$out/install
rm -rf "$src" "$dkmstree" "$inst"
mkdir -p "$src" "$dkmstree" "$inst/$release"
mv "$staged/$pkg-$ver" "$src/"
# A copy of the kernel's module tree (hard links: DKMS only adds files to it).
cp -al "$stock/." "$inst/$release/"
dk=(-m "$pkg" -v "$ver" --dkmstree "$dkmstree" --sourcetree "$src")
log=$out/dkms.log
: >"$log"
step() {  # NAME CMD...: runs a dkms step, logs it, fails with the log's tail
  local name=$1 t0
  shift
  t0=$(date +%s)
  if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES "$@" >>"$log" 2>&1; then
    tail -n 25 "$log" >&2
    echo "dkms: $name failed (log: $log)" >&2
    exit 1
  fi
  echo "dkms: $name ok ($(($(date +%s) - t0)) s)"
}
step add dkms add "${dk[@]}"
# The linux-source of the kernel's release, as the package looks for it on a user's machine
# (/usr/src/linux-source-6.12.tar.xz), given by path here.
step build env LINUX_SOURCE="$tarball" dkms build "${dk[@]}" -k "$release" --kernelsourcedir "$kdir"
step install dkms install "${dk[@]}" -k "$release" --installtree "$inst" --no-depmod

# Installed where the package says, and preferred by depmod over the stock modules.
mods=$(cd "$inst/$release/updates/dkms" && ls)
n=$(echo "$mods" | wc -l)
[[ $n -eq 9 ]] || { echo "dkms: install: $n modules in updates/dkms, want 9: $mods" >&2; exit 1; }
mkdir -p "$out/install-root/lib/modules"
ln -sfn "$inst/$release" "$out/install-root/lib/modules/$release"
depmod -b "$out/install-root" "$release"
resolved=$(modprobe -d "$out/install-root" -S "$release" --show-depends mt7925u | awk '{print $2}')
for m in connac_core mt76 mt76-usb mt76-connac-lib mt792x-lib mt792x-usb mt7925-common mt7925u; do
  grep -q "/updates/dkms/$m\.ko" <<<"$resolved" ||
    { echo "dkms: install: modprobe does not resolve $m to updates/dkms:" >&2; echo "$resolved" >&2; exit 1; }
done
echo "dkms: install: modprobe mt7925u resolves to updates/dkms ($(grep -c /updates/dkms/ <<<"$resolved") of its modules)"
for m in $mods; do
  modinfo -F vermagic "$inst/$release/updates/dkms/$m" | grep -q "^$release " ||
    { echo "dkms: $m: vermagic is not $release" >&2; exit 1; }
done
mkdir -p "$result.tmp"
cp "$inst/$release/updates/dkms/"* "$result.tmp/"

# Removal: the package's modules go, the stock ones are what modprobe finds again.
step remove dkms remove "${dk[@]}" -k "$release" --installtree "$inst" --no-depmod
left=0
[[ -d "$inst/$release/updates" ]] && left=$(find "$inst/$release/updates" -type f | wc -l)
[[ $left -eq 0 ]] || { echo "dkms: remove left $left files in updates/" >&2; exit 1; }
depmod -b "$out/install-root" "$release"
resolved=$(modprobe -d "$out/install-root" -S "$release" --show-depends mt7925u | awk '{print $2}')
if grep -q -e /updates/ -e connac_core <<<"$resolved"; then
  echo "dkms: remove: modprobe still resolves the package:" >&2
  echo "$resolved" >&2
  exit 1
fi
echo "dkms: remove: updates/ empty, modprobe mt7925u resolves to the stock kernel/ modules"
rm -rf "$out/install-root" "$inst"
rm -rf "$result" && mv "$result.tmp" "$result" && touch "$result/.done"
echo "$result"
