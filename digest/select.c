/*
 * select: the choice of posts for one employee and one local date, and the
 * rule that spreads a post's audience over several days. Pure functions
 * over plain data; see select.h for the contract and README.md for the rule.
 */
#include <stdlib.h>
#include <string.h>

#include "common/day.h"
#include "digest/select.h"

int
select_is_due(const struct select_employee *e, long day)
{
	if (!e->active || e->unsubscribed)
		return 0;
	return frequency_sends_on(e->frequency, day);
}

/* splitmix64's finaliser: every input bit reaches every output bit. */
static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

long
select_offset(int64_t employee_id, int64_t post_id, long window)
{
	uint64_t h;

	if (window <= 1)
		return 0;
	h = mix64(mix64((uint64_t)employee_id + 0x9e3779b97f4a7c15ULL) ^
	    (uint64_t)post_id);
	/* The top 32 bits scaled to [0, window): no modulo bias to speak of. */
	return (long)(((h >> 32) * (uint64_t)window) >> 32);
}

long
select_first_day(const struct select_params *p,
    const struct select_employee *e, const struct select_post *post)
{
	const char *anchor_s;
	long anchor, expires, window;

	anchor_s = post->available != NULL ? post->available : post->starts;
	if (anchor_s == NULL)
		return 0;	/* no known start: offered at once */
	if (day_parse(anchor_s, &anchor, NULL) == -1)
		return -1;
	/* A weekly digest already comes once in seven days; a day offset
	 * would only make it miss short-lived posts. */
	if (e->frequency == FREQ_WEEKLY)
		return anchor;
	window = p->spread_days;
	if (post->expires != NULL) {
		if (day_parse(post->expires, &expires, NULL) == -1)
			return -1;
		/* Everyone is offered the post by its last day. */
		if (expires - anchor + 1 < window)
			window = expires - anchor + 1;
	}
	return anchor + select_offset(e->id, post->id, window);
}

static int
select_role_match(const struct select_employee *e,
    const struct select_post *p)
{
	size_t i, j;

	if (p->everyone)
		return 1;
	for (i = 0; i < p->nroles; i++)
		for (j = 0; j < e->nroles; j++)
			if (strcmp(p->roles[i], e->roles[j]) == 0)
				return 1;
	return 0;
}

static int
select_was_suggested(int64_t id, const int64_t *v, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] == id)
			return 1;
		if (v[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Compares two dates where NULL sorts last ("never expires"). */
static int
select_cmp_date(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

/* < 0 when a goes before b in the digest. */
static int
select_cmp(const struct select_post *a, const struct select_post *b)
{
	int c;

	if (a->priority != b->priority)
		return a->priority > b->priority ? -1 : 1;
	if ((c = select_cmp_date(a->expires, b->expires)) != 0)
		return c;
	if ((c = select_cmp_date(a->available, b->available)) != 0)
		return c;
	return (a->id > b->id) - (a->id < b->id);
}

enum select_result
select_digest(const struct select_params *params,
    const struct select_employee *e, const char *date,
    const struct select_post *posts, size_t nposts,
    const int64_t *suggested, size_t nsuggested,
    size_t *chosen, size_t *nchosen)
{
	size_t i, j, n = 0, max;
	long day, first;

	*nchosen = 0;
	if (day_parse(date, &day, NULL) == -1)
		return SELECT_BAD_DATE;
	if (!select_is_due(e, day))
		return SELECT_NOT_DUE;
	max = params->max_posts > 0 ? (size_t)params->max_posts : 1;

	for (i = 0; i < nposts; i++) {
		const struct select_post *p = &posts[i];

		/* Dates are YYYY-MM-DD, so text order is date order. */
		if (p->starts != NULL && strcmp(date, p->starts) < 0)
			continue;
		if (p->expires != NULL && strcmp(date, p->expires) > 0)
			continue;
		if (!select_role_match(e, p))
			continue;
		if (select_was_suggested(p->id, suggested, nsuggested))
			continue;
		if ((first = select_first_day(params, e, p)) == -1 ||
		    day < first)
			continue;
		/* Insert into the sorted top-max list. */
		if (n == max && select_cmp(p, &posts[chosen[n - 1]]) >= 0)
			continue;
		j = n < max ? n++ : n - 1;
		while (j > 0 && select_cmp(p, &posts[chosen[j - 1]]) < 0) {
			chosen[j] = chosen[j - 1];
			j--;
		}
		chosen[j] = i;
	}
	*nchosen = n;
	return n > 0 ? SELECT_POSTS : SELECT_NOTHING_NEW;
}
