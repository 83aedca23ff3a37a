#!/usr/bin/env bash
# Installs what connac-core needs from Debian 12 packages, and nothing else.
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

# The kernel the module test boots is the one whose headers the modules are built against:
# the newest installed linux-headers-<release>-amd64 (what KDIR defaults to).
release=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1 | sed 's|.*/linux-headers-||')
if [[ -n "$release" ]]; then
  install_missing "linux-image-$release"
fi
