# Fault: SIGKILL, again and again. The redirector under load is killed
# with -9 twenty times, at a different moment each time; the load writes
# down every 302 it receives, and after each kill every one of them must
# have its row (the hit is committed before the answer is sent). Prints the
# count of lost hits, which must be 0.
. "$CHORUS_SRC/tests/e2e/lib.sh"
. "$CHORUS_SRC/tests/e2e/fault.inc"
KILLS=20

DB="$T/chorus.db"
expect_status 0 "$CHORUS" --db "$DB" init
seed_links "$DB" 200 > "$T/codes"
: > "$T/got"
total_lost=0
k=1
while [ $k -le $KILLS ]; do
	start_redirector "$DB"
	before=$(wc -l < "$T/got")
	python3 "$HITLOAD" "$port" "$T/codes" "$T/got" --requests 20000 \
	    --seconds 30 --threads 8 --stop-on-error >"$T/load" &
	load=$!
	# Kill after 20..400 more answers, a different point each time.
	want=$((before + 20 * k))
	i=0
	while [ "$(wc -l < "$T/got")" -lt $want ]; do
		i=$((i + 1))
		[ $i -lt 400 ] || fail "kill $k: the load made no progress"
		sleep 0.05
	done
	stop_redirector KILL
	wait $load || fail "kill $k: the load failed"
	no_crash 0 "$T/redir.log"
	lost=$(lost_hits "$T/got" "$DB")
	total_lost=$((total_lost + lost))
	[ "$lost" -eq 0 ] || fail "kill $k: $lost answered hits have no row"
	k=$((k + 1))
done
answered=$(wc -l < "$T/got")
rows=$(sqlite3 "$DB" "SELECT count(*) FROM hits")
integrity_ok "$DB"
echo "redirector: $KILLS kills under load, $answered hits answered 302," \
    "$rows rows, $total_lost lost"
[ "$rows" -ge "$answered" ] || fail "$rows rows for $answered answered"
