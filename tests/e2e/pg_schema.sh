#!/bin/bash
# The PostgreSQL migrations (db/migrations/pg/) make the same schema as the
# SQLite ones: `chorus init` makes an SQLite database, psql applies every
# PostgreSQL migration in order, each in one transaction, to a private
# server, and tests/schema_compare.py compares the two stores' tables,
# views, columns, keys, constraints, indexes and triggers. An SQLite
# migration without its PostgreSQL version fails by name.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/pg.inc"

cat > chorus.ini <<INI
[chorus]
database = $T/chorus.db
INI
expect_status 0 "$CHORUS" -c chorus.ini init

pg_start
for f in "$CHORUS_SRC"/db/migrations/pg/[0-9][0-9][0-9]_*.sql; do
	"$PSQL" -X -q -v ON_ERROR_STOP=1 --single-transaction -f "$f" \
	    "$PG_URI" >"$T/psql.log" 2>&1 ||
	    { cat "$T/psql.log" >&2; fail "psql: $(basename "$f") failed"; }
done

python3 "$CHORUS_SRC/tests/schema_compare.py" "$T/chorus.db" "$PG_URI" \
    "$CHORUS_SRC" >"$T/compare" 2>&1 ||
    { cat "$T/compare" >&2; fail "the SQLite and PostgreSQL schemas differ"; }
cat "$T/compare"
echo "pg_schema: ok"
