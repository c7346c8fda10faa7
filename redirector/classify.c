/*
 * classify: the User-Agent table and its matcher. The table (hand-written
 * rows here, generated ones from classify_table.h) is indexed once
 * (pthread_once) by a hash of each pattern's first three bytes; a request
 * then walks its User-Agent once, lower-casing on the fly, and at each
 * position tries only the few patterns that start with those bytes.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "redirector/classify.h"

#define H	CLASSIFY_HUMAN
#define B	CLASSIFY_BOT
#define P	CLASSIFY_PREVIEW
#define CUA	SRC_CUA
#define ISB	SRC_ISBOT
#define MAT	SRC_MATOMO
#define VEN	SRC_VENDOR

/*
 * The hand-written rows, in priority order (first match wins), before the
 * generated ones. Decisions worth knowing:
 * - in-app browsers (Facebook's FBAN/FBAV and FB_IAB, Instagram, LinkedIn's
 *   [LinkedInApp], Twitter for iPhone/Android, CamScanner) are people;
 * - a preview is the fetcher of a network or messenger that shows a link
 *   someone posted (README, "Classes"): LinkedIn, X, Facebook and Meta,
 *   Slack, Teams, WhatsApp (also Signal, which fetches as "WhatsApp"),
 *   Telegram, Discord, the fediverse, Bluesky, Snapchat, Reddit...;
 *   Apple's iMessage fetches as "facebookexternalhit Facebot Twitterbot":
 *   facebookexternalhit comes first, so it is a preview;
 * - Facebot alone, Applebot, Pinterestbot, BingPreview, meta-externalagent
 *   and -fetcher and Google's other fetchers are crawlers (bot), not
 *   previews of a post; so are embedding and scheduling services;
 * - okhttp, Java and Dart count only as the whole User-Agent's first token,
 *   since Android apps embed them in otherwise real browser strings;
 * - Snapchat and Viber are previews only at the start of the string: inside
 *   a browser string they name the in-app browser.
 * VEN rows come from the operator's own documentation, not from the lists.
 */
const struct classify_pattern classify_patterns[] = {
	/* In-app browsers: people, whatever else their string says. */
	{ "fban/", MATCH_SUB, H, MAT },
	{ "fbav/", MATCH_SUB, H, MAT },
	{ "fb_iab/", MATCH_SUB, H, MAT },
	{ "[linkedinapp]", MATCH_SUB, H, MAT },
	{ "linkedinapp", MATCH_SUB, H, MAT },
	{ "instagram ", MATCH_SUB, H, MAT },
	{ "twitter for iphone", MATCH_SUB, H, MAT },
	{ "twitter for android", MATCH_SUB, H, MAT },
	{ "twitter for ipad", MATCH_SUB, H, MAT },
	{ "micromessenger/", MATCH_SUB, H, MAT },	/* WeChat */
	{ "slack_ssb/", MATCH_SUB, H, VEN },	/* Slack's desktop app */
	{ "alipayclient/", MATCH_SUB, H, MAT },
	{ "camscan", MATCH_SUB, H, ISB },	/* isbot: (?<!cam)scan */
	{ "cubot", MATCH_SUB, H, ISB },		/* a phone maker, not "bot" */

	/* Link-preview fetchers of networks and messengers. */
	{ "linkedinbot", MATCH_SUB, P, CUA | ISB | MAT },
	{ "twitterbot", MATCH_SUB, P, CUA | MAT },
	{ "facebookexternalhit", MATCH_SUB, P, CUA | MAT },
	{ "meta-externalhit", MATCH_SUB, P, CUA },
	{ "slackbot-linkexpanding", MATCH_SUB, P, CUA | MAT },
	{ "slack-imgproxy", MATCH_SUB, P, CUA | MAT },
	{ "slackbot", MATCH_SUB, P, CUA | MAT },
	{ "skypeuripreview", MATCH_SUB, P, CUA | MAT },
	{ "microsoftpreview", MATCH_SUB, P, CUA | MAT | VEN },
	{ "whatsapp", MATCH_PREFIX, P, CUA | ISB | MAT },
	{ "telegrambot", MATCH_SUB, P, CUA | MAT },
	{ "discordbot", MATCH_SUB, P, CUA | MAT },
	{ "mastodon/", MATCH_SUB, P, CUA | MAT },
	{ "pleroma", MATCH_SUB, P, MAT },
	{ "akkoma", MATCH_SUB, P, VEN },
	{ "misskey/", MATCH_SUB, P, MAT },
	{ "summalybot", MATCH_SUB, P, CUA },	/* Misskey's */
	{ "gotosocial", MATCH_SUB, P, CUA | VEN },
	{ "friendica", MATCH_SUB, P, CUA | MAT },
	{ "lemmy/", MATCH_PREFIX, P, CUA },
	{ "bluesky cardyb", MATCH_SUB, P, VEN },
	{ "blueskypreviewbot", MATCH_SUB, P, CUA },
	{ "bluesky/", MATCH_PREFIX, P, CUA },
	{ "snap url preview", MATCH_SUB, P, CUA | MAT },
	{ "snapurlpreview", MATCH_SUB, P, CUA },
	{ "snapchat", MATCH_PREFIX, P, ISB },
	{ "viber", MATCH_PREFIX, P, CUA | MAT },
	{ "line-poker", MATCH_SUB, P, VEN },
	{ "kakaotalk-scrap", MATCH_SUB, P, CUA | MAT },
	{ "synapse (bot", MATCH_PREFIX, P, CUA },	/* Matrix */
	{ "keybasebot", MATCH_SUB, P, CUA | MAT },
	{ "groupmebot", MATCH_SUB, P, CUA },
	{ "chatwork linkpreview", MATCH_SUB, P, CUA | MAT },
	{ "dingtalkbot-linkservice", MATCH_SUB, P, CUA },
	{ "gg peekbot", MATCH_SUB, P, CUA },
	{ "steamchaturllookup", MATCH_SUB, P, CUA },
	{ "zulipurlpreview", MATCH_SUB, P, VEN },
	{ "discourse forum onebox", MATCH_SUB, P, CUA },
	{ "discourse-onebox", MATCH_SUB, P, VEN },
	{ "redditbot", MATCH_SUB, P, CUA | MAT },
	{ "odklbot", MATCH_SUB, P, CUA },	/* Odnoklassniki's share */
	{ "vkshare", MATCH_SUB, P, CUA | MAT },
	{ "xing-contenttabreceiver", MATCH_SUB, P, CUA | MAT },
	{ "embedly", MATCH_SUB, P, CUA | MAT },
	{ "iframely", MATCH_SUB, P, CUA | MAT },
	{ "pinterest/0.", MATCH_SUB, P, CUA | MAT },
	{ "google-pagerenderer", MATCH_SUB, P, CUA | MAT },
	{ "mattermost", MATCH_SUB, P, CUA | MAT },
	{ "tumblr/", MATCH_PREFIX, P, CUA | MAT },
	{ "quora link preview", MATCH_SUB, P, CUA | MAT },
	{ "quora-bot", MATCH_SUB, P, CUA },
	{ "yahoo link preview", MATCH_SUB, P, CUA | MAT },
	{ "mediumbot-metatagfetcher", MATCH_SUB, P, CUA },
	{ "flipboardproxy", MATCH_SUB, P, CUA | MAT },

	/* Crawlers the lists do not carry, from their operators. */
	{ "duckassistbot", MATCH_SUB, B, VEN },
	{ "qwantbot", MATCH_SUB, B, VEN },
	{ "meta-externalfetcher", MATCH_SUB, B, MAT | VEN },
	{ "claude-user", MATCH_SUB, B, VEN },
	{ "perplexity-user", MATCH_SUB, B, VEN },
	{ "youbot", MATCH_SUB, B, VEN },
	{ "cohere-ai", MATCH_SUB, B, VEN },
	{ "googlehc/", MATCH_SUB, B, VEN },
	{ "l9tcpid", MATCH_SUB, B, VEN },

	/* HTTP libraries that apps also embed: only as the first token. */
	{ "okhttp/", MATCH_PREFIX, B, CUA | MAT },
	{ "java/", MATCH_PREFIX, B, CUA | ISB | MAT },
	{ "dart/", MATCH_PREFIX, B, MAT },

	/* Placeholders sent by scripts. */
	{ "mozilla", MATCH_EXACT, B, ISB },
	{ "mozilla/4.0", MATCH_EXACT, B, ISB },
	{ "mozilla/5.0", MATCH_EXACT, B, ISB },
	{ "mozilla/5.0 (compatible)", MATCH_EXACT, B, ISB },

	/* The rows generated from the public lists: tools/ua-patterns.py. */
#include "redirector/classify_table.h"
};
const size_t classify_npatterns =
    sizeof(classify_patterns) / sizeof(classify_patterns[0]);

#undef H
#undef B
#undef P

#define NPATTERNS	(sizeof(classify_patterns) / sizeof(classify_patterns[0]))
#define NBUCKETS	(1u << 12)

/*
 * The index. Rows of three bytes or more are filed by a hash of their
 * first three, those that match anywhere (sub, word) apart from those
 * anchored at the start (prefix, exact: tried at position 0 only); each
 * bucket's entries sit together, in table order (so the first hit is the
 * best), with the row's first four bytes beside it: most candidates are
 * turned down by one masked compare against the User-Agent's next four
 * bytes, without reading the row. A bitmap of the hashes (4 KB, 5% full)
 * turns down most positions of a browser's string before any bucket is
 * read. The few two-byte rows are tried where their first byte is.
 */
enum { SET_ANYWHERE, SET_ANCHORED, SET_SHORT, NSETS };

#define HASHBITS	15
#define BUCKETBITS	12

struct entry {
	uint32_t	key;		/* the first four bytes, first lowest */
	uint32_t	mask;		/* of those, the ones the row has */
	uint16_t	index;		/* in classify_patterns[] */
};
static uint16_t	bucket_start[NSETS][NBUCKETS + 1];
static struct entry entries[NPATTERNS];
static uint64_t	hash_seen[(1u << HASHBITS) / 64];
static unsigned char short_first[256];
static uint16_t	pattern_len[NPATTERNS];
static unsigned char lower[256];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

/* A hash of the window's first three bytes: the top HASHBITS bits count. */
static uint32_t
hash3(uint32_t window)
{
	return (window & 0xffffffu) * 2654435761u;
}

static unsigned
bucket_of(uint32_t window, int set)
{
	if (set == SET_SHORT)
		return 0;
	return hash3(window) >> (32 - BUCKETBITS);
}

/* Up to four bytes of s, lower-cased, the first lowest; 0 past the end. */
static uint32_t
window_at(const unsigned char *s, size_t n)
{
	uint32_t w = 0;
	size_t k;

	for (k = 0; k < 4 && k < n; k++)
		w |= (uint32_t)lower[s[k]] << (8 * k);
	return w;
}

static int
set_of(size_t i)
{
	const struct classify_pattern *p = &classify_patterns[i];

	if (pattern_len[i] < 3)
		return SET_SHORT;
	if (p->match == MATCH_PREFIX || p->match == MATCH_EXACT)
		return SET_ANCHORED;
	return SET_ANYWHERE;
}

static void
index_build(void)
{
	uint16_t fill[NSETS][NBUCKETS];
	size_t i, h, a;
	uint32_t key;

	for (i = 0; i < 256; i++)
		lower[i] = (unsigned char)(i >= 'A' && i <= 'Z' ?
		    i - 'A' + 'a' : i);
	memset(bucket_start, 0, sizeof(bucket_start));
	for (i = 0; i < NPATTERNS; i++) {
		pattern_len[i] = (uint16_t)strlen(classify_patterns[i].pattern);
		if (pattern_len[i] < 2)		/* the test forbids these */
			continue;
		key = window_at((const unsigned char *)
		    classify_patterns[i].pattern, pattern_len[i]);
		bucket_start[set_of(i)][bucket_of(key, set_of(i)) + 1]++;
	}
	/* Counts to offsets, each set's entries after the one before. */
	for (a = 0; a < NSETS; a++) {
		if (a > 0)
			bucket_start[a][0] = bucket_start[a - 1][NBUCKETS];
		for (h = 0; h < NBUCKETS; h++) {
			bucket_start[a][h + 1] += bucket_start[a][h];
			fill[a][h] = bucket_start[a][h];
		}
	}
	for (i = 0; i < NPATTERNS; i++) {
		size_t len = pattern_len[i];
		struct entry *e;

		if (len < 2)
			continue;
		key = window_at((const unsigned char *)
		    classify_patterns[i].pattern, len);
		e = &entries[fill[set_of(i)][bucket_of(key, set_of(i))]++];
		e->key = key;
		e->mask = len >= 4 ? UINT32_MAX :
		    (uint32_t)((1ul << (8 * len)) - 1);
		e->index = (uint16_t)i;
		if (set_of(i) == SET_ANYWHERE)
			hash_seen[hash3(key) >> (32 - HASHBITS) >> 6] |=
			    (uint64_t)1 << ((hash3(key) >> (32 - HASHBITS)) & 63);
		if (set_of(i) == SET_SHORT)
			short_first[key & 0xff] = 1;
	}
}

/* The first entry of set's bucket for window w that matches at ua + at
 * (n bytes left) and comes before best, or best. */
static size_t pattern_at(size_t, const unsigned char *, size_t, size_t,
    size_t);

static size_t
bucket_match(int set, uint32_t w, const unsigned char *ua, size_t at,
    size_t n, size_t best)
{
	size_t h = bucket_of(w, set), e;

	for (e = bucket_start[set][h]; e < bucket_start[set][h + 1] &&
	    entries[e].index < best; e++)
		if ((w & entries[e].mask) == entries[e].key &&
		    pattern_at(entries[e].index, ua, at, n, 4))
			return entries[e].index;
	return best;
}

static int
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Row i at ua + at (n bytes left)? from: how many of its first bytes are
 * known to match already. */
static size_t
pattern_at(size_t i, const unsigned char *ua, size_t at, size_t n,
    size_t from)
{
	const struct classify_pattern *p = &classify_patterns[i];
	const unsigned char *s = (const unsigned char *)p->pattern;
	size_t len = pattern_len[i], k;

	if (len > n)
		return 0;
	switch (p->match) {
	case MATCH_PREFIX:
		if (at != 0)
			return 0;
		break;
	case MATCH_EXACT:
		if (at != 0 || len != n)
			return 0;
		break;
	case MATCH_WORD:
		if (len < n && is_alnum(lower[ua[at + len]]))
			return 0;
		break;
	case MATCH_SUB:
		break;
	}
	for (k = from; k < len; k++)
		if (lower[ua[at + k]] != s[k])
			return 0;
	return 1;
}

/*
 * The shape rules: isbot's expressions that are not lists of words, written
 * out by hand (the generator drops them). Each says "no browser sends this":
 * every browser starts "Mozilla/5.0 (" and goes on with more tokens.
 */
static int
is_word(unsigned char c)
{
	return is_alnum(lower[c]) || c == '_';
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Digits at s[*i], at most max of them; how many. */
static size_t
digits(const unsigned char *s, size_t n, size_t *i, size_t max)
{
	size_t k = 0;

	while (*i < n && k < max && is_digit(s[*i])) {
		(*i)++;
		k++;
	}
	return k;
}

/* ^[\w \.\-\(?:\):%]+(?:/v?\d+(?:\.\d+)?(?:\.\d{1,10})*?)?(?:,|$):
 * words with at most a version: "MyScript", "Bling ERP", "name/v2.0". */
static int
shape_words(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (is_word(s[i]) || (s[i] != '\0' &&
	    strchr(" .-()?:%", s[i]) != NULL)))
		i++;
	if (i == 0)
		return 0;
	if (i < n && s[i] == '/') {
		i++;
		if (i < n && lower[s[i]] == 'v')
			i++;
		if (digits(s, n, &i, SIZE_MAX) == 0)
			return 0;
		if (i + 1 < n && s[i] == '.' && is_digit(s[i + 1])) {
			i++;
			(void)digits(s, n, &i, SIZE_MAX);
		}
		while (i + 1 < n && s[i] == '.' && is_digit(s[i + 1])) {
			i++;
			(void)digits(s, n, &i, 10);
		}
	}
	return i == n || s[i] == ',';
}

/* ^[\w\-]+/[\w]+$ and ^\w+/[\w\(\)]*$: "name/", "name/abc". */
static int
shape_token(const unsigned char *s, size_t n)
{
	size_t i = 0, j;
	int dash = 0, paren = 0;

	while (i < n && (is_word(s[i]) || s[i] == '-')) {
		dash |= s[i] == '-';
		i++;
	}
	if (i == 0 || i == n || s[i] != '/')
		return 0;
	for (j = i + 1; j < n && (is_word(s[j]) || s[j] == '(' ||
	    s[j] == ')'); j++)
		paren |= s[j] == '(' || s[j] == ')';
	if (j != n)
		return 0;
	return dash ? (!paren && j > i + 1) : 1;
}

/* ^\w+/\d\.\d\s\([\w@]+\)$: "Brandwatch/1.0 (varies)". */
static int
shape_token_comment(const unsigned char *s, size_t n)
{
	size_t i = 0, j;

	while (i < n && is_word(s[i]))
		i++;
	if (i == 0 || i + 7 > n || s[i] != '/' || !is_digit(s[i + 1]) ||
	    s[i + 2] != '.' || !is_digit(s[i + 3]) || s[i + 5] != '(')
		return 0;
	if (!(s[i + 4] == ' ' || s[i + 4] == '\t'))
		return 0;
	j = i + 6;
	while (j < n && (is_word(s[j]) || s[j] == '@'))
		j++;
	return j > i + 6 && j + 1 == n && s[j] == ')';
}

/* "mozilla/D.D" and a blank at the start: where the rest begins, or 0. */
static size_t
mozilla_head(const unsigned char *s, size_t n)
{
	static const char head[] = "mozilla/";
	size_t i;

	if (n < 12)
		return 0;
	for (i = 0; i < 8; i++)
		if (lower[s[i]] != (unsigned char)head[i])
			return 0;
	if (!is_digit(s[8]) || s[9] != '.' || !is_digit(s[10]))
		return 0;
	if (s[11] != ' ' && (s[11] < '\t' || s[11] > '\r'))
		return 0;
	return 12;
}

/* ^mozilla/\d\.\d\s[\w\.-]+$ and
 * ^mozilla/\d\.\d\s\((?:compatible;)?(?:\s?[\w\d-.]+[\s/]\d+\.\d+)?\)$:
 * "Mozilla/5.0 Foo", "Mozilla/5.0 (compatible; Foo/1.0)". */
static int
shape_mozilla(const unsigned char *s, size_t n)
{
	static const char compat[] = "compatible;";
	size_t i = mozilla_head(s, n), j, k;

	if (i == 0)
		return 0;
	j = i;
	while (j < n && (is_word(s[j]) || s[j] == '.' || s[j] == '-'))
		j++;
	if (j > i && j == n)
		return 1;
	if (i >= n || s[i] != '(' || s[n - 1] != ')')
		return 0;
	i++;
	k = 0;
	while (k < 11 && i + k < n && lower[s[i + k]] ==
	    (unsigned char)compat[k])
		k++;
	if (k == 11)
		i += 11;
	if (i + 1 == n)
		return 1;			/* "()" or "(compatible;)" */
	if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))
		i++;
	j = i;
	while (j < n && (is_word(s[j]) || s[j] == '.' || s[j] == '-'))
		j++;
	if (j == i || j >= n || !(s[j] == '/' || s[j] == ' ' ||
	    (s[j] >= '\t' && s[j] <= '\r')))
		return 0;
	j++;
	if (digits(s, n, &j, SIZE_MAX) == 0 || j >= n || s[j] != '.')
		return 0;
	j++;
	if (digits(s, n, &j, SIZE_MAX) == 0)
		return 0;
	return j + 1 == n;
}

/* ^\d+\b, ^\w*search\b, ^[<\(;]: how scripts and odd tools start. */
static int
shape_start(const unsigned char *s, size_t n)
{
	size_t i = 0;

	if (s[0] == '<' || s[0] == '(' || s[0] == ';')
		return 1;
	if (digits(s, n, &i, SIZE_MAX) > 0 && (i == n || !is_word(s[i])))
		return 1;
	i = 0;
	while (i < n && is_word(s[i]))
		i++;
	return i >= 6 && lower[s[i - 6]] == 's' && lower[s[i - 5]] == 'e' &&
	    lower[s[i - 4]] == 'a' && lower[s[i - 3]] == 'r' &&
	    lower[s[i - 2]] == 'c' && lower[s[i - 1]] == 'h';
}

/* ^[^ ]{50,}$, \|, ;\s\w+;$, @[a-z][\w-]+\. and \b\w+/1\.0; anywhere.
 * memchr() finds the rare bytes fast; a browser has a few '/' at most. */
static int
shape_anywhere(const unsigned char *s, size_t n)
{
	const unsigned char *p, *end = s + n;
	size_t i, j;

	if (n >= 50 && memchr(s, ' ', n) == NULL)
		return 1;
	if (memchr(s, '|', n) != NULL)
		return 1;
	if (n >= 4 && s[n - 1] == ';') {
		i = n - 1;
		while (i > 0 && is_word(s[i - 1]))
			i--;
		if (i < n - 1 && i >= 2 && (s[i - 1] == ' ' ||
		    (s[i - 1] >= '\t' && s[i - 1] <= '\r')) && s[i - 2] == ';')
			return 1;
	}
	for (p = s; (p = memchr(p, '@', (size_t)(end - p))) != NULL; p++) {
		i = (size_t)(p - s) + 1;
		if (i >= n || lower[s[i]] < 'a' || lower[s[i]] > 'z')
			continue;
		j = i + 1;
		while (j < n && (is_word(s[j]) || s[j] == '-'))
			j++;
		if (j > i + 1 && j < n && s[j] == '.')
			return 1;
	}
	for (p = s; (p = memchr(p, '/', (size_t)(end - p))) != NULL; p++)
		if (p > s && end - p >= 5 && memcmp(p, "/1.0;", 5) == 0 &&
		    is_word(p[-1]))
			return 1;
	return 0;
}

static const struct {
	int		(*match)(const unsigned char *, size_t);
	const char	*why;
} shapes[] = {
	{ shape_words, "(lone product token)" },
	{ shape_token, "(lone product token)" },
	{ shape_token_comment, "(product token and a comment)" },
	{ shape_mozilla, "(Mozilla placeholder)" },
	{ shape_start, "(not a browser's start)" },
	{ shape_anywhere, "(not a browser's shape)" },
};

enum classify_class
classify_ua(const char *ua, const char **why)
{
	const unsigned char *s = (const unsigned char *)ua;
	size_t n, at, best = classify_npatterns, i;
	uint32_t w, x;
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	*why = NULL;
	(void)pthread_once(&index_once, index_build);

	/* Blank or "-" (a log's placeholder) is as good as missing. */
	while (s != NULL && (*s == ' ' || *s == '\t'))
		s++;
	n = s == NULL ? 0 : strlen((const char *)s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || (n == 1 && s[0] == '-')) {
		*why = "(empty)";
		return CLASSIFY_BOT;
	}

	w = window_at(s, n);
	best = bucket_match(SET_ANCHORED, w, s, 0, n, best);
	for (at = 0; at + 1 < n; at++) {
		/* In table order: each stops at the best found so far. */
		x = hash3(w) >> (32 - HASHBITS);
		if (hash_seen[x >> 6] >> (x & 63) & 1)
			best = bucket_match(SET_ANYWHERE, w, s, at, n - at,
			    best);
		if (short_first[w & 0xff])
			best = bucket_match(SET_SHORT, w, s, at, n - at, best);
		w = (w >> 8) | (at + 4 < n ? (uint32_t)lower[s[at + 4]] <<
		    24 : 0);
	}
	if (best < classify_npatterns) {
		*why = classify_patterns[best].pattern;
		return classify_patterns[best].class;
	}
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if (shapes[i].match(s, n)) {
			*why = shapes[i].why;
			return CLASSIFY_BOT;
		}
	return CLASSIFY_HUMAN;
}

const char *
classify_name(enum classify_class c)
{
	static const char *names[CLASSIFY_COUNT] = {
		[CLASSIFY_HUMAN] = "human",
		[CLASSIFY_BOT] = "bot",
		[CLASSIFY_PREVIEW] = "preview",
		[CLASSIFY_HEAD] = "head",
	};

	if ((unsigned)c >= CLASSIFY_COUNT)
		return "human";
	return names[c];
}
