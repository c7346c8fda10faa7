/*
 * dburi: the kind of store chorus.database names, and a PostgreSQL URI's
 * secrets, found and redacted without libpq.
 */
#include <string.h>

#include "common/dburi.h"
#include "common/hex.h"
#include "common/xmalloc.h"

int
dburi_is_pg(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 ||
	    strncmp(s, "postgres://", 11) == 0;
}

/* Whether the parameter name q..eq (percent-encoded, as libpq decodes
 * it: "pass%77ord" is password) is key. */
static int
key_is(const char *q, const char *eq, const char *key)
{
	int hi, lo;

	while (q < eq && *key != '\0') {
		if (*q == '%' && eq - q >= 3 && (hi = hex_value(q[1])) >= 0 &&
		    (lo = hex_value(q[2])) >= 0) {
			if (hi * 16 + lo != (unsigned char)*key)
				return 0;
			q += 3;
		} else if (*q++ != *key)
			return 0;
		key++;
	}
	return q == eq && *key == '\0';
}

/* Notes the secret at off, len: past max of them, the last span grows to
 * cover it too (more is hidden, never less). */
static void
secret_add(struct dburi_span *sp, size_t *n, size_t max, size_t off,
    size_t len)
{
	if (max == 0)
		return;
	if (*n < max) {
		sp[*n].off = off;
		sp[*n].len = len;
		(*n)++;
	} else
		sp[max - 1].len = off + len - sp[max - 1].off;
}

/* As libpq reads a URI: the user info ends at the first '@' before any
 * '/', its password follows the first ':', and the parameters follow the
 * first '?' after it, separated by '&', their names percent-decoded. */
size_t
dburi_secrets(const char *uri, struct dburi_span *sp, size_t max)
{
	static const char *const keys[] = { "password", "sslpassword" };
	const char *p, *q, *at, *colon, *end, *eq;
	size_t n = 0, i;

	if ((p = strstr(uri, "://")) == NULL)
		return 0;
	p += 3;
	at = p + strcspn(p, "@/");
	if (*at == '@') {
		colon = memchr(p, ':', (size_t)(at - p));
		if (colon != NULL)
			secret_add(sp, &n, max, (size_t)(colon + 1 - uri),
			    (size_t)(at - colon - 1));
		p = at + 1;
	}
	if ((q = strchr(p, '?')) == NULL)
		return n;
	for (q++; *q != '\0'; q = *end == '&' ? end + 1 : end) {
		end = q + strcspn(q, "&");
		if ((eq = memchr(q, '=', (size_t)(end - q))) == NULL)
			continue;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (key_is(q, eq, keys[i]))
				secret_add(sp, &n, max, (size_t)(eq + 1 - uri),
				    (size_t)(end - eq - 1));
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
