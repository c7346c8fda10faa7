# The digest as a phone shows it: a three-post, three-network digest from
# the outbox, its HTML part laid out by headless Chromium (driven through
# chromedriver, tests/e2e/digestlayout.py) at 390 px: at most 1,900 px
# tall, no horizontal scrolling, every link a tap target at least 44 px
# tall, each network's personal link on one line; the same with the
# <style> block
# stripped, as some mail clients do; no horizontal scrolling at 1000 px
# either; axe-core (from npm) finds no serious or critical violation; and
# a screenshot of the whole page at 390 px comes out.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null
then
	fail "chromium and chromium-driver are needed (tools/deps.sh test)"
fi
AXE=$(sh "$CHORUS_SRC/tools/axe.sh") || fail "axe-core could not be installed from npm"

export CHORUS_CHORUS_DATABASE="$DB"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_CHORUS_BASE_URL="https://go.example.com"
export CHORUS_DIGEST_FROM='Comms Team <comms@example.com>'
export CHORUS_SMTP_URL="file:$T/outbox"
DAY=$(python3 -c 'import datetime as d; print(d.date.today() + d.timedelta(days=10))')

# Ada: engineering and leadership, all three networks: three posts.
expect_status 0 "$CHORUS" init
expect_status 0 "$CHORUS" import employees "$CHORUS_SRC/examples/employees.csv"
expect_status 0 "$CHORUS" import posts "$CHORUS_SRC/examples/posts.csv"
sql "UPDATE employees SET active = 0 WHERE email <> 'ada.lovelace@example.com'"
expect_status 0 "$CHORUS" digest run --date "$DAY"
eml=$(ls outbox/*.eml)
[ "$(echo "$eml" | wc -l)" -eq 1 ] || fail "not one digest: $eml"
python3 - "$eml" digest.html nostyle.html <<'PY'
import email, email.policy, re, sys
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'),
                                     policy=email.policy.default)
html = msg.get_body(('html',)).get_content()
assert html.count('<!-- Post -->') == 3, 'not three posts'
open(sys.argv[2], 'w').write(html)
# Some clients drop <style> (and the <head>); the layout must hold.
open(sys.argv[3], 'w').write(re.sub(r'<style[^>]*>.*?</style>', '', html,
                                    flags=re.S))
PY

dport=$(free_port)
dpid=""
stop_driver() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" || true
}
cleanup_hooks="stop_driver"
chromedriver --port="$dport" >"$T/driver.log" 2>&1 &
dpid=$!
wait_port "$dport"

LAYOUT="$CHORUS_SRC/tests/e2e/digestlayout.py"
python3 "$LAYOUT" measure "$dport" digest.html 390 "$AXE" > m390.json
python3 "$LAYOUT" measure "$dport" nostyle.html 390 "$AXE" > bare390.json
python3 "$LAYOUT" measure "$dport" digest.html 1000 > m1000.json
python3 "$LAYOUT" shot "$dport" digest.html 390 digest.png

python3 - m390.json bare390.json m1000.json <<'PY'
import json, sys

def check(path, width, tall):
    m = json.load(open(path))
    where = '%s at %d px' % (path, width)
    assert m['client'] == width, '%s: viewport %d' % (where, m['client'])
    assert m['width'] <= width, '%s: %d px wide, scrolls sideways' % (
        where, m['width'])
    if tall is not None:
        assert m['height'] <= tall, '%s: %d px tall, over %d' % (
            where, m['height'], tall)
    links = [l for l in m['links'] if l['visible']]
    # Three posts: title, three personal links (one a network, SPEC),
    # three share buttons, "not for me"; then preferences and
    # unsubscribe.
    assert len(links) == 3 * 8 + 2, '%s: %d links' % (where, len(links))
    for l in links:
        assert l['height'] >= 44, '%s: "%s" is %.0f px tall' % (
            where, l['text'], l['height'])
        assert l['right'] <= width, '%s: "%s" ends at %.0f px' % (
            where, l['text'], l['right'])
    mine = [l for l in links if l['text'].startswith('go.example.com/')]
    assert len(mine) == 9, '%s: personal links %r' % (where, mine)
    for l in mine:
        # One line (22 px) and its padding: never wrapped.
        assert l['height'] < 50, '%s: %s wraps' % (where, l['text'])
        assert l['href'] == 'https://' + l['text']
    shares = [l for l in links if '/s/' in (l['href'] or '')]
    assert len(shares) == 9, where
    declines = [l for l in links if '/n/' in (l['href'] or '')]
    assert len(declines) == 3, where
    for d in declines:
        assert d['href'].replace('/n/', '/') in [l['href'] for l in mine]
    # Each share button's code is a personal link shown to copy.
    for s in shares:
        assert s['href'].replace('/s/', '/') in [l['href'] for l in mine]
    for v in m.get('axe', []):
        raise AssertionError('%s: axe: %s (%s) at %s' % (
            where, v['id'], v['impact'], v['target']))
    print('%s: %d px tall, %d links' % (where, m['height'], len(links)))

check(sys.argv[1], 390, 1900)
check(sys.argv[2], 390, 2000)
check(sys.argv[3], 1000, None)
# The screenshot is the whole page.
import struct
png = open('digest.png', 'rb').read(24)
assert png[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
size = struct.unpack('>II', png[16:24])
assert size == (390, json.load(open(sys.argv[1]))['height']), size
PY
echo ok
