#!/bin/sh
# Reports: `chorus report attribution` beside the sqlite3 shell running the
# same GROUP BY into CSV, on 10,000 employees, 500 posts, 200,000 links and
# 5,000,000 hits over 90 days (built here, in BENCH_DIR, never committed).
# Prints times, ratios and peak RSS, and checks that all outputs carry
# exactly the same numbers. HITS=... makes a smaller run.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
chorus=${CHORUS:-$src/chorus}
dir=${BENCH_DIR:-$src/build/bench}
HITS=${HITS:-5000000}
EMPLOYEES=10000
POSTS=500
LINKS=200000
DAYS=90
NEW=${NEW:-50000}	# hits that arrive after the first report
mkdir -p "$dir"
db=$dir/report.db
rm -f "$db" "$db-wal" "$db-shm"

timed() {	# timed LABEL CMD...: runs CMD, prints wall and CPU seconds, RSS
	label=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$@"
	read -r secs usr sys rss < "$dir/time"
	cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	printf '%-46s %6.2f s %6.2f s %7d KiB\n' "$label" "$secs" "$cpu" "$rss"
	last=$secs
	last_cpu=$cpu
}
# tostdout FILE CMD...: runs CMD > FILE (a command for timed)
tostdout='f=$1; shift; exec "$@" > "$f"'

echo "report bench: $EMPLOYEES employees, $POSTS posts, $LINKS links," \
    "$HITS hits over $DAYS days"
CHORUS_CHORUS_DATABASE=$db "$chorus" -q init >/dev/null

# Each link is shared on one day (link % DAYS) and clicked over the next
# three days, fading; hits are generated in time order, as they arrive.
gen_hits() {	# gen_hits FIRST COUNT
	cat <<EOF
WITH RECURSIVE c(j) AS (SELECT $1 UNION ALL SELECT j + 1 FROM c
    WHERE j < $1 + $2 - 1),
t AS (SELECT j, 1790000000 + j * ($DAYS * 86400 / $HITS) +
    (j * 7919) % ($DAYS * 86400 / $HITS) AS ts,
    (j * 2654435761) % 4294967296 AS r FROM c),
d AS (SELECT j, ts, r, (ts - 1790000000) / 86400 -
    (CASE WHEN r % 6 < 3 THEN 0 WHEN r % 6 < 5 THEN 1 ELSE 2 END) AS sday
    FROM t)
INSERT INTO hits (link_id, ts, kind, class, repeat, visitor)
SELECT ((sday + $DAYS) % $DAYS) + $DAYS * ((r / 7) % ($LINKS / $DAYS)) + 1,
    ts,
    CASE WHEN r % 20 = 0 THEN 'share' ELSE 'click' END,
    CASE (r / 20) % 25 WHEN 0 THEN 'bot' WHEN 1 THEN 'head' WHEN 2 THEN
      'preview' WHEN 3 THEN 'preview' ELSE 'human' END,
    (r / 500) % 9 = 0,
    CAST(printf('%016x', (r / 4500) % 60000) AS BLOB)
FROM d;
EOF
}

# The hits' indexes (whatever the schema has) are dropped for the bulk
# insert and built again after it.
idx=$(sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master WHERE type =
    'index' AND tbl_name = 'hits' AND sql IS NOT NULL")
drops=$(sqlite3 "$db" "SELECT 'DROP INDEX ' || name || ';' FROM
    sqlite_master WHERE type = 'index' AND tbl_name = 'hits' AND sql IS
    NOT NULL")
start=$(date +%s)
{
	cat <<EOF
PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c
    WHERE i < $EMPLOYEES)
INSERT INTO employees (id, email, name, unsub_token, pref_token,
    created_at, updated_at)
SELECT i, 'employee' || i || '@example.com',
    CASE i % 3 WHEN 0 THEN 'José Álvarez ' || i WHEN 1 THEN '山田 花子 ' || i
    ELSE 'Employee, ' || i END, 'u' || i, 'p' || i, 0, 0 FROM c;
INSERT INTO employee_roles SELECT id, 'role' || (id % 5) FROM employees;
INSERT INTO employee_roles SELECT id, 'leadership' FROM employees
    WHERE id % 50 = 0;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c
    WHERE i < $POSTS)
INSERT INTO posts (id, ext_id, title, url, created_at, updated_at)
SELECT i, 'post-' || i, 'Post number ' || i || ', "quoted"',
    'https://example.com/' || i, 0, 0 FROM c;
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c
    WHERE i < $LINKS - 1)
INSERT INTO links (id, code, employee_id, post_id, network, created_at)
SELECT i + 1, 'L' || i, i % $EMPLOYEES + 1,
    (i / $EMPLOYEES) * 25 + ((i % $EMPLOYEES + 1) * 7) % 25 + 1,
    CASE (i % $EMPLOYEES + i / $EMPLOYEES) % 3 WHEN 0 THEN 'linkedin'
    WHEN 1 THEN 'x' ELSE 'facebook' END, 0 FROM c;
$drops
EOF
	gen_hits 0 "$HITS"
	cat <<EOF
$idx
COMMIT;
EOF
} | sqlite3 "$db" >/dev/null
echo "built in $(($(date +%s) - start)) s ($(du -m "$db" | cut -f1) MiB)"

# The first report folds every hit into the roll-up (once in the store's
# life); then hits keep arriving and each report folds only the new ones.
export CHORUS_CHORUS_DATABASE="$db"
# Each fold first judges sweeps again over the hits five minutes old
# (redirector/rejudge.c): with the clock after the last day, all of them,
# those of each round too. A copy judges none, for its cost alone.
export CHORUS_TEST_REJUDGE_NOW=$((1790000000 + (DAYS + 1) * 86400))
cp "$db" "$dir/nojudge.db"
printf '%-46s %8s %8s %11s\n' "" "wall" "CPU" "peak RSS"
timed "chorus, first report (judges, folds all hits)" \
    "$chorus" report attribution --out "$dir/first.csv"
timed "chorus, first report, judging nothing" env \
    CHORUS_TEST_REJUDGE_NOW=0 CHORUS_CHORUS_DATABASE="$dir/nojudge.db" \
    "$chorus" report attribution --out "$dir/first_nojudge.csv"
rm -f "$dir/nojudge.db" "$dir/nojudge.db-wal" "$dir/nojudge.db-shm"
cmp -s "$dir/first.csv" "$dir/first_nojudge.csv" ||
    echo "note: judging changed the first report (sweeps in the data)"
# Hits arrive, a report runs; three times, the best run counts (the
# machine is shared). Each round's hits land on the last day, as a report
# run mid-day would find them.
chorus_t=
round=0
while [ $round -lt 3 ]; do
	gen_hits $((HITS + round * NEW)) "$NEW" |
	    sed 's/1790000000 + j/1790000000 + (j - '$((NEW * (round + 1)))')/' |
	    sqlite3 "$db"
	timed "chorus, after $NEW new hits (round $((round + 1)))" \
	    sh -c "$tostdout" sh "$dir/chorus.csv" "$chorus" report attribution
	if [ -z "$chorus_t" ] || awk -v a="$last" -v b="$chorus_t" \
	    'BEGIN { exit !(a < b) }'; then
		chorus_t=$last
		chorus_cpu=$last_cpu
	fi
	round=$((round + 1))
done
timed "chorus, nothing new" \
    sh -c "$tostdout" sh "$dir/chorus2.csv" "$chorus" report attribution
timed "chorus, nothing new, --out (fsync, rename)" \
    "$chorus" report attribution --out "$dir/chorus3.csv"

# The anchor: the same report from the sqlite3 shell.
cat > "$dir/plain.sql" <<EOF
.headers on
.mode csv
.once $dir/plain.csv
SELECT date(h.ts, 'unixepoch') AS date, e.email AS employee_email,
  e.name AS employee_name, (SELECT group_concat(role, ';') FROM
  employee_roles r WHERE r.employee_id = e.id) AS roles, p.ext_id AS post_id,
  p.title AS post_title, l.network,
  sum(h.kind = 'share' AND h.class = 'human' AND h.repeat = 0) AS shares,
  sum(h.class = 'preview') AS previews,
  sum(h.kind = 'click' AND h.class = 'human') AS clicks,
  count(DISTINCT CASE WHEN h.kind = 'click' AND h.class = 'human'
    THEN h.visitor END) AS unique_clicks,
  sum(h.class IN ('bot', 'head')) AS bot_hits
FROM hits h JOIN links l ON l.id = h.link_id
JOIN employees e ON e.id = l.employee_id JOIN posts p ON p.id = l.post_id
GROUP BY date(h.ts, 'unixepoch'), h.link_id
ORDER BY date(h.ts, 'unixepoch'), l.employee_id, l.post_id, l.network;
EOF
cat > "$dir/best.sql" <<EOF
.headers on
.mode csv
.once $dir/best.csv
WITH a AS (SELECT link_id, ts / 86400 AS day,
  sum(kind = 'share' AND class = 'human' AND repeat = 0) AS s,
  sum(class = 'preview') AS p, sum(kind = 'click' AND class = 'human') AS c,
  count(DISTINCT CASE WHEN kind = 'click' AND class = 'human'
    THEN visitor END) AS u, sum(class IN ('bot', 'head')) AS b
  FROM hits GROUP BY link_id, day),
er AS (SELECT employee_id, group_concat(role, ';') AS roles
  FROM employee_roles GROUP BY employee_id)
SELECT date(a.day * 86400, 'unixepoch') AS date, e.email AS employee_email,
  e.name AS employee_name, er.roles, p.ext_id AS post_id,
  p.title AS post_title, l.network, a.s AS shares, a.p AS previews,
  a.c AS clicks, a.u AS unique_clicks, a.b AS bot_hits
FROM a JOIN links l ON l.id = a.link_id
JOIN employees e ON e.id = l.employee_id JOIN posts p ON p.id = l.post_id
LEFT JOIN er ON er.employee_id = l.employee_id
ORDER BY a.day, l.employee_id, l.post_id, l.network;
EOF
timed "sqlite3 shell, plain tables" sqlite3 "$db" ".read $dir/plain.sql"
plain_t=$last
plain_cpu=$last_cpu
start=$(date +%s)
sqlite3 "$db" "CREATE INDEX bench_cover ON hits(link_id, ts, kind, class,
    repeat, visitor)"
echo "(covering index for the shell built in $(($(date +%s) - start)) s)"
best_t=
round=0
while [ $round -lt 3 ]; do
	timed "sqlite3 shell, at its best (round $((round + 1)))" \
	    sqlite3 "$db" ".read $dir/best.sql"
	if [ -z "$best_t" ] || awk -v a="$last" -v b="$best_t" \
	    'BEGIN { exit !(a < b) }'; then
		best_t=$last
		best_cpu=$last_cpu
	fi
	round=$((round + 1))
done
sqlite3 "$db" "DROP INDEX bench_cover"

# Same numbers, row for row, in all four outputs.
python3 - "$dir/chorus.csv" "$dir/chorus2.csv" "$dir/chorus3.csv" \
    "$dir/plain.csv" "$dir/best.csv" <<'EOF'
import csv, sys
def load(p):
    rows = list(csv.reader(open(p, encoding='utf-8', newline='')))
    return [r[:6] + [r[6]] + [int(x) for x in r[7:]] for r in rows[1:]]
ref = load(sys.argv[1])
for p in sys.argv[2:]:
    if load(p) != ref:
        sys.exit('report bench: %s differs from %s' % (p, sys.argv[1]))
print('outputs: %d rows, identical numbers in all five' % len(ref))
EOF
awk -v c="$chorus_t" -v p="$plain_t" -v b="$best_t" -v cc="$chorus_cpu" \
    -v pc="$plain_cpu" -v bc="$best_cpu" 'BEGIN {
	printf "best rounds: chorus %.2f s (CPU %.2f), shell at best %.2f s " \
	    "(CPU %.2f)\n", c, cc, b, bc
	printf "ratio chorus / shell plain:   wall %.2f, CPU %.2f\n", c / p, cc / pc
	printf "ratio chorus / shell at best: wall %.2f, CPU %.2f (goal <= 0.5)\n",
	    c / b, cc / bc
}'

# What a trigger-maintained roll-up would cost the redirector: 20,000 hits
# inserted in transactions of 50, as its group commit does, without and
# with such a trigger.
# (a store of its own: the links and the last 500,000 hits)
CHORUS_CHORUS_DATABASE=$dir/trig.db "$chorus" -q init >/dev/null
sqlite3 "$dir/trig.db" >/dev/null <<EOF
ATTACH '$db' AS src;
INSERT INTO employees SELECT * FROM src.employees;
INSERT INTO posts SELECT * FROM src.posts;
INSERT INTO links SELECT * FROM src.links;
INSERT INTO hits SELECT * FROM src.hits
    WHERE id > (SELECT max(id) FROM src.hits) - 500000;
EOF
ins="BEGIN;$(i=0; while [ $i -lt 50 ]; do
	printf "INSERT INTO hits (link_id, ts, kind, class, repeat, visitor) VALUES (abs(random()) %% $LINKS + 1, 1798000000 + abs(random()) %% 86400, 'click', 'human', 0, randomblob(16));"
	i=$((i + 1)); done)COMMIT;"
batches() { n=0; while [ $n -lt 400 ]; do echo "$ins"; n=$((n + 1)); done; }
batches | sed '1i PRAGMA synchronous=NORMAL;' > "$dir/ins.sql"
timed "insert 20,000 hits, no trigger" sqlite3 "$dir/trig.db" ".read $dir/ins.sql"
t0=$last
sqlite3 "$dir/trig.db" <<'EOF'
CREATE TABLE trig_visitor (link_id INTEGER, day INTEGER, visitor BLOB,
    PRIMARY KEY (link_id, day, visitor)) WITHOUT ROWID;
CREATE TRIGGER trig_rollup AFTER INSERT ON hits BEGIN
  INSERT OR IGNORE INTO trig_visitor SELECT NEW.link_id, NEW.ts / 86400,
    NEW.visitor WHERE NEW.kind = 'click' AND NEW.class = 'human';
  INSERT INTO report_link_day (day, employee_id, post_id, network, link_id,
    shares, previews, clicks, unique_clicks, bot_hits)
  SELECT NEW.ts / 86400, l.employee_id, l.post_id, l.network, l.id,
    NEW.kind = 'share' AND NEW.class = 'human' AND NEW.repeat = 0,
    NEW.class = 'preview', NEW.kind = 'click' AND NEW.class = 'human',
    changes() > 0 AND NEW.kind = 'click' AND NEW.class = 'human',
    NEW.class IN ('bot', 'head') FROM links l WHERE l.id = NEW.link_id
  ON CONFLICT DO UPDATE SET shares = shares + excluded.shares,
    previews = previews + excluded.previews, clicks = clicks + excluded.clicks,
    unique_clicks = unique_clicks + excluded.unique_clicks,
    bot_hits = bot_hits + excluded.bot_hits;
END;
EOF
timed "insert 20,000 hits, roll-up trigger" sqlite3 "$dir/trig.db" ".read $dir/ins.sql"
awk -v a="$t0" -v b="$last" 'BEGIN { printf "trigger cost on inserts: %.2fx\n", b / a }'
rm -f "$dir/trig.db" "$dir/trig.db-wal" "$dir/trig.db-shm" "$dir/ins.sql" \
    "$dir"/*.csv "$dir"/*.sql "$dir/time"
# The store is 0.7 GB: kept only when asked (KEEP=1).
[ "${KEEP:-0}" = 1 ] || rm -f "$db" "$db-wal" "$db-shm"
