/*
 * pg: the PostgreSQL connection under the store, and the one file of
 * Chorus that includes <libpq-fe.h>. Connecting, statements, transactions
 * retried on the SQLSTATEs that ask for it, and the migration runner.
 */
#include <libpq-fe.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/dburi.h"
#include "common/hex.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "db/migrations.h"
#include "db/pg.h"

/* The type of text, as pg_type.h says (a server header libpq does not
 * install). */
#define PG_TEXTOID	25

/* The key of the session advisory lock held while migrating: "chorus",
 * 0, 1 (0x63686f7275730001), so no other application's lock is taken for
 * it. */
#define PG_MIGRATE_LOCK	"7163097744720199681"

#define PG_LATER_MAX	16

/* A command sent later (pg_later, pg_stmt_later): a static text, or a
 * prepared statement with a copy of its parameters. */
struct pg_later {
	const char	*sql;
	struct pg_stmt	*st;
	char		**values;
	int		*lengths;
	int		*formats;
	int		 nparams;
};

struct pg {
	PGconn		*conn;
	char		*uri;		/* as configured: never printed */
	char		*name;		/* dburi_redact(uri) */
	char		 sqlstate[6];
	char		*errmsg;	/* the last failure, scrubbed */
	int		 in_copy;	/* between pg_copy_begin and its end */
	struct buf	 copy;		/* COPY rows not sent yet */
	unsigned	 epoch;		/* connections made again (PQreset) */
	unsigned	 nstmt;		/* statements prepared: their names */
	int		 readonly;	/* default_transaction_read_only */
	const char	*session;	/* pg_session()'s SET, or NULL */
	struct pg_pipe_item *pipe;	/* sent, results not read yet */
	size_t		 npipe, pipecap;
	size_t		 pipe_count;	/* the last pipeline's statements */
	/* pg_later()'s commands, sent before the next statement. */
	struct pg_later	 later[PG_LATER_MAX];
	int		 nlater;
	/* pg_watch(): the deadline of a call to the server (0: none), and
	 * the call under way (busy, under watch_mu). */
	unsigned	 deadline_ms;
	int		 busy_depth;
	int		 busy_fd;
	uint64_t	 busy_since;
	struct pg	*watch_next;
	int		 watch_listed;	/* on watch_list */
};

/* What a result of a pipeline belongs to. */
struct pg_pipe_item {
	struct pg_stmt	*st;		/* NULL: plain SQL */
	int		 prepare;	/* st's PREPARE, not its run */
};

static enum pg_status later_flush(struct pg *);
static void later_drop(struct pg *);

struct pg_stmt {
	struct pg	*pg;
	char		*sql;		/* with $N parameters */
	char		 name[24];
	unsigned	 epoch;		/* pg->epoch when prepared */
	int		 nparams;
	char		**values;	/* nparams each: NULL is SQL NULL */
	int		*lengths;
	int		*formats;	/* 1: binary */
	Oid		*types;		/* 0: inferred; text where unused */
	PGresult	*res;		/* NULL until run */
	int		 row;		/* current row, -1 before the first */
	long long	 changes;	/* rows the last run wrote */
	unsigned char	*blob;		/* pg_stmt_blob's last bytes */
};

struct pg_result {
	PGresult	*res;
};

/* Returns a malloc'd copy of s with every from replaced by to. */
static char *
replace_all(const char *s, const char *from, const char *to)
{
	size_t flen = strlen(from), tlen = strlen(to), n = 0;
	const char *p;
	char *out, *w;

	if (flen == 0)
		return xstrdup(s);
	for (p = s; (p = strstr(p, from)) != NULL; p += flen)
		n++;
	out = w = xmalloc(strlen(s) + n * tlen + 1);
	while ((p = strstr(s, from)) != NULL) {
		memcpy(w, s, (size_t)(p - s));
		w += p - s;
		memcpy(w, to, tlen);
		w += tlen;
		s = p + flen;
	}
	memcpy(w, s, strlen(s) + 1);
	return out;
}

/* Returns a malloc'd percent-decoded copy of len bytes of s. */
static char *
pct_decode(const char *s, size_t len)
{
	char *out = xmalloc(len + 1), *w = out;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    hex_value((unsigned char)s[i + 1]) >= 0 &&
		    hex_value((unsigned char)s[i + 2]) >= 0) {
			*w++ = (char)(hex_value((unsigned char)s[i + 1]) * 16 +
			    hex_value((unsigned char)s[i + 2]));
			i += 2;
		} else
			*w++ = s[i];
	}
	*w = '\0';
	return out;
}

/*
 * The watchdog of pg_watch(): one thread for the process, which shuts
 * down the socket of a call that has waited longer than its connection's
 * deadline. libpq, blocked on that socket, then finds the server gone;
 * the call fails as on a lost connection, and the connection is made
 * again by the next pg_revive(). Only the socket is touched, and only
 * while its call is under way (watch_mu), never libpq's state.
 */
static pthread_mutex_t watch_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watch_cv;
static struct pg *watch_list;
static int watch_started;
static unsigned watch_all_ms;	/* pg_watch_all(); 0: none */

static uint64_t
watch_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *
watch_run(void *arg)
{
	struct timespec until;
	struct pg *pg;
	uint64_t now, due, next;
	char name[256];
	unsigned ms;
	int dropped;

	(void)arg;
	pthread_mutex_lock(&watch_mu);
	for (;;) {
		now = watch_now();
		next = 0;
		dropped = 0;
		for (pg = watch_list; pg != NULL; pg = pg->watch_next) {
			if (pg->busy_depth == 0 || pg->busy_fd == -1)
				continue;
			due = pg->busy_since + (uint64_t)pg->deadline_ms *
			    1000000u;
			if (due <= now) {
				/* The call's own duplicate of the socket:
				 * still open, whatever libpq did with its
				 * descriptor meanwhile. */
				(void)shutdown(pg->busy_fd, SHUT_RDWR);
				/* Once: not due again before busy_end. */
				pg->busy_since = UINT64_MAX / 2;
				snprintf(name, sizeof(name), "%s", pg->name);
				ms = pg->deadline_ms;
				dropped = 1;
				break;
			} else if (next == 0 || due < next)
				next = due;
		}
		if (dropped) {
			/* Said outside the lock; the others are looked at
			 * again at once. */
			pthread_mutex_unlock(&watch_mu);
			log_warnx("database '%s': no answer in %u ms; its "
			    "connection is dropped", name, ms);
			pthread_mutex_lock(&watch_mu);
			continue;
		}
		if (next == 0)
			pthread_cond_wait(&watch_cv, &watch_mu);
		else {
			until.tv_sec = (time_t)(next / 1000000000u);
			until.tv_nsec = (long)(next % 1000000000u);
			(void)pthread_cond_timedwait(&watch_cv, &watch_mu,
			    &until);
		}
	}
	/* NOTREACHED: the thread lives as long as the process. */
	return NULL;
}

int
pg_watch(struct pg *pg, unsigned ms)
{
	pthread_condattr_t ca;
	pthread_t t;
	int rc = 0;

	pthread_mutex_lock(&watch_mu);
	if (!watch_started) {
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&watch_cv, &ca);
		pthread_condattr_destroy(&ca);
		if ((errno = pthread_create(&t, NULL, watch_run, NULL)) != 0)
			rc = -1;
		else {
			(void)pthread_detach(t);
			watch_started = 1;
		}
	}
	if (rc == 0 && !pg->watch_listed) {
		pg->watch_next = watch_list;
		watch_list = pg;
		pg->watch_listed = 1;
	}
	if (rc == 0)
		pg->deadline_ms = ms;
	pthread_mutex_unlock(&watch_mu);
	if (rc == -1)
		log_warn("database '%s': no watchdog", pg->name);
	return rc;
}

void
pg_watch_all(unsigned ms)
{
	pthread_mutex_lock(&watch_mu);
	watch_all_ms = ms;
	pthread_mutex_unlock(&watch_mu);
}

static void
watch_drop(struct pg *pg)
{
	struct pg **pp;

	if (!pg->watch_listed)
		return;
	pthread_mutex_lock(&watch_mu);
	for (pp = &watch_list; *pp != NULL; pp = &(*pp)->watch_next)
		if (*pp == pg) {
			*pp = pg->watch_next;
			break;
		}
	pthread_mutex_unlock(&watch_mu);
}

/* Around each call that waits for the server; nested calls count once. */
static void
busy_begin(struct pg *pg)
{
	if (pg->deadline_ms == 0)
		return;
	pthread_mutex_lock(&watch_mu);
	if (pg->busy_depth++ == 0) {
		/* A duplicate, so that the watchdog never shuts down a
		 * descriptor libpq closed and the process gave to another
		 * socket meanwhile. */
		pg->busy_fd = PQsocket(pg->conn) == -1 ? -1 :
		    fcntl(PQsocket(pg->conn), F_DUPFD_CLOEXEC, 0);
		pg->busy_since = watch_now();
		pthread_cond_signal(&watch_cv);
	}
	pthread_mutex_unlock(&watch_mu);
}

static void
busy_end(struct pg *pg)
{
	if (pg->deadline_ms == 0)
		return;
	pthread_mutex_lock(&watch_mu);
	if (--pg->busy_depth == 0 && pg->busy_fd != -1) {
		(void)close(pg->busy_fd);
		pg->busy_fd = -1;
	}
	pthread_mutex_unlock(&watch_mu);
}

char *
pg_uri_problem(const char *uri)
{
	PQconninfoOption *opts;
	char *err = NULL, *why;

	if ((opts = PQconninfoParse(uri, &err)) != NULL) {
		PQconninfoFree(opts);
		return NULL;
	}
	why = pg_scrub(err != NULL ? err : "out of memory", uri);
	PQfreemem(err);
	return why;
}

char *
pg_scrub(const char *msg, const char *uri)
{
	struct dburi_span sp[DBURI_MAX_SECRETS];
	char *out, *tmp, *redacted, *secret;
	size_t n, i;

	redacted = dburi_redact(uri);
	out = replace_all(msg, uri, redacted);
	free(redacted);
	n = dburi_secrets(uri, sp, DBURI_MAX_SECRETS);
	for (i = 0; i < n; i++) {
		secret = xmalloc(sp[i].len + 1);
		memcpy(secret, uri + sp[i].off, sp[i].len);
		secret[sp[i].len] = '\0';
		tmp = replace_all(out, secret, DBURI_REDACTED);
		free(out);
		free(secret);
		secret = pct_decode(uri + sp[i].off, sp[i].len);
		out = replace_all(tmp, secret, DBURI_REDACTED);
		free(tmp);
		free(secret);
	}
	/* libpq's messages end with a newline and may hold several lines:
	 * one line, for the log. */
	for (i = strlen(out); i > 0 && (out[i - 1] == '\n' ||
	    out[i - 1] == ' '); i--)
		out[i - 1] = '\0';
	for (tmp = out; (tmp = strchr(tmp, '\n')) != NULL; )
		*tmp = ' ';
	return out;
}

/* SQLSTATEs and classes (two characters) by what the store does. */
static const struct {
	const char	*code;
	enum pg_status	 status;
} pg_states[] = {
	{ "40001", PG_RETRY },		/* serialization_failure */
	{ "40P01", PG_RETRY },		/* deadlock_detected */
	{ "08", PG_RETRY },		/* connection exception */
	{ "57P01", PG_RETRY },		/* admin_shutdown */
	{ "57P02", PG_RETRY },		/* crash_shutdown */
	{ "57P03", PG_RETRY },		/* cannot_connect_now */
	{ "53300", PG_RETRY },		/* too_many_connections */
	{ "23505", PG_UNIQUE },		/* unique_violation */
	{ "23", PG_CONSTRAINT },	/* integrity constraint violation */
};

enum pg_status
pg_classify(const char *sqlstate, int connection_bad)
{
	size_t i;

	if (connection_bad)
		return PG_RETRY;
	if (sqlstate == NULL || strlen(sqlstate) != 5)
		return PG_ERROR;
	for (i = 0; i < sizeof(pg_states) / sizeof(pg_states[0]); i++)
		if (strncmp(sqlstate, pg_states[i].code,
		    strlen(pg_states[i].code)) == 0)
			return pg_states[i].status;
	return PG_ERROR;
}

/* Notices (CREATE ... IF NOT EXISTS skipping) are not errors: debug. */
static void
pg_notice(void *arg, const char *msg)
{
	const struct pg *pg = arg;
	char *s = pg_scrub(msg, pg->uri);

	log_debug("db: %s", s);
	free(s);
}

static void
pg_seterr(struct pg *pg, const char *msg)
{
	free(pg->errmsg);
	pg->errmsg = pg_scrub(msg != NULL && *msg != '\0' ? msg :
	    "unknown error", pg->uri);
}

static int
pg_set(struct pg *pg, const char *sql)
{
	PGresult *res;
	int rc = 0;

	busy_begin(pg);
	res = PQexec(pg->conn, sql);
	busy_end(pg);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_seterr(pg, PQerrorMessage(pg->conn));
		rc = -1;
	}
	PQclear(res);
	return rc;
}

/* A read-only session is made so by a SET after connecting, not by a
 * connection option: libpq's target_session_attrs=read-write would take
 * the option for a standby and refuse the server. It and pg_session()'s
 * are made again after each PQreset. */
static int
pg_set_session(struct pg *pg)
{
	if (pg->readonly &&
	    pg_set(pg, "SET default_transaction_read_only = on") == -1)
		return -1;
	if (pg->session != NULL && pg_set(pg, pg->session) == -1)
		return -1;
	return 0;
}

/* pg_set_session on a connection just made again: one whose SETs did not
 * run is not used without them (read-only for a command that must not
 * write): its socket is shut down, so that its next statement fails as
 * on a lost connection and the connection is made again. */
static int
pg_set_session_or_drop(struct pg *pg)
{
	if (pg_set_session(pg) == 0)
		return 0;
	if (PQsocket(pg->conn) != -1)
		(void)shutdown(PQsocket(pg->conn), SHUT_RDWR);
	return -1;
}

int
pg_session(struct pg *pg, const char *set)
{
	pg->session = set;
	return pg_set(pg, set) == -1 ? pg_fail(pg, "session") : 0;
}

struct pg *
pg_connect(const char *uri, int readonly)
{
	/* Later values win: a connect_timeout in the URI overrides ours.
	 * Over TCP, a server that dies or is cut off (a failover, a network
	 * split) is given up after about 25 s rather than the system's two
	 * hours of keepalive and 15 minutes of retransmissions: keepalive
	 * probes after 10 s of silence, every 5 s, three unanswered; data
	 * unacknowledged, or unread by a server whose window stays shut,
	 * for 60 s ends the connection (tcp_user_timeout: not less, so
	 * that a COPY to a server busy writing goes on). The statement under
	 * way fails as on a lost connection, and the next one connects
	 * again, perhaps to the promoted replica. */
	static const char *const keys[] = { "connect_timeout",
	    "fallback_application_name", "client_encoding", "options",
	    "keepalives_idle", "keepalives_interval", "keepalives_count",
	    "tcp_user_timeout", "dbname", NULL };
	const char *vals[10];
	char timeout[16], options[48];
	struct pg *pg;
	unsigned ms;

	pg = xcalloc(1, sizeof(*pg));
	buf_init(&pg->copy, 0);
	pg->uri = xstrdup(uri);
	pg->name = dburi_redact(uri);
	snprintf(timeout, sizeof(timeout), "%d", PG_CONNECT_TIMEOUT);
	vals[0] = timeout;
	vals[1] = "chorus";
	vals[2] = "UTF8";
	/* Kept by PQreset, unlike a SET. */
	snprintf(options, sizeof(options), "-c lock_timeout=%d",
	    PG_WAIT_TIMEOUT_MS);
	vals[3] = options;
	vals[4] = "10";
	vals[5] = "5";
	vals[6] = "3";
	vals[7] = "60000";
	vals[8] = uri;
	vals[9] = NULL;
	pg->conn = PQconnectdbParams(keys, vals, 1);
	if (pg->conn == NULL) {
		log_error("database '%s': out of memory", pg->name);
		goto fail;
	}
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		pg_seterr(pg, PQerrorMessage(pg->conn));
		log_error("database '%s': %s", pg->name, pg->errmsg);
		goto fail;
	}
	PQsetNoticeProcessor(pg->conn, pg_notice, pg);
	/* The server's message alone: its DETAIL and CONTEXT may quote a
	 * row (a CHECK's failing row, a COPY's line, a key's values), with
	 * the tokens of the unsubscribe and preference pages or a visitor's
	 * hash in it, and every message may reach a log. Kept by PQreset. */
	(void)PQsetErrorVerbosity(pg->conn, PQERRORS_TERSE);
	pg->readonly = readonly;
	/* From the first statement: the session's SETs, the schema's
	 * version read by db_open(). */
	pthread_mutex_lock(&watch_mu);
	ms = watch_all_ms;
	pthread_mutex_unlock(&watch_mu);
	if (ms > 0)
		(void)pg_watch(pg, ms);
	if (pg_set_session(pg) == -1) {
		log_error("database '%s': %s", pg->name, pg->errmsg);
		goto fail;
	}
	return pg;
fail:
	pg_close(pg);
	return NULL;
}

void
pg_close(struct pg *pg)
{
	if (pg == NULL)
		return;
	watch_drop(pg);
	later_drop(pg);
	if (pg->conn != NULL)
		PQfinish(pg->conn);
	free(pg->uri);
	free(pg->name);
	free(pg->errmsg);
	buf_release(&pg->copy);
	free(pg->pipe);
	free(pg);
}

const char *
pg_name(const struct pg *pg)
{
	return pg->name;
}

const char *
pg_sqlstate(const struct pg *pg)
{
	return pg->sqlstate;
}

const char *
pg_errmsg(const struct pg *pg)
{
	return pg->errmsg != NULL ? pg->errmsg : "no error";
}

int
pg_fail(struct pg *pg, const char *what)
{
	log_error("db: %s: %s", what, pg_errmsg(pg));
	return -1;
}

/* The status of a result (NULL: out of memory or connection lost), its
 * SQLSTATE and message kept for pg_sqlstate and pg_errmsg. */
static enum pg_status
pg_check(struct pg *pg, const PGresult *res)
{
	const char *state;

	pg->sqlstate[0] = '\0';
	if (res != NULL) {
		switch (PQresultStatus(res)) {
		case PGRES_COMMAND_OK:
		case PGRES_TUPLES_OK:
		case PGRES_EMPTY_QUERY:
			return PG_OK;
		default:
			break;
		}
		if ((state = PQresultErrorField(res, PG_DIAG_SQLSTATE)) != NULL)
			snprintf(pg->sqlstate, sizeof(pg->sqlstate), "%s",
			    state);
		pg_seterr(pg, PQresultErrorMessage(res));
	} else
		pg_seterr(pg, PQerrorMessage(pg->conn));
	return pg_classify(pg->sqlstate[0] != '\0' ? pg->sqlstate : NULL,
	    PQstatus(pg->conn) == CONNECTION_BAD);
}

static enum pg_status
exec_params(struct pg *pg, const char *sql, int nparams,
    const char *const *params, struct pg_result **resp)
{
	PGresult *res;
	enum pg_status st;

	if (resp != NULL)
		*resp = NULL;
	if ((st = later_flush(pg)) != PG_OK)
		return st;
	res = PQexecParams(pg->conn, sql, nparams, NULL, params, NULL, NULL,
	    0);
	st = pg_check(pg, res);
	if (st == PG_OK && resp != NULL) {
		*resp = xmalloc(sizeof(**resp));
		(*resp)->res = res;
		return PG_OK;
	}
	PQclear(res);
	return st;
}

enum pg_status
pg_exec(struct pg *pg, const char *sql, int nparams,
    const char *const *params, struct pg_result **resp)
{
	enum pg_status st;

	busy_begin(pg);
	st = exec_params(pg, sql, nparams, params, resp);
	busy_end(pg);
	return st;
}

static enum pg_status
exec_script(struct pg *pg, const char *sql)
{
	PGresult *res;
	enum pg_status st;

	/* What a ROLLBACK undoes need not be sent. */
	if (strcmp(sql, "ROLLBACK") == 0)
		later_drop(pg);
	else if ((st = later_flush(pg)) != PG_OK)
		return st;
	res = PQexec(pg->conn, sql);
	st = pg_check(pg, res);
	PQclear(res);
	return st;
}

enum pg_status
pg_exec_script(struct pg *pg, const char *sql)
{
	enum pg_status st;

	busy_begin(pg);
	st = exec_script(pg, sql);
	busy_end(pg);
	return st;
}

static void
later_drop(struct pg *pg)
{
	struct pg_later *l;
	int i, k;

	for (i = 0; i < pg->nlater; i++) {
		l = &pg->later[i];
		if (l->st != NULL) {
			for (k = 0; k < l->nparams; k++)
				free(l->values[k]);
			free(l->values);
			free(l->lengths);
			free(l->formats);
		}
	}
	pg->nlater = 0;
}

/* Sends the queue of pg_later() and pg_stmt_later(), then st if not NULL,
 * in one round trip (libpq's pipeline mode), and empties it. Returns st's
 * result, or the first failure's, which the caller gives to pg_check();
 * without st, NULL when all went well (*failed says whether not). */
static PGresult *
later_send(struct pg *pg, struct pg_stmt *st, int *failed)
{
	PGconn *c = pg->conn;
	PGresult *r, *out = NULL;
	struct pg_later *l;
	int i, n = pg->nlater, total = n + (st != NULL), sent = 0, ok;

	*failed = 1;
	if (PQenterPipelineMode(c) != 1) {
		later_drop(pg);
		return NULL;
	}
	for (i = 0; i < total; i++, sent++) {
		l = i < n ? &pg->later[i] : NULL;
		if (l != NULL && l->st == NULL)
			ok = PQsendQueryParams(c, l->sql, 0, NULL, NULL, NULL,
			    NULL, 0);
		else if (l != NULL)
			ok = PQsendQueryPrepared(c, l->st->name,
			    l->st->nparams, (const char *const *)l->values,
			    l->lengths, l->formats, 0);
		else
			ok = PQsendQueryPrepared(c, st->name, st->nparams,
			    (const char *const *)st->values, st->lengths,
			    st->formats, 0);
		if (ok != 1)
			break;
	}
	later_drop(pg);
	if (PQpipelineSync(c) != 1) {
		/* Nothing to read back: the connection is gone. */
		PQexitPipelineMode(c);
		return NULL;
	}
	for (i = 0; i < sent; i++)
		/* A command's results end with NULL. */
		while ((r = PQgetResult(c)) != NULL) {
			if (out == NULL && (i == n || pg_check(pg, r) !=
			    PG_OK))
				out = r;
			else
				PQclear(r);
		}
	/* Then the sync's. */
	while ((r = PQgetResult(c)) != NULL) {
		ExecStatusType sync = PQresultStatus(r);

		PQclear(r);
		if (sync == PGRES_PIPELINE_SYNC)
			break;
	}
	if (PQexitPipelineMode(c) != 1) {
		while ((r = PQgetResult(c)) != NULL)
			PQclear(r);
		PQexitPipelineMode(c);
	}
	*failed = sent < total || (st == NULL && out != NULL);
	return out;
}

/* The queue, before anything else is sent. Outside a healthy transaction
 * (after a ROLLBACK, a failed statement or a connection made again) it is
 * dropped: its commands would fail, and what they were for is gone. */
static enum pg_status
later_flush(struct pg *pg)
{
	PGresult *res;
	enum pg_status st;
	int failed;

	if (pg->nlater == 0)
		return PG_OK;
	if (PQtransactionStatus(pg->conn) != PQTRANS_INTRANS) {
		later_drop(pg);
		return PG_OK;
	}
	res = later_send(pg, NULL, &failed);
	st = failed ? pg_check(pg, res) : PG_OK;
	if (failed && st == PG_OK)
		st = PG_ERROR;
	PQclear(res);
	return st;
}

int
pg_later(struct pg *pg, const char *sql)
{
	if (pg->nlater == PG_LATER_MAX && later_flush(pg) != PG_OK)
		return -1;
	pg->later[pg->nlater].sql = sql;
	pg->later[pg->nlater].st = NULL;
	pg->nlater++;
	return 0;
}

size_t
pg_result_rows(const struct pg_result *r)
{
	return (size_t)PQntuples(r->res);
}

const char *
pg_result_value(const struct pg_result *r, size_t row, int col)
{
	if (row >= (size_t)PQntuples(r->res) || col < 0 ||
	    col >= PQnfields(r->res) || PQgetisnull(r->res, (int)row, col))
		return NULL;
	return PQgetvalue(r->res, (int)row, col);
}

void
pg_result_free(struct pg_result *r)
{
	if (r == NULL)
		return;
	PQclear(r->res);
	free(r);
}

/* A connection lost is made again before the next try; libpq waits at
 * most connect_timeout for it. */
static void
pg_recover(struct pg *pg, int try)
{
	struct timespec ts;
	long ms = 100L << (try < 5 ? try : 5);

	if (ms > 2000)
		ms = 2000;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	if (PQstatus(pg->conn) == CONNECTION_BAD) {
		PQreset(pg->conn);
		pg->epoch++;
		if (PQstatus(pg->conn) == CONNECTION_OK)
			(void)pg_set_session_or_drop(pg);
	}
}

enum pg_status
pg_transact(struct pg *pg, int (*fn)(struct pg *, void *), void *arg,
    int tries)
{
	enum pg_status st = PG_ERROR;
	int try;

	for (try = 0; try < tries; try++) {
		if (try > 0) {
			log_warnx("db: %s; trying again (%d of %d)",
			    pg_errmsg(pg), try + 1, tries);
			pg_recover(pg, try - 1);
		}
		if ((st = pg_exec_script(pg, "BEGIN")) != PG_OK) {
			if (st == PG_RETRY)
				continue;
			break;
		}
		if ((st = (enum pg_status)fn(pg, arg)) == PG_OK &&
		    (st = pg_exec_script(pg, "COMMIT")) == PG_OK)
			return PG_OK;
		/* Keeps the failure's message: the rollback's is no news. */
		(void)pg_rollback(pg);
		if (st != PG_RETRY)
			break;
	}
	return st;
}

int
pg_rollback(struct pg *pg)
{
	PGresult *res;
	char state[sizeof(pg->sqlstate)];
	char *msg;

	if (!pg_in_transaction(pg))
		return 0;
	later_drop(pg);		/* what the ROLLBACK undoes */
	/* The failure's SQLSTATE and message stay what pg_retryable() and
	 * pg_errmsg() tell: why the transaction failed, not that its
	 * ROLLBACK did not (a retryable conflict read after a successful
	 * ROLLBACK would otherwise look final). */
	memcpy(state, pg->sqlstate, sizeof(state));
	msg = pg->errmsg;
	pg->errmsg = NULL;
	busy_begin(pg);
	res = PQexec(pg->conn, "ROLLBACK");
	busy_end(pg);
	if (pg_check(pg, res) == PG_OK) {
		PQclear(res);
		memcpy(pg->sqlstate, state, sizeof(state));
		free(pg->errmsg);
		pg->errmsg = msg;
		return 0;
	}
	PQclear(res);
	free(msg);
	return pg_fail(pg, "ROLLBACK");
}

char *
pg_conninfo(const struct pg *pg, const char *key)
{
	PQconninfoOption *opts, *o;
	char *v = NULL;

	if (strcmp(key, "password") == 0 ||
	    (opts = PQconninfo(pg->conn)) == NULL)
		return NULL;
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, key) == 0) {
			if (o->val != NULL)
				v = xstrdup(o->val);
			break;
		}
	PQconninfoFree(opts);
	return v;
}

int
pg_in_transaction(const struct pg *pg)
{
	PGTransactionStatusType st = PQtransactionStatus(pg->conn);

	/* Not on a connection lost (PQTRANS_UNKNOWN): the server ended
	 * the transaction with the session, and a ROLLBACK would only fail
	 * (in the pipeline mode a lost batch may have left it in). */
	return st == PQTRANS_INTRANS || st == PQTRANS_INERROR;
}

/* The length of a quoted string, identifier or comment starting at s, 0
 * when none starts there: no parameter is looked for inside. */
static size_t
sql_skip(const char *s)
{
	const char *p;
	char q;

	if (s[0] == '-' && s[1] == '-') {
		p = strchr(s, '\n');
		return p != NULL ? (size_t)(p - s) : strlen(s);
	}
	if (s[0] == '/' && s[1] == '*') {
		p = strstr(s + 2, "*/");
		return p != NULL ? (size_t)(p - s) + 2 : strlen(s);
	}
	if (s[0] != '\'' && s[0] != '"')
		return 0;
	q = s[0];
	/* A doubled quote stays inside. */
	for (p = s + 1; *p != '\0'; p++)
		if (*p == q) {
			if (p[1] != q)
				return (size_t)(p - s) + 1;
			p++;
		}
	return (size_t)(p - s);
}

/* pg_sql_translate, and when used is not NULL, a malloc'd array of
 * *nparams flags there: 1 for each number the text names. */
static char *
sql_translate(const char *sql, int *nparams, unsigned char **used)
{
	struct buf b, seen;
	const char *p;
	size_t skip, i;
	long n;
	int max = 0;
	char *end, *out;

	buf_init(&b, 0);
	buf_init(&seen, 0);
	for (p = sql; *p != '\0';) {
		if ((skip = sql_skip(p)) > 0) {
			if (buf_add(&b, p, skip) == -1)
				fatalx("pg: out of memory");
			p += skip;
			continue;
		}
		if (*p != '?') {
			if (buf_addc(&b, *p++) == -1)
				fatalx("pg: out of memory");
			continue;
		}
		p++;
		if (*p >= '0' && *p <= '9') {
			n = strtol(p, &end, 10);
			p = end;
		} else
			n = max + 1;
		if (n > 32766)	/* PostgreSQL's own limit is 65535 */
			n = 32766;
		if (n > max)
			max = (int)n;
		if (buf_printf(&b, "$%ld", n) == -1 ||
		    buf_add(&seen, &n, sizeof(n)) == -1)
			fatalx("pg: out of memory");
	}
	out = xstrdup(buf_cstr(&b));
	buf_release(&b);
	*nparams = max;
	if (used != NULL) {
		*used = xcalloc(max > 0 ? (size_t)max : 1, 1);
		for (i = 0; i + sizeof(n) <= seen.len; i += sizeof(n)) {
			memcpy(&n, seen.data + i, sizeof(n));
			(*used)[n - 1] = 1;
		}
	}
	buf_release(&seen);
	return out;
}

char *
pg_sql_translate(const char *sql, int *nparams)
{
	return sql_translate(sql, nparams, NULL);
}

/* PREPAREs st under its name on the connection as it is now. The server
 * infers each parameter's type from its use; one the text never names
 * (?1 and ?3 without ?2, which SQLite allows) is declared text, which it
 * cannot infer. */
static int
stmt_prepare(struct pg_stmt *st)
{
	PGresult *res;
	enum pg_status s;

	busy_begin(st->pg);
	if (later_flush(st->pg) != PG_OK) {
		busy_end(st->pg);
		return -1;
	}
	res = PQprepare(st->pg->conn, st->name, st->sql, st->nparams,
	    st->types);
	busy_end(st->pg);
	s = pg_check(st->pg, res);
	PQclear(res);
	if (s != PG_OK)
		return -1;
	st->epoch = st->pg->epoch;
	return 0;
}

struct pg_stmt *
pg_stmt_prepare(struct pg *pg, const char *sql)
{
	struct pg_stmt *st;
	unsigned char *used;
	int i;

	st = xcalloc(1, sizeof(*st));
	st->pg = pg;
	st->sql = sql_translate(sql, &st->nparams, &used);
	snprintf(st->name, sizeof(st->name), "chorus_%u", pg->nstmt++);
	st->row = -1;
	if (st->nparams > 0) {
		st->values = xcalloc((size_t)st->nparams,
		    sizeof(*st->values));
		st->lengths = xcalloc((size_t)st->nparams,
		    sizeof(*st->lengths));
		st->formats = xcalloc((size_t)st->nparams,
		    sizeof(*st->formats));
		st->types = xcalloc((size_t)st->nparams, sizeof(*st->types));
		for (i = 0; i < st->nparams; i++)
			st->types[i] = used[i] ? 0 : PG_TEXTOID;
	}
	free(used);
	if (stmt_prepare(st) == -1) {
		pg_stmt_free(st);
		return NULL;
	}
	return st;
}

void
pg_stmt_reset(struct pg_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	if (st->blob != NULL)
		PQfreemem(st->blob);
	st->blob = NULL;
}

void
pg_stmt_clear(struct pg_stmt *st)
{
	int i;

	for (i = 0; i < st->nparams; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
		st->lengths[i] = 0;
		st->formats[i] = 0;
	}
}

void
pg_stmt_free(struct pg_stmt *st)
{
	if (st == NULL)
		return;
	pg_stmt_reset(st);
	if (st->nparams > 0)
		pg_stmt_clear(st);
	free(st->values);
	free(st->lengths);
	free(st->formats);
	free(st->types);
	free(st->sql);
	free(st);
}

int
pg_stmt_bind(struct pg_stmt *st, int n, const void *data, size_t len,
    int binary)
{
	char *v = NULL;

	if (n < 1 || n > st->nparams || len > INT32_MAX)
		return -1;
	if (data != NULL) {
		v = xmalloc(len + 1);
		memcpy(v, data, len);
		v[len] = '\0';
	}
	free(st->values[n - 1]);
	st->values[n - 1] = v;
	st->lengths[n - 1] = (int)len;
	st->formats[n - 1] = binary != 0;
	return 0;
}

int
pg_stmt_later(struct pg_stmt *st)
{
	struct pg *pg = st->pg;
	struct pg_later *l;
	int k;

	if (st->epoch != pg->epoch)
		return pg_stmt_step(st) == -1 ? -1 : 0;
	if (pg->nlater == PG_LATER_MAX && later_flush(pg) != PG_OK)
		return -1;
	l = &pg->later[pg->nlater];
	l->sql = NULL;
	l->st = st;
	l->nparams = st->nparams;
	l->values = xcalloc((size_t)st->nparams + 1, sizeof(*l->values));
	l->lengths = xcalloc((size_t)st->nparams + 1, sizeof(*l->lengths));
	l->formats = xcalloc((size_t)st->nparams + 1, sizeof(*l->formats));
	for (k = 0; k < st->nparams; k++) {
		if (st->values[k] != NULL) {
			l->values[k] = xmalloc((size_t)st->lengths[k] + 1);
			memcpy(l->values[k], st->values[k],
			    (size_t)st->lengths[k] + 1);
		}
		l->lengths[k] = st->lengths[k];
		l->formats[k] = st->formats[k];
	}
	pg->nlater++;
	return 0;
}

static int
stmt_step(struct pg_stmt *st)
{
	if (st->res == NULL) {
		if (st->epoch != st->pg->epoch && stmt_prepare(st) == -1)
			return -1;
		if (st->pg->nlater > 0 &&
		    PQtransactionStatus(st->pg->conn) == PQTRANS_INTRANS) {
			int failed;

			st->res = later_send(st->pg, st, &failed);
		} else {
			later_drop(st->pg);
			st->res = PQexecPrepared(st->pg->conn, st->name,
			    st->nparams, (const char *const *)st->values,
			    st->lengths, st->formats, 0);
		}
		if (pg_check(st->pg, st->res) != PG_OK) {
			PQclear(st->res);
			st->res = NULL;
			return -1;
		}
		st->changes = strtoll(PQcmdTuples(st->res), NULL, 10);
	}
	if (st->blob != NULL)
		PQfreemem(st->blob);
	st->blob = NULL;
	if (st->row < PQntuples(st->res))
		st->row++;
	return st->row < PQntuples(st->res) ? 1 : 0;
}

int
pg_stmt_step(struct pg_stmt *st)
{
	int rc;

	/* Only the first step waits for the server. */
	if (st->res != NULL)
		return stmt_step(st);
	busy_begin(st->pg);
	rc = stmt_step(st);
	busy_end(st->pg);
	return rc;
}

const char *
pg_stmt_value(const struct pg_stmt *st, int col)
{
	if (st->res == NULL || st->row < 0 || st->row >= PQntuples(st->res) ||
	    col < 0 || col >= PQnfields(st->res) ||
	    PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

const void *
pg_stmt_blob(struct pg_stmt *st, int col, size_t *len)
{
	const char *v = pg_stmt_value(st, col);

	*len = 0;
	if (v == NULL)
		return NULL;
	if (st->blob != NULL)
		PQfreemem(st->blob);
	if ((st->blob = PQunescapeBytea((const unsigned char *)v,
	    len)) == NULL)
		fatalx("pg: out of memory");
	return st->blob;
}

int
pg_stmt_ran(const struct pg_stmt *st)
{
	return st->res != NULL;
}

long long
pg_stmt_changes(const struct pg_stmt *st)
{
	return st->changes;
}

char *
pg_quote_ident(const char *name)
{
	char *q, *w;

	w = q = xmalloc(2 * strlen(name) + 3);
	*w++ = '"';
	for (; *name != '\0'; name++) {
		if (*name == '"')
			*w++ = '"';
		*w++ = *name;
	}
	*w++ = '"';
	*w = '\0';
	return q;
}

/* One text field: the bytes COPY's text format gives a meaning to are
 * escaped (tab and newline end a field or a row, \ starts an escape, a
 * carriage return would be taken for a line end); the rest go as they
 * are, runs at a time. */
static int
copy_text(struct buf *b, const unsigned char *s, size_t len)
{
	size_t i, from = 0;
	const char *esc;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '\\':
			esc = "\\\\";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		default:
			continue;
		}
		if (buf_add(b, s + from, i - from) == -1 ||
		    buf_add(b, esc, 2) == -1)
			return -1;
		from = i + 1;
	}
	return buf_add(b, s + from, len - from);
}

/* bytea's hex input form, \x then two digits a byte, with its backslash
 * escaped for COPY. */
static int
copy_bytea(struct buf *b, const unsigned char *s, size_t len)
{
	char pair[2];
	size_t i;

	if (buf_add(b, "\\\\x", 3) == -1)
		return -1;
	for (i = 0; i < len; i++) {
		pair[0] = hex_digit(s[i] >> 4);
		pair[1] = hex_digit(s[i]);
		if (buf_add(b, pair, 2) == -1)
			return -1;
	}
	return 0;
}

int
pg_copy_format(struct buf *b, const struct pg_field *f, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (i > 0 && buf_addc(b, '\t') == -1)
			return -1;
		if (f[i].data == NULL)
			rc = buf_add(b, "\\N", 2);
		else if (f[i].bytea)
			rc = copy_bytea(b, f[i].data, f[i].len);
		else
			rc = copy_text(b, f[i].data, f[i].len);
		if (rc == -1)
			return -1;
	}
	return buf_addc(b, '\n');
}

enum pg_status
pg_copy_begin(struct pg *pg, const char *table, const char *const *cols,
    size_t ncols)
{
	struct buf sql;
	PGresult *res;
	enum pg_status st;
	char *q;
	size_t i;

	if ((st = later_flush(pg)) != PG_OK)
		return st;
	buf_init(&sql, 0);
	q = pg_quote_ident(table);
	if (buf_printf(&sql, "COPY %s (", q) == -1)
		fatalx("pg: out of memory");
	free(q);
	for (i = 0; i < ncols; i++) {
		q = pg_quote_ident(cols[i]);
		if (buf_printf(&sql, "%s%s", i > 0 ? ", " : "", q) == -1)
			fatalx("pg: out of memory");
		free(q);
	}
	if (buf_adds(&sql, ") FROM STDIN") == -1)
		fatalx("pg: out of memory");
	res = PQexec(pg->conn, buf_cstr(&sql));
	buf_release(&sql);
	if (res != NULL && PQresultStatus(res) == PGRES_COPY_IN) {
		PQclear(res);
		pg->in_copy = 1;
		buf_reset(&pg->copy);
		return PG_OK;
	}
	st = pg_check(pg, res);
	PQclear(res);
	return st == PG_OK ? PG_ERROR : st;
}

/* Sends what is queued. */
static enum pg_status
copy_flush(struct pg *pg)
{
	if (pg->copy.len > 0 && PQputCopyData(pg->conn, pg->copy.data,
	    (int)pg->copy.len) != 1) {
		pg_seterr(pg, PQerrorMessage(pg->conn));
		return pg_classify(NULL, PQstatus(pg->conn) == CONNECTION_BAD);
	}
	buf_reset(&pg->copy);
	return PG_OK;
}

enum pg_status
pg_copy_row(struct pg *pg, const struct pg_field *f, size_t n)
{
	if (pg_copy_format(&pg->copy, f, n) == -1) {
		pg_seterr(pg, "COPY row too large");
		return PG_ERROR;
	}
	return pg->copy.len >= PG_COPY_CHUNK ? copy_flush(pg) : PG_OK;
}

/* Reads the results left after a COPY, so the connection takes the next
 * statement. */
static void
copy_drain(struct pg *pg)
{
	PGresult *res;

	while ((res = PQgetResult(pg->conn)) != NULL)
		PQclear(res);
}

enum pg_status
pg_copy_end(struct pg *pg, long long *rows)
{
	PGresult *res;
	enum pg_status st;

	if (rows != NULL)
		*rows = -1;
	if ((st = copy_flush(pg)) != PG_OK) {
		pg_copy_abort(pg, "chorus: cannot send");
		return st;
	}
	pg->in_copy = 0;
	if (PQputCopyEnd(pg->conn, NULL) != 1) {
		pg_seterr(pg, PQerrorMessage(pg->conn));
		copy_drain(pg);
		return pg_classify(NULL, PQstatus(pg->conn) == CONNECTION_BAD);
	}
	res = PQgetResult(pg->conn);
	st = pg_check(pg, res);
	if (st == PG_OK && rows != NULL)
		*rows = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	copy_drain(pg);
	return st;
}

void
pg_copy_abort(struct pg *pg, const char *why)
{
	if (!pg->in_copy)
		return;
	pg->in_copy = 0;
	buf_reset(&pg->copy);
	/* The failure the caller reports stays pg_errmsg(): the server's
	 * answer to the abort is no news. */
	if (PQputCopyEnd(pg->conn, why) == 1)
		copy_drain(pg);
}

int
pg_current_version(void)
{
	return npg_migrations ? pg_migrations[npg_migrations - 1].version : 0;
}

int
pg_schema_version(struct pg *pg)
{
	struct pg_result *r = NULL;
	const char *v;
	int exists, version = -1;

	if (pg_exec(pg, "SELECT to_regclass('schema_version') IS NOT NULL",
	    0, NULL, &r) != PG_OK)
		goto fail;
	v = pg_result_value(r, 0, 0);
	exists = v != NULL && strcmp(v, "t") == 0;
	pg_result_free(r);
	r = NULL;
	if (!exists)
		return 0;
	if (pg_exec(pg, "SELECT coalesce(max(version), 0) FROM schema_version",
	    0, NULL, &r) != PG_OK)
		goto fail;
	if ((v = pg_result_value(r, 0, 0)) != NULL)
		version = (int)strtol(v, NULL, 10);
	pg_result_free(r);
	return version;
fail:
	log_error("database '%s': schema version: %s", pg->name,
	    pg_errmsg(pg));
	return -1;
}

static int	pg_migrate_locked(struct pg *, int *, int *);

int
pg_migrate(struct pg *pg, int *fromp, int *top)
{
	char *sql;
	int rc;

	if (fromp != NULL)
		*fromp = -1;
	if (top != NULL)
		*top = -1;
	/* Waits, for the lock of another process's migration or for a table
	 * that a running redirector holds, are bounded. */
	sql = xasprintf("SET lock_timeout = '%ds'", PG_LOCK_TIMEOUT);
	rc = pg_exec_script(pg, sql) == PG_OK ? 0 : -1;
	free(sql);
	if (rc == -1 || pg_exec_script(pg, "SELECT pg_advisory_lock("
	    PG_MIGRATE_LOCK ")") != PG_OK) {
		log_error("database '%s': cannot take the migration lock: %s",
		    pg->name, pg_errmsg(pg));
		return -1;
	}
	rc = pg_migrate_locked(pg, fromp, top);
	if (pg_exec_script(pg, "SELECT pg_advisory_unlock(" PG_MIGRATE_LOCK
	    ")") != PG_OK || pg_exec_script(pg, "RESET lock_timeout") != PG_OK)
		rc = pg_fail(pg, "migration lock");
	return rc;
}

/* Under the migration lock: nobody else migrates until it is released,
 * so the version read here stays true. */
static int
pg_migrate_locked(struct pg *pg, int *fromp, int *top)
{
	char version[16];
	const char *params[2];
	size_t i;
	int from, v;

	if (pg_exec_script(pg, "CREATE TABLE IF NOT EXISTS schema_version ("
	    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
	    "applied_at BIGINT NOT NULL "
	    "DEFAULT extract(epoch FROM now())::bigint)") != PG_OK)
		return pg_fail(pg, "schema_version");
	if ((from = pg_schema_version(pg)) == -1)
		return -1;
	if (fromp != NULL)
		*fromp = from;
	if (top != NULL)
		*top = from;
	if (from > pg_current_version()) {
		log_error("database '%s' is at schema version %d, newer than "
		    "this chorus knows (%d)", pg->name, from,
		    pg_current_version());
		return -1;
	}
	v = from;
	for (i = 0; i < npg_migrations; i++) {
		if (pg_migrations[i].version <= v)
			continue;
		snprintf(version, sizeof(version), "%d",
		    pg_migrations[i].version);
		params[0] = version;
		params[1] = pg_migrations[i].name;
		if (pg_exec_script(pg, "BEGIN") != PG_OK)
			return pg_fail(pg, "begin");
		if (pg_exec_script(pg, pg_migrations[i].sql) != PG_OK ||
		    pg_exec(pg, "INSERT INTO schema_version (version, name) "
		    "VALUES ($1, $2)", 2, params, NULL) != PG_OK ||
		    pg_exec_script(pg, "COMMIT") != PG_OK) {
			log_error("database '%s': migration %s failed: %s",
			    pg->name, pg_migrations[i].name, pg_errmsg(pg));
			later_drop(pg);
			PQclear(PQexec(pg->conn, "ROLLBACK"));
			return -1;
		}
		v = pg_migrations[i].version;
		if (top != NULL)
			*top = v;
		log_debug("db: migrated '%s' to version %d", pg->name, v);
	}
	return 0;
}

int
pg_retryable(const struct pg *pg)
{
	return pg_classify(pg->sqlstate[0] != '\0' ? pg->sqlstate : NULL,
	    PQstatus(pg->conn) == CONNECTION_BAD) == PG_RETRY;
}

unsigned
pg_epoch(const struct pg *pg)
{
	return pg->epoch;
}

/* Whether the session is gone: libpq says so, or the server did, in
 * the last failure's SQLSTATE (a connection exception, or the server
 * shutting down: libpq may still take the connection for good until
 * its next read finds the socket closed). */
static int
pg_gone(const struct pg *pg)
{
	return PQstatus(pg->conn) == CONNECTION_BAD ||
	    strncmp(pg->sqlstate, "08", 2) == 0 ||
	    strncmp(pg->sqlstate, "57P0", 4) == 0;
}

int
pg_revive(struct pg *pg)
{
	if (!pg_gone(pg))
		return 0;
	PQreset(pg->conn);
	if (PQstatus(pg->conn) == CONNECTION_BAD) {
		pg_seterr(pg, PQerrorMessage(pg->conn));
		return -1;
	}
	/* Counted once made: a caller that sees the epoch move may ask
	 * again (http_db_again) on a connection that works. The failure
	 * that led here is no longer this connection's. */
	pg->epoch++;
	pg->sqlstate[0] = '\0';
	/* PQreset connects with pg_connect's keywords (client_encoding,
	 * the options among them); a SET run since is gone. */
	return pg_set_session_or_drop(pg);
}

/*
 * Pipeline mode: statements sent one after the other without waiting, the
 * results read after one sync, so a batch of statements costs one round
 * trip. On any failure the statements after it are not run (the server
 * skips them up to the sync).
 */
static int pipe_end(struct pg *, size_t *);

static int
pipe_sent(struct pg *pg, int ok, struct pg_stmt *st, int prepare)
{
	if (!ok) {
		pg->sqlstate[0] = '\0';
		pg_seterr(pg, PQerrorMessage(pg->conn));
		return -1;
	}
	if (pg->npipe == pg->pipecap) {
		pg->pipecap = pg->pipecap ? pg->pipecap * 2 : 16;
		pg->pipe = xreallocarray(pg->pipe, pg->pipecap,
		    sizeof(*pg->pipe));
	}
	pg->pipe[pg->npipe].st = st;
	pg->pipe[pg->npipe++].prepare = prepare;
	return 0;
}

int
pg_pipe_begin(struct pg *pg)
{
	struct pg_later *l;
	int i, ok = 1;

	/* Watched from here to pg_pipe_end: the sends may wait too. */
	busy_begin(pg);
	pg->npipe = 0;
	/* pg_later()'s queue goes first, in the pipeline (the hit writer
	 * leaves it empty); outside a healthy transaction it is dropped, as
	 * later_flush() does. */
	if (pg->nlater > 0 &&
	    PQtransactionStatus(pg->conn) != PQTRANS_INTRANS)
		later_drop(pg);
	if (PQenterPipelineMode(pg->conn) != 1) {
		later_drop(pg);
		pg->sqlstate[0] = '\0';
		pg_seterr(pg, PQerrorMessage(pg->conn));
		busy_end(pg);
		return -1;
	}
	for (i = 0; ok && i < pg->nlater; i++) {
		l = &pg->later[i];
		if (l->st == NULL)
			ok = pipe_sent(pg, PQsendQueryParams(pg->conn, l->sql,
			    0, NULL, NULL, NULL, NULL, 0) == 1, NULL, 0) == 0;
		else
			ok = pipe_sent(pg, PQsendQueryPrepared(pg->conn,
			    l->st->name, l->st->nparams,
			    (const char *const *)l->values, l->lengths,
			    l->formats, 0) == 1, NULL, 0) == 0;
	}
	later_drop(pg);
	if (!ok) {
		size_t failed;

		/* Not all sent: the connection is gone, as a rule. */
		(void)pipe_end(pg, &failed);
		busy_end(pg);
		return -1;
	}
	return 0;
}

int
pg_pipe_sql(struct pg *pg, const char *sql)
{
	return pipe_sent(pg, PQsendQueryParams(pg->conn, sql, 0, NULL, NULL,
	    NULL, NULL, 0) == 1, NULL, 0);
}

int
pg_pipe_stmt(struct pg_stmt *st)
{
	struct pg *pg = st->pg;

	pg_stmt_reset(st);
	if (st->epoch != pg->epoch && pipe_sent(pg, PQsendPrepare(pg->conn,
	    st->name, st->sql, st->nparams, st->types) == 1, st, 1) == -1)
		return -1;
	return pipe_sent(pg, PQsendQueryPrepared(pg->conn, st->name,
	    st->nparams, (const char *const *)st->values, st->lengths,
	    st->formats, 0) == 1, st, 0);
}

size_t
pg_pipe_count(const struct pg *pg)
{
	return pg->pipe_count;
}

int
pg_pipe_end(struct pg *pg, size_t *failed)
{
	int rc = pipe_end(pg, failed);

	busy_end(pg);		/* pg_pipe_begin's */
	return rc;
}

static int
pipe_end(struct pg *pg, size_t *failed)
{
	PGresult *res;
	struct pg_pipe_item *it;
	size_t i, n = pg->npipe, nulls;
	int lost = 0, noted = 0, atsync = 0;

	pg->npipe = 0;
	pg->pipe_count = n;
	*failed = n;
	if (PQpipelineSync(pg->conn) != 1)
		lost = 1;
	for (i = 0; !lost && i < n; i++) {
		it = &pg->pipe[i];
		if ((res = PQgetResult(pg->conn)) == NULL ||
		    PQstatus(pg->conn) == CONNECTION_BAD) {
			/* Whether the rest ran is not known. */
			if (!noted && res != NULL) {
				(void)pg_check(pg, res);
				noted = 1;
			}
			PQclear(res);
			lost = 1;
			break;
		}
		if (PQresultStatus(res) == PGRES_PIPELINE_ABORTED)
			;
		else if (!noted && pg_check(pg, res) != PG_OK) {
			*failed = i;
			noted = 1;
		} else if (it->prepare)
			it->st->epoch = pg->epoch;
		else if (it->st != NULL) {
			it->st->res = res;
			it->st->row = -1;
			it->st->changes = strtoll(PQcmdTuples(res), NULL, 10);
			res = NULL;
		}
		PQclear(res);
		/* The NULL after each statement's result. */
		if ((res = PQgetResult(pg->conn)) != NULL) {
			PQclear(res);	/* not expected */
			lost = 1;
		}
	}
	/* The sync's own result; an error first when the statements' own
	 * transaction (no BEGIN sent) fails to commit at the sync. */
	for (i = 0, nulls = 0; !lost; i++) {
		res = PQgetResult(pg->conn);
		if (res != NULL && PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (i == 4 || PQstatus(pg->conn) == CONNECTION_BAD ||
		    (res == NULL && ++nulls == 2))
			lost = 1;
		else if (res != NULL) {
			if (!noted)
				(void)pg_check(pg, res);
			noted = 1;
			*failed = n;
			atsync = 1;
		}
		PQclear(res);
	}
	if (lost || PQexitPipelineMode(pg->conn) != 1) {
		/* Made again by pg_revive, which leaves pipeline mode. */
		if (!noted) {
			pg->sqlstate[0] = '\0';
			pg_seterr(pg, PQerrorMessage(pg->conn));
		}
		return -1;
	}
	return *failed == n && !atsync ? 0 : -1;
}
