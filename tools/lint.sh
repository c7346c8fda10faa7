#!/bin/sh
# Static analysis over the given C files: cppcheck, then clang-tidy (the
# checks chosen in .clang-tidy), two files at a time; then the formatting of
# the lines changed on this branch (below). Prints every finding as
# FILE:LINE, or the formatting as a diff, and exits 1 if there is any.
# Usage: tools/lint.sh FILE.c...     (`make lint` passes the whole tree)
#        tools/lint.sh --format      (the formatting check only)
#
# cppcheck runs its warning, performance and portability checks and the
# "style" ones except those that fight the house style:
#   variableScope     declarations at the top of a block (style(9))
#   constParameter, constVariable, constParameterPointer, constVariablePointer
#                     advice, not defects
# Anything else it reports is fixed, or suppressed in tools/cppcheck.supp
# with the reason beside it.
set -u
cd "$(dirname "$0")/.."
PKGS="sqlite3 libpq libesmtp-1.0 libmicrohttpd uuid inih libssl libcrypto
    cmocka"
# One clang-tidy run over some files (xargs calls this script back).
if [ "${1:-}" = "--tidy" ]; then
	shift
	exec clang-tidy --quiet "$@" -- -std=c11 -D_GNU_SOURCE -I. \
	    $(pkg-config --cflags $PKGS 2>/dev/null) 2>/dev/null
fi
status=0

# The formatting check: .clang-format applied by clang-format-diff to the
# lines of *.c and *.h changed since BASE, committed or not; any change it
# would make fails, printed as a diff (tools/format-filter.pl leaves out
# what clang-format 14 cannot say in style(9) terms: alignment inside a
# line and the depth of continuation lines). Changed lines must also fit
# in 80 columns (.clang-format has no column limit, so that it keeps the
# line breaks as written).
#
# BASE: the branch's merge base with origin/main, else with main; on main
# itself (also a fresh clone in CI, where only main exists), or with no
# main at all, HEAD~1: the last commit. So a branch is checked for all it
# changes, and main for its newest commit. FORMAT_BASE=REV overrides.
# redirector/classify_table.h is generated, and not checked.
format_base() {
	if [ -n "${FORMAT_BASE:-}" ]; then
		echo "$FORMAT_BASE"
		return
	fi
	head=$(git rev-parse HEAD) || return 1
	for ref in origin/main main; do
		git rev-parse -q --verify "$ref^{commit}" >/dev/null || continue
		b=$(git merge-base HEAD "$ref") || continue
		if [ "$b" != "$head" ]; then
			echo "$b"
			return
		fi
	done
	git rev-parse -q --verify HEAD~1 ||
	    git hash-object -t tree /dev/null	# the first commit: all of it
}

format_check() {
	cfd=$(command -v clang-format-diff-14 ||
	    ls /usr/lib/llvm-14/share/clang/clang-format-diff.py 2>/dev/null)
	if [ -z "$cfd" ] || ! command -v clang-format-14 >/dev/null; then
		echo "lint: clang-format-14 is missing (make deps, or" \
		    "tools/deps.sh lint)" >&2
		return 1
	fi
	if ! git rev-parse -q --verify HEAD >/dev/null 2>&1; then
		echo "lint: format: not a git checkout, skipped"
		return 0
	fi
	base=$(format_base) || return 1
	echo "lint: format (lines changed since $(git rev-parse --short \
	    "$base"))"
	diff=$(mktemp)
	git diff -U0 --no-color "$base" -- '*.c' '*.h' \
	    ':!redirector/classify_table.h' >"$diff"
	rc=0
	if ! python3 "$cfd" -p1 -binary clang-format-14 <"$diff" |
	    perl tools/format-filter.pl; then
		echo "lint: format: the lines above differ from .clang-format"
		rc=1
	fi
	# Added lines wider than 80 columns (tabs every 8).
	if ! awk '
	    /^\+\+\+ / { f = substr($2, 3); next }
	    /^@@/ { split($3, a, ","); n = substr(a[1], 2); next }
	    /^\+/ {
		s = substr($0, 2); w = 0
		for (i = 1; i <= length(s); i++)
			w = substr(s, i, 1) == "\t" ? w + 8 - w % 8 : w + 1
		if (w > 80) { print f ":" n ": " w " columns"; bad = 1 }
		n++
	    }
	    END { exit bad }' "$diff"; then
		echo "lint: format: lines wider than 80 columns"
		rc=1
	fi
	rm -f "$diff"
	return $rc
}

if [ "${1:-}" = "--format" ]; then
	format_check
	exit $?
fi

for tool in cppcheck clang-tidy; do
	command -v $tool >/dev/null || {
		echo "lint: $tool is missing (make deps, or tools/deps.sh lint)" >&2
		exit 1
	}
done

echo "lint: cppcheck ($# files)"
if ! cppcheck --quiet --std=c11 -D_GNU_SOURCE -I. \
    --enable=warning,style,performance,portability \
    --suppress=variableScope --suppress=constParameter \
    --suppress=constVariable --suppress=constParameterPointer \
    --suppress=constVariablePointer --suppress=missingIncludeSystem \
    --suppressions-list=tools/cppcheck.supp --inline-suppr \
    --error-exitcode=1 \
    --template='{file}:{line}: cppcheck: {id}: {message}' "$@"; then
	status=1
fi

echo "lint: clang-tidy ($# files)"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
printf '%s\n' "$@" | xargs -P 2 -n 4 sh tools/lint.sh --tidy >"$out"
if grep -q -E ': (warning|error):' "$out"; then
	grep -E ': (warning|error):' "$out" | sed "s|^$PWD/||" | sort -u
	status=1
fi
format_check || status=1
[ $status -eq 0 ] && echo "lint: clean"
exit $status
