# Delivery end to end against Postfix's smtp-sink: a full run, a rerun that
# sends nothing, the messages as sent, the file transport, --help.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/delivery.inc"

expect_status 0 "$CHORUS" digest run --help
expect_grep 'usage: chorus digest run' "$T/out"
expect_status 0 "$CHORUS" digest schedule --help
expect_grep 'SIGTERM' "$T/out"
expect_status 64 "$CHORUS" digest run --date 2026-02-30

seed 40
start_sink
NOW=2026-11-23T09:00:00Z

# A full run: every employee ends sent or skipped; the sink got each sent
# digest once, with the headers compose wrote and nothing added.
expect_status 0 "$CHORUS" digest run --now $NOW
expect_grep 'digest run: [0-9]* sent' "$T/err"
expect_all_final
expect_sink_matches_ledger
rows=$(sql "SELECT count(*) FROM ledger")
[ "$rows" -eq 40 ] || fail "40 employees due, $rows ledger rows"
sent=$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'")
[ "$sent" -gt 0 ] || fail "nothing sent"
sql "SELECT reply FROM ledger WHERE state = 'sent' LIMIT 1" >"$T/reply"
expect_grep '^250' "$T/reply"
for f in "$T"/dump/*; do
	for h in Date From To Message-ID; do
		n=$(sed '/^$/q' "$f" | grep -ci "^$h:")
		[ "$n" -eq 1 ] || { cat "$f" >&2; fail "$h: $n times in $f"; }
	done
done
# Message-IDs are unique and the ledger holds the one sent.
ids=$(cat "$T"/dump/* | grep -i '^Message-ID:' | sort -u | wc -l)
[ "$ids" -eq "$sent" ] || fail "$ids Message-IDs for $sent messages"
mid=$(sql "SELECT message_id FROM ledger WHERE state = 'sent' LIMIT 1")
grep -qF "$mid" "$T"/dump/* || fail "ledger Message-ID '$mid' not sent"
runs=$(sql "SELECT count(*) FROM runs WHERE status = 0 AND sent = $sent")
[ "$runs" -eq 1 ] || fail "the run is not recorded"

# A rerun, now or later that day, sends nothing.
before=$(dumped)
expect_status 0 "$CHORUS" digest run --now $NOW
expect_status 0 "$CHORUS" digest run --now 2026-11-23T20:00:00Z
expect_status 0 "$CHORUS" digest run --date 2026-11-23
[ "$(dumped)" -eq "$before" ] || fail "a rerun sent again"
expect_grep ' 0 sent' "$T/err"

# The file transport: one complete .eml per sent digest, no temp files.
store_reset
seed 10
CHORUS_SMTP_URL="file:$T/outbox" expect_status 0 "$CHORUS" digest run \
    --now $NOW
sent=$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'")
n=$(find "$T/outbox" -name '*.eml' | wc -l)
[ "$n" -eq "$sent" ] || fail "$n .eml files for $sent sent"
[ -z "$(find "$T/outbox" -name '.*')" ] || fail "temporary files left"
expect_all_final

# A bad mail URL is refused at the door (a bad setting), nothing is
# claimed. (smtps:// itself is tests/e2e/delivery_smtps.sh's.)
store_reset
seed 3
CHORUS_SMTP_URL=smtps://127.0.0.1:0 expect_status 64 "$CHORUS" digest run \
    --now $NOW
expect_grep 'smtp.url: port is not 1..65535' "$T/err"
[ "$(sql "SELECT count(*) FROM ledger")" -eq 0 ] || fail "rows claimed"

# SMTP AUTH: the password comes from smtp.password_file and never shows.
store_reset
	rm -rf "$T/dump"
seed 2
start_sink -v
echo 's3cret-pw' >"$T/pw"
CHORUS_SMTP_USER=bot CHORUS_SMTP_PASSWORD_FILE="$T/pw" \
    expect_status 0 "$CHORUS" -v digest run --now $NOW
auth=$(printf '\000bot\000s3cret-pw' | base64)
expect_grep "AUTH PLAIN $auth" "$T/sink.log"
expect_no_grep 's3cret' "$T/err"
CHORUS_SMTP_USER=bot CHORUS_SMTP_PASSWORD_FILE="$T/nope" \
    expect_status 64 "$CHORUS" digest run --now $NOW
expect_grep 'smtp.password_file' "$T/err"

# STARTTLS is required on a host that is not loopback: smtp-sink does not
# offer it, so the session is refused and nothing is sent in clear.
ip=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9.]+$' |
    grep -v '^127\.' | head -n 1) || true
if [ -n "$ip" ]; then
	store_reset
	rm -rf "$T/dump"
	seed 2
	stop_sink
	port=$(free_port)
	mkdir -p "$T/dump"
	chmod 777 "$T/dump"
	user=""
	[ "$(id -u)" -eq 0 ] && user="-u nobody"
	# shellcheck disable=SC2086
	$SINK $user -d "$T/dump/%M." "$ip:$port" 16 >"$T/sink.log" 2>&1 &
	sink_pid=$!
	i=0
	until python3 -c "import socket; socket.create_connection(('$ip', $port))" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 300 ] || fail "no sink on $ip"; sleep 0.1
	done
	CHORUS_SMTP_URL="smtp://$ip:$port" expect_status 69 "$CHORUS" \
	    digest run --now $NOW
	expect_grep 'refused the session' "$T/err"
	[ "$(dumped)" -eq 0 ] || fail "sent without STARTTLS"
	CHORUS_SMTP_URL="smtp://$ip:$port" CHORUS_SMTP_STARTTLS=none \
	    expect_status 0 "$CHORUS" digest run --now $NOW
fi
echo "delivery_smtp: auth and starttls ok"

# On a terminal, a live progress line; otherwise one summary line.
if command -v script >/dev/null 2>&1; then
	store_reset
	rm -rf "$T/dump"
	seed 5
	start_sink
	script -qec "'$CHORUS' digest run --now $NOW" /dev/null \
	    >"$T/tty.out" 2>&1 || fail "run on a terminal: $(cat "$T/tty.out")"
	expect_grep 'ETA' "$T/tty.out"
	expect_status 0 "$CHORUS" digest run --now $NOW
	expect_no_grep 'ETA' "$T/err"
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "more than a summary line"
fi
echo "delivery_smtp: terminal ok"
