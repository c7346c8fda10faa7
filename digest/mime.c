/*
 * mime: RFC 5322 headers, RFC 2047 encoded-words, RFC 2045 quoted-printable
 * and the multipart/alternative message of a digest, plus the decoders the
 * tests and the fuzz target check them with.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/hex.h"
#include "common/validate.h"
#include "digest/mime.h"

#define MIME_LINE	78	/* folding column for headers */
#define MIME_EW_MAX	75	/* longest encoded-word */
#define MIME_EW_OVER	12	/* "=?UTF-8?B?" + "?=" */
#define MIME_QP_LINE	76	/* longest quoted-printable line */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char hex[] = "0123456789ABCDEF";

const char *
mime_strerror(enum mime_status s)
{
	static const char *why[] = {
		[MIME_OK] = "no error",
		[MIME_BAD_CHAR] = ("control character (CR, LF, NUL, ...) in "
		    "a header value"),
		[MIME_BAD_UTF8] = "header value is not UTF-8",
		[MIME_BAD_ADDRESS] = "not a valid email address",
		[MIME_TOO_BIG] = "message too large",
	};

	return (unsigned)s < sizeof(why) / sizeof(why[0]) ? why[s] : "?";
}

/* A header value must be UTF-8 without any control character. */
static enum mime_status
mime_check_value(const char *s)
{
	const char *why;
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return MIME_BAD_CHAR;
	if (validate_utf8(s, strlen(s), &why) == -1)
		return MIME_BAD_UTF8;
	return MIME_OK;
}

/* Length of the UTF-8 sequence that starts with byte c (valid input). */
static size_t
utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	return 2;
}

/* The header being written: its buffer and the current line's length. */
struct fold {
	struct buf	*b;
	size_t		 col;
	int		 failed;
};

static void
fold_add(struct fold *f, const char *s, size_t n)
{
	if (buf_add(f->b, s, n) == -1)
		f->failed = 1;
	f->col += n;
}

/* Writes " token", first folding the line if the token would pass the
 * folding column (unless the line holds nothing but the header name). */
static void
fold_token(struct fold *f, const char *s, size_t n, size_t namelen)
{
	/* Fold after the name only when that makes the line fit. */
	if (f->col + 1 + n > MIME_LINE &&
	    (f->col > namelen || 1 + n <= MIME_LINE)) {
		fold_add(f, "\r\n", 2);
		f->col = 0;
	}
	fold_add(f, " ", 1);
	fold_add(f, s, n);
}

void
mime_base64(const void *data, size_t n, char *out)
{
	const unsigned char *in = data;
	size_t i;
	uint32_t v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];
		*out++ = b64[v >> 18];
		*out++ = b64[(v >> 12) & 63];
		*out++ = b64[(v >> 6) & 63];
		*out++ = b64[v & 63];
	}
	if (i < n) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		*out++ = b64[v >> 18];
		*out++ = b64[(v >> 12) & 63];
		*out++ = (char)(i + 1 < n ? b64[(v >> 6) & 63] : '=');
		*out++ = '=';
	}
	*out = '\0';
}

/*
 * Writes s as a run of encoded-words separated by folding white space
 * (which RFC 2047 readers drop between adjacent encoded-words). Each word
 * is as long as the current line allows, at most 75 characters, and ends
 * on a UTF-8 character boundary.
 */
static void
fold_encoded_words(struct fold *f, const char *s, size_t namelen)
{
	const unsigned char *p = (const unsigned char *)s;
	char word[MIME_EW_MAX + 1], text[MIME_EW_MAX - MIME_EW_OVER + 1];
	size_t room, maxbytes, n, cl;

	while (*p != '\0') {
		/* Room for at least one 4-byte character, or fold. */
		if (f->col + 1 + MIME_EW_OVER + 8 > MIME_LINE &&
		    f->col > namelen) {
			fold_add(f, "\r\n", 2);
			f->col = 0;
		}
		room = f->col + 1 < MIME_LINE ? MIME_LINE - f->col - 1 : 0;
		if (room > MIME_EW_MAX)
			room = MIME_EW_MAX;
		if (room < MIME_EW_OVER + 8)
			room = MIME_EW_OVER + 8;
		maxbytes = (room - MIME_EW_OVER) / 4 * 3;
		n = 0;
		while (p[n] != '\0') {
			cl = utf8_len(p[n]);
			if (n + cl > maxbytes)
				break;
			n += cl;
		}
		mime_base64(p, n, text);
		snprintf(word, sizeof(word), "=?UTF-8?B?%s?=", text);
		fold_token(f, word, strlen(word), namelen);
		p += n;
	}
}

/* True when s can go out as it is in an unstructured header: printable
 * ASCII words separated by single spaces, none looking like an
 * encoded-word, none too long to fold. */
static int
mime_is_plain_text(const char *s)
{
	const char *p;
	size_t word = 0;

	if (*s == ' ' || *s == '\0')
		return *s == '\0';
	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return 0;
		if (*p == ' ') {
			if (p[1] == ' ' || p[1] == '\0')
				return 0;
			word = 0;
			continue;
		}
		if (p[0] == '=' && p[1] == '?')
			return 0;
		/* A word this long could not be folded under 78. */
		if (++word > 60)
			return 0;
	}
	return 1;
}

/* An address Chorus writes in a header: the rule digest.from is checked
 * with too (a dotless domain like "localhost" is allowed). */
static int
mime_addr_ok(const char *a)
{
	const char *why;

	return validate_sender(a, &why) == 0;
}

/* Checks a header name; nothing is written before every check passed. */
static enum mime_status
mime_check_name(const char *name)
{
	const char *p;

	for (p = name; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == ':')
			return MIME_BAD_CHAR;
	return MIME_OK;
}

static void
mime_header_name(struct fold *f, const char *name)
{
	fold_add(f, name, strlen(name));
	fold_add(f, ":", 1);
}

static enum mime_status
fold_end(struct fold *f)
{
	fold_add(f, "\r\n", 2);
	return f->failed ? MIME_TOO_BIG : MIME_OK;
}

enum mime_status
mime_header_text(struct buf *b, const char *name, const char *value)
{
	struct fold f = { b, 0, 0 };
	enum mime_status st;
	const char *p, *sp;
	size_t namelen = strlen(name) + 1;

	if ((st = mime_check_value(value)) != MIME_OK ||
	    (st = mime_check_name(name)) != MIME_OK)
		return st;
	mime_header_name(&f, name);
	if (mime_is_plain_text(value)) {
		for (p = value; *p != '\0'; p = *sp ? sp + 1 : sp) {
			sp = strchr(p, ' ');
			if (sp == NULL)
				sp = p + strlen(p);
			fold_token(&f, p, (size_t)(sp - p), namelen);
		}
	} else
		fold_encoded_words(&f, value, namelen);
	return fold_end(&f);
}

enum mime_status
mime_header_raw(struct buf *b, const char *name, const char *value)
{
	struct fold f = { b, 0, 0 };
	enum mime_status st;
	const char *p;

	if ((st = mime_check_value(value)) != MIME_OK ||
	    (st = mime_check_name(name)) != MIME_OK)
		return st;
	for (p = value; *p != '\0'; p++)
		if ((unsigned char)*p > 0x7e)
			return MIME_BAD_CHAR;
	/* Not foldable: RFC 5322's hard limit is 998 characters a line. */
	if (strlen(name) + 2 + strlen(value) > 998)
		return MIME_TOO_BIG;
	/* On the header's own line, even past 78: some readers keep the
	 * white space of a fold before the value. */
	mime_header_name(&f, name);
	fold_add(&f, " ", 1);
	fold_add(&f, value, strlen(value));
	return fold_end(&f);
}

enum mime_status
mime_header_address(struct buf *b, const char *name, const char *display,
    const char *addr)
{
	struct fold f = { b, 0, 0 };
	enum mime_status st;
	struct buf q;
	const char *p;
	size_t namelen = strlen(name) + 1;
	int ascii = 1;

	if (display != NULL && (st = mime_check_value(display)) != MIME_OK)
		return st;
	if (!mime_addr_ok(addr))
		return MIME_BAD_ADDRESS;
	if ((st = mime_check_name(name)) != MIME_OK)
		return st;
	mime_header_name(&f, name);
	if (display == NULL || *display == '\0') {
		fold_token(&f, addr, strlen(addr), namelen);
		return fold_end(&f);
	}
	/* Readers decode an encoded-word even inside a quoted-string (RFC
	 * 2047 says they must not): a name that looks like one is encoded. */
	for (p = display; *p != '\0'; p++)
		if ((unsigned char)*p > 0x7e || (p[0] == '=' && p[1] == '?'))
			ascii = 0;

	/* Printable ASCII that fits goes as a quoted-string. */
	buf_init(&q, 0);
	if (ascii) {
		buf_addc(&q, '"');
		for (p = display; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_addc(&q, '\\');
			buf_addc(&q, *p);
		}
		buf_addc(&q, '"');
	}
	if (ascii && q.data != NULL && q.len <= MIME_LINE - namelen - 1)
		fold_token(&f, q.data, q.len, namelen);
	else
		fold_encoded_words(&f, display, namelen);
	buf_release(&q);

	buf_reset(&q);
	buf_printf(&q, "<%s>", addr);
	if (q.data == NULL)
		return MIME_TOO_BIG;
	fold_token(&f, q.data, q.len, namelen);
	buf_release(&q);
	return fold_end(&f);
}

/*
 * Quoted-printable. Each input line (LF or CRLF) is encoded on its own;
 * soft breaks keep output lines at 76 characters or fewer. Besides '=' and
 * bytes outside printable ASCII, a space or tab ending a line, a '.' at the
 * start of a line (lone dots end SMTP data on careless relays) and the F of
 * a "From " starting a line (mbox) are encoded too.
 */
/* 1: printable, stays as it is; 2: space or tab, stays unless it ends a
 * line; 0: encoded. */
static const unsigned char qp_class[256] = {
	['\t'] = 2, [' '] = 2,
	['!'] = 1, ['"'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1,
	['\''] = 1, ['('] = 1, [')'] = 1, ['*'] = 1, ['+'] = 1, [','] = 1,
	['-'] = 1, ['.'] = 1, ['/'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1,
	['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
	['9'] = 1, [':'] = 1, [';'] = 1, ['<'] = 1, ['>'] = 1, ['?'] = 1,
	['@'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1,
	['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1,
	['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1,
	['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1,
	['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['['] = 1, ['\\'] = 1, [']'] = 1,
	['^'] = 1, ['_'] = 1, ['`'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1,
	['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
	['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1,
	['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
	['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['{'] = 1,
	['|'] = 1, ['}'] = 1, ['~'] = 1,
};

/* True when the 8 bytes at p are all printable ASCII or space, none '='
 * (bit tricks: a byte's high bit flags it; false alarms only mean the
 * byte-by-byte path decides). */
static inline int
qp_word_plain(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t highs = 0x8080808080808080ULL;
	uint64_t v, lt, eq, del;

	memcpy(&v, p, 8);
	lt = (v - ones * 0x20) & ~v;		/* < 0x20 */
	eq = v ^ (ones * '=');
	eq = (eq - ones) & ~eq;			/* == '=' */
	del = v ^ (ones * 0x7f);
	del = (del - ones) & ~del;		/* == DEL */
	return ((v | lt | eq | del) & highs) == 0;
}

/* The most one input line of n bytes becomes: 3 bytes each, a soft break
 * ("=\r\n") per 73 or more of those, and the line end. */
static size_t
qp_line_max(size_t n)
{
	return 3 * n + 3 * (3 * n / (MIME_QP_LINE - 3) + 1) + 2;
}

enum mime_status
mime_qp_encode(struct buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len, *eol, *q;
	char *o;
	size_t col, tl, limit, room;
	int enc;

	/* Written straight into the buffer, after room for the worst case
	 * of each input line is made. */
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		if (buf_reserve(b, qp_line_max((size_t)(eol - p))) == -1)
			return MIME_TOO_BIG;
		/* CRLF in the input is a line end too. */
		if (eol < end && eol > p && eol[-1] == '\r')
			eol--;
		o = b->data + b->len;
		col = 0;
		while (p < eol) {
			/* Fast path: a run of characters that stay as they
			 * are, up to the room left before a soft break. */
			if (col > 0 && qp_class[*p] != 0) {
				q = p;
				room = MIME_QP_LINE - 1 - col;
				/* Eight at a time, never the line's last. */
				while (q + 8 < eol &&
				    (size_t)(q - p) + 8 <= room &&
				    qp_word_plain(q))
					q += 8;
				while (q < eol && (size_t)(q - p) < room &&
				    (qp_class[*q] == 1 ||
				    (qp_class[*q] == 2 && q + 1 < eol)))
					q++;
				if (q > p) {
					memcpy(o, p, (size_t)(q - p));
					o += q - p;
					col += (size_t)(q - p);
					p = q;
					continue;
				}
			}
			enc = qp_class[*p] == 0 ||
			    (qp_class[*p] == 2 && p + 1 == eol);
			tl = enc ? 3 : 1;
			/* The last token may use the column the soft
			 * break's '=' would need. */
			limit = p + 1 == eol ? MIME_QP_LINE : MIME_QP_LINE - 1;
			if (col + tl > limit) {
				memcpy(o, "=\r\n", 3);
				o += 3;
				col = 0;
			}
			/* A line starting with '.' or "From " (after a hard
			 * or a soft break) gets its first character encoded. */
			if (col == 0 && !enc && (*p == '.' || (*p == 'F' &&
			    eol - p >= 5 && memcmp(p, "From ", 5) == 0)))
				enc = 1;
			if (enc) {
				o[0] = '=';
				o[1] = hex[*p >> 4];
				o[2] = hex[*p & 15];
				o += 3;
				col += 3;
			} else {
				*o++ = (char)*p;
				col++;
			}
			p++;
		}
		if (p < end) {
			/* Skip the CR (if any) and the LF. */
			p += *p == '\r' ? 2 : 1;
			*o++ = '\r';
			*o++ = '\n';
		}
		b->len = (size_t)(o - b->data);
		b->data[b->len] = '\0';
	}
	return MIME_OK;
}

enum mime_status
mime_parse_mailbox(const char *s, char *display, size_t displaylen,
    char *addr, size_t addrlen)
{
	const char *lt, *gt, *p, *e;
	size_t n, i = 0;

	if (mime_check_value(s) != MIME_OK)
		return MIME_BAD_CHAR;
	while (*s == ' ')
		s++;
	lt = strrchr(s, '<');
	if (lt == NULL) {
		/* A bare address. */
		n = strlen(s);
		while (n > 0 && s[n - 1] == ' ')
			n--;
		if (n >= addrlen || displaylen == 0)
			return MIME_BAD_ADDRESS;
		memcpy(addr, s, n);
		addr[n] = '\0';
		display[0] = '\0';
		return mime_addr_ok(addr) ? MIME_OK : MIME_BAD_ADDRESS;
	}
	gt = strchr(lt, '>');
	if (gt == NULL || gt[1 + strspn(gt + 1, " ")] != '\0')
		return MIME_BAD_ADDRESS;
	n = (size_t)(gt - lt - 1);
	if (n >= addrlen)
		return MIME_BAD_ADDRESS;
	memcpy(addr, lt + 1, n);
	addr[n] = '\0';
	if (!mime_addr_ok(addr))
		return MIME_BAD_ADDRESS;

	/* The display name: quoted (unescape it) or a plain phrase. */
	e = lt;
	while (e > s && e[-1] == ' ')
		e--;
	p = s;
	if (p < e && *p == '"') {
		if (e - p < 2 || e[-1] != '"')
			return MIME_BAD_ADDRESS;
		p++;
		e--;
	}
	for (; p < e; p++) {
		if (*p == '\\' && p + 1 < e)
			p++;
		if (i + 1 >= displaylen)
			return MIME_BAD_ADDRESS;
		display[i++] = *p;
	}
	display[i] = '\0';
	return MIME_OK;
}

int
mime_date(time_t t, char *out, size_t len)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	int n;

	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	n = snprintf(out, len, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
mime_message_id(const char *unique, const char *from_addr, char *out,
    size_t len)
{
	const char *at = strrchr(from_addr, '@');
	int n;

	if (at == NULL || at[1] == '\0')
		return -1;
	n = snprintf(out, len, "<%s@%s>", unique, at + 1);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static enum mime_status
mime_part(struct buf *b, const char *boundary, const char *type,
    const char *body, size_t len)
{
	enum mime_status st;

	if (buf_printf(b, "--=_%s\r\n"
	    "Content-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "\r\n", boundary, type) == -1)
		return MIME_TOO_BIG;
	if ((st = mime_qp_encode(b, body, len)) != MIME_OK)
		return st;
	/* The CRLF before the next boundary belongs to the boundary. */
	return buf_add(b, "\r\n", 2) == -1 ? MIME_TOO_BIG : MIME_OK;
}

enum mime_status
mime_build(struct buf *b, const struct mime_message *m)
{
	enum mime_status st;
	char date[64], unsub[2048];
	const char *p;

	for (p = m->boundary; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z')))
			return MIME_BAD_CHAR;
	if (mime_date(m->date, date, sizeof(date)) == -1)
		return MIME_BAD_CHAR;
	/* Room for the usual message at once rather than a buffer doubled
	 * a dozen times: the headers, and both parts with an eighth more for
	 * the encoding. Only a guess: past it the buffer grows as usual. */
	(void)buf_reserve(b, 4096 + (m->textlen + m->htmllen) / 8 * 9);
	if ((st = mime_header_raw(b, "Date", date)) != MIME_OK ||
	    (st = mime_header_address(b, "From", m->from_name,
	    m->from_addr)) != MIME_OK ||
	    (st = mime_header_address(b, "To", m->to_name,
	    m->to_addr)) != MIME_OK ||
	    (st = mime_header_text(b, "Subject", m->subject)) != MIME_OK ||
	    (st = mime_header_raw(b, "Message-ID", m->message_id)) != MIME_OK)
		return st;
	if (m->list_unsubscribe != NULL) {
		if ((size_t)snprintf(unsub, sizeof(unsub), "<%s>",
		    m->list_unsubscribe) >= sizeof(unsub))
			return MIME_TOO_BIG;
		if ((st = mime_header_raw(b, "List-Unsubscribe", unsub)) !=
		    MIME_OK ||
		    (st = mime_header_raw(b, "List-Unsubscribe-Post",
		    "List-Unsubscribe=One-Click")) != MIME_OK)
			return st;
	}
	/* Not a message to answer (RFC 3834), nor, for Exchange, one to
	 * send out-of-office replies to. */
	if ((st = mime_header_raw(b, "Auto-Submitted", "auto-generated")) !=
	    MIME_OK ||
	    (st = mime_header_raw(b, "X-Auto-Response-Suppress", "All")) !=
	    MIME_OK)
		return st;
	/* "=_" cannot occur in quoted-printable text, so the boundary
	 * cannot either. */
	if (buf_printf(b, "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"=_%s\"\r\n"
	    "\r\n"
	    "This is a multi-part message in MIME format.\r\n"
	    "\r\n", m->boundary) == -1)
		return MIME_TOO_BIG;
	if ((st = mime_part(b, m->boundary, "text/plain", m->text,
	    m->textlen)) != MIME_OK ||
	    (st = mime_part(b, m->boundary, "text/html", m->html,
	    m->htmllen)) != MIME_OK)
		return st;
	if (buf_printf(b, "--=_%s--\r\n", m->boundary) == -1)
		return MIME_TOO_BIG;
	return MIME_OK;
}

int
mime_qp_decode(struct buf *b, const char *s, size_t len)
{
	size_t i = 0;
	int hi, lo;

	while (i < len) {
		char c = s[i];

		if (c == '=') {
			if (i + 1 < len && s[i + 1] == '\n') {
				i += 2;
				continue;
			}
			if (i + 2 < len && s[i + 1] == '\r' &&
			    s[i + 2] == '\n') {
				i += 3;
				continue;
			}
			if (i + 2 >= len || (hi = hex_value(s[i + 1])) < 0 ||
			    (lo = hex_value(s[i + 2])) < 0)
				return -1;
			if (buf_addc(b, (char)(hi << 4 | lo)) == -1)
				return -1;
			i += 3;
			continue;
		}
		if (c == '\r' && i + 1 < len && s[i + 1] == '\n') {
			i++;
			continue;
		}
		if (buf_addc(b, c) == -1)
			return -1;
		i++;
	}
	return 0;
}

static int
b64_value(int c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b64, c)) == NULL)
		return -1;
	return (int)(p - b64);
}

/* Decodes one "=?charset?B|Q?text?=" at s (n bytes). Returns 0 or -1. */
static int
mime_ew_decode(struct buf *b, const char *s, size_t n)
{
	const char *q1, *text, *end = s + n - 2;
	uint32_t acc = 0;
	int bits = 0, v, hi, lo;
	char enc;

	if (n < 8 || memcmp(s, "=?", 2) != 0 || memcmp(end, "?=", 2) != 0)
		return -1;
	if ((q1 = memchr(s + 2, '?', (size_t)(end - s - 2))) == NULL ||
	    q1 + 3 > end || q1[2] != '?')
		return -1;
	enc = q1[1];
	text = q1 + 3;
	if (enc == 'B' || enc == 'b') {
		for (; text < end; text++) {
			if (*text == '=')
				break;
			if ((v = b64_value(*text)) < 0)
				return -1;
			acc = acc << 6 | (uint32_t)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				if (buf_addc(b, (char)(acc >> bits & 0xff)) ==
				    -1)
					return -1;
			}
		}
		return 0;
	}
	if (enc == 'Q' || enc == 'q') {
		for (; text < end; text++) {
			char c = *text;

			if (c == '_')
				c = ' ';
			else if (c == '=') {
				if (text + 2 >= end + 1 ||
				    (hi = hex_value(text[1])) < 0 ||
				    (lo = hex_value(text[2])) < 0)
					return -1;
				c = (char)(hi << 4 | lo);
				text += 2;
			}
			if (buf_addc(b, c) == -1)
				return -1;
		}
		return 0;
	}
	return -1;
}

int
mime_header_decode(struct buf *b, const char *v, size_t len, int phrase)
{
	const char *p = v, *end = v + len, *ws = NULL, *q;
	int last_ew = 0, any = 0;

	while (p < end) {
		if (*p == '\r' || *p == '\n') {
			/* Unfold: CRLF must be followed by white space. */
			p += (*p == '\r' && p + 1 < end && p[1] == '\n') ?
			    2 : 1;
			if (p >= end || (*p != ' ' && *p != '\t'))
				return -1;
			if (ws == NULL)
				ws = p;
			continue;
		}
		if (*p == ' ' || *p == '\t') {
			if (ws == NULL)
				ws = p;
			p++;
			continue;
		}
		if (p + 1 < end && p[0] == '=' && p[1] == '?') {
			/* An encoded-word "=?cs?e?text?=", up to a space. */
			for (q = p + 2; q + 1 < end && !(q[0] == '?' &&
			    q[1] == '=' && q > p + 4 && (q + 2 == end ||
			    q[2] == ' ' || q[2] == '\t' || q[2] == '\r')); q++)
				;
			if (q + 1 < end) {
				if (ws != NULL && !last_ew && any)
					buf_addc(b, ' ');
				ws = NULL;
				if (mime_ew_decode(b, p, (size_t)(q + 2 - p)) ==
				    -1)
					return -1;
				p = q + 2;
				last_ew = any = 1;
				continue;
			}
		}
		if (ws != NULL && any)
			buf_addc(b, ' ');
		ws = NULL;
		last_ew = 0;
		any = 1;
		if (phrase && *p == '"') {
			/* A quoted-string: keep its spaces, unescape. */
			for (p++; p < end && *p != '"'; p++) {
				if (*p == '\\' && p + 1 < end)
					p++;
				if (buf_addc(b, *p) == -1)
					return -1;
			}
			if (p >= end)
				return -1;
			p++;
			continue;
		}
		if (buf_addc(b, *p) == -1)
			return -1;
		p++;
	}
	return 0;
}
