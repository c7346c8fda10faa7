#!/bin/sh
# Runs the unit test programs and the end-to-end scripts of one build.
# Usage: tests/run.sh BUILD_DIR TEST...
# Every test runs under a time limit; the last line is "N passed, N failed".
# CHORUS_TEST_STORES (default "sqlite") names the stores the end-to-end
# scripts run on, one pass each: "sqlite pg" runs them again with
# CHORUS_TEST_STORE=pg, each on a private PostgreSQL server (lib.sh), named
# pg:tests/e2e/NAME. The scripts that start their own server (they source
# pg.inc) test PostgreSQL already and run in the first pass only. A script
# that prints "SKIP: ..." and exits 0 is counted passed and shown as skip.
build=$1
shift
passed=0
failed=0
failures=""
skips=""
stores=${CHORUS_TEST_STORES:-sqlite}
export CHORUS="$PWD/$build/chorus"
export CHORUS_SRC="$PWD"
# Settings from the caller's environment must not leak into the tests.
for v in $(env | sed -n 's/^\(CHORUS_[A-Z_]*\)=.*/\1/p'); do
	case $v in CHORUS|CHORUS_SRC|CHORUS_PG_USER) ;; *) unset "$v" ;; esac
done

run() {
	name=$1
	shift
	log="$build/$(echo "$name" | sed "s/^pg:\(.*\)/\1.pg/").log"
	t0=$(date +%s)
	if timeout 600 "$@" </dev/null >"$log" 2>&1; then
		passed=$((passed + 1))
		if skip=$(grep -m 1 '^SKIP: ' "$log"); then
			skips="$skips $name"
			echo "skip $name (${skip#SKIP: })"
		else
			echo "ok   $name ($(($(date +%s) - t0)) s)"
		fi
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "FAIL $name (log: $log, $(($(date +%s) - t0)) s)"
		tail -n 30 "$log" | sed 's/^/     | /'
	fi
}

mkdir -p "$build/tests/e2e"
for t in "$@"; do
	run "$t" "$build/$t"
done
for store in $stores; do
	case $store in
	sqlite) prefix="" ;;
	pg) prefix="pg:" ;;
	*) echo "tests/run.sh: unknown store '$store'" >&2; exit 2 ;;
	esac
	for t in tests/e2e/*.sh; do
		[ -f "$t" ] || continue
		case $t in */lib.sh) continue ;; esac
		if [ "$store" != sqlite ] && grep -q '^[^#]*pg\.inc' "$t"; then
			continue
		fi
		run "$prefix${t%.sh}" env CHORUS_TEST_STORE="$store" bash "$t"
	done
done
[ -n "$skips" ] && echo "skipped:$skips"
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
