/*
 * wire: the SMTP client of Chorus's own, for sessions without STARTTLS or
 * AUTH (the usual case of a relay on loopback); digest/smtp.c sends the
 * others through libESMTP, whose DATA phase copies the message a byte at
 * a time into a line buffer and again into 2 KB writes, and which waits
 * for the reply to MAIL before it sends RCPT. Here, with PIPELINING, MAIL,
 * RCPT and DATA go in one write and their three replies are read
 * together; the message goes in one writev() straight from the rendered
 * buffer, dot-stuffed by splitting the vector before each line that
 * starts with a dot (and a bare LF made CRLF the same way); the next
 * message is rendered while the server's reply to this one is on its way.
 * Two round trips a message, no copy of it. The outcomes and the replies
 * recorded are those of the libESMTP path, save one: a session that
 * breaks before a later message's MAIL is answered leaves that message
 * deferred ("connection lost during the transaction"), retried within the
 * run, where libESMTP's path called the server unavailable.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>

#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/buf.h"
#include "digest/mailer.h"
#include "digest/wire.h"

#define WIRE_IOV	256	/* iovecs per writev() */

void
wire_init(struct wire *w, int fd)
{
	memset(w, 0, sizeof(*w));
	w->fd = fd;
}

int
wire_8bit(const struct buf *b)
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

/* A reply that is not one: the session cannot go on. */
static int
wire_bad(struct wire *w, const char *why)
{
	if (!w->lost) {
		w->lost = 1;
		snprintf(w->err, sizeof(w->err), "reading the reply: %s", why);
	}
	return -1;
}

int
wire_line(struct wire *w, char *out, size_t len)
{
	size_t n = 0, seen = 0, i;
	ssize_t r;
	char *nl;

	out[0] = '\0';
	if (w->lost)
		return -1;
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
			seen += take;
			if (seen > WIRE_LINE_MAX)
				return wire_bad(w, "a line too long");
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
	/* NUL, CR and the like go into logs and the ledger as '?'. */
	for (i = 0; i < n; i++)
		if ((unsigned char)out[i] < ' ' || out[i] == 0x7f)
			out[i] = '?';
	return 0;
}

void
wire_ext(struct wire *w, const char *kw)
{
	if (strcasecmp(kw, "PIPELINING") == 0)
		w->pipelining = 1;
	else if (strcasecmp(kw, "8BITMIME") == 0)
		w->eightbit = 1;
}

/* Its text is the first line's without the code and an enhanced status
 * code, as libESMTP gave it. */
int
wire_reply(struct wire *w, struct wire_reply *rp, int ehlo)
{
	char line[WIRE_LINE];
	const char *p;
	int first = 1, more, code, nline = 0;

	rp->code = 0;
	rp->text[0] = '\0';
	do {
		if (++nline > WIRE_REPLY_LINES) {
			wire_bad(w, "a reply of too many lines");
			goto fail;
		}
		if (wire_line(w, line, sizeof(line)) == -1)
			goto fail;
		if (strlen(line) < 3 || line[0] < '2' || line[0] > '5' ||
		    strspn(line, "0123456789") != 3 ||
		    (line[3] != '\0' && line[3] != ' ' && line[3] != '-')) {
			wire_bad(w, "not a reply");
			goto fail;
		}
		code = (line[0] - '0') * 100 + (line[1] - '0') * 10 +
		    (line[2] - '0');
		more = line[3] == '-';
		p = line[3] != '\0' ? line + 4 : line + 3;
		if (first) {
			rp->code = code;
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
		} else if (code != rp->code) {
			/* Two replies run together, or a server astray. */
			wire_bad(w, "a reply's lines disagree");
			goto fail;
		} else if (ehlo) {
			char kw[32];

			snprintf(kw, sizeof(kw), "%.*s",
			    (int)strcspn(p, " "), p);
			wire_ext(w, kw);
		}
	} while (more);
	return 0;
fail:
	rp->code = 0;
	rp->text[0] = '\0';
	return -1;
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
wire_connect(const struct wire_target *t, struct wire *w)
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
		/* digest/smtp.c's connect() passes this call on as is. */
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
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
wire_hello(const struct wire_target *t, struct wire *w, struct wire_reply *rp)
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
wire_envelope(const struct wire_target *t, struct wire *w,
    const struct mailer_msg *msg, char *env, size_t len)
{
	int n, k = 0;

	n = snprintf(env, len, "MAIL FROM:<%s>%s\r\n", t->sender,
	    w->eightbit && wire_8bit(&msg->data) ? " BODY=8BITMIME" : "");
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
wire_send(const struct wire_target *t, struct mailer *m, struct wire *w,
    struct mailer_msg *msg, struct mailer_msg **next)
{
	struct wire_reply mail, rcpt, data, end, *fin = NULL;
	char env[700];
	size_t n;

	*next = NULL;
	rcpt.code = data.code = end.code = 0;
	/* Prepared before the connection was made, or while the message
	 * before it was sent: the fence is looked at again. */
	if (mailer_fence_check(m, msg) == -1)
		return 0;
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

void
wire_session(const struct wire_target *t, struct mailer *m,
    struct mailer_msg *first)
{
	struct wire w;
	struct wire_reply rp;
	struct mailer_msg *msg = first, *next;
	int nmsg, last;

	if (wire_prepare(m, first) == -1)
		return;
	while (msg != NULL) {
		wire_init(&w, -1);
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
				next = wire_next(m, WIRE_REFILL_WAIT_MS);
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
