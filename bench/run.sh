#!/bin/sh
# Runs every benchmark in bench/ (each prints its figures beside its
# anchor's, from the same run). Usage: bench/run.sh [NAME...]
set -eu
cd "$(dirname "$0")/.."
export CHORUS="${CHORUS:-$PWD/chorus}"
if [ $# -gt 0 ]; then
	set -- $(for n in "$@"; do echo "bench/$n.sh"; done)
else
	set -- bench/*.sh
fi
for b in "$@"; do
	case $b in */run.sh) continue ;; esac
	echo "== $b"
	sh "$b"
done
