/*
 * classify: tells people from machines by User-Agent. A hit is a `preview`
 * (the link-preview fetcher of a network or messenger: proof the link was
 * posted), a `bot` (crawlers, monitors, scanners, HTTP libraries, no
 * User-Agent at all) or a `human`; the router adds `head` for HEAD requests.
 * The patterns live in one table, classify_patterns[]: hand-written rows
 * first, then rows generated from public lists by tools/ua-patterns.py
 * (redirector/classify_table.h). Pure and thread-safe; nothing is
 * allocated per call.
 */
#ifndef CHORUS_CLASSIFY_H
#define CHORUS_CLASSIFY_H

#include <stddef.h>

/* The values of hits.class. */
enum classify_class {
	CLASSIFY_HUMAN = 0,
	CLASSIFY_BOT,
	CLASSIFY_PREVIEW,
	CLASSIFY_HEAD,		/* never returned by classify_ua() */
	CLASSIFY_COUNT,
};

enum classify_match {
	MATCH_SUB,		/* anywhere in the User-Agent */
	MATCH_PREFIX,		/* at its start */
	MATCH_EXACT,		/* the whole User-Agent */
	MATCH_WORD,		/* anywhere, not followed by a letter or digit */
};

/* Where a pattern comes from (flags): the public lists that carry it, as
 * read when the row was written; re-check against them when updating. */
enum classify_source {
	SRC_CUA = 1 << 0,	/* monperrus/crawler-user-agents */
	SRC_ISBOT = 1 << 1,	/* omrilotan/isbot */
	SRC_MATOMO = 1 << 2,	/* matomo-org/device-detector */
	SRC_VENDOR = 1 << 3,	/* the operator's own documentation */
};

struct classify_pattern {
	const char		*pattern;	/* lower case, 2 bytes or more */
	enum classify_match	 match;
	enum classify_class	 class;
	unsigned		 source;	/* enum classify_source flags */
};

/*
 * The table, in priority order: when several patterns match, the first in
 * the table wins, so in-app browser markers (humans) come before the
 * preview fetchers, which come before the hand-written bot rows and then
 * the generated ones (all bot). Matching ignores ASCII case.
 */
extern const struct classify_pattern classify_patterns[];
extern const size_t classify_npatterns;

/*
 * Classifies a User-Agent (NUL-terminated; NULL when the header is
 * missing). Missing, empty or blank is a bot; so is a string no browser
 * sends by its shape (isbot's rules: a lone product token such as
 * "Go-http-client/1.1", words and a version, a "Mozilla/5.0 Foo"
 * placeholder...), when no pattern decided. If why is not NULL it is
 * pointed at the pattern that decided (static), "(...)" naming a shape
 * rule, or NULL for a human nothing matched. One pass over the string
 * through an index of the patterns' first three bytes, not one search per
 * pattern.
 */
enum classify_class classify_ua(const char *ua, const char **why);

/* "human", "bot", "preview", "head": the text stored in hits.class. */
const char *classify_name(enum classify_class);

#endif
