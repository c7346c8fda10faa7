/*
 * test_template: the template engine. Golden files tests/data/template/
 * NAME.tmpl rendered with the data built below must give NAME.out byte for
 * byte; compile errors must give the exact message and line. The shipped
 * templates/digest.{html,txt} are rendered with a sample digest too.
 *
 * After changing a shipped template, "test_template write DIR" writes the
 * sample renderings into DIR (to look at, and to become the new
 * tests/data/template/digest*.out once they look right); "test_template
 * bench" times the rendering of the sample digest (bench/template.sh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/shipped.h"
#include "common/template.h"

static char *
slurp(const char *name, const char *ext, size_t *lenp)
{
	const char *src = getenv("CHORUS_SRC");
	char path[512];
	FILE *fp;
	char *s;
	long n;

	snprintf(path, sizeof(path), "%s/tests/data/template/%s%s",
	    src != NULL ? src : ".", name, ext);
	fp = fopen(path, "rb");
	if (fp == NULL)
		fail_msg("cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = malloc((size_t)n + 1);
	assert_true(s != NULL);
	assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
	s[n] = '\0';
	fclose(fp);
	*lenp = (size_t)n;
	return s;
}

/*
 * escape, text: x = <a href="/?a=1&b=2">Tom & Jerry's</a>, n = 42,
 * zero = 0, yes = true, no = false, list = [{}]. escape is compiled as
 * HTML, text (the same template) as TEXT.
 */
static void
data_escape(struct tdict *d)
{
	tdict_set(d, "x", "<a href=\"/?a=1&b=2\">Tom & Jerry's</a>");
	tdict_set_int(d, "n", 42);
	tdict_set_int(d, "zero", 0);
	tdict_set_bool(d, "yes", 1);
	tdict_set_bool(d, "no", 0);
	tdict_add_item(d, "list");
}

/*
 * sections: first_name = Ada, posts = [
 *   { title = "Launch <day>", networks = [
 *       { label = LinkedIn, share_url = https://c.example/s/AAA },
 *       { label = X, share_url = https://c.example/s/B&B } ] },
 *   { title = "Quiet post" } ]
 * The networks' lines use title and first_name from the outer scopes.
 */
static void
data_sections(struct tdict *d)
{
	struct tdict *post, *net;

	tdict_set(d, "first_name", "Ada");
	post = tdict_add_item(d, "posts");
	tdict_set(post, "title", "Launch <day>");
	net = tdict_add_item(post, "networks");
	tdict_set(net, "label", "LinkedIn");
	tdict_set(net, "share_url", "https://c.example/s/AAA");
	net = tdict_add_item(post, "networks");
	tdict_set(net, "label", "X");
	tdict_set(net, "share_url", "https://c.example/s/B&B");
	post = tdict_add_item(d, "posts");
	tdict_set(post, "title", "Quiet post");
}

/*
 * sections_empty: the same template with first_name = Bo and no posts.
 */
static void
data_sections_empty(struct tdict *d)
{
	tdict_set(d, "first_name", "Bo");
}

/*
 * inverted: empty = "", zero = 0, no = false, name = Ada, n = 3,
 * yes = true, list = [{i = 1}, {i = 2}], results = [{clicks = 12,
 * best_post = ""}]; missing and nolist are not set.
 */
static void
data_inverted(struct tdict *d)
{
	struct tdict *item;

	tdict_set(d, "empty", "");
	tdict_set_int(d, "zero", 0);
	tdict_set_bool(d, "no", 0);
	tdict_set(d, "name", "Ada");
	tdict_set_int(d, "n", 3);
	tdict_set_bool(d, "yes", 1);
	item = tdict_add_item(d, "list");
	tdict_set_int(item, "i", 1);
	item = tdict_add_item(d, "list");
	tdict_set_int(item, "i", 2);
	item = tdict_add_item(d, "results");
	tdict_set_int(item, "clicks", 12);
	tdict_set(item, "best_post", "");
}

/*
 * standalone (TEXT): list = [{i = 1}, {i = 2}], yes = true, no = false,
 * x = <x>. Tags alone on their line (also indented, with CRLF, and a
 * comment over two lines) vanish with their line; others stay inline.
 */
static void
data_standalone(struct tdict *d)
{
	struct tdict *item;

	item = tdict_add_item(d, "list");
	tdict_set_int(item, "i", 1);
	item = tdict_add_item(d, "list");
	tdict_set_int(item, "i", 2);
	tdict_set_bool(d, "yes", 1);
	tdict_set_bool(d, "no", 0);
	tdict_set(d, "x", "<x>");
}

/*
 * digest, digest_plain: the sample digest of Maya Okafor, Monday 23
 * November 2026, from "Northwind Communications", base
 * https://go.northwind.example:
 *   posts: "Northwind opens its first solar-powered data centre in
 *          Lisbon" (LinkedIn, X, Facebook), "We're hiring 40 engineers
 *          in Porto & Berlin" (LinkedIn, X), "Customer story: how Alba
 *          Foods cut delivery emissions by 30%" (no summary, LinkedIn);
 *   results: 37 clicks, 29 people, a best post and thanks = true;
 *   highlights: three top posts (the third of one click), three top
 *   advocates, 1284 team clicks.
 * digest_plain has no results and no highlights (any day but Monday);
 * digest_quiet has results with 0 clicks, 0 people, no best post and
 * thanks = false, and highlights with no top posts nor advocates.
 */
static const struct sample_net {
	const char	*network, *label, *code, *text;
} sample_nets[3][3] = {
	{
		{ "linkedin", "LinkedIn", "aB3dE5fG7h",
		  "Proud of this one: our new Lisbon data centre runs on "
		  "sunshine, and it will save 4,000 tonnes of CO2 a year. "
		  "Have a look at how the team built it." },
		{ "x", "X", "Kp9Lm2Qr4s",
		  "Our Lisbon data centre now runs on solar power. "
		  "4,000 t of CO2 saved a year." },
		/* The post's own text: no text of its own, its link alone. */
		{ "facebook", "Facebook", "Zt6Vw8Xy1a",
		  "Proud of this one: our new Lisbon data centre runs on "
		  "sunshine, and it will save 4,000 tonnes of CO2 a year. "
		  "Have a look at how the team built it." },
	},
	{
		{ "linkedin", "LinkedIn", "Hq2Jk4Nb6c",
		  "We are growing! Northwind is hiring 40 engineers in Porto "
		  "& Berlin: backend, data and \"site reliability\". Know "
		  "someone great?" },
		{ "x", "X", "Rd5Fg7Ts9u",
		  "Northwind is hiring 40 engineers in Porto & Berlin." },
		{ NULL, NULL, NULL, NULL },
	},
	{
		{ "linkedin", "LinkedIn", "Wm3Pe8Yo2i",
		  "How Alba Foods cut delivery emissions by 30% with smarter "
		  "routes." },
		{ NULL, NULL, NULL, NULL },
		{ NULL, NULL, NULL, NULL },
	},
};

static const struct sample_post {
	const char	*title, *summary, *url;
} sample_posts[3] = {
	{ "Northwind opens its first solar-powered data centre in Lisbon",
	  "Thirty thousand panels on the roof and the car park cover the "
	  "whole building by day, and a battery bank carries it through "
	  "the evening peak.",
	  "https://www.northwind.example/news/lisbon-solar-data-centre" },
	{ "We're hiring 40 engineers in Porto & Berlin",
	  "Backend, data and site reliability roles, remote-friendly, with "
	  "a referral bonus for every hire you bring.",
	  "https://careers.northwind.example/?team=eng&city=porto" },
	{ "Customer story: how Alba Foods cut delivery emissions by 30%",
	  "",
	  "https://www.northwind.example/customers/alba-foods" },
};

static void
data_digest_common(struct tdict *d)
{
	struct tdict *post, *net;
	char s[512];
	size_t i, j;

	tdict_set(d, "first_name", "Maya");
	tdict_set(d, "name", "Maya Okafor");
	tdict_set(d, "date", "2026-11-23");
	tdict_set(d, "date_human", "Monday 23 November 2026");
	tdict_set(d, "sender", "Northwind Communications");
	tdict_set(d, "subject", "Northwind opens its first solar-powered "
	    "data centre in Lisbon (+2 more to share today)");
	tdict_set(d, "preheader", "3 posts to share: Northwind opens its "
	    "first solar-powered data centre in Lisbon, We're hiring 40 "
	    "engineers in Porto & Berlin, Customer story: how Alba Foods cut "
	    "delivery emissions by 30%");
	tdict_set_int(d, "post_count", 3);
	tdict_set(d, "posts_label", "3 posts");
	tdict_set_bool(d, "weekly", 0);
	for (i = 0; i < 3; i++) {
		post = tdict_add_item(d, "posts");
		tdict_set(post, "title", sample_posts[i].title);
		tdict_set(post, "summary", sample_posts[i].summary);
		tdict_set(post, "url", sample_posts[i].url);
		/* The first network's text and link are the post's. */
		tdict_set(post, "text", sample_nets[i][0].text);
		snprintf(s, sizeof(s), "https://go.northwind.example/%s",
		    sample_nets[i][0].code);
		tdict_set(post, "link", s);
		tdict_set(post, "link_text", s + 8);
		snprintf(s, sizeof(s), "https://go.northwind.example/n/%s",
		    sample_nets[i][0].code);
		tdict_set(post, "decline_url", s);
		for (j = 0; j < 3 && sample_nets[i][j].network != NULL; j++) {
			net = tdict_add_item(post, "networks");
			tdict_set(net, "network", sample_nets[i][j].network);
			tdict_set(net, "label", sample_nets[i][j].label);
			if (j > 0 && strcmp(sample_nets[i][j].text,
			    sample_nets[i][0].text) != 0)
				tdict_set(net, "own_text",
				    sample_nets[i][j].text);
			snprintf(s, sizeof(s), "https://go.northwind.example/%s",
			    sample_nets[i][j].code);
			tdict_set(net, "link", s);
			if (j > 0) {
				tdict_set(net, "other_link", s);
				tdict_set(net, "other_link_text", s + 8);
			}
			snprintf(s, sizeof(s), "https://go.northwind.example/"
			    "s/%s", sample_nets[i][j].code);
			tdict_set(net, "share_url", s);
			snprintf(s, sizeof(s), "%s https://go.northwind.example/"
			    "%s", sample_nets[i][j].text,
			    sample_nets[i][j].code);
			tdict_set(net, "text", s);
		}
	}
	tdict_set(d, "prefs_url", "https://go.northwind.example/p/"
	    "3f2b8c1e-7a4d-4e9b-9c61-0d5e8f7a2b34");
	tdict_set(d, "unsub_url", "https://go.northwind.example/u/"
	    "9a7c5e3b-1d2f-4a6b-8c0e-f1e2d3c4b5a6");
}

static void
data_digest(struct tdict *d)
{
	struct tdict *r, *h, *item;

	data_digest_common(d);
	r = tdict_add_item(d, "results");
	tdict_set_int(r, "clicks", 37);
	tdict_set(r, "clicks_word", "clicks");
	tdict_set_int(r, "people", 29);
	tdict_set(r, "people_word", "people");
	tdict_set(r, "best_post", "Our 2026 impact report is out");
	tdict_set_bool(r, "thanks", 1);
	h = tdict_add_item(d, "highlights");
	tdict_set_int(h, "team_clicks", 1284);
	tdict_set(h, "team_clicks_word", "clicks");
	item = tdict_add_item(h, "top_posts");
	tdict_set(item, "title", "Our 2026 impact report is out");
	tdict_set_int(item, "clicks", 412);
	tdict_set(item, "clicks_word", "clicks");
	item = tdict_add_item(h, "top_posts");
	tdict_set(item, "title", "Meet the Northwind Foundation's new "
	    "scholarship class");
	tdict_set_int(item, "clicks", 268);
	tdict_set(item, "clicks_word", "clicks");
	item = tdict_add_item(h, "top_posts");
	tdict_set(item, "title", "Northwind named a Great Place to Work in "
	    "Portugal");
	tdict_set_int(item, "clicks", 1);
	tdict_set(item, "clicks_word", "click");
	item = tdict_add_item(h, "top_advocates");
	tdict_set(item, "first_name", "Jo\xc3\xa3o");
	tdict_set(item, "role", "Sales");
	item = tdict_add_item(h, "top_advocates");
	tdict_set(item, "first_name", "Priya");
	tdict_set(item, "role", "Engineering");
	item = tdict_add_item(h, "top_advocates");
	tdict_set(item, "first_name", "Lena");
	tdict_set(item, "role", "");
}

static void
data_digest_quiet(struct tdict *d)
{
	struct tdict *r, *h;

	data_digest_common(d);
	r = tdict_add_item(d, "results");
	tdict_set_int(r, "clicks", 0);
	tdict_set(r, "clicks_word", "clicks");
	tdict_set_int(r, "people", 0);
	tdict_set(r, "people_word", "people");
	tdict_set_bool(r, "thanks", 0);
	h = tdict_add_item(d, "highlights");
	tdict_set_int(h, "team_clicks", 0);
	tdict_set(h, "team_clicks_word", "clicks");
}

static const struct golden {
	const char	*out;		/* NAME.out */
	const char	*tmpl;		/* NAME.tmpl */
	int		 flags;
	void		(*fill)(struct tdict *);
} goldens[] = {
	{ "escape", "escape", 0, data_escape },
	{ "text", "text", TEMPLATE_TEXT, data_escape },
	{ "sections", "sections", 0, data_sections },
	{ "sections_empty", "sections", 0, data_sections_empty },
	{ "inverted", "inverted", TEMPLATE_TEXT, data_inverted },
	{ "standalone", "standalone", TEMPLATE_TEXT, data_standalone },
	{ "digest.html", "../../../templates/digest.html", 0, data_digest },
	{ "digest.txt", "../../../templates/digest.txt", TEMPLATE_TEXT,
	  data_digest },
	{ "digest_plain.html", "../../../templates/digest.html", 0,
	  data_digest_common },
	{ "digest_plain.txt", "../../../templates/digest.txt", TEMPLATE_TEXT,
	  data_digest_common },
	{ "digest_quiet.html", "../../../templates/digest.html", 0,
	  data_digest_quiet },
	{ "digest_quiet.txt", "../../../templates/digest.txt", TEMPLATE_TEXT,
	  data_digest_quiet },
};

static void
test_golden(void **state)
{
	struct template *t;
	struct tdict *d;
	struct buf out;
	char err[256], *src, *want;
	size_t i, len, wlen;
	int round;

	(void)state;
	d = tdict_new();
	buf_init(&out, 0);
	for (i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		src = slurp(goldens[i].tmpl, strchr(goldens[i].tmpl, '.') ?
		    "" : ".tmpl", &len);
		want = slurp(goldens[i].out, ".out", &wlen);
		t = template_compile(goldens[i].tmpl, src, len,
		    goldens[i].flags, err, sizeof(err));
		if (t == NULL)
			fail_msg("%s", err);
		/* Twice, the second time after clearing and refilling. */
		for (round = 0; round < 2; round++) {
			tdict_clear(d);
			goldens[i].fill(d);
			buf_reset(&out);
			assert_int_equal(template_render(t, d, &out), 0);
			if (out.len != wlen ||
			    memcmp(out.data, want, wlen) != 0)
				fail_msg("%s: got\n%s", goldens[i].out,
				    buf_cstr(&out));
		}
		template_free(t);
		free(src);
		free(want);
	}
	buf_release(&out);
	tdict_free(d);
}

static const struct bad {
	const char	*src;
	const char	*err;
} bads[] = {
	{ "a\nb\n{{#posts}}\nx\n", "t.html:3: unclosed section 'posts'" },
	{ "{{#a}}{{#b}}\n{{/b}}", "t.html:1: unclosed section 'a'" },
	{ "{{#a}}\n{{#b}}\n{{/a}}",
	  "t.html:3: 'a' closed, but open section is 'b' (line 2)" },
	{ "x\n{{/a}}", "t.html:2: close of 'a' without an open section" },
	{ "x\n\ny {{name", "t.html:3: unterminated tag" },
	{ "{{name\n}}", "t.html:1: unterminated tag" },
	{ "{{{name}}", "t.html:1: unterminated tag" },
	{ "{{!never closed", "t.html:1: unterminated tag" },
	{ "{{}}", "t.html:1: empty tag name" },
	{ "\n{{#  }}{{/ }}", "t.html:2: empty tag name" },
	{ "{{{ }}}", "t.html:1: empty tag name" },
	{ "{{a b}}", "t.html:1: bad character in tag name 'a b'" },
	{ "{{ #a }}", "t.html:1: bad character in tag name '#a'" },
	{ "{{>partial}}", "t.html:1: unsupported tag '{{>'" },
	{ "{{=<% %>=}}", "t.html:1: unsupported tag '{{='" },
	{ "{{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}}",
	  "t.html:1: tag name longer than 64 bytes" },
	{ "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
	  "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}\n{{#a}}",
	  "t.html:2: sections nested deeper than 16" },
	{ "{{! a\ncomment }}\n{{^x}}\n", "t.html:3: unclosed section 'x'" },
};

static void
test_errors(void **state)
{
	struct template *t;
	const char *src;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		strcpy(err, "(unset)");
		t = template_compile("t.html", bads[i].src,
		    strlen(bads[i].src), 0, err, sizeof(err));
		if (t != NULL)
			fail_msg("compiled: %s", bads[i].src);
		assert_string_equal(err, bads[i].err);
	}
	/* Sixteen levels are allowed. */
	src = "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
	    "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
	    "x{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}"
	    "{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}";
	t = template_compile("t.html", src, strlen(src), 0, err, sizeof(err));
	assert_true(t != NULL);
	template_free(t);
	/* A lone brace or a single "{" "}" is text. */
	t = template_compile("t.html", "{ } }} {x}", 10, 0, err, sizeof(err));
	assert_true(t != NULL);
	template_free(t);
}

static const char *
render1(const char *src, int flags, const struct tdict *d, struct buf *out)
{
	struct template *t;
	char err[256];

	t = template_compile("t", src, strlen(src), flags, err, sizeof(err));
	if (t == NULL)
		fail_msg("%s", err);
	buf_reset(out);
	assert_int_equal(template_render(t, d, out), 0);
	template_free(t);
	return buf_cstr(out);
}

/* Inner names hide outer ones; an item's missing name falls outwards. */
static void
test_scope(void **state)
{
	struct tdict *d, *a, *b;
	struct buf out;

	(void)state;
	buf_init(&out, 0);
	d = tdict_new();
	tdict_set(d, "v", "root");
	tdict_set(d, "only_root", "R");
	a = tdict_add_item(d, "as");
	tdict_set(a, "v", "a1");
	b = tdict_add_item(a, "bs");
	tdict_set(b, "v", "b1");
	(void)tdict_add_item(a, "bs");
	a = tdict_add_item(d, "as");
	tdict_set(a, "v", "a2");
	assert_string_equal(render1("{{v}}[{{#as}}{{v}}({{#bs}}{{v}}"
	    "{{only_root}},{{/bs}}){{/as}}]{{v}}", 0, d, &out),
	    "root[a1(b1R,a1R,)a2()]root");
	/* An empty template, or one of comments only, renders nothing. */
	assert_string_equal(render1("", 0, d, &out), "");
	assert_string_equal(render1("{{! x }}\n  {{! y }}  \n", 0, d, &out),
	    "");
	/* Setting a key again replaces it, whatever it was. */
	tdict_set(d, "as", "now a string");
	tdict_set(d, "v", NULL);
	assert_string_equal(render1("{{v}}|{{as}}|{{#as}}yes{{/as}}", 0, d,
	    &out), "|now a string|yes");
	tdict_set_int(d, "as", -7);
	tdict_setn(d, "v", "a\0b", 3);
	render1("{{as}}|{{v}}", TEMPLATE_TEXT, d, &out);
	assert_int_equal(out.len, 6);
	assert_true(memcmp(out.data, "-7|a\0b", 6) == 0);
	/* Escaping goes on past a NUL inside the value. */
	tdict_setn(d, "v", "<\0&\0>'x", 7);
	render1("[{{v}}]", 0, d, &out);
	assert_int_equal(out.len, 23);
	assert_true(memcmp(out.data, "[&lt;\0&amp;\0&gt;&#39;x]", 23) == 0);
	tdict_setn(d, "v", "a\0b\0", 4);
	render1("[{{v}}]", 0, d, &out);
	assert_int_equal(out.len, 6);
	assert_true(memcmp(out.data, "[a\0b\0]", 6) == 0);
	tdict_free(d);
	buf_release(&out);
}

/* At the cap, rendering fails and leaves the buffer as it was. */
static void
test_cap(void **state)
{
	struct template *t;
	struct tdict *d;
	struct buf out;
	char err[256];
	const char *src = "{{#l}}<{{x}}>{{/l}}";

	(void)state;
	d = tdict_new();
	tdict_set(d, "x", "&");
	tdict_add_item(d, "l");
	tdict_add_item(d, "l");
	t = template_compile("t", src, strlen(src), 0, err, sizeof(err));
	assert_true(t != NULL);
	/* "<&amp;><&amp;>" is 14 bytes. */
	buf_init(&out, 16);
	assert_int_equal(buf_adds(&out, "ab"), 0);
	assert_int_equal(template_render(t, d, &out), 0);
	assert_string_equal(buf_cstr(&out), "ab<&amp;><&amp;>");
	buf_reset(&out);
	assert_int_equal(buf_adds(&out, "abc"), 0);
	assert_int_equal(template_render(t, d, &out), -1);
	assert_string_equal(buf_cstr(&out), "abc");
	assert_int_equal(out.len, 3);
	buf_release(&out);
	buf_init(&out, 5);
	assert_int_equal(template_render(t, d, &out), -1);
	assert_int_equal(out.len, 0);
	assert_string_equal(buf_cstr(&out), "");
	buf_release(&out);
	template_free(t);
	tdict_free(d);
}

/* A large fill, cleared and refilled, renders the same. */
static void
test_reuse(void **state)
{
	struct template *t;
	struct tdict *d, *item;
	struct buf out;
	char err[256], key[32], *first;
	const char *src = "{{#items}}{{k}}={{v}};{{/items}}";
	int round, i;

	(void)state;
	d = tdict_new();
	buf_init(&out, 0);
	t = template_compile("t", src, strlen(src), 0, err, sizeof(err));
	assert_true(t != NULL);
	first = NULL;
	for (round = 0; round < 3; round++) {
		tdict_clear(d);
		for (i = 0; i < 2000; i++) {
			item = tdict_add_item(d, "items");
			snprintf(key, sizeof(key), "key%d", i);
			tdict_set(item, "k", key);
			tdict_set_int(item, "v", i * round);
		}
		buf_reset(&out);
		assert_int_equal(template_render(t, d, &out), 0);
		if (round == 0)
			first = strdup(buf_cstr(&out));
		else if (round == 2)
			assert_true(strstr(buf_cstr(&out), ";key1999=3998;")
			    != NULL);
	}
	assert_true(first != NULL);
	assert_true(strncmp(first, "key0=0;key1=0;", 14) == 0);
	free(first);
	/* Clearing an item empties only that item. */
	tdict_clear(d);
	tdict_set(d, "k", "outer");
	item = tdict_add_item(d, "items");
	tdict_set(item, "k", "inner");
	tdict_clear(item);
	buf_reset(&out);
	assert_int_equal(template_render(t, d, &out), 0);
	assert_string_equal(buf_cstr(&out), "outer=;");
	tdict_free(item);	/* ignored: items belong to the root */
	tdict_free(d);
	tdict_free(NULL);
	template_free(t);
	template_free(NULL);
	buf_release(&out);
}

static void
test_load(void **state)
{
	const char *src = getenv("CHORUS_SRC");
	struct template *t;
	char dir[512], err[512];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/data/template",
	    src != NULL ? src : ".");
	t = template_load(dir, "sections.tmpl", 0, err, sizeof(err));
	assert_true(t != NULL);
	template_free(t);
	t = template_load(dir, "nonexistent.tmpl", 0, err, sizeof(err));
	assert_true(t == NULL);
	assert_true(strstr(err, "/nonexistent.tmpl: No such file or "
	    "directory") != NULL);
	t = template_load(dir, "bad.tmpl", 0, err, sizeof(err));
	assert_true(t == NULL);
	assert_true(strstr(err, "/tests/data/template/bad.tmpl:4: "
	    "unclosed section 'networks'") != NULL);
	t = template_load(dir, ".", 0, err, sizeof(err));
	assert_true(t == NULL);
	assert_true(strstr(err, "/.: not a regular file") != NULL);
}

/* The binary carries every file of templates/, byte for byte. */
static void
test_shipped(void **state)
{
	const char *src = getenv("CHORUS_SRC");
	char path[512];
	struct dirent *de;
	size_t i, len, files = 0;
	char *s;
	DIR *d;

	(void)state;
	snprintf(path, sizeof(path), "%s/templates", src != NULL ? src : ".");
	assert_true((d = opendir(path)) != NULL);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && strchr(de->d_name, '.') != NULL)
			files++;
	closedir(d);
	assert_int_equal(nshipped_templates, files);
	for (i = 0; i < nshipped_templates; i++) {
		snprintf(path, sizeof(path), "../../../templates/%s",
		    shipped_templates[i].name);
		s = slurp(path, "", &len);
		assert_int_equal(shipped_templates[i].len, len);
		assert_memory_equal(shipped_templates[i].src, s, len);
		assert_int_equal(shipped_templates[i].src[len], '\0');
		free(s);
	}
}

/* template_open: a file of the directory wins, any other is shipped. */
static void
test_open(void **state)
{
	const char *src = getenv("CHORUS_SRC");
	struct template *t;
	struct tdict *d;
	struct buf out;
	char dir[512], tmp[] = "/tmp/test_template.XXXXXX", path[600];
	char err[512];
	FILE *fp;

	(void)state;
	/* No directory: the shipped ones, every one compiles. */
	t = template_open("", "digest.html", 0, err, sizeof(err));
	assert_true(t != NULL);
	template_free(t);
	t = template_open(NULL, "done.html", 0, err, sizeof(err));
	assert_true(t != NULL);
	template_free(t);
	assert_null(template_open("", "nonexistent.html", 0, err,
	    sizeof(err)));
	assert_string_equal(err, "nonexistent.html: no such template");

	/* A directory: its files, then the shipped ones; a bad file there is
	 * an error, not a reason to fall back. */
	snprintf(dir, sizeof(dir), "%s/tests/data/template",
	    src != NULL ? src : ".");
	t = template_open(dir, "sections.tmpl", 0, err, sizeof(err));
	assert_true(t != NULL);
	template_free(t);
	t = template_open(dir, "digest.txt", TEMPLATE_TEXT, err, sizeof(err));
	assert_true(t != NULL);
	template_free(t);
	assert_null(template_open(dir, "bad.tmpl", 0, err, sizeof(err)));
	assert_true(strstr(err, "/bad.tmpl:4: unclosed section") != NULL);
	assert_null(template_open("/nonexistent", "digest.html", 0, err,
	    sizeof(err)));
	assert_string_equal(err, "/nonexistent: No such file or directory");

	/* An override is rendered instead of the shipped one. */
	assert_true(mkdtemp(tmp) != NULL);
	snprintf(path, sizeof(path), "%s/digest.txt", tmp);
	assert_true((fp = fopen(path, "w")) != NULL);
	fputs("Hi {{first_name}}\n", fp);
	assert_int_equal(fclose(fp), 0);
	buf_init(&out, 1 << 20);
	d = tdict_new();
	tdict_set(d, "first_name", "Ada");
	t = template_open(tmp, "digest.txt", TEMPLATE_TEXT, err, sizeof(err));
	assert_true(t != NULL);
	assert_int_equal(template_render(t, d, &out), 0);
	assert_int_equal(out.len, 7);
	assert_memory_equal(out.data, "Hi Ada\n", 7);
	template_free(t);
	t = template_open(tmp, "digest.html", 0, err, sizeof(err));
	assert_true(t != NULL);
	template_free(t);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(tmp), 0);
	tdict_free(d);
	buf_release(&out);
}

/* "write DIR": renders the samples of the shipped templates into DIR. */
static int
write_samples(const char *dir)
{
	struct template *t;
	struct tdict *d;
	struct buf out;
	char err[256], path[512], *src;
	size_t i, len;
	FILE *fp;

	d = tdict_new();
	buf_init(&out, 0);
	for (i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		if (strncmp(goldens[i].out, "digest", 6) != 0)
			continue;
		src = slurp(goldens[i].tmpl, "", &len);
		t = template_compile(goldens[i].tmpl, src, len,
		    goldens[i].flags, err, sizeof(err));
		free(src);
		if (t == NULL) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		tdict_clear(d);
		goldens[i].fill(d);
		buf_reset(&out);
		if (template_render(t, d, &out) == -1)
			return 1;
		template_free(t);
		snprintf(path, sizeof(path), "%s/%s.out", dir, goldens[i].out);
		if ((fp = fopen(path, "wb")) == NULL ||
		    fwrite(out.data, 1, out.len, fp) != out.len ||
		    fclose(fp) != 0) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	buf_release(&out);
	tdict_free(d);
	return 0;
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/*
 * "bench": the shipped digest.html with the full sample digest, beside
 * copying the same output bytes (the floor any renderer has) and beside
 * compiling the template afresh for every message. Each figure is the
 * best of five runs, the machine being shared.
 */
enum bench_what { B_RENDER, B_FILL, B_COPY, B_COMPILE, B_COUNT };

static int
bench_once(enum bench_what w, const struct template *t, const char *src,
    size_t len, struct tdict *d, struct buf *out, struct buf *copy)
{
	struct template *t2;
	char err[256];

	switch (w) {
	case B_RENDER:
		buf_reset(out);
		return template_render(t, d, out);
	case B_FILL:
		tdict_clear(d);
		data_digest(d);
		buf_reset(out);
		return template_render(t, d, out);
	case B_COPY:
		buf_reset(copy);
		return buf_add(copy, out->data, out->len);
	case B_COMPILE:
		t2 = template_compile("digest.html", src, len, 0, err,
		    sizeof(err));
		buf_reset(copy);
		if (t2 == NULL || template_render(t2, d, copy) == -1)
			return -1;
		template_free(t2);
		return 0;
	default:
		return -1;
	}
}

static int
bench(void)
{
	static const char *what[B_COUNT] = {
		"render (compiled once)",
		"tdict_clear + fill + render",
		"anchor: copy the same bytes",
		"anchor: compile + render every time",
	};
	enum { ROUNDS = 5000 };
	struct template *t;
	struct tdict *d;
	struct buf out, copy;
	char err[256], *src;
	double best[B_COUNT], t0, ns;
	size_t len;
	int w, run, i;

	src = slurp("../../../templates/digest.html", "", &len);
	t = template_compile("digest.html", src, len, 0, err, sizeof(err));
	if (t == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	d = tdict_new();
	data_digest(d);
	buf_init(&out, 0);
	buf_init(&copy, 0);
	if (template_render(t, d, &out) == -1)
		return 1;
	for (w = 0; w < B_COUNT; w++) {
		best[w] = 1e18;
		for (run = 0; run < 5; run++) {
			t0 = now_ns();
			for (i = 0; i < ROUNDS; i++)
				if (bench_once(w, t, src, len, d, &out,
				    &copy) == -1)
					return 1;
			ns = (now_ns() - t0) / ROUNDS;
			if (ns < best[w])
				best[w] = ns;
		}
	}
	printf("digest.html with 3 posts, 6 networks, results and "
	    "highlights: %zu bytes out\n", out.len);
	for (w = 0; w < B_COUNT; w++)
		printf("%-40s %8.0f ns\n", what[w], best[w]);
	printf("render / copy: %.1fx; compile every time / render: %.1fx\n",
	    best[B_RENDER] / best[B_COPY], best[B_COMPILE] / best[B_RENDER]);
	template_free(t);
	tdict_free(d);
	buf_release(&out);
	buf_release(&copy);
	free(src);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_open),
	};

	if (argc == 3 && strcmp(argv[1], "write") == 0)
		return write_samples(argv[2]);
	if (argc == 2 && strcmp(argv[1], "bench") == 0)
		return bench();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
