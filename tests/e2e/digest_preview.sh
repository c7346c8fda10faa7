# chorus digest preview, end to end: import a sample, preview employees as
# eml, html and text with the shipped templates, parse the messages with
# Python's email package (policy=default), check the posts, texts,
# personal links and share buttons, and that nothing was written.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

export CHORUS_CHORUS_DATABASE="$DB"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_CHORUS_BASE_URL="https://go.example.com"
export CHORUS_DIGEST_FROM='Comms Team <comms@example.com>'
export CHORUS_DIGEST_MAX_POSTS=2

# Dates: posts imported today are spread over digest.spread_days (5), so
# preview ten days on; MONDAY and TUESDAY are the week after.
read -r DAY MONDAY TUESDAY <<EOF
$(python3 -c '
import datetime as d
t = d.date.today() + d.timedelta(days=10)
m = t + d.timedelta(days=(7 - t.weekday()) % 7)
print(t, m, m + d.timedelta(days=1))')
EOF

cat > employees.csv <<'EOF'
email,name,roles,timezone,send_time,networks,frequency
zoe@example.com,"Zoë ""Z"" Müller",engineering,Europe/Berlin,,linkedin;x,daily
wk@example.com,Wendy Weekly,engineering,,,,weekly
paused@example.com,Pat Paused,engineering,,,,paused
EOF
cat > posts.csv <<'EOF'
id,title,url,summary,roles,text,text_linkedin,text_x,priority,expires
hi,Chorus 2.0 is here ☕,https://example.com/blog/2?a=1&b=2,Our biggest release.,*,Proud of the team.,LinkedIn words for 2.0.,X words 🎉,9,
eng,How we log clicks,https://example.com/eng,Group commit and WAL.,engineering,A deep dive.,,,5,
sales,A sales story,https://example.com/sales,,sales,Great results.,,,10,
low,Low priority,https://example.com/low,,engineering,Meh.,,,1,
old,Expired promo,https://example.com/old,,*,Gone.,,,100,2020-01-01
EOF
expect_status 0 "$CHORUS" init
expect_status 0 "$CHORUS" import employees employees.csv
expect_status 0 "$CHORUS" import posts posts.csv

snapshot() {
	sql "SELECT (SELECT count(*) FROM links), \
	    (SELECT count(*) FROM suggestions), (SELECT count(*) FROM ledger)"
}
# fingerprint: the SQLite file's bytes, or every row PostgreSQL holds.
fingerprint() {
	if store_is sqlite; then
		sha256sum "$DB"
	else
		store_dump "$T/fp.dump"
		sha256sum "$T/fp.dump"
	fi | cut -d' ' -f1
}
before=$(fingerprint)
[ "$(snapshot)" = "0|0|0" ] || fail "fresh database not empty"

expect_status 0 "$CHORUS" digest preview zoe@example.com --date "$DAY"
cp "$T/out" zoe.eml
UNSUB=$(sql "SELECT unsub_token FROM employees WHERE email = 'zoe@example.com'")
PREFS=$(sql "SELECT pref_token FROM employees WHERE email = 'zoe@example.com'")
HI=$(sql "SELECT id FROM posts WHERE ext_id = 'hi'")
ENG=$(sql "SELECT id FROM posts WHERE ext_id = 'eng'")

python3 - zoe.eml "$UNSUB" "$PREFS" "$HI" "$ENG" <<'PY' || fail "zoe.eml"
import email, email.policy, sys
path, unsub, prefs, hi, eng = sys.argv[1:]
raw = open(path, 'rb').read()
msg = email.message_from_bytes(raw, policy=email.policy.default)
assert not msg.defects, msg.defects
base = 'https://go.example.com'
to = msg['To'].addresses[0]
assert to.display_name == 'Zoë "Z" Müller', to.display_name
assert to.addr_spec == 'zoe@example.com'
frm = msg['From'].addresses[0]
assert (frm.display_name, frm.addr_spec) == ('Comms Team', 'comms@example.com')
assert msg['Subject'] == 'Chorus 2.0 is here ☕ (+1 more to share today)', msg['Subject']
assert msg['Auto-Submitted'] == 'auto-generated'
assert msg['X-Auto-Response-Suppress'] == 'All'
assert msg['Message-ID'].endswith('@example.com>'), msg['Message-ID']
assert msg['List-Unsubscribe'] == '<%s/u/%s>' % (base, unsub)
assert msg['List-Unsubscribe-Post'] == 'List-Unsubscribe=One-Click'
assert msg['MIME-Version'] == '1.0'
assert msg.get_content_type() == 'multipart/alternative'
for line in raw.split(b'\r\n\r\n', 1)[0].split(b'\r\n'):
    assert len(line) <= 78 or line.startswith(b'List-Unsubscribe: '), line
text = msg.get_body(('plain',)).get_content().replace('\r\n', '\n')
html = msg.get_body(('html',)).get_content()
for body in (text, html):
    # Priority order, her role or everyone, max_posts 2, nothing expired.
    assert 'Chorus 2.0 is here ☕' in body
    assert 'How we log clicks' in body
    assert body.index('Chorus 2.0 is here') < body.index('How we log clicks')
    for absent in ('A sales story', 'Low priority', 'Expired promo',
                   'facebook', 'Facebook'):
        assert absent not in body, absent
    assert '%s/p/%s' % (base, prefs) in body
    assert '%s/u/%s' % (base, unsub) in body
# The text once, with her (preview) link of her first network; X's own
# text where it differs, with her X link (SPEC: each network's text with
# its own link); share buttons per network; "not for me" with the same
# code as the link shown.
li, x, eli = ('%s/preview-linkedin-%s' % (base, hi),
              '%s/preview-x-%s' % (base, hi), '%s/preview-linkedin-%s' % (base, eng))
assert 'LinkedIn words for 2.0.\n' + li + '\n' in text, text
assert 'For X:\nX words 🎉\n' + x + '\n' in text, text
assert 'A deep dive.\n' + eli + '\n' in text
assert 'href="%s"' % li in html and '>%s<' % li[8:] in html
assert '<strong>For X:</strong> X words 🎉 <a ' in html
assert 'href="%s"' % x in html and '>%s<' % x[8:] in html
assert 'For LinkedIn' not in html
for link in (li, x, eli):
    share = link.replace(base + '/', base + '/s/')
    assert share in text and share in html, share
    assert 'href="%s"' % share in html, share
for link in (li, eli):
    decline = link.replace(base + '/', base + '/n/')
    assert decline in text and 'href="%s"' % decline in html, decline
assert html.count('>Not for me</a>') == 2
# The preheader says what is inside.
assert '>2 posts to share: Chorus 2.0 is here ☕, How we log clicks</div>' in html
print('ok')
PY

# Read-only: not a byte changed, nothing created.
[ "$(fingerprint)" = "$before" ] || fail "preview wrote"
[ "$(snapshot)" = "0|0|0" ] || fail "preview created rows"

# An existing link is shown instead of a preview code.
sql "INSERT INTO links (code, employee_id, post_id, network, created_at)
    SELECT 'AbCdEfGhIj', e.id, p.id, 'linkedin', 0 FROM employees e, posts p
    WHERE e.email = 'zoe@example.com' AND p.ext_id = 'hi'"
expect_status 0 "$CHORUS" digest preview zoe@example.com --date "$DAY" --format text
expect_grep '^https://go.example.com/AbCdEfGhIj$' "$T/out"
expect_grep 'https://go.example.com/s/AbCdEfGhIj' "$T/out"
expect_grep "https://go.example.com/s/preview-x-$HI" "$T/out"
expect_no_grep 'preview-linkedin-'"$HI"'$' "$T/out"

expect_status 0 "$CHORUS" digest preview zoe@example.com --date "$DAY" --format html
expect_grep '<html' "$T/out"
expect_grep 'href="https://go.example.com/s/AbCdEfGhIj"' "$T/out"
expect_no_grep 'Content-Transfer-Encoding' "$T/out"

# Weekly on a Tuesday, paused: no digest, said on stderr, exit 0.
expect_status 0 "$CHORUS" digest preview wk@example.com --date "$TUESDAY"
[ -s "$T/out" ] && fail "a digest for a weekly employee on a Tuesday"
expect_grep 'no digest' "$T/err"
expect_status 0 "$CHORUS" digest preview wk@example.com --date "$MONDAY"
subject=$(python3 -c 'import email, email.policy, sys
print(email.message_from_binary_file(sys.stdin.buffer,
    policy=email.policy.default)["Subject"])' < "$T/out")
[ "$subject" = "Chorus 2.0 is here ☕ (+1 more to share this week)" ] ||
    fail "weekly subject: $subject"
expect_status 0 "$CHORUS" digest preview PAUSED@example.com --date "$MONDAY"
[ -s "$T/out" ] && fail "a digest for a paused employee"
expect_grep 'not due' "$T/err"

# "Not for me": a declined post is never offered again, on its own rule
# (this employee was never suggested anything: no suggestion keeps it out).
WK=$(sql "SELECT id FROM employees WHERE email = 'wk@example.com'")
sql "INSERT INTO declines (employee_id, post_id, reason, at) VALUES ($WK, $HI, NULL, 0)"
[ "$(sql "SELECT count(*) FROM suggestions WHERE employee_id = $WK")" = 0 ] ||
	fail "wk has suggestions"
expect_status 0 "$CHORUS" digest preview wk@example.com --date "$MONDAY" --format text
expect_no_grep 'Chorus 2.0 is here' "$T/out"
expect_grep 'How we log clicks' "$T/out"
sql "DELETE FROM declines"

# Errors: one line each, with the SPEC's status.
expect_status 65 "$CHORUS" digest preview nobody@example.com
expect_grep "no employee 'nobody@example.com'" "$T/err"
[ "$(wc -l < "$T/err")" -eq 1 ] || fail "more than one line"
expect_status 64 "$CHORUS" digest preview zoe@example.com --date 2026-02-30
expect_status 64 "$CHORUS" digest preview zoe@example.com --format pdf
expect_status 64 "$CHORUS" digest preview
expect_status 0 "$CHORUS" digest preview --help
expect_grep 'usage: chorus digest preview EMAIL' "$T/out"
NONE=$(store_db none.db)
CHORUS_CHORUS_DATABASE="$NONE" expect_status 1 "$CHORUS" digest preview zoe@example.com
store_absent "$NONE" || fail "preview created a database"

# The sample files: every employee previews and parses cleanly.
expect_status 0 "$CHORUS" import employees "$CHORUS_SRC/examples/employees.csv"
expect_status 0 "$CHORUS" import posts "$CHORUS_SRC/examples/posts.csv"
mkdir eml
for e in $(sql "SELECT email FROM employees ORDER BY id"); do
	"$CHORUS" digest preview "$e" --date "$MONDAY" > "eml/$e.eml" 2>/dev/null ||
	    fail "preview $e"
done
python3 - eml <<'PY' || fail "sample previews"
import email, email.policy, os, sys
n = 0
for f in sorted(os.listdir(sys.argv[1])):
    raw = open(os.path.join(sys.argv[1], f), 'rb').read()
    if not raw:
        continue                    # no digest (paused, nothing new)
    m = email.message_from_bytes(raw, policy=email.policy.default)
    assert not m.defects, (f, m.defects)
    assert m['To'].addresses[0].addr_spec == f[:-4], f
    assert 'preview-' in m.get_body(('plain',)).get_content(), f
    n += 1
assert n >= 20, n
print(n, 'sample digests parsed')
PY
