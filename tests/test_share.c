/* test_share: the networks' share URLs and the choice of suggested text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
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
	assert_string_equal(buf_cstr(&b), "https://twitter.com/intent/tweet?"
	    "text=Caf%C3%A9%20%26%20%22more%22%20%23launch%20100%25%20%3D%20"
	    "%F0%9F%98%80&url=http%3A%2F%2Fh%3A8080%2FXy9");
	buf_reset(&b);
	assert_int_equal(share_url(&b, NET_X, "http://h/a", ""), 0);
	assert_string_equal(buf_cstr(&b),
	    "https://twitter.com/intent/tweet?url=http%3A%2F%2Fh%2Fa");
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
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
