# Helpers for the rig's guest scripts (busybox sh). The host reads /dev/ttyS1 (RIG_OUT):
#   "T <ms> <event>"  timeline entry (guest uptime in ms)
#   "R <key> <value>" result field
#   "== <section>"    start of a raw section (dmesg, counters), ended by "== end"
RIG_OUT=${RIG_OUT:-/dev/ttyS1}

uptime_ms() { awk '{printf "%d", $1 * 1000}' /proc/uptime; }
mark() { echo "T $(uptime_ms) $*" >"$RIG_OUT"; echo "rig: $*"; }
result() { local k=$1; shift; echo "R $k $*" >"$RIG_OUT"; }
section() { echo "== $1" >"$RIG_OUT"; cat >"$RIG_OUT"; echo "== end" >"$RIG_OUT"; }

# wait_for SECONDS CMD...: polls CMD every 0.1 s; 0 when it succeeded in time.
wait_for() {
  local _left=$(($1 * 10))
  shift
  while [ "$_left" -gt 0 ]; do
    "$@" >/dev/null 2>&1 && return 0
    usleep 100000
    _left=$((_left - 1))
  done
  return 1
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

# busybox-static's ash runs its own applets before PATH (SH_STANDALONE): call iproute2's ip,
# which knows netns, explicitly.
ip() { /usr/sbin/ip "$@"; }
