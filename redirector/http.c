/*
 * http: libmicrohttpd in front of route.c. An answer that carries a hit
 * suspends its connection and queues the hit in the hitlog; the connection
 * is resumed once the hit's batch is committed (or failed: then 503).
 *
 * Two shapes, by the number of server threads:
 *   one	libmicrohttpd in external mode, run by a loop of ours
 *		(select, or epoll for many connections) that accepts for
 *		it, commits the hits of each pass itself, then sends their
 *		answers, then waits again: no hand-over between threads
 *		per batch;
 *   more	libmicrohttpd's thread pool (poll, or epoll for many
 *		connections) and the hitlog's writer thread, which commits
 *		and resumes.
 * The limits libmicrohttpd leaves open by default (no time-out, no
 * connection caps, a 32 KiB memory pool) are always set here, with three
 * of our own in both shapes, so that a slow crowd from many addresses
 * costs the attacker sockets rather than the people their clicks: a
 * deadline for each whole request however slowly its bytes come (the
 * time-out restarts with each byte), a per-address limit that counts an
 * IPv6 client by its /64 (addrcount.c), and, from 90% of the connection
 * limit, each new connection closes the one that has been reading its
 * request the longest.
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/queue.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "common/log.h"
#include "common/random.h"
#include "common/xmalloc.h"
#include "db/db.h"
#include "db/stmt.h"
#include "redirector/addrcount.h"
#include "redirector/framing.h"
#include "redirector/hitlog.h"
#include "redirector/http.h"
#include "redirector/metrics.h"
#include "redirector/route.h"

#define HTTP_MEMORY_LIMIT	(8 * 1024)	/* per connection: request
						   line and headers */
#define HTTP_BACKLOG		1024
#define HTTP_MAX_THREADS	64
/* Up to this many connections, poll(2) rather than epoll: libmicrohttpd
 * suspends a connection by taking it out of its epoll set and resumes it
 * by putting it back, two epoll_ctl calls per click and 12% of the CPU;
 * poll only leaves it out of the next call's list, and reads until
 * EAGAIN no more. bench/redirector.sh, keep-alive: 14.7 instead of 19.1
 * us of CPU a request. A poll call costs in the number of connections
 * of its thread, so beyond this many epoll wins again. */
#define HTTP_POLL_MAX		2048
/* The one-thread loop can wait with select or epoll only (libmicrohttpd
 * runs poll from its own threads alone). select saves the same two
 * epoll_ctl calls, but holds descriptors below FD_SETSIZE (1024): up to
 * this many connections, and what the process keeps open besides (three
 * SQLite connections of three files each, the listening socket, stdio),
 * fit under it. */
#define HTTP_SELECT_MAX		1000
/* Out of descriptors, the one-thread loop tries to accept again after. */
#define HTTP_ACCEPT_PAUSE_MS	100
/* The one-thread loop gathers more hits before a commit that costs this
 * much (see http_linger), for up to a quarter of it, at most
 * HTTP_LINGER_MAX_US, ending at the first HTTP_LINGER_GAP_US that brings
 * no hit. */
#define HTTP_LINGER_FROM_US	400
#define HTTP_LINGER_MAX_US	500
#define HTTP_LINGER_GAP_US	100
/* Connections closed by the limits are told of at most this often. */
#define HTTP_REPORT_MS		60000
/* Connections tracked beyond the limit, as insurance: libmicrohttpd's
 * limit is firm, and each thread tells of a close before it counts the
 * start that takes its room. */
#define HTTP_CONN_SLACK		64

/* One connection, from libmicrohttpd's start to its close. */
struct conn {
	int			 fd;
	struct addrkey		 key;
	int			 counted;	/* in h->ac */
	int			 reading;	/* on h->reading */
	int			 cut;		/* shut down by us */
	uint64_t		 since;		/* reading a request since
						   (now_ms()) */
	TAILQ_ENTRY(conn)	 entry;		/* h->reading or h->cfree */
};
TAILQ_HEAD(connq, conn);

enum req_state {
	REQ_LINE = 0,		/* the request line is read, the fields not */
	REQ_NEW,		/* reading the request */
	REQ_WAIT,		/* suspended until the writer settles */
	REQ_REFUSED,		/* its framing was refused */
};

/* One request in progress. Kept on a free list and reused, so the hot path
 * does not allocate. */
struct req {
	struct http		*h;
	struct MHD_Connection	*c;
	enum req_state		 state;
	enum route_method	 method;
	enum hitlog_status	 ok;		/* set by the writer */
	const char		*target;	/* the request target, in */
	size_t			 target_len;	/* libmicrohttpd's buffer */
	int			 target_bad;
	struct framing		 fr;
	size_t			 body_len;
	int			 too_big;
	char			 body[ROUTE_BODY_MAX + 1];
	char			 xff[1024];	/* X-Forwarded-For, joined */
	struct route_ans	 ans;
	struct req		*next;		/* free list */
	struct req		*all;		/* every req, for freeing */
};

struct http {
	struct MHD_Daemon	*d;
	struct route		*route;
	struct hitlog		*hl;
	struct metrics		*m;
	char			*db_path;
	int			 fd;
	struct MHD_Response	*r404;
	struct MHD_Response	*refusal[FRAMING_NSTATUS];
	atomic_int		 inflight;
	atomic_int		 closing;

	/* The one-thread shape (own_loop): */
	int			 own_loop;
	int			 use_epoll;
	unsigned		 max_connections;
	int			 quiesced;	/* the pool's listening
						   socket is ours again */
	pthread_t		 loop;
	int			 kick;		/* eventfd: wakes the loop */
	atomic_int		 stop;
	int			 resumed;	/* the loop's: a resume in
						   this pass */
	uint64_t		 accept_at;	/* out of descriptors: not
						   before (now_ms()) */
	int			 accept_warned;

	pthread_mutex_t		 mu;		/* guards the lists below */
	struct req		*free;
	struct req		*all;
	struct db		*dbs[HTTP_MAX_THREADS];
	size_t			 ndbs;

	/* Every connection, in both shapes: */
	pthread_mutex_t		 cmu;		/* guards what follows */
	struct addrcount	*ac;		/* per address or /64 */
	unsigned		 max_per_ip;
	unsigned		 nconns;
	unsigned		 evict_at;	/* from this many, a new
						   connection closes the
						   oldest reading one */
	uint64_t		 deadline_ms;	/* for a whole request */
	struct connq		 reading;	/* oldest request first */
	struct connq		 cfree;
	struct conn		*conns;		/* the array of them all */
	unsigned long		 n_expired;	/* closed at the deadline */
	unsigned long		 n_evicted;	/* closed to make room */
	unsigned long		 n_over;	/* over max_per_ip */
	unsigned long		 told[3];	/* the three, last logged */
	uint64_t		 tell_at;	/* not before (now_ms()) */
	/* The pool's: a thread that closes requests past the deadline. */
	pthread_t		 reaper;
	pthread_cond_t		 reaper_cv;
	int			 reaper_on;
	int			 reaper_stop;
};

/* Each server thread reads through its own connection. */
static _Thread_local struct db *thread_db;
/* Set on the one-thread loop's thread. */
static _Thread_local int in_loop;

static void	 http_conn_done(struct http *, struct MHD_Connection *);
static void	 http_conn_again(struct http *, struct MHD_Connection *);

static struct db *
http_thread_db(struct http *h)
{
	struct db *db;

	if (thread_db != NULL)
		return thread_db;
	if ((db = db_open(h->db_path, 0)) == NULL)
		return NULL;
	/* A link lookup that the server does not answer ends in 503, not
	 * in a thread held for as long as the server stays silent. */
	(void)db_watch(db, hitlog_deadline_ms());
	pthread_mutex_lock(&h->mu);
	if (h->ndbs == HTTP_MAX_THREADS) {
		pthread_mutex_unlock(&h->mu);
		db_close(db);
		return NULL;
	}
	h->dbs[h->ndbs++] = db;
	pthread_mutex_unlock(&h->mu);
	return thread_db = db;
}

/*
 * Whether to ask once more: the answer is 503 because this thread's
 * connection was found dead (the server restarted, or failed over, since
 * the thread last asked, which may be hours), and it was made again
 * meanwhile (its epoch moved on from the one before the request). The
 * first visitor after is then answered from the store, not 503. Reads
 * only: a page's POST may have written before the connection went.
 */
static int
http_db_again(struct db *db, unsigned epoch, const struct route_ans *a,
    enum route_method m)
{
	if (a->status != 503 || (m != ROUTE_GET && m != ROUTE_HEAD))
		return 0;
	if (epoch == db_epoch(db) && (!db_retryable(db) ||
	    db_revive(db) == -1 || epoch == db_epoch(db)))
		return 0;
	return 1;
}

static struct req *
req_get(struct http *h)
{
	struct req *rq;

	pthread_mutex_lock(&h->mu);
	if ((rq = h->free) != NULL) {
		h->free = rq->next;
		pthread_mutex_unlock(&h->mu);
	} else {
		pthread_mutex_unlock(&h->mu);
		rq = xcalloc(1, sizeof(*rq));
		route_ans_init(&rq->ans);
		pthread_mutex_lock(&h->mu);
		rq->all = h->all;
		h->all = rq;
		pthread_mutex_unlock(&h->mu);
	}
	rq->h = h;
	rq->state = REQ_LINE;
	rq->ok = HITLOG_FAILED;
	rq->body_len = 0;
	rq->too_big = 0;
	return rq;
}

static void
req_put(struct http *h, struct req *rq)
{
	pthread_mutex_lock(&h->mu);
	rq->next = h->free;
	h->free = rq;
	pthread_mutex_unlock(&h->mu);
}

static void
http_kick(struct http *h)
{
	uint64_t one = 1;

	(void)write(h->kick, &one, sizeof(one));
}

/* Lets a suspended answer go. In the one-thread shape, the loop sends it
 * after its pass, or is woken when another thread resumed it. */
static void
http_resume(struct http *h, struct req *rq)
{
	/* libmicrohttpd's resume takes its own lock, which orders the write
	 * of rq->ok before the server thread reads it. */
	MHD_resume_connection(rq->c);
	if (!h->own_loop)
		return;
	if (in_loop)
		h->resumed = 1;
	else
		http_kick(h);
}

/* Runs on the committing thread: the hit is settled. */
static void
http_settled(void *arg, enum hitlog_status st)
{
	struct req *rq = arg;

	rq->ok = st;
	http_resume(rq->h, rq);
}

static enum MHD_Result
http_send(struct http *h, struct req *rq)
{
	struct route_ans *a = &rq->ans;
	struct MHD_Response *resp;
	enum MHD_Result ret;

	metrics_request(h->m, a->mroute, a->status);
	if (a->status == 404 && !atomic_load(&h->closing))
		return MHD_queue_response(rq->c, 404, h->r404);
	if (a->text != NULL)
		resp = MHD_create_response_from_buffer(strlen(a->text),
		    (void *)(uintptr_t)a->text, MHD_RESPMEM_PERSISTENT);
	else if (a->body.len > 0)
		resp = MHD_create_response_from_buffer(a->body.len,
		    a->body.data, MHD_RESPMEM_MUST_COPY);
	else
		resp = MHD_create_response_from_buffer(0, (void *)"",
		    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	if (a->location[0] != '\0')
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION,
		    a->location);
	if (a->content_type != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
		    a->content_type);
	if (a->no_store)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
		    "no-store");
	if (a->allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, a->allow);
	if (a->page) {
		/* The URL holds a personal token: never pass it on. */
		MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
		MHD_add_response_header(resp, "Content-Security-Policy",
		    "default-src 'none'; style-src 'unsafe-inline'; "
		    "form-action 'self'; frame-ancestors 'none'; "
		    "base-uri 'none'");
		MHD_add_response_header(resp, "X-Content-Type-Options",
		    "nosniff");
	}
	if (atomic_load(&h->closing))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
		    "close");
	ret = MHD_queue_response(rq->c, (unsigned)a->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

struct xff {
	char	*buf;
	size_t	 len, cap;
	int	 n;
	int	 overflow;
};

static enum MHD_Result
http_xff_add(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct xff *x = cls;
	size_t n;

	(void)kind;
	if (strcasecmp(key, "X-Forwarded-For") != 0 || value == NULL)
		return MHD_YES;
	n = strlen(value);
	if (x->len + n + 2 > x->cap) {
		/* What does not fit is the right end, written by the proxies
		 * we trust: without it the walk would start inside what the
		 * client sent. Believe none of it. */
		x->overflow = 1;
		return MHD_NO;
	}
	if (x->n++ > 0)
		x->buf[x->len++] = ',';
	memcpy(x->buf + x->len, value, n + 1);
	x->len += n;
	return MHD_YES;
}

/* Every X-Forwarded-For header, in order, joined with ","; NULL when
 * there is none or they do not fit (the peer is then the client). */
static const char *
http_forwarded_for(struct req *rq)
{
	struct xff x = { rq->xff, 0, sizeof(rq->xff), 0, 0 };

	rq->xff[0] = '\0';
	(void)MHD_get_connection_values(rq->c, MHD_HEADER_KIND, http_xff_add,
	    &x);
	return x.n > 0 && !x.overflow ? rq->xff : NULL;
}

static enum MHD_Result
http_decide(struct http *h, struct req *rq, const char *url)
{
	const union MHD_ConnectionInfo *ci;
	struct route_req q;
	struct db *db;
	unsigned epoch;
	int rc;

	memset(&q, 0, sizeof(q));
	q.method = rq->method;
	q.path = url;
	q.user_agent = MHD_lookup_connection_value(rq->c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_USER_AGENT);
	if (route_trusts_proxies(h->route))
		q.forwarded_for = http_forwarded_for(rq);
	ci = MHD_get_connection_info(rq->c,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	q.peer = ci != NULL ? ci->client_addr : NULL;
	rq->body[rq->body_len] = '\0';
	q.body = rq->body;
	q.body_len = rq->body_len;
	q.body_too_big = rq->too_big;
	q.generation = hitlog_generation(h->hl);
	q.now = time(NULL);

	if ((db = http_thread_db(h)) == NULL) {
		metrics_error(h->m, ME_LOOKUP);
		route_unavailable(&rq->ans);
		rq->ans.mroute = MR_OTHER;
		return http_send(h, rq);
	}
	epoch = db_epoch(db);
	route_handle(h->route, db, &q, &rq->ans);
	if (http_db_again(db, epoch, &rq->ans, q.method))
		route_handle(h->route, db, &q, &rq->ans);
	if (rq->ans.action == ROUTE_SEND) {
		/* A page of a digest: the judge hears of it (a gateway's
		 * sweep fetches the footer too); nothing waits for that. */
		if (rq->ans.observe)
			(void)hitlog_observe(h->hl, &rq->ans.hit);
		return http_send(h, rq);
	}

	/* Suspend first: the writer thread may resume the connection
	 * before this function returns, which libmicrohttpd allows. */
	rq->state = REQ_WAIT;
	MHD_suspend_connection(rq->c);
	if (rq->ans.action == ROUTE_RECORD)
		rc = hitlog_append(h->hl, &rq->ans.hit, http_settled, rq);
	else
		rc = hitlog_probe(h->hl, q.now, http_settled, rq);
	if (rc == -1) {
		rq->ok = HITLOG_FAILED;
		http_resume(h, rq);
	}
	return MHD_YES;
}

static enum route_method
http_method(const char *m)
{
	if (strcmp(m, MHD_HTTP_METHOD_GET) == 0)
		return ROUTE_GET;
	if (strcmp(m, MHD_HTTP_METHOD_HEAD) == 0)
		return ROUTE_HEAD;
	if (strcmp(m, MHD_HTTP_METHOD_POST) == 0)
		return ROUTE_POST;
	return ROUTE_OTHER;
}

/* The answers to a request whose framing is refused. Each closes its
 * connection: what follows on it cannot be told apart from the body of
 * the request refused. */
static const struct {
	unsigned	 status;
	const char	*text;
} http_refusals[FRAMING_NSTATUS] = {
	[FRAMING_BAD] =		{ 400, "bad request\n" },
	[FRAMING_NO_LENGTH] =	{ 411, "length required\n" },
	[FRAMING_TOO_LARGE] =	{ 413, "content too large\n" },
	[FRAMING_EXPECT] =	{ 417, "expectation failed\n" },
};

/* libmicrohttpd's first word of a request, as soon as its line is read:
 * the request starts here, with its target as sent, before libmicrohttpd
 * cuts the query off and parses it in place. */
static void *
http_line(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct http *h = cls;
	struct req *rq;

	rq = req_get(h);
	rq->c = c;
	rq->target = uri;
	rq->target_len = strlen(uri);
	rq->target_bad = framing_target(uri, rq->target_len) == -1;
	atomic_fetch_add(&h->inflight, 1);
	return rq;
}

/*
 * Whether a NUL was sent in the request's head. libmicrohttpd 0.9 parses
 * the head in place, writing a NUL over each space of the request line,
 * each colon and each line end, and hands out C strings: a NUL sent inside
 * the method, the target or a field value ends it early ("GET /CODE\0/../x"
 * reads as "/CODE", "/u/TOKEN\0x" as "/u/TOKEN", "Host: a\0b" as "a").
 * Sent whole, the strings follow one another: the target one byte after
 * the method (so a second space, which libmicrohttpd skips, counts too),
 * the version one byte after the target, each field one line end (CRLF
 * or LF) after the last string, and the head's end one line end and an
 * empty line after that. The walk goes from string to string.
 */
struct http_head {
	struct req	*rq;
	const char	*end;		/* where the last string ended */
	int		 cut;
};

static int
http_line_after(const char *end, const char *next)
{
	return next == end + 1 || next == end + 2;
}

static enum MHD_Result
http_field(void *cls, enum MHD_ValueKind kind, const char *key,
    size_t key_size, const char *value, size_t value_size)
{
	struct http_head *hd = cls;

	(void)kind;
	if (value == NULL) {
		/* not a field read off the wire */
		hd->cut = 1;
		return MHD_NO;
	}
	value_size = strlen(value);
	if (!http_line_after(hd->end, key))
		hd->cut = 1;
	hd->end = value + value_size;
	framing_field(&hd->rq->fr, key, key_size, value, value_size);
	return MHD_YES;
}

static int
http_head_cut(struct req *rq, const char *method, const char *version)
{
	const union MHD_ConnectionInfo *ci;
	struct http_head hd = { rq, NULL, 0 };
	const char *head_end;

	if (method + strlen(method) + 1 != rq->target ||
	    rq->target + rq->target_len + 1 != version || version[0] == '\0')
		return 1;
	hd.end = version + strlen(version);
	(void)MHD_get_connection_values_n(rq->c, MHD_HEADER_KIND, http_field,
	    &hd);
	ci = MHD_get_connection_info(rq->c,
	    MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	if (ci == NULL)
		return 1;
	head_end = method + ci->header_size;
	return hd.cut || !(http_line_after(hd.end + 1, head_end) ||
	    http_line_after(hd.end + 2, head_end));
}

static enum MHD_Result
http_refuse(struct http *h, struct req *rq, enum framing_status st)
{
	rq->state = REQ_REFUSED;
	metrics_request(h->m, MR_OTHER, (int)http_refusals[st].status);
	return MHD_queue_response(rq->c, http_refusals[st].status,
	    h->refusal[st]);
}

/* The first call, once the header fields are read: the framing is
 * checked before any route runs, and refused before any body is read
 * (libmicrohttpd then sends no "100 Continue"). */
static enum MHD_Result
http_begin(struct http *h, struct req *rq, const char *method,
    const char *version)
{
	enum framing_status st;

	rq->method = http_method(method);
	framing_start(&rq->fr, version);
	if (http_head_cut(rq, method, version) || rq->target_bad ||
	    framing_method(method, strlen(method)) == -1)
		st = FRAMING_BAD;
	else
		st = framing_end(&rq->fr, ROUTE_BODY_MAX, NULL);
	if (st != FRAMING_OK)
		return http_refuse(h, rq, st);
	rq->state = REQ_NEW;
	return MHD_YES;
}

static enum MHD_Result
http_access(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct http *h = cls;
	struct req *rq = *con_cls;
	struct db *db;
	unsigned epoch;
	size_t room;

	(void)c;
	/* Every request starts in http_line(). */
	if (rq == NULL)
		return MHD_NO;
	/* The answer is decided on the last call, once the whole request is
	 * read: libmicrohttpd closes a connection whose answer was queued
	 * any earlier, which would cost keep-alive. */
	switch (rq->state) {
	case REQ_LINE:
		return http_begin(h, rq, method, version);
	case REQ_NEW:
		if (*upload_size > 0) {
			room = ROUTE_BODY_MAX - rq->body_len;
			if (*upload_size > room) {
				rq->too_big = 1;
			} else {
				memcpy(rq->body + rq->body_len, upload,
				    *upload_size);
				rq->body_len += *upload_size;
			}
			*upload_size = 0;
			return MHD_YES;
		}
		http_conn_done(h, c);
		return http_decide(h, rq, url);
	case REQ_WAIT:
		if (rq->ok == HITLOG_FAILED)
			route_unavailable(&rq->ans);
		else if (rq->ok == HITLOG_STALE) {
			if ((db = http_thread_db(h)) == NULL)
				route_unavailable(&rq->ans);
			else {
				epoch = db_epoch(db);
				route_refresh(h->route, db, &rq->ans);
				if (http_db_again(db, epoch, &rq->ans,
				    ROUTE_GET))
					route_refresh(h->route, db, &rq->ans);
			}
		}
		return http_send(h, rq);
	case REQ_REFUSED:
		*upload_size = 0;
		return MHD_YES;
	}
	return MHD_NO;
}

static void
http_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http *h = cls;
	struct req *rq = *con_cls;

	if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		http_conn_again(h, c);
	if (rq == NULL)
		return;
	*con_cls = NULL;
	req_put(h, rq);
	atomic_fetch_sub(&h->inflight, 1);
}

/* Paths are matched as sent: codes and tokens need no escapes, and a
 * decoded "%2F" or "%00" must not turn into something that matches. */
static size_t
http_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static void
http_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];
	size_t n;

	(void)cls;
	if (log_level() < LOG_LEVEL_DEBUG)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_debug("redirector: http: %s", msg);
}

/* Binds ADDR:PORT (IPv4, [IPv6] or a name) and listens. */
static int
http_listen(const char *listen_on)
{
	struct addrinfo hints, *res = NULL, *ai;
	char host[256];
	const char *colon, *port, *hs = listen_on;
	size_t hlen;
	int fd = -1, on = 1, rc;

	if ((colon = strrchr(listen_on, ':')) == NULL)
		goto bad;
	hlen = (size_t)(colon - listen_on);
	if (hlen >= 2 && hs[0] == '[' && hs[hlen - 1] == ']') {
		hs++;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= sizeof(host))
		goto bad;
	memcpy(host, hs, hlen);
	host[hlen] = '\0';
	port = colon + 1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		log_error("redirector: cannot resolve '%s': %s", listen_on,
		    gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, ai->ai_protocol);
		if (fd == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, HTTP_BACKLOG) == 0)
			break;
		rc = errno;
		close(fd);
		fd = -1;
		errno = rc;
	}
	if (fd == -1)
		log_error_errno("redirector: cannot listen on '%s'", listen_on);
	freeaddrinfo(res);
	return fd;
bad:
	log_error("redirector: listen address '%s' is not ADDR:PORT",
	    listen_on);
	return -1;
}

/* The cores this process may run on: its affinity mask (taskset, cgroup
 * cpusets), else the cores online. */
static long
http_cores(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 &&
	    (n = CPU_COUNT(&set)) > 0)
		return n;
	return sysconf(_SC_NPROCESSORS_ONLN);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * The connections, in both shapes. libmicrohttpd tells of each start and
 * close (http_notify); between them a connection is on h->reading, in the
 * order its request began, from its start or the end of its previous
 * answer until its whole request is in (http_conn_done). Its socket is
 * shut down, which libmicrohttpd sees on its next pass as the client's
 * close, when the request is past its deadline (http_reap), to make room
 * for a new connection, or when its address is over the limit.
 * libmicrohttpd closes the descriptor only after telling http_notify, so
 * under cmu it is never another connection's.
 */

/* Puts cn last on the reading list: its deadline runs from now. */
static void
conn_read(struct http *h, struct conn *cn, uint64_t now)
{
	if (cn->reading || cn->cut)
		return;
	cn->since = now;
	cn->reading = 1;
	TAILQ_INSERT_TAIL(&h->reading, cn, entry);
}

static void
conn_unread(struct http *h, struct conn *cn)
{
	if (!cn->reading)
		return;
	cn->reading = 0;
	TAILQ_REMOVE(&h->reading, cn, entry);
}

static void
conn_cut(struct http *h, struct conn *cn)
{
	conn_unread(h, cn);
	cn->cut = 1;
	(void)shutdown(cn->fd, SHUT_RDWR);
}

/* The accept policy: refuses an address (IPv6: a /64) at its limit
 * before libmicrohttpd allocates anything for it. */
static enum MHD_Result
http_admit(void *cls, const struct sockaddr *sa, socklen_t len)
{
	struct http *h = cls;
	struct addrkey k;
	unsigned n;

	addrkey_of(&k, sa, len);
	pthread_mutex_lock(&h->cmu);
	n = addrcount_get(h->ac, &k);
	if (n >= h->max_per_ip)
		h->n_over++;
	pthread_mutex_unlock(&h->cmu);
	return n < h->max_per_ip ? MHD_YES : MHD_NO;
}

static void
http_notify(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_ConnectionNotificationCode toe)
{
	struct http *h = cls;
	struct conn *cn = *ctx, *old;
	const union MHD_ConnectionInfo *fd, *addr;
	unsigned n;

	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (cn == NULL)
			return;
		*ctx = NULL;
		pthread_mutex_lock(&h->cmu);
		conn_unread(h, cn);
		if (cn->counted)
			addrcount_del(h->ac, &cn->key);
		h->nconns--;
		TAILQ_INSERT_HEAD(&h->cfree, cn, entry);
		pthread_mutex_unlock(&h->cmu);
		return;
	}
	fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	addr = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (fd == NULL)
		return;
	pthread_mutex_lock(&h->cmu);
	if ((cn = TAILQ_FIRST(&h->cfree)) == NULL) {
		pthread_mutex_unlock(&h->cmu);
		(void)shutdown(fd->connect_fd, SHUT_RDWR);
		return;
	}
	TAILQ_REMOVE(&h->cfree, cn, entry);
	h->nconns++;
	cn->fd = fd->connect_fd;
	cn->reading = cn->cut = 0;
	/* libmicrohttpd keeps the whole address accept(2) gave. */
	addrkey_of(&cn->key, addr != NULL ? addr->client_addr : NULL,
	    (socklen_t)sizeof(struct sockaddr_storage));
	n = addrcount_add(h->ac, &cn->key);
	cn->counted = n != 0;
	if (n == 0 || n > h->max_per_ip) {
		/* Two server threads let the same address in at once
		 * (http_admit only looks). */
		h->n_over++;
		conn_cut(h, cn);
	} else {
		conn_read(h, cn, now_ms());
		if (h->nconns > h->evict_at &&
		    (old = TAILQ_FIRST(&h->reading)) != cn) {
			h->n_evicted++;
			conn_cut(h, old);
		}
	}
	pthread_mutex_unlock(&h->cmu);
	*ctx = cn;
}

static struct conn *
http_conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci != NULL ? ci->socket_context : NULL;
}

/* The whole request is in: no deadline while it is answered, nor is it
 * the one to make room (a hit waiting for its commit is not cut). */
static void
http_conn_done(struct http *h, struct MHD_Connection *c)
{
	struct conn *cn;

	if ((cn = http_conn_of(c)) == NULL)
		return;
	pthread_mutex_lock(&h->cmu);
	conn_unread(h, cn);
	pthread_mutex_unlock(&h->cmu);
}

/* Answered, the connection waits for its next request: the deadline runs
 * again, so keep-alive cannot drip requests one after another. */
static void
http_conn_again(struct http *h, struct MHD_Connection *c)
{
	struct conn *cn;

	if ((cn = http_conn_of(c)) == NULL)
		return;
	pthread_mutex_lock(&h->cmu);
	/* Still on the list if answered before its request was in (an
	 * error): its next request has the whole deadline too. */
	conn_unread(h, cn);
	conn_read(h, cn, now_ms());
	pthread_mutex_unlock(&h->cmu);
}

/* Logs what the limits closed since last time, if anything: an
 * operator should hear of a crowd at the door, but once a minute. */
static void
http_tell(struct http *h, uint64_t now, int always)
{
	if ((now < h->tell_at && !always) || (h->n_expired == h->told[0] &&
	    h->n_evicted == h->told[1] && h->n_over == h->told[2]))
		return;
	log_info("redirector: closed %lu connections at the request "
	    "deadline and %lu to make room; refused %lu over max_per_ip%s",
	    h->n_expired - h->told[0], h->n_evicted - h->told[1],
	    h->n_over - h->told[2], h->tell_at == 0 ? "" :
	    " (since the last report)");
	h->told[0] = h->n_expired;
	h->told[1] = h->n_evicted;
	h->told[2] = h->n_over;
	h->tell_at = now + HTTP_REPORT_MS;
}

/* Shuts down the connections past their deadline. Returns the
 * milliseconds until the next deadline, or -1 when no request is being
 * read. Under cmu. */
static long
http_reap_locked(struct http *h, uint64_t now)
{
	struct conn *cn;

	while ((cn = TAILQ_FIRST(&h->reading)) != NULL &&
	    now - cn->since >= h->deadline_ms) {
		h->n_expired++;
		conn_cut(h, cn);
	}
	http_tell(h, now, 0);
	if (cn == NULL)
		return -1;
	return (long)(cn->since + h->deadline_ms - now);
}

static long
http_reap(struct http *h)
{
	long ms;

	pthread_mutex_lock(&h->cmu);
	ms = http_reap_locked(h, now_ms());
	pthread_mutex_unlock(&h->cmu);
	return ms;
}

/* The pool's reaper: the pool's threads are libmicrohttpd's, so a thread
 * of ours wakes at each deadline. */
static void *
http_reaper(void *arg)
{
	struct http *h = arg;
	struct timespec ts;
	long ms;

	pthread_mutex_lock(&h->cmu);
	while (!h->reaper_stop) {
		if ((ms = http_reap_locked(h, now_ms())) < 0)
			/* None is being read; one that begins from now on
			 * has its deadline no sooner. */
			ms = (long)h->deadline_ms;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += ms / 1000;
		ts.tv_nsec += (ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		(void)pthread_cond_timedwait(&h->reaper_cv, &h->cmu, &ts);
	}
	pthread_mutex_unlock(&h->cmu);
	return NULL;
}

/* How long the one-thread loop may wait: until libmicrohttpd's next
 * connection time-out, the hitlog's next try at a locked database, the
 * next request deadline (those past it are shut down first), or the end
 * of a pause in accepting; -1 is no limit. */
static long
http_wait_ms(struct http *h)
{
	MHD_UNSIGNED_LONG_LONG mhd;
	uint64_t now;
	long ms = hitlog_retry_ms(h->hl), pause, reap;

	if ((reap = http_reap(h)) >= 0 && (ms == -1 || reap < ms))
		ms = reap;

	if (MHD_get_timeout(h->d, &mhd) == MHD_YES &&
	    (ms == -1 || mhd < (MHD_UNSIGNED_LONG_LONG)ms))
		ms = mhd > INT32_MAX ? INT32_MAX : (long)mhd;
	if (h->accept_at != 0) {
		now = now_ms();
		pause = h->accept_at > now ? (long)(h->accept_at - now) : 0;
		if (ms == -1 || pause < ms)
			ms = pause;
	}
	return ms;
}

static unsigned
http_connections(struct http *h)
{
	const union MHD_DaemonInfo *di;

	di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return di != NULL ? di->num_connections : 0;
}

/* Whether the one-thread loop listens: not once closing, not during a
 * pause for want of descriptors, and not at the connection limit, where
 * new clients wait in the backlog (accepted, they would only be
 * closed). */
static int
http_accepting(struct http *h)
{
	if (atomic_load(&h->closing))
		return 0;
	if (h->accept_at != 0) {
		if (now_ms() < h->accept_at)
			return 0;
		h->accept_at = 0;
	}
	return http_connections(h) < h->max_connections;
}

/* The one-thread loop accepts for libmicrohttpd, which takes one
 * connection a pass: every client waiting, up to the limit, so that a
 * burst of new connections is read, and its hits committed, in one pass.
 * As it adds each, libmicrohttpd applies the total limit, http_admit the
 * per-address one, and http_notify makes room near the total.
 * Out of descriptors (a limit of open files under max_connections), it
 * pauses accepting for HTTP_ACCEPT_PAUSE_MS at a time, saying so once. */
static void
http_accept(struct http *h)
{
	struct sockaddr_storage ss;
	socklen_t len;
	unsigned n = http_connections(h);
	int fd;

	while (n < h->max_connections) {
		len = sizeof(ss);
		fd = accept4(h->fd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				if (!h->accept_warned)
					log_warn("redirector: accept (at %u "
					    "connections)", n);
				h->accept_warned = 1;
				h->accept_at = now_ms() + HTTP_ACCEPT_PAUSE_MS;
			}
			return;
		}
		h->accept_warned = 0;
		/* On failure libmicrohttpd has closed fd. */
		if (MHD_add_connection(h->d, fd, (struct sockaddr *)&ss,
		    len) == MHD_YES)
			n++;
	}
}

/* One pass of the one-thread loop with select: waits for the connections
 * (and the kick), then lets libmicrohttpd read, answer and write. */
static void
http_pass_select(struct http *h, long cap_us)
{
	fd_set rs, ws, es;
	MHD_socket max = h->kick;
	struct timeval tv, *tvp = NULL;
	uint64_t v;
	long ms;
	int accepting;

	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_ZERO(&es);
	FD_SET(h->kick, &rs);
	(void)MHD_get_fdset2(h->d, &rs, &ws, &es, &max, FD_SETSIZE);
	if ((accepting = http_accepting(h))) {
		FD_SET(h->fd, &rs);
		if (h->fd > max)
			max = h->fd;
	}
	if ((ms = http_wait_ms(h)) >= 0) {
		tv.tv_sec = (time_t)(ms / 1000);
		tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
		tvp = &tv;
	}
	if (cap_us >= 0 && (ms == -1 || ms * 1000 > cap_us)) {
		tv.tv_sec = 0;
		tv.tv_usec = (suseconds_t)cap_us;
		tvp = &tv;
	}
	if (select(max + 1, &rs, &ws, &es, tvp) == -1) {
		/* EINTR; anything else would repeat: the time-outs still
		 * run below. */
		FD_ZERO(&rs);
		FD_ZERO(&ws);
		FD_ZERO(&es);
	} else {
		if (FD_ISSET(h->kick, &rs))
			(void)read(h->kick, &v, sizeof(v));
		if (accepting && FD_ISSET(h->fd, &rs))
			http_accept(h);
	}
	(void)MHD_run_from_select(h->d, &rs, &ws, &es);
}

/* The same with epoll: libmicrohttpd waits on its own epoll set. */
static void
http_pass_epoll(struct http *h, int epfd, long cap_us)
{
	struct pollfd pfd[3];
	struct timespec ts, *tsp = NULL;
	uint64_t v;
	long ms = http_wait_ms(h);

	pfd[0].fd = epfd;
	pfd[0].events = POLLIN;
	pfd[1].fd = h->kick;
	pfd[1].events = POLLIN;
	pfd[2].fd = h->fd;
	pfd[2].events = POLLIN;
	if (ms >= 0) {
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000L;
		tsp = &ts;
	}
	if (cap_us >= 0 && (ms == -1 || ms * 1000 > cap_us)) {
		ts.tv_sec = 0;
		ts.tv_nsec = cap_us * 1000L;
		tsp = &ts;
	}
	if (ppoll(pfd, http_accepting(h) ? 3 : 2, tsp, NULL) > 0) {
		if (pfd[1].revents & POLLIN)
			(void)read(h->kick, &v, sizeof(v));
		if (pfd[2].revents & POLLIN)
			http_accept(h);
	}
	(void)MHD_run(h->d);
}

/* Sends the answers just resumed: a first run has libmicrohttpd build
 * them, a second writes them, without waiting for select to say that
 * sockets which just took a request can take its answer. */
static void
http_answer(struct http *h)
{
	fd_set none, rs, ws, es;
	MHD_socket max = -1;

	if (h->use_epoll) {
		(void)MHD_run(h->d);
		(void)MHD_run(h->d);
		return;
	}
	FD_ZERO(&none);
	(void)MHD_run_from_select(h->d, &none, &none, &none);
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_ZERO(&es);
	(void)MHD_get_fdset2(h->d, &rs, &ws, &es, &max, FD_SETSIZE);
	(void)MHD_run_from_select(h->d, &none, &ws, &none);
}

static void
http_pass(struct http *h, int epfd, long cap_us)
{
	if (h->use_epoll)
		http_pass_epoll(h, epfd, cap_us);
	else
		http_pass_select(h, cap_us);
}

/*
 * A commit that costs a round trip to the server and a flush of its log
 * whatever the number of rows (PostgreSQL: a millisecond or more, where
 * SQLite's takes under 200 us) is worth waiting a little for: the answers
 * of the last batch went out a moment ago, and their clients' next
 * requests are on their way. So when the last commit took at least
 * HTTP_LINGER_FROM_US, short passes gather more hits for up to a quarter
 * of its time (at most HTTP_LINGER_MAX_US), until one brings none within
 * HTTP_LINGER_GAP_US. Under load each batch then carries about every
 * connection's hit rather than half of them.
 */
static void
http_linger(struct http *h, int epfd)
{
	uint64_t t0, spent, budget = hitlog_commit_ns(h->hl) / 4000;
	size_t n, before;
	long cap;

	if (budget * 4 < HTTP_LINGER_FROM_US ||
	    (n = hitlog_depth(h->hl)) == 0)
		return;
	if (budget > HTTP_LINGER_MAX_US)
		budget = HTTP_LINGER_MAX_US;
	t0 = now_us();
	while ((spent = now_us() - t0) < budget) {
		before = n;
		cap = (long)(budget - spent);
		http_pass(h, epfd, cap < HTTP_LINGER_GAP_US ? cap :
		    HTTP_LINGER_GAP_US);
		if ((n = hitlog_depth(h->hl)) == before)
			break;
	}
}

/* The one-thread shape: wait (and accept), read and decide, commit the
 * pass's hits in one batch, answer them, and again. Once closing, it
 * accepts no more (http_accepting) and goes on answering until stopped. */
static void *
http_loop(void *arg)
{
	struct http *h = arg;
	const union MHD_DaemonInfo *di;
	int epfd = -1;

	in_loop = 1;
	if (h->use_epoll) {
		if ((di = MHD_get_daemon_info(h->d,
		    MHD_DAEMON_INFO_EPOLL_FD)) == NULL) {
			log_warnx("redirector: no epoll set");
			return NULL;
		}
		epfd = di->epoll_fd;
	}
	while (!atomic_load(&h->stop)) {
		http_pass(h, epfd, -1);
		http_linger(h, epfd);
		/* Answering may read a request already waiting (keep-alive,
		 * pipelining) and queue its hit: until none is left. */
		while (hitlog_flush(h->hl) > 0 || h->resumed) {
			h->resumed = 0;
			http_answer(h);
		}
	}
	return NULL;
}

static void
http_conns_init(struct http *h, const struct http_conf *conf)
{
	pthread_condattr_t ca;
	uint64_t seed;
	unsigned i, n = conf->max_connections + HTTP_CONN_SLACK;

	pthread_mutex_init(&h->cmu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->reaper_cv, &ca);
	pthread_condattr_destroy(&ca);
	rand_bytes(&seed, sizeof(seed));
	h->ac = addrcount_new(n, seed);
	h->max_per_ip = conf->max_per_ip;
	h->evict_at = conf->max_connections - conf->max_connections / 10;
	h->deadline_ms = (uint64_t)conf->deadline * 1000;
	TAILQ_INIT(&h->reading);
	TAILQ_INIT(&h->cfree);
	h->conns = xcalloc(n, sizeof(*h->conns));
	for (i = 0; i < n; i++)
		TAILQ_INSERT_TAIL(&h->cfree, &h->conns[i], entry);
}

static void
http_conns_release(struct http *h)
{
	pthread_cond_destroy(&h->reaper_cv);
	pthread_mutex_destroy(&h->cmu);
	addrcount_free(h->ac);
	free(h->conns);
}

static void
http_refusals_free(struct http *h)
{
	size_t i;

	for (i = 0; i < FRAMING_NSTATUS; i++)
		if (h->refusal[i] != NULL)
			MHD_destroy_response(h->refusal[i]);
}

struct http *
http_start(const struct http_conf *conf, struct route *route,
    struct hitlog *hl, struct metrics *m)
{
	struct http *h;
	unsigned threads = conf->threads, flags;
	const char *text;
	long ncpu;
	size_t i;
	int rc;

	/* With several cores, one is the hit writer's: with a server thread
	 * on it too, each request cost more (bench/redirector.sh, 2 cores:
	 * 18-19 us instead of 22-24 us of CPU, p99 2.2 instead of 3 ms).
	 * With two or fewer, the one server thread commits the hits itself,
	 * which costs less again (10.5-11.7 instead of 14.6-15.0 us). */
	if (threads == 0) {
		ncpu = http_cores();
		threads = ncpu > 1 ? (unsigned)ncpu - 1 : 1;
	}
	/* A store across the network (PostgreSQL): a commit waits for
	 * the server's work and its WAL flush, and the one-thread loop
	 * would serve no one meanwhile. Two server threads and the writer
	 * go on while it waits (bench/redirector_pg.sh, two cores: 29,100
	 * instead of 24,100 req/s; 4 threads gave 26,500). */
	if (conf->threads == 0 && threads < 2 && hitlog_remote(hl))
		threads = 2;
	if (threads > HTTP_MAX_THREADS)
		threads = HTTP_MAX_THREADS;

	h = xcalloc(1, sizeof(*h));
	h->route = route;
	h->hl = hl;
	h->m = m;
	h->db_path = xstrdup(conf->db_path);
	h->own_loop = threads == 1;
	h->use_epoll = conf->max_connections >
	    (h->own_loop ? HTTP_SELECT_MAX : HTTP_POLL_MAX);
	h->max_connections = conf->max_connections;
	h->kick = -1;
	pthread_mutex_init(&h->mu, NULL);
	http_conns_init(h, conf);
	if ((h->fd = http_listen(conf->listen)) == -1)
		goto fail;
	h->r404 = MHD_create_response_from_buffer(10, (void *)"not found\n",
	    MHD_RESPMEM_PERSISTENT);
	if (h->r404 == NULL)
		goto fail;
	MHD_add_response_header(h->r404, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain; charset=utf-8");
	for (i = 0; i < FRAMING_NSTATUS; i++) {
		if ((text = http_refusals[i].text) == NULL)
			continue;
		h->refusal[i] = MHD_create_response_from_buffer(strlen(text),
		    (void *)(uintptr_t)text, MHD_RESPMEM_PERSISTENT);
		if (h->refusal[i] == NULL)
			goto fail;
		MHD_add_response_header(h->refusal[i],
		    MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
		MHD_add_response_header(h->refusal[i],
		    MHD_HTTP_HEADER_CONNECTION, "close");
	}
	if (h->own_loop) {
		if ((h->kick = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) == -1) {
			log_error_errno("redirector: eventfd");
			goto fail;
		}
		flags = MHD_USE_NO_LISTEN_SOCKET |
		    (h->use_epoll ? MHD_USE_EPOLL : 0);
	} else {
		if (hitlog_start(hl) == -1)
			goto fail;
		flags = MHD_USE_INTERNAL_POLLING_THREAD |
		    (h->use_epoll ? MHD_USE_EPOLL : MHD_USE_POLL);
	}

	/* The logger first: it then also tells of the options after it. */
	h->d = MHD_start_daemon(flags | MHD_USE_TURBO |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0, http_admit, h,
	    http_access, h,
	    MHD_OPTION_EXTERNAL_LOGGER, http_log, h,
	    MHD_OPTION_CONNECTION_TIMEOUT, conf->timeout,
	    MHD_OPTION_CONNECTION_LIMIT, conf->max_connections,
	    /* Not MHD_OPTION_PER_IP_CONNECTION_LIMIT, which counts each
	     * IPv6 address alone: http_admit and http_notify. */
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_MEMORY_LIMIT,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, h,
	    MHD_OPTION_NOTIFY_CONNECTION, http_notify, h,
	    MHD_OPTION_UNESCAPE_CALLBACK, http_unescape, h,
	    MHD_OPTION_URI_LOG_CALLBACK, http_line, h,
	    /* Last, for the pool only: the listening socket (the loop
	     * accepts itself) and the pool's size (libmicrohttpd warns of
	     * a pool of 0 or 1). */
	    h->own_loop ? MHD_OPTION_END : MHD_OPTION_LISTEN_SOCKET, h->fd,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_END);
	if (h->d == NULL) {
		log_error("redirector: cannot start the HTTP server on '%s'",
		    conf->listen);
		goto fail;
	}
	if (h->own_loop &&
	    (rc = pthread_create(&h->loop, NULL, http_loop, h)) != 0) {
		errno = rc;
		log_error_errno("redirector: cannot start the server thread");
		MHD_stop_daemon(h->d);
		goto fail;
	}
	if (!h->own_loop &&
	    (rc = pthread_create(&h->reaper, NULL, http_reaper, h)) != 0) {
		errno = rc;
		log_error_errno("redirector: cannot start the deadline thread");
		MHD_stop_daemon(h->d);
		goto fail;
	}
	h->reaper_on = !h->own_loop;
	if (h->own_loop)
		log_info("redirector: listening on %s (1 thread, %s, hits "
		    "committed between passes)", conf->listen,
		    h->use_epoll ? "epoll" : "select");
	else
		log_info("redirector: listening on %s (%u threads and a hit "
		    "writer, %s)", conf->listen, threads,
		    h->use_epoll ? "epoll" : "poll");
	return h;
fail:
	if (h->fd != -1)
		close(h->fd);
	if (h->kick != -1)
		close(h->kick);
	if (h->r404 != NULL)
		MHD_destroy_response(h->r404);
	http_refusals_free(h);
	pthread_mutex_destroy(&h->mu);
	http_conns_release(h);
	free(h->db_path);
	free(h);
	return NULL;
}

void
http_quiesce(struct http *h)
{
	atomic_store(&h->closing, 1);
	if (h->own_loop)
		http_kick(h);	/* the loop stops accepting */
	else
		h->quiesced = MHD_quiesce_daemon(h->d) != MHD_INVALID_SOCKET;
}

int
http_wait_idle(struct http *h, unsigned ms)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	unsigned waited = 0;

	while (atomic_load(&h->inflight) > 0) {
		if (waited >= ms)
			return -1;
		nanosleep(&ts, NULL);
		waited += 10;
	}
	return 0;
}

void
http_stop(struct http *h)
{
	struct req *rq, *next;
	size_t i;

	if (h == NULL)
		return;
	if (h->own_loop) {
		atomic_store(&h->stop, 1);
		http_kick(h);
		pthread_join(h->loop, NULL);
	}
	if (h->reaper_on) {
		pthread_mutex_lock(&h->cmu);
		h->reaper_stop = 1;
		pthread_cond_signal(&h->reaper_cv);
		pthread_mutex_unlock(&h->cmu);
		pthread_join(h->reaper, NULL);
	}
	/* libmicrohttpd closes the pool's listening socket unless
	 * quiesced; the loop's was never libmicrohttpd's. */
	if (!h->own_loop && !h->quiesced)
		h->quiesced = MHD_quiesce_daemon(h->d) != MHD_INVALID_SOCKET;
	MHD_stop_daemon(h->d);
	if (h->own_loop || h->quiesced)
		close(h->fd);
	if (h->kick != -1)
		close(h->kick);
	MHD_destroy_response(h->r404);
	http_refusals_free(h);
	for (i = 0; i < h->ndbs; i++)
		db_close(h->dbs[i]);
	for (rq = h->all; rq != NULL; rq = next) {
		next = rq->all;
		route_ans_release(&rq->ans);
		free(rq);
	}
	pthread_mutex_destroy(&h->mu);
	http_tell(h, now_ms(), 1);
	http_conns_release(h);
	free(h->db_path);
	free(h);
}
