/*
 * fuzz_prefs_form: the pages' form parsers on arbitrary bytes (they read
 * a POST body straight from the network). An accepted preferences form
 * names one of the four frequencies, a non-empty set of known networks, a
 * send time as HH:MM or none, and distinct non-empty topics within their
 * bounds; an accepted "not for me" form no reason or one of the three the
 * page offers; a refused one gives a reason. The unsubscribe parser
 * always answers one of its three actions.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/day.h"
#include "common/network.h"
#include "redirector/route.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_prefs(const struct route_prefs *f)
{
	static const char *const freqs[] = { "daily", "weekdays", "weekly",
		"paused" };
	size_t i, j;
	int ok = 0;

	for (i = 0; i < sizeof(freqs) / sizeof(freqs[0]); i++)
		ok |= f->frequency != NULL && strcmp(f->frequency, freqs[i]) ==
		    0;
	if (!ok || f->networks == 0 || (f->networks & ~NET_ALL) != 0)
		abort();
	if (*f->send_time != '\0' && (strlen(f->send_time) != 5 ||
	    f->send_time[2] != ':' || strcmp(f->send_time, "23:59") > 0))
		abort();
	if (strlen(f->timezone) >= sizeof(f->timezone) ||
	    f->ntopics > ROUTE_TOPICS_MAX)
		abort();
	for (i = 0; i < f->ntopics; i++) {
		if (*f->topics[i] == '\0')
			abort();
		for (j = 0; j < i; j++)
			if (strcmp(f->topics[i], f->topics[j]) == 0)
				abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct route_prefs f;
	const char *why = NULL, *reason = NULL;
	enum route_unsub_action a;
	char *body;

	if (len > ROUTE_BODY_MAX)
		return 0;
	/* An exact-size copy, so reading past len is caught. */
	body = malloc(len > 0 ? len : 1);
	if (body == NULL)
		return 0;
	memcpy(body, data, len);
	if (route_parse_prefs(body, len, &f, &why) == 0)
		check_prefs(&f);
	else if (why == NULL)
		abort();
	a = route_parse_unsub(body, len);
	if (a != ROUTE_UNSUB_CONFIRM && a != ROUTE_UNSUB_WEEKLY &&
	    a != ROUTE_UNSUB_RESUBSCRIBE)
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
