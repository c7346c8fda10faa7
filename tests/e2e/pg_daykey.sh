#!/bin/bash
# The shared visitor key (db/daykey.c) on PostgreSQL: tests/test_daykey
# run against a database `chorus init` made on a private server (without
# it, that program tests SQLite only).
. "$CHORUS_SRC/tests/e2e/lib.sh"
. "$CHORUS_SRC/tests/e2e/pg.inc"

prog="$(dirname "$CHORUS")/tests/test_daykey"
[ -x "$prog" ] || fail "no $prog: build the tests first"
pg_start
expect_status 0 "$CHORUS" --db "$PG_URI" init
CHORUS_TEST_PG_URI=$PG_URI "$prog" >"$T/out" 2>&1 ||
    { cat "$T/out" >&2; fail "test_daykey on PostgreSQL"; }
cat "$T/out"
expect_no_grep "SKIPPED\|skipped" "$T/out"
expect_grep "PASSED.* 2 test" "$T/out"
echo "pg_daykey: ok"
