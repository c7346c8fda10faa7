/*
 * results: what the digest tells each employee about the reports: their
 * own last seven days (template key `results`) and, on Mondays, last
 * week's highlights for the whole team (`highlights`). Never another
 * person's address or personal figures: advocates are named by first name
 * and one role only. Settings digest.results and digest.highlights turn
 * each part off.
 *
 *   results     { clicks, people, best_post, thanks,
 *                 tip { tip_network { label, other_label, per_share,
 *                 other_per_share } | tip_weekday { weekday, per_share,
 *                 other_per_share } } }
 *   highlights  { top_posts [{ title, clicks }],
 *                 top_advocates [{ first_name, role }], team_clicks }
 */
#ifndef CHORUS_RESULTS_H
#define CHORUS_RESULTS_H

#include <stdint.h>
#include <time.h>

struct config;
struct db;
struct results;
struct tdict;

/* Reads the settings. Never NULL. The highlights are computed once per
 * week and kept here, so one object should serve a whole run. */
struct results *results_new(const struct config *);
void	 results_free(struct results *);

/* Fills d for the digest of employee_id for local_date (YYYY-MM-DD):
 * `results` over the seven UTC days before local_date (whenever the
 * digest is composed), with a `tip` (digest/tips.h) from the TIPS_DAYS
 * days before it when the history is clear enough; `highlights` only when
 * local_date is a Monday, over the seven UTC days before it. The first
 * call of a run folds new hits into the reports'
 * roll-up when the connection may write and is outside a transaction. A
 * part is left out when its setting is off; highlights also when last
 * week had no clicks. Returns 0, or -1 after logging. */
int	 results_fill(struct results *, struct db *, int64_t employee_id,
	    const char *local_date, struct tdict *d);

/* Whether the digest of employee_id for local_date has praise to carry
 * (README, "Your week"): clicks on their links in its `results`, or their
 * name among the advocates of its `highlights`, as results_fill() would
 * show them (a part turned off carries none). Returns 1, 0, or -1 after
 * logging. */
int	 results_praise(struct results *, struct db *, int64_t employee_id,
	    const char *local_date);

#endif
