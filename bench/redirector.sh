#!/bin/sh
# The redirector against nginx (`return 302` to the same URL, access log
# on), in the same run: wrk -t1 -c64 over 10,000 random codes, with
# keep-alive and with a new connection per request, as fast as they go;
# then keep-alive again with each connection pausing 1 ms after each
# answer, to see the latency of 64 connections below saturation. Prints
# req/s, latency percentiles and the ratios, the redirector's resident
# memory, and checks that every answered click has its row.
#
# With 4 cores or more, wrk runs on the last one and both servers on the
# others, so the load generator does not take turns with the server it
# measures; with fewer, all share the cores (the output says which).
#
# Usage: bench/redirector.sh   (BENCH_SECONDS=10 by default; CHORUS=./chorus)
set -eu

CHORUS=${CHORUS:-$PWD/chorus}
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNS:-64}
NCODES=10000
URL='https://example.com/blog/launch?utm_source=linkedin&utm_medium=employee_advocacy&utm_campaign=launch'

for t in wrk nginx sqlite3 awk curl python3; do
	command -v $t >/dev/null || { echo "bench: needs $t" >&2; exit 1; }
done
[ -x "$CHORUS" ] || { echo "bench: no $CHORUS (run make)" >&2; exit 1; }

D=$(mktemp -d "${TMPDIR:-/tmp}/chorus-bench.XXXXXX")
rpid=""
npid=""
cleanup() {
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null && wait "$rpid" 2>/dev/null
	[ -n "$npid" ] && kill "$npid" 2>/dev/null && wait "$npid" 2>/dev/null
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
		[ $i -lt 100 ] || { echo "bench: nothing on port $1" >&2; cat "$D/redir.log" >&2; exit 1; }
		sleep 0.1
	done
}

# One employee, one post, 10,000 links with random 12-character codes.
export CHORUS_CHORUS_DATABASE="$D/bench.db"
"$CHORUS" -q init >/dev/null
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
		# Each link its own employee, post and network in a real base;
		# here the post is shared, so vary the employee id.
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
}' 2>"$D/codes.lua" | sed 's/"/'"'"'/g' | sqlite3 "$D/bench.db"
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
# Paced: a connection waits 1 ms (wrk's timer step) after each answer.
cp "$D/codes.lua" "$D/paced.lua"
echo 'delay = function() return 1 end' >>"$D/paced.lua"

ncores=$(nproc)
if [ "$ncores" -ge 4 ]; then
	pin_wrk="taskset -c $((ncores - 1))"
	pin_srv="taskset -c 0-$((ncores - 2))"
	workers=$((ncores - 1))
	placement="wrk on core $((ncores - 1)), the servers on 0-$((ncores - 2))"
else
	pin_wrk=""
	pin_srv=""
	workers=auto
	placement="wrk and the servers share the $ncores cores"
fi

rport=$(port)
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
$pin_srv "$CHORUS" redirector --listen "127.0.0.1:$rport" 2>"$D/redir.log" &
rpid=$!
wait_port "$rport"
wait_port "$nport"
# Both answer the same Location.
loc=$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$nport/x")
[ "$loc" = "$URL" ] || { echo "bench: nginx answers '$loc'" >&2; exit 1; }
first=$(awk -F'"' '{print $2; exit}' "$D/codes.lua")
loc=$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$rport/$first")
[ "$loc" = "$URL" ] || { echo "bench: chorus answers '$loc'" >&2; exit 1; }

# CPU ticks (user + system) used so far by the processes in $1.
ticks() {
	t=0
	for p in $1; do
		t=$((t + $(awk '{ print $14 + $15 }' /proc/$p/stat)))
	done
	echo $t
}

# run NAME PORT SCRIPT [wrk options]: prints "req/s p50 p99 p99.9
# requests" (latencies in ms).
run() {
	name=$1
	p=$2
	lua=$3
	shift 3
	$pin_wrk wrk -t1 -c$CONNS -d${SECS}s "$@" -s "$D/$lua" \
	    "http://127.0.0.1:$p/" >"$D/$name.out" 2>&1
	awk '
	/Requests\/sec/ { rps = $2 }
	/^percentiles / { p50 = $2; p99 = $4; p999 = $5 }
	/requests in/ { n = $1 }
	END { printf "%.0f %.2f %.2f %.2f %d\n", rps, p50, p99, p999, n }' \
	    "$D/$name.out"
}

# CPU time per request (microseconds) says more than req/s on a shared
# machine: it does not depend on what else runs.
cpu() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.1f", (n > 0 ? t * 1e6 / 100 / n : 0) }'; }
npids="$npid $(pgrep -P "$npid" | tr '\n' ' ')"
rows0=$(sqlite3 "$D/bench.db" "SELECT count(*) FROM hits")
t0=$(ticks "$npids")
set -- $(run nginx_ka "$nport" codes.lua)
n_ka=$1; n_ka99=$3; n_ka999=$4; n_ka_cpu=$(cpu $(( $(ticks "$npids") - t0 )) $5)
t0=$(ticks "$rpid")
set -- $(run chorus_ka "$rport" codes.lua)
c_ka=$1; c_ka99=$3; c_ka999=$4; c_ka_n=$5; c_ka_cpu=$(cpu $(( $(ticks "$rpid") - t0 )) $5)
t0=$(ticks "$npids")
set -- $(run nginx_cl "$nport" codes.lua -H "Connection: close")
n_cl=$1; n_cl99=$3; n_cl_cpu=$(cpu $(( $(ticks "$npids") - t0 )) $5)
t0=$(ticks "$rpid")
set -- $(run chorus_cl "$rport" codes.lua -H "Connection: close")
c_cl=$1; c_cl99=$3; c_cl_n=$5; c_cl_cpu=$(cpu $(( $(ticks "$rpid") - t0 )) $5)
set -- $(run nginx_pc "$nport" paced.lua)
n_pc=$1; n_pc50=$2; n_pc99=$3; n_pc999=$4
set -- $(run chorus_pc "$rport" paced.lua)
c_pc=$1; c_pc50=$2; c_pc99=$3; c_pc999=$4; c_pc_n=$5
rss=$(awk '/VmHWM/ { print int($2 / 1024) }' /proc/$rpid/status)
rows=$(sqlite3 "$D/bench.db" "SELECT count(*) FROM hits")
hits=$((rows - rows0))

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo "placement: $placement"
printf '%-28s %12s %12s %8s\n' "redirector, wrk -t1 -c$CONNS" "chorus" "nginx" "ratio"
printf '%-28s %12s %12s %8s\n' "keep-alive req/s" "$c_ka" "$n_ka" "$(ratio "$c_ka" "$n_ka")"
printf '%-28s %12s %12s\n' "keep-alive p99 ms" "$c_ka99" "$n_ka99"
printf '%-28s %12s %12s\n' "keep-alive p99.9 ms" "$c_ka999" "$n_ka999"
printf '%-28s %12s %12s %8s\n' "keep-alive CPU us/request" "$c_ka_cpu" "$n_ka_cpu" "$(ratio "$n_ka_cpu" "$c_ka_cpu")"
printf '%-28s %12s %12s %8s\n' "new connection req/s" "$c_cl" "$n_cl" "$(ratio "$c_cl" "$n_cl")"
printf '%-28s %12s %12s\n' "new connection p99 ms" "$c_cl99" "$n_cl99"
printf '%-28s %12s %12s %8s\n' "new conn. CPU us/request" "$c_cl_cpu" "$n_cl_cpu" "$(ratio "$n_cl_cpu" "$c_cl_cpu")"
printf '%-28s %12s %12s\n' "paced 1 ms: req/s" "$c_pc" "$n_pc"
printf '%-28s %12s %12s\n' "paced 1 ms: p50 ms" "$c_pc50" "$n_pc50"
printf '%-28s %12s %12s\n' "paced 1 ms: p99 ms" "$c_pc99" "$n_pc99"
printf '%-28s %12s %12s\n' "paced 1 ms: p99.9 ms" "$c_pc999" "$n_pc999"
printf '%-28s %12s\n' "chorus peak RSS MB" "$rss"
printf '%-28s %12s (requests answered: %d)\n' "hits committed" "$hits" \
    $((c_ka_n + c_cl_n + c_pc_n))
# wrk counts requests whose answer it read; each was committed first.
[ "$hits" -ge $((c_ka_n + c_cl_n + c_pc_n)) ] || {
	echo "bench: fewer rows than answers" >&2
	exit 1
}
