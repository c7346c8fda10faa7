#!/bin/bash
# Two redirector processes on one PostgreSQL database at once, as two
# nodes behind a load balancer would run (a one-thread loop and a pool
# with its hit writer):
#  - under load from keep-alive clients on both (tests/e2e/hitload.py), no
#    lost hit: every answered 302 has its row, no id twice;
#  - one visitor counted once across both nodes: the same browser clicking
#    one link on both, in turns, makes one first click and repeats, with
#    one visitor hash (the day's key lives in the database, db/daykey.c:
#    one row, whichever node made it);
#  - link cache invalidation: a link created after both started is
#    resolved by both (a 404 before), and a post whose URL changes is
#    answered with the new URL by both at once although both had the old
#    one cached (the link_generation counter read in each batch);
#  - a gateway's sweep of one digest that the balancer split over both
#    nodes, too few links on each to tell, judged by the next report from
#    both nodes' stored hits (redirector/rejudge.c);
#  - an employee's share on one node and click on the other (self), and a
#    share pressed again on the other (a repeat), judged the same way.
# Waits are bounded loops; nothing is timed.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/pg.inc"

pg_start

CHROME_UA='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'
HITLOAD="$CHORUS_SRC/tests/e2e/hitload.py"
export CHORUS_CHORUS_DATABASE="$PG_URI"
export CHORUS_CHORUS_BASE_URL="https://go.example.com/"
expect_status 0 "$CHORUS" init
q() { pg_sql "$1"; }

# One employee, 21 posts, a link to each: 20 for the load, one for the
# visitor; codes of 12 characters.
q "INSERT INTO employees (id, email, unsub_token, pref_token, created_at,
    updated_at) VALUES (1, 'a@example.com', 'u1', 'p1', 0, 0)"
python3 - > "$T/codes" <<'EOF'
for i in range(1, 21):
    print('Load%08d' % i)
EOF
for i in $(seq 1 21); do
	echo "INSERT INTO posts (id, ext_id, title, url, created_at, updated_at)
	    VALUES ($i, 'p$i', 't', 'https://example.com/p$i', 0, 0);"
done > "$T/posts.sql"
"$PSQL" -X -q -v ON_ERROR_STOP=1 "$PG_URI" -f "$T/posts.sql" ||
    fail "posts"
q "INSERT INTO links (code, employee_id, post_id, network, created_at)
    SELECT 'Load' || lpad(id::text, 8, '0'), 1, id, 'x', 0 FROM posts
    WHERE id <= 20"
q "INSERT INTO links (code, employee_id, post_id, network, created_at)
    VALUES ('Visitor00001', 1, 21, 'linkedin', 0)"

pids=""
sport=""
# start NAME THREADS: a redirector on a new port ($sport).
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
start a 1
A=$sport
start b 2
B=$sport
expect_grep "listening on 127.0.0.1:$A (1 thread," "$T/redir_a.log"
expect_grep "listening on 127.0.0.1:$B (2 threads and a hit writer" \
    "$T/redir_b.log"

# get NAME PORT PATH: GET with the browser's User-Agent; $status and
# $location of the answer.
# The last report judged every second up to its own: the hits to come
# must come after it (bounded: the clock moves on within a few seconds).
after_judged() {
	judged=$(q "SELECT judged_to FROM report_state")
	n=0
	while [ "$(date +%s)" -lt "$judged" ] && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
}

get() {
	curl -s --max-time 30 -o /dev/null -D "$T/$1.h" -A "$CHROME_UA" \
	    "http://127.0.0.1:$2$3" || fail "curl $2$3"
	status=$(sed -n '1s/^HTTP\/1\.1 \([0-9]*\).*/\1/p' "$T/$1.h")
	location=$(grep -i '^location:' "$T/$1.h" | sed 's/^[^:]*: //' |
	    tr -d '\r')
}

# --- A link created after both started: 404 before, 302 after, on both.
get n0a "$A" /NewLinkAfter
[ "$status" = 404 ] || fail "a: /NewLinkAfter before it exists: $status"
get n0b "$B" /NewLinkAfter
[ "$status" = 404 ] || fail "b: /NewLinkAfter before it exists: $status"
q "INSERT INTO links (code, employee_id, post_id, network, created_at)
    VALUES ('NewLinkAfter', 1, 5, 'facebook', 0)"
for p in "$A" "$B"; do
	get n1 "$p" /NewLinkAfter
	[ "$status" = 302 ] || fail "$p: /NewLinkAfter after its insert: $status"
	case $location in
	https://example.com/p5\?utm_source=facebook*) ;;
	*) fail "$p: /NewLinkAfter to '$location'" ;;
	esac
done
[ "$(q "SELECT count(*) FROM hits h JOIN links l ON l.id = h.link_id
    WHERE l.code = 'NewLinkAfter'")" = 2 ] || fail "the new link's hits"

# --- A moved post: both have the link cached, both answer the new URL
# with the first request after the change.
for p in "$A" "$B"; do
	get m0 "$p" /Load00000007
	case $location in
	https://example.com/p7\?*) ;;
	*) fail "$p: /Load00000007 to '$location'" ;;
	esac
done
q "UPDATE posts SET url = 'https://example.com/moved7' WHERE id = 7"
for p in "$A" "$B"; do
	get m1 "$p" /Load00000007
	case $location in
	https://example.com/moved7\?*) ;;
	*) fail "$p: /Load00000007 after the move to '$location'" ;;
	esac
done

# --- Load on both, and one visitor on both meanwhile. One visitor is
# one visitor hash only within a UTC day (the key of the day), and the
# self and repeat below are told by it: none of it straddles midnight.
one_utc_day 180
: > "$T/got"
python3 "$HITLOAD" "$A" "$T/codes" "$T/got" --requests 2000 \
    --seconds 60 --threads 4 > "$T/load_a" &
la=$!
python3 "$HITLOAD" "$B" "$T/codes" "$T/got" --requests 2000 \
    --seconds 60 --threads 4 > "$T/load_b" &
lb=$!
for i in 1 2 3; do
	get va "$A" /Visitor00001
	[ "$status" = 302 ] || fail "a: visitor click $i: $status"
	get vb "$B" /Visitor00001
	[ "$status" = 302 ] || fail "b: visitor click $i: $status"
done
wait $la || fail "load on a"
wait $lb || fail "load on b"
cat "$T/load_a" "$T/load_b"
grep -q '^sent 2000 302 2000 ' "$T/load_a" || fail "a: $(cat "$T/load_a")"
grep -q '^sent 2000 302 2000 ' "$T/load_b" || fail "b: $(cat "$T/load_b")"

# One visitor: six clicks, one visitor hash whichever node answered (the
# unique visitors of the reports): one key for the day. (Repeats within
# 30 minutes are told by each node's own memory.)
[ "$(q "SELECT count(*), count(DISTINCT visitor)
    FROM hits h JOIN links l ON l.id = h.link_id
    WHERE l.code = 'Visitor00001'")" = "6|1" ] ||
	fail "one visitor on two nodes: $(q "SELECT h.id,
	    encode(h.visitor, 'hex') FROM hits h JOIN links l ON
	    l.id = h.link_id WHERE l.code = 'Visitor00001'")"

# No lost hit: every 302 the clients read has its row (rows per code at
# least the answers per code), and no id twice.
sort "$T/got" | uniq -c | awk '{ print $2 "|" $1 }' > "$T/want"
q "SELECT l.code, count(*) FROM hits h JOIN links l ON l.id = h.link_id
    WHERE l.code LIKE 'Load%' GROUP BY l.code" > "$T/have"
lost=$(awk -F'|' 'NR == FNR { have[$1] = $2; next }
    { d = $2 - have[$1]; if (d > 0) n += d } END { print n + 0 }' \
    "$T/have" "$T/want")
answered=$(wc -l < "$T/got")
rows=$(q "SELECT count(*) FROM hits h JOIN links l ON l.id = h.link_id
    WHERE l.code LIKE 'Load%'")
[ "$answered" -ge 4000 ] || fail "only $answered answered"
[ "$lost" -eq 0 ] || fail "$lost answered hits have no row"
# Two more Load clicks each than the loads (the moved post's, above).
[ "$rows" -eq $((answered + 4)) ] || fail "$rows rows for $answered answered"
[ "$(q "SELECT count(*) - count(DISTINCT id) FROM hits")" = 0 ] ||
	fail "an id twice"
for r in a b; do
	expect_no_grep 'Sanitizer|runtime error:' "$T/redir_$r.log"
done
echo "two redirectors: $answered hits answered 302, $rows rows, 0 lost"

# --- A gateway's sweep of one digest split by the balancer: four links,
# two on each node. Neither node sees enough links to tell (four make a
# sweep), so both answer and store them as people's; the next report
# judges the stored hits of both (redirector/rejudge.c; the current
# second too, not only those five minutes old) and makes them scanner, and
# counts no click.
for i in 22 23 24 25; do
	q "INSERT INTO posts (id, ext_id, title, url, created_at, updated_at)
	    VALUES ($i, 'p$i', 't', 'https://example.com/p$i', 0, 0)"
	q "INSERT INTO links (code, employee_id, post_id, network, created_at)
	    VALUES ('Sweep00000$i', 1, $i, 'x', 0)"
done
q "INSERT INTO ledger (id, employee_id, local_date, state, created_at,
    updated_at) VALUES (1, 1, '2026-01-05', 'sent', 0, 0)"
q "INSERT INTO suggestions (employee_id, post_id, ledger_id, local_date)
    SELECT 1, id, 1, '2026-01-05' FROM posts WHERE id >= 22"
n=0
for p in "$A" "$B" "$A" "$B"; do
	get "s$n" "$p" "/Sweep000002$((n + 2))"
	[ "$status" = 302 ] || fail "sweep: link $n on $p: $status"
	n=$((n + 1))
done
swept="SELECT h.class, count(*) FROM hits h JOIN links l ON l.id = h.link_id
    WHERE l.code LIKE 'Sweep%' GROUP BY h.class"
[ "$(q "$swept")" = "human|4" ] ||
	fail "a sweep split over two nodes seen by one: $(q "$swept")"
CHORUS_TEST_REJUDGE_SETTLE=-1 expect_status 0 "$CHORUS" report attribution \
    --out "$T/attr.csv"
[ "$(q "$swept")" = "scanner|4" ] ||
	fail "the report did not judge the split sweep: $(q "$swept")"
# Posts 22..25: no click, the four fetches as bot hits.
awk -F, '$5 ~ /^p2[2-5]$/ { c += $10; b += $12 } END { print c + 0, b + 0 }' \
    "$T/attr.csv" > "$T/swept_counts"
[ "$(cat "$T/swept_counts")" = "0 4" ] ||
	fail "the report of the split sweep: $(cat "$T/swept_counts")"
echo "a sweep split over two nodes: scanner after the report, no click"

# --- One employee's own share and click split by the balancer: they
# press Share on node A, then open their link on node B, which never saw
# the share and stores a person's click; and they press Share on a second
# post on A and again on B, which stores no repeat. The next report
# judges both nodes' hits: the click is self, the second share a repeat;
# the attribution counts one share each and no click. An employee of
# their own: no digest, so no sweep of employee 1's links meanwhile.
q "INSERT INTO employees (id, email, unsub_token, pref_token, created_at,
    updated_at) VALUES (2, 'b@example.com', 'u2', 'p2', 0, 0)"
for i in 26 27; do
	q "INSERT INTO posts (id, ext_id, title, url, created_at, updated_at)
	    VALUES ($i, 'p$i', 't', 'https://example.com/p$i', 0, 0)"
	q "INSERT INTO links (code, employee_id, post_id, network, created_at)
	    VALUES ('Self000000$i', 2, $i, 'x', 0)"
done
after_judged
get o1 "$A" /s/Self00000026
[ "$status" = 302 ] || fail "own share on a: $status"
get o2 "$B" /Self00000026
[ "$status" = 302 ] || fail "own click on b: $status"
get o3 "$A" /s/Self00000027
[ "$status" = 302 ] || fail "own share on a: $status"
get o4 "$B" /s/Self00000027
[ "$status" = 302 ] || fail "own share again on b: $status"
own="SELECT l.code, h.kind, h.class, h.repeat FROM hits h
    JOIN links l ON l.id = h.link_id WHERE l.employee_id = 2
    ORDER BY l.code, h.kind, h.repeat"
# Each hit is in the store before its answer.
[ "$(q "$own" | tr '\n' ' ')" = "Self00000026|click|human|0 \
Self00000026|share|human|0 Self00000027|share|human|0 \
Self00000027|share|human|0 " ] || fail "own hits on two nodes: $(q "$own")"
CHORUS_TEST_REJUDGE_SETTLE=-1 expect_status 0 "$CHORUS" report attribution \
    --out "$T/attr2.csv"
[ "$(q "$own" | tr '\n' ' ')" = "Self00000026|click|self|0 \
Self00000026|share|human|0 Self00000027|share|human|0 \
Self00000027|share|human|1 " ] ||
	fail "the report did not judge the own hits: $(q "$own")"
# Posts 26 and 27: one share each, no click.
awk -F, '$5 ~ /^p2[67]$/ { print $5, $8, $10 }' "$T/attr2.csv" |
    sort > "$T/own_counts"
[ "$(cat "$T/own_counts" | tr '\n' ' ')" = "p26 1 0 p27 1 0 " ] ||
	fail "the report of the own hits: $(cat "$T/own_counts")"
echo "an employee's share and click split over two nodes: self, one share"

# --- A gateway's sweep of a three-link digest long after its delivery,
# split by the balancer, with the footer's two pages (each counts as one
# link): node A sees two links and a page, node B a link and a page,
# neither enough (four make a sweep) and the digest's three links alone
# are not either. Each node stores the pages it served (page_views), so
# the next report sees five and makes the three links' hits scanner.
U3=93019301-1111-4111-8111-111111111111
P3=93019301-2222-4222-8222-222222222222
q "INSERT INTO employees (id, email, unsub_token, pref_token, created_at,
    updated_at) VALUES (3, 'c@example.com', '$U3', '$P3', 0, 0)"
q "INSERT INTO ledger (id, employee_id, local_date, state, created_at,
    updated_at) VALUES (3, 3, '2026-01-05', 'sent', 0, 0)"
for i in 28 29 30; do
	q "INSERT INTO posts (id, ext_id, title, url, created_at, updated_at)
	    VALUES ($i, 'p$i', 't', 'https://example.com/p$i', 0, 0)"
	q "INSERT INTO links (code, employee_id, post_id, network, created_at)
	    VALUES ('Late000000$i', 3, $i, 'x', 0)"
	q "INSERT INTO suggestions (employee_id, post_id, ledger_id,
	    local_date) VALUES (3, $i, 3, '2026-01-05')"
done
after_judged
get l1 "$A" /Late00000028
[ "$status" = 302 ] || fail "late sweep: link on a: $status"
get l2 "$B" "/p/$P3"
[ "$status" = 200 ] || fail "late sweep: preferences on b: $status"
get l3 "$B" /Late00000029
[ "$status" = 302 ] || fail "late sweep: link on b: $status"
get l4 "$A" "/u/$U3"
[ "$status" = 200 ] || fail "late sweep: unsubscribe page on a: $status"
get l5 "$A" /Late00000030
[ "$status" = 302 ] || fail "late sweep: link on a: $status"
late="SELECT h.class, count(*) FROM hits h JOIN links l ON l.id = h.link_id
    WHERE l.code LIKE 'Late%' GROUP BY h.class"
[ "$(q "$late")" = "human|3" ] ||
	fail "a late sweep split over two nodes seen by one: $(q "$late")"
# A page's answer waits for no commit: its row comes with the next batch.
n=0
while [ "$(q "SELECT count(*) FROM page_views WHERE employee_id = 3")" != 2 ] &&
    [ $n -lt 300 ]; do
	sleep 0.1
	n=$((n + 1))
done
[ "$(q "SELECT page, digest_id FROM page_views WHERE employee_id = 3
    ORDER BY page" | tr '\n' ' ')" = "1|3 2|3 " ] ||
	fail "the pages served: $(q "TABLE page_views")"
CHORUS_TEST_REJUDGE_SETTLE=-1 expect_status 0 "$CHORUS" report attribution \
    --out "$T/attr3.csv"
[ "$(q "$late")" = "scanner|3" ] ||
	fail "the report did not judge the late sweep with its pages: $(q "$late")"
echo "a late sweep split over two nodes, with its footer pages: scanner"
stop_all
echo "pg_two_redirectors: ok"
