/*
 * mailer: the transports behind digest delivery and the worker threads
 * that drive them. The only file in Chorus that includes <libesmtp.h>.
 *
 * libESMTP sends the messages of a session in one connection and walks the
 * session's message list as it goes, so a worker starts a session with one
 * message and appends the next one from the event callback when the
 * previous one is done: the connection is reused for up to
 * MAILER_SESSION_MAX messages without holding them all in memory, and each
 * outcome reaches the caller as soon as the server has answered.
 *
 * The message from compose is complete (Date, From, To, Message-ID, MIME):
 * libESMTP passes headers it finds in the message through unchanged and
 * only adds Date/From/Message-Id/To when missing, so nothing is added or
 * duplicated. Its line reader needs CRLF, which is ensured here.
 */
#include <stddef.h>

#include <auth-client.h>
#include <libesmtp.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "digest/mailer.h"
#include "digest/outbox.h"

#define QUEUE_PER_WORKER	32
#define REFILL_WAIT_MS		1000
#define PASSWORD_MAX		1024

enum transport {
	TRANSPORT_FILE,
	TRANSPORT_SMTP,
};

struct mailer {
	enum transport	 kind;
	char		 target[320];
	char		 dir[PATH_MAX];		/* file: */
	char		 hostport[300];		/* smtp: "host:port" */
	enum starttls_option tls;
	char		*user;
	char		*pass;
	char		 sender[256];		/* envelope MAIL FROM */
	long		 timeout_ms;
	double		 rate;			/* messages/s, 0 = no cap */
	struct timespec	 next_slot;		/* for the rate cap */

	pthread_mutex_t	 mu;
	pthread_cond_t	 in_cond;		/* work queued or closing */
	pthread_cond_t	 space_cond;		/* room in the queue */
	pthread_cond_t	 out_cond;		/* a message finished */
	struct mailer_msg *in_head, *in_tail;
	int		 in_count, in_cap;
	struct mailer_msg *out_head, *out_tail;
	int		 pending;
	int		 closing;

	int		 nworkers;
	pthread_t	*threads;
	struct mailer_render render;	/* render.render NULL: none */
};

/* What a worker thread owns. */
static __thread void *render_ctx;

/* One SMTP session in progress, on one worker thread. */
struct session {
	struct mailer	*m;
	smtp_session_t	 s;
	struct mailer_msg *cur;		/* the message in flight */
	int		 nmsg;
	int		 connected;
	int		 data_seen;	/* cur's body went out: refill is safe */
};

static pthread_once_t auth_once = PTHREAD_ONCE_INIT;

enum mailer_status
mailer_classify(int code)
{
	if (code >= 200 && code < 300)
		return MAILER_SENT;
	if (code >= 500 && code < 600)
		return MAILER_PERM;
	return MAILER_TEMP;
}

const char *
mailer_target(const struct mailer *m)
{
	return m->target;
}

/* Queues. */

static void
out_push_locked(struct mailer *m, struct mailer_msg *msg)
{
	msg->next = NULL;
	if (m->out_tail != NULL)
		m->out_tail->next = msg;
	else
		m->out_head = msg;
	m->out_tail = msg;
	pthread_cond_signal(&m->out_cond);
}

static void
finish(struct mailer *m, struct mailer_msg *msg, enum mailer_status st,
    int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
finish(struct mailer *m, struct mailer_msg *msg, enum mailer_status st,
    int code, const char *fmt, ...)
{
	va_list ap;
	char *p;

	msg->status = st;
	msg->code = code;
	va_start(ap, fmt);
	vsnprintf(msg->reply, sizeof(msg->reply), fmt, ap);
	va_end(ap);
	/* One line, whatever the server said. */
	for (p = msg->reply; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
	while (p > msg->reply && p[-1] == ' ')
		*--p = '\0';
	pthread_mutex_lock(&m->mu);
	out_push_locked(m, msg);
	pthread_mutex_unlock(&m->mu);
}

static void
timespec_add_ms(struct timespec *ts, long ms)
{
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Takes the next queued message; waits up to wait_ms (-1: until closing).
 * NULL on timeout or when closing with nothing left. */
static struct mailer_msg *
take(struct mailer *m, long wait_ms)
{
	struct mailer_msg *msg = NULL;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	timespec_add_ms(&until, wait_ms < 0 ? 0 : wait_ms);
	pthread_mutex_lock(&m->mu);
	while (m->in_head == NULL && !m->closing) {
		if (wait_ms < 0)
			pthread_cond_wait(&m->in_cond, &m->mu);
		else if (pthread_cond_timedwait(&m->in_cond, &m->mu,
		    &until) == ETIMEDOUT)
			break;
	}
	if ((msg = m->in_head) != NULL) {
		if ((m->in_head = msg->next) == NULL)
			m->in_tail = NULL;
		m->in_count--;
		msg->next = NULL;
		pthread_cond_signal(&m->space_cond);
	}
	pthread_mutex_unlock(&m->mu);
	return msg;
}

/* The rate cap: one slot every 1/rate seconds over all workers. */
static void
rate_wait(struct mailer *m)
{
	struct timespec now, slot;
	long step;

	if (m->rate <= 0)
		return;
	step = (long)(1e9 / m->rate);
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&m->mu);
	if (m->next_slot.tv_sec < now.tv_sec ||
	    (m->next_slot.tv_sec == now.tv_sec &&
	    m->next_slot.tv_nsec < now.tv_nsec))
		m->next_slot = now;
	slot = m->next_slot;
	m->next_slot.tv_nsec += step % 1000000000L;
	m->next_slot.tv_sec += step / 1000000000L +
	    m->next_slot.tv_nsec / 1000000000L;
	m->next_slot.tv_nsec %= 1000000000L;
	pthread_mutex_unlock(&m->mu);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &slot,
	    NULL) == EINTR)
		;
}

/* Renders an empty message on this worker; on failure hands it back. */
static int
render(struct mailer *m, struct mailer_msg *msg)
{
	if (msg->data.len > 0 || m->render.render == NULL)
		return 0;
	if (render_ctx == NULL || m->render.render(render_ctx, msg) == -1) {
		finish(m, msg, MAILER_PERM, 0, "could not render the digest");
		return -1;
	}
	return 0;
}

static void
worker_begin(struct mailer *m)
{
	if (m->render.open != NULL)
		render_ctx = m->render.open(m->render.arg);
}

static void
worker_end(struct mailer *m)
{
	if (m->render.close != NULL && render_ctx != NULL)
		m->render.close(render_ctx);
	render_ctx = NULL;
}

/* The file transport. */

static void *
file_worker(void *arg)
{
	struct mailer *m = arg;
	struct mailer_msg *msg;
	const char *what;

	worker_begin(m);
	while ((msg = take(m, -1)) != NULL) {
		if (render(m, msg) == -1)
			continue;
		rate_wait(m);
		msg->attempted = 1;
		if (outbox_write(m->dir, msg->name, msg->data.data,
		    msg->data.len, &what) == -1)
			finish(m, msg, MAILER_TEMP, 0, "%s '%s/%s.eml': %s",
			    what, m->dir, msg->name, strerror(errno));
		else
			finish(m, msg, MAILER_SENT, 0, "written to %s/%s.eml",
			    m->dir, msg->name);
	}
	worker_end(m);
	return NULL;
}

/* The SMTP transport. */

/*
 * Segments. libESMTP writes a message in 2 KB pieces and never says which
 * socket it uses. With Nagle's algorithm the pieces after the first wait
 * for the server's delayed ACK (~40 ms a message); with TCP_NODELAY alone
 * each piece is its own segment. So connect() is interposed to learn the
 * session's socket on this thread: it gets TCP_NODELAY, and each message
 * body is corked while libESMTP copies it and uncorked at its end, which
 * sends it in full-sized segments and the final "." at once.
 */
static __thread int session_fd = -1;

int
connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	session_fd = fd;
	return (int)syscall(SYS_connect, fd, sa, len);
}

static void
sock_opt(int opt, int on)
{
	if (session_fd != -1)
		(void)setsockopt(session_fd, IPPROTO_TCP, opt, &on,
		    sizeof(on));
}

/* libESMTP reads lines ending in CRLF; bare LFs are made CRLF here. */
static int
ensure_crlf(struct buf *b)
{
	struct buf nb;
	const char *p, *end = b->data + b->len;
	size_t i, bare = 0;

	for (p = b->data; p != NULL && p < end; p++) {
		if ((p = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		if (p == b->data || p[-1] != '\r')
			bare++;
	}
	if (bare == 0)
		return 0;
	buf_init(&nb, 0);
	for (i = 0; i < b->len; i++) {
		if (b->data[i] == '\n' && (i == 0 || b->data[i - 1] != '\r') &&
		    buf_addc(&nb, '\r') == -1)
			goto fail;
		if (buf_addc(&nb, b->data[i]) == -1)
			goto fail;
	}
	buf_release(b);
	*b = nb;
	return 0;
fail:
	buf_release(&nb);
	return -1;
}

static int
has_8bit(const struct buf *b)
{
	const unsigned char *p = (const unsigned char *)b->data;
	size_t i;
	uint64_t w, acc = 0;

	/* A word at a time: compose's output is 7-bit as a rule. */
	for (i = 0; i + 8 <= b->len; i += 8) {
		memcpy(&w, p + i, 8);
		acc |= w;
	}
	for (; i < b->len; i++)
		acc |= p[i];
	return (acc & 0x8080808080808080ULL) != 0;
}

/* Feeds the message to libESMTP in one piece. Its rewind call (len NULL)
 * starts again from the top. */
static const char *
message_cb(void **ctx, int *len, void *arg)
{
	struct mailer_msg *msg = arg;
	size_t *done;

	/* calloc: nothing promises the rewind call comes first. */
	if (*ctx == NULL && (*ctx = calloc(1, sizeof(size_t))) == NULL) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	done = *ctx;
	if (len == NULL) {
		*done = 0;
		sock_opt(TCP_CORK, 1);
		return NULL;
	}
	if (*done || msg->data.len > INT_MAX) {
		*len = 0;
		sock_opt(TCP_CORK, 0);
		return NULL;
	}
	*done = 1;
	*len = (int)msg->data.len;
	return msg->data.data;
}

static int
session_add(struct session *ss, struct mailer_msg *msg)
{
	smtp_message_t sm;

	if (render(ss->m, msg) == -1)
		return -1;
	rate_wait(ss->m);
	if (ensure_crlf(&msg->data) == -1) {
		finish(ss->m, msg, MAILER_PERM, 0, "message too large");
		return -1;
	}
	if ((sm = smtp_add_message(ss->s)) == NULL ||
	    !smtp_set_reverse_path(sm, ss->m->sender) ||
	    smtp_add_recipient(sm, msg->rcpt) == NULL ||
	    !smtp_set_messagecb(sm, message_cb, msg)) {
		finish(ss->m, msg, MAILER_TEMP, 0, "libESMTP: out of memory");
		return -1;
	}
	if (has_8bit(&msg->data))
		smtp_8bitmime_set_body(sm, E8bitmime_8BITMIME);
	smtp_message_set_application_data_release(sm, msg, NULL);
	ss->cur = msg;
	ss->data_seen = 0;
	ss->nmsg++;
	return 0;
}

static void
recipient_cb(smtp_recipient_t r, const char *mailbox, void *arg)
{
	const smtp_status_t **out = arg;
	const smtp_status_t *st = smtp_recipient_status(r);

	(void)mailbox;
	if (st != NULL && *out == NULL)
		*out = st;
}

/* Settles the message from MAIL, RCPT and DATA replies. */
static void
message_finish(struct session *ss, smtp_message_t sm)
{
	const smtp_status_t *st, *rst = NULL;
	struct mailer_msg *msg = smtp_message_get_application_data(sm);

	if (msg == NULL)
		return;
	smtp_message_set_application_data_release(sm, NULL, NULL);
	ss->cur = NULL;
	st = smtp_reverse_path_status(sm);
	if (st != NULL && st->code / 100 == 2) {
		smtp_enumerate_recipients(sm, recipient_cb, &rst);
		if (rst != NULL && rst->code != 0 && rst->code / 100 != 2)
			st = rst;
		else
			st = smtp_message_transfer_status(sm);
	}
	if (st == NULL || st->code == 0) {
		finish(ss->m, msg, MAILER_TEMP, 0,
		    "connection lost during the transaction");
		return;
	}
	finish(ss->m, msg, mailer_classify(st->code), st->code, "%d %s",
	    st->code, st->text != NULL ? st->text : "");
}

static void
refill(struct session *ss)
{
	struct mailer_msg *next;

	if (ss->nmsg >= MAILER_SESSION_MAX)
		return;
	while ((next = take(ss->m, REFILL_WAIT_MS)) != NULL)
		if (session_add(ss, next) == 0)
			return;
}

static void
event_cb(smtp_session_t s, int event, void *arg, ...)
{
	struct session *ss = arg;
	smtp_message_t sm;
	const smtp_status_t *st;
	struct mailer_msg *msg;
	va_list ap;
	int *ok;

	(void)s;
	va_start(ap, arg);
	switch (event) {
	case SMTP_EV_CONNECT:
		ss->connected = 1;
		sock_opt(TCP_NODELAY, 1);
		break;
	case SMTP_EV_MAILSTATUS:
		(void)va_arg(ap, const char *);
		sm = va_arg(ap, smtp_message_t);
		if ((msg = smtp_message_get_application_data(sm)) != NULL)
			msg->attempted = 1;
		st = smtp_reverse_path_status(sm);
		/* libESMTP moves to the next message after this event. */
		if (st != NULL && st->code / 100 != 2) {
			message_finish(ss, sm);
			refill(ss);
		}
		break;
	case SMTP_EV_MESSAGEDATA:
		ss->data_seen = 1;
		break;
	case SMTP_EV_MESSAGESENT:
		sm = va_arg(ap, smtp_message_t);
		message_finish(ss, sm);
		/* After a refused DATA libESMTP has already decided to quit;
		 * a message added now would never be sent. */
		if (ss->data_seen)
			refill(ss);
		break;
	/* NOLINTNEXTLINE(bugprone-branch-clone): the va_arg types differ */
	case SMTP_EV_WEAK_CIPHER:
		(void)va_arg(ap, int);
		ok = va_arg(ap, int *);
		*ok = 0;
		break;
	case SMTP_EV_INVALID_PEER_CERTIFICATE:
		(void)va_arg(ap, long);
		ok = va_arg(ap, int *);
		*ok = 0;
		break;
	case SMTP_EV_NO_PEER_CERTIFICATE:
	case SMTP_EV_WRONG_PEER_CERTIFICATE:
		ok = va_arg(ap, int *);
		*ok = 0;
		break;
	default:
		break;
	}
	va_end(ap);
}

static int
auth_interact(auth_client_request_t req, char **result, int fields,
    void *arg)
{
	struct mailer *m = arg;
	int i;

	for (i = 0; i < fields; i++) {
		if (req[i].flags & AUTH_USER)
			result[i] = m->user;
		else if (req[i].flags & AUTH_PASS)
			result[i] = m->pass;
		else
			return 0;
	}
	return 1;
}

static void
auth_init_once(void)
{
	auth_client_init();
}

static void
session_run(struct mailer *m, struct mailer_msg *first)
{
	struct session ss;
	auth_context_t auth = NULL;
	char err[256];
	int ok;

	memset(&ss, 0, sizeof(ss));
	ss.m = m;
	if ((ss.s = smtp_create_session()) == NULL) {
		finish(m, first, MAILER_TEMP, 0, "libESMTP: out of memory");
		return;
	}
	smtp_set_server(ss.s, m->hostport);
	smtp_set_timeout(ss.s, Timeout_GREETING, m->timeout_ms);
	smtp_set_timeout(ss.s, Timeout_ENVELOPE, m->timeout_ms);
	smtp_set_timeout(ss.s, Timeout_DATA, m->timeout_ms);
	smtp_set_timeout(ss.s, Timeout_TRANSFER, m->timeout_ms);
	smtp_set_timeout(ss.s, Timeout_DATA2, m->timeout_ms);
	smtp_set_eventcb(ss.s, event_cb, &ss);
	smtp_starttls_enable(ss.s, m->tls);
	if (m->user != NULL) {
		pthread_once(&auth_once, auth_init_once);
		if ((auth = auth_create_context()) != NULL) {
			/* PLAIN and LOGIN send the password as is: the
			 * STARTTLS policy above is what protects it. */
			auth_set_mechanism_flags(auth, AUTH_PLUGIN_PLAIN, 0);
			auth_set_interact_cb(auth, auth_interact, m);
			smtp_auth_set_context(ss.s, auth);
		}
	}
	if (session_add(&ss, first) == -1)
		goto out;
	ok = smtp_start_session(ss.s);
	if (ss.cur != NULL) {
		struct mailer_msg *msg = ss.cur;
		int attempted = msg->attempted;

		smtp_strerror(smtp_errno(), err, sizeof(err));
		/* The message in flight never got its answer. */
		ss.cur = NULL;
		if (!ss.connected)
			finish(m, msg, MAILER_UNAVAILABLE, 0,
			    "cannot connect to %s: %s", m->hostport, err);
		else if (!attempted)
			finish(m, msg, MAILER_UNAVAILABLE, 0,
			    "%s refused the session: %s", m->hostport,
			    ok ? "no usable session (STARTTLS or AUTH?)" :
			    err);
		else
			finish(m, msg, MAILER_TEMP, 0,
			    "connection lost during the transaction: %s",
			    err);
	}
out:
	smtp_destroy_session(ss.s);
	session_fd = -1;
	if (auth != NULL)
		auth_destroy_context(auth);
}

static void *
smtp_worker(void *arg)
{
	struct mailer *m = arg;
	struct mailer_msg *msg;

	worker_begin(m);
	while ((msg = take(m, -1)) != NULL)
		session_run(m, msg);
	worker_end(m);
	return NULL;
}

/* Setup. */

static int
is_loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0
	    || strcmp(host, "::1") == 0 || strcmp(host, "[::1]") == 0;
}

static int
read_password(struct mailer *m, const char *path)
{
	char buf[PASSWORD_MAX + 2];
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "r")) == NULL) {
		log_error("smtp.password_file '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	if (n > PASSWORD_MAX) {
		log_error("smtp.password_file '%s': longer than %d bytes",
		    path, PASSWORD_MAX);
		return -1;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	m->pass = xstrdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

/* "Name <addr>" or "addr" -> addr. */
static void
envelope_sender(const char *from, char *out, size_t len)
{
	const char *lt = strrchr(from, '<'), *gt;

	if (lt != NULL && (gt = strchr(lt, '>')) != NULL)
		snprintf(out, len, "%.*s", (int)(gt - lt - 1), lt + 1);
	else
		snprintf(out, len, "%s", from);
}

static int
parse_url(struct mailer *m, const struct config *cfg)
{
	const char *url = config_str(cfg, "smtp.url");
	const char *hp, *colon;
	char host[256];

	snprintf(m->target, sizeof(m->target), "%s", url);
	if (strncmp(url, "file:", 5) == 0) {
		m->kind = TRANSPORT_FILE;
		if (url[5] == '\0') {
			log_error("smtp.url '%s': no directory after file:",
			    url);
			return -1;
		}
		snprintf(m->dir, sizeof(m->dir), "%s", url + 5);
		return 0;
	}
	if (strncmp(url, "smtps://", 8) == 0) {
		log_error("smtp.url '%s': smtps:// (TLS from the first byte) "
		    "is not supported by libESMTP; use smtp://HOST:587 with "
		    "STARTTLS", url);
		return -1;
	}
	if (strncmp(url, "smtp://", 7) != 0) {
		log_error("smtp.url '%s': not file:DIR or smtp://HOST:PORT",
		    url);
		return -1;
	}
	m->kind = TRANSPORT_SMTP;
	hp = url + 7;
	if (*hp == '[') {
		const char *rb = strchr(hp, ']');

		if (rb == NULL)
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(rb - hp - 1),
		    hp + 1);
		colon = rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = strrchr(hp, ':');
		snprintf(host, sizeof(host), "%.*s",
		    (int)(colon ? (size_t)(colon - hp) : strlen(hp)), hp);
	}
	if (host[0] == '\0' || strpbrk(host, "/@ ") != NULL)
		goto bad;
	if (colon != NULL && (colon[1] == '\0' ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1)))
		goto bad;
	snprintf(m->hostport, sizeof(m->hostport), "%s%s%s:%s",
	    strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "",
	    colon ? colon + 1 : "25");
	if (strcmp(config_str(cfg, "smtp.starttls"), "none") == 0 ||
	    is_loopback(host))
		m->tls = Starttls_DISABLED;
	else
		m->tls = Starttls_REQUIRED;
	return 0;
bad:
	log_error("smtp.url '%s': not smtp://HOST:PORT", url);
	return -1;
}

struct mailer *
mailer_new(const struct config *cfg, const struct mailer_render *r)
{
	struct mailer *m = xcalloc(1, sizeof(*m));
	const char *user, *pwfile;
	int i;

	if (parse_url(m, cfg) == -1)
		goto fail;
	envelope_sender(config_str(cfg, "digest.from"), m->sender,
	    sizeof(m->sender));
	m->timeout_ms = config_int(cfg, "smtp.timeout") * 1000;
	m->rate = config_double(cfg, "smtp.rate");
	user = config_str(cfg, "smtp.user");
	pwfile = config_str(cfg, "smtp.password_file");
	if (m->kind == TRANSPORT_SMTP && *user != '\0') {
		if (*pwfile == '\0') {
			log_error("smtp.user is set but smtp.password_file "
			    "is not");
			goto fail;
		}
		m->user = xstrdup(user);
		if (read_password(m, pwfile) == -1)
			goto fail;
	}
	if (m->kind == TRANSPORT_FILE && outbox_prepare(m->dir) == -1) {
		log_error("smtp.url: cannot create '%s': %s", m->dir,
		    strerror(errno));
		goto fail;
	}

	if (r != NULL)
		m->render = *r;
	pthread_mutex_init(&m->mu, NULL);
	pthread_cond_init(&m->in_cond, NULL);
	pthread_cond_init(&m->space_cond, NULL);
	pthread_cond_init(&m->out_cond, NULL);
	m->nworkers = (int)config_int(cfg, "smtp.connections");
	m->in_cap = m->nworkers * QUEUE_PER_WORKER;
	m->threads = xcalloc((size_t)m->nworkers, sizeof(*m->threads));
	for (i = 0; i < m->nworkers; i++)
		if (pthread_create(&m->threads[i], NULL,
		    m->kind == TRANSPORT_FILE ? file_worker : smtp_worker,
		    m) != 0)
			fatalx("mailer: cannot start a thread");
	return m;
fail:
	free(m->user);
	if (m->pass != NULL)
		explicit_bzero(m->pass, strlen(m->pass));
	free(m->pass);
	free(m);
	return NULL;
}

struct mailer_msg *
mailer_msg_new(size_t max)
{
	struct mailer_msg *msg = xcalloc(1, sizeof(*msg));

	buf_init(&msg->data, max);
	return msg;
}

void
mailer_msg_free(struct mailer_msg *msg)
{
	if (msg == NULL)
		return;
	buf_release(&msg->data);
	free(msg);
}

void
mailer_submit(struct mailer *m, struct mailer_msg *msg)
{
	msg->next = NULL;
	msg->attempted = 0;
	msg->code = 0;
	msg->reply[0] = '\0';
	pthread_mutex_lock(&m->mu);
	while (m->in_count >= m->in_cap)
		pthread_cond_wait(&m->space_cond, &m->mu);
	if (m->in_tail != NULL)
		m->in_tail->next = msg;
	else
		m->in_head = msg;
	m->in_tail = msg;
	m->in_count++;
	m->pending++;
	pthread_cond_signal(&m->in_cond);
	pthread_mutex_unlock(&m->mu);
}

struct mailer_msg *
mailer_collect(struct mailer *m, int timeout_ms)
{
	struct mailer_msg *msg;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	timespec_add_ms(&until, timeout_ms);
	pthread_mutex_lock(&m->mu);
	while (m->out_head == NULL)
		if (pthread_cond_timedwait(&m->out_cond, &m->mu, &until) ==
		    ETIMEDOUT)
			break;
	if ((msg = m->out_head) != NULL) {
		if ((m->out_head = msg->next) == NULL)
			m->out_tail = NULL;
		msg->next = NULL;
		m->pending--;
	}
	pthread_mutex_unlock(&m->mu);
	return msg;
}

int
mailer_pending(struct mailer *m)
{
	int n;

	pthread_mutex_lock(&m->mu);
	n = m->pending;
	pthread_mutex_unlock(&m->mu);
	return n;
}

void
mailer_cancel(struct mailer *m, const char *reply)
{
	struct mailer_msg *msg;

	pthread_mutex_lock(&m->mu);
	while ((msg = m->in_head) != NULL) {
		m->in_head = msg->next;
		msg->status = MAILER_TEMP;
		msg->code = 0;
		snprintf(msg->reply, sizeof(msg->reply), "%s", reply);
		out_push_locked(m, msg);
	}
	m->in_tail = NULL;
	m->in_count = 0;
	pthread_cond_broadcast(&m->space_cond);
	pthread_mutex_unlock(&m->mu);
}

void
mailer_free(struct mailer *m)
{
	struct mailer_msg *msg;
	int i;

	if (m == NULL)
		return;
	pthread_mutex_lock(&m->mu);
	m->closing = 1;
	pthread_cond_broadcast(&m->in_cond);
	pthread_mutex_unlock(&m->mu);
	for (i = 0; i < m->nworkers; i++)
		pthread_join(m->threads[i], NULL);
	while ((msg = m->out_head) != NULL) {
		m->out_head = msg->next;
		mailer_msg_free(msg);
	}
	pthread_mutex_destroy(&m->mu);
	pthread_cond_destroy(&m->in_cond);
	pthread_cond_destroy(&m->space_cond);
	pthread_cond_destroy(&m->out_cond);
	free(m->threads);
	free(m->user);
	if (m->pass != NULL)
		explicit_bzero(m->pass, strlen(m->pass));
	free(m->pass);
	free(m);
}
