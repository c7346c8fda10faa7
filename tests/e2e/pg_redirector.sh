#!/bin/bash
# The redirector on PostgreSQL: the fixture of redirector_routes.sh copied
# with `chorus migrate --to` into a private server, then
#  - the routes as redirector_routes.sh checks them (302 with UTM tags, a
#    moved post and a new link served at once, /s share, HEAD, classes,
#    404 and 405 without a row, /u, /p, /n with their rows and events,
#    /healthz, /metrics), every answered hit in `hits` with its class;
#  - two redirectors on the same database at once (a pool with its hit
#    writer, and the one-thread loop) under load on both: no answered hit
#    without its row, ids never shared, and one visitor counted once by
#    the day's shared key whichever process they reached;
#  - a lock held on hits: 503 after the wait bound, not a hang;
#  - PostgreSQL stopped under load (pg_ctl stop -m fast): both answer 503
#    while it is down, then, restarted, 302 again without being restarted
#    themselves; no 302 whose hit is missing;
#  - its backends stopped (SIGSTOP: a server that stops answering without
#    closing): a lookup and a hit answered 503 at the wait bound, then
#    302 again.
# Waits are bounded loops; nothing is timed.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/pg.inc"

pg_start
# One visitor is one visitor hash only within a UTC day (the key of the
# day): the repeats and the visitor on two redirectors below must not
# straddle midnight.
one_utc_day 240

CHROME_UA='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'
UNSUB=11111111-1111-4111-8111-111111111111
PREF=22222222-2222-4222-8222-222222222222
HITLOAD="$CHORUS_SRC/tests/e2e/hitload.py"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_CHORUS_BASE_URL="https://go.example.com/"
# One client goes through every link in a second, as a gateway's sweep
# would: here every hit keeps the class its User-Agent gives.
export CHORUS_REDIRECTOR_SWEEP_LINKS=1000 CHORUS_REDIRECTOR_SWEEP_LINKS_FRESH=1000

# --- The store: the routes' fixture and 100 links more for the load, made
# in SQLite and copied.
expect_status 0 "$CHORUS" --db "$T/lite.db" init
sqlite3 "$T/lite.db" < "$DATA/redirector/fixture.sql"
python3 - "$T/lite.db" > "$T/codes" <<'EOF'
import random, sqlite3, string, sys
db = sqlite3.connect(sys.argv[1])
rnd = random.Random(19)
alpha = string.ascii_letters + string.digits
for i in range(100):
    p = db.execute("INSERT INTO posts (ext_id, title, url, created_at, "
                   "updated_at) VALUES (?, 't', 'https://example.com/l', "
                   "0, 0)", ('load-%d' % i,)).lastrowid
    code = ''.join(rnd.choice(alpha) for _ in range(12 if i % 2 else 10))
    db.execute("INSERT INTO links (code, employee_id, post_id, network, "
               "created_at) VALUES (?, 2, ?, 'x', 0)", (code, p))
    print(code)
db.commit()
EOF
expect_status 0 "$CHORUS" --db "$T/lite.db" migrate --to "$PG_URI"
export CHORUS_CHORUS_DATABASE="$PG_URI"
q() { pg_sql "$1"; }
[ "$(q "SELECT count(*) FROM links")" = 106 ] || fail "links not copied"

# start NAME THREADS: a redirector on a new port ($sport), its log
# redir_NAME.log.
pids=""
sport=""
start() {
	sport=$(free_port)
	CHORUS_REDIRECTOR_THREADS=$2 "$CHORUS" redirector \
	    --listen "127.0.0.1:$sport" 2>"$T/redir_$1.log" &
	pids="$pids $!"
	wait_port "$sport"
}
stop_all() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	pids=""
}
cleanup_hooks="stop_all $cleanup_hooks"

start a 2
port_a=$sport
B="http://127.0.0.1:$port_a"
expect_grep "listening on 127.0.0.1:$port_a (2 threads and a hit writer" \
    "$T/redir_a.log"

req() {
	name=$1
	shift
	curl -s --max-time 30 -o "$T/$name.b" -D "$T/$name.h" "$@" ||
	    fail "curl $*"
}
status_of() { sed -n '1s/^HTTP\/1\.1 \([0-9]*\).*/\1/p' "$T/$1.h"; }
header_of() { grep -i "^$2:" "$T/$1.h" | sed 's/^[^:]*: //' | tr -d '\r'; }
expect_code() {
	got=$(status_of "$1")
	[ "$got" = "$2" ] || { cat "$T/$1.h" >&2; fail "$1: status $got, want $2"; }
}

# --- GET /CODE: the UTM merge, a click with its visitor
req c1 -A "$CHROME_UA" "$B/Lk1aaaaaaa"
expect_code c1 302
[ "$(header_of c1 Location)" = "https://example.com/blog/launch?utm_source=linkedin&utm_medium=employee_advocacy&utm_campaign=launch-2026" ] ||
	fail "c1 Location: $(header_of c1 Location)"
[ "$(header_of c1 Cache-Control)" = "no-store" ] || fail "c1 not no-store"
[ "$(q "SELECT kind, class, repeat, length(visitor) FROM hits WHERE link_id = 1")" = "click|human|0|16" ] ||
	fail "c1 hit: $(q 'SELECT * FROM hits')"
req c2 -A "$CHROME_UA" "$B/Lk2bbbbbbb"
[ "$(header_of c2 Location)" = "https://example.com/qa?lang=en&utm_source=newsletter&utm_medium=employee_advocacy&utm_campaign=q%26a#top" ] ||
	fail "c2 Location: $(header_of c2 Location)"
# a moved post and a new link: the link generation of PostgreSQL's
# triggers, read in each batch, moves the cache at once
req c3 -A "$CHROME_UA" "$B/Xx3ccccccc"
q "UPDATE posts SET url = 'https://example.com/moved' WHERE id = 3"
req c3b -A "$CHROME_UA" "$B/Xx3ccccccc"
[ "$(header_of c3b Location)" = "https://example.com/moved?utm_source=x&utm_medium=employee_advocacy&utm_campaign=plain" ] ||
	fail "c3b Location after the move: $(header_of c3b Location)"
q "INSERT INTO links (id, code, employee_id, post_id, network, created_at) VALUES (6, 'New6nnnnnn', 2, 1, 'linkedin', 0)"
req c3d "$B/New6nnnnnn"
expect_code c3d 302
# the same visitor again within 30 minutes is a repeat
req c4 -A "$CHROME_UA" "$B/Lk1aaaaaaa"
[ "$(q "SELECT string_agg(repeat::text, ',' ORDER BY id) FROM hits WHERE link_id = 1")" = "0,1" ] ||
	fail "repeat not seen"

# --- HEAD, classes, share
req h1 -I -A "$CHROME_UA" "$B/Fb1aaaaaaa"
expect_code h1 302
[ "$(q "SELECT kind || class FROM hits WHERE link_id = 3")" = "clickhead" ] ||
	fail "HEAD not recorded as head"
classify() {
	n=$(q "SELECT count(*) FROM hits")
	req cl -A "$1" "$B/Xx1aaaaaaa"
	expect_code cl 302
	got=$(q "SELECT class FROM hits ORDER BY id DESC LIMIT 1")
	[ "$got" = "$2" ] || fail "'$1' classified $got, want $2"
	[ "$(q "SELECT count(*) FROM hits")" = $((n + 1)) ] || fail "no row"
}
classify 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)' preview
classify 'curl/7.88.1' bot
classify "$CHROME_UA" human
req s1 -A "$CHROME_UA" "$B/s/Xx1aaaaaaa"
expect_code s1 302
[ "$(header_of s1 Location)" = "https://x.com/intent/tweet?text=Launch%20day&url=https%3A%2F%2Fgo.example.com%2FXx1aaaaaaa" ] ||
	fail "s1 Location: $(header_of s1 Location)"
[ "$(q "SELECT kind FROM hits ORDER BY id DESC LIMIT 1")" = share ] ||
	fail "share not recorded"

# --- 404 and 405: no row
rows=$(q "SELECT count(*) FROM hits")
for p in /Zz9zzzzzzz /s/Zz9zzzzzzz //evil.com /n/Zz9zzzzzzz /u/x /p/x; do
	req nf --path-as-is "$B$p"
	expect_code nf 404
done
req m1 -X POST "$B/Lk1aaaaaaa"
expect_code m1 405
[ "$(header_of m1 Allow)" = "GET, HEAD" ] || fail "m1 Allow"
req m2 -X DELETE "$B/healthz"
expect_code m2 405
[ "$(q "SELECT count(*) FROM hits")" = "$rows" ] || fail "a 404 or 405 was recorded"

# --- unsubscribe, preferences, not for me
req u1 "$B/u/$UNSUB"
expect_code u1 200
expect_grep 'ann@example.com' "$T/u1.b"
[ "$(q "SELECT count(*) FROM employees WHERE unsubscribed_at IS NOT NULL")" = 0 ] ||
	fail "GET /u unsubscribed"
req u2 -d 'List-Unsubscribe=One-Click' "$B/u/$UNSUB"
expect_code u2 200
[ -n "$(q "SELECT unsubscribed_at FROM employees WHERE id = 1")" ] ||
	fail "POST /u did not unsubscribe"
req u3 -d 'List-Unsubscribe=One-Click' "$B/u/$UNSUB"
expect_code u3 200
req p1 "$B/p/$PREF"
expect_code p1 200
expect_grep 'You are unsubscribed' "$T/p1.b"
req p2 -d 'frequency=weekly&network=x&network=linkedin' "$B/p/$PREF"
expect_code p2 200
expect_grep 'id="saved"' "$T/p2.b"
[ "$(q "SELECT frequency, networks, unsubscribed_at IS NULL FROM employees WHERE id = 1")" = "weekly|3|t" ] ||
	fail "preferences not saved: $(q 'SELECT * FROM employees WHERE id = 1')"
req p3 -d 'frequency=weekly' "$B/p/$PREF"
expect_code p3 400
req p4 -d 'frequency=paused&network=facebook' "$B/p/$PREF"
expect_code p4 200
[ "$(q "SELECT string_agg(kind, ' ' ORDER BY id) FROM preference_events WHERE employee_id = 1")" = "unsubscribed resubscribed weekly paused" ] ||
	fail "preference events: $(q 'SELECT * FROM preference_events')"
req n1 "$B/n/Xx1aaaaaaa"
expect_code n1 200
expect_grep '<strong>Launch</strong>' "$T/n1.b"
req n3 -d 'reason=not_relevant' "$B/n/Xx1aaaaaaa"
expect_code n3 200
expect_grep 'id="done"' "$T/n3.b"
req n4 -d 'reason=would_not_share' "$B/n/Lk1aaaaaaa"
expect_code n4 200
cmp -s "$T/n3.b" "$T/n4.b" || fail "a second POST /n shows another page"
[ "$(q "SELECT employee_id, post_id, reason FROM declines")" = "1|1|not_relevant" ] ||
	fail "POST /n: $(q 'SELECT * FROM declines')"

# --- health and metrics
req hz "$B/healthz"
expect_code hz 200
[ "$(q "SELECT count(*) FROM redirector_health WHERE alive_at > 0")" = 1 ] ||
	fail "the health probe wrote nothing"
req mt "$B/metrics"
expect_code mt 200
expect_grep '^chorus_redirector_hits_total{class="preview"} [1-9]' "$T/mt.b"
expect_grep '^chorus_redirector_requests_total{route="code",status="3xx"} [1-9]' "$T/mt.b"
expect_grep '^chorus_redirector_commit_batch_size_count [1-9]' "$T/mt.b"

# --- A lock held on hits: a click is answered 503 once the lock wait
# bound (10 s, as SQLite's busy timeout) passes, never left hanging; the
# same click after the lock ends is a 302 with its row.
before=$(q "SELECT count(*) FROM hits")
"$PSQL" -X -q "$PG_URI" -c "BEGIN; LOCK TABLE hits IN ACCESS EXCLUSIVE MODE;
    SELECT pg_sleep(40); COMMIT;" >/dev/null 2>&1 &
locker=$!
i=0
until [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
    WHERE c.relname = 'hits' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the lock on hits was not taken"
	sleep 0.1
done
req lk -A "$CHROME_UA" "$B/Lk1aaaaaaa"
expect_code lk 503
kill "$locker" 2>/dev/null || true
wait "$locker" 2>/dev/null || true
"$PSQL" -X -q "$PG_URI" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE query LIKE '%pg_sleep(40)%' AND pid <> pg_backend_pid()" >/dev/null
i=0
while :; do
	req lk2 -A "$CHROME_UA" "$B/Lk1aaaaaaa"
	[ "$(status_of lk2)" != 302 ] || break
	i=$((i + 1))
	[ $i -lt 300 ] || fail "no 302 after the lock ended"
	sleep 0.1
done
[ "$(q "SELECT count(*) FROM hits")" -gt "$before" ] ||
	fail "the 302 after the lock has no row"

# --- Two redirectors on one database, load on both.
start b 1
port_b=$sport
expect_grep "listening on 127.0.0.1:$port_b (1 thread," "$T/redir_b.log"
# pg_lost GOT: how many 302s written down in GOT have no row (per code).
pg_lost() {
	sort "$1" | uniq -c | awk '{ print $2 "|" $1 }' > "$T/lost.want"
	q "SELECT l.code, count(*) FROM hits h JOIN links l ON
	    l.id = h.link_id GROUP BY l.code" > "$T/lost.have"
	awk -F'|' 'NR == FNR { have[$1] = $2; next }
	    { d = $2 - have[$1]; if (d > 0) n += d } END { print n + 0 }' \
	    "$T/lost.have" "$T/lost.want"
}
: > "$T/got"
python3 "$HITLOAD" "$port_a" "$T/codes" "$T/got" --requests 1500 \
    --seconds 60 --threads 4 > "$T/load_a" &
la=$!
python3 "$HITLOAD" "$port_b" "$T/codes" "$T/got" --requests 1500 \
    --seconds 60 --threads 4 > "$T/load_b" &
lb=$!
# One visitor, on both: counted once by the day's shared key.
for i in 1 2 3; do
	req va -A "$CHROME_UA" "http://127.0.0.1:$port_a/Lk8aaaaaaaaa"
	expect_code va 302
	req vb -A "$CHROME_UA" "http://127.0.0.1:$port_b/Lk8aaaaaaaaa"
	expect_code vb 302
done
wait $la || fail "load on a"
wait $lb || fail "load on b"
cat "$T/load_a" "$T/load_b"
[ "$(q "SELECT count(*), count(DISTINCT visitor) FROM hits WHERE link_id = 8")" = "6|1" ] ||
	fail "one visitor on two redirectors: $(q 'SELECT id, visitor FROM hits WHERE link_id = 8')"
answered=$(wc -l < "$T/got")
[ "$answered" -ge 2000 ] || fail "only $answered of 3000 answered 302"
lost=$(pg_lost "$T/got")
[ "$lost" -eq 0 ] || fail "$lost answered hits have no row"
loadrows=$(q "SELECT count(*) FROM hits WHERE link_id > 8")
[ "$loadrows" -ge "$answered" ] || fail "$loadrows rows for $answered answered"
echo "two redirectors: $answered hits answered 302, $loadrows rows, 0 lost"

# --- PostgreSQL stopped under load, then started again.
: > "$T/got"
python3 "$HITLOAD" "$port_a" "$T/codes" "$T/got" --requests 100000 \
    --seconds 300 --threads 4 --until-503 200 > "$T/load_a" &
la=$!
python3 "$HITLOAD" "$port_b" "$T/codes" "$T/got" --requests 100000 \
    --seconds 300 --threads 4 --until-503 200 > "$T/load_b" &
lb=$!
i=0
while [ "$(wc -l < "$T/got")" -lt 200 ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || fail "the load made no progress"
	sleep 0.05
done
pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w -t 60 stop >/dev/null ||
    fail "pg_ctl stop"
# Both answer 503 while it is down (the pool after its bounded retries);
# the loads stop after 200 each.
for rp in "$port_a" "$port_b"; do
	i=0
	while :; do
		req "down_$rp" -A "$CHROME_UA" "http://127.0.0.1:$rp/Lk1aaaaaaa"
		[ "$(status_of "down_$rp")" != 503 ] || break
		i=$((i + 1))
		[ $i -lt 50 ] || fail "$rp: no 503 while PostgreSQL is down"
		sleep 0.1
	done
done
wait $la || fail "load on a"
wait $lb || fail "load on b"
cat "$T/load_a" "$T/load_b"
for f in "$T/load_a" "$T/load_b"; do
	grep -q ' 503 [1-9]' "$f" || fail "no 503 in $(cat "$f")"
done
downgot=$(wc -l < "$T/got")
pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
    start >/dev/null || fail "pg_ctl start"
# Back without a restart of either redirector.
for rp in "$port_a" "$port_b"; do
	i=0
	while :; do
		req "up_$rp" -A "$CHROME_UA" "http://127.0.0.1:$rp/Lk1aaaaaaa"
		[ "$(status_of "up_$rp")" != 302 ] || break
		i=$((i + 1))
		[ $i -lt 300 ] || fail "$rp: no 302 after PostgreSQL returned"
		sleep 0.1
	done
done
python3 "$HITLOAD" "$port_a" "$T/codes" "$T/got" --requests 500 \
    --seconds 60 --threads 4 > "$T/load_a"
python3 "$HITLOAD" "$port_b" "$T/codes" "$T/got" --requests 500 \
    --seconds 60 --threads 4 > "$T/load_b"
cat "$T/load_a" "$T/load_b"
grep -q '^sent 500 302 500 ' "$T/load_a" || fail "a after: $(cat "$T/load_a")"
grep -q '^sent 500 302 500 ' "$T/load_b" || fail "b after: $(cat "$T/load_b")"
# Every 302 since the stop has its row (those of the earlier load were
# checked already; their rows only add).
lost=$(pg_lost "$T/got")
[ "$lost" -eq 0 ] || fail "$lost answered hits have no row after the restart"
[ "$(q "SELECT count(*) - count(DISTINCT id) FROM hits")" = 0 ] ||
	fail "an id twice"
for r in a b; do
	# The outage said once, not as a failed ROLLBACK on the lost
	# connection for each batch.
	expect_grep 'the database does not answer' "$T/redir_$r.log"
	expect_no_grep 'ROLLBACK' "$T/redir_$r.log"
	if grep -q -E 'Sanitizer|runtime error:' "$T/redir_$r.log"; then
		cat "$T/redir_$r.log" >&2
		fail "sanitizer report from $r"
	fi
done
echo "restart: $downgot hits answered 302 around the stop, $(wc -l < "$T/got") in all, 0 lost"

# --- A restart while both redirectors are idle: each server thread's
# connection is found dead by its next lookup, made again, and asked
# once more. The first visitors after (links no cache holds yet) are
# answered 302, not 503.
pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -m fast -w \
    -t 60 restart >/dev/null || fail "pg_ctl restart"
for n in 1 2 3 4 5 6 7 8; do
	q "INSERT INTO links (code, employee_id, post_id, network, created_at)
	    SELECT 'Rst${n}aaaaaa', 2, id, 'linkedin', 0 FROM posts
	    WHERE ext_id = 'load-$n'"
done
for n in 1 2 3 4 5 6 7 8; do
	rp=$port_a
	[ $((n % 2)) -eq 0 ] || rp=$port_b
	req "rst$n" -A "$CHROME_UA" "http://127.0.0.1:$rp/Rst${n}aaaaaa"
	expect_code "rst$n" 302
done
echo "restart while idle: the first lookups after, 302"
stop_all

# --- The server stops answering without closing (its backends stopped,
# as a stalled disk or a frozen host would leave them): a link lookup and
# a hit each wait no longer than the bound (shortened here), then have
# their connections dropped. The lookup is asked again on a connection
# made again (a new backend, which answers), but its hit, on the writer's
# stopped backend, has an unknown outcome: 503, not held, not tried
# again. The next hit goes on the writer's new connection: 302.
CHORUS_TEST_COMMIT_DEADLINE_MS=3000 start s 2
port_s=$sport
S="http://127.0.0.1:$port_s"
req s1 -A "$CHROME_UA" "$S/Lk1aaaaaaa"
expect_code s1 302
# Every other server thread's connection made too, whichever thread the
# kernel hands each request to: requests, four at once, until the server
# holds one backend more (two threads; the first request made one).
backends() {
	pg_sql "SELECT count(*) FROM pg_stat_activity
	    WHERE application_name = 'chorus'"
}
want=$(($(backends) + 1))
tries=0
while [ "$(backends)" -lt "$want" ]; do
	tries=$((tries + 1))
	[ "$tries" -le 25 ] ||
	    fail "the second server thread never made its connection"
	cpids=""
	for i in 1 2 3 4; do
		curl -s --max-time 30 -o /dev/null -A "$CHROME_UA" \
		    "$S/Lk1aaaaaaa" &
		cpids="$cpids $!"
	done
	# shellcheck disable=SC2086
	wait $cpids || true
done
pg_freeze "the redirector"
# A code this redirector never looked up (not in its cache), and a hit.
new=$(sed -n 7p "$T/codes")
curl -s --max-time 30 -o /dev/null -w '%{http_code}' -A "$CHROME_UA" \
    "$S/$new" > "$T/stall_lookup" || true
curl -s --max-time 30 -o /dev/null -w '%{http_code}' -A "$CHROME_UA" \
    "$S/Lk1aaaaaaa" > "$T/stall_hit" || true
pg_thaw
[ "$(cat "$T/stall_lookup")" = 503 ] ||
    fail "a lookup on a silent server: '$(cat "$T/stall_lookup")', not 503"
[ "$(cat "$T/stall_hit")" = 302 ] ||
    fail "a hit after the writer's connection was made again: '$(cat "$T/stall_hit")', not 302"
[ "$(grep -c 'no answer in 3000 ms; its connection is dropped' \
    "$T/redir_s.log")" -ge 2 ] || fail "not both connections dropped: $(cat "$T/redir_s.log")"
# The thread that first looked the link query up prepared it; another
# meets the silent server in its PREPARE.
grep -q -E '(find link|prepare): server closed the connection' \
    "$T/redir_s.log" || fail "the lookup's connection not dropped: $(cat "$T/redir_s.log")"
expect_grep 'commit hits: server closed the connection' "$T/redir_s.log"
i=0
while :; do
	req s2 -A "$CHROME_UA" "$S/$new"
	[ "$(status_of s2)" != 302 ] || break
	i=$((i + 1))
	[ $i -lt 300 ] || fail "no 302 after the server answered again"
	sleep 0.1
done
req s3 -A "$CHROME_UA" "$S/Lk1aaaaaaa"
expect_code s3 302
echo "silent server: the lookup asked again, its hit 503, then 302"
stop_all
echo "pg_redirector: ok"
