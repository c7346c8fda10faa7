/*
 * utm: merges the three UTM tags into a post's URL, keeping its query,
 * fragment and existing utm_ keys. Writes into the caller's buffer through
 * a small bounded writer: no allocation on the redirect path.
 */
#include <string.h>

#include "redirector/utm.h"

/* A bounded writer: once full it stays failed, so calls can be chained. */
struct out {
	char	*p;
	size_t	 size;
	size_t	 len;
	int	 full;
};

static void
out_add(struct out *o, const char *s, size_t n)
{
	if (o->full || n >= o->size - o->len) {
		o->full = 1;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void
out_adds(struct out *o, const char *s)
{
	out_add(o, s, strlen(s));
}

/* RFC 3986 unreserved characters pass; every other byte becomes %XX. */
static int
utm_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

static void
out_encode(struct out *o, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[3];

	for (; *s != '\0' && !o->full; s++) {
		unsigned char c = (unsigned char)*s;

		if (utm_unreserved(c)) {
			out_add(o, s, 1);
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 0xf];
		out_add(o, esc, 3);
	}
}

/* True when the query (q, qlen) has an item whose key is key. */
static int
utm_has_key(const char *q, size_t qlen, const char *key)
{
	size_t klen = strlen(key), i = 0, start, end;

	while (i <= qlen) {
		start = i;
		while (i < qlen && q[i] != '&')
			i++;
		end = start;
		while (end < i && q[end] != '=')
			end++;
		if (end - start == klen && memcmp(q + start, key, klen) == 0)
			return 1;
		i++;
	}
	return 0;
}

size_t
utm_size(const char *url, const char *network, const char *post_id)
{
	/* "?" or "&", three "utm_xxx=" keys with their separators, the
	 * medium, the encoded values at 3 bytes each, and the NUL. */
	return strlen(url) + 1 + 3 * (sizeof("&utm_campaign=") - 1) +
	    sizeof(UTM_MEDIUM) - 1 + 3 * strlen(network) +
	    3 * strlen(post_id) + 1;
}

int
utm_build(char *out, size_t size, const char *url, const char *network,
    const char *post_id)
{
	static const char *keys[] = { "utm_source", "utm_medium",
	    "utm_campaign" };
	const char *values[3];
	struct out o = { out, size, 0, 0 };
	const char *q, *frag, *end;
	size_t baselen, qlen, i;
	int sep;

	if (size == 0)
		return -1;
	values[0] = network;
	values[1] = UTM_MEDIUM;
	values[2] = post_id;

	/* base [? query] [# fragment]; a '#' ends the query. */
	end = url + strlen(url);
	frag = strchr(url, '#');
	if (frag == NULL)
		frag = end;
	q = memchr(url, '?', (size_t)(frag - url));
	if (q == NULL) {
		baselen = (size_t)(frag - url);
		qlen = 0;
	} else {
		baselen = (size_t)(q - url);
		q++;
		qlen = (size_t)(frag - q);
	}

	out_add(&o, url, baselen);
	if (q != NULL) {
		out_add(&o, "?", 1);
		out_add(&o, q, qlen);
	}
	/* The separator before our first item: none right after "?" or an
	 * existing trailing '&'. */
	if (q == NULL)
		sep = '?';
	else if (qlen == 0 || q[qlen - 1] == '&')
		sep = 0;
	else
		sep = '&';
	for (i = 0; i < 3; i++) {
		char c;

		if (q != NULL && utm_has_key(q, qlen, keys[i]))
			continue;
		if (sep != 0) {
			c = (char)sep;
			out_add(&o, &c, 1);
		}
		sep = '&';
		out_adds(&o, keys[i]);
		out_add(&o, "=", 1);
		out_encode(&o, values[i]);
	}
	out_add(&o, frag, (size_t)(end - frag));
	if (o.full) {
		out[0] = '\0';
		return -1;
	}
	out[o.len] = '\0';
	return 0;
}
