#!/bin/bash
# chorus import on PostgreSQL: the same files imported into an SQLite
# store and into a private PostgreSQL server print the same summary and
# error lines and leave the same rows (random tokens, ids and times
# aside): a first import, one with audience limits, a re-import with
# changes (an email in other case is the same employee), a prune, the
# employees' own choices kept aside, an audience chosen forgotten when its
# limit changes, and bad files refused whole with nothing written. Two
# imports at once on PostgreSQL wait for each other.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/pg.inc"

pg_start
LITE="$T/lite.db"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
lite() { "$CHORUS" --db "$LITE" "$@"; }
pg() { "$CHORUS" --db "$PG_URI" "$@"; }
lite_sql() { sqlite3 "$LITE" "$1"; }

# The rows of the tables an import writes, one normal form for both
# stores (no boolean in a result: psql would print t/f), sorted here
# rather than by either store's collation. No timestamps: the two stores'
# imports run in different seconds (the summary lines say what changed).
TABLES="
SELECT 'e', email, name, coalesce(timezone, '-'), coalesce(send_time, '-'),
    networks, frequency, active, own_fields,
    length(unsub_token), length(pref_token)
    FROM employees;
SELECT 'er', e.email, r.role FROM employee_roles r
    JOIN employees e ON e.id = r.employee_id;
SELECT 'p', ext_id, title, url, summary, text, coalesce(text_linkedin, '-'),
    coalesce(text_x, '-'), coalesce(text_facebook, '-'),
    coalesce(starts, '-'), coalesce(expires, '-'), priority, everyone,
    coalesce(audience_count, -1), coalesce(audience_hundredths, -1)
    FROM posts;
SELECT 'pr', p.ext_id, r.role FROM post_roles r JOIN posts p ON p.id = r.post_id;
SELECT 'ac', p.ext_id, a.chosen FROM audience_choices a
    JOIN posts p ON p.id = a.post_id;
SELECT 'am', p.ext_id, count(*) FROM audience_members m
    JOIN audience_choices a ON a.id = m.choice_id
    JOIN posts p ON p.id = a.post_id GROUP BY p.ext_id;
"
# rows STORE: every query of TABLES on one store (psql -c prints only the
# last result of several), sorted.
rows() {
	echo "$TABLES" | awk -v RS=';' 'NF { print $0 ";" > (dir "/q" NR) }' \
	    dir="$T"
	for f in "$T"/q[0-9]*; do
		if [ "$1" = lite ]; then
			lite_sql "$(cat "$f")"
		else
			pg_sql "$(cat "$f")"
		fi
	done | LC_ALL=C sort
	rm -f "$T"/q[0-9]*
}
tables() {
	rows lite >"$T/lite.rows"
	rows pg >"$T/pg.rows"
	diff "$T/lite.rows" "$T/pg.rows" >&2 ||
	    fail "$1: the stores' rows differ"
}

# both STATUS import ARGS...: the same import on each store, the same
# status, stdout and stderr, then the same rows.
both() {
	want=$1
	shift
	expect_status "$want" lite "$@"
	cp "$T/out" "$T/lite.out"
	cp "$T/err" "$T/lite.err"
	expect_status "$want" pg "$@"
	cmp -s "$T/lite.out" "$T/out" ||
	    { diff "$T/lite.out" "$T/out" >&2; fail "$*: stdout differs"; }
	cmp -s "$T/lite.err" "$T/err" ||
	    { diff "$T/lite.err" "$T/err" >&2; fail "$*: stderr differs"; }
	tables "$*"
	[ "$want" -ne 0 ] || echo "$(cat "$T/out")"
}

# Both stores the same: a set-up statement run on each.
both_sql() {
	lite_sql "$1" >/dev/null
	"$PSQL" -X -q -v ON_ERROR_STOP=1 "$PG_URI" -c "$1" >/dev/null
}

expect_status 0 lite init
expect_status 0 pg init

# --- First imports, then the same files again: nothing changes.
both 0 import employees "$CHORUS_SRC/examples/employees.csv"
expect_grep "^employees: [1-9][0-9]* added, 0 updated" "$T/out"
both 0 import posts "$CHORUS_SRC/examples/posts.csv"
expect_grep "^posts: [1-9][0-9]* added, 0 updated" "$T/out"
both 0 import posts "$DATA/import/posts_audience.csv"
expect_grep "^posts: 3 added" "$T/out"
both 0 import employees "$CHORUS_SRC/examples/employees.csv"
expect_grep "^employees: 0 added, 0 updated, [1-9][0-9]* unchanged" "$T/out"
both 0 import posts "$CHORUS_SRC/examples/posts.csv"
expect_grep "^posts: 0 added, 0 updated, [1-9][0-9]* unchanged" "$T/out"

# --- Own choices kept aside: Ada chose weekly and LinkedIn alone, Grace
# her time zone; HR's file says otherwise.
both_sql "UPDATE employees SET frequency = 'weekly', networks = 1,
    own_fields = 3 WHERE email = 'ada.lovelace@example.com';
    UPDATE employees SET timezone = 'Asia/Tokyo', own_fields = 4
    WHERE email = 'grace.hopper@example.com'"
sed -e 's/^ada.lovelace@example.com,Ada Lovelace,/ADA.Lovelace@Example.com,Ada King,/' \
    -e 's/,America\/New_York,07:30,/,America\/Chicago,07:30,/' \
    -e 's/^zoe.mueller@example.com,\(.*\),daily$/zoe.mueller@example.com,\1,paused/' \
    "$CHORUS_SRC/examples/employees.csv" >"$T/changed.csv"
cmp -s "$T/changed.csv" "$CHORUS_SRC/examples/employees.csv" &&
    fail "changed.csv is the same file"
both 0 import employees "$T/changed.csv"
expect_grep "^employees: 0 added, 2 updated, .*, 2 kept" "$T/out"
[ "$(pg_sql "SELECT email, name, frequency, networks FROM employees
    WHERE email = 'ada.lovelace@example.com'")" = \
    "ADA.Lovelace@Example.com|Ada King|weekly|1" ] ||
    fail "Ada's own choices not kept on PostgreSQL"
[ "$(pg_sql "SELECT timezone FROM employees
    WHERE email = 'GRACE.HOPPER@example.com'")" = "Asia/Tokyo" ] ||
    fail "Grace's time zone not kept on PostgreSQL"
[ "$(lite_sql "SELECT count(*) FROM employees")" = \
    "$(pg_sql "SELECT count(*) FROM employees")" ] || fail "counts differ"

# --- An audience chosen is forgotten when its limit changes, kept when
# only the text does (digest run writes these; here by SQL).
for p in limited-count limited-pct; do
	both_sql "INSERT INTO audience_choices (post_id, local_date, base, cap,
	    chosen, created_at) SELECT id, '2026-01-05', 40, 20, 20, 1
	    FROM posts WHERE ext_id = '$p';
	INSERT INTO audience_members (choice_id, post_id, employee_id, seq)
	    SELECT a.id, a.post_id, e.id, 1 FROM audience_choices a, employees e
	    WHERE a.post_id = (SELECT id FROM posts WHERE ext_id = '$p')"
done
sed -e 's/,3,20$/,3,25/' -e 's/Shared by a third\./Shared by one in three./' \
    "$DATA/import/posts_audience.csv" >"$T/audience2.csv"
both 0 import posts "$T/audience2.csv"
expect_grep "^posts: 0 added, 2 updated, 1 unchanged" "$T/out"
[ "$(pg_sql "SELECT p.ext_id FROM audience_choices a
    JOIN posts p ON p.id = a.post_id")" = limited-pct ] ||
    fail "PostgreSQL: the changed limit's audience is not forgotten"

# --- A prune: the employees missing from the file are deactivated.
head -n 3 "$CHORUS_SRC/examples/employees.csv" >"$T/two.csv"
both 0 import employees --prune "$T/two.csv"
expect_grep " [1-9][0-9]* deactivated" "$T/out"
[ "$(pg_sql "SELECT count(*) FROM employees WHERE active = 1")" = 2 ] ||
    fail "PostgreSQL: prune left other than two active"
both 0 import employees "$CHORUS_SRC/examples/employees.csv"

# --- Bad files: refused whole, the same lines, nothing written. A good
# row comes first in each, so a half-done import would show.
rows pg >"$T/pg.before"
for f in bad_email.csv bad_tz.csv many_errors.csv latin1.csv; do
	both 65 import employees "$DATA/import/$f"
	expect_grep "^chorus: .*$f:[0-9]*: " "$T/err"
done
for f in js_url.csv bad_date.csv crlf_url.csv; do
	both 65 import posts "$DATA/import/$f"
	expect_grep "^chorus: .*$f:[0-9]*: [a-z_]*: " "$T/err"
done
{
	echo "email,name,roles"
	echo "new.person@example.com,New Person,sales"
	echo "NEW.PERSON@example.com,New Again,sales"
} >"$T/dup.csv"
both 65 import employees "$T/dup.csv"
expect_grep "dup.csv:3: email: duplicate of line 2" "$T/err"
rows pg >"$T/pg.after"
cmp -s "$T/pg.before" "$T/pg.after" ||
    fail "PostgreSQL: a refused file changed the database"
[ "$(pg_sql "SELECT count(*) FROM employees
    WHERE email = 'new.person@example.com'")" = 0 ] || fail "half-done"

# --- Two imports of the same new posts at once: the second waits for the
# first (its lock), then finds every post there; neither fails on the
# other's rows.
python3 -c '
print("id,title,url,roles")
for i in range(3000):
    print(f"bulk{i},Bulk post {i},https://example.com/bulk/{i},sales")
' >"$T/bulk.csv"
pg import posts "$T/bulk.csv" >"$T/bulk1.out" 2>"$T/bulk1.err" &
b1=$!
pg import posts "$T/bulk.csv" >"$T/bulk2.out" 2>"$T/bulk2.err" &
b2=$!
wait "$b1" || { cat "$T/bulk1.err" >&2; fail "first concurrent import"; }
wait "$b2" || { cat "$T/bulk2.err" >&2; fail "second concurrent import"; }
sort "$T/bulk1.out" "$T/bulk2.out" | tr '\n' ';' >"$T/bulk.out"
[ "$(cat "$T/bulk.out")" = "posts: 0 added, 0 updated, 3000 unchanged, 0 deactivated;posts: 3000 added, 0 updated, 0 unchanged, 0 deactivated;" ] ||
    fail "concurrent imports: $(cat "$T/bulk.out")"

echo "pg_import: ok"
