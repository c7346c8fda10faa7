/*
 * audience: choosing a limited post's audience from the stored employees,
 * and the limited posts of one employee. The rule itself is pure and lives
 * in select.c; this file feeds it and stores what it chose.
 */
#include <stdlib.h>
#include <string.h>

#include "common/day.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "db/audience.h"
#include "db/digest.h"
#include "digest/audience.h"
#include "digest/select.h"

/* An audience chosen in memory only (a preview). */
struct audience_mem {
	int64_t		 post_id;
	int64_t		*ids;		/* ascending */
	size_t		 n;
};

struct audience {
	struct db_audience_pool	 pool;
	struct select_candidate	*cand;
	const char		**roles;
	size_t			 candcap, rolecap;
	int64_t			*ids;		/* the chosen, or one's posts */
	size_t			 nids, idcap;
	struct audience_mem	*mem;
	size_t			 nmem;
};

struct audience *
audience_new(void)
{
	return xcalloc(1, sizeof(struct audience));
}

void
audience_free(struct audience *a)
{
	size_t i;

	if (a == NULL)
		return;
	db_audience_pool_free(&a->pool);
	free(a->cand);
	free(a->roles);
	free(a->ids);
	for (i = 0; i < a->nmem; i++)
		free(a->mem[i].ids);
	free(a->mem);
	free(a);
}

static int
audience_cmp_id(const void *va, const void *vb)
{
	int64_t a = *(const int64_t *)va, b = *(const int64_t *)vb;

	return (a > b) - (a < b);
}

static const struct audience_mem *
audience_mem_find(const struct audience *a, int64_t post_id)
{
	size_t i;

	for (i = 0; i < a->nmem; i++)
		if (a->mem[i].post_id == post_id)
			return &a->mem[i];
	return NULL;
}

/* Chooses one post's audience into a->ids, in the order chosen; *base
 * and *cap as select_audience() found them. */
static int
audience_pick(struct audience *a, struct db *db, const struct db_post *p,
    long day, long *base, long *cap)
{
	struct select_post sp;
	size_t i, j, k, nroles = 0, n;
	const char *r;

	if (db_audience_pool(db, p->id, &a->pool) == -1)
		return -1;
	if (a->pool.n > a->candcap) {
		a->candcap = a->pool.n;
		a->cand = xreallocarray(a->cand, a->candcap, sizeof(*a->cand));
	}
	for (i = 0; i < a->pool.n; i++)
		nroles += a->pool.v[i].nroles + a->pool.v[i].nfollows +
		    a->pool.v[i].nmutes;
	if (nroles > a->rolecap) {
		a->rolecap = nroles;
		a->roles = xreallocarray(a->roles, nroles, sizeof(*a->roles));
	}
	for (i = k = 0; i < a->pool.n; i++) {
		const struct db_audience_person *pp = &a->pool.v[i];
		struct select_candidate *c = &a->cand[i];

		memset(c, 0, sizeof(*c));
		c->e.id = pp->id;
		c->e.frequency = select_frequency_parse(pp->frequency);
		c->e.active = pp->active;
		c->e.unsubscribed = pp->unsubscribed;
		c->e.roles = a->roles + k;
		c->e.nroles = pp->nroles;
		c->e.follows = a->roles + k + pp->nroles;
		c->e.nfollows = pp->nfollows;
		c->e.mutes = a->roles + k + pp->nroles + pp->nfollows;
		c->e.nmutes = pp->nmutes;
		for (j = 0, r = pp->rolebuf;
		    j < pp->nroles + pp->nfollows + pp->nmutes; j++) {
			a->roles[k++] = r;
			r += strlen(r) + 1;
		}
		c->last = pp->last;
		c->offered = pp->offered;
	}
	memset(&sp, 0, sizeof(sp));
	sp.id = p->id;
	sp.everyone = p->everyone;
	sp.roles = (const char *const *)p->roles;
	sp.nroles = p->nroles;
	sp.starts = p->starts;
	sp.expires = p->expires;
	sp.available = p->available;
	sp.audience_count = p->audience_count;
	sp.audience_hundredths = p->audience_hundredths;
	n = select_audience(&sp, day, a->cand, a->pool.n, base, cap);
	if (n > a->idcap) {
		a->idcap = n;
		a->ids = xreallocarray(a->ids, n, sizeof(*a->ids));
	}
	for (i = 0; i < n; i++)
		a->ids[i] = a->cand[i].e.id;
	a->nids = n;
	return 0;
}

int
audience_choose(struct audience *a, struct db *db,
    const struct db_post *posts, size_t n, const char *date, time_t now,
    int record)
{
	struct audience_mem *m;
	long day, base, cap;
	size_t i;
	int r;

	if (day_parse(date, &day, NULL) == -1) {
		log_error("audience: bad local date '%s'", date);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct db_post *p = &posts[i];

		if (p->audience_chosen || (p->audience_count <= 0 &&
		    p->audience_hundredths <= 0))
			continue;
		/* Not before its first day: the audience of that day. */
		if (p->available != NULL && strcmp(date, p->available) < 0)
			continue;
		if (!record && audience_mem_find(a, p->id) != NULL)
			continue;
		/* The read may be older than another run's choice; this
		 * transaction's view is not. */
		if ((r = db_audience_is_chosen(db, p->id)) == -1)
			return -1;
		if (r == 1)
			continue;
		if (audience_pick(a, db, p, day, &base, &cap) == -1)
			return -1;
		if (record) {
			if (db_audience_record(db, p->id, date, base, cap,
			    a->ids, a->nids, now) == -1)
				return -1;
			log_debug("audience: post %lld: %zu of %ld eligible "
			    "chosen (limit %ld) on %s", (long long)p->id,
			    a->nids, base, cap, date);
			continue;
		}
		a->mem = xreallocarray(a->mem, a->nmem + 1, sizeof(*a->mem));
		m = &a->mem[a->nmem++];
		m->post_id = p->id;
		m->n = a->nids;
		m->ids = xreallocarray(NULL, a->nids ? a->nids : 1,
		    sizeof(*m->ids));
		if (m->n > 0)
			memcpy(m->ids, a->ids, m->n * sizeof(*m->ids));
		if (m->n > 1)
			qsort(m->ids, m->n, sizeof(*m->ids), audience_cmp_id);
	}
	return 0;
}

int
audience_of(struct audience *a, struct db *db, int64_t employee_id,
    const int64_t **ids, size_t *n)
{
	size_t i;

	if (db_audience_of(db, employee_id, &a->ids, &a->nids,
	    &a->idcap) == -1)
		return -1;
	for (i = 0; i < a->nmem; i++) {
		const struct audience_mem *m = &a->mem[i];

		if (bsearch(&employee_id, m->ids, m->n, sizeof(*m->ids),
		    audience_cmp_id) == NULL)
			continue;
		if (a->nids == a->idcap) {
			a->idcap = a->idcap ? a->idcap * 2 : 16;
			a->ids = xreallocarray(a->ids, a->idcap,
			    sizeof(*a->ids));
		}
		a->ids[a->nids++] = m->post_id;
	}
	if (a->nids > 1)
		qsort(a->ids, a->nids, sizeof(*a->ids), audience_cmp_id);
	*ids = a->ids;
	*n = a->nids;
	return 0;
}
