/*
 * fuzz_prefs_form: the preferences page's form parser on arbitrary bytes
 * (it reads a POST body straight from the network). An accepted form must
 * name one of the three frequencies and a non-empty set of known networks;
 * a refused one must give a reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/day.h"
#include "common/network.h"
#include "redirector/route.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *freq = NULL, *why = NULL;
	unsigned networks = 0;
	char *body;

	if (len > ROUTE_BODY_MAX)
		return 0;
	/* An exact-size copy, so reading past len is caught. */
	body = malloc(len > 0 ? len : 1);
	if (body == NULL)
		return 0;
	memcpy(body, data, len);
	if (route_parse_prefs(body, len, &freq, &networks, &why) == 0) {
		if (frequency_parse(freq) == -1)
			abort();
		if (networks == 0 || (networks & ~NET_ALL) != 0)
			abort();
	} else if (why == NULL)
		abort();
	free(body);
	return 0;
}
