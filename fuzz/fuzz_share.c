/*
 * fuzz_share: input is any text (a post's suggested text). X's share page
 * gets at most SHARE_X_TEXT_MAX code points of it: share_x_fit() keeps all
 * of a text that fits, else a prefix that ends on a code point boundary
 * and leaves room for the ellipsis; share_url() encodes exactly that, and
 * the URL carries no byte a query value must not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/share.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static size_t
codepoints(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	size_t len, cut, cps, i;
	struct buf b;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	len = strlen(text);
	cps = share_x_fit(text, &cut);
	if (cut > len)
		abort();
	if (cut == len) {
		if (cps != codepoints(text, len) || cps > SHARE_X_TEXT_MAX)
			abort();
	} else {
		/* Cut short: at a code point boundary, room for the '…'. */
		if (((unsigned char)text[cut] & 0xC0) == 0x80)
			abort();
		if (cps != codepoints(text, cut) + 1 ||
		    cps > SHARE_X_TEXT_MAX ||
		    codepoints(text, len) <= SHARE_X_TEXT_MAX)
			abort();
	}
	buf_init(&b, 0);
	if (share_url(&b, NET_X, "https://go.example.com/Ab3dEf7hIj12",
	    text) != 0)
		abort();
	for (i = 0; i < b.len; i++)
		if (strchr(" \"<>\\^`{|}", b.data[i]) != NULL ||
		    (unsigned char)b.data[i] < 0x21 ||
		    (unsigned char)b.data[i] > 0x7E)
			abort();
	buf_release(&b);
	free(text);
	return 0;
}
