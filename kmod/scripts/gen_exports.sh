#!/bin/sh
# Why: every function declared in connac_core.h is exported from connac_core.ko, and the
# list of exports must never drift from the header. This generates the export file from the
# header at build time (kbuild and DKMS run it; POSIX sh + awk, no python), so adding a
# function touches the header and its implementation in the glue only.
#
# usage: gen_exports.sh HEADER [OUT]     OUT: the .c to write (default: standard output)
#        gen_exports.sh --list HEADER    the function names, one a line
#
# A "function" is a top-level declaration in the header, outside C++-only blocks
# (#ifdef __cplusplus), with a parameter list and no body, named connac_*: static inline
# helpers, typedefs, struct members and macros (CONNAC_STATIC_ASSERT(...)) are not. A
# declaration the script cannot read (no name before its parameter list, or a name not
# starting with connac_) fails the build with the line it could not read, rather than
# exporting less than the header declares. Exits 1 on such a declaration or when the header
# declares no function, 2 on bad usage.
set -eu

list=0
if [ "${1:-}" = "--list" ]; then
	list=1
	shift
fi
[ $# -ge 1 ] || { echo "usage: gen_exports.sh [--list] HEADER [OUT]" >&2; exit 2; }
header=$1
out=${2:-}
[ -r "$header" ] || { echo "gen_exports: cannot read $header" >&2; exit 2; }

names=$(awk '
	# Whole text first: comments and string literals may span or hide anything.
	{ text = text $0 "\n" }
	END {
		# Comments, then string literals (their contents never matter here).
		gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, " ", text)
		n = split(text, lines, "\n")
		skip = 0; depth_if = 0; cont = 0; body = ""
		for (i = 1; i <= n; i++) {
			l = lines[i]
			sub(/\/\/.*/, "", l)
			if (cont) { cont = (l ~ /\\$/); continue }
			if (l ~ /^[ \t]*#/) {
				cont = (l ~ /\\$/)
				if (l ~ /^[ \t]*#[ \t]*if/) {
					depth_if++
					if (!skip && l ~ /__cplusplus/ && l !~ /!/ && l !~ /ifndef/) { skip = depth_if }
				} else if (l ~ /^[ \t]*#[ \t]*else/ || l ~ /^[ \t]*#[ \t]*elif/) {
					if (skip == depth_if) skip = 0
				} else if (l ~ /^[ \t]*#[ \t]*endif/) {
					if (skip == depth_if) skip = 0
					depth_if--
				}
				continue
			}
			if (skip) continue
			body = body " " l
		}
		gsub(/"([^"\\]|\\.)*"/, "\"\"", body)
		# Statements at brace depth 0: a ";" ends one, and so does the "}" that closes a
		# function body (a statement with "(" before its "{").
		depth = 0; stmt = ""
		m = length(body)
		for (i = 1; i <= m; i++) {
			c = substr(body, i, 1)
			if (c == "{") {
				if (depth == 0) stmt = stmt "{"
				depth++
				continue
			}
			if (c == "}") {
				depth--
				if (depth == 0 && stmt ~ /^[^{]*\(/) { stmt = "" }
				continue
			}
			if (depth > 0) continue
			if (c == ";") { emit(stmt); stmt = ""; continue }
			stmt = stmt c
		}
		if (stmt ~ /[^ \t\n]/) fail("unterminated declaration", stmt)
	}
	function fail(why, s) {
		gsub(/[ \t\n]+/, " ", s)
		printf "gen_exports: %s: %s\n", why, substr(s, 1, 160) > "/dev/stderr"
		bad = 1
		exit 1
	}
	function emit(s,    head, name) {
		if (s !~ /\(/) return                  # a type or variable, no parameter list
		if (s ~ /[{]/) return                    # struct/enum definition with a "(" inside
		if (s ~ /(^|[^A-Za-z0-9_])(typedef|static)([^A-Za-z0-9_]|$)/) return
		head = s
		sub(/\(.*/, "", head)
		sub(/[ \t\n]+$/, "", head)
		if (!match(head, /[A-Za-z_][A-Za-z0-9_]*$/)) fail("no name before the parameter list", s)
		name = substr(head, RSTART, RLENGTH)
		if (name ~ /^[A-Z_][A-Z0-9_]*$/) return  # a macro call: CONNAC_STATIC_ASSERT(...)
		if (name !~ /^connac_[a-z0-9_]+$/) fail("a function not named connac_*", s)
		if (seen[name]++) return
		print name
		count++
	}
' "$header") || exit 1
[ -n "$names" ] || { echo "gen_exports: no function declared in $header" >&2; exit 1; }

if [ $list -eq 1 ]; then
	printf '%s\n' "$names"
	exit 0
fi

base=${header##*/}
gen() {
	printf '// SPDX-License-Identifier: GPL-2.0\n'
	printf '/*\n * Generated from %s by kmod/scripts/gen_exports.sh: do not edit.\n' "$base"
	printf ' * Every function the header declares, exported; the glue defines them.\n */\n\n'
	printf '#include <linux/export.h>\n\n#include "%s"\n\n' "$base"
	printf '%s\n' "$names" | while IFS= read -r n; do
		printf 'EXPORT_SYMBOL_GPL(%s);\n' "$n"
	done
}
if [ -z "$out" ]; then
	gen
else
	# Written whole or not at all: a failed run leaves no half file for make to trust.
	gen >"$out.tmp" && mv "$out.tmp" "$out"
fi
