#!/bin/sh
# The redirector on PostgreSQL against nginx (`return 302` to the same
# URL, access log on), in the same run: a private server started here
# (tests/e2e/pg.inc; fsync and synchronous_commit on, the settings below),
# 10,000 links with random 12-character codes, keep-alive load from wrk
# over random codes as fast as it goes. Each round runs, one after the
# other:
#   nginx		wrk -t1 -c64
#   one redirector	wrk -t1 -c64
#   two redirectors	two wrk -t1 -c32 at once, one on each process,
#			both on the same database
# and checks that PostgreSQL gained a hit row for every answer wrk read
# (at most one more per connection, and per request wrk gave up waiting
# for: a request still in flight when wrk stopped was committed, but its
# answer went unread) and that no answer was anything but a 302. Prints each round and the medians: req/s, p99,
# CPU per request of the redirector and of the PostgreSQL server, the
# ratios to nginx of the same round.
#
# Usage: bench/redirector_pg.sh  (BENCH_SECONDS=8, BENCH_ROUNDS=3;
#	  BENCH_PG_SETTINGS='name = value' added to postgresql.conf;
#	  BENCH_SQL='...' run once the schema is made, to try a change;
#	  BENCH_CONNS, wrk's connections, 64 unless set;
#	  CHORUS=./chorus; CHORUS_REDIRECTOR_* settings pass through)
set -eu

CHORUS=${CHORUS:-$PWD/chorus}
SRC=$(cd "$(dirname "$0")/.." && pwd)
SECS=${BENCH_SECONDS:-8}
ROUNDS=${BENCH_ROUNDS:-3}
CONNS=${BENCH_CONNS:-64}
NCODES=10000
URL='https://example.com/blog/launch?utm_source=linkedin&utm_medium=employee_advocacy&utm_campaign=launch'

for t in wrk nginx awk curl python3; do
	command -v $t >/dev/null || { echo "bench: needs $t" >&2; exit 1; }
done
[ -x "$CHORUS" ] || { echo "bench: no $CHORUS (run make)" >&2; exit 1; }

D=$(mktemp -d "${TMPDIR:-/tmp}/chorus-bench.XXXXXX")
rpids=""
npid=""
# What pg.inc expects of tests/e2e/lib.sh.
fail() { echo "bench: $*" >&2; exit 1; }
cleanup_hooks=""
. "$SRC/tests/e2e/pg.inc"
cleanup() {
	for p in $rpids $npid; do kill "$p" 2>/dev/null || true; done
	for p in $rpids $npid; do wait "$p" 2>/dev/null || true; done
	pg_stop
	rm -rf "$D"
}
trap cleanup EXIT
trap "exit 1" HUP INT PIPE TERM

port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_port() {
	i=0
	while ! curl -s -o /dev/null "http://127.0.0.1:$1/"; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "bench: nothing on port $1" >&2; cat "$D"/redir*.log >&2; exit 1; }
		sleep 0.1
	done
}

# The server: pg.inc's (fsync = on, synchronous_commit = on, a Unix
# socket), with what a production server of this size would set. No
# setting trades durability: every COMMIT waits for its WAL flush.
pg_start bench
cat >>"$PGDIR/data/postgresql.conf" <<CONF
shared_buffers = 256MB
wal_buffers = 16MB
max_wal_size = 4GB
checkpoint_timeout = 15min
checkpoint_completion_target = 0.9
track_wal_io_timing = on
CONF
# BENCH_PG_SETTINGS: more lines for postgresql.conf, to try one.
[ -z "${BENCH_PG_SETTINGS:-}" ] ||
    printf '%s\n' "$BENCH_PG_SETTINGS" >>"$PGDIR/data/postgresql.conf"
pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
    restart >/dev/null || fail "pg_ctl restart"
export CHORUS_CHORUS_DATABASE="$PG_URI"
"$CHORUS" -q init >/dev/null
[ -z "${BENCH_SQL:-}" ] || "$PSQL" -X -q "$PG_URI" -c "$BENCH_SQL"

# One employee, one post, 10,000 links with random 12-character codes
# (the same as bench/redirector.sh).
awk -v n=$NCODES 'BEGIN {
	srand(42)
	a = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	print "BEGIN;"
	print "INSERT INTO employees (id, email, unsub_token, pref_token," \
	    " created_at, updated_at) VALUES (1, \"a@example.com\", \"u\"," \
	    " \"p\", 0, 0);"
	print "INSERT INTO posts (id, ext_id, title, url, created_at," \
	    " updated_at) VALUES (1, \"launch\", \"t\"," \
	    " \"https://example.com/blog/launch\", 0, 0);"
	for (i = 1; i <= n; i++) {
		c = ""
		for (j = 0; j < 12; j++)
			c = c substr(a, int(rand() * 62) + 1, 1)
		if (c in seen) { i--; continue }
		seen[c] = 1
		printf "INSERT INTO employees (id, email, unsub_token," \
		    " pref_token, created_at, updated_at) VALUES (%d," \
		    " \"e%d@example.com\", \"u%d\", \"p%d\", 0, 0);\n",
		    i + 1, i, i, i
		printf "INSERT INTO links (code, employee_id, post_id, network," \
		    " created_at) VALUES (\"%s\", %d, 1, \"linkedin\", 0);\n",
		    c, i + 1
		codes = codes (i > 1 ? "," : "") "\"" c "\""
	}
	print "COMMIT;"
	print "codes = {" codes "}" > "/dev/stderr"
}' 2>"$D/codes.lua" | sed 's/"/'"'"'/g' |
    "$PSQL" -X -q -v ON_ERROR_STOP=1 "$PG_URI" >/dev/null
cat >>"$D/codes.lua" <<'EOF'
request = function()
	return wrk.format("GET", "/" .. codes[math.random(#codes)])
end
-- wrk's summary stops at p99; this adds p99.9, in ms.
done = function(summary, latency, requests)
	io.write(string.format("percentiles %.3f %.3f %.3f %.3f\n",
	    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
	    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
end
EOF

ncores=$(nproc)
if [ "$ncores" -ge 4 ]; then
	pin_wrk="taskset -c $((ncores - 1))"
	pin_srv="taskset -c 0-$((ncores - 2))"
	workers=$((ncores - 1))
	placement="wrk on core $((ncores - 1)), the servers (PostgreSQL too) on 0-$((ncores - 2))"
else
	pin_wrk=""
	pin_srv=""
	workers=auto
	placement="wrk, nginx, the redirectors and PostgreSQL share the $ncores cores"
fi

nport=$(port)
mkdir -p "$D/nginx"
cat >"$D/nginx/nginx.conf" <<EOF
worker_processes $workers;
daemon off;
pid $D/nginx/nginx.pid;
error_log $D/nginx/error.log;
events { worker_connections 4096; }
http {
	access_log $D/nginx/access.log;
	server {
		listen 127.0.0.1:$nport;
		location / { return 302 '$URL'; }
	}
}
EOF
$pin_srv nginx -c "$D/nginx/nginx.conf" -p "$D/nginx" 2>/dev/null &
npid=$!
p1=$(port)
p2=$(port)
$pin_srv "$CHORUS" redirector --listen "127.0.0.1:$p1" 2>"$D/redir1.log" &
rpid1=$!
$pin_srv "$CHORUS" redirector --listen "127.0.0.1:$p2" 2>"$D/redir2.log" &
rpid2=$!
rpids="$rpid1 $rpid2"
wait_port "$nport"
wait_port "$p1"
wait_port "$p2"
first=$(awk -F'"' '{print $2; exit}' "$D/codes.lua")
for p in "$nport" "$p1" "$p2"; do
	loc=$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$p/$first")
	[ "$loc" = "$URL" ] || fail "port $p answers '$loc'"
done
grep -h 'listening on' "$D"/redir1.log | sed 's/^/redirector: /'

ticks() {
	t=0
	for p in $1; do
		[ -r "/proc/$p/stat" ] || continue
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo $t
}
# PostgreSQL's processes: the postmaster and its children (backends,
# WAL writer, checkpointer), as they are now.
pgpids() {
	pm=$(head -n 1 "$PGDIR/data/postmaster.pid")
	echo "$pm $(pgrep -P "$pm" | tr '\n' ' ')"
}
hits() { pg_sql "SELECT count(*) FROM hits"; }
# The hit rows once the batches still in flight when wrk stopped have
# committed: the count, when two reads 0.2 s apart agree (at most 10 s).
settled() {
	a=$(hits)
	i=0
	while [ $i -lt 50 ]; do
		sleep 0.2
		b=$(hits)
		[ "$a" != "$b" ] || break
		a=$b
		i=$((i + 1))
	done
	echo "$a"
}
# The server's WAL flushes since the last call: "count mean-ms".
walsync() {
	pg_sql "SELECT wal_sync, round((wal_sync_time / greatest(wal_sync, 1))::numeric, 2) FROM pg_stat_wal" | tr '|' ' '
	pg_sql "SELECT pg_stat_reset_shared('wal')" >/dev/null
}
# The redirectors' batches: "batches hits" committed so far, summed.
batches() {
	for p in "$@"; do
		curl -s "http://127.0.0.1:$p/metrics"
	done | awk '/^chorus_redirector_commit_batch_size_count / { c += $2 }
	    /^chorus_redirector_commit_batch_size_sum / { s += $2 }
	    END { print c + 0, s + 0 }'
}
bsize() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (a > 0 ? b / a : 0) }'; }

# wrk_run NAME PORT CONNS: starts wrk in the background.
wrk_run() {
	$pin_wrk wrk -t1 -c"$3" -d"${SECS}"s -s "$D/codes.lua" \
	    "http://127.0.0.1:$2/" >"$D/$1.out" 2>&1
}
# parse NAME: "req/s p99 requests non3xx timeouts"
parse() {
	awk '
	/Requests\/sec/ { rps = $2 }
	/^percentiles / { p99 = $4 }
	/requests in/ { n = $1 }
	/Non-2xx or 3xx/ { bad = $5 }
	/Socket errors/ { to = $NF }
	END { printf "%.0f %.2f %d %d %d\n", rps, p99, n, bad, to }' "$D/$1.out"
}
cpu() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.1f", (n > 0 ? t * 1e6 / 100 / n : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# check NAME ANSWERED BAD ROWS SLACK: every answer has its row; at most
# SLACK rows more (the requests in flight when wrk stopped, and those it
# gave up waiting for, whose hits were committed all the same).
check() {
	[ "$3" -eq 0 ] || fail "$1: $3 answers were not 302"
	[ "$4" -ge "$2" ] || fail "$1: $4 hit rows for $2 answers"
	[ "$4" -le $(($2 + $5)) ] || fail "$1: $4 hit rows for $2 answers"
}

echo "placement: $placement"
echo "round  nginx req/s   one: req/s ratio  p99 us/req(chorus+pg) batch flush   two: req/s ratio  p99 us/req(chorus+pg) batch flush"
echo "       (p99 in ms; batch: hits per commit; flush: the server's mean WAL fsync, ms)"
: >"$D/rounds"
r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	npids="$npid $(pgrep -P "$npid" | tr '\n' ' ')"
	t0=$(ticks "$npids")
	wrk_run nginx "$nport" $CONNS
	set -- $(parse nginx)
	n_rps=$1; n_p99=$2; n_cpu=$(cpu $(( $(ticks "$npids") - t0 )) "$3")

	h0=$(settled); pgp=$(pgpids)
	set -- $(batches "$p1"); b0=$1; s0=$2
	walsync >/dev/null
	t0=$(ticks "$rpid1"); g0=$(ticks "$pgp")
	wrk_run one "$p1" $CONNS
	t1=$(ticks "$rpid1"); g1=$(ticks "$pgp")
	set -- $(walsync); o_sync=$2
	set -- $(batches "$p1"); o_batch=$(bsize $(($1 - b0)) $(($2 - s0)))
	set -- $(parse one)
	o_rps=$1; o_p99=$2; o_n=$3
	check "round $r, one" "$3" "$4" $(($(settled) - h0)) $((CONNS + $5))
	o_cpu=$(cpu $((t1 - t0)) "$o_n"); o_pg=$(cpu $((g1 - g0)) "$o_n")

	h0=$(settled); pgp=$(pgpids)
	set -- $(batches "$p1" "$p2"); b0=$1; s0=$2
	walsync >/dev/null
	t0=$(ticks "$rpids"); g0=$(ticks "$pgp")
	wrk_run two1 "$p1" $((CONNS / 2)) &
	w1=$!
	wrk_run two2 "$p2" $((CONNS / 2))
	wait $w1
	t1=$(ticks "$rpids"); g1=$(ticks "$pgp")
	set -- $(walsync); t_sync=$2
	set -- $(batches "$p1" "$p2"); t_batch=$(bsize $(($1 - b0)) $(($2 - s0)))
	set -- $(parse two1)
	a_rps=$1; a_p99=$2; a_n=$3; a_bad=$4; a_to=$5
	set -- $(parse two2)
	t_rps=$((a_rps + $1)); t_n=$((a_n + $3))
	t_p99=$(awk -v a="$a_p99" -v b="$2" 'BEGIN { print (a > b ? a : b) }')
	check "round $r, two" "$t_n" $((a_bad + $4)) $(($(settled) - h0)) \
	    $((CONNS + a_to + $5))
	t_cpu=$(cpu $((t1 - t0)) "$t_n"); t_pg=$(cpu $((g1 - g0)) "$t_n")

	echo "$r $n_rps $n_p99 $n_cpu $o_rps $(ratio "$o_rps" "$n_rps") $o_p99 $o_cpu $o_pg $t_rps $(ratio "$t_rps" "$n_rps") $t_p99 $t_cpu $t_pg $o_n $t_n $o_batch $o_sync $t_batch $t_sync" >>"$D/rounds"
	printf '%-6s %11s   %10s %5sx %5s %5s+%-5s %5s %5s   %10s %5sx %5s %5s+%-5s %5s %5s\n' \
	    "$r" "$n_rps" "$o_rps" "$(ratio "$o_rps" "$n_rps")" "$o_p99" \
	    "$o_cpu" "$o_pg" "$o_batch" "$o_sync" "$t_rps" \
	    "$(ratio "$t_rps" "$n_rps")" "$t_p99" "$t_cpu" "$t_pg" \
	    "$t_batch" "$t_sync"
done

# med COLUMN: the median of a column of the rounds.
med() {
	awk -v c="$1" '{ print $c }' "$D/rounds" | sort -g |
	    awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
echo "medians of $ROUNDS rounds of ${SECS} s (ratios against nginx in the same round):"
printf '  %-34s %s req/s, p99 %s ms, %s us CPU a request\n' "nginx return 302" "$(med 2)" "$(med 3)" "$(med 4)"
printf '  %-34s %s req/s (%sx), p99 %s ms, %s+%s us CPU a request (chorus+PostgreSQL), %s hits a commit, WAL fsync %s ms\n' \
    "one redirector" "$(med 5)" "$(med 6)" "$(med 7)" "$(med 8)" "$(med 9)" "$(med 17)" "$(med 18)"
printf '  %-34s %s req/s (%sx), p99 %s ms, %s+%s us CPU a request, %s hits a commit, WAL fsync %s ms\n' \
    "two redirectors, one database" "$(med 10)" "$(med 11)" "$(med 12)" "$(med 13)" "$(med 14)" "$(med 19)" "$(med 20)"
awk '{ a += $15 + $16 } END { printf "every answer had its hit row in PostgreSQL (%d answers)\n", a }' "$D/rounds"
