/*
 * smtp: the smtp:// and smtps:// transport of the mailer (a row of its
 * backend table in digest/mailer.c). An smtp:// session with STARTTLS or
 * SMTP AUTH goes through libESMTP (this is the only code in Chorus that
 * includes <libesmtp.h>); one with neither (a relay on loopback, or
 * smtp.starttls=none without smtp.user), and every smtps:// session (TLS
 * from the first byte, RFC 8314, which libESMTP 1.1 has not), is spoken by
 * Chorus's own pipelining client, digest/wire.c, which sends each message
 * from the rendered buffer (digest/tls.c under it for smtps://). STARTTLS
 * is required on smtp:// unless the host is a loopback address or
 * smtp.starttls=none; SMTP AUTH (PLAIN, LOGIN) when smtp.user is set, the
 * password read from smtp.password_file.
 *
 * Replaced libc function: connect(2). This file defines connect() for the
 * whole binary, because libESMTP 1.1 never hands out the socket it opens
 * and each of its sessions' sockets needs TCP_NODELAY, and TCP_CORK
 * around every message body, which libESMTP writes in 2 KB pieces
 * (without them each message waits ~40 ms for a delayed ACK). The
 * replacement notes the descriptor only on a worker thread while it is
 * inside libESMTP's smtp_start_session(), and sets those options on that
 * descriptor only; every other connect(), on any thread (the
 * redirector's, a resolver's, digest/wire.c's, which sets TCP_NODELAY
 * itself and needs no cork), goes straight to the system call and
 * nothing is recorded.
 */
#ifndef CHORUS_SMTP_H
#define CHORUS_SMTP_H

struct config;
struct mailer;
struct mailer_msg;

/* url is "smtp://HOST[:PORT]" (port 25 if left out) or "smtps://HOST[:PORT]"
 * (port 465), "[v6]" for an IPv6 address; reads smtp.starttls (smtp://
 * only), smtp.timeout, smtp.user, smtp.password_file and digest.from (the
 * envelope sender); for smtps:// the CA store is read now. Returns the
 * transport's state for smtp_transport_send(), or NULL after a one-line
 * error (a bad URL, no TLS set-up, an unreadable password file). The
 * password is never logged. */
void	*smtp_transport_open(const char *url, const struct config *);

/* On a mailer worker thread: opens one SMTP session, sends first, then the
 * next messages taken from the mailer's queue as each is answered, up to
 * MAILER_SESSION_MAX; hands each back with mailer_finish(). */
void	 smtp_transport_send(void *state, struct mailer *,
	    struct mailer_msg *first);

/* Frees the state (the password is wiped first). NULL is ignored. */
void	 smtp_transport_close(void *state);

#endif
