# Delivery over smtps:// (TLS from the first byte, RFC 8314) end to end:
# smtp-sink behind socat's TLS, with a certificate for localhost from a
# CA made here and trusted through SSL_CERT_FILE. Every digest delivered
# and recorded sent; AUTH when smtp.user is set, the password nowhere in
# what Chorus prints; an untrusted certificate, one for another name and
# a refused AUTH each end the run (69) with one line, nothing sent.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/delivery.inc"

command -v socat >/dev/null 2>&1 || {
	echo "SKIP: socat is missing (tools/deps.sh test installs it)"
	exit 0
}
command -v openssl >/dev/null 2>&1 || fail "openssl (the command) is missing"

NOW=2026-11-23T09:00:00Z
PW='s3cret-Smtps-pw'

# A CA, and server certificates signed by it: one for localhost (and
# 127.0.0.1), one for other.example. Two days are plenty for one test.
mkcert() {
	name=$1
	san=$2
	openssl req -newkey rsa:2048 -nodes -keyout "$T/$name.key" \
	    -out "$T/$name.csr" -subj "/CN=$name" 2>"$T/openssl.log" ||
	    fail "openssl req $name: $(cat "$T/openssl.log")"
	printf 'subjectAltName=%s\n' "$san" >"$T/$name.ext"
	openssl x509 -req -in "$T/$name.csr" -CA "$T/ca.pem" \
	    -CAkey "$T/ca.key" -CAcreateserial -days 2 \
	    -extfile "$T/$name.ext" -out "$T/$name.pem" 2>"$T/openssl.log" ||
	    fail "openssl x509 $name: $(cat "$T/openssl.log")"
}
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/ca.key" \
    -out "$T/ca.pem" -days 2 -subj "/CN=Chorus test CA" \
    2>"$T/openssl.log" || fail "openssl CA: $(cat "$T/openssl.log")"
mkcert localhost 'DNS:localhost,IP:127.0.0.1'
mkcert other.example 'DNS:other.example'
# A trust store without the test CA: the system's own.
: >"$T/empty.pem"

# start_tls NAME [PORT]: socat terminates TLS with NAME's certificate on
# a free loopback port and passes each connection on to the sink (or to
# PORT).
tls_pid=""
stop_tls() {
	if [ -n "$tls_pid" ]; then
		kill "$tls_pid" 2>/dev/null || true
		wait "$tls_pid" 2>/dev/null || true
		tls_pid=""
	fi
}
cleanup_hooks="$cleanup_hooks stop_tls"
start_tls() {
	stop_tls
	tls_port=$(free_port)
	listen="OPENSSL-LISTEN:$tls_port,bind=127.0.0.1"
	listen="$listen,cert=$T/$1.pem,key=$T/$1.key,verify=0,fork,reuseaddr"
	socat "$listen" "TCP:127.0.0.1:${2:-$sink_port}" >"$T/socat.log" 2>&1 &
	tls_pid=$!
	wait_port "$tls_port"
	export CHORUS_SMTP_URL="smtps://localhost:$tls_port"
}

# nothing_sent: no message reached the sink, no row is sent.
nothing_sent() {
	[ "$(dumped)" -eq 0 ] || fail "$(dumped) messages reached the sink"
	[ "$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'")" -eq 0 ] ||
	    fail "rows marked sent"
}

# The URL is a setting like any: checked at the door, the default port.
expect_status 0 "$CHORUS" -c /dev/null config --check
CHORUS_SMTP_URL=smtps://mail.example.com expect_status 0 "$CHORUS" \
    -c /dev/null config
expect_grep '^smtp.url = smtps://mail.example.com' "$T/out"
CHORUS_SMTP_URL=smtps://mail.example.com:0 expect_status 64 "$CHORUS" \
    -c /dev/null config
expect_grep 'CHORUS_SMTP_URL: smtp.url: port is not 1..65535' "$T/err"

# A full run over TLS: every digest delivered once, each recorded sent.
seed 12
start_sink -v
start_tls localhost
SSL_CERT_FILE="$T/ca.pem" expect_status 0 "$CHORUS" digest run --now $NOW
expect_grep 'digest run: [0-9]* sent' "$T/err"
expect_all_final
expect_sink_matches_ledger
sent=$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'")
[ "$sent" -gt 0 ] || fail "nothing sent"
[ "$(sql "SELECT count(*) FROM ledger WHERE state NOT IN
    ('sent', 'skipped')")" -eq 0 ] || fail "rows neither sent nor skipped"
sql "SELECT reply FROM ledger WHERE state = 'sent' LIMIT 1" >"$T/reply"
expect_grep '^250' "$T/reply"
# Each message arrived whole through TLS's records (compose's messages
# pass 16 KB, so a record's worth goes without a copy and the tail with
# the "."): the same digests sent again over plain smtp:// (the rows made
# failed_temp, rendered again from the database, the same bytes) match
# them byte for byte, from their first header on (smtp-sink's own come
# before it).
big=$(find "$T/dump" -type f -size +16k | wc -l)
[ "$big" -gt 0 ] || fail "no message past 16 KB: the large path is untested"
mv "$T/dump" "$T/tls-dump"
mkdir "$T/dump"
chmod 777 "$T/dump"
cp "$T/sink.log" "$T/tls-sink.log"
sql "UPDATE ledger SET state = 'failed_temp' WHERE state = 'sent'"
CHORUS_SMTP_URL="smtp://127.0.0.1:$sink_port" expect_status 0 "$CHORUS" \
    digest run --now $NOW
[ "$(dumped)" -eq "$sent" ] || fail "$(dumped) sent again in clear, not $sent"
for f in "$T"/tls-dump/*; do
	mid=$(grep -m 1 '^Message-ID:' "$f") || fail "no Message-ID in $f"
	g=$(grep -l -F "$mid" "$T"/dump/*) || fail "$mid not sent again"
	sed -n '/^Date:/,$p' "$f" >"$T/a"
	sed -n '/^Date:/,$p' "$g" >"$T/b"
	cmp -s "$T/a" "$T/b" || fail "$mid: TLS and plain copies differ"
done
# The sink saw the commands in clear behind socat, so they went in TLS.
expect_grep 'MAIL FROM:<chorus@localhost>' "$T/tls-sink.log"
expect_no_grep 'AUTH' "$T/tls-sink.log"
echo "delivery_smtps: $sent sent over TLS"

# smtp.starttls does not apply: TLS is always on.
store_reset
rm -rf "$T/dump"
seed 3
start_sink
start_tls localhost
SSL_CERT_FILE="$T/ca.pem" CHORUS_SMTP_STARTTLS=none \
    expect_status 0 "$CHORUS" digest run --now $NOW
expect_sink_matches_ledger

# AUTH: with smtp.user the sink is logged in to with the password from
# smtp.password_file (AUTH PLAIN, which smtp-sink offers), and the
# password shows nowhere in what Chorus prints, verbose or not.
store_reset
rm -rf "$T/dump"
seed 4
start_sink -v
start_tls localhost
printf '%s\n' "$PW" >"$T/pw"
SSL_CERT_FILE="$T/ca.pem" CHORUS_SMTP_USER=bot \
    CHORUS_SMTP_PASSWORD_FILE="$T/pw" \
    expect_status 0 "$CHORUS" -v digest run --now $NOW
auth=$(printf '\000bot\000%s' "$PW" | base64 -w 0)
expect_grep "AUTH PLAIN $auth" "$T/sink.log"
expect_sink_matches_ledger
[ "$(dumped)" -gt 0 ] || fail "nothing sent with AUTH"
cat "$T/out" "$T/err" >"$T/printed"
expect_no_grep "$PW" "$T/printed"
expect_no_grep "$auth" "$T/printed"

# AUTH LOGIN where PLAIN is not offered (a server of the test's own:
# smtp-sink offers both), one session at a time as that server serves.
store_reset
rm -rf "$T/dump"
seed 3
login_port=$(free_port)
python3 "$CHORUS_SRC/tests/e2e/smtp_login.py" "$login_port" bot "$PW" \
    "$T/login.log" &
login_pid=$!
stop_login() {
	kill "$login_pid" 2>/dev/null || true
	wait "$login_pid" 2>/dev/null || true
}
cleanup_hooks="$cleanup_hooks stop_login"
wait_port "$login_port"
start_tls localhost "$login_port"
SSL_CERT_FILE="$T/ca.pem" CHORUS_SMTP_USER=bot CHORUS_SMTP_CONNECTIONS=1 \
    CHORUS_SMTP_PASSWORD_FILE="$T/pw" \
    expect_status 0 "$CHORUS" -v digest run --now $NOW
sent=$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'")
[ "$sent" -gt 0 ] || fail "nothing sent after AUTH LOGIN"
expect_grep '^login ok bot$' "$T/login.log"
[ "$(grep -c '^message' "$T/login.log")" -eq "$sent" ] ||
    fail "the server took $(grep -c '^message' "$T/login.log"), $sent sent"
cat "$T/out" "$T/err" >"$T/printed"
expect_no_grep "$PW" "$T/printed"
# The wrong password: refused, one line, the password nowhere.
store_reset
seed 2
printf 'not-%s\n' "$PW" >"$T/pw-wrong"
SSL_CERT_FILE="$T/ca.pem" CHORUS_SMTP_USER=bot CHORUS_SMTP_CONNECTIONS=1 \
    CHORUS_SMTP_PASSWORD_FILE="$T/pw-wrong" \
    expect_status 69 "$CHORUS" digest run --now $NOW
expect_grep 'refused the session: AUTH LOGIN: 535 ' "$T/err"
expect_grep '^login refused bot$' "$T/login.log"
cat "$T/out" "$T/err" >"$T/printed"
expect_no_grep "$PW" "$T/printed"
[ "$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'")" -eq 0 ] ||
    fail "rows marked sent"
stop_login

# A server that offers no mechanism Chorus speaks: one line, nothing sent.
store_reset
rm -rf "$T/dump"
seed 2
start_sink -a
start_tls localhost
SSL_CERT_FILE="$T/ca.pem" CHORUS_SMTP_USER=bot \
    CHORUS_SMTP_PASSWORD_FILE="$T/pw" \
    expect_status 69 "$CHORUS" digest run --now $NOW
expect_grep 'refused the session: it offers no AUTH PLAIN or LOGIN' "$T/err"
nothing_sent
echo "delivery_smtps: auth ok"

# A refused AUTH ends the run: one line naming AUTH, nothing sent, the
# password nowhere.
store_reset
rm -rf "$T/dump"
seed 3
start_sink -v -f AUTH
start_tls localhost
SSL_CERT_FILE="$T/ca.pem" CHORUS_SMTP_USER=bot \
    CHORUS_SMTP_PASSWORD_FILE="$T/pw" \
    expect_status 69 "$CHORUS" digest run --now $NOW
expect_grep 'refused the session: AUTH PLAIN: 5[0-9][0-9]' "$T/err"
cat "$T/out" "$T/err" >"$T/printed"
expect_no_grep "$PW" "$T/printed"
expect_no_grep "$auth" "$T/printed"
nothing_sent
[ "$(sql "SELECT count(*) FROM ledger WHERE state = 'failed_temp'")" -gt 0 ] ||
    fail "nothing left failed_temp for a later run"

# A certificate no trusted CA signed: the run fails with one line naming
# the host and why, the status of an unavailable server, nothing sent.
store_reset
rm -rf "$T/dump"
seed 3
start_sink
start_tls localhost
SSL_CERT_FILE="$T/empty.pem" SSL_CERT_DIR="$T/nowhere" \
    expect_status 69 "$CHORUS" digest run --now $NOW
expect_grep "TLS with localhost:$tls_port failed: certificate verify failed" \
    "$T/err"
[ "$(grep -c 'certificate verify failed' "$T/err")" -eq 1 ] ||
    fail "not one line: $(cat "$T/err")"
nothing_sent
# The credentials are not sent to a server that could not be verified.
store_reset
rm -rf "$T/dump"
seed 2
start_sink -v
start_tls localhost
SSL_CERT_FILE="$T/empty.pem" SSL_CERT_DIR="$T/nowhere" CHORUS_SMTP_USER=bot \
    CHORUS_SMTP_PASSWORD_FILE="$T/pw" \
    expect_status 69 "$CHORUS" digest run --now $NOW
expect_no_grep 'AUTH' "$T/sink.log"
nothing_sent

# A certificate from the trusted CA, but for another name: refused.
store_reset
rm -rf "$T/dump"
seed 3
start_sink
start_tls other.example
SSL_CERT_FILE="$T/ca.pem" expect_status 69 "$CHORUS" digest run --now $NOW
expect_grep "TLS with localhost:$tls_port failed: .*hostname mismatch" \
    "$T/err"
nothing_sent
# An address is checked as an address: 127.0.0.1 is not in that one...
SSL_CERT_FILE="$T/ca.pem" CHORUS_SMTP_URL="smtps://127.0.0.1:$tls_port" \
    expect_status 69 "$CHORUS" digest run --now $NOW
expect_grep "failed: .*IP address mismatch" "$T/err"
nothing_sent
# ... and is in localhost's.
start_tls localhost
SSL_CERT_FILE="$T/ca.pem" CHORUS_SMTP_URL="smtps://127.0.0.1:$tls_port" \
    expect_status 0 "$CHORUS" digest run --now $NOW
expect_sink_matches_ledger
echo "delivery_smtps: certificates ok"

# Nobody listening: unavailable, as for smtp://.
store_reset
rm -rf "$T/dump"
seed 2
stop_tls
SSL_CERT_FILE="$T/ca.pem" CHORUS_SMTP_URL="smtps://localhost:$tls_port" \
    expect_status 69 "$CHORUS" digest run --now $NOW
expect_grep 'cannot connect to localhost' "$T/err"
nothing_sent

# A server that speaks plain SMTP on the port (no TLS): the handshake
# fails within smtp.timeout, the run with it.
SSL_CERT_FILE="$T/ca.pem" CHORUS_SMTP_URL="smtps://localhost:$sink_port" \
    CHORUS_SMTP_TIMEOUT=5 expect_status 69 "$CHORUS" digest run --now $NOW
expect_grep "TLS with localhost:$sink_port failed" "$T/err"
nothing_sent

# A server that takes the connection and says nothing: the handshake
# gives up after smtp.timeout (the listener quits after 30 s anyway).
silent_port=$(free_port)
python3 -c 'import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
s.settimeout(30)
held = []
end = time.time() + 30
while time.time() < end:
    try:
        held.append(s.accept()[0])
    except OSError:
        break
' "$silent_port" &
silent_pid=$!
stop_silent() {
	kill "$silent_pid" 2>/dev/null || true
	wait "$silent_pid" 2>/dev/null || true
}
cleanup_hooks="$cleanup_hooks stop_silent"
wait_port "$silent_port"
SSL_CERT_FILE="$T/ca.pem" CHORUS_SMTP_URL="smtps://localhost:$silent_port" \
    CHORUS_SMTP_TIMEOUT=1 expect_status 69 "$CHORUS" digest run --now $NOW
expect_grep "TLS with localhost:$silent_port failed: timed out" "$T/err"
nothing_sent
stop_silent
echo "delivery_smtps: failures ok"
