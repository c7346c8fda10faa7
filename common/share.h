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
 *   x         https://x.com/intent/tweet?text=TEXT&url=LINK
 *             (TEXT fitted by share_x_fit())
 *   facebook  https://www.facebook.com/sharer/sharer.php?u=LINK
 * text (without the link; the network adds it) may be NULL or empty.
 * Returns 0, or -1 at the buffer's cap or for an unknown network. */
int	 share_url(struct buf *, enum network, const char *link,
	    const char *text);

/* X's limit: 280 characters for the text, a space and the link, which X
 * counts as 23 whatever its length; characters are Unicode code points. */
#define SHARE_X_LIMIT		280
#define SHARE_X_URL_WEIGHT	23
#define SHARE_X_TEXT_MAX	(SHARE_X_LIMIT - SHARE_X_URL_WEIGHT - 1)

/* How much of text goes to X's share page: all of it when it has at most
 * SHARE_X_TEXT_MAX code points; else the bytes up to the last word
 * boundary that leaves room for an ellipsis (or, when that would drop
 * more than half, up to the last code point that does), never inside a
 * UTF-8 sequence. Sets *cut to the bytes kept and returns the code points
 * of what X gets: the kept text, plus one for the ellipsis "…" that
 * share_url() appends when *cut is short of the end. */
size_t	 share_x_fit(const char *text, size_t *cut);

/* The suggested text of a post for a network: the network's own text when
 * set, else the post's text, else its title. Borrowed from the arguments;
 * NULL or empty strings count as unset. */
const char *share_text(const char *title, const char *text,
	    const char *network_text);

#endif
