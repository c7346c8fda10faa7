/*
 * mailer: hands finished messages to a transport and reports what became
 * of each. Transports, chosen by smtp.url (the table of backends in
 * mailer.c):
 *
 *   file:DIR            each message as DIR/NAME.eml, atomically
 *                       (digest/outbox.c);
 *   smtp://HOST:PORT    libESMTP or the own client (digest/smtp.c);
 *                       STARTTLS required unless HOST is a loopback
 *                       address or smtp.starttls=none; SMTP AUTH when
 *                       smtp.user is set, the password read from
 *                       smtp.password_file.
 *   smtps://HOST:PORT   the own client over TLS from the first byte
 *                       (digest/smtp.c, digest/wire.c, digest/tls.c);
 *                       SMTP AUTH as above.
 *
 * smtp.connections worker threads each keep one SMTP session and feed it
 * message after message (up to MAILER_SESSION_MAX, then a new connection);
 * smtp.rate caps the messages per second over all of them. The caller
 * submits messages and collects them back with their outcome; nothing here
 * touches the database, so the caller records each outcome as it arrives.
 */
#ifndef CHORUS_MAILER_H
#define CHORUS_MAILER_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

struct config;
struct mailer;

#define MAILER_SESSION_MAX	1000	/* messages per SMTP connection */

enum mailer_status {
	MAILER_SENT,		/* 2xx: the server took responsibility */
	MAILER_TEMP,		/* 4xx, or the connection broke mid-way */
	MAILER_PERM,		/* 5xx */
	MAILER_UNAVAILABLE,	/* no usable session: connect, greeting,
				   STARTTLS or AUTH failed */
};

struct mailer_msg {
	int64_t		 id;		/* the caller's key (ledger row) */
	char		 name[64];	/* file transport: NAME.eml */
	char		 rcpt[256];	/* envelope recipient */
	int		 tries;		/* the caller's: attempts so far */
	struct buf	 data;		/* the whole message, CRLF line ends */
	void		*plan;		/* the caller's, for its render();
					   the mailer never touches it */
	/* Set by the mailer before the message is handed back: */
	enum mailer_status status;
	int		 code;		/* the SMTP reply code, 0 if none */
	char		 reply[256];	/* the reply or the error, one line */
	int		 attempted;	/* it reached the transport */
	int		 fenced;	/* handed back unattempted: past
					   the fence (mailer_fence) */
	struct mailer_msg *next;	/* queue link, the mailer's */
};

/* A message with an empty data buffer capped at max bytes; free it with
 * mailer_msg_free() once collected. */
struct mailer_msg *mailer_msg_new(size_t max);
void	 mailer_msg_free(struct mailer_msg *);

/* Optional: messages submitted empty are rendered by the worker thread
 * that sends them, each worker with its own context (open() on the
 * worker's thread, close() when it ends). render() fills msg->data and
 * msg->rcpt and returns 0; or -1 when the message cannot be made: it then
 * comes back MAILER_PERM, unattempted; or -2 when what it is made from
 * cannot be read for now (the database away): MAILER_TEMP, unattempted;
 * or -3 when it is no longer wanted (its recipient unsubscribed since):
 * MAILER_PERM, unattempted, saying so.
 * This keeps rendering off the caller's thread. */
struct mailer_render {
	void	*(*open)(void *arg);
	void	 (*close)(void *ctx);
	int	 (*render)(void *ctx, struct mailer_msg *);
	void	*arg;
};

/* Parses smtp.url and the smtp.* settings and starts the workers (r may
 * be NULL; it is copied). Returns NULL after a one-line error (bad URL,
 * unreadable password file). The password is never logged. */
struct mailer *mailer_new(const struct config *, const struct mailer_render *r);

/* Passes msg to the mailer until mailer_collect() returns it. Blocks while
 * the queue is full (a few messages per worker). */
void	 mailer_submit(struct mailer *, struct mailer_msg *);

/* Returns a finished message (ownership back to the caller), or NULL when
 * none finished within timeout_ms. */
struct mailer_msg *mailer_collect(struct mailer *, int timeout_ms);

/* Messages submitted and not yet collected. */
int	 mailer_pending(struct mailer *);

/* Hands back every queued message not yet started, as MAILER_TEMP with
 * reply, e.g. after the server went away. In-flight ones finish normally.*/
void	 mailer_cancel(struct mailer *, const char *reply);

/* From now on, a message whose turn comes at or after until (seconds of
 * CLOCK_MONOTONIC; 0: never) is handed back unattempted, MAILER_TEMP with
 * fenced set. The caller moves the fence on while it knows the messages
 * are still its own to send (its claims renewed); a caller that cannot
 * tell any more sends nothing more, even from a thread it no longer
 * runs. */
void	 mailer_fence(struct mailer *, double until);
/* "smtp://host:port" or "file:DIR", for messages. Borrowed. */
const char *mailer_target(const struct mailer *);

/* Stops the workers once the queue is empty and frees everything. Messages
 * not collected are freed too. */
void	 mailer_free(struct mailer *);

/* Classifies an SMTP reply code. */
enum mailer_status mailer_classify(int code);

/*
 * The transports' side. A transport is a row of the mailer's table,
 * chosen by the start of smtp.url; its send() runs on the mailer's
 * smtp.connections worker threads. Each message submitted is passed to
 * exactly one send() (as first, or taken with mailer_take()), and each
 * must come back through mailer_finish().
 */
struct mailer_backend {
	const char	*name;		/* "file", "smtp" */
	const char	*prefix;	/* of smtp.url: "file:", "smtp" */
	/* Reads url and the settings; returns the transport's state, or
	 * NULL after a one-line error. */
	void		*(*open)(const char *url, const struct config *);
	/* Delivers first, and as many queued messages as it likes. */
	void		 (*send)(void *state, struct mailer *,
			    struct mailer_msg *first);
	void		 (*close)(void *state);
};

/* The row whose prefix starts url, or NULL. */
const struct mailer_backend *mailer_backend_find(const char *url);

/* The next queued message; waits up to wait_ms (-1: until the mailer is
 * freed). NULL on timeout or when closing with nothing left. */
struct mailer_msg *mailer_take(struct mailer *, long wait_ms);

/* Before a message goes out: renders it if it was submitted empty (see
 * struct mailer_render), then waits for its turn under smtp.rate. Returns
 * 0, or -1 when it could not be rendered or its turn came past the fence
 * (mailer_fence): it has been handed back then. */
int	 mailer_ready(struct mailer *, struct mailer_msg *);

/* 0 while msg may go out; -1 once its turn comes past the fence
 * (mailer_fence): it has been handed back then, unattempted. The own
 * client (digest/wire.c) asks again just before each message's MAIL FROM,
 * since time may have passed since mailer_ready() (a connection made, a
 * message prepared while the one before it was sent); libESMTP's
 * sessions offer no such moment, and are asked when a message is handed
 * to them, the first before the connection is made. */
int	 mailer_fence_check(struct mailer *, struct mailer_msg *);
/* Hands msg back to the caller with its outcome; the reply is made one
 * line. */
void	 mailer_finish(struct mailer *, struct mailer_msg *,
	    enum mailer_status, int code, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

#endif
