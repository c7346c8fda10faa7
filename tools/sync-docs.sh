#!/bin/sh
# Regenerates the settings reference in README.md (between the settings
# markers) from the settings table, via `chorus config --markdown`.
# Usage: tools/sync-docs.sh [CHORUS]     (--check: fail if out of date)
set -eu
check=0
if [ "${1:-}" = "--check" ]; then
	check=1
	shift
fi
chorus=${1:-./chorus}
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.table"' EXIT
env -i PATH="$PATH" "$chorus" -c /dev/null config --markdown > "$tmp.table"
awk -v table="$tmp.table" '
	/<!-- settings:begin/ { print; while ((getline l < table) > 0) print l; skip = 1; next }
	/<!-- settings:end/ { skip = 0 }
	!skip { print }
' README.md > "$tmp"
if [ $check -eq 1 ]; then
	if ! cmp -s "$tmp" README.md; then
		echo "README.md settings reference is out of date; run tools/sync-docs.sh" >&2
		diff -u README.md "$tmp" >&2 || true
		exit 1
	fi
	exit 0
fi
cp "$tmp" README.md
