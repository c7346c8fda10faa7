#!/bin/bash
# Two schedulers on one PostgreSQL store (issue 19): two `digest run` and
# then two `digest schedule` at once into one smtp-sink send every
# employee exactly one digest per local date, none missing. A claim held
# by a run on another machine (a ledger row planted 'sending' with a
# foreign claimer) is taken over once its lease has run out, and not
# before.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/pg.inc"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/delivery.inc"
pg_start
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/pg_delivery.inc"
N=80

# Every employee's digest of date D done (sent, or skipped: nothing new);
# the sink holds each sent row's Message-ID once, and no other message.
expect_one_each() {
	d=$1
	done_rows=$(sql "SELECT count(*) FROM ledger WHERE local_date = '$d'
	    AND state IN ('sent', 'skipped')")
	[ "$done_rows" -eq $N ] || fail "$d: $done_rows of $N done"
	cat "$T/dump"/* 2>/dev/null | grep -hi '^Message-ID:' |
	    sed 's/^[^:]*: *//' | tr -d '\r' | sort >"$T/dumped.ids"
	sql "SELECT message_id FROM ledger WHERE state = 'sent'" | sort \
	    >"$T/sent.ids"
	[ -z "$(uniq -d "$T/dumped.ids")" ] ||
	    fail "sent twice: $(uniq -d "$T/dumped.ids" | head -3)"
	cmp -s "$T/dumped.ids" "$T/sent.ids" || {
		diff "$T/sent.ids" "$T/dumped.ids" | head >&2
		for m in $(comm -13 "$T/sent.ids" "$T/dumped.ids"); do
			grep -l "$m" "$T"/dump/* | head -1 | xargs grep -h "^To:\|^Date:\|^Subject:" >&2
			sql "SELECT * FROM ledger WHERE message_id = '$m'" >&2
		done
		fail "the sink's messages are not the ledger's sent rows"
	}
}

# --- Two runs and a third overlapping, each its own connection; the sink
# slow enough at each message's end that the runs meet on every batch.
# Two posts go to 20 employees each: one audience chosen per post, by
# whichever run comes first, and only its members are offered the post.
pg_seed $N
sql "UPDATE posts SET audience_count = 20 WHERE ext_id IN ('p1', 'p2')"
start_sink -W .:1:20
NOW=2026-11-23T09:00:00Z
"$CHORUS" digest run --now $NOW >"$T/a.out" 2>&1 &
a=$!
"$CHORUS" digest run --now $NOW >"$T/b.out" 2>&1 &
b=$!
"$CHORUS" digest run --date 2026-11-23 >"$T/c.out" 2>&1 &
c=$!
wait $a || fail "run a: $(cat "$T/a.out")"
wait $b || fail "run b: $(cat "$T/b.out")"
wait $c || fail "run c: $(cat "$T/c.out")"
expect_all_final
expect_one_each 2026-11-23
[ "$(sql "SELECT count(*) FROM ledger")" -eq $N ] || fail "extra rows"
[ "$(sql "SELECT count(*) FROM audience_choices")" -eq 2 ] ||
    fail "$(sql "SELECT count(*) FROM audience_choices") audience choices"
[ "$(sql "SELECT count(*) FROM audience_members")" -eq 40 ] ||
    fail "$(sql "SELECT count(*) FROM audience_members") audience members"
[ "$(sql "SELECT count(*) FROM suggestions s JOIN posts p ON p.id = s.post_id
    WHERE p.audience_count IS NOT NULL AND NOT EXISTS (SELECT 1
    FROM audience_members m WHERE m.post_id = s.post_id
    AND m.employee_id = s.employee_id)")" -eq 0 ] ||
    fail "a limited post offered outside its audience"
[ "$(sql "SELECT count(*) FROM suggestions s JOIN posts p ON p.id = s.post_id
    WHERE p.audience_count IS NOT NULL")" -gt 0 ] ||
    fail "no limited post offered: the test proves little"
echo "pg_schedulers: three runs at once, $(dumped) digests for $N"

# --- Two schedulers through two simulated days (one real second is two
# hours), half the employees in New York: one digest per employee and
# local date.
pg_reset
rm -rf "$T/dump"
pg_seed $N
sql "UPDATE employees SET timezone = 'America/New_York' WHERE id % 2 = 0"
start_sink -W .:1:5
for s in 1 2; do
	timeout 120 "$CHORUS" digest schedule --now 2026-12-01T00:00:00Z \
	    --speed 7200 --until 2026-12-03T00:00:00Z >"$T/s$s.out" 2>&1 &
	eval "s${s}_pid=\$!"
done
# shellcheck disable=SC2154
wait "$s1_pid" || fail "scheduler 1: $(cat "$T/s1.out")"
# shellcheck disable=SC2154
wait "$s2_pid" || fail "scheduler 2: $(cat "$T/s2.out")"
expect_all_final
expect_one_each 2026-12-01
expect_one_each 2026-12-02
# Both ran to the end; which of them won each morning's claims is a race
# (one may win them all), so each one's share is printed, not required.
# Together their logs count what the sink holds.
share=
total=0
for s in 1 2; do
	expect_grep 'schedule: stopped' "$T/s$s.out"
	n=$(sed -n 's/.*schedule: \([0-9]*\) sent.*/\1/p' "$T/s$s.out" |
	    awk '{ n += $1 } END { print n + 0 }')
	share="$share $n"
	total=$((total + n))
done
[ "$total" -eq "$(dumped)" ] ||
    fail "the schedulers logged $total sent, the sink holds $(dumped)"
echo "pg_schedulers: two schedulers, $(dumped) digests for $N x 2 days" \
    "(each sent:$share)"

# --- Claims of other machines: e1's 2026-12-10 held by a run that
# stopped renewing its claims an hour ago, e2's by one that renewed them
# just now. The lease is measured by the real clock (the server's here,
# the run's own below), whatever --now says.
pg_reset
rm -rf "$T/dump"
pg_seed $N
start_sink
D=2026-12-10
dead='ffffffff.4026531836:4242:99@host-a'
live='eeeeeeee.4026531836:4242:99@host-b'
sql "INSERT INTO ledger (employee_id, local_date, state, claimed_by,
    claimed_at, created_at, updated_at) VALUES
    (1, '$D', 'sending', '$dead',
     extract(epoch FROM now())::bigint - 3600, 0, 0),
    (2, '$D', 'sending', '$live', extract(epoch FROM now())::bigint, 0, 0)"
set +e
"$CHORUS" digest run --date $D --now ${D}T12:00:00Z >"$T/run.out" 2>&1
st=$?
set -e
[ $st -eq 0 ] || fail "run: status $st: $(cat "$T/run.out")"
expect_grep "1 digest claimed by $dead, not renewed" "$T/run.out"
[ "$(sql "SELECT state FROM ledger WHERE employee_id = 1
    AND local_date = '$D'")" = sent ] || fail "a stale claim not taken over"
[ "$(sql "SELECT state || ' ' || claimed_by FROM ledger
    WHERE employee_id = 2 AND local_date = '$D'")" = "sending $live" ] ||
    fail "a live claim of another machine taken over"
if grep -q '<e2@example.com>' "$T"/dump/*; then
	fail "e2 sent while another machine held it"
fi
[ "$(dumped)" -eq $((N - 1)) ] || fail "$(dumped) sent, want $((N - 1))"
# With a lease of 60 s, e2's claim, renewed 90 s ago, is taken over.
sql "UPDATE ledger SET claimed_at = extract(epoch FROM now())::bigint - 90
    WHERE employee_id = 2 AND local_date = '$D'"
expect_status 0 env CHORUS_DIGEST_CLAIM_TIMEOUT=60 "$CHORUS" digest run \
    --date $D --now ${D}T12:10:00Z
[ "$(sql "SELECT state FROM ledger WHERE employee_id = 2
    AND local_date = '$D'")" = sent ] || fail "e2 not taken over after 60 s"
expect_all_final
expect_one_each $D

# --- Two runs planning one employee at once, for two dates: another
# session suggests every post left to e3 (for 2026-12-09) and holds its
# transaction until the run waits on those rows; then commits. The run's
# INSERT INTO suggestions fails on the key; planned again, it sees them
# all suggested and skips the digest, where it used to fail it for good.
D2=2026-12-11
exec {hold_w}> >("$PSQL" -X -q -v ON_ERROR_STOP=1 "$PG_URI" >"$T/hold.out" 2>&1)
hold_pid=$!
cat >&$hold_w <<SQL
BEGIN;
INSERT INTO ledger (employee_id, local_date, state, created_at, updated_at)
    VALUES (3, '2026-12-09', 'skipped', 0, 0);
INSERT INTO suggestions (employee_id, post_id, ledger_id, local_date)
    SELECT 3, p.id, l.id, '2026-12-09' FROM posts p, ledger l
    WHERE l.employee_id = 3 AND l.local_date = '2026-12-09'
    AND NOT EXISTS (SELECT 1 FROM suggestions s
    WHERE s.employee_id = 3 AND s.post_id = p.id);
SELECT 'held';
SQL
i=0
until grep -q held "$T/hold.out"; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the holding session: $(cat "$T/hold.out")"
	sleep 0.1
done
"$CHORUS" digest run --date $D2 --now ${D2}T12:00:00Z >"$T/race.out" 2>&1 &
race=$!
i=0
until [ "$(sql "SELECT count(*) FROM pg_stat_activity
    WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO suggestions%'")" -gt 0 ]; do
	i=$((i + 1))
	kill -0 $race 2>/dev/null || fail "the run ended without waiting: $(cat "$T/race.out")"
	[ $i -lt 600 ] || fail "the run never waited on the held rows"
	sleep 0.05
done
echo "COMMIT;" >&$hold_w
exec {hold_w}>&-
wait $hold_pid || true
wait $race || fail "run: $(cat "$T/race.out")"
expect_grep "planned the same digests at the same time" "$T/race.out"
[ "$(sql "SELECT state FROM ledger WHERE employee_id = 3
    AND local_date = '$D2'")" = skipped ] ||
    fail "e3's digest: $(sql "SELECT state, reply FROM ledger
    WHERE employee_id = 3 AND local_date = '$D2'")"
[ "$(sql "SELECT count(*) FROM ledger WHERE local_date = '$D2'
    AND state = 'sent'")" -eq $((N - 1)) ] || fail "the others not sent"
echo "pg_schedulers: a race on one employee's suggestions, planned again"

# --- The server stops answering mid-pass without closing (the run's
# backends stopped, as a stalled disk or a frozen host leaves them), with
# a lease of 4 s: once a statement has waited half of it, its connection
# is dropped (the sends stopped already by the fence); the run ends on
# its own instead of waiting for ever, sends nothing twice, and the next
# run sends the rest.
pg_reset
rm -rf "$T/dump"
pg_seed 20
start_sink -W .:1
CHORUS_TEST_CLAIM_TIMEOUT=4 "$CHORUS" digest run --now $NOW \
    >"$T/silent.out" 2>&1 &
silent=$!
i=0
until dumped_at_least 2; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "nothing sent: $(cat "$T/silent.out")"
	sleep 0.1
done
pg_freeze "the run"
i=0
until grep -q 'its connection is dropped' "$T/silent.out"; do
	i=$((i + 1))
	[ $i -lt 600 ] || fail "the run waits on a silent server: $(cat "$T/silent.out")"
	sleep 0.1
done
pg_thaw
set +e
wait $silent
st=$?
set -e
[ $st -eq 0 ] || [ $st -eq 75 ] ||
    fail "run on a silent server: status $st: $(cat "$T/silent.out")"
expect_status 0 "$CHORUS" digest run --now $NOW
N=20
expect_all_final
expect_one_each 2026-11-23
echo "pg_schedulers: a silent server mid-pass: the run ended, nothing sent twice"
echo "pg_schedulers: ok"
