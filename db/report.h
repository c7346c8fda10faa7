/*
 * db/report: the queries behind `chorus report`, the HTML report and the
 * results in the digest. Every number comes from the view report_hit (the
 * counting rules, defined once in the schema) through the roll-up table
 * report_link_day, so the reports agree with each other to the unit.
 */
#ifndef CHORUS_DB_REPORT_H
#define CHORUS_DB_REPORT_H

#include <stddef.h>
#include <stdint.h>

struct db;

/* The leaderboard score (README, "Reports and the leaderboard score"):
 * points per link (post x network) shared with the button, per link that a
 * network's preview fetcher read (proof it was posted), per unique click. */
#define REPORT_SCORE_SHARED	5
#define REPORT_SCORE_PROVEN	10
#define REPORT_SCORE_UNIQUE	1

/* Days are UTC days since 1970-01-01 (ts / 86400). An open end of a
 * range: one day beyond the dates a user can give (1970-01-01 to
 * 9999-12-31), so that those two still bound a calendar. */
#define REPORT_DAY_MIN	(-1L)
#define REPORT_DAY_MAX	2932897L

enum db_report_kind {
	/* Columns, in order, as in the SPEC; day columns are day numbers. */
	DB_REPORT_ATTRIBUTION,	/* day,email,name,roles,post_id,title,network,
				   shares,previews,clicks,unique,bot_hits */
	DB_REPORT_POSTS,	/* post_id,title,suggested,shares,previews,
				   clicks,unique,sharers,declined */
	DB_REPORT_EMPLOYEES,	/* email,name,roles,digests_sent,shares,
				   previews,clicks,unique */
	DB_REPORT_LEADERBOARD,	/* rank,email,name,roles,score,shares,clicks,
				   unique */
	DB_REPORT_DAILY,	/* day,sent,skipped,failed,shares,previews,
				   clicks,unique,bot_hits */
	DB_REPORT_NETWORKS,	/* network,shares,previews,clicks,unique,
				   bot_hits (for the HTML report) */
	DB_REPORT_PROGRAM,	/* month (text YYYY-MM),employees_active,
				   digests_sent,sharers,participation (text:
				   "0.500", "" without digests),shares,
				   previews,clicks,unique,declined,
				   unsubscribed,paused */
	DB_REPORT_FATIGUE,	/* month,employees_active,sharers,
				   participation,unsubscribed,paused,weekly,
				   declined (for the HTML report) */
	DB_REPORT_DECLINED,	/* title,declined,suggested: posts with a
				   "not for me", most first (HTML report) */
};

/* Inside a transaction, takes what the fold takes on PostgreSQL (the
 * locks of hits, report_dirty and report_state, which SQLite's write lock
 * gives): for a writer of those tables to take its locks in the fold's
 * order. Nothing on SQLite. 0 or -1 after logging. */
int	 db_report_lock(struct db *);

/* Has every fold below run fn(db) first, before its own transactions
 * (redirector/rejudge.c judges every node's hits again); NULL: none. */
void	 db_report_prefold(int (*fn)(struct db *));

/* Folds the hits that arrived since the last call into the roll-up, in
 * transactions of a bounded number of hits so the redirector is never held
 * up for long. Every report calls it first; needs a writable database.
 * Returns 0, or -1 after logging. */
int	 db_report_refresh(struct db *);
/* The same with at most chunk hits per transaction (tests use tiny ones). */
int	 db_report_refresh_chunked(struct db *, long chunk);
/* Refreshes unless the connection is read-only or inside a transaction:
 * returns 0 when refreshed, 1 when skipped, -1 after logging an error. */
int	 db_report_refresh_idle(struct db *);

struct db_report;

/* Opens one report over the UTC days [from_day, to_day]. Rows are stepped
 * one at a time straight from SQLite: memory does not grow with the data.
 * Only one cursor of each kind may be open on a db at a time. Returns NULL
 * after logging. */
struct db_report *db_report_open(struct db *, enum db_report_kind,
	    long from_day, long to_day);
/* Returns 1 for a row, 0 at the end, -1 after logging an error. */
int	 db_report_step(struct db_report *);
int	 db_report_ncols(const struct db_report *);
long long db_report_int(const struct db_report *, int col);
/* Borrowed until the next step; "" for NULL. */
const char *db_report_text(const struct db_report *, int col);
void	 db_report_close(struct db_report *);

/* One employee's results over the UTC days [from_day, to_day], from the
 * roll-up (refresh it first): human clicks on their links, people reached
 * (unique clicks, as in the reports) and the title of the post that
 * reached most people (NULL when nothing was clicked). */
struct db_results {
	long long	 clicks;
	long long	 people;
	char		*best_post;	/* malloc'd; freed by
					   db_report_results_release() */
};
int	 db_report_results(struct db *, int64_t employee_id, long from_day,
	    long to_day, struct db_results *);
void	 db_report_results_release(struct db_results *);

/* The team's highlights over the UTC days [from_day, to_day], from the
 * roll-up: the most clicked posts, the best advocates by leaderboard score
 * (first name and one role only: never an address or a personal figure)
 * and the team's total of clicks. Employees without a name, no longer
 * active or unsubscribed are never named. */
#define DB_HIGHLIGHTS_MAX	3
struct db_highlights {
	size_t		 nposts;
	struct {
		char		*title;		/* malloc'd */
		long long	 clicks;
	}		 post[DB_HIGHLIGHTS_MAX];
	size_t		 nadvocates;
	struct {
		int64_t		 employee_id;
		char		*first_name;	/* malloc'd */
		char		*role;		/* malloc'd; "" when none */
	}		 advocate[DB_HIGHLIGHTS_MAX];
	long long	 team_clicks;
};
int	 db_report_highlights(struct db *, long from_day, long to_day,
	    struct db_highlights *);
void	 db_report_highlights_release(struct db_highlights *);

/* One employee's shares and people reached over the UTC days [from_day,
 * to_day], by network (enum network) and weekday of the UTC day (0 =
 * Sunday), from the roll-up: the data of the tips (digest/tips.h). A share
 * is a link's day with a use of the share button (each counted) or, when
 * there is none, a link-preview fetch (proof it was posted); people are
 * unique clicks. One query on the roll-up's employee index. */
#define DB_HISTORY_NETWORKS	3	/* NET_COUNT */
struct db_history {
	long long	 shares[DB_HISTORY_NETWORKS][7];
	long long	 people[DB_HISTORY_NETWORKS][7];
};
int	 db_report_history(struct db *, int64_t employee_id, long from_day,
	    long to_day, struct db_history *);

#endif
