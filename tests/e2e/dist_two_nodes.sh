#!/bin/bash
# The two-node example of dist/two-nodes, run as shipped on one private
# PostgreSQL: the files are copied with only the database URI, the ports
# and the paths of this test changed (sed), then
#  - both nodes' settings pass `chorus config --check` without a warning;
#  - the units' ExecStartPre (init) runs on both nodes at once, then
#    their ExecStart starts one redirector per node;
#  - both answer the same short link with the same 302 (node B through a
#    list of two hosts whose first is down), and both hits are
#    in the database; a link made while they run is served by both;
#  - SIGTERM (the units' KillSignal) stops each with status 0;
#  - systemd-analyze verify accepts the units (skipped without it);
#  - one `chorus digest run` per node at once: every digest sent once.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/pg.inc"

pg_start

D="$CHORUS_SRC/dist/two-nodes"
UA='Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
# No setting from the caller's environment: the files say everything.
unset CHORUS_CHORUS_DATABASE CHORUS_SMTP_URL CHORUS_REDIRECTOR_LISTEN \
    CHORUS_CHORUS_BASE_URL 2>/dev/null || true

# --- The files as shipped: every line a setting the binary reads whole
# (the database line is longer than libinih's 200-byte buffer).
for n in a b; do
	expect_status 0 "$CHORUS" -c "$D/node-$n.ini" config
	expect_no_grep "warning" "$T/err"
	expect_grep "^chorus.database = postgresql://.*&connect_timeout=[0-9]*	# " "$T/out"
done

# --- The files, with this test's URI, ports and paths.
# Node B lists two hosts, as the shipped URI does: the first one is
# down (a socket directory with no server), so libpq takes the second,
# as after a failover.
declare -A port uri
uri[a]=$PG_URI
uri[b]="postgresql://chorus@/chorus?host=$T/none,$PGDIR&target_session_attrs=read-write"
for n in a b; do
	port[$n]=$(free_port)
	sed -e "s|^database = postgresql://.*|database = ${uri[$n]//&/\\&}|" \
	    -e "s|^listen = 10\\.0\\.0\\.1[12]:8080\$|listen = 127.0.0.1:${port[$n]}|" \
	    "$D/node-$n.ini" >"$T/node-$n.ini"
	# Only those two lines differ from the shipped file.
	[ "$(diff "$D/node-$n.ini" "$T/node-$n.ini" | grep -c '^>')" = 2 ] ||
	    fail "node-$n.ini: the sed did not change exactly two lines"
done
[ "${port[a]}" != "${port[b]}" ] || fail "one port for both nodes"
mkdir "$T/units"
for u in chorus-redirector chorus-scheduler; do
	sed -e "s|/usr/bin/chorus|$CHORUS|g" "$D/$u.service" \
	    >"$T/units/$u.service"
done

# unit_cmd UNIT KEY NODE: the unit's KEY= command line, for NODE's file.
unit_cmd() {
	line=$(grep "^$2=" "$T/units/$1.service") ||
	    fail "$1.service has no $2="
	line=${line#"$2"=}
	echo "${line//\/etc\/chorus\/chorus.ini/$T/node-$3.ini}"
}

for n in a b; do
	expect_status 0 "$CHORUS" -c "$T/node-$n.ini" config --check
	[ ! -s "$T/err" ] || fail "node-$n.ini: $(cat "$T/err")"
	expect_status 0 "$CHORUS" -c "$T/node-$n.ini" config
	expect_grep "^redirector.listen = 127.0.0.1:${port[$n]}	# $T/node-$n.ini:" \
	    "$T/out"
	expect_grep "^chorus.base_url = https://go.example.com	# " "$T/out"
	expect_grep "^chorus.database = ${uri[$n]}	# " "$T/out"
done

# --- ExecStartPre on both nodes at once: the schema made once.
pids=""
for n in a b; do
	read -r -a cmd <<<"$(unit_cmd chorus-redirector ExecStartPre $n)"
	[ "${cmd[*]: -1}" = init ] || fail "ExecStartPre is not init"
	"${cmd[@]}" >"$T/init-$n.out" 2>&1 &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p" || { cat "$T"/init-*.out >&2; fail "init failed"; }
done
[ "$(pg_sql "SELECT count(*) FROM schema_version")" = \
    "$(pg_sql "SELECT max(version) FROM schema_version")" ] ||
    fail "a migration applied twice"

# Employees and posts from node A; links as a digest makes them.
expect_status 0 "$CHORUS" -c "$T/node-a.ini" import employees \
    "$CHORUS_SRC/examples/employees.csv"
expect_status 0 "$CHORUS" -c "$T/node-a.ini" import posts \
    "$CHORUS_SRC/examples/posts.csv"
pg_sql "INSERT INTO links (code, employee_id, post_id, network, created_at)
    SELECT 'twoNodes0001', min(e.id), min(p.id), 'linkedin', 0
    FROM employees e, posts p"

# --- One redirector per node, from the unit's ExecStart.
declare -A rpid
stop_redirectors() {
	for n in a b; do
		p=${rpid[$n]:-}
		[ -z "$p" ] || { kill "$p" 2>/dev/null; wait "$p" || true; }
		rpid[$n]=""
	done
}
cleanup_hooks="stop_redirectors $cleanup_hooks"
for n in a b; do
	read -r -a cmd <<<"$(unit_cmd chorus-redirector ExecStart $n)"
	"${cmd[@]}" >"$T/redir-$n.log" 2>&1 &
	rpid[$n]=$!
done
for n in a b; do
	wait_port "${port[$n]}"
done

# get NODE PATH: "STATUS LOCATION" of one GET.
get() {
	curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 10 \
	    -A "$UA" "http://127.0.0.1:${port[$1]}$2"
}
a=$(get a /twoNodes0001)
b=$(get b /twoNodes0001)
case $a in 302\ http*utm_medium=employee_advocacy*) ;;
*) fail "node a: $a" ;; esac
[ "$a" = "$b" ] || fail "the nodes differ: '$a' and '$b'"
for n in a b; do
	[ "$(get "$n" /healthz)" = "200 " ] || fail "node $n: healthz"
done
[ "$(pg_sql "SELECT count(*) FROM hits h JOIN links l ON l.id = h.link_id
    WHERE l.code = 'twoNodes0001' AND h.kind = 'click'")" = 2 ] ||
    fail "not both hits recorded"
# A link made while both run: each node serves it at once.
pg_sql "INSERT INTO links (code, employee_id, post_id, network, created_at)
    SELECT 'twoNodes0002', max(e.id), min(p.id), 'x', 0
    FROM employees e, posts p"
for n in a b; do
	case $(get "$n" /twoNodes0002) in 302\ http*) ;;
	*) fail "node $n does not serve the new link" ;; esac
done
[ "$(pg_sql "SELECT count(*) FROM hits h JOIN links l ON l.id = h.link_id
    WHERE l.code = 'twoNodes0002'")" = 2 ] || fail "new link: not 2 hits"

# KillSignal=SIGTERM: both stop cleanly.
grep -q "^KillSignal=SIGTERM$" "$T/units/chorus-redirector.service" ||
    fail "the unit's KillSignal changed"
for n in a b; do
	kill -TERM "${rpid[$n]}"
	st=0
	wait "${rpid[$n]}" || st=$?
	rpid[$n]=""
	[ $st -eq 0 ] || { cat "$T/redir-$n.log" >&2; fail "node $n: exit $st"; }
done

# --- The units, as systemd reads them.
if command -v systemd-analyze >/dev/null 2>&1; then
	for u in chorus-redirector chorus-scheduler; do
		systemd-analyze verify --man=no "$T/units/$u.service" \
		    >"$T/verify.log" 2>&1 ||
		    { cat "$T/verify.log" >&2; fail "systemd-analyze rejects $u"; }
	done
else
	echo "SKIP: systemd-analyze missing: units not verified"
fi

# --- The scheduler's command is the file's; then one digest run per
# node at once, each through its own settings, into one SMTP sink: every
# digest sent once.
read -r -a cmd <<<"$(unit_cmd chorus-scheduler ExecStart a)"
[ "${cmd[*]: -2}" = "digest schedule" ] || fail "scheduler: ${cmd[*]}"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/delivery.inc"
sink_port=""
start_sink
# delivery.inc names the test's store; each node's file names the database.
unset CHORUS_SMTP_URL CHORUS_CHORUS_DATABASE
today=$(date -u +%Y-%m-%d)
declare -A run
for n in a b; do
	sed -i "s|^url = smtp://127.0.0.1:25\$|url = smtp://127.0.0.1:$sink_port|" \
	    "$T/node-$n.ini"
	grep -q "^url = smtp://127.0.0.1:$sink_port\$" "$T/node-$n.ini" ||
	    fail "node-$n.ini: smtp.url not found"
	"$CHORUS" -c "$T/node-$n.ini" digest run --date "$today" \
	    >"$T/run-$n.out" 2>"$T/run-$n.err" &
	run[$n]=$!
done
for n in a b; do
	st=0
	wait "${run[$n]}" || st=$?
	[ $st -eq 0 ] || { cat "$T/run-$n.err" >&2; fail "node $n: digest run: $st"; }
done
sent=$(pg_sql "SELECT count(*) FROM ledger WHERE state = 'sent'")
active=$(pg_sql "SELECT count(*) FROM employees WHERE active = 1")
[ "$sent" -gt 0 ] || {
	for n in a b; do cat "$T/run-$n.out" "$T/run-$n.err" >&2; done
	pg_sql "SELECT state, count(*) FROM ledger GROUP BY 1" >&2
	pg_sql "SELECT id, starts, expires, created_at FROM posts" >&2
	fail "no digest sent"
}
[ "$(pg_sql "SELECT count(*) FROM ledger WHERE local_date = '$today'
    AND state NOT IN ('sent', 'skipped')")" = 0 ] || fail "a digest left"
[ "$(pg_sql "SELECT count(*) FROM (SELECT employee_id, local_date
    FROM ledger GROUP BY 1, 2 HAVING count(*) > 1) d")" = 0 ] ||
    fail "two ledger rows for one digest"
[ "$(dumped)" = "$sent" ] || fail "$(dumped) messages for $sent sent"
echo "digests: $sent sent for $active employees by two nodes at once"
echo "dist_two_nodes: ok"
