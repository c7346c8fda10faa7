#!/bin/bash
# chorus report on PostgreSQL: an SQLite database made by the binary
# (imports, a digest run, clicks, shares, previews, bots and HEADs through
# the redirector, a "not for me", an unsubscribe; hits, choices and
# digest outcomes over several months by SQL) copied with `chorus migrate
# --to` into a database whose default collation is ICU's en-US, where text
# sorts unlike bytes. Every report (each CSV, with and without --from/--to
# and --excel, and the HTML one) is byte-identical on both stores, and so
# is the roll-up. Then the same new hits, and a revision of a hit already
# folded (report_dirty), are written on both sides: the roll-up's
# incremental refresh gives the same reports again.
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
# Every hit keeps the class its User-Agent gives.
export CHORUS_REDIRECTOR_SWEEP_LINKS=1000 CHORUS_REDIRECTOR_SWEEP_LINKS_FRESH=1000
q() { sqlite3 "$T/lite.db" "$1"; }

# The target: en-US collation, so that an ORDER BY or an aggregate left
# to the database's collation orders differently than SQLite does.
"$PSQL" -X -q -v ON_ERROR_STOP=1 "postgresql://chorus@/postgres?host=$PGDIR" \
    -c "CREATE DATABASE chorus_icu TEMPLATE template0 LOCALE_PROVIDER icu
	ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'" ||
    fail "pg: cannot create a database with ICU's en-US collation"
PG="postgresql://chorus@/chorus_icu?host=$PGDIR"
p() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$PG" -c "$1"; }
[ "$(p "SELECT 'Zed' < 'amy'")" = f ] ||
    fail "the target orders text as bytes: the test proves nothing"

rpid=""
stop_redirector() {
	[ -z "$rpid" ] || { kill "$rpid" 2>/dev/null; wait "$rpid" || true; }
	rpid=""
}
cleanup_hooks="stop_redirector $cleanup_hooks"

# --- A database made by the binary. Emails and roles whose order differs
# between bytes, SQLite's NOCASE and en-US.
expect_status 0 "$CHORUS" init
expect_status 0 "$CHORUS" import employees "$CHORUS_SRC/examples/employees.csv"
cat >"$T/more.csv" <<'CSV'
email,name,roles,timezone,send_time,networks,frequency
Zed.Upper@example.com,Zed Upper,Sales;eng,UTC,08:00,,daily
amy.lower@example.com,Amy Lower,eng;Sales;Zeta,UTC,08:00,,daily
_under@example.com,Under Score,eng,UTC,08:00,,daily
kai_b@example.com,Kai B,eng,UTC,08:00,,daily
kai.a@example.com,Kai A,eng,UTC,08:00,,daily
kai1@example.com,Kai One,eng,UTC,08:00,,daily
CSV
expect_status 0 "$CHORUS" import employees "$T/more.csv"
# An import writes roles in lower case; these are not.
q "INSERT INTO employee_roles (employee_id, role) SELECT id, r.role
    FROM employees, (SELECT 'Zeta' AS role UNION ALL SELECT 'Sales') r
    WHERE email = 'amy.lower@example.com'"
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
codes=$(q "SELECT code FROM links ORDER BY id LIMIT 8")
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
stop_redirector

# Over four months: hits of every kind and class on every link (human
# visitors repeating), digest outcomes, choices and "not for me".
now=$(date -u +%s)
q "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i < 1199), l AS (SELECT id, row_number() OVER (ORDER BY id) - 1
    AS k, count(*) OVER () AS c FROM links)
   INSERT INTO hits (link_id, ts, kind, class, repeat, visitor)
    SELECT l.id, $now - (n.i * 7919 % 120) * 86400 - n.i * 37 % 86400,
     CASE WHEN n.i % 5 = 0 THEN 'share' ELSE 'click' END,
     CASE n.i % 9 WHEN 0 THEN 'bot' WHEN 1 THEN 'preview' WHEN 2 THEN 'head'
      ELSE 'human' END, n.i % 11 = 0,
     CASE WHEN n.i % 9 > 2 THEN CAST('v' || (n.i % 17) AS BLOB) END
    FROM n JOIN l ON l.k = n.i * 31 % l.c;
   UPDATE ledger SET state = CASE id % 4 WHEN 0 THEN 'skipped'
     WHEN 1 THEN 'failed_temp' WHEN 2 THEN 'failed_perm' ELSE 'sent' END,
    updated_at = $now - (id * 13 % 100) * 86400 WHERE id % 3 = 0;
   UPDATE ledger SET updated_at = $now - (id * 7 % 110) * 86400
    WHERE id % 3 = 1 AND state = 'sent';
   INSERT INTO preference_events (employee_id, at, kind)
    SELECT id, $now - (id * 11 % 115) * 86400,
     CASE id % 4 WHEN 0 THEN 'paused' WHEN 1 THEN 'weekly'
      WHEN 2 THEN 'unsubscribed' ELSE 'daily' END FROM employees;
   INSERT OR IGNORE INTO declines (employee_id, post_id, reason, at)
    SELECT e.id, p.id, NULL, $now - ((e.id + p.id) * 5 % 100) * 86400
    FROM employees e, posts p WHERE (e.id + p.id) % 6 = 0"

# Part of it folded before the copy: PostgreSQL folds the rest.
expect_status 0 "$CHORUS" report daily
q "INSERT INTO hits (link_id, ts, kind, class, repeat, visitor)
    SELECT link_id, ts + 60, kind, 'human', 0, CAST('w' || id % 5 AS BLOB)
    FROM hits ORDER BY id DESC LIMIT 40"
expect_status 0 "$CHORUS" migrate --to "$PG"

from=$(date -u -d "@$((now - 75 * 86400))" +%Y-%m-%d)
to=$(date -u -d "@$((now - 20 * 86400))" +%Y-%m-%d)
n=0
# compare TAG: every report on both stores, byte for byte; the roll-ups.
compare() {
	for r in attribution posts employees leaderboard daily program html; do
		for range in "" "--from $from --to $to" "--from $to"; do
			for x in "" --excel; do
				[ "$r" != html ] || [ -z "$x" ] || continue
				n=$((n + 1))
				# shellcheck disable=SC2086
				expect_status 0 "$CHORUS" --db "$T/lite.db" report \
				    "$r" $range $x --out "$T/lite.$n"
				# shellcheck disable=SC2086
				expect_status 0 "$CHORUS" --db "$PG" report "$r" \
				    $range $x --out "$T/pg.$n"
				[ ! -s "$T/err" ] || fail "$1: $r $range $x: stderr: $(cat "$T/err")"
				[ -s "$T/lite.$n" ] || fail "$1: $r $range $x: empty"
				cmp "$T/lite.$n" "$T/pg.$n" || {
					diff "$T/lite.$n" "$T/pg.$n" | head -n 20 >&2
					fail "$1: report $r $range $x differs"
				}
			done
		done
	done
	cols="day, employee_id, post_id, network, link_id, shares, previews,
	    clicks, unique_clicks, bot_hits"
	diff <(q "SELECT $cols FROM report_link_day ORDER BY 1, 2, 3, 4") \
	    <(p "SELECT $cols FROM report_link_day
		ORDER BY 1, 2, 3, network COLLATE \"C\"") ||
	    fail "$1: the roll-ups differ"
	[ "$(q 'SELECT last_hit FROM report_state')" = \
	    "$(p 'SELECT last_hit FROM report_state')" ] ||
	    fail "$1: the roll-ups' states differ"
}

compare copy
# The reports say something: the orders tested are there.
expect_status 0 "$CHORUS" --db "$PG" report employees
expect_grep '^"\?_under@example.com' "$T/out"
grep -n -e '^amy.lower' -e '^Zed.Upper' "$T/out" | head -n 1 |
    grep -q amy || fail "employees: not in NOCASE order"
[ "$(grep -o '^kai[^@]*' "$T/out" | tr '\n' ' ')" = "kai.a kai1 kai_b " ] ||
    fail "employees: not in byte order after ASCII folding"
expect_grep '^amy.lower@example.com,Amy Lower,Sales;Zeta;eng;sales;zeta,' "$T/out"
expect_status 0 "$CHORUS" --db "$PG" report program
[ "$(grep -c '^20[0-9][0-9]-[0-9][0-9],' "$T/out")" -ge 4 ] ||
    fail "program: fewer than four months"
expect_grep '^20[0-9-]*,[1-9][0-9]*,[0-9]*,[0-9]*,[0-9]*\.[0-9][0-9][0-9],' "$T/out"
expect_status 0 "$CHORUS" --db "$PG" report leaderboard
[ "$(wc -l <"$T/out")" -ge 5 ] || fail "leaderboard: too few rows"

# --- The same new hits on both sides, on folded days and links and on a
# new day, and a revision of a folded hit: the incremental refresh.
max=$(q "SELECT max(id) FROM hits")
[ "$max" = "$(p "SELECT max(id) FROM hits")" ] || fail "hit ids differ"
rev=$(q "SELECT group_concat(id) FROM (SELECT id FROM hits
    WHERE class = 'human' AND kind = 'click' ORDER BY id LIMIT 3)")
new="INSERT INTO hits (id, link_id, ts, kind, class, repeat, visitor)
    SELECT id + 100000, link_id, ts + 120, kind, class, 0, visitor
    FROM hits WHERE id % 7 = 3 AND id <= $max;
   INSERT INTO hits (id, link_id, ts, kind, class, repeat, visitor)
    SELECT id + 200000, link_id, $now + 86400 + id, 'click', 'human', 0,
     visitor FROM hits WHERE id % 50 = 1 AND id <= $max;
   UPDATE hits SET class = 'bot' WHERE id IN ($rev);
   INSERT INTO report_dirty (link_id, day)
    SELECT DISTINCT link_id, ts / 86400 FROM hits WHERE id IN ($rev)
    ON CONFLICT DO NOTHING"
q "$new"
p "BEGIN; $new; COMMIT"
compare incremental
[ "$(p 'SELECT count(*) FROM report_dirty')" = 0 ] ||
    fail "the revisions were not folded"
[ "$(p 'SELECT last_hit FROM report_state')" -gt 200000 ] ||
    fail "the new hits were not folded"
echo "pg_report: $n reports equal on both stores: ok"
