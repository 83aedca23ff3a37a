#!/usr/bin/env bash
# Host prerequisites of the rig (issue 13), on top of tools/setup.sh:
#  - the bookworm-backports apt source (deb822, default priority 100: below bookworm), so
#    that `apt-get download` can fetch the 6.12 guest kernel. Nothing is installed from it.
#  - host packages the rig needs: libssl-dev (vmt7925's crypto, wrapped as @openssl), qemu,
#    busybox-static, cpio, xz-utils, kmod (depmod, modprobe --show-depends), jq (reports).
# hostapd/wpasupplicant are NOT installed on the host: fetch.sh downloads them for the guest.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "rig setup: needs root (apt)" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
need_update=0
# The same file and check as tools/setup.sh, so whichever runs first adds it once.
backports_file=/etc/apt/sources.list.d/debian-bookworm-backports.sources
if ! grep -rqsE '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "rig setup: adding bookworm-backports (main) in $backports_file"
  cat >"$backports_file" <<'SRC'
# Added by connac-core rig/guest/setup.sh: the rig's guest kernel (apt-get download only).
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  need_update=1
fi
# The suite is configured but its package lists were never fetched.
apt-cache policy 2>/dev/null | grep -q 'bookworm-backports' || need_update=1

pkgs=(libssl-dev qemu-system-x86 busybox-static cpio xz-utils kmod jq)
missing=()
for p in "${pkgs[@]}"; do
  [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" == "install ok installed" ]] ||
    missing+=("$p")
done
if [[ $need_update -eq 1 || ${#missing[@]} -gt 0 ]]; then
  apt-get update -q >/dev/null
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "rig setup: installing ${missing[*]}"
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
