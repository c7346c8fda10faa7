# redirector_routes.sh with two server threads: libmicrohttpd's pool and
# the hit writer thread, the shape of machines with three cores or more.
ROUTES_THREADS=2
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/redirector_routes.sh"
