# Fault: slow and flooding clients. Slowloris connections past the per-IP
# limit, idle connections past the total limit, oversized request lines,
# headers and bodies, and malformed requests (tests/e2e/flood.py, from
# other loopback addresses). Throughout, a well-behaved curl from
# 127.0.0.1 is served, the limits and the time-out close what they should,
# nothing hostile gets a redirect, the process survives, and its resident
# memory stays bounded (two rounds: the second must not grow it much).
# FLOOD_THREADS server threads: 1 here (the loop, which accepts for
# libmicrohttpd), 2 in fault_flood_pool.sh (libmicrohttpd's pool).
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/fault.inc"
FLOOD="$CHORUS_SRC/tests/e2e/flood.py"

expect_status 0 "$CHORUS" --db "$DB" init
seed_links "$DB" 10 > "$T/codes"
code=$(head -n 1 "$T/codes")
export CHORUS_REDIRECTOR_TIMEOUT=2
export CHORUS_REDIRECTOR_MAX_PER_IP=8
export CHORUS_REDIRECTOR_MAX_CONNECTIONS=32
export CHORUS_REDIRECTOR_THREADS=${FLOOD_THREADS:-1}
start_redirector "$DB"
export FLOOD_PID=$rpid

# served: the well-behaved client gets its 302 (a few tries: when the total
# limit is full it waits for the time-out to free a slot).
served() {
	i=0
	while :; do
		s=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
		    "http://127.0.0.1:$port/$code") || true
		[ "$s" = 302 ] && return 0
		i=$((i + 1))
		[ $i -lt 40 ] || fail "the well-behaved client was not served ($1)"
		sleep 0.5
	done
}
alive() {
	kill -0 "$rpid" 2>/dev/null || { cat "$T/redir.log" >&2;
	    fail "the redirector died ($1)"; }
}

served warm-up
python3 "$HITLOAD" "$port" "$T/codes" "$T/got" --requests 500 >/dev/null
rss0=$(rss_kb "$rpid")

# field NAME LINE: the value after NAME in a flood.py line.
field() { echo "$2" | tr ' ' '\n' | sed -n "/^$1\$/{n;p;}"; }

round() {
	# 40 slowloris connections from one address, 8 allowed.
	python3 "$FLOOD" "$port" "$code" slowloris 40 > "$T/slow" &
	sl=$!
	sleep 1
	served "during slowloris"
	wait $sl
	l=$(cat "$T/slow")
	echo "round $1: $l"
	h=$(field server_held "$l")
	[ "$h" -ge 1 ] && [ "$h" -le 8 ] ||
		fail "per-IP limit: the server held $h (want 1..8)"
	[ "$(field closed_by_limit "$l")" -ge 32 ] ||
		fail "per-IP limit: only $(field closed_by_limit "$l") of 40 refused"
	[ "$(field cleared "$l")" = 1 ] || fail "slowloris not timed out"
	alive slowloris

	# 6 addresses x 8 idle connections: 48 against a total of 32.
	python3 "$FLOOD" "$port" "$code" idle 6 8 > "$T/idle"
	l=$(cat "$T/idle")
	echo "round $1: $l"
	h=$(field server_held "$l")
	[ "$h" -ge 1 ] && [ "$h" -le 32 ] ||
		fail "total limit: the server held $h (want 1..32)"
	[ "$(field cleared "$l")" = 1 ] || fail "idle connections not timed out"
	served "after the idle flood"
	alive idle

	python3 "$FLOOD" "$port" "$code" huge > "$T/huge"
	echo "round $1: $(cat "$T/huge")"
	if tr ' ' '\n' < "$T/huge" | grep -q -E '=[23][0-9][0-9]$'; then
		fail "an oversized request was answered with success"
	fi
	served "after huge requests"
	alive huge

	python3 "$FLOOD" "$port" "$code" malformed > "$T/bad"
	echo "round $1: $(cat "$T/bad")"
	served "after malformed requests"
	alive malformed
}

round 1
rss1=$(rss_kb "$rpid")
round 2
rss2=$(rss_kb "$rpid")
echo "rss: ${rss0} KiB at start, ${rss1} KiB after round 1, ${rss2} KiB" \
    "after round 2"
# Generous bounds: 64 MiB over the start, 16 MiB between the two rounds.
[ "$rss1" -le $((rss0 + 65536)) ] || fail "RSS grew to $rss1 KiB from $rss0"
[ "$rss2" -le $((rss1 + 16384)) ] || fail "RSS grew to $rss2 KiB from $rss1"

stop_redirector
[ $rstatus -eq 0 ] || fail "the redirector exited $rstatus on SIGTERM"
no_crash $rstatus "$T/redir.log"
lost=$(lost_hits "$T/got" "$DB")
[ "$lost" -eq 0 ] || fail "$lost answered hits have no row"
integrity_ok "$DB"
