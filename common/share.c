/* share: share-page URLs of the networks and the choice of suggested text. */
#include <stddef.h>

#include "common/buf.h"
#include "common/share.h"

static const struct {
	const char	*prefix;	/* up to the link's '=' */
	const char	*text_param;	/* before the link, or NULL */
} share_pages[NET_COUNT] = {
	[NET_LINKEDIN] = {
	    "https://www.linkedin.com/sharing/share-offsite/?url=", NULL },
	[NET_X] = { "https://twitter.com/intent/tweet?", "text=" },
	[NET_FACEBOOK] = {
	    "https://www.facebook.com/sharer/sharer.php?u=", NULL },
};

int
share_pct_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char esc[3];

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
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
			    share_pct_encode(b, text) == -1 ||
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
