/*
 * network: the social networks Chorus knows, in one table. An employee's
 * choice is a bit mask of (1 << enum network).
 */
#ifndef CHORUS_NETWORK_H
#define CHORUS_NETWORK_H

enum network {
	NET_LINKEDIN = 0,
	NET_X,
	NET_FACEBOOK,
	NET_COUNT,
};

#define NET_BIT(n)	(1u << (n))
#define NET_ALL		(NET_BIT(NET_LINKEDIN) | NET_BIT(NET_X) | \
			 NET_BIT(NET_FACEBOOK))

/* "linkedin", "x", "facebook". */
const char *network_name(enum network);
/* "LinkedIn", "X", "Facebook". */
const char *network_label(enum network);
/* Returns the network for a lower-case name, or -1. */
int	 network_from_name(const char *);
/* Parses "linkedin;x" (spaces around items allowed, case-insensitive, empty
 * = all) into a mask. Returns 0 or -1 with *why set. */
int	 network_parse_list(const char *, unsigned *mask, const char **why);

#endif
