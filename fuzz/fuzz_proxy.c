/*
 * fuzz_proxy: input is a trusted-proxies setting, a newline, and an
 * X-Forwarded-For value. The setting's validation agrees with the parser;
 * the pick is the peer, or an address that parses from one of the
 * header's entries and is untrusted unless it is the leftmost.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/validate.h"
#include "redirector/proxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
same(const struct proxy_addr *a, const struct proxy_addr *b)
{
	return a->family == b->family &&
	    memcmp(a->bytes, b->bytes, PROXY_ADDR_LEN(a)) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proxy_list *l = NULL;
	struct proxy_addr peer, got, item;
	const char *why, *nl, *xff, *p;
	char *in;
	int ok, found = 0, first = 1;
	enum proxy_source src;

	if ((in = malloc(size + 1)) == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if ((nl = strchr(in, '\n')) != NULL) {
		in[nl - in] = '\0';
		xff = nl + 1;
	} else
		xff = NULL;
	ok = proxy_list_parse(in, &l, &why) == 0;
	if (ok != (validate_cidr_list(in, &why) == 0) &&
	    !(ok == 0 && strcmp(why, "too many CIDR blocks") == 0))
		abort();
	if (!ok) {
		free(in);
		return 0;
	}
	memset(&peer, 0, sizeof(peer));
	peer.family = (size & 1) ? AF_INET6 : AF_INET;
	if (peer.family == AF_INET)
		inet_pton(AF_INET, "10.0.0.1", peer.bytes);
	else
		inet_pton(AF_INET6, "::1", peer.bytes);
	src = proxy_pick(l, &peer, xff, &got);
	if (src == PROXY_PEER) {
		if (!same(&got, &peer))
			abort();
	} else {
		if (xff == NULL || !proxy_trusted(l, &peer))
			abort();
		/* got is one of the entries; the leftmost, or untrusted */
		for (p = xff;; p++) {
			const char *c = strchr(p, ',');
			size_t len = c ? (size_t)(c - p) : strlen(p);

			if (proxy_addr_parse(&item, p, len) == 0 &&
			    same(&item, &got))
				found |= first ? 2 : 1;
			first = 0;
			if (c == NULL)
				break;
			p = c;
		}
		if (!found || (!(found & 2) && proxy_trusted(l, &got)))
			abort();
	}
	proxy_list_free(l);
	free(in);
	return 0;
}
