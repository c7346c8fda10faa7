# The preferences and unsubscribe pages in a real browser: headless
# Chromium, driven through chromedriver's WebDriver HTTP API (plain JSON
# over HTTP, so Python's standard library is enough).
#
# Ann changes everything on /p/TOKEN: frequency weekdays, a network off,
# one of HR's roles muted, a topic followed, her send time and zone. HR's
# file then comes again with other values: her choices stay, the summary
# line counts her row, and the digests of a Sunday and a Monday show the
# choices at work (no digest on Sunday; on Monday the followed topic's
# post and not the muted one's; on Tuesday due at her own send time in
# her own zone). Then the unsubscribe page: "weekly
# instead", unsubscribe and subscribe again; Bob unsubscribes. Ann says
# "not for me" to a post with a reason; each change is one preference
# event, and a page seen twice changes nothing. Every page
# it shows has no serious or critical accessibility violation (axe-core).
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null
then
	fail "chromium and chromium-driver are needed (tools/deps.sh test)"
fi

export CHORUS_CHORUS_DATABASE="$DB"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_SMTP_URL="file:$T/outbox"
expect_status 0 "$CHORUS" init
store_load "$DATA/redirector/fixture.sql"
q() { sql "$1"; }

# A Sunday and the Monday after it, far enough ahead that the posts
# imported today are offered to everyone (digest.spread_days is 5).
# TUESDAY is the day after, 00:29 UTC and 00:31 UTC around Ann's own
# send time of 09:30 in Tokyo.
read -r SUNDAY MONDAY TUESDAY <<EOF
$(python3 -c '
import datetime as d
t = d.date.today() + d.timedelta(days=10)
s = t + d.timedelta(days=(6 - t.weekday()) % 7)
print(s, s + d.timedelta(days=1), s + d.timedelta(days=2))')
EOF

# HR's file: Ann (employee 1) is in engineering and hr, daily, in London.
cat > "$T/hr1.csv" <<'EOF'
email,name,roles,timezone,send_time,networks,frequency
ann@example.com,Ann Lee,engineering;hr,Europe/London,08:00,,daily
bob@example.com,Bob,engineering,,,,daily
EOF
# The same people, other values for every field Ann will choose.
cat > "$T/hr2.csv" <<'EOF'
email,name,roles,timezone,send_time,networks,frequency
ann@example.com,Ann B. Lee,engineering;hr,America/New_York,07:00,linkedin;x;facebook,weekly
bob@example.com,Bob,engineering,,,,daily
EOF
cat > "$T/posts.csv" <<'EOF'
id,title,url,roles,text
eng-news,Engineering news,https://example.com/eng,engineering,Eng text.
hr-news,Benefits update,https://example.com/hr,hr,HR text.
sales-news,Record sales quarter,https://example.com/sales,sales,Sales text.
EOF
expect_status 0 "$CHORUS" import employees "$T/hr1.csv"
expect_grep "^employees: 0 added, 2 updated, 0 unchanged, 0 deactivated, 0 kept the employee's own choice$" "$T/out"
expect_status 0 "$CHORUS" import posts "$T/posts.csv"

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

AXE_JS=$(sh "$CHORUS_SRC/tools/axe.sh") || fail "axe-core could not be installed from npm"
export AXE_JS

# browser PHASE: one WebDriver session that runs the steps of PHASE.
browser() {
	python3 - "$dport" "http://127.0.0.1:$port" "$T/chrome-$1" "$1" <<'EOF'
import json, os, sys, time, urllib.request

dport, base, profile, phase = sys.argv[1:5]
W = 'http://127.0.0.1:%s' % dport
ANN_PREF = '/p/22222222-2222-4222-8222-222222222222'
ANN_UNSUB = '/u/11111111-1111-4111-8111-111111111111'
BOB_UNSUB = '/u/33333333-3333-4333-8333-333333333333'

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

def find(css, wait=60):
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

def type_into(css, text):
    e = find(css)
    call('POST', S + '/element/%s/clear' % e, {})
    call('POST', S + '/element/%s/value' % e, {'text': text})

def go(path):
    call('POST', S + '/url', {'url': base + path})

def source():
    return call('GET', S + '/source')

AXE = open(os.environ['AXE_JS']).read() if os.environ.get('AXE_JS') else None
call('POST', S + '/timeouts', {'script': 60000})

def axe(name):
    """No serious or critical axe-core violation on the page shown."""
    if AXE is None:
        return
    call('POST', S + '/execute/sync', {'script': AXE, 'args': []})
    bad = call('POST', S + '/execute/async', {'script': '''
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']}).then(r => done(
            r.violations.filter(v => v.impact === 'serious' ||
                                     v.impact === 'critical')
             .map(v => v.id + ' ' + v.nodes.map(
                 n => n.target.join(' ')).join(', '))))
          .catch(e => done(['axe failed: ' + e]));''', 'args': []})
    assert not bad, '%s: %s' % (name, bad)

try:
    if phase == 'prefs':
        go(ANN_PREF)
        assert call('GET', S + '/title') == 'Digest preferences'
        axe('preferences')
        src = source()
        assert 'value="hr" checked' in src, 'hr not shown as Ann\'s'
        assert 'value="sales" checked' not in src, 'sales followed'
        click('#frequency-weekdays')
        click('#network-facebook')      # was checked: now unchecked
        click('input[name=topic][value=hr]')        # mute HR's role
        click('input[name=topic][value=sales]')     # follow a topic
        # A time input's keyboard entry depends on the locale: set it
        # the way a picker does, then type the zone as a person would.
        call('POST', S + '/execute/sync', {
            'script': 'document.getElementById("send_time").value = '
                      '"09:30";', 'args': []})
        type_into('#timezone', 'Asia/Tokyo')
        click('#save')
        find('#saved')
        axe('preferences saved')
        src = source()
        assert 'id="frequency-weekdays" checked' in src, 'weekdays not shown'
        assert 'id="network-facebook" checked' not in src, 'facebook shown'
        assert 'value="hr" checked' not in src, 'hr not muted'
        assert 'value="sales" checked' in src, 'sales not followed'
        assert 'value="09:30"' in src and 'value="Asia/Tokyo"' in src, \
            'send time or zone not shown'
        # A zone that does not exist is refused, naming the field.
        type_into('#timezone', 'Mars/Olympus')
        click('#save')
        assert 'Time zone:' in call('GET', S + '/element/%s/text'
                                    % find('#error'), None)
        axe('preferences refused')
    elif phase == 'unsub':
        go(ANN_UNSUB)
        axe('unsubscribe')
        click('#weekly')
        find('#done-weekly')
        axe('weekly instead')
        go(ANN_UNSUB)
        click('#confirm')
        find('#done')
        axe('unsubscribed')
        go(ANN_UNSUB)
        axe('already unsubscribed')
        click('#resubscribe')
        find('#done-resubscribed')
        axe('subscribed again')
        go(BOB_UNSUB)
        click('#confirm')
        find('#done')
    elif phase == 'notforme':
        go('/n/Lk2bbbbbbb')
        assert call('GET', S + '/title') == 'Not for me'
        axe('not for me')
        click('#reason-not_my_network')
        click('#confirm')
        find('#done')
        axe('not for me recorded')
        # Back and again: the page says it is done, and nothing changes.
        go('/n/Lk2bbbbbbb')
        find('#done')
finally:
    call('DELETE', S)
EOF
}

browser prefs
got=$(q "SELECT frequency, networks, timezone, send_time, own_fields
    FROM employees WHERE id = 1")
[ "$got" = "weekdays|3|Asia/Tokyo|09:30|15" ] || fail "preferences in the database: $got"
got=$(q "SELECT role || ':' || choice FROM employee_topics
    WHERE employee_id = 1" | LC_ALL=C sort | paste -sd,)
[ "$got" = "hr:mute,sales:follow" ] || fail "topics in the database: $got"

# HR's file with other values: Ann's choices win field by field, the rest
# of her row (her name) is HR's, and the summary counts her row.
expect_status 0 "$CHORUS" import employees "$T/hr2.csv"
expect_grep "^employees: 0 added, 1 updated, 1 unchanged, 0 deactivated, 1 kept the employee's own choice$" "$T/out"
got=$(q "SELECT name, frequency, networks, timezone, send_time
    FROM employees WHERE id = 1")
[ "$got" = "Ann B. Lee|weekdays|3|Asia/Tokyo|09:30" ] || fail "an import undid Ann's choices: $got"
[ "$(q "SELECT count(*) FROM employee_topics")" = 2 ] || fail "an import touched the topics"

# The choices at work. Sunday: Ann (weekdays) gets nothing, Bob (daily)
# does. Monday: Ann gets the post of the topic she follows and of her
# other role, not that of the role she muted.
expect_status 0 "$CHORUS" digest run --date "$SUNDAY"
[ "$(q "SELECT count(*) FROM ledger WHERE employee_id = 1")" = 0 ] ||
	fail "a weekdays employee had a digest on Sunday $SUNDAY"
[ "$(q "SELECT count(*) FROM ledger WHERE employee_id = 2 AND state = 'sent'")" = 1 ] ||
	fail "the daily employee had no digest on Sunday"
expect_status 0 "$CHORUS" digest run --date "$MONDAY"
python3 - "$T/outbox" <<'EOF' || fail "Monday's digest for Ann"
import email, email.policy, glob, sys
got = {}
for path in glob.glob(sys.argv[1] + '/*.eml'):
    msg = email.message_from_bytes(open(path, 'rb').read(),
                                   policy=email.policy.default)
    assert not msg.defects, (path, msg.defects)
    to = msg['To'].addresses[0].addr_spec
    text = msg.get_body(('plain',)).get_content()
    got.setdefault(to, []).append(text)
ann = got.get('ann@example.com', [])
assert len(ann) == 1, 'Ann has %d digests' % len(ann)
assert 'Record sales quarter' in ann[0], 'followed topic missing'
assert 'Engineering news' in ann[0], 'her role\'s post missing'
assert 'Benefits update' not in ann[0], 'muted role offered'
EOF
[ "$(q "SELECT local_date FROM ledger WHERE employee_id = 1")" = "$MONDAY" ] ||
	fail "Ann's digest is not Monday's"
# Without --date, her own send time and zone decide when it is due (HR's,
# 07:00 in New York, would be 12:00 UTC): not at 09:29 in Tokyo, at
# 09:31 (nothing new is left, so the day's row says skipped).
expect_status 0 "$CHORUS" digest run --now "${TUESDAY}T00:29:00Z"
[ "$(q "SELECT count(*) FROM ledger WHERE employee_id = 1 AND local_date = '$TUESDAY'")" = 0 ] ||
	fail "Ann's digest was due before her own send time"
expect_status 0 "$CHORUS" digest run --now "${TUESDAY}T00:31:00Z"
[ "$(q "SELECT state FROM ledger WHERE employee_id = 1 AND local_date = '$TUESDAY'")" = skipped ] ||
	fail "Ann's digest was not due at her own send time"

# Unsubscribing: "weekly instead", then unsubscribe and the way back.
browser unsub
got=$(q "SELECT frequency, own_fields & 1,
    CAST(unsubscribed_at IS NULL AS INTEGER) FROM employees WHERE id = 1")
[ "$got" = "weekly|1|1" ] || fail "weekly instead, then resubscribe: $got"
got=$(q "SELECT CAST(unsubscribed_at IS NOT NULL AS INTEGER) FROM employees WHERE id = 2")
[ "$got" = 1 ] || fail "the browser's unsubscribe did not take"
# And HR's first file again (daily): weekly is Ann's own now, and Bob
# stays unsubscribed.
expect_status 0 "$CHORUS" import employees "$T/hr1.csv"
expect_grep ", 1 kept the employee's own choice$" "$T/out"
got=$(q "SELECT frequency || CAST(unsubscribed_at IS NULL AS INTEGER)
    FROM employees ORDER BY id" | paste -sd,)
[ "$got" = "weekly1,daily0" ] || fail "after the last import: $got"

# "Not for me", once, with its reason; and each change the employees made
# on the pages is on record once, in order (the imports wrote none).
browser notforme
got=$(q "SELECT employee_id, post_id, reason FROM declines")
[ "$got" = "1|2|not_my_network" ] || fail "not for me in the database: $got"
got=$(q "SELECT employee_id || kind FROM preference_events ORDER BY id" |
    paste -sd' ')
[ "$got" = "1weekdays 1weekly 1unsubscribed 1resubscribed 2unsubscribed" ] ||
	fail "preference events: $got"
echo ok
