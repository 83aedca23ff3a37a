#!/bin/sh
# Puts the mt76 tree the patch series applies to in DEST (replaced), from the kernel's own
# release of Debian's linux-source, and applies the series (docs/mt7925.md).
#
#   KDIR=... [KVER=...] [LINUX_SOURCE=tarball | MT76_SRC=dir] [PATCHES=0] prepare-mt76.sh DEST
#
# The source must be the kernel's upstream release (6.12.95 for 6.12.95+deb12-amd64): the
# series is written against it and the rebuilt modules replace the kernel's own. Exits 2
# with what to install when the source is missing or another release.
# POSIX sh: DKMS runs it on the user's machine.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:?usage: prepare-mt76.sh DEST}
die() { echo "connac-mt7925: $*" >&2; exit 2; }

kver=${KVER:-}
if [ -z "$kver" ]; then
	kver=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$KDIR/include/generated/utsrelease.h")
fi
# Debian's release strings: 6.12.95+deb12-amd64, 6.12.57+deb13-amd64, 6.1.0-57-amd64.
upstream=$(echo "$kver" | sed -n 's/^\([0-9]*\.[0-9]*\.[0-9]*\)[+].*/\1/p')
series=$(echo "$kver" | sed -n 's/^\([0-9]*\.[0-9]*\)[.-].*/\1/p')
[ -n "$series" ] || die "cannot read the kernel release '$kver'"
[ -d "$here/patches/$series" ] ||
	die "kernel $kver: this package has patches for the $(ls "$here/patches" | tr '\n' ' ')series only"
[ -n "$upstream" ] || die "kernel $kver: not a Debian 6.12-style release (<x.y.z>+debN-<flavour>)"

# The Debian package that has the matching source, for the messages.
pkgver=$(dpkg-query -W -f='${Version}' "linux-image-$kver" 2>/dev/null ||
	dpkg-query -W -f='${Version}' "linux-headers-$kver" 2>/dev/null || true)
hint="apt-get install linux-source-$series${pkgver:+=$pkgver}"

tree_version() {  # the VERSION.PATCHLEVEL.SUBLEVEL of a kernel Makefile on stdin
	awk -F' = ' '/^VERSION/ {v=$2} /^PATCHLEVEL/ {p=$2} /^SUBLEVEL/ && s == "" {s=$2} END {print v "." p "." s}'
}

rm -rf "$dest"
mkdir -p "$dest"
if [ -n "${MT76_SRC:-}" ]; then
	[ -f "$MT76_SRC/mt7925/main.c" ] || die "MT76_SRC='$MT76_SRC' is not an mt76 tree"
	have=$(cat "$MT76_SRC/../upstream-version" 2>/dev/null || echo unknown)
	[ "$have" = "$upstream" ] || die "MT76_SRC is $have, kernel $kver needs $upstream"
	cp -R "$MT76_SRC/." "$dest/"
else
	src=${LINUX_SOURCE:-}
	if [ -z "$src" ]; then
		for f in /usr/src/linux-source-"$series".tar.xz /usr/src/linux-source-"$series".tar.bz2; do
			[ -f "$f" ] && src=$f && break
		done
	fi
	[ -n "$src" ] && [ -f "$src" ] ||
		die "kernel $kver needs the mt76 source of Linux $upstream: $hint (or set LINUX_SOURCE)"
	top=linux-source-$series
	# One pass over the tarball: its top Makefile (the release) and the mt76 subtree.
	tar -xaf "$src" -C "$dest" "$top/Makefile" "$top/drivers/net/wireless/mediatek/mt76" ||
		die "cannot extract mt76 from $src"
	have=$(tree_version <"$dest/$top/Makefile")
	[ "$have" = "$upstream" ] ||
		die "$src is Linux $have, kernel $kver is $upstream: $hint"
	rm -rf "$dest.tmp"
	mv "$dest/$top/drivers/net/wireless/mediatek/mt76" "$dest.tmp"
	rm -rf "$dest"
	mv "$dest.tmp" "$dest"
fi
[ -f "$dest/mt7925/main.c" ] || die "no mt7925 in the source"

if [ "${PATCHES:-1}" != 0 ]; then
	for p in $(grep -v '^#' "$here/patches/$series/series"); do
		patch -d "$dest" -p6 --batch --forward --no-backup-if-mismatch -s \
			<"$here/patches/$series/$p" || die "$p does not apply to Linux $upstream"
	done
	# The API the series calls (connac_core.ko's exports).
	cp "$here/connac/include/connac_core.h" "$dest/mt7925/connac_core.h"
fi
echo "connac-mt7925: mt76 of Linux $upstream in $dest$([ "${PATCHES:-1}" = 0 ] && echo ' (stock)' || echo ", $(grep -vc '^#' "$here/patches/$series/series") patches")"
