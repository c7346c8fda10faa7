/*
 * db/report: the roll-up of hits per UTC day and link, the report queries
 * over it, and the per-employee and team results the digest shows, on
 * either store. The counting rules live in the view report_hit
 * (db/migrations/001_init.sql); nothing here counts a hit any other way.
 *
 * One text serves both stores where it can. Where it cannot, a pair is
 * made from one macro so the two cannot drift: text is ordered byte-wise
 * on PostgreSQL (COLLATE "C", SQLite's BINARY; an email as SQLite's
 * NOCASE, ASCII folded), roles are joined with string_agg, months are
 * named with to_char. Day bounds are cast to BIGINT before they are
 * turned into seconds (PostgreSQL would guess a 32-bit integer), and the
 * program report's participation is formatted here, by SQLite's own
 * printf, for both stores.
 */
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/network.h"
#include "common/xmalloc.h"
#include "db/db_int.h"
#include "db/pg.h"
#include "db/report.h"
#include "db/stmt.h"

_Static_assert(DB_HISTORY_NETWORKS == NET_COUNT, "one row per network");

#define STR_(x)	#x
#define STR(x)	STR_(x)

/* Most hits folded per transaction: small enough that the redirector,
 * which waits for the write lock, is never held up for long. */
#define REFRESH_CHUNK	200000
#define REPORT_CACHE_KB	65536

/* The first second of day ?N, and the first of the day after ?N. */
#define DAY_START(n)	"CAST(?" #n " AS BIGINT) * 86400"
#define DAY_END(n)	"(CAST(?" #n " AS BIGINT) + 1) * 86400"

/* Byte-wise order of a text column on PostgreSQL, as SQLite's BINARY. */
#define LITE_C	""
#define PG_C	" COLLATE \"C\""
/* An email in the order of SQLite's NOCASE: ASCII folded, then bytes (a
 * CITEXT would fold and compare by the database's collation). */
#define LITE_EMAIL(x)	x
#define PG_EMAIL(x)	"lower(" x "::text COLLATE \"C\")"
/* An employee's roles, ';' separated, in the order of the role (SQLite
 * reads them in the primary key's order). */
#define LITE_ROLES	"group_concat(role, ';')"
#define PG_ROLES	"string_agg(role, ';' ORDER BY role COLLATE \"C\")"

/* The sums of one day and link, over rows of report_hit named h. */
#define LD_SUMS \
	"sum(h.share), sum(h.preview), sum(h.click), " \
	"count(DISTINCT h.human_visitor), sum(h.bot)"

/* The leaderboard score over rows shaped like report_link_day. */
#define SCORE_SQL \
	"(" STR(REPORT_SCORE_SHARED) \
	" * count(DISTINCT CASE WHEN shares > 0 THEN link_id END) + " \
	STR(REPORT_SCORE_PROVEN) \
	" * count(DISTINCT CASE WHEN previews > 0 THEN link_id END) + " \
	STR(REPORT_SCORE_UNIQUE) " * sum(unique_clicks))"

#define ROLES_CTE(ROLES) \
	"er AS MATERIALIZED (SELECT employee_id, " ROLES " AS roles " \
	"FROM employee_roles GROUP BY employee_id)"

#define LINK_DAY_COLS \
	"INSERT INTO report_link_day (day, employee_id, post_id, " \
	"network, link_id, shares, previews, clicks, unique_clicks, " \
	"bot_hits) "

static const char sql_state[] =
	"SELECT last_hit, (SELECT coalesce(max(id), 0) FROM hits), "
	"CASE WHEN EXISTS (SELECT 1 FROM report_dirty) THEN 1 ELSE 0 END "
	"FROM report_state WHERE id = 1";

/* On PostgreSQL, what SQLite's write lock gives the fold: no hit (nor
 * revision) commits while it runs, so every hit up to max(id) is
 * visible; and one fold at a time. Inserts wait for the fold's COMMIT;
 * readers go on. A batch whose ids were taken before the fold but come
 * under its mark names its days and links in report_dirty once it may
 * insert (db/hits.c, sql_insert_batch), so the next fold counts them. */
static const char sql_pg_lock[] =
	"LOCK TABLE hits, report_dirty, report_state "
	"IN SHARE ROW EXCLUSIVE MODE";

/* Folding hits (?1, ?2] in two steps. First, every day and link that
 * already has a row and that a new hit touches is recomputed in full from
 * its hits, so the row is exact whatever was there before. The touched
 * days and links go into a temporary table; their hits are found through
 * hits_ts (hits has no index by link, to keep inserts cheap), scanning the
 * touched days only: new hits are recent, so these are a day or two. */
static const struct db_sql sql_touch_table = {
	"CREATE TEMP TABLE IF NOT EXISTS report_touch (link_id INTEGER, "
	"day INTEGER, PRIMARY KEY (link_id, day)) WITHOUT ROWID",
	"CREATE TEMP TABLE IF NOT EXISTS report_touch (link_id BIGINT, "
	"day BIGINT, PRIMARY KEY (link_id, day))",
};

static const char sql_touch_clear[] = "DELETE FROM report_touch";

static const char sql_touch[] =
	"INSERT INTO report_touch (link_id, day) "
	"SELECT d.link_id, d.day FROM (SELECT DISTINCT link_id, day "
	"FROM report_hit WHERE id > ?1 AND id <= ?2) d "
	"JOIN links l ON l.id = d.link_id "
	"WHERE EXISTS (SELECT 1 FROM report_link_day r WHERE r.day = d.day "
	"AND r.employee_id = l.employee_id AND r.post_id = l.post_id "
	"AND r.network = l.network)";

/* Hits whose class the redirector revised after they were folded name
 * their day and link in report_dirty (db/hits.c): recomputed the same
 * way, in the same transaction that empties the table. A revision comes
 * seconds after its hit, so these are the days just folded. (SQLite
 * wants a WHERE before an upsert's ON CONFLICT.) */
static const char sql_touch_dirty[] =
	"INSERT INTO report_touch (link_id, day) "
	"SELECT link_id, day FROM report_dirty WHERE true "
	"ON CONFLICT (link_id, day) DO NOTHING";

static const char sql_dirty_clear[] = "DELETE FROM report_dirty";

static const char sql_touch_days[] =
	"SELECT min(day), max(day) FROM report_touch";

static const char sql_fold_old[] =
	LINK_DAY_COLS "SELECT h.day, l.employee_id, l.post_id, "
	"l.network, l.id, " LD_SUMS " FROM report_hit h "
	"JOIN links l ON l.id = h.link_id "
	"WHERE h.ts >= " DAY_START(1) " AND h.ts < " DAY_END(2) " "
	"AND (h.link_id, h.day) IN "
	"(SELECT link_id, day FROM report_touch) "
	"GROUP BY h.day, l.id "
	"ON CONFLICT (day, employee_id, post_id, network) DO UPDATE SET "
	"link_id = excluded.link_id, shares = excluded.shares, "
	"previews = excluded.previews, clicks = excluded.clicks, "
	"unique_clicks = excluded.unique_clicks, "
	"bot_hits = excluded.bot_hits";

/* Then the days and links seen for the first time: all their hits so far
 * are in (?1, ?2], so one sequential pass over the new hits counts them
 * (the rows just recomputed are left alone). */
static const char sql_fold_new[] =
	LINK_DAY_COLS "SELECT a.day, l.employee_id, l.post_id, "
	"l.network, l.id, a.s, a.p, a.c, a.u, a.b "
	"FROM (SELECT h.link_id AS link_id, h.day AS day, "
	"sum(h.share) AS s, sum(h.preview) AS p, sum(h.click) AS c, "
	"count(DISTINCT h.human_visitor) AS u, sum(h.bot) AS b "
	"FROM report_hit h WHERE h.id > ?1 AND h.id <= ?2 "
	"GROUP BY h.day, h.link_id) a JOIN links l ON l.id = a.link_id "
	"WHERE true ON CONFLICT (day, employee_id, post_id, network) "
	"DO NOTHING";

/* Where to end a chunk that would end at hit ?2: after the last hit of
 * the day before ?2's, so that a day's hits are seldom split between two
 * chunks (a split day costs a recompute of its rows). */
static const char sql_cut[] =
	"SELECT id FROM hits WHERE id > ?1 AND id <= ?2 AND ts < "
	"(SELECT ts - ts % 86400 FROM hits WHERE id <= ?2 "
	"ORDER BY id DESC LIMIT 1) ORDER BY id DESC LIMIT 1";

static const char sql_nth_hit[] =
	"SELECT id FROM hits WHERE id > ?1 ORDER BY id LIMIT 1 OFFSET ?2";

static const char sql_set_state[] =
	"UPDATE report_state SET last_hit = ?1 WHERE id = 1";

/* The attribution report reads only the roll-up; names come from a cache
 * of employees and posts loaded once per report (see struct db_report),
 * which is much cheaper than three lookups per row. */
#define SQL_ATTRIBUTION(C) \
	"SELECT r.day, r.employee_id, r.post_id, r.network, r.shares, " \
	"r.previews, r.clicks, r.unique_clicks, r.bot_hits " \
	"FROM report_link_day r WHERE r.day BETWEEN ?1 AND ?2 " \
	"ORDER BY r.day, r.employee_id, r.post_id, r.network" C

#define SQL_NAMES_EMPLOYEES(ROLES) \
	"SELECT e.id, e.email, e.name, coalesce((SELECT " ROLES " " \
	"FROM employee_roles r WHERE r.employee_id = e.id), '') " \
	"FROM employees e ORDER BY e.id"
static const struct db_sql sql_names_employees = {
	SQL_NAMES_EMPLOYEES(LITE_ROLES), SQL_NAMES_EMPLOYEES(PG_ROLES),
};

static const char sql_names_posts[] =
	"SELECT id, ext_id, title, '' FROM posts ORDER BY id";

/* "Not for me" per post, said within the range (by the UTC time it was
 * said), as n(post_id, n). */
#define DECLINED_CTE \
	"n AS MATERIALIZED (SELECT post_id, count(*) AS n FROM declines " \
	"WHERE at >= " DAY_START(1) " AND at < " DAY_END(2) " " \
	"GROUP BY post_id) "

/* Digests sent in the range that suggested each post, as s(post_id, n). */
#define SUGGESTED_CTE \
	"s AS MATERIALIZED (SELECT s.post_id, count(*) AS n " \
	"FROM suggestions s JOIN ledger g ON g.id = s.ledger_id " \
	"WHERE g.state = 'sent' AND g.updated_at >= " DAY_START(1) " " \
	"AND g.updated_at < " DAY_END(2) " GROUP BY s.post_id) "

/* A post counts as shared by an employee when the button was used or a
 * preview fetcher read their link (it was posted by hand). */
static const char sql_posts[] =
	"WITH a AS MATERIALIZED (SELECT post_id, sum(shares) AS shares, "
	"sum(previews) AS previews, sum(clicks) AS clicks, "
	"sum(unique_clicks) AS uniq, count(DISTINCT CASE WHEN shares > 0 "
	"OR previews > 0 THEN employee_id END) AS sharers "
	"FROM report_link_day WHERE day BETWEEN ?1 AND ?2 GROUP BY post_id), "
	SUGGESTED_CTE ", " DECLINED_CTE ""
	"SELECT p.ext_id, p.title, coalesce(s.n, 0), coalesce(a.shares, 0), "
	"coalesce(a.previews, 0), coalesce(a.clicks, 0), coalesce(a.uniq, 0), "
	"coalesce(a.sharers, 0), coalesce(n.n, 0) "
	"FROM posts p LEFT JOIN a ON a.post_id = p.id "
	"LEFT JOIN s ON s.post_id = p.id "
	"LEFT JOIN n ON n.post_id = p.id ORDER BY p.id";

#define SQL_EMPLOYEES(ROLES, EMAIL) \
	"WITH " ROLES_CTE(ROLES) ", " \
	"a AS MATERIALIZED (SELECT employee_id, sum(shares) AS shares, " \
	"sum(previews) AS previews, sum(clicks) AS clicks, " \
	"sum(unique_clicks) AS uniq FROM report_link_day " \
	"WHERE day BETWEEN ?1 AND ?2 GROUP BY employee_id), " \
	"d AS MATERIALIZED (SELECT employee_id, count(*) AS sent FROM ledger " \
	"WHERE state = 'sent' AND updated_at >= " DAY_START(1) " " \
	"AND updated_at < " DAY_END(2) " GROUP BY employee_id) " \
	"SELECT e.email, e.name, coalesce(er.roles, ''), " \
	"coalesce(d.sent, 0), " \
	"coalesce(a.shares, 0), coalesce(a.previews, 0), " \
	"coalesce(a.clicks, 0), coalesce(a.uniq, 0) " \
	"FROM employees e LEFT JOIN er ON er.employee_id = e.id " \
	"LEFT JOIN a ON a.employee_id = e.id " \
	"LEFT JOIN d ON d.employee_id = e.id " \
	"WHERE e.active = 1 OR a.employee_id IS NOT NULL " \
	"OR d.employee_id IS NOT NULL ORDER BY " EMAIL("e.email")

#define SQL_LEADERBOARD(ROLES, EMAIL) \
	"WITH " ROLES_CTE(ROLES) ", " \
	"a AS MATERIALIZED (SELECT employee_id, sum(shares) AS shares, " \
	"sum(clicks) AS clicks, sum(unique_clicks) AS uniq, " SCORE_SQL " " \
	"AS score FROM report_link_day " \
	"WHERE day BETWEEN ?1 AND ?2 GROUP BY employee_id " \
	"HAVING sum(shares) + sum(previews) + sum(clicks) > 0) " \
	"SELECT rank() OVER (ORDER BY a.score DESC, a.uniq DESC, " \
	"a.clicks DESC), e.email, e.name, coalesce(er.roles, ''), a.score, " \
	"a.shares, a.clicks, a.uniq " \
	"FROM a JOIN employees e ON e.id = a.employee_id " \
	"LEFT JOIN er ON er.employee_id = a.employee_id " \
	"ORDER BY a.score DESC, a.uniq DESC, a.clicks DESC, " \
	"" EMAIL("e.email")

/* Every date from the first to the last with data (or from --from to
 * --to when given), so quiet days show as zeros. Digests are dated by the
 * UTC time their ledger row reached its final state. */
static const char sql_daily[] =
	"WITH RECURSIVE a AS MATERIALIZED (SELECT day, sum(shares) AS shares, "
	"sum(previews) AS previews, sum(clicks) AS clicks, "
	"sum(unique_clicks) AS uniq, sum(bot_hits) AS bot "
	"FROM report_link_day WHERE day BETWEEN ?1 AND ?2 GROUP BY day), "
	"g AS MATERIALIZED (SELECT updated_at / 86400 AS day, "
	"sum(CASE WHEN state = 'sent' THEN 1 ELSE 0 END) AS sent, "
	"sum(CASE WHEN state = 'skipped' THEN 1 ELSE 0 END) AS skipped, "
	"sum(CASE WHEN state IN ('failed_temp', 'failed_perm') THEN 1 "
	"ELSE 0 END) AS failed FROM ledger "
	"WHERE state IN ('sent', 'skipped', 'failed_temp', 'failed_perm') "
	"AND updated_at >= " DAY_START(1) " AND updated_at < " DAY_END(2) " "
	"GROUP BY 1), "
	"b AS (SELECT coalesce(CAST(?3 AS BIGINT), min(day)) AS lo, "
	"coalesce(CAST(?4 AS BIGINT), max(day)) AS hi "
	"FROM (SELECT day FROM a UNION ALL SELECT day FROM g) u), "
	"d(day) AS (SELECT lo FROM b WHERE lo <= hi "
	"UNION ALL SELECT d.day + 1 FROM d, b WHERE d.day < b.hi) "
	"SELECT d.day, coalesce(g.sent, 0), coalesce(g.skipped, 0), "
	"coalesce(g.failed, 0), coalesce(a.shares, 0), "
	"coalesce(a.previews, 0), coalesce(a.clicks, 0), coalesce(a.uniq, 0), "
	"coalesce(a.bot, 0) FROM d LEFT JOIN a ON a.day = d.day "
	"LEFT JOIN g ON g.day = d.day ORDER BY d.day";

#define SQL_NETWORKS(C) \
	"SELECT network, sum(shares), sum(previews), sum(clicks), " \
	"sum(unique_clicks), sum(bot_hits) FROM report_link_day " \
	"WHERE day BETWEEN ?1 AND ?2 GROUP BY network " \
	"ORDER BY sum(clicks) DESC, network" C

/* The posts declined most in the range: title, declined, and how many
 * digests sent in the range suggested it (as the posts report counts). */
static const char sql_declined[] =
	"WITH " DECLINED_CTE ", " SUGGESTED_CTE ""
	"SELECT p.title, n.n, coalesce(s.n, 0) FROM n "
	"JOIN posts p ON p.id = n.post_id LEFT JOIN s ON s.post_id = n.post_id "
	"ORDER BY n.n DESC, p.id";

/*
 * The monthly review, one row per UTC month (YYYY-MM) from the first to
 * the last with data, or from --from's month to --to's when given (the
 * days outside --from/--to are not counted, even in their months):
 *   recipients  employees sent at least one digest that month (the
 *               program's active employees: README, "The program report")
 *   sharers     employees who shared or were previewed at least once
 *   declined    "not for me" said that month
 *   unsub, paused, weekly  the employees' own choices that month
 *               (preference_events)
 * MONTH(secs) names the month of a Unix time; NEXT(m) the month after m.
 */
#define LITE_MONTH(secs)	"strftime('%Y-%m', " secs ", 'unixepoch')"
#define LITE_NEXT(m)		"strftime('%Y-%m', " m " || '-01', '+1 month')"
#define PG_MONTH(secs) \
	"to_char(to_timestamp(" secs ") AT TIME ZONE 'UTC', 'YYYY-MM')"
#define PG_NEXT(m) \
	"to_char(to_date(" m " || '-01', 'YYYY-MM-DD') + interval '1 month', " \
	"'YYYY-MM')"
#define PROGRAM_CTE(MONTH, NEXT, C) \
	"WITH RECURSIVE a AS MATERIALIZED (SELECT " MONTH("day * 86400") " " \
	"AS month, sum(shares) AS shares, sum(previews) AS previews, " \
	"sum(clicks) AS clicks, sum(unique_clicks) AS uniq, " \
	"count(DISTINCT CASE WHEN shares > 0 OR previews > 0 " \
	"THEN employee_id END) AS sharers FROM report_link_day " \
	"WHERE day BETWEEN ?1 AND ?2 GROUP BY 1), " \
	"g AS MATERIALIZED (SELECT " MONTH("updated_at") " AS month, " \
	"count(*) AS sent, count(DISTINCT employee_id) AS recipients " \
	"FROM ledger WHERE state = 'sent' " \
	"AND updated_at >= " DAY_START(1) " AND updated_at < " DAY_END(2) " " \
	"GROUP BY 1), " \
	"n AS MATERIALIZED (SELECT " MONTH("at") " AS month, " \
	"count(*) AS declined FROM declines " \
	"WHERE at >= " DAY_START(1) " AND at < " DAY_END(2) " GROUP BY 1), " \
	"e AS MATERIALIZED (SELECT " MONTH("at") " AS month, " \
	"sum(CASE WHEN kind = 'unsubscribed' THEN 1 ELSE 0 END) AS unsub, " \
	"sum(CASE WHEN kind = 'paused' THEN 1 ELSE 0 END) AS paused, " \
	"sum(CASE WHEN kind = 'weekly' THEN 1 ELSE 0 END) AS weekly " \
	"FROM preference_events " \
	"WHERE at >= " DAY_START(1) " AND at < " DAY_END(2) " GROUP BY 1), " \
	"b AS (SELECT coalesce(" MONTH(DAY_START(3)) ", min(month" C ")) " \
	"AS lo, coalesce(" MONTH(DAY_START(4)) ", max(month" C ")) AS hi " \
	"FROM (SELECT month FROM a UNION ALL SELECT month FROM g " \
	"UNION ALL SELECT month FROM n UNION ALL SELECT month FROM e) u), " \
	"m(month) AS (SELECT lo FROM b WHERE lo <= hi UNION ALL " \
	"SELECT " NEXT("m.month") " FROM m, b WHERE m.month < b.hi) "
#define PROGRAM_JOINS(C) \
	"FROM m LEFT JOIN a ON a.month = m.month " \
	"LEFT JOIN g ON g.month = m.month LEFT JOIN n ON n.month = m.month " \
	"LEFT JOIN e ON e.month = m.month ORDER BY m.month" C
/* The participation column is left empty here and written by
 * participation() from the recipients and sharers columns. */
#define SQL_PROGRAM(MONTH, NEXT, C) \
	"" PROGRAM_CTE(MONTH, NEXT, C) "" \
	"SELECT m.month, coalesce(g.recipients, 0), coalesce(g.sent, 0), " \
	"coalesce(a.sharers, 0), '', coalesce(a.shares, 0), " \
	"coalesce(a.previews, 0), coalesce(a.clicks, 0), " \
	"coalesce(a.uniq, 0), " \
	"coalesce(n.declined, 0), coalesce(e.unsub, 0), " \
	"coalesce(e.paused, 0) " PROGRAM_JOINS(C)

#define SQL_FATIGUE(MONTH, NEXT, C) \
	"" PROGRAM_CTE(MONTH, NEXT, C) "" \
	"SELECT m.month, coalesce(g.recipients, 0), coalesce(a.sharers, 0), " \
	"'', coalesce(e.unsub, 0), coalesce(e.paused, 0), " \
	"coalesce(e.weekly, 0), coalesce(n.declined, 0) " PROGRAM_JOINS(C)

/* Each report's statement, its columns, and where the participation
 * (sharers / recipients) goes: -1 none, else its column, the recipients'
 * and the sharers'. */
static const struct {
	struct db_sql	 sql;
	int		 ncols;
	int		 part, recipients, sharers;
} report_sql[] = {
	[DB_REPORT_ATTRIBUTION] = { { SQL_ATTRIBUTION(LITE_C),
	    SQL_ATTRIBUTION(PG_C) }, 9, -1, 0, 0 },
	[DB_REPORT_POSTS] = { { sql_posts, sql_posts }, 9, -1, 0, 0 },
	[DB_REPORT_EMPLOYEES] = { { SQL_EMPLOYEES(LITE_ROLES, LITE_EMAIL),
	    SQL_EMPLOYEES(PG_ROLES, PG_EMAIL) }, 8, -1, 0, 0 },
	[DB_REPORT_LEADERBOARD] = { { SQL_LEADERBOARD(LITE_ROLES, LITE_EMAIL),
	    SQL_LEADERBOARD(PG_ROLES, PG_EMAIL) }, 8, -1, 0, 0 },
	[DB_REPORT_DAILY] = { { sql_daily, sql_daily }, 9, -1, 0, 0 },
	[DB_REPORT_NETWORKS] = { { SQL_NETWORKS(LITE_C), SQL_NETWORKS(PG_C) },
	    6, -1, 0, 0 },
	[DB_REPORT_PROGRAM] = { { SQL_PROGRAM(LITE_MONTH, LITE_NEXT, LITE_C),
	    SQL_PROGRAM(PG_MONTH, PG_NEXT, PG_C) }, 12, 4, 1, 3 },
	[DB_REPORT_FATIGUE] = { { SQL_FATIGUE(LITE_MONTH, LITE_NEXT, LITE_C),
	    SQL_FATIGUE(PG_MONTH, PG_NEXT, PG_C) }, 8, 3, 1, 2 },
	[DB_REPORT_DECLINED] = { { sql_declined, sql_declined }, 3, -1, 0, 0 },
};
#define NREPORT_SQL	(sizeof(report_sql) / sizeof(report_sql[0]))

/* The digest's results, from the roll-up (an index by employee makes one
 * employee's week a handful of rows). */
static const char sql_results[] =
	"SELECT p.title, sum(r.clicks), sum(r.unique_clicks) "
	"FROM report_link_day r JOIN posts p ON p.id = r.post_id "
	"WHERE r.employee_id = ?1 AND r.day BETWEEN ?2 AND ?3 "
	"GROUP BY r.post_id, p.id "
	"ORDER BY sum(r.unique_clicks) DESC, sum(r.clicks) DESC, p.id";

/* The tips' history: at most networks x 7 rows, from the employee index.
 * A day counts as shared when the button was used (its shares) or a
 * preview fetcher read the link (one). */
static const char sql_history[] =
	"SELECT network, (day + 4) % 7, "
	"sum(CASE WHEN shares > 0 THEN shares WHEN previews > 0 THEN 1 "
	"ELSE 0 END), sum(unique_clicks) "
	"FROM report_link_day WHERE employee_id = ?1 AND day BETWEEN ?2 AND ?3 "
	"GROUP BY 1, 2";

static const char sql_top_posts[] =
	"SELECT p.title, sum(r.clicks) AS c FROM report_link_day r "
	"JOIN posts p ON p.id = r.post_id WHERE r.day BETWEEN ?1 AND ?2 "
	"GROUP BY r.post_id, p.id HAVING sum(r.clicks) > 0 "
	"ORDER BY c DESC, p.id LIMIT " STR(DB_HIGHLIGHTS_MAX);

static const char sql_team_clicks[] =
	"SELECT coalesce(sum(clicks), 0) FROM report_link_day "
	"WHERE day BETWEEN ?1 AND ?2";

#define SQL_TOP_ADVOCATES(C, EMAIL) \
	"WITH a AS (SELECT employee_id, " SCORE_SQL " AS score, " \
	"sum(unique_clicks) AS uniq, sum(clicks) AS clicks " \
	"FROM report_link_day WHERE day BETWEEN ?1 AND ?2 " \
	"GROUP BY employee_id) " \
	"SELECT e.name, coalesce((SELECT min(role" C ") " \
	"FROM employee_roles r " \
	"WHERE r.employee_id = e.id), ''), e.id FROM a " \
	"JOIN employees e ON e.id = a.employee_id " \
	"WHERE e.active = 1 AND e.unsubscribed_at IS NULL " \
	"AND trim(e.name) <> '' AND a.score > 0 " \
	"ORDER BY a.score DESC, a.uniq DESC, a.clicks DESC, " \
	"" EMAIL("e.email") " LIMIT " STR(DB_HIGHLIGHTS_MAX)
static const struct db_sql sql_top_advocates = {
	SQL_TOP_ADVOCATES(LITE_C, LITE_EMAIL),
	SQL_TOP_ADVOCATES(PG_C, PG_EMAIL),
};

/* Names of one employee (email, name, roles) or post (id, title, ""). */
struct names {
	int64_t		 id;
	char		*text[3];
};

struct db_report {
	struct db		*db;
	struct db_q		*q;
	enum db_report_kind	 kind;
	struct names		*emp, *post;	/* attribution: sorted by id */
	size_t			 nemp, npost;
	const struct names	*e, *p;		/* the current row's */
	char			 part[32];	/* the row's participation */
};

/* The attribution report's columns: where each comes from. */
static const struct {
	int	 stcol;		/* statement column, or -1 */
	int	 which;		/* 0 employee, 1 post */
	int	 text;		/* index into names.text */
} attribution_cols[] = {
	{ 0, 0, 0 }, { -1, 0, 0 }, { -1, 0, 1 }, { -1, 0, 2 },
	{ -1, 1, 0 }, { -1, 1, 1 }, { 3, 0, 0 }, { 4, 0, 0 }, { 5, 0, 0 },
	{ 6, 0, 0 }, { 7, 0, 0 }, { 8, 0, 0 },
};
#define ATTRIBUTION_NCOLS \
	((int)(sizeof(attribution_cols) / sizeof(attribution_cols[0])))

static int
names_load(struct db *db, struct db_q *q, struct names **out, size_t *n)
{
	struct names *v = NULL;
	size_t cap = 0, i;
	enum db_q_step rc;

	if (q == NULL)
		return -1;
	*n = 0;
	while ((rc = db_q_step(q)) == DB_Q_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[*n].id = db_q_col_int64(q, 0);
		for (i = 0; i < 3; i++)
			v[*n].text[i] = xstrdup(db_q_col_text(q, (int)i + 1));
		(*n)++;
	}
	*out = v;
	if (rc != DB_Q_DONE) {
		db_fail(db, "report: names");
		db_q_reset(q);
		return -1;
	}
	db_q_reset(q);
	return 0;
}

static void
names_free(struct names *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].text[0]);
		free(v[i].text[1]);
		free(v[i].text[2]);
	}
	free(v);
}

static const struct names *
names_find(const struct names *v, size_t n, int64_t id)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid].id == id)
			return &v[mid];
		if (v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Runs a statement of the fold with two bound integers (or none). */
static int
fold_step(struct db *db, const char *sql, int nargs, int64_t a, int64_t b)
{
	struct db_q *q;

	if ((q = db_q(db, sql)) == NULL)
		return -1;
	if (nargs > 0) {
		db_q_int64(q, 1, a);
		db_q_int64(q, 2, b);
	}
	return db_q_done(db, q, "report: roll-up");
}

/* Folds hits (last, to] into the roll-up inside the caller's transaction. */
static int
refresh_chunk(struct db *db, int64_t last, int64_t to)
{
	struct db_q *q;
	int64_t lo, hi;
	int some;

	if (fold_step(db, sql_touch_clear, 0, 0, 0) == -1 ||
	    fold_step(db, sql_touch, 2, last, to) == -1 ||
	    fold_step(db, sql_touch_dirty, 0, 0, 0) == -1 ||
	    fold_step(db, sql_dirty_clear, 0, 0, 0) == -1)
		return -1;
	if ((q = db_q(db, sql_touch_days)) == NULL)
		return -1;
	if (db_q_step(q) != DB_Q_ROW) {
		db_q_reset(q);
		return db_fail(db, "report: roll-up");
	}
	some = !db_q_col_is_null(q, 0);
	lo = db_q_col_int64(q, 0);
	hi = db_q_col_int64(q, 1);
	db_q_reset(q);
	if (some && fold_step(db, sql_fold_old, 2, lo, hi) == -1)
		return -1;
	if (fold_step(db, sql_fold_new, 2, last, to) == -1)
		return -1;
	if ((q = db_q(db, sql_set_state)) == NULL)
		return -1;
	db_q_int64(q, 1, to);
	return db_q_done(db, q, "report: roll-up state");
}

int
db_report_refresh(struct db *db)
{
	return db_report_refresh_chunked(db, REFRESH_CHUNK);
}

int
db_report_refresh_idle(struct db *db)
{
	/* Inside the caller's transaction (a digest planned in a claim
	 * batch) the fold waits: its own BEGIN and ROLLBACK would end the
	 * caller's on PostgreSQL. A read-only connection (the renderer's)
	 * leaves it to the writer, as on SQLite. */
	if (db_is_pg(db))
		return (db->flags & DB_READONLY) || pg_in_transaction(db->pg) ?
		    1 : db_report_refresh(db) == -1 ? -1 : 0;
	if (sqlite3_db_readonly(db->h, "main") != 0 ||
	    !sqlite3_get_autocommit(db->h))
		return 1;
	return db_report_refresh(db) == -1 ? -1 : 0;
}

static int (*prefold)(struct db *);

int
db_report_lock(struct db *db)
{
	struct db_q *q;

	if (!db_is_pg(db))
		return 0;
	if ((q = db_q(db, sql_pg_lock)) == NULL)
		return -1;
	return db_q_done(db, q, "report: lock");
}

void
db_report_prefold(int (*fn)(struct db *))
{
	prefold = fn;
}

int
db_report_refresh_chunked(struct db *db, long chunk)
{
	enum db_q_step step;
	struct db_q *q;
	int64_t last, max, to;
	int dirty;

	/* The temporary table lives as long as the connection. Folding
	 * reads every new hit and the rows it touches: on SQLite a cache of
	 * some size saves re-reading pages from the OS (a fixed cap, not one
	 * that grows with the data). */
	if ((q = db_q_pair(db, &sql_touch_table)) == NULL ||
	    db_q_done(db, q, "report: roll-up") == -1)
		return -1;
	if (!db_is_pg(db) &&
	    db_exec(db, "PRAGMA cache_size = -" STR(REPORT_CACHE_KB)) == -1)
		return -1;
	/* What the fold is to count is judged first (its failure leaves
	 * the hits as the redirectors judged them). */
	if (prefold != NULL)
		(void)prefold(db);
	for (;;) {
		/* Under the write lock no hit can commit behind our back, so
		 * every hit up to max(id) is visible and later ones are
		 * numbered above it. */
		if (db_begin(db) == -1)
			return -1;
		if (db_is_pg(db) && fold_step(db, sql_pg_lock, 0, 0, 0) == -1)
			goto fail;
		if ((q = db_q(db, sql_state)) == NULL)
			goto fail;
		if (db_q_step(q) != DB_Q_ROW) {
			db_fail(db, "report: roll-up state");
			db_q_reset(q);
			goto fail;
		}
		last = db_q_col_int64(q, 0);
		max = db_q_col_int64(q, 1);
		dirty = db_q_col_int64(q, 2) != 0;
		db_q_reset(q);
		if (max <= last && !dirty) {
			db_rollback(db);
			return 0;
		}
		to = max > last ? max : last;
		if (max - last > chunk) {
			/* The chunk-th hit after last, not id last + chunk:
			 * on PostgreSQL ids come in blocks (db/hits.h), and
			 * a store whose hits each took a block of its own
			 * (rows inserted one by one with the default id)
			 * has one hit every 256 ids. */
			if ((q = db_q(db, sql_nth_hit)) == NULL)
				goto fail;
			db_q_int64(q, 1, last);
			db_q_int64(q, 2, chunk - 1);
			if ((step = db_q_step(q)) == DB_Q_ERROR) {
				db_fail(db, "report: roll-up chunk");
				db_q_reset(q);
				goto fail;
			}
			to = step == DB_Q_ROW ? db_q_col_int64(q, 0) : max;
			db_q_reset(q);
		}
		if (to < max) {
			if ((q = db_q(db, sql_cut)) == NULL)
				goto fail;
			db_q_int64(q, 1, last);
			db_q_int64(q, 2, to);
			if ((step = db_q_step(q)) == DB_Q_ERROR) {
				db_fail(db, "report: roll-up cut");
				db_q_reset(q);
				goto fail;
			}
			if (step == DB_Q_ROW)
				to = db_q_col_int64(q, 0);
			db_q_reset(q);
		}
		if (refresh_chunk(db, last, to) == -1)
			goto fail;
		if (db_commit(db) == -1)
			goto fail;
		if (to >= max)
			return 0;
	}
fail:
	db_rollback(db);
	return -1;
}

struct db_report *
db_report_open(struct db *db, enum db_report_kind kind, long from_day,
    long to_day)
{
	struct db_report *r;
	struct db_q *q;

	if ((unsigned)kind >= NREPORT_SQL)
		fatalx("db: no report %d (a bug)", (int)kind);
	if ((q = db_q_pair(db, &report_sql[kind].sql)) == NULL)
		return NULL;
	if (q->stmt != NULL &&
	    sqlite3_column_count(q->stmt) != report_sql[kind].ncols)
		fatalx("db: report %d: %d columns, not %d (a bug)", (int)kind,
		    sqlite3_column_count(q->stmt), report_sql[kind].ncols);
	db_q_int64(q, 1, from_day);
	db_q_int64(q, 2, to_day);
	if (kind == DB_REPORT_DAILY || kind == DB_REPORT_PROGRAM ||
	    kind == DB_REPORT_FATIGUE) {
		/* Explicit bounds make the calendar; open ends follow data. */
		if (from_day > REPORT_DAY_MIN)
			db_q_int64(q, 3, from_day);
		if (to_day < REPORT_DAY_MAX)
			db_q_int64(q, 4, to_day);
	}
	r = xcalloc(1, sizeof(*r));
	r->db = db;
	r->q = q;
	r->kind = kind;
	if (kind == DB_REPORT_ATTRIBUTION &&
	    (names_load(db, db_q_pair(db, &sql_names_employees), &r->emp,
	    &r->nemp) == -1 ||
	    names_load(db, db_q(db, sql_names_posts), &r->post,
	    &r->npost) == -1)) {
		db_report_close(r);
		return NULL;
	}
	return r;
}

/* Sharers / recipients with three decimals, as SQLite's printf('%.3f')
 * writes it on either store; empty in a month without digests, where it
 * means nothing (0 would read as nobody). */
static void
participation(struct db_report *r)
{
	int64_t recipients, sharers;

	r->part[0] = '\0';
	if (report_sql[r->kind].part < 0)
		return;
	recipients = db_q_col_int64(r->q, report_sql[r->kind].recipients);
	sharers = db_q_col_int64(r->q, report_sql[r->kind].sharers);
	if (recipients > 0)
		sqlite3_snprintf((int)sizeof(r->part), r->part, "%.3f",
		    1.0 * (double)sharers / (double)recipients);
}

int
db_report_step(struct db_report *r)
{
again:
	switch (db_q_step(r->q)) {
	case DB_Q_ROW:
		if (r->kind != DB_REPORT_ATTRIBUTION) {
			participation(r);
			return 1;
		}
		/* As a join would, skip rows whose names are gone. */
		r->e = names_find(r->emp, r->nemp, db_q_col_int64(r->q, 1));
		r->p = names_find(r->post, r->npost, db_q_col_int64(r->q, 2));
		if (r->e == NULL || r->p == NULL)
			goto again;
		return 1;
	case DB_Q_DONE:
		return 0;
	default:
		return db_fail(r->db, "report");
	}
}

int
db_report_ncols(const struct db_report *r)
{
	if (r->kind == DB_REPORT_ATTRIBUTION)
		return ATTRIBUTION_NCOLS;
	return report_sql[r->kind].ncols;
}

long long
db_report_int(const struct db_report *r, int col)
{
	if (r->kind == DB_REPORT_ATTRIBUTION) {
		if (col < 0 || col >= ATTRIBUTION_NCOLS ||
		    attribution_cols[col].stcol < 0)
			return 0;
		col = attribution_cols[col].stcol;
	}
	if (col == report_sql[r->kind].part)
		return 0;
	return db_q_col_int64(r->q, col);
}

const char *
db_report_text(const struct db_report *r, int col)
{
	const struct names *n;

	if (r->kind == DB_REPORT_ATTRIBUTION) {
		if (col < 0 || col >= ATTRIBUTION_NCOLS)
			return "";
		if (attribution_cols[col].stcol >= 0)
			return db_q_col_text(r->q,
			    attribution_cols[col].stcol);
		n = attribution_cols[col].which == 0 ? r->e : r->p;
		return n != NULL ? n->text[attribution_cols[col].text] : "";
	}
	if (col == report_sql[r->kind].part)
		return r->part;
	return db_q_col_text(r->q, col);
}

void
db_report_close(struct db_report *r)
{
	if (r == NULL)
		return;
	db_q_reset(r->q);
	names_free(r->emp, r->nemp);
	names_free(r->post, r->npost);
	free(r);
}

int
db_report_results(struct db *db, int64_t employee_id, long from_day,
    long to_day, struct db_results *out)
{
	struct db_q *q;
	enum db_q_step rc;

	memset(out, 0, sizeof(*out));
	if ((q = db_q(db, sql_results)) == NULL)
		return -1;
	db_q_int64(q, 1, employee_id);
	db_q_int64(q, 2, from_day);
	db_q_int64(q, 3, to_day);
	while ((rc = db_q_step(q)) == DB_Q_ROW) {
		/* Rows come best first. */
		if (out->best_post == NULL && db_q_col_int64(q, 1) > 0)
			out->best_post = xstrdup(db_q_col_text(q, 0));
		out->clicks += db_q_col_int64(q, 1);
		out->people += db_q_col_int64(q, 2);
	}
	if (rc != DB_Q_DONE) {
		db_fail(db, "report: results");
		db_q_reset(q);
		db_report_results_release(out);
		return -1;
	}
	db_q_reset(q);
	return 0;
}

void
db_report_results_release(struct db_results *r)
{
	free(r->best_post);
	r->best_post = NULL;
}

int
db_report_history(struct db *db, int64_t employee_id, long from_day,
    long to_day, struct db_history *out)
{
	struct db_q *q;
	enum db_q_step rc;
	int net;
	int64_t wd;

	memset(out, 0, sizeof(*out));
	if ((q = db_q(db, sql_history)) == NULL)
		return -1;
	db_q_int64(q, 1, employee_id);
	db_q_int64(q, 2, from_day);
	db_q_int64(q, 3, to_day);
	while ((rc = db_q_step(q)) == DB_Q_ROW) {
		net = network_from_name(db_q_col_text(q, 0));
		wd = db_q_col_int64(q, 1);
		if (net < 0 || net >= DB_HISTORY_NETWORKS || wd < 0 || wd > 6)
			continue;
		out->shares[net][wd] += db_q_col_int64(q, 2);
		out->people[net][wd] += db_q_col_int64(q, 3);
	}
	if (rc != DB_Q_DONE) {
		db_fail(db, "report: history");
		db_q_reset(q);
		return -1;
	}
	db_q_reset(q);
	return 0;
}

/* The first word of a display name: "Ana María López" gives "Ana". */
static char *
first_name(const char *name)
{
	size_t n;

	name += strspn(name, " \t");
	n = strcspn(name, " \t");
	return xstrndup(name, n);
}

int
db_report_highlights(struct db *db, long from_day, long to_day,
    struct db_highlights *out)
{
	struct db_q *q;
	enum db_q_step rc;
	size_t i;

	memset(out, 0, sizeof(*out));
	if ((q = db_q(db, sql_top_posts)) == NULL)
		return -1;
	db_q_int64(q, 1, from_day);
	db_q_int64(q, 2, to_day);
	while ((rc = db_q_step(q)) == DB_Q_ROW &&
	    out->nposts < DB_HIGHLIGHTS_MAX) {
		i = out->nposts++;
		out->post[i].title = xstrdup(db_q_col_text(q, 0));
		out->post[i].clicks = db_q_col_int64(q, 1);
	}
	if (rc == DB_Q_ERROR)
		goto fail;
	db_q_reset(q);

	if ((q = db_q_pair(db, &sql_top_advocates)) == NULL)
		goto fail;
	db_q_int64(q, 1, from_day);
	db_q_int64(q, 2, to_day);
	while ((rc = db_q_step(q)) == DB_Q_ROW &&
	    out->nadvocates < DB_HIGHLIGHTS_MAX) {
		i = out->nadvocates++;
		out->advocate[i].first_name =
		    first_name(db_q_col_text(q, 0));
		out->advocate[i].role = xstrdup(db_q_col_text(q, 1));
		out->advocate[i].employee_id = db_q_col_int64(q, 2);
	}
	if (rc == DB_Q_ERROR)
		goto fail;
	db_q_reset(q);

	if ((q = db_q(db, sql_team_clicks)) == NULL)
		goto fail;
	db_q_int64(q, 1, from_day);
	db_q_int64(q, 2, to_day);
	rc = db_q_step(q);
	if (rc == DB_Q_ROW)
		out->team_clicks = db_q_col_int64(q, 0);
	if (rc != DB_Q_ROW)
		goto fail;
	db_q_reset(q);
	return 0;
fail:
	db_report_highlights_release(out);
	db_fail(db, "report: highlights");
	if (q != NULL)
		db_q_reset(q);
	return -1;
}

void
db_report_highlights_release(struct db_highlights *h)
{
	size_t i;

	for (i = 0; i < h->nposts; i++)
		free(h->post[i].title);
	for (i = 0; i < h->nadvocates; i++) {
		free(h->advocate[i].first_name);
		free(h->advocate[i].role);
	}
	memset(h, 0, sizeof(*h));
}
