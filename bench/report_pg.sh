#!/bin/sh
# Reports on PostgreSQL: `chorus report attribution` beside `psql` running
# the same GROUP BY into CSV, on one private server started here, with the
# data of bench/report.sh (10,000 employees, 500 posts, 200,000 links,
# 5,000,000 hits over 90 days) made inside the server by generate_series.
# Each round adds NEW hits on the last day, then runs chorus and the two
# psql queries in turn; the medians of ROUNDS rounds are compared. Checks
# that every output carries exactly the same numbers. HITS=... makes a
# smaller run; BENCH_PG_URI=... uses a server of your own (its database
# must be empty).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
chorus=${CHORUS:-$src/chorus}
dir=${BENCH_DIR:-$src/build/bench}
HITS=${HITS:-5000000}
ROUNDS=${ROUNDS:-5}
NEW=${NEW:-50000}	# hits that arrive before each round's reports
EMPLOYEES=10000
POSTS=500
LINKS=200000
DAYS=90
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

pgdir=""
pg_user=""
pg_as() {	# pg_as CMD...: as the server's user, from its directory
	if [ -n "$pg_user" ]; then
		(cd "$pgdir" && runuser -u "$pg_user" -- "$@")
	else
		(cd "$pgdir" && "$@")
	fi
}
stop_server() {
	[ -n "$pgdir" ] || return 0
	pg_as "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w -t 60 stop \
	    >/dev/null 2>&1 || true
	rm -rf "$pgdir"
}
trap stop_server EXIT INT TERM

pgbin=""
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && [ -x "$d/psql" ] && pgbin=$d
done
[ -n "$pgbin" ] || { echo "report_pg: no PostgreSQL server installed" >&2;
    exit 1; }
psql=$pgbin/psql
if [ -n "${BENCH_PG_URI:-}" ]; then
	uri=$BENCH_PG_URI
else
	# initdb refuses root: the server runs as nobody, in a directory of
	# its own under /tmp (the socket's path must be short).
	[ "$(id -u)" -ne 0 ] || pg_user=nobody
	pgdir=$(mktemp -d /tmp/chorus-bench-pg.XXXXXX)
	[ -z "$pg_user" ] || chown "$pg_user" "$pgdir"
	pg_as "$pgbin/initdb" -D "$pgdir/data" -U chorus --auth=trust -E UTF8 \
	    --locale=C.UTF-8 >"$pgdir/initdb.log" 2>&1
	# The defaults but a bigger cache and WAL; fsync is off only while
	# the 5 million rows go in, and on again before anything is timed.
	cat >>"$pgdir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$pgdir'
shared_buffers = 256MB
max_wal_size = 4GB
EOF
	pg_as "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
	    -t 60 start >/dev/null
	"$psql" -X -q "postgresql://chorus@/postgres?host=$pgdir" \
	    -c "CREATE DATABASE chorus"
	uri="postgresql://chorus@/chorus?host=$pgdir"
fi
sql() { "$psql" -X -q -At -v ON_ERROR_STOP=1 "$uri" "$@"; }

timed() {	# timed LABEL CMD...: runs CMD, prints wall and CPU seconds, RSS
	label=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$@"
	read -r secs usr sys rss < "$dir/time"
	cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	printf '%-46s %6.2f s %6.2f s %7d KiB\n' "$label" "$secs" "$cpu" "$rss"
	last=$secs
}
median() {	# median V...: the middle value (the mean of the two middle)
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
	    if (NR % 2) print v[(NR + 1) / 2];
	    else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "report bench on PostgreSQL $("$psql" -X -At "$uri" -c 'SHOW server_version'):" \
    "$EMPLOYEES employees, $POSTS posts, $LINKS links, $HITS hits over" \
    "$DAYS days"
"$chorus" -q --db "$uri" init >/dev/null

# gen_hits FIRST COUNT SHIFT: the hits of bench/report.sh, numbered j =
# FIRST.., in time order; each link is shared on one day (link % DAYS)
# and clicked over the next three days, fading. SHIFT moves their times
# back by SHIFT hits' worth (0: in place).
gen_hits() {
	step=$((DAYS * 86400 / HITS))
	[ "$step" -gt 0 ] || step=1
	cat <<EOF
INSERT INTO hits (link_id, ts, kind, class, repeat, visitor)
SELECT ((sday + $DAYS) % $DAYS) + $DAYS * ((r / 7) % ($LINKS / $DAYS)) + 1,
    ts,
    CASE WHEN r % 20 = 0 THEN 'share' ELSE 'click' END,
    CASE (r / 20) % 25 WHEN 0 THEN 'bot' WHEN 1 THEN 'head' WHEN 2 THEN
      'preview' WHEN 3 THEN 'preview' ELSE 'human' END,
    CASE WHEN (r / 500) % 9 = 0 THEN 1 ELSE 0 END,
    convert_to(lpad(to_hex((r / 4500) % 60000), 16, '0'), 'UTF8')
FROM (SELECT j, ts, r, (ts - 1790000000) / 86400 -
    (CASE WHEN r % 6 < 3 THEN 0 WHEN r % 6 < 5 THEN 1 ELSE 2 END) AS sday
    FROM (SELECT j, 1790000000 + (j - $3) * $step + (j * 7919) % $step
        AS ts, (j * 2654435761) % 4294967296 AS r
        FROM generate_series($1::bigint, $1::bigint + $2 - 1) AS j) t) d;
EOF
}

# On the private server, fsync is off while the rows go in.
fast_on="" fast_off=""
if [ -n "$pgdir" ]; then
	fast_on="ALTER SYSTEM SET fsync = off;
ALTER SYSTEM SET full_page_writes = off; SELECT pg_reload_conf();"
	fast_off="ALTER SYSTEM RESET fsync; ALTER SYSTEM RESET full_page_writes;
SELECT pg_reload_conf();"
fi
start=$(date +%s)
{
	cat <<EOF
\\set ON_ERROR_STOP 1
SET synchronous_commit = off;
$fast_on
BEGIN;
INSERT INTO employees (id, email, name, unsub_token, pref_token,
    created_at, updated_at)
SELECT i, 'employee' || i || '@example.com',
    CASE i % 3 WHEN 0 THEN 'José Álvarez ' || i WHEN 1 THEN '山田 花子 ' || i
    ELSE 'Employee, ' || i END, 'u' || i, 'p' || i, 0, 0
FROM generate_series(1, $EMPLOYEES) AS i;
INSERT INTO employee_roles SELECT id, 'role' || (id % 5) FROM employees;
INSERT INTO employee_roles SELECT id, 'leadership' FROM employees
    WHERE id % 50 = 0;
INSERT INTO posts (id, ext_id, title, url, created_at, updated_at)
SELECT i, 'post-' || i, 'Post number ' || i || ', "quoted"',
    'https://example.com/' || i, 0, 0 FROM generate_series(1, $POSTS) AS i;
INSERT INTO links (id, code, employee_id, post_id, network, created_at)
SELECT i + 1, 'L' || i, i % $EMPLOYEES + 1,
    (i / $EMPLOYEES) * 25 + ((i % $EMPLOYEES + 1) * 7) % 25 + 1,
    CASE (i % $EMPLOYEES + i / $EMPLOYEES) % 3 WHEN 0 THEN 'linkedin'
    WHEN 1 THEN 'x' ELSE 'facebook' END, 0
FROM generate_series(0, $LINKS - 1) AS i;
SELECT setval(pg_get_serial_sequence(t, 'id'), $LINKS + $EMPLOYEES)
    FROM unnest(ARRAY['employees', 'posts', 'links']) AS t;
DROP INDEX hits_ts;
EOF
	gen_hits 0 "$HITS" 0
	cat <<EOF
CREATE INDEX hits_ts ON hits(ts);
COMMIT;
$fast_off
CHECKPOINT;
VACUUM ANALYZE;
EOF
} | sql >/dev/null
echo "built in $(($(date +%s) - start)) s ($(sql -c \
    "SELECT pg_database_size(current_database()) / 1048576") MiB);" \
    "fsync $(sql -c 'SHOW fsync')"

# The anchors: the report's GROUP BY as one would write it, and at its
# best (each link's day aggregated first, then joined), by psql into CSV.
cat > "$dir/pg_plain.sql" <<'EOF'
SELECT to_char(to_timestamp(h.ts / 86400 * 86400) AT TIME ZONE 'UTC',
    'YYYY-MM-DD') AS date, e.email AS employee_email,
  e.name AS employee_name, (SELECT string_agg(role, ';' ORDER BY role
    COLLATE "C") FROM employee_roles r WHERE r.employee_id = e.id) AS roles,
  p.ext_id AS post_id, p.title AS post_title, l.network,
  count(*) FILTER (WHERE h.kind = 'share' AND h.class = 'human' AND
    h.repeat = 0) AS shares,
  count(*) FILTER (WHERE h.class = 'preview') AS previews,
  count(*) FILTER (WHERE h.kind = 'click' AND h.class = 'human') AS clicks,
  count(DISTINCT h.visitor) FILTER (WHERE h.kind = 'click' AND
    h.class = 'human') AS unique_clicks,
  count(*) FILTER (WHERE h.class IN ('bot', 'head')) AS bot_hits
FROM hits h JOIN links l ON l.id = h.link_id
JOIN employees e ON e.id = l.employee_id JOIN posts p ON p.id = l.post_id
GROUP BY h.ts / 86400, l.id, e.id, p.id
ORDER BY h.ts / 86400, l.employee_id, l.post_id, l.network;
EOF
cat > "$dir/pg_best.sql" <<'EOF'
WITH a AS (SELECT link_id, ts / 86400 AS day,
  count(*) FILTER (WHERE kind = 'share' AND class = 'human' AND
    repeat = 0) AS s,
  count(*) FILTER (WHERE class = 'preview') AS p,
  count(*) FILTER (WHERE kind = 'click' AND class = 'human') AS c,
  count(DISTINCT visitor) FILTER (WHERE kind = 'click' AND
    class = 'human') AS u,
  count(*) FILTER (WHERE class IN ('bot', 'head')) AS b
  FROM hits GROUP BY link_id, day),
er AS (SELECT employee_id, string_agg(role, ';' ORDER BY role COLLATE "C")
  AS roles FROM employee_roles GROUP BY employee_id)
SELECT to_char(to_timestamp(a.day * 86400) AT TIME ZONE 'UTC',
    'YYYY-MM-DD') AS date, e.email AS employee_email,
  e.name AS employee_name, er.roles, p.ext_id AS post_id,
  p.title AS post_title, l.network, a.s AS shares, a.p AS previews,
  a.c AS clicks, a.u AS unique_clicks, a.b AS bot_hits
FROM a JOIN links l ON l.id = a.link_id
JOIN employees e ON e.id = l.employee_id JOIN posts p ON p.id = l.post_id
LEFT JOIN er ON er.employee_id = l.employee_id
ORDER BY a.day, l.employee_id, l.post_id, l.network;
EOF

# Each fold first judges sweeps again over the hits five minutes old
# (redirector/rejudge.c): with the clock after the last day, all of them,
# those of each round too.
export CHORUS_TEST_REJUDGE_NOW=$((1790000000 + (DAYS + 1) * 86400))
printf '%-46s %8s %8s %11s\n' "" "wall" "CPU" "peak RSS"
timed "chorus, first report (judges, folds all hits)" \
    "$chorus" --db "$uri" report attribution --out "$dir/pg_first.csv"
chorus_ts=""
plain_ts=""
best_ts=""
round=0
while [ $round -lt "$ROUNDS" ]; do
	gen_hits $((HITS + round * NEW)) "$NEW" $((NEW * (round + 1))) | sql
	timed "chorus, after $NEW new hits (round $((round + 1)))" \
	    "$chorus" --db "$uri" report attribution --out "$dir/pg_chorus.csv"
	chorus_ts="$chorus_ts $last"
	timed "psql, plain GROUP BY (round $((round + 1)))" \
	    "$psql" -X -q --csv -v ON_ERROR_STOP=1 -f "$dir/pg_plain.sql" \
	    -o "$dir/pg_plain.csv" "$uri"
	plain_ts="$plain_ts $last"
	timed "psql, aggregate first (round $((round + 1)))" \
	    "$psql" -X -q --csv -v ON_ERROR_STOP=1 -f "$dir/pg_best.sql" \
	    -o "$dir/pg_best.csv" "$uri"
	best_ts="$best_ts $last"
	round=$((round + 1))
done
timed "chorus, nothing new" \
    "$chorus" --db "$uri" report attribution --out "$dir/pg_chorus2.csv"
# The judge's pass alone: every hit judged again, nothing new to fold.
"$psql" -X -q -v ON_ERROR_STOP=1 -c "UPDATE report_state SET judged_to = 0" \
    "$uri"
timed "chorus, judging every hit again, nothing new" \
    "$chorus" --db "$uri" report attribution --out "$dir/pg_chorus3.csv"
cmp -s "$dir/pg_chorus2.csv" "$dir/pg_chorus3.csv" ||
    echo "note: judging again changed the report (sweeps in the data)"

# Same numbers, row for row, in every output of the last round.
python3 - "$dir/pg_chorus.csv" "$dir/pg_chorus2.csv" "$dir/pg_plain.csv" \
    "$dir/pg_best.csv" <<'EOF'
import csv, sys
def load(p):
    rows = list(csv.reader(open(p, encoding='utf-8', newline='')))
    return [r[:6] + [r[6]] + [int(x) for x in r[7:]] for r in rows[1:]]
ref = load(sys.argv[1])
for p in sys.argv[2:]:
    if load(p) != ref:
        sys.exit('report_pg: %s differs from %s' % (p, sys.argv[1]))
print('outputs: %d rows, identical numbers in all four' % len(ref))
EOF
# shellcheck disable=SC2086 # the lists are words
c=$(median $chorus_ts) p=$(median $plain_ts) b=$(median $best_ts)
awk -v c="$c" -v p="$p" -v b="$b" -v n="$ROUNDS" 'BEGIN {
	printf "medians of %d rounds: chorus %.2f s, psql plain %.2f s, " \
	    "psql aggregate first %.2f s\n", n, c, p, b
	printf "ratio chorus / psql plain:           %.2f\n", c / p
	printf "ratio chorus / psql aggregate first: %.2f\n", c / b
}'
rm -f "$dir"/pg_*.csv "$dir"/pg_*.sql "$dir/time"
