/*
 * test_wire: the reply reader of the SMTP client of Chorus's own, on
 * replies written into a pipe or, for a server that never stops, a
 * socket pair: a Postfix EHLO reply and its extensions, enhanced codes
 * left out of the text; a reply of endless continuation lines refused at
 * WIRE_REPLY_LINES, a long line cut and the next reply read whole, a line
 * past WIRE_LINE_MAX refused, bad codes and disagreeing lines refused,
 * control bytes made '?', a reply cut off by the end of the connection,
 * a lost connection staying lost, the AUTH mechanisms an EHLO reply
 * offers, and AUTH PLAIN's initial response (RFC 4616).
 */
#include <sys/socket.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "digest/wire.h"

#define ENDLESS_MAX	100000	/* the endless server's bound, in lines */

/* A connection whose server has sent s, len bytes, and gone. */
static void
served(struct wire *w, const char *s, size_t len)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_true(len < 65536);
	assert_int_equal(write(p[1], s, len), (ssize_t)len);
	close(p[1]);
	wire_init(w, p[0]);
}

static void
test_ehlo(void **state)
{
	static const char r[] =
	    "250-mail.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
	    "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 CHUNKING\r\n"
	    "250 2.1.0 Ok\r\n354 End data with <CR><LF>.<CR><LF>\n"
	    "550 5.1.1 <a@example.com>: User unknown\r\n";
	struct wire w;
	struct wire_reply rp;

	(void)state;
	served(&w, r, sizeof(r) - 1);
	assert_int_equal(wire_reply(&w, &rp, 1), 0);
	assert_int_equal(rp.code, 250);
	assert_string_equal(rp.text, "mail.example.com");
	assert_true(w.pipelining && w.eightbit);
	assert_int_equal(wire_reply(&w, &rp, 0), 0);
	assert_int_equal(rp.code, 250);
	assert_string_equal(rp.text, "Ok");
	assert_int_equal(wire_reply(&w, &rp, 0), 0);
	assert_int_equal(rp.code, 354);
	assert_string_equal(rp.text, "End data with <CR><LF>.<CR><LF>");
	assert_int_equal(wire_reply(&w, &rp, 0), 0);
	assert_int_equal(rp.code, 550);
	assert_string_equal(rp.text, "<a@example.com>: User unknown");
	assert_int_equal(wire_reply(&w, &rp, 0), -1);
	assert_int_equal(rp.code, 0);
	assert_true(w.lost);
	assert_non_null(strstr(w.err, "connection closed"));
	close(w.fd);
}

/* A server that sends "250-" lines until the reader hangs up. */
static void *
endless(void *arg)
{
	static const char line[] = "250-and more\r\n";
	int fd = *(int *)arg, i;

	for (i = 0; i < ENDLESS_MAX; i++)
		if (send(fd, line, sizeof(line) - 1, MSG_NOSIGNAL) !=
		    (ssize_t)sizeof(line) - 1)
			break;
	close(fd);
	return NULL;
}

static void
test_endless(void **state)
{
	struct wire w;
	struct wire_reply rp;
	pthread_t th;
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(pthread_create(&th, NULL, endless, &sv[1]), 0);
	wire_init(&w, sv[0]);
	assert_int_equal(wire_reply(&w, &rp, 1), -1);
	assert_int_equal(rp.code, 0);
	assert_true(w.lost);
	assert_non_null(strstr(w.err, "too many lines"));
	close(sv[0]);
	assert_int_equal(pthread_join(th, NULL), 0);
}

static void
test_long_line(void **state)
{
	struct wire w;
	struct wire_reply rp;
	char *r;
	size_t n, i;

	(void)state;
	/* Cut at WIRE_LINE - 1 bytes, the rest skipped. */
	r = malloc(WIRE_LINE_MAX + 64);
	assert_non_null(r);
	n = (size_t)sprintf(r, "250 ");
	for (i = 0; i < 3000; i++)
		r[n++] = 'x';
	n += (size_t)sprintf(r + n, "\r\n251 next\r\n");
	served(&w, r, n);
	assert_int_equal(wire_reply(&w, &rp, 0), 0);
	assert_int_equal(rp.code, 250);
	assert_int_equal(strlen(rp.text), WIRE_LINE - 1 - 4);
	assert_int_equal(strspn(rp.text, "x"), WIRE_LINE - 1 - 4);
	assert_int_equal(wire_reply(&w, &rp, 0), 0);
	assert_int_equal(rp.code, 251);
	assert_string_equal(rp.text, "next");
	close(w.fd);

	/* Past WIRE_LINE_MAX, not a reply. */
	n = (size_t)sprintf(r, "250 ");
	for (i = 0; i < WIRE_LINE_MAX; i++)
		r[n++] = 'y';
	n += (size_t)sprintf(r + n, "\r\n251 next\r\n");
	served(&w, r, n);
	assert_int_equal(wire_reply(&w, &rp, 0), -1);
	assert_int_equal(rp.code, 0);
	assert_non_null(strstr(w.err, "a line too long"));
	close(w.fd);
	free(r);
}

static void
test_bad_code(void **state)
{
	static const char *bad[] = {
		"2x0 bad\r\n", "199 low\r\n", "600 high\r\n", "25\r\n",
		"2500 four digits\r\n", "250x\r\n", "\r\n", " 250 space\r\n",
		"\0" "250 nul\r\n", "250-first\r\n251 second\r\n",
		"250-first\r\n25x second\r\n",
	};
	struct wire w;
	struct wire_reply rp;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *s = bad[i];
		size_t len = s[0] == '\0' ? 1 + strlen(s + 1) : strlen(s);

		served(&w, s, len);
		if (wire_reply(&w, &rp, 0) != -1)
			fail_msg("accepted: %s", s[0] != '\0' ? s : s + 1);
		assert_int_equal(rp.code, 0);
		assert_string_equal(rp.text, "");
		assert_true(w.lost);
		assert_non_null(strstr(w.err, "reading the reply"));
		close(w.fd);
	}
}

static void
test_hostile(void **state)
{
	static const char r[] = "250 a\0b\x1b[31m\rc\tz\x7f\r\n251 ok";
	struct wire w;
	struct wire_reply rp;

	(void)state;
	served(&w, r, sizeof(r) - 1);
	assert_int_equal(wire_reply(&w, &rp, 0), 0);
	assert_int_equal(rp.code, 250);
	assert_string_equal(rp.text, "a?b?[31m?c?z?");
	/* No line end, then the end of the connection. */
	assert_int_equal(wire_reply(&w, &rp, 0), -1);
	assert_int_equal(rp.code, 0);
	assert_non_null(strstr(w.err, "connection closed"));
	close(w.fd);

	/* Lost stays lost, even with more to read. */
	served(&w, "2x0\r\n250 ok\r\n", 13);
	assert_int_equal(wire_reply(&w, &rp, 0), -1);
	assert_int_equal(wire_reply(&w, &rp, 0), -1);
	assert_int_equal(rp.code, 0);
	assert_non_null(strstr(w.err, "not a reply"));
	close(w.fd);
}

/* The AUTH mechanisms of an EHLO reply, in either form, and no others. */
static void
test_auth_ext(void **state)
{
	static const struct {
		const char	*reply;
		int		 auth;
	} cases[] = {
		{ "250-h\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n",
		  WIRE_AUTH_PLAIN | WIRE_AUTH_LOGIN },
		{ "250-h\r\n250-AUTH=LOGIN\r\n250 OK\r\n", WIRE_AUTH_LOGIN },
		{ "250-h\r\n250-auth cram-md5 plain\r\n250 OK\r\n",
		  WIRE_AUTH_PLAIN },
		{ "250-h\r\n250-AUTH CRAM-MD5 PLAINS XLOGIN\r\n250 OK\r\n", 0 },
		{ "250-h\r\n250-AUTHPLAIN\r\n250-X-AUTH PLAIN\r\n250 OK\r\n",
		  0 },
		{ "250-h\r\n250-AUTH\r\n250 AUTH  \r\n", 0 },
		{ "250 h AUTH PLAIN\r\n", 0 },
	};
	struct wire w;
	struct wire_reply rp;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		served(&w, cases[i].reply, strlen(cases[i].reply));
		assert_int_equal(wire_reply(&w, &rp, 1), 0);
		assert_int_equal(rp.code, 250);
		assert_int_equal(w.auth, cases[i].auth);
		close(w.fd);
	}
	/* Only an EHLO reply is read for extensions. */
	served(&w, cases[0].reply, strlen(cases[0].reply));
	assert_int_equal(wire_reply(&w, &rp, 0), 0);
	assert_int_equal(w.auth, 0);
	close(w.fd);
}

/* RFC 4616's initial response: NUL, user, NUL, password, in base64. */
static void
test_auth_plain(void **state)
{
	char out[64], big[WIRE_AUTH_MAX + 2], huge[4096];

	(void)state;
	/* RFC 4616, section 4's example. */
	assert_int_equal(wire_auth_plain("tim", "tanstaaftanstaaf", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
	assert_int_equal(wire_auth_plain("bot", "s3cret", out, sizeof(out)),
	    0);
	assert_string_equal(out, "AGJvdABzM2NyZXQ=");
	assert_int_equal(wire_auth_plain("", "", out, sizeof(out)), 0);
	assert_string_equal(out, "AAA=");
	/* Exactly fits: 2 + 10 bytes, 16 characters and the NUL. */
	assert_int_equal(wire_auth_plain("user", "passwd", out, 17), 0);
	assert_int_equal(wire_auth_plain("user", "passwd", out, 16), -1);
	/* Past WIRE_AUTH_MAX together, refused whatever the room. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(wire_auth_plain("u", big, huge, sizeof(huge)), -1);
	big[WIRE_AUTH_MAX - 1] = '\0';
	assert_int_equal(wire_auth_plain("u", big, huge, sizeof(huge)), 0);
	assert_int_equal(wire_auth_plain("uv", big, huge, sizeof(huge)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ehlo),
		cmocka_unit_test(test_endless),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_bad_code),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_auth_ext),
		cmocka_unit_test(test_auth_plain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
