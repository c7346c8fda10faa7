/*
 * http: the redirector's HTTP server, the only code that speaks to
 * libmicrohttpd. It turns requests into struct route_req, sends the
 * answers of redirector/route.c, and holds each answer that carries a hit
 * until redirector/hitlog.c says the hit is committed.
 */
#ifndef CHORUS_HTTP_H
#define CHORUS_HTTP_H

struct hitlog;
struct http;
struct metrics;
struct route;

struct http_conf {
	const char	*listen;	/* ADDR:PORT */
	const char	*db_path;	/* each server thread opens it once */
	unsigned	 threads;	/* 0: one per usable core but one */
	unsigned	 timeout;	/* seconds an idle connection is kept */
	unsigned	 deadline;	/* seconds for a whole request */
	unsigned	 max_connections;
	unsigned	 max_per_ip;	/* per IPv4 address or IPv6 /64 */
};

/* Binds conf->listen and starts the server, which also decides who
 * commits the hitlog's hits: with one thread, that thread (hitlog_flush
 * between its passes); with more, libmicrohttpd's pool and the hitlog's
 * writer thread (hitlog_start). route, hitlog and m are borrowed and must
 * outlive the server. Returns NULL after logging. */
struct http *http_start(const struct http_conf *, struct route *,
	    struct hitlog *, struct metrics *);

/* Stops accepting connections; answers from now on close theirs. */
void	 http_quiesce(struct http *);
/* Waits until no request is in progress, at most ms milliseconds.
 * Returns 0 when idle, -1 on time-out. */
int	 http_wait_idle(struct http *, unsigned ms);
/* Closes every connection, stops the threads and frees the server. */
void	 http_stop(struct http *);

#endif
