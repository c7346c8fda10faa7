/*
 * test_mime_email: 1,000 messages with random Unicode display names and
 * subjects (emoji, right-to-left scripts, combining marks, quotes,
 * backslashes) built by mime_build() and read back by Python's email
 * package (policy=default) in tests/mime_roundtrip.py, which must find
 * exactly the same name, subject and text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/buf.h"
#include "digest/mime.h"

#define CASES	1000

static uint64_t rng = 0x243f6a8885a308d3ULL;

static uint32_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static void
put_utf8(struct buf *b, uint32_t c)
{
	char s[4];
	size_t n;

	if (c < 0x80) {
		s[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		s[0] = (char)(0xc0 | c >> 6);
		s[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		s[0] = (char)(0xe0 | c >> 12);
		s[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		s[0] = (char)(0xf0 | c >> 18);
		s[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	buf_add(b, s, n);
}

/* A random character from one of the awkward families. */
static uint32_t
random_char(void)
{
	static const struct {
		uint32_t lo, hi;
	} ranges[] = {
		{ 0x20, 0x7e },		/* ASCII, quotes, backslashes */
		{ '"', '"' }, { '\\', '\\' }, { ' ', ' ' }, { '=', '?' },
		{ 0xc0, 0x17f },	/* Latin accents */
		{ 0x300, 0x36f },	/* combining marks */
		{ 0x590, 0x5ea },	/* Hebrew */
		{ 0x600, 0x6ff },	/* Arabic */
		{ 0x200e, 0x200f },	/* LRM, RLM */
		{ 0x202a, 0x202e },	/* bidi embeddings */
		{ 0x200d, 0x200d },	/* zero-width joiner */
		{ 0x4e00, 0x4fff },	/* CJK */
		{ 0xac00, 0xacff },	/* Hangul */
		{ 0xfe0f, 0xfe0f },	/* variation selector */
		{ 0x1f300, 0x1f64f },	/* emoji */
		{ 0x1f900, 0x1f9ff },
	};
	size_t r = next() % (sizeof(ranges) / sizeof(ranges[0]));

	return ranges[r].lo + next() % (ranges[r].hi - ranges[r].lo + 1);
}

static void
random_string(struct buf *b, size_t maxchars)
{
	size_t n = 1 + next() % maxchars, i;

	buf_reset(b);
	buf_adds(b, "");
	for (i = 0; i < n; i++)
		put_utf8(b, random_char());
}

static void
put_hex(FILE *fp, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		fputc(hex[(unsigned char)s[i] >> 4], fp);
		fputc(hex[(unsigned char)s[i] & 15], fp);
	}
}

static void
test_python_round_trip(void **state)
{
	char path[] = "/tmp/chorus-mime-XXXXXX", cmd[2048];
	const char *src = getenv("CHORUS_SRC");
	struct buf name, subject, text, msg;
	struct mime_message m;
	FILE *fp;
	int fd, i, rc;

	(void)state;
	buf_init(&name, 0);
	buf_init(&subject, 0);
	buf_init(&text, 0);
	buf_init(&msg, 0);
	assert_true((fd = mkstemp(path)) != -1);
	assert_true((fp = fdopen(fd, "w")) != NULL);
	for (i = 0; i < CASES; i++) {
		random_string(&name, 1 + (size_t)(i % 60));
		random_string(&subject, 1 + (size_t)(i % 150));
		random_string(&text, 200);
		buf_printf(&text, "\nFrom here.\n. and %d\n", i);
		memset(&m, 0, sizeof(m));
		m.from_name = "Chorus";
		m.from_addr = "chorus@example.com";
		m.to_name = name.data;
		m.to_addr = "zoe@example.com";
		m.subject = subject.data;
		m.message_id = "<u1@example.com>";
		m.date = 1795420800 + i;
		m.list_unsubscribe = "https://go.example.com/u/token";
		m.boundary = "b0undary";
		m.text = text.data;
		m.textlen = text.len;
		m.html = "<p>hi</p>\n";
		m.htmllen = strlen(m.html);
		buf_reset(&msg);
		assert_int_equal(mime_build(&msg, &m), MIME_OK);
		put_hex(fp, name.data, name.len);
		fputc('\t', fp);
		put_hex(fp, subject.data, subject.len);
		fputc('\t', fp);
		put_hex(fp, text.data, text.len);
		fputc('\t', fp);
		put_hex(fp, msg.data, msg.len);
		fputc('\n', fp);
	}
	assert_int_equal(fclose(fp), 0);
	snprintf(cmd, sizeof(cmd), "python3 '%s/tests/mime_roundtrip.py' '%s'",
	    src ? src : ".", path);
	rc = system(cmd);
	if (getenv("KEEP") == NULL)
		unlink(path);
	assert_int_equal(rc, 0);
	buf_release(&name);
	buf_release(&subject);
	buf_release(&text);
	buf_release(&msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
