#!/bin/sh
# Runs the unit test programs and the end-to-end scripts of one build.
# Usage: tests/run.sh BUILD_DIR TEST...
# Every test runs under a time limit; the last line is "N passed, N failed".
build=$1
shift
passed=0
failed=0
failures=""
export CHORUS="$PWD/$build/chorus"
export CHORUS_SRC="$PWD"
# Settings from the caller's environment must not leak into the tests.
for v in $(env | sed -n 's/^\(CHORUS_[A-Z_]*\)=.*/\1/p'); do
	case $v in CHORUS|CHORUS_SRC) ;; *) unset "$v" ;; esac
done

run() {
	name=$1
	shift
	t0=$(date +%s)
	if timeout 600 "$@" >"$build/$name.log" 2>&1; then
		passed=$((passed + 1))
		echo "ok   $name ($(($(date +%s) - t0)) s)"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "FAIL $name (log: $build/$name.log, $(($(date +%s) - t0)) s)"
		tail -n 30 "$build/$name.log" | sed 's/^/     | /'
	fi
}

mkdir -p "$build/tests/e2e"
for t in "$@"; do
	run "$t" "$build/$t"
done
for t in tests/e2e/*.sh; do
	[ -f "$t" ] || continue
	case $t in */lib.sh) continue ;; esac
	run "${t%.sh}" bash "$t"
done
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
