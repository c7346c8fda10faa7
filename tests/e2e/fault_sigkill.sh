# Fault: SIGKILL, again and again. The redirector under load is killed
# with -9 twenty times, at a different moment each time; the load writes
# down every 302 it receives, and after each kill every one of them must
# have its row (the hit is committed before the answer is sent). Prints the
# count of lost hits, which must be 0.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/fault.inc"
KILLS=20

expect_status 0 "$CHORUS" --db "$DB" init
seed_links "$DB" 200 > "$T/codes"
: > "$T/got"
total_lost=0
k=1
while [ $k -le $KILLS ]; do
	start_redirector "$DB"
	before=$(wc -l < "$T/got")
	python3 "$HITLOAD" "$port" "$T/codes" "$T/got" --requests 20000 \
	    --seconds 120 --threads 8 --stop-on-error >"$T/load" &
	load=$!
	# Kill after 20..400 more answers, a different point each time.
	want=$((before + 20 * k))
	i=0
	while [ "$(wc -l < "$T/got")" -lt $want ]; do
		i=$((i + 1))
		[ $i -lt 1200 ] || fail "kill $k: the load made no progress"
		sleep 0.05
	done
	stop_redirector KILL
	wait $load || fail "kill $k: the load failed"
	no_crash 0 "$T/redir.log"
	lost=$(lost_hits "$T/got" "$DB")
	total_lost=$((total_lost + lost))
	[ "$lost" -eq 0 ] || fail "kill $k: $lost answered hits have no row"
	k=$((k + 1))
done
answered=$(wc -l < "$T/got")
rows=$(sql "SELECT count(*) FROM hits")
integrity_ok "$DB"
echo "redirector: $KILLS kills under load, $answered hits answered 302," \
    "$rows rows, $total_lost lost"
[ "$rows" -ge "$answered" ] || fail "$rows rows for $answered answered"

# --- digest run: killed at several points, twenty times ----------------------
# Against smtp-sink, which holds half the messages a second before
# answering their final dot, so runs are slow enough to be killed mid-way:
# right after start (claiming and planning) or after 1 to 3 more messages
# reached the sink. Then one run finishes the day. Every due employee must
# have exactly one sent row and have reached the sink; duplicates must stay
# inside the documented at-least-once window (README "The send ledger and
# delivery": per kill, the message whose 250 was in flight on each SMTP
# session, plus the outcomes of one group commit, at most one more per
# session: 2 x sessions). A duplicate must be the same message (one
# Message-ID per recipient).
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/delivery.inc"
store_reset
NOW=2026-11-23T09:00:00Z
N=200
SESSIONS=4
export CHORUS_SMTP_CONNECTIONS=$SESSIONS
seed $N
start_sink -W .:1:50
kills=0
k=1
while [ $k -le $KILLS ]; do
	before=$(dumped)
	"$CHORUS" digest run --now $NOW >>"$T/run.out" 2>&1 &
	pid=$!
	if [ $((k % 4)) -eq 0 ]; then
		sleep 0.05
	else
		i=0
		while [ "$(dumped)" -lt $((before + k % 4)) ] && [ $i -lt 400 ] &&
		    kill -0 $pid 2>/dev/null; do
			sleep 0.05
			i=$((i + 1))
		done
	fi
	kill -KILL $pid 2>/dev/null && kills=$((kills + 1))
	wait $pid 2>/dev/null || true
	k=$((k + 1))
done
no_crash 0 "$T/run.out"
CHORUS_SMTP_CONNECTIONS=16 expect_status 0 "$CHORUS" digest run --now $NOW
expect_all_final
sent=$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'")
done_rows=$(sql "SELECT count(*) FROM ledger WHERE state IN ('sent',
    'skipped')")
rcpts=$(dumped_rcpts)
missing=$((done_rows < N ? N - done_rows : 0))
missing=$((missing + (sent > rcpts ? sent - rcpts : 0)))
dups=$(($(dumped) - rcpts))
window=$((kills * SESSIONS * 2))
# A duplicate is the same message: one Message-ID per recipient.
pairs=$(for f in "$T"/dump/*; do
	printf '%s %s\n' "$(grep -m 1 '^X-Rcpt-Args:' "$f")" \
	    "$(grep -i -m 1 '^Message-ID:' "$f")"
done | sort -u | wc -l)
[ "$pairs" -eq "$rcpts" ] ||
	fail "$pairs recipient/Message-ID pairs for $rcpts recipients"
integrity_ok "$DB"
echo "digest run: $kills kills, $sent sent, $rcpts recipients reached the" \
    "sink, $missing missing, $dups duplicate(s) (window $window)"
[ "$kills" -eq $KILLS ] || fail "only $kills runs were still running when killed"
[ "$missing" -eq 0 ] || fail "$missing digests missing"
[ "$rcpts" -eq "$sent" ] || fail "$rcpts recipients for $sent sent"
[ "$dups" -le "$window" ] || fail "$dups duplicates, window $window"
