# Out of file descriptors: the one-thread loop accepts for libmicrohttpd.
# Under a limit of 64 open files, 80 idle connections: it holds what the
# limit allows, says so once, does not spin on the listening socket it
# cannot accept from (it pauses, using well under half a second of CPU in
# a second of that), and accepts again, and serves, once connections
# close.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/fault.inc"

expect_status 0 "$CHORUS" --db "$DB" init
seed_links "$DB" 10 > "$T/codes"
code=$(head -n 1 "$T/codes")
port=$(free_port)
CHORUS_REDIRECTOR_THREADS=1 CHORUS_REDIRECTOR_MAX_CONNECTIONS=4096 \
CHORUS_REDIRECTOR_MAX_PER_IP=4096 CHORUS_REDIRECTOR_TIMEOUT=60 \
    sh -c 'ulimit -n 64 && exec "$@"' sh \
    "$CHORUS" --db "$DB" redirector --listen "127.0.0.1:$port" \
    2>"$T/redir.log" &
rpid=$!
stop_it() { kill -9 "$rpid" 2>/dev/null || true; }
cleanup_hooks="$cleanup_hooks stop_it"
wait_port "$port"

# Holds 80 idle connections open for at most 120 s (killed sooner).
python3 - "$port" > "$T/held" <<'PY' &
import socket, sys, time
conns = []
for _ in range(80):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    conns.append(s)
print(len(conns), flush=True)
time.sleep(120)
PY
holder=$!
stop_holder() { kill "$holder" 2>/dev/null || true; }
cleanup_hooks="$cleanup_hooks stop_holder"
i=0
until grep -q "accept (at" "$T/redir.log"; do
	i=$((i + 1))
	[ $i -lt 300 ] || { cat "$T/redir.log" >&2; fail "no word of the limit"; }
	sleep 0.1
done
ticks() { awk '{ print $14 + $15 }' "/proc/$rpid/stat"; }
t0=$(ticks)
sleep 1
t1=$(ticks)
hz=$(getconf CLK_TCK)
echo "at the limit: $((t1 - t0)) ticks of CPU in 1 s ($hz a second)"
[ $((t1 - t0)) -lt $((hz / 2)) ] || fail "spinning at the limit"
[ "$(grep -c "accept (at" "$T/redir.log")" -eq 1 ] || { cat "$T/redir.log" >&2;
	fail "the limit was logged more than once"; }
kill "$holder"
wait "$holder" 2>/dev/null || true
i=0
until s=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    "http://127.0.0.1:$port/$code") && [ "$s" = 302 ]; do
	i=$((i + 1))
	[ $i -lt 20 ] || fail "not served after the connections closed ($s)"
	sleep 0.5
done
kill "$rpid"
wait "$rpid" || fail "the redirector exited $? on SIGTERM"
expect_grep "redirector: stopped" "$T/redir.log"
