#!/usr/bin/env bash
# Builds the connac-mt7925 package tree (what DKMS installs as /usr/src/connac-mt7925-<v>):
#   Makefile, dkms.conf, scripts/prepare-mt76.sh, patches/<series>/ (kmod/mt7925/) and
#   connac/: the connac_core.ko sources with the core headers (tools/kmod/stage.sh: no test
#   material). No mt76 source: it comes from the user's linux-source at build time.
#
# usage: kmod/mt7925/stage.sh DEST_DIR      (DEST_DIR is replaced)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dest=${1:?usage: stage.sh DEST_DIR}
rm -rf "$dest"
mkdir -p "$dest/scripts"
"$repo/tools/kmod/stage.sh" "$dest/connac"
cp -p "$repo"/kmod/mt7925/{Makefile,dkms.conf} "$dest/"
cp -p "$repo/kmod/mt7925/prepare-mt76.sh" "$dest/scripts/"
cp -pR "$repo/kmod/mt7925/patches" "$dest/patches"
