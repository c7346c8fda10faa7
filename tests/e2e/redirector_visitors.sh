# One visitor key per day for every process on one database: the same
# client (address and User-Agent) clicks one link on each of two
# redirectors, then again after one of them restarts. Three clicks, one
# unique visitor. Then the key of the day is in visitor_keys, and a backup
# holds neither its row nor its bytes.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

UA='Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
export CHORUS_CHORUS_DATABASE="$DB"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
expect_status 0 "$CHORUS" init
store_load "$DATA/redirector/fixture.sql"
q() { sql "$1"; }

# Unique visitors are per UTC day: keep the clicks on one day (the run
# takes seconds; wait out at most the last 90 s before midnight).
left=$((86400 - $(date -u +%s) % 86400))
[ "$left" -gt 90 ] || sleep "$left"
day=$(($(date -u +%s) / 86400))

pa=$(free_port)
pb=$(free_port)
apid=""
bpid=""
stop_all() {
	[ -z "$apid" ] || { kill "$apid" 2>/dev/null; wait "$apid" || true; }
	[ -z "$bpid" ] || { kill "$bpid" 2>/dev/null; wait "$bpid" || true; }
}
cleanup_hooks="stop_all"
# One node commits its own hits, the other has a pool and a writer.
start_a() {
	CHORUS_REDIRECTOR_THREADS=1 "$CHORUS" redirector \
	    --listen "127.0.0.1:$pa" 2>>"$T/a.log" &
	apid=$!
	wait_port "$pa"
}
start_a
CHORUS_REDIRECTOR_THREADS=2 "$CHORUS" redirector \
    --listen "127.0.0.1:$pb" 2>"$T/b.log" &
bpid=$!
wait_port "$pb"

# click PORT: one click on Lk1aaaaaaa; it must answer 302.
click() {
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -A "$UA" \
	    "http://127.0.0.1:$1/Lk1aaaaaaa") || fail "curl on port $1"
	[ "$code" = 302 ] || fail "click on port $1: status $code"
}
click "$pa"
click "$pb"
# a restart of A, gracefully, then the third click
kill "$apid"
wait "$apid" || fail "redirector A did not stop cleanly"
apid=""
start_a
click "$pa"

[ "$(q "SELECT count(*) FROM hits WHERE link_id = 1 AND kind = 'click' AND class = 'human'")" = 3 ] ||
	fail "hits: $(q 'SELECT id, kind, class FROM hits')"
[ "$(q "SELECT count(DISTINCT visitor) FROM hits WHERE link_id = 1")" = 1 ] ||
	fail "three visitor ids for one visitor: $(q 'SELECT id, length(visitor) FROM hits')"
expect_status 0 "$CHORUS" report posts
python3 - "$T/out" <<'EOF' || fail "report posts: $(cat "$T/out")"
import csv, sys
rows = {r["post_id"]: r for r in csv.DictReader(open(sys.argv[1]))}
r = rows["launch-2026"]
assert (r["clicks"], r["unique_clicks"]) == ("3", "1"), r
EOF

# The day's key is in the database, no other day's before it.
[ "$(q "SELECT count(*) FROM visitor_keys WHERE day = $day")" = 1 ] ||
	fail "no key row for day $day: $(q 'SELECT day FROM visitor_keys')"
[ "$(q "SELECT count(*) FROM visitor_keys WHERE day < $day")" = 0 ] ||
	fail "a past day's key row is kept"
if store_is sqlite; then
	key=$(q "SELECT hex(key) FROM visitor_keys WHERE day = $day")
else
	key=$(q "SELECT upper(encode(key, 'hex')) FROM visitor_keys
	    WHERE day = $day")
fi
[ ${#key} -eq 64 ] || fail "the day's key is '$key'"

# A backup, taken while both nodes run, has no key: no row, no bytes (the
# SQLite file's; pg_dump is PostgreSQL's backup).
if store_is sqlite; then
expect_status 0 "$CHORUS" backup "$T/b.db"
[ "$(sqlite3 "$T/b.db" "SELECT count(*) FROM visitor_keys")" = 0 ] ||
	fail "the backup holds a visitor key row"
[ "$(sqlite3 "$T/b.db" "SELECT count(*) FROM hits")" = 3 ] ||
	fail "the backup lacks the hits"
has_bytes() {
	python3 -c 'import sys; sys.exit(0 if bytes.fromhex(sys.argv[2]) in open(sys.argv[1], "rb").read() else 1)' "$1" "$2"
}
for f in "$T/b.db" "$T/b.db-wal" "$T/b.db-journal"; do
	[ -f "$f" ] || continue
	if has_bytes "$f" "$key"; then fail "the key's bytes are in $f"; fi
done
fi
if grep -qi "$key" "$T/a.log" "$T/b.log"; then fail "a log names the key"; fi
stop_all
apid=""
bpid=""
echo "ok: 3 clicks on two nodes and a restart, 1 unique visitor"
