# End to end: chorus init and chorus import against a real store.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
c() { "$CHORUS" --db "$DB" "$@"; }
dump() { store_dump "$1"; }

# init creates, and a second init changes nothing.
expect_status 0 c init
expect_grep "created at schema version" "$T/out"
dump "$T/d0"
expect_status 0 c init
expect_grep "nothing to do" "$T/out"
dump "$T/d1"
cmp -s "$T/d0" "$T/d1" || fail "second init changed the database"

# Good imports, then a re-import that changes nothing.
expect_status 0 c import employees "$CHORUS_SRC/examples/employees.csv"
expect_grep "^employees: 36 added, 0 updated, 0 unchanged, 0 deactivated, 0 kept the employee's own choice$" "$T/out"
expect_status 0 c import posts "$CHORUS_SRC/examples/posts.csv"
expect_grep "^posts: 12 added, 0 updated, 0 unchanged, 0 deactivated$" "$T/out"
dump "$T/d2"
expect_status 0 c import employees "$CHORUS_SRC/examples/employees.csv"
expect_grep "^employees: 0 added, 0 updated, 36 unchanged, 0 deactivated, 0 kept the employee's own choice$" "$T/out"
expect_status 0 c import posts "$CHORUS_SRC/examples/posts.csv"
expect_grep "^posts: 0 added, 0 updated, 12 unchanged, 0 deactivated$" "$T/out"
dump "$T/d3"
cmp -s "$T/d2" "$T/d3" || fail "an unchanged re-import wrote to the database"

# Values as stored: names in UTF-8, roles split, defaults as NULL, masks.
[ "$(sql "SELECT name FROM employees WHERE email='taro.yamada@example.com'")" = "山田 太郎" ] ||
	fail "UTF-8 name not stored as given"
[ "$(sql "SELECT role FROM employee_roles r JOIN employees e ON e.id = r.employee_id WHERE e.email = 'ada.lovelace@example.com'" | LC_ALL=C sort | paste -sd';')" = "engineering;leadership" ] ||
	fail "roles not stored"
[ "$(sql "SELECT networks, frequency, timezone FROM employees WHERE email='grace.hopper@example.com'")" = "3|daily|America/New_York" ] ||
	fail "networks/frequency/timezone not stored"
[ "$(sql "SELECT CASE WHEN send_time IS NULL THEN 1 ELSE 0 END FROM employees WHERE email='chloe.dubois@example.com'")" = "1" ] ||
	fail "empty send_time not stored as the default"
[ "$(sql "SELECT everyone FROM posts WHERE ext_id='2026-launch'")" = "1" ] ||
	fail "roles '*' is not everyone"
[ "$(sql "SELECT length(unsub_token), length(pref_token), CASE WHEN unsub_token <> pref_token THEN 1 ELSE 0 END FROM employees LIMIT 1")" = "36|36|1" ] ||
	fail "tokens missing"

# Update by case-insensitive email from stdin, with an unknown column.
printf 'EMAIL,name,roles,shoe_size\nADA.LOVELACE@example.com,Ada King,engineering;leadership,38\n' |
	expect_status 0 c import employees -
expect_grep "^employees: 0 added, 1 updated, 0 unchanged, 0 deactivated, 0 kept the employee's own choice$" "$T/out"
expect_grep "stdin:1: warning: unknown column 'shoe_size' ignored" "$T/err"
[ "$(sql "SELECT name FROM employees WHERE email='ADA.LOVELACE@example.com'")" = "Ada King" ] ||
	fail "update by case-insensitive email failed"
[ "$(sql "SELECT count(*) FROM employees")" = "36" ] ||
	fail "case-insensitive email made a new employee"

# The settings the employee chose themselves (own_fields: 1 frequency,
# 2 networks, 4 timezone, 8 send_time) survive a later import of the HR
# file, and the summary counts the rows where HR's value was set aside;
# other columns, and the fields the employee left alone, still update.
sql "UPDATE employees SET frequency = 'paused', networks = 4,
    timezone = 'Asia/Tokyo', own_fields = 7
    WHERE email = 'grace.hopper@example.com'"
sed -e 's/^grace.hopper@example.com,Grace Hopper,\(.*\),07:30,/grace.hopper@example.com,Grace B. Hopper,\1,06:45,/' \
	"$CHORUS_SRC/examples/employees.csv" > "$T/renamed.csv"
expect_status 0 c import employees "$T/renamed.csv"
expect_grep "^employees: 0 added, 2 updated, 34 unchanged, 0 deactivated, 1 kept the employee's own choice$" "$T/out"
[ "$(sql "SELECT name, frequency, networks, timezone, send_time FROM employees WHERE email='grace.hopper@example.com'")" = "Grace B. Hopper|paused|4|Asia/Tokyo|06:45" ] ||
	fail "an import undid the employee's own preferences"
# HR's file again: still set aside (counted again), nothing written.
dump "$T/d4"
expect_status 0 c import employees "$T/renamed.csv"
expect_grep "^employees: 0 added, 0 updated, 36 unchanged, 0 deactivated, 1 kept the employee's own choice$" "$T/out"
dump "$T/d5"
cmp -s "$T/d4" "$T/d5" || fail "a re-import over the employee's choices wrote"
# HR agreeing with the employee's choice sets nothing aside.
sed -e 's/^grace.hopper@example.com,Grace B. Hopper,engineering,America\/New_York,06:45,linkedin;x,daily$/grace.hopper@example.com,Grace B. Hopper,engineering,Asia\/Tokyo,06:45,facebook,paused/' \
	"$T/renamed.csv" > "$T/agree.csv"
cmp -s "$T/renamed.csv" "$T/agree.csv" && fail "agree.csv is the same file"
expect_status 0 c import employees "$T/agree.csv"
expect_grep "^employees: 0 added, 0 updated, 36 unchanged, 0 deactivated, 0 kept the employee's own choice$" "$T/out"
# Each field counts alone: HR differing on the networks only.
sed -e 's/,facebook,paused$/,linkedin,paused/' "$T/agree.csv" > "$T/nets.csv"
expect_status 0 c import employees "$T/nets.csv"
expect_grep "^employees: 0 added, 0 updated, 36 unchanged, 0 deactivated, 1 kept the employee's own choice$" "$T/out"

# --prune deactivates the missing and keeps their rows; importing them
# again brings them back.
head -n 3 "$CHORUS_SRC/examples/employees.csv" > "$T/two.csv"
expect_status 0 c import employees --prune "$T/two.csv"
expect_grep "deactivated" "$T/out"
expect_grep " 34 deactivated, 1 kept the employee's own choice$" "$T/out"
[ "$(sql "SELECT count(*), sum(active) FROM employees")" = "36|2" ] ||
	fail "prune did not keep history"
expect_status 0 c import employees "$CHORUS_SRC/examples/employees.csv"
expect_grep "34 updated" "$T/out"

# Malformed files: refused whole, exit 65, FILE:LINE: column: reason,
# and the database is exactly as before.
refuse() {
	kind=$1 file=$2 where=$3
	dump "$T/before"
	expect_status 65 c import "$kind" "$DATA/import/$file"
	expect_grep "^chorus: .*$file:$where" "$T/err"
	dump "$T/after"
	cmp -s "$T/before" "$T/after" || fail "$file changed the database"
}
refuse employees bad_quote.csv "3: unterminated"
refuse employees bad_email.csv "3: email: "
refuse employees bad_tz.csv "3: timezone: unknown time zone"
refuse employees bad_time.csv "3: send_time: "
refuse posts js_url.csv "3: url: not an absolute http or https URL"
refuse posts bad_date.csv "3: starts: no such date"
refuse posts crlf_url.csv "3: url: line breaks are not allowed"
refuse employees header_injection.csv "2: name: line breaks are not allowed"
refuse employees missing_roles.csv "1: roles: required column missing"
refuse employees many_errors.csv "3: roles: required"
expect_grep "many_errors.csv:4: email: duplicate of line 2" "$T/err"
expect_grep "many_errors.csv:5: 4 fields, but the header has 3" "$T/err"
[ "$(grep -c '^chorus: ' "$T/err")" -eq 3 ] || fail "not every error reported"

# Text in another encoding than UTF-8 is named, on its line and column.
refuse employees utf16le_bom.csv "1: UTF-16 text, not UTF-8"
refuse employees utf16le.csv "1: UTF-16 text, not UTF-8"
refuse employees utf16be.csv "1: UTF-16 text, not UTF-8"
refuse employees latin1.csv "3: name: not UTF-8 (Latin-1 or Windows-1252?)$"
[ "$(grep -c '^chorus: ' "$T/err")" -eq 1 ] || fail "latin1.csv: one error, one line"

# 4,000 bad rows: the first 50 errors, then one line counting the rest.
{
	echo "email,name,roles"
	i=0
	while [ $i -lt 4000 ]; do echo "bad$i,Bad,eng"; i=$((i + 1)); done
} > "$T/bad4000.csv"
dump "$T/before"
expect_status 65 c import employees "$T/bad4000.csv"
dump "$T/after"
cmp -s "$T/before" "$T/after" || fail "bad4000.csv changed the database"
[ "$(wc -l < "$T/err")" -eq 51 ] || fail "not 51 lines for 4,000 errors"
[ "$(grep -c "^chorus: $T/bad4000.csv:[0-9]*: email: " "$T/err")" -eq 50 ] ||
	fail "not 50 error lines"
expect_grep "^chorus: $T/bad4000.csv:51: email: " "$T/err"
[ "$(tail -n 1 "$T/err")" = "chorus: $T/bad4000.csv: ... and 3950 more errors" ] ||
	fail "no count of the errors not shown"
# 51 errors: 50 lines, then "1 more error".
head -n 52 "$T/bad4000.csv" > "$T/bad51.csv"
expect_status 65 c import employees "$T/bad51.csv"
[ "$(tail -n 1 "$T/err")" = "chorus: $T/bad51.csv: ... and 1 more error" ] ||
	fail "51 errors not counted"
head -n 51 "$T/bad4000.csv" > "$T/bad50.csv"
expect_status 65 c import employees "$T/bad50.csv"
[ "$(wc -l < "$T/err")" -eq 50 ] || fail "50 errors not shown as 50 lines"

# A FIFO with no writer, a device or a directory is refused at once, never
# waited on; standard input from a pipe still works.
mkfifo "$T/fifo"
dump "$T/before"
expect_status 65 timeout 10 "$CHORUS" --db "$DB" import employees "$T/fifo"
expect_grep "^chorus: import: '$T/fifo' is a FIFO, not a regular file" "$T/err"
expect_status 65 c import employees /dev/zero
expect_grep "^chorus: import: '/dev/zero' is a character device, not a regular file" "$T/err"
expect_status 65 c import posts "$T"
expect_grep "^chorus: import: '$T' is a directory, not a regular file" "$T/err"
expect_status 65 c import posts "$T/nonexistent.csv"
expect_grep "^chorus: import: cannot open '$T/nonexistent.csv': " "$T/err"
dump "$T/after"
cmp -s "$T/before" "$T/after" || fail "a refused file changed the database"
cat "$CHORUS_SRC/examples/posts.csv" | expect_status 0 c import posts -
expect_grep "^posts: 0 added, 0 updated, 12 unchanged, 0 deactivated$" "$T/out"

# The frequency weekdays (any case); an unknown one names the four.
printf 'email,roles,frequency\nwendy.weekdays@example.com,sales,Weekdays\n' |
	expect_status 0 c import employees -
[ "$(sql "SELECT frequency FROM employees WHERE email='wendy.weekdays@example.com'")" = weekdays ] ||
	fail "frequency weekdays not stored"
printf 'email,roles,frequency\nwendy.weekdays@example.com,sales,fortnightly\n' |
	expect_status 65 c import employees -
expect_grep "^chorus: stdin:2: frequency: not daily, weekdays, weekly or paused$" "$T/err"

# A column the file leaves out changes nothing stored: an HR export of
# email and roles alone, or posts of id, title and url alone, keep the
# names, zones, windows and texts already there; a new row takes the
# defaults; a column given empty still means the default.
printf 'email,roles,name,timezone,send_time,networks,frequency\nkeep.me@example.com,sales,Keep Me,Asia/Tokyo,06:30,linkedin;x,weekly\n' |
	expect_status 0 c import employees -
printf 'email,roles\nkeep.me@example.com,sales;hr\nnew.one@example.com,hr\n' |
	expect_status 0 c import employees -
expect_grep "^employees: 1 added, 1 updated, 0 unchanged, 0 deactivated, 0 kept" "$T/out"
[ "$(sql "SELECT name || '|' || timezone || '|' || send_time || '|' || networks || '|' || frequency FROM employees WHERE email='keep.me@example.com'")" = "Keep Me|Asia/Tokyo|06:30|3|weekly" ] ||
	fail "a column left out changed the stored employee"
[ "$(sql "SELECT count(*) FROM employee_roles r JOIN employees e ON e.id = r.employee_id WHERE e.email='keep.me@example.com'")" = 2 ] ||
	fail "the roles given were not stored"
[ "$(sql "SELECT name || '|' || coalesce(timezone, '-') || '|' || networks || '|' || frequency FROM employees WHERE email='new.one@example.com'")" = "|-|7|daily" ] ||
	fail "a new employee without the columns: not the defaults"
printf 'email,roles,timezone\nkeep.me@example.com,sales;hr,\n' |
	expect_status 0 c import employees -
[ "$(sql "SELECT coalesce(timezone, '-') || '|' || name FROM employees WHERE email='keep.me@example.com'")" = "-|Keep Me" ] ||
	fail "an empty timezone cell did not mean the default"
printf 'id,title,url,summary,roles,text,text_x,starts,expires,priority,audience\nkeep-post,Kept,https://example.com/k,Sum,hr,Txt,TX,2026-01-01,2027-01-01,5,40%%\n' |
	expect_status 0 c import posts -
printf 'id,title,url\nkeep-post,Kept again,https://example.com/k\n' |
	expect_status 0 c import posts -
expect_grep "^posts: 0 added, 1 updated, 0 unchanged" "$T/out"
[ "$(sql "SELECT title || '|' || summary || '|' || text || '|' || text_x || '|' || starts || '|' || expires || '|' || priority || '|' || everyone || '|' || audience_hundredths FROM posts WHERE ext_id='keep-post'")" = "Kept again|Sum|Txt|TX|2026-01-01|2027-01-01|5|0|4000" ] ||
	fail "a column left out changed the stored post"
[ "$(sql "SELECT count(*) FROM post_roles r JOIN posts p ON p.id = r.post_id WHERE p.ext_id='keep-post' AND r.role = 'hr'")" = 1 ] ||
	fail "a post's roles left out were not kept"
printf 'id,title,url\nkeep-post,Kept again,https://example.com/k\n' |
	expect_status 0 c import posts -
expect_grep "^posts: 0 added, 0 updated, 1 unchanged" "$T/out"
# A start given after the stored end: refused as both in the file are,
# nothing written.
printf 'id,title,url,starts\nkeep-post,Kept again,https://example.com/k,2027-02-01\n' |
	expect_status 65 c import posts -
expect_grep "^chorus: stdin:2: starts: the post's window would end before it starts (with the stored expires)$" "$T/err"
[ "$(sql "SELECT starts FROM posts WHERE ext_id='keep-post'")" = 2026-01-01 ] ||
	fail "a refused start was written"

# Usage errors are 64; a missing database says to run init.
expect_status 64 c import
expect_status 64 c import widgets "$DATA/import/bad_email.csv"
expect_status 64 c import posts --prune "$CHORUS_SRC/examples/posts.csv"
expect_status 0 c import --help
expect_grep "usage: chorus import" "$T/out"
NONE=$(store_db none.db)
expect_status 1 "$CHORUS" --db "$NONE" import posts "$CHORUS_SRC/examples/posts.csv"
expect_grep "run 'chorus init'" "$T/err"
store_absent "$NONE" || fail "import created a database"
echo "import: all checks passed"
