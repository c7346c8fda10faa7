#!/bin/bash
# Reports on known data: every report's numbers, worked out by hand from
# tests/data/report/fixture.sql; totals agree across reports; the roll-up
# stays exact as hits arrive; formula neutralisation, --excel, --from/--to,
# atomic --out and the exit statuses.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

export CHORUS_CHORUS_DATABASE="$DB"
$CHORUS init >/dev/null
store_load "$DATA/report/fixture.sql"

# check NAME [ARGS...] <<EXPECTED: the report must be exactly EXPECTED.
check() {
	expect_status 0 $CHORUS report "$@"
	cat > "$T/want"
	if ! cmp -s "$T/want" "$T/out"; then
		diff -u "$T/want" "$T/out" >&2 || true
		fail "report $* differs"
	fi
	cp "$T/out" "$T/last.csv"
}

check attribution <<'EOF'
date,employee_email,employee_name,roles,post_id,post_title,network,shares,previews,clicks,unique_clicks,bot_hits
2026-11-02,ana@example.com,Ana María López,engineering;leadership,P1,"Launch, ""big"" day",linkedin,1,2,3,2,2
2026-11-02,ana@example.com,Ana María López,engineering;leadership,P1,"Launch, ""big"" day",x,0,0,1,1,1
2026-11-02,li@example.com,李小龙,sales,P1,"Launch, ""big"" day",linkedin,0,1,1,1,0
2026-11-03,ana@example.com,Ana María López,engineering;leadership,P1,"Launch, ""big"" day",linkedin,0,0,2,2,0
2026-11-03,li@example.com,李小龙,sales,P1,"Launch, ""big"" day",linkedin,0,0,1,1,0
2026-11-03,eve@example.com,"'=HYPERLINK(""http://evil.example/"")",'-ops,P2,'+Growth @ scale,facebook,1,0,3,2,0
2026-11-09,ana@example.com,Ana María López,engineering;leadership,P2,'+Growth @ scale,linkedin,0,1,2,2,0
EOF
cp "$T/out" "$T/attribution.csv"

# declined: each post once "not for me" (one of them in October).
check posts <<'EOF'
post_id,post_title,suggested,shares,previews,clicks,unique_clicks,sharers,declined
P1,"Launch, ""big"" day",2,1,3,8,7,2,1
P2,'+Growth @ scale,2,1,1,5,4,2,1
P3,Ünshared 未分享,0,0,0,0,0,0,1
EOF
cp "$T/out" "$T/posts.csv"

check employees <<'EOF'
employee_email,employee_name,roles,digests_sent,shares,previews,clicks,unique_clicks
ana@example.com,Ana María López,engineering;leadership,3,1,3,8,7
eve@example.com,"'=HYPERLINK(""http://evil.example/"")",'-ops,1,1,0,3,2
li@example.com,李小龙,sales,1,0,1,2,2
quiet@example.com,Quiet Person,sales,0,0,0,0,0
EOF
cp "$T/out" "$T/employees.csv"

check leaderboard <<'EOF'
rank,employee_email,employee_name,roles,score,shares,clicks,unique_clicks
1,ana@example.com,Ana María López,engineering;leadership,32,1,8,7
2,li@example.com,李小龙,sales,12,0,2,2
3,eve@example.com,"'=HYPERLINK(""http://evil.example/"")",'-ops,7,1,3,2
EOF
cp "$T/out" "$T/leaderboard.csv"

check daily <<'EOF'
date,digests_sent,digests_skipped,digests_failed,shares,previews,clicks,unique_clicks,bot_hits
2026-11-02,2,1,1,1,3,5,4,3
2026-11-03,2,0,1,1,0,6,5,0
2026-11-04,0,0,0,0,0,0,0,0
2026-11-05,0,0,0,0,0,0,0,0
2026-11-06,0,0,0,0,0,0,0,0
2026-11-07,0,0,0,0,0,0,0,0
2026-11-08,0,0,0,0,0,0,0,0
2026-11-09,1,0,0,0,1,2,2,0
EOF
cp "$T/out" "$T/daily.csv"

# The monthly review. November: digests went to Ana (A, B, C), Li (A) and
# Eve (B), five in all; all three shared or were previewed (Ana's share,
# Li's preview on A, Eve's share on B): participation 3 / 3. Two "not for
# me" (Quiet on A, Li on A+2), one unsubscribe and one pause. October has
# only a decline, December an unsubscribe (its switch back to daily and
# the resubscribe are not columns); no digest, so no participation.
check program <<'EOF'
month,employees_active,digests_sent,sharers,participation,shares,previews,clicks,unique_clicks,declined,unsubscribed,paused
2026-10,0,0,0,,0,0,0,0,1,0,0
2026-11,3,5,3,1.000,2,4,13,11,2,1,1
2026-12,0,0,0,,0,0,0,0,0,1,0
EOF
cp "$T/out" "$T/program.csv"

# One truth: the same totals from every report. sum FILE COLUMN-NAME
# (the files hold no quoted commas in numeric columns' rows we sum: names
# with commas are quoted, so csv-aware python does the summing).
sum() {
	python3 - "$1" "$2" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
print(sum(int(r[sys.argv[2]]) for r in rows))
EOF
}
for col in shares previews clicks unique_clicks; do
	a=$(sum "$T/attribution.csv" $col)
	for r in posts employees daily program; do
		b=$(sum "$T/$r.csv" $col)
		[ "$a" = "$b" ] || fail "$col: attribution $a, $r $b"
	done
done
[ "$(sum "$T/attribution.csv" bot_hits)" = "$(sum "$T/daily.csv" bot_hits)" ] ||
	fail "bot_hits differ"
[ "$(sum "$T/leaderboard.csv" clicks)" = "$(sum "$T/employees.csv" clicks)" ] ||
	fail "leaderboard clicks differ"
[ "$(sum "$T/program.csv" digests_sent)" = "$(sum "$T/daily.csv" digests_sent)" ] ||
	fail "digests_sent: program and daily differ"
[ "$(sum "$T/program.csv" declined)" = "$(sum "$T/posts.csv" declined)" ] ||
	fail "declined: program and posts differ"
# Every hit is counted at most once: shares + previews + clicks + bots is
# the number of hits less the repeated shares.
n=$(sql "SELECT count(*) FROM hits WHERE NOT (kind='share' AND class='human' AND repeat=1)")
t=$(( $(sum "$T/daily.csv" shares) + $(sum "$T/daily.csv" previews) + \
    $(sum "$T/daily.csv" clicks) + $(sum "$T/daily.csv" bot_hits) ))
[ "$n" = "$t" ] || fail "hits $n, counted $t"

# --from/--to are inclusive UTC dates.
check leaderboard --from 2026-11-03 --to 2026-11-03 <<'EOF'
rank,employee_email,employee_name,roles,score,shares,clicks,unique_clicks
1,eve@example.com,"'=HYPERLINK(""http://evil.example/"")",'-ops,7,1,3,2
2,ana@example.com,Ana María López,engineering;leadership,2,0,2,2
3,li@example.com,李小龙,sales,1,0,1,1
EOF
check daily --from 2026-11-01 --to 2026-11-03 <<'EOF'
date,digests_sent,digests_skipped,digests_failed,shares,previews,clicks,unique_clicks,bot_hits
2026-11-01,0,0,0,0,0,0,0,0
2026-11-02,2,1,1,1,3,5,4,3
2026-11-03,2,0,1,1,0,6,5,0
EOF
# A month cut by --from/--to counts only its days inside: on B, Ana and
# Eve were sent a digest and only Eve shared. Explicit bounds make the
# calendar, quiet months included.
check program --from 2026-11-03 --to 2026-11-03 <<'EOF'
month,employees_active,digests_sent,sharers,participation,shares,previews,clicks,unique_clicks,declined,unsubscribed,paused
2026-11,2,2,1,0.500,1,0,6,5,0,0,0
EOF
check program --from 2026-09-15 --to 2026-11-03 <<'EOF'
month,employees_active,digests_sent,sharers,participation,shares,previews,clicks,unique_clicks,declined,unsubscribed,paused
2026-09,0,0,0,,0,0,0,0,0,0,0
2026-10,0,0,0,,0,0,0,0,1,0,0
2026-11,3,4,3,1.000,2,3,11,9,1,1,1
EOF
check program --from 2027-01-01 <<'EOF'
month,employees_active,digests_sent,sharers,participation,shares,previews,clicks,unique_clicks,declined,unsubscribed,paused
EOF
check posts --from 2026-11-03 <<'EOF'
post_id,post_title,suggested,shares,previews,clicks,unique_clicks,sharers,declined
P1,"Launch, ""big"" day",0,0,0,3,3,0,0
P2,'+Growth @ scale,2,1,1,5,4,2,1
P3,Ünshared 未分享,0,0,0,0,0,0,0
EOF
check attribution --from 2026-11-09 <<'EOF'
date,employee_email,employee_name,roles,post_id,post_title,network,shares,previews,clicks,unique_clicks,bot_hits
2026-11-09,ana@example.com,Ana María López,engineering;leadership,P2,'+Growth @ scale,linkedin,0,1,2,2,0
EOF
# The first and the last dates one can give bound a calendar like any
# other (they once stood for "no bound").
check daily --from 1970-01-01 --to 1970-01-02 <<'EOF'
date,digests_sent,digests_skipped,digests_failed,shares,previews,clicks,unique_clicks,bot_hits
1970-01-01,0,0,0,0,0,0,0,0
1970-01-02,0,0,0,0,0,0,0,0
EOF
check daily --from 9999-12-31 --to 9999-12-31 <<'EOF'
date,digests_sent,digests_skipped,digests_failed,shares,previews,clicks,unique_clicks,bot_hits
9999-12-31,0,0,0,0,0,0,0,0
EOF
check daily --from 2026-12-01 <<'EOF'
date,digests_sent,digests_skipped,digests_failed,shares,previews,clicks,unique_clicks,bot_hits
EOF
check attribution --from 2026-12-01 <<'EOF'
date,employee_email,employee_name,roles,post_id,post_title,network,shares,previews,clicks,unique_clicks,bot_hits
EOF

# One day: Ana shared link 1 (5), it was previewed (10), 3 unique.
check leaderboard --from 2026-11-02 --to 2026-11-02 <<'EOF'
rank,employee_email,employee_name,roles,score,shares,clicks,unique_clicks
1,ana@example.com,Ana María López,engineering;leadership,18,1,4,3
2,li@example.com,李小龙,sales,11,0,1,1
EOF

# Equal score, unique clicks and clicks share a rank, listed by email
# (1, 2, 2): Bob's repeat click breaks his tie with Amy and Zed.
TIE=$(store_db tie.db)
CHORUS_CHORUS_DATABASE="$TIE" $CHORUS init >/dev/null
cat >"$T/tie.sql" <<'EOF'
INSERT INTO employees (id, email, name, unsub_token, pref_token, created_at, updated_at) VALUES
 (1, 'zed@example.com', 'Zed', 'u1', 'p1', 0, 0),
 (2, 'amy@example.com', 'Amy', 'u2', 'p2', 0, 0),
 (3, 'bob@example.com', 'Bob', 'u3', 'p3', 0, 0);
INSERT INTO posts (id, ext_id, title, url, created_at, updated_at) VALUES
 (1, 'P', 'T', 'https://example.com/', 0, 0);
INSERT INTO links (id, code, employee_id, post_id, network, created_at) VALUES
 (1, 'a', 1, 1, 'x', 0), (2, 'b', 2, 1, 'x', 0), (3, 'c', 3, 1, 'x', 0);
INSERT INTO hits (link_id, ts, kind, class, repeat, visitor) VALUES
 (1, 1793577600, 'share', 'human', 0, x'01'),
 (2, 1793577600, 'share', 'human', 0, x'02'),
 (3, 1793577600, 'share', 'human', 0, x'03'),
 (1, 1793577700, 'click', 'human', 0, x'04'),
 (2, 1793577700, 'click', 'human', 0, x'05'),
 (3, 1793577700, 'click', 'human', 0, x'06'),
 (3, 1793577800, 'click', 'human', 1, x'06');
EOF
store_load "$T/tie.sql" "$TIE"
CHORUS_CHORUS_DATABASE="$TIE" check leaderboard <<'EOF'
rank,employee_email,employee_name,roles,score,shares,clicks,unique_clicks
1,bob@example.com,Bob,,6,1,2,1
2,amy@example.com,Amy,,6,1,1,1
2,zed@example.com,Zed,,6,1,1,1
EOF

# Hits keep arriving: the roll-up folds in only the new ones, and the
# result equals a roll-up rebuilt from nothing.
sql <<'EOF'
INSERT INTO hits (link_id, ts, kind, class, repeat, visitor) VALUES
 (1, 1793577600 + 50000, 'click', 'human', 0, x'7601'),
 (1, 1793577600 + 50001, 'click', 'human', 0, x'760a'),
 (3, 1793577600 + 86400 + 10, 'share', 'human', 0, x'5304'),
 (2, 1793577600 + 3*86400, 'click', 'human', 0, x'760b');
EOF
expect_status 0 $CHORUS report attribution
cp "$T/out" "$T/incremental.csv"
expect_grep '^2026-11-02,ana@example.com,.*,linkedin,1,2,5,3,2$' "$T/incremental.csv"
expect_grep '^2026-11-05,ana@example.com,.*,x,0,0,1,1,0$' "$T/incremental.csv"
sql "DELETE FROM report_link_day; UPDATE report_state SET last_hit = 0"
expect_status 0 $CHORUS report attribution
cmp -s "$T/incremental.csv" "$T/out" || fail "incremental roll-up differs from a rebuild"

# --excel: a byte-order mark and CRLF on every line.
expect_status 0 $CHORUS report posts --excel
head -c 3 "$T/out" | od -An -tx1 | grep -q 'ef bb bf' || fail "no BOM"
[ "$(grep -c $'\r$' "$T/out")" = "$(wc -l < "$T/out")" ] || fail "not CRLF"

# --out: written whole, atomically, nothing left beside it.
mkdir "$T/o"
expect_status 0 $CHORUS report employees
cp "$T/out" "$T/employees.csv"
expect_status 0 $CHORUS report employees --out "$T/o/emp.csv"
[ ! -s "$T/out" ] || fail "--out wrote to stdout too"
cmp -s "$T/o/emp.csv" "$T/employees.csv" || fail "--out content"
[ "$(ls -A "$T/o")" = "emp.csv" ] || fail "temporary left: $(ls -A "$T/o")"
# A write that fails half way (file size limit) leaves the old file as it
# was and no temporary.
echo old > "$T/o/emp.csv"
set +e
(trap '' XFSZ; ulimit -f 0; exec $CHORUS report employees --out "$T/o/emp.csv") 2>"$T/err"
st=$?
set -e
[ $st -eq 1 ] || { cat "$T/err" >&2; fail "failed write exited $st, want 1"; }
[ "$(cat "$T/o/emp.csv")" = old ] || fail "old file changed"
[ "$(ls -A "$T/o")" = "emp.csv" ] || fail "temporary left: $(ls -A "$T/o")"
# A directory that does not exist: exit 1, one line naming the file.
expect_status 1 $CHORUS report daily --out "$T/nodir/x.csv"
expect_grep "^chorus: .*nodir/x.csv" "$T/err"
# A directory: exit 1 at once, one line naming it, nothing left.
expect_status 1 $CHORUS report daily --out "$T/o"
expect_grep "^chorus: report: '.*/o' is a directory" "$T/err"
[ "$(ls -A "$T/o")" = "emp.csv" ] || fail "temporary left: $(ls -A "$T/o")"
# A name that is no file (a named pipe, /dev/stdout) is written as it
# is, and stays what it was: no file renamed over it.
mkfifo "$T/fifo"
timeout 30 cat "$T/fifo" > "$T/from_fifo" &
reader=$!
expect_status 0 $CHORUS report employees --out "$T/fifo"
wait $reader
[ -p "$T/fifo" ] || fail "the named pipe was replaced"
cmp -s "$T/from_fifo" "$T/employees.csv" || fail "--out to a pipe: content"
ln -s /dev/stdout "$T/stdout"
expect_status 0 $CHORUS report employees --out "$T/stdout"
[ -L "$T/stdout" ] || fail "the link to /dev/stdout was replaced"
cmp -s "$T/out" "$T/employees.csv" || fail "--out /dev/stdout: content"
# A link to a file not made yet stays a link, and the file is made where
# it points; one into a directory that does not exist fails, the link as
# it was.
mkdir "$T/sub"
ln -s sub/new.csv "$T/dangling"
expect_status 0 $CHORUS report employees --out "$T/dangling"
[ -L "$T/dangling" ] || fail "a dangling link was replaced"
cmp -s "$T/sub/new.csv" "$T/employees.csv" || fail "--out via a link: content"
ln -s nodir/x.csv "$T/nowhere"
expect_status 1 $CHORUS report employees --out "$T/nowhere"
[ -L "$T/nowhere" ] || fail "a link into nowhere was replaced"
expect_grep "^chorus: report: .*nodir/x.csv" "$T/err"
# A file replaced keeps its permissions.
chmod 0640 "$T/o/emp.csv"
expect_status 0 $CHORUS report employees --out "$T/o/emp.csv"
[ "$(stat -c %a "$T/o/emp.csv")" = 640 ] ||
    fail "--out changed the mode to $(stat -c %a "$T/o/emp.csv")"
# Never over the database: under its name, a link to it, its log, or a
# journal SQLite would take for its own (not there in WAL mode).
if [ "$STORE" = sqlite ]; then
	ln -s "$DB" "$T/dblink"
	for f in "$DB" "$T/dblink" "$DB-wal" "$DB-journal"; do
		expect_status 1 $CHORUS report daily --out "$f"
		expect_grep "^chorus: report: '.*': the database itself" "$T/err"
	done
	expect_status 0 $CHORUS status
	[ -L "$T/dblink" ] || fail "the link to the database was replaced"
fi

# The HTML page: self-contained (no script, no external asset), charts
# as inline SVG, every name escaped, the same totals as the CSV reports.
sql "UPDATE posts SET title = '<script>alert(1)</script>' WHERE id = 2"
expect_status 0 $CHORUS report html --out "$T/r.html"
h="$T/r.html"
head -c 15 "$h" | grep -qi '<!doctype html>' || fail "not an HTML page"
[ "$(grep -o '<svg' "$h" | wc -l)" -ge 4 ] || fail "charts missing"
for bad in '<script' ' src=' ' href=' 'url(' '@import' '<link' '<img'; do
	grep -qi -e "$bad" "$h" && fail "html has '$bad'"
done
expect_grep '&lt;script&gt;alert(1)&lt;/script&gt;' "$h"
expect_grep '=HYPERLINK(&quot;http://evil.example/&quot;)' "$h"
expect_grep '李小龙' "$h"
clicks=$(sum "$T/employees.csv" clicks)
grep -q "<b>$clicks</b><span>clicks</span>" "$h" || fail "html clicks total"
# Participation and fatigue by month, and the posts declined most: the
# program report's November, with one switch to weekly; P1 declined once
# of two suggestions.
grep -q "<tr><td>2026-11</td><td class='n'>3</td><td class='n'>3</td><td class='n'>100%</td><td class='n'>1</td><td class='n'>1</td><td class='n'>1</td><td class='n'>2</td></tr>" "$h" ||
	fail "html: November's participation and fatigue"
grep -q "<tr><td>Launch, &quot;big&quot; day</td><td class='n'>1</td><td class='n'>2</td><td class='n'>50%</td></tr>" "$h" ||
	fail "html: most declined posts"
# Axis ticks are whole steps: no label repeats or is cut (6 clicks a day
# at most: 0, 2, 4, 6, 8).
grep -o "text-anchor='end'>[0-9,]*<" "$h" | head -5 | tr -dc '0-9\n' | paste -sd, > "$T/ticks"
[ "$(cat "$T/ticks")" = "0,2,4,6,8" ] || fail "html y ticks: $(cat "$T/ticks")"
# Counts read as words: a day of one click is "1 click".
grep -q "<title>[0-9-]*: 1 click, 1 unique</title>" "$h" ||
    fail "html: no day of one click, or not \"1 click\""
expect_no_grep ": 1 clicks," "$h"
expect_status 64 $CHORUS report html --excel

# Exit statuses.
expect_status 64 $CHORUS report
expect_status 64 $CHORUS report nosuch
expect_grep "unknown report 'nosuch'" "$T/err"
expect_status 64 $CHORUS report daily --from 2026-02-30
expect_status 64 $CHORUS report daily --to yesterday
expect_status 64 $CHORUS report daily --from 1969-12-31
expect_grep "^chorus: report: --from '1969-12-31': before 1970-01-01" "$T/err"
expect_status 64 $CHORUS report daily --from 2026-11-03 --to 2026-11-02
expect_status 64 $CHORUS report daily extra
expect_status 64 $CHORUS report daily --bogus
expect_status 0 $CHORUS report --help
expect_status 1 env CHORUS_CHORUS_DATABASE="$(store_db none.db)" $CHORUS report daily
echo ok
