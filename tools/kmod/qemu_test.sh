#!/usr/bin/env bash
# Why: a module that builds can still oops, warn or leak at load time. This boots the Debian
# kernel whose version matches the headers the modules were built against, under QEMU (TCG:
# no KVM on the CI machines) with a busybox initramfs, and in the guest:
#   1. insmod connac_core.ko, insmod connac_core_test.ko (nested KTAP v1 on the console:
#      one result per suite, each suite's own plan and results indented), rmmod the test
#   2. insmod / rmmod connac_example.ko   (its report: a command, roam keys, recovery)
#   3. modprobe connac_example            (modules.dep must pull in connac_core)
#   4. 20 x (insmod core, insmod example, rmmod example, rmmod core)
# It then parses the serial console and fails unless every KTAP line is "ok", every plan
# (the top one and each suite's) matches its results, every step reported success, the
# taint is only O/E (out-of-tree, unsigned), and no BUG / WARNING / Oops / general
# protection / stack-protector / hung-task line appears.
#
# usage: qemu_test.sh MODULE_TREE KERNEL_RELEASE LOG
#   MODULE_TREE: dir with connac_core/connac_core.ko, example/connac_example.ko and
#                test/connac_core_test.ko
#   KERNEL_RELEASE: e.g. 6.1.0-56-amd64 (/boot/vmlinuz-<release> is booted)
#   LOG: where the guest console is written
# Env: QEMU_TIMEOUT (s, default 240), QEMU_SMP (default 2), QEMU_MEM (default 512M).
# Prints "kmod-test: ok - <check>" / "kmod-test: FAIL - <check>: <why>" lines; exit 0 when
# all passed, 1 when a check failed, 2 when it could not run (missing kernel image, QEMU).
set -euo pipefail

tree=${1:?usage: qemu_test.sh MODULE_TREE KERNEL_RELEASE LOG}
kver=${2:?kernel release}
log=${3:?console log path}
cycles=20
timeout_s=${QEMU_TIMEOUT:-240}

failures=0
ok() { echo "kmod-test: ok - $1${2:+ ($2)}"; }
fail() {
  echo "kmod-test: FAIL - $1: $2"
  failures=$((failures + 1))
}
die() {
  echo "kmod-test: FAIL - $1: $2"
  exit "${3:-1}"
}

kernel=/boot/vmlinuz-$kver
[[ -r "$kernel" ]] || die "kernel image" "$kernel missing: apt-get install linux-image-$kver (tools/setup.sh)" 2
command -v qemu-system-x86_64 >/dev/null || die "qemu" "qemu-system-x86_64 missing: apt-get install qemu-system-x86" 2
busybox=$(command -v busybox || true)
[[ -n "$busybox" ]] && ! ldd "$busybox" >/dev/null 2>&1 || die "busybox" "no static busybox: apt-get install busybox-static" 2
for m in connac_core/connac_core.ko example/connac_example.ko test/connac_core_test.ko; do
  [[ -f "$tree/$m" ]] || die "modules" "$tree/$m missing (make kmod)" 2
done

work=$(mktemp -d "${TMPDIR:-/tmp}/connac-qemu.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,sbin,proc,sys,dev,etc,lib/modules/"$kver"/extra}
cp "$busybox" "$root/bin/busybox"
cp "$tree/connac_core/connac_core.ko" "$tree/example/connac_example.ko" \
  "$tree/test/connac_core_test.ko" "$root/lib/modules/$kver/extra/"
# modules.dep for the guest's modprobe: the dependency comes from the .ko's "depends".
depmod -b "$root" "$kver" 2>"$work/depmod.err" || die "depmod" "$(head -n 3 "$work/depmod.err")"
grep -q 'connac_example.ko:.*connac_core.ko' "$root/lib/modules/$kver/modules.dep" ||
  die "depmod" "modules.dep does not record connac_example -> connac_core"

cat >"$root/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
step() { if "\$@"; then echo "connac-test: ok \$*"; else echo "connac-test: FAIL \$*"; fi; }
K=/lib/modules/$kver/extra
echo "connac-test: start \$(uname -r)"
step insmod \$K/connac_core.ko
step insmod \$K/connac_core_test.ko
step rmmod connac_core_test
step insmod \$K/connac_example.ko
step rmmod connac_example
step rmmod connac_core
step modprobe connac_example
if grep -q '^connac_core ' /proc/modules; then echo "connac-test: ok dependency loaded"; else echo "connac-test: FAIL dependency loaded"; fi
step rmmod connac_example
step rmmod connac_core
i=1
while [ \$i -le $cycles ]; do
  if insmod \$K/connac_core.ko && insmod \$K/connac_example.ko && rmmod connac_example && rmmod connac_core; then
    echo "connac-test: cycle \$i ok"
  else
    echo "connac-test: cycle \$i FAIL"
  fi
  i=\$((i + 1))
done
if grep -q connac /proc/modules; then echo "connac-test: FAIL modules left loaded"; else echo "connac-test: ok nothing left loaded"; fi
echo "connac-test: tainted \$(cat /proc/sys/kernel/tainted)"
echo "connac-test: done"
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$work/initramfs.gz"

start=$(date +%s)
qemu_rc=0
# TCG only: CI machines have no KVM. -no-reboot turns a panic (panic=-1) into an exit.
timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 \
  -accel tcg -cpu max -smp "${QEMU_SMP:-2}" -m "${QEMU_MEM:-512M}" \
  -kernel "$kernel" -initrd "$work/initramfs.gz" \
  -append "console=ttyS0 loglevel=7 printk.time=0 panic=-1 rdinit=/init" \
  -display none -monitor none -serial "file:$log" -no-reboot -nodefaults \
  </dev/null >"$work/qemu.out" 2>&1 || qemu_rc=$?
elapsed=$(($(date +%s) - start))
# Serial output may carry CRs.
sed -i 's/\r$//' "$log" 2>/dev/null || true

if [[ $qemu_rc -eq 124 || $qemu_rc -eq 137 ]]; then
  fail "boot" "QEMU killed after ${timeout_s}s (last line: $(tail -n 1 "$log" 2>/dev/null | cut -c 1-120))"
elif [[ $qemu_rc -ne 0 ]]; then
  fail "boot" "qemu-system-x86_64 exited $qemu_rc: $(head -c 300 "$work/qemu.out")"
elif ! grep -q '^connac-test: done' "$log"; then
  fail "boot" "the guest did not finish (last line: $(tail -n 1 "$log" | cut -c 1-120))"
else
  ok "boot" "$kver under TCG, ${elapsed}s including $cycles load/unload cycles"
fi

# --- KTAP from connac_core_test.ko ------------------------------------------------------
# Nested KTAP as KUnit prints it: "KTAP version 1", "1..N", then per suite an indented
# "    KTAP version 1" / "    # Subtest: <suite>" / "    1..M" / "    ok i - <case>" block and
# "ok n - <suite>". Every plan must match its results, numbered in order, all "ok".
ktap=$(sed -n '/^KTAP version 1$/,/^# connac_core_test:/p' "$log")
ktap_report=$(awk '
  function problem(msg) { if (errs == "") errs = msg; else if (length(errs) < 200) errs = errs "; " msg }
  /^1\.\.[0-9]+$/ && plan == "" { plan = substr($0, 4) + 0; next }
  /^    # Subtest: / { name = substr($0, 16); next }
  /^    1\.\.[0-9]+$/ { splan = substr($0, 8) + 0; sn = 0; sbad = 0; next }
  /^    (not )?ok [0-9]+ - / {
    sn++; tests++
    num = ($1 == "not") ? $3 : $2
    if (num != sn) problem(name ": result " num " out of order")
    if ($1 == "not") { sbad++; bad++; problem(name ": " substr($0, 5)) }
    next
  }
  /^(not )?ok [0-9]+ - / {
    n++
    num = ($1 == "not") ? $3 : $2
    suite = $0; sub(/^(not )?ok [0-9]+ - /, "", suite)
    if (num != n) problem("suite " num " out of order")
    if (suite != name) problem("suite " suite " closes " name)
    if (sn != splan) problem(suite ": plan 1.." splan " but " sn " results")
    if ($1 == "not" && sbad == 0) problem(suite ": not ok without a failed case")
    if ($1 != "not" && sbad != 0) problem(suite ": ok with " sbad " failed cases")
    if ($1 == "not") badsuites++
    list = list (list == "" ? "" : ", ") suite " " sn
    name = ""; splan = -1
    next
  }
  END {
    if (plan == "") problem("no plan")
    else if (n != plan) problem("plan 1.." plan " but " n " suites")
    printf "%d %d %d %d %d\t%s\t%s\n", plan, n, n - badsuites, tests, tests - bad, list, errs
  }' <<<"$ktap")
IFS=$'\t' read -r ktap_counts ktap_suites ktap_errs <<<"$ktap_report"
read -r k_plan k_suites k_suites_ok k_tests k_tests_ok <<<"$ktap_counts"
if [[ -z "$ktap" ]]; then
  fail "ktap" "no 'KTAP version 1' from connac_core_test.ko in the console"
elif [[ -n "$ktap_errs" ]]; then
  fail "ktap" "$ktap_errs"
else
  ok "ktap" "$k_suites_ok/$k_plan suites, $k_tests_ok/$k_tests tests ok ($ktap_suites)"
fi

# --- the guest's steps ----------------------------------------------------------------
steps_bad=$(grep -E '^connac-test: (FAIL|cycle [0-9]+ FAIL)' "$log" || true)
cycles_ok=$(grep -cE '^connac-test: cycle [0-9]+ ok' "$log" || true)
if [[ -n "$steps_bad" ]]; then
  fail "load/unload" "$(head -n 3 <<<"$steps_bad" | paste -sd ';' -)"
elif [[ $cycles_ok -ne $cycles ]]; then
  fail "load/unload" "$cycles_ok of $cycles cycles completed"
else
  ok "load/unload" "core + test module, example, modprobe via modules.dep, $cycles cycles"
fi

reports=$(grep -c '^connac_example: report: ok' "$log" || true)
want_reports=$((cycles + 2))
if [[ $reports -ne $want_reports ]]; then
  fail "example" "$reports of $want_reports example loads reported ok: $(grep -m1 'connac_example: report:' "$log" || echo 'no report')"
else
  ok "example" "$reports reports ok"
fi

taint=$(sed -n 's/^connac-test: tainted \([0-9]*\)$/\1/p' "$log")
# TAINT_OOT_MODULE (O, 4096) and TAINT_UNSIGNED_MODULE (E, 8192) are expected.
if [[ -z "$taint" ]]; then
  fail "taint" "not reported"
elif (((taint & ~(4096 | 8192)) != 0)); then
  fail "taint" "/proc/sys/kernel/tainted = $taint (more than O/E)"
else
  ok "taint" "$taint (O/E only)"
fi

bad_lines=$(grep -nE '(^|[^A-Za-z_])(BUG|WARNING)([: ]|$)|Oops|general protection|stack-protector|blocked for more than|hung_task' "$log" || true)
if [[ -n "$bad_lines" ]]; then
  fail "console" "$(head -n 3 <<<"$bad_lines" | cut -c 1-160 | paste -sd ';' -)"
else
  ok "console" "no BUG/WARNING/Oops/general protection/stack-protector/hung-task line in $(wc -l <"$log") lines"
fi

[[ $failures -eq 0 ]] || exit 1
exit 0
