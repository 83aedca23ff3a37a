#!/usr/bin/env bash
# Runs the kernel's checkpatch.pl (6.1, from Debian's linux-source-6.1) on the kernel C
# files of kmod/. The package is a 139 MB .deb holding the whole tree as one tar.xz, so it
# is not installed: the first run downloads it with `apt-get download` and extracts only
# scripts/checkpatch.pl, spelling.txt and const_structs.checkpatch (~15 s), cached in
# ${CONNAC_CACHE_DIR:-~/.cache/connac-core}/checkpatch-<version>.
#
# usage: checkpatch.sh FILE...      exit 0 when every file has 0 errors and 0 warnings
set -euo pipefail
[[ $# -gt 0 ]] || { echo "usage: checkpatch.sh FILE..." >&2; exit 2; }
cache=${CONNAC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/connac-core}
pkg=linux-source-6.1

script=$(ls -d "$cache"/checkpatch-*/checkpatch.pl 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$script" ]]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/connac-checkpatch.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1); then
    # An image without package lists: fetch them once and retry.
    apt-get update -q >/dev/null 2>&1 || true
    (cd "$tmp" && apt-get download -q "$pkg" >"$tmp/download.log" 2>&1) || {
      echo "checkpatch: cannot download $pkg: $(tail -n 1 "$tmp/download.log")" >&2
      exit 2
    }
  fi
  deb=$(ls "$tmp"/"$pkg"_*.deb)
  version=$(dpkg-deb -f "$deb" Version)
  dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/$pkg.tar.xz |
    tar -xJ -C "$tmp" "$pkg/scripts/checkpatch.pl" "$pkg/scripts/spelling.txt" \
      "$pkg/scripts/const_structs.checkpatch"
  mkdir -p "$cache/checkpatch-$version"
  cp "$tmp/$pkg"/scripts/{checkpatch.pl,spelling.txt,const_structs.checkpatch} "$cache/checkpatch-$version/"
  script=$cache/checkpatch-$version/checkpatch.pl
fi

bad=0
for f in "$@"; do
  out=$(perl "$script" --no-tree --terse --show-types -f "$f" 2>&1 || true)
  if [[ -n "$out" ]]; then
    echo "$out"
    bad=$((bad + 1))
  fi
done
echo "checkpatch: $# file(s), $bad with findings ($(basename "$(dirname "$script")"))"
[[ $bad -eq 0 ]]
