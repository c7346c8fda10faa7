/* network: names and labels of the networks, and parsing of lists of them. */
#include <string.h>
#include <strings.h>

#include "common/network.h"
#include "common/strlist.h"

static const struct {
	const char	*name;
	const char	*label;
} networks[NET_COUNT] = {
	[NET_LINKEDIN] = { "linkedin", "LinkedIn" },
	[NET_X] = { "x", "X" },
	[NET_FACEBOOK] = { "facebook", "Facebook" },
};

const char *
network_name(enum network n)
{
	return (unsigned)n < NET_COUNT ? networks[n].name : "?";
}

const char *
network_label(enum network n)
{
	return (unsigned)n < NET_COUNT ? networks[n].label : "?";
}

int
network_from_name(const char *s)
{
	int i;

	for (i = 0; i < NET_COUNT; i++)
		if (strcmp(networks[i].name, s) == 0)
			return i;
	return -1;
}

int
network_parse_list(const char *s, unsigned *mask, const char **why)
{
	const char *p = s, *item;
	unsigned m = 0;
	size_t len;
	int i;

	if (s[strspn(s, " \t")] == '\0') {
		*mask = NET_ALL;
		return 0;
	}
	while (strlist_next(&p, &item, &len)) {
		if (len == 0) {
			*why = "empty network name";
			return -1;
		}
		for (i = 0; i < NET_COUNT; i++)
			if (strlen(networks[i].name) == len &&
			    strncasecmp(networks[i].name, item, len) == 0)
				break;
		if (i == NET_COUNT) {
			*why = "unknown network (linkedin, x, facebook)";
			return -1;
		}
		m |= NET_BIT(i);
	}
	*mask = m;
	return 0;
}
