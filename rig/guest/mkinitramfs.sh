#!/usr/bin/env bash
# Assembles the rig guest's initramfs (uncompressed cpio: the fastest to unpack under TCG).
#
#   mkinitramfs.sh RELEASE VMT7925_BIN RIGPROBE_BIN OUT.cpio SCENARIO_DIR...
#
# Contents: busybox (host's busybox-static), the kernel's own modules for the rig (closure of
# the roots below from modules.dep, decompressed: busybox insmod cannot read .ko.xz), the
# Debian userland (hostapd, hostapd_cli, wpa_supplicant, wpa_cli, iw, ip) with the shared
# libraries and loader they need, vmt7925 with the synthetic firmware it generates, rigprobe,
# the guest /init and lib.sh, and each scenario (guest.sh and files/ under
# /rig/scenarios/<name>/, run in the order given: /rig/scenarios.list). RIG_RELOAD_MS, when
# set, goes to /rig/env.
set -euo pipefail
cd "$(dirname "$0")/../.."
release=$1 vmt=$2 probe=$3 out=$4
shift 4
# RIG_MODULES_ROOT: another module tree for the same kernel (DRIVER=connac: connac-modules.sh).
K=${RIG_MODULES_ROOT:-$PWD/build/rig/kernel/$release}
UL=$PWD/build/rig/userland
stage=$(mktemp -d build/rig/stage.XXXXXX)
trap '[[ -n "${RIG_KEEP_STAGE:-}" ]] || rm -rf "$stage"' EXIT

# Modules: everything the rig loads, in dependency order.
roots=(dummy_hcd libcomposite usb_f_fs mac80211_hwsim mt7925u ccm gcm cmac ghash_generic
       aesni_intel bridge)
[[ -f "$K/lib/modules/$release/modules.dep" ]] || depmod -b "$K" "$release"
: >"$stage/modules.list"
declare -A seen=()
for r in "${roots[@]}"; do
  while read -r verb path _; do
    [[ "$verb" == insmod ]] || continue
    [[ -n "${seen[$path]:-}" ]] && continue
    seen[$path]=1
    rel=${path#"$K"}
    dst="$stage${rel%.xz}"
    mkdir -p "$(dirname "$dst")"
    case "$path" in
      *.xz) xz -dc "$path" >"$dst" ;;
      *) cp "$path" "$dst" ;;
    esac
    echo "${rel%.xz}" >>"$stage/modules.list"
  done < <(modprobe -d "$K" -S "$release" --show-depends "$r")
done
depmod -b "$stage" "$release" 2>/dev/null || true
mkdir -p "$stage/etc/rig" && mv "$stage/modules.list" "$stage/etc/rig/modules.list"

# busybox and its applets.
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,var,etc,root,rig}
ln -s /run "$stage/var/run"
cp /bin/busybox "$stage/bin/busybox"
for a in $("$stage/bin/busybox" --list-full); do
  [[ -e "$stage/$a" ]] || ln -s /bin/busybox "$stage/$a"
done

# Dynamic binaries and their libraries: resolved with the guest's own loader against the
# downloaded Debian libraries, falling back to the host's (for vmt7925's libstdc++).
libpath="$UL/lib/x86_64-linux-gnu:$UL/usr/lib/x86_64-linux-gnu"
copy_with_libs() {  # SRC DEST_IN_STAGE
  local src=$1 dst=$2
  mkdir -p "$(dirname "$stage$dst")"
  rm -f "$stage$dst"
  cp "$src" "$stage$dst"
  local lib
  while read -r lib; do
    [[ -z "$lib" ]] && continue
    local base; base=$(basename "$lib")
    [[ -e "$stage/lib/x86_64-linux-gnu/$base" ]] && continue
    mkdir -p "$stage/lib/x86_64-linux-gnu"
    cp -L "$lib" "$stage/lib/x86_64-linux-gnu/$base"
  done < <(LD_LIBRARY_PATH="$libpath" ldd "$src" | awk '/=> \//{print $3}')
}
mkdir -p "$stage/lib64"
cp -L "$UL/lib64/ld-linux-x86-64.so.2" "$stage/lib64/ld-linux-x86-64.so.2" 2>/dev/null ||
  cp -L /lib64/ld-linux-x86-64.so.2 "$stage/lib64/ld-linux-x86-64.so.2"
copy_with_libs "$UL/usr/sbin/hostapd" /usr/sbin/hostapd
copy_with_libs "$UL/usr/sbin/hostapd_cli" /usr/sbin/hostapd_cli
copy_with_libs "$UL/sbin/wpa_supplicant" /usr/sbin/wpa_supplicant
copy_with_libs "$UL/sbin/wpa_cli" /usr/sbin/wpa_cli
copy_with_libs "$UL/sbin/iw" /usr/sbin/iw
copy_with_libs "$UL/bin/ip" /usr/sbin/ip
copy_with_libs "$vmt" /usr/sbin/vmt7925
ln -sf vmt7925 "$stage/usr/sbin/vmt7925ctl"
copy_with_libs "$probe" /usr/sbin/rigprobe

# The MLO scenarios (issue 16: rig/scenarios/mlo-*) run hostapd, hostapd_cli, wpa_supplicant,
# wpa_cli 2.11 and iw from Debian unstable (fetch.sh sid), under /opt/sid with unstable's
# own loader and libraries (they need a newer glibc and OpenSSL than bookworm's), called
# through wrappers <tool>-mld in /usr/sbin. Bookworm's tools stay the plain names, so the
# single-link scenarios are unchanged. Only fetched when such a scenario is in this boot.
need_sid=0
for scen in "$@"; do
  case "$(basename "$scen")" in mlo-*) need_sid=1 ;; esac
done
if [[ $need_sid -eq 1 ]]; then
  usid=$(rig/guest/fetch.sh sid | tail -n 1) && [[ -f "$usid/.done" ]] ||
    { echo "rig: the MLO scenarios need hostapd 2.11 from Debian unstable, which could not be" \
        "fetched (rig/guest/fetch.sh sid)" >&2; exit 1; }
  usid=$PWD/$usid
  sl=$usid/usr/lib/x86_64-linux-gnu
  mkdir -p "$stage/opt/sid/bin" "$stage/opt/sid/lib"
  cp -L "$sl/ld-linux-x86-64.so.2" "$stage/opt/sid/lib/ld-linux-x86-64.so.2"
  for b in hostapd hostapd_cli wpa_supplicant wpa_cli iw; do
    cp "$usid/usr/sbin/$b" "$stage/opt/sid/bin/$b"
    while read -r lib; do
      [[ -e "$stage/opt/sid/lib/$(basename "$lib")" ]] || cp -L "$lib" "$stage/opt/sid/lib/"
    done < <("$sl/ld-linux-x86-64.so.2" --library-path "$sl" --list "$usid/usr/sbin/$b" |
             awk '/=> \//{print $3}')
    printf '#!/bin/sh\nexec /opt/sid/lib/ld-linux-x86-64.so.2 --library-path /opt/sid/lib /opt/sid/bin/%s "$@"\n' \
      "$b" >"$stage/usr/sbin/$b-mld"
    chmod +x "$stage/usr/sbin/$b-mld"
  done
  # The wireless regulatory database (upstream's, signed with a key the kernel has built in):
  # the MLO boot sets a country (lib.sh rig_mld_ap_up). Without it cfg80211 knows only the
  # world domain, and hwsim's regtest=5 domain allows 40 MHz at most on 5 GHz, so a station
  # on it limits itself to HT there (mac80211 mlme.c ieee80211_determine_our_sta_mode: "no
  # 80 MHz channel support on 5 GHz") and cannot use a 5 GHz link of an AP MLD.
  mkdir -p "$stage/lib/firmware"
  cp "$usid/usr/lib/firmware/regulatory.db-upstream" "$stage/lib/firmware/regulatory.db"
  cp "$usid/usr/lib/firmware/regulatory.db.p7s-upstream" "$stage/lib/firmware/regulatory.db.p7s"
  # Debian's hostapd 2.11 is built without CONFIG_IEEE80211BE ("unknown configuration item
  # 'ieee80211be'", and 'mld_ap'): it cannot be an AP MLD (docs/rig.md, MLO). An AP MLD
  # needs a hostapd that has it, given here as RIG_HOSTAPD_MLD (and RIG_HOSTAPD_CLI_MLD), a
  # dynamic binary for bookworm's libraries; without one, hostapd-mld is unstable's and
  # rig_mld_ap_up reports that it lacks 802.11be.
  if [[ -n "${RIG_HOSTAPD_MLD:-}" ]]; then
    copy_with_libs "$RIG_HOSTAPD_MLD" /usr/sbin/hostapd-mld
    [[ -z "${RIG_HOSTAPD_CLI_MLD:-}" ]] || copy_with_libs "$RIG_HOSTAPD_CLI_MLD" /usr/sbin/hostapd_cli-mld
  fi
fi

# Synthetic firmware (never the proprietary files), written by vmt7925 itself.
mkdir -p "$stage/lib/firmware/mediatek/mt7925"
"$vmt" gen-firmware "$stage/lib/firmware/mediatek/mt7925"

cp rig/guest/init "$stage/init"
cp rig/guest/lib.sh "$stage/rig/lib.sh"
names=()
for scen in "$@"; do
  name=$(basename "$scen")
  names+=("$name")
  mkdir -p "$stage/rig/scenarios/$name"
  cp "$scen/guest.sh" "$stage/rig/scenarios/$name/guest.sh"
  if [[ -d "$scen/files" ]]; then cp -r "$scen/files/." "$stage/rig/scenarios/$name/"; fi
done
echo "${names[*]}" >"$stage/rig/scenarios.list"
: >"$stage/rig/env"
if [[ -n "${RIG_RELOAD_MS:-}" ]]; then echo "RIG_RELOAD_MS=$RIG_RELOAD_MS" >>"$stage/rig/env"; fi
chmod +x "$stage/init"
echo "$release" >"$stage/etc/rig/release"
echo "${RIG_DRIVER:-stock}" >"$stage/etc/rig/driver"

( cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet ) >"$out.tmp"
mv "$out.tmp" "$out"
