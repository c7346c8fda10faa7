#!/bin/bash
# chorus migrate --to: an SQLite database made by the binary (imports, a
# digest run, clicks through the redirector, a report) copied into a
# private PostgreSQL server. Every table equal on both sides but the
# visitor keys, which are not copied; the sequences continue past the
# ids copied; a second copy into the now full target is refused in one
# line and changes nothing; a copy that fails midway, or is killed, leaves
# the target empty; the source is read in one snapshot while a redirector
# writes to it; no password reaches the output.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/pg.inc"

pg_start

UA='Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
port=$(free_port)
B="http://127.0.0.1:$port"
export CHORUS_CHORUS_DATABASE="$T/lite.db"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_CHORUS_BASE_URL="$B"
export CHORUS_SMTP_URL="file:$T/outbox"
# Every hit keeps the class its User-Agent gives (sweep.sh tests sweeps).
export CHORUS_REDIRECTOR_SWEEP_LINKS=1000 CHORUS_REDIRECTOR_SWEEP_LINKS_FRESH=1000
COMPARE="$CHORUS_SRC/tests/e2e/pg_dump_compare.py"
q() { sqlite3 "$T/lite.db" "$1"; }

rpid=""
stop_redirector() {
	[ -z "$rpid" ] || { kill "$rpid" 2>/dev/null; wait "$rpid" || true; }
	rpid=""
}
cleanup_hooks="stop_redirector $cleanup_hooks"
start_redirector() {
	"$CHORUS" redirector --listen "127.0.0.1:$port" 2>>"$T/redir.log" &
	rpid=$!
	wait_port "$port"
}

# --- A database with rows in every table, made by the binary.
expect_status 0 "$CHORUS" init
expect_status 0 "$CHORUS" import employees "$CHORUS_SRC/examples/employees.csv"
expect_status 0 "$CHORUS" import posts "$CHORUS_SRC/examples/posts.csv"
# A post with an audience limit, and text COPY must escape: a line break,
# a backslash, a literal \N, non-ASCII; the tab and the carriage return,
# which an import refuses, by hand.
cat >"$T/more.csv" <<'CSV'
id,title,url,summary,roles,text,audience
limited,"A \N and \\ ""quotes""",https://example.com/limited,"two
lines",*,"Café ✓ \x41",50%
CSV
expect_status 0 "$CHORUS" import posts "$T/more.csv"
q "UPDATE posts SET text_x = 'cr' || char(13) || 'lf' || char(10) || 'tab' ||
    char(9) || 'bs\\' WHERE ext_id = 'limited'"
today=$(date -u +%Y-%m-%d)
set +e
"$CHORUS" digest run --date "$today" >"$T/run.out" 2>"$T/run.err"
st=$?
set -e
[ $st -eq 0 ] || [ $st -eq 75 ] || { cat "$T/run.err" >&2; fail "digest run: $st"; }

start_redirector
codes=$(q "SELECT code FROM links ORDER BY id LIMIT 6")
[ -n "$codes" ] || fail "the digest run made no links"
for c in $codes; do
	curl -s -o /dev/null --max-time 10 -A "$UA" "$B/$c" || fail "click $c"
	curl -s -o /dev/null --max-time 10 -A "$UA" "$B/s/$c" || fail "share $c"
	curl -s -o /dev/null --max-time 10 -A "curl/8" "$B/$c" || fail "bot $c"
	curl -s -o /dev/null --max-time 10 -I "$B/$c" || fail "head $c"
done
first=$(echo "$codes" | head -n 1)
curl -s -o /dev/null --max-time 10 -A "$UA" -d reason=not_relevant "$B/n/$first" ||
    fail "not for me"
tok=$(q "SELECT unsub_token FROM employees ORDER BY id LIMIT 1")
curl -s -o /dev/null --max-time 10 -A "$UA" -d x=1 "$B/u/$tok" || fail "unsubscribe"
# A footer page served: a row of page_views.
ptok=$(q "SELECT pref_token FROM employees ORDER BY id LIMIT 1")
curl -s -o /dev/null --max-time 10 -A "$UA" "$B/p/$ptok" || fail "preferences"
curl -s -o /dev/null --max-time 10 "$B/healthz" || fail "healthz"
stop_redirector
expect_status 0 "$CHORUS" report daily
# What no command above writes: a topic, a dirty roll-up row, a hit with
# an empty visitor (no NULL), and one without.
q "INSERT INTO employee_topics (employee_id, role, choice)
    SELECT id, 'sales', 'follow' FROM employees ORDER BY id LIMIT 1;
   INSERT INTO report_dirty (link_id, day) SELECT id, 20000 FROM links LIMIT 1;
   INSERT INTO hits (link_id, ts, kind, class, repeat, visitor)
    SELECT id, 1790000000, 'click', 'bot', 0, x'' FROM links LIMIT 1;
   INSERT INTO hits (link_id, ts, kind, class, repeat, visitor)
    SELECT id, 1790000001, 'click', 'bot', 0, NULL FROM links LIMIT 1"

# Every table holds rows, so each is seen copied: a table added to the
# schema fails here until this script gives it some.
for t in $(q "SELECT name FROM sqlite_schema WHERE type = 'table' AND
    name NOT LIKE 'sqlite%'"); do
	[ "$(q "SELECT count(*) > 0 FROM \"$t\"")" = 1 ] ||
	    fail "no rows in table $t: give it some above"
done
[ "$(q 'SELECT gen FROM link_generation')" -gt 1 ] ||
    fail "the link generation never moved"

# --- Usage.
expect_status 64 "$CHORUS" migrate
expect_grep "migrate: --to postgresql://... is required" "$T/err"
expect_status 64 "$CHORUS" migrate --to "$T/other.db"
expect_status 64 "$CHORUS" migrate --to env:CHORUS_NO_SUCH_VARIABLE
expect_status 64 "$CHORUS" migrate "postgresql://chorus:topsecret@/x"
expect_grep "unexpected argument 'postgresql://chorus:xxxxx@/x'" "$T/err"
expect_status 64 "$CHORUS" migrate --to "postgresql://chorus:topsecret@/x?sslmod=require"
expect_grep 'migrate: --to: invalid URI query parameter: "sslmod"' "$T/err"
expect_no_grep topsecret "$T/err"
expect_status 64 "$CHORUS" --db "$PG_URI" migrate --to "$PG_URI"
expect_grep "is PostgreSQL already" "$T/err"
expect_status 0 "$CHORUS" migrate --help
expect_grep "usage: chorus migrate" "$T/out"

# --- A source at another schema version is refused; nothing is created.
cp "$T/lite.db" "$T/old.db"
sqlite3 "$T/old.db" "PRAGMA user_version = 1"
expect_status 1 "$CHORUS" --db "$T/old.db" migrate --to "$PG_URI"
expect_grep "run 'chorus init'" "$T/err"
[ "$(pg_sql "SELECT to_regclass('employees') IS NULL")" = t ] ||
    fail "the target was touched for a source refused"

# --- The copy, the URI from the environment: no password shown.
export CHORUS_TEST_TARGET="postgresql://chorus:topsecret@/chorus?host=$PGDIR"
expect_status 0 "$CHORUS" migrate --to env:CHORUS_TEST_TARGET
cat "$T/out" "$T/err" | expect_no_grep topsecret /dev/stdin
[ ! -s "$T/err" ] || fail "stderr: $(cat "$T/err")"
tables=$(q "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND
    name NOT LIKE 'sqlite%' AND name <> 'visitor_keys'")
rows=0
for t in $(q "SELECT name FROM sqlite_schema WHERE type = 'table' AND
    name NOT LIKE 'sqlite%' AND name <> 'visitor_keys'"); do
	rows=$((rows + $(q "SELECT count(*) FROM \"$t\"")))
done
expect_grep "^copied '$T/lite.db' to 'postgresql://chorus:xxxxx@/chorus?host=[^']*': $tables tables, $rows rows in [0-9.]* s; not copied: visitor_keys\$" "$T/out"
python3 "$COMPARE" compare "$T/lite.db" "$PG_URI" visitor_keys >"$T/cmp" ||
    { cat "$T/cmp" >&2; fail "the copy differs"; }
cat "$T/cmp"
[ "$(grep -c 'rows equal$' "$T/cmp")" = "$tables" ] ||
    { cat "$T/cmp" >&2; fail "not every table compared"; }
[ "$(q 'SELECT count(*) FROM visitor_keys')" -gt 0 ] ||
    fail "the source had no visitor key: the test proves nothing"

# The sequences continue past the ids copied: every identity column's
# next value is max + 1 (hits.id: max + 256, its sequence handing out
# blocks of 256 ids, db/hits.h), and a row inserted without an id gets it.
pg_sql "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c
    ON c.oid = a.attrelid WHERE a.attidentity <> '' AND
    c.relnamespace = current_schema()::regnamespace" >"$T/ids"
[ "$(wc -l <"$T/ids")" -ge 7 ] || fail "identity columns: $(cat "$T/ids")"
while IFS='|' read -r t col; do
	max=$(q "SELECT max(\"$col\") FROM \"$t\"")
	[ "$t" != runs ] || continue
	next=$(pg_sql "SELECT nextval(pg_get_serial_sequence('$t', '$col'))")
	step=1
	[ "$t.$col" != hits.id ] || step=256
	[ "$next" = $((max + step)) ] ||
	    fail "$t.$col: next $next after max $max"
done <"$T/ids"
max=$(q "SELECT max(id) FROM runs")
[ "$(pg_sql "INSERT INTO runs (started_at, trigger) VALUES (1, 'test')
    RETURNING id")" = $((max + 1)) ] || fail "runs: a new row's id"
pg_sql "DELETE FROM runs WHERE trigger = 'test'"

# --- A second copy into the now full target: one line, nothing changed;
# a password on the command line is warned about and never shown.
python3 "$COMPARE" dump "$PG_URI" >"$T/before"
expect_status 1 "$CHORUS" migrate --to "postgresql://chorus:topsecret@/chorus?host=$PGDIR"
grep -v 'is visible to other users' "$T/err" >"$T/err1" || true
[ "$(wc -l <"$T/err1")" = 1 ] || fail "not one line: $(cat "$T/err")"
expect_grep "^chorus: migrate: 'postgresql://chorus:xxxxx@/chorus?host=[^']*' is not empty: table 'employees' holds [0-9]* rows; migrate copies into an empty database only\$" "$T/err1"
expect_grep "password in --to is visible to other users" "$T/err"
cat "$T/out" "$T/err" | expect_no_grep topsecret /dev/stdin
python3 "$COMPARE" dump "$PG_URI" >"$T/after"
cmp -s "$T/before" "$T/after" || fail "a refused copy changed the target"

# empty URI: every table at the rows its migrations write, no more.
expect_empty() {
	python3 "$COMPARE" dump "$1" | grep -v '^schema_version ' >"$T/left" || true
	printf '%s\n' 'link_generation [1, 1]' 'report_state [1, 0, 0]' >"$T/seed"
	cmp -s "$T/left" "$T/seed" || { cat "$T/left" >&2; fail "$2: the target is not empty"; }
}

# --- A failure midway: hits, copied late, refuses a row; everything
# copied before it is rolled back.
pg_sql "CREATE DATABASE midway"
mid="postgresql://chorus@/midway?host=$PGDIR"
expect_status 0 "$CHORUS" --db "$mid" init
"$PSQL" -X -q "$mid" -c "ALTER TABLE hits ADD CONSTRAINT no_share CHECK (kind <> 'share')"
expect_status 1 "$CHORUS" migrate --to "$mid"
[ "$(wc -l <"$T/err")" = 1 ] || fail "not one line: $(cat "$T/err")"
expect_grep "^chorus: migrate: table 'hits': .*no_share" "$T/err"
# The server's message alone: no DETAIL quoting the failing row (a
# visitor's hash here; the page tokens for employees).
expect_no_grep 'DETAIL\|Failing row\|CONTEXT' "$T/err"
expect_empty "$mid" "a failed copy"

# --- A target a redirector has used once (its probe's row, the day's
# visitor key) takes the copy: the probe's row gives way to the source's,
# the day's key stays (the source's is never copied); every other table
# as the source's.
pg_sql "CREATE DATABASE touched"
touched="postgresql://chorus@/touched?host=$PGDIR"
expect_status 0 "$CHORUS" --db "$touched" init
"$PSQL" -X -q "$touched" -c "INSERT INTO redirector_health (id, alive_at)
    VALUES (1, 1); INSERT INTO visitor_keys (day, key)
    VALUES (20000, decode(repeat('ab', 32), 'hex'))"
expect_status 0 "$CHORUS" migrate --to "$touched"
[ "$("$PSQL" -X -qtA "$touched" -c "SELECT count(*) FROM redirector_health
    WHERE alive_at = 1")" = 0 ] || fail "the target's probe row stayed"
[ "$("$PSQL" -X -qtA "$touched" -c "SELECT day FROM visitor_keys")" = \
    20000 ] || fail "the target's day key: $("$PSQL" -X -qtA "$touched" \
    -c 'TABLE visitor_keys')"
# The rest as the source's (the compare wants no key copied: the kept
# one, checked, goes first).
"$PSQL" -X -q "$touched" -c "DELETE FROM visitor_keys"
python3 "$COMPARE" compare "$T/lite.db" "$touched" visitor_keys \
    >"$T/cmp_touched" ||
    { cat "$T/cmp_touched" >&2; fail "the copy over a touched target"; }

# --- Text SQLite kept that is not UTF-8 (a server's reply in Latin-1, as
# an older Chorus stored it), which PostgreSQL's text refuses: copied
# with '?' for each bad byte, and said, instead of no copy at all.
sqlite3 "$T/lite.db" ".backup '$T/latin1.db'"
sqlite3 "$T/latin1.db" "UPDATE ledger SET reply = '250 accept' ||
    CAST(X'E9' AS TEXT) WHERE id = (SELECT min(id) FROM ledger)"
pg_sql "CREATE DATABASE latin1"
lat="postgresql://chorus@/latin1?host=$PGDIR"
expect_status 0 "$CHORUS" --db "$T/latin1.db" migrate --to "$lat"
expect_grep "^chorus: migrate: table 'ledger': 1 value was not UTF-8, copied with '?' for each byte that was not\$" "$T/err"
[ "$("$PSQL" -X -qtA "$lat" -c "SELECT reply FROM ledger ORDER BY id
    LIMIT 1")" = "250 accept?" ] || fail "the Latin-1 reply: not as said"

# --- A sizeable copy, for the figure; then the same killed midway.
sqlite3 "$T/lite.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$T/lite.db" "$T/big.db"
sqlite3 "$T/big.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL
    SELECT i + 1 FROM n WHERE i < 300000)
    INSERT INTO hits (link_id, ts, kind, class, repeat, visitor)
    SELECT (SELECT min(id) FROM links), 1790000000 + i, 'click', 'human',
    0, randomblob(32) FROM n"
pg_sql "CREATE DATABASE big"
big="postgresql://chorus@/big?host=$PGDIR"
expect_status 0 "$CHORUS" --db "$T/big.db" migrate --to "$big"
echo "sizeable copy: $(cat "$T/out")"
[ "$("$PSQL" -X -At "$big" -c 'SELECT count(*) FROM hits')" = \
    "$(sqlite3 "$T/big.db" 'SELECT count(*) FROM hits')" ] || fail "big: hits"

pg_sql "CREATE DATABASE killed"
killed="postgresql://chorus@/killed?host=$PGDIR"
expect_status 0 "$CHORUS" --db "$killed" init
"$CHORUS" --db "$T/big.db" migrate --to "$killed" >"$T/k.out" 2>"$T/k.err" &
kpid=$!
# Killed once its COPY into hits runs (at most 30 s of waiting).
i=0
until [ "$(pg_sql "SELECT count(*) FROM pg_stat_activity WHERE
    datname = 'killed' AND query LIKE 'COPY \"hits\"%'")" = 1 ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || { kill -9 $kpid; fail "the copy of hits never started"; }
	kill -0 $kpid 2>/dev/null || fail "the copy ended before it was killed: $(cat "$T/k.out" "$T/k.err")"
	sleep 0.05
done
kill -9 $kpid
wait $kpid 2>/dev/null || true
# Its server process ends once it sees the connection gone.
i=0
until [ "$(pg_sql "SELECT count(*) FROM pg_stat_activity WHERE
    datname = 'killed' AND application_name = 'chorus'")" = 0 ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the killed copy's session stays"
	sleep 0.1
done
expect_empty "$killed" "a killed copy"

# --- One snapshot while a redirector writes: the copy succeeds, and what
# it holds is the source up to one hit, nothing after or missing.
start_redirector
( for _ in $(seq 1 400); do
	curl -s -o /dev/null --max-time 10 -A "$UA" "$B/$first" || exit 1
done ) &
lpid=$!
pg_sql "CREATE DATABASE live"
live="postgresql://chorus@/live?host=$PGDIR"
sleep 0.3
expect_status 0 "$CHORUS" migrate --to "$live"
wait $lpid || fail "the clicks failed"
stop_redirector
top=$("$PSQL" -X -At "$live" -c 'SELECT max(id) FROM hits')
n=$("$PSQL" -X -At "$live" -c 'SELECT count(*) FROM hits')
[ "$n" = "$(q "SELECT count(*) FROM hits WHERE id <= $top")" ] ||
    fail "live: $n hits copied, not the source's up to id $top"
[ "$n" -lt "$(q 'SELECT count(*) FROM hits')" ] ||
    echo "note: the clicks ended before the copy began"
echo "pg_migrate_to: ok"
