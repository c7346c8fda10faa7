#!/bin/sh
# Regenerates the digest screenshots in docs/: the sample data of
# examples/ (Ada: three posts, three networks), sent to a file outbox,
# its HTML part laid out by headless Chromium at 390 px (a phone) and
# 1000 px (a desktop mail window). Prints each page's height.
# Usage: tools/screenshots.sh [CHORUS]   (default build/release/chorus)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
chorus=${1:-$src/build/release/chorus}
case $chorus in /*) ;; *) chorus="$PWD/$chorus" ;; esac
[ -x "$chorus" ] || { echo "screenshots: build chorus first" >&2; exit 1; }
for c in chromium chromedriver python3; do
	command -v $c >/dev/null || {
		echo "screenshots: $c is needed (tools/deps.sh docs test)" >&2
		exit 1
	}
done

t=$(mktemp -d "${TMPDIR:-/tmp}/chorus-shots.XXXXXX")
dpid=""
cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null || true
	rm -rf "$t"
}
trap cleanup EXIT INT TERM

export CHORUS_CHORUS_DATABASE="$t/c.db"
export CHORUS_CHORUS_TEMPLATES="$src/templates"
export CHORUS_CHORUS_BASE_URL="https://go.example.com"
export CHORUS_DIGEST_FROM="Northwind Comms <comms@example.com>"
export CHORUS_SMTP_URL="file:$t/outbox"
# A fixed date, ten days after the import: no spreading left.
day=$(python3 -c 'import datetime as d; print(d.date.today() + d.timedelta(days=10))')
"$chorus" -q init >/dev/null
"$chorus" -q import employees "$src/examples/employees.csv" >/dev/null
"$chorus" -q import posts "$src/examples/posts.csv" >/dev/null
sqlite3 "$t/c.db" "UPDATE employees SET active = 0 WHERE email <> 'ada.lovelace@example.com'"
"$chorus" -q digest run --date "$day" >/dev/null
python3 - "$t"/outbox/*.eml "$t/digest.html" <<'EOF'
import email, email.policy, sys
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'),
                                     policy=email.policy.default)
open(sys.argv[2], 'w').write(msg.get_body(('html',)).get_content())
EOF

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
chromedriver --port="$port" >"$t/driver.log" 2>&1 &
dpid=$!
i=0
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "screenshots: chromedriver did not start" >&2; exit 1; }
	sleep 0.1
done
layout="$src/tests/e2e/digestlayout.py"
python3 "$layout" shot "$port" "$t/digest.html" 390 "$src/docs/digest.png"
python3 "$layout" shot "$port" "$t/digest.html" 1000 "$src/docs/digest-wide.png"
for w in 390 1000; do
	python3 "$layout" measure "$port" "$t/digest.html" $w |
	    python3 -c "import json, sys; m = json.load(sys.stdin); print('$w px wide: %d px tall, %d links' % (m['height'], len(m['links'])))"
done
echo "screenshots: docs/digest.png (390 px), docs/digest-wide.png (1000 px)"
