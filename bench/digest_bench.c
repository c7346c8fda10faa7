/*
 * digest_bench: composes and renders the digests of N employees over P
 * candidate posts into a sink that discards them, the way `chorus digest
 * run` does: ledger rows, selection, suggestions and personal links
 * planned in batched transactions, then each message rendered (templates
 * and MIME) from the plan kept in memory, as the send loop does. Prints
 * digests per second and the peak RSS.
 *
 * READBACK=1 renders each from the database instead (compose_render(), the
 * path of a row planned by an earlier run); VERIFY=1 renders both ways and
 * stops at the first message that differs.
 *
 * usage: digest_bench DB EMPLOYEES POSTS TEMPLATE_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/log.h"
#include "common/network.h"
#include "db/db.h"
#include "db/digest.h"
#include "db/employees.h"
#include "db/posts.h"
#include "digest/compose.h"

#define BATCH	1000	/* digests planned per transaction; BATCH=n */
#define BATCH_MAX	20000

extern char **environ;

static const char *const roles[] = { "engineering", "sales", "marketing",
    "people", "leadership" };

/* CPU seconds of this process: the machine may be shared, and the goal
 * is per core. */
static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
load(struct db *db, long nemp, long nposts, time_t now)
{
	struct employee_in e;
	struct post_in p;
	enum db_upsert res;
	char email[64], name[64], id[32], title[128], text[160];
	long i;

	if (db_begin(db) == -1 || db_employees_import_begin(db) == -1)
		exit(1);
	for (i = 0; i < nemp; i++) {
		memset(&e, 0, sizeof(e));
		snprintf(email, sizeof(email), "employee%ld@example.com", i);
		snprintf(name, sizeof(name), "Émilie Employee %ld", i);
		e.email = email;
		e.name = name;
		e.networks = i % 4 == 0 ? NET_BIT(NET_LINKEDIN) : NET_ALL;
		e.frequency = "daily";
		e.roles[e.nroles++] = roles[i % 5];
		if (i % 3 == 0)
			e.roles[e.nroles++] = roles[(i + 2) % 5];
		if (db_employees_upsert(db, &e, now, &res, NULL) == -1)
			exit(1);
	}
	for (i = 0; i < nposts; i++) {
		memset(&p, 0, sizeof(p));
		snprintf(id, sizeof(id), "post-%ld", i);
		snprintf(title, sizeof(title), "Post %ld: what we shipped ☕ "
		    "this week", i);
		snprintf(text, sizeof(text), "Proud of the team for post %ld. "
		    "Have a look!", i);
		p.id = id;
		p.title = title;
		p.url = "https://example.com/blog/a-post?ref=chorus";
		p.summary = "A sentence or two about the post, shown under "
		    "its title in the digest.";
		p.text = text;
		p.text_net[NET_X] = "Short and sweet for X 🎉";
		p.priority = i % 7;
		if (i % 5 == 0)
			p.everyone = 1;
		else
			p.roles[p.nroles++] = roles[i % 5];
		/* Imported a month ago: past the spreading window. */
		if (db_posts_upsert(db, &p, now - 30 * 86400, &res) == -1)
			exit(1);
	}
	if (db_commit(db) == -1)
		exit(1);
}

/* An environment variable's number, or def when it is unset. */
static long
env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v != NULL ? strtol(v, NULL, 10) : def;
}

int
main(int argc, char **argv)
{
	struct config *cfg;
	struct compose *c;
	struct db *db;
	struct buf msg;
	struct rusage ru;
	static int64_t ledger[BATCH_MAX];
	static struct compose_plan *plans[BATCH_MAX];
	struct buf check;
	int readback = env_long("READBACK", 0) == 1;
	int verify = env_long("VERIFY", 0) == 1;
	int64_t first = 1;
	long batch = env_long("BATCH", BATCH);
	char rcpt[256];
	const char *date = "2026-11-23";
	double t0, w0, tplan = 0, trender = 0, t;
	long nemp, nposts, i, j, n, sent = 0, skipped = 0;
	unsigned long long bytes = 0;
	time_t now = 1795420800;

	if (argc != 5) {
		fprintf(stderr, "usage: digest_bench DB EMPLOYEES POSTS "
		    "TEMPLATE_DIR\n");
		return 64;
	}
	log_init("chorus", LOG_LEVEL_WARN);
	nemp = strtol(argv[2], NULL, 10);
	nposts = strtol(argv[3], NULL, 10);
	remove(argv[1]);
	if ((db = db_open(argv[1], DB_CREATE)) == NULL ||
	    db_migrate(db, NULL, NULL) == -1)
		return 1;
	load(db, nemp, nposts, now);

	cfg = config_new();
	if (config_load_env(cfg, environ) == -1 ||
	    config_set(cfg, "chorus.templates", argv[4], "bench") == -1 ||
	    config_set(cfg, "chorus.base_url", "https://go.example.com",
	    "bench") == -1 ||
	    (c = compose_new(cfg)) == NULL)
		return 1;
	compose_keep_plans(c, !readback);
	buf_init(&msg, 0);
	buf_init(&check, 0);
	t0 = seconds();
	w0 = wall();
	if (batch < 1 || batch > BATCH_MAX)
		batch = BATCH;
	for (i = 0; i < nemp; i += batch) {
		n = nemp - i < batch ? nemp - i : batch;
		t = seconds();
		if (db_begin(db) == -1)
			return 1;
		for (j = 0; j < n; j++) {
			int k;

			if (db_digest_ledger_add(db, first + i + j, date, now,
			    &ledger[j]) == -1)
				return 1;
			if ((k = compose_plan(c, db, first + i + j, ledger[j],
			    date, now)) == -1)
				return 1;
			if (k == 0)
				ledger[j] = 0;
			plans[j] = k > 0 ? compose_plan_take(c) : NULL;
		}
		if (db_commit(db) == -1)
			return 1;
		tplan += seconds() - t;
		t = seconds();
		for (j = 0; j < n; j++) {
			if (ledger[j] == 0) {
				skipped++;
				continue;
			}
			buf_reset(&msg);
			if ((plans[j] != NULL ? compose_render_plan(c, db,
			    plans[j], now, &msg, rcpt, sizeof(rcpt)) :
			    compose_render(c, db, ledger[j], now, &msg, rcpt,
			    sizeof(rcpt))) == -1)
				return 1;
			compose_plan_free(plans[j]);
			plans[j] = NULL;
			if (verify) {
				buf_reset(&check);
				if (compose_render(c, db, ledger[j], now,
				    &check, rcpt, sizeof(rcpt)) == -1)
					return 1;
				if (check.len != msg.len || memcmp(check.data,
				    msg.data, msg.len) != 0) {
					fprintf(stderr, "digest_bench: ledger "
					    "row %lld: the message from memory "
					    "differs from the one read back\n",
					    (long long)ledger[j]);
					return 1;
				}
			}
			bytes += msg.len;	/* the sink */
			sent++;
		}
		trender += seconds() - t;
	}
	t = seconds() - t0;
	w0 = wall() - w0;
	getrusage(RUSAGE_SELF, &ru);
	printf("employees %ld posts %ld: %ld digests (%ld skipped), "
	    "%.1f KB each: %.2f CPU s = %.0f digests/s (plan %.2f s, render "
	    "%.2f s); wall %.2f s = %.0f/s; peak RSS %ld MB\n", nemp, nposts,
	    sent, skipped, sent ? (double)bytes / (double)sent / 1024 : 0.0,
	    t, (double)(sent + skipped) / t, tplan, trender, w0,
	    (double)(sent + skipped) / w0, ru.ru_maxrss / 1024);
	buf_release(&msg);
	buf_release(&check);
	compose_free(c);
	config_free(cfg);
	db_close(db);
	return 0;
}
