/*
 * fuzz_prefs_form: the pages' form parsers on arbitrary bytes (they read
 * a POST body straight from the network). An accepted preferences form
 * must name one of the three frequencies and a non-empty set of known
 * networks; an accepted "not for me" form no reason or one of the three
 * the page offers; a refused one must give a reason why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/network.h"
#include "redirector/route.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *freq = NULL, *why = NULL, *reason = NULL;
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
		if (freq == NULL || (strcmp(freq, "daily") != 0 &&
		    strcmp(freq, "weekly") != 0 && strcmp(freq, "paused") != 0))
			abort();
		if (networks == 0 || (networks & ~NET_ALL) != 0)
			abort();
	} else if (why == NULL)
		abort();
	why = NULL;
	if (route_parse_decline(body, len, &reason, &why) == 0) {
		if (reason != NULL && strcmp(reason, "not_relevant") != 0 &&
		    strcmp(reason, "not_my_network") != 0 &&
		    strcmp(reason, "would_not_share") != 0)
			abort();
	} else if (why == NULL)
		abort();
	free(body);
	return 0;
}
