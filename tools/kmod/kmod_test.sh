#!/usr/bin/env bash
# `make kmod-test`: the kernel module, built, checked and loaded in a real kernel. This script
# tests one kernel (KDIR, else `tools/kdir.sh default`); `make kmod-test` runs it once per
# Debian kernel series installed (tools/kdir.sh list: 6.1 and 6.12).
#
#   build        connac_core.ko, connac_example.ko and the test module connac_core_test.ko
#                against that kernel's headers (tools/kmod/build.sh; warnings are errors)
#   guard        a `new` injected into the C++ glue must fail the build with the C++
#                guard's message (kmod/scripts/cxx_guard.sh)
#   exports      the generated export list is the header's functions (as the compiler
#                reads the header), and connac_core.ko exports exactly those
#   symbols      connac_core.ko holds no simulator, case table or self-test symbol (nm)
#   hygiene      connac_example.ko frees with kfree_sensitive (it held key frames)
#   footprint    .text/.data, largest C++ stack frame, per-device state vs their targets
#   checkpatch   the kernel's checkpatch.pl on every kernel C file of kmod/
#   dkms         `dkms add` + `dkms build` of the staged (test-free) tree in a private
#                DKMS tree
#   qemu         boot the matching Debian kernel under QEMU/TCG, load connac_core.ko and
#                the test module (nested KTAP), the example, modprobe, 20 load/unload
#                cycles, console and taint checks
#
# Prints one "kmod-test: ok - <step>" / "kmod-test: FAIL - <step>: <why>" /
# "kmod-test: skip - <step>" line per check and ends with
# "kmod-test: N passed, M failed, K skipped"; exits 1 if any check failed.
# Env: KDIR, CXX (as build.sh), KMOD_BUILD_DIR (default <repo>/build/kmod), KMOD_SKIP="dkms
# checkpatch ..." (steps to skip; each is counted as skipped, qemu as its 6 checks).
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${KMOD_BUILD_DIR:-$repo/build/kmod}
mkdir -p "$out"
out=$(cd "$out" && pwd -P)
export KMOD_BUILD_DIR=$out  # build.sh builds here
tree=$out/src
passed=0
failed=0
skips=0
t_start=$(date +%s)

ok() {
  echo "kmod-test: ok - $1${2:+ ($2)}"
  passed=$((passed + 1))
}
fail() {
  echo "kmod-test: FAIL - $1: $2"
  failed=$((failed + 1))
}
skipped() {  # skipped <step> [<checks it stands for>]
  [[ " ${KMOD_SKIP:-} " == *" $1 "* ]] || return 1
  echo "kmod-test: skip - $1 (KMOD_SKIP)"
  skips=$((skips + ${2:-1}))
}
secs() { echo "$(($(date +%s) - $1))s"; }

# The kernel under test, named first (`make kmod-test` runs one per series).
if [[ -z "${KDIR:-}" ]]; then
  KDIR=$("$repo/tools/kdir.sh" default 2>/dev/null || true)
fi
export KDIR
echo "kmod-test: kernel $("$repo/tools/kdir.sh" release "$KDIR" 2>/dev/null || echo '?') (${KDIR:-no KDIR})"

# --- build ----------------------------------------------------------------------------------
t=$(date +%s)
if "$repo/tools/kmod/build.sh" >"$out/build-step.log" 2>&1; then
  kdir=$(sed -n 's/^kdir: //p' "$out/build-step.log")
  ok "build" "against $kdir, $(secs "$t")"
else
  fail "build" "$(grep -m1 -E 'error|FAIL|guard|warning|kmod:' "$out/build-step.log" | cut -c 1-200)"
  sed 's/^/  /' "$out/build-step.log" | head -n 30
  # Nothing else can run: the guard, exports, symbols, hygiene, footprint, checkpatch, DKMS
  # and QEMU checks count as failed, not as skipped.
  echo "kmod-test: $passed passed, $((failed + 13)) failed, $skips skipped"
  exit 1
fi
kdir=$(cd "$kdir" && pwd -P)
# The release the modules are built for (their vermagic): UTS_RELEASE, e.g. 6.1.0-57-amd64
# (Debian's include/config/kernel.release holds the upstream 6.1.x instead).
kver=$("$repo/tools/kdir.sh" release "$kdir" 2>/dev/null)

# --- guard: breaking the core must fail the build clearly -----------------------------------
if ! skipped guard; then
  t=$(date +%s)
  inject=$(mktemp "${TMPDIR:-/tmp}/connac-inject.XXXXXX")
  # Declared first: 6.12 builds with -Wmissing-declarations, which would fail the build
  # before the guard sees the object.
  printf '\nextern "C" int* connac_guard_probe();\nextern "C" int* connac_guard_probe() { return new int(1); }\n' >"$inject"
  guard_dir=$(mktemp -d "${TMPDIR:-/tmp}/connac-guard.XXXXXX")
  if KMOD_BUILD_DIR=$guard_dir KMOD_EXTRA_GLUE=$inject "$repo/tools/kmod/build.sh" >"$out/guard.log" 2>&1; then
    fail "guard" "a glue with operator new built without error"
  elif grep -q 'connac: C++ guard: connac_glue.o: undefined symbol(s) _Znwm' "$out/guard.log"; then
    ok "guard" "operator new rejected: $(grep -m1 'C++ guard' "$out/guard.log" | cut -c 1-100)..., $(secs "$t")"
  else
    fail "guard" "the build failed without the guard's message: $(grep -m1 -E 'error|guard' "$out/guard.log" | cut -c 1-160)"
  fi
  rm -rf "$inject" "$guard_dir"
fi

# --- exports: one list, from the header ----------------------------------------------------
# Three views must agree with the header's functions as GCC reads them (-aux-info: every
# prototype, the static inline helpers marked static): the generated connac_exports.c, the
# module's Module.symvers and the __ksymtab_ entries in connac_core.ko.
t=$(date +%s)
hdr=$repo/kmod/include/connac_core.h
aux=$(mktemp "${TMPDIR:-/tmp}/connac-aux.XXXXXX")
if gcc -fsyntax-only -x c -aux-info "$aux" "$hdr" 2>"$out/exports.log"; then
  want=$(grep -F "${hdr##*/}:" "$aux" | grep -v ' static ' |
    sed -E 's/.*[ *](connac_[a-z0-9_]+) \(.*/\1/' | sort)
else
  want=
fi
rm -f "$aux"
gen=$(sed -n 's/^EXPORT_SYMBOL_GPL(\(.*\));$/\1/p' "$tree/connac_core/connac_exports.c" | sort)
symvers=$(awk '$3 ~ /connac_core$/ { print $2 }' "$tree/connac_core/Module.symvers" | sort)
ksymtab=$(nm "$tree/connac_core/connac_core.ko" | sed -n 's/.* __ksymtab_\(connac_.*\)$/\1/p' | sort)
n=$(grep -c . <<<"$want" || true)
if [[ -z "$want" ]]; then
  fail "exports" "gcc -aux-info could not read $hdr: $(head -c 200 "$out/exports.log")"
elif [[ "$gen" != "$want" ]]; then
  fail "exports" "connac_exports.c differs from the header: $(diff <(echo "$want") <(echo "$gen") | grep '^[<>]' | head -n 3 | paste -sd ' ' -)"
elif [[ "$symvers" != "$want" || "$ksymtab" != "$want" ]]; then
  fail "exports" "connac_core.ko exports $(grep -c . <<<"$ksymtab") symbols (Module.symvers $(grep -c . <<<"$symvers")), the header declares $n"
else
  ok "exports" "$n functions: header (gcc -aux-info) = connac_exports.c = Module.symvers = __ksymtab, $(secs "$t")"
fi

# --- symbols: no test material in the production module --------------------------------------
# By name (the simulator, the case tables, the self-test, the scenarios), and every function
# or object the test module's own objects define (its copies of core code are COMDAT/weak).
core_syms=$(nm "$tree/connac_core/connac_core.ko" | awk '{ print $NF }')
test_syms=$(nm --defined-only "$tree"/test/connac_test_{main,sim}.o 2>/dev/null |
  awk 'NF == 3 && $2 ~ /^[TDBR]$/ { print $3 }' |
  grep -vx -e connac_core_check_failed -e init_module -e cleanup_module | sort -u)
by_name=$(c++filt <<<"$core_syms" | grep -iE 'fwsim|selftest|vsim|connac_case|testing::|connac_test' || true)
by_test=$(comm -12 <(sort -u <<<"$core_syms") <(echo "$test_syms") || true)
if [[ -z "$test_syms" ]]; then
  fail "symbols" "no symbols from the test module's objects ($tree/test/*.o)"
elif [[ -n "$by_name$by_test" ]]; then
  fail "symbols" "connac_core.ko holds test material: $(echo $by_name $by_test | cut -c 1-160)"
else
  ok "symbols" "none of $(grep -c . <<<"$core_syms") symbols in connac_core.ko is a simulator/case/self-test name or one of the $(grep -c . <<<"$test_syms") the test module defines"
fi

# --- key hygiene: the example's device struct holds key slots and key frames ----------------
# It must be freed with kfree_sensitive (zeroed first), never with a plain kfree.
und=$(nm -u "$tree/example/connac_example.ko" 2>/dev/null | awk '{ print $2 }')
if grep -qx kfree_sensitive <<<"$und" && ! grep -qx kfree <<<"$und"; then
  ok "hygiene" "connac_example.ko frees with kfree_sensitive, no plain kfree"
else
  fail "hygiene" "connac_example.ko imports $(grep -x -E 'kfree|kfree_sensitive' <<<"$und" | paste -sd ' ' -) (want kfree_sensitive only)"
fi

# --- footprint ------------------------------------------------------------------------------
if "$repo/tools/kmod/footprint.sh" "$tree" >"$out/footprint.txt" 2>&1; then
  cat "$out/footprint.txt"
  ok "footprint" "all targets met"
else
  cat "$out/footprint.txt"
  fail "footprint" "$(tail -n 1 "$out/footprint.txt")"
fi

# --- checkpatch -----------------------------------------------------------------------------
if ! skipped checkpatch; then
  t=$(date +%s)
  files=()
  for f in "$repo"/kmod/connac_core/*.[ch] "$repo"/kmod/example/*.c "$repo"/kmod/include/*.h \
    "$repo"/kmod/test/*.[ch]; do
    # kbuild output of an in-place build
    [[ "$f" == *.mod.c || "$f" == */connac_exports.c ]] || files+=("$f")
  done
  if "$repo/tools/kmod/checkpatch.sh" "${files[@]}" >"$out/checkpatch.log" 2>&1; then
    ok "checkpatch" "$(tail -n 1 "$out/checkpatch.log" | sed 's/^checkpatch: //'), $(secs "$t")"
  else
    sed 's/^/  /' "$out/checkpatch.log" | head -n 20
    fail "checkpatch" "$(tail -n 1 "$out/checkpatch.log")"
  fi
fi

# --- dkms -----------------------------------------------------------------------------------
if ! skipped dkms; then
  t=$(date +%s)
  if ! command -v dkms >/dev/null; then
    fail "dkms" "dkms not installed (apt-get install dkms; tools/setup.sh)"
  else
    d=$(mktemp -d "${TMPDIR:-/tmp}/connac-dkms.XXXXXX")
    ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$repo/kmod/dkms.conf")
    "$repo/tools/kmod/stage.sh" "$d/src/connac-core-$ver"
    mkdir -p "$d/dkms"
    dk=(-m connac-core -v "$ver" --dkmstree "$d/dkms" --sourcetree "$d/src")
    # DKMS stores what the kernel's config asks for: .ko on 6.1, .ko.xz on 6.12
    # (CONFIG_MODULE_COMPRESS_XZ).
    mods=$d/dkms/connac-core/$ver/$kver/x86_64/module
    if dkms add "${dk[@]}" >"$out/dkms.log" 2>&1 &&
      env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL dkms build "${dk[@]}" -k "$kver" \
        --kernelsourcedir "$kdir" >>"$out/dkms.log" 2>&1 &&
      compgen -G "$mods/connac_core.ko*" >/dev/null &&
      compgen -G "$mods/connac_example.ko*" >/dev/null; then
      ok "dkms" "dkms add + build connac-core/$ver for $kver in a private tree: $(cd "$mods" && echo connac_core.ko* connac_example.ko*), $(secs "$t")"
    else
      sed 's/^/  /' "$out/dkms.log" | tail -n 15
      fail "dkms" "dkms add/build failed (log: $out/dkms.log)"
    fi
    rm -rf "$d"
  fi
fi

# --- qemu -----------------------------------------------------------------------------------
if ! skipped qemu 6; then
  "$repo/tools/kmod/qemu_test.sh" "$tree" "$kver" "$out/console.log" >"$out/qemu.txt" 2>&1
  while IFS= read -r line; do
    case "$line" in
      "kmod-test: ok - "*) echo "$line"; passed=$((passed + 1)) ;;
      "kmod-test: FAIL - "*) echo "$line"; failed=$((failed + 1)) ;;
      *) echo "  $line" ;;
    esac
  done <"$out/qemu.txt"
  grep -q '^kmod-test: ' "$out/qemu.txt" || fail "qemu" "no result from qemu_test.sh"
  echo "kmod-test: guest console: $out/console.log"
  # The KTAP summary and the example's report, for the log reader.
  grep -E '^    # (hang|reset|after|fwsim-virtual):|^# connac_core_test:|^connac_example: (command|roam|recovery|report)' \
    "$out/console.log" 2>/dev/null | awk '!seen[$1 $2 $3 $4]++' | head -n 16 | sed 's/^ *//; s/^/  /'
fi

echo "kmod-test: total $(secs "$t_start") for $kver"
echo "kmod-test: $passed passed, $failed failed, $skips skipped"
[[ $failed -eq 0 ]]
