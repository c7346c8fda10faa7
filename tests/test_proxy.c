/* Tests of the trusted-proxy list and the X-Forwarded-For walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "common/config.h"
#include "common/validate.h"
#include "redirector/proxy.h"

/* "1.2.3.4" or "::1" as a proxy_addr; the test's own parser. */
static struct proxy_addr
A(const char *s)
{
	struct proxy_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, a.bytes) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, a.bytes) == 1)
		a.family = AF_INET6;
	else
		fail_msg("bad test address %s", s);
	return a;
}

static const char *
str(const struct proxy_addr *a)
{
	static char out[INET6_ADDRSTRLEN];

	inet_ntop(a->family, a->bytes, out, sizeof(out));
	return out;
}

static void
test_parse_list(void **state)
{
	static const struct {
		const char	*spec;
		int		 ok;
		size_t		 n;
	} cases[] = {
		{ "", 1, 0 },
		{ "  , ,", 1, 0 },
		{ "10.0.0.0/8", 1, 1 },
		{ "10.0.0.0/8,192.168.0.0/16", 1, 2 },
		{ "10.0.0.0/8, 192.168.0.0/16  ::1\t2001:db8::/32", 1, 4 },
		{ "127.0.0.1", 1, 1 },
		{ "::1", 1, 1 },
		{ "0.0.0.0/0", 1, 1 },
		{ "::/0", 1, 1 },
		{ "10.1.2.3/8", 1, 1 },		/* host bits are masked */
		{ "::ffff:10.0.0.0/104", 1, 1 },
		{ "10.0.0.0/33", 0, 0 },
		{ "::/129", 0, 0 },
		{ "10.0.0.0/", 0, 0 },
		{ "10.0.0.0/-1", 0, 0 },
		{ "10.0.0.0/+8", 0, 0 },
		{ "10.0.0.0/0008", 0, 0 },
		{ "10.0.0.0/8x", 0, 0 },
		{ "10.0.0/8", 0, 0 },
		{ "10.0.0.256", 0, 0 },
		{ "localhost", 0, 0 },
		{ "10.0.0.0/8;192.168.0.0/16", 0, 0 },
		{ "/8", 0, 0 },
		{ "2001:db8::/32/1", 0, 0 },
		{ "1.2.3.4 :::", 0, 0 },
	};
	struct proxy_list *l;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		l = NULL;
		if (proxy_list_parse(cases[i].spec, &l, &why) == 0) {
			if (!cases[i].ok)
				fail_msg("'%s' accepted", cases[i].spec);
			assert_int_equal(proxy_list_count(l), cases[i].n);
			proxy_list_free(l);
		} else {
			if (cases[i].ok)
				fail_msg("'%s' refused: %s", cases[i].spec,
				    why);
			assert_true(why != NULL);
		}
		/* the setting's validation agrees with the parser */
		assert_int_equal(validate_cidr_list(cases[i].spec, &why) == 0,
		    cases[i].ok);
	}
}

/* A bad block is a one-line settings error, named by the setting. */
static void
test_config(void **state)
{
	struct config *c = config_new();

	(void)state;
	assert_int_equal(config_set(c, "redirector.trusted_proxies",
	    "10.0.0.0/8 ::1", "test"), 0);
	assert_int_equal(config_set(c, "redirector.trusted_proxies",
	    "10.0.0.0/80", "test"), -1);
	assert_int_equal(config_set(c, "redirector.trusted_proxies",
	    "proxy.example", "test"), -1);
	assert_string_equal(config_str(c, "redirector.trusted_proxies"),
	    "10.0.0.0/8 ::1");
	config_free(c);
}

static void
test_trusted(void **state)
{
	struct proxy_list *l;
	const char *why;
	struct proxy_addr a;

	(void)state;
	assert_int_equal(proxy_list_parse("10.0.0.0/8 192.168.1.128/25 "
	    "2001:db8::/33 ::1 ::ffff:172.16.0.0/108", &l, &why), 0);
	a = A("10.255.0.1");
	assert_true(proxy_trusted(l, &a));
	a = A("11.0.0.1");
	assert_true(!proxy_trusted(l, &a));
	a = A("192.168.1.128");
	assert_true(proxy_trusted(l, &a));
	a = A("192.168.1.255");
	assert_true(proxy_trusted(l, &a));
	a = A("192.168.1.127");
	assert_true(!proxy_trusted(l, &a));
	a = A("2001:db8:7fff::1");
	assert_true(proxy_trusted(l, &a));
	a = A("2001:db8:8000::1");
	assert_true(!proxy_trusted(l, &a));
	a = A("::1");
	assert_true(proxy_trusted(l, &a));
	a = A("::2");
	assert_true(!proxy_trusted(l, &a));
	/* the mapped block became 172.16.0.0/12 */
	a = A("172.31.1.1");
	assert_true(proxy_trusted(l, &a));
	a = A("172.32.1.1");
	assert_true(!proxy_trusted(l, &a));
	/* no cross-family match: 10.0.0.1 is not ::a00:1 */
	a = A("::a00:1");
	assert_true(!proxy_trusted(l, &a));
	proxy_list_free(l);
	a = A("10.0.0.1");
	assert_true(!proxy_trusted(NULL, &a));
}

static void
test_addr_parse(void **state)
{
	static const struct {
		const char	*in, *want;	/* want NULL: refused */
	} cases[] = {
		{ "1.2.3.4", "1.2.3.4" },
		{ " 1.2.3.4\t", "1.2.3.4" },
		{ "1.2.3.4:8080", "1.2.3.4" },
		{ "2001:db8::1", "2001:db8::1" },
		{ "[2001:db8::1]", "2001:db8::1" },
		{ "[2001:db8::1]:443", "2001:db8::1" },
		{ "::ffff:1.2.3.4", "1.2.3.4" },
		{ "[::ffff:1.2.3.4]:1", "1.2.3.4" },
		{ "", NULL },
		{ "   ", NULL },
		{ "unknown", NULL },
		{ "_hidden", NULL },
		{ "1.2.3.4:", NULL },
		{ "1.2.3.4:65536", NULL },
		{ "1.2.3.4:80x", NULL },
		{ "1.2.3", NULL },
		{ "1.2.3.4.5", NULL },
		{ "[2001:db8::1", NULL },
		{ "[2001:db8::1]x", NULL },
		{ "[2001:db8::1]:", NULL },
		{ "[1.2.3.4]", NULL },
		{ "[]", NULL },
		{ "2001:db8::1:", NULL },
		{ "example.com", NULL },
		{ "1.2.3.4 5.6.7.8", NULL },
	};
	struct proxy_addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = proxy_addr_parse(&a, cases[i].in,
		    strlen(cases[i].in));

		if (cases[i].want == NULL) {
			if (r != -1)
				fail_msg("'%s' accepted", cases[i].in);
			continue;
		}
		if (r != 0)
			fail_msg("'%s' refused", cases[i].in);
		assert_string_equal(str(&a), cases[i].want);
	}
}

static void
test_pick(void **state)
{
	static const struct {
		const char	*peer, *xff, *want;
		enum proxy_source src;
	} cases[] = {
		/* an untrusted peer: the header is ignored */
		{ "203.0.113.9", "1.1.1.1", "203.0.113.9", PROXY_PEER },
		{ "203.0.113.9", NULL, "203.0.113.9", PROXY_PEER },
		/* a trusted peer without the header */
		{ "10.0.0.1", NULL, "10.0.0.1", PROXY_PEER },
		{ "10.0.0.1", "", "10.0.0.1", PROXY_PEER },
		{ "10.0.0.1", "  ", "10.0.0.1", PROXY_PEER },
		/* one hop */
		{ "10.0.0.1", "198.51.100.7", "198.51.100.7",
		  PROXY_FORWARDED },
		/* the client cannot forge what is left of the last untrusted
		 * entry: the rightmost untrusted one wins */
		{ "10.0.0.1", "6.6.6.6, 198.51.100.7", "198.51.100.7",
		  PROXY_FORWARDED },
		/* trusted hops are skipped */
		{ "10.0.0.1", "198.51.100.7, 10.0.0.2,10.0.0.3",
		  "198.51.100.7", PROXY_FORWARDED },
		{ "10.0.0.1", "6.6.6.6,198.51.100.7 ,\t10.9.9.9",
		  "198.51.100.7", PROXY_FORWARDED },
		/* every hop trusted: the leftmost */
		{ "10.0.0.1", "10.0.0.5, 10.0.0.6", "10.0.0.5",
		  PROXY_FORWARDED },
		/* ports and IPv6 */
		{ "10.0.0.1", "198.51.100.7:5555", "198.51.100.7",
		  PROXY_FORWARDED },
		{ "10.0.0.1", "[2001:db8::7]:443", "2001:db8::7",
		  PROXY_FORWARDED },
		{ "::1", "2001:db8::7", "2001:db8::7", PROXY_FORWARDED },
		{ "::ffff:10.0.0.1", "198.51.100.7", "198.51.100.7",
		  PROXY_FORWARDED },
		/* malformed on the way: the peer */
		{ "10.0.0.1", "198.51.100.7, unknown", "10.0.0.1",
		  PROXY_PEER },
		{ "10.0.0.1", "garbage", "10.0.0.1", PROXY_PEER },
		{ "10.0.0.1", "198.51.100.7,", "10.0.0.1", PROXY_PEER },
		{ "10.0.0.1", ",198.51.100.7", "198.51.100.7",
		  PROXY_FORWARDED },
		{ "10.0.0.1", "198.51.100.7,,10.0.0.2", "10.0.0.1",
		  PROXY_PEER },
		/* malformed left of the client does not matter */
		{ "10.0.0.1", "junk, 198.51.100.7", "198.51.100.7",
		  PROXY_FORWARDED },
	};
	struct proxy_list *l;
	struct proxy_addr peer, got;
	const char *why;
	size_t i;

	(void)state;
	assert_int_equal(proxy_list_parse("10.0.0.0/8, ::1", &l, &why), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum proxy_source src;

		peer = A(cases[i].peer);
		if (peer.family == AF_INET6) {
			/* as a socket would give it */
			struct sockaddr_in6 sin6;

			memset(&sin6, 0, sizeof(sin6));
			sin6.sin6_family = AF_INET6;
			memcpy(&sin6.sin6_addr, peer.bytes, 16);
			assert_int_equal(proxy_addr_from_sockaddr(&peer,
			    (struct sockaddr *)&sin6), 0);
		}
		src = proxy_pick(l, &peer, cases[i].xff, &got);
		if (strcmp(str(&got), cases[i].want) != 0 ||
		    src != cases[i].src)
			fail_msg("peer %s xff '%s': got %s (%d), want %s",
			    cases[i].peer, cases[i].xff ? cases[i].xff : "-",
			    str(&got), (int)src, cases[i].want);
	}
	proxy_list_free(l);
}

/* Past PROXY_MAX_HOPS trusted hops the walk gives up: the peer. */
static void
test_hops(void **state)
{
	char xff[4096];
	struct proxy_list *l;
	struct proxy_addr peer = A("10.0.0.1"), got;
	const char *why;
	size_t len = 0;
	int i;

	(void)state;
	assert_int_equal(proxy_list_parse("10.0.0.0/8", &l, &why), 0);
	len += (size_t)snprintf(xff, sizeof(xff), "198.51.100.7");
	for (i = 0; i < PROXY_MAX_HOPS - 1; i++)
		len += (size_t)snprintf(xff + len, sizeof(xff) - len,
		    ",10.0.0.%d", i + 2);
	assert_int_equal(proxy_pick(l, &peer, xff, &got), PROXY_FORWARDED);
	assert_string_equal(str(&got), "198.51.100.7");
	snprintf(xff + len, sizeof(xff) - len, ",10.0.1.1");
	assert_int_equal(proxy_pick(l, &peer, xff, &got), PROXY_PEER);
	assert_string_equal(str(&got), "10.0.0.1");
	proxy_list_free(l);
}

static void
test_sockaddr(void **state)
{
	struct sockaddr_in sin;
	struct sockaddr_un_like { sa_family_t f; char p[8]; } un;
	struct proxy_addr a;

	(void)state;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(0x7f000001);
	assert_int_equal(proxy_addr_from_sockaddr(&a,
	    (struct sockaddr *)&sin), 0);
	assert_string_equal(str(&a), "127.0.0.1");
	assert_int_equal(PROXY_ADDR_LEN(&a), 4);
	memset(&un, 0, sizeof(un));
	un.f = AF_UNIX;
	assert_int_equal(proxy_addr_from_sockaddr(&a,
	    (struct sockaddr *)&un), -1);
	assert_int_equal(proxy_addr_from_sockaddr(&a, NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_trusted),
		cmocka_unit_test(test_addr_parse),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_hops),
		cmocka_unit_test(test_sockaddr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
