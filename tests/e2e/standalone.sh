# One self-contained binary: the chorus binary alone, copied into an empty
# directory and run from another empty one with no settings file and no
# CHORUS_* variable, runs every command that `chorus --help` lists: init,
# imports, digest preview, run and schedule into the file outbox, the
# redirector on loopback (a link, the unsubscribe and preferences pages),
# every report, status, backup, config, templates export, migrate (into
# a private PostgreSQL server, where installed). The migrations
# and templates are compiled in. Then chorus.templates names a directory
# holding one changed template: that file wins, the others still come from
# the binary.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

# Only this script's settings: none from the caller's environment.
for v in $(env | sed -n 's/^\(CHORUS_[A-Z_]*\)=.*/\1/p'); do
	case $v in CHORUS|CHORUS_SRC) ;; *) unset "$v" ;; esac
done
mkdir "$T/bin" "$T/work"
cp "$CHORUS" "$T/bin/chorus"
cd "$T/work"
ran=" "
# c CMD ARGS...: the copied binary, from the empty directory; notes CMD.
c() {
	ran="$ran$1 "
	"$T/bin/chorus" "$@"
}

DAY=$(date -u -d '+10 days' +%F)	# posts of today are spread over days
ADA=ada.lovelace@example.com

expect_status 0 c init
[ -f chorus.db ] || fail "init made no chorus.db in the working directory"
expect_status 0 c import employees "$CHORUS_SRC/examples/employees.csv"
expect_status 0 c import posts "$CHORUS_SRC/examples/posts.csv"
expect_status 0 c config
expect_grep '^chorus.templates = *	# default' "$T/out"

# The digest, previewed in each format, then sent into ./outbox.
for f in text html eml; do
	expect_status 0 c digest preview "$ADA" --date "$DAY" --format $f
	cp "$T/out" "$T/preview.$f"
done
expect_grep '^Hello Ada' "$T/preview.text"
expect_grep '<html' "$T/preview.html"
expect_grep '^Content-Type: multipart/alternative' "$T/preview.eml"
expect_status 0 c digest run --date "$DAY"
n=$(find outbox -name '*.eml' | wc -l)
[ "$n" -gt 0 ] || fail "digest run wrote no message into ./outbox"
expect_status 0 c digest schedule --until 2000-01-01T00:00:00Z

# A personal link and the two tokens, read from one sent digest.
eml=$(grep -l "^To: .*<\?$ADA>\?" outbox/*.eml | head -n 1)
[ -n "$eml" ] || fail "no digest for $ADA in ./outbox"
read -r CODE UNSUB PREFS <<EOF
$(python3 - "$eml" <<'PY'
import email, email.policy, re, sys
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'),
                                     policy=email.policy.default)
text = msg.get_body(('plain',)).get_content()
base = r'http://127\.0\.0\.1:8080/'
code = re.search(base + r'([A-Za-z0-9]{12})\b', text).group(1)
unsub = re.search(base + r'u/([0-9a-f-]{36})', text).group(1)
prefs = re.search(base + r'p/([0-9a-f-]{36})', text).group(1)
print(code, unsub, prefs)
PY
)
EOF
[ -n "$PREFS" ] || fail "no link, /u/ and /p/ tokens in $eml"

# The redirector on a free loopback port.
rpid=""
stop_redirector() {
	[ -n "$rpid" ] || return 0
	kill "$rpid" 2>/dev/null || true
	wait "$rpid" || true
	rpid=""
}
cleanup_hooks="stop_redirector"
start_redirector() {
	port=$(free_port)
	ran="${ran}redirector "	# c in the background notes it in a subshell
	"$T/bin/chorus" redirector --listen "127.0.0.1:$port" 2>"$T/redir.log" &
	rpid=$!
	i=0
	while ! (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; do
		kill -0 "$rpid" 2>/dev/null ||
			{ cat "$T/redir.log" >&2; fail "the redirector exited"; }
		i=$((i + 1))
		[ $i -lt 300 ] || fail "nothing listens on port $port"
		sleep 0.1
	done
}
# get NAME PATH: GET PATH, headers into $T/NAME.h, body into $T/NAME.b;
# prints the status.
get() {
	curl -s -o "$T/$1.b" -D "$T/$1.h" -A 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' \
	    "http://127.0.0.1:$port$2" >/dev/null || fail "curl $2"
	sed -n '1s/^HTTP\/1\.1 \([0-9]*\).*/\1/p' "$T/$1.h"
}
start_redirector
[ "$(get link "/$CODE")" = 302 ] || { cat "$T/link.h" >&2; fail "/$CODE: not a redirect"; }
expect_grep '^Location: https\?://' "$T/link.h"
[ "$(get unsub "/u/$UNSUB")" = 200 ] || fail "/u/TOKEN: not 200"
expect_grep '<form' "$T/unsub.b"
[ "$(get prefs "/p/$PREFS")" = 200 ] || fail "/p/TOKEN: not 200"
expect_grep '<form' "$T/prefs.b"
stop_redirector

# Every report `chorus report --help` lists, into a file.
reports=$("$T/bin/chorus" report --help |
    sed -n '/NAME is one of/,/^$/s/^  \([a-z][a-z]*\)  .*/\1/p')
[ -n "$reports" ] || fail "no report named in 'chorus report --help'"
for r in $reports; do
	expect_status 0 c report "$r" --out "report-$r"
	[ -s "report-$r" ] || fail "report $r is empty"
done

expect_status 0 c status
expect_grep '^employees: *36 active of 36' "$T/out"
expect_status 0 c backup backup.db
expect_status 0 c backup backup.db

# The database copied into a private PostgreSQL server where the package
# is installed; else migrate runs up to the connection, refused in one
# line.
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	. "$CHORUS_SRC/tests/e2e/pg.inc"
	pg_start
	expect_status 0 c migrate --to "$PG_URI"
	expect_grep "^copied 'chorus.db' to 'postgresql://" "$T/out"
else
	expect_status 1 c migrate --to "postgresql://chorus@/x?host=$T/none"
fi

# The shipped templates, written out, are the source tree's.
expect_status 0 c templates export tpl
for t in "$CHORUS_SRC"/templates/*.*; do
	cmp -s "$t" "tpl/${t##*/}" || fail "templates export: ${t##*/} differs"
done
[ "$(ls tpl | wc -l)" = "$(ls "$CHORUS_SRC"/templates/*.* | wc -l)" ] ||
	fail "templates export wrote other files"
expect_status 1 c templates export tpl
expect_status 0 c templates export --force tpl

# Every command of `chorus --help` ran above.
for cmd in $("$T/bin/chorus" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p'); do
	case $ran in *" $cmd "*) ;; *) fail "command '$cmd' not run" ;; esac
done

# An override directory with one template changed: the text part is the
# override, the HTML part and the pages are the shipped ones.
mkdir over
printf 'Overridden for {{first_name}}.\n' > over/digest.txt
export CHORUS_CHORUS_TEMPLATES="$T/work/over"
expect_status 0 c config
expect_grep "^chorus.templates = $T/work/over" "$T/out"
expect_status 0 c digest preview "$ADA" --date "$DAY" --format text
[ "$(cat "$T/out")" = "Overridden for Ada." ] ||
	{ cat "$T/out" >&2; fail "the override of digest.txt was not used"; }
expect_status 0 c digest preview "$ADA" --date "$DAY" --format html
unset CHORUS_CHORUS_TEMPLATES
cp "$T/out" "$T/over.html"
expect_status 0 c digest preview "$ADA" --date "$DAY" --format html
cmp -s "$T/out" "$T/over.html" ||
	fail "with one override, digest.html is not the shipped one"
export CHORUS_CHORUS_TEMPLATES="$T/work/over"
start_redirector
[ "$(get unsub2 "/u/$UNSUB")" = 200 ] || fail "/u/TOKEN with an override: not 200"
cmp -s "$T/unsub.b" "$T/unsub2.b" ||
	fail "with one override, unsubscribe.html is not the shipped one"
stop_redirector
# A directory that is not there is refused at the door.
export CHORUS_CHORUS_TEMPLATES="$T/work/missing"
expect_status 64 c config
expect_grep "chorus.templates: '$T/work/missing': No such file or directory" "$T/err"
unset CHORUS_CHORUS_TEMPLATES

echo "standalone: all checks passed ($n digests, reports:" $reports")"
