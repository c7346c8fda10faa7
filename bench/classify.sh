#!/bin/sh
# User-Agent classification: classify_ua() against the obvious matcher (one
# strcasestr per pattern, in table order) over tests/data/useragents.tsv,
# then classify_ua() alone over the big lists of real browsers and crawlers
# (tests/data/useragents-browsers.tsv, useragents-crawlers.tsv).
set -eu
make -s build/release/tests/test_classify
CHORUS_SRC=$PWD build/release/tests/test_classify --bench
