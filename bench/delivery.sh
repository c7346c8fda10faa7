#!/bin/sh
# Delivery benchmark: `chorus digest run` sends N employees' digests to
# Postfix's smtp-sink over smtp.connections sessions; in the same run
# Postfix's smtp-source sends N messages of the same size over the same
# number of reused sessions to the same kind of sink. Prints both rates,
# the CPU each side and its sink used per message, the ratio, chorus's
# peak RSS, and the medians over ROUNDS rounds of the ratio and of the
# CPU each side used a message (which depends far less on what else the
# machine runs than the rates do).
# STORE=pg runs chorus with its database on a private PostgreSQL server
# started here (initdb as an unprivileged user, a Unix socket only, fsync
# and synchronous_commit on; stopped and removed at exit), loaded from the
# same SQLite database by `chorus migrate --to`, each round on a fresh
# copy (CREATE DATABASE ... TEMPLATE), and prints the CPU the server's
# processes for chorus's connections used. PG_LOG=1 also logs every
# statement and prints how many each digest cost.
# Usage: bench/delivery.sh [N] (default 20000; CONNECTIONS=4, ROUNDS=3,
# STORE=sqlite|pg)
set -eu
N=${1:-20000}
C=${CONNECTIONS:-4}
STORE=${STORE:-sqlite}
case $STORE in
sqlite|pg) ;;
*) echo "bench: STORE is sqlite or pg" >&2; exit 1 ;;
esac
SRC=$(cd "$(dirname "$0")/.." && pwd)
CHORUS=${CHORUS:-$SRC/chorus}
SINK=/usr/sbin/smtp-sink
SOURCE=/usr/sbin/smtp-source
[ -x "$CHORUS" ] || { echo "bench: build chorus first (make)" >&2; exit 1; }
[ -x "$SINK" ] && [ -x "$SOURCE" ] ||
    { echo "bench: smtp-sink/smtp-source missing (postfix)" >&2; exit 1; }

export CHORUS_CHORUS_TEMPLATES="$SRC/templates"
T=$(mktemp -d "${TMPDIR:-/tmp}/chorus-bench.XXXXXX")
sink=""
pgdir=""
pg_user=""
# pg_as CMD...: as the server's user, from its directory.
pg_as() {
	if [ -n "$pg_user" ]; then
		(cd "$pgdir" && runuser -u "$pg_user" -- "$@")
	else
		(cd "$pgdir" && "$@")
	fi
}
cleanup() {
	[ -n "$sink" ] && kill "$sink" 2>/dev/null
	if [ -n "$pgdir" ]; then
		pg_as "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w -t 60 stop \
		    >/dev/null 2>&1 || true
		rm -rf "$pgdir"
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap "exit 1" HUP INT PIPE TERM
cd "$T"
user=""
[ "$(id -u)" -eq 0 ] && user="-u nobody"
port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# Starts a sink; sets $sink (pid) and $p (port).
start_sink() {
	p=$(port)
	# shellcheck disable=SC2086
	$SINK $user "127.0.0.1:$p" 256 &
	sink=$!
	i=0
	while ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $p))" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || exit 1; sleep 0.1
	done
}
now() { date +%s.%N; }

# N employees, a handful of posts for everyone.
people() {
awk -v n="$1" 'BEGIN {
	print "BEGIN;"
	for (i = 1; i <= n; i++) {
		printf "INSERT INTO employees (email, name, unsub_token, " \
		    "pref_token, created_at, updated_at) VALUES " \
		    "(\"e%d@example.com\", \"Employee %d\", \"u-%d\", " \
		    "\"p-%d\", 0, 0);\n", i, i, i, i
		printf "INSERT INTO employee_roles VALUES (%d, \"staff\");\n", i
	}
	for (p = 1; p <= 6; p++)
		printf "INSERT INTO posts (ext_id, title, url, summary, text, " \
		    "everyone, created_at, updated_at) VALUES (\"p%d\", " \
		    "\"Post number %d of the week\", " \
		    "\"https://example.com/news/%d\", \"What happened and why " \
		    "it matters\", \"Proud of the team for post %d\", 1, 0, " \
		    "0);\n", p, p, p, p
	print "COMMIT;"
}'
}
"$CHORUS" init >/dev/null
cp chorus.db sample.db
people "$N" | sqlite3 chorus.db
people 200 | sqlite3 sample.db
NOW=2026-11-23T09:00:00Z

# The size of a digest: render a sample with the file transport.
CHORUS_SMTP_URL="file:$T/sample" "$CHORUS" --db sample.db digest run \
    --now $NOW >/dev/null 2>sample.err || { cat sample.err >&2; exit 1; }
size=$(find "$T/sample" -name '*.eml' | head -200 | xargs cat | wc -c)
count=$(find "$T/sample" -name '*.eml' | head -200 | wc -l)
[ "$count" -gt 0 ] || { echo "bench: no digest rendered" >&2; exit 1; }
size=$((size / count))

cp chorus.db base.db

# STORE=pg: a private server; the database "base" is base.db migrated,
# and each round's "chorus" a copy of it.
DB=chorus.db
if [ "$STORE" = pg ]; then
	pgbin=""
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && [ -x "$d/psql" ] && pgbin=$d
	done
	[ -n "$pgbin" ] || { echo "bench: no PostgreSQL server" >&2; exit 1; }
	# initdb refuses root: the server runs as nobody, in a directory of
	# its own under /tmp (a socket's path must be short).
	[ "$(id -u)" -ne 0 ] || pg_user=nobody
	pgdir=$(mktemp -d /tmp/chorus-bench-pg.XXXXXX)
	[ -z "$pg_user" ] || chown "$pg_user" "$pgdir"
	pg_as "$pgbin/initdb" -D "$pgdir/data" -U chorus --auth=trust \
	    -E UTF8 --locale=C.UTF-8 >"$pgdir/initdb.log" 2>&1 ||
	    { cat "$pgdir/initdb.log" >&2; exit 1; }
	# As in production: every COMMIT waits for its WAL on disk.
	cat >>"$pgdir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$pgdir'
fsync = on
synchronous_commit = on
shared_buffers = 128MB
CONF
	[ "${PG_LOG:-0}" = 1 ] && cat >>"$pgdir/data/postgresql.conf" <<CONF
log_min_duration_statement = 0
log_line_prefix = '%p '
CONF
	pg_as "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
	    -t 60 start >/dev/null ||
	    { cat "$pgdir/server.log" >&2; exit 1; }
	psql() {
		PGOPTIONS="-c client_min_messages=warning" "$pgbin/psql" -X -q -At -v ON_ERROR_STOP=1 \
		    "postgresql://chorus@/$1?host=$pgdir" -c "$2"
	}
	psql postgres "CREATE DATABASE base"
	"$CHORUS" --db base.db migrate \
	    --to "postgresql://chorus@/base?host=$pgdir" >migrate.out 2>&1 ||
	    { cat migrate.out >&2; exit 1; }
	psql base "ANALYZE employees, employee_roles, posts, post_roles"
	DB="postgresql://chorus@/chorus?host=$pgdir"
	echo "bench: PostgreSQL $(psql postgres 'SHOW server_version')," \
	    "fsync and synchronous_commit on"
fi

# Seconds of CPU a process has used, from /proc (user + system).
cpu_of() {
	awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"
}
# Seconds of CPU the server's ended processes used (the postmaster's
# reaped children: a connection's process ends with it).
reaped_cpu() {
	awk '{ printf "%.2f", ($16 + $17) / 100 }' \
	    "/proc/$(head -n 1 "$pgdir/data/postmaster.pid")/stat"
}

# ROUNDS rounds, each chorus then smtp-source on a fresh copy of the
# database and a fresh sink: the machine's load moves between rounds, and
# the median ratio says more than one pair.
ROUNDS=${ROUNDS:-3}
round=1
: >ratios
: >cpus
while [ $round -le "$ROUNDS" ]; do
	if [ "$STORE" = pg ]; then
		psql postgres "DROP DATABASE IF EXISTS chorus"
		psql postgres "CREATE DATABASE chorus TEMPLATE base"
		psql postgres "CHECKPOINT"
		[ "${PG_LOG:-0}" = 1 ] &&
		    logstart=$(wc -l <"$pgdir/server.log")
	else
		cp base.db chorus.db
		rm -f chorus.db-wal chorus.db-shm
	fi
	start_sink
	[ "$STORE" = pg ] && pg0=$(reaped_cpu)
	t0=$(now)
	CHORUS_SMTP_URL="smtp://127.0.0.1:$p" CHORUS_SMTP_CONNECTIONS=$C \
	    /usr/bin/time -f "%M %U %S" -o chorus.cpu "$CHORUS" --db "$DB" \
	    digest run --now $NOW 2>chorus.err ||
	    { cat chorus.err >&2; exit 1; }
	t1=$(now)
	# The server's CPU for chorus's connections, once their processes
	# have ended.
	if [ "$STORE" = pg ]; then
		i=0
		while [ "$(psql postgres "SELECT count(*) FROM pg_stat_activity
		    WHERE datname = 'chorus'")" != 0 ] && [ $i -lt 100 ]; do
			i=$((i + 1)); sleep 0.1
		done
		server=$(echo "$(reaped_cpu) - $pg0" | bc)
	fi
	sink_a=$(cpu_of "$sink")
	kill "$sink"; wait "$sink" 2>/dev/null || true; sink=""
	if [ "$STORE" = pg ]; then
		sent=$(psql chorus \
		    "SELECT count(*) FROM ledger WHERE state = 'sent'")
	else
		sent=$(sqlite3 chorus.db \
		    "SELECT count(*) FROM ledger WHERE state = 'sent'")
	fi
	if [ "${PG_LOG:-0}" = 1 ] && [ "$STORE" = pg ]; then
		tail -n +"$((logstart + 1))" "$pgdir/server.log" | sed -n \
		    's/.*duration: \([0-9.]*\) ms  \(statement\|execute [^:]*\): /\1 /p' \
		    >statements
		awk -v s="$sent" '{ ms += $1 } END { printf "  statements" \
		    "          %8d (%.1f a digest, %.2f ms of the server)\n",
		    NR, NR / s, ms / s }' statements
		# The texts run most, each with its count and server time a
		# digest.
		awk '{ ms = $1; $1 = ""; t = substr($0, 2, 60); n[t]++
		    d[t] += ms } END { for (t in n) printf "%d %.3f %s\n",
		    n[t], d[t], t }' statements | sort -k2,2 -rn | head -n 25 |
		    awk -v s="$sent" '{ c = $1; ms = $2; $1 = $2 = ""
		    printf "    %6.2f %7.3f ms %s\n", c / s, ms / s, $0 }'
	fi
	read -r rss cu cs <chorus.cpu

	# smtp-source: the same number of messages, the same size, the
	# same number of sessions, each session reused (-d).
	start_sink
	t2=$(now)
	/usr/bin/time -f '%U %S' -o src.cpu $SOURCE -d -s "$C" -m "$sent" \
	    -l "$size" -f chorus@localhost -t rcpt@example.com \
	    "127.0.0.1:$p"
	t3=$(now)
	sink_b=$(cpu_of "$sink")
	kill "$sink"; wait "$sink" 2>/dev/null || true; sink=""
	read -r su ss <src.cpu

	awk -v n="$N" -v store="$STORE" -v sent="$sent" -v size="$size" \
	    -v c="$C" -v rss="$rss" -v r="$round" -v load="$(cut -d' ' -f1 \
	    /proc/loadavg)" -v a="$(echo "$t1 - $t0" | bc)" \
	    -v b="$(echo "$t3 - $t2" | bc)" -v cc="$(echo "$cu + $cs" | bc)" \
	    -v sc="$(echo "$su + $ss" | bc)" -v ka="$sink_a" \
	    -v kb="$sink_b" -v server="${server:-}" 'BEGIN {
		cr = sent / a; sr = sent / b
		printf "round %d (load %s, %s): %d employees, %d digests of %d " \
		    "bytes, %d sessions\n", r, load, store, n, sent, size, c
		printf "  chorus digest run   %8.0f msg/s  (%.2f s, CPU %.0f " \
		    "us/msg + sink %.0f us/msg, peak RSS %d KB)\n", cr, a,
		    cc * 1e6 / sent, ka * 1e6 / sent, rss
		if (server != "")
			printf "  PostgreSQL CPU      %8.0f us/msg (for the " \
			    "connections of chorus)\n", server * 1e6 / sent
		printf "  smtp-source         %8.0f msg/s  (%.2f s, CPU %.0f " \
		    "us/msg + sink %.0f us/msg)\n", sr, b, sc * 1e6 / sent,
		    kb * 1e6 / sent
		printf "  ratio               %8.2fx\n", cr / sr
		printf "%.4f\n", cr / sr >> "ratios"
		printf "%.1f %.1f %.1f %.1f\n", cc * 1e6 / sent,
		    ka * 1e6 / sent, sc * 1e6 / sent, kb * 1e6 / sent >> "cpus"
	}'
	round=$((round + 1))
done
# The median of column $1 of the file $2.
median() {
	awk -v c="$1" '{ print $c }' "$2" | sort -n |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
printf "delivery: median CPU a message: chorus %s us + sink %s us, " \
    "$(median 1 cpus)" "$(median 2 cpus)"
printf "smtp-source %s us + sink %s us\n" "$(median 3 cpus)" "$(median 4 cpus)"
sort -n ratios | awk '{ r[NR] = $1 } END {
	printf "delivery: median ratio of %d rounds %.2fx (goal >= 0.8x)\n",
	    NR, r[int((NR + 1) / 2)]
}'
