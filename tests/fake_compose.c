/*
 * A stand-in for digest/compose.c with the same interface, for testing the
 * send loop alone: plans one post for everyone whose address does not
 * start with "skip", stores a Message-ID, and renders a plain message of
 * FAKE_COMPOSE_SIZE bytes (default 2000).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "db/ledger.h"
#include "digest/compose.h"

struct compose {
	size_t	size;
};

struct compose *
compose_new(const struct config *cfg)
{
	struct compose *c = xcalloc(1, sizeof(*c));
	const char *s = getenv("FAKE_COMPOSE_SIZE");

	(void)cfg;
	c->size = s ? (size_t)strtoul(s, NULL, 10) : 2000;
	return c;
}

void
compose_free(struct compose *c)
{
	free(c);
}

int
compose_plan(struct compose *c, struct db *db, int64_t emp, int64_t id,
    const char *date, time_t now)
{
	char email[256], mid[128];

	(void)c;
	(void)emp;
	(void)now;
	if (ledger_email(db, id, email, sizeof(email)) == -1)
		return -1;
	if (strncmp(email, "skip", 4) == 0)
		return 0;
	snprintf(mid, sizeof(mid), "<%s.%lld@fake.test>", date, (long long)id);
	if (ledger_set_message_id(db, id, mid) == -1)
		return -1;
	return 1;
}

int
compose_render(struct compose *c, struct db *db, int64_t id, time_t date,
    struct buf *out, char *rcpt, size_t rcptlen)
{
	char email[256], mid[128], when[64];
	struct tm tm;
	size_t i;

	if (ledger_email(db, id, email, sizeof(email)) == -1 ||
	    ledger_message_id(db, id, mid, sizeof(mid)) != 1)
		return -1;
	gmtime_r(&date, &tm);
	strftime(when, sizeof(when), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	snprintf(rcpt, rcptlen, "%s", email);
	if (buf_printf(out, "Date: %s\r\nFrom: Chorus <chorus@localhost>\r\n"
	    "To: <%s>\r\nMessage-ID: %s\r\nSubject: Your digest\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "\r\n", when, email, mid) == -1)
		return -1;
	for (i = 0; i + 72 < c->size; i += 72)
		if (buf_adds(out, "......................................"
		    "..................................\r\n") == -1)
			return -1;
	return 0;
}
