# Fault: header injection and hostile text in every imported field. Line
# breaks in any field that can reach a header are refused by the import
# (exit 65, database unchanged). What the import accepts, however hostile
# (quotes, angle brackets, commas, encoded-word lookalikes, RTL overrides,
# the longest names and texts, SMTP dot lines, MIME boundary lookalikes),
# reaches neither a header nor a recipient list: every digest, previewed
# and sent, parsed by Python's email package has exactly the expected
# header fields and exactly one recipient (tests/e2e/mailcheck.py).
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_DIGEST_SPREAD_DAYS=1	# every post to everyone on its first day
# The posts are imported below on day D, their first: one UTC day.
one_utc_day 120
D=$(date -u +%F)			# the posts' first day: their import
CHECK="$CHORUS_SRC/tests/e2e/mailcheck.py"
c() { "$CHORUS" --db "$DB" "$@"; }
expect_status 0 c init
store_dump "$T/empty.sql"

# --- refused: a line break (or another control) in a one-line field -------
# refuse KIND CSV-TEXT MESSAGE: the import exits 65 naming the field, and
# the database is untouched.
refuse() {
	printf '%b' "$2" > "$T/bad.csv"
	expect_status 65 c import "$1" "$T/bad.csv"
	expect_grep "$3" "$T/err"
	store_dump "$T/now.sql"
	cmp -s "$T/empty.sql" "$T/now.sql" ||
		fail "a refused import changed the database"
}
E='email,name,roles\n'
refuse employees "${E}a@example.com,\"Eve\r\nBcc: v@example.com\",x\n" \
    ":2: name: "
refuse employees "${E}a@example.com,\"Eve\nBcc: v@example.com\",x\n" \
    ":2: name: "
refuse employees "${E}a@example.com,\"Eve\rBcc: v@example.com\",x\n" \
    ":2: name: "
refuse employees "${E}\"a@example.com\r\nBcc: v@example.com\",Eve,x\n" \
    ":2: email: "
refuse employees "${E}\"a@example.com, v@example.com\",Eve,x\n" \
    ":2: email: "
refuse employees "${E}\"Eve <a@example.com>\",Eve,x\n" ":2: email: "
refuse employees "${E}=?utf-8?b?QmNj?=@example.com,Eve,x\n" ":2: email: "
refuse employees "${E}a@example.com,Eve,\"x\nBcc: v@example.com\"\n" \
    ":2: roles: "
refuse employees "${E}a@example.com,\"Eve\x1b[31m\",x\n" ":2: name: "
P='id,title,url,summary,text\n'
refuse posts "${P}p1,\"Title\r\nBcc: v@example.com\",https://example.com/,,\n" \
    ":2: title: "
refuse posts "${P}p1,\"Title\nBcc: v@example.com\",https://example.com/,,\n" \
    ":2: title: "
refuse posts "${P}\"p1\r\nBcc: v@example.com\",T,https://example.com/,,\n" \
    ":2: id: "
refuse posts "${P}p1,T,\"https://example.com/\r\nBcc: v@example.com\",,\n" \
    ":2: url: "
refuse posts "${P}p1,\"Tab\there\",https://example.com/,,\n" ":2: title: "
refuse posts "${P}p1,T,\"https://example.com/\"\"><script>\",,\n" ":2: url: "
echo "import: every line break in a one-line field refused"

# --- accepted, and harmless ---------------------------------------------------
python3 - "$T" <<'PY'
import csv, sys
t = sys.argv[1]
# The longest name the import takes: 200 bytes.
long_name = '\u00c9' * 40 + ' <long@evil.example>, ' + 'x' * 98
names = [
    '"Eve" <attacker@evil.example>, victim@example.com',
    'Bcc: victim@example.com',
    '=?utf-8?b?QmNjOiB2aWN0aW1AZXhhbXBsZS5jb20=?=',
    '=?utf-8?q?Eve=0D=0ABcc:_victim@example.com?=',
    '<script>alert(1)</script> & "quotes" \'single\'',
    'Doe, John; victim@example.com',
    '\u202emoc.elpmaxe@live\u202c Eve',
    long_name,
    '\\"; Bcc: x@evil.example \\',
    '',
    '=?',
    '"',
    'Ann (comment) <a@b.c>',
]
emails = ['e%d@example.com' % i for i in range(len(names))]
emails[1] = "o'brien+x=?y@example.com"
emails[2] = 'a=?b@example.com'
emails[3] = '{eve}|~&%@example.com'
with open(t + '/employees.csv', 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['email', 'name', 'roles'])
    for e, n in zip(emails, names):
        w.writerow([e, n, 'staff'])
titles = [
    '"Quoted" <title@evil.example>, other@example.com',
    '=?utf-8?q?Bcc=3A_victim=40example=2Ecom?=',
    'Subject: fake; Bcc: victim@example.com',
    '<img src=x onerror=alert(1)> & &amp; \u202eevil\u202c',
    'T' * 300,
]
hostile_text = ('Line one\r\nBcc: victim@example.com\r\n.\r\n'
                '--=_boundary\r\nContent-Type: text/html\r\n\r\n'
                '<script>alert(1)</script>\r\n=?utf-8?b?QQ==?= ' +
                'z' * 3000 + '\r\n.\r\n')
with open(t + '/posts.csv', 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['id', 'title', 'url', 'summary', 'text', 'text_x',
                'roles', 'priority'])
    for i, title in enumerate(titles):
        w.writerow(['h%d' % i, title,
                    "https://example.com/p?a='%d'&b=(x),;!*" % i,
                    hostile_text[:1000 + i * 500], hostile_text,
                    '\u202e' + title, '*', 10 - i])
PY
expect_status 0 c import employees "$T/employees.csv"
expect_grep " 13 added" "$T/out"
expect_status 0 c import posts "$T/posts.csv"
expect_grep " 5 added" "$T/out"

# Every employee's preview, as a whole message.
n=0
for e in $(sql "SELECT email FROM employees"); do
	n=$((n + 1))
	expect_status 0 c digest preview "$e" --date "$D" --format eml
	cp "$T/out" "$T/preview-$n.eml"
done
python3 "$CHECK" "$DB" "$T"/preview-*.eml > "$T/check" ||
	fail "preview: $(cat "$T/check")"
echo "preview: $(cat "$T/check")"

# And the digests a run writes (file transport).
export CHORUS_SMTP_URL="file:$T/outbox"
expect_status 0 c digest run --date "$D"
sent=$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'")
[ "$sent" -eq 13 ] || fail "$sent digests sent, want 13"
python3 "$CHECK" "$DB" "$T"/outbox/*.eml > "$T/check" ||
	fail "digest run: $(cat "$T/check")"
echo "digest run: $(cat "$T/check")"
