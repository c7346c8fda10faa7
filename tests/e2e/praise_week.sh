#!/bin/bash
# Praise that arrives: a week of digests with a fixed clock. On the first
# digest day of a week, an employee with nothing new but clicks last week
# gets a "your week" digest (results, no posts); everyone else with nothing
# new is skipped, and nobody gets two emails a day. The results box counts
# the seven days before the digest's own date, however late it is composed.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

export CHORUS_CHORUS_DATABASE="$DB"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_SMTP_URL="file:$T/outbox"
$CHORUS init >/dev/null
ts() {
	date -u -d "$1" +%s
}
state() {
	sql "SELECT coalesce((SELECT state FROM ledger WHERE employee_id = $1
	    AND local_date = '$2'), 'none')"
}
# day NAME ARGS...: one digest run; its messages move to $T/NAME.
day() {
	name=$1
	shift
	expect_status 0 "$CHORUS" digest run "$@"
	mkdir -p "$T/$name"
	find "$T/outbox" -name '*.eml' -exec mv {} "$T/$name/" \; 2>/dev/null ||
	    true
}
count() {
	find "$T/$1" -name '*.eml' | wc -l
}
# The message of employee N in directory D.
msg_of() {
	grep -l "^To: .*<e$2@example.com>" "$T/$1"/*.eml
}

# e1 daily, clicks last week; e2 daily, none; e3 paused on Monday, daily
# again from Tuesday, clicks last week; e4 weekly, clicks last week.
{
	echo "BEGIN;"
	for i in 1 2 3 4; do
		f=daily
		[ $i -eq 4 ] && f=weekly
		echo "INSERT INTO employees (email, name, frequency,"\
		    "unsub_token, pref_token, created_at, updated_at) VALUES"\
		    "('e$i@example.com', 'Employee $i', '$f', 'u-$i', 'p-$i',"\
		    "0, 0);"
		echo "INSERT INTO employee_roles VALUES ($i, 'staff');"
	done
	echo "INSERT INTO posts (ext_id, title, url, text, everyone,"\
	    "created_at, updated_at) VALUES ('p1', 'Post one',"\
	    "'https://example.com/1', 'Read this', 1, 0, 0);"
	echo "COMMIT;"
} | sql

# Monday 2026-11-23: everyone gets the one post.
day w1 --date 2026-11-23 --now 2026-11-23T09:00:00Z
[ "$(count w1)" -eq 4 ] || fail "week 1: $(count w1) digests, want 4"

# Clicks, one visitor each: e1 three on Tuesday 24th, one on Monday 30th
# and one on Tuesday 1st (outside the window of Monday 30th's digest);
# e3 one on the 26th, e4 one on the 25th.
hit() {
	sql "INSERT INTO hits (link_id, ts, kind, class, repeat, visitor)
	    VALUES ((SELECT min(id) FROM links WHERE employee_id = $1),
	    $(ts "$2"), 'click', 'human', 0, x'$3')"
}
hit 1 2026-11-24T10:00:00Z 01
hit 1 2026-11-24T11:00:00Z 02
hit 1 2026-11-24T12:00:00Z 03
hit 1 2026-11-30T12:00:00Z 04
hit 1 2026-12-01T12:00:00Z 05
hit 3 2026-11-26T12:00:00Z 06
hit 4 2026-11-25T12:00:00Z 07
sql "UPDATE employees SET frequency = 'paused' WHERE id = 3"
# e1's October, inside the tips' eight weeks but not last week: five
# days with a LinkedIn share and four people each, five with an X share
# and one person each. With the three clicks of the 24th (on e1's
# LinkedIn link), a network tip: 23 people from 5 shares, 4.6 per share,
# against 1.0 on X.
share() {
	sql "INSERT INTO hits (link_id, ts, kind, class, repeat, visitor)
	    VALUES ((SELECT id FROM links WHERE employee_id = 1 AND
	    network = '$1'), $(ts "$2"), 'share', 'human', 0, x'aa')"
	v=0
	while [ $v -lt "$3" ]; do
		sql "INSERT INTO hits (link_id, ts, kind, class, repeat,
		    visitor) VALUES ((SELECT id FROM links WHERE
		    employee_id = 1 AND network = '$1'), $(ts "$2") + 60,
		    'click', 'human', 0, x'b$v')"
		v=$((v + 1))
	done
}
for d in 05 07 09 12 14; do
	share linkedin "2026-10-${d}T10:00:00Z" 4
	share x "2026-10-${d}T11:00:00Z" 1
done

# Monday 30th, no new post, composed two days late: e1 and e4 get "your
# week", e2 (nothing) is skipped, e3 is paused.
day mon --date 2026-11-30 --now 2026-12-02T12:00:00Z
[ "$(count mon)" -eq 2 ] || fail "Monday: $(count mon) digests, want 2"
[ "$(state 2 2026-11-30)" = skipped ] || fail "e2 not skipped on Monday"
[ "$(state 3 2026-11-30)" = none ] || fail "e3 has a Monday row"
python3 "$CHORUS_SRC/tests/e2e/mailcheck.py" "$DB" "$T"/mon/*.eml \
    >"$T/check" || { cat "$T/check" >&2; fail "mailcheck"; }
m=$(msg_of mon 1)
msg_of mon 4 >/dev/null || fail "no your-week digest for weekly e4"
python3 - "$m" >"$T/e1.txt" <<'PY'
import email, email.policy, sys
msg = email.message_from_bytes(open(sys.argv[1], 'rb').read(),
                               policy=email.policy.strict)
print('Subject:', msg['Subject'])
for part in msg.iter_parts():
    print(part.get_content().replace('\r\n', '\n'))
PY
expect_grep '^Subject: Your week: thank you for sharing, Employee$' "$T/e1.txt"
expect_grep '^Your week: no new posts' "$T/e1.txt"
expect_grep 'what your shares brought in the last seven days' "$T/e1.txt"
# The seven days before the 30th: the three clicks of the 24th, not those
# of the 30th or the 1st (the clock says the 2nd).
expect_grep '^Clicks on your links: 3$' "$T/e1.txt"
expect_grep '^Tip: your shares on LinkedIn reach the most people, 4.6$' \
    "$T/e1.txt"
expect_grep '^per share against 1.0 on X (last eight weeks).$' "$T/e1.txt"
expect_grep '<strong>Tip:</strong> your shares on LinkedIn reach the most people, 4.6 per share against 1.0 on X' "$T/e1.txt"
expect_grep '>3</strong> clicks on your links' "$T/e1.txt"
expect_grep '^http://127.0.0.1:8080/p/p-1$' "$T/e1.txt"
expect_grep '^http://127.0.0.1:8080/u/u-1$' "$T/e1.txt"
expect_no_grep 'Read the post' "$T/e1.txt"
expect_no_grep 'Copy this text' "$T/e1.txt"
expect_no_grep '/s/' "$T/e1.txt"
expect_no_grep '/n/' "$T/e1.txt"

# Monday again: never two emails a day.
day mon2 --date 2026-11-30 --now 2026-12-02T13:00:00Z
[ "$(count mon2)" -eq 0 ] || fail "a second email on Monday"

# The daily report counts the "your week" digests as sent.
expect_status 0 "$CHORUS" report daily --from 2026-12-02 --to 2026-12-02
expect_grep '^2026-12-02,2,1,0,' "$T/out"

# Tuesday: e1 has clicks in its seven days, but Monday was its first
# digest day; e2 has nothing; e3, paused on Monday, has its first digest
# day of the week now and gets its "your week"; e4 is weekly.
sql "UPDATE employees SET frequency = 'daily' WHERE id = 3"
day tue --date 2026-12-01 --now 2026-12-01T09:00:00Z
[ "$(state 1 2026-12-01)" = skipped ] || fail "e1 not skipped on Tuesday"
[ "$(state 2 2026-12-01)" = skipped ] || fail "e2 not skipped on Tuesday"
[ "$(state 3 2026-12-01)" = sent ] || fail "e3 not sent on Tuesday"
[ "$(count tue)" -eq 1 ] || fail "Tuesday: $(count tue) digests, want 1"
msg_of tue 3 >/dev/null || fail "Tuesday's digest is not e3's"
python3 "$CHORUS_SRC/tests/e2e/mailcheck.py" "$DB" "$T"/tue/*.eml \
    >"$T/check" || { cat "$T/check" >&2; fail "mailcheck"; }

# Wednesday: nothing new for anyone, and nobody's first digest day.
day wed --date 2026-12-02 --now 2026-12-02T09:00:00Z
[ "$(count wed)" -eq 0 ] || fail "Wednesday: $(count wed) digests"
[ "$(state 3 2026-12-02)" = skipped ] || fail "e3 not skipped on Wednesday"

# The preview shows a planned "your week" digest as it was sent.
expect_status 0 "$CHORUS" digest preview e1@example.com --date 2026-11-30 \
    --format text
expect_grep '^Clicks on your links: 3$' "$T/out"
expect_grep '^Your week: no new posts' "$T/out"
echo ok
