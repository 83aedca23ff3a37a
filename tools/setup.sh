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
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "setup: missing packages and not root; run as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
