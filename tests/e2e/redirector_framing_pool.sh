# redirector_framing.sh with two server threads: libmicrohttpd's pool,
# whose threads read the requests, instead of the one-thread loop.
FRAMING_THREADS=2
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/redirector_framing.sh"
