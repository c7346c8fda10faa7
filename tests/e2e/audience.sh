# Audience limits, end to end: posts.csv's audience is validated (a bad
# value refuses the whole file, one line per error), and a week of
# digests into the file outbox offers a limited post to exactly its limit
# of employees, never one twice, a percent taken of the eligible; the
# posts report's suggested column agrees with the outbox, the next
# limited post goes to those the last ones left out, and a new limit
# chooses again, keeping those offered already. The employees' own topics
# count: a follower of a role is eligible, a role muted is not.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

export CHORUS_CHORUS_DATABASE="$DB"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_SMTP_URL="file:$T/outbox"
export CHORUS_DIGEST_MAX_POSTS=5

# A week from ten days on (posts imported today start then).
DAYS=$(python3 -c '
import datetime as d
t = d.date.today() + d.timedelta(days=10)
print(" ".join(str(t + d.timedelta(days=i)) for i in range(9)))')
set -- $DAYS
FIRST=$1
LAST=$7
AFTER1=$8
AFTER2=$9
WEEK_ON=$(python3 -c '
import datetime as d
print(d.date.today() + d.timedelta(days=23))')
DAYS="$1 $2 $3 $4 $5 $6 $7"

# 30 in engineering (4 of them weekly, 2 paused), 10 in sales.
python3 -c '
print("email,name,roles,frequency")
for i in range(30):
    f = "weekly" if i < 4 else "paused" if i < 6 else "daily"
    print(f"eng{i:02d}@example.com,Engineer {i},engineering,{f}")
for i in range(10):
    print(f"sales{i:02d}@example.com,Seller {i},sales,daily")
' > employees.csv
{
	echo "id,title,url,roles,starts,expires,audience"
	echo "ten,Post Ten of everyone,https://example.com/ten,*,$FIRST,$LAST,10"
	echo "pct,Post Forty percent of engineering,https://example.com/pct,engineering,$FIRST,$LAST,40%"
	echo "all,Post For all,https://example.com/all,*,$FIRST,$LAST,"
	echo "full,Post Hundred percent,https://example.com/full,sales,$FIRST,$LAST,100%"
} > posts.csv

expect_status 0 "$CHORUS" init
expect_status 0 "$CHORUS" import employees employees.csv

# Bad values: each named with its line, nothing written.
{
	echo "id,title,url,audience"
	echo "a,A,https://example.com/a,0"
	echo "b,B,https://example.com/b,101%"
	echo "c,C,https://example.com/c,12.345%"
	echo "d,D,https://example.com/d,ten"
	echo "e,E,https://example.com/e,-5"
	echo "f,F,https://example.com/f,0%"
	echo "g,G,https://example.com/g,25"
} > bad.csv
expect_status 65 "$CHORUS" import posts bad.csv
expect_grep "bad.csv:2: audience: 0 employees" "$T/err"
expect_grep "bad.csv:3: audience: more than 100%" "$T/err"
expect_grep "bad.csv:4: audience: a percent has at most two decimals" "$T/err"
expect_grep "bad.csv:5: audience: not a count (25) or a percent (40%)" "$T/err"
expect_grep "bad.csv:6: audience: not a count" "$T/err"
expect_grep "bad.csv:7: audience: 0%" "$T/err"
[ "$(grep -c . "$T/err")" -eq 6 ] ||
	{ cat "$T/err" >&2; fail "not one line per bad value"; }
[ "$(sql 'SELECT count(*) FROM posts')" = 0 ] ||
	fail "a refused import wrote posts"

expect_status 0 "$CHORUS" import posts posts.csv
expect_grep "^posts: 4 added" "$T/out"
got=$(sql "SELECT ext_id, audience_count, audience_hundredths
    FROM posts ORDER BY ext_id" | tr '\n' ' ')
[ "$got" = "all|| full|| pct||4000 ten|10| " ] ||
	fail "audience not stored: $got"

# A preview writes nothing, not even the choice it makes to show one.
expect_status 0 "$CHORUS" digest preview eng10@example.com --date "$FIRST"
[ "$(sql 'SELECT count(*) FROM audience_choices')" = 0 ] ||
	fail "a preview recorded an audience"

for day in $DAYS; do
	expect_status 0 "$CHORUS" digest run --date "$day"
done

# Who was offered what, from the messages themselves.
python3 - "$T/outbox" > offered.txt <<'PY' || fail "outbox"
import collections, email, email.policy, glob, sys
seen = collections.defaultdict(set)
for path in glob.glob(sys.argv[1] + "/**/*.eml", recursive=True):
    msg = email.message_from_bytes(open(path, "rb").read(),
        policy=email.policy.default)
    text = msg.get_body(preferencelist=("plain",)).get_content()
    for post in ("Ten of everyone", "Forty percent of engineering",
                 "For all", "Hundred percent"):
        if "Post " + post in text:
            to = str(msg["To"])
            assert to not in seen[post], (post, to, "twice")
            seen[post].add(to)
for post in sorted(seen):
    print(f"{post}: {len(seen[post])}")
PY
# Eligible: the active, subscribed, unpaused employees of the roles (38
# of everyone, 28 engineers); 40% of 28 is 11.2, rounded down.
expect_grep "^Ten of everyone: 10$" offered.txt
expect_grep "^Forty percent of engineering: 11$" offered.txt
expect_grep "^For all: 38$" offered.txt
expect_grep "^Hundred percent: 10$" offered.txt
got=$(sql "SELECT p.ext_id, a.base, a.cap, a.chosen
    FROM audience_choices a JOIN posts p ON p.id = a.post_id
    ORDER BY p.ext_id" | tr '\n' ' ')
[ "$got" = "pct|28|11|11 ten|38|10|10 " ] || fail "choices: $got"

# The posts report counts the same.
expect_status 0 "$CHORUS" report posts
expect_grep "^ten,Post Ten of everyone,10," "$T/out"
expect_grep "^pct,Post Forty percent of engineering,11," "$T/out"

# The next limited post goes to those both left out: 38 - 10 - 11 = 17
# who were never chosen (pct chose among the engineers ten left out). A
# week long, so that it has a Monday for the weekly.
echo "id,title,url,roles,starts,expires,audience
next,Post Next,https://example.com/next,*,$AFTER1,$WEEK_ON,17" > more.csv
expect_status 0 "$CHORUS" import posts more.csv
expect_status 0 "$CHORUS" digest run --date "$AFTER1"
again=$(sql "SELECT count(*) FROM audience_members m
    JOIN posts p ON p.id = m.post_id AND p.ext_id = 'next'
    WHERE m.employee_id IN (SELECT m2.employee_id FROM audience_members m2
    JOIN posts p2 ON p2.id = m2.post_id AND p2.ext_id <> 'next')")
[ "$again" = 0 ] ||
	fail "next went again to $again of those chosen before"
[ "$(sql "SELECT chosen FROM audience_choices a JOIN posts p
    ON p.id = a.post_id WHERE p.ext_id = 'next'")" = 17 ] ||
	fail "next did not choose 17"

# Changing the limit chooses again, keeping those offered already.
sed -i "s/,$LAST,10\$/,$AFTER2,12/" posts.csv
expect_status 0 "$CHORUS" import posts posts.csv
expect_grep "^posts: 0 added, 1 updated" "$T/out"
[ "$(sql "SELECT count(*) FROM audience_choices a JOIN posts p
    ON p.id = a.post_id WHERE p.ext_id = 'ten'")" = 0 ] ||
	fail "a new limit kept the old choice"
expect_status 0 "$CHORUS" digest run --date "$AFTER2"
got=$(sql "SELECT a.cap, a.chosen, (SELECT count(*) FROM
    audience_members m JOIN suggestions s ON s.employee_id = m.employee_id
    AND s.post_id = m.post_id WHERE m.post_id = p.id)
    FROM audience_choices a JOIN posts p ON p.id = a.post_id
    WHERE p.ext_id = 'ten'")
[ "$got" = "12|12|12" ] || fail "the new choice of ten: $got"
[ "$(sql "SELECT count(*) FROM suggestions s JOIN posts p
    ON p.id = s.post_id WHERE p.ext_id = 'ten'")" = 12 ] ||
	fail "ten offered past its new limit"

# Topics chosen on the preferences page: two employees follow design (no
# one's role in HR's file), and a seller mutes sales.
sql "INSERT INTO employee_topics (employee_id, role, choice)
    SELECT id, 'design', 'follow' FROM employees
    WHERE email IN ('eng10@example.com', 'sales01@example.com');
    INSERT INTO employee_topics (employee_id, role, choice)
    SELECT id, 'sales', 'mute' FROM employees
    WHERE email = 'sales00@example.com'"
echo "id,title,url,roles,starts,expires,audience
design,Post Design,https://example.com/design,design,$WEEK_ON,$WEEK_ON,5
half,Post Half of sales,https://example.com/half,sales,$WEEK_ON,$WEEK_ON,50%" > topics.csv
expect_status 0 "$CHORUS" import posts topics.csv
expect_status 0 "$CHORUS" digest run --date "$WEEK_ON"
got=$(sql "SELECT p.ext_id || ':' || a.base || ':' || a.chosen
    FROM audience_choices a JOIN posts p ON p.id = a.post_id
    WHERE p.ext_id IN ('design', 'half') ORDER BY p.ext_id")
[ "$got" = "design:2:2
half:9:4" ] || fail "topics in the audience choice: $got"
got=$(sql "SELECT e.email FROM audience_members m
    JOIN posts p ON p.id = m.post_id JOIN employees e ON e.id = m.employee_id
    WHERE p.ext_id = 'design'" | LC_ALL=C sort | paste -sd' ')
[ "$got" = "eng10@example.com sales01@example.com" ] ||
	fail "design's audience: $got"
[ "$(sql "SELECT count(*) FROM audience_members m
    JOIN posts p ON p.id = m.post_id JOIN employees e ON e.id = m.employee_id
    WHERE p.ext_id = 'half' AND e.email = 'sales00@example.com'")" = 0 ] ||
	fail "half chose the seller who muted sales"
