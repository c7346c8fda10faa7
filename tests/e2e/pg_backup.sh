#!/bin/bash
# Every command on a postgresql:// store whose URI carries a password: it
# runs, or says in one line why not and exits as the contract says.
#  - backup: one line naming pg_dump, status 64 (its advice, pg_dump
#    --format=custom, is run and its archive listed by pg_restore);
#  - config and config --check: the URI shown redacted, a warning naming
#    where the password came from and ~/.pgpass, passfile=, PGPASSFILE;
#  - init, import, status, report, templates, the redirector (a click,
#    /healthz), digest preview and run, migrate (which copies from SQLite
#    only), every --help;
#  - a server that cannot be reached: one error line each.
# The password appears nowhere in any command's stdout or stderr.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/pg.inc"

pg_start

SECRET=Zq7topsecretPw
UA='Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
# The private server trusts its socket: the password is sent nowhere,
# but every command holds it in its settings.
URI="postgresql://chorus:$SECRET@/chorus?host=$PGDIR"
export CHORUS_CHORUS_DATABASE="$URI"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_SMTP_URL="file:$T/outbox"
mkdir "$T/outbox"
: >"$T/all"

# run WANT CMD...: expect_status, every output kept in $T/all.
run() {
	expect_status "$@"
	cat "$T/out" "$T/err" >>"$T/all"
}
# one_line: stderr is one line starting with "chorus:".
one_line() {
	[ "$(wc -l <"$T/err")" = 1 ] || fail "not one line: $(cat "$T/err")"
	expect_grep "^chorus: " "$T/err"
}

rpid=""
stop_redirector() {
	[ -z "$rpid" ] || { kill "$rpid" 2>/dev/null; wait "$rpid" || true; }
	rpid=""
}
cleanup_hooks="stop_redirector $cleanup_hooks"

# --- The commands that run.
run 0 "$CHORUS" init
run 0 "$CHORUS" init
run 0 "$CHORUS" import employees "$CHORUS_SRC/examples/employees.csv"
run 0 "$CHORUS" import posts "$CHORUS_SRC/examples/posts.csv"
run 0 "$CHORUS" status
expect_grep "^database:     postgresql://chorus:xxxxx@/chorus" "$T/out"
pg_sql "INSERT INTO links (code, employee_id, post_id, network, created_at)
    SELECT 'bkpCode00001', min(e.id), min(p.id), 'linkedin', 0
    FROM employees e, posts p"
port=$(free_port)
"$CHORUS" redirector --listen "127.0.0.1:$port" >"$T/redir.out" \
    2>"$T/redir.err" &
rpid=$!
wait_port "$port"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -A "$UA" \
    "http://127.0.0.1:$port/bkpCode00001")
[ "$code" = 302 ] || fail "click: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
    "http://127.0.0.1:$port/healthz")
[ "$code" = 200 ] || fail "healthz: $code"
stop_redirector
cat "$T/redir.out" "$T/redir.err" >>"$T/all"
[ "$(pg_sql "SELECT count(*) FROM hits h JOIN links l ON l.id = h.link_id
    WHERE l.code = 'bkpCode00001'")" = 1 ] || fail "the click has no row"
for r in posts employees leaderboard daily program attribution; do
	run 0 "$CHORUS" report "$r"
done
expect_grep ",linkedin,0,0,1,1,0\$" "$T/out"
run 0 "$CHORUS" templates export "$T/tpl"

# --- config: the URI redacted, the password warned about, never shown.
run 0 "$CHORUS" config
expect_grep "^chorus.database = postgresql://chorus:xxxxx@/chorus?host=" \
    "$T/out"
expect_grep "^chorus: warning: CHORUS_CHORUS_DATABASE: chorus.database: the URI holds a password; keep it in ~/.pgpass, a passfile= parameter or PGPASSFILE instead\$" "$T/err"
run 0 "$CHORUS" config --check
[ ! -s "$T/out" ] || fail "config --check printed: $(cat "$T/out")"
one_line
expect_grep "warning: CHORUS_CHORUS_DATABASE: chorus.database: the URI holds a password" "$T/err"
# In --db it is in argv: ps shows it.
run 0 "$CHORUS" --db "$URI" config --check
one_line
expect_grep "warning: --db: chorus.database: the URI holds a password, which other users see in the process list (ps); keep it in ~/.pgpass" "$T/err"
# Every other command given it in --db says so too, never the password.
run 0 env -u CHORUS_CHORUS_DATABASE "$CHORUS" --db "$URI" status
expect_grep "^chorus: warning: --db: the URI holds a password, which other users see in the process list (ps); keep it in ~/.pgpass, a passfile= parameter or PGPASSFILE instead\$" "$T/err"
# A process that lives on writes the password out of its arguments once
# its settings hold it: ps no longer shows it, and it still connects.
port=$(free_port)
env -u CHORUS_CHORUS_DATABASE "$CHORUS" --db "$URI" redirector \
    --listen "127.0.0.1:$port" >"$T/redir.out" 2>"$T/redir.err" &
rpid=$!
wait_port "$port"
tr '\0' ' ' </proc/$rpid/cmdline >"$T/cmdline"
expect_no_grep "$SECRET" "$T/cmdline"
expect_grep "postgresql://chorus:x*@" "$T/cmdline"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -A "$UA" \
    "http://127.0.0.1:$port/bkpCode00001")
[ "$code" = 302 ] || fail "click through a --db with its password: $code"
stop_redirector
cat "$T/redir.out" "$T/redir.err" >>"$T/all"
# In the file, as a password= parameter.
printf '[chorus]\ndatabase = postgresql://chorus@/chorus?host=%s&password=%s\n' \
    "$PGDIR" "$SECRET" >"$T/pw.ini"
run 0 env -u CHORUS_CHORUS_DATABASE "$CHORUS" -c "$T/pw.ini" config
expect_grep "^chorus.database = postgresql://chorus@/chorus?host=.*&password=xxxxx	# $T/pw.ini:2\$" "$T/out"
expect_grep "warning: $T/pw.ini:2: chorus.database: the URI holds a password;" "$T/err"
# Without a password (the passfile= way): no warning.
run 0 "$CHORUS" --db "postgresql://chorus@/chorus?host=$PGDIR&passfile=$T/pgpass" config --check
[ ! -s "$T/err" ] || fail "warned without a password: $(cat "$T/err")"
run 0 "$CHORUS" --db "$T/lite.db" config --check
[ ! -s "$T/err" ] || fail "warned on SQLite: $(cat "$T/err")"

# --- backup: says what to use instead, 64, with a FILE or without.
for args in "$T/copy.db" ""; do
	# shellcheck disable=SC2086 # one argument or none
	run 64 "$CHORUS" backup $args
	one_line
	expect_grep "^chorus: backup: chorus backup copies SQLite only; back up this PostgreSQL store with pg_dump (e.g. 'pg_dump --format=custom --file=FILE DBNAME', restored with pg_restore), a base backup with WAL archiving, or the managed service's snapshots\$" "$T/err"
	[ ! -s "$T/out" ] || fail "backup printed: $(cat "$T/out")"
done
[ ! -e "$T/copy.db" ] || fail "backup wrote a file"
run 0 "$CHORUS" backup --help
expect_grep "pg_dump --format=custom" "$T/out"
# The advice works: a custom archive of the store, listed by pg_restore.
"$PGBIN/pg_dump" --format=custom --file="$T/chorus.dump" "$PG_URI" ||
    fail "pg_dump"
"$PGBIN/pg_restore" --list "$T/chorus.dump" >"$T/dump.list" ||
    fail "pg_restore --list"
expect_grep "TABLE DATA public hits " "$T/dump.list"
# SQLite's backup still runs.
run 0 "$CHORUS" --db "$T/lite.db" init
run 0 "$CHORUS" --db "$T/lite.db" backup "$T/lite.copy.db"
[ -s "$T/lite.copy.db" ] || fail "no SQLite backup"

# --- The rest: migrate copies from SQLite only (one line); the digest
# runs: a preview and a run of today's digests into the outbox.
run 64 "$CHORUS" migrate --to "$PG_URI"
one_line
expect_grep "is PostgreSQL" "$T/err"
run 0 "$CHORUS" digest preview ada.lovelace@example.com --format text
run 0 "$CHORUS" digest run --date "$(date -u +%Y-%m-%d)"
expect_grep "digest run: [1-9][0-9]* sent" "$T/err"
cat "$T"/outbox/* >>"$T/all"
for c in init import digest redirector report status backup migrate \
    config templates; do
	run 0 "$CHORUS" "$c" --help
	expect_grep "^usage: chorus $c" "$T/out"
done

# --- The server away (a socket directory with no server): one line each.
export CHORUS_CHORUS_DATABASE="postgresql://chorus:$SECRET@/chorus?host=$T/none&connect_timeout=2"
for c in init status "report posts"; do
	# shellcheck disable=SC2086 # "report posts" is two words
	run 1 "$CHORUS" $c
	one_line
done
run 64 "$CHORUS" backup "$T/x.db"
one_line

# --- Nowhere the password.
[ -s "$T/all" ] || fail "nothing captured"
expect_no_grep "$SECRET" "$T/all"
echo "pg_backup: ok"
