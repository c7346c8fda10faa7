/*
 * redirect: the queries behind the redirector's routes. Every statement is
 * prepared once per connection (db_stmt) and the link lookup is a single
 * indexed read, so the hot path costs one B-tree search.
 */
#include <string.h>

#include "common/network.h"
#include "common/share.h"
#include "db/db_int.h"
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

static const char sql_emp_unsub[] =
    "SELECT id, email, name, frequency, networks, unsubscribed_at "
    "FROM employees WHERE unsub_token = ?";
static const char sql_emp_pref[] =
    "SELECT id, email, name, frequency, networks, unsubscribed_at "
    "FROM employees WHERE pref_token = ?";

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
	sqlite3_reset(st);
	return 1;
}

static const char sql_unsub[] =
    "UPDATE employees SET unsubscribed_at = ?1, updated_at = ?1 "
    "WHERE id = ?2 AND unsubscribed_at IS NULL";

int
db_redirect_unsubscribe(struct db *db, int64_t id, time_t now)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, sql_unsub)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(db, "unsubscribe");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

static const char sql_prefs[] =
    "UPDATE employees SET frequency = ?1, networks = ?2, "
    "unsubscribed_at = NULL, updated_at = ?3, prefs_updated_at = ?3 "
    "WHERE id = ?4";

int
db_redirect_set_prefs(struct db *db, int64_t id, const char *frequency,
    unsigned networks, time_t now)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, sql_prefs)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, frequency, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, (int)networks);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 4, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(db, "set preferences");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}
