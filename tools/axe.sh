#!/bin/sh
# Prints the path of axe-core's axe.min.js (the accessibility engine the
# browser tests run in Chromium), installing it from npm into build/axe
# the first time. Usage: tools/axe.sh   (from the source tree)
set -e
AXE_VERSION=4.14.1
dir=build/axe
js=$dir/node_modules/axe-core/axe.min.js
if [ -f "$js" ] && grep -q "axe v$AXE_VERSION" "$js"; then
	echo "$PWD/$js"
	exit 0
fi
if ! command -v npm >/dev/null; then
	echo "chorus: npm is needed to install axe-core (apt-get install npm)" >&2
	exit 1
fi
mkdir -p "$dir"
npm install --no-audit --no-fund --silent --prefix "$dir" \
    "axe-core@$AXE_VERSION" >&2
echo "$PWD/$js"
