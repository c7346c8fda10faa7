# kill -9 under load loses no answered hit: a bounded load (at most 20000
# requests, 120 s) records every 302 it receives; the redirector is killed
# mid-run; then every 302 must have its row in hits. In each of the four
# shapes of the server: one thread committing its own hits, waiting with
# select or (above 1000 connections) epoll; a pool of two threads and a
# writer, waiting with poll or (above 2048) epoll. Then SIGTERM in both
# kinds, which must also exit 0. Codes of both lengths (12, and 10 from
# before slices) are clicked.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

export CHORUS_CHORUS_DATABASE="$DB"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
expect_status 0 "$CHORUS" init
python3 - "$T/links.sql" > "$T/codes" <<'EOF'
import random, string, sys
rnd = random.Random(7)
alpha = string.ascii_letters + string.digits
codes = []
with open(sys.argv[1], "w") as f:
    f.write("INSERT INTO employees (id, email, unsub_token, pref_token, "
            "created_at, updated_at) VALUES (1, 'a@example.com', 'u', 'p', "
            "0, 0);\n")
    for i in range(200):
        f.write("INSERT INTO posts (id, ext_id, title, url, created_at, "
                "updated_at) VALUES (%d, 'p%d', 't', 'https://example.com/', "
                "0, 0);\n" % (i + 1, i))
        code = ''.join(rnd.choice(alpha) for _ in range(12 if i % 2 else 10))
        f.write("INSERT INTO links (id, code, employee_id, post_id, network, "
                "created_at) VALUES (%d, '%s', 1, %d, 'x', 0);\n"
                % (i + 1, code, i + 1))
        codes.append(code)
print('\n'.join(codes))
EOF
store_load "$T/links.sql"


rpid=""
stop_redirector() {
	[ -n "$rpid" ] && kill -9 "$rpid" 2>/dev/null && wait "$rpid" || true
}
cleanup_hooks="stop_redirector"
: > "$T/got"

# The load: eight keep-alive clients; each 302 received is written down at
# once. At most 20000 requests and 120 s (it ends with the server anyway).
cat > "$T/load.py" <<'PY'
import http.client, random, sys, threading, time
port, codes = int(sys.argv[1]), open(sys.argv[2]).read().split()
out = open(sys.argv[3], 'a')
lock = threading.Lock()
left = [20000]
deadline = time.time() + 120

def client(seed):
    rnd = random.Random(seed)
    conn = None
    while time.time() < deadline:
        with lock:
            if left[0] == 0:
                return
            left[0] -= 1
        code = rnd.choice(codes)
        try:
            if conn is None:
                conn = http.client.HTTPConnection('127.0.0.1', port, timeout=5)
            conn.request('GET', '/' + code)
            r = conn.getresponse()
            r.read()
        except Exception:
            return          # the server is gone
        if r.status == 302:
            with lock:
                out.write(code + '\n')
                out.flush()
        if (r.getheader('Connection') or '').lower() == 'close':
            conn.close()
            conn = None

ts = [threading.Thread(target=client, args=(i,)) for i in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
PY

# load_and_stop SIGNAL: serves, loads, sends SIGNAL once 500 more answers
# are in, waits for the end; the server's exit status is left in $st.
load_and_stop() {
	port=$(free_port)
	"$CHORUS" redirector --listen "127.0.0.1:$port" 2>>"$T/redir.log" &
	rpid=$!
	wait_port "$port"
	before=$(wc -l < "$T/got")
	python3 "$T/load.py" "$port" "$T/codes" "$T/got" &
	load=$!
	i=0
	while [ $(($(wc -l < "$T/got") - before)) -lt 500 ]; do
		i=$((i + 1))
		[ $i -lt 1200 ] || fail "the load made no progress"
		sleep 0.05
	done
	kill -"$1" "$rpid"
	set +e
	wait "$rpid"
	st=$?
	set -e
	rpid=""
	wait "$load"
}

# every_302_has_its_row: per code, rows >= 302s received (a hit committed
# but not answered when the process died is a row without a 302: fine).
every_302_has_its_row() {
	answered=$(wc -l < "$T/got")
	sort "$T/got" | uniq -c | awk '{print $2 "|" $1}' > "$T/want"
	sql "SELECT l.code, count(*) FROM hits h JOIN links l ON
	    l.id = h.link_id GROUP BY l.code" > "$T/have"
	missing=$(awk -F'|' 'NR == FNR { have[$1] = $2; next }
	    { if (have[$1] + 0 < $2 + 0) n++ } END { print n + 0 }' \
	    "$T/have" "$T/want")
	[ "$missing" -eq 0 ] || fail "$missing codes have fewer rows than 302s"
	rows=$(sql "SELECT count(*) FROM hits")
	echo "answered $answered, rows $rows"
	[ "$rows" -ge "$answered" ] || fail "rows $rows < answered $answered"
}

# shape THREADS CONNECTIONS SIGNAL WANT: one load_and_stop, checked on
# its own: the rows a kill leaves without an answer must not make up for
# answers without rows in another shape.
shape() {
	: > "$T/got"
	sql "DELETE FROM hits"
	CHORUS_REDIRECTOR_THREADS=$1 CHORUS_REDIRECTOR_MAX_CONNECTIONS=$2 \
	    load_and_stop "$3"
	grep 'listening on' "$T/redir.log" | tail -n 1 | grep -q "($4)" ||
		{ cat "$T/redir.log" >&2; fail "not the shape ($4)"; }
	every_302_has_its_row
}

: > "$T/redir.log"
shape 1 1000 KILL "1 thread, select, hits committed between passes"
[ "$(wc -l < "$T/got")" -ge 500 ] || fail "too few answers"
shape 1 4096 KILL "1 thread, epoll, hits committed between passes"
shape 2 1000 KILL "2 threads and a hit writer, poll"
shape 2 4096 KILL "2 threads and a hit writer, epoll"
expect_no_grep 'Warning' "$T/redir.log"

for threads in 1 2; do
	shape "$threads" 1000 TERM "$threads thread.*"
	[ "$st" -eq 0 ] ||
		{ cat "$T/redir.log" >&2; fail "exit $st after SIGTERM"; }
	tail -n 1 "$T/redir.log" | grep -q 'redirector: stopped' ||
		fail "no 'stopped' after SIGTERM ($threads threads)"
done
