/*
 * share: the share pages of the networks, in one place for the digest
 * (which shows the suggested text) and the redirector (which turns
 * BASE/s/CODE into the network's page for BASE/CODE).
 */
#ifndef CHORUS_SHARE_H
#define CHORUS_SHARE_H

#include "common/network.h"

struct buf;

/* Appends s percent-encoded for a query value (RFC 3986: everything but
 * unreserved characters). Returns 0, or -1 at the buffer's cap. */
int	 share_pct_encode(struct buf *, const char *s);

/* Appends the network's share page for link (the personal short link
 * BASE/CODE), with text where the network takes it:
 *   linkedin  https://www.linkedin.com/sharing/share-offsite/?url=LINK
 *   x         https://twitter.com/intent/tweet?text=TEXT&url=LINK
 *   facebook  https://www.facebook.com/sharer/sharer.php?u=LINK
 * text (without the link; the network adds it) may be NULL or empty.
 * Returns 0, or -1 at the buffer's cap or for an unknown network. */
int	 share_url(struct buf *, enum network, const char *link,
	    const char *text);

/* The suggested text of a post for a network: the network's own text when
 * set, else the post's text, else its title. Borrowed from the arguments;
 * NULL or empty strings count as unset. */
const char *share_text(const char *title, const char *text,
	    const char *network_text);

#endif
