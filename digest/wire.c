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
 *
 * smtps:// sessions speak the same protocol through digest/tls.c, after
 * its handshake, and log in with AUTH PLAIN (or LOGIN) when smtp.user is
 * set; the plain path is untouched by it but for one test a read or a
 * write.
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
#include "digest/mime.h"
#include "digest/tls.h"
#include "digest/wire.h"

#define WIRE_IOV	256	/* iovecs per writev() */
#define WIRE_TLS_CHUNK	16384	/* one TLS record's worth of the vector */
#define WIRE_B64_MAX	MIME_BASE64_LEN(WIRE_AUTH_MAX)

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
wire_lost_why(struct wire *w, const char *what, const char *why)
{
	if (w->lost)
		return;
	w->lost = 1;
	snprintf(w->err, sizeof(w->err), "%s: %s", what, why);
}

static void
wire_lost(struct wire *w, const char *what, int err)
{
	if (err == EAGAIN || err == EWOULDBLOCK)
		wire_lost_why(w, what, "timed out");
	else if (err == 0)
		wire_lost_why(w, what, "connection closed");
	else
		wire_lost_why(w, what, strerror(err));
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
		if (w->tls != NULL) {
			if ((r = tls_read(w->tls, w->rbuf,
			    sizeof(w->rbuf))) == -1) {
				wire_lost_why(w, "reading the reply",
				    tls_error(w->tls));
				return -1;
			}
		} else
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
wire_ext(struct wire *w, const char *line)
{
	size_t n = strcspn(line, " =");
	const char *p;

	if (n == 10 && strncasecmp(line, "PIPELINING", n) == 0)
		w->pipelining = 1;
	else if (n == 8 && strncasecmp(line, "8BITMIME", n) == 0)
		w->eightbit = 1;
	else if (n == 4 && strncasecmp(line, "AUTH", n) == 0)
		for (p = line + n; *p != '\0'; p += n) {
			p += strspn(p, " =");
			n = strcspn(p, " ");
			if (n == 5 && strncasecmp(p, "PLAIN", n) == 0)
				w->auth |= WIRE_AUTH_PLAIN;
			else if (n == 5 && strncasecmp(p, "LOGIN", n) == 0)
				w->auth |= WIRE_AUTH_LOGIN;
		}
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
		} else if (ehlo)
			wire_ext(w, p);
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

/*
 * The vector through TLS. Small pieces are gathered into WIRE_TLS_CHUNK
 * bytes, which go as one record, rather than a record (and its 22 bytes
 * or more of framing) each. The whole records' worth of a large piece
 * (compose's message is one) goes from where it is, without a copy, and
 * so does the last piece when nothing waits before it; only the tail of
 * a large piece is copied, to go with the "." after it.
 */
static int
wire_tls_writev(struct wire *w, const struct iovec *iov, int n)
{
	char chunk[WIRE_TLS_CHUNK];
	const char *p;
	size_t fill = 0, len, k;
	int i;

	for (i = 0; i < n; i++) {
		p = iov[i].iov_base;
		len = iov[i].iov_len;
		while (len > 0) {
			if (fill == 0 && (len >= sizeof(chunk) ||
			    i == n - 1)) {
				k = i == n - 1 ? len :
				    len - len % sizeof(chunk);
				if (tls_write(w->tls, p, k) == -1)
					goto lost;
				p += k;
				len -= k;
				continue;
			}
			k = sizeof(chunk) - fill < len ? sizeof(chunk) - fill :
			    len;
			memcpy(chunk + fill, p, k);
			fill += k;
			p += k;
			len -= k;
			if (fill == sizeof(chunk)) {
				if (tls_write(w->tls, chunk, fill) == -1)
					goto lost;
				fill = 0;
			}
		}
	}
	if (fill > 0 && tls_write(w->tls, chunk, fill) == -1)
		goto lost;
	return 0;
lost:
	wire_lost_why(w, "writing", tls_error(w->tls));
	return -1;
}

static int
wire_writev(struct wire *w, struct iovec *iov, int n)
{
	struct msghdr mh;
	ssize_t r;

	if (w->tls != NULL)
		return wire_tls_writev(w, iov, n);
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
	/* smtp.timeout bounds every read and write of the session, and the
	 * connection's making too: Linux gives up a blocking connect() at
	 * the send time-out (EINPROGRESS), where a host that drops the SYN
	 * would hold it for the kernel's two minutes of retries. */
	tv.tv_sec = t->timeout_ms / 1000;
	tv.tv_usec = (t->timeout_ms % 1000) * 1000;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd == -1) {
			err = errno;
			continue;
		}
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		/* digest/smtp.c's connect() passes this call on as is. */
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		err = errno == EINPROGRESS || errno == EAGAIN ? ETIMEDOUT :
		    errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1) {
		snprintf(w->err, sizeof(w->err), "%s", strerror(err));
		return -1;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
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
	w->pipelining = w->eightbit = w->auth = 0;
	if (wire_cmd(w, rp, "HELO %s\r\n", t->helo) == -1 ||
	    rp->code / 100 != 2)
		return -1;
	return 0;
}

int
wire_auth_plain(const char *user, const char *pass, char *out, size_t len)
{
	char raw[WIRE_AUTH_MAX + 2];
	size_t u = strlen(user), p = strlen(pass), n = u + p + 2;

	if (u > WIRE_AUTH_MAX || p > WIRE_AUTH_MAX - u ||
	    MIME_BASE64_LEN(n) > len)
		return -1;
	raw[0] = '\0';
	memcpy(raw + 1, user, u);
	raw[u + 1] = '\0';
	memcpy(raw + u + 2, pass, p);
	mime_base64(raw, n, out);
	explicit_bzero(raw, sizeof(raw));
	return 0;
}

/* Sends "PREFIX B64" and reads the reply; cmd is the caller's to wipe. */
static int
wire_auth_step(struct wire *w, struct wire_reply *rp, const char *prefix,
    const char *b64, char *cmd, size_t len)
{
	int n = snprintf(cmd, len, "%s%s\r\n", prefix, b64);

	if (n < 0 || (size_t)n >= len) {
		wire_lost_why(w, "AUTH", "a command too long");
		return -1;
	}
	if (wire_write(w, cmd, (size_t)n) == -1)
		return -1;
	return wire_reply(w, rp, 0);
}

/*
 * Logs in (RFC 4954): AUTH PLAIN with its initial response when offered,
 * else AUTH LOGIN. Returns 0 on 235 (or another 2xx); otherwise -1 with
 * the reason in why, never the password nor its base64, even where a
 * server quotes them. Every buffer that held them is wiped.
 */
static int
wire_auth(const struct wire_target *t, struct wire *w, struct wire_reply *rp,
    char *why, size_t len)
{
	char cmd[WIRE_B64_MAX + 16], b64[WIRE_B64_MAX];
	const char *mech = "AUTH PLAIN";
	int rc = -1;

	b64[0] = '\0';
	rp->code = 0;
	/* The password goes in clear inside the session: never without
	 * TLS under it (smtps:// always has it). */
	if (w->tls == NULL || t->user == NULL || t->pass == NULL) {
		snprintf(why, len, "AUTH refused: the session is not "
		    "encrypted");
		return -1;
	}
	if (strlen(t->user) > WIRE_AUTH_MAX ||
	    strlen(t->pass) > WIRE_AUTH_MAX) {
		snprintf(why, len, "AUTH: the user name or password is "
		    "longer than %d bytes", WIRE_AUTH_MAX);
		return -1;
	}
	if (w->auth & WIRE_AUTH_PLAIN) {
		if (wire_auth_plain(t->user, t->pass, b64, sizeof(b64)) ==
		    -1) {
			snprintf(why, len, "AUTH: the user name and password "
			    "are longer than %d bytes", WIRE_AUTH_MAX);
			goto out;
		}
		if (wire_auth_step(w, rp, "AUTH PLAIN ", b64, cmd,
		    sizeof(cmd)) == -1)
			goto lost;
	} else if (w->auth & WIRE_AUTH_LOGIN) {
		mech = "AUTH LOGIN";
		mime_base64(t->user, strlen(t->user), b64);
		if (wire_auth_step(w, rp, "AUTH LOGIN", "", cmd,
		    sizeof(cmd)) == -1 || (rp->code == 334 &&
		    wire_auth_step(w, rp, "", b64, cmd, sizeof(cmd)) == -1))
			goto lost;
		if (rp->code == 334) {
			mime_base64(t->pass, strlen(t->pass), b64);
			if (wire_auth_step(w, rp, "", b64, cmd,
			    sizeof(cmd)) == -1)
				goto lost;
		}
	} else {
		snprintf(why, len, "it offers no AUTH PLAIN or LOGIN");
		goto out;
	}
	/* 235 (RFC 4954); smtp-sink says 250, and libESMTP takes any 2xx. */
	if (rp->code / 100 == 2)
		rc = 0;
	else if ((*t->pass != '\0' && strstr(rp->text, t->pass) != NULL) ||
	    (b64[0] != '\0' && strstr(rp->text, b64) != NULL))
		snprintf(why, len, "%s: %d (the reply quotes the credentials "
		    "and is not shown)", mech, rp->code);
	else
		/* Cut short: the reply goes on a line of its own. */
		snprintf(why, len, "%s: %d %.200s", mech, rp->code, rp->text);
	goto out;
lost:
	snprintf(why, len, "%s: %.200s", mech, w->err);
out:
	explicit_bzero(cmd, sizeof(cmd));
	explicit_bzero(b64, sizeof(b64));
	return rc;
}

/* Ends the connection: TLS's close_notify, then the socket. */
static void
wire_close(struct wire *w)
{
	tls_close(w->tls);
	w->tls = NULL;
	if (w->fd != -1)
		close(w->fd);
	w->fd = -1;
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
	char why[256];
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
		if (t->tls != NULL && (w.tls = tls_connect(t->tls, w.fd,
		    t->host, t->timeout_ms, why, sizeof(why))) == NULL) {
			mailer_finish(m, msg, MAILER_UNAVAILABLE, 0,
			    "TLS with %s failed: %s", t->hostport, why);
			wire_close(&w);
			return;
		}
		if (wire_hello(t, &w, &rp) == -1) {
			mailer_finish(m, msg, MAILER_UNAVAILABLE, 0,
			    "%s refused the session: %s", t->hostport,
			    rp.code != 0 ? rp.text : w.err);
			wire_close(&w);
			return;
		}
		if (t->user != NULL &&
		    wire_auth(t, &w, &rp, why, sizeof(why)) == -1) {
			mailer_finish(m, msg, MAILER_UNAVAILABLE, 0,
			    "%s refused the session: %s", t->hostport, why);
			if (!w.lost)
				(void)wire_cmd(&w, &rp, "QUIT\r\n");
			wire_close(&w);
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
		wire_close(&w);
		/* A message taken for this session goes on a new one. */
	}
}
