/*
 * validate: the checks behind every imported value and setting. They are
 * strict on purpose: a value that passes here may end up in an email header,
 * a Location header or a URL, and must be safe there.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/validate.h"

/* The length of the well-formed UTF-8 sequence at s[0..len), 0 if none
 * starts there (a stray continuation byte, an overlong form, a
 * surrogate, a sequence cut short). */
static size_t
utf8_seq(const unsigned char *s, size_t len)
{
	uint32_t cp;
	size_t n, k;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 1;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 2;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 3;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len <= n)
		return 0;
	for (k = 1; k <= n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n + 1;
}

int
validate_utf8(const char *str, size_t len, const char **why)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;

	while (i < len) {
		if ((n = utf8_seq(s + i, len - i)) == 0) {
			*why = "not valid UTF-8";
			return -1;
		}
		i += n;
	}
	return 0;
}

size_t
validate_utf8_fix(char *str, size_t len)
{
	unsigned char *s = (unsigned char *)str;
	size_t i = 0, n, bad = 0;

	while (i < len) {
		if ((n = utf8_seq(s + i, len - i)) == 0) {
			s[i] = '?';
			bad++;
			n = 1;
		}
		i += n;
	}
	return bad;
}

static int
validate_controls(const char *s, int allow_breaks, const char **why)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n') {
			if (allow_breaks)
				continue;
			*why = "line breaks are not allowed here";
			return -1;
		}
		if (*p == '\t' && allow_breaks)
			continue;
		if (*p < 0x20 || *p == 0x7f) {
			*why = "control characters are not allowed";
			return -1;
		}
	}
	return validate_utf8(s, (size_t)(p - (const unsigned char *)s), why);
}

int
validate_header_safe(const char *s, const char **why)
{
	return validate_controls(s, 0, why);
}

int
validate_text(const char *s, const char **why)
{
	return validate_controls(s, 1, why);
}

/* RFC 5322 atext. */
static int
is_atext(unsigned char c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

int
validate_email(const char *s, const char **why)
{
	const char *at, *p, *label;
	size_t len = strlen(s);

	if (len == 0) {
		*why = "empty address";
		return -1;
	}
	if (len > 254) {
		*why = "address longer than 254 characters";
		return -1;
	}
	/* Lenient mail readers decode "=?...?=" even in an address (RFC 2047
	 * forbids it) and would show another address than the one we send to. */
	if ((p = strstr(s, "=?")) != NULL && strstr(p + 2, "?=") != NULL) {
		*why = "an encoded-word ('=?...?=') is not allowed in an address";
		return -1;
	}
	if ((at = strrchr(s, '@')) == NULL || strchr(s, '@') != at) {
		*why = "not an address (one @ expected)";
		return -1;
	}
	if (at == s || at - s > 64) {
		*why = "bad local part before @";
		return -1;
	}
	/* dot-atom: atext runs separated by single dots. */
	for (p = s; p < at; p++) {
		if (*p == '.') {
			if (p == s || p + 1 == at || p[1] == '.') {
				*why = "bad dots in the local part";
				return -1;
			}
		} else if (!is_atext((unsigned char)*p)) {
			*why = "character not allowed in an address";
			return -1;
		}
	}
	/* Domain: LDH labels of 1..63, separated by dots, at least two. */
	label = at + 1;
	if (*label == '\0' || strchr(label, '.') == NULL) {
		*why = "domain must have a dot, e.g. example.com";
		return -1;
	}
	for (p = label;; p++) {
		if (*p == '.' || *p == '\0') {
			size_t l = (size_t)(p - label);

			if (l == 0 || l > 63 || label[0] == '-' ||
			    p[-1] == '-') {
				*why = "bad domain label";
				return -1;
			}
			if (*p == '\0')
				break;
			label = p + 1;
		} else if (!isalnum((unsigned char)*p) && *p != '-') {
			*why = "character not allowed in the domain";
			return -1;
		}
	}
	return 0;
}

int
validate_sender(const char *s, const char **why)
{
	const char *at = strrchr(s, '@');
	char tmp[300];
	size_t n = strlen(s);

	if (validate_email(s, why) == 0)
		return 0;
	if (at == NULL || strchr(at, '.') != NULL || n > 254)
		return -1;
	/* A dotless domain: check it as if it had one more label. */
	memcpy(tmp, s, n);
	memcpy(tmp + n, ".x", 3);
	return validate_email(tmp, why);
}

int
validate_mailbox(const char *s, const char **why)
{
	const char *lt, *gt, *end;
	char addr[300];
	size_t n;

	if (validate_header_safe(s, why) == -1)
		return -1;
	s += strspn(s, " ");
	if ((lt = strrchr(s, '<')) == NULL) {
		/* A bare address, maybe with blanks after it. */
		for (n = strlen(s); n > 0 && s[n - 1] == ' '; n--)
			;
		if (n == 0) {
			*why = "empty address";
			return -1;
		}
		if (n >= sizeof(addr)) {
			*why = "address longer than 254 characters";
			return -1;
		}
		memcpy(addr, s, n);
		addr[n] = '\0';
		return validate_sender(addr, why);
	}
	if ((gt = strchr(lt, '>')) == NULL ||
	    gt[1 + strspn(gt + 1, " ")] != '\0') {
		*why = "not an address or Name <address>";
		return -1;
	}
	n = (size_t)(gt - lt - 1);
	if (n >= sizeof(addr)) {
		*why = "address longer than 254 characters";
		return -1;
	}
	memcpy(addr, lt + 1, n);
	addr[n] = '\0';
	if (validate_sender(addr, why) == -1)
		return -1;
	/* A quoted name must close its quotes. */
	for (end = lt; end > s && end[-1] == ' '; end--)
		;
	if (s < end && *s == '"' && (end - s < 2 || end[-1] != '"')) {
		*why = "the name's quotes are not closed";
		return -1;
	}
	return 0;
}

/* A host name of letters, digits, dots and hyphens, or an IPv4 address. */
static int
valid_host(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 253 || s[0] == '.' || s[0] == '-' ||
	    s[len - 1] == '.' || s[len - 1] == '-')
		return 0;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != '-')
			return 0;
	return 1;
}

int
validate_smtp_url(const char *s, struct smtp_url *u, const char **why)
{
	const char *host, *port;
	unsigned char a6[16];
	long p;
	size_t n;

	memset(u, 0, sizeof(*u));
	if (strncmp(s, "smtps://", 8) == 0) {
		u->tls = 1;
		host = s + 8;
	} else if (strncmp(s, "smtp://", 7) == 0)
		host = s + 7;
	else {
		*why = "not smtp://HOST:PORT or smtps://HOST:PORT";
		return -1;
	}
	if (*host == '[') {
		const char *rb = strchr(host, ']');

		n = rb ? (size_t)(rb - host - 1) : 0;
		if (rb == NULL || n == 0 || n >= INET6_ADDRSTRLEN)
			goto bad;
		memcpy(u->host, host + 1, n);
		u->host[n] = '\0';
		if (inet_pton(AF_INET6, u->host, a6) != 1)
			goto bad;
		port = rb + 1;
	} else {
		n = strcspn(host, ":");
		if (!valid_host(host, n))
			goto bad;
		memcpy(u->host, host, n);
		u->host[n] = '\0';
		port = host + n;
	}
	if (*port == '\0') {
		snprintf(u->port, sizeof(u->port), "%s", u->tls ? "465" : "25");
		return 0;
	}
	if (*port != ':' || port[1] == '\0' ||
	    strspn(port + 1, "0123456789") != strlen(port + 1))
		goto bad;
	if (validate_int(port + 1, 1, 65535, &p, why) == -1) {
		*why = "port is not 1..65535";
		memset(u, 0, sizeof(*u));
		return -1;
	}
	snprintf(u->port, sizeof(u->port), "%ld", p);
	return 0;
bad:
	memset(u, 0, sizeof(*u));
	*why = "not smtp://HOST:PORT or smtps://HOST:PORT (a host name or "
	    "address, an optional port, nothing else)";
	return -1;
}

int
validate_mail_url(const char *s, const char **why)
{
	struct smtp_url u;

	if (strncmp(s, "file:", 5) == 0) {
		if (s[5] != '\0')
			return 0;
		*why = "file: needs a directory (file:DIR)";
		return -1;
	}
	if (strncmp(s, "smtp://", 7) != 0 && strncmp(s, "smtps://", 8) != 0) {
		*why = "not file:DIR, smtp://HOST:PORT or smtps://HOST:PORT";
		return -1;
	}
	return validate_smtp_url(s, &u, why);
}

int
validate_tz(const char *s, const char **why)
{
	const char *dir = getenv("TZDIR");
	char path[PATH_MAX], magic[4];
	const char *p;
	int fd, n;

	if (*s == '\0' || strlen(s) > 64) {
		*why = "not a time zone name";
		return -1;
	}
	/* Names like Europe/Berlin, America/Argentina/Buenos_Aires, Etc/GMT+1. */
	for (p = s; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
			goto bad;
	if (s[0] == '/' || s[0] == '-' || strstr(s, "//") != NULL ||
	    strstr(s, "..") != NULL)
		goto bad;
	if (strcmp(s, "UTC") == 0)
		return 0;
	/* TZif files of the directory that name no zone of the database:
	 * the machine's own zone, the template of POSIX rules, a
	 * placeholder, and the tree again under posix/ and right/ (which
	 * counts leap seconds: 27 s off the civil time). */
	if (strcmp(s, "localtime") == 0 || strcmp(s, "posixrules") == 0 ||
	    strcmp(s, "Factory") == 0 || strncmp(s, "posix/", 6) == 0 ||
	    strncmp(s, "right/", 6) == 0)
		goto unknown;
	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, s) >=
	    sizeof(path))
		goto bad;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		goto unknown;
	n = (int)read(fd, magic, sizeof(magic));
	close(fd);
	if (n != 4 || memcmp(magic, "TZif", 4) != 0)
		goto unknown;
	return 0;
unknown:
	*why = "unknown time zone (an IANA name such as Europe/Berlin)";
	return -1;
bad:
	*why = "not a time zone name";
	return -1;
}

static int
digits(const char *s, size_t n, int *out)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
validate_hhmm(const char *s, int *minutes, const char **why)
{
	const char *colon = strchr(s, ':');
	int h, m;
	size_t hl;

	if (colon == NULL || (hl = (size_t)(colon - s)) < 1 || hl > 2 ||
	    strlen(colon + 1) != 2 || digits(s, hl, &h) == -1 ||
	    digits(colon + 1, 2, &m) == -1) {
		*why = "not a time of day HH:MM";
		return -1;
	}
	if (h > 23 || m > 59) {
		*why = "not a time of day (00:00 to 23:59)";
		return -1;
	}
	*minutes = h * 60 + m;
	return 0;
}

int
validate_date(const char *s, int *y, int *m, int *d, const char **why)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap, max;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    digits(s, 4, y) == -1 || digits(s + 5, 2, m) == -1 ||
	    digits(s + 8, 2, d) == -1) {
		*why = "not a date YYYY-MM-DD";
		return -1;
	}
	if (*y < 1970) {
		*why = "before 1970-01-01";
		return -1;
	}
	if (*m < 1 || *m > 12 || *d < 1) {
		*why = "no such date";
		return -1;
	}
	leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	max = mdays[*m - 1] + (*m == 2 && leap);
	if (*d > max) {
		*why = "no such date";
		return -1;
	}
	return 0;
}

int
validate_url(const char *s, const char **why)
{
	const char *p, *host, *hend;

	if (strncasecmp(s, "http://", 7) == 0)
		host = s + 7;
	else if (strncasecmp(s, "https://", 8) == 0)
		host = s + 8;
	else {
		*why = "not an absolute http or https URL";
		return -1;
	}
	if (strlen(s) > 2048) {
		*why = "URL longer than 2048 characters";
		return -1;
	}
	for (p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c >= 0x7f) {
			*why = c >= 0x80 ? "non-ASCII character in URL "
			    "(percent-encode it)" :
			    "space or control character in URL";
			return -1;
		}
		if (strchr("\"<>\\^`{|}", c) != NULL) {
			*why = "character not allowed in a URL";
			return -1;
		}
	}
	/* Authority: up to the first / ? or #; it must name a host. */
	hend = host + strcspn(host, "/?#");
	p = memchr(host, '@', (size_t)(hend - host));
	if (p != NULL)
		host = p + 1;
	if (host == hend || *host == ':') {
		*why = "URL has no host";
		return -1;
	}
	return 0;
}

int
validate_int(const char *s, long min, long max, long *out, const char **why)
{
	const char *p = s;
	long v = 0;
	int neg = 0;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (*p == '\0') {
		*why = "not an integer";
		return -1;
	}
	for (; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p)) {
			*why = "not an integer";
			return -1;
		}
		if (v > (LONG_MAX - (*p - '0')) / 10) {
			*why = "integer out of range";
			return -1;
		}
		v = v * 10 + (*p - '0');
	}
	if (neg)
		v = -v;
	if (v < min || v > max) {
		*why = "integer out of range";
		return -1;
	}
	*out = v;
	return 0;
}

int
validate_audience(const char *s, long *count, long *hundredths,
    const char **why)
{
	const char *p = s;
	long v = 0, frac = 0;
	int ndig = 0, nfrac = 0;

	*count = *hundredths = 0;
	for (; isdigit((unsigned char)*p); p++, ndig++)
		/* Past the largest count, more digits only make it worse. */
		if (v <= VALIDATE_AUDIENCE_MAX)
			v = v * 10 + (*p - '0');
	if (ndig == 0) {
		*why = "not a count (25) or a percent (40%)";
		return -1;
	}
	if (*p == '\0') {
		if (v == 0) {
			*why = "0 employees: leave it empty for everyone "
			    "eligible, or give at least 1";
			return -1;
		}
		if (v > VALIDATE_AUDIENCE_MAX) {
			*why = "more than 10000000 employees";
			return -1;
		}
		*count = v;
		return 0;
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, nfrac++)
			if (nfrac < 2)
				frac = frac * 10 + (*p - '0');
		if (nfrac == 0 || *p != '%') {
			*why = "not a count (25) or a percent (40%)";
			return -1;
		}
		if (nfrac > 2) {
			*why = "a percent has at most two decimals";
			return -1;
		}
		if (nfrac == 1)
			frac *= 10;
	}
	if (*p != '%' || p[1] != '\0') {
		*why = "not a count (25) or a percent (40%)";
		return -1;
	}
	if (v > 100 || (v == 100 && frac > 0)) {
		*why = "more than 100%";
		return -1;
	}
	if (v == 0 && frac == 0) {
		*why = "0%: leave it empty for everyone eligible, or give "
		    "more than 0%";
		return -1;
	}
	if (v < 100)
		*hundredths = v * 100 + frac;
	return 0;
}

int
validate_listen(const char *s, const char **why)
{
	const char *colon, *p, *host, *hend, *allowed;
	long port;

	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (rb == NULL || rb[1] != ':' || rb == s + 1)
			goto bad;
		host = s + 1;
		hend = rb;
		colon = rb + 1;
		allowed = ":.%";	/* IPv6, IPv4-mapped, zone id */
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL || colon == s || memchr(s, ':',
		    (size_t)(colon - s)) != NULL)
			goto bad;
		host = s;
		hend = colon;
		allowed = ".-";		/* IPv4 or a host name */
	}
	for (p = host; p < hend; p++)
		if (!isalnum((unsigned char)*p) && strchr(allowed, *p) == NULL)
			goto bad;
	if (validate_int(colon + 1, 1, 65535, &port, why) == -1)
		goto bad;
	return 0;
bad:
	*why = "not ADDR:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)";
	return -1;
}

int
validate_cidr(const char *s, size_t len, int *family, unsigned char addr[16],
    int *bits, const char **why)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	const char *slash;
	size_t alen;
	int max, b = -1, i;

	slash = memchr(s, '/', len);
	alen = slash ? (size_t)(slash - s) : len;
	if (alen == 0 || alen >= sizeof(tmp)) {
		*why = "not an IPv4 or IPv6 address";
		return -1;
	}
	memcpy(tmp, s, alen);
	tmp[alen] = '\0';
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, tmp, addr) == 1) {
		*family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, tmp, addr) == 1) {
		*family = AF_INET6;
		max = 128;
	} else {
		*why = "not an IPv4 or IPv6 address";
		return -1;
	}
	if (slash == NULL) {
		*bits = max;
		return 0;
	}
	/* 1 to 3 digits, nothing else: strtol would take "+8" or " 8". */
	for (i = 1; slash + i < s + len; i++) {
		char c = slash[i];

		if (c < '0' || c > '9' || i > 3) {
			b = -1;
			break;
		}
		b = (b < 0 ? 0 : b * 10) + (c - '0');
	}
	if (b < 0 || b > max) {
		*why = max == 32 ? "prefix length is not 0..32" :
		    "prefix length is not 0..128";
		return -1;
	}
	*bits = b;
	return 0;
}

int
validate_cidr_list(const char *s, const char **why)
{
	unsigned char addr[16];
	int family, bits;
	size_t n;

	for (;;) {
		s += strspn(s, ", \t");
		if (*s == '\0')
			return 0;
		n = strcspn(s, ", \t");
		if (validate_cidr(s, n, &family, addr, &bits, why) == -1)
			return -1;
		s += n;
	}
}
