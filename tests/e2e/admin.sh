# End to end: chorus status, chorus backup (also while another process
# writes), chorus config, and the global options.
. "$CHORUS_SRC/tests/e2e/lib.sh"
DB="$T/chorus.db"
c() { "$CHORUS" --db "$DB" "$@"; }

expect_status 0 c init
expect_status 0 c import employees "$CHORUS_SRC/examples/employees.csv"
expect_status 0 c import posts "$CHORUS_SRC/examples/posts.csv"

expect_status 0 c status
expect_grep "^employees: *36 active of 36, 0 unsubscribed" "$T/out"
expect_grep "^posts: *10 live today of 12" "$T/out"
expect_grep "^last run: *none" "$T/out"

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
expect_status 1 c backup "$T/backup.db"
expect_grep "already exists" "$T/err"
expect_status 64 c backup

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
for cmd in init import digest status backup config; do
	expect_status 0 "$CHORUS" "$cmd" --help
	expect_grep "usage: chorus $cmd" "$T/out"
done
echo "admin: all checks passed"
