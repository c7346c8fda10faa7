/*
 * db/posts: upsert of posts and their roles by the comms team's id. As for
 * employees, an unchanged row writes nothing. The same code on either store.
 */
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "db/db_int.h"
#include "db/pg.h"
#include "db/posts.h"
#include "db/stmt.h"

static const char sql_find[] =
    "SELECT id, title, url, summary, text, text_linkedin, text_x, "
    "text_facebook, starts, expires, priority, everyone, audience_count, "
    "audience_hundredths FROM posts WHERE ext_id = ?1";
static const char sql_roles[] =
    "SELECT role FROM post_roles WHERE post_id = ?1";
static const char sql_insert[] =
    "INSERT INTO posts (ext_id, title, url, summary, text, text_linkedin, "
    "text_x, text_facebook, starts, expires, priority, everyone, "
    "audience_count, audience_hundredths, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
    "?15, ?15) RETURNING id";
static const char sql_update[] =
    "UPDATE posts SET title = ?2, url = ?3, summary = ?4, text = ?5, "
    "text_linkedin = ?6, text_x = ?7, text_facebook = ?8, starts = ?9, "
    "expires = ?10, priority = ?11, everyone = ?12, audience_count = ?13, "
    "audience_hundredths = ?14, updated_at = ?15 WHERE id = ?1";
static const char sql_roles_clear[] =
    "DELETE FROM post_roles WHERE post_id = ?1";
static const char sql_role_add[] =
    "INSERT INTO post_roles (post_id, role) VALUES (?1, ?2)";
/* Its members go with it (ON DELETE CASCADE). */
static const char sql_audience_forget[] =
    "DELETE FROM audience_choices WHERE post_id = ?1";

/* SQLite's BEGIN IMMEDIATE already keeps a second import waiting. */
static const char sql_lock_pg[] =
    "LOCK TABLE posts IN SHARE ROW EXCLUSIVE MODE";

int
db_posts_import_begin(struct db *db)
{
	if (db_is_pg(db) && pg_in_transaction(db->pg))
		return db_exec(db, sql_lock_pg);
	return 0;
}

/* A copy of column col of q, NULL for NULL, into *slot (freed by the
 * caller). */
static const char *
stored_text(struct db_q *q, int col, char **slot)
{
	if (db_q_col_is_null(q, col))
		return NULL;
	*slot = xstrdup(db_q_col_text(q, col));
	return *slot;
}

/* Compares a nullable column with a nullable input. */
static int
nullable_equal(struct db_q *q, int col, const char *in)
{
	if (db_q_col_is_null(q, col))
		return in == NULL;
	return in != NULL && strcmp(db_q_col_text(q, col), in) == 0;
}

static int
bind_post(struct db_q *q, const struct post_in *p, int first)
{
	int i = first;

	db_q_text(q, i++, p->title);
	db_q_text(q, i++, p->url);
	db_q_text(q, i++, p->summary != NULL ? p->summary : "");
	db_q_text(q, i++, p->text != NULL ? p->text : "");
	db_q_text(q, i++, p->text_net[0]);
	db_q_text(q, i++, p->text_net[1]);
	db_q_text(q, i++, p->text_net[2]);
	db_q_text(q, i++, p->starts);
	db_q_text(q, i++, p->expires);
	db_q_int64(q, i++, p->priority);
	db_q_int64(q, i++, p->everyone);
	/* 0 is "no limit", NULL in the table (db_q() leaves it unbound). */
	if (p->audience_count > 0)
		db_q_int64(q, i, p->audience_count);
	i++;
	if (p->audience_hundredths > 0)
		db_q_int64(q, i, p->audience_hundredths);
	i++;
	return i;
}

/* Inserts a new post; *id is its id. Returns 0 or -1. */
static int
post_insert(struct db *db, const struct post_in *p, time_t now, int64_t *id)
{
	struct db_q *q;
	int i;

	if ((q = db_q(db, sql_insert)) == NULL)
		return -1;
	db_q_text(q, 1, p->id);
	i = bind_post(q, p, 2);
	db_q_int64(q, i, (int64_t)now);
	if (db_q_step(q) != DB_Q_ROW) {
		db_fail(db, "add post");
		db_q_reset(q);
		return -1;
	}
	*id = db_q_col_int64(q, 0);
	/* The rest of RETURNING's run: SQLite writes the row by then. */
	return db_q_done(db, q, "add post");
}

int
db_posts_upsert(struct db *db, const struct post_in *in, time_t now,
    enum db_upsert *result)
{
	struct post_in cur;
	const struct post_in *p = in;
	char *copies[8] = { NULL };
	struct db_q *q;
	int64_t id;
	enum db_q_step rc;
	int same, same_audience, r, i, n, ret = -1;
	size_t k;

	if ((q = db_q(db, sql_find)) == NULL)
		return -1;
	db_q_text(q, 1, p->id);
	rc = db_q_step(q);
	if (rc == DB_Q_DONE) {
		if (post_insert(db, p, now, &id) == -1 ||
		    db_roles_write(db, sql_roles_clear, sql_role_add, id,
		    p->roles, p->nroles) == -1)
			return -1;
		*result = DB_ADDED;
		return 0;
	}
	if (rc != DB_Q_ROW) {
		db_fail(db, "find post");
		db_q_reset(q);
		return -1;
	}
	id = db_q_col_int64(q, 0);
	/* A column the file left out: the stored value, as if given. */
	if (in->keep != 0) {
		cur = *in;
		p = &cur;
		if (in->keep & POST_KEEP_SUMMARY)
			cur.summary = stored_text(q, 3, &copies[0]);
		if (in->keep & POST_KEEP_TEXT)
			cur.text = stored_text(q, 4, &copies[1]);
		for (n = 0; n < 3; n++)
			if (in->keep & (POST_KEEP_TEXT_NET << n))
				cur.text_net[n] = stored_text(q, 5 + n,
				    &copies[2 + n]);
		if (in->keep & POST_KEEP_STARTS)
			cur.starts = stored_text(q, 8, &copies[5]);
		if (in->keep & POST_KEEP_EXPIRES)
			cur.expires = stored_text(q, 9, &copies[6]);
		if (in->keep & POST_KEEP_PRIORITY)
			cur.priority = (long)db_q_col_int64(q, 10);
		if (in->keep & POST_KEEP_ROLES)
			cur.everyone = (int)db_q_col_int64(q, 11);
		if (in->keep & POST_KEEP_AUDIENCE) {
			cur.audience_count = (long)db_q_col_int64(q, 12);
			cur.audience_hundredths = (long)db_q_col_int64(q, 13);
		}
		/* The file's start with the stored end, or the other way:
		 * the import checked only what it read. */
		if (cur.starts != NULL && cur.expires != NULL &&
		    strcmp(cur.expires, cur.starts) < 0) {
			db_q_reset(q);
			*result = DB_REFUSED;
			ret = 0;
			goto out;
		}
	}
	same = strcmp(db_q_col_text(q, 1), p->title) == 0 &&
	    strcmp(db_q_col_text(q, 2), p->url) == 0 &&
	    strcmp(db_q_col_text(q, 3), p->summary ? p->summary : "") == 0 &&
	    strcmp(db_q_col_text(q, 4), p->text ? p->text : "") == 0 &&
	    nullable_equal(q, 5, p->text_net[0]) &&
	    nullable_equal(q, 6, p->text_net[1]) &&
	    nullable_equal(q, 7, p->text_net[2]) &&
	    nullable_equal(q, 8, p->starts) &&
	    nullable_equal(q, 9, p->expires) &&
	    db_q_col_int64(q, 10) == p->priority &&
	    db_q_col_int64(q, 11) == p->everyone;
	/* NULL (no limit) reads as 0, as the input says it. */
	same_audience = db_q_col_int64(q, 12) == p->audience_count &&
	    db_q_col_int64(q, 13) == p->audience_hundredths;
	db_q_reset(q);
	same = same && same_audience;
	/* Roles left out: the stored ones stay, as they are. */
	if (p->keep & POST_KEEP_ROLES)
		r = 1;
	else if ((r = db_roles_equal(db, sql_roles, id, p->roles,
	    p->nroles)) == -1)
		goto out;
	if (same && r) {
		*result = DB_UNCHANGED;
		ret = 0;
		goto out;
	}
	if ((q = db_q(db, sql_update)) == NULL)
		goto out;
	db_q_int64(q, 1, id);
	i = bind_post(q, p, 2);
	db_q_int64(q, i, (int64_t)now);
	if (db_q_done(db, q, "update post") == -1 || (!(p->keep &
	    POST_KEEP_ROLES) && db_roles_write(db, sql_roles_clear,
	    sql_role_add, id, p->roles, p->nroles) == -1))
		goto out;
	if (!same_audience || !r) {
		if ((q = db_q(db, sql_audience_forget)) == NULL)
			goto out;
		db_q_int64(q, 1, id);
		if (db_q_done(db, q, "forget the post's audience") == -1)
			goto out;
	}
	*result = DB_UPDATED;
	ret = 0;
out:
	for (k = 0; k < sizeof(copies) / sizeof(copies[0]); k++)
		free(copies[k]);
	return ret;
}
