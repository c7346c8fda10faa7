# Time zones, DST and the scheduler, with a fixed or accelerated clock
# (the test-only --now/--speed/--until options).
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/delivery.inc"
export CHORUS_SMTP_URL="file:$T/outbox"

# e1 Berlin 08:00, e2 New York 08:00, e3 Kolkata 09:30, e4 default (UTC
# 08:00), e5 Berlin 02:30 (inside the spring-forward gap on 2026-03-29,
# twice on 2026-10-25).
zones() {
	case $1 in
	1) echo "Europe/Berlin,08:00" ;;
	2) echo "America/New_York,08:00" ;;
	3) echo "Asia/Kolkata,09:30" ;;
	4) echo "," ;;
	5) echo "Europe/Berlin,02:30" ;;
	esac
}
seed 5 zones
state() {
	sql "SELECT coalesce((SELECT state FROM ledger WHERE employee_id = $1
	    AND local_date = '$2'), 'none')"
}

# 06:59 UTC: nobody's 08:00 yet except Kolkata's 09:30 (04:00 UTC) and
# Berlin's 02:30.
expect_status 0 "$CHORUS" digest run --now 2026-11-23T06:59:00Z
[ "$(state 1 2026-11-23)" = none ] || fail "Berlin sent before 08:00"
[ "$(state 3 2026-11-23)" != none ] || fail "Kolkata not sent at 12:29"
[ "$(state 5 2026-11-23)" != none ] || fail "Berlin 02:30 not sent"
[ "$(state 2 2026-11-23)" = none ] || fail "New York sent at 01:59"
# 07:00 UTC is 08:00 in Berlin; 08:00 UTC the default zone.
expect_status 0 "$CHORUS" digest run --now 2026-11-23T07:00:00Z
[ "$(state 1 2026-11-23)" != none ] || fail "Berlin not sent at 08:00"
[ "$(state 4 2026-11-23)" = none ] || fail "UTC sent at 07:00"
# 23:30 UTC: Berlin is already on the 24th, before its send time; New
# York catches up the 23rd (missed "downtime") at 18:30 local.
expect_status 0 "$CHORUS" digest run --now 2026-11-23T23:30:00Z
[ "$(state 2 2026-11-23)" != none ] || fail "New York not caught up"
[ "$(state 4 2026-11-23)" != none ] || fail "UTC not caught up"
[ "$(state 1 2026-11-24)" = none ] || fail "Berlin sent early on the 24th"
[ "$(sql "SELECT count(*) FROM ledger")" -eq 5 ] || fail "extra rows"

# Spring forward in Berlin: 02:30 does not exist on 2026-03-29; the
# digest goes at 03:00 CEST (01:00 UTC), once.
expect_status 0 "$CHORUS" digest run --now 2026-03-29T00:59:00Z
[ "$(state 5 2026-03-29)" = none ] || fail "sent before the gap"
expect_status 0 "$CHORUS" digest run --now 2026-03-29T01:00:00Z
[ "$(state 5 2026-03-29)" != none ] || fail "not sent at the gap's end"
expect_status 0 "$CHORUS" digest run --now 2026-03-29T03:00:00Z
[ "$(sql "SELECT count(*) FROM ledger WHERE employee_id = 5
    AND local_date = '2026-03-29'")" -eq 1 ] || fail "sent twice"

# Fall back: 02:30 happens twice on 2026-10-25; one digest.
expect_status 0 "$CHORUS" digest run --now 2026-10-25T00:30:00Z
[ "$(state 5 2026-10-25)" != none ] || fail "not sent at the first 02:30"
before=$(find "$T/outbox" -name '*.eml' | wc -l)
expect_status 0 "$CHORUS" digest run --now 2026-10-25T01:30:00Z
[ "$(find "$T/outbox" -name '*.eml' | wc -l)" -eq "$before" ] ||
    fail "sent again in the repeated hour"

# Weekly goes on Mondays only; --date sends a given date whatever the hour.
sql "UPDATE employees SET frequency = 'weekly' WHERE id = 4"
expect_status 0 "$CHORUS" digest run --now 2026-11-24T12:00:00Z
[ "$(state 4 2026-11-24)" = none ] || fail "weekly sent on a Tuesday"
expect_status 0 "$CHORUS" digest run --date 2026-11-30
[ "$(state 4 2026-11-30)" != none ] || fail "weekly not sent on --date Monday"
[ "$(state 1 2026-11-30)" != none ] || fail "--date did not send everyone"

# The scheduler through a simulated day (one real second is two hours):
# each employee's digest of 2026-12-01 goes once, at their time.
store_reset
	rm -rf "$T/outbox"
seed 5 zones
sql "UPDATE employees SET frequency = 'daily'"
expect_status 0 timeout 60 "$CHORUS" digest schedule \
    --now 2026-12-01T00:00:00Z --speed 7200 --until 2026-12-02T00:00:00Z
expect_grep 'schedule: started' "$T/err"
expect_grep 'schedule: [0-9]* sent' "$T/err"
for e in 1 2 3 4 5; do
	[ "$(state $e 2026-12-01)" != none ] ||
	    fail "employee $e missed by the scheduler"
done
[ "$(sql "SELECT count(*) FROM ledger WHERE local_date = '2026-12-01'")" \
    -eq 5 ] || fail "the scheduler sent a digest twice"
sent=$(sql "SELECT count(*) FROM ledger WHERE state = 'sent'")
[ "$(find "$T/outbox" -name '*.eml' | wc -l)" -eq "$sent" ] ||
    fail "files and ledger disagree"
[ "$(sql "SELECT count(*) FROM runs WHERE trigger = 'schedule'")" -ge 3 ] ||
    fail "the scheduler did not send in several batches"

# SIGTERM: exit 0 promptly; SIGHUP: settings reloaded.
store_reset
	rm -rf "$T/outbox"
seed 3
"$CHORUS" digest schedule >"$T/sched.out" 2>&1 &
pid=$!
wait_for grep -q 'schedule: started' "$T/sched.out"
kill -HUP $pid
wait_for grep -q 'settings reloaded' "$T/sched.out"
kill -TERM $pid
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
wait $pid || fail "schedule exited $? on SIGTERM: $(cat "$T/sched.out")"
expect_grep 'schedule: stopped' "$T/sched.out"
echo "delivery_time: ok"
