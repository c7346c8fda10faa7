/*
 * select: the choice of posts for one employee and one local date, and the
 * rule that spreads a post's audience over several days. Pure functions
 * over plain data; see select.h for the contract and README.md for the rule.
 */
#include <stdlib.h>
#include <string.h>

#include "common/day.h"
#include "digest/select.h"

enum frequency
select_frequency_parse(const char *s)
{
	int f = frequency_parse(s);

	return f == -1 ? FREQ_DAILY : (enum frequency)f;
}

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
	long anchor, expires, window, day, due, k;

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
	if (window < 1)
		window = 1;
	if (e->frequency == FREQ_DAILY)
		return anchor + select_offset(e->id, post->id, window);
	/* A frequency that skips days (weekdays): the offset is taken
	 * among the days of the window the employee is due, so that nobody
	 * is given a day without a digest and misses a short-lived post.
	 * With no due day in the window, the post is theirs from its first
	 * day (their next digest offers it, if it has not expired). */
	for (due = 0, day = anchor; day < anchor + window; day++)
		due += frequency_sends_on(e->frequency, day);
	if (due == 0)
		return anchor;
	k = select_offset(e->id, post->id, due);
	for (day = anchor;; day++)
		if (frequency_sends_on(e->frequency, day) && k-- == 0)
			return day;
}

static int
select_role_in(const char *role, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(role, v[i]) == 0)
			return 1;
	return 0;
}

int
select_role_match(const struct select_employee *e,
    const struct select_post *p)
{
	size_t i;

	if (p->everyone)
		return 1;
	for (i = 0; i < p->nroles; i++) {
		if (select_role_in(p->roles[i], e->follows, e->nfollows))
			return 1;
		/* A muted role is one of HR's the employee set aside; the
		 * post may still be theirs through another role. */
		if (select_role_in(p->roles[i], e->roles, e->nroles) &&
		    !select_role_in(p->roles[i], e->mutes, e->nmutes))
			return 1;
	}
	return 0;
}

/* Whether id is in v[0..n), sorted ascending. */
static int
select_in(int64_t id, const int64_t *v, size_t n)
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
		if (select_in(p->id, suggested, nsuggested))
			continue;
		if (select_is_limited(p) &&
		    !select_in(p->id, e->audience, e->naudience))
			continue;
		if (select_in(p->id, e->declined, e->ndeclined))
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

int
select_is_limited(const struct select_post *p)
{
	return p->audience_count > 0 || p->audience_hundredths > 0;
}

long
select_audience_cap(const struct select_post *p, long base)
{
	long cap;

	if (p->audience_count > 0)
		return p->audience_count;
	if (p->audience_hundredths <= 0 || p->audience_hundredths >= 10000)
		return base;
	if (base <= 0)
		return 0;
	/* Rounded down: "at most 40%"; but a limit means someone. */
	cap = (long)((int64_t)base * p->audience_hundredths / 10000);
	return cap > 0 ? cap : 1;
}

uint64_t
select_audience_tie(int64_t post_id, int64_t employee_id)
{
	return mix64(mix64((uint64_t)post_id ^ 0xd1b54a32d192ed03ULL) +
	    (uint64_t)employee_id);
}

/* Whether the employee gets a digest on some day from day to last, at
 * most seven days (every frequency repeats within a week). */
static int
select_due_within(const struct select_employee *e, long day, long last)
{
	long d;

	for (d = day; d <= last && d < day + 7; d++)
		if (select_is_due(e, d))
			return 1;
	return 0;
}

/* The choosing order: those offered already, then the eligible by how
 * long ago they were last chosen, then the rest. */
static int
select_cand_cmp(const void *va, const void *vb)
{
	const struct select_candidate *a = va, *b = vb;
	int ga, gb;

	ga = a->offered ? 0 : a->eligible ? 1 : 2;
	gb = b->offered ? 0 : b->eligible ? 1 : 2;
	if (ga != gb)
		return ga - gb;
	if (ga == 1) {
		if (a->last != b->last)
			return a->last < b->last ? -1 : 1;
		if (a->tie != b->tie)
			return a->tie < b->tie ? -1 : 1;
	}
	return (a->e.id > b->e.id) - (a->e.id < b->e.id);
}

size_t
select_audience(const struct select_post *p, long day,
    struct select_candidate *c, size_t n, long *basep, long *capp)
{
	long last, expires, base = 0, cap, offered = 0, room;
	size_t i, eligible = 0;

	last = day + 6;
	if (p->expires != NULL && day_parse(p->expires, &expires, NULL) == 0 &&
	    expires < last)
		last = expires;
	for (i = 0; i < n; i++) {
		c[i].eligible = !c[i].offered && select_role_match(&c[i].e, p) &&
		    select_due_within(&c[i].e, day, last);
		c[i].tie = select_audience_tie(p->id, c[i].e.id);
		offered += c[i].offered != 0;
		eligible += c[i].eligible != 0;
	}
	base = offered + (long)eligible;
	cap = select_audience_cap(p, base);
	if (n > 1)
		qsort(c, n, sizeof(*c), select_cand_cmp);
	room = cap > offered ? cap - offered : 0;
	if ((size_t)room > eligible)
		room = (long)eligible;
	*basep = base;
	*capp = cap;
	return (size_t)offered + (size_t)room;
}
