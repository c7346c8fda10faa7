/*
 * framing: RFC 9112's framing rules as a server must apply them, on the
 * fields the HTTP server parsed; see framing.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "redirector/framing.h"

#define DIGITS_MAX	19	/* every 19-digit number fits in 64 bits */

static int
is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

/* RFC 9110 5.6.2 tchar. */
static int
is_tchar(unsigned char c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

/* What a Host value may hold: RFC 3986 reg-name, IP-literal and port. */
static int
is_host_char(unsigned char c)
{
	return is_alnum(c) || (c != '\0' && strchr("-._~%!$&'()*+,;=:[]", c));
}

static int
is_token(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!is_tchar((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Drops the optional whitespace around a field value. */
static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

static int
name_is(const char *name, size_t len, const char *want)
{
	return len == strlen(want) && strncasecmp(name, want, len) == 0;
}

int
framing_method(const char *method, size_t len)
{
	return is_token(method, len) ? 0 : -1;
}

int
framing_target(const char *target, size_t len)
{
	size_t i;
	unsigned char c;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		c = (unsigned char)target[i];
		if (c <= ' ' || c == 0x7f)
			return -1;
	}
	return 0;
}

void
framing_start(struct framing *f, const char *version)
{
	(void)version;
	memset(f, 0, sizeof(*f));
}

/* Content-Length is 1*DIGIT, nothing else: no sign, no "0x", no list of
 * equal values (which RFC 9110 lets a recipient accept; we do not). */
static void
field_length(struct framing *f, const char *v, size_t len)
{
	uint64_t n = 0;
	size_t i;

	f->lengths++;
	if (len == 0) {
		f->bad = 1;
		return;
	}
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9') {
			f->bad = 1;
			return;
		}
		if (f->too_large)
			continue;
		if (i >= DIGITS_MAX &&
		    n > (UINT64_MAX - (uint64_t)(v[i] - '0')) / 10)
			f->too_large = 1;
		else
			n = n * 10 + (uint64_t)(v[i] - '0');
	}
	f->length = n;
}

static void
field_host(struct framing *f, const char *v, size_t len)
{
	size_t i;

	f->hosts++;
	for (i = 0; i < len; i++)
		if (!is_host_char((unsigned char)v[i]))
			f->bad = 1;
}

void
framing_field(struct framing *f, const char *name, size_t name_len,
    const char *value, size_t value_len)
{
	size_t i;
	unsigned char c;

	/* A space before the colon ("Content-Length :") leaves it in the
	 * name: a proxy may have read the field one way, we another. */
	if (!is_token(name, name_len)) {
		f->bad = 1;
		return;
	}
	/* A bare CR, or any other control but HTAB, in a value. */
	for (i = 0; i < value_len; i++) {
		c = (unsigned char)value[i];
		if ((c < ' ' && c != '\t') || c == 0x7f) {
			f->bad = 1;
			return;
		}
	}
	trim(&value, &value_len);
	if (name_is(name, name_len, "Content-Length"))
		field_length(f, value, value_len);
	else if (name_is(name, name_len, "Host"))
		field_host(f, value, value_len);
	else if (name_is(name, name_len, "Transfer-Encoding"))
		f->codings++;
	else if (name_is(name, name_len, "Expect") &&
	    !name_is(value, value_len, "100-continue"))
		f->expect = 1;
}

enum framing_status
framing_end(const struct framing *f, uint64_t body_max, uint64_t *length)
{
	enum framing_status st = FRAMING_OK;

	if (f->bad || f->lengths > 1 || f->hosts > 1 ||
	    f->hosts == 0 ||
	    (f->codings > 0 && f->lengths > 0))
		st = FRAMING_BAD;
	else if (f->codings > 0)
		st = FRAMING_NO_LENGTH;
	else if (f->too_large || f->length > body_max)
		st = FRAMING_TOO_LARGE;
	else if (f->expect)
		st = FRAMING_EXPECT;
	if (length != NULL)
		*length = st == FRAMING_OK ? f->length : 0;
	return st;
}
