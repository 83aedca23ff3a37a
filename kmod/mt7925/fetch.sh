#!/usr/bin/env bash
# Fetches what building the patched mt7925 stack for one Debian 6.12 kernel needs, into
# build/mt7925/ (never into the host: nothing is installed):
#   - the mt76 subtree of linux-source-6.12 at the kernel's own Debian version,
#     extracted to build/mt7925/src/<version>/mt76 (the pristine tree the series applies to);
#   - the kernel's headers: /usr/src/linux-headers-<release> when installed, else
#     linux-headers-<release>, its -common and linux-kbuild, downloaded and extracted under
#     build/mt7925/kroot/ (the Makefile's absolute include is pointed at the extracted copy).
#
#   kmod/mt7925/fetch.sh [RELEASE]   RELEASE: e.g. 6.12.95+deb12-amd64; default: the rig's
#                                    guest kernel (the newest linux-image-6.12.*+deb12-amd64
#                                    in bookworm-backports; RIG_KERNEL_RELEASE overrides)
#
# Prints four lines: the release, the kernel build dir, the pristine mt76 dir, the
# linux-source tarball. Versions are resolved at run time (the archive drops old ones).
# Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$PWD/build/mt7925
mkdir -p "$out/debs"
chmod 755 "$out/debs" 2>/dev/null || true
say() { echo "mt7925 fetch: $*" >&2; }

# apt-get download, once more after `apt-get update` when the lists name a dropped version.
download() {  # DIR PACKAGE=VERSION...
  local dir=$1
  shift
  (cd "$dir" && apt-get download -q "$@" >/dev/null 2>&1) && return 0
  say "download of $* failed, refreshing the package lists once"
  apt-get update -q >/dev/null 2>&1 || true
  (cd "$dir" && apt-get download -q "$@")
}

release=${1:-${RIG_KERNEL_RELEASE:-}}
if [[ -z "$release" ]]; then
  for name in $(apt-cache pkgnames linux-image-6.12. |
    grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' | sort -rV); do
    if apt-cache madison "$name" | grep -q 'bookworm-backports'; then
      release=${name#linux-image-}
      break
    fi
  done
fi
if [[ ! "$release" =~ ^6\.12\.[0-9]+\+deb[0-9]+-amd64$ ]]; then
  say "no usable 6.12 release ('$release'): the series has patches for Debian's 6.12 only"
  exit 2
fi
# The Debian version of that kernel (the image's), which linux-source must have too.
version=$(apt-cache madison "linux-image-$release" | awk -F'|' 'NR == 1 {gsub(/ /, "", $2); print $2}')
if [[ -z "$version" ]]; then
  say "apt knows no linux-image-$release (is bookworm-backports configured? rig/guest/setup.sh)"
  exit 1
fi

# --- mt76 from linux-source-6.12 -------------------------------------------------------------
src=$out/src/$version
if [[ ! -f "$src/.done" ]]; then
  # apt-get download names it linux-source-6.12_<version>_all.deb (~ as is, or as %7e).
  find_deb() {
    find "$out/debs" -maxdepth 1 \( -name "linux-source-6.12_${version}_all.deb" -o \
      -name "linux-source-6.12_${version//\~/%7e}_all.deb" \) | head -n 1
  }
  deb=$(find_deb)
  if [[ -z "$deb" ]]; then
    say "downloading linux-source-6.12=$version"
    download "$out/debs" "linux-source-6.12=$version"
    deb=$(find_deb)
  fi
  [[ -n "$deb" ]] || { say "no linux-source-6.12_${version}_all.deb after the download"; exit 1; }
  rm -rf "$src" && mkdir -p "$src"
  # Only the tarball out of the package, then only mt76 out of the tarball.
  dpkg-deb --fsys-tarfile "$deb" |
    tar -xf - -C "$src" --wildcards './usr/src/linux-source-6.12.tar.*'
  tarball=$(ls "$src"/usr/src/linux-source-6.12.tar.*)
  tar -xaf "$tarball" -C "$src" --strip-components=5 \
    'linux-source-6.12/drivers/net/wireless/mediatek/mt76'
  # checkpatch of the same release, for the series (kmod/mt7925/check.sh).
  tar -xaf "$tarball" -C "$src" --strip-components=1 'linux-source-6.12/scripts/checkpatch.pl' \
    'linux-source-6.12/scripts/spelling.txt' 'linux-source-6.12/scripts/const_structs.checkpatch'
  # The upstream version the tree is, for the series' check (VERSION.PATCHLEVEL.SUBLEVEL).
  tar -xaf "$tarball" -O 'linux-source-6.12/Makefile' |
    awk -F' = ' '/^VERSION/ {v=$2} /^PATCHLEVEL/ {p=$2} /^SUBLEVEL/ && !s {s=$2} END {print v "." p "." s}' \
      >"$src/upstream-version"
  # The tarball stays: DKMS builds from it the way it would from an installed linux-source.
  mv "$tarball" "$src/"
  rm -rf "${src:?}/usr"
  [[ -f "$src/mt76/mt7925/main.c" ]] || { say "no mt7925 in linux-source-6.12=$version"; exit 1; }
  touch "$src/.done"
fi

# --- headers ---------------------------------------------------------------------------------
kdir=/usr/src/linux-headers-$release
if [[ ! -f "$kdir/include/config/auto.conf" ]]; then
  kroot=$out/kroot/$release
  kdir=$kroot/usr/src/linux-headers-$release
  if [[ ! -f "$kroot/.done" ]]; then
    common=$(apt-cache show "linux-headers-$release=$version" |
      sed -n 's/^Depends:.*\(linux-headers-[^ ]*-common\) .*/\1/p' | head -n 1)
    kbuild=$(apt-cache show "linux-headers-$release=$version" |
      sed -n 's/^Depends:.*\(linux-kbuild-[^ ,]*\).*/\1/p' | head -n 1)
    [[ -n "$common" && -n "$kbuild" ]] || { say "cannot read the dependencies of linux-headers-$release"; exit 1; }
    kbuild_version=$(apt-cache madison "$kbuild" | awk -F'|' -v v="$version" '{gsub(/ /, "", $2)} $2 == v {print $2; exit}')
    say "downloading linux-headers-$release, $common, $kbuild"
    mkdir -p "$out/debs/headers-$release"
    download "$out/debs/headers-$release" "linux-headers-$release=$version" "$common=$version" \
      "$kbuild=${kbuild_version:-$version}"
    rm -rf "$kroot" && mkdir -p "$kroot"
    for d in "$out/debs/headers-$release"/*.deb; do dpkg-deb -x "$d" "$kroot"; done
    # Debian's flavour Makefile includes the -common one by its absolute path.
    sed -i "s|^include /usr/src/|include $kroot/usr/src/|" "$kdir/Makefile"
    touch "$kroot/.done"
  fi
fi
[[ -f "$kdir/include/config/auto.conf" ]] || { say "no configured headers at $kdir"; exit 1; }
echo "$release"
echo "$kdir"
echo "$src/mt76"
ls "$src"/linux-source-6.12.tar.*
