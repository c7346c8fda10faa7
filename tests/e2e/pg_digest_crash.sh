#!/bin/bash
# kill -9 of digest runs on PostgreSQL, as delivery_crash.sh does on
# SQLite: runs killed at several points, then one run to the end. Every
# employee's digest of the date is done once in the ledger and reached
# the sink; nobody got two different digests for the date (a message
# accepted by the server but not yet recorded when the run died is sent
# again with its Message-ID: the documented at-least-once window, bounded
# here as there); nobody was missed. Then the server is stopped and
# started again under a run: the run connects again and goes on, and
# sends every digest once.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/pg.inc"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/delivery.inc"
pg_start
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/pg_delivery.inc"
NOW=2026-11-23T09:00:00Z
N=60

pg_seed $N
# The sink waits before answering each message's final dot, so a run is
# slow enough to be killed in the middle.
start_sink -W .:1:50
kills=0
for at in 0 3 10 25; do
	"$CHORUS" digest run --now $NOW >"$T/run.out" 2>&1 &
	pid=$!
	if [ "$at" -eq 0 ]; then
		sleep 0.05
	else
		i=0
		while [ "$(dumped)" -lt "$at" ] && [ $i -lt 300 ] &&
		    kill -0 $pid 2>/dev/null; do
			sleep 0.05
			i=$((i + 1))
		done
	fi
	kill -KILL $pid 2>/dev/null && kills=$((kills + 1))
	wait $pid 2>/dev/null || true
done
[ "$(sql "SELECT count(*) FROM ledger WHERE state = 'sending'")" -gt 0 ] ||
    fail "no run was killed holding claims"
# The next run takes over what the killed ones held (same machine: at
# once, no lease to wait for), then nothing is left.
expect_status 0 "$CHORUS" digest run --now $NOW
expect_grep 'claimed by a run that stopped are due again' "$T/err"
expect_all_final
done_rows=$(sql "SELECT count(*) FROM ledger WHERE local_date = '2026-11-23'
    AND state IN ('sent', 'skipped')")
[ "$done_rows" -eq $N ] || fail "$done_rows of $N employee-days done"
[ "$(sql "SELECT count(*) FROM ledger")" -eq $N ] || fail "extra rows"
sent=$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'")
[ "$(dumped_rcpts)" -eq "$sent" ] ||
    fail "$(dumped_rcpts) recipients reached the sink, $sent sent"
# One digest per recipient: every message a recipient got carries the
# Message-ID of their ledger row.
for f in "$T"/dump/*; do
	rcpt=$(grep -h '^X-Rcpt-Args:' "$f" | head -1)
	mid=$(grep -hi '^Message-ID:' "$f" | head -1 | sed 's/^[^:]*: *//' |
	    tr -d '\r')
	echo "$rcpt $mid"
done | sort -u >"$T/pairs"
[ "$(wc -l <"$T/pairs")" -eq "$sent" ] || {
	sort "$T/pairs" | awk '{print $1}' | uniq -d >&2
	fail "a recipient got two different digests for one date"
}
sql "SELECT message_id FROM ledger WHERE state = 'sent'" | sort >"$T/sent.ids"
awk '{print $NF}' "$T/pairs" | sort >"$T/dumped.ids"
cmp -s "$T/sent.ids" "$T/dumped.ids" ||
    fail "the sink's digests are not the ledger's sent rows"
extra=$(($(dumped) - sent))
window=$((kills * 4 * 2))	# 4 sessions, at most 2 each per kill
[ "$extra" -le "$window" ] ||
    fail "$extra resent after $kills kills (window $window)"
echo "pg_digest_crash: $kills kills, $sent sent, $extra resent (same" \
    "Message-ID)"

# --- The server stopped and started again under a run: the run waits,
# connects again and goes on; every digest is sent once, none twice.
pg_reset
rm -rf "$T/dump"
pg_seed $N
start_sink -W .:1:50
"$CHORUS" digest run --now $NOW >"$T/run.out" 2>&1 &
pid=$!
wait_for dumped_at_least 10
pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w -t 60 stop >/dev/null ||
    fail "pg_ctl stop"
sleep 1
pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
    start >/dev/null || fail "pg_ctl start"
wait $pid || fail "run across the restart: $?: $(cat "$T/run.out")"
expect_grep 'trying again' "$T/run.out"
expect_all_final
[ "$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'")" -eq $N ] ||
    fail "$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'") of $N sent across the restart: $(cat "$T/run.out")"
expect_sink_matches_ledger
echo "pg_digest_crash: a restart of the server under a run, $N sent once"

# --- The scheduler outlives an outage longer than its retries (1 s
# here): the pass fails, the daemon stays, and once the server is back
# it sends what came due meanwhile, and nothing twice.
pg_reset
rm -rf "$T/dump"
pg_seed 10
start_sink
CHORUS_TEST_RECONNECT_FOR=1 "$CHORUS" digest schedule --now $NOW \
    --speed 60 >"$T/sched.out" 2>&1 &
pid=$!
# The ten outcomes recorded before the server goes: a message the sink
# holds whose outcome the stop cut off is sent again by the next pass,
# the documented at-least-once window, which this part does not measure.
sent_at_least() {
	[ "$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'")" -ge "$1" ]
}
wait_for dumped_at_least 10
wait_for sent_at_least 10
pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w -t 60 stop >/dev/null ||
    fail "pg_ctl stop"
i=0
until grep -q 'unreachable; trying again' "$T/sched.out"; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "no failed pass while the server was away"
	sleep 0.1
done
kill -0 $pid 2>/dev/null || fail "the scheduler exited: $(cat "$T/sched.out")"
pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
    start >/dev/null || fail "pg_ctl start"
sql "INSERT INTO employees (id, email, name, unsub_token, pref_token,
    created_at, updated_at) VALUES (11, 'e11@example.com', 'Employee 11',
    'u-11', 'p-11', 0, 0)"
# At most 60 s: the scheduler wakes within a second of its clock's
# minute, on a machine that may be busy.
i=0
until dumped_at_least 11; do
	i=$((i + 1))
	[ $i -lt 600 ] || { cat "$T/sched.out" >&2
		fail "the digest due after the outage was not sent"; }
	sleep 0.1
done
kill -TERM $pid
wait $pid || fail "schedule exited $?: $(cat "$T/sched.out")"
expect_all_final
expect_sink_matches_ledger
[ "$(dumped)" -eq 11 ] || fail "$(dumped) digests for 11 employees"
echo "pg_digest_crash: the scheduler through an outage, 11 sent once"
