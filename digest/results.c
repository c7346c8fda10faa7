/*
 * results: the digest's share of the reports, turned into template data.
 * The numbers come from db/report.c, under the same counting rules as the
 * CSV reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/day.h"
#include "common/log.h"
#include "common/network.h"
#include "common/template.h"
#include "common/xmalloc.h"
#include "db/report.h"
#include "digest/results.h"
#include "digest/tips.h"

struct results {
	int			 refreshed;	/* the roll-up was brought up
						   to date in this run */
	int			 show_results;
	int			 show_highlights;
	long			 week;		/* Monday of the cached week */
	struct db		*db;		/* the cache's store */
	struct db_highlights	 hl;
};

struct results *
results_new(const struct config *cfg)
{
	struct results *r = xcalloc(1, sizeof(*r));

	r->show_results = config_bool(cfg, "digest.results");
	r->show_highlights = config_bool(cfg, "digest.highlights");
	r->week = -1;
	return r;
}

void
results_free(struct results *r)
{
	if (r == NULL)
		return;
	db_report_highlights_release(&r->hl);
	free(r);
}

/* The roll-up's history is the tips' input, array for array. */
_Static_assert(sizeof(((struct db_history *)0)->shares) ==
    sizeof(((struct tips_history *)0)->shares), "shares");
_Static_assert(sizeof(((struct db_history *)0)->people) ==
    sizeof(((struct tips_history *)0)->people), "people");

/* A count and its noun: key ("1") and key_word ("click"), or "2" and
 * "clicks", so that a template never reads "1 clicks". */
static void
count_set(struct tdict *d, const char *key, long long n, const char *one,
    const char *many)
{
	char word[64];

	tdict_set_int(d, key, n);
	snprintf(word, sizeof(word), "%s_word", key);
	tdict_set(d, word, n == 1 ? one : many);
}

/* "3.2" for 32 tenths. */
static void
tenths_set(struct tdict *d, const char *key, long long tenths)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld.%lld", tenths / 10, tenths % 10);
	tdict_set(d, key, s);
}

/* The tip (digest/tips.h) of the employee's last TIPS_DAYS days before
 * the digest's day, into the results item it. */
static int
fill_tip(struct db *db, int64_t employee_id, long day, struct tdict *it)
{
	struct db_history h;
	struct tips_history th;
	struct tip t;
	struct tdict *tip, *k;

	if (db_report_history(db, employee_id, day - TIPS_DAYS, day - 1,
	    &h) == -1)
		return -1;
	memcpy(th.shares, h.shares, sizeof(th.shares));
	memcpy(th.people, h.people, sizeof(th.people));
	tips_compute(&th, &t);
	if (t.kind == TIP_NONE)
		return 0;
	tip = tdict_add_item(it, "tip");
	if (t.kind == TIP_NETWORK) {
		k = tdict_add_item(tip, "tip_network");
		tdict_set(k, "label", network_label(t.network));
		tdict_set(k, "other_label", network_label(t.other));
	} else {
		k = tdict_add_item(tip, "tip_weekday");
		tdict_set(k, "weekday",
		    day_weekday_name((enum day_weekday)t.weekday));
	}
	tenths_set(k, "per_share", t.tenths);
	tenths_set(k, "other_per_share", t.other_tenths);
	return 0;
}

static int
fill_results(struct db *db, int64_t employee_id, long day,
    struct tdict *d)
{
	struct db_results res;
	struct tdict *it;

	if (db_report_results(db, employee_id, day - 7, day - 1,
	    &res) == -1)
		return -1;
	it = tdict_add_item(d, "results");
	count_set(it, "clicks", res.clicks, "click", "clicks");
	count_set(it, "people", res.people, "person", "people");
	if (res.best_post != NULL)
		tdict_set(it, "best_post", res.best_post);
	/* Reaching anyone at all deserves a word of thanks. */
	tdict_set_bool(it, "thanks", res.people > 0);
	db_report_results_release(&res);
	return fill_tip(db, employee_id, day, it);
}

/* Loads the highlights of the week before monday into the cache. */
static int
load_highlights(struct results *r, struct db *db, long monday)
{
	if (r->week != monday || r->db != db) {
		db_report_highlights_release(&r->hl);
		r->week = -1;
		if (db_report_highlights(db, monday - 7, monday - 1,
		    &r->hl) == -1)
			return -1;
		r->week = monday;
		r->db = db;
	}
	return 0;
}

static int
fill_highlights(struct results *r, struct db *db, long monday,
    struct tdict *d)
{
	struct tdict *it;
	size_t i;

	if (load_highlights(r, db, monday) == -1)
		return -1;
	if (r->hl.team_clicks == 0 && r->hl.nposts == 0)
		return 0;
	it = tdict_add_item(d, "highlights");
	for (i = 0; i < r->hl.nposts; i++) {
		struct tdict *p = tdict_add_item(it, "top_posts");

		tdict_set(p, "title", r->hl.post[i].title);
		count_set(p, "clicks", r->hl.post[i].clicks, "click",
		    "clicks");
	}
	for (i = 0; i < r->hl.nadvocates; i++) {
		struct tdict *a = tdict_add_item(it, "top_advocates");

		tdict_set(a, "first_name", r->hl.advocate[i].first_name);
		tdict_set(a, "role", r->hl.advocate[i].role);
	}
	count_set(it, "team_clicks", r->hl.team_clicks, "click", "clicks");
	return 0;
}

/* Brings the roll-up up to date once per run, when this connection may
 * write and holds no transaction (a read-only preview shows what the last
 * report folded in). */
static void
refresh_once(struct results *r, struct db *db)
{
	int rc;

	if (r->refreshed)
		return;
	if ((rc = db_report_refresh_idle(db)) == -1)
		log_warnx("results: the figures may be out of date");
	if (rc != 1)
		r->refreshed = 1;
}

static int
parse_day(const char *local_date, long *day)
{
	const char *why;

	if (day_parse(local_date, day, &why) == -1) {
		log_error("results: date '%s': %s", local_date, why);
		return -1;
	}
	return 0;
}

int
results_fill(struct results *r, struct db *db, int64_t employee_id,
    const char *local_date, struct tdict *d)
{
	long day;

	if (!r->show_results && !r->show_highlights)
		return 0;
	refresh_once(r, db);
	if (parse_day(local_date, &day) == -1)
		return -1;
	if (r->show_results && fill_results(db, employee_id, day, d) == -1)
		return -1;
	if (!r->show_highlights || day_weekday(day) != DAY_MONDAY)
		return 0;
	return fill_highlights(r, db, day, d);
}

int
results_praise(struct results *r, struct db *db, int64_t employee_id,
    const char *local_date)
{
	struct db_results res;
	long day;
	size_t i;
	int praise;

	if (!r->show_results && !r->show_highlights)
		return 0;
	refresh_once(r, db);
	if (parse_day(local_date, &day) == -1)
		return -1;
	if (r->show_results) {
		if (db_report_results(db, employee_id, day - 7, day - 1,
		    &res) == -1)
			return -1;
		praise = res.clicks > 0;
		db_report_results_release(&res);
		if (praise)
			return 1;
	}
	if (!r->show_highlights || day_weekday(day) != DAY_MONDAY)
		return 0;
	if (load_highlights(r, db, day) == -1)
		return -1;
	for (i = 0; i < r->hl.nadvocates; i++)
		if (r->hl.advocate[i].employee_id == employee_id)
			return 1;
	return 0;
}
