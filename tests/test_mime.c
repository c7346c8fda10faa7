/*
 * test_mime: golden files for the header encoders, quoted-printable and a
 * whole message (tests/data/mime/), refusal of header injection, and
 * round trips of random values through the encoders and our decoders with
 * the line-length limits checked on every line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "digest/mime.h"

static char *
slurp(const char *name, size_t *lenp)
{
	char path[1024];
	const char *src = getenv("CHORUS_SRC");
	FILE *fp;
	char *s;
	long n;

	snprintf(path, sizeof(path), "%s/tests/data/mime/%s",
	    src ? src : ".", name);
	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "cannot open %s\n", path);
		fail();
	}
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = malloc((size_t)n + 1);
	assert_true(s != NULL);
	assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
	s[n] = '\0';
	fclose(fp);
	if (lenp != NULL)
		*lenp = (size_t)n;
	return s;
}

/* Compares out with the golden file; with MIME_GOLDEN_WRITE set, writes
 * the file instead (to refresh it after a deliberate change). */
static void
golden(const char *name, const struct buf *out)
{
	char *want;

	if (getenv("MIME_GOLDEN_WRITE") != NULL) {
		char path[1024];
		FILE *fp;

		snprintf(path, sizeof(path), "tests/data/mime/%s", name);
		fp = fopen(path, "wb");
		assert_true(fp != NULL);
		fwrite(buf_cstr(out), 1, out->len, fp);
		fclose(fp);
		return;
	}
	want = slurp(name, NULL);
	assert_string_equal(buf_cstr(out), want);
	free(want);
}

/* Every line of a header block ends in CRLF and is at most max long
 * (List-Unsubscribe, which holds one unbreakable URL, at most 998). */
static void
check_lines(const char *s, size_t max)
{
	const char *p = s, *nl;

	while (*p != '\0') {
		nl = strstr(p, "\r\n");
		assert_true(nl != NULL);
		if (strncmp(p, "List-Unsubscribe: ", 18) == 0) {
			assert_true(nl - p <= 998);
			p = nl + 2;
			continue;
		}
		if ((size_t)(nl - p) > max)
			fprintf(stderr, "long line: %.*s\n", (int)(nl - p), p);
		assert_true((size_t)(nl - p) <= max);
		/* No bare CR or LF inside a line. */
		assert_true(memchr(p, '\n', (size_t)(nl - p)) == NULL);
		assert_true(memchr(p, '\r', (size_t)(nl - p)) == NULL);
		p = nl + 2;
	}
}

/* Every encoded-word is at most 75 characters. */
static void
check_encoded_words(const char *s)
{
	const char *p = s, *e;

	while ((p = strstr(p, "=?")) != NULL) {
		e = strstr(p + 2, "?=");
		assert_true(e != NULL);
		/* Skip "?B?" inside the word. */
		e = strstr(p + 10, "?=");
		assert_true(e != NULL);
		assert_true(e + 2 - p <= 75);
		p = e + 2;
	}
}

static void
test_golden_subjects(void **state)
{
	struct buf out;
	char *in, *line, *save = NULL;

	(void)state;
	buf_init(&out, 0);
	in = slurp("subject.in", NULL);
	for (line = strtok_r(in, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		assert_int_equal(mime_header_text(&out, "Subject", line),
		    MIME_OK);
	check_lines(buf_cstr(&out), 78);
	check_encoded_words(buf_cstr(&out));
	golden("subject.out", &out);
	free(in);
	buf_release(&out);
}

static void
test_golden_addresses(void **state)
{
	struct buf out;
	char *in, *line, *save = NULL, *tab;

	(void)state;
	buf_init(&out, 0);
	in = slurp("address.in", NULL);
	for (line = strtok_r(in, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		tab = strchr(line, '\t');
		assert_true(tab != NULL);
		*tab = '\0';
		assert_int_equal(mime_header_address(&out, "To", line,
		    tab + 1), MIME_OK);
	}
	check_lines(buf_cstr(&out), 78);
	check_encoded_words(buf_cstr(&out));
	golden("address.out", &out);
	free(in);
	buf_release(&out);
}

static void
test_golden_qp(void **state)
{
	struct buf out, back;
	size_t len;
	char *in, *p, *q;

	(void)state;
	buf_init(&out, 0);
	buf_init(&back, 0);
	in = slurp("qp.in", &len);
	assert_int_equal(mime_qp_encode(&out, in, len), MIME_OK);
	golden("qp.out", &out);
	buf_adds(&out, "\r\n");	/* the last line has no line end */
	check_lines(buf_cstr(&out), 76);
	out.len -= 2;
	assert_int_equal(mime_qp_decode(&back, out.data, out.len), 0);
	/* CRLF in the input comes back as LF. */
	for (p = q = in; *p != '\0'; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			*q++ = *p;
	*q = '\0';
	assert_string_equal(buf_cstr(&back), in);
	free(in);
	buf_release(&out);
	buf_release(&back);
}

static void
test_golden_message(void **state)
{
	struct mime_message m;
	struct buf out;
	char *text, *html;
	size_t tl, hl;
	char *body;

	(void)state;
	text = slurp("body.txt", &tl);
	html = slurp("body.html", &hl);
	memset(&m, 0, sizeof(m));
	m.from_name = "Chorus at Ünicorn, Inc.";
	m.from_addr = "chorus@example.com";
	m.to_name = "Zoë \"Zed\" Ångström";
	m.to_addr = "zoe@example.com";
	m.subject = "Your posts to share today: Lancement du café ☕ "
	    "et d'autres nouvelles (+2 more)";
	m.message_id = "<3kT9zQ2mXw8bVn4pLc7rYd1e@example.com>";
	m.date = 1795420800;	/* 2026-11-23 08:00:00 UTC */
	m.list_unsubscribe = "https://go.example.com/u/"
	    "0b7f6a52-6f0e-4c1e-9a44-3f1c2d9e8b71";
	m.boundary = "Qx8R2mT5vW9zK3pL";
	m.text = text;
	m.textlen = tl;
	m.html = html;
	m.htmllen = hl;
	buf_init(&out, 0);
	assert_int_equal(mime_build(&out, &m), MIME_OK);
	/* Headers at 78, bodies at 76. */
	body = strstr(out.data, "\r\n\r\n");
	assert_true(body != NULL);
	body[2] = '\0';
	check_lines(out.data, 78);
	check_encoded_words(out.data);
	body[2] = '\r';
	check_lines(body + 4, 76);
	golden("message.eml", &out);
	free(text);
	free(html);
	buf_release(&out);
}

static void
test_injection(void **state)
{
	static const char *bad[] = {
		"Hello\r\nBcc: victim@example.com",
		"Hello\nBcc: victim@example.com",
		"Hello\rBcc: victim@example.com",
		"tab\tinside",
		"\x7f",
	};
	struct buf out;
	size_t i;

	(void)state;
	buf_init(&out, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(mime_header_text(&out, "Subject", bad[i]),
		    MIME_BAD_CHAR);
		assert_int_equal(mime_header_address(&out, "To", bad[i],
		    "a@example.com"), MIME_BAD_CHAR);
		assert_int_equal(mime_header_raw(&out, "Message-ID", bad[i]),
		    MIME_BAD_CHAR);
	}
	assert_int_equal(mime_header_text(&out, "Subject", "caf\xc3"),
	    MIME_BAD_UTF8);
	assert_int_equal(mime_header_address(&out, "To", "x",
	    "a@example.com\r\nBcc: b@example.com"), MIME_BAD_ADDRESS);
	assert_int_equal(mime_header_address(&out, "To", "x",
	    "a@example.com, b@example.com"), MIME_BAD_ADDRESS);
	assert_int_equal(mime_header_address(&out, "To", "x",
	    "<a@example.com>"), MIME_BAD_ADDRESS);
	assert_int_equal(mime_header_text(&out, "Bad Name", "x"),
	    MIME_BAD_CHAR);
	assert_int_equal(mime_header_raw(&out, "X", "caf\xc3\xa9"),
	    MIME_BAD_CHAR);
	/* Nothing was written by any refused call. */
	assert_int_equal(out.len, 0);
	buf_release(&out);
}

static void
test_mailbox(void **state)
{
	char d[128], a[128];

	(void)state;
	assert_int_equal(mime_parse_mailbox("Chorus <chorus@localhost>", d,
	    sizeof(d), a, sizeof(a)), MIME_OK);
	assert_string_equal(d, "Chorus");
	assert_string_equal(a, "chorus@localhost");
	assert_int_equal(mime_parse_mailbox("\"Comms \\\"Team\\\"\" "
	    "<comms@example.com>", d, sizeof(d), a, sizeof(a)), MIME_OK);
	assert_string_equal(d, "Comms \"Team\"");
	assert_string_equal(a, "comms@example.com");
	assert_int_equal(mime_parse_mailbox("bare@example.com", d, sizeof(d),
	    a, sizeof(a)), MIME_OK);
	assert_string_equal(d, "");
	assert_string_equal(a, "bare@example.com");
	assert_int_equal(mime_parse_mailbox("Bad <nope>", d, sizeof(d), a,
	    sizeof(a)), MIME_BAD_ADDRESS);
	assert_int_equal(mime_parse_mailbox("A <a@b.c> x", d, sizeof(d), a,
	    sizeof(a)), MIME_BAD_ADDRESS);
}

static void
test_date_and_id(void **state)
{
	char s[64];

	(void)state;
	assert_int_equal(mime_date(0, s, sizeof(s)), 0);
	assert_string_equal(s, "Thu, 01 Jan 1970 00:00:00 +0000");
	assert_int_equal(mime_date(1795420800, s, sizeof(s)), 0);
	assert_string_equal(s, "Mon, 23 Nov 2026 08:00:00 +0000");
	assert_int_equal(mime_date(0, s, 10), -1);
	assert_int_equal(mime_message_id("abc", "Chorus@mail.example.com", s,
	    sizeof(s)), 0);
	assert_string_equal(s, "<abc@mail.example.com>");
	assert_int_equal(mime_message_id("abc", "nodomain", s, sizeof(s)),
	    -1);
}

/* A deterministic generator of awkward UTF-8 strings. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void
put_utf8(struct buf *b, uint32_t c)
{
	if (c < 0x80)
		buf_addc(b, (char)c);
	else if (c < 0x800) {
		buf_addc(b, (char)(0xc0 | c >> 6));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_addc(b, (char)(0xe0 | c >> 12));
		buf_addc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	} else {
		buf_addc(b, (char)(0xf0 | c >> 18));
		buf_addc(b, (char)(0x80 | ((c >> 12) & 0x3f)));
		buf_addc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	}
}

static void
random_text(struct buf *b, size_t maxchars)
{
	static const uint32_t pool[] = {
		'a', 'Z', ' ', ' ', '"', '\\', '=', '?', '_', '<', '>', ',',
		0xe9, 0x301, 0x5d0, 0x627, 0x200f, 0x4e2d, 0x1f600, 0x1f469,
		0x200d, 0x1f52c, 0xfe0f, 0xa0, 0x80,
	};
	size_t n = next() % (maxchars + 1), i;

	buf_reset(b);
	buf_adds(b, "");
	for (i = 0; i < n; i++) {
		if (next() % 3 == 0)
			put_utf8(b, 0x20 + next() % 0x5f);
		else
			put_utf8(b, pool[next() % (sizeof(pool) /
			    sizeof(pool[0]))]);
	}
}

static void
test_round_trip(void **state)
{
	struct buf in, out, back, want;
	const char *v;
	int i;

	(void)state;
	buf_init(&want, 0);
	buf_init(&in, 0);
	buf_init(&out, 0);
	buf_init(&back, 0);
	for (i = 0; i < 3000; i++) {
		random_text(&in, 120);
		buf_reset(&out);
		buf_reset(&back);
		assert_int_equal(mime_header_text(&out, "Subject",
		    buf_cstr(&in)), MIME_OK);
		check_lines(buf_cstr(&out), 78);
		check_encoded_words(buf_cstr(&out));
		v = buf_cstr(&out) + strlen("Subject:");
		assert_int_equal(mime_header_decode(&back, v,
		    strlen(v) - 2, 0), 0);
		assert_string_equal(buf_cstr(&back), buf_cstr(&in));

		/* The display name of an address, "NAME <addr>". */
		buf_reset(&out);
		buf_reset(&back);
		assert_int_equal(mime_header_address(&out, "To",
		    buf_cstr(&in), "a@example.com"), MIME_OK);
		check_lines(buf_cstr(&out), 78);
		check_encoded_words(buf_cstr(&out));
		v = buf_cstr(&out) + strlen("To:");
		assert_int_equal(mime_header_decode(&back, v,
		    strlen(v) - 2, 1), 0);
		buf_reset(&want);
		if (in.len > 0)
			buf_printf(&want, "%s <a@example.com>", in.data);
		else
			buf_adds(&want, "a@example.com");
		assert_string_equal(buf_cstr(&back), buf_cstr(&want));

		buf_reset(&out);
		assert_int_equal(mime_qp_encode(&out, in.data, in.len),
		    MIME_OK);
		if (out.len > 0) {
			buf_addc(&out, '\0');
			out.len--;
			buf_adds(&out, "\r\n");
			check_lines(buf_cstr(&out), 76);
			out.len -= 2;
		}
		buf_reset(&back);
		assert_int_equal(mime_qp_decode(&back, out.data ? out.data :
		    "", out.len), 0);
		assert_string_equal(buf_cstr(&back), buf_cstr(&in));
	}
	buf_release(&in);
	buf_release(&out);
	buf_release(&back);
	buf_release(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_subjects),
		cmocka_unit_test(test_golden_addresses),
		cmocka_unit_test(test_golden_qp),
		cmocka_unit_test(test_golden_message),
		cmocka_unit_test(test_injection),
		cmocka_unit_test(test_mailbox),
		cmocka_unit_test(test_date_and_id),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
