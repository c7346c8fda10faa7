#!/bin/sh
# Static analysis over the given C files: cppcheck, then clang-tidy (the
# checks chosen in .clang-tidy), two files at a time. Prints every finding
# as FILE:LINE and exits 1 if there is any.
# Usage: tools/lint.sh FILE.c...     (`make lint` passes the whole tree)
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
PKGS="sqlite3 libpq libesmtp-1.0 libmicrohttpd uuid inih libcrypto cmocka"
# One clang-tidy run over some files (xargs calls this script back).
if [ "${1:-}" = "--tidy" ]; then
	shift
	exec clang-tidy --quiet "$@" -- -std=c11 -D_GNU_SOURCE -I. \
	    $(pkg-config --cflags $PKGS 2>/dev/null) 2>/dev/null
fi
status=0

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
[ $status -eq 0 ] && echo "lint: clean"
exit $status
