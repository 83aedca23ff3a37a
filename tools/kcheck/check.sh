#!/usr/bin/env bash
# Why: the connac core must compile into a Linux module with the kernel's own flags and
# must not need anything the kernel lacks (allocator, exceptions, RTTI, constructors, an
# unwinder, libstdc++). A C++ object can still *link* into a .ko while breaking those rules
# (weak __cxa_pure_virtual resolves to NULL, .init_array never runs, objtool only warns),
# so this script builds kmod/kcheck against installed kernel headers and then inspects the
# C++ object itself. One line per check:
#
#   kcheck: ok - <check> (<detail>)
#   kcheck: FAIL - <check>: <detail>
#
# Exit status: 0 when every check passed, 1 when any failed, 2 on a usage/setup error.
#
# Environment (all optional):
#   KDIR                 kernel build dir (default: tools/kdir.sh default, i.e.
#                        /lib/modules/$(uname -r)/build if it exists, else the newest
#                        Debian /usr/src/linux-headers-*-amd64; `make kcheck` runs this
#                        once per Debian kernel series, tools/kdir.sh list)
#   KCHECK_CXX           C++ compiler (default: g++-<major of CONFIG_GCC_VERSION>, else g++;
#                        a generic CXX from the environment is deliberately ignored)
#   KCHECK_EXTRA_HEADER  absolute path of a header #included at the end of core_all.cc
#                        (self-test hook: userspace_test/kcheck/kcheck_selftest.sh)
#   KCHECK_BUILD_DIR     build here instead of a fresh temp dir (kept afterwards)
#   KCHECK_KEEP=1        keep the temp build dir and print its path
#   KCHECK_ALLOW_UNDEF   extra space-separated symbol globs allowed as undefined
#   KCHECK_SKIP_NO_KDIR=1  exit 0 with a "skip" line when no kernel headers are installed
#   KCHECK_JOBS          make -j value (default: nproc)
#
# See docs/kernel-compile-check.md.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/../.." && pwd)
src_dir=$repo/kmod/kcheck
core_inc=$repo/core/include
module=connac_kcheck
cxx_obj=core_all.o

# Undefined symbols the C++ object may have: ftrace, the stack protector, the retpoline /
# return-thunk / call-depth mitigation thunks, and the string functions GCC emits for large
# copies (the kernel exports all of them), and the core's check hook (connac/check.h), which
# the module's C half defines.
allow_undef=(
  '__fentry__' '__stack_chk_fail'
  '__x86_return_thunk' '__x86_indirect_thunk_*' '__x86_indirect_call_thunk_*'
  '__x86_indirect_jump_thunk_*'
  'memcpy' 'memset' 'memmove'
  'connac_core_check_failed'
)
read -r -a extra_allow <<<"${KCHECK_ALLOW_UNDEF:-}"
allow_undef+=("${extra_allow[@]}")

# Sections that mean "needs a runtime the kernel does not have": constructors/destructors
# that never run (CONFIG_CONSTRUCTORS=n), exception/unwind tables, and thread-local storage.
forbidden_sections_re='^(\.rela)?\.(init_array|fini_array|ctors|dtors|eh_frame|eh_frame_hdr|gcc_except_table|tbss|tdata)(\..*)?$'

failures=0
ok() { echo "kcheck: ok - $1${2:+ ($2)}"; }
fail() {
  echo "kcheck: FAIL - $1: $2"
  failures=$((failures + 1))
}
die() {
  echo "kcheck: FAIL - $1: $2"
  exit "${3:-1}"
}

# --- kernel build dir -----------------------------------------------------------------------
if [[ -z "${KDIR:-}" ]]; then
  KDIR=$("$repo/tools/kdir.sh" default 2>/dev/null || true)
fi
if [[ -z "$KDIR" || ! -f "$KDIR/Makefile" ]]; then
  if [[ "${KCHECK_SKIP_NO_KDIR:-0}" == 1 ]]; then
    echo "kcheck: skip - kernel headers: none found (set KDIR; apt-get install linux-headers-amd64)"
    exit 0
  fi
  die "kernel headers" "no kernel build dir (KDIR='${KDIR:-}'); install linux-headers-amd64 or set KDIR" 2
fi
KDIR=$(cd "$KDIR" && pwd -P)
autoconf=$KDIR/include/config/auto.conf
[[ -f "$autoconf" ]] || die "kernel headers" "$autoconf missing (not a configured kernel tree)" 2
ok "kernel headers" "$KDIR"

kconfig() { sed -n "s/^$1=//p" "$autoconf" | tr -d '"'; }

# --- compiler version -----------------------------------------------------------------------
gcc_version=$(kconfig CONFIG_GCC_VERSION)
if [[ -z "$gcc_version" ]]; then
  die "compiler version" "$autoconf has no CONFIG_GCC_VERSION (kernel not built with GCC: $(kconfig CONFIG_CC_VERSION_TEXT))"
fi
CXX=${KCHECK_CXX:-}
if [[ -z "$CXX" ]]; then
  CXX=g++
  command -v "g++-$((gcc_version / 10000))" >/dev/null 2>&1 && CXX=g++-$((gcc_version / 10000))
fi
command -v "$CXX" >/dev/null 2>&1 || die "compiler version" "C++ compiler '$CXX' not found"
cxx_full=$("$CXX" -dumpfullversion 2>/dev/null || true)
cxx_num=$(awk -F. '/^[0-9]+(\.[0-9]+)*$/ { printf "%d%02d%02d", $1, $2, $3 }' <<<"$cxx_full")
if [[ "$cxx_num" != "$gcc_version" ]]; then
  die "compiler version" "$CXX -dumpfullversion is '${cxx_full}' (${cxx_num:-?}) but $KDIR was built with CONFIG_GCC_VERSION=$gcc_version ($(kconfig CONFIG_CC_VERSION_TEXT)); set KCHECK_CXX to the matching g++"
fi
ok "compiler version" "$CXX $cxx_full = CONFIG_GCC_VERSION $gcc_version"

# --- extra header (self-test hook) ----------------------------------------------------------
extra=${KCHECK_EXTRA_HEADER:-}
if [[ -n "$extra" ]]; then
  [[ "$extra" == /* && -f "$extra" ]] || die "extra header" "KCHECK_EXTRA_HEADER must be an existing absolute path: '$extra'" 2
  [[ "$extra" != *[[:space:]\'\"]* ]] || die "extra header" "path must not contain spaces or quotes: '$extra'" 2
fi

# --- build ----------------------------------------------------------------------------------
if [[ -n "${KCHECK_BUILD_DIR:-}" ]]; then
  work=$KCHECK_BUILD_DIR
  mkdir -p "$work"
  work=$(cd "$work" && pwd -P)
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/kcheck.XXXXXX")
  if [[ "${KCHECK_KEEP:-0}" == 1 ]]; then
    echo "kcheck: build dir $work (kept)"
  else
    trap 'rm -rf "$work"' EXIT
  fi
fi
# Sources only: never copy build products left by a manual in-tree build.
for f in "$src_dir"/Kbuild "$src_dir"/*.c "$src_dir"/*.cc "$src_dir"/*.h; do
  [[ -e "$f" ]] && cp -p "$f" "$work/"
done

log=$work/build.log
make_args=(-C "$KDIR" M="$work" CXX="$CXX" KCHECK_CORE_INCLUDE="$core_inc" V=1
  -j"${KCHECK_JOBS:-$(nproc 2>/dev/null || echo 2)}")
[[ -n "$extra" ]] && make_args+=(KCHECK_EXTRA_HEADER="$extra")
# BTF, as in kmod/Makefile: with vmlinux in the headers (6.12) modfinal runs pahole on the
# .ko, pahole 1.24 stops on C++ DWARF and kbuild deletes the .ko. Leave C++ out of BTF.
if [[ "$(kconfig CONFIG_PAHOLE_HAS_LANG_EXCLUDE)" == y ]]; then
  make_args+=(MODULE_PAHOLE_FLAGS=--lang_exclude=c++,c++03,c++11,c++14,rust)
fi
build_rc=0
# Run kbuild as a fresh make: a parent `make test` must not leak its flags, variable
# overrides or jobserver into the kernel build.
env -u MAKEFLAGS -u MFLAGS -u MAKEOVERRIDES -u MAKELEVEL -u GNUMAKEFLAGS \
  make "${make_args[@]}" modules >"$log" 2>&1 || build_rc=$?

show_log() {
  {
    echo "kcheck: --- diagnostics from $log ---"
    grep -E -A2 '(error|ERROR|warning|WARNING):|error while' "$log" | cut -c 1-300 | head -n 30 || true
    echo "kcheck: ---"
  } >&2
}

if [[ $build_rc -eq 0 && -f "$work/$module.ko" ]]; then
  ok "build" "$module.ko via kbuild + modpost"
else
  first=$(grep -m1 -E '(error|ERROR):|error while' "$log" | cut -c 1-300 || true)
  fail "build" "make exited $build_rc: ${first:-see log}"
  show_log
fi

# Compiler/modpost warnings. With -Werror only g++'s "valid for C/ObjC but not for C++"
# survives, which means kbuild grew a C-only flag the Kbuild filter does not know yet.
warn=$(grep -E '(warning|WARNING):' "$log" | grep -v 'objtool:' || true)
if [[ -z "$warn" ]]; then
  ok "warnings" "no compiler or modpost warnings"
else
  fail "warnings" "$(head -n 3 <<<"$warn" | paste -sd ' ' -)"
fi

objtool_lines=$(grep -E 'objtool:|objtool\[' "$log" || true)
if [[ -z "$objtool_lines" ]]; then
  ok "objtool" "no objtool warnings"
else
  fail "objtool" "$(head -n 3 <<<"$objtool_lines" | paste -sd ' ' -)"
fi

obj=$work/$cxx_obj
if [[ ! -f "$obj" ]]; then
  for check in "kbuild flags" "entry points" "undefined symbols" "sections"; do
    fail "$check" "$cxx_obj was not produced"
  done
  exit 1
fi

# The C++ command line kbuild recorded must carry the kernel's code-generation flags and
# (when objtool is on) the objtool invocation: proof the flags were read from kbuild.
cmdfile=$work/.$cxx_obj.cmd
cmdline=$(head -n 1 "$cmdfile" 2>/dev/null || true)
missing=()
for flag in -D__KERNEL__ -DMODULE -fno-exceptions -fno-rtti; do
  [[ " $cmdline " == *" $flag "* ]] || missing+=("$flag")
done
if [[ "$(kconfig CONFIG_X86_64)" == y ]]; then
  for flag in -mcmodel=kernel -mno-red-zone -mno-sse; do
    [[ " $cmdline " == *" $flag "* ]] || missing+=("$flag")
  done
fi
if [[ "$(kconfig CONFIG_OBJTOOL)" == y ]]; then
  # With IBT (or clang LTO) kbuild delays objtool to the module's partial link.
  objtool_cmd=$cmdline
  [[ "$(kconfig CONFIG_X86_KERNEL_IBT)" == y ]] && objtool_cmd=$(head -n 1 "$work/.$module.o.cmd" 2>/dev/null || true)
  [[ "$objtool_cmd" == *objtool* ]] || missing+=("objtool")
fi
if [[ ${#missing[@]} -eq 0 ]]; then
  ok "kbuild flags" "$(wc -w <<<"$cmdline") words in .$cxx_obj.cmd"
else
  fail "kbuild flags" "missing from .$cxx_obj.cmd: ${missing[*]}"
fi

defined=$(nm --defined-only "$obj" | awk '$2 == "T" { print $3 }')
missing=()
for sym in kcheck_frame kcheck_event kcheck_txn kcheck_errno_name kcheck_keys kcheck_reset; do
  grep -qx "$sym" <<<"$defined" || missing+=("$sym")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  ok "entry points" "$(size -A "$obj" | awk '$1 ~ /^\.text/ { t += $2 } END { print t }') bytes of text"
else
  fail "entry points" "not defined in $cxx_obj: ${missing[*]}"
fi

bad=()
while read -r kind sym; do
  [[ -n "$sym" ]] || continue
  allowed=0
  for pat in "${allow_undef[@]}"; do
    # shellcheck disable=SC2053  # glob match on purpose
    if [[ "$sym" == $pat ]]; then
      allowed=1
      break
    fi
  done
  # A weak reference ("w") gets past modpost and resolves to address 0 at load time.
  weak=
  [[ "$kind" == [wv] ]] && weak="(weak)"
  [[ $allowed -eq 1 ]] || bad+=("$sym$weak")
done < <(nm -u "$obj" | awk '{ print $1, $2 }')
undef=$(nm -u "$obj" | awk '{ print $2 }' | tr '\n' ' ')
if [[ ${#bad[@]} -eq 0 ]]; then
  ok "undefined symbols" "${undef% }"
else
  demangled=$(printf '%s\n' "${bad[@]%(weak)}" | c++filt | paste -sd ',' -)
  fail "undefined symbols" "${bad[*]} [$demangled]"
fi

sections=$(readelf -SW "$obj" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*/\1/p')
bad_sections=$(grep -E "$forbidden_sections_re" <<<"$sections" | tr '\n' ' ' || true)
if [[ -z "$bad_sections" ]]; then
  ok "sections" "no .init_array/.fini_array/.ctors/.dtors/.eh_frame/.gcc_except_table/.tbss/.tdata"
else
  fail "sections" "${bad_sections% }"
fi

# The x86-64 module loader (apply_relocate_add) knows only these relocation types; anything
# else (GOTPCREL from a PIC flag, TLS) builds fine and is refused at insmod time.
if [[ "$(kconfig CONFIG_X86_64)" == y ]]; then
  bad_relocs=$(readelf -rW "$obj" | awk '$1 ~ /^[0-9a-f]+$/ && $3 ~ /^R_/ { print $3 }' |
    grep -Ev '^R_X86_64_(NONE|64|32|32S|PC32|PLT32|PC64)$' | sort -u | paste -sd ' ' - || true)
  if [[ -z "$bad_relocs" ]]; then
    ok "relocations" "only types the x86-64 module loader applies"
  else
    fail "relocations" "$bad_relocs"
  fi
fi

if [[ $failures -ne 0 ]]; then
  echo "kcheck: $failures check(s) failed"
  exit 1
fi
echo "kcheck: all checks passed"
