/*
 * dburi: the kind of store chorus.database names, and a PostgreSQL URI's
 * secrets, found and redacted without libpq.
 */
#include <string.h>

#include "common/dburi.h"
#include "common/xmalloc.h"

int
dburi_is_pg(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 ||
	    strncmp(s, "postgres://", 11) == 0;
}

/* As libpq reads a URI: the user info ends at the first '@' before any
 * '/', its password follows the first ':', and the parameters follow the
 * first '?' after it, separated by '&'. */
size_t
dburi_secrets(const char *uri, struct dburi_span *sp, size_t max)
{
	static const char *const keys[] = { "password", "sslpassword" };
	const char *p, *q, *at, *colon, *end;
	size_t n = 0, i, klen;

	if ((p = strstr(uri, "://")) == NULL)
		return 0;
	p += 3;
	at = p + strcspn(p, "@/");
	if (*at == '@') {
		colon = memchr(p, ':', (size_t)(at - p));
		if (colon != NULL && n < max) {
			sp[n].off = (size_t)(colon + 1 - uri);
			sp[n].len = (size_t)(at - colon - 1);
			n++;
		}
		p = at + 1;
	}
	if ((q = strchr(p, '?')) == NULL)
		return n;
	for (q++; *q != '\0'; q = *end == '&' ? end + 1 : end) {
		end = q + strcspn(q, "&");
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			klen = strlen(keys[i]);
			if (strncmp(q, keys[i], klen) == 0 && q[klen] == '=' &&
			    n < max) {
				sp[n].off = (size_t)(q + klen + 1 - uri);
				sp[n].len = (size_t)(end - q - klen - 1);
				n++;
			}
		}
	}
	return n;
}

char *
dburi_redact(const char *s)
{
	struct dburi_span sp[DBURI_MAX_SECRETS];
	size_t n, i, at = 0, len = strlen(s);
	char *out, *w;

	if (!dburi_is_pg(s))
		return xstrdup(s);
	n = dburi_secrets(s, sp, DBURI_MAX_SECRETS);
	out = w = xmalloc(len + n * sizeof(DBURI_REDACTED) + 1);
	for (i = 0; i < n; i++) {
		memcpy(w, s + at, sp[i].off - at);
		w += sp[i].off - at;
		memcpy(w, DBURI_REDACTED, sizeof(DBURI_REDACTED) - 1);
		w += sizeof(DBURI_REDACTED) - 1;
		at = sp[i].off + sp[i].len;
	}
	memcpy(w, s + at, len - at + 1);
	return out;
}

void
dburi_scrub(char *s)
{
	struct dburi_span sp[DBURI_MAX_SECRETS];
	size_t n, i;

	if (!dburi_is_pg(s))
		return;
	n = dburi_secrets(s, sp, DBURI_MAX_SECRETS);
	for (i = 0; i < n; i++)
		memset(s + sp[i].off, 'x', sp[i].len);
}
