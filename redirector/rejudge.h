/*
 * rejudge: the judge's rules (redirector/judge.c: sweeps and self
 * clicks) and repeats (redirector/visitor.c) over the hits of every
 * redirector on the store, as the reports fold them.
 */
#ifndef CHORUS_REDIRECTOR_REJUDGE_H
#define CHORUS_REDIRECTOR_REJUDGE_H

#include <time.h>

#include "redirector/judge.h"

struct db;

/* A hit may be committed some seconds after its second (a node's batch
 * waiting for a lock or a synchronous replica, a clock a little behind);
 * one that comes after its second was judged can make a link many
 * fetched look sparse to the judge. Seconds younger than this are judged
 * by a later pass. */
#define REJUDGE_SETTLE	300

/*
 * Judges again, in the order of their seconds, the stored hits from
 * report_state.judged_to up to now - REJUDGE_SETTLE, with the sweep rule
 * and settings of conf, and revises to `scanner` the hits of each sweep
 * that no single redirector saw whole, to `self` the clicks of a visitor
 * who shared the link on another node, and to a repeat a share pressed
 * again on another; their days go to report_dirty for the fold to count
 * again. Moves judged_to with the revisions, in
 * transactions of about a day of seconds or a few thousand revisions.
 * Returns the number of hits revised, or -1 after logging (what
 * committed stays).
 */
long	 rejudge_run(struct db *, const struct judge_conf *conf, time_t now);

/* Has every fold of the reports (db_report_refresh) run rejudge_run with
 * conf first. */
void	 rejudge_install(const struct judge_conf *conf);

#endif
