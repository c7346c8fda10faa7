/*
 * smtp: the SMTP transport of the mailer: sessions without STARTTLS or
 * AUTH, and every smtps:// session (TLS from the first byte, which
 * libESMTP 1.1 cannot do), go to Chorus's own client (digest/wire.c), the
 * others to libESMTP. The only file in Chorus that includes <libesmtp.h>.
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
#include <sys/time.h>
#include <sys/utsname.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "digest/mailer.h"
#include "digest/smtp.h"
#include "digest/tls.h"
#include "digest/wire.h"

#define REFILL_WAIT_MS		WIRE_REFILL_WAIT_MS
#define PASSWORD_MAX		1024

/* What smtp.url and the smtp.* settings say, shared by the workers. */
struct smtp {
	char		 hostport[300];		/* "host:port" */
	enum starttls_option tls;
	struct tls_client *smtps;		/* smtps://; NULL: smtp:// */
	char		*user;
	char		*pass;
	char		 sender[256];		/* envelope MAIL FROM */
	long		 timeout_ms;
	char		 host[256];		/* for getaddrinfo() */
	char		 port[16];
	char		 helo[256];		/* our name in EHLO */
};

/* One SMTP session in progress, on one worker thread. */
struct session {
	struct mailer	*m;
	struct smtp	*t;
	smtp_session_t	 s;
	struct mailer_msg *cur;		/* the message in flight */
	int		 nmsg;
	int		 connected;
	int		 data_seen;	/* cur's body went out: refill is safe */
};

static pthread_once_t auth_once = PTHREAD_ONCE_INIT;

/*
 * Segments, on libESMTP's sessions only (digest/wire.c sets TCP_NODELAY
 * on its own socket and writes a message in one writev(), so it needs no
 * cork). libESMTP writes a message in 2 KB pieces and never says which
 * socket it uses. With Nagle's algorithm the pieces after the first wait
 * for the server's delayed ACK (~40 ms a message); with TCP_NODELAY alone
 * each piece is its own segment. So the session's socket gets TCP_NODELAY,
 * and each message body is corked while libESMTP copies it and uncorked at
 * its end, which sends it in full-sized segments and the final "." at once.
 *
 * libESMTP 1.1 hands out no descriptor (no event, callback or accessor
 * carries it), so connect() is replaced to learn it, as smtp.h says: only
 * a thread inside smtp_start_session() below (session_capture set) has its
 * descriptor noted; every other call is passed on untouched.
 */
static __thread int session_capture;
static __thread int session_fd = -1;
static __thread long session_timeout_ms;

/* The session's connect() is also bounded by smtp.timeout, as the own
 * client's is (digest/wire.c): a blocking connect() gives up at the
 * socket's send time-out, where a host that drops the SYN would hold it
 * for the kernel's two minutes of retries. */
int
connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	struct timeval tv;
	int r, fl;

	if (!session_capture)
		return (int)syscall(SYS_connect, fd, sa, len);
	session_fd = fd;
	fl = fcntl(fd, F_GETFL);
	if (session_timeout_ms > 0 && fl != -1 && !(fl & O_NONBLOCK)) {
		tv.tv_sec = session_timeout_ms / 1000;
		tv.tv_usec = (session_timeout_ms % 1000) * 1000;
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv,
		    sizeof(tv));
	}
	r = (int)syscall(SYS_connect, fd, sa, len);
	if (r == -1 && errno == EINPROGRESS && fl != -1 && !(fl & O_NONBLOCK))
		errno = ETIMEDOUT;
	return r;
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

	if (mailer_ready(ss->m, msg) == -1)
		return -1;
	if (ensure_crlf(&msg->data) == -1) {
		mailer_finish(ss->m, msg, MAILER_PERM, 0, "message too large");
		return -1;
	}
	if ((sm = smtp_add_message(ss->s)) == NULL ||
	    !smtp_set_reverse_path(sm, ss->t->sender) ||
	    smtp_add_recipient(sm, msg->rcpt) == NULL ||
	    !smtp_set_messagecb(sm, message_cb, msg)) {
		mailer_finish(ss->m, msg, MAILER_TEMP, 0,
		    "libESMTP: out of memory");
		return -1;
	}
	if (wire_8bit(&msg->data))
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
		mailer_finish(ss->m, msg, MAILER_TEMP, 0,
		    "connection lost during the transaction");
		return;
	}
	mailer_finish(ss->m, msg, mailer_classify(st->code), st->code,
	    "%d %s", st->code, st->text != NULL ? st->text : "");
}

static void
refill(struct session *ss)
{
	struct mailer_msg *next;

	if (ss->nmsg >= MAILER_SESSION_MAX)
		return;
	while ((next = mailer_take(ss->m, REFILL_WAIT_MS)) != NULL)
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
	struct smtp *t = arg;
	int i;

	for (i = 0; i < fields; i++) {
		if (req[i].flags & AUTH_USER)
			result[i] = t->user;
		else if (req[i].flags & AUTH_PASS)
			result[i] = t->pass;
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

/* A session through libESMTP: STARTTLS, AUTH. */
static void
esmtp_send(struct smtp *t, struct mailer *m, struct mailer_msg *first)
{
	struct session ss;
	auth_context_t auth = NULL;
	char err[256];
	int ok;

	memset(&ss, 0, sizeof(ss));
	ss.m = m;
	ss.t = t;
	if ((ss.s = smtp_create_session()) == NULL) {
		mailer_finish(m, first, MAILER_TEMP, 0,
		    "libESMTP: out of memory");
		return;
	}
	smtp_set_server(ss.s, t->hostport);
	smtp_set_timeout(ss.s, Timeout_GREETING, t->timeout_ms);
	smtp_set_timeout(ss.s, Timeout_ENVELOPE, t->timeout_ms);
	smtp_set_timeout(ss.s, Timeout_DATA, t->timeout_ms);
	smtp_set_timeout(ss.s, Timeout_TRANSFER, t->timeout_ms);
	smtp_set_timeout(ss.s, Timeout_DATA2, t->timeout_ms);
	smtp_set_eventcb(ss.s, event_cb, &ss);
	smtp_starttls_enable(ss.s, t->tls);
	if (t->user != NULL) {
		pthread_once(&auth_once, auth_init_once);
		if ((auth = auth_create_context()) != NULL) {
			/* PLAIN and LOGIN send the password as is: the
			 * STARTTLS policy above is what protects it. */
			auth_set_mechanism_flags(auth, AUTH_PLUGIN_PLAIN, 0);
			auth_set_interact_cb(auth, auth_interact, t);
			smtp_auth_set_context(ss.s, auth);
		}
	}
	if (session_add(&ss, first) == -1)
		goto out;
	session_timeout_ms = t->timeout_ms;
	session_capture = 1;
	ok = smtp_start_session(ss.s);
	session_capture = 0;
	if (ss.cur != NULL) {
		struct mailer_msg *msg = ss.cur;
		int attempted = msg->attempted;

		smtp_strerror(smtp_errno(), err, sizeof(err));
		/* The message in flight never got its answer. */
		ss.cur = NULL;
		if (!ss.connected)
			mailer_finish(m, msg, MAILER_UNAVAILABLE, 0,
			    "cannot connect to %s: %s", t->hostport, err);
		else if (!attempted)
			mailer_finish(m, msg, MAILER_UNAVAILABLE, 0,
			    "%s refused the session: %s", t->hostport,
			    ok ? "no usable session (STARTTLS or AUTH?)" :
			    err);
		else
			mailer_finish(m, msg, MAILER_TEMP, 0,
			    "connection lost during the transaction: %s",
			    err);
	}
out:
	smtp_destroy_session(ss.s);
	session_fd = -1;
	if (auth != NULL)
		auth_destroy_context(auth);
}

void
smtp_transport_send(void *state, struct mailer *m, struct mailer_msg *first)
{
	struct smtp *t = state;

	if (t->smtps != NULL || (t->tls == Starttls_DISABLED &&
	    t->user == NULL)) {
		struct wire_target wt = {
			.host = t->host, .port = t->port,
			.hostport = t->hostport, .sender = t->sender,
			.helo = t->helo, .timeout_ms = t->timeout_ms,
			.tls = t->smtps,
			.user = t->smtps != NULL ? t->user : NULL,
			.pass = t->smtps != NULL ? t->pass : NULL,
		};

		wire_session(&wt, m, first);
	} else
		esmtp_send(t, m, first);
}

static int
is_loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0
	    || strcmp(host, "::1") == 0 || strcmp(host, "[::1]") == 0;
}

static int
read_password(struct smtp *t, const char *path)
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
	t->pass = xstrdup(buf);
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

void *
smtp_transport_open(const char *url, const struct config *cfg)
{
	struct smtp *t = xcalloc(1, sizeof(*t));
	const char *user, *pwfile, *why = NULL;
	struct smtp_url u;
	struct utsname un;
	char err[256];

	if (validate_smtp_url(url, &u, &why) == -1) {
		log_error("smtp.url '%s': %s", url, why);
		goto fail;
	}
	snprintf(t->hostport, sizeof(t->hostport), "%s%s%s:%s",
	    strchr(u.host, ':') ? "[" : "", u.host,
	    strchr(u.host, ':') ? "]" : "", u.port);
	snprintf(t->host, sizeof(t->host), "%s", u.host);
	snprintf(t->port, sizeof(t->port), "%s", u.port);
	if (u.tls && (t->smtps = tls_client_new(err, sizeof(err))) == NULL) {
		log_error("smtp.url '%s': TLS: %s", url, err);
		goto fail;
	}
	/* Our name in EHLO, as libESMTP gives it. */
	if (uname(&un) == 0 && un.nodename[0] != '\0')
		snprintf(t->helo, sizeof(t->helo), "%s", un.nodename);
	else
		snprintf(t->helo, sizeof(t->helo), "localhost");
	/* smtps:// is TLS throughout: smtp.starttls is not asked. */
	if (strcmp(config_str(cfg, "smtp.starttls"), "none") == 0 ||
	    is_loopback(t->host))
		t->tls = Starttls_DISABLED;
	else
		t->tls = Starttls_REQUIRED;

	envelope_sender(config_str(cfg, "digest.from"), t->sender,
	    sizeof(t->sender));
	t->timeout_ms = config_int(cfg, "smtp.timeout") * 1000;
	user = config_str(cfg, "smtp.user");
	pwfile = config_str(cfg, "smtp.password_file");
	if (*user != '\0') {
		if (*pwfile == '\0') {
			log_error("smtp.user is set but smtp.password_file "
			    "is not");
			goto fail;
		}
		t->user = xstrdup(user);
		if (read_password(t, pwfile) == -1)
			goto fail;
	}
	return t;
fail:
	smtp_transport_close(t);
	return NULL;
}

void
smtp_transport_close(void *state)
{
	struct smtp *t = state;

	if (t == NULL)
		return;
	free(t->user);
	if (t->pass != NULL)
		explicit_bzero(t->pass, strlen(t->pass));
	free(t->pass);
	tls_client_free(t->smtps);
	free(t);
}
