#!/usr/bin/env bash
# Host prerequisites of the rig (issue 13), on top of tools/setup.sh:
#  - the bookworm-backports apt source (deb822, default priority 100: below bookworm), so
#    that `apt-get download` can fetch the 6.12 guest kernel. Nothing is installed from it.
#  - host packages the rig build needs: libssl-dev (vmt7925's crypto), libnl-genl-3-dev
#    (vmt7925's hwsim medium), qemu, busybox-static, cpio, xz-utils, kmod (depmod).
# hostapd/wpasupplicant are NOT installed on the host: fetch.sh downloads them for the guest.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "rig setup: needs root (apt)" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
need_update=0
if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "rig setup: adding bookworm-backports (/etc/apt/sources.list.d/bookworm-backports.sources)"
  cat >/etc/apt/sources.list.d/bookworm-backports.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  need_update=1
fi
if ! apt-cache show 'linux-image-6.12.*+deb12-amd64' >/dev/null 2>&1 &&
   [[ -z "$(apt-cache pkgnames linux-image-6.12 2>/dev/null | head -1)" ]]; then
  need_update=1
fi

pkgs=(libssl-dev libnl-3-dev libnl-genl-3-dev qemu-system-x86 busybox-static cpio xz-utils kmod)
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
