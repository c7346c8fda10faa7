#!/bin/bash
# The reports inside a digest: a Monday digest carries last week's team
# highlights (top posts, first names and roles, the team's total) and never
# another person's address, surname or personal figures.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

export CHORUS_CHORUS_DATABASE="$DB"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
$CHORUS init >/dev/null
store_load "$DATA/report/fixture.sql"
# Move the fixture's day A (a Monday) to last week's Monday, so this
# week's Monday digest reports on it; every post is for everyone.
monday=$(python3 -c 'import datetime as d
t = d.datetime.now(d.timezone.utc).date()
print((t - d.timedelta(days=t.weekday())).isoformat())')
shift=$(python3 -c "import datetime as d
m = d.date.fromisoformat('$monday') - d.timedelta(days=7)
print(int(d.datetime(m.year, m.month, m.day, tzinfo=d.timezone.utc).timestamp()) - 1793577600)")
sql "UPDATE hits SET ts = ts + $shift; UPDATE posts SET everyone = 1"
# A preview reads the store read-only: it shows what the reports' roll-up
# holds, so fold the hits in first (a digest run does it itself).
expect_status 0 $CHORUS report daily

expect_status 0 $CHORUS digest preview quiet@example.com --date "$monday" \
    --format text
cp "$T/out" "$T/digest.txt"
expect_grep 'LAST WEEK ACROSS THE TEAM' "$T/digest.txt"
expect_grep 'brought 11 clicks' "$T/digest.txt"
expect_grep '^- Ana, engineering$' "$T/digest.txt"
expect_grep '^- 李小龙, sales$' "$T/digest.txt"
for other in ana@example.com li@example.com eve@example.com \
    gone@example.com 'María' 'López' 'Gone Away'; do
	expect_no_grep "$other" "$T/digest.txt"
done
# The only figures in the team block are the team's and the posts' totals.
sed -n '/LAST WEEK ACROSS THE TEAM/,/^-----/p' "$T/digest.txt" |
    grep -o '[0-9][0-9]*' | sort -u > "$T/numbers"
printf '11\n3\n8\n' | sort > "$T/allowed"
cmp -s "$T/numbers" "$T/allowed" || {
	cat "$T/numbers" >&2
	fail "figures other than the team's and the posts' totals"
}
# The employee's own block speaks of the employee only.
expect_grep 'YOUR LAST SEVEN DAYS' "$T/digest.txt"

# Each part can be turned off.
CHORUS_DIGEST_HIGHLIGHTS=no expect_status 0 $CHORUS digest preview \
    quiet@example.com --date "$monday" --format text
expect_no_grep 'LAST WEEK ACROSS THE TEAM' "$T/out"
CHORUS_DIGEST_RESULTS=no expect_status 0 $CHORUS digest preview \
    quiet@example.com --date "$monday" --format text
expect_no_grep 'YOUR LAST SEVEN DAYS' "$T/out"
expect_grep 'LAST WEEK ACROSS THE TEAM' "$T/out"
echo ok
