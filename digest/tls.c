/*
 * tls: client-side TLS over a connected socket with OpenSSL, for the
 * smtps:// sessions of digest/wire.c. The socket is spoken to through a
 * BIO of our own that polls it against a deadline and sends with
 * MSG_NOSIGNAL, so that OpenSSL's calls stay bounded by smtp.timeout and a
 * server gone is an error, not a signal.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "digest/tls.h"

struct tls_client {
	SSL_CTX		*ctx;
};

struct tls {
	SSL		*ssl;
	int		 fd;
	long		 timeout_ms;
	long long	 limit;		/* ms, CLOCK_MONOTONIC; 0: none */
	int		 sys_errno;	/* the socket's last error */
	int		 broken;	/* no close_notify may follow */
	char		 err[160];
};

static pthread_once_t bio_once = PTHREAD_ONCE_INIT;
static BIO_METHOD *bio_method;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Until fd is ready for ev, at most the timeout from now and never past
 * the call's limit. -1 with errno ETIMEDOUT when the time is up. */
static int
tls_wait(struct tls *t, short ev)
{
	struct pollfd pfd;
	long long end = now_ms() + t->timeout_ms, left;
	int r;

	if (t->limit != 0 && t->limit < end)
		end = t->limit;
	for (;;) {
		if ((left = end - now_ms()) <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		pfd.fd = t->fd;
		pfd.events = ev;
		pfd.revents = 0;
		r = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		/* POLLERR and POLLHUP too: recv() or send() says what. */
		if (r > 0)
			return 0;
		if (r == -1 && errno != EINTR)
			return -1;
	}
}

static int
tls_bio_read(BIO *b, char *buf, int len)
{
	struct tls *t = BIO_get_data(b);
	ssize_t r;

	BIO_clear_retry_flags(b);
	for (;;) {
		r = recv(t->fd, buf, (size_t)len, MSG_DONTWAIT);
		if (r >= 0)
			return (int)r;
		if (errno == EINTR)
			continue;
		if ((errno != EAGAIN && errno != EWOULDBLOCK) ||
		    tls_wait(t, POLLIN) == -1) {
			t->sys_errno = errno;
			return -1;
		}
	}
}

static int
tls_bio_write(BIO *b, const char *buf, int len)
{
	struct tls *t = BIO_get_data(b);
	ssize_t r;

	BIO_clear_retry_flags(b);
	for (;;) {
		r = send(t->fd, buf, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (r >= 0)
			return (int)r;
		if (errno == EINTR)
			continue;
		if ((errno != EAGAIN && errno != EWOULDBLOCK) ||
		    tls_wait(t, POLLOUT) == -1) {
			t->sys_errno = errno;
			return -1;
		}
	}
}

/* Writes go straight to the socket: a flush has nothing to do. */
static long
tls_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

/* Once a process: OpenSSL has a few hundred BIO type numbers in all, and
 * the scheduler opens the transport again at each SIGHUP. */
static void
tls_bio_init(void)
{
	int type = BIO_get_new_index();

	if (type == -1 || (bio_method = BIO_meth_new(type |
	    BIO_TYPE_SOURCE_SINK, "chorus socket")) == NULL)
		return;
	if (!BIO_meth_set_read(bio_method, tls_bio_read) ||
	    !BIO_meth_set_write(bio_method, tls_bio_write) ||
	    !BIO_meth_set_ctrl(bio_method, tls_bio_ctrl)) {
		BIO_meth_free(bio_method);
		bio_method = NULL;
	}
}

/* OpenSSL's reason for the oldest error queued, or fallback. */
static const char *
tls_reason(const char *fallback)
{
	unsigned long code = ERR_peek_error();
	const char *r = code != 0 ? ERR_reason_error_string(code) : NULL;

	return r != NULL ? r : fallback;
}

/* Says in t->err why the SSL call that returned rc failed. */
static void
tls_fail(struct tls *t, int rc)
{
	int e = SSL_get_error(t->ssl, rc);
	unsigned long code = ERR_peek_error();
	long v = SSL_get_verify_result(t->ssl);

	t->broken = 1;
	if (t->sys_errno == ETIMEDOUT)
		snprintf(t->err, sizeof(t->err), "timed out");
	else if (code != 0 && ERR_GET_LIB(code) == ERR_LIB_SSL &&
	    ERR_GET_REASON(code) == SSL_R_CERTIFICATE_VERIFY_FAILED &&
	    v != X509_V_OK)
		snprintf(t->err, sizeof(t->err), "%s: %s",
		    tls_reason("certificate verify failed"),
		    X509_verify_cert_error_string(v));
	else if (code != 0)
		snprintf(t->err, sizeof(t->err), "%s", tls_reason("error"));
	else if (e == SSL_ERROR_SYSCALL && t->sys_errno != 0)
		snprintf(t->err, sizeof(t->err), "%s",
		    strerror(t->sys_errno));
	else if (e == SSL_ERROR_SYSCALL || e == SSL_ERROR_ZERO_RETURN)
		snprintf(t->err, sizeof(t->err), "connection closed");
	else
		snprintf(t->err, sizeof(t->err), "TLS error %d", e);
	ERR_clear_error();
}

struct tls_client *
tls_client_new(char *err, size_t errlen)
{
	struct tls_client *c;

	ERR_clear_error();
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((c->ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    !SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION) ||
	    SSL_CTX_set_default_verify_paths(c->ctx) != 1) {
		snprintf(err, errlen, "%s", tls_reason("cannot set up TLS"));
		goto fail;
	}
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	/* A server that closes without close_notify after "221" or "421"
	 * has ended the session; the replies carry their own framing. */
	SSL_CTX_set_options(c->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF |
	    SSL_OP_NO_RENEGOTIATION);
	ERR_clear_error();
	return c;
fail:
	ERR_clear_error();
	tls_client_free(c);
	return NULL;
}

void
tls_client_free(struct tls_client *c)
{
	if (c == NULL)
		return;
	SSL_CTX_free(c->ctx);
	free(c);
}

struct tls *
tls_connect(struct tls_client *c, int fd, const char *host,
    long timeout_ms, char *err, size_t errlen)
{
	struct tls *t;
	X509_VERIFY_PARAM *param;
	unsigned char addr[16];
	BIO *bio;
	int rc, ip;

	ERR_clear_error();
	pthread_once(&bio_once, tls_bio_init);
	if (bio_method == NULL || (t = calloc(1, sizeof(*t))) == NULL) {
		snprintf(err, errlen, "cannot set up TLS");
		return NULL;
	}
	t->fd = fd;
	t->timeout_ms = timeout_ms;
	t->broken = 1;
	if ((t->ssl = SSL_new(c->ctx)) == NULL ||
	    (bio = BIO_new(bio_method)) == NULL) {
		snprintf(err, errlen, "%s", tls_reason("cannot set up TLS"));
		goto fail;
	}
	BIO_set_data(bio, t);
	BIO_set_init(bio, 1);
	SSL_set_bio(t->ssl, bio, bio);
	/* RFC 6066: SNI carries names, never addresses. */
	ip = inet_pton(AF_INET, host, addr) == 1 ||
	    inet_pton(AF_INET6, host, addr) == 1;
	param = SSL_get0_param(t->ssl);
	X509_VERIFY_PARAM_set_hostflags(param,
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host) != 1 :
	    (SSL_set1_host(t->ssl, host) != 1 ||
	    SSL_set_tlsext_host_name(t->ssl, host) != 1)) {
		snprintf(err, errlen, "'%s': %s", host,
		    tls_reason("not a host name for TLS"));
		goto fail;
	}
	t->limit = now_ms() + timeout_ms;
	if ((rc = SSL_connect(t->ssl)) != 1) {
		tls_fail(t, rc);
		snprintf(err, errlen, "%s", t->err);
		goto fail;
	}
	t->limit = 0;
	t->broken = 0;
	return t;
fail:
	ERR_clear_error();
	tls_close(t);
	return NULL;
}

ssize_t
tls_read(struct tls *t, void *buf, size_t len)
{
	size_t n = 0;
	int rc;

	ERR_clear_error();
	t->sys_errno = 0;
	if ((rc = SSL_read_ex(t->ssl, buf, len, &n)) == 1)
		return (ssize_t)n;
	if (SSL_get_error(t->ssl, rc) == SSL_ERROR_ZERO_RETURN) {
		ERR_clear_error();
		return 0;
	}
	tls_fail(t, rc);
	return -1;
}

int
tls_write(struct tls *t, const void *buf, size_t len)
{
	const char *p = buf;
	size_t n;
	int rc;

	while (len > 0) {
		ERR_clear_error();
		t->sys_errno = 0;
		n = 0;
		if ((rc = SSL_write_ex(t->ssl, p, len, &n)) != 1) {
			tls_fail(t, rc);
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

const char *
tls_error(const struct tls *t)
{
	return t->err;
}

void
tls_close(struct tls *t)
{
	if (t == NULL)
		return;
	if (t->ssl != NULL) {
		ERR_clear_error();
		/* After a fatal error OpenSSL forbids SSL_shutdown(). */
		if (!t->broken) {
			t->limit = now_ms() + t->timeout_ms;
			(void)SSL_shutdown(t->ssl);
		}
		SSL_free(t->ssl);
		ERR_clear_error();
	}
	free(t);
}
