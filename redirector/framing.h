/*
 * framing: whether a request's framing is one every reader of its bytes
 * agrees on (RFC 9112), decided before any route runs: the request line's
 * method and target, the field names and values, Host, Content-Length,
 * Transfer-Encoding and Expect. Behind a proxy that frames a request
 * otherwise, a lenient reading here is a request smuggled to another
 * person's page. Pure: it sees what the HTTP server parsed, allocates
 * nothing, and is thread-safe.
 */
#ifndef CHORUS_FRAMING_H
#define CHORUS_FRAMING_H

#include <stddef.h>
#include <stdint.h>

enum framing_status {
	FRAMING_OK = 0,
	FRAMING_BAD,		/* 400: ambiguous or malformed */
	FRAMING_NO_LENGTH,	/* 411: a body without Content-Length */
	FRAMING_TOO_LARGE,	/* 413: a declared body over the cap */
	FRAMING_EXPECT,		/* 417: an expectation but 100-continue */
	FRAMING_NSTATUS,
};

/* One request's header fields as they are read. The fields are
 * framing.c's; a caller only embeds the struct (one per request, no
 * allocation). */
struct framing {
	uint64_t	 length;	/* the Content-Length, if one */
	unsigned	 hosts;		/* Host fields */
	unsigned	 lengths;	/* Content-Length fields */
	unsigned	 codings;	/* Transfer-Encoding fields */
	int		 bad;		/* a malformed field */
	int		 too_large;	/* a length past 2^64 - 1 */
	int		 expect;	/* an expectation we cannot meet */
};

/* 0 if the method (len bytes) is an RFC 9110 token, else -1. */
int	 framing_method(const char *method, size_t len);

/* 0 if the request target (len bytes, as sent) holds no space, no
 * control character and no DEL, else -1. Bytes past ASCII are left to
 * the router, which matches none. */
int	 framing_target(const char *target, size_t len);

/* Starts a request of this version ("HTTP/1.1", "HTTP/1.0"). */
void	 framing_start(struct framing *, const char *version);

/* One header field, name and value as read (the value without the
 * whitespace before it). */
void	 framing_field(struct framing *, const char *name, size_t name_len,
	    const char *value, size_t value_len);

/* The verdict once every field is in: FRAMING_BAD for a malformed field
 * or name, two Content-Lengths (equal or not), a Content-Length with a
 * Transfer-Encoding, a request without Host (HTTP/1.0 too: the SPEC
 * asks it of every request, where RFC 9112 asks it of HTTP/1.1), or two
 * Hosts;
 * FRAMING_NO_LENGTH for a Transfer-Encoding alone (a body we would have
 * to read before knowing its size); FRAMING_TOO_LARGE for a length over
 * body_max; FRAMING_EXPECT for an Expect other than 100-continue. *length
 * (may be NULL) is the declared body length, 0 without one. */
enum framing_status framing_end(const struct framing *, uint64_t body_max,
	    uint64_t *length);

#endif
