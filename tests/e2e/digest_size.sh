# Never clipped: with digest.max_posts = 50 and fifty long posts, digest
# run sends a message whose HTML part, as sent, stays under 90 KB (Gmail
# clips past 102 KB), with the footer's preferences and unsubscribe links
# in it, parsed by Python's email package with the strict policy; the
# posts left out are not suggested, and the next day's digest offers
# them, best first.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

export CHORUS_CHORUS_DATABASE="$DB"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_CHORUS_BASE_URL="https://go.example.com"
export CHORUS_DIGEST_FROM='Comms Team <comms@example.com>'
export CHORUS_DIGEST_MAX_POSTS=50
read -r DAY NEXT <<EOF
$(python3 -c '
import datetime as d
t = d.date.today() + d.timedelta(days=10)
print(t, t + d.timedelta(days=1))')
EOF

printf 'email,name,roles\nmany@example.com,Many Posts,bulk\n' > employees.csv
python3 - > posts.csv <<'PY'
import csv, sys
w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(['id', 'title', 'url', 'summary', 'roles', 'text', 'text_x',
            'priority'])
long = 'Share "this" & that: <great> news, café. ' * 30
for k in range(50):
    w.writerow(['bulk%02d' % k, 'Bulk post %02d' % k,
                'https://example.com/a/long/path?utm_x=1&b=%d' % k,
                long, 'bulk', long, 'Short for X', 1000 - k])
PY
expect_status 0 "$CHORUS" init
expect_status 0 "$CHORUS" import employees employees.csv
expect_status 0 "$CHORUS" import posts posts.csv

check() {
	python3 - "$@" <<'PY'
import email, email.policy, re, sys
path, first = sys.argv[1], int(sys.argv[2])
raw = open(path, 'rb').read()
msg = email.message_from_bytes(raw, policy=email.policy.strict)
assert not msg.defects, msg.defects
assert msg['Auto-Submitted'] == 'auto-generated'
assert msg['X-Auto-Response-Suppress'] == 'All'
part = msg.get_body(('html',))
# The part as sent: its encoded body, between its headers and the
# boundary.
body = part.as_bytes(policy=email.policy.SMTP).split(b'\r\n\r\n', 1)[1]
assert len(body) < 90 * 1024, 'HTML part %d bytes as sent' % len(body)
html = part.get_content()
titles = re.findall(r'>Bulk post (\d\d)</a>', html)
n = len(titles)
assert 1 <= n < 50, n
assert titles == ['%02d' % (first + i) for i in range(n)], titles
unsub = re.search(r'<(https://go.example.com/u/[^>]+)>',
                  msg['List-Unsubscribe']).group(1)
assert 'href="%s"' % unsub in html and '>Unsubscribe</a>' in html
assert '>Preferences</a>' in html and html.rstrip().endswith('</html>')
assert unsub in msg.get_body(('plain',)).get_content()
print(n, len(body))
PY
}

CHORUS_SMTP_URL="file:$T/day1" expect_status 0 "$CHORUS" digest run --date "$DAY"
read -r n1 size1 <<EOF
$(check day1/*.eml 0)
EOF
sugg=$(sql "SELECT count(*) FROM suggestions")
[ "$sugg" -eq "$n1" ] || fail "$sugg suggested, $n1 sent"

CHORUS_SMTP_URL="file:$T/day2" expect_status 0 "$CHORUS" digest run --date "$NEXT"
read -r n2 size2 <<EOF
$(check day2/*.eml "$n1")
EOF
sugg=$(sql "SELECT count(*) FROM suggestions")
[ "$sugg" -eq $((n1 + n2)) ] || fail "$sugg suggested, $((n1 + n2)) sent"
echo "max_posts 50: $n1 posts ($size1 bytes of HTML as sent), then $n2 ($size2)"
echo ok
