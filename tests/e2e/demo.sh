# `make demo` end to end: sample data, today's digests into an outbox, the
# redirector answering a personal link, Ctrl-C stopping it cleanly.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
port=$(free_port)
# `make demo` installs no test tools: the demo must not need the sqlite3
# shell, so here it finds one that always fails.
mkdir "$T/bin"
printf '#!/bin/sh\nexit 127\n' > "$T/bin/sqlite3"
chmod +x "$T/bin/sqlite3"
PATH="$T/bin:$PATH" CHORUS_DEMO_DIR="$T/demo" CHORUS_DEMO_OUTBOX="$T/outbox" \
CHORUS_DEMO_LISTEN="127.0.0.1:$port" \
	sh "$CHORUS_SRC/examples/demo.sh" >"$T/demo.log" 2>&1 &
pid=$!
stop() { kill -INT $pid 2>/dev/null || true; }
cleanup_hooks="stop"
i=0
until grep -q "listening on" "$T/demo.log"; do
	i=$((i + 1))
	[ $i -lt 600 ] || { cat "$T/demo.log"; fail "the demo did not start"; }
	kill -0 $pid 2>/dev/null || { cat "$T/demo.log"; fail "the demo died"; }
	sleep 0.1
done
expect_grep "A digest to open: *$T/outbox/.*\.eml" "$T/demo.log"
eml=$(sed -n 's/.*A digest to open: *//p' "$T/demo.log")
[ -s "$eml" ] || fail "the digest named does not exist"
link=$(sed -n 's/.*A personal link: *//p' "$T/demo.log")
curl -s -o /dev/null -w '%{http_code} %{redirect_url}\n' -A "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36" "$link" > "$T/curl"
expect_grep "^302 https://example.com/.*utm_medium=employee_advocacy" "$T/curl"
kill -INT $pid
wait $pid || fail "the demo did not stop cleanly on Ctrl-C"
cleanup_hooks=""
"$CHORUS" -c "$T/demo/chorus.ini" report attribution > "$T/report.csv"
awk -F, 'NR > 1 { c += $10 } END { exit c == 1 ? 0 : 1 }' "$T/report.csv" ||
	{ cat "$T/report.csv"; fail "the click is not in the attribution report"; }
echo "demo: works"
