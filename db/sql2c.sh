#!/bin/sh
# Turns the numbered migrations db/migrations/NNN_name.sql into a C table,
# so the binary carries its schema and `chorus init` needs no data files.
# Usage: sql2c.sh [-n NAME] FILE...   NAME (default: migrations) names the
# table and NAME's count n$NAME; db/migrations/pg/ is pg_migrations.
set -e
name=migrations
if [ "${1:-}" = "-n" ]; then
	name=$2
	shift 2
fi
echo '/* Generated from the files in db/migrations by db/sql2c.sh; do not edit. */'
echo '#include <stddef.h>'
echo '#include "db/migrations.h"'
echo "const struct migration $name[] = {"
for f in "$@"; do
	n=$(basename "$f" | sed 's/^0*\([0-9][0-9]*\)_.*/\1/')
	printf '\t{ %s, "%s",\n' "$n" "$(basename "$f")"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t  "/' -e 's/$/\\n"/' "$f"
	printf '\t},\n'
done
echo '};'
echo "const size_t n$name = sizeof($name) / sizeof($name[0]);"
