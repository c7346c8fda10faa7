# Settings refused at the door (issue 16): each bad setting makes the
# command exit 64 with exactly one line naming FILE:LINE (or the variable,
# or the option) and the key, before anything is created or changed: no
# database, no outbox, no run in the ledger. Then the file transport that
# makes only its last directory, and databases whose schema version was
# tampered with, which every command refuses with one line.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_DIGEST_SPREAD_DAYS=1
SECRET='pa55-Never-Shown'
printf '%s\n' "$SECRET" > pw
chmod 600 pw
mkdir outbox.d

# A database with one employee and one post, due today whatever the hour.
BASE=$(store_db base.db)
C=$(store_db c.db)
# copy_base: c.db (or database c), a copy of base.
copy_base() {
	if store_is sqlite; then
		rm -rf c.db c.db-wal c.db-shm
		cp base.db c.db
	else
		pg_sql_on postgres "DROP DATABASE c WITH (FORCE)" >/dev/null
		pg_sql_on postgres "CREATE DATABASE c TEMPLATE base" >/dev/null
	fi
}
"$CHORUS" --db "$BASE" init >/dev/null
printf 'email,name,roles\nann@example.com,Ann,eng\n' > employees.csv
printf 'id,title,url\np1,Post one,https://example.com/1\n' > posts.csv
"$CHORUS" --db "$BASE" import employees employees.csv >/dev/null 2>&1
"$CHORUS" --db "$BASE" import posts posts.csv >/dev/null 2>&1
TODAY=$(date -u +%F)

# refused WANT_LINE INI CMD...: with INI as c.ini (and a copy of base.db as
# c.db), CMD exits 64 with WANT_LINE as its whole stderr, and nothing was
# made: no outbox, no other new file, no run recorded.
refused() {
	line=$1 ini=$2
	shift 2
	rm -rf outbox new
	copy_base
	printf '%b' "$ini" > c.ini
	ls | grep -v -x -e out -e err -e before -e after > before
	expect_status 64 timeout 30 "$CHORUS" -c c.ini "$@"
	if [ "$(cat "$T/err")" != "$line" ]; then
		printf 'want: %s\ngot:  ' "$line" >&2
		cat "$T/err" >&2
		fail "'$*' with $(tr '\n' ' ' < c.ini): not the one line wanted"
	fi
	[ ! -s "$T/out" ] || fail "'$*' printed on stdout"
	expect_no_grep "$SECRET" "$T/err"
	ls | grep -v -x -e out -e err -e before -e after > after
	cmp -s before after ||
	    fail "'$*' made files: $(diff before after | tr '\n' ' ')"
	[ "$(sql_on "$C" 'SELECT count(*) FROM runs')" = 0 ] ||
	    fail "'$*' recorded a run"
}

db="[chorus]\ndatabase = $C\n"

# smtp.url: the port range, a user in an smtps:// URL, the scheme, file:
# without a directory.
refused "chorus: c.ini:4: smtp.url: port is not 1..65535" \
    "$db[smtp]\nurl = smtp://127.0.0.1:99999\n" digest run --date "$TODAY"
refused "chorus: c.ini:4: smtp.url: port is not 1..65535" \
    "$db[smtp]\nurl = smtp://127.0.0.1:0\n" config
refused "chorus: c.ini:4: smtp.url: not smtp://HOST:PORT or smtps://HOST:PORT (a host name or address, an optional port, nothing else)" \
    "$db[smtp]\nurl = smtps://bot@mail.example.com:465\n" digest run
refused "chorus: c.ini:4: smtp.url: not file:DIR, smtp://HOST:PORT or smtps://HOST:PORT" \
    "$db[smtp]\nurl = mail.example.com\n" digest schedule
refused "chorus: c.ini:4: smtp.url: not smtp://HOST:PORT or smtps://HOST:PORT (a host name or address, an optional port, nothing else)" \
    "$db[smtp]\nurl = smtp://user@mail.example.com:25\n" digest run
refused "chorus: c.ini:4: smtp.url: file: needs a directory (file:DIR)" \
    "$db[smtp]\nurl = file:\n" digest run
# Every command checks every value, even one it does not use.
refused "chorus: c.ini:4: smtp.url: port is not 1..65535" \
    "$db[smtp]\nurl = smtp://127.0.0.1:99999\n" status

# digest.from: an RFC 5322 mailbox.
refused "chorus: c.ini:4: digest.from: not an address (one @ expected)" \
    "$db[digest]\nfrom = Chorus\n" digest run --date "$TODAY"
refused "chorus: c.ini:4: digest.from: not an address or Name <address>" \
    "$db[digest]\nfrom = News <news@example.com\n" digest preview \
    ann@example.com
refused "chorus: c.ini:4: digest.from: character not allowed in an address" \
    "$db[digest]\nfrom = News <news letter@example.com>\n" config

# smtp.password_file: readable, checked by the commands that send and by
# chorus config, without a word of its content.
refused "chorus: c.ini:6: smtp.password_file: cannot read 'missing-pw': No such file or directory" \
    "$db[smtp]\nurl = smtp://127.0.0.1:2525\nuser = chorus\npassword_file = missing-pw\n" \
    digest run --date "$TODAY"
refused "chorus: c.ini:6: smtp.password_file: cannot read 'missing-pw': No such file or directory" \
    "$db[smtp]\nurl = smtp://127.0.0.1:2525\nuser = chorus\npassword_file = missing-pw\n" \
    config
refused "chorus: c.ini:6: smtp.password_file: 'outbox.d' is not a file" \
    "$db[smtp]\nurl = smtp://127.0.0.1:2525\nuser = chorus\npassword_file = outbox.d\n" \
    digest schedule
refused "chorus: c.ini:5: smtp.user: set, but smtp.password_file is not" \
    "$db[smtp]\nurl = smtp://127.0.0.1:2525\nuser = chorus\n" digest run
# A readable one passes the door (and is not shown by a later error).
refused "chorus: c.ini:7: smtp.url: set twice (first on line 4)" \
    "$db[smtp]\nurl = smtp://127.0.0.1:2525\nuser = chorus\npassword_file = pw\nurl = smtp://127.0.0.1:2526\n" \
    digest run

# chorus.database: not empty (init used to say "created" and keep nothing).
refused "chorus: c.ini:2: chorus.database: must not be empty" \
    '[chorus]\ndatabase =\n' init
refused "chorus: --db: chorus.database: must not be empty" '' --db '' init

# Duplicate keys, also across two sections of the same name.
refused "chorus: c.ini:5: digest.max_posts: set twice (first on line 4)" \
    "$db[digest]\nmax_posts = 2\nmax_posts = 5\n" config
refused "chorus: c.ini:8: smtp.url: set twice (first on line 4)" \
    "$db[smtp]\nurl = file:outbox\n[digest]\nmax_posts = 2\n[smtp]\nurl = file:outbox\n" \
    digest run

# A variable or an option is named instead of FILE:LINE.
CHORUS_SMTP_URL=smtp://127.0.0.1:65536 refused \
    "chorus: CHORUS_SMTP_URL: smtp.url: port is not 1..65535" "$db" \
    digest run
CHORUS_DIGEST_FROM='Chorus <>' refused \
    "chorus: CHORUS_DIGEST_FROM: digest.from: empty address" "$db" \
    digest run
CHORUS_SMTP_PASSWORD_FILE=missing-pw refused \
    "chorus: CHORUS_SMTP_PASSWORD_FILE: smtp.password_file: cannot read 'missing-pw': No such file or directory" \
    "$db" config

# The file transport makes its own directory, never a parent: a missing
# parent is a settings error (64, like any setting that cannot work),
# found before the run starts.
refused "chorus: c.ini:4: smtp.url: cannot make 'new/path/outbox': 'new/path': No such file or directory (only the last directory of file:DIR is made)" \
    "$db[smtp]\nurl = file:new/path/outbox\n" digest run --date "$TODAY"
refused "chorus: c.ini:4: smtp.url: 'pw' is not a directory" \
    "$db[smtp]\nurl = file:pw\n" digest run --date "$TODAY"

# chorus.templates: a directory that is not there is refused by every
# command that renders a template, before it starts.
(
	unset CHORUS_CHORUS_TEMPLATES
	for cmd in "digest run --date $TODAY" "digest preview ann@example.com" \
	    "redirector" "config"; do
		refused "chorus: c.ini:3: chorus.templates: 'nowhere': No such file or directory" \
		    "${db}templates = nowhere\n" $cmd
	done
	refused "chorus: c.ini:3: chorus.templates: 'pw' is not a directory" \
	    "${db}templates = pw\n" redirector
) || exit 1
copy_base
printf '%b' "$db[smtp]\nurl = file:outbox\n" > c.ini
expect_status 0 "$CHORUS" -c c.ini config
expect_grep '^smtp.url = file:outbox	# c.ini:4$' "$T/out"
[ ! -e outbox ] || fail "chorus config made the outbox"
expect_status 0 "$CHORUS" -c c.ini digest run --date "$TODAY"
[ "$(ls outbox/*.eml | wc -l)" -eq 1 ] || fail "no digest in the outbox"

# Warnings, not errors: settings that will hurt in production are named
# by config --check and at the start of digest run and the redirector,
# and nothing stops. The defaults (a test machine) draw none.
expect_status 0 "$CHORUS" -c c.ini config --check
[ ! -s "$T/out" ] && [ ! -s "$T/err" ] || fail "config --check on defaults spoke"
printf '%b' "$db[chorus]\nbase_url = http://go.example.com\n" > w.ini
expect_status 0 "$CHORUS" -c w.ini config --check
[ ! -s "$T/out" ] || fail "config --check printed the settings"
expect_grep "^chorus: warning: w.ini:4: chorus.base_url: 'http://go.example.com' is plain http on a public host: one-click unsubscribe (RFC 8058) needs https" "$T/err"
expect_grep "^chorus: warning: digest.from: 'Chorus <chorus@localhost>' is not an address mail can come from" "$T/err"
[ "$(wc -l < "$T/err")" -eq 2 ] || fail "config --check: not two warnings"
CHORUS_DIGEST_FROM='Comms <comms@example.com>' \
    expect_status 0 "$CHORUS" -c w.ini digest run --date "$TODAY"
[ "$(head -n 1 "$T/err")" = "chorus: warning: w.ini:4: chorus.base_url: 'http://go.example.com' is plain http on a public host: one-click unsubscribe (RFC 8058) needs https, and mail filters distrust http links" ] ||
    { cat "$T/err" >&2; fail "digest run: not the warning first"; }
[ "$(grep -c warning "$T/err")" -eq 1 ] || fail "digest run: more warnings"
port=$(free_port)
"$CHORUS" -c w.ini redirector --listen "127.0.0.1:$port" 2>redir.err &
rpid=$!
wait_port "$port"
kill "$rpid"
wait "$rpid" || true
expect_grep "^chorus: warning: w.ini:4: chorus.base_url: 'http://go.example.com' is plain http" redir.err
CHORUS_CHORUS_BASE_URL=https://go.example.com \
    CHORUS_SMTP_URL=smtp://mail.example.com:587 \
    CHORUS_DIGEST_FROM=chorus@mailhost \
    expect_status 0 "$CHORUS" -c c.ini config --check
[ "$(cat "$T/err")" = "chorus: warning: CHORUS_DIGEST_FROM: digest.from: 'chorus@mailhost' is not an address mail can come from: receivers reject or bury it, and replies bounce; use the company's domain" ] ||
    { cat "$T/err" >&2; fail "a From at a single-label host"; }

# Tampered schema versions: every command says so in one line and exits
# 1 (init too: it migrates only what it knows). SQLite's PRAGMA
# user_version; PostgreSQL's schema_version table: pg_migrate.sh.
store_is sqlite || { echo "settings: all checks passed"; exit 0; }
cur=$(sqlite3 base.db 'PRAGMA user_version')
for v in -1 $((cur + 1)) -2147483648; do
	cp base.db t.db
	sqlite3 t.db "PRAGMA user_version=$v"
	case $v in
	-*) vline="database 't.db' has schema version $v, which no chorus writes: not a chorus database, or damaged" ;;
	*) vline="database 't.db' is at schema version $v, newer than this chorus knows ($cur)" ;;
	esac
	port=$(free_port)
	for cmd in init status "digest run" "digest schedule --until 2000-01-01T00:00:00Z" \
	    "digest preview ann@example.com" "report posts" \
	    "import posts posts.csv" "backup t2.db" \
	    "redirector --listen 127.0.0.1:$port"; do
		# shellcheck disable=SC2086
		expect_status 1 timeout 20 "$CHORUS" -c /dev/null --db t.db \
		    $cmd
		[ "$(cat "$T/err")" = "chorus: $vline" ] || {
			cat "$T/err" >&2
			fail "'$cmd' on version $v: not the one line wanted"
		}
	done
	[ "$(sqlite3 t.db 'PRAGMA user_version')" = "$v" ] ||
	    fail "version $v was changed"
	[ ! -e t2.db ] || fail "backup copied a database at version $v"
done
# An older version: every command but init sends to init.
cp base.db t.db
sqlite3 t.db "PRAGMA user_version=1"
expect_status 1 "$CHORUS" -c /dev/null --db t.db status
[ "$(cat "$T/err")" = "chorus: database 't.db' is at schema version 1, this chorus needs $cur; run 'chorus init' to migrate it" ] ||
    { cat "$T/err" >&2; fail "an old version: not the one line wanted"; }

# init on a version set back by hand: a migration that cannot apply fails
# whole, in one line, and the version never claims it.
expect_status 1 "$CHORUS" -c /dev/null --db t.db init
[ "$(wc -l < "$T/err")" -eq 1 ] || { cat "$T/err" >&2; fail "init: not one line"; }
expect_grep "^chorus: database 't.db': migration .* failed: " "$T/err"
[ "$(sqlite3 t.db 'PRAGMA user_version')" -lt "$cur" ] ||
    fail "a failed migration was recorded"

echo "settings: all checks passed"
