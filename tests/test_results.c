/*
 * Tests of digest/results.c: the template data the digest gets from the
 * reports, on tests/data/report/fixture.sql (day A = 2026-11-02, a Monday;
 * the fixture's hits fall on A, A+1 and A+7). Every key is rendered, so a
 * test sees exactly what a digest could show: never another person's
 * address or personal figures. The same tests run on PostgreSQL when
 * CHORUS_TEST_PG_URI names a database `chorus init` made
 * (tests/e2e/pg_units.sh), and are skipped without it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/log.h"
#include "common/template.h"
#include "db/db.h"
#include "db/db_int.h"
#include "db/stmt.h"
#include "digest/results.h"

#define DAY_A	((time_t)1793577600)

static const char tpl_src[] =
	"{{#results}}R clicks={{clicks}} people={{people}} "
	"best={{best_post}} thanks={{thanks}}{{#tip}}{{#tip_network}} "
	"tip={{label}}:{{per_share}}/{{other_label}}:{{other_per_share}}"
	"{{/tip_network}}{{#tip_weekday}} tipday={{weekday}}:{{per_share}}/"
	"{{other_per_share}}{{/tip_weekday}}{{/tip}}\n{{/results}}"
	"{{#highlights}}H{{#top_posts}} post={{title}}:{{clicks}}"
	"{{/top_posts}}{{#top_advocates}} adv={{first_name}}/{{role}}"
	"{{/top_advocates}} team={{team_clicks}}\n{{/highlights}}";

/* Every count with its noun. */
static const char words_src[] =
	"{{#results}}{{clicks}} {{clicks_word}}, {{people}} {{people_word}}\n"
	"{{/results}}{{#highlights}}{{#top_posts}}{{clicks}} {{clicks_word}}; "
	"{{/top_posts}}{{team_clicks}} {{team_clicks_word}}\n{{/highlights}}";

static char tmpdir[] = "/tmp/chorus-test-results.XXXXXX";
static struct db *db;
static struct template *tpl, *words;

/* PostgreSQL: the fixture's tables emptied first (the database is the
 * test's), the roll-up's state with them. */
static const char pg_empty[] =
	"TRUNCATE employees, employee_roles, posts, links, ledger, "
	"suggestions, hits, declines, preference_events, report_link_day, "
	"report_dirty RESTART IDENTITY CASCADE; "
	"UPDATE report_state SET last_hit = 0";

/* The fixture with SQLite's blob literals (x'53') in bytea's words
 * ('\x53'), for PostgreSQL. */
static void
fixture_pg(char *sql)
{
	char *p;

	for (p = sql + 1; *p != '\0'; p++)
		if (p[0] == 'x' && p[1] == '\'' &&
		    (p[-1] == ' ' || p[-1] == ',' || p[-1] == '(')) {
			p[0] = '\'';
			p[1] = '\\';
			p++;
			memmove(p + 2, p + 1, strlen(p + 1) + 1);
			p[1] = 'x';
			p++;
		}
}

/* Loads the fixture into db and compiles the template. */
static int
load(void)
{
	char err[256], *sql = NULL;
	FILE *fp;
	long n;
	int rc = -1;

	if ((fp = fopen("tests/data/report/fixture.sql", "r")) == NULL)
		return -1;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	/* Room for the blob literals' one more byte each. */
	sql = calloc(2, (size_t)n + 1);
	if (sql != NULL && fread(sql, 1, (size_t)n, fp) == (size_t)n) {
		if (db_is_pg(db))
			fixture_pg(sql);
		rc = db_exec(db, sql);
	}
	free(sql);
	fclose(fp);
	tpl = template_compile("t", tpl_src, strlen(tpl_src), TEMPLATE_TEXT,
	    err, sizeof(err));
	words = template_compile("w", words_src, strlen(words_src),
	    TEMPLATE_TEXT, err, sizeof(err));
	return tpl != NULL && words != NULL ? rc : -1;
}

static int
setup(void **state)
{
	char path[128];

	(void)state;
	log_init("chorus", LOG_LEVEL_ERROR);
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/r.db", tmpdir);
	if ((db = db_open(path, DB_CREATE)) == NULL ||
	    db_migrate(db, NULL, NULL) == -1)
		return -1;
	return load();
}

static int
setup_pg(void **state)
{
	(void)state;
	log_init("chorus", LOG_LEVEL_ERROR);
	if ((db = db_open(getenv("CHORUS_TEST_PG_URI"), 0)) == NULL ||
	    db_exec(db, pg_empty) == -1)
		return -1;
	return load();
}

static int
teardown_pg(void **state)
{
	(void)state;
	template_free(tpl);
	template_free(words);
	db_close(db);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	template_free(tpl);
	template_free(words);
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Renders with t what results_fill() gives for employee on date. */
static char *
render_with(const struct template *t, struct results *r, int64_t employee,
    const char *date)
{
	struct tdict *d = tdict_new();
	struct buf out;

	buf_init(&out, 1 << 16);
	assert_int_equal(results_fill(r, db, employee, date, d), 0);
	assert_int_equal(template_render(t, d, &out), 0);
	tdict_free(d);
	return buf_detach(&out);
}

/* The same with tpl; now, when the digest is composed, is for the
 * reader: results_fill() reads no clock. */
static char *
render(struct results *r, int64_t employee, const char *date, time_t now)
{
	(void)now;
	return render_with(tpl, r, employee, date);
}

/* One click, one person: never "1 clicks" or "1 people". */
static void
test_words(void **state)
{
	struct config *cfg = config_new();
	struct results *r = results_new(cfg);
	char *s;

	(void)state;
	s = render_with(words, r, 2, "2026-11-10");
	assert_string_equal(s, "1 click, 1 person\n");
	free(s);
	s = render_with(words, r, 2, "2026-11-09");
	assert_string_equal(s, "2 clicks, 2 people\n"
	    "8 clicks; 3 clicks; 11 clicks\n");
	free(s);
	s = render_with(words, r, 4, "2026-11-09");
	assert_true(strncmp(s, "0 clicks, 0 people\n", 19) == 0);
	free(s);
	results_free(r);
	config_free(cfg);
}

static void
test_monday(void **state)
{
	struct config *cfg = config_new();
	struct results *r = results_new(cfg);
	char *s;

	(void)state;
	/* Li's digest of Monday A+7: Li's own seven days A..A+6 (a click on
	 * A and one on A+1, on P1), and the team's week A..A+6. */
	s = render(r, 2, "2026-11-09", DAY_A + 7 * 86400 + 8 * 3600);
	assert_string_equal(s,
	    "R clicks=2 people=2 best=Launch, \"big\" day thanks=true\n"
	    "H post=Launch, \"big\" day:8 post=+Growth @ scale:3"
	    " adv=Ana/engineering adv=李小龙/sales"
	    " adv==HYPERLINK(\"http://evil.example/\")/-ops team=11\n");
	/* Nobody's address, ever. */
	assert_true(strstr(s, "@example.com") == NULL);
	free(s);

	/* The same week's highlights for someone else (cached). */
	s = render(r, 4, "2026-11-09", DAY_A + 7 * 86400 + 9 * 3600);
	assert_string_equal(s,
	    "R clicks=0 people=0 best= thanks=false\n"
	    "H post=Launch, \"big\" day:8 post=+Growth @ scale:3"
	    " adv=Ana/engineering adv=李小龙/sales"
	    " adv==HYPERLINK(\"http://evil.example/\")/-ops team=11\n");
	free(s);
	results_free(r);
	config_free(cfg);
}

static void
test_not_monday(void **state)
{
	struct config *cfg = config_new();
	struct results *r = results_new(cfg);
	char *s;

	(void)state;
	/* Tuesday A+1: Ana's seven days before it (day A: 3 + 1 clicks by
	 * 2 + 1 people), no highlights. */
	s = render(r, 1, "2026-11-03", DAY_A + 86400 + 20 * 3600);
	assert_string_equal(s, "R clicks=4 people=3 "
	    "best=Launch, \"big\" day thanks=true\n");
	free(s);
	results_free(r);
	config_free(cfg);
}

static void
test_settings_off(void **state)
{
	struct config *cfg = config_new();
	struct results *r;
	char *s;

	(void)state;
	assert_int_equal(config_set(cfg, "digest.results", "no", "test"), 0);
	r = results_new(cfg);
	s = render(r, 2, "2026-11-09", DAY_A + 7 * 86400 + 8 * 3600);
	assert_true(strncmp(s, "H post=", 7) == 0);
	free(s);
	results_free(r);

	assert_int_equal(config_set(cfg, "digest.results", "yes", "test"), 0);
	assert_int_equal(config_set(cfg, "digest.highlights", "off", "test"),
	    0);
	r = results_new(cfg);
	s = render(r, 2, "2026-11-09", DAY_A + 7 * 86400 + 8 * 3600);
	assert_string_equal(s, "R clicks=2 people=2 "
	    "best=Launch, \"big\" day thanks=true\n");
	free(s);
	results_free(r);

	/* A quiet week has no highlights at all. */
	assert_int_equal(config_set(cfg, "digest.highlights", "on", "test"),
	    0);
	assert_int_equal(config_set(cfg, "digest.results", "off", "test"), 0);
	r = results_new(cfg);
	s = render(r, 2, "2026-11-02", DAY_A + 8 * 3600);
	assert_string_equal(s, "");
	free(s);
	results_free(r);
	config_free(cfg);
}

static void
test_date_window(void **state)
{
	struct config *cfg = config_new();
	struct results *r = results_new(cfg);
	char *s;

	(void)state;
	/* Li's digest of Tuesday A+8, whenever it is composed: the seven
	 * days A+1..A+7 (one click on A+1's last second). */
	s = render(r, 2, "2026-11-10", 0);
	assert_string_equal(s, "R clicks=1 people=1 "
	    "best=Launch, \"big\" day thanks=true\n");
	free(s);
	/* Of Monday A+14: A+7..A+13, nothing of Li's. */
	s = render(r, 2, "2026-11-16", 0);
	assert_true(strncmp(s, "R clicks=0 people=0 best= thanks=false\n",
	    38) == 0);
	free(s);
	results_free(r);
	config_free(cfg);
}

static void
test_praise(void **state)
{
	struct config *cfg = config_new();
	struct results *r = results_new(cfg);

	(void)state;
	/* Clicks in the seven days before the date. */
	assert_int_equal(results_praise(r, db, 2, "2026-11-10"), 1);
	assert_int_equal(results_praise(r, db, 2, "2026-11-09"), 1);
	/* None: Li on Monday A+14 (not among that week's advocates), the
	 * quiet one on A+7. */
	assert_int_equal(results_praise(r, db, 2, "2026-11-16"), 0);
	assert_int_equal(results_praise(r, db, 4, "2026-11-09"), 0);
	results_free(r);

	/* Without the results part, a mention in the highlights is the only
	 * praise: Li is among last week's advocates on Monday A+7, not on
	 * Tuesday A+8 (no highlights then). */
	assert_int_equal(config_set(cfg, "digest.results", "no", "test"), 0);
	r = results_new(cfg);
	assert_int_equal(results_praise(r, db, 2, "2026-11-09"), 1);
	assert_int_equal(results_praise(r, db, 2, "2026-11-10"), 0);
	assert_int_equal(results_praise(r, db, 4, "2026-11-09"), 0);
	results_free(r);
	/* Nothing shown, nothing to praise. */
	assert_int_equal(config_set(cfg, "digest.highlights", "no", "test"),
	    0);
	r = results_new(cfg);
	assert_int_equal(results_praise(r, db, 2, "2026-11-09"), 0);
	results_free(r);
	config_free(cfg);
}

static void
test_tip(void **state)
{
	struct config *cfg = config_new();
	struct results *r = results_new(cfg);
	char *s;

	(void)state;
	/* The quiet one's eight weeks before Tuesday 2026-12-29 (day
	 * 20816, the window days 20760..20815, nothing in its last seven
	 * days), written into the roll-up: LinkedIn 20
	 * people from 5 shares, X 5 from 5 (one a preview only). Rows on
	 * the digest's day and the day before the window would spoil the
	 * tip if they counted. */
	assert_int_equal(db_exec(db,
	    "INSERT INTO report_link_day VALUES "
	    "(20760, 4, 1, 'linkedin', 90, 5, 0, 30, 20, 0),"
	    "(20800, 4, 1, 'x', 91, 4, 0, 5, 5, 0),"
	    "(20801, 4, 2, 'x', 92, 0, 2, 0, 0, 0),"
	    "(20816, 4, 2, 'linkedin', 93, 50, 0, 0, 0, 0),"
	    "(20759, 4, 3, 'linkedin', 94, 50, 0, 0, 0, 0)"), 0);
	s = render(r, 4, "2026-12-29", 0);
	assert_string_equal(s, "R clicks=0 people=0 best= thanks=false "
	    "tip=LinkedIn:4.0/X:1.0\n");
	free(s);
	/* Thin data: nothing to say. */
	s = render(r, 1, "2026-12-29", 0);
	assert_string_equal(s, "R clicks=0 people=0 best= thanks=false\n");
	free(s);
	assert_int_equal(db_exec(db, "DELETE FROM report_link_day "
	    "WHERE employee_id = 4 AND day > 20700"), 0);
	results_free(r);
	config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monday),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_not_monday),
		cmocka_unit_test(test_settings_off),
		cmocka_unit_test(test_date_window),
		cmocka_unit_test(test_praise),
		cmocka_unit_test(test_tip),
	};

	const char *uri = getenv("CHORUS_TEST_PG_URI");
	int rc;

	if ((rc = cmocka_run_group_tests_name("sqlite", tests, setup,
	    teardown)) != 0)
		return rc;
	if (uri == NULL || *uri == '\0') {
		fprintf(stderr, "test_results: CHORUS_TEST_PG_URI not set: "
		    "PostgreSQL skipped\n");
		return 0;
	}
	return cmocka_run_group_tests_name("postgresql", tests, setup_pg,
	    teardown_pg);
}
