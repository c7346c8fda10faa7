/*
 * route: what the redirector answers, decided without any HTTP library.
 * redirector/http.c turns each request into a struct route_req, calls
 * route_handle(), and sends the struct route_ans it gets back: at once, or
 * once the hit it carries is committed (redirector/hitlog.c), or once a
 * write probe says the database takes writes.
 */
#ifndef CHORUS_ROUTE_H
#define CHORUS_ROUTE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "common/buf.h"
#include "db/hits.h"
#include "redirector/linkcache.h"
#include "redirector/metrics.h"

struct config;
struct db;
struct route;

#define ROUTE_PATH_MAX		128	/* longer paths are 404 unread */
#define ROUTE_BODY_MAX		4096	/* bigger POST bodies are 413 */
#define ROUTE_LOCATION_MAX	8192
#define ROUTE_PAGE_MAX		(64 * 1024)

enum route_method {
	ROUTE_GET = 0,
	ROUTE_HEAD,
	ROUTE_POST,
	ROUTE_OTHER,
};

struct route_req {
	enum route_method	 method;
	const char		*path;		/* decoded, without the query */
	const char		*user_agent;	/* NULL when absent */
	const char		*forwarded_for;	/* X-Forwarded-For headers, joined
						   with ",", or NULL */
	const struct sockaddr	*peer;		/* the TCP peer, may be NULL */
	const char		*body;		/* POST body, body_len bytes */
	size_t			 body_len;
	int			 body_too_big;	/* more than ROUTE_BODY_MAX */
	uint64_t		 generation;	/* link generation known now
						   (hitlog_generation()) */
	time_t			 now;
};

enum route_action {
	ROUTE_SEND = 0,		/* send the answer now */
	ROUTE_RECORD,		/* commit hit first; on failure answer 503 */
	ROUTE_PROBE,		/* commit a health probe; on failure 503 */
};

struct route_ans {
	enum route_action	 action;
	enum metrics_route	 mroute;
	int			 status;
	const char		*allow;		/* Allow header of a 405 */
	const char		*content_type;	/* NULL: empty body */
	int			 page;		/* an HTML page: no-store and
						   no referrer */
	int			 no_store;
	char			 location[ROUTE_LOCATION_MAX]; /* "" = none */
	const char		*text;		/* static body, or NULL: body */
	struct buf		 body;
	struct hit		 hit;		/* with ROUTE_RECORD, or observe */
	int			 observe;	/* a page of a digest was seen:
						   hit says which, for the
						   judge (hitlog_observe) */
	char			 code[16];	/* the link's code */
	struct linkcache_entry	 cached;	/* scratch for the link cache */
};

/* Reads the settings it needs and compiles the page templates. Returns
 * NULL after logging a one-line error. m is borrowed. */
struct route *route_new(const struct config *, struct metrics *);
void	 route_free(struct route *);

/* Prepares an answer for reuse; route_ans_release frees its body. */
void	 route_ans_init(struct route_ans *);
void	 route_ans_release(struct route_ans *);

/* Decides the answer to req, reading (and for the pages' POSTs, writing)
 * db, a connection owned by the calling thread. Fills ans (its body is
 * emptied first). Never fails: a database error is a 503 answer. */
void	 route_handle(struct route *, struct db *, const struct route_req *,
	    struct route_ans *);

/* True when X-Forwarded-For can matter (trusted proxies are set); the
 * caller then joins every such header into forwarded_for. */
int	 route_trusts_proxies(const struct route *);

/* Called at least once a minute: drops the visitor key of a past day and
 * fetches the next day's from the database ahead of midnight UTC. */
void	 route_tick(struct route *, time_t now);

#define ROUTE_TOPICS_MAX	64	/* topics one form may check */
#define ROUTE_TOPIC_MAX		128	/* bytes of one, with the NUL */

/* A preferences form as posted. */
struct route_prefs {
	const char	*frequency;	/* static: daily, weekdays, ... */
	unsigned	 networks;	/* non-empty NET_BIT mask */
	char		 timezone[72];	/* as typed; "" when absent */
	char		 send_time[6];	/* "HH:MM"; "" when absent */
	int		 has_topics;	/* the form listed topics (topics=) */
	char		 topics[ROUTE_TOPICS_MAX][ROUTE_TOPIC_MAX];
	size_t		 ntopics;	/* the ones checked, each once */
};

/* Parses a preferences form (application/x-www-form-urlencoded, len
 * bytes, not NUL-terminated): frequency=daily|weekdays|weekly|paused, one
 * network=NAME per chosen network, and optionally send_time=HH:MM,
 * timezone=NAME (its spelling only: the caller checks the zone exists),
 * topics=1 with one topic=ROLE per role checked. Returns 0, or -1 with
 * *why pointing at a static sentence fit for the page that names the
 * field. */
int	 route_parse_prefs(const char *body, size_t len, struct route_prefs *,
	    const char **why);

enum route_unsub_action {
	ROUTE_UNSUB_CONFIRM = 0,	/* one-click, or the confirm button */
	ROUTE_UNSUB_WEEKLY,		/* action=weekly: weekly instead */
	ROUTE_UNSUB_RESUBSCRIBE,	/* action=resubscribe: a way back */
};

/* What a POST to the unsubscribe page asks (len bytes, not
 * NUL-terminated). Anything but action=weekly or action=resubscribe,
 * malformed bodies included, unsubscribes: RFC 8058 one-click must. */
enum route_unsub_action route_parse_unsub(const char *body, size_t len);

/* Parses the "not for me" form (as route_parse_prefs): reason=VALUE is
 * optional, an empty value is none. *reason is NULL or a static string
 * the declines table accepts. Returns 0, or -1 with *why pointing at a
 * static sentence fit for the page. */
int	 route_parse_decline(const char *body, size_t len, const char **reason,
	    const char **why);

/* Rebuilds the Location of a recorded answer from the database, after
 * the writer said the link generation changed before its hit committed
 * (HITLOG_STALE). The answer becomes ROUTE_SEND, or an error answer. */
void	 route_refresh(struct route *, struct db *, struct route_ans *);

/* The answer after a ROUTE_RECORD or ROUTE_PROBE could not commit. */
void	 route_unavailable(struct route_ans *);

#endif
