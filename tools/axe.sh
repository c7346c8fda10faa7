#!/bin/sh
# Installs axe-core (the accessibility checker the browser tests run) from
# npm, once, into a cache, and prints the path of axe.min.js.
# Usage: tools/axe.sh   (cache: $CHORUS_NPM_CACHE, else build/npm)
set -e
version=4.14.1
src=$(cd "$(dirname "$0")/.." && pwd)
dir=${CHORUS_NPM_CACHE:-$src/build/npm}
js="$dir/node_modules/axe-core/axe.min.js"
if [ ! -f "$js" ] ||
    ! grep -q "\"version\": \"$version\"" "$dir/node_modules/axe-core/package.json"
then
	command -v npm >/dev/null || { echo "axe: npm is needed" >&2; exit 1; }
	mkdir -p "$dir"
	npm install --prefix "$dir" --no-audit --no-fund --no-save \
	    --silent "axe-core@$version" >&2
fi
echo "$js"
