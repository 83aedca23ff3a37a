#!/bin/sh
# Why: a C++ object can link into a .ko and still be broken there. modpost only catches
# strong undefined symbols; a weak __cxa_pure_virtual resolves to address 0, .init_array
# constructors never run (CONFIG_CONSTRUCTORS=n), TLS relocations are refused only at
# insmod, and 6.1 objtool only warns. kmod/cxx.mk runs this on every C++ object right after
# compiling it; on any finding the object is deleted and the build fails with the reason.
#
# usage: cxx_guard.sh OBJECT OBJTOOL_LOG
# Extra allowed undefined symbols (globs): CONNAC_CXX_ALLOW_UNDEF="a b*".
set -eu

obj=$1
objtool_log=$2
name=${obj##*/}
nm=${NM:-nm}
readelf=${READELF:-readelf}

# Undefined symbols a C++ object may have: ftrace, the stack protector, the mitigation
# thunks, the string functions GCC emits for large copies (all exported by the kernel), and
# the C shim's own functions (connac_shim_*, and the core's check hook of connac/check.h).
allow='__fentry__ __stack_chk_fail __x86_return_thunk __x86_indirect_thunk_*
__x86_indirect_call_thunk_* __x86_indirect_jump_thunk_* memcpy memset memmove connac_shim_*
connac_core_check_failed'
allow="$allow ${CONNAC_CXX_ALLOW_UNDEF:-}"

fail() {
	echo "connac: C++ guard: $name: $1" >&2
	[ -z "${2:-}" ] || echo "connac: C++ guard: $2" >&2
	rm -f "$obj"
	exit 1
}

if [ -s "$objtool_log" ]; then
	fail "objtool warned (fatal here: an unchecked return or indirect branch defeats the mitigation)" \
		"$(head -n 3 "$objtool_log" | tr '\n' ' ')"
fi

bad=
for sym in $("$nm" -u "$obj" | awk '{ print $2 }'); do
	ok=0
	for pat in $allow; do
		# shellcheck disable=SC2254  # glob match on purpose
		case "$sym" in $pat) ok=1; break ;; esac
	done
	[ $ok -eq 1 ] || bad="$bad $sym"
done
if [ -n "$bad" ]; then
	demangled=$(for s in $bad; do echo "$s"; done | c++filt 2>/dev/null | paste -sd ',' -)
	fail "undefined symbol(s)${bad} [${demangled}]" \
		"the kernel has no C++ runtime: no operator new/delete, exceptions (std::__throw_*), __cxa_* or libstdc++ functions; keep the core allocation-free and use only inline, non-throwing std APIs"
fi

sections=$("$readelf" -SW "$obj" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*/\1/p' |
	grep -E '^(\.rela)?\.(init_array|fini_array|ctors|dtors|eh_frame|eh_frame_hdr|gcc_except_table|tbss|tdata)(\..*)?$' |
	tr '\n' ' ' || true)
if [ -n "$sections" ]; then
	fail "forbidden section(s): $sections" \
		"the kernel never runs global constructors (.init_array/.ctors: make the object constexpr/constinit), has no unwinder (.eh_frame/.gcc_except_table) and no thread_local (.tbss/.tdata)"
fi

if "$readelf" -h "$obj" | grep -q "X86-64"; then
	relocs=$("$readelf" -rW "$obj" | awk '$1 ~ /^[0-9a-f]+$/ && $3 ~ /^R_/ { print $3 }' |
		grep -Ev '^R_X86_64_(NONE|64|32|32S|PC32|PLT32|PC64)$' | sort -u | tr '\n' ' ' || true)
	if [ -n "$relocs" ]; then
		fail "relocation type(s) the x86-64 module loader refuses: $relocs"
	fi
fi
exit 0
