/*
 * fuzz_validate: every validator and the network list parser on arbitrary
 * NUL-terminated input. None may crash, and what passes must have the
 * properties the callers rely on: nothing that can break a header, a URL
 * that is http(s) and printable, an SMTP URL's host and port fit for
 * getaddrinfo() and TLS, times and dates in range.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/network.h"
#include "common/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
			    __FILE__, __LINE__, #c); abort(); } } while (0)

/* No byte below 0x20 (tabs and breaks included) and no DEL. */
static int
no_controls(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why, *p;
	struct smtp_url su;
	char *s;
	long l, l2;
	unsigned mask;
	int m, y, mo, d;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	why = NULL;
	if (validate_utf8((const char *)data, size, &why) == -1)
		CHECK(why != NULL);

	if (validate_header_safe(s, &why) == 0) {
		CHECK(no_controls(s));
		CHECK(validate_utf8(s, strlen(s), &why) == 0);
		CHECK(validate_text(s, &why) == 0);
	}
	if (validate_text(s, &why) == 0)
		CHECK(validate_utf8(s, strlen(s), &why) == 0);

	if (validate_email(s, &why) == 0) {
		CHECK(no_controls(s));
		CHECK(strlen(s) <= 254);
		CHECK((p = strchr(s, '@')) != NULL && strchr(p + 1, '@') ==
		    NULL);
		CHECK(strpbrk(s, " ,;:<>\"\\()[]") == NULL);
		CHECK(validate_header_safe(s, &why) == 0);
	}

	if (validate_url(s, &why) == 0) {
		CHECK(strncasecmp(s, "http://", 7) == 0 ||
		    strncasecmp(s, "https://", 8) == 0);
		for (p = s; *p != '\0'; p++)
			CHECK((unsigned char)*p > 0x20 &&
			    (unsigned char)*p < 0x7f);
		CHECK(strpbrk(s, "\"<>\\") == NULL);
	}

	if (validate_tz(s, &why) == 0) {
		CHECK(s[0] != '/' && strstr(s, "..") == NULL);
		CHECK(no_controls(s));
	}

	m = -1;
	if (validate_hhmm(s, &m, &why) == 0)
		CHECK(m >= 0 && m < 24 * 60);

	if (validate_date(s, &y, &mo, &d, &why) == 0)
		CHECK(y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 &&
		    d >= 1 && d <= 31);

	if (validate_int(s, -1000, 1000, &l, &why) == 0)
		CHECK(l >= -1000 && l <= 1000);
	(void)validate_int(s, 0, 65535, &l, &why);
	(void)validate_int(s, -2147483647L - 1, 2147483647L, &l, &why);

	if (validate_audience(s, &l, &l2, &why) == 0) {
		CHECK(l >= 0 && l <= VALIDATE_AUDIENCE_MAX);
		CHECK(l2 >= 0 && l2 < 10000);
		CHECK(l == 0 || l2 == 0);
		/* Only "100%" (any zeros) means everyone. */
		CHECK(l > 0 || l2 > 0 || strchr(s, '%') != NULL);
		CHECK(strspn(s, "0123456789.%") == strlen(s));
	}

	memset(&su, 0, sizeof(su));
	if (validate_smtp_url(s, &su, &why) == 0) {
		/* What digest/smtp.c hands to getaddrinfo() and TLS. */
		CHECK(validate_mail_url(s, &why) == 0);
		CHECK(su.tls == (strncmp(s, "smtps://", 8) == 0));
		CHECK(su.host[0] != '\0' && no_controls(su.host));
		CHECK(strpbrk(su.host, "/@ []") == NULL);
		CHECK(validate_int(su.port, 1, 65535, &l, &why) == 0);
	} else
		CHECK(su.host[0] == '\0' && su.port[0] == '\0');

	if (validate_listen(s, &why) == 0)
		CHECK(no_controls(s) && strchr(s, ' ') == NULL);

	mask = 0;
	if (network_parse_list(s, &mask, &why) == 0)
		CHECK(mask != 0 && (mask & ~NET_ALL) == 0);
	(void)network_from_name(s);

	free(s);
	return 0;
}
