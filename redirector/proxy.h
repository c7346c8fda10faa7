/*
 * proxy: who the client is. The peer of the connection, unless the peer is
 * one of the trusted proxies (redirector.trusted_proxies); then
 * X-Forwarded-For is walked from the right, skipping trusted hops, and the
 * first untrusted address is the client. From anyone else the header is
 * ignored. Pure: no sockets, no allocation after proxy_list_parse().
 */
#ifndef CHORUS_PROXY_H
#define CHORUS_PROXY_H

#include <sys/socket.h>

/* An IPv4 (4 bytes) or IPv6 (16 bytes) address; IPv4-mapped IPv6
 * addresses (::ffff:a.b.c.d) are always stored as IPv4. It lives no longer
 * than its request: only the visitor hash of it is kept. */
struct proxy_addr {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned char	 bytes[16];
};

/* How many bytes of bytes[] are the address: 4 or 16. */
#define PROXY_ADDR_LEN(a)	((a)->family == AF_INET ? 4u : 16u)

/* Most trusted blocks in a list, and most X-Forwarded-For entries walked. */
#define PROXY_MAX_NETS	256
#define PROXY_MAX_HOPS	32

struct proxy_list;

/*
 * Parses the setting: CIDR blocks (a bare address is a single host)
 * separated by commas and/or blanks; "" is an empty list that trusts no
 * one. Returns 0 and a new list in *out (the caller frees it with
 * proxy_list_free), or -1 with *why pointing at a static reason.
 */
int	 proxy_list_parse(const char *spec, struct proxy_list **out,
	    const char **why);
void	 proxy_list_free(struct proxy_list *);
/* Number of blocks in the list. */
size_t	 proxy_list_count(const struct proxy_list *);
/* True when addr is inside one of the blocks. NULL list: trusts no one. */
int	 proxy_trusted(const struct proxy_list *, const struct proxy_addr *);

/* Fills a from an AF_INET or AF_INET6 socket address. Returns 0, or -1 for
 * any other family (the caller treats the client as unknown). */
int	 proxy_addr_from_sockaddr(struct proxy_addr *a, const struct sockaddr *);
/* Parses one X-Forwarded-For entry (len bytes): "a.b.c.d", "a.b.c.d:port",
 * an IPv6 address, "[v6]" or "[v6]:port", blanks around allowed.
 * Returns 0 or -1 when it is anything else ("unknown", a name, garbage). */
int	 proxy_addr_parse(struct proxy_addr *a, const char *s, size_t len);

enum proxy_source {
	PROXY_PEER = 0,		/* the connection's peer */
	PROXY_FORWARDED,	/* an X-Forwarded-For entry */
};

/*
 * Picks the client address into *client. xff is the X-Forwarded-For value
 * (NULL when absent; when a request has several such headers, pass them
 * joined with ","). An untrusted peer, a missing or malformed header, or
 * more than PROXY_MAX_HOPS trusted hops give the peer. When every entry is
 * trusted, the leftmost is the client.
 */
enum proxy_source proxy_pick(const struct proxy_list *,
	    const struct proxy_addr *peer, const char *xff,
	    struct proxy_addr *client);

#endif
