/*
 * smtp: the SMTP transport of the mailer: sessions without STARTTLS or
 * AUTH on a client of its own ("The direct client" below), the others on
 * libESMTP. The only file in Chorus that includes <libesmtp.h>.
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
#include <sys/uio.h>
#include <sys/utsname.h>

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "digest/mailer.h"
#include "digest/smtp.h"

#define REFILL_WAIT_MS		1000
#define PASSWORD_MAX		1024

/* What smtp.url and the smtp.* settings say, shared by the workers. */
struct smtp {
	char		 hostport[300];		/* "host:port" */
	enum starttls_option tls;
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
 * Segments. libESMTP writes a message in 2 KB pieces and never says which
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

int
connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	if (session_capture)
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

/*
 * The direct client: a session without STARTTLS or AUTH (the usual case
 * of a relay on loopback) is spoken here rather than by libESMTP, whose
 * DATA phase copies the message a byte at a time into a line buffer and
 * again into 2 KB writes, and which waits for the reply to MAIL before it
 * sends RCPT. Here, with PIPELINING, MAIL, RCPT and DATA go in one write
 * and their three replies are read together; the message goes in one
 * writev() straight from the rendered buffer, dot-stuffed by splitting
 * the vector before each line that starts with a dot (and a bare LF made
 * CRLF the same way); the next message is rendered while the server's
 * reply to this one is on its way. Two round trips a message, no copy of
 * it. The outcomes and the replies recorded are those of the libESMTP
 * path, save one: a session that breaks before a later message's MAIL is
 * answered leaves that message deferred ("connection lost during the
 * transaction"), retried within the run, where libESMTP's path called the
 * server unavailable.
 */
#define WIRE_IOV	256	/* iovecs per writev() */
#define WIRE_LINE	1024	/* longest reply line kept */

struct wire {
	int		 fd;
	char		 rbuf[4096];
	size_t		 roff, rlen;
	int		 pipelining;
	int		 eightbit;
	int		 lost;		/* the connection broke or timed out */
	char		 err[128];	/* why, for the reply */
};

struct wire_reply {
	int		 code;		/* 0: no reply (w->lost) */
	char		 text[WIRE_LINE];
};

static void
wire_lost(struct wire *w, const char *what, int err)
{
	if (w->lost)
		return;
	w->lost = 1;
	if (err == EAGAIN || err == EWOULDBLOCK)
		snprintf(w->err, sizeof(w->err), "%s: timed out", what);
	else if (err == 0)
		snprintf(w->err, sizeof(w->err), "%s: connection closed",
		    what);
	else
		snprintf(w->err, sizeof(w->err), "%s: %s", what,
		    strerror(err));
}

/* One line of a reply, without its line end, cut at len - 1 bytes.
 * Returns -1 when the connection is lost. */
static int
wire_line(struct wire *w, char *out, size_t len)
{
	size_t n = 0;
	ssize_t r;
	char *nl;

	for (;;) {
		if (w->roff < w->rlen) {
			const char *p = w->rbuf + w->roff;
			size_t avail = w->rlen - w->roff, take;

			nl = memchr(p, '\n', avail);
			take = nl != NULL ? (size_t)(nl - p) + 1 : avail;
			if (n + 1 < len) {
				size_t k = take;

				if (k > len - 1 - n)
					k = len - 1 - n;
				memcpy(out + n, p, k);
				n += k;
			}
			w->roff += take;
			if (nl != NULL)
				break;
			continue;
		}
		w->roff = w->rlen = 0;
		do
			r = read(w->fd, w->rbuf, sizeof(w->rbuf));
		while (r == -1 && errno == EINTR);
		if (r <= 0) {
			wire_lost(w, "reading the reply", r == 0 ? 0 : errno);
			return -1;
		}
		w->rlen = (size_t)r;
	}
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		n--;
	out[n] = '\0';
	return 0;
}

/* "250-PIPELINING" of an EHLO reply. */
static void
wire_ext(struct wire *w, const char *kw)
{
	if (strcasecmp(kw, "PIPELINING") == 0)
		w->pipelining = 1;
	else if (strcasecmp(kw, "8BITMIME") == 0)
		w->eightbit = 1;
}

/* Reads one reply, all its lines; its text is the first line's without
 * the code and an enhanced status code, as libESMTP gave it. With ehlo,
 * the extensions of the later lines are noted. */
static int
wire_reply(struct wire *w, struct wire_reply *rp, int ehlo)
{
	char line[WIRE_LINE];
	const char *p;
	int first = 1, more;

	rp->code = 0;
	rp->text[0] = '\0';
	do {
		if (wire_line(w, line, sizeof(line)) == -1)
			return -1;
		if (strlen(line) < 3 || line[0] < '2' || line[0] > '5' ||
		    strspn(line, "0123456789") != 3 ||
		    (line[3] != '\0' && line[3] != ' ' && line[3] != '-')) {
			wire_lost(w, "reading the reply", EPROTO);
			return -1;
		}
		more = line[3] == '-';
		p = line[3] != '\0' ? line + 4 : line + 3;
		if (first) {
			rp->code = (line[0] - '0') * 100 +
			    (line[1] - '0') * 10 + (line[2] - '0');
			/* "2.1.0 " and the like. */
			if (p[0] >= '2' && p[0] <= '5' && p[1] == '.') {
				size_t k = strspn(p, "0123456789.");

				if (p[k] == ' ')
					p += k + 1;
				else if (p[k] == '\0')
					p += k;
			}
			snprintf(rp->text, sizeof(rp->text), "%s", p);
			first = 0;
		} else if (ehlo) {
			char kw[32];

			snprintf(kw, sizeof(kw), "%.*s",
			    (int)strcspn(p, " "), p);
			wire_ext(w, kw);
		}
	} while (more);
	return 0;
}

/* An iovec on bytes writev() only reads. */
static void
iov_set(struct iovec *v, const char *p, size_t len)
{
	v->iov_base = (void *)(uintptr_t)p;
	v->iov_len = len;
}

static int
wire_writev(struct wire *w, struct iovec *iov, int n)
{
	struct msghdr mh;
	ssize_t r;

	while (n > 0) {
		/* sendmsg(): writev() with MSG_NOSIGNAL, so that a server
		 * gone is an error here, not a SIGPIPE for the process. */
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = iov;
		mh.msg_iovlen = (size_t)(n > WIRE_IOV ? WIRE_IOV : n);
		r = sendmsg(w->fd, &mh, MSG_NOSIGNAL);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			wire_lost(w, "writing", r == 0 ? 0 : errno);
			return -1;
		}
		while (n > 0 && (size_t)r >= iov->iov_len) {
			r -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + r;
			iov->iov_len -= (size_t)r;
		}
	}
	return 0;
}

static int
wire_write(struct wire *w, const char *s, size_t len)
{
	struct iovec iov;

	iov_set(&iov, s, len);
	return wire_writev(w, &iov, 1);
}

static int
wire_cmd(struct wire *w, struct wire_reply *rp, const char *fmt, ...)
{
	char cmd[600];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd)) {
		wire_lost(w, "a command too long", EINVAL);
		return -1;
	}
	if (wire_write(w, cmd, (size_t)n) == -1)
		return -1;
	return rp != NULL ? wire_reply(w, rp, 0) : 0;
}

/* Adds a piece to the vector, writing the vector out when it is full. */
static int
wire_piece(struct wire *w, struct iovec *iov, int *n, const char *p,
    size_t len)
{
	if (len == 0)
		return 0;
	if (*n == WIRE_IOV) {
		if (wire_writev(w, iov, *n) == -1)
			return -1;
		*n = 0;
	}
	iov_set(&iov[(*n)++], p, len);
	return 0;
}

/*
 * The message in wire form and the final ".", in as few writev() as the
 * vector allows. The
 * vector points into the message, which is not copied: a line that starts
 * with a dot gets a "." piece before it, a bare LF a CRLF piece instead.
 * One memchr() a line; compose's messages need neither, so they go in one
 * piece.
 */
static int
wire_body(struct wire *w, const struct buf *b)
{
	struct iovec iov[WIRE_IOV];
	const char *p = b->data, *end = b->data + b->len, *seg = p, *nl;
	int n = 0;

	if (p < end && *p == '.' && wire_piece(w, iov, &n, ".", 1) == -1)
		return -1;
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if (nl == b->data || nl[-1] != '\r') {
			if (wire_piece(w, iov, &n, seg, (size_t)(nl - seg)) ==
			    -1 || wire_piece(w, iov, &n, "\r\n", 2) == -1)
				return -1;
			seg = nl + 1;
		}
		p = nl + 1;
		if (p < end && *p == '.') {
			if (wire_piece(w, iov, &n, seg, (size_t)(p - seg)) ==
			    -1 || wire_piece(w, iov, &n, ".", 1) == -1)
				return -1;
			seg = p;
		}
	}
	if (wire_piece(w, iov, &n, seg, (size_t)(end - seg)) == -1 ||
	    (end > b->data && end[-1] != '\n' &&
	    wire_piece(w, iov, &n, "\r\n", 2) == -1) ||
	    wire_piece(w, iov, &n, ".\r\n", 3) == -1)
		return -1;
	return wire_writev(w, iov, n);
}

static int
wire_connect(struct smtp *t, struct wire *w)
{
	struct addrinfo hints, *res, *ai;
	struct timeval tv;
	int fd = -1, on = 1, rc, err = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(t->host, t->port, &hints, &res)) != 0) {
		snprintf(w->err, sizeof(w->err), "%s", gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd == -1) {
			err = errno;
			continue;
		}
		if (syscall(SYS_connect, fd, ai->ai_addr, ai->ai_addrlen) ==
		    0)
			break;
		err = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1) {
		snprintf(w->err, sizeof(w->err), "%s", strerror(err));
		return -1;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	/* smtp.timeout bounds every read and write of the session. */
	tv.tv_sec = t->timeout_ms / 1000;
	tv.tv_usec = (t->timeout_ms % 1000) * 1000;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	w->fd = fd;
	return 0;
}

/* Greeting and EHLO (HELO when EHLO is refused). */
static int
wire_hello(struct smtp *t, struct wire *w, struct wire_reply *rp)
{
	if (wire_reply(w, rp, 0) == -1 || rp->code != 220)
		return -1;
	if (wire_cmd(w, NULL, "EHLO %s\r\n", t->helo) == -1 ||
	    wire_reply(w, rp, 1) == -1)
		return -1;
	if (rp->code / 100 == 2)
		return 0;
	w->pipelining = w->eightbit = 0;
	if (wire_cmd(w, rp, "HELO %s\r\n", t->helo) == -1 ||
	    rp->code / 100 != 2)
		return -1;
	return 0;
}

/* Settles msg from the replies of one transaction. */
static void
wire_finish(struct mailer *m, struct wire *w, struct mailer_msg *msg,
    const struct wire_reply *rp)
{
	if (rp == NULL || rp->code == 0) {
		mailer_finish(m, msg, MAILER_TEMP, 0,
		    "connection lost during the transaction: %s", w->err);
		return;
	}
	mailer_finish(m, msg, mailer_classify(rp->code), rp->code, "%d %s",
	    rp->code, rp->text);
}

/* Renders msg; on failure hands it back. wire_body() makes its line
 * ends CRLF. */
static int
wire_prepare(struct mailer *m, struct mailer_msg *msg)
{
	return mailer_ready(m, msg);
}

/* The next message to send, rendered; wait_ms as for mailer_take(). */
static struct mailer_msg *
wire_next(struct mailer *m, long wait_ms)
{
	struct mailer_msg *msg;

	while ((msg = mailer_take(m, wait_ms)) != NULL)
		if (wire_prepare(m, msg) == 0)
			return msg;
	return NULL;
}

/* msg's envelope: MAIL FROM, and with PIPELINING RCPT TO and DATA. */
static size_t
wire_envelope(struct smtp *t, struct wire *w, const struct mailer_msg *msg,
    char *env, size_t len)
{
	int n, k = 0;

	n = snprintf(env, len, "MAIL FROM:<%s>%s\r\n", t->sender,
	    w->eightbit && has_8bit(&msg->data) ? " BODY=8BITMIME" : "");
	if (n > 0 && (size_t)n < len && w->pipelining)
		k = snprintf(env + n, len - (size_t)n,
		    "RCPT TO:<%s>\r\nDATA\r\n", msg->rcpt);
	if (n < 0 || k < 0 || (size_t)n + (size_t)k >= len)
		return 0;
	return (size_t)n + (size_t)k;
}

/*
 * One transaction: with PIPELINING, MAIL, RCPT and DATA go in one write
 * and their three replies are read together. The next message is taken
 * and rendered while the server reads this one and answers it (*next).
 * Its envelope does not follow this message's "." at once: RFC 2920
 * allows it, but smtp-sink -W, which the tests use to hold a reply back,
 * then answers the later commands first. Returns -1 when the session
 * cannot go on; *next, if any, is then for a new session.
 */
static int
wire_send(struct smtp *t, struct mailer *m, struct wire *w,
    struct mailer_msg *msg, struct mailer_msg **next)
{
	struct wire_reply mail, rcpt, data, end, *fin = NULL;
	char env[700];
	size_t n;

	*next = NULL;
	rcpt.code = data.code = end.code = 0;
	if ((n = wire_envelope(t, w, msg, env, sizeof(env))) == 0) {
		mailer_finish(m, msg, MAILER_PERM, 0, "an address too long");
		return 0;
	}
	if (wire_write(w, env, n) == -1 || wire_reply(w, &mail, 0) == -1)
		goto lost;
	msg->attempted = 1;
	if (w->pipelining) {
		if (wire_reply(w, &rcpt, 0) == -1 ||
		    wire_reply(w, &data, 0) == -1)
			goto lost;
	} else if (mail.code / 100 == 2) {
		if (wire_cmd(w, &rcpt, "RCPT TO:<%s>\r\n", msg->rcpt) == -1)
			goto lost;
		if (rcpt.code / 100 == 2 &&
		    wire_cmd(w, &data, "DATA\r\n") == -1)
			goto lost;
	}
	if (mail.code / 100 != 2)
		fin = &mail;
	else if (rcpt.code / 100 != 2)
		fin = &rcpt;
	else if (data.code != 354)
		fin = &data;
	if (fin != NULL) {
		/* No valid recipient, yet 354 (RFC 2920): an empty
		 * message, which the server then refuses. */
		if (data.code == 354 && (wire_write(w, ".\r\n", 3) == -1 ||
		    wire_reply(w, &end, 0) == -1))
			goto lost;
		wire_finish(m, w, msg, fin);
		if (mail.code == 421 || rcpt.code == 421 ||
		    data.code == 421 || end.code == 421)
			return -1;
		return wire_cmd(w, &mail, "RSET\r\n") == -1 ||
		    mail.code == 421 ? -1 : 0;
	}
	if (wire_body(w, &msg->data) == -1)
		goto lost;
	*next = wire_next(m, 0);
	if (wire_reply(w, &end, 0) == -1)
		goto lost;
	wire_finish(m, w, msg, &end);
	/* 421: the server is closing the session. */
	return end.code == 421 ? -1 : 0;
lost:
	wire_finish(m, w, msg, NULL);
	return -1;
}

static void
wire_session(struct smtp *t, struct mailer *m, struct mailer_msg *first)
{
	struct wire w;
	struct wire_reply rp;
	struct mailer_msg *msg = first, *next;
	int nmsg, last;

	if (wire_prepare(m, first) == -1)
		return;
	while (msg != NULL) {
		memset(&w, 0, sizeof(w));
		w.fd = -1;
		if (wire_connect(t, &w) == -1) {
			mailer_finish(m, msg, MAILER_UNAVAILABLE, 0,
			    "cannot connect to %s: %s", t->hostport, w.err);
			return;
		}
		if (wire_hello(t, &w, &rp) == -1) {
			mailer_finish(m, msg, MAILER_UNAVAILABLE, 0,
			    "%s refused the session: %s", t->hostport,
			    rp.code != 0 ? rp.text : w.err);
			close(w.fd);
			return;
		}
		for (nmsg = 0; msg != NULL; nmsg++) {
			last = nmsg + 1 >= MAILER_SESSION_MAX;
			if (wire_send(t, m, &w, msg, &next) == -1) {
				msg = next;
				break;
			}
			if (next == NULL && !last)
				next = wire_next(m, REFILL_WAIT_MS);
			msg = next;
			if (last)
				break;
		}
		if (!w.lost)
			(void)wire_cmd(&w, &rp, "QUIT\r\n");
		close(w.fd);
		/* A message taken for this session goes on a new one. */
	}
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

	if (t->tls == Starttls_DISABLED && t->user == NULL)
		wire_session(t, m, first);
	else
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
	const char *hp, *colon, *user, *pwfile;
	struct utsname un;
	char host[256];

	if (strncmp(url, "smtps://", 8) == 0) {
		log_error("smtp.url '%s': smtps:// (TLS from the first byte) "
		    "is not supported by libESMTP; use smtp://HOST:587 with "
		    "STARTTLS", url);
		goto fail;
	}
	if (strncmp(url, "smtp://", 7) != 0)
		goto bad;
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
	snprintf(t->hostport, sizeof(t->hostport), "%s%s%s:%s",
	    strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "",
	    colon ? colon + 1 : "25");
	snprintf(t->host, sizeof(t->host), "%s", host);
	snprintf(t->port, sizeof(t->port), "%.*s", 15,
	    colon ? colon + 1 : "25");
	/* Our name in EHLO, as libESMTP gives it. */
	if (uname(&un) == 0 && un.nodename[0] != '\0')
		snprintf(t->helo, sizeof(t->helo), "%s", un.nodename);
	else
		snprintf(t->helo, sizeof(t->helo), "localhost");
	if (strcmp(config_str(cfg, "smtp.starttls"), "none") == 0 ||
	    is_loopback(host))
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
bad:
	log_error("smtp.url '%s': not smtp://HOST:PORT", url);
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
	free(t);
}
