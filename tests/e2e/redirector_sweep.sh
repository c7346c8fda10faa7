#!/bin/bash
# Honest numbers end to end, on real digests sent into a file outbox and a
# real redirector hit by curl from many loopback addresses:
# - a mail gateway's sweep of a whole digest (browser User-Agents, GETs
#   and HEADs of every link and share button and of the footer's pages,
#   from 127.0.0.x, within two seconds) counts 0 clicks, 0 people, 0
#   shares and 0 points, though its first hits were answered as human;
# - the people around it count exactly: the employee sharing after the
#   sweep, and another network's share after that; a dozen people on one
#   post's link at once; an employee's own click before their share is
#   self, not reach, and does not hide the share;
# - the roll-up, folded while the sweep was half seen, equals a recount
#   of the hits once the revision came.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

export CHORUS_CHORUS_DATABASE="$DB"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_SMTP_URL="file:$T/outbox"
export CHORUS_DIGEST_SPREAD_DAYS=1
CHROME='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
EDGE='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0'
FIREFOX='Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'
q() { sql "$1"; }
# The digests' date, their hits and the daily report's one row: one UTC
# day.
one_utc_day 120

cat > "$T/employees.csv" <<'EOF'
email,name,roles,networks
sam@example.com,Sam Swept,eng,linkedin;x;facebook
pat@example.com,Pat Person,eng,linkedin;x;facebook
vic@example.com,Vic Viral,eng,linkedin
EOF
cat > "$T/posts.csv" <<'EOF'
id,title,url,roles,text,priority
p1,First,https://example.com/1,*,One,3
p2,Second,https://example.com/2,*,Two,2
p3,Third,https://example.com/3,*,Three,1
EOF
$CHORUS init >/dev/null
expect_status 0 $CHORUS import employees "$T/employees.csv"
expect_status 0 $CHORUS import posts "$T/posts.csv"
expect_status 0 $CHORUS digest run --date "$(date -u +%F)"
[ "$(q "SELECT count(*) FROM ledger WHERE state = 'sent'")" = 3 ] ||
	fail "three digests not sent"
[ "$(q "SELECT count(*) FROM links")" = 21 ] || fail "links: $(q 'SELECT count(*) FROM links')"

port=$(free_port)
"$CHORUS" redirector --listen "127.0.0.1:$port" 2>"$T/redir.log" &
rpid=$!
stop() { kill "$rpid" 2>/dev/null; wait "$rpid" 2>/dev/null; }
cleanup_hooks="stop"
wait_port "$port"
B="http://127.0.0.1:$port"

codes() {
	q "SELECT l.code FROM links l JOIN employees e ON e.id = l.employee_id
	    WHERE e.email = '$1' ORDER BY l.id"
}
code_of() {
	q "SELECT l.code FROM links l JOIN employees e ON e.id = l.employee_id
	    JOIN posts p ON p.id = l.post_id
	    WHERE e.email = '$1' AND p.ext_id = '$2' AND l.network = '$3'"
}
token_of() { q "SELECT $2 FROM employees WHERE email = '$1'"; }
# get ADDR UA URL [curl options]: one request from 127.0.0.ADDR.
get() {
	addr=$1 ua=$2 url=$3
	shift 3
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
	    --interface "127.0.0.$addr" -A "$ua" "$@" "$url")
	case $code in 200|302) ;; *) fail "$url from 127.0.0.$addr: $code" ;; esac
}
metric() {
	curl -s --max-time 10 "$B/metrics" |
	    sed -n "s/^chorus_redirector_hits{class=\"$1\"} //p"
}

# --- The sweep of Sam's digest. Its first two links are fetched and then
# folded into the roll-up before the rest arrives (the report command
# folds what is committed): a later revision has to undo them there.
set -- $(codes sam@example.com)
[ $# -eq 9 ] || fail "Sam has $# links"
a=10
get $a "$CHROME" "$B/$1"; a=$((a + 1))
get $a "$EDGE" "$B/s/$1"; a=$((a + 1))
expect_status 0 $CHORUS report attribution
expect_grep 'sam@example.com' "$T/out"
[ "$(q "SELECT sum(clicks) + sum(shares) FROM report_link_day")" = 2 ] ||
	fail "the first hits were not folded as a person's"
for c in "$@"; do
	get $a "$CHROME" "$B/$c" -I; a=$((a + 1))
	[ "$c" = "$1" ] || { get $a "$CHROME" "$B/$c"; a=$((a + 1)); }
	[ "$c" = "$1" ] || { get $a "$EDGE" "$B/s/$c"; a=$((a + 1)); }
done
get $a "$FIREFOX" "$B/p/$(token_of sam@example.com pref_token)"; a=$((a + 1))
get $a "$FIREFOX" "$B/u/$(token_of sam@example.com unsub_token)" -I
sweep_end=$(date +%s)
[ "$(q "SELECT count(*) FROM hits")" = 27 ] || fail "sweep rows: $(q 'SELECT count(*) FROM hits')"
[ "$(q "SELECT DISTINCT class FROM hits")" = scanner ] ||
	fail "sweep classes: $(q 'SELECT class, count(*) FROM hits GROUP BY class')"
[ "$(q "SELECT count(*) FROM report_dirty")" -ge 1 ] ||
	fail "the revision of folded hits named no day and link"
[ "$(metric scanner)" = 27 ] || fail "/metrics scanner: $(metric scanner)"
[ "$(metric human)" = 0 ] || fail "/metrics human: $(metric human)"

# --- The people around it, after the sweep's window (5 s by default).
while [ "$(date +%s)" -le $((sweep_end + 6)) ]; do sleep 0.5; done
# Pat shares on LinkedIn, then on X; Pat's own click on their link just
# before sharing is self. Then a dozen people click Pat's LinkedIn link
# within a second or two.
pl=$(code_of pat@example.com p1 linkedin)
px=$(code_of pat@example.com p1 x)
get 200 "$FIREFOX" "$B/$pl"
get 200 "$FIREFOX" "$B/s/$pl"
sleep 1
get 200 "$FIREFOX" "$B/s/$px"
for i in $(seq 1 12); do
	get $((100 + i)) "$CHROME" "$B/$pl"
done
# Vic's one link, from another address: a click.
get 150 "$EDGE" "$B/$(code_of vic@example.com p1 linkedin)"
# HEADs from a link checker are bot hits, not a sweep by themselves.
get 151 "$CHROME" "$B/$(code_of vic@example.com p2 linkedin)" -I

expect_status 0 $CHORUS report employees
cat > "$T/want" <<'EOF'
employee_email,employee_name,roles,digests_sent,shares,previews,clicks,unique_clicks
pat@example.com,Pat Person,eng,1,2,0,12,12
sam@example.com,Sam Swept,eng,1,0,0,0,0
vic@example.com,Vic Viral,eng,1,0,0,1,1
EOF
diff -u "$T/want" "$T/out" >&2 || fail "employees report"
[ "$(q "SELECT class FROM hits h JOIN links l ON l.id = h.link_id
    WHERE l.code = '$pl' AND h.kind = 'click' ORDER BY h.id LIMIT 1")" = self ] ||
	fail "Pat's own click is not self"
expect_status 0 $CHORUS report leaderboard
expect_no_grep 'sam@example.com' "$T/out"
expect_grep '^1,pat@example.com' "$T/out"
expect_status 0 $CHORUS report daily
expect_grep ',2,0,13,13,28$' "$T/out"	# shares previews clicks uniq bots

# --- The roll-up equals a recount of the hits by the counting rules.
recount="SELECT h.day, h.link_id, sum(h.share), sum(h.preview),
    sum(h.click), count(DISTINCT h.human_visitor), sum(h.bot)
    FROM report_hit h GROUP BY h.day, h.link_id ORDER BY 1, 2"
rolled="SELECT day, link_id, shares, previews, clicks, unique_clicks,
    bot_hits FROM report_link_day ORDER BY 1, 2"
[ "$(q "$recount")" = "$(q "$rolled")" ] || fail "roll-up differs from a recount"
[ "$(q "SELECT count(*) FROM report_dirty")" = 0 ] || fail "report_dirty not emptied"
echo ok
