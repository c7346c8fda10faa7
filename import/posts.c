/* import/posts: the columns of posts.csv and their validation. */
#include <stdio.h>
#include <string.h>

#include "common/network.h"
#include "common/validate.h"
#include "db/posts.h"
#include "import/import.h"

enum { C_ID, C_TITLE, C_URL, C_SUMMARY, C_ROLES, C_TEXT, C_TEXT_LINKEDIN,
	C_TEXT_X, C_TEXT_FACEBOOK, C_STARTS, C_EXPIRES, C_PRIORITY, C_AUDIENCE,
	C_NCOLS };

static const struct import_col post_cols[C_NCOLS] = {
	[C_ID] = { "id", 1 },
	[C_TITLE] = { "title", 1 },
	[C_URL] = { "url", 1 },
	[C_SUMMARY] = { "summary", 0 },
	[C_ROLES] = { "roles", 0 },
	[C_TEXT] = { "text", 0 },
	[C_TEXT_LINKEDIN] = { "text_linkedin", 0 },
	[C_TEXT_X] = { "text_x", 0 },
	[C_TEXT_FACEBOOK] = { "text_facebook", 0 },
	[C_STARTS] = { "starts", 0 },
	[C_EXPIRES] = { "expires", 0 },
	[C_PRIORITY] = { "priority", 0 },
	[C_AUDIENCE] = { "audience", 0 },
};

/* Lengths past which a value is surely a mistake. */
#define ID_MAX_LEN	100
#define TITLE_MAX_LEN	300
#define TEXT_MAX_LEN	5000

/* Columns that can reach a header (subject, Location) must be one line;
 * the body texts may have line breaks. */
static const int multiline[C_NCOLS] = {
	[C_SUMMARY] = 1, [C_TEXT] = 1, [C_TEXT_LINKEDIN] = 1,
	[C_TEXT_X] = 1, [C_TEXT_FACEBOOK] = 1,
};

/* The optional columns, and what an existing post keeps without them. */
static const struct {
	size_t		 col;
	unsigned	 keep;
} keeps[] = {
	{ C_SUMMARY, POST_KEEP_SUMMARY },
	{ C_ROLES, POST_KEEP_ROLES },
	{ C_TEXT, POST_KEEP_TEXT },
	{ C_TEXT_LINKEDIN, POST_KEEP_TEXT_NET << NET_LINKEDIN },
	{ C_TEXT_X, POST_KEEP_TEXT_NET << NET_X },
	{ C_TEXT_FACEBOOK, POST_KEEP_TEXT_NET << NET_FACEBOOK },
	{ C_STARTS, POST_KEEP_STARTS },
	{ C_EXPIRES, POST_KEEP_EXPIRES },
	{ C_PRIORITY, POST_KEEP_PRIORITY },
	{ C_AUDIENCE, POST_KEEP_AUDIENCE },
};

static const char *
opt(const char *v)
{
	return *v != '\0' ? v : NULL;
}

static int
post_row(struct import *imp, const char **v)
{
	struct post_in p;
	char rolebuf[2048];
	const char *why;
	unsigned long prev;
	size_t i;
	int n, y, m, d, bad = 0;
	long prio = 0;
	enum db_upsert res;

	memset(&p, 0, sizeof(p));
	for (i = 0; i < C_NCOLS; i++) {
		if ((multiline[i] ? validate_text(v[i], &why) :
		    validate_header_safe(v[i], &why)) == -1) {
			import_error(imp, post_cols[i].name, "%s", why);
			bad = 1;
		} else if (strlen(v[i]) > TEXT_MAX_LEN) {
			import_error(imp, post_cols[i].name,
			    "longer than %d bytes", TEXT_MAX_LEN);
			bad = 1;
		}
	}
	if (bad)
		return 0;

	if (*v[C_ID] == '\0')
		import_error(imp, "id", "required");
	else if (strlen(v[C_ID]) > ID_MAX_LEN)
		import_error(imp, "id", "longer than %d bytes", ID_MAX_LEN);
	else if ((prev = import_key_seen(imp, v[C_ID])) != 0)
		import_error(imp, "id", "duplicate of line %lu", prev);
	p.id = v[C_ID];

	if (*v[C_TITLE] == '\0')
		import_error(imp, "title", "required");
	else if (strlen(v[C_TITLE]) > TITLE_MAX_LEN)
		import_error(imp, "title", "longer than %d bytes",
		    TITLE_MAX_LEN);
	p.title = v[C_TITLE];

	if (*v[C_URL] == '\0')
		import_error(imp, "url", "required");
	else if (validate_url(v[C_URL], &why) == -1)
		import_error(imp, "url", "%s", why);
	p.url = v[C_URL];

	p.summary = opt(v[C_SUMMARY]);
	p.text = opt(v[C_TEXT]);
	p.text_net[NET_LINKEDIN] = opt(v[C_TEXT_LINKEDIN]);
	p.text_net[NET_X] = opt(v[C_TEXT_X]);
	p.text_net[NET_FACEBOOK] = opt(v[C_TEXT_FACEBOOK]);

	if (*v[C_ROLES] == '\0' || strcmp(v[C_ROLES], "*") == 0)
		p.everyone = 1;
	else if ((n = import_split_roles(imp, "roles", v[C_ROLES], rolebuf,
	    sizeof(rolebuf), p.roles, POST_MAX_ROLES)) >= 0) {
		p.nroles = (size_t)n;
		for (i = 0; i < p.nroles; i++)
			if (strcmp(p.roles[i], "*") == 0)
				p.everyone = 1;
		if (p.everyone)
			p.nroles = 0;
	}

	if (*v[C_STARTS] != '\0' &&
	    validate_date(v[C_STARTS], &y, &m, &d, &why) == -1)
		import_error(imp, "starts", "%s", why);
	else
		p.starts = opt(v[C_STARTS]);
	if (*v[C_EXPIRES] != '\0' &&
	    validate_date(v[C_EXPIRES], &y, &m, &d, &why) == -1)
		import_error(imp, "expires", "%s", why);
	else {
		p.expires = opt(v[C_EXPIRES]);
		if (p.starts != NULL && p.expires != NULL &&
		    strcmp(p.expires, p.starts) < 0)
			import_error(imp, "expires", "before starts (%s)",
			    p.starts);
	}

	if (*v[C_PRIORITY] != '\0' &&
	    validate_int(v[C_PRIORITY], -1000000, 1000000, &prio, &why) == -1)
		import_error(imp, "priority", "%s", why);
	p.priority = prio;

	if (*v[C_AUDIENCE] != '\0' && validate_audience(v[C_AUDIENCE],
	    &p.audience_count, &p.audience_hundredths, &why) == -1)
		import_error(imp, "audience", "%s", why);

	/* A column left out changes nothing stored (a new post takes the
	 * defaults). */
	for (i = 0; i < sizeof(keeps) / sizeof(keeps[0]); i++)
		if (!import_has(imp, keeps[i].col))
			p.keep |= keeps[i].keep;

	if (!import_ok(imp))
		return 0;
	if (db_posts_upsert(import_db(imp), &p, import_now(imp), &res) == -1)
		return -1;
	if (res == DB_REFUSED) {
		import_error(imp, p.starts != NULL ? "starts" : "expires",
		    "the post's window would end before it starts (with the "
		    "stored %s)", p.starts != NULL ? "expires" : "starts");
		return 0;
	}
	import_count(imp, res == DB_ADDED ? IMPORT_ADDED :
	    res == DB_UPDATED ? IMPORT_UPDATED : IMPORT_UNCHANGED, 1);
	return 0;
}

static int
post_begin(struct import *imp)
{
	return db_posts_import_begin(import_db(imp));
}

const struct import_kind import_posts = {
	"posts", post_cols, C_NCOLS, post_begin, post_row, NULL, NULL,
};
