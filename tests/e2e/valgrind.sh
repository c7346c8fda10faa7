# An end-to-end subset under valgrind: no invalid access, no leak. Runs
# only on the optimised build (valgrind and ASan do not mix).
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
case $CHORUS in */asan/*) echo "valgrind: skipped in the sanitizer build"; exit 0 ;; esac
command -v valgrind >/dev/null || { echo "valgrind: not installed; skipped"; exit 0; }
vg() {
	valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect \
	    "$CHORUS" --db "$DB" "$@"
}
expect_status 0 vg init
expect_status 0 vg import employees "$CHORUS_SRC/examples/employees.csv"
expect_status 0 vg import posts "$CHORUS_SRC/examples/posts.csv"
expect_status 0 vg import employees --prune "$CHORUS_SRC/examples/employees.csv"
expect_status 65 vg import employees "$DATA/import/many_errors.csv"
expect_status 65 vg import employees "$DATA/import/bad_quote.csv"
expect_status 0 vg status
expect_status 0 vg config
expect_status 64 vg import
store_is pg || expect_status 0 vg backup "$T/b.db"

# The digest, previewed in each format.
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_DIGEST_SPREAD_DAYS=1
for f in eml html text; do
	expect_status 0 vg digest preview ada.lovelace@example.com --format $f
	[ -s "$T/out" ] || fail "empty preview ($f)"
done
expect_status 65 vg digest preview nobody@example.com

# A digest run through the file transport, then one with nothing left.
export CHORUS_SMTP_URL="file:$T/outbox"
expect_status 0 vg digest run --date "$(date -u +%F)"
n=$(find "$T/outbox" -name '*.eml' | wc -l)
[ "$n" -gt 0 ] || fail "the digest run under valgrind wrote nothing"
expect_status 0 vg digest run --date "$(date -u +%F)"
[ "$(find "$T/outbox" -name '*.eml' | wc -l)" -eq "$n" ] ||
	fail "a second run wrote more digests"

# A short redirector session: a few requests of each kind, then SIGTERM.
code=$(sql "SELECT code FROM links LIMIT 1")
[ -n "$code" ] || fail "the digest run made no link"
port=$(free_port)
valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect \
    "$CHORUS" --db "$DB" redirector --listen "127.0.0.1:$port" \
    2>"$T/vg-redir.log" &
vpid=$!
stop_vg() { [ -z "$vpid" ] || kill -9 "$vpid" 2>/dev/null || true; }
cleanup_hooks="$cleanup_hooks stop_vg"
i=0
while ! (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 600 ] || fail "the redirector under valgrind did not start"
	sleep 0.1
done
u="http://127.0.0.1:$port"
tok=$(sql "SELECT unsub_token FROM employees LIMIT 1")
pref=$(sql "SELECT pref_token FROM employees LIMIT 1")
for want in "302 $u/$code" "302 $u/s/$code" "404 $u/nope" \
    "200 $u/healthz" "200 $u/metrics" "200 $u/u/$tok" "200 $u/p/$pref" \
    "200 $u/n/$code"; do
	got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "${want#* }")
	[ "$got" = "${want%% *}" ] || fail "${want#* } answered $got"
done
curl -s -o /dev/null --max-time 30 -I "$u/$code"
curl -s -o /dev/null --max-time 30 -d frequency=weekly "$u/p/$pref"
curl -s -o /dev/null --max-time 30 -d List-Unsubscribe=One-Click "$u/u/$tok"
curl -s -o /dev/null --max-time 30 -d reason=not_relevant "$u/n/$code"
[ "$(sql "SELECT count(*) FROM declines")" = 1 ] ||
	fail "the redirector under valgrind recorded no decline"
kill -TERM "$vpid"
st=0
wait "$vpid" || st=$?
vpid=""
[ $st -eq 0 ] || { cat "$T/vg-redir.log" >&2; fail "redirector under valgrind exited $st"; }
[ "$(sql "SELECT count(*) FROM hits")" -ge 3 ] ||
	fail "the redirector under valgrind recorded no hits"
# The reports over those hits.
for r in attribution daily leaderboard program html; do
	expect_status 0 vg report $r
done
echo "valgrind: clean"
