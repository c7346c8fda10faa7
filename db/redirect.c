/*
 * redirect: the queries behind the redirector's routes. Every statement is
 * prepared once per connection (db_stmt) and the link lookup is a single
 * indexed read, so the hot path costs one B-tree search.
 */
#include <string.h>

#include "common/network.h"
#include "common/share.h"
#include "db/db_int.h"
#include "db/employees.h"
#include "db/prefs.h"
#include "db/redirect.h"

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
	sqlite3_stmt *st;
	int rc, net;

	if ((st = db_stmt(db, sql_link)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		db_fail(db, "find link");
		sqlite3_reset(st);
		return -1;
	}
	l->link_id = sqlite3_column_int64(st, 0);
	l->gen = (uint64_t)sqlite3_column_int64(st, 7);
	l->employee_id = sqlite3_column_int64(st, 8);
	l->digest_id = sqlite3_column_int64(st, 9);
	l->delivered = sqlite3_column_int64(st, 10);
	net = network_from_name(db_col_text(st, 1));
	rc = 1;
	if (net < 0 || copy_fit(l->url, sizeof(l->url),
	    db_col_text(st, 2)) == -1 || copy_fit(l->ext_id,
	    sizeof(l->ext_id), db_col_text(st, 3)) == -1)
		rc = 0;
	l->network = net;
	if (rc == 1 && text != NULL)
		copy_trunc(text, textlen, share_text(db_col_text(st, 6),
		    db_col_text(st, 5), db_col_text(st, 4)));
	sqlite3_reset(st);
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
	sqlite3_stmt *st;
	int rc;

	*id = *delivered = 0;
	if ((st = db_stmt(db, sql_latest_digest)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, employee_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*delivered = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "latest digest");
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
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, kind == REDIRECT_UNSUB ? sql_emp_unsub :
	    sql_emp_pref);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		db_fail(db, "find employee");
		sqlite3_reset(st);
		return -1;
	}
	e->id = sqlite3_column_int64(st, 0);
	copy_trunc(e->email, sizeof(e->email), db_col_text(st, 1));
	copy_trunc(e->name, sizeof(e->name), db_col_text(st, 2));
	copy_trunc(e->frequency, sizeof(e->frequency), db_col_text(st, 3));
	e->networks = (unsigned)sqlite3_column_int(st, 4);
	e->unsubscribed = sqlite3_column_type(st, 5) != SQLITE_NULL;
	copy_trunc(e->timezone, sizeof(e->timezone), db_col_text(st, 6));
	copy_trunc(e->send_time, sizeof(e->send_time), db_col_text(st, 7));
	e->own = (unsigned)sqlite3_column_int(st, 8);
	copy_trunc(e->pref_token, sizeof(e->pref_token), db_col_text(st, 9));
	sqlite3_reset(st);
	return 1;
}

/* Every role the page may show, with its flags; the employee's own and
 * HR's first, so a long list of posts' roles never hides them. */
static const char sql_topics[] =
    "SELECT role, max(hr) | max(offered) | max(followed) | max(muted) "
    "AS flags FROM ("
    " SELECT role, 1 AS hr, 0 AS offered, 0 AS followed, 0 AS muted"
    " FROM employee_roles WHERE employee_id = ?1"
    " UNION ALL SELECT DISTINCT r.role, 0, 2, 0, 0 FROM post_roles r"
    " JOIN posts p ON p.id = r.post_id"
    " WHERE p.expires IS NULL OR p.expires >= ?2"
    " UNION ALL SELECT role, 0, 0, CASE choice WHEN 'follow' THEN 4"
    " ELSE 0 END, CASE choice WHEN 'mute' THEN 8 ELSE 0 END"
    " FROM employee_topics WHERE employee_id = ?1) "
    "WHERE length(CAST(role AS BLOB)) < ?3 GROUP BY role "
    "ORDER BY (flags & 13) = 0, role LIMIT ?4";

int
db_redirect_topics(struct db *db, int64_t employee_id, const char *date,
    struct redirect_topics *t)
{
	sqlite3_stmt *st;
	int rc;

	t->n = 0;
	if ((st = db_stmt(db, sql_topics)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, employee_id);
	sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, REDIRECT_TOPIC_MAX);
	sqlite3_bind_int(st, 4, REDIRECT_TOPICS_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && t->n <
	    REDIRECT_TOPICS_MAX) {
		copy_trunc(t->v[t->n].role, sizeof(t->v[t->n].role),
		    db_col_text(st, 0));
		t->v[t->n].flags = (unsigned)sqlite3_column_int(st, 1);
		t->n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "topics");
	return 0;
}

static const char sql_unsub[] =
    "UPDATE employees SET unsubscribed_at = ?1, updated_at = ?1 "
    "WHERE id = ?2 AND unsubscribed_at IS NULL";

int
db_redirect_unsubscribe(struct db *db, int64_t id, time_t now)
{
	sqlite3_stmt *st;
	int changed;

	if (db_begin(db) == -1)
		return -1;
	if ((st = db_stmt(db, sql_unsub)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(db, "unsubscribe");
		sqlite3_reset(st);
		goto fail;
	}
	changed = sqlite3_changes(db->h) > 0;
	sqlite3_reset(st);
	if (changed && db_prefs_event_add(db, id, "unsubscribed", now) == -1)
		goto fail;
	if (db_commit(db) == -1)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

/* What the employee's frequency and subscription are before a change,
 * read under the write lock: an event is written only for what the
 * change really changes. */
static const char sql_prefs_now[] =
    "SELECT frequency, unsubscribed_at IS NOT NULL FROM employees "
    "WHERE id = ?1";

struct redirect_before {
	char	 frequency[16];
	int	 unsubscribed;
};

static int
redirect_before(struct db *db, int64_t id, struct redirect_before *b)
{
	sqlite3_stmt *st;
	int rc;

	b->frequency[0] = '\0';
	b->unsubscribed = 0;
	if ((st = db_stmt(db, sql_prefs_now)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		copy_trunc(b->frequency, sizeof(b->frequency),
		    db_col_text(st, 0));
		b->unsubscribed = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(db, "read preferences");
		return -1;
	}
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
	sqlite3_stmt *st;

	if (db_begin(db) == -1)
		return -1;
	if (redirect_before(db, id, &b) == -1)
		goto fail;
	if ((st = db_stmt(db, sql)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 2, id);
	if (db_step_done(db, st, what) == -1)
		goto fail;
	if (redirect_events(db, id, &b, frequency, now) == -1)
		goto fail;
	if (db_commit(db) == -1)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

/* The post behind one of the employee's links, and whether they said
 * "not for me" to it already. */
static const char sql_decline_find[] =
    "SELECT l.employee_id, l.post_id, p.title, "
    "EXISTS (SELECT 1 FROM declines d WHERE d.employee_id = l.employee_id "
    "AND d.post_id = l.post_id) "
    "FROM links l JOIN posts p ON p.id = l.post_id WHERE l.code = ?1";

int
db_redirect_decline_find(struct db *db, const char *code,
    struct redirect_decline *d)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, sql_decline_find)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		db_fail(db, "find post to decline");
		sqlite3_reset(st);
		return -1;
	}
	d->employee_id = sqlite3_column_int64(st, 0);
	d->post_id = sqlite3_column_int64(st, 1);
	copy_trunc(d->title, sizeof(d->title), db_col_text(st, 2));
	d->declined = sqlite3_column_int(st, 3);
	sqlite3_reset(st);
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
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, sql_decline)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, employee_id);
	sqlite3_bind_int64(st, 2, post_id);
	db_bind_text(st, 3, reason);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	rc = db_step_done(db, st, "record not for me");
	sqlite3_reset(st);
	return rc;
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
    "INSERT OR REPLACE INTO employee_topics (employee_id, role, choice) "
    "VALUES (?1, ?2, ?3)";

static int
redirect_topics_write(struct db *db, int64_t id, const char *const *roles,
    size_t n, const char *choice)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((st = db_stmt(db, sql_topic_add)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, roles[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, choice, -1, SQLITE_STATIC);
		if (db_step_done(db, st, "save topics") == -1)
			return -1;
	}
	return 0;
}

int
db_redirect_set_prefs(struct db *db, int64_t id, const struct redirect_prefs *p,
    time_t now)
{
	struct redirect_before b;
	sqlite3_stmt *st;

	if (db_begin(db) == -1)
		return -1;
	if (redirect_before(db, id, &b) == -1)
		goto fail;
	if ((st = db_stmt(db, sql_prefs)) == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, p->frequency, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, (int)p->networks);
	db_bind_text(st, 3, p->timezone);
	db_bind_text(st, 4, p->send_time);
	sqlite3_bind_int(st, 5, (int)p->own);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 7, id);
	if (db_step_done(db, st, "set preferences") == -1)
		goto fail;
	if (p->set_topics) {
		if ((st = db_stmt(db, sql_topics_clear)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, id);
		if (db_step_done(db, st, "save topics") == -1 ||
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
	return -1;
}
