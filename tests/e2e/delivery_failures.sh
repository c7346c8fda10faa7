# Delivery failures against smtp-sink: 4xx retried with backoff then left
# failed_temp (exit 75) and sent by a later run once the server recovers;
# 5xx failed for good with the reply; a dropped connection; a server that
# is down (exit 69). Every employee-day ends sent, skipped or failed.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/delivery.inc"
export CHORUS_SMTP_RETRY_DELAY=0.05 CHORUS_SMTP_RETRIES=3
NOW=2026-11-23T09:00:00Z

# 4xx on RCPT: three attempts each, then failed_temp with the reply.
seed 12
start_sink -r RCPT
expect_status 75 "$CHORUS" digest run --now $NOW
expect_grep 'left for a later run' "$T/err"
[ "$(dumped)" -eq 0 ] || fail "a 4xx message was accepted"
temp=$(sql "SELECT count(*) FROM ledger WHERE state = 'failed_temp'
    AND reply LIKE '45%' AND attempts = 3")
planned=$(sql "SELECT count(*) FROM ledger WHERE state != 'skipped'")
[ "$temp" -eq "$planned" ] || fail "$temp of $planned rows failed_temp x3"
mids=$(sql "SELECT message_id FROM ledger WHERE state = 'failed_temp'
    ORDER BY id")

# The server recovers: a later run sends the same digests (same date,
# same Message-IDs), then nothing more.
start_sink
expect_status 0 "$CHORUS" digest run --now 2026-11-23T10:00:00Z
expect_all_final
expect_sink_matches_ledger
[ "$(sql "SELECT message_id FROM ledger WHERE state = 'sent'
    ORDER BY id")" = "$mids" ] || fail "the retry changed digests"
[ "$(sql "SELECT count(DISTINCT local_date) FROM ledger")" -eq 1 ] ||
    fail "the retry used another date"
expect_status 0 "$CHORUS" digest run --now 2026-11-23T11:00:00Z
expect_grep ' 0 sent' "$T/err"

# 5xx: failed_perm with the server's reply, never retried.
store_reset
	rm -rf "$T/dump"
seed 8
start_sink -f RCPT
expect_status 0 "$CHORUS" digest run --now $NOW
expect_grep 'refused' "$T/err"
expect_all_final
perm=$(sql "SELECT count(*) FROM ledger WHERE state = 'failed_perm'
    AND reply LIKE '5%' AND attempts = 1")
[ "$perm" -eq "$(sql "SELECT count(*) FROM ledger WHERE state != 'skipped'")" ] ||
    fail "5xx rows are not failed_perm with the reply"
start_sink
expect_status 0 "$CHORUS" digest run --now 2026-11-23T10:00:00Z
[ "$(dumped)" -eq 0 ] || fail "a 5xx digest was sent again"

# The connection drops after the message, before the reply: unknown, so
# retried (at-least-once), then left failed_temp.
store_reset
	rm -rf "$T/dump"
seed 4
start_sink -q .
expect_status 75 "$CHORUS" digest run --now $NOW
expect_all_final
lost=$(sql "SELECT count(*) FROM ledger WHERE state = 'failed_temp'
    AND reply LIKE 'connection lost%'")
[ "$lost" -gt 0 ] || fail "dropped connections not recorded"

# Nobody listens: exit 69 and a summary naming the server; the rows say
# why and a later run sends them.
store_reset
	rm -rf "$T/dump"
seed 6
start_sink
port=$sink_port
stop_sink
expect_status 69 "$CHORUS" digest run --now $NOW
expect_grep "unavailable" "$T/err"
expect_grep "127.0.0.1:$port" "$T/err"
expect_all_final
[ "$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'")" -eq 0 ] ||
    fail "sent while the server was down"
sql "SELECT DISTINCT reply FROM ledger WHERE state = 'failed_temp'" \
    >"$T/why"
expect_grep 'cannot connect\|not attempted' "$T/why"
start_sink
expect_status 0 "$CHORUS" digest run --now 2026-11-23T10:00:00Z
expect_all_final
expect_sink_matches_ledger
[ "$(sql "SELECT count(*) FROM ledger WHERE state IN ('sent', 'skipped')")" \
    -eq 6 ] || fail "not every employee-day was sent after recovery"
# A host that takes no connection and refuses none (its SYNs dropped: a
# listener whose queue is full, here) is given up at smtp.timeout, not
# after the kernel's two minutes of retries: exit 69, the rows kept.
store_reset
	rm -rf "$T/dump"
seed 2
port=$(free_port)
python3 - "$port" "$T/full.ready" <<'PY' &
import socket, sys, time
l = socket.socket()
l.bind(('127.0.0.1', int(sys.argv[1])))
l.listen(0)
held = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
open(sys.argv[2], 'w').close()
time.sleep(120)
PY
full=$!
stop_full() { kill $full 2>/dev/null || true; }
cleanup_hooks="stop_full $cleanup_hooks"
i=0
while [ ! -e "$T/full.ready" ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the full listener did not start"
	sleep 0.1
done
expect_status 69 env CHORUS_SMTP_URL="smtp://127.0.0.1:$port" \
    CHORUS_SMTP_TIMEOUT=2 CHORUS_SMTP_CONNECTIONS=1 \
    timeout 60 "$CHORUS" digest run --now $NOW
expect_grep "127.0.0.1:$port" "$T/err"
# The same through libESMTP (a session with AUTH).
store_reset
	rm -rf "$T/dump"
seed 2
echo 'pw' >"$T/pw"
expect_status 69 env CHORUS_SMTP_URL="smtp://127.0.0.1:$port" \
    CHORUS_SMTP_TIMEOUT=2 CHORUS_SMTP_CONNECTIONS=1 \
    CHORUS_SMTP_USER=bot CHORUS_SMTP_PASSWORD_FILE="$T/pw" \
    timeout 60 "$CHORUS" digest run --now $NOW
kill $full 2>/dev/null || true
wait $full 2>/dev/null || true
expect_grep "127.0.0.1:$port" "$T/err"
expect_all_final
[ "$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'")" -eq 0 ] ||
    fail "sent to a host that took no connection"
echo "delivery_failures: ok"
