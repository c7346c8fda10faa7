/*
 * proxy: the trusted-proxy list and the X-Forwarded-For walk that finds the
 * client's address behind it.
 */
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "common/validate.h"
#include "common/xmalloc.h"
#include "redirector/proxy.h"

struct proxy_net {
	struct proxy_addr	 addr;
	int			 bits;
};

struct proxy_list {
	size_t			 n;
	struct proxy_net	 nets[PROXY_MAX_NETS];
};

static const unsigned char v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* ::ffff:a.b.c.d becomes a.b.c.d, so one rule covers dual-stack sockets. */
static void
addr_unmap(struct proxy_addr *a, int *bits)
{
	if (a->family != AF_INET6 || memcmp(a->bytes, v4mapped, 12) != 0)
		return;
	if (bits != NULL) {
		if (*bits < 96)
			return;		/* wider than the mapped range */
		*bits -= 96;
	}
	memmove(a->bytes, a->bytes + 12, 4);
	memset(a->bytes + 4, 0, 12);
	a->family = AF_INET;
}

int
proxy_list_parse(const char *spec, struct proxy_list **out, const char **why)
{
	struct proxy_list *l = xcalloc(1, sizeof(*l));
	struct proxy_net *net;
	const char *s = spec;
	size_t n;

	for (;;) {
		s += strspn(s, ", \t");
		if (*s == '\0')
			break;
		n = strcspn(s, ", \t");
		if (l->n == PROXY_MAX_NETS) {
			*why = "too many CIDR blocks";
			goto fail;
		}
		net = &l->nets[l->n];
		if (validate_cidr(s, n, &net->addr.family, net->addr.bytes,
		    &net->bits, why) == -1)
			goto fail;
		addr_unmap(&net->addr, &net->bits);
		l->n++;
		s += n;
	}
	*out = l;
	return 0;
fail:
	free(l);
	return -1;
}

void
proxy_list_free(struct proxy_list *l)
{
	free(l);
}

size_t
proxy_list_count(const struct proxy_list *l)
{
	return l == NULL ? 0 : l->n;
}

static int
net_contains(const struct proxy_net *net, const struct proxy_addr *a)
{
	int full, rest;

	if (net->addr.family != a->family)
		return 0;
	full = net->bits / 8;
	rest = net->bits % 8;
	if (memcmp(net->addr.bytes, a->bytes, (size_t)full) != 0)
		return 0;
	if (rest != 0) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));

		if ((net->addr.bytes[full] & mask) != (a->bytes[full] & mask))
			return 0;
	}
	return 1;
}

int
proxy_trusted(const struct proxy_list *l, const struct proxy_addr *a)
{
	size_t i;

	if (l == NULL)
		return 0;
	for (i = 0; i < l->n; i++)
		if (net_contains(&l->nets[i], a))
			return 1;
	return 0;
}

int
proxy_addr_from_sockaddr(struct proxy_addr *a, const struct sockaddr *sa)
{
	memset(a, 0, sizeof(*a));
	if (sa == NULL)
		return -1;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)sa;

		a->family = AF_INET;
		memcpy(a->bytes, &sin->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		a->family = AF_INET6;
		memcpy(a->bytes, &sin6->sin6_addr, 16);
		addr_unmap(a, NULL);
		return 0;
	}
	return -1;
}

/* Digits only, 1..5 of them, at most 65535. */
static int
is_port(const char *s, size_t len)
{
	size_t i;
	long v = 0;

	if (len == 0 || len > 5)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 65535;
}

int
proxy_addr_parse(struct proxy_addr *a, const char *s, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];
	const char *colon;

	memset(a, 0, sizeof(*a));
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0)
		return -1;
	if (s[0] == '[') {
		/* [v6] or [v6]:port */
		const char *rb = memchr(s, ']', len);

		if (rb == NULL)
			return -1;
		if ((size_t)(rb - s) + 1 < len && (rb[1] != ':' ||
		    !is_port(rb + 2, len - (size_t)(rb - s) - 2)))
			return -1;
		len = (size_t)(rb - s) - 1;
		s++;
		if (len == 0 || len >= sizeof(tmp))
			return -1;
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		if (inet_pton(AF_INET6, tmp, a->bytes) != 1)
			return -1;
		a->family = AF_INET6;
		addr_unmap(a, NULL);
		return 0;
	}
	/* a.b.c.d:port has exactly one colon; IPv6 has two or more. */
	colon = memchr(s, ':', len);
	if (colon != NULL && memchr(colon + 1, ':',
	    len - (size_t)(colon - s) - 1) == NULL) {
		if (!is_port(colon + 1, len - (size_t)(colon - s) - 1))
			return -1;
		len = (size_t)(colon - s);
		colon = NULL;
	}
	if (len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (colon == NULL && inet_pton(AF_INET, tmp, a->bytes) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (colon != NULL && inet_pton(AF_INET6, tmp, a->bytes) == 1) {
		a->family = AF_INET6;
		addr_unmap(a, NULL);
		return 0;
	}
	memset(a, 0, sizeof(*a));
	return -1;
}

enum proxy_source
proxy_pick(const struct proxy_list *l, const struct proxy_addr *peer,
    const char *xff, struct proxy_addr *client)
{
	struct proxy_addr cand;
	size_t end, start;
	int hops;

	*client = *peer;
	if (xff == NULL || !proxy_trusted(l, peer))
		return PROXY_PEER;
	end = strlen(xff);
	if (end == strspn(xff, " \t"))
		return PROXY_PEER;		/* blank: no hop */
	for (hops = 0; hops < PROXY_MAX_HOPS; hops++) {
		start = end;
		while (start > 0 && xff[start - 1] != ',')
			start--;
		if (proxy_addr_parse(&cand, xff + start, end - start) == -1)
			return PROXY_PEER;	/* malformed: believe nothing */
		if (!proxy_trusted(l, &cand) || start == 0) {
			*client = cand;
			return PROXY_FORWARDED;
		}
		end = start - 1;		/* before the comma */
	}
	return PROXY_PEER;
}
