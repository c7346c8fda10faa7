#!/bin/bash
# `chorus init` on a PostgreSQL store (a private server): creates the
# schema at the version SQLite reaches, a second run changes nothing, two
# at once wait for each other's migration lock, a newer schema is refused,
# no password reaches the output (init, errors, config, digest run), and
# backup names pg_dump instead, in one line; migration 008 on a store
# with hits.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/pg.inc"

pg_start
# The server trusts the socket; the password is there to be hidden.
uri_pw="postgresql://chorus:topsecret@/chorus?host=$PGDIR"

# The version SQLite reaches is the one PostgreSQL must reach.
expect_status 0 "$CHORUS" --db "$T/lite.db" init
version=$(sed -n 's/.* at schema version \([0-9]*\).*/\1/p' "$T/out")
[ -n "$version" ] || fail "no version in: $(cat "$T/out")"

expect_status 0 "$CHORUS" --db "$uri_pw" init
expect_grep "created at schema version $version\$" "$T/out"
expect_grep "postgresql://chorus:xxxxx@/chorus" "$T/out"
cat "$T/out" "$T/err" | expect_no_grep topsecret /dev/stdin
[ "$(pg_sql 'SELECT max(version), count(*) FROM schema_version')" = \
    "$version|$version" ] || fail "schema_version: $(pg_sql 'TABLE schema_version')"
[ "$(pg_sql 'SELECT gen FROM link_generation')" = 1 ] ||
    fail "the rows of 001 are missing"

# Again: nothing to do, nothing changed.
expect_status 0 "$CHORUS" --db "$PG_URI" init
expect_grep "is at schema version $version; nothing to do" "$T/out"
[ "$(pg_sql 'SELECT count(*) FROM schema_version')" = "$version" ] ||
    fail "a second init added versions"

# Two at once, on new databases: one migrates, the other waits for the
# lock and finds nothing to do. Without the lock both migrate and one
# fails on a table the other made.
for round in 1 2 3; do
	pg_sql "CREATE DATABASE race$round"
	u="postgresql://chorus@/race$round?host=$PGDIR"
	"$CHORUS" --db "$u" init >"$T/a.out" 2>"$T/a.err" &
	a=$!
	"$CHORUS" --db "$u" init >"$T/b.out" 2>"$T/b.err" &
	b=$!
	sa=0; sb=0
	wait $a || sa=$?
	wait $b || sb=$?
	[ $sa -eq 0 ] && [ $sb -eq 0 ] ||
	    { cat "$T/a.err" "$T/b.err" >&2; fail "round $round: two inits at once: $sa, $sb"; }
	[ "$(cat "$T/a.out" "$T/b.out" | grep -c "created at schema version $version\$")" = 1 ] ||
	    { cat "$T/a.out" "$T/b.out" >&2; fail "round $round: not one creation"; }
	[ "$("$PSQL" -X -At "$u" -c 'SELECT count(*) FROM schema_version')" = "$version" ] ||
	    fail "round $round: schema_version"
done

# A schema newer than this chorus is refused, and left as it is.
pg_sql "INSERT INTO schema_version (version, name) VALUES (999, 'future')"
expect_status 1 "$CHORUS" --db "$PG_URI" init
expect_grep "schema version 999, newer than this chorus knows" "$T/err"
pg_sql "DELETE FROM schema_version WHERE version = 999"

# Errors hide the password too: a database that does not exist (1), and a
# URI libpq cannot parse (its message quotes the URI; a bad setting, 64).
expect_status 1 "$CHORUS" --db "postgresql://chorus:topsecret@/nosuch?host=$PGDIR" init
expect_grep 'nosuch' "$T/err"
cat "$T/out" "$T/err" | expect_no_grep topsecret /dev/stdin
expect_status 64 "$CHORUS" --db "postgresql://chorus:topsecret@[::1/x" init
expect_grep 'xxxxx' "$T/err"
cat "$T/out" "$T/err" | expect_no_grep topsecret /dev/stdin

# digest run runs on PostgreSQL: its lines do not show the password.
expect_status 0 "$CHORUS" --db "$uri_pw" digest run
cat "$T/out" "$T/err" | expect_no_grep topsecret /dev/stdin
# Every command runs on PostgreSQL but backup, which names pg_dump
# instead in one line, status 64, before it touches anything; its --help
# still answers (tests/e2e/pg_backup.sh tries every command).
expect_status 64 "$CHORUS" --db "$uri_pw" backup
expect_grep "^chorus: backup: .* with pg_dump" "$T/err"
[ ! -s "$T/out" ] || fail "backup printed: $(cat "$T/out")"
expect_status 0 "$CHORUS" --db "$PG_URI" backup --help
expect_grep "usage: chorus backup" "$T/out"
# import runs (tests/e2e/pg_import.sh): a missing file is its own error.
expect_status 65 "$CHORUS" --db "$uri_pw" import employees "$T/nosuch.csv"
expect_grep "import: cannot open" "$T/err"
cat "$T/out" "$T/err" | expect_no_grep topsecret /dev/stdin
# status runs (tests/e2e/pg_status.sh), the URI shown without password.
expect_status 0 "$CHORUS" --db "$uri_pw" status
expect_grep "^database:     postgresql://chorus:xxxxx@/chorus" "$T/out"
cat "$T/out" "$T/err" | expect_no_grep topsecret /dev/stdin
# report runs (tests/e2e/pg_report.sh compares it with SQLite's).
expect_status 0 "$CHORUS" --db "$uri_pw" report posts
expect_grep "^post_id," "$T/out"
cat "$T/out" "$T/err" | expect_no_grep topsecret /dev/stdin
# `chorus config` runs, and shows the URI without its password.
expect_status 0 "$CHORUS" --db "$uri_pw" config
expect_grep "^chorus.database = postgresql://chorus:xxxxx@/chorus" "$T/out"
cat "$T/out" "$T/err" | expect_no_grep topsecret /dev/stdin

# 008, 009 and 010 on a store at 007 with hits: the store-wide judge starts
# after the newest one, or now if a clock once wrote one in the future,
# and the shares have their index: built, or built again where a build
# that was interrupted left one marked invalid (as CREATE INDEX
# CONCURRENTLY does).
for ts in 1700000300 4102444800; do
	case $ts in
	1700000300) pg_sql "DROP INDEX hits_shares" ;;
	*) pg_sql "UPDATE pg_index SET indisvalid = false
	    WHERE indexrelid = 'hits_shares'::regclass" ;;
	esac >/dev/null
	pg_sql "ALTER TABLE report_state DROP COLUMN judged_to;
	    DROP TABLE page_views;
	    DELETE FROM schema_version WHERE version IN (8, 9, 10);
	    DELETE FROM hits;
	    INSERT INTO hits (link_id, ts, kind, class, repeat)
	    VALUES (1, 1700000000, 'click', 'human', 0),
	    (1, $ts, 'click', 'human', 0)" >/dev/null
	expect_status 0 "$CHORUS" --db "$PG_URI" init
	got=$(pg_sql "SELECT judged_to - $ts - 1,
	    abs(judged_to - extract(epoch FROM now())) < 60 FROM report_state")
	case $ts in
	1700000300) [ "$got" = "0|f" ] || fail "008 after old hits: $got" ;;
	*) [ "${got#*|}" = t ] || fail "008 after a future hit: $got" ;;
	esac
	[ "$(pg_sql "SELECT indexdef, indisvalid FROM pg_indexes
	    JOIN pg_index ON indexrelid = 'hits_shares'::regclass
	    WHERE indexname = 'hits_shares'")" = "CREATE INDEX hits_shares \
ON public.hits USING btree (ts) WHERE (kind = 'share'::text)|t" ] ||
	    fail "009 ($ts): $(pg_sql "TABLE pg_indexes")"
done
echo "pg_migrate: ok"
