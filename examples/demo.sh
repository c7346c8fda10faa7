#!/bin/sh
# make demo: a working Chorus on this machine in one command. Creates a
# demo database from the sample CSVs, sends today's digests into ./outbox
# with the file transport, and runs the redirector on 127.0.0.1:8080 until
# Ctrl-C. Everything it writes is under ./demo and ./outbox.
set -eu
cd "$(dirname "$0")/.."
CHORUS=${CHORUS:-./chorus}
DIR=${CHORUS_DEMO_DIR:-demo}
OUTBOX=${CHORUS_DEMO_OUTBOX:-outbox}
LISTEN=${CHORUS_DEMO_LISTEN:-127.0.0.1:8080}

rm -rf "$DIR" "$OUTBOX"
mkdir -p "$DIR"
cat > "$DIR/chorus.ini" <<INI
[chorus]
database = $DIR/chorus.db
base_url = http://$LISTEN

[smtp]
url = file:$OUTBOX

[redirector]
listen = $LISTEN
INI
c() { "$CHORUS" -c "$DIR/chorus.ini" "$@"; }

c init
c import employees examples/employees.csv
c import posts examples/posts.csv
today=$(date -u +%Y-%m-%d)
c digest run --date "$today" || {
	st=$?
	# 75: some digests wait for a retry; the demo goes on with the rest.
	[ $st -eq 75 ] || exit $st
}

eml=$(ls "$OUTBOX"/*.eml 2>/dev/null | head -n 1)
# A personal link, read from the digest itself: the demo needs no sqlite3
# shell. A code is 12 characters; one a quoted-printable soft break ("=")
# cuts is skipped.
code=$(grep -ohE "http://$LISTEN/[A-Za-z0-9]{12}([^A-Za-z0-9=]|\$)" \
    "$OUTBOX"/*.eml 2>/dev/null | head -n 1 |
    sed -E "s|^http://$LISTEN/([A-Za-z0-9]+).*|\1|" || true)
cat <<MSG

Chorus demo is ready.
  A digest to open:    $eml
                       (all of today's digests are in $OUTBOX)
  A personal link:     http://$LISTEN/$code
                       (open it in a browser; curl -si shows the
                       redirect too, and is counted as a bot)
  The attribution report afterwards:
                       ./chorus -c $DIR/chorus.ini report attribution
  Status:              ./chorus -c $DIR/chorus.ini status

The redirector runs on http://$LISTEN until Ctrl-C.
MSG
exec "$CHORUS" -c "$DIR/chorus.ini" redirector
