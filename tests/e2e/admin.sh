# End to end: chorus status, chorus backup (also while another process
# writes), chorus config, and the global options.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
c() { "$CHORUS" --db "$DB" "$@"; }

expect_status 0 c init
expect_status 0 c import employees "$CHORUS_SRC/examples/employees.csv"
expect_status 0 c import posts "$CHORUS_SRC/examples/posts.csv"

expect_status 0 c status
expect_grep "^employees: *36 active of 36, 0 unsubscribed" "$T/out"
expect_grep "^posts: *10 live today of 12" "$T/out"
expect_grep "^last run: *none" "$T/out"

# Backup of the SQLite file (on PostgreSQL pg_dump does it: pg_backup.sh).
if store_is sqlite; then
# Backup while a writer commits in a loop (bounded: 300 transactions).
sqlite3 "$DB" "CREATE TABLE IF NOT EXISTS scratch(x)"
( i=0; while [ $i -lt 300 ]; do
	sqlite3 "$DB" "PRAGMA busy_timeout=5000; INSERT INTO scratch VALUES ($i)" >/dev/null || exit 1
	i=$((i + 1))
done ) &
writer=$!
expect_status 0 c backup "$T/backup.db"
wait $writer || fail "the writer failed during the backup"
[ "$(sqlite3 "$T/backup.db" "PRAGMA integrity_check")" = ok ] || fail "backup not intact"
[ "$(sqlite3 "$T/backup.db" "SELECT count(*) FROM employees")" = 36 ] || fail "backup lacks rows"
ls "$T" | grep -q 'backup.db.tmp' && fail "temporary file left behind"
# Again to the same name (a dated backup run twice a day): the older copy
# is replaced whole, keeping its permissions, by one with the new rows.
chmod 600 "$T/backup.db"
sqlite3 "$DB" "PRAGMA busy_timeout=5000; INSERT INTO scratch VALUES (-1)" >/dev/null
expect_status 0 c backup "$T/backup.db"
[ "$(sqlite3 "$T/backup.db" "SELECT count(*) FROM scratch")" = 301 ] ||
	fail "the second backup did not replace the first"
[ "$(stat -c %a "$T/backup.db")" = 600 ] || fail "the replaced backup's mode changed"
ls "$T" | grep -q 'backup.db.tmp' && fail "temporary file left behind"
# Into a directory that is missing: one line naming that directory.
expect_status 1 c backup "$T/nonexistent/backup.db"
[ "$(cat "$T/err")" = "chorus: backup: '$T/nonexistent': No such file or directory" ] ||
	{ cat "$T/err" >&2; fail "backup into a missing directory: not the line wanted"; }
[ ! -e "$T/nonexistent" ] || fail "backup made the missing directory"
# Never over the database itself, nor a directory.
expect_status 1 c backup "$DB"
expect_grep "^chorus: backup: '$DB': the database itself$" "$T/err"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM scratch")" = 301 ] || fail "the database was touched"
expect_status 1 c backup "$T"
expect_grep "^chorus: backup: '$T': a directory$" "$T/err"
expect_status 64 c backup
else
	# PostgreSQL's backup is pg_dump: one line says so, nothing is made.
	expect_status 64 c backup "$T/backup.db"
	expect_grep "^chorus: backup: .* with pg_dump" "$T/err"
	[ ! -e "$T/backup.db" ] || fail "backup made a file on PostgreSQL"
fi

# Settings: file, environment over file, --db over both, bad values.
printf '[digest]\nmax_posts = 5\nfrom = News <news@example.com>\n[nope]\nkey = 1\n' > "$T/c.ini"
expect_status 0 "$CHORUS" -c "$T/c.ini" config
expect_grep "^digest.max_posts = 5" "$T/out"
expect_grep "unknown setting 'nope.key'" "$T/err"
CHORUS_DIGEST_MAX_POSTS=7 expect_status 0 "$CHORUS" -c "$T/c.ini" config
expect_grep "^digest.max_posts = 7.*CHORUS_DIGEST_MAX_POSTS" "$T/out"
printf '[digest]\nmax_posts = lots\n' > "$T/bad.ini"
expect_status 64 "$CHORUS" -c "$T/bad.ini" config
expect_grep "bad.ini:2: digest.max_posts: not an integer" "$T/err"
[ "$(wc -l < "$T/err")" -eq 1 ] || fail "a bad setting is not a one-line error"
expect_status 64 "$CHORUS" -c "$T/missing.ini" config
CHORUS_DIGEST_TIMEZONE=Mars/Base expect_status 64 "$CHORUS" config
expect_grep "CHORUS_DIGEST_TIMEZONE: digest.timezone: unknown time zone" "$T/err"

# Global options and usage errors.
expect_status 0 "$CHORUS" --help
expect_grep "^Commands:" "$T/out"
expect_status 64 "$CHORUS"
expect_status 64 "$CHORUS" frobnicate
expect_grep "unknown command 'frobnicate'" "$T/err"
expect_status 64 "$CHORUS" --nope init
for cmd in init import digest status backup config templates; do
	expect_status 0 "$CHORUS" "$cmd" --help
	expect_grep "usage: chorus $cmd" "$T/out"
done
echo "admin: all checks passed"
