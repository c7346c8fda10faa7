/*
 * validate: checks for every value that comes from outside (CSV imports,
 * settings). Each returns 0, or -1 with *why pointed at a static, lower-case
 * reason fit for "FILE:LINE: column: reason". None allocates.
 */
#ifndef CHORUS_VALIDATE_H
#define CHORUS_VALIDATE_H

#include <stddef.h>

/* Well-formed UTF-8 with no overlong forms or surrogates. */
int	 validate_utf8(const char *s, size_t len, const char **why);
/* Makes s[0..len) well-formed UTF-8 in place: each byte that starts no
 * well-formed sequence (a Latin-1 letter, a character cut short) becomes
 * '?'. Returns how many did. For text from outside that is kept, not
 * refused (a server's reply). */
size_t	 validate_utf8_fix(char *s, size_t len);
/* Fit for an email header: UTF-8, no CR, LF, NUL or other control byte. */
int	 validate_header_safe(const char *s, const char **why);
/* Like validate_header_safe but allows line breaks and tabs (body text). */
int	 validate_text(const char *s, const char **why);
/* addr-spec with a dot-atom local part and a domain of LDH labels. */
int	 validate_email(const char *s, const char **why);
/* A sender's address: validate_email, but a domain without a dot (such as
 * "localhost") is allowed too, since operators use such senders. */
int	 validate_sender(const char *s, const char **why);
/* An RFC 5322 mailbox: "addr@domain" or "Name <addr@domain>" (the name may
 * be quoted), the address checked by validate_sender(). */
int	 validate_mailbox(const char *s, const char **why);
/* Where mail goes: "file:DIR", or an SMTP URL as validate_smtp_url()
 * takes it. */
int	 validate_mail_url(const char *s, const char **why);
/* The parts of an SMTP URL: "smtp://HOST" (STARTTLS, port 25 if left out)
 * or "smtps://HOST" (TLS from the first byte, RFC 8314: port 465 if left
 * out), with an optional ":PORT" (1..65535) and nothing else; HOST is a
 * name, an IPv4 address or an [IPv6] address. */
struct smtp_url {
	int		 tls;		/* smtps:// */
	char		 host[256];	/* an IPv6 address without brackets */
	char		 port[8];	/* decimal */
};
int	 validate_smtp_url(const char *s, struct smtp_url *, const char **why);
/* An IANA zone that exists under the system's zoneinfo ($TZDIR). */
int	 validate_tz(const char *s, const char **why);
/* H:MM or HH:MM, 00:00..23:59; *minutes gets minutes after midnight. */
int	 validate_hhmm(const char *s, int *minutes, const char **why);
/* YYYY-MM-DD, a real calendar date (1970..9999). */
int	 validate_date(const char *s, int *y, int *m, int *d, const char **why);
/* Absolute http or https URL with a host, printable ASCII only, no space,
 * quote, angle bracket, backslash or control character. */
int	 validate_url(const char *s, const char **why);
/* Decimal integer in [min, max]. */
int	 validate_int(const char *s, long min, long max, long *out,
	    const char **why);
/* The audience of a post: a count of employees, 1..VALIDATE_AUDIENCE_MAX
 * ("25"), or a percent of the post's eligible audience, 0.01 to 100 with at
 * most two decimals ("40%", "12.5%"). Sets *count (a count) or *hundredths
 * (the percent times 100), the other to 0; "100%" sets both to 0: everyone,
 * as an empty value. Digits only: no sign, space or exponent. */
#define VALIDATE_AUDIENCE_MAX	10000000L
int	 validate_audience(const char *s, long *count, long *hundredths,
	    const char **why);
/* ADDR:PORT with an IPv4 address, [IPv6] or a host name, port 1..65535. */
int	 validate_listen(const char *s, const char **why);
/* One CIDR block in s (len bytes, not NUL-terminated): an IPv4 or IPv6
 * address with an optional /prefix; without one it is the single address.
 * *family gets AF_INET or AF_INET6, addr its 4 or 16 bytes (the rest
 * zero), *bits the prefix length. Bits past the prefix are allowed. */
int	 validate_cidr(const char *s, size_t len, int *family,
	    unsigned char addr[16], int *bits, const char **why);
/* CIDR blocks separated by commas and/or blanks; empty is an empty list. */
int	 validate_cidr_list(const char *s, const char **why);

#endif
