/*
 * config: the settings of Chorus, defined once in a table (name, type,
 * default, help) that drives parsing, validation, `chorus config` and the
 * documentation. Values come from the defaults, then the INI file, then
 * CHORUS_<SECTION>_<KEY> environment variables, then command-line options.
 */
#ifndef CHORUS_CONFIG_H
#define CHORUS_CONFIG_H

#include <stdio.h>

struct config;

enum config_type {
	CONF_STRING,
	CONF_INT,	/* decimal integer within [min, max] */
	CONF_DOUBLE,	/* decimal number within [min, max] */
	CONF_BOOL,	/* yes/no, true/false, on/off, 1/0 */
	CONF_TIME,	/* local HH:MM */
	CONF_TZ,	/* IANA zone present on the system */
	CONF_URL,	/* absolute http or https URL */
	CONF_PATH,	/* a file name; not empty when min is 1 */
	CONF_ENUM,	/* one of a '|' separated list */
	CONF_LISTEN,	/* ADDR:PORT */
	CONF_CIDRS,	/* IPv4/IPv6 CIDR blocks, comma or blank separated */
	CONF_MAILBOX,	/* "Name <addr@domain>" or "addr@domain" */
	CONF_MAILURL,	/* file:DIR, smtp://HOST:PORT or smtps://HOST:PORT */
};

/* One row per setting. The table is public so the docs can be generated. */
struct config_def {
	const char	*name;		/* "section.key" */
	enum config_type type;
	const char	*def;		/* default, as text */
	const char	*help;		/* one sentence */
	long		 min, max;	/* for CONF_INT and CONF_DOUBLE; min 1
					   for a CONF_PATH that must be set */
	const char	*choices;	/* for CONF_ENUM: "a|b|c" */
};

extern const struct config_def config_defs[];
extern const size_t config_ndefs;

/* A config holding every default. Never NULL. */
struct config *config_new(void);
void	 config_free(struct config *);

/* Reads an INI file. A missing file is an error only when required is set
 * (the user named it). Unknown keys are warned about by name and ignored; a
 * key set twice is an error. Returns 0, or -1 after printing "FILE:LINE:
 * ..." for a bad file, value or duplicate. */
int	 config_load_file(struct config *, const char *path, int required);
/* Applies CHORUS_<SECTION>_<KEY> variables from envp. Returns 0 or -1 after
 * printing the variable and the reason. */
int	 config_load_env(struct config *, char *const *envp);
/* Sets one value, validated; origin names it in errors ("--db").
 * Returns 0 or -1 after printing the reason. */
int	 config_set(struct config *, const char *name, const char *value,
	    const char *origin);

/* Typed getters. The name must be in the table: a typo is a bug and aborts.
 * Strings are borrowed from the config. */
const char *config_str(const struct config *, const char *name);
long	 config_int(const struct config *, const char *name);
double	 config_double(const struct config *, const char *name);
int	 config_bool(const struct config *, const char *name);
/* Where the value came from: "default", "FILE:LINE", a variable name, or
 * an option ("--db"). */
const char *config_origin(const struct config *, const char *name);

/* The checks a value alone cannot pass, for the commands that send mail
 * (and `chorus config`): smtp.password_file, when set, is a file this
 * process can read (it is opened, never read); smtp.user on an smtp:// or
 * smtps:// URL has a smtp.password_file; a file: outbox directory exists
 * or can be made in its parent, which must exist. Nothing is created.
 * Returns 0 after printing config_warn_production()'s warnings, or -1
 * after printing "ORIGIN: key: reason" for each failure. */
int	 config_check_mail(const struct config *);
/* The path of a URL "scheme://authority/path" (with what follows it),
 * "" when it has none: borrowed from url. */
const char *config_url_path(const char *url);

/* For every command that renders a template (the digest's, the
 * redirector's pages, `chorus config`): chorus.templates, when set, is a
 * directory this process can read. Returns 0, or -1 after printing
 * "ORIGIN: chorus.templates: reason". */
int	 config_check_templates(const struct config *);

/* Warnings, not errors: settings that work on a test machine but will
 * hurt in production. CONFIG_WARN_LINKS: chorus.base_url on plain http
 * at a public host (RFC 8058 one-click unsubscribe needs https).
 * CONFIG_WARN_MAIL also: digest.from at a domain mail cannot come from
 * (localhost, a single label, a private address, .local, .test, ...),
 * when the links are on a public host or mail goes to a public SMTP
 * server. Prints "warning: ORIGIN: key: reason" for each; returns how
 * many. */
enum config_warn_flags {
	CONFIG_WARN_LINKS	= 1 << 0,
	CONFIG_WARN_MAIL	= 1 << 1,
};
int	 config_warn_production(const struct config *, int what);

/* Whether host (len bytes; a name or an address, IPv6 in brackets or not)
 * stays on this machine or a private network: loopback, RFC 1918,
 * link-local, unique local, a single label, or a name under localhost,
 * local, test, invalid, internal, lan, home.arpa or localdomain. */
int	 config_host_is_local(const char *host, size_t len);

/* Validates value as a setting of type def; on failure returns -1 and, if
 * why is not NULL, points it at a static reason. */
int	 config_check(const struct config_def *, const char *value,
	    const char **why);

/* Writes the settings as "section.key = value  # origin" (dump) or as the
 * Markdown reference table (markdown) or as man page rows (man). */
enum config_format { CONFIG_DUMP, CONFIG_MARKDOWN, CONFIG_MAN };
void	 config_write(const struct config *, FILE *, enum config_format);

#endif
