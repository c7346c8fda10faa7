# Fault: another process holds the database's write lock for seconds (a
# BEGIN IMMEDIATE kept open by python3's sqlite3). The redirector, an
# import, a digest run and a report wait for it (the busy timeout) and go
# on: no 503, no hit lost, the import whole, every digest sent once. Each waiter is started while the lock is
# held, and each is seen to finish only after the holder began releasing.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
store_only sqlite "SQLite's write lock on the file and its busy timeout"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/fault.inc"

DB="$T/chorus.db"
c() { "$CHORUS" --db "$DB" "$@"; }
HOLD=3	# seconds, well inside the 10 s busy timeout

# hold_lock: take the write lock in the background ($holder); returns once
# it is held. "$T/releasing" appears just before the COMMIT that frees it.
holder=""
hold_lock() {
	rm -f "$T/locked" "$T/releasing"
	python3 - "$DB" "$T" "$HOLD" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE employees SET updated_at = updated_at")
open(sys.argv[2] + "/locked", "w").close()
time.sleep(float(sys.argv[3]))
open(sys.argv[2] + "/releasing", "w").close()
db.execute("COMMIT")
PY
	holder=$!
	i=0
	while [ ! -f "$T/locked" ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "the lock holder did not start"
		sleep 0.05
	done
}
wait_holder() {
	wait "$holder" || fail "the lock holder failed"
	holder=""
}
kill_holder() { [ -z "$holder" ] || kill "$holder" 2>/dev/null || true; }
cleanup_hooks="$cleanup_hooks kill_holder"

# waited WHAT: the command that just finished did so after the release.
waited() {
	[ -f "$T/releasing" ] || fail "$1 finished while the lock was held"
}

expect_status 0 c init
expect_status 0 c import employees "$CHORUS_SRC/examples/employees.csv"

# --- import ------------------------------------------------------------------
hold_lock
expect_status 0 c import posts "$CHORUS_SRC/examples/posts.csv"
waited import
expect_grep "^posts: 12 added" "$T/out"
wait_holder
echo "import: waited for the lock, then imported"

# --- redirector: in both shapes (one thread, which retries its commit
# without blocking; a pool and its writer thread, which waits) -----------------
seed_links "$DB" 100 > "$T/codes"
for threads in 1 2; do
	: > "$T/got"
	sqlite3 "$DB" "DELETE FROM hits"
	CHORUS_REDIRECTOR_THREADS=$threads start_redirector "$DB"
	python3 "$HITLOAD" "$port" "$T/codes" "$T/got" --requests 100 \
	    >"$T/load"
	expect_grep "^sent 100 302 100 " "$T/load"
	hold_lock
	python3 "$HITLOAD" "$port" "$T/codes" "$T/got" --requests 400 \
	    --threads 8 >"$T/load"
	waited "the load"
	wait_holder
	echo "redirector ($threads threads) under a held lock: $(cat "$T/load")"
	expect_grep "^sent 400 302 400 503 0 other 0 errors 0$" "$T/load"
	h=$(curl -s -o /dev/null -w '%{http_code}' \
	    "http://127.0.0.1:$port/healthz")
	[ "$h" = 200 ] || fail "/healthz says $h after the lock"
	stop_redirector
	[ $rstatus -eq 0 ] || fail "the redirector exited $rstatus"
	no_crash $rstatus "$T/redir.log"
	lost=$(lost_hits "$T/got" "$DB")
	echo "redirector: $(wc -l < "$T/got") hits answered, $lost lost"
	[ "$lost" -eq 0 ] || fail "$lost answered hits have no row"
done

# --- digest run -------------------------------------------------------------
export CHORUS_SMTP_URL="file:$T/outbox"
export CHORUS_DIGEST_SPREAD_DAYS=1
hold_lock
expect_status 0 c digest run --date "$(date -u +%F)"
waited "digest run"
wait_holder
open=$(sqlite3 "$DB" "SELECT count(*) FROM ledger WHERE state NOT IN
    ('sent', 'skipped')")
[ "$open" -eq 0 ] || fail "$open digests not done after the lock"
sent=$(sqlite3 "$DB" "SELECT count(*) FROM ledger WHERE state = 'sent'")
n=$(find "$T/outbox" -name '*.eml' | wc -l)
[ "$sent" -gt 0 ] && [ "$n" -eq "$sent" ] ||
	fail "$n messages for $sent sent digests"
echo "digest run: waited for the lock, then sent $sent digests, none lost"

# --- report (it folds new hits into its roll-up: a write) ---------------------
hold_lock
expect_status 0 c report daily
waited report
wait_holder
expect_grep "^date," "$T/out"
integrity_ok "$DB"
echo "report: waited for the lock, then wrote"
