/*
 * Tests of the User-Agent classifier: the hand-picked list of real
 * User-Agents in tests/data/useragents.tsv, recall over thousands of real
 * crawlers and accuracy over thousands of real browsers (lists written by
 * tools/ua-patterns.py from public packages), the table's own rules, and a
 * cross-check against the obvious matcher (one strcasestr per pattern),
 * which is also the anchor of the micro-benchmark: `test_classify --bench`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "redirector/classify.h"

#define MAXUA	256
#define MAXBIG	16384

static struct {
	enum classify_class	 want;
	char			*ua;
	int			 line;
} uas[MAXUA];
static size_t nuas;

/* A big list: one User-Agent a line after a tag and a tab. */
struct biglist {
	const char	*name;
	char		*ua[MAXBIG];
	int		 line[MAXBIG];
	size_t		 n;
};
static struct biglist crawlers = { "useragents-crawlers.tsv", { 0 }, { 0 },
    0 };
static struct biglist browsers = { "useragents-browsers.tsv", { 0 }, { 0 },
    0 };

static int
class_from_name(const char *s, enum classify_class *out)
{
	int c;

	for (c = 0; c < CLASSIFY_COUNT; c++)
		if (strcmp(classify_name((enum classify_class)c), s) == 0) {
			*out = (enum classify_class)c;
			return 0;
		}
	return -1;
}

static void
load_uas(void)
{
	const char *src = getenv("CHORUS_SRC");
	char path[1024], line[4096], *tab, *nl;
	FILE *fp;
	int lineno = 0;

	snprintf(path, sizeof(path), "%s/tests/data/useragents.tsv",
	    src ? src : ".");
	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		exit(1);
	}
	while (fgets(line, sizeof(line), fp) != NULL && nuas < MAXUA) {
		lineno++;
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if ((tab = strchr(line, '\t')) == NULL) {
			fprintf(stderr, "%s:%d: no tab\n", path, lineno);
			exit(1);
		}
		*tab++ = '\0';
		if (class_from_name(line, &uas[nuas].want) == -1) {
			fprintf(stderr, "%s:%d: bad class\n", path, lineno);
			exit(1);
		}
		uas[nuas].ua = strdup(strcmp(tab, "(empty)") == 0 ? "" : tab);
		uas[nuas].line = lineno;
		nuas++;
	}
	fclose(fp);
}

static void
load_big(struct biglist *l)
{
	const char *src = getenv("CHORUS_SRC");
	char path[1024], line[8192], *tab, *nl;
	FILE *fp;
	int lineno = 0;

	snprintf(path, sizeof(path), "%s/tests/data/%s", src ? src : ".",
	    l->name);
	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		exit(1);
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if ((tab = strchr(line, '\t')) == NULL || l->n == MAXBIG) {
			fprintf(stderr, "%s:%d: no tab, or too many lines\n",
			    path, lineno);
			exit(1);
		}
		l->ua[l->n] = strdup(tab + 1);
		l->line[l->n] = lineno;
		l->n++;
	}
	fclose(fp);
}

/* The obvious matcher, for the cross-check and as the benchmark anchor. */
static enum classify_class
naive(const char *ua, const char **why)
{
	size_t i, n;
	const char *s = ua, *hit;

	*why = NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || (n == 1 && *s == '-')) {
		*why = "(empty)";
		return CLASSIFY_BOT;
	}
	for (i = 0; i < classify_npatterns; i++) {
		const struct classify_pattern *p = &classify_patterns[i];
		size_t len = strlen(p->pattern);
		int ok = 0;

		switch (p->match) {
		case MATCH_SUB:
			ok = (hit = strcasestr(s, p->pattern)) != NULL &&
			    hit + len <= s + n;
			break;
		case MATCH_PREFIX:
			ok = len <= n && strncasecmp(s, p->pattern, len) == 0;
			break;
		case MATCH_EXACT:
			ok = len == n && strncasecmp(s, p->pattern, len) == 0;
			break;
		case MATCH_WORD:
			for (hit = s; (hit = strcasestr(hit, p->pattern)) !=
			    NULL && hit + len <= s + n; hit++) {
				unsigned char c = (unsigned char)hit[len];

				if (hit + len == s + n || !((c >= 'a' &&
				    c <= 'z') || (c >= 'A' && c <= 'Z') ||
				    (c >= '0' && c <= '9'))) {
					ok = 1;
					break;
				}
			}
			break;
		}
		if (ok) {
			*why = p->pattern;
			return p->class;
		}
	}
	/* The shape rules are the module's; the cross-check ignores the
	 * strings they decide. */
	*why = "(none)";
	return CLASSIFY_HUMAN;
}

static void
test_useragents(void **state)
{
	size_t i, count[CLASSIFY_COUNT] = { 0 };
	int bad = 0;

	(void)state;
	for (i = 0; i < nuas; i++) {
		const char *why;
		enum classify_class got = classify_ua(uas[i].ua, &why);

		count[uas[i].want]++;
		if (got != uas[i].want) {
			fprintf(stderr, "useragents.tsv:%d: want %s, got %s "
			    "(%s): %s\n", uas[i].line,
			    classify_name(uas[i].want), classify_name(got),
			    why ? why : "no pattern", uas[i].ua);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
	/* What the issue asks of the list. */
	assert_true(count[CLASSIFY_BOT] + count[CLASSIFY_PREVIEW] >= 40);
	assert_true(count[CLASSIFY_PREVIEW] >= 15);
	assert_true(count[CLASSIFY_HUMAN] >= 20);
}

static void
test_missing(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(classify_ua(NULL, &why), CLASSIFY_BOT);
	assert_string_equal(why, "(empty)");
	assert_int_equal(classify_ua("", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua(" \t ", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua(" - ", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua("Go-http-client/1.1", &why),
	    CLASSIFY_BOT);
	assert_int_equal(classify_ua("MyScript", &why), CLASSIFY_BOT);
	assert_string_equal(why, "(lone product token)");
	assert_int_equal(classify_ua("name/v2.0", NULL), CLASSIFY_BOT);
	/* isbot's shapes: words, a token and a slash, no browser's start */
	assert_int_equal(classify_ua("name/", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua("a b", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua("Bling ERP", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua("daumoa,damoa", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua("name/1.2.3.4", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua("name/1.2.12345678901", NULL),
	    CLASSIFY_HUMAN);
	assert_int_equal(classify_ua("some-name/abc", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua("some-name/abc(1)", NULL),
	    CLASSIFY_HUMAN);
	assert_int_equal(classify_ua("Name/1.0 (varies)", &why),
	    CLASSIFY_BOT);
	assert_string_equal(why, "(product token and a comment)");
	assert_int_equal(classify_ua("Mozilla/5.0 Foo.bar", &why),
	    CLASSIFY_BOT);
	assert_string_equal(why, "(Mozilla placeholder)");
	assert_int_equal(classify_ua("Mozilla/5.0 (compatible; X-1/2.0)",
	    NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua("Mozilla/5.0 (compatible;)", NULL),
	    CLASSIFY_BOT);
	assert_int_equal(classify_ua("Mozilla/5.0 (X11; Linux x86_64)",
	    NULL), CLASSIFY_HUMAN);
	assert_int_equal(classify_ua("1234 x", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua("(x) y", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua("MySearch engine", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua("x (a; b) c; d;", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua("x (a; b) me@host.example y", NULL),
	    CLASSIFY_BOT);
	assert_int_equal(classify_ua("x (a; b) y|z", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua("x (a; Thing/1.0; b) y", NULL),
	    CLASSIFY_BOT);
	assert_int_equal(classify_ua("x (a; b) y @ z.", NULL),
	    CLASSIFY_HUMAN);
	/* case does not matter */
	assert_int_equal(classify_ua("GOOGLEBOT", NULL), CLASSIFY_BOT);
	assert_int_equal(classify_ua("x LiNkEdInBoT y", NULL),
	    CLASSIFY_PREVIEW);
	/* "bot" only as the end of a word */
	assert_int_equal(classify_ua("Mozilla/5.0 (X11; bottle)", NULL),
	    CLASSIFY_HUMAN);
	assert_int_equal(classify_ua("Mozilla/5.0 (X11; Somebot)", NULL),
	    CLASSIFY_BOT);
	assert_int_equal(classify_ua("Mozilla/5.0 (X11; Somebot", NULL),
	    CLASSIFY_BOT);
	/* bytes past 127 are just bytes */
	assert_int_equal(classify_ua("Mozilla/5.0 (\xc3\x89; \xff\x80)",
	    NULL), CLASSIFY_HUMAN);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(classify_name(CLASSIFY_HUMAN), "human");
	assert_string_equal(classify_name(CLASSIFY_BOT), "bot");
	assert_string_equal(classify_name(CLASSIFY_PREVIEW), "preview");
	assert_string_equal(classify_name(CLASSIFY_HEAD), "head");
}

/* The table: lower case, 2 bytes or more, sourced, no row twice, and
 * every row decides at least one User-Agent made of it (none is shadowed
 * by earlier ones): "Q (p) Q", or "Q (pq) Q" where an earlier word row
 * ends p ("p (Q)" and "pq (Q)" for a prefix). */
static void
test_table(void **state)
{
	char ua[256];
	size_t i, j;
	int k;

	(void)state;
	for (i = 0; i < classify_npatterns; i++) {
		const struct classify_pattern *p = &classify_patterns[i];
		const char *why = NULL, *c;

		assert_true(strlen(p->pattern) >= 2);
		for (c = p->pattern; *c != '\0'; c++)
			assert_true(!(*c >= 'A' && *c <= 'Z'));
		assert_true(p->source != 0);
		assert_true(p->class != CLASSIFY_HEAD);
		for (j = 0; j < i; j++)
			assert_true(strcmp(p->pattern,
			    classify_patterns[j].pattern) != 0 ||
			    p->match != classify_patterns[j].match);
		for (k = 0; k < 2; k++) {
			const char *tail = k == 0 ? "" : "q";

			if (p->match == MATCH_PREFIX)
				snprintf(ua, sizeof(ua), "%s%s (Q)",
				    p->pattern, tail);
			else if (p->match == MATCH_EXACT)
				snprintf(ua, sizeof(ua), "%s", p->pattern);
			else
				snprintf(ua, sizeof(ua), "Q (%s%s) Q",
				    p->pattern, tail);
			if (classify_ua(ua, &why) == p->class && why != NULL &&
			    strcmp(why, p->pattern) == 0)
				break;
		}
		if (k == 2)
			fprintf(stderr, "pattern '%s' shadowed by '%s'\n",
			    p->pattern, why ? why : "(none)");
		assert_true(k < 2);
	}
}

/* Every line of a big list that classifies as want (or, for bot, as
 * preview too): the share, printed with the first misses. */
static double
share(const struct biglist *l, enum classify_class want)
{
	size_t i, hit = 0, shown = 0;

	for (i = 0; i < l->n; i++) {
		const char *why;
		enum classify_class got = classify_ua(l->ua[i], &why);

		if (got == want || (want == CLASSIFY_BOT &&
		    got == CLASSIFY_PREVIEW)) {
			hit++;
			continue;
		}
		if (shown++ < 8)
			fprintf(stderr, "  %s:%d: %s (%s): %.100s\n", l->name,
			    l->line[i], classify_name(got),
			    why ? why : "no pattern", l->ua[i]);
	}
	printf("%s: %zu of %zu %s (%.2f%%)\n", l->name, hit, l->n,
	    want == CLASSIFY_BOT ? "bot or preview" : classify_name(want),
	    100.0 * (double)hit / (double)l->n);
	return (double)hit / (double)l->n;
}

/* Issue 15: 97% of real crawlers flagged, 99% of real browsers human,
 * over thousands of each. */
static void
test_recall(void **state)
{
	(void)state;
	assert_true(crawlers.n >= 2000);
	assert_true(share(&crawlers, CLASSIFY_BOT) >= 0.97);
}

static void
test_browsers(void **state)
{
	(void)state;
	assert_true(browsers.n >= 2000);
	assert_true(share(&browsers, CLASSIFY_HUMAN) >= 0.99);
}

/* The index finds exactly what one search per pattern finds, on the list
 * and on every suffix and prefix of it. */
static void
test_crosscheck(void **state)
{
	char buf[4096];
	size_t i, k, n;

	(void)state;
	for (i = 0; i < nuas; i++) {
		n = strlen(uas[i].ua);
		for (k = 0; k <= n; k++) {
			const char *w1, *w2;
			enum classify_class a, b;
			int pass;

			for (pass = 0; pass < 2; pass++) {
				if (pass == 0)
					snprintf(buf, sizeof(buf), "%s",
					    uas[i].ua + k);
				else
					snprintf(buf, sizeof(buf), "%.*s",
					    (int)k, uas[i].ua);
				b = naive(buf, &w2);
				a = classify_ua(buf, &w1);
				if (strcmp(w2, "(none)") == 0) {
					/* only a shape rule may add */
					assert_true(w1 == NULL ||
					    w1[0] == '(');
					continue;
				}
				assert_int_equal(a, b);
				assert_string_equal(w1, w2);
			}
		}
	}
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ns per classification of every line of a big list, rounds times. */
static double
bench_big(const struct biglist *l, size_t rounds, unsigned *sink)
{
	const char *why;
	double t0 = now_ns();
	size_t r, i;

	for (r = 0; r < rounds; r++)
		for (i = 0; i < l->n; i++)
			*sink += (unsigned)classify_ua(l->ua[i], &why);
	return (now_ns() - t0) / (double)(rounds * l->n);
}

/* Prints ns per classification, ours beside the obvious matcher's, then
 * ours over the big lists (the mix of real traffic is mostly browsers). */
static int
bench(void)
{
	const size_t rounds = 2000;
	double t0, ours, anchor;
	const char *why;
	size_t r, i;
	unsigned sink = 0;

	load_uas();
	load_big(&crawlers);
	load_big(&browsers);
	t0 = now_ns();
	for (r = 0; r < rounds; r++)
		for (i = 0; i < nuas; i++)
			sink += (unsigned)classify_ua(uas[i].ua, &why);
	ours = (now_ns() - t0) / (double)(rounds * nuas);
	t0 = now_ns();
	for (r = 0; r < rounds; r++)
		for (i = 0; i < nuas; i++)
			sink += (unsigned)naive(uas[i].ua, &why);
	anchor = (now_ns() - t0) / (double)(rounds * nuas);
	printf("classify: %zu User-Agents x %zu, %zu patterns\n", nuas,
	    rounds, classify_npatterns);
	printf("classify_ua       %8.0f ns/UA\n", ours);
	printf("strcasestr scan   %8.0f ns/UA (anchor)\n", anchor);
	printf("ratio             %8.1fx faster (sink %u)\n", anchor / ours,
	    sink & 1);
	printf("classify_ua       %8.0f ns/UA over %s (%zu)\n",
	    bench_big(&browsers, 50, &sink), browsers.name, browsers.n);
	printf("classify_ua       %8.0f ns/UA over %s (%zu)\n",
	    bench_big(&crawlers, 50, &sink), crawlers.name, crawlers.n);
	return (int)(sink & 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_useragents),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_recall),
		cmocka_unit_test(test_browsers),
		cmocka_unit_test(test_crosscheck),
	};

	if (argc > 1 && strcmp(argv[1], "--bench") == 0)
		return bench();
	load_uas();
	load_big(&crawlers);
	load_big(&browsers);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
