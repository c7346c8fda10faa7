/*
 * tls: TLS on a connected socket, client side, for the smtps:// sessions
 * of Chorus's own SMTP client (digest/wire.c). The only file in Chorus
 * that includes <openssl/ssl.h>, so the rest is built and tested without
 * it.
 *
 * TLS 1.2 at least. The server's certificate must chain to a CA of the
 * system's store (OpenSSL's default paths, so SSL_CERT_FILE and
 * SSL_CERT_DIR apply) and name the host: a name is checked as a name and
 * sent as SNI, an address is checked as an address. Every wait for the
 * socket is bounded by the connection's timeout, as SO_RCVTIMEO and
 * SO_SNDTIMEO bound each read and write of a plain session, and the
 * handshake as a whole is too. Writes never raise SIGPIPE.
 */
#ifndef CHORUS_TLS_H
#define CHORUS_TLS_H

#include <stddef.h>
#include <sys/types.h>

struct tls_client;
struct tls;

/* What every connection shares: the protocol floor, the CA store (read
 * now). Returns NULL with a one-line reason in err. Free it with
 * tls_client_free() once no connection uses it; NULL is ignored there. */
struct tls_client *tls_client_new(char *err, size_t errlen);
void	 tls_client_free(struct tls_client *);

/* The handshake on fd, a socket connected to host (a name, or an IPv4 or
 * IPv6 address without brackets), within timeout_ms. Returns the
 * connection, or NULL with a one-line reason in err ("certificate verify
 * failed: hostname mismatch", "timed out", ...). fd stays the caller's. */
struct tls *tls_connect(struct tls_client *, int fd, const char *host,
	    long timeout_ms, char *err, size_t errlen);

/* Reads up to len bytes, at least one. Returns how many; 0 when the server
 * closed the connection; -1 on an error or a time-out, said by
 * tls_error(). */
ssize_t	 tls_read(struct tls *, void *buf, size_t len);

/* Writes all len bytes. Returns 0, or -1 as tls_read(). */
int	 tls_write(struct tls *, const void *buf, size_t len);

/* Why the last call failed, one line. Borrowed from the connection. */
const char *tls_error(const struct tls *);

/* Sends close_notify when the connection is still sound (best effort: the
 * server's is not awaited) and frees the connection; fd is left open.
 * NULL is ignored. */
void	 tls_close(struct tls *);

#endif
