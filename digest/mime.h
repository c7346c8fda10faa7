/*
 * mime: the encoders that make a digest a valid RFC 5322 / 2045 / 2047
 * message: quoted-printable bodies, encoded-words in headers, folding,
 * quoted display names, Date and Message-ID, and the whole
 * multipart/alternative message. libESMTP sends header values verbatim, so
 * everything a header holds is finished here. Pure: the random parts
 * (Message-ID, boundary) and the time are parameters. The decoders exist
 * for tests and the fuzz target.
 */
#ifndef CHORUS_MIME_H
#define CHORUS_MIME_H

#include <stddef.h>
#include <time.h>

struct buf;

enum mime_status {
	MIME_OK = 0,
	MIME_BAD_CHAR,		/* CR, LF or NUL (or another control
				   character) in a header value */
	MIME_BAD_UTF8,		/* a header value is not UTF-8 */
	MIME_BAD_ADDRESS,	/* not an address Chorus can put in a header */
	MIME_TOO_BIG,		/* the output buffer's cap was hit */
};

/* A one-line English reason for a status. */
const char *mime_strerror(enum mime_status);

/* Appends "Name: value\r\n" for an unstructured header (Subject), folded at
 * 78 columns; a value that is not plain printable ASCII words is written as
 * RFC 2047 encoded-words (UTF-8, base64, at most 75 characters each, split
 * only between UTF-8 characters). */
enum mime_status mime_header_text(struct buf *, const char *name,
	    const char *value);

/* Appends "Name: display <addr>\r\n" (From, To), with the display name as a
 * quoted-string (quotes and backslashes escaped) or encoded-words, folded
 * at 78. An empty or NULL display gives "Name: addr". */
enum mime_status mime_header_address(struct buf *, const char *name,
	    const char *display, const char *addr);

/* Appends "Name: value\r\n" for a value that must stay as it is
 * (Message-ID, List-Unsubscribe, ...): printable ASCII only, on one line
 * (which may pass 78 characters, never 998). */
enum mime_status mime_header_raw(struct buf *, const char *name,
	    const char *value);

/* Appends len bytes of text as quoted-printable: CRLF line ends (LF or CRLF
 * in the input become hard line breaks), lines of at most 76 characters. */
enum mime_status mime_qp_encode(struct buf *, const char *s, size_t len);

/* Splits "Display <addr>", "\"Quoted\" <addr>" or a bare "addr" into its
 * two parts (copied into display and addr, NUL-terminated). The address
 * must pass validate_email(). */
enum mime_status mime_parse_mailbox(const char *s, char *display,
	    size_t displaylen, char *addr, size_t addrlen);

/* Writes in[0..n) as base64 (RFC 2045, on one line, padded with '=') into
 * out, which holds MIME_BASE64_LEN(n) bytes, NUL included. */
#define MIME_BASE64_LEN(n)	(((n) + 2) / 3 * 4 + 1)
void	 mime_base64(const void *in, size_t n, char *out);

/* Writes the RFC 5322 date of t in UTC ("Mon, 23 Nov 2026 08:00:00 +0000").
 * Returns 0, or -1 when it does not fit. */
int	 mime_date(time_t t, char *out, size_t len);

/* Writes "<unique@domain>" where domain is the part of from_addr after
 * '@'. unique is the caller's random text (base62). Returns 0, or -1 when
 * from_addr has no domain or out is too short. */
int	 mime_message_id(const char *unique, const char *from_addr,
	    char *out, size_t len);

/* The whole message. Every string is borrowed; text and html are UTF-8
 * bodies with LF or CRLF line ends. */
struct mime_message {
	const char	*from_name, *from_addr;
	const char	*to_name, *to_addr;
	const char	*subject;
	const char	*message_id;	/* from mime_message_id() */
	time_t		 date;
	const char	*list_unsubscribe;	/* an URL, or NULL */
	const char	*boundary;	/* base62; "=_" is prepended */
	const char	*text;
	size_t		 textlen;
	const char	*html;
	size_t		 htmllen;
};

/* Appends the complete message (headers, blank line, body) to out. Every
 * message carries "Auto-Submitted: auto-generated" (RFC 3834) and
 * "X-Auto-Response-Suppress: All", so it invites no automatic reply. On
 * failure out may hold part of it; the caller resets it. */
enum mime_status mime_build(struct buf *out, const struct mime_message *);

/* Decoders, for tests and fuzzing. mime_qp_decode appends the decoded bytes
 * (CRLF hard breaks become LF). mime_header_decode takes a header value
 * (after "Name:"), unfolds it, decodes encoded-words (dropping the white
 * space between adjacent ones) and, when phrase is set (address headers),
 * unquotes quoted-strings. Each returns 0, or -1 on input it would not
 * have produced. */
int	 mime_qp_decode(struct buf *, const char *s, size_t len);
int	 mime_header_decode(struct buf *, const char *value, size_t len,
	    int phrase);

#endif
