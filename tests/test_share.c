/* test_share: the networks' share URLs and the choice of suggested text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/share.h"

static void
test_urls(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(share_url(&b, NET_LINKEDIN,
	    "https://go.example.com/Ab3dEf7hIj", "ignored"), 0);
	assert_string_equal(buf_cstr(&b), "https://www.linkedin.com/sharing/"
	    "share-offsite/?url=https%3A%2F%2Fgo.example.com%2FAb3dEf7hIj");
	buf_reset(&b);
	assert_int_equal(share_url(&b, NET_X, "http://h:8080/Xy9",
	    "Café & \"more\" #launch 100% = 😀"), 0);
	assert_string_equal(buf_cstr(&b), "https://x.com/intent/tweet?"
	    "text=Caf%C3%A9%20%26%20%22more%22%20%23launch%20100%25%20%3D%20"
	    "%F0%9F%98%80&url=http%3A%2F%2Fh%3A8080%2FXy9");
	buf_reset(&b);
	assert_int_equal(share_url(&b, NET_X, "http://h/a", ""), 0);
	assert_string_equal(buf_cstr(&b),
	    "https://x.com/intent/tweet?url=http%3A%2F%2Fh%2Fa");
	buf_reset(&b);
	assert_int_equal(share_url(&b, NET_FACEBOOK, "http://h/a-b_c.d~e",
	    NULL), 0);
	assert_string_equal(buf_cstr(&b), "https://www.facebook.com/sharer/"
	    "sharer.php?u=http%3A%2F%2Fh%2Fa-b_c.d~e");
	assert_int_equal(share_url(&b, NET_COUNT, "x", NULL), -1);
	buf_release(&b);

	/* The cap is honoured. */
	buf_init(&b, 20);
	assert_int_equal(share_url(&b, NET_LINKEDIN, "http://h/a", NULL), -1);
	buf_release(&b);
}

/* The code points of s, counted as X counts them. */
static size_t
codepoints(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The text X's share page gets from share_url(), decoded. */
static void
x_text(const char *text, char *out, size_t len)
{
	struct buf b;
	const char *p, *end;
	size_t n = 0;
	unsigned v;

	buf_init(&b, 0);
	assert_int_equal(share_url(&b, NET_X, "https://go.example.com/"
	    "Ab3dEf7hIj12", text), 0);
	p = strstr(buf_cstr(&b), "?text=");
	assert_non_null(p);
	p += 6;
	end = strstr(p, "&url=https%3A%2F%2Fgo.example.com%2FAb3dEf7hIj12");
	assert_non_null(end);
	assert_int_equal(strlen(end), strlen("&url=https%3A%2F%2Fgo.example.com"
	    "%2FAb3dEf7hIj12"));
	while (p < end) {
		assert_true(n + 1 < len);
		if (*p == '%') {
			assert_int_equal(sscanf(p + 1, "%2x", &v), 1);
			out[n++] = (char)v;
			p += 3;
		} else
			out[n++] = *p++;
	}
	out[n] = '\0';
	buf_release(&b);
}

/* The text, a space and the link (23) fit in 280 code points. */
static void
test_x_limit(void **state)
{
	char in[4096], out[4096];
	size_t i, cut;

	(void)state;
	/* 256 code points fit whole; 257 do not. */
	memset(in, 'a', 256);
	in[256] = '\0';
	assert_int_equal(share_x_fit(in, &cut), 256);
	assert_int_equal(cut, 256);
	x_text(in, out, sizeof(out));
	assert_string_equal(out, in);
	assert_int_equal(codepoints(out) + 1 + SHARE_X_URL_WEIGHT, 280);

	/* One word too many: cut at the word boundary, with an ellipsis. */
	in[0] = '\0';
	for (i = 0; i < 52; i++)
		strcat(in, "word ");	/* 260 code points */
	x_text(in, out, sizeof(out));
	assert_int_equal(codepoints(out), 51 * 5 - 1 + 1);
	assert_string_equal(out + strlen(out) - 8, " word\xe2\x80\xa6");
	assert_true(codepoints(out) + 1 + SHARE_X_URL_WEIGHT <= SHARE_X_LIMIT);

	/* Code points, not bytes: 256 two-byte letters fit, 300 four-byte
	 * emoji are cut between two of them, never inside one. */
	in[0] = '\0';
	for (i = 0; i < 256; i++)
		strcat(in, "\xc3\xa9");
	x_text(in, out, sizeof(out));
	assert_string_equal(out, in);
	in[0] = '\0';
	for (i = 0; i < 300; i++)
		strcat(in, "\xf0\x9f\x98\x80");
	x_text(in, out, sizeof(out));
	assert_int_equal(codepoints(out), 256);
	assert_int_equal(strlen(out), 255 * 4 + 3);
	assert_memory_equal(out, in, 255 * 4);
	assert_string_equal(out + 255 * 4, "\xe2\x80\xa6");

	/* No space late enough: cut mid-word rather than lose half. */
	memset(in, 'b', 400);
	in[10] = ' ';
	in[400] = '\0';
	assert_int_equal(share_x_fit(in, &cut), 256);
	assert_int_equal(cut, 255);

	/* Invalid UTF-8 (stray continuation bytes) is never split further. */
	memset(in, 0x80, 600);
	in[0] = 'x';
	in[600] = '\0';
	assert_int_equal(share_x_fit(in, &cut), 1);
	assert_int_equal(cut, 600);
}

static void
test_text(void **state)
{
	(void)state;
	assert_string_equal(share_text("Title", "Text", "Net"), "Net");
	assert_string_equal(share_text("Title", "Text", ""), "Text");
	assert_string_equal(share_text("Title", "Text", NULL), "Text");
	assert_string_equal(share_text("Title", "", NULL), "Title");
	assert_string_equal(share_text("Title", NULL, ""), "Title");
	assert_string_equal(share_text(NULL, NULL, NULL), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_x_limit),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
