#!/usr/bin/env bash
# Installs what connac-core needs from Debian 12 packages: bookworm, plus the Linux 6.12
# headers and image (bookworm-backports, added to the apt sources below, or bookworm-security:
# the newest either has). `make lint` fetches buildifier from npm itself (tools/lint/run.sh);
# nothing else is downloaded.
#
# Idempotent and quick when everything is present: it asks dpkg first and runs apt-get
# (update, then install) only for what is missing. Needs root for the install step.
set -euo pipefail

# bazel-bootstrap: Bazel 4.2.3 (the WORKSPACE build); g++/make/binutils: the toolchain;
# googletest, libgtest-dev, libgmock-dev, libbenchmark-dev, libabsl-dev: test and CLI deps
# wrapped in third_party/; linux-headers-amd64: kbuild, flags and objtool for the
# kernel-compile check (libc6-dev: libstdc++'s <cstdint> includes glibc headers even there).
# Kernel module test (tools/kmod): qemu-system-x86 boots the Debian kernel, busybox-static
# and cpio make its initramfs, kmod's depmod writes modules.dep, dkms builds the DKMS tree;
# the kernel image itself (linux-image-<release>, matching the headers) is added below.
packages=(
  bazel-bootstrap
  g++
  make
  binutils
  libc6-dev
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  libabsl-dev
  linux-headers-amd64
  clang-format
  clang-tidy
  qemu-system-x86
  busybox-static
  cpio
  kmod
  dkms
  clang               # libFuzzer targets (tools/fuzz/run.sh): clang++-14
  libclang-rt-14-dev  # ... and its fuzzer/ASan/UBSan runtimes
  libssl-dev          # the rig's virtual MT7925 (rig/vmt7925): OpenSSL libcrypto, @openssl
)

installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]; }

updated=0
install_missing() {
  local missing=()
  for p in "$@"; do
    installed "$p" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "setup: installing ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing packages and not root; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [[ $updated -eq 0 ]]; then
    apt-get update -q
    updated=1
  fi
  # INITRD=No: the kernel image's hook would spend minutes building an initramfs nobody
  # uses (the module test boots its own busybox one).
  INITRD=No apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_missing "${packages[@]}"

# npm fetches buildifier for `make lint`; use the machine's npm if it has one (it may come
# from outside Debian), else Debian's.
command -v npm >/dev/null 2>&1 || install_missing npm

# --- The two Debian kernel series (docs/kmod.md) ---------------------------------------------
# 6.1 is bookworm's (linux-headers-amd64 above). 6.12 is the series Debian 13 ships, built for
# bookworm in bookworm-backports and bookworm-security: the newest
# linux-headers-6.12.<n>+deb12-amd64 either suite has, resolved here because the archive drops
# old patch releases. bookworm-backports is NotAutomatic/ButAutomaticUpgrades, so apt gives it
# priority 100, below bookworm's 500: nothing else comes from it unless named.
backports_file=/etc/apt/sources.list.d/debian-bookworm-backports.sources
ensure_backports() {
  grep -rqsE '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: needs bookworm-backports in the apt sources; run as root (tools/setup.sh)" >&2
    exit 1
  fi
  echo "setup: adding bookworm-backports (main) in $backports_file"
  cat >"$backports_file" <<'EOF'
# Added by connac-core tools/setup.sh: the Linux 6.12 headers and image (docs/kmod.md).
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  updated=0  # the new suite needs its package lists
}
# The newest installed linux-headers-6.12.<n>+deb12-amd64, as "<release>".
installed_612() {
  dpkg-query -W -f='${Package} ${Status}\n' 'linux-headers-6.12.*+deb12-amd64' 2>/dev/null |
    awk '$2 == "install" && $3 == "ok" && $4 == "installed" { sub(/^linux-headers-/, "", $1); print $1 }' |
    grep -E '^6\.12\.[0-9]+\+deb12-amd64$' | sort -V | tail -n 1 || true
}
# The newest release whose headers and (signed) image the archive offers now.
newest_612() {
  local rel
  apt-cache pkgnames linux-headers-6.12. | sed -n 's/^linux-headers-\(6\.12\.[0-9]*+deb12-amd64\)$/\1/p' |
    sort -rV | while read -r rel; do
      if apt-cache policy "linux-headers-$rel" "linux-image-$rel" 2>/dev/null |
        grep -c 'Candidate: [0-9]' | grep -qx 2; then
        echo "$rel"
        break
      fi
    done
}
rel612=$(installed_612)
if [[ -z "$rel612" ]] || ! installed "linux-image-$rel612"; then
  ensure_backports
  if [[ -z "$rel612" ]]; then
    if [[ $updated -eq 0 ]]; then
      apt-get update -q
      updated=1
    fi
    rel612=$(newest_612)
    if [[ -z "$rel612" ]]; then
      echo "setup: no linux-headers-6.12.*+deb12-amd64 with a matching linux-image in the archive" >&2
      exit 1
    fi
  fi
  install_missing "linux-headers-$rel612" "linux-image-$rel612"
fi

# The kernels the module test boots: for each series tools/kdir.sh picks (the newest installed
# headers of 6.1 and of 6.12), the image of the same release (/boot/vmlinuz-<release>).
while read -r -u 3 _ release _; do
  install_missing "linux-image-$release"
done 3< <("$(dirname "${BASH_SOURCE[0]}")/kdir.sh" list || true)
