/*
 * wire: Chorus's own SMTP client, for the sessions without STARTTLS or
 * AUTH (the usual case of a relay on loopback), and for the smtps://
 * sessions, TLS from the first byte (digest/tls.c), with AUTH PLAIN or
 * LOGIN when smtp.user is set; digest/smtp.c chooses between it and
 * libESMTP, which carries the others. Nothing here knows libESMTP or
 * OpenSSL.
 *
 * With PIPELINING, MAIL, RCPT and DATA go in one write and their three
 * replies are read together; the message goes in one writev() straight
 * from the rendered buffer, with no copy. Two round trips a message.
 * Through TLS the small pieces of the vector are gathered into records of
 * up to 16 KB.
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
struct tls;
struct tls_client;

#define WIRE_LINE		1024	/* longest reply line kept */
#define WIRE_LINE_MAX		8192	/* longest reply line read */
#define WIRE_REPLY_LINES	100	/* most lines in one reply */
#define WIRE_REFILL_WAIT_MS	1000	/* wait for a session's next message */
#define WIRE_AUTH_MAX		2048	/* user name and password, bytes */

/* The AUTH mechanisms an EHLO reply offers, of those spoken here. */
enum wire_auth_flags {
	WIRE_AUTH_PLAIN	= 1 << 0,
	WIRE_AUTH_LOGIN	= 1 << 1,
};

/* One connection to a server. */
struct wire {
	int		 fd;
	struct tls	*tls;		/* smtps://: the TLS over fd */
	char		 rbuf[4096];
	size_t		 roff, rlen;
	int		 pipelining;	/* the EHLO reply offered them */
	int		 eightbit;
	int		 auth;		/* enum wire_auth_flags */
	int		 lost;		/* the connection broke or timed out */
	char		 err[256];	/* why, for the reply */
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
	struct tls_client *tls;		/* smtps://: TLS from the first
					   byte, to host; NULL: none */
	const char	*user;		/* AUTH, on TLS only; NULL: none */
	const char	*pass;
};

/* A connection on fd, which the caller opened and will close. */
void	 wire_init(struct wire *, int fd);

/* One line of a reply, without its line end, cut at len - 1 bytes (len is
 * at least 1). Returns -1 when the connection is lost, or the line is
 * longer than WIRE_LINE_MAX. */
int	 wire_line(struct wire *, char *out, size_t len);

/* Reads one reply, all its lines, into *rp. With ehlo, the extensions of
 * the later lines are noted (w->pipelining, w->eightbit, w->auth).
 * Returns -1 (and rp->code 0) when the connection is lost or the reply is
 * not one. */
int	 wire_reply(struct wire *, struct wire_reply *rp, int ehlo);

/* Notes one EHLO extension, its keyword and parameters ("PIPELINING",
 * "8BITMIME", "AUTH PLAIN LOGIN" or the older "AUTH=LOGIN"). */
void	 wire_ext(struct wire *, const char *line);

/* AUTH PLAIN's initial response (RFC 4616): base64 of NUL, user, NUL,
 * pass, into out (len bytes). Returns 0, or -1 when user and pass pass
 * WIRE_AUTH_MAX bytes or the answer does not fit. The copy it makes of
 * the password is wiped; out is the caller's to wipe. */
int	 wire_auth_plain(const char *user, const char *pass, char *out,
	    size_t len);

/* Whether b holds a byte with its high bit set. */
int	 wire_8bit(const struct buf *b);

/* On a mailer worker thread: one SMTP session to t, first then the next
 * messages of the mailer's queue, up to MAILER_SESSION_MAX a connection;
 * each is handed back with mailer_finish(). With t->tls the TLS handshake
 * comes first, and with t->user AUTH after EHLO: when either fails, first
 * comes back MAILER_UNAVAILABLE with one line that holds no secret. */
void	 wire_session(const struct wire_target *t, struct mailer *,
	    struct mailer_msg *first);

#endif
