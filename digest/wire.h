/*
 * wire: Chorus's own SMTP client, for the sessions without STARTTLS or
 * AUTH (the usual case of a relay on loopback); digest/smtp.c chooses
 * between it and libESMTP, which carries the others. Nothing here knows
 * libESMTP.
 *
 * With PIPELINING, MAIL, RCPT and DATA go in one write and their three
 * replies are read together; the message goes in one writev() straight
 * from the rendered buffer, with no copy. Two round trips a message.
 *
 * The reply reader (wire_line(), wire_reply()) works on any descriptor
 * and trusts nothing it reads: a line is cut at WIRE_LINE - 1 bytes and
 * refused past WIRE_LINE_MAX, a reply is refused past WIRE_REPLY_LINES
 * lines, a code must be three digits from 200 to 599 and the same on
 * every line of a reply, control bytes in the text become '?'. A refusal
 * is a lost connection (w->lost, w->err), and once lost a connection
 * stays lost: every later read returns -1 at once.
 */
#ifndef CHORUS_WIRE_H
#define CHORUS_WIRE_H

#include <stddef.h>

struct buf;
struct mailer;
struct mailer_msg;

#define WIRE_LINE		1024	/* longest reply line kept */
#define WIRE_LINE_MAX		8192	/* longest reply line read */
#define WIRE_REPLY_LINES	100	/* most lines in one reply */
#define WIRE_REFILL_WAIT_MS	1000	/* wait for a session's next message */

/* One connection to a server. */
struct wire {
	int		 fd;
	char		 rbuf[4096];
	size_t		 roff, rlen;
	int		 pipelining;	/* the EHLO reply offered them */
	int		 eightbit;
	int		 lost;		/* the connection broke or timed out */
	char		 err[128];	/* why, for the reply */
};

/* One reply: its code and its first line's text, without the code and an
 * enhanced status code ("2.1.0 "). */
struct wire_reply {
	int		 code;		/* 0: no reply (w->lost) */
	char		 text[WIRE_LINE];
};

/* Where and as whom a session goes, from smtp.url and the settings. */
struct wire_target {
	const char	*host;		/* for getaddrinfo() */
	const char	*port;
	const char	*hostport;	/* "host:port", for the replies */
	const char	*sender;	/* envelope MAIL FROM */
	const char	*helo;		/* our name in EHLO */
	long		 timeout_ms;	/* every read and write */
};

/* A connection on fd, which the caller opened and will close. */
void	 wire_init(struct wire *, int fd);

/* One line of a reply, without its line end, cut at len - 1 bytes (len is
 * at least 1). Returns -1 when the connection is lost, or the line is
 * longer than WIRE_LINE_MAX. */
int	 wire_line(struct wire *, char *out, size_t len);

/* Reads one reply, all its lines, into *rp. With ehlo, the extensions of
 * the later lines are noted (w->pipelining, w->eightbit). Returns -1 (and
 * rp->code 0) when the connection is lost or the reply is not one. */
int	 wire_reply(struct wire *, struct wire_reply *rp, int ehlo);

/* Notes one EHLO keyword ("PIPELINING", "8BITMIME"). */
void	 wire_ext(struct wire *, const char *kw);

/* Whether b holds a byte with its high bit set. */
int	 wire_8bit(const struct buf *b);

/* On a mailer worker thread: one SMTP session to t, first then the next
 * messages of the mailer's queue, up to MAILER_SESSION_MAX a connection;
 * each is handed back with mailer_finish(). */
void	 wire_session(const struct wire_target *t, struct mailer *,
	    struct mailer_msg *first);

#endif
