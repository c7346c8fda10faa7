/*
 * fuzz_utm: input is URL NUL post-id. The Location always fits utm_size(),
 * starts with the URL's part before its query, keeps the URL's query as
 * its own start, ends with the URL's fragment, and holds each of the three
 * utm_ keys as many times as the URL did, or once if it had none. A buffer
 * one byte short always fails cleanly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redirector/utm.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Items of the query q (len bytes) whose key is key. */
static size_t
count_key(const char *q, size_t len, const char *key)
{
	size_t klen = strlen(key), i = 0, start, end, n = 0;

	while (i <= len) {
		start = i;
		while (i < len && q[i] != '&')
			i++;
		for (end = start; end < i && q[end] != '='; end++)
			;
		if (end - start == klen && memcmp(q + start, key, klen) == 0)
			n++;
		i++;
	}
	return n;
}

/* Splits s into base, query (NULL if none) and fragment (from '#'). */
static void
split(const char *s, size_t *baselen, const char **q, size_t *qlen,
    const char **frag)
{
	const char *f = strchr(s, '#'), *qm;

	if (f == NULL)
		f = s + strlen(s);
	qm = memchr(s, '?', (size_t)(f - s));
	*frag = f;
	if (qm == NULL) {
		*baselen = (size_t)(f - s);
		*q = NULL;
		*qlen = 0;
	} else {
		*baselen = (size_t)(qm - s);
		*q = qm + 1;
		*qlen = (size_t)(f - qm - 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *nets[] = { "linkedin", "x", "facebook" };
	static const char *keys[] = { "utm_source", "utm_medium",
	    "utm_campaign" };
	const char *q, *frag, *oq, *ofrag, *net;
	char *in, *url, *id, *out;
	size_t n, baselen, qlen, obaselen, oqlen, flen, olen, i, had, has;

	if ((in = malloc(size + 2)) == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = in[size + 1] = '\0';
	url = in;
	id = in + strlen(in) + 1;
	net = nets[size % 3];
	n = utm_size(url, net, id);
	if ((out = malloc(n)) == NULL) {
		free(in);
		return 0;
	}
	if (utm_build(out, n, url, net, id) != 0)
		abort();
	olen = strlen(out);
	if (olen >= n)
		abort();
	split(url, &baselen, &q, &qlen, &frag);
	split(out, &obaselen, &oq, &oqlen, &ofrag);
	flen = strlen(frag);
	/* scheme, authority and path are the URL's */
	if (obaselen != baselen || memcmp(out, url, baselen) != 0)
		abort();
	/* the URL's query is the start of the new one */
	if (oq == NULL || (q != NULL && (oqlen < qlen ||
	    memcmp(oq, q, qlen) != 0)))
		abort();
	/* the fragment, untouched, at the end */
	if (strlen(ofrag) != flen ||
	    memcmp(out + olen - flen, frag, flen) != 0)
		abort();
	for (i = 0; i < 3; i++) {
		had = q == NULL ? 0 : count_key(q, qlen, keys[i]);
		has = count_key(oq, oqlen, keys[i]);
		if (has != (had > 0 ? had : 1))
			abort();
	}
	/* exact fit works, one byte less fails with "" */
	if (utm_build(out, olen + 1, url, net, id) != 0)
		abort();
	if (utm_build(out, olen, url, net, id) != -1 ||
	    (olen > 0 && out[0] != '\0'))
		abort();
	free(out);
	free(in);
	return 0;
}
