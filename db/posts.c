/*
 * db/posts: upsert of posts and their roles by the comms team's id. As for
 * employees, an unchanged row writes nothing.
 */
#include <string.h>

#include "db/db_int.h"
#include "db/posts.h"

static const char sql_find[] =
    "SELECT id, title, url, summary, text, text_linkedin, text_x, "
    "text_facebook, starts, expires, priority, everyone, "
    "text_linkedin IS NULL, text_x IS NULL, text_facebook IS NULL, "
    "starts IS NULL, expires IS NULL FROM posts WHERE ext_id = ?1";
static const char sql_roles[] =
    "SELECT role FROM post_roles WHERE post_id = ?1 ORDER BY role";
static const char sql_insert[] =
    "INSERT INTO posts (ext_id, title, url, summary, text, text_linkedin, "
    "text_x, text_facebook, starts, expires, priority, everyone, "
    "created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)";
static const char sql_update[] =
    "UPDATE posts SET title = ?2, url = ?3, summary = ?4, text = ?5, "
    "text_linkedin = ?6, text_x = ?7, text_facebook = ?8, starts = ?9, "
    "expires = ?10, priority = ?11, everyone = ?12, updated_at = ?13 "
    "WHERE id = ?1";
static const char sql_roles_clear[] =
    "DELETE FROM post_roles WHERE post_id = ?1";
static const char sql_role_add[] =
    "INSERT INTO post_roles (post_id, role) VALUES (?1, ?2)";

/* Compares a nullable column (isnull_col tells NULL) with a nullable input. */
static int
nullable_equal(sqlite3_stmt *st, int col, int isnull_col, const char *in)
{
	if (sqlite3_column_int(st, isnull_col))
		return in == NULL;
	return in != NULL && strcmp(db_col_text(st, col), in) == 0;
}

static int
bind_post(sqlite3_stmt *st, const struct post_in *p, int first)
{
	int i = first;

	db_bind_text(st, i++, p->title);
	db_bind_text(st, i++, p->url);
	db_bind_text(st, i++, p->summary != NULL ? p->summary : "");
	db_bind_text(st, i++, p->text != NULL ? p->text : "");
	db_bind_text(st, i++, p->text_net[0]);
	db_bind_text(st, i++, p->text_net[1]);
	db_bind_text(st, i++, p->text_net[2]);
	db_bind_text(st, i++, p->starts);
	db_bind_text(st, i++, p->expires);
	sqlite3_bind_int64(st, i++, p->priority);
	sqlite3_bind_int(st, i++, p->everyone);
	return i;
}

int
db_posts_upsert(struct db *db, const struct post_in *p, time_t now,
    enum db_upsert *result)
{
	sqlite3_stmt *st;
	sqlite3_int64 id;
	int rc, same, r, i;

	if ((st = db_stmt(db, sql_find)) == NULL)
		return -1;
	db_bind_text(st, 1, p->id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		if ((st = db_stmt(db, sql_insert)) == NULL)
			return -1;
		db_bind_text(st, 1, p->id);
		i = bind_post(st, p, 2);
		sqlite3_bind_int64(st, i, (sqlite3_int64)now);
		if (db_step_done(db, st, "add post") == -1)
			return -1;
		id = sqlite3_last_insert_rowid(db->h);
		if (db_roles_write(db, sql_roles_clear, sql_role_add, id, p->roles, p->nroles) == -1)
			return -1;
		*result = DB_ADDED;
		return 0;
	}
	if (rc != SQLITE_ROW)
		return db_fail(db, "find post");
	id = sqlite3_column_int64(st, 0);
	same = strcmp(db_col_text(st, 1), p->title) == 0 &&
	    strcmp(db_col_text(st, 2), p->url) == 0 &&
	    strcmp(db_col_text(st, 3), p->summary ? p->summary : "") == 0 &&
	    strcmp(db_col_text(st, 4), p->text ? p->text : "") == 0 &&
	    nullable_equal(st, 5, 12, p->text_net[0]) &&
	    nullable_equal(st, 6, 13, p->text_net[1]) &&
	    nullable_equal(st, 7, 14, p->text_net[2]) &&
	    nullable_equal(st, 8, 15, p->starts) &&
	    nullable_equal(st, 9, 16, p->expires) &&
	    sqlite3_column_int64(st, 10) == p->priority &&
	    sqlite3_column_int(st, 11) == p->everyone;
	if ((r = db_roles_equal(db, sql_roles, id, p->roles, p->nroles)) == -1)
		return -1;
	if (same && r) {
		*result = DB_UNCHANGED;
		return 0;
	}
	if ((st = db_stmt(db, sql_update)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	i = bind_post(st, p, 2);
	sqlite3_bind_int64(st, i, (sqlite3_int64)now);
	if (db_step_done(db, st, "update post") == -1 ||
	    db_roles_write(db, sql_roles_clear, sql_role_add, id, p->roles, p->nroles) == -1)
		return -1;
	*result = DB_UPDATED;
	return 0;
}
