#!/bin/sh
# Benchmark: composing and rendering the digests of 100,000 employees over
# 50 candidate posts (selection, suggestions and personal links in batched
# transactions, templates, MIME) into a sink that discards them, on one
# core. The anchor is the goal, 11,700 digests/s (issue 18: 1.5 times the
# 7,800/s measured once the compact digest was in); the run at 25,000 and
# 50,000 employees shows whether memory stays flat as the count grows.
# Usage: bench/digest.sh  (N=100000 POSTS=50 to change the sizes)
set -eu
cd "$(dirname "$0")/.."
N=${N:-100000}
POSTS=${POSTS:-50}
GOAL=11700
BUILD=${BUILD:-build/release}
W=$(mktemp -d "${TMPDIR:-/tmp}/chorus-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM

make -s BUILD="$BUILD" "$BUILD/libchorus.a" >/dev/null
PKGS="sqlite3 libpq libesmtp-1.0 libmicrohttpd uuid inih libcrypto"
# shellcheck disable=SC2046
cc -std=c11 -D_GNU_SOURCE -O2 -I. -o "$W/digest_bench" bench/digest_bench.c \
	"$BUILD/libchorus.a" $(pkg-config --libs $PKGS) -lpthread -lm
tpl=templates
[ -f templates/digest.html ] || tpl=tests/data/compose

# One core: pinned to the first CPU when taskset is there.
pin=""
command -v taskset >/dev/null && pin="taskset -c 0"
for n in $((N / 4)) $((N / 2)) "$N"; do
	out=$($pin "$W/digest_bench" "$W/bench.db" "$n" "$POSTS" "$tpl")
	echo "$out"
	rate=$(echo "$out" | sed -n 's/.*CPU s = \([0-9]*\) digests\/s.*/\1/p')
done
python3 -c "import sys; r=int(sys.argv[1]); g=int(sys.argv[2]); \
print(f'digest composition: {r:,} digests/s per CPU second vs the goal '
      f'{g:,}/s: ratio {r/g:.2f}')" "$rate" "$GOAL"
