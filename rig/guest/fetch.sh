#!/usr/bin/env bash
# Fetches what the rig guest boots and runs, into build/rig (never into the host's /boot):
#   - the newest linux-image-6.12.*+deb12-amd64 that bookworm-backports carries, extracted
#     under build/rig/kernel/<release>/;
#   - hostapd, wpasupplicant, iw, iproute2 and their library closure (apt-get download),
#     extracted under build/rig/userland/.
# Versions are resolved at run time (the archive drops old ones). Prints the release.
# Idempotent: a second run only re-resolves and reuses what is already there.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/rig
mkdir -p "$out/debs"
chmod 755 "$out/debs" 2>/dev/null || true

# apt-get download, once more after `apt-get update` when the lists name a version the
# archive has dropped since.
download() {  # DIR PACKAGE...
  local dir=$1
  shift
  ( cd "$dir" && apt-get download -q "$@" >/dev/null 2>&1 ) && return 0
  echo "rig fetch: download failed, refreshing the package lists once" >&2
  apt-get update -q >/dev/null 2>&1 || true
  ( cd "$dir" && apt-get download -q "$@" )
}

# The newest image name whose candidate list includes bookworm-backports.
release="${RIG_KERNEL_RELEASE:-}"
if [[ -z "$release" ]]; then
  for name in $(apt-cache pkgnames linux-image-6.12. |
                grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' | sort -rV); do
    if apt-cache madison "$name" | grep -q 'bookworm-backports'; then
      release=${name#linux-image-}
      break
    fi
  done
fi
if [[ -z "$release" ]]; then
  echo "rig fetch: no linux-image-6.12.*+deb12-amd64 in bookworm-backports (run rig/guest/setup.sh)" >&2
  exit 1
fi
version=$(apt-cache madison "linux-image-$release" | awk -F'|' '/bookworm-backports/ {gsub(/ /,"",$2); print $2; exit}')
echo "$version" >"$out/kernel-version"

kdir="$out/kernel/$release"
if [[ ! -f "$kdir/.done" ]]; then
  download "$out/debs" "linux-image-$release=$version" || exit 1
  rm -rf "$kdir" && mkdir -p "$kdir"
  dpkg-deb -x "$out"/debs/linux-image-"${release}"_*.deb "$kdir"
  touch "$kdir/.done"
fi

# Guest userland: the four tools and every library package they may pull in. libelogind0 is
# the alternative of libsystemd0 in the closure, not needed.
ul="$out/userland"
if [[ ! -f "$ul/.done" ]]; then
  mapfile -t pkgs < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
      --no-breaks --no-replaces --no-enhances --no-pre-depends hostapd wpasupplicant iw iproute2 |
      grep -v '^ ' | grep -E '^(lib|zlib1g$|hostapd$|wpasupplicant$|iw$|iproute2$)' |
      grep -v -E '^libelogind0$' | sort -u)
  mkdir -p "$out/debs/userland"
  download "$out/debs/userland" "${pkgs[@]}" || exit 1
  rm -rf "$ul" && mkdir -p "$ul"
  for d in "$out"/debs/userland/*.deb; do dpkg-deb -x "$d" "$ul"; done
  touch "$ul/.done"
fi
echo "$release"
