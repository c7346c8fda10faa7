#!/bin/bash
# chorus status on PostgreSQL: an SQLite database made by the binary
# (imports, a digest run, clicks through the redirector) copied with
# `chorus migrate --to` into a private server; `chorus status` on each
# store prints the same figures, the database line aside. The URI is
# shown without its password; a database without the schema is refused
# in one line.
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
q() { sqlite3 "$T/lite.db" "$1"; }

rpid=""
stop_redirector() {
	[ -z "$rpid" ] || { kill "$rpid" 2>/dev/null; wait "$rpid" || true; }
	rpid=""
}
cleanup_hooks="stop_redirector $cleanup_hooks"

# --- A database made by the binary: every figure of status above zero.
expect_status 0 "$CHORUS" init
expect_status 0 "$CHORUS" import employees "$CHORUS_SRC/examples/employees.csv"
expect_status 0 "$CHORUS" import posts "$CHORUS_SRC/examples/posts.csv"
today=$(date -u +%Y-%m-%d)
set +e
"$CHORUS" digest run --date "$today" >"$T/run.out" 2>"$T/run.err"
st=$?
set -e
[ $st -eq 0 ] || [ $st -eq 75 ] || { cat "$T/run.err" >&2; fail "digest run: $st"; }
"$CHORUS" redirector --listen "127.0.0.1:$port" 2>>"$T/redir.log" &
rpid=$!
wait_port "$port"
for c in $(q "SELECT code FROM links ORDER BY id LIMIT 3"); do
	curl -s -o /dev/null --max-time 10 -A "$UA" "$B/$c" || fail "click $c"
	curl -s -o /dev/null --max-time 10 -A "curl/8" "$B/$c" || fail "bot $c"
done
stop_redirector
# Human clicks today (the clicks above, right after the send, count as
# a scanner's), a digest waiting for a retry, one given up, one being
# sent, and an unsubscribed employee: no figure is zero on both sides.
q "INSERT INTO hits (link_id, ts, kind, class, repeat, visitor)
    SELECT id, unixepoch(), 'click', 'human', 0, NULL FROM links LIMIT 2;
   UPDATE ledger SET state = 'failed_temp' WHERE id = (SELECT min(id) FROM ledger);
   UPDATE ledger SET state = 'failed_perm' WHERE id = (SELECT max(id) FROM ledger);
   UPDATE ledger SET state = 'sending', claimed_by = 'x:1', claimed_at = 1
    WHERE id = (SELECT min(id) + 1 FROM ledger);
   UPDATE employees SET unsubscribed_at = 1 WHERE id = (SELECT min(id) FROM employees)"

expect_status 0 "$CHORUS" status
cp "$T/out" "$T/lite.status"
cat "$T/lite.status"
expect_grep "^hits today:   [1-9][0-9]* ([1-9][0-9]* human clicks)" "$T/lite.status"
expect_grep "^retry queue:  [1-9][0-9]* failed temporarily (retried by the next run), [1-9][0-9]* failed for good, [1-9][0-9]* being sent" "$T/lite.status"
expect_grep "^employees:    [1-9][0-9]* active of [1-9][0-9]*, [1-9][0-9]* unsubscribed" "$T/lite.status"
expect_grep "^last run:     .* [1-9][0-9]* sent" "$T/lite.status"

# --- A URI libpq cannot read is a bad setting (64), named as one, its
# password nowhere; a server that does not answer is not (1).
for bad in "postgresql://chorus:topsecret@/chorus?host=$PGDIR&sslmod=require" \
    "postgresql://chorus:top%zzsecret@/chorus?host=$PGDIR"; do
	expect_status 64 "$CHORUS" --db "$bad" status
	[ "$(wc -l <"$T/err")" = 1 ] || fail "not one line: $(cat "$T/err")"
	expect_grep "^chorus: chorus.database: invalid " "$T/err"
	cat "$T/out" "$T/err" | expect_no_grep 'topsecret\|top%zz' /dev/stdin
done
expect_grep 'invalid percent-encoded token: "xxxxx"' "$T/err"
CHORUS_CHORUS_DATABASE="postgresql:///chorus?host=$PGDIR&bogus=1" \
    expect_status 64 "$CHORUS" config
expect_grep 'chorus.database: invalid URI query parameter: "bogus"' "$T/err"
expect_status 1 "$CHORUS" --db "postgresql:///chorus?host=$T/nowhere" status

# --- Not yet a chorus database: one line, say what to do.
expect_status 1 "$CHORUS" --db "$PG_URI" status
[ "$(wc -l <"$T/err")" = 1 ] || fail "not one line: $(cat "$T/err")"
expect_grep "has no chorus schema; run 'chorus init' first" "$T/err"

# --- The copy, then status on PostgreSQL: the same figures.
expect_status 0 "$CHORUS" migrate --to "$PG_URI"
export CHORUS_CHORUS_DATABASE="postgresql://chorus:topsecret@/chorus?host=$PGDIR"
expect_status 0 "$CHORUS" status
cp "$T/out" "$T/pg.status"
cat "$T/pg.status"
[ ! -s "$T/err" ] || fail "stderr: $(cat "$T/err")"
cat "$T/out" "$T/err" | expect_no_grep topsecret /dev/stdin
expect_grep "^database:     postgresql://chorus:xxxxx@/chorus?host=[^ ]* (schema version [0-9]*)\$" "$T/pg.status"
diff <(sed 1d "$T/lite.status") <(sed 1d "$T/pg.status") ||
    fail "status differs between the stores"

# Again: the same figures (status writes nothing).
expect_status 0 "$CHORUS" status
cmp -s "$T/out" "$T/pg.status" || fail "a second status differs"
echo "pg_status: ok"
