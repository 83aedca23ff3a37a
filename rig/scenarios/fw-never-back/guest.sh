#!/bin/sh
# Scenario fw-never-back (guest side): a firmware that never comes back. While the station is
# associated the firmware asserts (COREDUMP, then hang) and every later firmware start fails
# (N9 never ready). The patched driver must end WEDGED with one clear log line, no hung task
# and the interface down; the stock driver's ten back-to-back chip resets are recorded as
# they are. The hung-task detector runs at 10 s so a stuck task shows within the scenario.
. /rig/lib.sh
echo 10 >/proc/sys/kernel/hung_task_timeout_secs 2>/dev/null
rig_device_up || exit 1
rig_connect "$AP1_FREQ"
rig_probe_start
sleep 2
t0=$(uptime_ms)
mark "fault-armed reset-fails count=1000, assert now"
vmt7925ctl fault reset-fails count=1000 >/dev/null
vmt7925ctl fault assert now >/dev/null
# The patched driver's ladder: six failed attempts with a 30 s hold-off after the third.
wedged() { dmesg | grep -q 'connac: firmware WEDGED'; }
gave_up() { dmesg | grep -q 'chip reset failed'; }
if wait_for 100 sh -c 'dmesg | grep -qE "connac: firmware WEDGED|chip reset failed"'; then
  mark "driver gave up"
else
  mark "driver still resetting after 100 s"
fi
sleep 12
result wedged_lines "$(dmesg | grep -c 'connac: firmware WEDGED')"
result chip_reset_failed_lines "$(dmesg | grep -c 'chip reset failed')"
result hung_tasks "$(dmesg | grep -c 'blocked for more than')"
result iface_operstate "$(cat "/sys/class/net/$STA/operstate" 2>/dev/null || echo gone)"
result iface_flags "$(cat "/sys/class/net/$STA/flags" 2>/dev/null || echo gone)"
rig_report_state
exit 0
