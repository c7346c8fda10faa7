# redirector_slowcrowd.sh with two server threads: libmicrohttpd's pool,
# which accepts by itself, and the thread that enforces the deadline.
SLOWCROWD_THREADS=2
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/redirector_slowcrowd.sh"
