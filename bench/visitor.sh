#!/bin/sh
# The visitor id: visitor_hash() (HMAC-SHA-256 with the key's states kept
# between calls) against libcrypto's one-shot HMAC() on the same message.
set -eu
make -s build/release/tests/test_visitor
build/release/tests/test_visitor --bench
