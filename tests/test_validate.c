/*
 * Tests of validate and network: every check with values that must pass and
 * values that must not, hostile ones first (header injection, path
 * traversal, script URLs, malformed UTF-8).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/network.h"
#include "common/validate.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* Runs f on each string and checks the verdict; a rejection must give a
 * reason. */
static void
check_all(int (*f)(const char *, const char **), const char *const *v,
    size_t n, int want)
{
	const char *why;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		why = NULL;
		rc = f(v[i], &why);
		if (rc != want)
			fprintf(stderr, "'%s': got %d, want %d (%s)\n", v[i],
			    rc, want, why ? why : "");
		assert_int_equal(rc, want);
		if (want == -1)
			assert_true(why != NULL && *why != '\0');
	}
}

static void
test_email(void **state)
{
	static const char *const good[] = {
		"ann@example.com",
		"Ann.Lee@Example.COM",
		"a@b.co",
		"first.last+tag@sub.example.co.uk",
		"o'brien@example.ie",
		"x_y-z@ex-ample.com",
		"!#$%&'*+-/=?^_`{|}~@example.com",
		"1@123.example",
		"a@xn--bcher-kva.example",
	};
	static const char *const bad[] = {
		"",
		"plain",
		"@example.com",
		"ann@",
		"ann@localhost",		/* no dot */
		"ann@@example.com",
		"ann@bob@example.com",
		".ann@example.com",
		"ann.@example.com",
		"an..n@example.com",
		"ann@.example.com",
		"ann@example..com",
		"ann@example.com.",
		"ann@-example.com",
		"ann@example-.com",
		"ann@exa_mple.com",
		"ann lee@example.com",
		"\"ann\"@example.com",
		"=?utf-8?b?QmNj?=@example.com",	/* reads as an encoded-word */
		"a=?x?=b@example.com",
		"<ann@example.com>",
		"Ann <ann@example.com>",
		"ann@example.com, bob@example.com",
		"ann@example.com;bob@example.com",
		/* header injection */
		"ann@example.com\r\nBcc: victim@example.org",
		"ann@example.com\nBcc: victim@example.org",
		"ann@example.com\rX: y",
		"ann\r\n@example.com",
		"ann@example.com\t",
		"ann@example.com ",
		" ann@example.com",
		"ann@exa\x01mple.com",
		"ann@ex\x7f" "ample.com",
		/* non-ASCII */
		"jos\xc3\xa9@example.com",
		"ann@b\xc3\xbc" "cher.example",
		"ann@[127.0.0.1]",
	};
	char longlocal[80], longlabel[80], longaddr[300];
	const char *why;

	(void)state;
	check_all(validate_email, good, N(good), 0);
	check_all(validate_email, bad, N(bad), -1);

	/* 64 characters of local part pass, 65 do not. */
	memset(longlocal, 'a', 64);
	strcpy(longlocal + 64, "@example.com");
	assert_int_equal(validate_email(longlocal, &why), 0);
	memset(longlocal, 'a', 65);
	strcpy(longlocal + 65, "@example.com");
	assert_int_equal(validate_email(longlocal, &why), -1);
	/* A domain label of 63 passes, 64 does not. */
	strcpy(longlabel, "a@");
	memset(longlabel + 2, 'b', 63);
	strcpy(longlabel + 65, ".com");
	assert_int_equal(validate_email(longlabel, &why), 0);
	strcpy(longlabel, "a@");
	memset(longlabel + 2, 'b', 64);
	strcpy(longlabel + 66, ".com");
	assert_int_equal(validate_email(longlabel, &why), -1);
	/* 254 characters in all pass, 255 do not. */
	memset(longaddr, 0, sizeof(longaddr));
	strcpy(longaddr, "a@");
	while (strlen(longaddr) < 254 - 4)
		strcat(longaddr, strlen(longaddr) % 50 == 0 ? "." : "b");
	strcat(longaddr, ".com");
	assert_int_equal(strlen(longaddr), 254);
	assert_int_equal(validate_email(longaddr, &why), 0);
	memmove(longaddr + 3, longaddr + 2, strlen(longaddr + 2) + 1);
	longaddr[2] = 'c';
	assert_int_equal(validate_email(longaddr, &why), -1);
}

static void
test_tz(void **state)
{
	static const char *const good[] = {
		"UTC",
		"Europe/Berlin",
		"America/New_York",
		"America/Argentina/Buenos_Aires",
		"Asia/Kolkata",
		"Etc/GMT+1",
		"Etc/GMT-14",
		"Australia/Lord_Howe",
	};
	static const char *const bad[] = {
		"",
		"Europe/Nowhere",
		"Mars/Olympus_Mons",
		"europe/berlin",		/* zone names are case-sensitive */
		"Europe",			/* a directory */
		"Europe/",
		"Europe/Berlin/",
		"Europe//Berlin",
		"/etc/passwd",
		"../etc/passwd",
		"../../../../etc/passwd",
		"Europe/../../../etc/passwd",
		"..",
		".",
		"Europe/./Berlin",
		"-rf",
		"Europe/Berlin\n",
		"Europe/Berlin\r\nX: y",
		"Europe/Berlin ",
		"Europe Berlin",
		"Europe/Berl\xc3\xadn",
		"zone.tab",			/* a file, not a zone */
		"iso3166.tab",
		"leapseconds",			/* text, not TZif */
		"tzdata.zi",
		"localtime",			/* TZif files, no zones */
		"posixrules",
		"Factory",
		"posix/Europe/Berlin",
		"right/UTC",			/* leap seconds: 27 s off */
		"right/Europe/Berlin",
		"CET;rm",
		"$(id)",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};

	(void)state;
	unsetenv("TZDIR");
	check_all(validate_tz, good, N(good), 0);
	check_all(validate_tz, bad, N(bad), -1);
}

static void
test_hhmm(void **state)
{
	static const struct {
		const char	*s;
		int		 minutes;
	} good[] = {
		{ "00:00", 0 }, { "0:00", 0 }, { "08:00", 480 },
		{ "8:05", 485 }, { "12:30", 750 }, { "23:59", 1439 },
	};
	static const char *const bad[] = {
		"", ":", "8", "800", "08:0", "08:000", "24:00", "23:60",
		"99:99", "-1:00", "+8:00", " 8:00", "8:00 ", "08.00",
		"08:00:00", "8:0a", "a8:00", "008:00", "08:00\n", "08:-1",
		"\xef\xbc\x90" "8:00",
	};
	const char *why;
	size_t i;
	int m;

	(void)state;
	for (i = 0; i < N(good); i++) {
		m = -1;
		assert_int_equal(validate_hhmm(good[i].s, &m, &why), 0);
		assert_int_equal(m, good[i].minutes);
	}
	for (i = 0; i < N(bad); i++) {
		why = NULL;
		if (validate_hhmm(bad[i], &m, &why) != -1)
			fprintf(stderr, "'%s' passed\n", bad[i]);
		assert_int_equal(validate_hhmm(bad[i], &m, &why), -1);
		assert_non_null(why);
	}
}

static void
test_date(void **state)
{
	static const char *const good[] = {
		"1970-01-01", "2024-02-29", "2000-02-29", "2023-02-28",
		"2023-12-31", "2023-04-30", "9999-12-31", "2400-02-29",
	};
	static const char *const bad[] = {
		"", "2023-02-29", "1900-02-29", "2100-02-29", "2023-04-31",
		"2023-06-31", "2023-09-31", "2023-11-31", "2023-01-32",
		"2023-13-01", "2023-00-10", "2023-01-00", "1969-12-31",
		"0000-01-01", "2023-1-01", "2023-01-1", "23-01-01",
		"2023/01/01", "2023-01-01T00:00", " 2023-01-01",
		"2023-01-01 ", "+023-01-01", "2023-+1-01", "20230101",
		"2023-01-01\n", "abcd-ef-gh",
	};
	const char *why;
	size_t i;
	int y, m, d;

	(void)state;
	for (i = 0; i < N(good); i++) {
		if (validate_date(good[i], &y, &m, &d, &why) != 0)
			fprintf(stderr, "'%s' refused: %s\n", good[i], why);
		assert_int_equal(validate_date(good[i], &y, &m, &d, &why), 0);
	}
	assert_int_equal(validate_date("2024-02-29", &y, &m, &d, &why), 0);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	for (i = 0; i < N(bad); i++) {
		why = NULL;
		if (validate_date(bad[i], &y, &m, &d, &why) != -1)
			fprintf(stderr, "'%s' passed\n", bad[i]);
		assert_int_equal(validate_date(bad[i], &y, &m, &d, &why), -1);
		assert_non_null(why);
	}
}

static void
test_url(void **state)
{
	static const char *const good[] = {
		"http://example.com",
		"https://example.com/",
		"HTTPS://Example.com/Path",
		"https://example.com/a/b?c=d&e=f#frag",
		"https://example.com:8443/x",
		"https://user@example.com/",
		"http://127.0.0.1:8080/",
		"http://[::1]:8080/x",
		"https://example.com/%20encoded%0D%0A",
		"https://example.com/a;b=c,d'e(f)g*h!i~j",
		"https://example.com?q",
		"https://example.com#f",
	};
	static const char *const bad[] = {
		"",
		"example.com",
		"www.example.com/path",
		"//example.com/",
		"/relative/path",
		"ftp://example.com/",
		"file:///etc/passwd",
		"javascript:alert(1)",
		"JavaScript:alert(document.cookie)",
		" javascript:alert(1)",
		"javascript://example.com/%0Aalert(1)",
		"data:text/html,<script>alert(1)</script>",
		"vbscript:msgbox(1)",
		"mailto:ann@example.com",
		"http:/example.com",
		"http:example.com",
		"http://",
		"https://",
		"http:///path",
		"http://?q=1",
		"http://#f",
		"http://:80/",
		"http://user@/x",
		"http://user@:80/",
		" https://example.com/",
		"https://example.com/ x",
		"https://exa mple.com/",
		"https://example.com/\ttab",
		"https://example.com/a\r\nLocation: http://evil.example/",
		"https://example.com/a\nX: y",
		"https://example.com/a\rb",
		"https://example.com/\x01",
		"https://example.com/\x7f",
		"https://example.com/\"onmouseover=\"x",
		"https://example.com/<script>",
		"https://example.com/a\\b",
		"https://example.com/{x}",
		"https://example.com/a|b",
		"https://example.com/a^b",
		"https://example.com/a`b",
		"https://b\xc3\xbc" "cher.example/",
		"https://example.com/caf\xc3\xa9",
	};
	char longurl[2100];
	const char *why;

	(void)state;
	check_all(validate_url, good, N(good), 0);
	check_all(validate_url, bad, N(bad), -1);
	/* 2048 characters pass, 2049 do not. */
	strcpy(longurl, "https://example.com/");
	memset(longurl + 20, 'a', 2048 - 20);
	longurl[2048] = '\0';
	assert_int_equal(validate_url(longurl, &why), 0);
	longurl[2048] = 'a';
	longurl[2049] = '\0';
	assert_int_equal(validate_url(longurl, &why), -1);
}

static void
test_utf8(void **state)
{
	static const struct {
		const char	*s;
		size_t		 len;
		int		 want;
	} cases[] = {
		{ "", 0, 0 },
		{ "plain ascii", 11, 0 },
		{ "caf\xc3\xa9", 5, 0 },			/* U+00E9 */
		{ "\xc2\x80", 2, 0 },				/* U+0080 */
		{ "\xdf\xbf", 2, 0 },				/* U+07FF */
		{ "\xe0\xa0\x80", 3, 0 },			/* U+0800 */
		{ "\xe2\x82\xac", 3, 0 },			/* euro */
		{ "\xed\x9f\xbf", 3, 0 },			/* U+D7FF */
		{ "\xee\x80\x80", 3, 0 },			/* U+E000 */
		{ "\xef\xbf\xbf", 3, 0 },			/* U+FFFF */
		{ "\xf0\x90\x80\x80", 4, 0 },			/* U+10000 */
		{ "\xf0\x9f\x98\x80", 4, 0 },			/* emoji */
		{ "\xf4\x8f\xbf\xbf", 4, 0 },			/* U+10FFFF */
		{ "a\0b", 3, 0 },		/* NUL is ASCII here */
		/* overlong forms */
		{ "\xc0\x80", 2, -1 },
		{ "\xc0\xaf", 2, -1 },
		{ "\xc1\xbf", 2, -1 },
		{ "\xe0\x80\xaf", 3, -1 },
		{ "\xe0\x9f\xbf", 3, -1 },
		{ "\xf0\x80\x80\xaf", 4, -1 },
		{ "\xf0\x8f\xbf\xbf", 4, -1 },
		/* surrogates */
		{ "\xed\xa0\x80", 3, -1 },			/* U+D800 */
		{ "\xed\xbf\xbf", 3, -1 },			/* U+DFFF */
		{ "\xed\xa0\xbd\xed\xb8\x80", 6, -1 },		/* CESU pair */
		/* past U+10FFFF and bytes never used */
		{ "\xf4\x90\x80\x80", 4, -1 },
		{ "\xf5\x80\x80\x80", 4, -1 },
		{ "\xf8\x88\x80\x80\x80", 5, -1 },
		{ "\xfe", 1, -1 },
		{ "\xff", 1, -1 },
		/* lone continuation bytes, truncated sequences */
		{ "\x80", 1, -1 },
		{ "a\xbf", 2, -1 },
		{ "\xc3", 1, -1 },
		{ "caf\xc3", 4, -1 },
		{ "\xe2\x82", 2, -1 },
		{ "\xf0\x9f\x98", 3, -1 },
		{ "\xc3\x28", 2, -1 },
		{ "\xe2\x28\xa1", 3, -1 },
		/* a sequence cut by the length given */
		{ "\xc3\xa9", 1, -1 },
	};
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		why = NULL;
		if (validate_utf8(cases[i].s, cases[i].len, &why) !=
		    cases[i].want)
			fprintf(stderr, "case %zu: want %d\n", i,
			    cases[i].want);
		assert_int_equal(validate_utf8(cases[i].s, cases[i].len, &why),
		    cases[i].want);
		if (cases[i].want == -1)
			assert_non_null(why);
	}
}

/* Text kept rather than refused: each byte that starts nothing valid
 * becomes '?', and what was valid stays as it was; the result is valid. */
static void
test_utf8_fix(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
		size_t		 bad;
	} cases[] = {
		{ "", "", 0 },
		{ "250 ok", "250 ok", 0 },
		{ "250 accept\xc3\xa9", "250 accept\xc3\xa9", 0 },
		{ "250 accept\xe9 ok", "250 accept? ok", 1 },	/* Latin-1 */
		{ "caf\xc3", "caf?", 1 },		/* cut at the end */
		{ "\xe2\x82", "??", 2 },
		{ "\xc0\xaf/", "??" "/", 2 },	/* overlong */
		{ "\xed\xa0\x80", "???", 3 },	/* surrogate */
		{ "a\x80" "b\xf0\x9f\x98\x80", "a?b\xf0\x9f\x98\x80", 1 },
	};
	char buf[64];
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		assert_int_equal(validate_utf8_fix(buf, strlen(buf)),
		    cases[i].bad);
		assert_string_equal(buf, cases[i].out);
		assert_int_equal(validate_utf8(buf, strlen(buf), &why), 0);
	}
}

static void
test_header_safe_and_text(void **state)
{
	static const char *const both_good[] = {
		"", "Plain subject", "Caf\xc3\xa9 \xe2\x82\xac",
		"quotes \" and ' and <>",
	};
	static const char *const text_only[] = {
		"line one\nline two", "crlf\r\nline", "tab\there",
	};
	static const char *const both_bad[] = {
		"bell\x07", "esc\x1b[31m", "del\x7f", "vt\x0b", "ff\x0c",
		"bad \xc0\xaf utf-8", "trunc \xe2\x82",
	};
	const char *why;

	(void)state;
	check_all(validate_header_safe, both_good, N(both_good), 0);
	check_all(validate_text, both_good, N(both_good), 0);
	check_all(validate_header_safe, text_only, N(text_only), -1);
	check_all(validate_text, text_only, N(text_only), 0);
	check_all(validate_header_safe, both_bad, N(both_bad), -1);
	check_all(validate_text, both_bad, N(both_bad), -1);
	/* The header check names the line break. */
	assert_int_equal(validate_header_safe("a\r\nBcc: x@y.z", &why), -1);
	assert_true(strstr(why, "line break") != NULL);
}

static void
test_int(void **state)
{
	static const struct {
		const char	*s;
		long		 min, max, want;
	} good[] = {
		{ "0", 0, 10, 0 }, { "10", 0, 10, 10 }, { "-5", -10, 10, -5 },
		{ "+7", 0, 10, 7 }, { "007", 0, 10, 7 },
		{ "9223372036854775807", 0, LONG_MAX, LONG_MAX },
		{ "-9223372036854775807", LONG_MIN, 0, -LONG_MAX },
	};
	static const char *const bad[] = {
		"", "-", "+", "11", "-1", "1.5", "1e3", " 1", "1 ", "0x10",
		"9223372036854775808", "99999999999999999999999", "1-", "--1",
	};
	const char *why;
	size_t i;
	long v;

	(void)state;
	for (i = 0; i < N(good); i++) {
		v = 12345;
		assert_int_equal(validate_int(good[i].s, good[i].min,
		    good[i].max, &v, &why), 0);
		assert_int_equal(v, good[i].want);
	}
	for (i = 0; i < N(bad); i++) {
		v = 12345;
		why = NULL;
		assert_int_equal(validate_int(bad[i], 0, 10, &v, &why), -1);
		assert_non_null(why);
		assert_int_equal(v, 12345);	/* untouched */
	}
}

static void
test_audience(void **state)
{
	static const struct {
		const char	*s;
		long		 count, hundredths;
	} good[] = {
		{ "1", 1, 0 }, { "25", 25, 0 }, { "007", 7, 0 },
		{ "10000000", 10000000, 0 }, { "40%", 0, 4000 },
		{ "12.5%", 0, 1250 }, { "0.01%", 0, 1 }, { "99.99%", 0, 9999 },
		{ "1.05%", 0, 105 }, { "100%", 0, 0 }, { "100.00%", 0, 0 },
		{ "050%", 0, 5000 },
	};
	static const struct {
		const char	*s, *why;
	} bad[] = {
		{ "", "not a count" }, { "0", "0 employees" },
		{ "000", "0 employees" }, { "10000001", "more than 10000000" },
		{ "99999999999999999999999", "more than 10000000" },
		{ "0%", "0%" }, { "0.00%", "0%" }, { "100.01%", "more than 100%" },
		{ "101%", "more than 100%" }, { "12.345%", "two decimals" },
		{ "-5", "not a count" }, { "+5", "not a count" },
		{ "5 %", "not a count" }, { " 5", "not a count" },
		{ "5.%", "not a count" }, { ".5%", "not a count" },
		{ "5.5", "not a count" }, { "1e3", "not a count" },
		{ "40%%", "not a count" }, { "%", "not a count" },
		{ "ten", "not a count" }, { "5,5%", "not a count" },
	};
	const char *why;
	long c, h;
	size_t i;

	(void)state;
	for (i = 0; i < N(good); i++) {
		c = h = -1;
		assert_int_equal(validate_audience(good[i].s, &c, &h, &why), 0);
		assert_int_equal(c, good[i].count);
		assert_int_equal(h, good[i].hundredths);
	}
	for (i = 0; i < N(bad); i++) {
		why = NULL;
		assert_int_equal(validate_audience(bad[i].s, &c, &h, &why), -1);
		assert_non_null(why);
		if (strstr(why, bad[i].why) == NULL)
			fail_msg("'%s': '%s', want '%s'", bad[i].s, why,
			    bad[i].why);
		assert_int_equal(c, 0);
		assert_int_equal(h, 0);
	}
}

static void
test_listen(void **state)
{
	static const char *const good[] = {
		"127.0.0.1:8080", "0.0.0.0:80", "[::1]:8080", "[::]:1",
		"localhost:65535", "chorus.example.com:443",
		"[fe80::1%eth0]:8080",
	};
	static const char *const bad[] = {
		"", "8080", ":8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0",
		"127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:80x",
		"::1:8080", "[::1]8080", "[]:80", "[::1:80", "a b:80",
		"host\n:80", "ho/st:80", "[::1]:80 ",
	};

	(void)state;
	check_all(validate_listen, good, N(good), 0);
	check_all(validate_listen, bad, N(bad), -1);
}

static void
test_mailbox(void **state)
{
	static const char *const good[] = {
		"Chorus <chorus@localhost>", "chorus@localhost",
		"news@example.com", "  news@example.com  ",
		"News <news@example.com>", "\"Comms, Team\" <c@example.com>",
		"<news@example.com>", "Équipe Com <com@example.fr>",
		"News <news@example.com>  ",
	};
	static const char *const bad[] = {
		"", "Chorus", "News news@example.com", "News <news@example.com",
		"News <news@example.com> x", "News <>", "<@example.com>",
		"News <a@b@example.com>", "\"News <n@example.com>",
		"a\x01@example.com", "News <n@example.com>\r\nBcc: x@y.z",
		"News <n@-example.com>", "n@example..com",
		"=?utf-8?q?x?=@example.com",
	};

	(void)state;
	check_all(validate_mailbox, good, N(good), 0);
	check_all(validate_mailbox, bad, N(bad), -1);
}

static void
test_mail_url(void **state)
{
	static const char *const good[] = {
		"file:outbox", "file:/var/spool/chorus", "file:a/b/",
		"smtp://localhost", "smtp://127.0.0.1:2525",
		"smtp://mail.example.com:587", "smtp://[::1]:25",
		"smtp://[2001:db8::1]", "smtp://h:1", "smtp://h:65535",
		"smtps://mail.example.com", "smtps://mail.example.com:465",
		"smtps://127.0.0.1:2465", "smtps://[::1]", "smtps://h:65535",
	};
	static const char *const bad[] = {
		"", "file:", "outbox", "/var/spool", "SMTP://h:25",
		"http://h:25",
		"SMTPS://h:465", "smtps:/h:465", "smtps:h:465", "smtps://",
		"smtps://:465", "smtps://h:", "smtps://h:0", "smtps://h:65536",
		"smtps://h:465/", "smtps://u@h:465", "smtps://u:pw@h:465",
		"smtps://[::1", "smtps://h h", "smtps://h:465?x", "smtpss://h",
		"smtp://", "smtp://:25", "smtp://h:", "smtp://h:0",
		"smtp://h:65536", "smtp://h:99999", "smtp://h:-1",
		"smtp://h:25x", "smtp://h:25/", "smtp://h/", "smtp://u@h:25",
		"smtp://h:25:26", "smtp://[::1]x", "smtp://[::1", "smtp://[]:25",
		"smtp://[not:v6:zz]:25", "smtp://h h:25", "smtp://-h:25",
		"smtp://h.:25", "smtp://h:25?x",
	};
	const char *why = NULL;

	(void)state;
	check_all(validate_mail_url, good, N(good), 0);
	check_all(validate_mail_url, bad, N(bad), -1);
	/* Each mistake says what it is. */
	assert_int_equal(validate_mail_url("smtp://h:99999", &why), -1);
	assert_string_equal(why, "port is not 1..65535");
	assert_int_equal(validate_mail_url("smtps://h:99999", &why), -1);
	assert_string_equal(why, "port is not 1..65535");
	assert_int_equal(validate_mail_url("file:", &why), -1);
	assert_non_null(strstr(why, "file:DIR"));
	assert_int_equal(validate_mail_url("imap://h", &why), -1);
	assert_non_null(strstr(why, "smtps://HOST:PORT"));
}

/* The parts of an SMTP URL: the scheme says TLS and the default port. */
static void
test_smtp_url(void **state)
{
	static const struct {
		const char	*url;
		int		 tls;
		const char	*host, *port;
	} good[] = {
		{ "smtp://mail.example.com", 0, "mail.example.com", "25" },
		{ "smtp://mail.example.com:587", 0, "mail.example.com",
		  "587" },
		{ "smtps://mail.example.com", 1, "mail.example.com", "465" },
		{ "smtps://localhost:2465", 1, "localhost", "2465" },
		{ "smtps://192.0.2.1", 1, "192.0.2.1", "465" },
		{ "smtps://[2001:db8::1]", 1, "2001:db8::1", "465" },
		{ "smtps://[::1]:25", 1, "::1", "25" },
	};
	static const char *const bad[] = {
		"file:outbox", "smtps://", "smtps://h:", "smtps://h:0",
		"smtps://[::1]x", "smtps://h:465:466", "smtps://h/",
	};
	struct smtp_url u;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < N(good); i++) {
		why = NULL;
		assert_int_equal(validate_smtp_url(good[i].url, &u, &why), 0);
		assert_int_equal(u.tls, good[i].tls);
		assert_string_equal(u.host, good[i].host);
		assert_string_equal(u.port, good[i].port);
	}
	for (i = 0; i < N(bad); i++) {
		why = NULL;
		assert_int_equal(validate_smtp_url(bad[i], &u, &why), -1);
		assert_non_null(why);
		/* Nothing half-parsed is left behind. */
		assert_string_equal(u.host, "");
		assert_string_equal(u.port, "");
	}
}

static void
test_networks(void **state)
{
	static const struct {
		const char	*s;
		unsigned	 mask;
	} good[] = {
		{ "", NET_ALL },
		{ "   ", NET_ALL },
		{ "linkedin", NET_BIT(NET_LINKEDIN) },
		{ "x", NET_BIT(NET_X) },
		{ "facebook", NET_BIT(NET_FACEBOOK) },
		{ "linkedin;x", NET_BIT(NET_LINKEDIN) | NET_BIT(NET_X) },
		{ " LinkedIn ; X ", NET_BIT(NET_LINKEDIN) | NET_BIT(NET_X) },
		{ "x;x", NET_BIT(NET_X) },
		{ "facebook;x;linkedin", NET_ALL },
		{ "\tx\t", NET_BIT(NET_X) },
	};
	static const char *const bad[] = {
		"twitter", "linkedin;", ";x", "x;;facebook", ";", " ; ",
		"linked in", "linkedin,x", "x facebook", "xx", "linkedinx",
		"x\n", "x\r\nBcc: a@b.c", "facebook;myspace",
	};
	const char *why;
	unsigned mask;
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < N(good); i++) {
		mask = 0;
		assert_int_equal(network_parse_list(good[i].s, &mask, &why),
		    0);
		assert_int_equal(mask, good[i].mask);
	}
	for (i = 0; i < N(bad); i++) {
		mask = 12345;
		why = NULL;
		if (network_parse_list(bad[i], &mask, &why) != -1)
			fprintf(stderr, "'%s' passed\n", bad[i]);
		assert_int_equal(network_parse_list(bad[i], &mask, &why), -1);
		assert_non_null(why);
		assert_int_equal(mask, 12345);
	}
	/* Names and labels, and back. */
	for (n = 0; n < NET_COUNT; n++)
		assert_int_equal(network_from_name(network_name(n)), n);
	assert_string_equal(network_name(NET_LINKEDIN), "linkedin");
	assert_string_equal(network_label(NET_LINKEDIN), "LinkedIn");
	assert_string_equal(network_name(NET_X), "x");
	assert_string_equal(network_label(NET_X), "X");
	assert_string_equal(network_name(NET_FACEBOOK), "facebook");
	assert_string_equal(network_label(NET_FACEBOOK), "Facebook");
	assert_string_equal(network_name(NET_COUNT), "?");
	assert_string_equal(network_label((enum network)-1), "?");
	assert_int_equal(network_from_name("LinkedIn"), -1);
	assert_int_equal(network_from_name("twitter"), -1);
	assert_int_equal(network_from_name(""), -1);
	assert_int_equal(NET_ALL, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_tz),
		cmocka_unit_test(test_hhmm),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_utf8_fix),
		cmocka_unit_test(test_header_safe_and_text),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_audience),
		cmocka_unit_test(test_listen),
		cmocka_unit_test(test_mailbox),
		cmocka_unit_test(test_mail_url),
		cmocka_unit_test(test_smtp_url),
		cmocka_unit_test(test_networks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
