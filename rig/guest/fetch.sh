#!/usr/bin/env bash
# Fetches what the rig guest boots and runs, into build/rig (never into the host's /boot):
#   - the newest linux-image-6.12.*+deb12-amd64 that bookworm-backports carries, extracted
#     under build/rig/kernel/<release>/;
#   - hostapd, wpasupplicant, iw, iproute2 and their library closure (apt-get download),
#     extracted under build/rig/userland/.
# Versions are resolved at run time (the archive drops old ones). Prints the release.
# Idempotent: a second run only re-resolves and reuses what is already there.
#
#   fetch.sh sid    (issue 16, only when an MLO scenario is in the run: mkinitramfs.sh)
# wpasupplicant (2.11: the MLO station code), hostapd 2.11 (built WITHOUT CONFIG_IEEE80211BE:
# no AP MLD, docs/rig.md), iw (6.x: prints MLD links) and wireless-regdb (regulatory.db: the
# MLO boot sets a country, see lib.sh rig_mld_ap_up) from Debian unstable and the tools'
# library closure from unstable, extracted under
# build/rig/userland-sid/, for the guest only: a private apt configuration in
# build/rig/apt-sid/ (own sources.list, lists, cache, empty dpkg status); the host's
# /etc/apt is never touched and nothing is installed. Prints the directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/rig
if [[ "${1:-}" == sid ]]; then
  sid=$PWD/$out/apt-sid
  usid=$out/userland-sid
  if [[ -f "$usid/.done" ]]; then echo "$usid"; exit 0; fi
  mkdir -p "$sid"/{lists/partial,archives/partial,etc/parts,debs}
  : >"$sid/status"
  cat >"$sid/etc/sources.list" <<'SRC'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian unstable main
SRC
  # Only this file's sources, none of the host's preferences or extra sources.
  sapt=(-o "Dir::Etc::sourcelist=$sid/etc/sources.list" -o "Dir::Etc::sourceparts=$sid/etc/parts"
        -o "Dir::State=$sid" -o "Dir::State::Lists=$sid/lists" -o "Dir::State::status=$sid/status"
        -o "Dir::Cache=$sid" -o "Dir::Cache::archives=$sid/archives"
        -o "Dir::Etc::preferences=$sid/etc/preferences" -o "Dir::Etc::preferencesparts=$sid/etc/parts"
        -o APT::Architecture=amd64 -o APT::Architectures::=amd64 -q)
  if ! apt-get "${sapt[@]}" update >"$sid/update.log" 2>&1 ||
     grep -qE '^(W|E): ' "$sid/update.log"; then
    echo "rig fetch: cannot read Debian unstable's package lists (MLO scenarios need hostapd 2.11" \
      "from unstable): $(grep -m1 -E '^(W|E): ' "$sid/update.log" || tail -n 1 "$sid/update.log")" >&2
    exit 1
  fi
  mapfile -t spkgs < <(apt-cache "${sapt[@]}" depends --recurse --no-recommends --no-suggests \
      --no-conflicts --no-breaks --no-replaces --no-enhances hostapd wpasupplicant iw wireless-regdb |
      grep -v '^ ' | grep -v '^<' |
      grep -E '^(lib|zlib1g$|hostapd$|wpasupplicant$|iw$|wireless-regdb$)' |
      grep -v -E '^(libelogind0|libc-bin|libc-gconv-modules-extra|libgcc-s1|libsystemd-shared)$' |
      sort -u)
  rm -f "$sid"/debs/*.deb
  if ! ( cd "$sid/debs" && apt-get "${sapt[@]}" download "${spkgs[@]}" ) >"$sid/download.log" 2>&1; then
    echo "rig fetch: downloading hostapd 2.11 from Debian unstable failed:" \
      "$(grep -m1 '^E: ' "$sid/download.log")" >&2
    exit 1
  fi
  rm -rf "$usid" && mkdir -p "$usid"
  for d in "$sid"/debs/*.deb; do dpkg-deb -x "$d" "$usid"; done
  ( cd "$sid/debs" && ls ) >"$usid/packages"
  touch "$usid/.done"
  echo "$usid"
  exit 0
fi
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
