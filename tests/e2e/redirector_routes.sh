# The redirector end to end with curl: every route and status, the UTM
# merge, classification, open-redirect probes, the pages, /metrics checked
# by promtool, a failing database answered 503, and a graceful SIGTERM.
# The server runs with ROUTES_THREADS threads: 1 here, the loop that
# commits its own hits; redirector_routes_pool.sh sources this with 2, the
# pool and its writer thread.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
ROUTES_THREADS=${ROUTES_THREADS:-1}

CHROME_UA='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'
FBAN_UA='Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/441.0.0.33.113;FBBV/540000000]'
UNSUB=11111111-1111-4111-8111-111111111111
PREF=22222222-2222-4222-8222-222222222222

export CHORUS_CHORUS_DATABASE="$DB"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_CHORUS_BASE_URL="https://go.example.com/"
# One client goes through every route and link in a second or two, as a
# mail gateway's sweep would: the sweep rule is tested by sweep.sh, here
# every hit keeps the class its User-Agent gives.
export CHORUS_REDIRECTOR_SWEEP_LINKS=1000 CHORUS_REDIRECTOR_SWEEP_LINKS_FRESH=1000
# One visitor is one visitor hash only within a UTC day (the key of the
# day): the repeats below must not straddle midnight.
one_utc_day 120
expect_status 0 "$CHORUS" init
store_load "$DATA/redirector/fixture.sql"

port=$(free_port)
B="http://127.0.0.1:$port"
rpid=""
stop_redirector() {
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null && wait "$rpid" || true
}
cleanup_hooks="stop_redirector"
CHORUS_REDIRECTOR_THREADS=$ROUTES_THREADS \
    "$CHORUS" redirector --listen "127.0.0.1:$port" 2>"$T/redir.log" &
rpid=$!
wait_port "$port"

q() { sql "$1"; }

# req NAME CURL-ARGS...: headers into $T/NAME.h, body into $T/NAME.b.
req() {
	name=$1
	shift
	curl -s -o "$T/$name.b" -D "$T/$name.h" "$@" || fail "curl $*"
}
status_of() { sed -n '1s/^HTTP\/1\.1 \([0-9]*\).*/\1/p' "$T/$1.h"; }
header_of() { grep -i "^$2:" "$T/$1.h" | sed 's/^[^:]*: //' | tr -d '\r'; }
expect_code() {
	got=$(status_of "$1")
	[ "$got" = "$2" ] || { cat "$T/$1.h" >&2; fail "$1: status $got, want $2"; }
}

# --- usage
expect_status 0 "$CHORUS" redirector --help
expect_grep 'usage: chorus redirector' "$T/out"
expect_status 64 "$CHORUS" redirector --bogus
expect_status 64 "$CHORUS" redirector --listen nonsense
expect_status 64 "$CHORUS" redirector extra

# --- threads: one per usable core but the writer's, at least one; the
# usable cores are the affinity mask's (taskset, cpusets), as nproc says.
# One thread commits its hits itself; more have a writer thread.
if [ "$ROUTES_THREADS" -eq 1 ]; then
	expect_grep "listening on 127.0.0.1:$port (1 thread, select, hits committed between passes)" "$T/redir.log"
else
	expect_grep "listening on 127.0.0.1:$port ($ROUTES_THREADS threads and a hit writer, poll)" "$T/redir.log"
fi
# shape PORT LOG [COMMAND...]: starts the redirector with the default
# thread count under COMMAND, stops it, and prints its "listening" line.
shape() {
	sport=$1
	slog=$2
	shift 2
	"$@" "$CHORUS" redirector --listen "127.0.0.1:$sport" 2>"$slog" &
	spid=$!
	wait_port "$sport"
	kill "$spid"
	wait "$spid" || fail "the redirector on $sport did not stop cleanly"
	sed -n 's/.*listening on [^ ]* //p' "$slog"
}
cores=$(nproc)
want=$((cores > 1 ? cores - 1 : 1))
[ "$want" -le 64 ] || want=64	# HTTP_MAX_THREADS
# On PostgreSQL at least two: a commit is a round trip to the server.
[ "${CHORUS_TEST_STORE:-sqlite}" != pg ] || [ "$want" -ge 2 ] || want=2
if [ "$want" -eq 1 ]; then
	shape_want="(1 thread, select, hits committed between passes)"
else
	shape_want="($want threads and a hit writer, poll)"
fi
got=$(shape "$(free_port)" "$T/redir0.log" env)
[ "$got" = "$shape_want" ] || fail "default shape: $got, want $shape_want"
one="(1 thread, select, hits committed between passes)"
one_epoll="(1 thread, epoll, hits committed between passes)"
if [ "${CHORUS_TEST_STORE:-sqlite}" = pg ]; then
	one="(2 threads and a hit writer, poll)"
	one_epoll=$one
fi
got=$(shape "$(free_port)" "$T/redir1.log" taskset -c 0)
[ "$got" = "$one" ] || fail "shape under taskset -c 0: $got"
got=$(CHORUS_REDIRECTOR_MAX_CONNECTIONS=1001 shape "$(free_port)" \
    "$T/redir2.log" taskset -c 0)
[ "$got" = "$one_epoll" ] || fail "shape with 1001 connections: $got"

# --- GET /CODE: the UTM merge, no-store, a click
req c1 -A "$CHROME_UA" "$B/Lk1aaaaaaa"
expect_code c1 302
[ "$(header_of c1 Location)" = "https://example.com/blog/launch?utm_source=linkedin&utm_medium=employee_advocacy&utm_campaign=launch-2026" ] ||
	fail "c1 Location: $(header_of c1 Location)"
[ "$(header_of c1 Cache-Control)" = "no-store" ] || fail "c1 not no-store"
[ "$(q "SELECT kind, class, repeat, length(visitor) FROM hits WHERE link_id = 1")" = "click|human|0|16" ] ||
	fail "c1 hit: $(q 'SELECT * FROM hits')"

# existing query, fragment and utm_ keys kept; the campaign is encoded
req c2 -A "$CHROME_UA" "$B/Lk2bbbbbbb"
expect_code c2 302
[ "$(header_of c2 Location)" = "https://example.com/qa?lang=en&utm_source=newsletter&utm_medium=employee_advocacy&utm_campaign=q%26a#top" ] ||
	fail "c2 Location: $(header_of c2 Location)"
req c3 -A "$CHROME_UA" "$B/Xx3ccccccc"
[ "$(header_of c3 Location)" = "https://example.com/p?utm_source=x&utm_medium=employee_advocacy&utm_campaign=plain#frag" ] ||
	fail "c3 Location: $(header_of c3 Location)"

# a post whose URL changes while links to it are in memory: the next click
# already goes to the new URL (the writer sees the link generation move)
q "UPDATE posts SET url = 'https://example.com/moved' WHERE id = 3"
req c3b -A "$CHROME_UA" "$B/Xx3ccccccc"
[ "$(header_of c3b Location)" = "https://example.com/moved?utm_source=x&utm_medium=employee_advocacy&utm_campaign=plain" ] ||
	fail "c3b Location after the move: $(header_of c3b Location)"
req c3c -A "$CHROME_UA" "$B/Xx3ccccccc"
[ "$(header_of c3c Location)" = "$(header_of c3b Location)" ] || fail "c3c"
# a link created while the server runs is served at once
q "INSERT INTO links (id, code, employee_id, post_id, network, created_at) VALUES (6, 'New6nnnnnn', 2, 1, 'linkedin', 0)"
req c3d "$B/New6nnnnnn"
expect_code c3d 302
# codes of both forms are served: 12 characters (a slice and 10 drawn)
# and 10 (made before slices); one is never taken for the other
q "INSERT INTO links (id, code, employee_id, post_id, network, created_at) VALUES (7, 'New6nnnnnnAB', 2, 1, 'x', 0)"
req c3e "$B/New6nnnnnnAB"
expect_code c3e 302
[ "$(header_of c3e Location)" = "https://example.com/blog/launch?utm_source=x&utm_medium=employee_advocacy&utm_campaign=launch-2026" ] ||
	fail "c3e Location: $(header_of c3e Location)"
req c3f "$B/s/New6nnnnnnAB"
expect_code c3f 302
header_of c3f Location | grep -q 'go.example.com%2FNew6nnnnnnAB' ||
	fail "c3f Location: $(header_of c3f Location)"
req c3g "$B/New6nnnnnn"
[ "$(header_of c3g Location)" = "$(header_of c3d Location)" ] || fail "c3g"
[ "$(q "SELECT link_id FROM hits WHERE link_id IN (6, 7) ORDER BY id" | paste -sd,)" = "6,7,7,6" ] ||
	fail "hits of 6 and 7: $(q 'SELECT link_id FROM hits WHERE link_id IN (6, 7)')"

# the same visitor again within 30 minutes is a repeat, and counted
req c4 -A "$CHROME_UA" "$B/Lk1aaaaaaa"
expect_code c4 302
[ "$(q "SELECT repeat FROM hits WHERE link_id = 1 ORDER BY id" | paste -sd,)" = "0,1" ] ||
	fail "repeat not seen"
# X-Forwarded-For from an untrusted peer is ignored: still the same visitor
req c5 -A "$CHROME_UA" -H "X-Forwarded-For: 203.0.113.9" "$B/Lk1aaaaaaa"
[ "$(q "SELECT repeat FROM hits WHERE link_id = 1 ORDER BY id DESC LIMIT 1")" = 1 ] ||
	fail "X-Forwarded-For believed from an untrusted peer"
[ "$(q "SELECT count(DISTINCT visitor) FROM hits WHERE link_id = 1")" = 1 ] ||
	fail "visitor hash differs"

# --- HEAD /CODE: the same answer, recorded as head
req h1 -I -A "$CHROME_UA" "$B/Fb1aaaaaaa"
expect_code h1 302
[ "$(header_of h1 Location)" = "https://example.com/blog/launch?utm_source=facebook&utm_medium=employee_advocacy&utm_campaign=launch-2026" ] ||
	fail "HEAD Location"
[ "$(q "SELECT kind || class FROM hits WHERE link_id = 3")" = "clickhead" ] ||
	fail "HEAD not recorded as head"

# --- classification end to end
classify() {
	n=$(q "SELECT count(*) FROM hits")
	req cl -A "$1" "$B/Xx1aaaaaaa"
	expect_code cl 302
	got=$(q "SELECT class FROM hits ORDER BY id DESC LIMIT 1")
	[ "$got" = "$2" ] || fail "'$1' classified $got, want $2"
	[ "$(q "SELECT count(*) FROM hits")" = $((n + 1)) ] || fail "no row"
}
classify 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)' preview
classify 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)' preview
classify 'Twitterbot/1.0' preview
classify 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' preview
classify 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' bot
classify 'curl/7.88.1' bot
classify 'python-requests/2.31.0' bot
classify "$FBAN_UA" human
classify "$CHROME_UA" human
n=$(q "SELECT count(*) FROM hits")
curl -s -o /dev/null -H 'User-Agent:' "$B/Xx1aaaaaaa"
[ "$(q "SELECT class FROM hits ORDER BY id DESC LIMIT 1")" = bot ] ||
	fail "no User-Agent is not a bot"

# --- GET /s/CODE: the network's share page for BASE/CODE, a share
req s1 -A "$CHROME_UA" "$B/s/Xx1aaaaaaa"
expect_code s1 302
[ "$(header_of s1 Location)" = "https://x.com/intent/tweet?text=Launch%20day&url=https%3A%2F%2Fgo.example.com%2FXx1aaaaaaa" ] ||
	fail "s1 Location: $(header_of s1 Location)"
[ "$(header_of s1 Cache-Control)" = "no-store" ] || fail "s1 not no-store"
[ "$(q "SELECT kind FROM hits ORDER BY id DESC LIMIT 1")" = share ] ||
	fail "share not recorded"
req s2 "$B/s/Lk1aaaaaaa"
[ "$(header_of s2 Location)" = "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fgo.example.com%2FLk1aaaaaaa" ] ||
	fail "s2 Location: $(header_of s2 Location)"
req s3 "$B/s/Fb1aaaaaaa"
[ "$(header_of s3 Location)" = "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fgo.example.com%2FFb1aaaaaaa" ] ||
	fail "s3 Location: $(header_of s3 Location)"

# --- 404 with no Location and no row: unknown codes and open-redirect probes
rows=$(q "SELECT count(*) FROM hits")
long=$(head -c 5000 /dev/zero | tr '\0' a)
i=0
for p in /Zz9zzzzzzz /s/Zz9zzzzzzz //evil.com /%2F%2Fevil.com /https://evil.com \
    /https:%2F%2Fevil.com '/\evil.com' /Lk1aaaaaaa/ /Lk1aaaaaaa/x \
    /Lk1aaaaaa /Lk1aaaaaaaa /New6nnnnnnA /New6nnnnnnABC /New6nnnnnnA- \
    /s/ /s//evil.com /s/https://evil.com /n/ /n/Zz9zzzzzzz /n//evil.com \
    /n/Lk1aaaaaaa/ /n/$PREF \
    /%4Ck1aaaaaaa /Lk1aaaaaaa%00 /u/x /p/x /u/../p/$PREF /.. / \
    "/$long" "/s/$long" /healthz/ /metrics.txt /favicon.ico; do
	i=$((i + 1))
	req p$i --path-as-is "$B$p"
	expect_code p$i 404
	if grep -qi '^location:' "$T/p$i.h"; then fail "Location for '$p'"; fi
done
[ "$(q "SELECT count(*) FROM hits")" = "$rows" ] || fail "a probe was recorded"
# a request line too long for the connection's memory is refused whole
curl -s -o /dev/null -D "$T/big.h" --path-as-is \
    "$B/$(head -c 40000 /dev/zero | tr '\0' a)" || true
[ ! -s "$T/big.h" ] || [ "$(status_of big)" -ge 400 ] ||
	fail "huge path: $(status_of big)"
if grep -qi '^location:' "$T/big.h"; then fail "Location for a huge path"; fi

# --- 405 for a wrong method, with Allow
req m1 -X POST "$B/Lk1aaaaaaa"
expect_code m1 405
[ "$(header_of m1 Allow)" = "GET, HEAD" ] || fail "m1 Allow"
req m2 -X DELETE "$B/healthz"
expect_code m2 405
req m3 -X PUT "$B/u/$UNSUB"
expect_code m3 405
req m4 -X PATCH "$B/s/Lk1aaaaaaa"
expect_code m4 405
[ "$(header_of m4 Allow)" = "GET, HEAD" ] || fail "m4 Allow"
req m5 -X PUT "$B/n/Lk1aaaaaaa"
expect_code m5 405
[ "$(header_of m5 Allow)" = "GET, HEAD, POST" ] || fail "m5 Allow"
[ "$(q "SELECT count(*) FROM hits")" = "$rows" ] || fail "a 405 was recorded"

# --- HEAD on every route that answers GET (RFC 9110): the same status and
# headers, no body; on a link it is recorded as head, and the unsubscribe
# page's HEAD unsubscribes no one. Read off the socket, so a body sent
# after the headers would show.
head_raw() {
	python3 - "$port" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(("HEAD %s HTTP/1.1\r\nHost: go.example.com\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0\r\n"
    "Connection: close\r\n\r\n" % sys.argv[2]).encode())
data = b""
while len(data) < 1 << 20:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
head, _, body = data.partition(b"\r\n\r\n")
print(head.split(b"\r\n")[0].decode().split(" ")[1], len(body))
PY
}
for p in "/s/Lk1aaaaaaa 302" "/u/$UNSUB 200" "/p/$PREF 200" "/healthz 200" \
    "/metrics 200" "/n/Lk1aaaaaaa 200" "/Lk1aaaaaaa 302"; do
	set -- $p
	got=$(head_raw "$1")
	[ "$got" = "$2 0" ] || fail "HEAD $1: status and body bytes $got, want $2 0"
done
[ "$(q "SELECT kind || class FROM hits ORDER BY id DESC LIMIT 2")" = "$(printf 'clickhead\nsharehead')" ] ||
	fail "HEAD on the share or code route not recorded as head"
[ "$(q "SELECT count(*) FROM employees WHERE unsubscribed_at IS NOT NULL")" = 0 ] ||
	fail "HEAD /u/ unsubscribed"
[ "$(q "SELECT count(*) FROM declines")" = 0 ] || fail "HEAD /n/ declined"
rows=$(q "SELECT count(*) FROM hits")

# --- unsubscribe: GET shows a form and changes nothing; POST is one-click
req u1 "$B/u/$UNSUB"
expect_code u1 200
expect_grep '<form method="post">' "$T/u1.b"
expect_grep 'ann@example.com' "$T/u1.b"
[ "$(header_of u1 Referrer-Policy)" = "no-referrer" ] || fail "u1 referrer"
[ "$(header_of u1 Cache-Control)" = "no-store" ] || fail "u1 cache"
[ -z "$(q "SELECT unsubscribed_at FROM employees WHERE id = 1")" ] ||
	fail "GET /u unsubscribed"
req u2 -d 'List-Unsubscribe=One-Click' "$B/u/$UNSUB"
expect_code u2 200
at=$(q "SELECT unsubscribed_at FROM employees WHERE id = 1")
[ -n "$at" ] || fail "POST /u did not unsubscribe"
sleep 1
req u3 -d 'List-Unsubscribe=One-Click' "$B/u/$UNSUB"
expect_code u3 200
[ "$(q "SELECT unsubscribed_at FROM employees WHERE id = 1")" = "$at" ] ||
	fail "a second POST /u changed the time"
req u4 "$B/u/$UNSUB"
expect_grep 'already unsubscribed' "$T/u4.b"
req u5 "$B/u/99999999-9999-4999-8999-999999999999"
expect_code u5 404
[ "$(q "SELECT CAST(unsubscribed_at IS NULL AS INTEGER) FROM employees WHERE id = 2")" = 1 ] ||
	fail "someone else unsubscribed"

# --- preferences
req p1 "$B/p/$PREF"
expect_code p1 200
expect_grep 'value="daily" id="frequency-daily" checked' "$T/p1.b"
expect_grep 'value="x" id="network-x" checked' "$T/p1.b"
expect_grep 'You are unsubscribed' "$T/p1.b"
expect_no_grep '<script' "$T/p1.b"
req p2 -d 'frequency=weekly&network=x&network=linkedin' "$B/p/$PREF"
expect_code p2 200
expect_grep 'id="saved"' "$T/p2.b"
[ "$(q "SELECT frequency, networks, CAST(unsubscribed_at IS NULL AS INTEGER) FROM employees WHERE id = 1")" = "weekly|3|1" ] ||
	fail "preferences not saved: $(q 'SELECT * FROM employees WHERE id = 1')"
[ "$(q "SELECT CAST(prefs_updated_at IS NOT NULL AS INTEGER) FROM employees WHERE id = 1")" = 1 ] ||
	fail "the employee's own choice is not marked (imports would undo it)"
req p3 -d 'frequency=weekly' "$B/p/$PREF"
expect_code p3 400
expect_grep 'at least one network' "$T/p3.b"
req p4 -d 'frequency=hourly&network=x' "$B/p/$PREF"
expect_code p4 400
req p5 -d 'frequency=paused&network=bogus' "$B/p/$PREF"
expect_code p5 400
req p6 --data-binary "frequency=paused&network=x&pad=$long" "$B/p/$PREF"
expect_code p6 413
[ "$(q "SELECT frequency, networks FROM employees WHERE id = 1")" = "weekly|3" ] ||
	fail "a refused form changed something"
req p7 -d 'frequency=paused&network=facebook' "$B/p/$PREF"
[ "$(q "SELECT frequency, networks FROM employees WHERE id = 1")" = "paused|4" ] ||
	fail "pause not saved"
# Each change the employee made, once, in order; the refused forms and
# the second unsubscribe none.
[ "$(q "SELECT kind FROM preference_events WHERE employee_id = 1 ORDER BY id" | paste -sd' ')" = "unsubscribed resubscribed weekly paused" ] ||
	fail "preference events: $(q 'SELECT * FROM preference_events')"

# --- not for me: GET shows the post and the reasons and changes nothing;
# POST records it once, with the first reason; a second POST shows the
# same page and changes nothing; 404 for a code nobody holds
req n1 "$B/n/Xx1aaaaaaa"
expect_code n1 200
expect_grep '<form method="post">' "$T/n1.b"
expect_grep '<strong>Launch</strong>' "$T/n1.b"
expect_grep 'value="would_not_share"' "$T/n1.b"
expect_no_grep '<script' "$T/n1.b"
[ "$(header_of n1 Cache-Control)" = "no-store" ] || fail "n1 cache"
[ "$(header_of n1 Referrer-Policy)" = "no-referrer" ] || fail "n1 referrer"
[ "$(q "SELECT count(*) FROM declines")" = 0 ] || fail "GET /n declined"
req n2 -d 'reason=bogus' "$B/n/Xx1aaaaaaa"
expect_code n2 400
[ "$(q "SELECT count(*) FROM declines")" = 0 ] || fail "a refused /n form declined"
req n3 -d 'reason=not_relevant' "$B/n/Xx1aaaaaaa"
expect_code n3 200
expect_grep 'id="done"' "$T/n3.b"
[ "$(q "SELECT employee_id, post_id, reason FROM declines")" = "1|1|not_relevant" ] ||
	fail "POST /n: $(q 'SELECT * FROM declines')"
at=$(q "SELECT at FROM declines")
sleep 1
req n4 -d 'reason=would_not_share' "$B/n/Lk1aaaaaaa"
expect_code n4 200
cmp -s "$T/n3.b" "$T/n4.b" || fail "a second POST /n shows another page"
[ "$(q "SELECT count(*), min(reason), min(at) FROM declines")" = "1|not_relevant|$at" ] ||
	fail "a second POST /n changed it: $(q 'SELECT * FROM declines')"
req n5 -d 'reason=' "$B/n/Xx3ccccccc"
expect_code n5 200
[ "$(q "SELECT CAST(reason IS NULL AS INTEGER) FROM declines WHERE employee_id = 2")" = 1 ] ||
	fail "no reason is not NULL"
req n6 "$B/n/Zz9zzzzzzz"
expect_code n6 404
req n7 --data-binary "reason=not_relevant&pad=$long" "$B/n/Lk2bbbbbbb"
expect_code n7 413
[ "$(q "SELECT count(*) FROM declines")" = 2 ] || fail "declines: $(q 'SELECT * FROM declines')"

# --- health and metrics
req hz "$B/healthz"
expect_code hz 200
req mt "$B/metrics"
expect_code mt 200
if command -v promtool >/dev/null; then
	promtool check metrics < "$T/mt.b" 2>&1 | tee "$T/promtool.out" >&2 ||
		fail "promtool check metrics"
fi
expect_grep '^chorus_redirector_hits_total{class="preview"} [1-9]' "$T/mt.b"
expect_grep '^chorus_redirector_requests_total{route="code",status="3xx"} [1-9]' "$T/mt.b"
expect_grep '^chorus_redirector_requests_total{route="other",status="4xx"} [1-9]' "$T/mt.b"
expect_grep '^chorus_redirector_requests_total{route="not_for_me",status="2xx"} [1-9]' "$T/mt.b"
expect_grep '^chorus_redirector_commit_batch_size_count [1-9]' "$T/mt.b"
expect_grep '^chorus_redirector_commit_seconds_bucket{le="+Inf"} [1-9]' "$T/mt.b"
for s in Lk1aaaaaaa Xx1aaaaaaa "$UNSUB" "$PREF" ann@example 127.0.0.1; do
	expect_no_grep "$s" "$T/mt.b"
done

# --- pipelining: two requests in one write, two answers, two rows (the
# second is read while the first is answered; its hit must not wait)
rows=$(q "SELECT count(*) FROM hits")
python3 - "$port" > "$T/pipe.out" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"GET /Lk1aaaaaaa HTTP/1.1\r\nHost: x\r\n\r\n"
          b"GET /Lk1aaaaaaa HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
data, deadline = b"", time.time() + 5
while time.time() < deadline:
    try:
        chunk = s.recv(65536)
    except socket.timeout:
        break
    if not chunk:
        break
    data += chunk
print(data.count(b"HTTP/1.1 302 "))
PY
[ "$(cat "$T/pipe.out")" = 2 ] || fail "pipelined: $(cat "$T/pipe.out") answers of 2"
[ "$(q "SELECT count(*) FROM hits")" -eq $((rows + 2)) ] ||
	fail "pipelined: not two rows"

# --- a database that takes no writes: 503, never a redirect; meanwhile
# what needs no write is served at once (SQLite's write lock held; a
# PostgreSQL server away: pg_redirector.sh)
if store_is sqlite; then
rows=$(q "SELECT count(*) FROM hits")
# The lock is held once "$T/locked" exists (-bail: not without it), for
# 25 s from then.
( sqlite3 -bail "$DB" ".timeout 10000" "BEGIN IMMEDIATE; INSERT INTO redirector_health VALUES (1, 0) ON CONFLICT DO NOTHING;" ".shell touch '$T/locked'" ".shell sleep 25" "COMMIT;" >/dev/null 2>&1 ) &
lock=$!
i=0
until [ -e "$T/locked" ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the write lock was not taken"
	sleep 0.1
done
curl -s -m 30 -o "$T/f1.b" -D "$T/f1.h" -A "$CHROME_UA" "$B/Lk1aaaaaaa" &
c1=$!
curl -s -m 30 -o "$T/f2.b" -D "$T/f2.h" "$B/healthz" &
c2=$!
sleep 1
req lk404 -m 5 "$B/no-such-page"
expect_code lk404 404
req lkmt -m 5 "$B/metrics"
expect_code lkmt 200
kill -0 $c1 2>/dev/null || fail "the click was answered while the lock was held"
wait $c1 $c2
wait $lock
expect_code f1 503
if grep -qi '^location:' "$T/f1.h"; then fail "Location on a failed write"; fi
expect_code f2 503
[ "$(q "SELECT count(*) FROM hits")" = "$rows" ] || fail "rows changed"
req hz2 "$B/healthz"
expect_code hz2 200
req ok -A "$CHROME_UA" "$B/Lk1aaaaaaa"
expect_code ok 302
fi

# --- no raw address anywhere in the database or the log
store_dump "$T/dump"
if grep -q '127\.0\.0\.1' "$T/dump"; then
	fail "an address is stored"
fi
if grep -q '203\.0\.113\.9' "$T/dump"; then
	fail "a forwarded address is stored"
fi
expect_no_grep '203\.0\.113\.9' "$T/redir.log"

# --- SIGTERM: a graceful stop, exit 0
kill -TERM "$rpid"
set +e
wait "$rpid"
st=$?
set -e
rpid=""
[ "$st" -eq 0 ] || { cat "$T/redir.log" >&2; fail "exit $st after SIGTERM"; }
expect_grep 'redirector: stopped' "$T/redir.log"
echo "ok"
