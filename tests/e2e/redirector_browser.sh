# The preferences and unsubscribe pages in a real browser: headless
# Chromium, driven through chromedriver's WebDriver HTTP API (plain JSON
# over HTTP, so Python's standard library is enough), opens /p/TOKEN,
# changes the frequency and a network, submits, and the database shows it;
# then confirms an unsubscribe the same way, and says "not for me" to a
# post with a reason.
source "$CHORUS_SRC/tests/e2e/lib.sh"

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null
then
	fail "chromium and chromium-driver are needed (tools/deps.sh test)"
fi

export CHORUS_CHORUS_DATABASE="$T/t.db"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
expect_status 0 "$CHORUS" init
sqlite3 "$T/t.db" < "$DATA/redirector/fixture.sql"

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

python3 - "$dport" "http://127.0.0.1:$port" "$T/chrome" <<'EOF'
import json, sys, time, urllib.request

dport, base, profile = sys.argv[1], sys.argv[2], sys.argv[3]
W = 'http://127.0.0.1:%s' % dport

def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(W + path, data=data, method=method,
                                 headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)['value']

caps = {'capabilities': {'alwaysMatch': {
    'browserName': 'chrome',
    'goog:chromeOptions': {
        'binary': '/usr/bin/chromium',
        'args': ['--headless=new', '--no-sandbox', '--disable-gpu',
                 '--disable-dev-shm-usage', '--user-data-dir=' + profile]}}}}
sid = call('POST', '/session', caps)['sessionId']
S = '/session/' + sid
ELEM = 'element-6066-11e4-a52e-4f735466cecf'

def find(css, wait=10):
    end = time.time() + wait
    while True:
        try:
            return call('POST', S + '/element',
                        {'using': 'css selector', 'value': css})[ELEM]
        except urllib.error.HTTPError:
            if time.time() > end:
                raise SystemExit('no element %s' % css)
            time.sleep(0.1)

def click(css):
    call('POST', S + '/element/%s/click' % find(css), {})

try:
    call('POST', S + '/url', {'url': base + '/p/22222222-2222-4222-8222-222222222222'})
    assert call('GET', S + '/title') == 'Digest preferences'
    click('#frequency-weekly')
    click('#network-facebook')      # was checked: now unchecked
    click('#save')
    find('#saved')
    src = call('GET', S + '/source')
    assert 'id="frequency-weekly" checked' in src, 'weekly not shown'
    assert 'id="network-facebook" checked' not in src, 'facebook shown'

    call('POST', S + '/url', {'url': base + '/u/33333333-3333-4333-8333-333333333333'})
    click('#confirm')
    find('#done')

    call('POST', S + '/url', {'url': base + '/n/Lk2bbbbbbb'})
    assert call('GET', S + '/title') == 'Not for me'
    click('#reason-not_my_network')
    click('#confirm')
    find('#done')
    # Back and again: the page says it is done, and nothing changes.
    call('POST', S + '/url', {'url': base + '/n/Lk2bbbbbbb'})
    find('#done')
finally:
    call('DELETE', S)
EOF

got=$(sqlite3 "$T/t.db" "SELECT frequency, networks FROM employees WHERE id = 1")
[ "$got" = "weekly|3" ] || fail "preferences in the database: $got"
got=$(sqlite3 "$T/t.db" "SELECT unsubscribed_at IS NOT NULL FROM employees WHERE id = 2")
[ "$got" = 1 ] || fail "the browser's unsubscribe did not take"
got=$(sqlite3 "$T/t.db" "SELECT employee_id, post_id, reason FROM declines")
[ "$got" = "1|2|not_my_network" ] || fail "not for me in the database: $got"
# Each change the employees made is on record once.
got=$(sqlite3 "$T/t.db" "SELECT group_concat(employee_id || kind, ' ') FROM (SELECT * FROM preference_events ORDER BY id)")
[ "$got" = "1weekly 2unsubscribed" ] || fail "preference events: $got"
# Nothing else was touched.
got=$(sqlite3 "$T/t.db" "SELECT unsubscribed_at IS NULL FROM employees WHERE id = 1")
[ "$got" = 1 ] || fail "employee 1 unsubscribed"
echo ok
