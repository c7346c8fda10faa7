#!/bin/bash
# Digests on PostgreSQL: the same inputs (the example employees and posts,
# made by the binary on SQLite and copied with `chorus migrate --to` into
# a database whose collation is ICU's en-US) and a week of digest runs
# with the test clock on each store, with the same clicks between the
# days. The outboxes are the same message for message (the random link
# codes, Message-IDs and MIME boundaries aside: tests/e2e/mailnorm.py),
# the ledgers hold the same states, and previews of the next day read
# the same.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/pg.inc"

pg_start
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
LITE="$T/lite.db"
q() { sqlite3 "$LITE" "$1"; }

"$PSQL" -X -q -v ON_ERROR_STOP=1 "postgresql://chorus@/postgres?host=$PGDIR" \
    -c "CREATE DATABASE chorus_icu TEMPLATE template0 LOCALE_PROVIDER icu
	ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'" ||
    fail "pg: cannot create a database with ICU's en-US collation"
PG="postgresql://chorus@/chorus_icu?host=$PGDIR"
p() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "$PG" -c "$1"; }

# The inputs, on SQLite; created long ago so every post is available.
export CHORUS_CHORUS_DATABASE="$LITE"
expect_status 0 "$CHORUS" init
expect_status 0 "$CHORUS" import employees \
    "$CHORUS_SRC/examples/employees.csv"
expect_status 0 "$CHORUS" import posts "$CHORUS_SRC/examples/posts.csv"
q "UPDATE posts SET created_at = 0, updated_at = 0;
   UPDATE employees SET created_at = 0, updated_at = 0"
expect_status 0 "$CHORUS" migrate --to "$PG"

# store NAME: the settings of store NAME (lite or pg).
store() {
	if [ "$1" = lite ]; then
		export CHORUS_CHORUS_DATABASE="$LITE"
	else
		export CHORUS_CHORUS_DATABASE="$PG"
	fi
	export CHORUS_SMTP_URL="file:$T/out-$1"
}
# hit STORE EMPLOYEE TS VISITOR: a human click on the employee's first
# link, the same on either store.
hit() {
	link="(SELECT min(l.id) FROM links l JOIN employees e
	    ON e.id = l.employee_id WHERE e.email = '$2')"
	if [ "$1" = lite ]; then
		q "INSERT INTO hits (link_id, ts, kind, class, repeat, visitor)
		    VALUES ($link, $3, 'click', 'human', 0, x'$4')" 2>/dev/null ||
		    fail "lite: no link of $2 to click"
	else
		p "INSERT INTO hits (link_id, ts, kind, class, repeat, visitor)
		    VALUES ($link, $3, 'click', 'human', 0, decode('$4', 'hex'))" \
		    2>/dev/null || fail "pg: no link of $2 to click"
	fi
}

# Monday 2026-11-23 to Sunday 2026-11-29, each day at noon UTC; clicks on
# Tuesday for three employees.
for s in lite pg; do
	store $s
	for d in 23 24 25 26 27 28 29; do
		set +e
		"$CHORUS" digest run --date 2026-11-$d \
		    --now 2026-11-${d}T12:00:00Z >"$T/$s-$d.out" 2>&1
		st=$?
		set -e
		[ $st -eq 0 ] || fail "$s 2026-11-$d: status $st: $(cat \
		    "$T/$s-$d.out")"
		sed 's/ in [0-9.]* s ([0-9]*\/s)//' "$T/$s-$d.out" \
		    >>"$T/$s.summary"
		if [ $d = 23 ]; then
			tue=$(date -u -d 2026-11-24T10:00:00Z +%s)
			hit $s ada.lovelace@example.com "$tue" 01
			hit $s ada.lovelace@example.com $((tue + 3600)) 02
			hit $s grace.hopper@example.com $((tue + 7200)) 03
		fi
	done
done
diff -u "$T/lite.summary" "$T/pg.summary" >&2 ||
    fail "the runs' summaries differ"
n=$(find "$T/out-lite" -name '*.eml' | wc -l)
[ "$n" -gt 50 ] || fail "only $n digests in the week: the test proves little"
[ "$(find "$T/out-pg" -name '*.eml' | wc -l)" -eq "$n" ] ||
    fail "$(find "$T/out-pg" -name '*.eml' | wc -l) digests on PostgreSQL, $n on SQLite"

# Message for message, in the order of the file names (local date, then
# the ledger row's id: the same on both stores).
for s in lite pg; do
	find "$T/out-$s" -name '*.eml' | sort |
	    xargs python3 "$CHORUS_SRC/tests/e2e/mailnorm.py" >"$T/$s.mail"
done
cmp -s "$T/lite.mail" "$T/pg.mail" || {
	diff -u "$T/lite.mail" "$T/pg.mail" | head -40 >&2
	fail "the digests differ"
}
grep -q 'CODE1' "$T/lite.mail" || fail "no link in the digests"
# Ada's clicks of Tuesday in her digests of the days after.
grep -q 'Clicks on your links: 2' "$T/lite.mail" ||
    fail "no results in the digests"

# The ledgers: the same rows and states (the reply names the outbox).
LEDGER="SELECT e.email, l.local_date, l.state, l.attempts,
    CASE WHEN l.message_id IS NULL THEN 0 ELSE 1 END,
    CASE WHEN l.claimed_by IS NULL THEN 0 ELSE 1 END
    FROM ledger l JOIN employees e ON e.id = l.employee_id"
q "$LEDGER" | sort >"$T/lite.ledger"
p "$LEDGER" | sort >"$T/pg.ledger"
diff -u "$T/lite.ledger" "$T/pg.ledger" >&2 || fail "the ledgers differ"
grep -q '|sent|' "$T/lite.ledger" || fail "nothing sent"
grep -q '|skipped|' "$T/lite.ledger" || fail "nothing skipped"
SUGG="SELECT e.email, p.ext_id, s.local_date, s.rank FROM suggestions s
    JOIN employees e ON e.id = s.employee_id JOIN posts p ON p.id = s.post_id"
q "$SUGG" | sort >"$T/lite.sugg"
p "$SUGG" | sort >"$T/pg.sugg"
diff -u "$T/lite.sugg" "$T/pg.sugg" >&2 || fail "the suggestions differ"

# Previews of Wednesday 2026-11-25 (planned: the plan read back) and of
# Monday 2026-11-30 (not planned yet: nothing is written).
for e in ada.lovelace@example.com grace.hopper@example.com; do
	for d in 2026-11-25 2026-11-30; do
		for s in lite pg; do
			store $s
			expect_status 0 "$CHORUS" digest preview "$e" \
			    --date $d --format text
			python3 "$CHORUS_SRC/tests/e2e/mailnorm.py" - \
			    <"$T/out" >"$T/$s.preview"
		done
		diff -u "$T/lite.preview" "$T/pg.preview" >&2 ||
		    fail "the previews of $e on $d differ"
	done
done
[ "$(p "SELECT count(*) FROM ledger WHERE local_date = '2026-11-30'")" \
    -eq 0 ] || fail "a preview wrote a ledger row"
echo "pg_digest: $n digests alike on both stores"
