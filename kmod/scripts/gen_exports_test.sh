#!/bin/sh
# Tests kmod/scripts/gen_exports.sh, the generator of connac_core.ko's export list:
#   1. on connac_core.h it lists exactly the functions GCC reads in the header
#      (gcc -aux-info: every prototype; the static inline helpers are marked static),
#   2. the generated C file exports each of them once, and nothing else,
#   3. the glue (the :capi library's objects) defines every one of them,
#   4. on small headers: multi-line declarations, C++-only blocks, static inline helpers,
#      macro calls and function-pointer parameters are read right; a declaration it cannot
#      read (or a header without functions) fails, rather than exporting less.
#
# usage: gen_exports_test.sh GEN_EXPORTS HEADER GLUE_SYMBOLS   (run by Bazel, kmod/BUILD)
#   GLUE_SYMBOLS: the functions the glue's objects define, one a line (nm, kmod/BUILD)
set -eu
gen=$1
header=$2
glue_symbols=$3
tmp=${TEST_TMPDIR:-$(mktemp -d)}
fails=0
check() {  # check <what> <command...>: the command must succeed
	what=$1
	shift
	if "$@"; then
		echo "ok - $what"
	else
		echo "FAIL - $what"
		fails=$((fails + 1))
	fi
}

# 1. The generator's list is the compiler's.
sh "$gen" --list "$header" >"$tmp/gen.txt"
gcc -fsyntax-only -x c -aux-info "$tmp/aux.txt" "$header"
grep -F "${header##*/}:" "$tmp/aux.txt" | grep -v ' static ' |
	sed 's/.*[ *]\(connac_[a-z0-9_]*\) (.*/\1/' >"$tmp/aux-names.txt"
check "the list is the header's $(wc -l <"$tmp/aux-names.txt") functions (gcc -aux-info)" \
	cmp -s "$tmp/gen.txt" "$tmp/aux-names.txt"
check "the static inline helpers are not exported" \
	sh -c "! grep -qx -e connac_ticket_eq -e connac_host_ops_init '$tmp/gen.txt'"

# 2. The generated file: one EXPORT_SYMBOL_GPL per function, the header included.
sh "$gen" "$header" "$tmp/connac_exports.c"
sed -n 's/^EXPORT_SYMBOL_GPL(\(.*\));$/\1/p' "$tmp/connac_exports.c" >"$tmp/exported.txt"
check "connac_exports.c exports the list, in order" cmp -s "$tmp/exported.txt" "$tmp/gen.txt"
check "connac_exports.c includes <linux/export.h> and the header" \
	sh -c "grep -qx '#include <linux/export.h>' '$tmp/connac_exports.c' &&
	       grep -qx '#include \"${header##*/}\"' '$tmp/connac_exports.c'"
check "no temporary file is left" test ! -e "$tmp/connac_exports.c.tmp"

# 3. The glue defines every exported function.
LC_ALL=C sort -u "$glue_symbols" >"$tmp/defined.txt"
LC_ALL=C sort "$tmp/gen.txt" >"$tmp/gen-sorted.txt"
missing=$(LC_ALL=C comm -13 "$tmp/defined.txt" "$tmp/gen-sorted.txt" | tr '\n' ' ')
check "the glue defines every function of the list${missing:+ (missing: $missing)}" test -z "$missing"

# 4. Small headers.
cat >"$tmp/t.h" <<'EOF'
/* A comment with a fake declaration: int connac_not(void); { */
#define CONNAC_M(x) (x)
struct connac_s { int (*cb)(int a); CONNAC_ALIGNAS(8) char c[2]; };
enum connac_e { CONNAC_E0 = 0 };
int connac_one(void);
const char *connac_two(unsigned int a,
		       const char **b);
#ifdef __cplusplus
extern "C" {
int connac_cxx_only(void);
#endif
#ifndef __cplusplus
long connac_c_side(long x);
#endif
static inline int connac_helper(int x)
{
	return x;
}
CONNAC_STATIC_ASSERT(sizeof(struct connac_s) > 0, "struct connac_s; size");
void connac_three(void (*fn)(void *ctx, int v), void *ctx); // trailing comment
typedef int (*connac_fn_t)(int);
#ifdef __cplusplus
}
#endif
EOF
printf 'connac_one\nconnac_two\nconnac_c_side\nconnac_three\n' >"$tmp/t.want"
check "a small header: multi-line, C++-only blocks, helpers, macros, callbacks" \
	sh -c "sh '$gen' --list '$tmp/t.h' | cmp -s - '$tmp/t.want'"
printf 'int foo(int x);\n' >"$tmp/bad.h"
check "a function not named connac_* fails the build" \
	sh -c "! sh '$gen' '$tmp/bad.h' '$tmp/bad.c' 2>'$tmp/bad.err' && grep -q 'not named connac_' '$tmp/bad.err' && test ! -e '$tmp/bad.c'"
printf 'struct connac_x { int a; };\n' >"$tmp/none.h"
check "a header without functions fails" sh -c "! sh '$gen' '$tmp/none.h' >/dev/null 2>&1"
printf 'int connac_open(int a\n' >"$tmp/open.h"
check "an unterminated declaration fails" sh -c "! sh '$gen' '$tmp/open.h' >/dev/null 2>&1"
check "bad usage exits 2" sh -c "sh '$gen' >/dev/null 2>&1; test \$? -eq 2"

if [ $fails -ne 0 ]; then
	echo "gen_exports_test: $fails check(s) failed"
	exit 1
fi
echo "gen_exports_test: all checks passed"
