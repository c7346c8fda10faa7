# A run that cannot see other users' processes (/proc mounted with
# hidepid=invisible, which systemd's ProtectProc=invisible gives the
# shipped scheduler unit) must not take a live run's claims for those of
# a dead one: a run of another user on the same machine, sending slowly,
# keeps its claims, and every employee gets one digest. Root only (the
# mount and the other user); elsewhere one SKIP line.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/delivery.inc"
NOW=2026-11-23T09:00:00Z
N=8

if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null ||
    ! unshare -m sh -c 'mount -t proc -o hidepid=invisible proc /proc' \
    2>/dev/null; then
	echo "SKIP: needs root and a private mount of /proc with hidepid"
	exit 0
fi
RUNUSER=$(command -v runuser || echo /usr/sbin/runuser)

seed $N
# The sink holds each message's final dot a second: with one session, the
# first run is still sending when the second one looks at its claims.
start_sink -W .:1
# Both runs write the store: the other user too (an SQLite file and its
# log beside it).
chmod 777 "$T"
if store_is sqlite; then
	chmod 666 "$T"/chorus.db*
fi
CHORUS_SMTP_CONNECTIONS=1 "$CHORUS" digest run --now $NOW >"$T/x.out" 2>&1 &
x=$!
wait_for dumped_at_least 2
# The second run: user nobody, its /proc showing only its own processes.
unshare -m sh -c 'mount -t proc -o hidepid=invisible proc /proc &&
    exec "$0" -u nobody -- "$1" digest run --now "$2"' \
    "$RUNUSER" "$CHORUS" "$NOW" >"$T/y.out" 2>&1 ||
    fail "the hidden run: $(cat "$T/y.out")"
wait $x || fail "the first run: $(cat "$T/x.out")"
expect_no_grep "taken over" "$T/y.out"
expect_all_final
expect_sink_matches_ledger
[ "$(dumped)" -eq $N ] || fail "$(dumped) digests for $N employees"
echo "delivery_hidden: ok ($(dumped) digests, one each)"
