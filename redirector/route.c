/*
 * route: the redirector's routes in one table, and the answer to each. The
 * code routes are the hot path: the code's length and alphabet are checked
 * before any lookup, the lookup is one prepared statement, and the
 * Location is built in the answer's own buffer, never from the request.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/day.h"
#include "common/hex.h"
#include "common/log.h"
#include "common/network.h"
#include "common/random.h"
#include "common/share.h"
#include "common/template.h"
#include "common/validate.h"
#include "db/daykey.h"
#include "db/db.h"
#include "db/stmt.h"
#include "db/employees.h"
#include "db/redirect.h"
#include "redirector/classify.h"
#include "redirector/hitlog.h"
#include "redirector/judge.h"
#include "redirector/linkcache.h"
#include "redirector/proxy.h"
#include "redirector/route.h"
#include "redirector/utm.h"
#include "redirector/visitor.h"

#define SHARE_TEXT_MAX	1040	/* suggested text carried to a share page:
				   more than X takes (common/share.h) */
#define FORM_VALUE_MAX	ROUTE_TOPIC_MAX
_Static_assert(HIT_VISITOR_LEN == VISITOR_LEN, "hits.visitor size");

#define ROUTE_CACHE_SLOTS	(1 << 15)	/* codes kept in memory */
#define ROUTE_REPEAT_SLOTS	(1 << 16)	/* visitor and link pairs */

enum route_id {
	RT_CODE = 0,
	RT_SHARE,
	RT_UNSUB,
	RT_PREF,
	RT_NOTFORME,
	RT_HEALTH,
	RT_METRICS,
};

#define M_GET	(1u << ROUTE_GET)
#define M_HEAD	(1u << ROUTE_HEAD)
#define M_POST	(1u << ROUTE_POST)

enum param {
	P_NONE = 0,	/* exact path */
	P_CODE,		/* a link code */
	P_TOKEN,	/* an unsubscribe or preferences token */
};

/* The routes of the SPEC; the code route, a bare "/CODE", is last. */
static const struct route_def {
	const char		*prefix;
	enum route_id		 id;
	enum metrics_route	 mroute;
	enum param		 param;
	unsigned		 methods;
	const char		*allow;
} routes[] = {
	{ "/healthz", RT_HEALTH, MR_HEALTH, P_NONE, M_GET | M_HEAD,
	  "GET, HEAD" },
	{ "/metrics", RT_METRICS, MR_METRICS, P_NONE, M_GET | M_HEAD,
	  "GET, HEAD" },
	{ "/s/", RT_SHARE, MR_SHARE, P_CODE, M_GET | M_HEAD, "GET, HEAD" },
	{ "/u/", RT_UNSUB, MR_UNSUB, P_TOKEN, M_GET | M_HEAD | M_POST,
	  "GET, HEAD, POST" },
	{ "/p/", RT_PREF, MR_PREF, P_TOKEN, M_GET | M_HEAD | M_POST,
	  "GET, HEAD, POST" },
	{ "/n/", RT_NOTFORME, MR_NOTFORME, P_CODE, M_GET | M_HEAD | M_POST,
	  "GET, HEAD, POST" },
	{ "/", RT_CODE, MR_CODE, P_CODE, M_GET | M_HEAD, "GET, HEAD" },
};

/* The reasons the "not for me" page offers: the values the declines
 * table's CHECK allows (db/migrations/004_not_for_me.sql). */
static const char *const decline_reasons[] = {
	"not_relevant", "not_my_network", "would_not_share",
};
static const char *const decline_labels[] = {
	"Not relevant to me", "Not for my network", "I would not share this",
};
#define NREASON	(sizeof(decline_reasons) / sizeof(decline_reasons[0]))

struct route {
	struct metrics		*m;
	struct visitor_key	*key;
	struct db		*keydb;		/* the key store's own */
	struct visitor_repeats	*repeats;
	struct proxy_list	*proxies;
	struct proxy_list	*scanners;	/* redirector.scanner_networks */
	struct linkcache	*cache;
	char			*base_url;	/* without a trailing '/' */
	const char		*base_path;	/* its path ("/l"), or "" */
	struct template		*t_unsub;
	struct template		*t_pref;
	struct template		*t_done;
	struct template		*t_notforme;
	char			*default_tz;	/* digest.timezone */
	char			*default_send_time; /* digest.send_time */
};

static const char text_not_found[] = "not found\n";
static const char text_bad_method[] = "method not allowed\n";
static const char text_unavailable[] = "service unavailable\n";
static const char text_too_big[] = "request body too large\n";
static const char text_error[] = "internal error\n";

static void
answer_text(struct route_ans *a, int status, const char *text)
{
	a->action = ROUTE_SEND;
	a->status = status;
	a->content_type = "text/plain; charset=utf-8";
	a->text = text;
	a->location[0] = '\0';
}

void
route_unavailable(struct route_ans *a)
{
	answer_text(a, 503, text_unavailable);
	a->no_store = 1;
}

void
route_ans_init(struct route_ans *a)
{
	memset(a, 0, sizeof(*a));
	buf_init(&a->body, ROUTE_PAGE_MAX);
}

void
route_ans_release(struct route_ans *a)
{
	buf_release(&a->body);
}

/* The day's visitor key, shared with every process on the database
 * (db/daykey.c), for redirector/visitor.c. */
static int
route_daykey(void *arg, int64_t day, int64_t keep_from,
    const unsigned char fresh[VISITOR_KEY_LEN],
    unsigned char out[VISITOR_KEY_LEN])
{
	return db_daykey_get(arg, day, keep_from, fresh, out);
}

struct route *
route_new(const struct config *cfg, struct metrics *m)
{
	struct route *r;
	/* Each page: the file in chorus.templates, else the shipped one. */
	const char *dir = config_str(cfg, "chorus.templates");
	const char *base = config_str(cfg, "chorus.base_url");
	const char *why = NULL;
	char err[512];
	size_t n;

	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		log_error_errno("redirector");
		return NULL;
	}
	r->m = m;
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	if ((r->base_url = strndup(base, n)) == NULL ||
	    (r->default_tz = strdup(config_str(cfg, "digest.timezone"))) ==
	    NULL || (r->default_send_time = strdup(config_str(cfg,
	    "digest.send_time"))) == NULL) {
		log_error_errno("redirector");
		goto fail;
	}
	/* The links in the mail carry its path; a proxy may pass it on. */
	r->base_path = config_url_path(r->base_url);
	if ((r->t_unsub = template_open(dir, "unsubscribe.html", 0, err,
	    sizeof(err))) == NULL ||
	    (r->t_pref = template_open(dir, "preferences.html", 0, err,
	    sizeof(err))) == NULL ||
	    (r->t_done = template_open(dir, "done.html", 0, err,
	    sizeof(err))) == NULL ||
	    (r->t_notforme = template_open(dir, "notforme.html", 0, err,
	    sizeof(err))) == NULL) {
		log_error("%s", err);
		goto fail;
	}
	if (proxy_list_parse(config_str(cfg, "redirector.trusted_proxies"),
	    &r->proxies, &why) == -1) {
		log_error("redirector.trusted_proxies: %s", why);
		goto fail;
	}
	if (proxy_list_parse(config_str(cfg, "redirector.scanner_networks"),
	    &r->scanners, &why) == -1) {
		log_error("redirector.scanner_networks: %s", why);
		goto fail;
	}
	r->cache = linkcache_new(ROUTE_CACHE_SLOTS);
	r->key = visitor_key_new(rand_bytes);
	r->repeats = visitor_repeats_new(ROUTE_REPEAT_SLOTS);
	if (r->key == NULL || r->repeats == NULL)
		goto fail;
	/* Every redirector on the database hashes under the same day key;
	 * its store has a connection of its own, used one call at a time. */
	if ((r->keydb = db_open(config_str(cfg, "chorus.database"), 0)) ==
	    NULL)
		goto fail;
	(void)db_watch(r->keydb, hitlog_deadline_ms());
	visitor_key_set_store(r->key, route_daykey, r->keydb);
	visitor_key_prefetch(r->key, time(NULL));
	return r;
fail:
	route_free(r);
	return NULL;
}

void
route_free(struct route *r)
{
	if (r == NULL)
		return;
	template_free(r->t_unsub);
	template_free(r->t_pref);
	template_free(r->t_done);
	template_free(r->t_notforme);
	proxy_list_free(r->proxies);
	proxy_list_free(r->scanners);
	linkcache_free(r->cache);
	visitor_key_free(r->key);
	db_close(r->keydb);
	visitor_repeats_free(r->repeats);
	free(r->base_url);
	free(r->default_tz);
	free(r->default_send_time);
	free(r);
}

/* A token as rand_token() makes them: 36 lower-case hex digits and '-'. */
static int
token_ok(const char *s)
{
	size_t i;

	for (i = 0; i < RAND_TOKEN_LEN; i++) {
		char c = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
	}
	return s[RAND_TOKEN_LEN] == '\0';
}

/* Fills the hit's class, visitor hash and repeat flag. The client's
 * address lives on this stack frame only: just its keyed hash is kept.
 * A repeat is the same visitor on the same link and route: a click never
 * hides a share, nor a share a click. */
static void
route_classify(struct route *r, const struct route_req *q, struct hit *h)
{
	struct proxy_addr peer, client;

	if (q->method == ROUTE_HEAD)
		h->class = HIT_HEAD;
	else {
		switch (classify_ua(q->user_agent, NULL)) {
		case CLASSIFY_BOT:
			h->class = HIT_BOT;
			break;
		case CLASSIFY_PREVIEW:
			h->class = HIT_PREVIEW;
			break;
		default:
			h->class = HIT_HUMAN;
			break;
		}
	}
	h->has_visitor = 0;
	h->repeat = 0;
	if (q->peer == NULL || proxy_addr_from_sockaddr(&peer, q->peer) == -1)
		return;
	(void)proxy_pick(r->proxies, &peer, q->forwarded_for, &client);
	if (h->class != HIT_HEAD && proxy_list_count(r->scanners) > 0 &&
	    proxy_trusted(r->scanners, &client))
		h->class = HIT_SCANNER;
	if (visitor_hash(r->key, q->now, client.bytes, PROXY_ADDR_LEN(&client),
	    q->user_agent, h->visitor) == 0) {
		h->has_visitor = 1;
		h->repeat = visitor_repeats_check(r->repeats, h->visitor,
		    h->link_id * 2 + (int64_t)h->kind, q->now);
	}
	explicit_bzero(&peer, sizeof(peer));
	explicit_bzero(&client, sizeof(client));
}

int
route_trusts_proxies(const struct route *r)
{
	return proxy_list_count(r->proxies) > 0;
}

void
route_tick(struct route *r, time_t now)
{
	visitor_key_prefetch(r->key, now);
}

/* Builds the Location of code from the database into a->location, and
 * what the cache keeps of its link into *ce (not its Location). Returns
 * 1, 0 when there is no such link (a->status is then set), -1 when the
 * answer is an error (set too). */
static int
route_build(struct route *r, struct db *db, const char *code, int share,
    struct route_ans *a, struct linkcache_entry *ce)
{
	struct redirect_link link;
	char text[SHARE_TEXT_MAX], url[256];
	int rc;

	rc = db_redirect_link_find(db, code, &link, share ? text : NULL,
	    sizeof(text));
	if (rc == -1) {
		metrics_error(r->m, ME_LOOKUP);
		route_unavailable(a);
		return -1;
	}
	if (rc == 0) {
		answer_text(a, 404, text_not_found);
		return 0;
	}
	if (share) {
		/* The body is empty on a redirect: build the page in it. */
		snprintf(url, sizeof(url), "%s/%s", r->base_url, code);
		buf_reset(&a->body);
		rc = share_url(&a->body, (enum network)link.network, url, text);
		if (rc == 0 && a->body.len < sizeof(a->location))
			memcpy(a->location, buf_cstr(&a->body),
			    a->body.len + 1);
		else
			rc = -1;
		buf_reset(&a->body);
	} else
		rc = utm_build(a->location, sizeof(a->location), link.url,
		    network_name((enum network)link.network), link.ext_id);
	if (rc == -1) {
		log_warnx("redirector: link %lld: Location too long",
		    (long long)link.link_id);
		answer_text(a, 500, text_error);
		return -1;
	}
	ce->link_id = link.link_id;
	ce->gen = link.gen;
	ce->employee_id = link.employee_id;
	ce->digest_id = link.digest_id;
	ce->delivered = link.delivered;
	return 1;
}

static void
route_link(struct route *r, struct db *db, const struct route_req *q,
    const char *code, int share, struct route_ans *a)
{
	struct linkcache_entry *ce = &a->cached;

	memcpy(a->code, code, strlen(code) + 1);	/* a checked code */
	/* Clicks are served from memory while the link generation holds;
	 * share pages are rarer and always read. */
	if (!share && linkcache_get(r->cache, code, q->generation, ce))
		memcpy(a->location, ce->location, strlen(ce->location) + 1);
	else {
		if (route_build(r, db, code, share, a, ce) != 1)
			return;
		if (!share) {
			if (strlen(a->location) < sizeof(ce->location)) {
				memcpy(ce->location, a->location,
				    strlen(a->location) + 1);
				linkcache_put(r->cache, code, ce);
			}
		}
	}
	memset(&a->hit, 0, sizeof(a->hit));
	a->hit.link_id = ce->link_id;
	a->hit.gen = ce->gen;
	a->hit.employee_id = ce->employee_id;
	a->hit.digest_id = ce->digest_id;
	a->hit.delivered = ce->delivered;
	a->hit.ts = q->now;
	a->hit.kind = share ? HIT_SHARE : HIT_CLICK;
	route_classify(r, q, &a->hit);
	a->action = ROUTE_RECORD;
	a->status = 302;
	a->no_store = 1;
}

void
route_refresh(struct route *r, struct db *db, struct route_ans *a)
{
	struct linkcache_entry ce;

	if (route_build(r, db, a->code, a->hit.kind == HIT_SHARE, a,
	    &ce) != 1)
		return;
	a->action = ROUTE_SEND;
	a->status = 302;
	a->no_store = 1;
	/* A redirect alone, whatever a refresh that failed before this one
	 * (tried again by the caller) left in the answer. */
	a->text = NULL;
	a->content_type = NULL;
	a->page = 0;
	buf_reset(&a->body);
}

/* Renders t into the answer's body as an HTML page with status. */
static void
route_page(struct route *r, const struct template *t, struct tdict *d,
    int status, struct route_ans *a)
{
	a->action = ROUTE_SEND;
	buf_reset(&a->body);
	if (template_render(t, d, &a->body) == -1) {
		metrics_error(r->m, ME_PAGE);
		answer_text(a, 500, text_error);
		return;
	}
	a->status = status;
	a->content_type = "text/html; charset=utf-8";
	a->page = 1;
	a->no_store = 1;
	a->text = NULL;
}

/* Decodes one application/x-www-form-urlencoded piece into out (cap
 * bytes). Returns 0, or -1 when it is malformed or does not fit. */
static int
form_decode(const char *s, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if (i + 2 >= n || (hi = hex_value(s[i + 1])) < 0 ||
			    (lo = hex_value(s[i + 2])) < 0)
				return -1;
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (c == '\0' || o + 1 >= cap)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/* Calls fn(arg, key, value) for each pair of a form body; stops at the
 * first pair fn refuses (-1). Returns 0, or -1 when a pair is malformed
 * (*why says so) or refused. */
static int
form_each(const char *body, size_t len,
    int (*fn)(void *, const char *, const char *, const char **), void *arg,
    const char **why)
{
	const char *p = body, *end = body + len, *amp, *eq, *v;
	char key[FORM_VALUE_MAX], val[FORM_VALUE_MAX];

	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		v = eq < amp ? eq + 1 : amp;
		if (form_decode(p, (size_t)(eq - p), key, sizeof(key)) == -1 ||
		    form_decode(v, (size_t)(amp - v), val, sizeof(val)) == -1) {
			*why = "The form could not be read.";
			return -1;
		}
		if (fn(arg, key, val, why) == -1)
			return -1;
		p = amp + 1;
	}
	return 0;
}

static int
prefs_pair(void *arg, const char *key, const char *val, const char **why)
{
	struct route_prefs *f = arg;
	size_t i;
	int n, minutes, fq;

	if (strcmp(key, "frequency") == 0) {
		f->frequency = NULL;
		if ((fq = frequency_parse(val)) != -1)
			f->frequency = frequency_name((enum frequency)fq);
		if (f->frequency == NULL) {
			*why = "Frequency: choose daily, weekdays, weekly or "
			    "paused.";
			return -1;
		}
	} else if (strcmp(key, "network") == 0) {
		if ((n = network_from_name(val)) < 0) {
			*why = "Networks: that network is not one we know.";
			return -1;
		}
		f->networks |= NET_BIT(n);
	} else if (strcmp(key, "send_time") == 0) {
		if (validate_hhmm(val, &minutes, why) == -1) {
			*why = "Send time: give it as HH:MM, from 00:00 to "
			    "23:59.";
			return -1;
		}
		/* validate_hhmm() bounds minutes: always "HH:MM". */
		f->send_time[0] = (char)('0' + minutes / 600);
		f->send_time[1] = (char)('0' + minutes / 60 % 10);
		f->send_time[2] = ':';
		f->send_time[3] = (char)('0' + minutes % 60 / 10);
		f->send_time[4] = (char)('0' + minutes % 10);
		f->send_time[5] = '\0';
	} else if (strcmp(key, "timezone") == 0) {
		if (*val == '\0' || strlen(val) >= sizeof(f->timezone)) {
			*why = "Time zone: give a zone name such as "
			    "Europe/Berlin.";
			return -1;
		}
		memcpy(f->timezone, val, strlen(val) + 1);
	} else if (strcmp(key, "topics") == 0)
		f->has_topics = 1;
	else if (strcmp(key, "topic") == 0) {
		for (i = 0; i < f->ntopics; i++)
			if (strcmp(f->topics[i], val) == 0)
				return 0;
		if (*val == '\0' || f->ntopics == ROUTE_TOPICS_MAX) {
			*why = "Topics: that is not a topic we offer.";
			return -1;
		}
		memcpy(f->topics[f->ntopics++], val, strlen(val) + 1);
	}
	return 0;
}

int
route_parse_prefs(const char *body, size_t len, struct route_prefs *f,
    const char **why)
{
	memset(f, 0, sizeof(*f));
	if (form_each(body, len, prefs_pair, f, why) == -1)
		return -1;
	if (f->frequency == NULL) {
		*why = "Frequency: choose daily, weekdays, weekly or paused.";
		return -1;
	}
	if (f->networks == 0) {
		*why = "Networks: choose at least one network.";
		return -1;
	}
	return 0;
}

static int
unsub_pair(void *arg, const char *key, const char *val, const char **why)
{
	enum route_unsub_action *a = arg;

	(void)why;
	if (strcmp(key, "action") == 0) {
		if (strcmp(val, "weekly") == 0)
			*a = ROUTE_UNSUB_WEEKLY;
		else if (strcmp(val, "resubscribe") == 0)
			*a = ROUTE_UNSUB_RESUBSCRIBE;
		else
			*a = ROUTE_UNSUB_CONFIRM;
	} else if (strcmp(key, "List-Unsubscribe") == 0) {
		/* One-click wins over anything else in the body. */
		*a = ROUTE_UNSUB_CONFIRM;
		return -1;
	}
	return 0;
}

static int
decline_pair(void *arg, const char *key, const char *val, const char **why)
{
	const char **reason = arg;
	size_t i;

	if (strcmp(key, "reason") != 0 || val[0] == '\0')
		return 0;
	*reason = NULL;
	for (i = 0; i < NREASON; i++)
		if (strcmp(val, decline_reasons[i]) == 0)
			*reason = decline_reasons[i];
	if (*reason == NULL) {
		*why = "Choose one of the reasons, or none.";
		return -1;
	}
	return 0;
}

int
route_parse_decline(const char *body, size_t len, const char **reason,
    const char **why)
{
	*reason = NULL;
	return form_each(body, len, decline_pair, reason, why);
}

enum route_unsub_action
route_parse_unsub(const char *body, size_t len)
{
	enum route_unsub_action a = ROUTE_UNSUB_CONFIRM;
	const char *why;

	if (form_each(body, len, unsub_pair, &a, &why) == -1)
		return ROUTE_UNSUB_CONFIRM;
	return a;
}

/* The page's values: the employee's in effect, the settings' defaults
 * where HR gave none. */
static void
pref_dict(struct route *r, struct tdict *d, const struct redirect_employee *e,
    const struct redirect_topics *t)
{
	struct tdict *it;
	size_t i;
	int f, n;

	tdict_set(d, "name", e->name);
	tdict_set(d, "email", e->email);
	tdict_set_bool(d, "unsubscribed", e->unsubscribed);
	for (f = 0; f < FREQ_COUNT; f++) {
		it = tdict_add_item(d, "frequencies");
		tdict_set(it, "value", frequency_name((enum frequency)f));
		tdict_set(it, "label", frequency_label((enum frequency)f));
		tdict_set_bool(it, "checked", strcmp(e->frequency,
		    frequency_name((enum frequency)f)) == 0);
	}
	for (n = 0; n < NET_COUNT; n++) {
		it = tdict_add_item(d, "networks");
		tdict_set(it, "value", network_name((enum network)n));
		tdict_set(it, "label", network_label((enum network)n));
		tdict_set_bool(it, "checked", (e->networks & NET_BIT(n)) !=
		    0);
	}
	/* A topic is checked when its posts come: HR's unless muted, any
	 * other when followed. */
	for (i = 0; i < t->n; i++) {
		unsigned fl = t->v[i].flags;

		it = tdict_add_item(d, "topics");
		tdict_set(it, "value", t->v[i].role);
		tdict_set_bool(it, "hr", (fl & TOPIC_HR) != 0);
		tdict_set_bool(it, "checked", (fl & TOPIC_HR) ?
		    !(fl & TOPIC_MUTED) : (fl & TOPIC_FOLLOWED) != 0);
	}
	tdict_set_bool(d, "has_topics", t->n > 0);
	tdict_set(d, "send_time", *e->send_time ? e->send_time :
	    r->default_send_time);
	tdict_set(d, "timezone", *e->timezone ? e->timezone : r->default_tz);
}

/* A GET or HEAD of a digest's footer page: the judge weighs it with the
 * digest's links (redirector/judge.h), so the answer carries it. */
static void
route_observe(struct route *r, struct db *db, const struct route_req *q,
    int64_t employee_id, int64_t url, struct route_ans *a)
{
	struct hit *h = &a->hit;

	memset(h, 0, sizeof(*h));
	if (db_redirect_latest_digest(db, employee_id, &h->digest_id,
	    &h->delivered) == -1) {
		metrics_error(r->m, ME_LOOKUP);
		return;
	}
	h->link_id = url;
	h->employee_id = employee_id;
	h->ts = q->now;
	h->class = q->method == ROUTE_HEAD ? HIT_HEAD : HIT_HUMAN;
	a->observe = 1;
}

/* Today's UTC date, for the posts whose topics are still on offer. */
static void
route_today(time_t now, char *out, size_t len)
{
	struct tm tm;

	if (gmtime_r(&now, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	strftime(out, len, "%Y-%m-%d", &tm);
}

/* Turns a valid form into the changes to save against what is stored:
 * the own bits of the fields that changed, the zone checked against the
 * system's database (as an import does), topics into follows (checked,
 * not HR's) and mutes (HR's, not checked). Returns 0, or -1 with *why. */
static int
pref_changes(struct route *r, const struct redirect_employee *e,
    const struct redirect_topics *t, const struct route_prefs *f,
    struct redirect_prefs *out, const char **follows, const char **mutes,
    const char **why)
{
	const char *cur, *zwhy;
	size_t i, j;
	int checked;

	memset(out, 0, sizeof(*out));
	out->frequency = f->frequency;
	out->networks = f->networks;
	if (strcmp(f->frequency, e->frequency) != 0)
		out->own |= EMP_OWN_FREQUENCY;
	if (f->networks != e->networks)
		out->own |= EMP_OWN_NETWORKS;
	cur = *e->timezone ? e->timezone : r->default_tz;
	if (*f->timezone != '\0' && strcmp(f->timezone, cur) != 0) {
		if (validate_tz(f->timezone, &zwhy) == -1) {
			*why = "Time zone: not one we know; give a name such "
			    "as Europe/Berlin.";
			return -1;
		}
		out->timezone = f->timezone;
		out->own |= EMP_OWN_TIMEZONE;
	}
	cur = *e->send_time ? e->send_time : r->default_send_time;
	if (*f->send_time != '\0' && strcmp(f->send_time, cur) != 0) {
		out->send_time = f->send_time;
		out->own |= EMP_OWN_SEND_TIME;
	}
	if (!f->has_topics)
		return 0;
	for (i = 0; i < f->ntopics; i++) {
		for (j = 0; j < t->n; j++)
			if (strcmp(f->topics[i], t->v[j].role) == 0)
				break;
		if (j == t->n) {
			*why = "Topics: that is not a topic we offer.";
			return -1;
		}
	}
	out->set_topics = 1;
	out->follows = follows;
	out->mutes = mutes;
	for (j = 0; j < t->n; j++) {
		checked = 0;
		for (i = 0; i < f->ntopics && !checked; i++)
			checked = strcmp(f->topics[i], t->v[j].role) == 0;
		if ((t->v[j].flags & TOPIC_HR) && !checked)
			mutes[out->nmutes++] = t->v[j].role;
		else if (!(t->v[j].flags & TOPIC_HR) && checked)
			follows[out->nfollows++] = t->v[j].role;
	}
	return 0;
}

static void
route_pref(struct route *r, struct db *db, const struct route_req *q,
    const char *token, struct route_ans *a)
{
	struct redirect_employee e;
	struct redirect_topics *t = NULL;
	struct route_prefs *f = NULL;
	struct redirect_prefs save;
	const char *follows[REDIRECT_TOPICS_MAX], *mutes[REDIRECT_TOPICS_MAX];
	struct tdict *d = NULL;
	const char *why = NULL;
	char today[16];
	int rc, status = 200, saved = 0;

	if ((rc = db_redirect_employee_find(db, REDIRECT_PREF, token, &e)) ==
	    -1) {
		metrics_error(r->m, ME_LOOKUP);
		route_unavailable(a);
		return;
	}
	if (rc == 0) {
		answer_text(a, 404, text_not_found);
		return;
	}
	if ((t = malloc(sizeof(*t))) == NULL ||
	    (f = malloc(sizeof(*f))) == NULL) {
		metrics_error(r->m, ME_PAGE);
		answer_text(a, 500, text_error);
		goto out;
	}
	route_today(q->now, today, sizeof(today));
	if (db_redirect_topics(db, e.id, today, t) == -1) {
		metrics_error(r->m, ME_LOOKUP);
		route_unavailable(a);
		goto out;
	}
	if (q->method == ROUTE_POST) {
		if (route_parse_prefs(q->body, q->body_len, f, &why) == -1 ||
		    pref_changes(r, &e, t, f, &save, follows, mutes,
		    &why) == -1)
			status = 400;
		else if (db_redirect_set_prefs(db, e.id, &save, q->now) == -1) {
			metrics_error(r->m, ME_PAGE);
			route_unavailable(a);
			goto out;
		} else {
			saved = 1;
			/* Show what is stored now. */
			if (db_redirect_employee_find(db, REDIRECT_PREF, token,
			    &e) != 1 || db_redirect_topics(db, e.id, today,
			    t) == -1) {
				metrics_error(r->m, ME_LOOKUP);
				route_unavailable(a);
				goto out;
			}
		}
	} else
		route_observe(r, db, q, e.id, JUDGE_URL_PREF, a);
	d = tdict_new();
	pref_dict(r, d, &e, t);
	tdict_set_bool(d, "saved", saved);
	if (why != NULL)
		tdict_set(d, "error", why);
	route_page(r, r->t_pref, d, status, a);
out:
	tdict_free(d);
	free(t);
	free(f);
}

static void
route_unsub(struct route *r, struct db *db, const struct route_req *q,
    const char *token, struct route_ans *a)
{
	struct redirect_employee e;
	struct tdict *d;
	char url[256];
	int rc;

	if ((rc = db_redirect_employee_find(db, REDIRECT_UNSUB, token, &e)) ==
	    -1) {
		metrics_error(r->m, ME_LOOKUP);
		route_unavailable(a);
		return;
	}
	if (rc == 0) {
		answer_text(a, 404, text_not_found);
		return;
	}
	d = tdict_new();
	tdict_set(d, "name", e.name);
	tdict_set(d, "email", e.email);
	snprintf(url, sizeof(url), "%s/p/%s", r->base_url, e.pref_token);
	tdict_set(d, "prefs_url", url);
	if (q->method != ROUTE_POST) {
		/* A GET never changes anything: mail scanners follow links. */
		tdict_set_bool(d, "unsubscribed", e.unsubscribed);
		tdict_set_bool(d, "weekly", strcmp(e.frequency, "weekly") ==
		    0);
		route_page(r, r->t_unsub, d, 200, a);
		route_observe(r, db, q, e.id, JUDGE_URL_UNSUB, a);
		goto out;
	}
	switch (route_parse_unsub(q->body, q->body_len)) {
	case ROUTE_UNSUB_WEEKLY:
		rc = db_redirect_weekly_instead(db, e.id, q->now);
		tdict_set_bool(d, "weekly", 1);
		break;
	case ROUTE_UNSUB_RESUBSCRIBE:
		rc = db_redirect_resubscribe(db, e.id, q->now);
		tdict_set_bool(d, "resubscribed", 1);
		tdict_set(d, "frequency", e.frequency);
		tdict_set_bool(d, "paused", strcmp(e.frequency,
		    frequency_name(FREQ_PAUSED)) == 0);
		break;
	case ROUTE_UNSUB_CONFIRM:
		rc = db_redirect_unsubscribe(db, e.id, q->now);
		tdict_set_bool(d, "unsubscribed", 1);
		break;
	}
	if (rc == -1) {
		metrics_error(r->m, ME_PAGE);
		route_unavailable(a);
	} else
		route_page(r, r->t_done, d, 200, a);
out:
	tdict_free(d);
}

/* "Not for me": GET and HEAD show the post and the reasons and change
 * nothing (mail scanners follow links); POST records it once, and every
 * POST after the first shows the same page as the first. */
static void
route_notforme(struct route *r, struct db *db, const struct route_req *q,
    const char *code, struct route_ans *a)
{
	struct redirect_decline dc;
	struct tdict *d, *it;
	const char *reason = NULL, *why = NULL;
	size_t i;
	int rc, status = 200;

	if ((rc = db_redirect_decline_find(db, code, &dc)) == -1) {
		metrics_error(r->m, ME_LOOKUP);
		route_unavailable(a);
		return;
	}
	if (rc == 0) {
		answer_text(a, 404, text_not_found);
		return;
	}
	if (q->method == ROUTE_POST) {
		if (route_parse_decline(q->body, q->body_len, &reason,
		    &why) == -1)
			status = 400;
		else if (db_redirect_decline(db, dc.employee_id, dc.post_id,
		    reason, q->now) == -1) {
			metrics_error(r->m, ME_PAGE);
			route_unavailable(a);
			return;
		} else
			dc.declined = 1;
	}
	d = tdict_new();
	tdict_set(d, "title", dc.title);
	tdict_set_bool(d, "declined", dc.declined);
	if (why != NULL)
		tdict_set(d, "error", why);
	for (i = 0; i < NREASON; i++) {
		it = tdict_add_item(d, "reasons");
		tdict_set(it, "value", decline_reasons[i]);
		tdict_set(it, "label", decline_labels[i]);
	}
	route_page(r, r->t_notforme, d, status, a);
	tdict_free(d);
}

void
route_handle(struct route *r, struct db *db, const struct route_req *q,
    struct route_ans *a)
{
	const struct route_def *rd = NULL;
	const char *param = NULL, *path;
	size_t i, plen, len, blen;

	a->action = ROUTE_SEND;
	a->mroute = MR_OTHER;
	a->observe = 0;
	a->allow = NULL;
	a->content_type = NULL;
	a->page = 0;
	a->no_store = 0;
	a->location[0] = '\0';
	a->text = NULL;
	buf_reset(&a->body);

	len = strnlen(q->path, ROUTE_PATH_MAX + 1);
	if (len > ROUTE_PATH_MAX) {
		answer_text(a, 404, text_not_found);
		return;
	}
	/* Under a base URL with a path (https://go.example.com/l), the links
	 * carry it: served with it, or without it from a proxy that strips
	 * it. */
	path = q->path;
	blen = strlen(r->base_path);
	if (blen > 0 && strncmp(path, r->base_path, blen) == 0 &&
	    path[blen] == '/')
		path += blen;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		plen = strlen(routes[i].prefix);
		if (strncmp(path, routes[i].prefix, plen) != 0)
			continue;
		if (routes[i].param == P_NONE && path[plen] != '\0')
			continue;
		rd = &routes[i];
		param = path + plen;
		break;
	}
	if (rd == NULL ||
	    (rd->param == P_CODE && !rand_is_code(param)) ||
	    (rd->param == P_TOKEN && !token_ok(param))) {
		answer_text(a, 404, text_not_found);
		return;
	}
	a->mroute = rd->mroute;
	if (!(rd->methods & (1u << q->method))) {
		answer_text(a, 405, text_bad_method);
		a->allow = rd->allow;
		return;
	}
	if (q->method == ROUTE_POST && q->body_too_big) {
		answer_text(a, 413, text_too_big);
		return;
	}
	switch (rd->id) {
	case RT_CODE:
		route_link(r, db, q, param, 0, a);
		break;
	case RT_SHARE:
		route_link(r, db, q, param, 1, a);
		break;
	case RT_UNSUB:
		route_unsub(r, db, q, param, a);
		break;
	case RT_PREF:
		route_pref(r, db, q, param, a);
		break;
	case RT_NOTFORME:
		route_notforme(r, db, q, param, a);
		break;
	case RT_HEALTH:
		answer_text(a, 200, "ok\n");
		a->action = ROUTE_PROBE;
		a->no_store = 1;
		break;
	case RT_METRICS:
		a->action = ROUTE_SEND;
		if (metrics_render(r->m, &a->body) == -1) {
			answer_text(a, 500, text_error);
			break;
		}
		a->status = 200;
		a->content_type = "text/plain; version=0.0.4; charset=utf-8";
		a->no_store = 1;
		break;
	}
}
