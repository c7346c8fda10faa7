#!/bin/sh
# Template rendering: the shipped digest.html with a full sample digest,
# beside copying the same bytes and beside compiling it for every message.
set -eu
make -s build/release/tests/test_template
CHORUS_SRC=$PWD build/release/tests/test_template bench
