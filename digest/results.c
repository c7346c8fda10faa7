/*
 * results: the digest's share of the reports, turned into template data.
 * The numbers come from db/report.c, under the same counting rules as the
 * CSV reports.
 */
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/day.h"
#include "common/log.h"
#include "common/template.h"
#include "common/xmalloc.h"
#include "db/report.h"
#include "digest/results.h"

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

static int
fill_results(struct db *db, int64_t employee_id, long today,
    struct tdict *d)
{
	struct db_results res;
	struct tdict *it;

	if (db_report_results(db, employee_id, today - 7, today - 1,
	    &res) == -1)
		return -1;
	it = tdict_add_item(d, "results");
	tdict_set_int(it, "clicks", res.clicks);
	tdict_set_int(it, "people", res.people);
	if (res.best_post != NULL)
		tdict_set(it, "best_post", res.best_post);
	/* Reaching anyone at all deserves a word of thanks. */
	tdict_set_bool(it, "thanks", res.people > 0);
	db_report_results_release(&res);
	return 0;
}

static int
fill_highlights(struct results *r, struct db *db, long monday,
    struct tdict *d)
{
	struct tdict *it;
	size_t i;

	if (r->week != monday || r->db != db) {
		db_report_highlights_release(&r->hl);
		r->week = -1;
		if (db_report_highlights(db, monday - 7, monday - 1,
		    &r->hl) == -1)
			return -1;
		r->week = monday;
		r->db = db;
	}
	if (r->hl.team_clicks == 0 && r->hl.nposts == 0)
		return 0;
	it = tdict_add_item(d, "highlights");
	for (i = 0; i < r->hl.nposts; i++) {
		struct tdict *p = tdict_add_item(it, "top_posts");

		tdict_set(p, "title", r->hl.post[i].title);
		tdict_set_int(p, "clicks", r->hl.post[i].clicks);
	}
	for (i = 0; i < r->hl.nadvocates; i++) {
		struct tdict *a = tdict_add_item(it, "top_advocates");

		tdict_set(a, "first_name", r->hl.advocate[i].first_name);
		tdict_set(a, "role", r->hl.advocate[i].role);
	}
	tdict_set_int(it, "team_clicks", r->hl.team_clicks);
	return 0;
}

int
results_fill(struct results *r, struct db *db, int64_t employee_id,
    const char *local_date, time_t now, struct tdict *d)
{
	const char *why;
	long day;
	int rc;

	if (!r->show_results && !r->show_highlights)
		return 0;
	/* The figures come from the roll-up: bring it up to date once per
	 * run, when this connection may write and holds no transaction (a
	 * read-only preview shows what the last report folded in). */
	if (!r->refreshed) {
		if ((rc = db_report_refresh_idle(db)) == -1)
			log_warnx("results: the figures may be out of date");
		if (rc != 1)
			r->refreshed = 1;
	}
	if (r->show_results &&
	    fill_results(db, employee_id, day_of_time(now), d) == -1)
		return -1;
	if (!r->show_highlights)
		return 0;
	if (day_parse(local_date, &day, &why) == -1) {
		log_error("results: date '%s': %s", local_date, why);
		return -1;
	}
	if (day_weekday(day) != DAY_MONDAY)
		return 0;
	return fill_highlights(r, db, day, d);
}
