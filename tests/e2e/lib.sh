# Shared helpers for the end-to-end scripts; sourced, not run.
# $CHORUS is the binary under test, $CHORUS_SRC the source tree.
set -eu
: "${CHORUS:?set CHORUS to the chorus binary}"
: "${CHORUS_SRC:=$(pwd)}"
DATA="$CHORUS_SRC/tests/data"
T=$(mktemp -d "${TMPDIR:-/tmp}/chorus-e2e.XXXXXX")
cleanup_hooks=""
cleanup() {
	for h in $cleanup_hooks; do $h || true; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
cd "$T"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_status WANT CMD...: run CMD, fail unless it exits WANT.
expect_status() {
	want=$1
	shift
	set +e
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		echo "--- stdout" >&2; cat "$T/out" >&2
		echo "--- stderr" >&2; cat "$T/err" >&2
		fail "'$*' exited $got, want $want"
	fi
}

# expect_grep PATTERN FILE: fail unless FILE has a line matching PATTERN.
expect_grep() {
	grep -q -e "$1" "$2" || { cat "$2" >&2; fail "no '$1' in $2"; }
}

expect_no_grep() {
	if grep -q -e "$1" "$2"; then cat "$2" >&2; fail "'$1' found in $2"; fi
}

# free_port: a loopback TCP port nobody listens on now.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port PORT: wait (at most 10 s) until something listens on PORT.
wait_port() {
	i=0
	while ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "nothing listens on port $1"
		sleep 0.1
	done
}
