/*
 * redirect: the queries behind the redirector's routes, on either store
 * (db/stmt.h). Every statement is prepared once per connection and the
 * link lookup is a single indexed read, so the hot path costs one B-tree
 * search. A statement that fails on a lost PostgreSQL connection makes it
 * again for the next request (db_revive): this one answers 503.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "common/network.h"
#include "common/share.h"
#include "db/db_int.h"
#include "db/employees.h"
#include "db/prefs.h"
#include "db/redirect.h"
#include "db/stmt.h"

/* Copies src into dst (cap bytes) unless it does not fit. */
static int
copy_fit(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

/* Copies at most cap - 1 bytes, never cutting a UTF-8 sequence. */
static void
copy_trunc(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (cap == 0)
		return;
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* While the database is down every request fails the same way: one line
 * a second at most, the next one saying how many it stood for. */
static pthread_mutex_t fail_mu = PTHREAD_MUTEX_INITIALIZER;
static time_t fail_last;
static unsigned long fail_quiet;

/* Logs a failed step of q (a line a second at most), ends it, and makes a
 * lost connection again for the next request. Returns -1. */
static int
redirect_fail(struct db *db, struct db_q *q, const char *what)
{
	time_t now = time(NULL);
	unsigned long quiet = 0;
	int say;

	pthread_mutex_lock(&fail_mu);
	say = now != fail_last;
	if (say) {
		fail_last = now;
		quiet = fail_quiet;
		fail_quiet = 0;
	} else
		fail_quiet++;
	pthread_mutex_unlock(&fail_mu);
	if (say && quiet > 0)
		log_error("db: %s: %s (and %lu more since the line before)",
		    what, db_errmsg(db), quiet);
	else if (say)
		db_fail(db, what);
	db_q_reset(q);
	(void)db_revive(db);
	return -1;
}

/* The statement of sql, or NULL after a lost connection was tried again
 * for the next request. */
static struct db_q *
redirect_q(struct db *db, const char *sql)
{
	struct db_q *q;

	if ((q = db_q(db, sql)) == NULL)
		(void)db_revive(db);
	return q;
}

static const char sql_link[] =
    "SELECT l.id, l.network, p.url, p.ext_id, "
    "CASE l.network WHEN 'linkedin' THEN p.text_linkedin "
    "WHEN 'x' THEN p.text_x WHEN 'facebook' THEN p.text_facebook END, "
    "p.text, p.title, g.gen, l.employee_id, s.ledger_id, "
    "CASE d.state WHEN 'sent' THEN d.updated_at "
    "WHEN 'sending' THEN d.claimed_at END "
    "FROM links l JOIN posts p ON p.id = l.post_id "
    "JOIN link_generation g ON g.id = 1 "
    "LEFT JOIN suggestions s ON s.employee_id = l.employee_id "
    "AND s.post_id = l.post_id LEFT JOIN ledger d ON d.id = s.ledger_id "
    "WHERE l.code = ?";

int
db_redirect_link_find(struct db *db, const char *code, struct redirect_link *l,
    char *text, size_t textlen)
{
	struct db_q *q;
	enum db_q_step step;
	int rc, net;

	if ((q = redirect_q(db, sql_link)) == NULL)
		return -1;
	db_q_text(q, 1, code);
	step = db_q_step(q);
	if (step == DB_Q_DONE) {
		db_q_reset(q);
		return 0;
	}
	if (step != DB_Q_ROW)
		return redirect_fail(db, q, "find link");
	l->link_id = db_q_col_int64(q, 0);
	l->gen = (uint64_t)db_q_col_int64(q, 7);
	l->employee_id = db_q_col_int64(q, 8);
	l->digest_id = db_q_col_int64(q, 9);
	l->delivered = db_q_col_int64(q, 10);
	net = network_from_name(db_q_col_text(q, 1));
	rc = 1;
	if (net < 0 || copy_fit(l->url, sizeof(l->url),
	    db_q_col_text(q, 2)) == -1 || copy_fit(l->ext_id,
	    sizeof(l->ext_id), db_q_col_text(q, 3)) == -1)
		rc = 0;
	l->network = net;
	if (rc == 1 && text != NULL)
		copy_trunc(text, textlen, share_text(db_q_col_text(q, 6),
		    db_q_col_text(q, 5), db_q_col_text(q, 4)));
	db_q_reset(q);
	return rc;
}

/* The employee's latest digest handed over, or being handed over: the
 * one whose footer a gateway sweeping at delivery fetches. */
static const char sql_latest_digest[] =
    "SELECT id, CASE state WHEN 'sent' THEN updated_at "
    "WHEN 'sending' THEN claimed_at END FROM ledger "
    "WHERE employee_id = ? AND (state = 'sent' OR state = 'sending') "
    "ORDER BY local_date DESC LIMIT 1";

int
db_redirect_latest_digest(struct db *db, int64_t employee_id, int64_t *id,
    int64_t *delivered)
{
	struct db_q *q;
	enum db_q_step step;

	*id = *delivered = 0;
	if ((q = redirect_q(db, sql_latest_digest)) == NULL)
		return -1;
	db_q_int64(q, 1, employee_id);
	step = db_q_step(q);
	if (step == DB_Q_ERROR)
		return redirect_fail(db, q, "latest digest");
	if (step == DB_Q_ROW) {
		*id = db_q_col_int64(q, 0);
		*delivered = db_q_col_int64(q, 1);
	}
	db_q_reset(q);
	return 0;
}

#define SQL_EMP_COLUMNS \
    "SELECT id, email, name, frequency, networks, unsubscribed_at, " \
    "coalesce(timezone, ''), coalesce(send_time, ''), own_fields, " \
    "pref_token FROM employees "
static const char sql_emp_unsub[] = SQL_EMP_COLUMNS "WHERE unsub_token = ?";
static const char sql_emp_pref[] = SQL_EMP_COLUMNS "WHERE pref_token = ?";

int
db_redirect_employee_find(struct db *db, enum redirect_token kind,
    const char *token, struct redirect_employee *e)
{
	struct db_q *q;
	enum db_q_step step;

	q = redirect_q(db, kind == REDIRECT_UNSUB ? sql_emp_unsub :
	    sql_emp_pref);
	if (q == NULL)
		return -1;
	db_q_text(q, 1, token);
	step = db_q_step(q);
	if (step == DB_Q_DONE) {
		db_q_reset(q);
		return 0;
	}
	if (step != DB_Q_ROW)
		return redirect_fail(db, q, "find employee");
	e->id = db_q_col_int64(q, 0);
	copy_trunc(e->email, sizeof(e->email), db_q_col_text(q, 1));
	copy_trunc(e->name, sizeof(e->name), db_q_col_text(q, 2));
	copy_trunc(e->frequency, sizeof(e->frequency), db_q_col_text(q, 3));
	e->networks = (unsigned)db_q_col_int64(q, 4);
	e->unsubscribed = !db_q_col_is_null(q, 5);
	copy_trunc(e->timezone, sizeof(e->timezone), db_q_col_text(q, 6));
	copy_trunc(e->send_time, sizeof(e->send_time), db_q_col_text(q, 7));
	e->own = (unsigned)db_q_col_int64(q, 8);
	copy_trunc(e->pref_token, sizeof(e->pref_token), db_q_col_text(q, 9));
	db_q_reset(q);
	return 1;
}

/* Every role the page may show, with its flags; the employee's own and
 * HR's first, so a long list of posts' roles never hides them. */
#define SQL_TOPICS(ROLE_BYTES, ROLE_ORDER) \
    "SELECT role, max(hr) | max(offered) | max(followed) | max(muted) " \
    "AS flags FROM (" \
    " SELECT role, 1 AS hr, 0 AS offered, 0 AS followed, 0 AS muted" \
    " FROM employee_roles WHERE employee_id = ?1" \
    " UNION ALL SELECT DISTINCT r.role, 0, 2, 0, 0 FROM post_roles r" \
    " JOIN posts p ON p.id = r.post_id" \
    " WHERE p.expires IS NULL OR p.expires >= ?2" \
    " UNION ALL SELECT role, 0, 0, CASE choice WHEN 'follow' THEN 4" \
    " ELSE 0 END, CASE choice WHEN 'mute' THEN 8 ELSE 0 END" \
    " FROM employee_topics WHERE employee_id = ?1) AS t " \
    "WHERE " ROLE_BYTES " < ?3 GROUP BY role " \
    "ORDER BY ((max(hr) | max(offered) | max(followed) | max(muted)) " \
    "& 13) = 0, " ROLE_ORDER " LIMIT ?4"
/* Every role the page may show, with its flags; the employee's own and
 * HR's first, so a long list of posts' roles never hides them. Roles in
 * byte order on both stores. */
static const struct db_sql sql_topics = {
	SQL_TOPICS("length(CAST(role AS BLOB))", "role"),
	SQL_TOPICS("octet_length(role)", "role COLLATE \"C\""),
};

int
db_redirect_topics(struct db *db, int64_t employee_id, const char *date,
    struct redirect_topics *t)
{
	struct db_q *q;
	enum db_q_step step;

	t->n = 0;
	if ((q = db_q_pair(db, &sql_topics)) == NULL) {
		(void)db_revive(db);
		return -1;
	}
	db_q_int64(q, 1, employee_id);
	db_q_text(q, 2, date);
	db_q_int64(q, 3, REDIRECT_TOPIC_MAX);
	db_q_int64(q, 4, REDIRECT_TOPICS_MAX);
	while ((step = db_q_step(q)) == DB_Q_ROW) {
		if (t->n == REDIRECT_TOPICS_MAX)
			continue;
		copy_trunc(t->v[t->n].role, sizeof(t->v[t->n].role),
		    db_q_col_text(q, 0));
		t->v[t->n].flags = (unsigned)db_q_col_int64(q, 1);
		t->n++;
	}
	if (step == DB_Q_ERROR)
		return redirect_fail(db, q, "topics");
	db_q_reset(q);
	return 0;
}

static const char sql_unsub[] =
    "UPDATE employees SET unsubscribed_at = ?1, updated_at = ?1 "
    "WHERE id = ?2 AND unsubscribed_at IS NULL";

int
db_redirect_unsubscribe(struct db *db, int64_t id, time_t now)
{
	struct db_q *q;
	int changed;

	if (db_begin(db) == -1)
		goto fail;
	if ((q = db_q(db, sql_unsub)) == NULL)
		goto fail;
	db_q_int64(q, 1, (int64_t)now);
	db_q_int64(q, 2, id);
	if (db_q_done(db, q, "unsubscribe") == -1)
		goto fail;
	changed = db_q_changes(q) > 0;
	if (changed && db_prefs_event_add(db, id, "unsubscribed", now) == -1)
		goto fail;
	if (db_commit(db) == -1)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	(void)db_revive(db);
	return -1;
}

/* What the employee's frequency and subscription are before a change,
 * read under the write lock: an event is written only for what the
 * change really changes. */
#define SQL_PREFS_NOW \
    "SELECT frequency, CASE WHEN unsubscribed_at IS NULL THEN 0 ELSE 1 " \
    "END FROM employees WHERE id = ?1"
/* PostgreSQL locks the row as SQLite's BEGIN IMMEDIATE locks the
 * database: two changes of one employee's choices wait for each other. */
static const struct db_sql sql_prefs_now = {
	SQL_PREFS_NOW,
	SQL_PREFS_NOW " FOR UPDATE",
};

struct redirect_before {
	char	 frequency[16];
	int	 unsubscribed;
};

static int
redirect_before(struct db *db, int64_t id, struct redirect_before *b)
{
	struct db_q *q;
	enum db_q_step step;

	b->frequency[0] = '\0';
	b->unsubscribed = 0;
	if ((q = db_q_pair(db, &sql_prefs_now)) == NULL)
		return -1;
	db_q_int64(q, 1, id);
	step = db_q_step(q);
	if (step == DB_Q_ERROR) {
		db_fail(db, "read preferences");
		db_q_reset(q);
		return -1;
	}
	if (step == DB_Q_ROW) {
		copy_trunc(b->frequency, sizeof(b->frequency),
		    db_q_col_text(q, 0));
		b->unsubscribed = (int)db_q_col_int64(q, 1);
	}
	db_q_reset(q);
	return 0;
}

/* The events of a change from b to frequency (NULL: unchanged), the
 * employee subscribed. */
static int
redirect_events(struct db *db, int64_t id, const struct redirect_before *b,
    const char *frequency, time_t now)
{
	if (b->unsubscribed &&
	    db_prefs_event_add(db, id, "resubscribed", now) == -1)
		return -1;
	if (frequency != NULL && b->frequency[0] != '\0' &&
	    strcmp(b->frequency, frequency) != 0 &&
	    db_prefs_event_add(db, id, frequency, now) == -1)
		return -1;
	return 0;
}

/* One statement that binds ?1 now and ?2 the employee and leaves them
 * subscribed with frequency (NULL: unchanged), with its preference
 * events, in one transaction: 0 or -1. */
static int
redirect_write(struct db *db, const char *sql, int64_t id, time_t now,
    const char *frequency, const char *what)
{
	struct redirect_before b;
	struct db_q *q;

	if (db_begin(db) == -1)
		goto fail;
	if (redirect_before(db, id, &b) == -1)
		goto fail;
	if ((q = db_q(db, sql)) == NULL)
		goto fail;
	db_q_int64(q, 1, (int64_t)now);
	db_q_int64(q, 2, id);
	if (db_q_done(db, q, what) == -1)
		goto fail;
	if (redirect_events(db, id, &b, frequency, now) == -1)
		goto fail;
	if (db_commit(db) == -1)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	(void)db_revive(db);
	return -1;
}

/* The post behind one of the employee's links, and whether they said
 * "not for me" to it already. */
static const char sql_decline_find[] =
    "SELECT l.employee_id, l.post_id, p.title, "
    "CASE WHEN EXISTS (SELECT 1 FROM declines d "
    "WHERE d.employee_id = l.employee_id AND d.post_id = l.post_id) "
    "THEN 1 ELSE 0 END "
    "FROM links l JOIN posts p ON p.id = l.post_id WHERE l.code = ?1";

int
db_redirect_decline_find(struct db *db, const char *code,
    struct redirect_decline *d)
{
	struct db_q *q;
	enum db_q_step step;

	if ((q = redirect_q(db, sql_decline_find)) == NULL)
		return -1;
	db_q_text(q, 1, code);
	step = db_q_step(q);
	if (step == DB_Q_DONE) {
		db_q_reset(q);
		return 0;
	}
	if (step != DB_Q_ROW)
		return redirect_fail(db, q, "find post to decline");
	d->employee_id = db_q_col_int64(q, 0);
	d->post_id = db_q_col_int64(q, 1);
	copy_trunc(d->title, sizeof(d->title), db_q_col_text(q, 2));
	d->declined = (int)db_q_col_int64(q, 3);
	db_q_reset(q);
	return 1;
}

/* The first answer stands: a second POST, with another reason or none,
 * changes nothing. */
static const char sql_decline[] =
    "INSERT INTO declines (employee_id, post_id, reason, at) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING";

int
db_redirect_decline(struct db *db, int64_t employee_id, int64_t post_id,
    const char *reason, time_t now)
{
	struct db_q *q;

	if ((q = redirect_q(db, sql_decline)) == NULL)
		return -1;
	db_q_int64(q, 1, employee_id);
	db_q_int64(q, 2, post_id);
	db_q_text(q, 3, reason);
	db_q_int64(q, 4, (int64_t)now);
	if (db_q_done(db, q, "record not for me") == -1) {
		(void)db_revive(db);
		return -1;
	}
	return 0;
}

static const char sql_resub[] =
    "UPDATE employees SET unsubscribed_at = NULL, updated_at = ?1 "
    "WHERE id = ?2 AND unsubscribed_at IS NOT NULL";

int
db_redirect_resubscribe(struct db *db, int64_t id, time_t now)
{
	return redirect_write(db, sql_resub, id, now, NULL, "resubscribe");
}

/* The frequency becomes the employee's own: bit 1 of own_fields. */
_Static_assert(EMP_OWN_FREQUENCY == 1, "sql_weekly's own_fields bit");
static const char sql_weekly[] =
    "UPDATE employees SET frequency = 'weekly', unsubscribed_at = NULL, "
    "own_fields = own_fields | 1, updated_at = ?1, prefs_updated_at = ?1 "
    "WHERE id = ?2";

int
db_redirect_weekly_instead(struct db *db, int64_t id, time_t now)
{
	return redirect_write(db, sql_weekly, id, now, "weekly",
	    "weekly instead");
}

static const char sql_prefs[] =
    "UPDATE employees SET frequency = ?1, networks = ?2, "
    "timezone = coalesce(?3, timezone), "
    "send_time = coalesce(?4, send_time), own_fields = own_fields | ?5, "
    "unsubscribed_at = NULL, updated_at = ?6, prefs_updated_at = ?6 "
    "WHERE id = ?7";
static const char sql_topics_clear[] =
    "DELETE FROM employee_topics WHERE employee_id = ?1";
static const char sql_topic_add[] =
    "INSERT INTO employee_topics (employee_id, role, choice) "
    "VALUES (?1, ?2, ?3) ON CONFLICT (employee_id, role) "
    "DO UPDATE SET choice = excluded.choice";

static int
redirect_topics_write(struct db *db, int64_t id, const char *const *roles,
    size_t n, const char *choice)
{
	struct db_q *q;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((q = db_q(db, sql_topic_add)) == NULL)
			return -1;
		db_q_int64(q, 1, id);
		db_q_text(q, 2, roles[i]);
		db_q_text(q, 3, choice);
		if (db_q_done(db, q, "save topics") == -1)
			return -1;
	}
	return 0;
}

int
db_redirect_set_prefs(struct db *db, int64_t id, const struct redirect_prefs *p,
    time_t now)
{
	struct redirect_before b;
	struct db_q *q;

	if (db_begin(db) == -1)
		goto fail;
	if (redirect_before(db, id, &b) == -1)
		goto fail;
	if ((q = db_q(db, sql_prefs)) == NULL)
		goto fail;
	db_q_text(q, 1, p->frequency);
	db_q_int64(q, 2, (int64_t)p->networks);
	db_q_text(q, 3, p->timezone);
	db_q_text(q, 4, p->send_time);
	db_q_int64(q, 5, (int64_t)p->own);
	db_q_int64(q, 6, (int64_t)now);
	db_q_int64(q, 7, id);
	if (db_q_done(db, q, "set preferences") == -1)
		goto fail;
	if (p->set_topics) {
		if ((q = db_q(db, sql_topics_clear)) == NULL)
			goto fail;
		db_q_int64(q, 1, id);
		if (db_q_done(db, q, "save topics") == -1 ||
		    redirect_topics_write(db, id, p->follows, p->nfollows,
		    "follow") == -1 ||
		    redirect_topics_write(db, id, p->mutes, p->nmutes,
		    "mute") == -1)
			goto fail;
	}
	if (redirect_events(db, id, &b, p->frequency, now) == -1)
		goto fail;
	if (db_commit(db) == -1)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	(void)db_revive(db);
	return -1;
}
