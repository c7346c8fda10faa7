/*
 * fuzz_classify: any User-Agent is classified without a crash as human, bot
 * or preview, with the deciding pattern named unless it is human, and the
 * class does not depend on ASCII case.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redirector/classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *ua, *flip;
	const char *why, *why2;
	enum classify_class c, c2;
	size_t i;

	if ((ua = malloc(size + 1)) == NULL || (flip = malloc(size + 1)) ==
	    NULL) {
		free(ua);
		return 0;
	}
	memcpy(ua, data, size);
	ua[size] = '\0';
	for (i = 0; i <= size; i++) {
		char ch = ua[i];

		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		else if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		flip[i] = ch;
	}
	c = classify_ua(ua, &why);
	if (c != CLASSIFY_HUMAN && c != CLASSIFY_BOT && c != CLASSIFY_PREVIEW)
		abort();
	if (c != CLASSIFY_HUMAN && why == NULL)
		abort();
	c2 = classify_ua(flip, &why2);
	if (c2 != c || (why == NULL) != (why2 == NULL) ||
	    (why != NULL && strcmp(why, why2) != 0))
		abort();
	free(ua);
	free(flip);
	return 0;
}
