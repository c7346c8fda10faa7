/* share: share-page URLs of the networks and the choice of suggested text. */
#include <stddef.h>
#include <string.h>

#include "common/buf.h"
#include "common/share.h"

#define SHARE_ELLIPSIS	"\xe2\x80\xa6"	/* U+2026 */

static const struct {
	const char	*prefix;	/* up to the link's '=' */
	const char	*text_param;	/* before the link, or NULL */
} share_pages[NET_COUNT] = {
	[NET_LINKEDIN] = {
	    "https://www.linkedin.com/sharing/share-offsite/?url=", NULL },
	[NET_X] = { "https://x.com/intent/tweet?", "text=" },
	[NET_FACEBOOK] = {
	    "https://www.facebook.com/sharer/sharer.php?u=", NULL },
};

/* share_pct_encode() of the first len bytes of s. */
static int
share_pct_encode_n(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p, *end = (const unsigned char *)s + len;
	char esc[3];

	for (p = (const unsigned char *)s; p < end; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			if (buf_addc(b, (char)*p) == -1)
				return -1;
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[*p >> 4];
		esc[2] = hex[*p & 15];
		if (buf_add(b, esc, 3) == -1)
			return -1;
	}
	return 0;
}

int
share_pct_encode(struct buf *b, const char *s)
{
	return share_pct_encode_n(b, s, strlen(s));
}

/* A code point starts at every byte that is not a continuation byte, so
 * a cut there never splits a UTF-8 sequence, even in invalid input. */
#define SHARE_IS_CONT(c)	(((unsigned char)(c) & 0xC0) == 0x80)

size_t
share_x_fit(const char *text, size_t *cut)
{
	size_t i, cps = 0, keep = 0, space = 0, space_cps = 0;
	const size_t budget = SHARE_X_TEXT_MAX - 1;	/* room for the '…' */

	for (i = 0; text[i] != '\0'; i++) {
		if (SHARE_IS_CONT(text[i]))
			continue;
		if (cps == budget)
			keep = i;
		if (cps < budget && (text[i] == ' ' || text[i] == '\n' ||
		    text[i] == '\t')) {
			space = i;
			space_cps = cps;
		}
		cps++;
	}
	if (cps <= SHARE_X_TEXT_MAX) {
		*cut = i;
		return cps;
	}
	/* At the last word boundary, unless that throws away more than half
	 * of the text: then mid-word, on a code point boundary. */
	if (space_cps >= budget / 2) {
		keep = space;
		cps = space_cps;
		while (keep > 0 && (text[keep - 1] == ' ' ||
		    text[keep - 1] == '\n' || text[keep - 1] == '\t')) {
			keep--;
			cps--;
		}
	} else
		cps = budget;
	*cut = keep;
	return cps + 1;
}

/* The text for X's share page, percent-encoded, fitted to its limit. */
static int
share_x_encode(struct buf *b, const char *text)
{
	size_t cut;

	share_x_fit(text, &cut);
	if (share_pct_encode_n(b, text, cut) == -1)
		return -1;
	if (text[cut] == '\0')
		return 0;
	return share_pct_encode(b, SHARE_ELLIPSIS);
}

int
share_url(struct buf *b, enum network n, const char *link, const char *text)
{
	if ((unsigned)n >= NET_COUNT)
		return -1;
	if (buf_adds(b, share_pages[n].prefix) == -1)
		return -1;
	if (share_pages[n].text_param != NULL) {
		/* X: the text, then the link it appends itself. */
		if (text != NULL && *text != '\0') {
			if (buf_adds(b, share_pages[n].text_param) == -1 ||
			    share_x_encode(b, text) == -1 ||
			    buf_addc(b, '&') == -1)
				return -1;
		}
		if (buf_adds(b, "url=") == -1)
			return -1;
	}
	return share_pct_encode(b, link);
}

const char *
share_text(const char *title, const char *text, const char *network_text)
{
	if (network_text != NULL && *network_text != '\0')
		return network_text;
	if (text != NULL && *text != '\0')
		return text;
	return title != NULL ? title : "";
}
