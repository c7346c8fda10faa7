#!/bin/bash
# The unit tests with a PostgreSQL half, run against a database `chorus
# init` made on a private server: test_db (the statement cursor of
# db/stmt.h), test_daykey (the shared visitor key), test_results (the
# digest's results, history and highlights from db/report.c) and
# test_hits (hit ids reserved before the insert, a lost connection made
# again, a retryable conflict still told so after the ROLLBACK),
# test_hitlog (a server that stops answering a batch: 503 at the
# watchdog's deadline, then made again) and test_ledger (two transactions
# racing for one claim; a connection made again without its session's
# SET not used; a watched PREPARE on a silent server; the keepalives a
# connection is made with) and test_rejudge (the sweep rule over every
# redirector's stored hits, before the fold) and test_pgarr (the server
# reads back every element of the array literals db/ builds). Without
# CHORUS_TEST_PG_URI those halves are skipped, as in `make test`.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/pg.inc"

pg_start
expect_status 0 "$CHORUS" --db "$PG_URI" init
# test_ledger counts on the identity sequences: a database of its own
# (the others write rows with ids of their own).
"$PSQL" -X -q -v ON_ERROR_STOP=1 "postgresql://chorus@/postgres?host=$PGDIR" \
    -c "CREATE DATABASE chorus_ledger" || fail "pg: cannot create a database"
LEDGER_URI="postgresql://chorus@/chorus_ledger?host=$PGDIR"
expect_status 0 "$CHORUS" --db "$LEDGER_URI" init
# test_rejudge judges and folds every hit of its store: one of its own too.
"$PSQL" -X -q -v ON_ERROR_STOP=1 "postgresql://chorus@/postgres?host=$PGDIR" \
    -c "CREATE DATABASE chorus_rejudge" || fail "pg: cannot create a database"
REJUDGE_URI="postgresql://chorus@/chorus_rejudge?host=$PGDIR"
expect_status 0 "$CHORUS" --db "$REJUDGE_URI" init
for t in test_db test_daykey test_results test_hits test_hitlog test_ledger \
    test_rejudge test_pgarr; do
	uri=$PG_URI
	[ $t != test_ledger ] || uri=$LEDGER_URI
	[ $t != test_rejudge ] || uri=$REJUDGE_URI
	prog="$(dirname "$CHORUS")/tests/$t"
	[ -x "$prog" ] || fail "no $prog: build the tests first"
	(cd "$CHORUS_SRC" && CHORUS_TEST_PG_URI=$uri "$prog") \
	    >"$T/$t.out" 2>&1 || { cat "$T/$t.out" >&2; fail "$t on PostgreSQL"; }
	grep -E '^\[ *(RUN|PASSED|SKIPPED)' "$T/$t.out"
	expect_no_grep "SKIPPED" "$T/$t.out"
done
echo "pg_units: ok"
