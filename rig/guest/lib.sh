# Helpers for the rig's guest scripts (busybox sh). The host reads /dev/ttyS1 (RIG_OUT):
#   "S <scenario>"    the lines that follow belong to this scenario (several per boot)
#   "T <ms> <event>"  timeline entry (guest uptime in ms)
#   "R <key> <value>" result field
#   "== <section>"    start of a raw section (dmesg, counters), ended by "== end"
RIG_OUT=${RIG_OUT:-/dev/ttyS1}
# Settings from the host (rig/run.sh writes them: RIG_RELOAD_MS, ...).
[ -f /rig/env ] && . /rig/env

# Loops in these scripts use shell builtins only: under TCG a fork+exec costs tens of ms, and
# a 0.1 s poll loop of awk/wpa_cli ate the CPU the traffic probe needs.
# now_ms: NOW = the guest's uptime in ms (/proc/uptime has two decimals).
now_ms() {
  local _u _r
  read -r _u _r </proc/uptime
  NOW=$((${_u%.*} * 1000 + (1${_u#*.} - 100) * 10))
}
uptime_ms() { now_ms; echo "$NOW"; }
mark() { now_ms; echo "T $NOW $*" >"$RIG_OUT"; echo "rig: $*"; }
result() { local k=$1; shift; echo "R $k $*" >"$RIG_OUT"; }
section() { echo "== $1" >"$RIG_OUT"; cat >"$RIG_OUT"; echo "== end" >"$RIG_OUT"; }

# wait_for SECONDS CMD...: polls CMD every 0.2 s until SECONDS of uptime have passed (not a
# count of polls: under TCG one poll can take far longer); 0 when it succeeded.
wait_for() {
  now_ms
  local _end=$((NOW + $1 * 1000))
  shift
  while :; do
    "$@" >/dev/null 2>&1 && return 0
    now_ms
    [ "$NOW" -ge "$_end" ] && return 1
    usleep 200000
  done
}

# The phy whose driver is mac80211_hwsim / the netdev of the mt7925u phy.
hwsim_phys() {
  local p
  for p in /sys/class/ieee80211/*; do
    case "$(readlink -f "$p/device")" in *hwsim*) basename "$p" ;; esac
  done
}
mt7925_netdev() {
  local n
  for n in /sys/class/net/*; do
    [ -e "$n/phy80211" ] || continue
    case "$(readlink -f "$n/device/driver")" in *mt7925u*) basename "$n"; return 0 ;; esac
  done
  return 1
}

no_mt7925_netdev() { ! mt7925_netdev >/dev/null; }

# busybox-static's ash runs its own applets before PATH (SH_STANDALONE): call iproute2's ip,
# which knows netns, explicitly.
ip() { /usr/sbin/ip "$@"; }

# ---------------------------------------------------------------- the APs (once per boot)
# Two APs with one SSID and WPA2-PSK (CCMP) on two mac80211_hwsim radios in netns "ap":
# AP1 on 2.4 GHz channel 6, AP2 on 5 GHz channel 36 (hwsim regtest=5: a custom world
# regulatory domain without NO-IR on 5150-5250 MHz, so hostapd may beacon there). Both are
# ports of bridge br0 (10.77.0.1/24), so the station keeps its address across a roam; the
# probe's ICMP echo requests are answered there by the AP side's kernel. AP2 is disabled after start: a scenario enables it to
# roam (hostapd_cli enable/disable; disable deauthenticates its stations).
SSID=rig-wpa2
PSK=connac-rig-passphrase
AP_ADDR=10.77.0.1
AP_BRIDGE_MAC=02:00:00:00:aa:01
STA_ADDR=10.77.0.2
AP1_FREQ=2437
AP2_FREQ=5180

# apcli IFACE CMD...: hostapd_cli for the AP on IFACE (in netns ap).
apcli() { local i=$1; shift; ip netns exec ap hostapd_cli -p /run/hostapd -i "$i" "$@"; }
ap_bssid() { apcli "$1" status 2>/dev/null | sed -n 's/^bssid\[0\]=//p'; }
ap_enabled() { apcli "$1" status 2>/dev/null | grep -q '^state=ENABLED'; }

# ap_netns_up: netns "ap" with the first two hwsim phys moved into it and the bridge br0
# ($AP_ADDR) their APs join; AP_PHY_IF1 and AP_PHY_IF2 name the phys' interfaces.
ap_netns_up() {
  ip netns add ap
  local phys; phys=$(hwsim_phys)
  set -- $phys
  [ $# -ge 2 ] || { mark "error: need two hwsim phys, have: $phys"; return 1; }
  AP_PHY_IF1=$(ls "/sys/class/ieee80211/$1/device/net/" | head -n 1)
  AP_PHY_IF2=$(ls "/sys/class/ieee80211/$2/device/net/" | head -n 1)
  iw phy "$1" set netns name ap && iw phy "$2" set netns name ap ||
    { mark "error: cannot move the hwsim phys"; return 1; }
  ip netns exec ap ip link set lo up
  # A fixed address: the station pins it (rig_connect), and a bridge otherwise takes the
  # lowest port address, which changes as hostapd adds and removes ports.
  ip netns exec ap ip link add br0 address "$AP_BRIDGE_MAC" type bridge
  ip netns exec ap ip addr add "$AP_ADDR/24" dev br0
  ip netns exec ap ip link set br0 up
  mark "hwsim-moved $AP_PHY_IF1 $AP_PHY_IF2"
}

rig_aps_up() {
  ap_netns_up || return 1
  AP1_IF=$AP_PHY_IF1
  AP2_IF=$AP_PHY_IF2
  ap_conf "$AP1_IF" g 6 0 >/tmp/hostapd1.conf
  ap_conf "$AP2_IF" a 36 >/tmp/hostapd2.conf
  ip netns exec ap hostapd -B -t -P /run/hostapd.pid -f /tmp/hostapd.log \
    /tmp/hostapd1.conf /tmp/hostapd2.conf || { mark "error: hostapd failed"; return 1; }
  wait_for 10 ap_enabled "$AP1_IF" || { mark "error: AP1 not enabled"; return 1; }
  wait_for 10 ap_enabled "$AP2_IF" || { mark "error: AP2 not enabled"; return 1; }
  ap_disable "$AP2_IF"
  AP1_BSSID=$(ap_bssid "$AP1_IF")
  AP2_BSSID=$(ip netns exec ap cat "/sys/class/net/$AP2_IF/address")
  echo "AP1_IF=$AP1_IF AP2_IF=$AP2_IF AP1_BSSID=$AP1_BSSID AP2_BSSID=$AP2_BSSID" >/run/rig-aps
  mark "hostapd-up $AP1_BSSID $AP2_BSSID"
}
# ap_conf IFACE HW_MODE CHANNEL
ap_conf() {
  cat <<CONF
interface=$1
bridge=br0
driver=nl80211
ctrl_interface=/run/hostapd
ssid=$SSID
hw_mode=$2
channel=$3
wmm_enabled=1
wpa=2
wpa_key_mgmt=WPA-PSK
rsn_pairwise=CCMP
wpa_passphrase=$PSK
CONF
}
# Scenarios read the AP names the boot set up.
[ -f /run/rig-aps ] && . /run/rig-aps

ap_enable() { apcli "$1" enable >/dev/null 2>&1; }
ap_disable() { apcli "$1" disable >/dev/null 2>&1; }

# ---------------------------------------------------------------- the device under test
# rig_device_up [vmt7925 run options]: the virtual MT7925 (reload floor 350 ms, every MCU
# command logged as a device event) and the stock driver's netdev in $STA.
RIG_RELOAD_MS=${RIG_RELOAD_MS:-350}
rig_device_up() {
  vmt7925 run --reload-ms "$RIG_RELOAD_MS" --log-mcu "$@" >/tmp/vmt7925.log 2>&1 &
  echo $! >/run/vmt7925.pid
  wait_for 20 mt7925_netdev || { mark "error: no mt7925u netdev"; return 1; }
  STA=$(mt7925_netdev)
  mark "wlan-registered $STA"
  result sta_ifname "$STA"
}

# rig_connect [FREQS]: wpa_supplicant on $STA (WPA2-PSK CCMP), waits for COMPLETED, sets
# the address. Results: associated, cipher, group_cipher, bssid.
wpa() { wpa_cli -p /run/wpa_supplicant -i "$STA" "$@"; }
wpa_state() { wpa status 2>/dev/null | sed -n 's/^wpa_state=//p'; }
wpa_bssid() { wpa status 2>/dev/null | sed -n 's/^bssid=//p'; }
wpa_completed() { [ "$(wpa_state)" = COMPLETED ]; }
# sta_addr_up: $STA up with $STA_ADDR, and both ends' neighbour entries pinned. The kernel
# flushes dynamic entries when the carrier drops (neigh_carrier_down), and re-resolution
# while the link is down retries once a second (retrans_time), so the first echo after a
# recovery would wait 0-1 s for the next ARP retry: noise that is the same for either driver
# and is not the Wi-Fi outage. (An MLD station's address is its MLD address.)
sta_addr_up() {
  ip link set "$STA" up && mark "link-up $STA"
  ip addr add "$STA_ADDR/24" dev "$STA"
  ip neigh replace "$AP_ADDR" lladdr "$AP_BRIDGE_MAC" dev "$STA" nud permanent
  ip netns exec ap ip neigh replace "$STA_ADDR" lladdr "$(cat "/sys/class/net/$STA/address")" \
    dev br0 nud permanent
}
rig_connect() {
  sta_addr_up
  cat >/tmp/wpa.conf <<CONF
ctrl_interface=/run/wpa_supplicant
network={
  ssid="$SSID"
  key_mgmt=WPA-PSK
  proto=RSN
  pairwise=CCMP
  group=CCMP
  psk="$PSK"
  scan_freq=${1:-$AP1_FREQ $AP2_FREQ}
}
CONF
  wpa_supplicant -B -t -i "$STA" -D nl80211 -c /tmp/wpa.conf -f /tmp/wpa.log -P /run/wpa.pid
  mark supplicant-started
  # The probe runs from here on: it records the association, and traffic from the first
  # echo on.
  rigprobe run --dst "$AP_ADDR" --interval-ms 10 --gap-ms 100 --iface "$STA" \
    --wpa-ctrl "/run/wpa_supplicant/$STA" --state-file /run/probe.state >/tmp/probe.log 2>&1 &
  echo $! >/run/probe.pid
  if wait_for 30 connected && wpa_completed; then
    mark associated
    result associated true
  else
    mark "not-associated state=$(wpa_state)"
    result associated false
  fi
  wpa status >/tmp/wpa_status 2>&1
  result cipher "$(sed -n 's/^pairwise_cipher=//p' /tmp/wpa_status)"
  result group_cipher "$(sed -n 's/^group_cipher=//p' /tmp/wpa_status)"
  result bssid "$(sed -n 's/^bssid=//p' /tmp/wpa_status)"
}

# ---------------------------------------------------------------- traffic
# rigprobe (started by rig_connect): an ICMP echo request every 10 ms to the bridge behind
# the APs, the interface's operstate and the supplicant's events in /tmp/probe.log, and its
# state line in /run/probe.state (rigprobe.cc): P_LAST (arrival of the latest echo reply),
# P_GFROM/P_GTO (the most recent gap of 500 ms or more, reply arrival times), P_BSSID (the AP of the
# last CTRL-EVENT-CONNECTED, "-" when disconnected).
probe_state() {
  P_LAST=-1 P_GFROM=-1 P_GTO=-1 P_BSSID=-
  [ -f /run/probe.state ] && read -r P_LAST P_GFROM P_GTO P_BSSID </run/probe.state
  return 0
}
connected() { probe_state; [ "$P_BSSID" != - ]; }
last_reply() { probe_state; echo "$P_LAST"; }
# reply_after MS: an echo reply arrived after MS.
reply_after() { probe_state; [ "$P_LAST" -gt "$1" ]; }
# rig_probe_start: waits for the first echo replies.
rig_probe_start() { wait_for 10 reply_after 0 && mark "traffic-flowing"; }
# rig_wait_recovered SINCE_MS SECONDS: echo replies arrive again (one in the last 300 ms)
# after a gap of 500 ms or more that began after SINCE_MS: the outage closed. (TCG alone
# makes gaps of 100-200 ms now and then.)
recovered_since() {
  probe_state
  now_ms
  [ "$P_GFROM" -ge "$1" ] && [ "$P_LAST" -ge $((NOW - 300)) ]
}
rig_wait_recovered() { wait_for "$2" recovered_since "$1"; }
rig_probe_stop() {
  [ -f /run/probe.pid ] && kill "$(cat /run/probe.pid)" 2>/dev/null
  usleep 200000
  rm -f /run/probe.pid
}

# ---------------------------------------------------------------- roaming
# rig_prepare_roam: AP2 (5 GHz) comes up and the supplicant knows it. The scan is iw's (an
# external scan to wpa_supplicant): its results fill the supplicant's BSS table, which
# `wpa_cli roam` needs, but are not used for network selection, so the supplicant does not
# roam on its own before the scenario asks it to.
in_scan() { wpa scan_results 2>/dev/null | grep -qi "^$1"; }
rig_prepare_roam() {
  ap_enable "$AP2_IF"
  wait_for 10 ap_enabled "$AP2_IF" || { mark "error: AP2 not enabled"; return 1; }
  local i
  for i in 1 2 3 4 5; do
    timeout 10 iw dev "$STA" scan >/dev/null 2>&1
    wait_for 2 in_scan "$AP2_BSSID" && { mark "ap2-seen $AP2_BSSID"; return 0; }
  done
  mark "error: AP2 not in the scan results"
  return 1
}
# rig_roam_hang [FAULT...]: the #1036 case, shared by roam-hang, roam-hang-probe and
# roam-hang-reset-fails. Associated with AP1 and passing traffic, the firmware is armed to
# hang at the first BSS_INFO_UPDATE after the "roam-started" mark (each FAULT, e.g.
# "reset-fails count=1", is armed before it), the station roams to AP2 with `wpa_cli roam`,
# and the scenario waits up to 100 s for traffic to come back, then reports.
rig_roam_hang() {
  rig_device_up || return 1
  rig_connect
  rig_probe_start
  rig_prepare_roam || return 1
  sleep 1
  local t0 f
  t0=$(uptime_ms)
  mark "roam-started wpa_cli $AP2_BSSID"
  for f in "$@"; do
    # shellcheck disable=SC2086 # a fault is a word list: kind key=value...
    vmt7925ctl fault $f >/dev/null
  done
  vmt7925ctl fault hang cid=0x02 >/dev/null
  wpa roam "$AP2_BSSID" >/dev/null
  rig_wait_recovered "$t0" 100 && mark recovered
  sleep 2
  rig_report_state
}
# on_bssid BSSID: associated (COMPLETED) with that AP.
on_bssid() { wpa_completed && [ "$(wpa_bssid)" = "$1" ]; }

# ---------------------------------------------------------------- end of a scenario
# rig_report_state: what the report's final_state reads (supplicant state, device status,
# the probe log and the supplicant's log as sections).
rig_report_state() {
  result wpa_state "$(wpa_state)"
  result final_bssid "$(wpa_bssid)"
  result last_reply_ms "$(last_reply)"
  result end_ms "$(uptime_ms)"
  timeout 5 vmt7925ctl status | section device
  rig_probe_stop
  section probe-log </tmp/probe.log
}

# dev_stat KEY: one counter of the device's status (vmt7925ctl status).
dev_stat() { timeout 5 vmt7925ctl status 2>/dev/null | sed -n "s/^$1=//p"; }
# wait_quiet SECONDS: the driver sends no MCU command for 1.5 s and the device is not hung.
wait_quiet() {
  local left=$(($1 * 2)) last="" n
  while [ "$left" -gt 0 ]; do
    n="$(dev_stat mcu_commands) $(dev_stat hung)"
    [ "$n" = "$last" ] && [ "${n#* }" = 0 ] && return 0
    last=$n
    usleep 1500000
    left=$((left - 3))
  done
  return 1
}

# rig_teardown: the device goes away without leaving the driver mid-recovery (stock 6.12
# runs a reset work queued by a late MCU timeout on an unplugged device: a kthread_park WARN
# and memory corruption were seen when a hung device was simply unplugged). So: the fault is
# cleared, a command the hung firmware swallowed still times out (3 s) and the driver's
# reset completes, the supplicant stops, the driver is unbound while the device still
# answers (as rmmod would), and only then the device process exits. Run by /init between
# scenarios; a device that does not go away taints the guest (the rest run in a new boot).
rig_teardown() {
  rig_probe_stop
  if [ -f /run/vmt7925.pid ] && kill -0 "$(cat /run/vmt7925.pid)" 2>/dev/null; then
    local hung; hung=$(dev_stat hung)
    timeout 5 vmt7925ctl fault clear >/dev/null 2>&1
    [ "$hung" = 1 ] && sleep 4
    wait_quiet 30 || echo "rig: teardown: the driver did not settle"
  fi
  if [ -f /run/wpa.pid ]; then
    kill "$(cat /run/wpa.pid)" 2>/dev/null
    wait_for 5 sh -c "! kill -0 $(cat /run/wpa.pid) 2>/dev/null"
    [ -f /run/vmt7925.pid ] && wait_quiet 10
  fi
  local d
  for d in /sys/bus/usb/drivers/mt7925u/*:*; do
    [ -e "$d" ] || continue
    timeout 30 sh -c "echo $(basename "$d") >/sys/bus/usb/drivers/mt7925u/unbind" ||
      echo "rig: teardown: unbind $(basename "$d") failed"
  done
  if [ -f /run/vmt7925.pid ]; then
    kill -9 "$(cat /run/vmt7925.pid)" 2>/dev/null
    wait_for 5 sh -c "! kill -0 $(cat /run/vmt7925.pid) 2>/dev/null"
  fi
  if ! wait_for 10 no_mt7925_netdev; then
    mark "error: teardown: the mt7925u netdev did not go"
    touch /run/rig-tainted
  fi
  rm -f /run/wpa.pid /run/vmt7925.pid /run/probe.state
  if [ -n "${AP1_IF:-}" ]; then
    ap_enable "$AP1_IF"
    ap_disable "$AP2_IF"
  fi
  rm -rf /run/wpa_supplicant
  sleep 1
}

# ---------------------------------------------------------------- MLO (issue 16)
# Two AP MLDs with one SSID on two mac80211_hwsim radios in netns "ap", each with two
# links: MLD1 on 2.4 GHz channel 6 + 5 GHz channel 36, MLD2 on 2.4 GHz channel 11 + 5 GHz
# channel 44 (MLD_LINKS1/MLD_LINKS2: "<hw_mode>:<channel>" per link, in link-id order).
# hostapd-mld (mkinitramfs.sh: a hostapd with 802.11be, RIG_HOSTAPD_MLD; Debian's has none)
# runs one process per AP MLD, one config file per link: the links of an AP MLD are config
# files naming the same interface with mld_ap=1 (hostapd main.c hostapd_driver_init: a
# later link reuses the first link's driver interface). Needs hwsim loaded with mlo=1 (MLO
# ops, chanctx), channels >= links (links on different channels of one wiphy) and
# regtest=0 (docs/rig.md, MLO): the scenario's files/cmdline, with rig.aps=mld so /init
# calls this instead of rig_aps_up. WPA3-SAE (H2E, as 6 GHz requires) with PMF required, as
# an MLD association requires; CCMP-128, BIP-CMAC-128.
MLD_SSID=rig-mld
MLD_PASS=connac-rig-passphrase
MLD_LINKS1=${MLD_LINKS1:-"g:6 a:36"}
MLD_LINKS2=${MLD_LINKS2:-"g:11 a:44"}
MLD_COUNTRY=${MLD_COUNTRY:-US}
# A boot's own links and country from the kernel command line (a scenario's files/cmdline):
# rig.mld_links1=g:6,a:36,6:5 (6:<channel>: 6 GHz, operating class 131), rig.mld_links2=...,
# rig.mld_country=DE.
for _w in $(cat /proc/cmdline 2>/dev/null); do
  case "$_w" in
    rig.mld_links1=*) MLD_LINKS1=$(echo "${_w#*=}" | tr , ' ') ;;
    rig.mld_links2=*) MLD_LINKS2=$(echo "${_w#*=}" | tr , ' ') ;;
    rig.mld_country=*) MLD_COUNTRY=${_w#*=} ;;
  esac
done

# mldcli IFACE LINK CMD...: hostapd_cli 2.11 for one link of the AP MLD on IFACE (netns ap).
mldcli() {
  local i=$1 l=$2
  shift 2
  ip netns exec ap hostapd_cli-mld -p /run/hostapd -i "${i}_link$l" "$@"
}
mld_link_enabled() { mldcli "$1" "$2" status 2>/dev/null | grep -q '^state=ENABLED'; }
# mld_field IFACE LINK KEY: one field of that link's STATUS.
mld_field() { mldcli "$1" "$2" status 2>/dev/null | sed -n "s/^$3=//p" | head -n 1; }

# mld_link_conf IFACE HW_MODE CHANNEL: one link of an AP MLD; HW_MODE g (2.4 GHz), a
# (5 GHz) or 6 (6 GHz: hw_mode a in operating class 131, 20 MHz; SAE H2E as 6 GHz requires).
mld_link_conf() {
  cat <<CONF
interface=$1
bridge=br0
driver=nl80211
ctrl_interface=/run/hostapd
ssid=$MLD_SSID
hw_mode=$(if [ "$2" = 6 ]; then echo a; else echo "$2"; fi)
channel=$3
wmm_enabled=1
ieee80211n=1
ieee80211ax=1
ieee80211be=1
mld_ap=1
wpa=2
wpa_key_mgmt=SAE
sae_password=$MLD_PASS
sae_pwe=1
rsn_pairwise=CCMP
ieee80211w=2
group_mgmt_cipher=AES-128-CMAC
CONF
  [ "$2" = a ] && echo "ieee80211ac=1"
  [ "$2" = 6 ] && echo "op_class=131"
  return 0
}

# rig_medium_up RADIOS CHANNELS: the boot's hwsim medium holder (`vmt7925 medium`, docs/rig.md
# "vmt7925 MLO") for an MLO boot with the virtual MT7925: hwsim refuses a medium once a radio
# has channels > 1, so /init loads hwsim with radios=0 (files/cmdline: rig.medium=R:C), the
# holder registers first and creates the AP radios (with MLO), and every `vmt7925 run`
# attaches to it through /run/vmt7925-medium.sock. Runs for the whole boot.
rig_medium_up() {
  rm -f /run/vmt7925-medium.sock
  vmt7925 medium --radios "$1" --channels "$2" --mlo >/tmp/vmt7925-medium.log 2>&1 &
  echo $! >/run/vmt7925-medium.pid
  if ! wait_for 20 test -S /run/vmt7925-medium.sock; then
    mark "error: the vmt7925 medium holder did not come up"
    cat /tmp/vmt7925-medium.log
    return 1
  fi
  wait_for 10 sh -c "[ \$(ls /sys/class/ieee80211 | wc -l) -ge $1 ]"
  mark "medium-up radios=$1 channels=$2 $(hwsim_phys | xargs)"
}
rig_mld_ap_up() {
  ap_netns_up || return 1
  MLD1_IF=$AP_PHY_IF1
  MLD2_IF=$AP_PHY_IF2
  # The country (regulatory.db from unstable's wireless-regdb, mkinitramfs.sh): US allows
  # 80 MHz and initiating radiation on channels 36-48, so APs beacon there and a station is
  # VHT/HE/EHT capable on 5 GHz. (The boot loads hwsim with regtest=0: no custom domain.)
  iw reg set "$MLD_COUNTRY"
  wait_for 5 sh -c "iw reg get | grep -q 'country $MLD_COUNTRY'" ||
    { mark "error: regulatory domain $MLD_COUNTRY not set"; iw reg get; return 1; }
  local m l lk x n i
  for m in 1 2; do
    eval "lk=\$MLD_LINKS$m"
    l=0
    : >"/tmp/hostapd-mld$m.list"
    for x in $lk; do
      eval "mld_link_conf \$MLD${m}_IF ${x%%:*} ${x#*:}" >"/tmp/hostapd-mld$m-$l.conf"
      echo "/tmp/hostapd-mld$m-$l.conf" >>"/tmp/hostapd-mld$m.list"
      l=$((l + 1))
    done
    eval "MLD${m}_NLINKS=$l"
    mld_start "$m" || return 1
  done
  local info="" freqs=""
  for m in 1 2; do
    eval "n=\$MLD${m}_NLINKS; i=\$MLD${m}_IF"
    l=0
    while [ $l -lt "$n" ]; do
      info="$info MLD${m}_L${l}=$(mld_field "$i" "$l" link_addr)"
      x=$(mld_field "$i" "$l" freq)
      info="$info MLD${m}_F${l}=$x"
      freqs="$freqs $x"
      l=$((l + 1))
    done
    info="$info MLD${m}_ADDR=$(mld_field "$i" 0 'mld_addr\[0\]')"
  done
  echo "MLD1_IF=$MLD1_IF MLD2_IF=$MLD2_IF MLD1_NLINKS=$MLD1_NLINKS MLD2_NLINKS=$MLD2_NLINKS$info" \
    "MLD_FREQS='${freqs# }'" >/run/rig-aps
  . /run/rig-aps
  cat /run/rig-aps
  mark "hostapd-mld-up $MLD1_ADDR $MLD2_ADDR"
}
# mld_start M: the hostapd of AP MLD M (1|2), one process per AP MLD (so one can go away
# alone: hostapd's DISABLE_MLD refused with "Cannot disable last BSS"), its links' config
# files in /tmp/hostapd-mld<M>.list; waits until every link is ENABLED.
mld_start() {
  local m=$1 i n l
  eval "i=\$MLD${m}_IF; n=\$MLD${m}_NLINKS"
  # shellcheck disable=SC2046 # one config file per link
  if ! ip netns exec ap hostapd-mld -B -t -P "/run/hostapd-mld$m.pid" -f /tmp/hostapd.log \
      $(cat "/tmp/hostapd-mld$m.list"); then
    if grep -q "unknown configuration item 'ieee80211be'" /tmp/hostapd.log; then
      mark "error: hostapd-mld has no 802.11be (CONFIG_IEEE80211BE): cannot be an AP MLD"
    else
      mark "error: hostapd-mld failed"
    fi
    tail -n 5 /tmp/hostapd.log
    return 1
  fi
  l=0
  while [ $l -lt "$n" ]; do
    wait_for 15 mld_link_enabled "$i" "$l" || { mark "error: MLD$m link $l not enabled"; return 1; }
    l=$((l + 1))
  done
}
# mld_disable M: AP MLD M goes away (its hostapd stops: every station is deauthenticated,
# beacons stop). mld_enable M: it comes back.
mld_disable() {
  local p
  p=$(cat "/run/hostapd-mld$1.pid" 2>/dev/null) || return 1
  kill "$p"
  wait_for 5 sh -c "! kill -0 $p 2>/dev/null"
}
mld_enable() { mld_start "$1"; }

# rig_mld_connect [FREQS]: (default: every AP MLD link's) wpa_supplicant 2.11 (wpa_supplicant-mld) on $STA for the AP
# MLDs (SAE H2E, PMF required, CCMP), the probe, waits for COMPLETED. The supplicant
# associates with every link the AP MLD and the station's wiphy support (MLO needs the
# driver's WIPHY_FLAG_SUPPORTS_MLO). Results: associated, cipher, group_cipher, bssid,
# ap_mld_addr.
wpam() { wpa_cli-mld -p /run/wpa_supplicant -i "$STA" "$@"; }
wpam_field() { wpam status 2>/dev/null | sed -n "s/^$1=//p" | head -n 1; }
wpam_completed() { [ "$(wpam_field wpa_state)" = COMPLETED ]; }
# on_mld ADDR: associated (COMPLETED) with the AP MLD of that MLD address.
on_mld() { wpam_completed && [ "$(wpam_field ap_mld_addr)" = "$1" ]; }
rig_mld_connect() {
  sta_addr_up
  cat >/tmp/wpa.conf <<CONF
ctrl_interface=/run/wpa_supplicant
sae_pwe=1
network={
  ssid="$MLD_SSID"
  key_mgmt=SAE
  proto=RSN
  pairwise=CCMP
  group=CCMP
  ieee80211w=2
  sae_password="$MLD_PASS"
  scan_freq=${1:-$MLD_FREQS}
${MLD_BSSID_HINT:+  bssid_hint=$MLD_BSSID_HINT}
}
CONF
  wpa_supplicant-mld -B -t -i "$STA" -D nl80211 -c /tmp/wpa.conf -f /tmp/wpa.log -P /run/wpa.pid
  mark supplicant-started
  rigprobe run --dst "$AP_ADDR" --interval-ms 10 --gap-ms 100 --iface "$STA" \
    --wpa-ctrl "/run/wpa_supplicant/$STA" --state-file /run/probe.state >/tmp/probe.log 2>&1 &
  echo $! >/run/probe.pid
  if wait_for 40 connected && wpam_completed; then
    mark associated
    result associated true
  else
    mark "not-associated state=$(wpam_field wpa_state)"
    result associated false
  fi
  wpam status >/tmp/wpa_status 2>&1
  result cipher "$(sed -n 's/^pairwise_cipher=//p' /tmp/wpa_status)"
  result group_cipher "$(sed -n 's/^group_cipher=//p' /tmp/wpa_status)"
  result bssid "$(sed -n 's/^bssid=//p' /tmp/wpa_status)"
  result ap_mld_addr "$(sed -n 's/^ap_mld_addr=//p' /tmp/wpa_status)"
}

# mld_sta_links: the station's links, one line per link: "<link_id> <band> <freq> <AP link
# BSSID> <own link address>". Link, address and channel from `iw dev info` (mac80211's
# view), the AP's link BSSID from the supplicant (wpa_cli MLO_STATUS); MLO_STATUS alone is
# not enough: after a roam 2.11 reports freq=0 for the links other than the one it
# associated on.
mld_sta_links() {
  wpam mlo_status 2>/dev/null >/tmp/mlo_status
  iw-mld dev "$STA" info 2>/dev/null | awk '
    FNR == NR { if ($0 ~ /^link_id=/) id = substr($0, 9)
                if ($0 ~ /^ap_link_addr=/) ap[id] = substr($0, 14); next }
    $1 == "-" && $2 == "link" && $3 == "ID" { id = $4; addr = $7; next }
    $1 == "channel" && id != "" { f = $3; sub(/^\(/, "", f)
      f += 0; band = f < 3000 ? "2.4" : (f < 5950 ? "5" : "6")
      print id, band, f, (id in ap ? ap[id] : "-"), addr; id = "" }' /tmp/mlo_status -
}
# mld_report_links TAG: the links now, as results links_<TAG> ("<id>/<band>/<bssid>" list)
# and n_links_<TAG>, and the raw views (wpa_cli status and mlo_status, iw dev info and
# station dump) as section mld-<TAG>.
mld_report_links() {
  local tag=$1
  mld_sta_links >/tmp/mld-links
  result "n_links_$tag" "$(grep -c . /tmp/mld-links)"
  result "links_$tag" "$(awk '{ printf "%s%s/%s/%s", (NR > 1 ? " " : ""), $1, $2, $4 }' /tmp/mld-links)"
  {
    echo "# links: id band freq ap_link_addr sta_link_addr"
    cat /tmp/mld-links
    echo "# wpa_cli status"; wpam status
    echo "# wpa_cli mlo_status"; wpam mlo_status
    echo "# iw dev $STA info"; iw-mld dev "$STA" info
    echo "# iw dev $STA station dump"; iw-mld dev "$STA" station dump
  } 2>&1 | section "mld-$tag"
}

# ---------------------------------------------------------------- MLO with the virtual MT7925
# rig_mld_sta_up: the virtual MT7925 (MLO from the boot's vmt7925.mlo=1, attached to the
# medium holder) associated with an AP MLD on its links, traffic flowing, and the driver's
# second link active (mt7925_mac_set_links activates it after the association: up to 10 s).
# Sets MLD_FROM (1|2, the AP MLD it is on) and MLD_TO (the other one).
mld_nlinks() { mld_sta_links | grep -c .; }
mld_all_links() { [ "$(mld_nlinks)" -ge "$1" ]; }
rig_mld_sta_up() {
  rig_device_up || return 1
  # MLD1 first (a hint to the supplicant, bssid_hint: MLD2 stays in its scan table for the
  # roam); if it picks MLD2 anyway, the roams go the other way (MLD_FROM/MLD_TO).
  MLD_BSSID_HINT=$MLD1_L0 rig_mld_connect
  rig_probe_start
  local a; a=$(wpam_field ap_mld_addr)
  if [ "$a" = "$MLD1_ADDR" ]; then MLD_FROM=1 MLD_TO=2; else MLD_FROM=2 MLD_TO=1; fi
  eval "wait_for 10 mld_all_links \$MLD${MLD_FROM}_NLINKS" && mark "links-up MLD$MLD_FROM"
  result mld_from "$MLD_FROM"
  result mld_to "$MLD_TO"
  local m v
  for m in 1 2; do
    eval "v=\"\$MLD${m}_ADDR \$MLD${m}_L0 \$MLD${m}_L1\""
    result "mld$m" "$v"
  done
}
# rig_mld_roam [hang]: `wpa_cli roam` to the other AP MLD's first link (all of its links
# come with it); with "hang" the firmware is armed to hang at the roam's first
# BSS_INFO_UPDATE (the #1036 case, as rig_roam_hang). Waits for the AP MLD, traffic and
# every link of it, then reports the links (links_roam) and the end state.
rig_mld_roam() {
  local t0 to toaddr n
  eval "to=\$MLD${MLD_TO}_L0; toaddr=\$MLD${MLD_TO}_ADDR; n=\$MLD${MLD_TO}_NLINKS"
  sleep 1
  t0=$(uptime_ms)
  mark "roam-started wpa_cli $to"
  [ "${1:-}" = hang ] && vmt7925ctl fault hang cid=0x02 >/dev/null
  wpam roam "$to" >/dev/null
  if [ "${1:-}" = hang ]; then
    rig_wait_recovered "$t0" 100 && mark recovered
  else
    wait_for 30 on_mld "$toaddr" && mark "roamed $toaddr"
    wait_for 20 reply_after "$(uptime_ms)" && mark traffic-back
  fi
  wait_for 15 mld_all_links "$n" && mark "links-up after the roam"
  sleep 2
  mld_report_links roam
  rig_mld_report_state
}
# rig_mld_report_state: rig_report_state for the MLO supplicant (wpa_cli 2.11).
rig_mld_report_state() {
  result wpa_state "$(wpam_field wpa_state)"
  result final_bssid "$(wpam_field bssid)"
  result final_ap_mld_addr "$(wpam_field ap_mld_addr)"
  result last_reply_ms "$(last_reply)"
  result end_ms "$(uptime_ms)"
  timeout 5 vmt7925ctl status | section device
  rig_probe_stop
  section probe-log </tmp/probe.log
}
