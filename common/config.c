/*
 * config: the settings table and its INI (inih) and environment loaders.
 * Adding a setting is adding one row to config_defs[]; validation, `chorus
 * config`, the README reference and chorus.ini(5) all follow from it.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/config.h"
#include "common/dburi.h"
#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"

const struct config_def config_defs[] = {
	{ "chorus.database", CONF_PATH, "chorus.db",
	  "The store: an SQLite database file (one machine), or a "
	  "postgresql:// URI (a libpq connection string) for a PostgreSQL "
	  "database that several machines share; keep its password in "
	  "~/.pgpass, not in the URI.", 1, 0, NULL },
	{ "chorus.base_url", CONF_URL, "http://127.0.0.1:8080",
	  "Public base of every short link, as people will see it; with a "
	  "path (https://go.example.com/l) the redirector serves its routes "
	  "under it, and without it for a proxy that strips it.",
	  0, 0, NULL },
	{ "chorus.templates", CONF_PATH, "",
	  "Directory of customised templates: a file there replaces the "
	  "shipped one of its name, any other is the one compiled in "
	  "('chorus templates export DIR' writes them all); empty uses the "
	  "shipped ones.",
	  0, 0, NULL },
	{ "smtp.url", CONF_MAILURL, "file:outbox",
	  "Where digests go: file:DIR writes .eml files into DIR (made if "
	  "missing, its parent never); smtp://HOST:PORT sends them (PORT "
	  "1..65535, 25 if left out; STARTTLS as smtp.starttls says); "
	  "smtps://HOST:PORT sends them with "
	  "TLS from the first byte (RFC 8314; PORT 465 if left out), the "
	  "server's certificate checked against the system's CAs "
	  "(SSL_CERT_FILE, SSL_CERT_DIR) and HOST.", 0, 0, NULL },
	{ "smtp.user", CONF_STRING, "",
	  "SMTP AUTH user name; empty for no authentication.", 0, 0, NULL },
	{ "smtp.password_file", CONF_PATH, "",
	  "File holding the SMTP AUTH password (never on the command line); "
	  "it must be readable when set.", 0, 0, NULL },
	{ "smtp.starttls", CONF_ENUM, "required",
	  "STARTTLS on smtp:// URLs: required (except to a loopback host) "
	  "or none; smtps:// is always TLS.", 0, 0, "required|none" },
	{ "smtp.connections", CONF_INT, "4",
	  "SMTP sessions used in parallel.", 1, 64, NULL },
	{ "smtp.rate", CONF_DOUBLE, "0",
	  "Most messages per second over all sessions; 0 is no cap.",
	  0, 1000000, NULL },
	{ "smtp.timeout", CONF_INT, "60",
	  "Seconds to wait for the SMTP server at each step.", 1, 3600, NULL },
	{ "smtp.retries", CONF_INT, "3",
	  "Attempts per digest within one run after a 4xx reply.", 1, 20,
	  NULL },
	{ "smtp.retry_delay", CONF_DOUBLE, "1",
	  "Seconds before the first retry within a run; doubles each time, "
	  "at most 60.", 0, 60, NULL },
	{ "digest.from", CONF_MAILBOX, "Chorus <chorus@localhost>",
	  "The From header of every digest: Name <addr@domain> or "
	  "addr@domain.", 0, 0, NULL },
	{ "digest.send_time", CONF_TIME, "08:00",
	  "Default local send time, HH:MM.", 0, 0, NULL },
	{ "digest.timezone", CONF_TZ, "UTC",
	  "Default IANA time zone.", 0, 0, NULL },
	{ "digest.max_posts", CONF_INT, "3",
	  "Most posts in one digest.", 1, 50, NULL },
	{ "digest.spread_days", CONF_INT, "5",
	  "Days over which a post's audience is spread (1: everyone at once).",
	  1, 60, NULL },
	{ "digest.claim_timeout", CONF_INT, "600",
	  "Seconds after which a digest claimed by a run on another machine "
	  "(or in another container) that stopped renewing its claim is "
	  "taken over by the next run. A run renews its claims every 30 s "
	  "or a quarter of this, whichever is sooner; keep it well above "
	  "smtp.timeout. On the claimer's own machine a run that died is "
	  "taken over at once.", 60, 86400, NULL },
	{ "digest.results", CONF_BOOL, "yes",
	  "Open each digest with the employee's own clicks of the last "
	  "seven days.", 0, 0, NULL },
	{ "digest.highlights", CONF_BOOL, "yes",
	  "On Mondays, show last week's top posts and advocates (first "
	  "name and role) and the team's total.", 0, 0, NULL },
	{ "redirector.listen", CONF_LISTEN, "127.0.0.1:8080",
	  "Address and port of the redirect server.", 0, 0, NULL },
	{ "redirector.threads", CONF_INT, "0",
	  "Server threads; 0 is one per usable core (CPU affinity mask) "
	  "but one, the hit writer's, and at least two on PostgreSQL. One "
	  "thread (the default on two cores or fewer with SQLite) commits "
	  "the hits itself, between its passes; set on PostgreSQL, it "
	  "serves no one while a batch waits for the server (up to the "
	  "10 s lock time-out).",
	  0, 256, NULL },
	{ "redirector.timeout", CONF_INT, "10",
	  "Seconds a connection is kept while not a byte comes or goes.",
	  1, 3600, NULL },
	{ "redirector.request_deadline", CONF_INT, "10",
	  "Seconds within which a whole request (line, headers and body) "
	  "must arrive, from the connection's start or the end of its "
	  "previous answer, however slowly its bytes come; the connection is "
	  "closed past it.", 1, 3600, NULL },
	{ "redirector.max_connections", CONF_INT, "1000",
	  "Most connections at once, all clients together; from 90% of it, "
	  "each new connection closes the one that has been reading its "
	  "request the longest. Above 1000 with one thread, or 2048 with "
	  "more, the server waits with epoll instead of select or poll.",
	  1, 65536, NULL },
	{ "redirector.max_per_ip", CONF_INT, "64",
	  "Most connections at once from one IPv4 address or one IPv6 /64.",
	  1, 65536, NULL },
	{ "redirector.trusted_proxies", CONF_CIDRS, "",
	  "Proxies whose X-Forwarded-For is believed, as IPv4/IPv6 CIDR "
	  "blocks separated by commas or spaces; empty believes no one.",
	  0, 0, NULL },
	{ "redirector.sweep_window", CONF_INT, "5",
	  "Seconds within which fetches of one digest's links are weighed "
	  "together as a possible mail-security gateway's sweep (by each "
	  "redirector, and again over every redirector's hits by the "
	  "reports).",
	  1, 60, NULL },
	{ "redirector.sweep_links", CONF_INT, "4",
	  "Distinct links of one digest (a link's click and share routes "
	  "are one; each footer page counts as one), fetched at most three "
	  "times a URL within the window, that make a sweep, whatever the "
	  "addresses and User-Agents.", 2, 1000, NULL },
	{ "redirector.sweep_links_fresh", CONF_INT, "3",
	  "The same, when the burst comes within redirector.sweep_fresh "
	  "seconds of the digest's delivery.", 2, 1000, NULL },
	{ "redirector.sweep_fresh", CONF_INT, "600",
	  "Seconds after a digest's delivery during which a burst of its "
	  "links is judged with redirector.sweep_links_fresh; 0: "
	  "delivery time is not weighed.", 0, 86400, NULL },
	{ "redirector.scanner_networks", CONF_CIDRS, "",
	  "Known mail-security gateway networks, as IPv4/IPv6 CIDR blocks "
	  "separated by commas or spaces: every hit from them is a scanner "
	  "hit. Never list a whole cloud provider; empty lists none.",
	  0, 0, NULL },
};
const size_t config_ndefs = sizeof(config_defs) / sizeof(config_defs[0]);

struct config {
	char	*value[sizeof(config_defs) / sizeof(config_defs[0])];
	char	*origin[sizeof(config_defs) / sizeof(config_defs[0])];
};

static const char *config_type_names[] = {
	[CONF_STRING] = "string", [CONF_INT] = "integer",
	[CONF_DOUBLE] = "number", [CONF_BOOL] = "boolean",
	[CONF_TIME] = "HH:MM", [CONF_TZ] = "time zone",
	[CONF_URL] = "URL", [CONF_PATH] = "path", [CONF_ENUM] = "choice",
	[CONF_LISTEN] = "ADDR:PORT", [CONF_CIDRS] = "CIDR list",
	[CONF_MAILBOX] = "mailbox", [CONF_MAILURL] = "mail URL",
};

static long
config_index(const char *name)
{
	size_t i;

	for (i = 0; i < config_ndefs; i++)
		if (strcmp(config_defs[i].name, name) == 0)
			return (long)i;
	return -1;
}

static size_t
config_must(const char *name)
{
	long i = config_index(name);

	if (i < 0)
		fatalx("config: no setting '%s' (a bug)", name);
	return (size_t)i;
}

struct config *
config_new(void)
{
	struct config *c = xcalloc(1, sizeof(*c));
	size_t i;

	for (i = 0; i < config_ndefs; i++) {
		c->value[i] = xstrdup(config_defs[i].def);
		c->origin[i] = xstrdup("default");
	}
	return c;
}

void
config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < config_ndefs; i++) {
		free(c->value[i]);
		free(c->origin[i]);
	}
	free(c);
}

static int
parse_bool(const char *s, int *out)
{
	static const char *yes[] = { "1", "yes", "true", "on" };
	static const char *no[] = { "0", "no", "false", "off" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

const char *
config_url_path(const char *url)
{
	const char *p = strstr(url, "://");

	p = p != NULL ? p + 3 : url;
	return p + strcspn(p, "/");
}

/*
 * chorus.base_url is the start of every link: "BASE/CODE" must stay a
 * path. No query or fragment (a code after them is no path), and no path
 * whose first step is a route's own (/s, /u, /p, /n, /healthz, /metrics):
 * a proxy that strips the path would then send /s/CODE, a share, which
 * the redirector reads as the path and a click.
 */
static int
config_check_base(const char *v, const char **why)
{
	static const char *const routes[] = { "s", "u", "p", "n", "healthz",
	    "metrics" };
	const char *p = config_url_path(v);
	size_t i, n;

	if (strpbrk(v, "?#") != NULL) {
		*why = "no query or fragment: every link is BASE/CODE";
		return -1;
	}
	if (*p++ != '/')
		return 0;
	n = strcspn(p, "/");
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (strlen(routes[i]) == n && strncmp(p, routes[i], n) == 0) {
			*why = "a path that starts as a route of the "
			    "redirector does (/s, /u, /p, /n, /healthz, "
			    "/metrics)";
			return -1;
		}
	return 0;
}

int
config_check(const struct config_def *d, const char *v, const char **why)
{
	const char *dummy;
	long l;
	double dv;
	char *end;
	int b, m;

	if (why == NULL)
		why = &dummy;
	if (validate_header_safe(v, why) == -1)
		return -1;
	switch (d->type) {
	case CONF_STRING:
		return 0;
	case CONF_PATH:
		if (d->min > 0 && *v == '\0') {
			*why = "must not be empty";
			return -1;
		}
		/* A URI misspelt ("postgresql:host", "postgressql://...")
		 * would be taken for an SQLite file of that name, and made. */
		if (strcmp(d->name, "chorus.database") == 0 &&
		    !dburi_is_pg(v) && (strstr(v, "://") != NULL ||
		    (strncasecmp(v, "postgres", 8) == 0 &&
		    strchr(v, ':') != NULL))) {
			*why = "neither a file name nor a postgresql:// URI";
			return -1;
		}
		return 0;
	case CONF_INT:
		return validate_int(v, d->min, d->max, &l, why);
	case CONF_DOUBLE:
		errno = 0;
		dv = strtod(v, &end);
		/* Written so that NaN fails too. */
		if (*v == '\0' || *end != '\0' || errno != 0 ||
		    !(dv >= (double)d->min && dv <= (double)d->max)) {
			*why = "not a number in range";
			return -1;
		}
		return 0;
	case CONF_BOOL:
		if (parse_bool(v, &b) == -1) {
			*why = "not yes or no";
			return -1;
		}
		return 0;
	case CONF_TIME:
		return validate_hhmm(v, &m, why);
	case CONF_TZ:
		return validate_tz(v, why);
	case CONF_URL:
		if (validate_url(v, why) == -1)
			return -1;
		return strcmp(d->name, "chorus.base_url") == 0 ?
		    config_check_base(v, why) : 0;
	case CONF_LISTEN:
		return validate_listen(v, why);
	case CONF_CIDRS:
		return validate_cidr_list(v, why);
	case CONF_MAILBOX:
		return validate_mailbox(v, why);
	case CONF_MAILURL:
		return validate_mail_url(v, why);
	case CONF_ENUM: {
		size_t n = strlen(v);
		const char *p = d->choices;

		while (p != NULL && *p != '\0') {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);

			if (len == n && strncmp(p, v, n) == 0)
				return 0;
			p = bar ? bar + 1 : NULL;
		}
		*why = "not one of the choices";
		return -1;
	}
	}
	*why = "unknown type";
	return -1;
}

/* Sets a value; errors name where, which may say more than origin (the
 * line of a file). */
static int
config_set_at(struct config *c, const char *name, const char *value,
    const char *origin, const char *where)
{
	const char *why = NULL;
	long i = config_index(name);

	if (i < 0) {
		log_error("%s: unknown setting '%s'", where, name);
		return -1;
	}
	if (config_check(&config_defs[i], value, &why) == -1) {
		if (config_defs[i].type == CONF_ENUM)
			log_error("%s: %s: %s (%s)", where, name, why,
			    config_defs[i].choices);
		else
			log_error("%s: %s: %s", where, name, why);
		return -1;
	}
	free(c->value[i]);
	free(c->origin[i]);
	c->value[i] = xstrdup(value);
	c->origin[i] = xstrdup(origin);
	return 0;
}

int
config_set(struct config *c, const char *name, const char *value,
    const char *origin)
{
	return config_set_at(c, name, value, origin, origin);
}

/* What config_ini_reader() hands inih for the value of a line too long
 * for inih's buffer: the handler takes the value kept aside instead. */
#define INI_ASIDE	"\x1e"

struct ini_ctx {
	struct config	*c;
	const char	*path;
	FILE		*fp;
	int		 line;		/* of the line inih is on */
	int		 indented;	/* that line starts with a blank */
	int		 failed;
	char		*buf;		/* the whole line read */
	size_t		 cap;
	char		*aside;		/* a long line's value, or NULL */
	/* The line each setting was set on in this file, 0 if none. */
	int		 set_on[sizeof(config_defs) / sizeof(config_defs[0])];
};

/*
 * fgets for inih, a whole line a call, counting lines so that errors can
 * name them. inih reads into a buffer of its own, 200 bytes in Debian's
 * build, and took the rest of a longer line for a line of its own: a
 * PostgreSQL URI with its TLS options is longer. Such a line's value is
 * cut out as inih would cut it (from the first '=' or ':', blanks around
 * it and an inline "; comment" off) and kept aside; inih gets the key
 * and INI_ASIDE, which the handler exchanges for it. A long comment is a
 * comment; any other long line is refused.
 */
static char *
config_ini_reader(char *str, int num, void *stream)
{
	struct ini_ctx *ctx = stream;
	char *s, *eq, *v, *e;
	size_t ind;
	ssize_t n;
	int blank;

	if ((n = getline(&ctx->buf, &ctx->cap, ctx->fp)) <= 0)
		return NULL;
	s = ctx->buf;
	ctx->line++;
	ctx->indented = *s == ' ' || *s == '\t';
	free(ctx->aside);
	ctx->aside = NULL;
	if (n < num) {
		memcpy(str, s, (size_t)n + 1);
		return str;
	}
	ind = strspn(s, " \t");
	s += ind;
	if (ctx->line == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;		/* a byte-order mark, as inih skips it */
	if (*s == ';' || *s == '#') {
		snprintf(str, (size_t)num, ";\n");
		return str;
	}
	eq = s + strcspn(s, "=:");
	if (*eq == '\0' || *s == '[' || (long)ind + (eq - s) + 4 >= num) {
		log_error("%s:%d: a line longer than %d bytes that is no "
		    "setting", ctx->path, ctx->line, num - 1);
		ctx->failed = 1;
		snprintf(str, (size_t)num, ";\n");
		return str;
	}
	/* As inih: a comment is a ';' after a blank, looked for from just
	 * after the '=' (so "= ;x" is empty), then the blanks trimmed. */
	for (e = eq + 1, blank = 0; *e != '\0'; e++) {
		if (blank && *e == ';')
			break;
		blank = strchr(" \t\r\n\v\f", *e) != NULL;
	}
	v = eq + 1 + strspn(eq + 1, " \t");
	if (v > e)
		v = e;
	while (e > v && strchr(" \t\r\n\v\f", e[-1]) != NULL)
		e--;
	ctx->aside = xstrndup(v, (size_t)(e - v));
	/* The indentation kept: inih reads an indented line as more of the
	 * value above, which the handler refuses, long or short. */
	snprintf(str, (size_t)num, "%.*s%.*s=" INI_ASIDE "\n", (int)ind,
	    ctx->buf, (int)(eq - s), s);
	return str;
}

static int
config_ini_handler(void *user, const char *section, const char *key,
    const char *value)
{
	struct ini_ctx *ctx = user;
	char name[256], where[PATH_MAX + 32];
	long i;

	if (section == NULL || key == NULL || value == NULL)
		return 1;
	if (strcmp(value, INI_ASIDE) == 0 && ctx->aside != NULL)
		value = ctx->aside;
	snprintf(name, sizeof(name), "%s.%s", section, key);
	snprintf(where, sizeof(where), "%s:%d", ctx->path, ctx->line);
	if ((i = config_index(name)) < 0) {
		log_warnx("%s: warning: unknown setting '%s' ignored", where,
		    name);
		return 1;
	}
	/* Which of two values was meant cannot be known: refuse both. inih
	 * reads an indented line as more of the value above, a second
	 * value for the same key. */
	if (ctx->set_on[i] != 0) {
		if (ctx->indented)
			log_error("%s: %s: an indented line continues the "
			    "value above; write it on one line", where, name);
		else
			log_error("%s: %s: set twice (first on line %d)",
			    where, name, ctx->set_on[i]);
		ctx->failed = 1;
		return 1;
	}
	ctx->set_on[i] = ctx->line;
	if (config_set_at(ctx->c, name, value, where, where) == -1)
		ctx->failed = 1;
	return 1;
}

int
config_load_file(struct config *c, const char *path, int required)
{
	struct ini_ctx ctx;
	int line;

	memset(&ctx, 0, sizeof(ctx));
	ctx.c = c;
	ctx.path = path;
	if ((ctx.fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT && !required)
			return 0;
		log_error("config '%s': %s", path, strerror(errno));
		return -1;
	}
	line = ini_parse_stream(config_ini_reader, &ctx, config_ini_handler,
	    &ctx);
	if (line == 0 && ferror(ctx.fp))
		line = -1;
	fclose(ctx.fp);
	free(ctx.buf);
	free(ctx.aside);
	if (line > 0) {
		log_error("%s:%d: not a setting, section or comment", path,
		    line);
		return -1;
	}
	if (line < 0) {
		log_error("config '%s': cannot be read", path);
		return -1;
	}
	return ctx.failed ? -1 : 0;
}

/* True if s (len bytes, e.g. "SMTP_FOO") starts with a known section and
 * an underscore. */
static int
env_section_known(const char *s, size_t len)
{
	size_t i, k;

	for (i = 0; i < config_ndefs; i++) {
		const char *name = config_defs[i].name;

		for (k = 0; k < len && name[k] != '.'; k++)
			if (toupper((unsigned char)name[k]) != s[k])
				break;
		if (k < len && name[k] == '.' && s[k] == '_')
			return 1;
	}
	return 0;
}

int
config_load_env(struct config *c, char *const *envp)
{
	char name[256], *p;
	const char *eq;
	size_t i, n;
	int failed = 0;

	for (; envp != NULL && *envp != NULL; envp++) {
		if (strncmp(*envp, "CHORUS_", 7) != 0 ||
		    (eq = strchr(*envp, '=')) == NULL)
			continue;
		n = (size_t)(eq - *envp);
		for (i = 0; i < config_ndefs; i++) {
			/* CHORUS_SMTP_PASSWORD_FILE -> smtp.password_file */
			snprintf(name, sizeof(name), "CHORUS_%s",
			    config_defs[i].name);
			for (p = name; *p != '\0'; p++)
				*p = (char)(*p == '.' ? '_' : toupper(
				    (unsigned char)*p));
			if (strlen(name) == n && strncmp(name, *envp, n) == 0)
				break;
		}
		if (i == config_ndefs) {
			/* Only CHORUS_<SECTION>_... with a known section is
			 * meant as a setting; CHORUS_FOO is someone else's. */
			if (env_section_known(*envp + 7, n - 7))
				log_warnx("warning: environment variable '%.*s' "
				    "is not a setting; ignored", (int)n, *envp);
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)n, *envp);
		if (config_set(c, config_defs[i].name, eq + 1, name) == -1)
			failed = 1;
	}
	return failed ? -1 : 0;
}

const char *
config_str(const struct config *c, const char *name)
{
	return c->value[config_must(name)];
}

long
config_int(const struct config *c, const char *name)
{
	return strtol(c->value[config_must(name)], NULL, 10);
}

double
config_double(const struct config *c, const char *name)
{
	return strtod(c->value[config_must(name)], NULL);
}

int
config_bool(const struct config *c, const char *name)
{
	int b = 0;

	(void)parse_bool(c->value[config_must(name)], &b);
	return b;
}

const char *
config_origin(const struct config *c, const char *name)
{
	return c->origin[config_must(name)];
}

/* Prints "ORIGIN: name: reason" (no origin for a default). */
static void __attribute__((format(printf, 3, 4)))
config_fail(const struct config *c, const char *name, const char *fmt, ...)
{
	const char *origin = config_origin(c, name);
	char msg[PATH_MAX + 256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (strcmp(origin, "default") == 0)
		log_error("%s: %s", name, msg);
	else
		log_error("%s: %s: %s", origin, name, msg);
}

/* The password file is opened to prove it can be, never read: its
 * content must not reach a log. */
static int
config_check_password_file(const struct config *c)
{
	const char *path = config_str(c, "smtp.password_file");
	struct stat st;
	int fd;

	if (*path == '\0')
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1) {
		config_fail(c, "smtp.password_file", "cannot read '%s': %s",
		    path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		config_fail(c, "smtp.password_file", "'%s' is not a file",
		    path);
		return -1;
	}
	close(fd);
	return 0;
}

/* A file: outbox exists, or its parent does and can take it: the file
 * transport makes the last directory only, so a typo in a parent is not
 * quietly grown into a tree. */
static int
config_check_outbox(const struct config *c, const char *dir)
{
	char parent[PATH_MAX];
	struct stat st;
	char *slash;
	size_t n;

	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			config_fail(c, "smtp.url", "'%s' is not a directory",
			    dir);
			return -1;
		}
		if (access(dir, W_OK | X_OK) == -1) {
			config_fail(c, "smtp.url", "cannot write in '%s': %s",
			    dir, strerror(errno));
			return -1;
		}
		return 0;
	}
	/* ENOTDIR: a parent is a file, said below by name. */
	if (errno != ENOENT && errno != ENOTDIR) {
		config_fail(c, "smtp.url", "'%s': %s", dir, strerror(errno));
		return -1;
	}
	if ((n = strlen(dir)) >= sizeof(parent)) {
		config_fail(c, "smtp.url", "'%s': %s", dir,
		    strerror(ENAMETOOLONG));
		return -1;
	}
	memcpy(parent, dir, n + 1);
	while (n > 1 && parent[n - 1] == '/')
		parent[--n] = '\0';
	if ((slash = strrchr(parent, '/')) == NULL)
		snprintf(parent, sizeof(parent), ".");
	else if (slash == parent)
		parent[1] = '\0';	/* "/dir": the root */
	else
		*slash = '\0';
	if (stat(parent, &st) == -1) {
		config_fail(c, "smtp.url", "cannot make '%s': '%s': %s "
		    "(only the last directory of file:DIR is made)", dir,
		    parent, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		config_fail(c, "smtp.url", "cannot make '%s': '%s' is not a "
		    "directory", dir, parent);
		return -1;
	}
	if (access(parent, W_OK | X_OK) == -1) {
		config_fail(c, "smtp.url", "cannot make '%s': %s", dir,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
config_check_templates(const struct config *c)
{
	const char *dir = config_str(c, "chorus.templates");
	struct stat st;

	if (*dir == '\0')
		return 0;
	if (stat(dir, &st) == -1) {
		config_fail(c, "chorus.templates", "'%s': %s", dir,
		    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		config_fail(c, "chorus.templates", "'%s' is not a directory",
		    dir);
		return -1;
	}
	if (access(dir, R_OK | X_OK) == -1) {
		config_fail(c, "chorus.templates", "cannot read '%s': %s", dir,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
config_check_mail(const struct config *c)
{
	const char *url = config_str(c, "smtp.url");
	int failed = 0;

	if (config_check_password_file(c) == -1)
		failed = 1;
	if (config_check_templates(c) == -1)
		failed = 1;
	if (strncmp(url, "file:", 5) == 0) {
		if (config_check_outbox(c, url + 5) == -1)
			failed = 1;
	} else if (*config_str(c, "smtp.user") != '\0' &&
	    *config_str(c, "smtp.password_file") == '\0') {
		config_fail(c, "smtp.user", "set, but smtp.password_file is "
		    "not");
		failed = 1;
	}
	if (failed)
		return -1;
	config_warn_production(c, CONFIG_WARN_LINKS | CONFIG_WARN_MAIL);
	return 0;
}

/* Prints "warning: ORIGIN: name: reason" (no origin for a default). */
static void __attribute__((format(printf, 3, 4)))
config_warn(const struct config *c, const char *name, const char *fmt, ...)
{
	const char *origin = config_origin(c, name);
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (strcmp(origin, "default") == 0)
		log_warnx("warning: %s: %s", name, msg);
	else
		log_warnx("warning: %s: %s: %s", origin, name, msg);
}

/* Names that never reach the public Internet: this machine, a local
 * network, or a reserved test domain (RFC 6761, RFC 6762, RFC 8375). */
static const char *const config_local_suffixes[] = {
	"localhost", "localdomain", "local", "test", "invalid", "internal",
	"lan", "home.arpa",
};

/* Whether the host of len bytes (a name, an IPv4 address or an IPv6 one,
 * brackets allowed) is this machine or a private network: loopback,
 * RFC 1918, link-local, unique local, a single label, or a name under
 * one of the suffixes above. */
int
config_host_is_local(const char *host, size_t len)
{
	char h[256];
	unsigned long a, b;
	size_t i, n;

	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		host++;
		len -= 2;
	}
	if (len == 0 || len >= sizeof(h))
		return 1;
	for (i = 0; i < len; i++)
		h[i] = (char)tolower((unsigned char)host[i]);
	while (len > 0 && h[len - 1] == '.')
		len--;	/* "example.com." */
	h[len] = '\0';
	if (strchr(h, ':') != NULL)	/* IPv6 */
		return strcmp(h, "::1") == 0 || strncmp(h, "fc", 2) == 0 ||
		    strncmp(h, "fd", 2) == 0 || strncmp(h, "fe8", 3) == 0 ||
		    strncmp(h, "fe9", 3) == 0 || strncmp(h, "fea", 3) == 0 ||
		    strncmp(h, "feb", 3) == 0;
	if (strspn(h, "0123456789.") == len) {
		char *end;

		a = strtoul(h, &end, 10);
		b = *end == '.' ? strtoul(end + 1, NULL, 10) : 0;
		return a == 127 || a == 10 || a == 0 || (a == 172 && b >= 16 &&
		    b <= 31) || (a == 192 && b == 168) || (a == 169 &&
		    b == 254);
	}
	if (strchr(h, '.') == NULL)
		return 1;
	for (i = 0; i < sizeof(config_local_suffixes) /
	    sizeof(config_local_suffixes[0]); i++) {
		const char *suf = config_local_suffixes[i];

		n = strlen(suf);
		if (len >= n && strcmp(h + len - n, suf) == 0 &&
		    (len == n || h[len - n - 1] == '.'))
			return 1;
	}
	return 0;
}

/* The host of an URL "scheme://[userinfo@]host[:port][/...]": its start
 * and length. */
static const char *
config_url_host(const char *url, size_t *len)
{
	const char *p = strstr(url, "://"), *end, *at;

	p = p != NULL ? p + 3 : url;
	end = p + strcspn(p, "/?#");
	if ((at = memchr(p, '@', (size_t)(end - p))) != NULL)
		p = at + 1;
	if (*p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));

		*len = close != NULL ? (size_t)(close - p) + 1 :
		    (size_t)(end - p);
		return p;
	}
	*len = strcspn(p, ":/?#");
	return p;
}

int
config_warn_production(const struct config *c, int what)
{
	const char *base = config_str(c, "chorus.base_url");
	const char *smtp = config_str(c, "smtp.url");
	const char *from = config_str(c, "digest.from");
	const char *host, *shost, *dom, *end;
	size_t hlen, slen;
	int public_base, public_smtp, warned = 0;

	host = config_url_host(base, &hlen);
	public_base = !config_host_is_local(host, hlen);
	shost = config_url_host(smtp, &slen);
	public_smtp = strncmp(smtp, "smtp", 4) == 0 &&
	    !config_host_is_local(shost, slen);
	if (public_base && strncmp(base, "http://", 7) == 0) {
		config_warn(c, "chorus.base_url", "'%s' is plain http on a "
		    "public host: one-click unsubscribe (RFC 8058) needs "
		    "https, and mail filters distrust http links", base);
		warned++;
	}
	/* The From matters once mail leaves this machine for real people:
	 * a public SMTP relay, or links on a public host. */
	if ((what & CONFIG_WARN_MAIL) && (public_base || public_smtp) &&
	    (dom = strrchr(from, '@')) != NULL) {
		dom++;
		end = dom + strcspn(dom, ">");
		while (end > dom && end[-1] == ' ')
			end--;
		if (config_host_is_local(dom, (size_t)(end - dom))) {
			config_warn(c, "digest.from", "'%s' is not an address "
			    "mail can come from: receivers reject or bury it, "
			    "and replies bounce; use the company's domain",
			    from);
			warned++;
		}
	}
	return warned;
}

static void
config_type_text(const struct config_def *d, char *out, size_t len)
{
	if (d->type == CONF_ENUM)
		snprintf(out, len, "%s", d->choices);
	else if (d->type == CONF_INT)
		snprintf(out, len, "integer %ld..%ld", d->min, d->max);
	else if (d->type == CONF_PATH && d->min > 0)
		snprintf(out, len, "path, not empty");
	else
		snprintf(out, len, "%s", config_type_names[d->type]);
}

void
config_write(const struct config *c, FILE *fp, enum config_format fmt)
{
	char type[128], *shown;
	size_t i;

	if (fmt == CONFIG_MARKDOWN)
		fprintf(fp, "| setting | type | default | meaning |\n"
		    "| --- | --- | --- | --- |\n");
	for (i = 0; i < config_ndefs; i++) {
		const struct config_def *d = &config_defs[i];

		config_type_text(d, type, sizeof(type));
		switch (fmt) {
		case CONFIG_DUMP:
			/* A PostgreSQL URI is printed without its password. */
			shown = dburi_redact(c->value[i]);
			fprintf(fp, "%s = %s\t# %s\n", d->name, shown,
			    c->origin[i]);
			free(shown);
			break;
		case CONFIG_MARKDOWN:
			fprintf(fp, "| `%s` | %s | `%s` | %s |\n", d->name,
			    type, d->def, d->help);
			break;
		case CONFIG_MAN:
			fprintf(fp, ".TP\n.B %s\n(%s; default \\(lq%s\\(rq)\n"
			    "%s\n", d->name, type, d->def, d->help);
			break;
		}
	}
}
