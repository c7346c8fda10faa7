# Shared helpers for the end-to-end scripts; sourced, not run.
# $CHORUS is the binary under test, $CHORUS_SRC the source tree.
#
# The store under test: SQLite, or PostgreSQL when CHORUS_TEST_STORE=pg
# (tests/run.sh runs the suite once more so). On PostgreSQL this file
# sources pg.inc and starts one private server for the script (a SKIP line
# and exit 0 without the server package; a script that sources pg.inc
# itself starts its own and skips this pass), and the helpers below hide
# which store the script talks to: $DB is the value for `chorus.database`
# (the file $T/chorus.db, or the URI of database "chorus" on the server);
# `store_db NAME` gives another (a file $T/NAME, or a database named after
# NAME, created empty); `sql [SQL]` runs SQL (else standard input) on $DB
# and `sql_on DB [SQL]` on another, printing rows as sqlite3 does (columns
# joined by '|', NULL empty; write no boolean in a result, psql prints
# t/f: CAST(x IS NULL AS INTEGER); join lists in the shell, not with
# group_concat); `store_load FILE.sql` loads an SQLite fixture into $DB
# (on PostgreSQL through an SQLite copy and `chorus migrate --to`, so ids
# and sequences agree); `store_dump FILE` writes every row of $DB to FILE,
# to compare before and after; `store_reset` drops $DB to start anew;
# `store_absent DB` says no command made it; `store_is sqlite|pg`. A
# script about SQLite itself (the file, its locks, a full disk) begins with
# `store_only sqlite "REASON"`, which prints one SKIP line on the other
# store and exits 0.
set -eu
: "${CHORUS:?set CHORUS to the chorus binary}"
: "${CHORUS_SRC:=$(pwd)}"
DATA="$CHORUS_SRC/tests/data"
T=$(mktemp -d "${TMPDIR:-/tmp}/chorus-e2e.XXXXXX")
cleanup_hooks=""
cleanup() {
	for h in $cleanup_hooks; do $h || true; done
	# Scripts may set cleanup_hooks anew: the server is stopped anyway.
	[ -z "${PGDIR:-}" ] || pg_stop || true
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
# Read before the cd: $0 may be a relative path.
own_server=0
grep -q '^[^#]*pg\.inc' "$0" 2>/dev/null && own_server=1
cd "$T"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

STORE=${CHORUS_TEST_STORE:-sqlite}
case $STORE in
sqlite | pg) ;;
*) fail "CHORUS_TEST_STORE is '$STORE', not sqlite or pg" ;;
esac

# store_is STORE: true when the script runs on STORE (sqlite or pg).
store_is() {
	[ "$STORE" = "$1" ]
}

# store_only STORE REASON: on the other store, one SKIP line and exit 0.
store_only() {
	store_is "$1" && return 0
	echo "SKIP: $1 only: $2"
	exit 0
}

# store_db NAME: the value of chorus.database for a store named NAME: the
# file $T/NAME on SQLite; on PostgreSQL the URI of a database named after
# NAME (its base name before the first dot), created empty if missing.
store_db() {
	if store_is sqlite; then
		echo "$T/$1"
		return
	fi
	local n
	n=$(printf '%s' "${1%%.*}" | tr -c 'a-zA-Z0-9_' _)
	[ -n "$(pg_sql_on postgres "SELECT 1 FROM pg_database
	    WHERE datname = '$n'")" ] ||
	    pg_sql_on postgres "CREATE DATABASE $n" >/dev/null
	echo "$PG_URI" | sed "s|/[^/?]*?|/$n?|"
}

# pg_sql_on DBNAME SQL: SQL on another database of the private server.
pg_sql_on() {
	"$PSQL" -X -q -At -v ON_ERROR_STOP=1 \
	    "$(echo "$PG_URI" | sed "s|/[^/?]*?|/$1?|")" -c "$2"
}

# sql_on DB [SQL]: SQL (else standard input) on the store DB names,
# printed as sqlite3 prints it. SQLite's blob literals x'HEX' are given to
# PostgreSQL as bytea.
sql_blob_re="\\(^\\|[^'[:alnum:]_]\\)[xX]'\\([0-9a-fA-F][0-9a-fA-F]*\\)'"
sql_on() {
	case $1 in
	postgresql://* | postgres://*)
		if [ $# -gt 1 ]; then
			printf '%s\n' "$2"
		else
			cat
		fi | sed "s/$sql_blob_re/\\1'\\\\x\\2'::bytea/g" |
		    "$PSQL" -X -q -At -v ON_ERROR_STOP=1 -f - "$1"
		;;
	*)
		sqlite3 "$@"
		;;
	esac
}

# sql [SQL]: SQL (else standard input) on $DB.
sql() {
	sql_on "$DB" "$@"
}

# store_load FILE [DB]: an SQLite fixture (explicit ids, x'' blobs) into
# $DB (or DB), made with `chorus init` and holding no rows yet.
store_load() {
	if store_is sqlite; then
		sqlite3 "${2:-$DB}" <"$1"
		return
	fi
	rm -f "$T/load.db"
	"$CHORUS" -q -c /dev/null --db "$T/load.db" init >/dev/null ||
	    fail "store_load: init of the copy failed"
	sqlite3 "$T/load.db" <"$1" || fail "store_load: $1 not loaded"
	"$CHORUS" -q -c /dev/null --db "$T/load.db" migrate --to "${2:-$DB}" \
	    >/dev/null || fail "store_load: migrate --to failed"
	rm -f "$T/load.db"
}

# store_dump FILE: every row of $DB into FILE (SQLite's .dump; on
# PostgreSQL pg_dump's data, without the sequences, which a rolled back
# insert moves, and the random key of its \restrict line).
store_dump() {
	if store_is sqlite; then
		sqlite3 "$DB" .dump >"$1"
	else
		"$PGBIN/pg_dump" -a "$DB" |
		    grep -v -e setval -e '^.restrict ' -e '^.unrestrict ' >"$1"
	fi
}

# store_absent DB: no database there: no file (SQLite), no table (an empty
# database store_db made on PostgreSQL).
store_absent() {
	if store_is sqlite; then
		[ ! -e "$1" ]
	else
		[ "$(sql_on "$1" "SELECT count(*) FROM pg_tables
		    WHERE schemaname = 'public'")" = 0 ]
	fi
}

# store_reset: $DB dropped, to begin again with `chorus init`.
store_reset() {
	if store_is sqlite; then
		rm -f "$DB" "$DB"-*
	else
		local n
		n=$(echo "$DB" | sed 's|^.*/\([^/?]*\)?.*$|\1|')
		pg_sql_on postgres "DROP DATABASE $n WITH (FORCE)" >/dev/null
		pg_sql_on postgres "CREATE DATABASE $n" >/dev/null
	fi
}

# expect_status WANT CMD...: run CMD, fail unless it exits WANT.
expect_status() {
	want=$1
	shift
	set +e
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		echo "--- stdout" >&2; cat "$T/out" >&2
		echo "--- stderr" >&2; cat "$T/err" >&2
		fail "'$*' exited $got, want $want"
	fi
}

# expect_grep PATTERN FILE: fail unless FILE has a line matching PATTERN.
expect_grep() {
	grep -q -e "$1" "$2" || { cat "$2" >&2; fail "no '$1' in $2"; }
}

expect_no_grep() {
	if grep -q -e "$1" "$2"; then cat "$2" >&2; fail "'$1' found in $2"; fi
}

# free_port: a loopback TCP port nobody uses now, that no other process
# takes before the caller's server binds it: below the kernel's ephemeral
# range (where bind to port 0 and connect pick theirs), and none handed
# out before in this script (two calls before either port is bound must
# not give one port twice). Falls back to bind to port 0 when the range
# leaves no room below it.
free_port() {
	python3 - "$T/.ports" <<'PY'
import random, socket, sys
try:
    low = int(open('/proc/sys/net/ipv4/ip_local_port_range').read().split()[0])
except (OSError, ValueError, IndexError):
    low = 0
try:
    given = set(open(sys.argv[1]).read().split())
except OSError:
    given = set()
port = 0
for _ in range(200):
    want = random.randrange(10000, low) if low > 11000 else 0
    s = socket.socket()
    try:
        s.bind(('127.0.0.1', want))
        p = s.getsockname()[1]
    except OSError:
        continue
    finally:
        s.close()
    if str(p) not in given:
        port = p
        break
if port == 0:
    sys.exit('free_port: no free port')
with open(sys.argv[1], 'a') as f:
    f.write('%d\n' % port)
print(port)
PY
}

# wait_port PORT: wait (at most 30 s: a loaded machine, a sanitizer build)
# until something listens on PORT.
wait_port() {
	i=0
	while ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || fail "nothing listens on port $1"
		sleep 0.1
	done
}

# one_utc_day SECONDS: returns at once when more than SECONDS are left
# before the next UTC midnight, else sleeps past it: for a script whose
# checks hold within one UTC day (the visitor key of the day, the first
# day of a post imported now, a report's rows per day), and which runs
# for less than SECONDS.
one_utc_day() {
	left=$((86400 - $(date -u +%s) % 86400))
	[ "$left" -gt "$1" ] || sleep $((left + 1))
}

if store_is pg; then
	# A script that starts its own server tests PostgreSQL already.
	if [ "$own_server" = 1 ]; then
		echo "SKIP: sqlite pass only: starts its own PostgreSQL server"
		exit 0
	fi
	. "$CHORUS_SRC/tests/e2e/pg.inc"
	pg_start
	DB=$PG_URI
else
	DB="$T/chorus.db"
fi
