#!/bin/sh
# Scenario roam-hang (guest side), the #1036 case: the firmware hangs at the first
# BSS_INFO_UPDATE after the roam starts (armed at the "roam-started" mark, then
# `wpa_cli roam` to AP2). The stock driver pays its MCU timeouts, resets, reloads the
# firmware and forces a reconnect; the scenario waits for traffic to come back.
. /rig/lib.sh
rig_roam_hang || exit 1
exit 0
