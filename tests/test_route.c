/* Tests of the route table without any HTTP: every route's answer for a
 * request, against a real SQLite file holding tests/data/redirector. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/config.h"
#include "db/db.h"
#include "db/db_int.h"
#include "redirector/judge.h"
#include "redirector/metrics.h"
#include "redirector/route.h"

#define PREF	"22222222-2222-4222-8222-222222222222"
#define UNSUB	"11111111-1111-4111-8111-111111111111"
#define CHROME	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 " \
		"(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"

static char path[64];
static struct db *db;
static struct route *rt;
static struct metrics *m;
static struct config *cfg;
static struct route_ans ans;
static struct sockaddr_in peer;
static uint64_t gen = 1;

static void
remove_db(void)
{
	char p[80];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static int
setup(void **state)
{
	const char *src = getenv("CHORUS_SRC");
	char cmd[512], dir[256];

	(void)state;
	if (src == NULL)
		src = ".";
	snprintf(path, sizeof(path), "/tmp/test_route.%ld.db", (long)getpid());
	remove_db();
	db = db_open(path, DB_CREATE);
	assert_true(db != NULL);
	assert_int_equal(db_migrate(db, NULL, NULL), 0);
	db_close(db);
	snprintf(cmd, sizeof(cmd), "sqlite3 %s < %s/tests/data/redirector/"
	    "fixture.sql", path, src);
	assert_int_equal(system(cmd), 0);
	db = db_open(path, 0);
	assert_true(db != NULL);

	cfg = config_new();
	snprintf(dir, sizeof(dir), "%s/templates", src);
	assert_int_equal(config_set(cfg, "chorus.templates", dir, "test"), 0);
	assert_int_equal(config_set(cfg, "chorus.database", path, "test"), 0);
	assert_int_equal(config_set(cfg, "chorus.base_url",
	    "https://go.example.com", "test"), 0);
	m = metrics_new();
	rt = route_new(cfg, m);
	assert_true(rt != NULL);
	route_ans_init(&ans);
	peer.sin_family = AF_INET;
	peer.sin_addr.s_addr = htonl(0xc0000201);	/* 192.0.2.1 */
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	route_ans_release(&ans);
	route_free(rt);
	metrics_free(m);
	config_free(cfg);
	db_close(db);
	remove_db();
	return 0;
}

static void
ask(enum route_method method, const char *p, const char *ua,
    const char *body)
{
	struct route_req q;

	memset(&q, 0, sizeof(q));
	q.method = method;
	q.path = p;
	q.user_agent = ua;
	q.peer = (const struct sockaddr *)&peer;
	q.body = body != NULL ? body : "";
	q.body_len = strlen(q.body);
	q.now = 1800000000;
	q.generation = gen;
	route_handle(rt, db, &q, &ans);
}

/* The one integer the query sql prints, through the sqlite3 shell. */
static long
query(const char *sql)
{
	char cmd[512], out[64] = "";
	FILE *fp;

	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"%s\"", path, sql);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	if (fgets(out, sizeof(out), fp) == NULL)
		out[0] = '\0';
	assert_int_equal(pclose(fp), 0);
	return strtol(out, NULL, 10);
}

static void
test_click(void **state)
{
	(void)state;
	ask(ROUTE_GET, "/Lk1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.action, ROUTE_RECORD);
	assert_int_equal(ans.status, 302);
	assert_true(ans.no_store);
	assert_string_equal(ans.location, "https://example.com/blog/launch?"
	    "utm_source=linkedin&utm_medium=employee_advocacy&"
	    "utm_campaign=launch-2026");
	assert_int_equal(ans.hit.link_id, 1);
	assert_int_equal(ans.hit.kind, HIT_CLICK);
	assert_int_equal(ans.hit.class, HIT_HUMAN);
	assert_true(ans.hit.has_visitor);
	assert_int_equal(ans.hit.repeat, 0);
	assert_int_equal(ans.mroute, MR_CODE);

	ask(ROUTE_GET, "/Lk1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.hit.repeat, 1);

	ask(ROUTE_HEAD, "/Lk1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.status, 302);
	assert_int_equal(ans.hit.class, HIT_HEAD);

	ask(ROUTE_GET, "/Lk1aaaaaaa", "LinkedInBot/1.0 (compatible; "
	    "Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)", NULL);
	assert_int_equal(ans.hit.class, HIT_PREVIEW);
	ask(ROUTE_GET, "/Lk1aaaaaaa", NULL, NULL);
	assert_int_equal(ans.hit.class, HIT_BOT);

	/* A code of 12 characters, as links are made now. */
	ask(ROUTE_GET, "/Lk8aaaaaaaaa", CHROME, NULL);
	assert_int_equal(ans.status, 302);
	assert_int_equal(ans.hit.link_id, 8);
	assert_int_equal(ans.hit.kind, HIT_CLICK);
}

/* A base URL with a path: the mail's links carry it, so they are served
 * with it, and without it from a proxy that strips it. */
static void
test_base_path(void **state)
{
	struct route *plain = rt;

	(void)state;
	assert_int_equal(config_set(cfg, "chorus.base_url",
	    "https://go.example.com/l/", "test"), 0);
	rt = route_new(cfg, m);
	assert_non_null(rt);
	ask(ROUTE_GET, "/l/Lk1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.status, 302);
	ask(ROUTE_GET, "/Lk1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.status, 302);
	ask(ROUTE_GET, "/l/s/Lk1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.status, 302);
	ask(ROUTE_GET, "/l/healthz", CHROME, NULL);
	assert_int_equal(ans.status, 200);
	ask(ROUTE_GET, "/lLk1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.status, 404);
	ask(ROUTE_GET, "/l", CHROME, NULL);
	assert_int_equal(ans.status, 404);
	ask(ROUTE_GET, "/m/Lk1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.status, 404);
	ask(ROUTE_GET, "/l/l/Lk1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.status, 404);
	route_free(rt);
	rt = plain;
	assert_int_equal(config_set(cfg, "chorus.base_url",
	    "https://go.example.com", "test"), 0);
	/* Without a path, a path is no prefix. */
	ask(ROUTE_GET, "/l/Lk1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.status, 404);
}

static void
test_cache(void **state)
{
	char cmd[256];

	(void)state;
	ask(ROUTE_GET, "/Xx3ccccccc", CHROME, NULL);
	assert_int_equal(ans.status, 302);
	assert_true(ans.hit.gen == 1);
	assert_string_equal(ans.location, "https://example.com/p?utm_source=x&"
	    "utm_medium=employee_advocacy&utm_campaign=plain#frag");
	/* The post moves; the writer has not seen it yet, so the cached
	 * answer comes back with its old generation... */
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"UPDATE posts SET url = "
	    "'https://example.com/moved' WHERE id = 3\"", path);
	assert_int_equal(system(cmd), 0);
	ask(ROUTE_GET, "/Xx3ccccccc", CHROME, NULL);
	assert_true(ans.hit.gen == 1);
	assert_true(strstr(ans.location, "/p?") != NULL);
	/* ...which the writer reports stale, and the refresh reads anew. */
	route_refresh(rt, db, &ans);
	assert_int_equal(ans.status, 302);
	assert_int_equal(ans.action, ROUTE_SEND);
	assert_string_equal(ans.location, "https://example.com/moved?"
	    "utm_source=x&utm_medium=employee_advocacy&utm_campaign=plain");
	/* Once the writer knows the new generation the cache misses. */
	gen = 2;
	ask(ROUTE_GET, "/Xx3ccccccc", CHROME, NULL);
	assert_true(ans.hit.gen == 2);
	assert_true(strstr(ans.location, "/moved?") != NULL);
}

static void
test_share(void **state)
{
	(void)state;
	ask(ROUTE_GET, "/s/Xx1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.action, ROUTE_RECORD);
	assert_int_equal(ans.status, 302);
	assert_int_equal(ans.hit.kind, HIT_SHARE);
	assert_string_equal(ans.location, "https://x.com/intent/tweet?"
	    "text=Launch%20day&url=https%3A%2F%2Fgo.example.com%2FXx1aaaaaaa");
	assert_int_equal(ans.body.len, 0);
}

static void
test_not_found(void **state)
{
	static const char *const paths[] = {
		"/", "//evil.com", "/https://evil.com", "/%2F%2Fevil.com",
		"/Zz9zzzzzzz", "/Lk1aaaaaa", "/Lk1aaaaaaaa", "/Lk1aaaaaaa/",
		"/s/", "/s/Zz9zzzzzzz", "/u/" PREF "x", "/p/nope", "/u/",
		"/healthz/", "/metricsx", "/Lk1aaaaa-a", "/Lk1aaaaaa\xc3\xa9",
		"/Lk8aaaaaaaaaa", "/Lk8aaaaaaaa-", "/s/Lk8aaaaaaaaaa",
		"/n/", "/n/Zz9zzzzzzz", "/n/Lk1aaaaaaa/", "/n/Lk1aaaaaa",
		"/n/" PREF,
	};
	char longp[ROUTE_PATH_MAX + 8];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		ask(ROUTE_GET, paths[i], CHROME, NULL);
		assert_int_equal(ans.status, 404);
		assert_int_equal(ans.action, ROUTE_SEND);
		assert_string_equal(ans.location, "");
	}
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	ask(ROUTE_GET, longp, CHROME, NULL);
	assert_int_equal(ans.status, 404);
	/* A token of the right shape that nobody holds. */
	ask(ROUTE_GET, "/p/99999999-9999-4999-8999-999999999999", CHROME,
	    NULL);
	assert_int_equal(ans.status, 404);
}

/* HEAD answers every route that answers GET, the same way, and changes
 * nothing: recorded as `head` on a link, a page without unsubscribing. */
static void
test_head(void **state)
{
	static const char *const get_only[] = {
		"/healthz", "/metrics", "/u/" UNSUB, "/p/" PREF,
		"/n/Lk1aaaaaaa",
	};
	size_t i;

	(void)state;
	ask(ROUTE_HEAD, "/s/Lk1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.action, ROUTE_RECORD);
	assert_int_equal(ans.status, 302);
	assert_int_equal(ans.hit.kind, HIT_SHARE);
	assert_int_equal(ans.hit.class, HIT_HEAD);
	ask(ROUTE_HEAD, "/Lk1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.status, 302);
	assert_int_equal(ans.hit.kind, HIT_CLICK);
	assert_int_equal(ans.hit.class, HIT_HEAD);
	for (i = 0; i < sizeof(get_only) / sizeof(get_only[0]); i++) {
		ask(ROUTE_HEAD, get_only[i], CHROME, NULL);
		assert_int_equal(ans.status, 200);
	}
	/* The footer's pages are seen by the judge, and the HEAD of the
	 * unsubscribe page did not unsubscribe. */
	ask(ROUTE_HEAD, "/u/" UNSUB, CHROME, NULL);
	assert_true(ans.observe);
	assert_int_equal(ans.hit.link_id, JUDGE_URL_UNSUB);
	assert_int_equal(ans.hit.class, HIT_HEAD);
	ask(ROUTE_GET, "/p/" PREF, CHROME, NULL);
	assert_true(ans.observe);
	assert_int_equal(ans.hit.link_id, JUDGE_URL_PREF);
	assert_true(ans.hit.employee_id > 0);
	assert_null(strstr(buf_cstr(&ans.body), "unsubscribed"));
}

static void
test_methods(void **state)
{
	static const struct {
		enum route_method	 method;
		const char		*path;
		const char		*allow;
	} cases[] = {
		{ ROUTE_POST, "/Lk1aaaaaaa", "GET, HEAD" },
		{ ROUTE_OTHER, "/Lk1aaaaaaa", "GET, HEAD" },
		{ ROUTE_POST, "/s/Lk1aaaaaaa", "GET, HEAD" },
		{ ROUTE_POST, "/healthz", "GET, HEAD" },
		{ ROUTE_POST, "/metrics", "GET, HEAD" },
		{ ROUTE_OTHER, "/u/" UNSUB, "GET, HEAD, POST" },
		{ ROUTE_OTHER, "/p/" PREF, "GET, HEAD, POST" },
		{ ROUTE_OTHER, "/n/Lk1aaaaaaa", "GET, HEAD, POST" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ask(cases[i].method, cases[i].path, CHROME, "");
		assert_int_equal(ans.status, 405);
		assert_string_equal(ans.allow, cases[i].allow);
		assert_string_equal(ans.location, "");
	}
}

static void
test_pages(void **state)
{
	(void)state;
	ask(ROUTE_GET, "/u/" UNSUB, CHROME, NULL);
	assert_int_equal(ans.status, 200);
	assert_true(ans.page);
	assert_true(strstr(ans.body.data, "<form method=\"post\">") != NULL);
	assert_int_equal(query("SELECT count(*) FROM preference_events"), 0);
	ask(ROUTE_POST, "/u/" UNSUB, CHROME, "List-Unsubscribe=One-Click");
	assert_int_equal(ans.status, 200);
	ask(ROUTE_GET, "/u/" UNSUB, CHROME, NULL);
	assert_true(strstr(ans.body.data, "already unsubscribed") != NULL);
	/* One event for the change, none for the second POST. */
	ask(ROUTE_POST, "/u/" UNSUB, CHROME, "List-Unsubscribe=One-Click");
	assert_int_equal(ans.status, 200);
	assert_int_equal(query("SELECT count(*) FROM preference_events "
	    "WHERE employee_id = 1 AND kind = 'unsubscribed' "
	    "AND at = 1800000000"), 1);
	assert_int_equal(query("SELECT count(*) FROM preference_events"), 1);

	ask(ROUTE_GET, "/p/" PREF, CHROME, NULL);
	assert_int_equal(ans.status, 200);
	assert_true(strstr(ans.body.data, "id=\"frequency-daily\" checked") !=
	    NULL);
	ask(ROUTE_POST, "/p/" PREF, CHROME,
	    "frequency=weekly&network=linkedin&network=%78");
	assert_int_equal(ans.status, 200);
	assert_true(strstr(ans.body.data, "id=\"saved\"") != NULL);
	assert_true(strstr(ans.body.data, "id=\"frequency-weekly\" checked") !=
	    NULL);
	assert_true(strstr(ans.body.data, "id=\"network-x\" checked") != NULL);
	assert_true(strstr(ans.body.data, "id=\"network-facebook\" checked") ==
	    NULL);
	/* Saving the preferences subscribed again. */
	assert_true(strstr(ans.body.data, "You are unsubscribed") == NULL);
	assert_int_equal(query("SELECT count(*) FROM preference_events "
	    "WHERE kind = 'resubscribed'"), 1);
	assert_int_equal(query("SELECT count(*) FROM preference_events "
	    "WHERE kind = 'weekly'"), 1);
	/* The same choices again, or only the networks changed: no event. */
	ask(ROUTE_POST, "/p/" PREF, CHROME, "frequency=weekly&network=x");
	assert_int_equal(ans.status, 200);
	assert_int_equal(query("SELECT count(*) FROM preference_events"), 3);
	ask(ROUTE_POST, "/p/" PREF, CHROME, "frequency=paused&network=x");
	assert_int_equal(query("SELECT count(*) FROM preference_events "
	    "WHERE kind = 'paused'"), 1);
	ask(ROUTE_POST, "/p/" PREF, CHROME,
	    "frequency=weekly&network=linkedin&network=x");
	assert_int_equal(query("SELECT count(*) FROM preference_events"), 5);

	ask(ROUTE_POST, "/p/" PREF, CHROME, "frequency=weekly");
	assert_int_equal(ans.status, 400);
	ask(ROUTE_POST, "/p/" PREF, CHROME, "frequency=sometimes&network=x");
	assert_int_equal(ans.status, 400);
	ask(ROUTE_POST, "/p/" PREF, CHROME, "frequency=daily&network=x%");
	assert_int_equal(ans.status, 400);
	ask(ROUTE_POST, "/p/" PREF, CHROME, "frequency=daily&network=x%0");
	assert_int_equal(ans.status, 400);
	ask(ROUTE_POST, "/p/" PREF, CHROME, "frequency=dai%00ly&network=x");
	assert_int_equal(ans.status, 400);
	/* A refused form records nothing. */
	assert_int_equal(query("SELECT count(*) FROM preference_events"), 5);
	ask(ROUTE_GET, "/p/" PREF, CHROME, NULL);
	assert_true(strstr(ans.body.data, "id=\"frequency-weekly\" checked") !=
	    NULL);
}

/* The first column of the first row of sql, as text. */
static const char *
query1(const char *sql)
{
	static char out[256];
	sqlite3_stmt *st;

	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, sizeof(out), "%s", db_col_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

/* The form parsers alone: every field, and what each refuses. */
static void
test_parse_forms(void **state)
{
	static const char good[] = "frequency=weekdays&network=x&"
	    "send_time=9%3A05&timezone=Europe%2FBerlin&topics=1&"
	    "topic=sales&topic=sales&topic=human+resources";
	static const struct {
		const char	*body;
		const char	*why;	/* how the reason starts */
	} bad[] = {
		{ "frequency=sometimes&network=x", "Frequency:" },
		{ "network=x", "Frequency:" },
		{ "frequency=daily", "Networks:" },
		{ "frequency=daily&network=myspace", "Networks:" },
		{ "frequency=daily&network=x&send_time=24%3A00", "Send time:" },
		{ "frequency=daily&network=x&send_time=", "Send time:" },
		{ "frequency=daily&network=x&send_time=7pm", "Send time:" },
		{ "frequency=daily&network=x&timezone=", "Time zone:" },
		{ "frequency=daily&network=x&topics=1&topic=", "Topics:" },
		{ "frequency=daily&network=x&timezone=%zz", "The form" },
	};
	struct route_prefs f;
	const char *why;
	size_t i;

	(void)state;
	assert_int_equal(route_parse_prefs(good, strlen(good), &f, &why), 0);
	assert_string_equal(f.frequency, "weekdays");
	assert_int_equal(f.networks, 2);	/* NET_BIT(NET_X) */
	assert_string_equal(f.send_time, "09:05");
	assert_string_equal(f.timezone, "Europe/Berlin");
	assert_true(f.has_topics);
	assert_int_equal(f.ntopics, 2);
	assert_string_equal(f.topics[0], "sales");
	assert_string_equal(f.topics[1], "human resources");
	/* Without the fields, nothing about them: they are kept. */
	assert_int_equal(route_parse_prefs("frequency=daily&network=x", 25,
	    &f, &why), 0);
	assert_false(f.has_topics);
	assert_string_equal(f.send_time, "");
	assert_string_equal(f.timezone, "");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_int_equal(route_parse_prefs(bad[i].body,
		    strlen(bad[i].body), &f, &why), -1);
		assert_non_null(why);
		assert_memory_equal(why, bad[i].why, strlen(bad[i].why));
	}

	assert_int_equal(route_parse_unsub("List-Unsubscribe=One-Click", 26),
	    ROUTE_UNSUB_CONFIRM);
	assert_int_equal(route_parse_unsub("", 0), ROUTE_UNSUB_CONFIRM);
	assert_int_equal(route_parse_unsub("action=weekly", 13),
	    ROUTE_UNSUB_WEEKLY);
	assert_int_equal(route_parse_unsub("action=resubscribe", 18),
	    ROUTE_UNSUB_RESUBSCRIBE);
	assert_int_equal(route_parse_unsub("action=resubscribe&"
	    "List-Unsubscribe=One-Click", 45), ROUTE_UNSUB_CONFIRM);
	assert_int_equal(route_parse_unsub("action=dance", 12),
	    ROUTE_UNSUB_CONFIRM);
	assert_int_equal(route_parse_unsub("action=%zz", 10),
	    ROUTE_UNSUB_CONFIRM);
}

/* The preferences page's topics, send time and zone: what it shows, what
 * a save stores (and marks as the employee's own), and what it refuses
 * without writing. */
static void
test_choices(void **state)
{
	(void)state;
	assert_int_equal(db_exec(db,
	    "UPDATE employees SET frequency = 'daily', networks = 7, "
	    "timezone = NULL, send_time = NULL, own_fields = 0, "
	    "unsubscribed_at = NULL WHERE id = 1;"
	    "INSERT INTO employee_roles (employee_id, role) VALUES "
	    "(1, 'engineering'), (1, 'hr');"
	    "INSERT INTO post_roles (post_id, role) VALUES (1, 'sales'), "
	    "(2, 'marketing'), (3, 'hr');"
	    "UPDATE posts SET expires = '2020-01-01' WHERE id = 2"), 0);

	ask(ROUTE_GET, "/p/" PREF, CHROME, NULL);
	assert_int_equal(ans.status, 200);
	assert_non_null(strstr(ans.body.data, "value=\"engineering\" checked> "
	    "engineering <span class=\"hint\">(your role)"));
	assert_non_null(strstr(ans.body.data, "value=\"hr\" checked>"));
	assert_non_null(strstr(ans.body.data, "value=\"sales\"> sales"));
	assert_null(strstr(ans.body.data, "marketing"));	/* expired */
	assert_non_null(strstr(ans.body.data, "value=\"08:00\""));
	assert_non_null(strstr(ans.body.data, "value=\"UTC\""));

	/* Refused whole: a zone that does not exist, a topic not offered. */
	ask(ROUTE_POST, "/p/" PREF, CHROME, "frequency=weekdays&"
	    "network=linkedin&timezone=Mars%2FOlympus");
	assert_int_equal(ans.status, 400);
	assert_non_null(strstr(ans.body.data, "Time zone: not one we know"));
	ask(ROUTE_POST, "/p/" PREF, CHROME, "frequency=weekdays&"
	    "network=linkedin&topics=1&topic=marketing");
	assert_int_equal(ans.status, 400);
	assert_non_null(strstr(ans.body.data, "Topics:"));
	assert_string_equal(query1("SELECT frequency || own_fields || "
	    "(SELECT count(*) FROM employee_topics) FROM employees "
	    "WHERE id = 1"), "daily00");

	/* Send time and frequency change, the zone is the default's (no
	 * change), networks too; hr muted, sales followed. */
	ask(ROUTE_POST, "/p/" PREF, CHROME, "frequency=weekdays&"
	    "network=linkedin&network=x&network=facebook&send_time=06%3A45&"
	    "timezone=UTC&topics=1&topic=engineering&topic=sales");
	assert_int_equal(ans.status, 200);
	assert_non_null(strstr(ans.body.data, "id=\"saved\""));
	assert_non_null(strstr(ans.body.data, "value=\"06:45\""));
	assert_non_null(strstr(ans.body.data, "value=\"hr\"> hr"));
	assert_non_null(strstr(ans.body.data, "value=\"sales\" checked>"));
	assert_string_equal(query1("SELECT frequency || '|' || networks || "
	    "'|' || coalesce(timezone, '-') || '|' || send_time || '|' || "
	    "own_fields FROM employees WHERE id = 1"),
	    "weekdays|7|-|06:45|9");
	assert_string_equal(query1("SELECT group_concat(role || ':' || choice)"
	    " FROM (SELECT * FROM employee_topics WHERE employee_id = 1 "
	    "ORDER BY role)"), "hr:mute,sales:follow");

	/* Then the zone; a form without topics keeps them. */
	ask(ROUTE_POST, "/p/" PREF, CHROME, "frequency=weekdays&"
	    "network=linkedin&network=x&network=facebook&send_time=06%3A45&"
	    "timezone=Asia%2FTokyo");
	assert_int_equal(ans.status, 200);
	assert_string_equal(query1("SELECT timezone || '|' || own_fields || "
	    "'|' || (SELECT count(*) FROM employee_topics) FROM employees "
	    "WHERE id = 1"), "Asia/Tokyo|13|2");
	/* Following nothing and muting nothing empties them. */
	ask(ROUTE_POST, "/p/" PREF, CHROME, "frequency=weekdays&"
	    "network=linkedin&topics=1&topic=engineering&topic=hr");
	assert_int_equal(ans.status, 200);
	assert_string_equal(query1("SELECT count(*) FROM employee_topics"),
	    "0");
	assert_string_equal(query1("SELECT own_fields FROM employees "
	    "WHERE id = 1"), "15");
}

/* The unsubscribe page's other ways: weekly instead, and back again. */
static void
test_unsub_choices(void **state)
{
	(void)state;
	assert_int_equal(db_exec(db, "UPDATE employees SET frequency = "
	    "'daily', own_fields = 0, unsubscribed_at = NULL WHERE id = 1"),
	    0);
	ask(ROUTE_GET, "/u/" UNSUB, CHROME, NULL);
	assert_non_null(strstr(ans.body.data, "id=\"weekly\""));
	assert_non_null(strstr(ans.body.data, "https://go.example.com/p/"
	    PREF));
	ask(ROUTE_POST, "/u/" UNSUB, CHROME, "action=weekly");
	assert_int_equal(ans.status, 200);
	assert_non_null(strstr(ans.body.data, "id=\"done-weekly\""));
	assert_string_equal(query1("SELECT frequency || own_fields || "
	    "(unsubscribed_at IS NULL) FROM employees WHERE id = 1"),
	    "weekly11");
	/* Weekly already: no such offer. */
	ask(ROUTE_GET, "/u/" UNSUB, CHROME, NULL);
	assert_null(strstr(ans.body.data, "id=\"weekly\""));

	ask(ROUTE_POST, "/u/" UNSUB, CHROME, "List-Unsubscribe=One-Click");
	assert_non_null(strstr(ans.body.data, "id=\"resubscribe\""));
	assert_string_equal(query1("SELECT unsubscribed_at FROM employees "
	    "WHERE id = 1"), "1800000000");
	ask(ROUTE_GET, "/u/" UNSUB, CHROME, NULL);
	assert_non_null(strstr(ans.body.data, "id=\"resubscribe\""));
	/* The way back, twice: the same answer, the same row. */
	ask(ROUTE_POST, "/u/" UNSUB, CHROME, "action=resubscribe");
	assert_int_equal(ans.status, 200);
	assert_non_null(strstr(ans.body.data, "id=\"done-resubscribed\""));
	assert_string_equal(query1("SELECT frequency || (unsubscribed_at IS "
	    "NULL) FROM employees WHERE id = 1"), "weekly1");
	ask(ROUTE_POST, "/u/" UNSUB, CHROME, "action=resubscribe");
	assert_int_equal(ans.status, 200);
	assert_string_equal(query1("SELECT frequency || (unsubscribed_at IS "
	    "NULL) FROM employees WHERE id = 1"), "weekly1");
}

static void
test_notforme(void **state)
{
	(void)state;
	ask(ROUTE_GET, "/n/Lk1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.status, 200);
	assert_true(ans.page);
	assert_true(ans.no_store);
	assert_int_equal(ans.mroute, MR_NOTFORME);
	assert_non_null(strstr(ans.body.data, "<strong>Launch</strong>"));
	assert_non_null(strstr(ans.body.data, "<form method=\"post\">"));
	assert_non_null(strstr(ans.body.data, "value=\"not_relevant\""));
	assert_non_null(strstr(ans.body.data, "value=\"not_my_network\""));
	assert_non_null(strstr(ans.body.data, "value=\"would_not_share\""));
	ask(ROUTE_HEAD, "/n/Lk1aaaaaaa", CHROME, NULL);
	assert_int_equal(ans.status, 200);
	/* A GET or HEAD changes nothing. */
	assert_int_equal(query("SELECT count(*) FROM declines"), 0);

	/* A reason the page does not offer, or a broken form: 400, and
	 * nothing recorded. */
	ask(ROUTE_POST, "/n/Lk1aaaaaaa", CHROME, "reason=boring");
	assert_int_equal(ans.status, 400);
	assert_non_null(strstr(ans.body.data, "id=\"error\""));
	ask(ROUTE_POST, "/n/Lk1aaaaaaa", CHROME, "reason=not%");
	assert_int_equal(ans.status, 400);
	assert_int_equal(query("SELECT count(*) FROM declines"), 0);

	ask(ROUTE_POST, "/n/Lk1aaaaaaa", CHROME, "reason=not_relevant");
	assert_int_equal(ans.status, 200);
	assert_non_null(strstr(ans.body.data, "id=\"done\""));
	assert_null(strstr(ans.body.data, "<form"));
	assert_int_equal(query("SELECT count(*) FROM declines WHERE "
	    "employee_id = 1 AND post_id = 1 AND reason = 'not_relevant' "
	    "AND at = 1800000000"), 1);
	/* Again, by another network's link to the same post, with another
	 * reason: the same page, and the first answer stands. */
	ask(ROUTE_POST, "/n/Xx1aaaaaaa", CHROME, "reason=would_not_share");
	assert_int_equal(ans.status, 200);
	assert_non_null(strstr(ans.body.data, "id=\"done\""));
	assert_int_equal(query("SELECT count(*) FROM declines"), 1);
	assert_int_equal(query("SELECT count(*) FROM declines WHERE "
	    "reason = 'not_relevant'"), 1);
	ask(ROUTE_GET, "/n/Fb1aaaaaaa", CHROME, NULL);
	assert_non_null(strstr(ans.body.data, "id=\"done\""));

	/* No reason is a reason too; other fields are ignored. */
	ask(ROUTE_POST, "/n/Lk2bbbbbbb", CHROME, "reason=&x=1");
	assert_int_equal(ans.status, 200);
	assert_int_equal(query("SELECT count(*) FROM declines WHERE "
	    "post_id = 2 AND reason IS NULL"), 1);
	/* Another employee's link is their own choice. */
	assert_int_equal(query("SELECT count(*) FROM declines WHERE "
	    "employee_id = 2"), 0);
}

static void
test_parse_decline(void **state)
{
	const char *reason, *why;

	(void)state;
	assert_int_equal(route_parse_decline("", 0, &reason, &why), 0);
	assert_null(reason);
	assert_int_equal(route_parse_decline("reason=not_my_network", 21,
	    &reason, &why), 0);
	assert_string_equal(reason, "not_my_network");
	/* The body is not NUL-terminated: only len bytes count. */
	assert_int_equal(route_parse_decline("reason=not_relevantXYZ", 19,
	    &reason, &why), 0);
	assert_string_equal(reason, "not_relevant");
	assert_int_equal(route_parse_decline("reason=would%5Fnot%5Fshare", 26,
	    &reason, &why), 0);
	assert_string_equal(reason, "would_not_share");
	assert_int_equal(route_parse_decline("reason=x", 8, &reason, &why),
	    -1);
	assert_non_null(why);
	assert_int_equal(route_parse_decline("reason=%zz", 10, &reason,
	    &why), -1);
}

static void
test_too_big(void **state)
{
	struct route_req q;

	(void)state;
	memset(&q, 0, sizeof(q));
	q.method = ROUTE_POST;
	q.path = "/p/" PREF;
	q.body = "";
	q.body_too_big = 1;
	route_handle(rt, db, &q, &ans);
	assert_int_equal(ans.status, 413);
}

static void
test_health_metrics(void **state)
{
	(void)state;
	ask(ROUTE_GET, "/healthz", NULL, NULL);
	assert_int_equal(ans.action, ROUTE_PROBE);
	ask(ROUTE_GET, "/metrics", NULL, NULL);
	assert_int_equal(ans.status, 200);
	assert_int_equal(ans.action, ROUTE_SEND);
	assert_true(strstr(ans.body.data, "# TYPE chorus_redirector_"
	    "requests_total counter\n") != NULL);
	assert_true(strstr(ans.body.data, "Lk1aaaaaaa") == NULL);
	route_unavailable(&ans);
	assert_int_equal(ans.status, 503);
	assert_string_equal(ans.location, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_click),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_base_path),
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_notforme),
		cmocka_unit_test(test_parse_decline),
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_choices),
		cmocka_unit_test(test_unsub_choices),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_health_metrics),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
