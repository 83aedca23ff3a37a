#!/usr/bin/env bash
# Why: the project builds and tests against every Debian kernel series installed here (6.1
# from bookworm, 6.12 from bookworm-backports/-security), and kcheck, kmod, kmod-test and
# DKMS must agree on which kernel trees those are. This is the one place that decides.
#
# usage: kdir.sh list           one line per kernel to test: "<series> <release> <kdir>",
#                               oldest series first, e.g.
#                                 6.1 6.1.0-57-amd64 /usr/src/linux-headers-6.1.0-57-amd64
#                               the newest installed release of each series; with KDIR set,
#                               only that tree. Exits 1 (and prints nothing) when there is none.
#        kdir.sh default        the one tree a plain `make kmod` builds for: KDIR if set, else
#                               /lib/modules/$(uname -r)/build if it exists (the running
#                               kernel), else the newest tree of `list`. Exits 1 when none.
#        kdir.sh release KDIR   the release a tree builds for (its UTS_RELEASE, the modules'
#                               vermagic; Debian's include/config/kernel.release holds the
#                               upstream version instead)
#
# A Debian kernel tree is /usr/src/linux-headers-<release> for the generic amd64 flavour
# (<release> = 6.1.0-57-amd64 or 6.12.117+deb12-amd64; not -cloud-amd64 or -rt-amd64) that is
# configured (include/config/auto.conf). KDIR_ROOT (default /usr/src) is for the self-test.
set -euo pipefail

root=${KDIR_ROOT:-/usr/src}

release_of() {  # kdir -> UTS_RELEASE, or nothing
  sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h" 2>/dev/null || true
}
configured() { [[ -f "$1/Makefile" && -f "$1/include/config/auto.conf" ]]; }
series_of() { sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<<"$1"; }

# "<series> <release> <kdir>" for every configured generic-amd64 Debian tree.
all_trees() {
  local d rel
  for d in "$root"/linux-headers-*-amd64; do
    [[ -d "$d" ]] && configured "$d" || continue
    rel=$(release_of "$d")
    [[ "$rel" =~ ^[0-9]+\.[0-9]+[^-]*(-[0-9]+)?-amd64$ ]] || continue
    echo "$(series_of "$rel") $rel $d"
  done
}

list() {
  if [[ -n "${KDIR:-}" ]]; then
    configured "$KDIR" || {
      echo "kdir: KDIR='$KDIR' is not a configured kernel build dir" >&2
      return 1
    }
    local k rel
    k=$(cd "$KDIR" && pwd -P)
    rel=$(release_of "$k")
    echo "$(series_of "${rel:-0.0}") ${rel:-unknown} $k"
    return 0
  fi
  local out
  # Newest release per series (sort -V on the release), then series in version order.
  out=$(all_trees | sort -k2,2V | awk '{ last[$1] = $0 } END { for (s in last) print last[s] }' |
    sort -k1,1V)
  [[ -n "$out" ]] || return 1
  echo "$out"
}

case "${1:-}" in
  list) list ;;
  default)
    if [[ -n "${KDIR:-}" ]]; then
      echo "$KDIR"
    elif [[ -d "/lib/modules/$(uname -r)/build" ]]; then
      echo "/lib/modules/$(uname -r)/build"
    else
      newest=$(list | tail -n 1 | cut -d' ' -f3)
      [[ -n "$newest" ]] || exit 1
      echo "$newest"
    fi
    ;;
  release)
    rel=$(release_of "${2:?usage: kdir.sh release KDIR}")
    [[ -n "$rel" ]] || exit 1
    echo "$rel"
    ;;
  *)
    echo "usage: kdir.sh list | default | release KDIR" >&2
    exit 2
    ;;
esac
