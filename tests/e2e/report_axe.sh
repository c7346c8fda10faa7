# The HTML report and the "not for me" page in Chromium under axe-core:
# no serious or critical accessibility violation (contrast included).
# axe-core comes from npm (tools/axe.sh), Chromium from Debian.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null
then
	fail "chromium and chromium-driver are needed (tools/deps.sh test)"
fi
axe=$(cd "$CHORUS_SRC" && sh tools/axe.sh) || fail "axe-core is not installed"

export CHORUS_CHORUS_DATABASE="$DB"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
expect_status 0 "$CHORUS" init
store_load "$DATA/report/fixture.sql"
sql "INSERT INTO links (id, code, employee_id, post_id, network, created_at) VALUES (99, 'Axe1aaaaaa', 1, 3, 'x', 0)"
expect_status 0 "$CHORUS" report html --out "$T/r.html"
# An empty range: the pages' "nothing here" texts are checked too.
expect_status 0 "$CHORUS" report html --from 2030-01-01 --to 2030-01-31 \
    --out "$T/empty.html"

port=$(free_port)
dport=$(free_port)
rpid=""
dpid=""
stop_all() {
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null && wait "$rpid" || true
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" || true
}
cleanup_hooks="stop_all"
"$CHORUS" redirector --listen "127.0.0.1:$port" 2>"$T/redir.log" &
rpid=$!
chromedriver --port="$dport" >"$T/driver.log" 2>&1 &
dpid=$!
wait_port "$port"
wait_port "$dport"

python3 "$CHORUS_SRC/tests/e2e/axe.py" "$dport" "$T/chrome" "$axe" \
    "file://$T/r.html" "file://$T/empty.html" \
    "http://127.0.0.1:$port/n/Axe1aaaaaa" > "$T/axe.out" 2>&1 ||
	{ cat "$T/axe.out" >&2; fail "axe: serious violations"; }
cat "$T/axe.out"
echo ok
