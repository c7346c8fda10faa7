/*
 * compose: one employee's digest, from the plan (selection, suggestions,
 * personal links, Message-ID) to the finished RFC 5322 message (template
 * data, text and HTML parts, MIME). See compose.h for the two steps and
 * README.md ("The digest email") for the template data contract.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/day.h"
#include "common/log.h"
#include "common/network.h"
#include "common/random.h"
#include "common/share.h"
#include "common/template.h"
#include "common/xmalloc.h"
#include "db/db.h"
#include "db/digest.h"
#include "db/ledger.h"
#include "db/links.h"
#include "digest/audience.h"
#include "digest/compose.h"
#include "digest/mime.h"
#include "digest/results.h"
#include "digest/select.h"

#define COMPOSE_MAX_MESSAGE	(4u << 20)	/* per part and message */
#define COMPOSE_CACHE_DATES	4	/* local dates in flight at once */
#define COMPOSE_CACHE_SECONDS	60	/* then candidates are re-read */
#define COMPOSE_MSGID_RANDOM	24	/* base62: 142 bits */
#define COMPOSE_CACHE_KB	65536	/* SQLite cache while planning */
#define COMPOSE_WAL_PAGES	16384	/* checkpoint at 64 MB of WAL */
#define COMPOSE_SLICE_LINKS	1024	/* new links that share a code slice */
/* The HTML part, quoted-printable as sent, stays under this: Gmail clips
 * past 102 KB and hides the footer. Planning renders without the results
 * and highlights blocks (they are read at send time), so it keeps room
 * for them. */
#define COMPOSE_HTML_MAX	(90u * 1024)
#define COMPOSE_EXTRAS_ROOM	(20u * 1024)	/* 4 titles, 3 names, all escaped */
/* A byte of input becomes at most 6 in HTML ("&quot;") or 3 in
 * quoted-printable, and the template shows a field a few times: the
 * bound that spares most digests a trial render. */
#define COMPOSE_FIELD_WEIGHT	20
#define COMPOSE_FAKE_CODE	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"	/* 40 */

/* The candidate posts of one local date, as selection sees them. */
struct compose_day {
	char			 date[11];
	time_t			 loaded;
	int			 used;
	struct db_posts		 posts;
	struct select_post	*sel;
	size_t			 limited;	/* posts with an audience
						   limit */
};

/* One personal link of the digest being rendered. */
struct compose_link {
	int64_t		 post_id;
	enum network	 network;
	char		 code[48];
};

struct compose {
	struct template		*html, *text;
	char			*base;		/* base_url, no '/' */
	char			 from_name[256];
	char			 from_addr[256];
	struct select_params	 params;

	struct compose_day	 days[COMPOSE_CACHE_DATES];
	struct db_employee	 emp;
	int64_t			 ready;		/* emp and lists read by
						 * compose_claim() for */
	int64_t			 unread;	/* its reads failed for */
	int64_t			*sugg;
	size_t			 nsugg, suggcap;
	int64_t			*decl;		/* declined posts */
	size_t			 ndecl, declcap;
	size_t			*chosen;
	struct db_posts		 planned;
	struct db_planned_link	*plinks;
	size_t			 nplinks, plinkcap;
	struct compose_link	*links;
	size_t			 nlinks, linkcap;

	struct db		*tuned;		/* given a big cache */
	char			*pool;		/* random codes */
	size_t			 poolsz;
	char			 slice[RAND_CODE_SLICE];	/* new codes' */
	size_t			 slice_left;	/* codes it still takes */
	struct db_link_want	*want;		/* links of a plan */
	size_t			 wantcap;

	struct tdict		*data;
	struct buf		 html_out, text_out, tmp, tmp2;

	int			(*extras)(void *, struct db *, int64_t,
				    const char *, time_t, struct tdict *);
	void			*extras_arg;
	struct results		*results;
	struct audience		*audience;

	int			 keep;		/* plans kept in memory */
	struct compose_plan	*kept;		/* the last plan's, if so */

	int			 trial;		/* rendering to measure */
	int			 measured;	/* the two sizes below are set */
	size_t			 html_fixed;	/* encoded HTML, no post */
	size_t			 html_per_post;	/* each empty post, 3 networks */
};

/* A plan as compose_plan() recorded it (compose_plan_take()). */
struct compose_plan {
	char			 date[16];
	char			 msgid[320];
	struct db_employee	 emp;
	struct db_posts		 posts;	/* as db_digest_planned() reads */
	struct db_planned_link	*links;
	size_t			 nlinks;
};

static size_t compose_fit(struct compose *, const char *,
    const struct db_post *, const size_t *, size_t);

/* The default extras: the employee's results and the team's highlights. */
static int
compose_results(void *arg, struct db *db, int64_t employee_id,
    const char *local_date, time_t now, struct tdict *d)
{
	(void)now;
	return results_fill(arg, db, employee_id, local_date, d);
}

struct compose *
compose_new(const struct config *cfg)
{
	struct compose *c = xcalloc(1, sizeof(*c));
	const char *dir = config_str(cfg, "chorus.templates"), *base;
	enum mime_status st;
	char err[512];
	size_t n;

	if ((c->html = template_open(dir, "digest.html", 0, err,
	    sizeof(err))) == NULL ||
	    (c->text = template_open(dir, "digest.txt", TEMPLATE_TEXT, err,
	    sizeof(err))) == NULL) {
		log_error("templates: %s", err);
		goto fail;
	}
	st = mime_parse_mailbox(config_str(cfg, "digest.from"), c->from_name,
	    sizeof(c->from_name), c->from_addr, sizeof(c->from_addr));
	if (st != MIME_OK) {
		log_error("digest.from: '%s': %s", config_str(cfg,
		    "digest.from"), mime_strerror(st));
		goto fail;
	}
	base = config_str(cfg, "chorus.base_url");
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	c->base = xstrndup(base, n);
	c->params.max_posts = (int)config_int(cfg, "digest.max_posts");
	c->params.spread_days = (int)config_int(cfg, "digest.spread_days");
	c->chosen = xreallocarray(NULL, (size_t)c->params.max_posts,
	    sizeof(*c->chosen));
	c->data = tdict_new();
	c->results = results_new(cfg);
	c->audience = audience_new();
	compose_set_extras(c, compose_results, c->results);
	buf_init(&c->html_out, COMPOSE_MAX_MESSAGE);
	buf_init(&c->text_out, COMPOSE_MAX_MESSAGE);
	buf_init(&c->tmp, COMPOSE_MAX_MESSAGE);
	buf_init(&c->tmp2, COMPOSE_MAX_MESSAGE);
	return c;
fail:
	compose_free(c);
	return NULL;
}

static void
compose_day_free(struct compose_day *d)
{
	db_digest_posts_free(&d->posts);
	free(d->sel);
	d->sel = NULL;
	d->used = 0;
}

void
compose_free(struct compose *c)
{
	size_t i;

	if (c == NULL)
		return;
	template_free(c->html);
	template_free(c->text);
	free(c->base);
	for (i = 0; i < COMPOSE_CACHE_DATES; i++)
		compose_day_free(&c->days[i]);
	db_digest_employee_clear(&c->emp);
	free(c->emp.rolebuf);
	free(c->sugg);
	free(c->decl);
	free(c->chosen);
	db_digest_posts_free(&c->planned);
	free(c->plinks);
	free(c->links);
	free(c->pool);
	free(c->want);
	compose_plan_free(c->kept);
	tdict_free(c->data);
	results_free(c->results);
	audience_free(c->audience);
	buf_release(&c->html_out);
	buf_release(&c->text_out);
	buf_release(&c->tmp);
	buf_release(&c->tmp2);
	free(c);
}

void
compose_set_extras(struct compose *c, int (*fill)(void *, struct db *,
    int64_t, const char *, time_t, struct tdict *), void *arg)
{
	c->extras = fill;
	c->extras_arg = arg;
}

/* The candidates of a local date, read at most once a minute (the
 * scheduler runs for days; imports may add posts meanwhile). */
static struct compose_day *
compose_day_get(struct compose *c, struct db *db, const char *date,
    time_t now)
{
	struct compose_day *d = NULL;
	size_t i;

	for (i = 0; i < COMPOSE_CACHE_DATES; i++)
		if (c->days[i].used && strcmp(c->days[i].date, date) == 0) {
			d = &c->days[i];
			if (now >= d->loaded && now - d->loaded <
			    COMPOSE_CACHE_SECONDS)
				return d;
			break;
		}
	if (d == NULL) {
		/* Evict the oldest. */
		d = &c->days[0];
		for (i = 1; i < COMPOSE_CACHE_DATES; i++)
			if (!c->days[i].used || (d->used &&
			    c->days[i].loaded < d->loaded))
				d = &c->days[i];
	}
	compose_day_free(d);
	if (db_digest_candidates(db, date, &d->posts) == -1)
		return NULL;
	d->sel = xreallocarray(NULL, d->posts.n ? d->posts.n : 1,
	    sizeof(*d->sel));
	for (i = 0; i < d->posts.n; i++) {
		struct db_post *p = &d->posts.v[i];
		struct select_post *s = &d->sel[i];

		s->id = p->id;
		s->priority = p->priority;
		s->everyone = p->everyone;
		s->roles = (const char *const *)p->roles;
		s->nroles = p->nroles;
		s->starts = p->starts;
		s->expires = p->expires;
		s->available = p->available;
		s->audience_count = p->audience_count;
		s->audience_hundredths = p->audience_hundredths;
	}
	d->limited = 0;
	for (i = 0; i < d->posts.n; i++)
		d->limited += select_is_limited(&d->sel[i]);
	snprintf(d->date, sizeof(d->date), "%s", date);
	d->loaded = now;
	d->used = 1;
	return d;
}

/* Selection for the loaded employee: the chosen posts' indexes go into
 * c->chosen. record: the audiences of limited posts chosen now are stored
 * (planning), or kept in memory (a preview). have_lists: c->sugg and
 * c->decl were read with the employee (db_digest_plan_inputs()). Returns
 * the select_result, or -1 after logging. */
static int
compose_select(struct compose *c, struct db *db, const char *date,
    time_t now, int record, int have_lists, struct compose_day **dayp,
    size_t *nchosen)
{
	struct select_employee se;
	struct compose_day *d;
	enum select_result r;
	long day;

	*nchosen = 0;
	if (day_parse(date, &day, NULL) == -1) {
		log_error("digest: bad local date '%s'", date);
		return -1;
	}
	memset(&se, 0, sizeof(se));
	se.id = c->emp.id;
	se.frequency = select_frequency_parse(c->emp.frequency);
	se.active = c->emp.active;
	se.unsubscribed = c->emp.unsubscribed;
	se.roles = c->emp.roles;
	se.nroles = c->emp.nroles;
	se.follows = c->emp.follows;
	se.nfollows = c->emp.nfollows;
	se.mutes = c->emp.mutes;
	se.nmutes = c->emp.nmutes;
	/* Not due: no need to read anything else. */
	if (!select_is_due(&se, day))
		return SELECT_NOT_DUE;
	if ((d = compose_day_get(c, db, date, now)) == NULL)
		return -1;
	if (!have_lists && (db_digest_suggested(db, c->emp.id, &c->sugg,
	    &c->nsugg, &c->suggcap) == -1 || db_digest_declined(db,
	    c->emp.id, &c->decl, &c->ndecl, &c->declcap) == -1))
		return -1;
	/* Limited posts: their audience is chosen on the first digest that
	 * could offer them, before this employee's share is looked up. */
	if (d->limited > 0 && (audience_choose(c->audience, db, d->posts.v,
	    d->posts.n, date, now, record) == -1 ||
	    audience_of(c->audience, db, c->emp.id, &se.audience,
	    &se.naudience) == -1))
		return -1;
	se.declined = c->decl;
	se.ndeclined = c->ndecl;
	r = select_digest(&c->params, &se, date, d->sel, d->posts.n, c->sugg,
	    c->nsugg, c->chosen, nchosen);
	if (r == SELECT_BAD_DATE) {
		log_error("digest: bad local date '%s'", date);
		return -1;
	}
	*dayp = d;
	return (int)r;
}

static int
compose_load_employee(struct compose *c, struct db *db, int64_t id)
{
	int rc;

	if ((rc = db_digest_employee_by_id(db, id, &c->emp)) == 0)
		log_error("digest: no employee with id %lld", (long long)id);
	return rc == 1 ? 0 : -1;
}

/*
 * The praise exception (README, "Your week"): whether an employee with
 * nothing new on date still gets a digest, their results and highlights
 * alone. Only on their first digest day of the ISO week (no digest of
 * theirs recorded on another day of that week, whatever its state), and
 * only when the results box has praise to carry. Returns 1, 0, or -1.
 */
static int
compose_your_week(struct compose *c, struct db *db, const char *date)
{
	char monday[DAY_DATE_LEN], sunday[DAY_DATE_LEN];
	long day;
	int r;

	/* Without the reports' blocks there is nothing to send. */
	if (c->extras != compose_results ||
	    day_parse(date, &day, NULL) == -1)
		return 0;
	day -= ((int)day_weekday(day) + 6) % 7;		/* its Monday */
	day_format(day, monday);
	day_format(day + 6, sunday);
	if ((r = db_digest_ledger_other(db, c->emp.id, monday, sunday,
	    date)) != 0)
		return r == 1 ? 0 : -1;
	return results_praise(c->results, db, c->emp.id, date);
}

static char *
compose_strdup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* dst (zeroed before its first use) becomes a copy of src, as
 * db_digest_employee_by_id() would have filled it. */
static void
compose_employee_copy(struct db_employee *dst, const struct db_employee *src)
{
	char *rb = dst->rolebuf;
	size_t rbsz = dst->rolebufsz, i;

	db_digest_employee_clear(dst);
	*dst = *src;
	dst->name = compose_strdup(src->name);
	dst->timezone = compose_strdup(src->timezone);
	if (src->rolebuf != NULL && src->rolebufsz > rbsz) {
		rbsz = src->rolebufsz;
		rb = xreallocarray(rb, 1, rbsz);
	}
	if (src->rolebuf != NULL)
		memcpy(rb, src->rolebuf, src->rolebufsz);
	dst->rolebuf = rb;
	dst->rolebufsz = rbsz;
	for (i = 0; i < src->nroles; i++)
		dst->roles[i] = rb + (src->roles[i] - src->rolebuf);
	for (i = 0; i < src->nfollows; i++)
		dst->follows[i] = rb + (src->follows[i] - src->rolebuf);
	for (i = 0; i < src->nmutes; i++)
		dst->mutes[i] = rb + (src->mutes[i] - src->rolebuf);
}

/* Keeps what compose_plan() just recorded, as compose_render() would read
 * it back: the employee, the posts in the plan's order with the columns
 * db_digest_planned() reads, the links with the codes they were stored
 * with, the Message-ID. */
static void
compose_keep(struct compose *c, const char *date, const char *msgid,
    const struct db_post *posts, size_t n, size_t nw)
{
	struct compose_plan *p = xcalloc(1, sizeof(*p));
	size_t i;
	int net;

	snprintf(p->date, sizeof(p->date), "%s", date);
	snprintf(p->msgid, sizeof(p->msgid), "%s", msgid);
	compose_employee_copy(&p->emp, &c->emp);
	p->posts.v = xcalloc(n, sizeof(*p->posts.v));
	p->posts.n = n;
	for (i = 0; i < n; i++) {
		const struct db_post *s = &posts[c->chosen[i]];
		struct db_post *d = &p->posts.v[i];

		d->id = s->id;
		d->ext_id = compose_strdup(s->ext_id);
		d->title = compose_strdup(s->title);
		d->url = compose_strdup(s->url);
		d->summary = compose_strdup(s->summary);
		d->text = compose_strdup(s->text);
		for (net = 0; net < NET_COUNT; net++)
			d->text_net[net] = compose_strdup(s->text_net[net]);
		d->starts = compose_strdup(s->starts);
		d->expires = compose_strdup(s->expires);
		d->priority = s->priority;
		d->everyone = s->everyone;
	}
	p->links = xcalloc(nw ? nw : 1, sizeof(*p->links));
	p->nlinks = nw;
	for (i = 0; i < nw; i++) {
		p->links[i].post_id = c->want[i].post_id;
		p->links[i].network = c->want[i].network;
		snprintf(p->links[i].code, sizeof(p->links[i].code), "%s",
		    c->want[i].code);
	}
	compose_plan_free(c->kept);
	c->kept = p;
}

void
compose_keep_plans(struct compose *c, int on)
{
	c->keep = on;
}

struct compose_plan *
compose_plan_take(struct compose *c)
{
	struct compose_plan *p = c->kept;

	c->kept = NULL;
	return p;
}

void
compose_plan_free(struct compose_plan *p)
{
	if (p == NULL)
		return;
	db_digest_employee_clear(&p->emp);
	free(p->emp.rolebuf);
	db_digest_posts_free(&p->posts);
	free(p->links);
	free(p);
}

int
compose_plan(struct compose *c, struct db *db, int64_t employee_id,
    int64_t ledger_id, const char *local_date, time_t now)
{
	struct compose_day *d = NULL;
	char unique[COMPOSE_MSGID_RANDOM + 1];
	char msgid[320];
	const char *pool;
	size_t n, k, nw;
	int r, net, nets, week = 0;

	/* Planning writes many rows per transaction: with SQLite's small
	 * default cache many inserts would read and write a page, and a
	 * checkpoint after every batch would copy the same pages to the
	 * database file each time (db/digest.h). */
	/* A plan kept before and not taken is not this one. */
	compose_plan_free(c->kept);
	c->kept = NULL;
	if (c->tuned != db) {
		if (db_digest_tune(db, COMPOSE_CACHE_KB,
		    COMPOSE_WAL_PAGES) == -1)
			return -1;
		c->tuned = db;
	}
	/* The employee and their lists in one read (one round trip on
	 * PostgreSQL, where planning waits for each), unless compose_claim()
	 * read them with the claim. */
	if (c->unread == employee_id) {
		c->unread = 0;
		return -1;	/* logged by compose_claim() */
	}
	r = c->ready == employee_id ? 1 : db_digest_plan_inputs(db,
	    employee_id, &c->emp, &c->sugg, &c->nsugg, &c->suggcap, &c->decl,
	    &c->ndecl, &c->declcap);
	c->ready = c->unread = 0;
	if (r != 1) {
		if (r == 0)
			log_error("digest: no employee with id %lld",
			    (long long)employee_id);
		return -1;
	}
	if ((r = compose_select(c, db, local_date, now, 1, 1, &d, &n)) == -1)
		return -1;
	if (r == SELECT_NOTHING_NEW) {
		/* A "your week" digest: no posts, only a Message-ID. */
		if ((week = compose_your_week(c, db, local_date)) != 1)
			return week;
		n = 0;
	} else if (r != SELECT_POSTS)
		return 0;
	/* Posts that would make it too big wait for a later digest: they
	 * are not suggested now. */
	if ((n = compose_fit(c, local_date, d->posts.v, c->chosen, n)) ==
	    (size_t)-1)
		return -1;
	/* The links of the digest, their codes from one draw, recorded
	 * several to a statement (db_links_ensure_all()). */
	nets = 0;
	for (net = 0; net < NET_COUNT; net++)
		nets += (c->emp.networks & NET_BIT(net)) != 0;
	nw = n * (size_t)nets;
	if (nw > c->wantcap) {
		c->wantcap = nw;
		c->want = xreallocarray(c->want, nw, sizeof(*c->want));
	}
	/* The random parts of the codes, the Message-ID's random part, and
	 * a slice (common/random.h) when the current one is used up: the
	 * links made about together share it, so the code index takes them
	 * in one place. Planned at 100,000 employees, random codes alone
	 * cost 30 us per digest in pages written all over the index. */
	k = nw * RAND_CODE_RANDOM + COMPOSE_MSGID_RANDOM + RAND_CODE_SLICE;
	if (k + 1 > c->poolsz) {
		c->poolsz = k + 1;
		c->pool = xreallocarray(c->pool, 1, c->poolsz);
	}
	rand_base62(c->pool, k);
	if (c->slice_left < nw) {
		memcpy(c->slice, c->pool + k - RAND_CODE_SLICE,
		    RAND_CODE_SLICE);
		c->slice_left = COMPOSE_SLICE_LINKS + nw;
	}
	c->slice_left -= nw;
	memcpy(unique, c->pool + nw * RAND_CODE_RANDOM, sizeof(unique) - 1);
	unique[sizeof(unique) - 1] = '\0';
	pool = c->pool;
	nw = 0;
	for (k = 0; k < n; k++) {
		const struct db_post *p = &d->posts.v[c->chosen[k]];

		if (db_digest_suggest(db, c->emp.id, p->id, ledger_id,
		    local_date, (int)k) == -1)
			return -1;
		for (net = 0; net < NET_COUNT; net++) {
			if (!(c->emp.networks & NET_BIT(net)))
				continue;
			c->want[nw].post_id = p->id;
			c->want[nw].network = (enum network)net;
			memcpy(c->want[nw].code, c->slice, RAND_CODE_SLICE);
			memcpy(c->want[nw].code + RAND_CODE_SLICE, pool,
			    RAND_CODE_RANDOM);
			c->want[nw].code[RAND_CODE_LEN] = '\0';
			pool += RAND_CODE_RANDOM;
			nw++;
		}
	}
	if (db_links_ensure_all(db, c->emp.id, c->want, nw, now) == -1)
		return -1;
	if (mime_message_id(unique, c->from_addr, msgid, sizeof(msgid)) == -1) {
		log_error("digest.from: '%s' has no domain for the Message-ID",
		    c->from_addr);
		return -1;
	}
	if (db_ledger_set_message_id(db, ledger_id, msgid, now) == -1)
		return -1;
	if (c->keep && n > 0)
		compose_keep(c, local_date, msgid, d->posts.v, n, nw);
	return week ? 1 : (int)n;
}

int
compose_claim(struct compose *c, struct db *db, int64_t employee_id,
    const char *date, const char *claimer, time_t now, time_t wall,
    int64_t *id, int *planned)
{
	int r, read;

	c->ready = c->unread = 0;
	r = db_digest_claim(db, employee_id, date, claimer, now, wall, id,
	    planned, &c->emp, &c->sugg, &c->nsugg, &c->suggcap, &c->decl,
	    &c->ndecl, &c->declcap, &read);
	if (r == 1 && !*planned && read == 1)
		c->ready = employee_id;
	else if (r == 1 && !*planned && read == -1)
		c->unread = employee_id;
	return r;
}

/* Appends a link to the list being rendered. */
static void
compose_add_link(struct compose *c, int64_t post_id, enum network net,
    const char *code)
{
	struct compose_link *l;

	if (c->nlinks == c->linkcap) {
		c->linkcap = c->linkcap ? c->linkcap * 2 : 16;
		c->links = xreallocarray(c->links, c->linkcap,
		    sizeof(*c->links));
	}
	l = &c->links[c->nlinks++];
	l->post_id = post_id;
	l->network = net;
	snprintf(l->code, sizeof(l->code), "%s", code);
}

static const char *const months[12] = { "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October",
    "November", "December" };

/* "Monday 23 November 2026" for "2026-11-23". */
static void
compose_date_human(const char *date, char *out, size_t len)
{
	long day;
	int m = (date[5] - '0') * 10 + (date[6] - '0');
	int d = (date[8] - '0') * 10 + (date[9] - '0');

	if (day_parse(date, &day, NULL) == -1) {
		snprintf(out, len, "%s", date);
		return;
	}
	snprintf(out, len, "%s %d %s %.4s", day_weekday_name(day_weekday(day)),
	    d, months[m - 1], date);
}

/* The first word of the name, else the address's local part. */
static void
compose_first_name(const struct db_employee *e, char *out, size_t len)
{
	const char *s = e->name;
	size_t n;

	s += strspn(s, " ");
	if (*s != '\0') {
		n = strcspn(s, " ");
		snprintf(out, len, "%.*s", (int)n, s);
		return;
	}
	n = strcspn(e->email, "@");
	snprintf(out, len, "%.*s", (int)n, e->email);
}

/* a, sep and z joined in b (reset first): borrowed from b, or NULL when
 * too long. */
static const char *
compose_join(struct buf *b, const char *a, const char *sep, const char *z)
{
	buf_reset(b);
	if (buf_adds(b, a) == -1 || buf_adds(b, sep) == -1 ||
	    buf_adds(b, z) == -1)
		return NULL;
	return buf_cstr(b);
}

/* Appends to b the preheader: "3 posts to share: TITLE, TITLE, TITLE",
 * cut short (at a character boundary) past COMPOSE_PREHEADER_MAX bytes.
 * Borrowed from b, or NULL at its cap. */
#define COMPOSE_PREHEADER_MAX	200
static const char *
compose_preheader(struct buf *b, const struct db_post *posts,
    const size_t *order, size_t nposts)
{
	size_t i, n;

	buf_reset(b);
	if (buf_printf(b, nposts == 1 ? "A post to share: " :
	    "%zu posts to share: ", nposts) == -1)
		return NULL;
	for (i = 0; i < nposts; i++) {
		if (i > 0 && buf_adds(b, ", ") == -1)
			return NULL;
		if (buf_adds(b, posts[order ? order[i] : i].title) == -1)
			return NULL;
		if (b->len > COMPOSE_PREHEADER_MAX)
			break;
	}
	if (b->len > COMPOSE_PREHEADER_MAX) {
		n = COMPOSE_PREHEADER_MAX;
		while (n > 0 && ((unsigned char)b->data[n] & 0xC0) == 0x80)
			n--;
		b->len = n;
		if (buf_adds(b, "\xe2\x80\xa6") == -1)	/* … */
			return NULL;
	}
	return buf_cstr(b);
}

/*
 * Fills c->data with the template data contract (README, "The digest
 * email") from the loaded employee, the posts and c->links. Each post
 * shows its suggested text once, with the personal link of the first of
 * the employee's networks; a network's own text only where it differs.
 */
/* A link shown without its scheme: shorter, and every network and mail
 * client links it as it is. */
static const char *
unscheme(const char *link)
{
	return link + (strncmp(link, "https://", 8) == 0 ? 8 :
	    strncmp(link, "http://", 7) == 0 ? 7 : 0);
}

static int
compose_fill(struct compose *c, struct db *db, const char *date, time_t now,
    const struct db_post *posts, const size_t *order, size_t nposts,
    char *subject, size_t subjectlen)
{
	struct tdict *d = c->data, *item, *nd;
	char human[64], first[256], label[32];
	const char *when, *link, *s, *main_text, *net_text;
	size_t i, j;
	int weekly = select_frequency_parse(c->emp.frequency) == FREQ_WEEKLY,
	    have, nnet;

	tdict_clear(d);
	compose_first_name(&c->emp, first, sizeof(first));
	when = weekly ? "this week" : "today";
	/* The first title leads: a phone shows the subject's start. */
	if (nposts == 0)
		snprintf(subject, subjectlen, "Your week: thank you for "
		    "sharing, %s", first);
	else if (nposts > 1)
		snprintf(subject, subjectlen, "%s (+%zu more to share %s)",
		    posts[order ? order[0] : 0].title, nposts - 1, when);
	else
		snprintf(subject, subjectlen, "%s (to share %s)",
		    posts[order ? order[0] : 0].title, when);
	compose_date_human(date, human, sizeof(human));
	tdict_set(d, "first_name", first);
	tdict_set(d, "name", *c->emp.name ? c->emp.name : first);
	tdict_set(d, "email", c->emp.email);
	tdict_set(d, "date", date);
	tdict_set(d, "date_human", human);
	tdict_set(d, "sender", *c->from_name ? c->from_name : c->from_addr);
	tdict_set(d, "subject", subject);
	tdict_set_bool(d, "weekly", weekly);
	/* No posts: a "your week" digest (compose_your_week()). */
	tdict_set_bool(d, "your_week", nposts == 0);
	tdict_set_int(d, "post_count", (long long)nposts);
	snprintf(label, sizeof(label), nposts == 1 ? "A post" : "%zu posts",
	    nposts);
	tdict_set(d, "posts_label", label);
	if ((s = compose_preheader(&c->tmp, posts, order, nposts)) == NULL)
		return -1;
	tdict_set(d, "preheader", s);

	for (i = 0; i < nposts; i++) {
		const struct db_post *p = &posts[order ? order[i] : i];

		item = tdict_add_item(d, "posts");
		tdict_set(item, "title", p->title);
		tdict_set(item, "summary", p->summary);
		tdict_set(item, "url", p->url);
		main_text = NULL;
		have = 0;
		nnet = 0;
		for (j = 0; j < c->nlinks; j++) {
			const struct compose_link *l = &c->links[j];

			if (l->post_id != p->id)
				continue;
			net_text = share_text(p->title, p->text,
			    p->text_net[l->network]);
			if (!have) {
				/* The first network's link and text are the
				 * post's: shown once. */
				have = 1;
				main_text = net_text;
				if ((s = compose_join(&c->tmp, c->base, "/",
				    l->code)) == NULL)
					return -1;
				tdict_set(item, "link", s);
				tdict_set(item, "link_text", unscheme(s));
				tdict_set(item, "text", main_text);
				if ((s = compose_join(&c->tmp, c->base, "/n/",
				    l->code)) == NULL)
					return -1;
				tdict_set(item, "decline_url", s);
			}
			nd = tdict_add_item(item, "networks");
			tdict_set(nd, "network", network_name(l->network));
			tdict_set(nd, "label", network_label(l->network));
			if ((link = compose_join(&c->tmp, c->base, "/",
			    l->code)) == NULL)
				return -1;
			tdict_set(nd, "link", link);
			tdict_set(nd, "own_text", strcmp(net_text,
			    main_text) != 0 ? net_text : NULL);
			/* Every network's own link is there to copy (the
			 * first one's beside the text): a text pasted with
			 * another network's link would count there. */
			if (nnet++ > 0) {
				tdict_set(nd, "other_link", link);
				tdict_set(nd, "other_link_text",
				    unscheme(link));
			}
			if ((s = compose_join(&c->tmp2, net_text, " ",
			    link)) == NULL)
				return -1;
			tdict_set(nd, "text", s);
			if ((s = compose_join(&c->tmp2, c->base, "/s/",
			    l->code)) == NULL)
				return -1;
			tdict_set(nd, "share_url", s);
		}
	}
	if ((s = compose_join(&c->tmp, c->base, "/p/",
	    c->emp.pref_token)) == NULL)
		return -1;
	tdict_set(d, "prefs_url", s);
	if ((s = compose_join(&c->tmp, c->base, "/u/",
	    c->emp.unsub_token)) == NULL)
		return -1;
	tdict_set(d, "unsub_url", s);
	/* The reports' blocks (results, highlights), when hooked in; a
	 * trial render leaves room for them instead. */
	if (!c->trial && c->extras != NULL && c->extras(c->extras_arg, db,
	    c->emp.id, date, now, d) == -1)
		return -1;
	return 0;
}

/* Fake links for posts[order[0..n)] on the networks in mask, as long as
 * any code a render may show, for measuring. */
static void
compose_fake_links(struct compose *c, const struct db_post *posts,
    const size_t *order, size_t n, unsigned mask)
{
	size_t i;
	int net;

	c->nlinks = 0;
	for (net = 0; net < NET_COUNT; net++) {
		if (!(mask & NET_BIT(net)))
			continue;
		for (i = 0; i < n; i++)
			compose_add_link(c, posts[order ? order[i] : i].id,
			    (enum network)net, COMPOSE_FAKE_CODE);
	}
}

/* The HTML part of posts[order[0..n)] for the loaded employee, as sent
 * (quoted-printable), without the results and highlights: its size in
 * *size. Uses c->links, c->html_out and c->tmp. */
static int
compose_html_size(struct compose *c, const char *date,
    const struct db_post *posts, const size_t *order, size_t n,
    unsigned mask, size_t *size)
{
	char subject[1024];
	int rc;

	compose_fake_links(c, posts, order, n, mask);
	c->trial = 1;
	rc = compose_fill(c, NULL, date, 0, posts, order, n, subject,
	    sizeof(subject));
	c->trial = 0;
	buf_reset(&c->html_out);
	if (rc == -1 || template_render(c->html, c->data, &c->html_out) == -1)
		return -1;
	buf_reset(&c->tmp);
	if (mime_qp_encode(&c->tmp, c->html_out.data ? c->html_out.data : "",
	    c->html_out.len) != MIME_OK)
		return -1;
	*size = c->tmp.len;
	return 0;
}

static size_t
compose_strlen(const char *s)
{
	return s != NULL ? strlen(s) : 0;
}

/* What a post's own fields may add to the HTML part, at most. */
static size_t
compose_post_weight(const struct db_post *p)
{
	size_t n;
	int net;

	n = compose_strlen(p->title) + compose_strlen(p->summary) +
	    compose_strlen(p->url) + compose_strlen(p->text);
	for (net = 0; net < NET_COUNT; net++)
		n += compose_strlen(p->text_net[net]);
	return n * COMPOSE_FIELD_WEIGHT;
}

/*
 * How many of the chosen posts (posts[order[0..n)], best first) the
 * digest takes so that its HTML part stays under COMPOSE_HTML_MAX: all of
 * them when a bound says so (the common case, no render), else the most
 * that a trial render finds to fit, at least one. The posts left out are
 * not suggested, so a later digest offers them. Returns the count, or
 * (size_t)-1 after logging.
 */
static size_t
compose_fit(struct compose *c, const char *date, const struct db_post *posts,
    const size_t *order, size_t n)
{
	static const struct db_post empty[2] = {
		{ .id = 1, .title = (char *)"", .url = (char *)"",
		    .summary = (char *)"", .text = (char *)"" },
		{ .id = 2, .title = (char *)"", .url = (char *)"",
		    .summary = (char *)"", .text = (char *)"" },
	};
	const size_t budget = COMPOSE_HTML_MAX - COMPOSE_EXTRAS_ROOM;
	size_t bound, one, two, size, lo, hi, mid, i;
	unsigned all = 0;
	int net;

	if (n == 0)
		return 0;
	for (net = 0; net < NET_COUNT; net++)
		all |= NET_BIT(net);
	if (!c->measured) {
		/* The template's own weight, once: a post with empty fields
		 * on every network, and two of them. */
		if (compose_html_size(c, date, empty, NULL, 1, all,
		    &one) == -1 ||
		    compose_html_size(c, date, empty, NULL, 2, all,
		    &two) == -1)
			goto toobig;
		c->html_per_post = two > one ? two - one : one;
		c->html_fixed = one > c->html_per_post ? one -
		    c->html_per_post : 0;
		c->measured = 1;
	}
	bound = c->html_fixed + 256 + COMPOSE_FIELD_WEIGHT *
	    (compose_strlen(c->emp.name) + compose_strlen(c->emp.email));
	for (i = 0; i < n; i++)
		bound += c->html_per_post +
		    compose_post_weight(&posts[order ? order[i] : i]);
	if (bound <= budget)
		return n;

	/* The most posts that fit: the size grows with each post. */
	if (compose_html_size(c, date, posts, order, n, c->emp.networks,
	    &size) == -1)
		goto toobig;
	if (size <= budget)
		return n;
	lo = 1;
	hi = n - 1;
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (compose_html_size(c, date, posts, order, mid,
		    c->emp.networks, &size) == -1)
			goto toobig;
		if (size <= budget)
			lo = mid;
		else
			hi = mid - 1;
	}
	if (lo == 1 && (compose_html_size(c, date, posts, order, 1,
	    c->emp.networks, &size) == -1 || size > budget))
		log_warnx("digest: '%s': the post '%s' alone makes a digest "
		    "mail clients may clip", c->emp.email,
		    posts[order ? order[0] : 0].ext_id);
	log_debug("digest: '%s': %zu of %zu posts fit under %u KB",
	    c->emp.email, lo, n, COMPOSE_HTML_MAX / 1024);
	return lo;
toobig:
	log_error("digest: '%s': the rendered digest is too large",
	    c->emp.email);
	return (size_t)-1;
}

/* Renders the parts and, for COMPOSE_EML, the message into out. */
static int
compose_output(struct compose *c, enum compose_format fmt,
    const char *subject, const char *msgid, time_t date, struct buf *out)
{
	struct mime_message m;
	enum mime_status st;
	char boundary[64];
	const char *p;
	size_t n = 0;

	buf_reset(&c->html_out);
	buf_reset(&c->text_out);
	if ((fmt != COMPOSE_TEXT &&
	    template_render(c->html, c->data, &c->html_out) == -1) ||
	    (fmt != COMPOSE_HTML &&
	    template_render(c->text, c->data, &c->text_out) == -1)) {
		log_error("digest: '%s': the rendered digest is too large",
		    c->emp.email);
		return -1;
	}
	if (fmt == COMPOSE_HTML)
		return buf_add(out, c->html_out.data ? c->html_out.data : "",
		    c->html_out.len);
	if (fmt == COMPOSE_TEXT)
		return buf_add(out, c->text_out.data ? c->text_out.data : "",
		    c->text_out.len);

	/* The boundary is the Message-ID's random part, so a retried render
	 * is byte for byte the same message. */
	for (p = msgid; *p != '\0' && *p != '@' && n + 1 < sizeof(boundary);
	    p++)
		if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z'))
			boundary[n++] = *p;
	boundary[n] = '\0';
	memset(&m, 0, sizeof(m));
	m.from_name = c->from_name;
	m.from_addr = c->from_addr;
	m.to_name = c->emp.name;
	m.to_addr = c->emp.email;
	m.subject = subject;
	m.message_id = msgid;
	m.date = date;
	buf_reset(&c->tmp);
	if (buf_printf(&c->tmp, "%s/u/%s", c->base, c->emp.unsub_token) == -1)
		return -1;
	m.list_unsubscribe = buf_cstr(&c->tmp);
	m.boundary = boundary;
	m.text = buf_cstr(&c->text_out);
	m.textlen = c->text_out.len;
	m.html = buf_cstr(&c->html_out);
	m.htmllen = c->html_out.len;
	if ((st = mime_build(out, &m)) != MIME_OK) {
		log_error("digest: '%s': %s", c->emp.email, mime_strerror(st));
		return -1;
	}
	return 0;
}

/* Renders the plan of c->emp: its posts and links. */
static int
compose_render_loaded(struct compose *c, struct db *db,
    const char *local_date, const char *msgid, const struct db_posts *posts,
    const struct db_planned_link *plinks, size_t nplinks, time_t date,
    struct buf *out, char *rcpt, size_t rcptlen)
{
	char subject[1024];
	size_t i;
	int net;

	c->nlinks = 0;
	/* Network order, whatever order the rows came in. */
	for (net = 0; net < NET_COUNT; net++)
		for (i = 0; i < nplinks; i++)
			if (plinks[i].network == (enum network)net)
				compose_add_link(c, plinks[i].post_id,
				    plinks[i].network, plinks[i].code);
	if (compose_fill(c, db, local_date, date, posts->v, NULL, posts->n,
	    subject, sizeof(subject)) == -1 ||
	    compose_output(c, COMPOSE_EML, subject, msgid, date, out) == -1)
		return -1;
	if ((size_t)snprintf(rcpt, rcptlen, "%s", c->emp.email) >= rcptlen) {
		log_error("digest: recipient address too long");
		return -1;
	}
	return 0;
}

int
compose_render_plan(struct compose *c, struct db *db,
    const struct compose_plan *p, time_t date, struct buf *out, char *rcpt,
    size_t rcptlen)
{
	compose_employee_copy(&c->emp, &p->emp);
	return compose_render_loaded(c, db, p->date, p->msgid, &p->posts,
	    p->links, p->nlinks, date, out, rcpt, rcptlen);
}

int
compose_render(struct compose *c, struct db *db, int64_t ledger_id,
    time_t date, struct buf *out, char *rcpt, size_t rcptlen)
{
	char local_date[16], msgid[320];
	char unique[COMPOSE_MSGID_RANDOM + 1];
	int64_t employee_id;
	int rc, txn;

	/* The plan's rows in one read transaction: one snapshot, and one
	 * round of lock calls instead of one per statement. It ends before
	 * the results block, which may first fold new hits into the roll-up. */
	if ((txn = db_read_begin(db)) == -1)
		return -1;
	if ((rc = db_digest_ledger_get(db, ledger_id, &employee_id,
	    local_date, sizeof(local_date), msgid, sizeof(msgid))) != 1) {
		if (rc == 0)
			log_error("digest: no ledger row %lld",
			    (long long)ledger_id);
		goto fail;
	}
	if (compose_load_employee(c, db, employee_id) == -1 ||
	    db_digest_planned(db, ledger_id, &c->planned) == -1 ||
	    db_digest_planned_links(db, ledger_id, &c->plinks, &c->nplinks,
	    &c->plinkcap) == -1)
		goto fail;
	if (txn == 1 && db_read_end(db) == -1)
		goto fail;
	/* No posts but a Message-ID: a "your week" digest. */
	if (c->planned.n == 0 && *msgid == '\0') {
		log_error("digest: ledger row %lld has no posts planned",
		    (long long)ledger_id);
		return -1;
	}
	if (*msgid == '\0') {
		/* Not planned by compose_plan(): still a valid message. */
		rand_base62(unique, COMPOSE_MSGID_RANDOM);
		if (mime_message_id(unique, c->from_addr, msgid,
		    sizeof(msgid)) == -1)
			return -1;
	}
	return compose_render_loaded(c, db, local_date, msgid, &c->planned,
	    c->plinks, c->nplinks, date, out, rcpt, rcptlen);
fail:
	if (txn == 1)
		db_rollback(db);
	return -1;
}

int
compose_preview(struct compose *c, struct db *db, int64_t employee_id,
    const char *local_date, time_t now, enum compose_format fmt,
    struct buf *out, int *why)
{
	struct compose_day *d = NULL;
	char msgid[320], subject[1024], code[48], lday[16];
	char unique[COMPOSE_MSGID_RANDOM + 1];
	int64_t ledger_id, eid;
	const struct db_post *posts;
	const size_t *order = NULL;
	size_t n = 0, i;
	int r, net, week;

	*why = SELECT_POSTS;
	if (compose_load_employee(c, db, employee_id) == -1)
		return -1;
	*msgid = '\0';
	c->nlinks = 0;
	db_digest_posts_free(&c->planned);
	/* A digest already planned for that date: show it as it was. */
	if ((r = db_digest_ledger_find(db, employee_id, local_date,
	    &ledger_id)) == -1)
		return -1;
	if (r == 1) {
		if (db_digest_ledger_get(db, ledger_id, &eid, lday,
		    sizeof(lday), msgid, sizeof(msgid)) == -1 ||
		    db_digest_planned(db, ledger_id, &c->planned) == -1 ||
		    db_digest_planned_links(db, ledger_id, &c->plinks,
		    &c->nplinks, &c->plinkcap) == -1)
			return -1;
		for (net = 0; net < NET_COUNT; net++)
			for (i = 0; i < c->nplinks; i++)
				if (c->plinks[i].network == (enum network)net)
					compose_add_link(c,
					    c->plinks[i].post_id,
					    c->plinks[i].network,
					    c->plinks[i].code);
	}
	if (c->planned.n > 0 || *msgid != '\0') {
		/* Planned: its posts, or none for a "your week" digest. */
		posts = c->planned.v;
		n = c->planned.n;
	} else {
		if ((r = compose_select(c, db, local_date, now, 0, 0, &d,
		    &n)) == -1)
			return -1;
		if (r == SELECT_NOTHING_NEW &&
		    (week = compose_your_week(c, db, local_date)) != 0) {
			if (week == -1)
				return -1;
			r = SELECT_POSTS;
			n = 0;
		}
		if (r != SELECT_POSTS) {
			*why = r;
			return 0;
		}
		posts = d->posts.v;
		order = c->chosen;
		if ((n = compose_fit(c, local_date, posts, order, n)) ==
		    (size_t)-1)
			return -1;
		c->nlinks = 0;
		for (net = 0; net < NET_COUNT; net++) {
			if (!(c->emp.networks & NET_BIT(net)))
				continue;
			for (i = 0; i < n; i++) {
				const struct db_post *p = &posts[order[i]];

				r = db_links_find(db, c->emp.id, p->id,
				    (enum network)net, code);
				if (r == -1)
					return -1;
				if (r == 0)
					snprintf(code, sizeof(code),
					    "preview-%s-%lld",
					    network_name((enum network)net),
					    (long long)p->id);
				compose_add_link(c, p->id, (enum network)net,
				    code);
			}
		}
	}
	if (*msgid == '\0') {
		rand_base62(unique, COMPOSE_MSGID_RANDOM);
		if (mime_message_id(unique, c->from_addr, msgid,
		    sizeof(msgid)) == -1)
			return -1;
	}
	if (compose_fill(c, db, local_date, now, posts, order, n, subject,
	    sizeof(subject)) == -1 ||
	    compose_output(c, fmt, subject, msgid, now, out) == -1)
		return -1;
	/* A "your week" digest is one message without posts. */
	return n > 0 ? (int)n : 1;
}
