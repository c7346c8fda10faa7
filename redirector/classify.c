/*
 * classify: the User-Agent table and its matcher. The table is indexed once
 * (pthread_once) by a hash of each pattern's first two bytes; a request then
 * walks its User-Agent once, lower-casing on the fly, and at each position
 * tries only the few patterns that start with those two bytes.
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
 * Priority order: first match wins. Decisions worth knowing:
 * - in-app browsers (Facebook's FBAN/FBAV and FB_IAB, Instagram, LinkedIn's
 *   [LinkedInApp], Twitter for iPhone/Android) are people;
 * - Apple's iMessage fetches previews as "facebookexternalhit Facebot
 *   Twitterbot": facebookexternalhit comes first, so it is a preview;
 * - Facebot alone, Applebot, Pinterestbot, BingPreview and Google's other
 *   fetchers are crawlers (bot), not previews of a post;
 * - okhttp, Java and Dart count only as the whole User-Agent's first token,
 *   since Android apps embed them in otherwise real browser strings;
 * - Snapchat and Viber are previews only at the start of the string: inside
 *   a browser string they name the in-app browser.
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
	{ "cubot", MATCH_SUB, H, ISB },		/* a phone maker, not "bot" */

	/* Link-preview fetchers. */
	{ "linkedinbot", MATCH_SUB, P, CUA | ISB | MAT },
	{ "twitterbot", MATCH_SUB, P, CUA | MAT },
	{ "facebookexternalhit", MATCH_SUB, P, CUA | MAT },
	{ "slackbot-linkexpanding", MATCH_SUB, P, CUA | MAT },
	{ "slack-imgproxy", MATCH_SUB, P, CUA | MAT },
	{ "slackbot", MATCH_SUB, P, CUA | MAT },
	{ "skypeuripreview", MATCH_SUB, P, CUA | MAT },
	{ "microsoftpreview", MATCH_SUB, P, VEN },
	{ "whatsapp/", MATCH_PREFIX, P, CUA | ISB | MAT },
	{ "telegrambot", MATCH_SUB, P, CUA | MAT },
	{ "discordbot", MATCH_SUB, P, CUA | MAT },
	{ "mastodon/", MATCH_SUB, P, CUA | MAT },
	{ "pleroma", MATCH_SUB, P, MAT },
	{ "akkoma", MATCH_SUB, P, VEN },
	{ "misskey/", MATCH_SUB, P, MAT },
	{ "gotosocial", MATCH_SUB, P, VEN },
	{ "friendica", MATCH_SUB, P, MAT },
	{ "bluesky cardyb", MATCH_SUB, P, VEN },
	{ "snap url preview", MATCH_SUB, P, CUA },
	{ "snapchat", MATCH_PREFIX, P, ISB },
	{ "viber", MATCH_PREFIX, P, MAT },
	{ "line-poker", MATCH_SUB, P, VEN },
	{ "kakaotalk-scrap", MATCH_SUB, P, CUA | MAT },
	{ "redditbot", MATCH_SUB, P, CUA | MAT },
	{ "embedly", MATCH_SUB, P, CUA | MAT },
	{ "iframely", MATCH_SUB, P, CUA | MAT },
	{ "pinterest/0.", MATCH_SUB, P, CUA | MAT },
	{ "vkshare", MATCH_SUB, P, CUA | MAT },
	{ "xing-contenttabreceiver", MATCH_SUB, P, CUA | MAT },
	{ "google-pagerenderer", MATCH_SUB, P, CUA | MAT },
	{ "mattermost", MATCH_SUB, P, MAT },
	{ "tumblr/", MATCH_PREFIX, P, MAT },
	{ "quora link preview", MATCH_SUB, P, CUA | MAT },
	{ "flipboardproxy", MATCH_SUB, P, CUA | MAT },

	/* Search and AI crawlers. */
	{ "googlebot", MATCH_SUB, B, CUA | MAT },
	{ "google-inspectiontool", MATCH_SUB, B, CUA | MAT },
	{ "googleother", MATCH_SUB, B, CUA | MAT },
	{ "storebot-google", MATCH_SUB, B, CUA | MAT },
	{ "adsbot-google", MATCH_SUB, B, CUA | MAT },
	{ "mediapartners-google", MATCH_SUB, B, CUA | MAT },
	{ "feedfetcher-google", MATCH_SUB, B, CUA | MAT },
	{ "apis-google", MATCH_SUB, B, CUA | MAT },
	{ "google-read-aloud", MATCH_SUB, B, CUA | MAT },
	{ "googleproducer", MATCH_SUB, B, CUA | MAT },
	{ "bingbot", MATCH_SUB, B, CUA | MAT },
	{ "bingpreview", MATCH_SUB, B, CUA | MAT },
	{ "msnbot", MATCH_SUB, B, CUA | MAT },
	{ "adidxbot", MATCH_SUB, B, CUA | MAT },
	{ "yahoo! slurp", MATCH_SUB, B, CUA | MAT },
	{ "duckduckbot", MATCH_SUB, B, CUA | MAT },
	{ "duckassistbot", MATCH_SUB, B, VEN },
	{ "baiduspider", MATCH_SUB, B, CUA | MAT },
	{ "yandexbot", MATCH_SUB, B, CUA | MAT },
	{ "yandex.com/bots", MATCH_SUB, B, CUA | MAT },
	{ "sogou", MATCH_SUB, B, CUA | ISB | MAT },
	{ "exabot", MATCH_SUB, B, CUA | MAT },
	{ "seznambot", MATCH_SUB, B, CUA | MAT },
	{ "yeti/", MATCH_SUB, B, CUA | MAT },
	{ "qwantify", MATCH_SUB, B, CUA | MAT },
	{ "qwantbot", MATCH_SUB, B, VEN },
	{ "mojeekbot", MATCH_SUB, B, CUA | MAT },
	{ "applebot", MATCH_SUB, B, CUA | MAT },
	{ "petalbot", MATCH_SUB, B, CUA | MAT },
	{ "bytespider", MATCH_SUB, B, CUA | MAT },
	{ "amazonbot", MATCH_SUB, B, CUA | MAT },
	{ "facebot", MATCH_SUB, B, CUA | MAT },
	{ "facebookcatalog", MATCH_SUB, B, CUA | MAT },
	{ "meta-externalagent", MATCH_SUB, B, CUA | MAT },
	{ "meta-externalfetcher", MATCH_SUB, B, VEN },
	{ "pinterestbot", MATCH_SUB, B, CUA | MAT },
	{ "gptbot", MATCH_SUB, B, CUA | MAT },
	{ "chatgpt-user", MATCH_SUB, B, CUA | MAT },
	{ "oai-searchbot", MATCH_SUB, B, CUA | MAT },
	{ "claudebot", MATCH_SUB, B, CUA | MAT },
	{ "claude-web", MATCH_SUB, B, CUA | MAT },
	{ "claude-user", MATCH_SUB, B, VEN },
	{ "anthropic-ai", MATCH_SUB, B, CUA | MAT },
	{ "ccbot", MATCH_SUB, B, CUA | MAT },
	{ "perplexitybot", MATCH_SUB, B, CUA | MAT },
	{ "perplexity-user", MATCH_SUB, B, VEN },
	{ "youbot", MATCH_SUB, B, VEN },
	{ "cohere-ai", MATCH_SUB, B, VEN },
	{ "diffbot", MATCH_SUB, B, CUA | MAT },
	{ "timpibot", MATCH_SUB, B, CUA | MAT },
	{ "imagesiftbot", MATCH_SUB, B, CUA | MAT },
	{ "omgili", MATCH_SUB, B, CUA | MAT },
	{ "ia_archiver", MATCH_SUB, B, CUA | MAT },
	{ "archive.org_bot", MATCH_SUB, B, CUA | MAT },
	{ "heritrix", MATCH_SUB, B, CUA | MAT },
	{ "nutch", MATCH_SUB, B, CUA | ISB | MAT },
	{ "bitlybot", MATCH_SUB, B, CUA | MAT },

	/* SEO tools. */
	{ "ahrefsbot", MATCH_SUB, B, CUA | MAT },
	{ "ahrefssiteaudit", MATCH_SUB, B, CUA | MAT },
	{ "semrushbot", MATCH_SUB, B, CUA | MAT },
	{ "mj12bot", MATCH_SUB, B, CUA | MAT },
	{ "dotbot", MATCH_SUB, B, CUA | MAT },
	{ "blexbot", MATCH_SUB, B, CUA | MAT },
	{ "dataforseobot", MATCH_SUB, B, CUA | MAT },
	{ "serpstatbot", MATCH_SUB, B, CUA | MAT },
	{ "seekportbot", MATCH_SUB, B, CUA | MAT },
	{ "barkrowler", MATCH_SUB, B, CUA | MAT },
	{ "rogerbot", MATCH_SUB, B, CUA | MAT },
	{ "screaming frog", MATCH_SUB, B, CUA | MAT },
	{ "sitebulb", MATCH_SUB, B, CUA | MAT },
	{ "megaindex", MATCH_SUB, B, CUA | MAT },

	/* Monitors and performance tools. */
	{ "uptimerobot", MATCH_SUB, B, CUA | MAT },
	{ "pingdom", MATCH_SUB, B, CUA | ISB | MAT },
	{ "statuscake", MATCH_SUB, B, CUA | ISB | MAT },
	{ "site24x7", MATCH_SUB, B, CUA | MAT },
	{ "datadogsynthetics", MATCH_SUB, B, CUA | MAT },
	{ "newrelicpinger", MATCH_SUB, B, CUA | MAT },
	{ "betteruptime", MATCH_SUB, B, CUA | MAT },
	{ "better uptime", MATCH_SUB, B, CUA | MAT },
	{ "uptime-kuma", MATCH_SUB, B, CUA | MAT },
	{ "freshping", MATCH_SUB, B, CUA | MAT },
	{ "hetrixtools", MATCH_SUB, B, CUA | MAT },
	{ "zabbix", MATCH_SUB, B, CUA | MAT },
	{ "check_http", MATCH_SUB, B, CUA | MAT },
	{ "blackbox exporter", MATCH_SUB, B, MAT },
	{ "prometheus/", MATCH_SUB, B, MAT },
	{ "kube-probe", MATCH_SUB, B, CUA | MAT },
	{ "elb-healthchecker", MATCH_SUB, B, CUA | MAT },
	{ "googlehc/", MATCH_SUB, B, VEN },
	{ "gtmetrix", MATCH_SUB, B, CUA | MAT },
	{ "chrome-lighthouse", MATCH_SUB, B, CUA | ISB | MAT },
	{ "ptst/", MATCH_SUB, B, CUA | ISB },
	{ "pagespeed", MATCH_SUB, B, CUA | ISB },
	{ "speedcurve", MATCH_SUB, B, CUA | ISB },
	{ "catchpoint", MATCH_SUB, B, CUA | MAT },
	{ "ruxitsynthetic", MATCH_SUB, B, CUA | MAT },
	{ "linkcheck", MATCH_SUB, B, CUA | ISB },
	{ "w3c_validator", MATCH_SUB, B, CUA | MAT },
	{ "w3c-checklink", MATCH_SUB, B, CUA | MAT },

	/* Scanners. */
	{ "zgrab", MATCH_SUB, B, CUA | ISB | MAT },
	{ "masscan", MATCH_SUB, B, CUA | MAT },
	{ "nmap scripting engine", MATCH_SUB, B, CUA | MAT },
	{ "nikto", MATCH_SUB, B, CUA | MAT },
	{ "sqlmap", MATCH_SUB, B, CUA | MAT },
	{ "nuclei", MATCH_SUB, B, MAT },
	{ "censysinspect", MATCH_SUB, B, CUA | MAT },
	{ "expanse", MATCH_SUB, B, CUA | MAT },
	{ "internetmeasurement", MATCH_SUB, B, CUA | MAT },
	{ "l9explore", MATCH_SUB, B, CUA | MAT },
	{ "l9tcpid", MATCH_SUB, B, VEN },
	{ "wpscan", MATCH_SUB, B, CUA | MAT },
	{ "dirbuster", MATCH_SUB, B, CUA | MAT },
	{ "gobuster", MATCH_SUB, B, MAT },
	{ "netcraft", MATCH_SUB, B, CUA | MAT },
	{ "modatscanner", MATCH_SUB, B, CUA | MAT },

	/* Headless and automated browsers. */
	{ "headlesschrome", MATCH_SUB, B, CUA | ISB | MAT },
	{ "phantomjs", MATCH_SUB, B, CUA | ISB | MAT },
	{ "slimerjs", MATCH_SUB, B, CUA | MAT },
	{ "htmlunit", MATCH_SUB, B, CUA | MAT },
	{ "cypress/", MATCH_SUB, B, ISB },

	/* HTTP libraries and command-line tools. */
	{ "curl/", MATCH_SUB, B, CUA | MAT },
	{ "wget/", MATCH_SUB, B, CUA | ISB | MAT },
	{ "python-requests", MATCH_SUB, B, CUA | ISB | MAT },
	{ "python-urllib", MATCH_SUB, B, CUA | ISB | MAT },
	{ "python-httpx", MATCH_SUB, B, MAT },
	{ "aiohttp", MATCH_SUB, B, CUA | MAT },
	{ "go-http-client", MATCH_SUB, B, CUA | MAT },
	{ "okhttp/", MATCH_PREFIX, B, CUA | MAT },
	{ "java/", MATCH_PREFIX, B, CUA | ISB | MAT },
	{ "apache-httpclient", MATCH_SUB, B, CUA | MAT },
	{ "commons-httpclient", MATCH_SUB, B, CUA | MAT },
	{ "libwww-perl", MATCH_SUB, B, CUA | ISB | MAT },
	{ "lwp-trivial", MATCH_SUB, B, CUA | MAT },
	{ "php/", MATCH_PREFIX, B, ISB | MAT },
	{ "guzzlehttp", MATCH_SUB, B, CUA | MAT },
	{ "axios/", MATCH_SUB, B, CUA | MAT },
	{ "node-fetch", MATCH_SUB, B, CUA | ISB | MAT },
	{ "undici", MATCH_SUB, B, MAT },
	{ "ruby", MATCH_EXACT, B, CUA | MAT },
	{ "http.rb/", MATCH_SUB, B, CUA | MAT },
	{ "faraday v", MATCH_SUB, B, CUA | MAT },
	{ "dart/", MATCH_PREFIX, B, MAT },
	{ "reqwest/", MATCH_SUB, B, MAT },
	{ "restsharp", MATCH_SUB, B, MAT },
	{ "postmanruntime", MATCH_SUB, B, ISB | MAT },
	{ "insomnia/", MATCH_SUB, B, MAT },
	{ "httpie/", MATCH_SUB, B, CUA | MAT },
	{ "scrapy", MATCH_SUB, B, CUA | MAT },
	{ "mechanize", MATCH_SUB, B, CUA | MAT },
	{ "windowspowershell", MATCH_SUB, B, CUA | MAT },
	{ "winhttp", MATCH_SUB, B, CUA | MAT },
	{ "httrack", MATCH_SUB, B, CUA | ISB | MAT },
	{ "feedparser", MATCH_SUB, B, CUA | MAT },

	/* Placeholders sent by scripts. */
	{ "mozilla", MATCH_EXACT, B, ISB },
	{ "mozilla/4.0", MATCH_EXACT, B, ISB },
	{ "mozilla/5.0", MATCH_EXACT, B, ISB },
	{ "mozilla/5.0 (compatible)", MATCH_EXACT, B, ISB },

	/* Generic words, last: only browsers that matched nothing above. */
	{ "bot", MATCH_WORD, B, ISB },
	{ "bots", MATCH_WORD, B, ISB },
	{ "crawl", MATCH_SUB, B, CUA | ISB },
	{ "spider", MATCH_SUB, B, CUA | ISB },
	{ "scrape", MATCH_SUB, B, ISB },
	{ "headless", MATCH_SUB, B, ISB },
	{ "checker", MATCH_SUB, B, ISB },
	{ "validator", MATCH_SUB, B, ISB },
	{ "analyzer", MATCH_SUB, B, ISB },
	{ "fetcher", MATCH_SUB, B, ISB },
	{ "monitoring", MATCH_SUB, B, ISB },
	{ "http://", MATCH_SUB, B, ISB },	/* a contact URL: "+http://" */
	{ "https://", MATCH_SUB, B, ISB },
};
const size_t classify_npatterns =
    sizeof(classify_patterns) / sizeof(classify_patterns[0]);

#undef H
#undef B
#undef P

#define NBUCKETS	1024
#define NONE		UINT16_MAX

/* The index: for each bucket, the patterns starting with a pair of bytes
 * that hash there, in table order (so the first hit is the best). */
static uint16_t	bucket_head[NBUCKETS];
static uint16_t	pattern_next[sizeof(classify_patterns) /
		    sizeof(classify_patterns[0])];
static uint16_t	pattern_len[sizeof(classify_patterns) /
		    sizeof(classify_patterns[0])];
static unsigned char lower[256];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static unsigned
bucket_of(unsigned char a, unsigned char b)
{
	return ((unsigned)a * 31u + (unsigned)b) % NBUCKETS;
}

static void
index_build(void)
{
	uint16_t tail[NBUCKETS];
	size_t i;

	for (i = 0; i < 256; i++)
		lower[i] = (unsigned char)(i >= 'A' && i <= 'Z' ?
		    i - 'A' + 'a' : i);
	for (i = 0; i < NBUCKETS; i++)
		bucket_head[i] = tail[i] = NONE;
	for (i = 0; i < classify_npatterns; i++) {
		const unsigned char *s =
		    (const unsigned char *)classify_patterns[i].pattern;
		unsigned h;

		pattern_len[i] = (uint16_t)strlen((const char *)s);
		pattern_next[i] = NONE;
		if (pattern_len[i] < 2)		/* the test forbids these */
			continue;
		h = bucket_of(s[0], s[1]);
		if (bucket_head[h] == NONE)
			bucket_head[h] = (uint16_t)i;
		else
			pattern_next[tail[h]] = (uint16_t)i;
		tail[h] = (uint16_t)i;
	}
}

static int
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Pattern i at ua + at (n bytes left)? The first two bytes already hashed
 * to its bucket, but may differ: everything is compared. */
static int
pattern_at(size_t i, const unsigned char *ua, size_t at, size_t n)
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
	for (k = 0; k < len; k++)
		if (lower[ua[at + k]] != s[k])
			return 0;
	return 1;
}

/*
 * A lone product token, "name" or "name/1.2.3", with nothing after it:
 * what HTTP libraries and scripts send (after isbot's rule of that shape).
 * Every browser adds a comment in parentheses or more tokens.
 */
static int
lone_token(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (is_alnum(lower[s[i]]) || s[i] == '.' ||
	    s[i] == '-' || s[i] == '_'))
		i++;
	if (i == 0)
		return 0;
	if (i < n && s[i] == '/') {
		i++;
		if (i < n && lower[s[i]] == 'v')
			i++;
		if (i == n)
			return 0;
		while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
			i++;
	}
	return i == n;
}

enum classify_class
classify_ua(const char *ua, const char **why)
{
	const unsigned char *s = (const unsigned char *)ua;
	size_t n, at, best = classify_npatterns, i;
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

	for (at = 0; at + 1 < n; at++) {
		i = bucket_head[bucket_of(lower[s[at]], lower[s[at + 1]])];
		/* Chains are in table order: stop at the best found so far. */
		for (; i != NONE && i < best; i = pattern_next[i])
			if (pattern_at(i, s, at, n - at)) {
				best = i;
				break;
			}
	}
	if (best < classify_npatterns) {
		*why = classify_patterns[best].pattern;
		return classify_patterns[best].class;
	}
	if (lone_token(s, n)) {
		*why = "(lone product token)";
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
