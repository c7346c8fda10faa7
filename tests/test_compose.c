/*
 * test_compose: plan and render on a real SQLite file with test templates
 * (tests/data/compose/) that print every value of the template data
 * contract: the plan records posts, links and a Message-ID; the render
 * reads them back and is the same message each time; a later date never
 * repeats a post; preview writes nothing and marks links it lacks.
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
#include "common/network.h"
#include "common/template.h"
#include "db/db.h"
#include "db/digest.h"
#include "db/employees.h"
#include "db/links.h"
#include "db/posts.h"
#include "digest/compose.h"
#include "digest/mime.h"
#include "digest/select.h"

#define NOW	1795420800	/* 2026-11-23 08:00 UTC, a Monday */

static char tmpdir[] = "/tmp/chorus-test-compose.XXXXXX";
static struct db *db;
static struct config *cfg;
static struct compose *comp;
static int64_t ann, bob, cy;

static int64_t
add_employee(const char *email, const char *name, const char *role,
    unsigned nets, const char *freq)
{
	struct employee_in e;
	struct db_employee got;
	enum db_upsert res;
	int64_t id;

	memset(&e, 0, sizeof(e));
	e.email = email;
	e.name = name;
	e.networks = nets;
	e.frequency = freq;
	e.roles[e.nroles++] = role;
	assert_int_equal(db_employees_upsert(db, &e, NOW - 86400 * 30, &res,
	    NULL), 0);
	memset(&got, 0, sizeof(got));
	assert_int_equal(db_digest_employee_by_email(db, email, &got), 1);
	id = got.id;
	db_digest_employee_clear(&got);
	free(got.rolebuf);
	return id;
}

static void
add_post(const char *id, const char *title, const char *role, long prio)
{
	struct post_in p;
	enum db_upsert res;

	memset(&p, 0, sizeof(p));
	p.id = id;
	p.title = title;
	p.url = "https://example.com/post?id=1&x=y";
	p.summary = "A <short> summary";
	p.text = "Default text";
	p.text_net[NET_X] = "Text for X";
	p.priority = prio;
	if (role == NULL)
		p.everyone = 1;
	else
		p.roles[p.nroles++] = role;
	/* Imported a month ago: no spreading left to wait for. */
	assert_int_equal(db_posts_upsert(db, &p, NOW - 86400 * 30, &res), 0);
}

static int
results_hook(void *arg, struct db *d, int64_t employee_id, const char *date,
    time_t now, struct tdict *data)
{
	struct tdict *r;

	(void)arg;
	(void)now;
	(void)d;
	(void)date;
	if (employee_id != ann)
		return 0;
	r = tdict_add_item(data, "results");
	tdict_set_int(r, "clicks", 42);
	tdict_set_int(r, "people", 7);
	tdict_set(r, "best_post", "Launch");
	tdict_set(r, "thanks", "Thank you!");
	return 0;
}

static int
setup(void **state)
{
	char path[256];
	const char *src = getenv("CHORUS_SRC");

	(void)state;
	log_init("chorus", LOG_LEVEL_ERROR);
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/chorus.db", tmpdir);
	if ((db = db_open(path, DB_CREATE)) == NULL ||
	    db_migrate(db, NULL, NULL) == -1 || db_begin(db) == -1 ||
	    db_employees_import_begin(db) == -1)
		return -1;
	ann = add_employee("ann@example.com", "Ann \"Annie\" Émile",
	    "engineering", NET_ALL, "daily");
	bob = add_employee("bob@example.com", "", "engineering",
	    NET_BIT(NET_LINKEDIN), "weekly");
	cy = add_employee("cy@example.com", "Cy", "sales", NET_ALL,
	    "paused");
	add_post("launch", "Launch ☕ day", NULL, 10);
	add_post("eng", "Engineering deep dive", "engineering", 5);
	add_post("hire", "We are hiring", "engineering", 1);
	add_post("sales", "Sales story", "sales", 99);
	if (db_commit(db) == -1)
		return -1;

	cfg = config_new();
	snprintf(path, sizeof(path), "%s/tests/data/compose",
	    src ? src : ".");
	if (config_set(cfg, "chorus.templates", path, "test") == -1 ||
	    config_set(cfg, "chorus.base_url", "https://go.example.com/",
	    "test") == -1 ||
	    config_set(cfg, "digest.max_posts", "2", "test") == -1 ||
	    config_set(cfg, "digest.from", "Comms Team <comms@example.com>",
	    "test") == -1)
		return -1;
	if ((comp = compose_new(cfg)) == NULL)
		return -1;
	compose_set_extras(comp, results_hook, NULL);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	compose_free(comp);
	config_free(cfg);
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The decoded text part of a message. */
static void
text_part(const struct buf *msg, struct buf *text)
{
	const char *p = strstr(msg->data, "text/plain"), *e;

	assert_true(p != NULL);
	p = strstr(p, "\r\n\r\n");
	assert_true(p != NULL);
	p += 4;
	e = strstr(p, "\r\n--=_");
	assert_true(e != NULL);
	buf_reset(text);
	assert_int_equal(mime_qp_decode(text, p, (size_t)(e - p)), 0);
}

static int64_t ann_ledger;

static void
test_plan_and_render(void **state)
{
	struct buf msg, msg2, text;
	char rcpt[256], code[16];
	struct db_planned_link *links = NULL;
	size_t nl = 0, cap = 0;
	const char *t;

	(void)state;
	buf_init(&msg, 0);
	buf_init(&msg2, 0);
	buf_init(&text, 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_digest_ledger_add(db, ann, "2026-11-23", NOW,
	    &ann_ledger), 0);
	assert_int_equal(compose_plan(comp, db, ann, ann_ledger, "2026-11-23",
	    NOW), 2);
	assert_int_equal(db_commit(db), 0);
	/* Two posts, three networks: six links. */
	assert_int_equal(db_digest_planned_links(db, ann_ledger, &links, &nl,
	    &cap), 0);
	assert_int_equal(nl, 6);
	assert_int_equal(db_links_find(db, ann, links[0].post_id,
	    links[0].network, code), 1);

	assert_int_equal(compose_render(comp, db, ann_ledger, NOW + 60, &msg,
	    rcpt, sizeof(rcpt)), 0);
	assert_string_equal(rcpt, "ann@example.com");
	/* A retry renders the very same message. */
	assert_int_equal(compose_render(comp, db, ann_ledger, NOW + 60, &msg2,
	    rcpt, sizeof(rcpt)), 0);
	assert_string_equal(buf_cstr(&msg), buf_cstr(&msg2));
	assert_true(strstr(msg.data, "\r\nMessage-ID: <") != NULL);
	assert_true(strstr(msg.data, "@example.com>\r\n") != NULL);
	assert_true(strstr(msg.data, "From: \"Comms Team\" "
	    "<comms@example.com>\r\n") != NULL);
	assert_true(strstr(msg.data, "List-Unsubscribe-Post: "
	    "List-Unsubscribe=One-Click\r\n") != NULL);

	text_part(&msg, &text);
	t = buf_cstr(&text);
	assert_true(strstr(t, "first_name=Ann\n") != NULL);
	assert_true(strstr(t, "name=Ann \"Annie\" Émile\n") != NULL);
	assert_true(strstr(t, "date=2026-11-23\n") != NULL);
	assert_true(strstr(t, "date_human=Monday 23 November 2026\n") != NULL);
	assert_true(strstr(t, "sender=Comms Team\n") != NULL);
	/* The first title leads the subject; the preheader says it all. */
	assert_true(strstr(t, "subject=Launch ☕ day (+1 more to share "
	    "today)\n") != NULL);
	assert_true(strstr(t, "preheader=2 posts to share: Launch ☕ day, "
	    "Engineering deep dive\n") != NULL);
	assert_true(strstr(t, "count=2|2 posts|false\n") != NULL);
	/* Priority order, the everyone post first. */
	assert_true(strstr(t, "post=Launch ☕ day|A <short> summary|"
	    "https://example.com/post?id=1&x=y\npost=") == NULL);
	assert_true(strstr(t, "post=Launch ☕ day|A <short> summary|"
	    "https://example.com/post?id=1&x=y\ncard=Default text|") != NULL);
	assert_true(strstr(t, "post=Engineering deep dive|") != NULL);
	assert_true(strstr(t, "We are hiring") == NULL);
	assert_true(strstr(t, "post=Launch") < strstr(t, "post=Engineering"));
	assert_true(strstr(t, "|https://go.example.com/s/") != NULL);
	assert_true(strstr(t, "|Text for X https://go.example.com/") != NULL);
	assert_true(strstr(t, "|Default text https://go.example.com/") !=
	    NULL);
	/* The text once, with the first network's link, and "not for me"
	 * with the same code; a network's own text only where it differs. */
	{
		const char *p = strstr(t, "card=Default text|https://"
		    "go.example.com/");
		char link[128], shown[128], decline[128], first[128];

		assert_non_null(p);
		assert_int_equal(sscanf(p, "card=Default text|%127[^|]|"
		    "%127[^|]|%127[^\n]\nnet=linkedin|LinkedIn|%127[^|]|",
		    link, shown, decline, first), 4);
		assert_string_equal(link, first);
		assert_string_equal(shown, link + strlen("https://"));
		assert_true(strncmp(decline, "https://go.example.com/n/",
		    25) == 0);
		assert_string_equal(decline + 25, link + 23);
	}
	assert_true(strstr(t, " https://go.example.com/") != NULL);
	assert_non_null(strstr(t, "|Text for X|https://go.example.com/"));
	assert_null(strstr(t, "|Default text|"));
	assert_true(strstr(t, "results=42|7|Launch|Thank you!\n") != NULL);
	assert_true(strstr(t, "prefs_url=https://go.example.com/p/") != NULL);
	assert_true(strstr(t, "unsub_url=https://go.example.com/u/") != NULL);
	/* Every network line carries its own code, link and share button;
	 * the codes made together share their slice (common/random.h). */
	{
		const char *p = t;
		char slice[RAND_CODE_SLICE + 1] = "";
		int nets = 0;

		while ((p = strstr(p, "\nnet=")) != NULL) {
			char net[16], link[128], share[128], line[1024];
			const char *eol = strchr(p + 1, '\n'), *prev = p;
			char *other, *other_text;
			int first;

			/* The line before: the card's, for a post's first
			 * network. */
			while (prev > t && prev[-1] != '\n')
				prev--;
			first = strncmp(prev, "card=", 5) == 0;

			assert_int_equal(sscanf(p + 5,
			    "%15[^|]|%*[^|]|%127[^|]|%127[^|]|", net, link,
			    share), 3);
			/* Every network's link to copy, but the first's,
			 * which is the card's: other_link|other_link_text. */
			assert_non_null(eol);
			assert_true((size_t)(eol - p) < sizeof(line));
			memcpy(line, p + 1, (size_t)(eol - p - 1));
			line[eol - p - 1] = '\0';
			other_text = strrchr(line, '|');
			*other_text++ = '\0';
			other = strrchr(line, '|') + 1;
			if (first) {
				assert_string_equal(other, "");
				assert_string_equal(other_text, "");
			} else {
				assert_string_equal(other, link);
				assert_string_equal(other_text,
				    link + strlen("https://"));
			}
			assert_int_equal(strlen(link),
			    strlen("https://go.example.com/") + RAND_CODE_LEN);
			assert_true(strncmp(share, "https://go.example.com/s/",
			    25) == 0);
			assert_string_equal(share + 25, link + 23);
			if (nets == 0)
				memcpy(slice, link + 23, RAND_CODE_SLICE);
			assert_memory_equal(link + 23, slice, RAND_CODE_SLICE);
			nets++;
			p++;
		}
		assert_int_equal(nets, 6);
	}
	/* The HTML part escapes. */
	assert_true(strstr(msg.data, "text/html") != NULL);
	free(links);
	buf_release(&msg);
	buf_release(&msg2);
	buf_release(&text);
}

static void
test_never_twice(void **state)
{
	struct buf msg, text;
	char rcpt[256];
	int64_t lid;

	(void)state;
	buf_init(&msg, 0);
	buf_init(&text, 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_digest_ledger_add(db, ann, "2026-11-24", NOW,
	    &lid), 0);
	/* Only "hire" is left. */
	assert_int_equal(compose_plan(comp, db, ann, lid, "2026-11-24",
	    NOW + 86400), 1);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(compose_render(comp, db, lid, NOW + 86400, &msg,
	    rcpt, sizeof(rcpt)), 0);
	text_part(&msg, &text);
	assert_true(strstr(buf_cstr(&text), "subject=We are hiring (to share "
	    "today)\n") != NULL);
	assert_true(strstr(buf_cstr(&text), "preheader=A post to share: We "
	    "are hiring\n") != NULL);
	/* And then nothing: skip. */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_digest_ledger_add(db, ann, "2026-11-25", NOW,
	    &lid), 0);
	assert_int_equal(compose_plan(comp, db, ann, lid, "2026-11-25",
	    NOW + 2 * 86400), 0);
	assert_int_equal(db_commit(db), 0);
	buf_release(&msg);
	buf_release(&text);
}

static void
test_frequency(void **state)
{
	int64_t lid;

	(void)state;
	assert_int_equal(db_begin(db), 0);
	/* Weekly on a Tuesday, paused on a Monday: no digest. */
	assert_int_equal(db_digest_ledger_add(db, bob, "2026-11-24", NOW,
	    &lid), 0);
	assert_int_equal(compose_plan(comp, db, bob, lid, "2026-11-24", NOW),
	    0);
	assert_int_equal(db_digest_ledger_add(db, cy, "2026-11-23", NOW,
	    &lid), 0);
	assert_int_equal(compose_plan(comp, db, cy, lid, "2026-11-23", NOW),
	    0);
	assert_int_equal(compose_plan(comp, db, 987654, lid, "2026-11-23",
	    NOW), -1);
	assert_int_equal(db_commit(db), 0);
}

static void
test_preview(void **state)
{
	struct buf out, text;
	int64_t lid;
	int why;

	(void)state;
	buf_init(&out, 0);
	buf_init(&text, 0);
	/* Bob, weekly, on a Monday: nothing planned yet, so nothing exists:
	 * preview codes, and still nothing in the database afterwards. */
	assert_int_equal(compose_preview(comp, db, bob, "2026-11-30", NOW,
	    COMPOSE_TEXT, &out, &why), 2);
	assert_true(strstr(buf_cstr(&out), "first_name=bob\n") != NULL);
	assert_true(strstr(buf_cstr(&out), "name=bob\n") != NULL);
	assert_true(strstr(buf_cstr(&out), "subject=Launch ☕ day (+1 more to "
	    "share this week)\n") != NULL);
	assert_true(strstr(buf_cstr(&out), "|https://go.example.com/"
	    "preview-linkedin-") != NULL);
	assert_true(strstr(buf_cstr(&out), "net=x") == NULL);
	assert_int_equal(db_digest_ledger_find(db, bob, "2026-11-30", &lid),
	    0);

	/* Ann's planned day is shown as planned, with her real links. */
	buf_reset(&out);
	assert_int_equal(compose_preview(comp, db, ann, "2026-11-23", NOW,
	    COMPOSE_TEXT, &out, &why), 2);
	assert_true(strstr(buf_cstr(&out), "preview-") == NULL);
	assert_true(strstr(buf_cstr(&out), "post=Launch") != NULL);
	buf_reset(&out);
	assert_int_equal(compose_preview(comp, db, ann, "2026-11-23", NOW,
	    COMPOSE_HTML, &out, &why), 2);
	assert_true(strstr(buf_cstr(&out), "<h2>Launch ☕ day</h2>") != NULL);
	buf_reset(&out);
	assert_int_equal(compose_preview(comp, db, ann, "2026-11-23", NOW,
	    COMPOSE_EML, &out, &why), 2);
	assert_true(strncmp(buf_cstr(&out), "Date: ", 6) == 0);
	/* Nothing new left for Ann on the 26th, Cy is paused. */
	buf_reset(&out);
	assert_int_equal(compose_preview(comp, db, ann, "2026-11-26", NOW,
	    COMPOSE_TEXT, &out, &why), 0);
	assert_int_equal(why, SELECT_NOTHING_NEW);
	assert_int_equal(compose_preview(comp, db, cy, "2026-11-23", NOW,
	    COMPOSE_TEXT, &out, &why), 0);
	assert_int_equal(why, SELECT_NOT_DUE);
	assert_int_equal(out.len, 0);
	buf_release(&out);
	buf_release(&text);
}

/* A render leaves no read open on the connection: another connection may
 * write, and this one can still take the write lock and write. */
static void
test_no_stale_snapshot(void **state)
{
	struct db *other;
	struct buf msg;
	char path[256], rcpt[256];
	int64_t lid;
	int why;

	(void)state;
	buf_init(&msg, 0);
	snprintf(path, sizeof(path), "%s/chorus.db", tmpdir);
	assert_true((other = db_open(path, 0)) != NULL);
	assert_int_equal(compose_render(comp, db, ann_ledger, NOW, &msg, rcpt,
	    sizeof(rcpt)), 0);
	buf_reset(&msg);
	assert_int_equal(compose_preview(comp, db, bob, "2026-11-30", NOW,
	    COMPOSE_EML, &msg, &why), 2);
	assert_int_equal(db_begin(other), 0);
	assert_int_equal(db_digest_ledger_add(other, bob, "2026-12-01", NOW,
	    &lid), 0);
	assert_int_equal(db_commit(other), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_digest_ledger_add(db, bob, "2026-12-02", NOW,
	    &lid), 0);
	assert_int_equal(db_commit(db), 0);
	db_close(other);
	buf_release(&msg);
}

static void
test_bad_settings(void **state)
{
	struct config *c = config_new();

	(void)state;
	assert_int_equal(config_set(c, "chorus.templates", "/nonexistent",
	    "test"), 0);
	assert_true(compose_new(c) == NULL);
	config_free(c);
}

/* A slice serves about COMPOSE_SLICE_LINKS (1024) links planned in a
 * row, then a new one is drawn: 200 digests of 6 links need two. Every
 * digest's links share a slice, and consecutive digests share theirs
 * until it is used up. */
static void
test_slices(void **state)
{
	struct db_planned_link *links = NULL;
	struct compose *c;
	size_t nl = 0, cap = 0, i, total = 0;
	char prev[RAND_CODE_SLICE + 1] = "", email[64];
	int64_t emp, ledger;
	int k, changes = 0;

	(void)state;
	/* A compose of its own: no slice half used by the other tests. */
	assert_non_null(c = compose_new(cfg));
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_employees_import_begin(db), 0);
	for (k = 0; k < 200; k++) {
		snprintf(email, sizeof(email), "slice%d@example.com", k);
		emp = add_employee(email, "S", "engineering", NET_ALL,
		    "daily");
		assert_int_equal(db_digest_ledger_add(db, emp, "2026-11-25",
		    NOW, &ledger), 0);
		assert_int_equal(compose_plan(c, db, emp, ledger,
		    "2026-11-25", NOW), 2);
		assert_int_equal(db_digest_planned_links(db, ledger, &links,
		    &nl, &cap), 0);
		assert_int_equal(nl, 6);
		for (i = 0; i < nl; i++) {
			assert_int_equal(strlen(links[i].code),
			    RAND_CODE_LEN);
			assert_memory_equal(links[i].code, links[0].code,
			    RAND_CODE_SLICE);
		}
		if (k > 0 && memcmp(prev, links[0].code,
		    RAND_CODE_SLICE) != 0) {
			changes++;
			/* Not before the slice is used up. */
			assert_true(total >= 1024);
			total = 0;
		}
		memcpy(prev, links[0].code, RAND_CODE_SLICE);
		total += nl;
	}
	assert_int_equal(db_commit(db), 0);
	/* 1,200 links: one new slice (two would mean one every 600). */
	assert_int_equal(changes, 1);
	free(links);
	compose_free(c);
}

/* A plan kept in memory renders byte for byte as the plan read back,
 * links reused from before included; on a compose of another thread's
 * kind (its own), as the send loop does. */
static void
test_plan_in_memory(void **state)
{
	struct compose *c, *r;
	struct compose_plan *p;
	struct db_posts cands = { NULL, 0 };
	struct buf mem, back;
	char rcpt[256], email[64], code[16];
	int64_t emp, ledger;
	size_t i;
	int k;
	static const unsigned nets[] = { NET_ALL, NET_BIT(NET_LINKEDIN),
	    NET_BIT(NET_X) | NET_BIT(NET_FACEBOOK) };

	(void)state;
	assert_non_null(c = compose_new(cfg));
	assert_non_null(r = compose_new(cfg));
	buf_init(&mem, 0);
	buf_init(&back, 0);
	/* Not asked: nothing kept. */
	assert_null(compose_plan_take(c));
	compose_keep_plans(c, 1);
	assert_int_equal(db_digest_candidates(db, "2026-11-26", &cands), 0);
	assert_true(cands.n > 0);
	for (k = 0; k < 3; k++) {
		snprintf(email, sizeof(email), "mem%d@example.com", k);
		assert_int_equal(db_begin(db), 0);
		assert_int_equal(db_employees_import_begin(db), 0);
		emp = add_employee(email, k == 1 ? "Zoë \"Z\" Mem" : "Mem",
		    "engineering", nets[k], "daily");
		/* A link that exists before the plan is reused, with its
		 * code. */
		for (i = 0; k == 0 && i < cands.n; i++) {
			snprintf(code, sizeof(code), "AAreuse%05d",
			    (int)(i % 100000));
			assert_int_equal(db_links_ensure(db, emp,
			    cands.v[i].id, NET_LINKEDIN, NOW, code), 1);
		}
		assert_int_equal(db_digest_ledger_add(db, emp, "2026-11-26",
		    NOW, &ledger), 0);
		assert_true(compose_plan(c, db, emp, ledger, "2026-11-26",
		    NOW) > 0);
		assert_int_equal(db_commit(db), 0);
		assert_non_null(p = compose_plan_take(c));
		assert_null(compose_plan_take(c));
		buf_reset(&mem);
		buf_reset(&back);
		assert_int_equal(compose_render_plan(r, db, p, NOW + 60, &mem,
		    rcpt, sizeof(rcpt)), 0);
		assert_string_equal(rcpt, email);
		compose_plan_free(p);
		assert_int_equal(compose_render(r, db, ledger, NOW + 60,
		    &back, rcpt, sizeof(rcpt)), 0);
		assert_int_equal(mem.len, back.len);
		assert_memory_equal(mem.data, back.data, mem.len);
		if (k == 0)
			assert_non_null(strstr(mem.data, "AAreuse"));
	}
	/* A plan not taken is dropped by the next one, or with the
	 * compose (ASan and valgrind would see a leak). */
	snprintf(email, sizeof(email), "mem%d@example.com", k);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_employees_import_begin(db), 0);
	emp = add_employee(email, "Mem", "engineering", NET_ALL, "daily");
	assert_int_equal(db_digest_ledger_add(db, emp, "2026-11-26", NOW,
	    &ledger), 0);
	assert_true(compose_plan(c, db, emp, ledger, "2026-11-26", NOW) > 0);
	assert_int_equal(db_commit(db), 0);
	db_digest_posts_free(&cands);
	buf_release(&mem);
	buf_release(&back);
	compose_free(r);
	compose_free(c);
}

/* Full results and highlights, long titles: what planning leaves room
 * for without rendering it. */
static int
big_extras(void *arg, struct db *d, int64_t employee_id, const char *date,
    time_t now, struct tdict *data)
{
	struct tdict *r, *h, *it;
	char title[301];
	int i;

	(void)arg;
	(void)d;
	(void)employee_id;
	(void)date;
	(void)now;
	memset(title, '"', 300);
	title[300] = '\0';
	r = tdict_add_item(data, "results");
	tdict_set_int(r, "clicks", 123456);
	tdict_set_int(r, "people", 65432);
	tdict_set(r, "best_post", title);
	tdict_set_bool(r, "thanks", 1);
	h = tdict_add_item(data, "highlights");
	for (i = 0; i < 3; i++) {	/* DB_HIGHLIGHTS_MAX */
		it = tdict_add_item(h, "top_posts");
		tdict_set(it, "title", title);
		tdict_set_int(it, "clicks", 1000 - i);
		it = tdict_add_item(h, "top_advocates");
		tdict_set(it, "first_name", title + 100);
		tdict_set(it, "role", "Engineering & Ops");
	}
	tdict_set_int(h, "team_clicks", 99999);
	return 0;
}

/* The raw (quoted-printable) HTML part of a message, and decoded. */
static size_t
html_part(const struct buf *msg, struct buf *html)
{
	const char *p = strstr(msg->data, "Content-Type: text/html"), *e;

	assert_non_null(p);
	p = strstr(p, "\r\n\r\n");
	assert_non_null(p);
	p += 4;
	e = strstr(p, "\r\n--=_");
	assert_non_null(e);
	buf_reset(html);
	assert_int_equal(mime_qp_decode(html, p, (size_t)(e - p)), 0);
	return (size_t)(e - p);
}

/* digest.max_posts = 50 with long posts, the shipped templates: the HTML
 * part stays under 90 KB, the footer is there, and the posts left out are
 * not suggested, so the next day offers them, best first. */
static void
test_never_clipped(void **state)
{
	struct config *c2 = config_new();
	struct compose *c;
	struct buf msg, html, text, longtext;
	char id[16], title[64], path[256], rcpt[256], unsub[128];
	const char *src = getenv("CHORUS_SRC");
	int64_t emp, l1, l2, *sugg = NULL;
	size_t nsugg = 0, suggcap = 0, raw, i;
	struct db_employee e;
	struct post_in p;
	enum db_upsert res;
	int n1, n2, k;

	(void)state;
	buf_init(&msg, 0);
	buf_init(&html, 0);
	buf_init(&text, 0);
	buf_init(&longtext, 0);
	/* 1,200 bytes a text, with characters HTML escapes. */
	for (k = 0; k < 40; k++)
		assert_int_equal(buf_adds(&longtext, "Share \"this\" & that: "
		    "<great> news. "), 0);
	snprintf(path, sizeof(path), "%s/templates", src ? src : ".");
	assert_int_equal(config_set(c2, "chorus.templates", path, "test"), 0);
	assert_int_equal(config_set(c2, "chorus.base_url",
	    "https://go.example.com", "test"), 0);
	assert_int_equal(config_set(c2, "digest.max_posts", "50", "test"), 0);
	assert_int_equal(config_set(c2, "digest.from",
	    "Comms Team <comms@example.com>", "test"), 0);
	assert_non_null(c = compose_new(c2));
	compose_set_extras(c, big_extras, NULL);

	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_employees_import_begin(db), 0);
	emp = add_employee("many@example.com", "Many Posts", "bulk", NET_ALL,
	    "daily");
	for (k = 0; k < 50; k++) {
		memset(&p, 0, sizeof(p));
		snprintf(id, sizeof(id), "bulk%02d", k);
		snprintf(title, sizeof(title), "Bulk post %02d", k);
		p.id = id;
		p.title = title;
		p.url = "https://example.com/a/rather/long/path?utm_x=1&b=2";
		p.summary = buf_cstr(&longtext);
		p.text = buf_cstr(&longtext);
		p.text_net[NET_X] = "Short for X";
		p.priority = 1000 - k;	/* bulk00 first */
		p.roles[p.nroles++] = "bulk";
		assert_int_equal(db_posts_upsert(db, &p, NOW - 86400 * 30,
		    &res), 0);
	}
	assert_int_equal(db_digest_ledger_add(db, emp, "2026-11-23", NOW,
	    &l1), 0);
	n1 = compose_plan(c, db, emp, l1, "2026-11-23", NOW);
	assert_int_equal(db_commit(db), 0);
	assert_true(n1 >= 1 && n1 < 50);

	assert_int_equal(compose_render(c, db, l1, NOW, &msg, rcpt,
	    sizeof(rcpt)), 0);
	raw = html_part(&msg, &html);
	assert_true(raw < 90 * 1024);
	assert_true(html.len < 90 * 1024);
	/* The footer is reached: preferences and unsubscribe. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(db_digest_employee_by_id(db, emp, &e), 1);
	snprintf(unsub, sizeof(unsub), "https://go.example.com/u/%s",
	    e.unsub_token);
	assert_non_null(strstr(buf_cstr(&html), unsub));
	assert_non_null(strstr(buf_cstr(&html), ">Unsubscribe</a>"));
	assert_non_null(strstr(buf_cstr(&html), ">Preferences</a>"));
	assert_non_null(strstr(buf_cstr(&html), "</html>"));
	text_part(&msg, &text);
	assert_non_null(strstr(buf_cstr(&text), unsub));
	/* The best posts went in; the last one shown is bulk(n1-1). */
	snprintf(title, sizeof(title), "Bulk post %02d<", n1 - 1);
	assert_non_null(strstr(buf_cstr(&html), title));
	snprintf(title, sizeof(title), "Bulk post %02d<", n1);
	assert_null(strstr(buf_cstr(&html), title));

	/* Only those are suggested... */
	assert_int_equal(db_digest_suggested(db, emp, &sugg, &nsugg,
	    &suggcap), 0);
	assert_int_equal(nsugg, (size_t)n1);
	/* ...and the next day brings the ones left out, best first. */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_digest_ledger_add(db, emp, "2026-11-24", NOW,
	    &l2), 0);
	n2 = compose_plan(c, db, emp, l2, "2026-11-24", NOW + 86400);
	assert_int_equal(db_commit(db), 0);
	assert_true(n2 >= 1 && n1 + n2 <= 50);
	buf_reset(&msg);
	assert_int_equal(compose_render(c, db, l2, NOW + 86400, &msg, rcpt,
	    sizeof(rcpt)), 0);
	assert_true(html_part(&msg, &html) < 90 * 1024);
	snprintf(title, sizeof(title), "Bulk post %02d<", n1);
	assert_non_null(strstr(buf_cstr(&html), title));
	for (i = 0; i < (size_t)n1; i++) {
		snprintf(title, sizeof(title), "Bulk post %02zu<", i);
		assert_null(strstr(buf_cstr(&html), title));
	}
	assert_int_equal(db_digest_suggested(db, emp, &sugg, &nsugg,
	    &suggcap), 0);
	assert_int_equal(nsugg, (size_t)(n1 + n2));
	print_message("max_posts 50: %d posts, then %d; HTML part %zu "
	    "bytes as sent\n", n1, n2, raw);

	db_digest_employee_clear(&e);
	free(e.rolebuf);
	free(sugg);
	buf_release(&msg);
	buf_release(&html);
	buf_release(&text);
	buf_release(&longtext);
	compose_free(c);
	config_free(c2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_and_render),
		cmocka_unit_test(test_never_twice),
		cmocka_unit_test(test_frequency),
		cmocka_unit_test(test_preview),
		cmocka_unit_test(test_no_stale_snapshot),
		cmocka_unit_test(test_bad_settings),
		cmocka_unit_test(test_slices),
		cmocka_unit_test(test_plan_in_memory),
		cmocka_unit_test(test_never_clipped),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
