# fault_flood.sh with two server threads: libmicrohttpd's pool, which
# accepts for itself, and the hit writer thread.
FLOOD_THREADS=2
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/fault_flood.sh"
