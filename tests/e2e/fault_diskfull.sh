# Fault: the disk fills up. The database and the outbox live on a small
# tmpfs that is then filled, completely or all but a little. An import
# fails cleanly and changes nothing; the redirector answers 503 rather than
# answer a hit it could not write, and every 302 it gave has its row; a
# digest run stops with a clear error and leaves no half-written message;
# the database passes integrity_check; everything resumes once space
# returns. Needs root for the mount (CI runs as root); skipped otherwise.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
store_only sqlite "the SQLite file on a full disk (the server's disk is the server's)"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/fault.inc"

mount_tmpfs 16m
DB="$FS/chorus.db"
c() { "$CHORUS" --db "$DB" "$@"; }

# run_full STATUS_VAR CMD...: run CMD on the full disk; it must fail with
# one clear line about space, and not crash.
run_full() {
	set +e
	"$@" >"$T/out" 2>"$T/err"
	st=$?
	set -e
	no_crash $st "$T/err"
	[ $st -ne 0 ] || { cat "$T/err" >&2; fail "'$*' on a full disk exited 0"; }
	expect_grep "^chorus: .*\(No space left\|disk is full\)" "$T/err"
}

# --- import: refused whole, database unchanged ----------------------------
expect_status 0 c init
expect_status 0 c import employees "$CHORUS_SRC/examples/employees.csv"
# 2,000 posts of about 1 KiB each: the transaction outgrows what is left.
python3 - > "$T/big.csv" <<'PY'
print("id,title,url,summary")
for i in range(2000):
    print("big-%d,Post %d,https://example.com/%d,%s" % (i, i, i, "s" * 1000))
PY
sqlite3 "$DB" .dump > "$T/before.sql"
for keep in 0 262144; do
	fill_disk $keep
	run_full c import posts "$T/big.csv"
	echo "import, $keep bytes free: exit $st: $(head -n 1 "$T/err")"
	free_disk
	sqlite3 "$DB" .dump > "$T/after.sql"
	cmp -s "$T/before.sql" "$T/after.sql" ||
		fail "a failed import changed the database"
	integrity_ok "$DB"
done
expect_status 0 c import posts "$T/big.csv"
expect_grep "^posts: 2000 added" "$T/out"

# --- redirector: 503, never a 302 without its row --------------------------
seed_links "$DB" 200 > "$T/codes"
start_redirector "$DB"
python3 "$HITLOAD" "$port" "$T/codes" "$T/got" --requests 200 >"$T/load"
expect_grep "^sent 200 302 200 " "$T/load"
fill_disk
# Until 20 answers were 503 (at most 5,000 requests): the WAL may still
# have room for a few batches.
python3 "$HITLOAD" "$port" "$T/codes" "$T/got" --requests 5000 \
    --until-503 20 >"$T/load"
echo "redirector, disk full: $(cat "$T/load")"
grep -q " 503 [1-9]" "$T/load" || fail "no 503 on a full disk"
h=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
[ "$h" = 503 ] || fail "/healthz says $h on a full disk"
expect_grep "^chorus: .*\(No space left\|disk is full\)" "$T/redir.log"
kill -0 "$rpid" || fail "the redirector died on a full disk"
free_disk
python3 "$HITLOAD" "$port" "$T/codes" "$T/got" --requests 200 >"$T/load"
echo "redirector, space back: $(cat "$T/load")"
grep -q "^sent 200 302 200 " "$T/load" || fail "hits did not resume"
h=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
[ "$h" = 200 ] || fail "/healthz says $h once space is back"
stop_redirector
[ $rstatus -eq 0 ] || fail "the redirector exited $rstatus on SIGTERM"
no_crash $rstatus "$T/redir.log"
lost=$(lost_hits "$T/got" "$DB")
echo "redirector: $(wc -l < "$T/got") hits answered 302, $lost lost"
[ "$lost" -eq 0 ] || fail "$lost answered hits have no row"
integrity_ok "$DB"
# --- digest run: a clear error, nothing half-written, then all of it once --
export CHORUS_SMTP_RETRY_DELAY=0.05
# The posts are imported below on day D, their first: one UTC day.
one_utc_day 120
D=$(date -u +%F)
# dumped_ok DB OUTBOX: every ledger row finished, one message per sent
# digest, no recipient twice, no temporary file left.
dumped_ok() {
	integrity_ok "$1"
	open=$(sqlite3 "$1" "SELECT count(*) FROM ledger WHERE state NOT IN
	    ('sent', 'skipped')")
	[ "$open" -eq 0 ] || fail "$open ledger rows not finished in $1"
	sent=$(sqlite3 "$1" "SELECT count(*) FROM ledger WHERE state = 'sent'")
	[ "$sent" -gt 0 ] || fail "nothing sent from $1"
	n=$(find "$2" -name '*.eml' | wc -l)
	[ "$n" -eq "$sent" ] || fail "$n messages in $2, $sent sent"
	dups=$(cat "$2"/*.eml | grep '^To: ' | sort | uniq -d | wc -l)
	[ "$dups" -eq 0 ] || fail "$dups recipients got two digests"
	[ -z "$(find "$2" -name '*.tmp')" ] ||
		fail "a half-written message was left in $2"
}

# The database and the outbox on the full disk.
export CHORUS_SMTP_URL="file:$FS/outbox"
expect_status 0 c import posts "$CHORUS_SRC/examples/posts.csv"
mkdir -p "$FS/outbox"
for keep in 0 65536 262144 524288; do
	fill_disk $keep
	run_full c digest run --date "$D"
	echo "digest run, $keep bytes free: exit $st," \
	    "$(find "$FS/outbox" -name '*.eml' | wc -l) messages written:" \
	    "$(head -n 1 "$T/err")"
	free_disk
	integrity_ok "$DB"
	[ -z "$(find "$FS/outbox" -name '*.tmp')" ] ||
		fail "a half-written message was left in the outbox"
done
expect_status 0 c digest run --date "$D"
dumped_ok "$DB" "$FS/outbox"
echo "digest run: $sent sent once space was back, 0 duplicates, 0 missing"

# The outbox alone on the full disk: every digest is deferred, not lost.
D2="$T/chorus2.db"
export CHORUS_SMTP_URL="file:$FS/outbox2"
expect_status 0 "$CHORUS" --db "$D2" init
expect_status 0 "$CHORUS" --db "$D2" import employees \
    "$CHORUS_SRC/examples/employees.csv"
expect_status 0 "$CHORUS" --db "$D2" import posts \
    "$CHORUS_SRC/examples/posts.csv"
fill_disk
run_full "$CHORUS" --db "$D2" digest run --date "$D"
expect_grep "No space left on device" "$T/err"
[ $st -eq 75 ] || fail "a full outbox exited $st, want 75 (retry later)"
echo "digest run, outbox full: exit $st: $(head -n 1 "$T/err")"
free_disk
expect_status 0 "$CHORUS" --db "$D2" digest run --date "$D"
dumped_ok "$D2" "$FS/outbox2"
echo "digest run: $sent sent once the outbox had room, 0 duplicates, 0 missing"
