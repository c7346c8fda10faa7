/*
 * test_links: the digest's queries (db/digest.c) and personal links
 * (db/links.c) on a real SQLite file: employees with roles and tokens,
 * candidate posts of a date, the suggested set, a plan read back in order,
 * and links created once, reused, and drawn again on a code collision
 * (rand_code is wrapped at link time to force one).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/log.h"
#include "common/network.h"
#include "common/random.h"
#include "db/db.h"
#include "db/digest.h"
#include "db/ledger.h"
#include "db/employees.h"
#include "db/links.h"
#include "db/posts.h"

void	__real_rand_code(char *, const char *);
void	__wrap_rand_code(char *, const char *);

/* Codes the next rand_code() calls return, before the real ones, and the
 * slice the last call was asked to keep. */
static const char *scripted[4];
static size_t nscripted;
static char asked_slice[RAND_CODE_SLICE + 1];

void
__wrap_rand_code(char *out, const char *slice)
{
	if (slice != NULL)
		memcpy(asked_slice, slice, RAND_CODE_SLICE);
	else
		asked_slice[0] = '\0';
	if (nscripted > 0) {
		memcpy(out, scripted[0], RAND_CODE_LEN + 1);
		nscripted--;
		memmove(scripted, scripted + 1, nscripted * sizeof(*scripted));
		return;
	}
	__real_rand_code(out, slice);
}

static char tmpdir[] = "/tmp/chorus-test-links.XXXXXX";
static struct db *db;
static int64_t ann, bob;

static void
add_employee(const char *email, const char *name, const char *r1,
    const char *r2)
{
	struct employee_in e;
	enum db_upsert res;

	memset(&e, 0, sizeof(e));
	e.email = email;
	e.name = name;
	e.networks = NET_ALL;
	e.frequency = "daily";
	e.roles[e.nroles++] = r1;
	if (r2 != NULL)
		e.roles[e.nroles++] = r2;
	assert_int_equal(db_employees_upsert(db, &e, 1700000000, &res, NULL), 0);
}

static void
add_post(const char *id, const char *role, const char *starts,
    const char *expires, long prio)
{
	struct post_in p;
	enum db_upsert res;

	memset(&p, 0, sizeof(p));
	p.id = id;
	p.title = id;
	p.url = "https://example.com/a";
	p.text = "Read this";
	p.text_net[NET_X] = "Short for X";
	p.starts = starts;
	p.expires = expires;
	p.priority = prio;
	if (role == NULL)
		p.everyone = 1;
	else
		p.roles[p.nroles++] = role;
	assert_int_equal(db_posts_upsert(db, &p, 1795000000, &res), 0);
}

static int
setup(void **state)
{
	char path[128];
	struct db_employee e;

	(void)state;
	log_init("chorus", LOG_LEVEL_ERROR);
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/chorus.db", tmpdir);
	if ((db = db_open(path, DB_CREATE)) == NULL ||
	    db_migrate(db, NULL, NULL) == -1 || db_begin(db) == -1 ||
	    db_employees_import_begin(db) == -1)
		return -1;
	add_employee("ann@example.com", "Ann Émile", "engineering", "sales");
	add_employee("bob@example.com", "Bob", "marketing", NULL);
	add_post("p1", "engineering", NULL, NULL, 0);
	add_post("p2", NULL, "2026-11-01", "2026-11-30", 5);
	add_post("p3", "marketing", "2026-12-01", NULL, 0);
	add_post("p4", "sales", NULL, "2026-11-20", 9);
	if (db_commit(db) == -1)
		return -1;
	memset(&e, 0, sizeof(e));
	if (db_digest_employee_by_email(db, "ANN@example.com", &e) != 1)
		return -1;
	ann = e.id;
	if (db_digest_employee_by_email(db, "bob@example.com", &e) != 1)
		return -1;
	bob = e.id;
	db_digest_employee_clear(&e);
	free(e.rolebuf);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_employee(void **state)
{
	struct db_employee e;

	(void)state;
	memset(&e, 0, sizeof(e));
	assert_int_equal(db_digest_employee_by_id(db, ann, &e), 1);
	assert_string_equal(e.email, "ann@example.com");
	assert_string_equal(e.name, "Ann Émile");
	assert_true(e.timezone == NULL);
	assert_int_equal(e.networks, NET_ALL);
	assert_string_equal(e.frequency, "daily");
	assert_int_equal(e.active, 1);
	assert_int_equal(e.unsubscribed, 0);
	assert_int_equal(strlen(e.unsub_token), RAND_TOKEN_LEN);
	assert_int_equal(strlen(e.pref_token), RAND_TOKEN_LEN);
	assert_true(strcmp(e.unsub_token, e.pref_token) != 0);
	assert_int_equal(e.nroles, 2);
	assert_string_equal(e.roles[0], "engineering");
	assert_string_equal(e.roles[1], "sales");
	assert_int_equal(db_digest_employee_by_email(db, "nobody@example.com",
	    &e), 0);
	assert_int_equal(db_digest_employee_by_id(db, 999999, &e), 0);
	db_digest_employee_clear(&e);
	free(e.rolebuf);
}

static void
test_candidates(void **state)
{
	struct db_posts ps = { NULL, 0 };

	(void)state;
	assert_int_equal(db_digest_candidates(db, "2026-11-23", &ps), 0);
	/* p3 starts later, p4 has expired. */
	assert_int_equal(ps.n, 2);
	assert_string_equal(ps.v[0].ext_id, "p1");
	assert_int_equal(ps.v[0].everyone, 0);
	assert_int_equal(ps.v[0].nroles, 1);
	assert_string_equal(ps.v[0].roles[0], "engineering");
	assert_true(ps.v[0].starts == NULL);
	assert_true(ps.v[0].text_net[NET_LINKEDIN] == NULL);
	assert_string_equal(ps.v[0].text_net[NET_X], "Short for X");
	/* Imported 2026-11-18 (1795000000): available from then. */
	assert_string_equal(ps.v[0].available, "2026-11-18");
	assert_string_equal(ps.v[1].ext_id, "p2");
	assert_int_equal(ps.v[1].everyone, 1);
	assert_int_equal(ps.v[1].priority, 5);
	assert_string_equal(ps.v[1].expires, "2026-11-30");
	assert_string_equal(ps.v[1].available, "2026-11-18");
	assert_int_equal(db_digest_candidates(db, "2026-12-01", &ps), 0);
	assert_int_equal(ps.n, 2);
	assert_string_equal(ps.v[1].ext_id, "p3");
	assert_string_equal(ps.v[1].available, "2026-12-01");
	db_digest_posts_free(&ps);
}

static void
test_plan_read_back(void **state)
{
	struct db_posts ps = { NULL, 0 }, planned = { NULL, 0 };
	struct db_planned_link *links = NULL;
	int64_t *ids = NULL, lid, eid, found;
	size_t n = 0, cap = 0, nl = 0, lcap = 0;
	char date[16], msgid[128], code[RAND_CODE_LEN + 1] = "";

	(void)state;
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_digest_ledger_add(db, ann, "2026-11-23",
	    1795420800, &lid), 0);
	assert_int_equal(db_digest_ledger_find(db, ann, "2026-11-23", &found),
	    1);
	assert_int_equal(found, lid);
	assert_int_equal(db_digest_ledger_find(db, bob, "2026-11-23", &found),
	    0);
	assert_int_equal(db_digest_candidates(db, "2026-11-23", &ps), 0);
	/* Planned in the order p2, p1 (rank 0, 1). */
	assert_int_equal(db_digest_suggest(db, ann, ps.v[1].id, lid,
	    "2026-11-23", 0), 0);
	assert_int_equal(db_digest_suggest(db, ann, ps.v[0].id, lid,
	    "2026-11-23", 1), 0);
	assert_int_equal(db_links_ensure(db, ann, ps.v[1].id, NET_X,
	    1795420800, code), 1);
	assert_int_equal(db_links_ensure(db, ann, ps.v[0].id, NET_LINKEDIN,
	    1795420800, code), 1);
	assert_int_equal(db_ledger_set_message_id(db, lid, "<x@example.com>",
	    1795420800), 0);
	assert_int_equal(db_commit(db), 0);

	assert_int_equal(db_digest_ledger_get(db, lid, &eid, date,
	    sizeof(date), msgid, sizeof(msgid)), 1);
	assert_int_equal(eid, ann);
	assert_string_equal(date, "2026-11-23");
	assert_string_equal(msgid, "<x@example.com>");
	assert_int_equal(db_digest_ledger_get(db, lid + 100, &eid, date,
	    sizeof(date), msgid, sizeof(msgid)), 0);
	assert_int_equal(db_digest_planned(db, lid, &planned), 0);
	assert_int_equal(planned.n, 2);
	assert_string_equal(planned.v[0].ext_id, "p2");
	assert_string_equal(planned.v[1].ext_id, "p1");
	assert_int_equal(db_digest_planned_links(db, lid, &links, &nl, &lcap),
	    0);
	assert_int_equal(nl, 2);
	assert_int_equal(db_digest_suggested(db, ann, &ids, &n, &cap), 0);
	assert_int_equal(n, 2);
	assert_true(ids[0] < ids[1]);
	assert_int_equal(db_digest_suggested(db, bob, &ids, &n, &cap), 0);
	assert_int_equal(n, 0);
	free(ids);
	free(links);
	db_digest_posts_free(&ps);
	db_digest_posts_free(&planned);
}

static void
test_links_once(void **state)
{
	char a[RAND_CODE_LEN + 1] = "", b[RAND_CODE_LEN + 1] = "";
	char c[RAND_CODE_LEN + 1] = "", d[RAND_CODE_LEN + 1] = "";
	struct db_posts ps = { NULL, 0 };

	(void)state;
	assert_int_equal(db_digest_candidates(db, "2026-11-23", &ps), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_links_find(db, bob, ps.v[1].id, NET_FACEBOOK, a),
	    0);
	assert_int_equal(db_links_ensure(db, bob, ps.v[1].id, NET_FACEBOOK,
	    1795420800, a), 1);
	assert_true(rand_is_base62(a, RAND_CODE_LEN));
	/* The same triple again: the same code, nothing new. */
	assert_int_equal(db_links_ensure(db, bob, ps.v[1].id, NET_FACEBOOK,
	    1795420900, b), 0);
	assert_string_equal(a, b);
	assert_int_equal(db_links_find(db, bob, ps.v[1].id, NET_FACEBOOK, c),
	    1);
	assert_string_equal(a, c);
	/* Another network or post: another code. */
	assert_int_equal(db_links_ensure(db, bob, ps.v[1].id, NET_X,
	    1795420800, c), 1);
	assert_true(strcmp(a, c) != 0);
	assert_int_equal(db_links_ensure(db, bob, ps.v[0].id, NET_FACEBOOK,
	    1795420800, d), 1);
	assert_true(strcmp(a, d) != 0 && strcmp(c, d) != 0);
	assert_int_equal(db_commit(db), 0);
	db_digest_posts_free(&ps);
}

static void
test_links_collision(void **state)
{
	char a[RAND_CODE_LEN + 1] = "", b[RAND_CODE_LEN + 1] = "";
	struct db_posts ps = { NULL, 0 };

	(void)state;
	assert_int_equal(db_digest_candidates(db, "2026-11-23", &ps), 0);
	assert_int_equal(db_begin(db), 0);
	scripted[0] = "SSAAAAAAAAAA";
	nscripted = 1;
	assert_int_equal(db_links_ensure(db, ann, ps.v[1].id, NET_FACEBOOK,
	    1795420800, a), 1);
	assert_string_equal(a, "SSAAAAAAAAAA");
	/* The next link draws the taken code twice, then a free one. */
	scripted[0] = "SSAAAAAAAAAA";
	scripted[1] = "SSAAAAAAAAAA";
	scripted[2] = "SSBBBBBBBBBB";
	nscripted = 3;
	assert_int_equal(db_links_ensure(db, ann, ps.v[0].id, NET_X,
	    1795420800, b), 1);
	assert_string_equal(b, "SSBBBBBBBBBB");
	assert_int_equal(nscripted, 0);
	/* Drawn again in the slice of the code that was taken. */
	assert_string_equal(asked_slice, "SS");
	/* A code from the caller that is taken: drawn again. */
	strcpy(b, "SSBBBBBBBBBB");
	scripted[0] = "SSCCCCCCCCCC";
	nscripted = 1;
	assert_int_equal(db_links_ensure(db, bob, ps.v[1].id, NET_LINKEDIN,
	    1795420800, b), 1);
	assert_string_equal(b, "SSCCCCCCCCCC");
	/* A free code from the caller is used as it is. */
	strcpy(b, "SSDDDDDDDDDD");
	assert_int_equal(db_links_ensure(db, ann, ps.v[1].id, NET_LINKEDIN,
	    1795420800, b), 1);
	assert_string_equal(b, "SSDDDDDDDDDD");
	/* An empty code is drawn whole, in a slice of its own. */
	b[0] = '\0';
	assert_int_equal(db_links_ensure(db, ann, ps.v[0].id, NET_FACEBOOK,
	    1795420800, b), 1);
	assert_string_equal(asked_slice, "");
	assert_true(rand_is_base62(b, RAND_CODE_LEN));
	b[0] = '\0';
	/* A source that only ever gives a taken code: an error, no loop. */
	scripted[0] = scripted[1] = scripted[2] = scripted[3] = "SSAAAAAAAAAA";
	nscripted = 4;
	assert_int_equal(db_links_ensure(db, bob, ps.v[0].id, NET_X,
	    1795420800, b), 1);	/* only 4 scripted: the 5th is real */
	assert_int_equal(db_commit(db), 0);
	db_digest_posts_free(&ps);
}

/* Many links at once: the same outcome as one at a time, an existing
 * triple keeping its code and a taken code drawn again. */
static void
test_links_all(void **state)
{
	struct db_posts ps = { NULL, 0 };
	struct db_link_want w[16];
	char before[16][RAND_CODE_LEN + 1], got[RAND_CODE_LEN + 1];
	int found[16], who, fresh, old;
	size_t i, n;
	ssize_t taken;
	int64_t emp;

	(void)state;
	assert_int_equal(db_digest_candidates(db, "2026-11-15", &ps), 0);
	assert_true(ps.n >= 2 && ps.n * NET_COUNT <= 16);
	assert_int_equal(db_begin(db), 0);
	for (who = 0; who < 2; who++) {
		emp = who == 0 ? ann : bob;
		n = 0;
		taken = -1;
		fresh = old = 0;
		for (i = 0; i < ps.n * NET_COUNT; i++, n++) {
			w[n].post_id = ps.v[i / NET_COUNT].id;
			w[n].network = (enum network)(i % NET_COUNT);
			snprintf(w[n].code, sizeof(w[n].code), "SSG%c%08u",
			    who ? '1' : '0', (unsigned)(n % 100000000u));
			found[n] = db_links_find(db, emp, w[n].post_id,
			    w[n].network, before[n]);
			assert_true(found[n] == 0 || found[n] == 1);
			if (found[n])
				old++;
			else if (fresh++ == 0 && who == 0) {
				taken = (ssize_t)n;
				strcpy(w[n].code, "SSAAAAAAAAAA");
			}
		}
		assert_true(fresh > 1 && old > 0);
		if (taken >= 0) {
			scripted[0] = "SSFFFFFFFFFF";
			nscripted = 1;
		}
		assert_int_equal(db_links_ensure_all(db, emp, w, n, 1795420800),
		    0);
		assert_int_equal(nscripted, 0);
		for (i = 0; i < n; i++) {
			assert_int_equal(db_links_find(db, emp, w[i].post_id,
			    w[i].network, got), 1);
			assert_string_equal(got, w[i].code);
			if (found[i])
				assert_string_equal(got, before[i]);
			else if ((ssize_t)i == taken)
				assert_string_equal(got, "SSFFFFFFFFFF");
			else
				assert_true(strncmp(got, "SSG", 3) == 0);
		}
	}
	assert_int_equal(db_commit(db), 0);
	db_digest_posts_free(&ps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_employee),
		cmocka_unit_test(test_candidates),
		cmocka_unit_test(test_plan_read_back),
		cmocka_unit_test(test_links_once),
		cmocka_unit_test(test_links_collision),
		cmocka_unit_test(test_links_all),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
