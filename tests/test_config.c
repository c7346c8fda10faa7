/*
 * Tests of config: defaults, the INI file, environment overrides, the typed
 * getters, and the one-line errors that name the file, line and key. The
 * log goes to stderr, which each test captures into a file to read back.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/config.h"
#include "common/log.h"

static char tmpdir[] = "/tmp/chorus-test-config.XXXXXX";
static int saved_stderr = -1;
static char logpath[64];

static void
capture_begin(void)
{
	int fd;

	snprintf(logpath, sizeof(logpath), "%s/log", tmpdir);
	fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	saved_stderr = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

/* Returns what was logged since capture_begin(); static, overwritten. */
static const char *
capture_end(void)
{
	static char text[8192];
	ssize_t n;
	int fd;

	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	fd = open(logpath, O_RDONLY);
	assert_true(fd != -1);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	fputs(text, stderr);	/* keep it in the test log */
	return text;
}

static const char *
write_ini(const char *name, const char *text)
{
	static char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
	return path;
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	unsetenv("TZDIR");
	log_init("chorus", LOG_LEVEL_INFO);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_defaults(void **state)
{
	struct config *c;
	const char *why;
	size_t i;

	(void)state;
	c = config_new();
	assert_string_equal(config_str(c, "chorus.database"), "chorus.db");
	assert_string_equal(config_str(c, "smtp.url"), "file:outbox");
	assert_string_equal(config_str(c, "smtp.starttls"), "required");
	assert_int_equal(config_int(c, "smtp.connections"), 4);
	assert_true(config_double(c, "smtp.rate") == 0.0);
	assert_string_equal(config_str(c, "digest.send_time"), "08:00");
	assert_string_equal(config_origin(c, "smtp.url"), "default");
	/* Every default passes its own check, every row has help, names are
	 * section.key and unique. */
	for (i = 0; i < config_ndefs; i++) {
		const struct config_def *d = &config_defs[i];
		size_t j;

		why = NULL;
		if (config_check(d, d->def, &why) != 0)
			fprintf(stderr, "%s: default '%s': %s\n", d->name,
			    d->def, why);
		assert_int_equal(config_check(d, d->def, &why), 0);
		assert_true(d->help != NULL && *d->help != '\0');
		assert_non_null(strchr(d->name, '.'));
		assert_true(d->type != CONF_ENUM || d->choices != NULL);
		for (j = 0; j < i; j++)
			assert_true(strcmp(config_defs[j].name, d->name) != 0);
		assert_string_equal(config_str(c, d->name), d->def);
	}
	config_free(c);
	config_free(NULL);
}

static void
test_file(void **state)
{
	struct config *c;
	const char *path;
	char want[256];

	(void)state;
	path = write_ini("good.ini",
	    "; a comment\n"
	    "# another\n"
	    "[chorus]\n"
	    "database = /var/lib/chorus/chorus.db\n"
	    "base_url = https://go.example.com\n"
	    "\n"
	    "[smtp]\n"
	    "url = smtp://127.0.0.1:2525\n"
	    "connections=8\n"
	    "rate = 12.5\n"
	    "starttls = none\n"
	    "[digest]\n"
	    "send_time = 7:30\n"
	    "timezone = Europe/Berlin\n"
	    "[redirector]\n"
	    "listen = [::1]:9000\n");
	c = config_new();
	capture_begin();
	assert_int_equal(config_load_file(c, path, 1), 0);
	assert_string_equal(capture_end(), "");
	assert_string_equal(config_str(c, "chorus.database"),
	    "/var/lib/chorus/chorus.db");
	assert_string_equal(config_str(c, "chorus.base_url"),
	    "https://go.example.com");
	assert_string_equal(config_str(c, "smtp.url"), "smtp://127.0.0.1:2525");
	assert_int_equal(config_int(c, "smtp.connections"), 8);
	assert_true(config_double(c, "smtp.rate") == 12.5);
	assert_string_equal(config_str(c, "smtp.starttls"), "none");
	assert_string_equal(config_str(c, "digest.send_time"), "7:30");
	assert_string_equal(config_str(c, "digest.timezone"), "Europe/Berlin");
	assert_string_equal(config_str(c, "redirector.listen"), "[::1]:9000");
	/* A value from the file says where in it. */
	snprintf(want, sizeof(want), "%s:8", path);
	assert_string_equal(config_origin(c, "smtp.url"), want);
	assert_string_equal(config_origin(c, "smtp.timeout"), "default");
	config_free(c);
}

static void
test_missing_file(void **state)
{
	struct config *c;
	const char *log;

	(void)state;
	c = config_new();
	capture_begin();
	assert_int_equal(config_load_file(c, "/nonexistent/chorus.ini", 0), 0);
	assert_string_equal(capture_end(), "");
	capture_begin();
	assert_int_equal(config_load_file(c, "/nonexistent/chorus.ini", 1),
	    -1);
	log = capture_end();
	assert_non_null(strstr(log, "/nonexistent/chorus.ini"));
	/* A directory is not a file. */
	capture_begin();
	assert_int_equal(config_load_file(c, tmpdir, 1), -1);
	log = capture_end();
	assert_non_null(strstr(log, tmpdir));
	config_free(c);
}

static void
test_unknown_key_warns(void **state)
{
	struct config *c;
	const char *path, *log;

	(void)state;
	path = write_ini("unknown.ini",
	    "[smtp]\n"
	    "colour = blue\n"
	    "url = smtp://mail.example.com:25\n"
	    "[nosuch]\n"
	    "key = 1\n");
	c = config_new();
	capture_begin();
	assert_int_equal(config_load_file(c, path, 1), 0);
	log = capture_end();
	assert_non_null(strstr(log, "unknown setting 'smtp.colour'"));
	assert_non_null(strstr(log, "unknown setting 'nosuch.key'"));
	assert_non_null(strstr(log, "unknown.ini:2:"));
	assert_non_null(strstr(log, "unknown.ini:5:"));
	assert_true(strncmp(log, "chorus: ", 8) == 0);
	/* The rest of the file still loads. */
	assert_string_equal(config_str(c, "smtp.url"),
	    "smtp://mail.example.com:25");
	config_free(c);
}

static void
test_bad_value(void **state)
{
	static const struct {
		const char	*ini;
		const char	*key;
		int		 line;
	} cases[] = {
		{ "[smtp]\nconnections = 0\n", "smtp.connections", 2 },
		{ "[smtp]\n\nconnections = many\n", "smtp.connections", 3 },
		{ "[smtp]\nrate = -1\n", "smtp.rate", 2 },
		{ "[smtp]\nrate = nan\n", "smtp.rate", 2 },
		{ "[smtp]\nrate = 1e400\n", "smtp.rate", 2 },
		{ "[smtp]\nstarttls = maybe\n", "smtp.starttls", 2 },
		{ "[digest]\nsend_time = 25:00\n", "digest.send_time", 2 },
		{ "[digest]\ntimezone = ../etc/passwd\n", "digest.timezone", 2 },
		{ "[digest]\ntimezone = Mars/Base\n", "digest.timezone", 2 },
		{ "[chorus]\nbase_url = javascript:alert(1)\n",
		  "chorus.base_url", 2 },
		{ "[chorus]\nbase_url = https://go.example.com/l?x=1\n",
		  "chorus.base_url", 2 },
		{ "[chorus]\nbase_url = https://go.example.com#f\n",
		  "chorus.base_url", 2 },
		{ "[chorus]\nbase_url = https://go.example.com/s\n",
		  "chorus.base_url", 2 },
		{ "[chorus]\nbase_url = https://go.example.com/healthz/x\n",
		  "chorus.base_url", 2 },
		{ "[redirector]\nlisten = 8080\n", "redirector.listen", 2 },
		{ "[digest]\nmax_posts = 3\n[digest]\nfrom = a\x01@b\n",
		  "digest.from", 4 },
		/* Issue 16: values that used to pass and fail later. */
		{ "[chorus]\ndatabase =\n", "chorus.database", 2 },
		{ "[chorus]\ndatabase = postgresql:chorus\n",
		  "chorus.database", 2 },
		{ "[chorus]\ndatabase = postgressql://db/chorus\n",
		  "chorus.database", 2 },
		{ "[chorus]\ndatabase = mysql://db/chorus\n",
		  "chorus.database", 2 },
		{ "[smtp]\nurl = smtp://mail.example.com:99999\n", "smtp.url",
		  2 },
		{ "[smtp]\nurl = smtps://mail.example.com:0\n", "smtp.url",
		  2 },
		{ "[smtp]\nurl = smtps://user@mail.example.com\n", "smtp.url",
		  2 },
		{ "[smtp]\nurl = mail.example.com\n", "smtp.url", 2 },
		{ "[smtp]\nurl = file:\n", "smtp.url", 2 },
		{ "[digest]\nfrom = Chorus\n", "digest.from", 2 },
		{ "[digest]\nfrom = News <news@example.com\n", "digest.from",
		  2 },
	};
	struct config *c;
	const char *path, *log;
	char want[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		path = write_ini("bad.ini", cases[i].ini);
		c = config_new();
		capture_begin();
		assert_int_equal(config_load_file(c, path, 1), -1);
		log = capture_end();
		snprintf(want, sizeof(want), "%s:%d: %s: ", path,
		    cases[i].line, cases[i].key);
		if (strstr(log, want) == NULL)
			fprintf(stderr, "case %zu: want '%s'\n", i, want);
		assert_non_null(strstr(log, want));
		/* One line. */
		assert_true(strchr(log, '\n') == log + strlen(log) - 1);
		/* The bad value is not taken. */
		assert_string_equal(config_origin(c, cases[i].key), "default");
		config_free(c);
	}
}

/* Lines longer than inih's buffer (200 bytes): a long value is read
 * whole, a long comment is a comment, and the lines after them keep
 * their numbers; any other long line is refused, naming it. */
static void
test_long_lines(void **state)
{
	char uri[600], ini[2048], want[700];
	const char *path, *log;
	struct config *c;
	size_t i;

	(void)state;
	snprintf(uri, sizeof(uri), "postgresql://chorus@db-1.example.com:5432,"
	    "db-2.example.com:5432/chorus?target_session_attrs=read-write&"
	    "passfile=/etc/chorus/pgpass&sslmode=verify-full&sslrootcert=");
	for (i = strlen(uri); i < 400; i++)
		uri[i] = 'a' + (char)(i % 26);
	snprintf(uri + i, sizeof(uri) - i, "&connect_timeout=2");
	snprintf(ini, sizeof(ini), "; %0300d\n[chorus]\ndatabase =  %s   "
	    "; the shared store\nbase_url = https://go.example.com\n"
	    "[smtp]\nconnections = 0\n", 7, uri);
	path = write_ini("long.ini", ini);
	c = config_new();
	capture_begin();
	assert_int_equal(config_load_file(c, path, 1), -1);
	log = capture_end();
	/* The error after the long lines names its own line, 6. */
	snprintf(want, sizeof(want), "%s:6: smtp.connections: ", path);
	assert_non_null(strstr(log, want));
	assert_null(strstr(log, "unknown setting"));
	assert_string_equal(config_str(c, "chorus.database"), uri);
	assert_string_equal(config_str(c, "chorus.base_url"),
	    "https://go.example.com");
	config_free(c);

	/* A long line that is no setting. */
	memset(ini, 'x', 300);
	snprintf(ini + 300, sizeof(ini) - 300, "\n[smtp]\nconnections = 2\n");
	path = write_ini("junk.ini", ini);
	c = config_new();
	capture_begin();
	assert_int_equal(config_load_file(c, path, 1), -1);
	log = capture_end();
	snprintf(want, sizeof(want), "%s:1: a line longer than", path);
	assert_non_null(strstr(log, want));
	config_free(c);

	/* Indented, it continues the value above: refused as a short one
	 * is. A comment right after the '=' leaves the value empty, as
	 * inih reads it. */
	snprintf(ini, sizeof(ini), "[smtp]\nuser = ;%0300d\n[digest]\n"
	    "timezone = UTC\n  from = Chorus <%0250d@example.com>\n", 1, 2);
	path = write_ini("indented.ini", ini);
	c = config_new();
	capture_begin();
	assert_int_equal(config_load_file(c, path, 1), -1);
	log = capture_end();
	snprintf(want, sizeof(want), "%s:5: digest.timezone: an indented "
	    "line continues", path);
	assert_non_null(strstr(log, want));
	assert_string_equal(config_str(c, "smtp.user"), "");
	config_free(c);
}

static void
test_duplicate(void **state)
{
	static const struct {
		const char	*ini;
		const char	*want;
	} cases[] = {
		{ "[smtp]\nurl = file:a\nurl = file:b\n",
		  ":3: smtp.url: set twice (first on line 2)\n" },
		/* A section opened again is the same section. */
		{ "[smtp]\nurl = file:a\n[digest]\nmax_posts = 2\n[smtp]\n"
		  "url = file:a\n", ":6: smtp.url: set twice (first on line 2)" },
		/* inih reads an indented line as more of the value above. */
		{ "[digest]\nfrom = News\n  <news@example.com>\n",
		  ":3: digest.from: an indented line continues the value above" },
	};
	char *envp[] = { "CHORUS_SMTP_URL=file:env", NULL };
	struct config *c;
	const char *path, *log;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		path = write_ini("dup.ini", cases[i].ini);
		c = config_new();
		capture_begin();
		assert_int_equal(config_load_file(c, path, 1), -1);
		log = capture_end();
		if (strstr(log, cases[i].want) == NULL)
			fprintf(stderr, "case %zu: want '%s'\n", i,
			    cases[i].want);
		assert_non_null(strstr(log, cases[i].want));
		assert_true(strncmp(log, "chorus: ", 8) == 0);
		config_free(c);
	}
	/* The environment overriding the file is no duplicate. */
	path = write_ini("once.ini", "[smtp]\nurl = file:a\n");
	c = config_new();
	capture_begin();
	assert_int_equal(config_load_file(c, path, 1), 0);
	assert_int_equal(config_load_env(c, envp), 0);
	assert_string_equal(capture_end(), "");
	assert_string_equal(config_str(c, "smtp.url"), "file:env");
	config_free(c);
}

/* config_check_mail() on a config with the given settings; returns its
 * result, and the log in *log. */
static int
check_mail(const char *ini, char *const *envp, const char **log)
{
	struct config *c = config_new();
	int rc;

	assert_int_equal(config_load_file(c, write_ini("mail.ini", ini), 1),
	    0);
	assert_int_equal(config_load_env(c, envp), 0);
	capture_begin();
	rc = config_check_mail(c);
	*log = capture_end();
	config_free(c);
	return rc;
}

/* Hosts that stay home, and the production warnings they lead to. */
static void
test_warn_production(void **state)
{
	static const char *const local[] = { "localhost", "LOCALHOST.",
	    "go.localhost", "127.0.0.1", "10.1.2.3", "172.16.0.1",
	    "172.31.255.255", "192.168.1.10", "169.254.1.1", "[::1]", "::1",
	    "[fd00::1]", "fe80::1", "chorus", "box.local", "go.test",
	    "mail.invalid", "x.internal", "nas.lan", "h.home.arpa",
	    "host.localdomain", "" };
	static const char *const public[] = { "go.example.com", "8.8.8.8",
	    "172.32.0.1", "192.169.0.1", "[2001:db8::1]", "notlocal.com",
	    "test.com", "local.example.org" };
	char env[256], *envp[] = { env, NULL };
	const char *log;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		assert_true(config_host_is_local(local[i], strlen(local[i])));
	for (i = 0; i < sizeof(public) / sizeof(public[0]); i++)
		assert_false(config_host_is_local(public[i],
		    strlen(public[i])));

	/* The defaults: a test machine, nothing to say. */
	assert_int_equal(check_mail("", NULL, &log), 0);
	assert_string_equal(log, "");
	/* Plain http on a public host; the From at localhost matters then. */
	assert_int_equal(check_mail("[chorus]\nbase_url = "
	    "http://go.example.com\n", NULL, &log), 0);
	assert_non_null(strstr(log, "warning: "));
	assert_non_null(strstr(log, ":2: chorus.base_url: "
	    "'http://go.example.com' is plain http on a public host"));
	assert_non_null(strstr(log, "warning: digest.from: 'Chorus "
	    "<chorus@localhost>' is not an address mail can come from"));
	/* https and a real domain: quiet. */
	snprintf(env, sizeof(env), "CHORUS_DIGEST_FROM=Comms "
	    "<comms@example.com>");
	assert_int_equal(check_mail("[chorus]\nbase_url = "
	    "https://go.example.com/\n", envp, &log), 0);
	assert_string_equal(log, "");
	/* http on a private network is a test set-up, not production. */
	assert_int_equal(check_mail("[chorus]\nbase_url = "
	    "http://192.168.1.5:8080\n", envp, &log), 0);
	assert_string_equal(log, "");
	/* A public relay with a From at a single-label host. */
	snprintf(env, sizeof(env), "CHORUS_DIGEST_FROM=chorus@mailhost");
	assert_int_equal(check_mail("[smtp]\nurl = "
	    "smtp://smtp.example.com:587\n", envp, &log), 0);
	assert_non_null(strstr(log, "CHORUS_DIGEST_FROM: digest.from: "
	    "'chorus@mailhost' is not an address"));
	assert_null(strstr(log, "base_url"));
}

static void
test_check_mail(void **state)
{
	static const char secret[] = "s3cret-Pa55";
	char ini[1024], pw[128], dir[128], file[128], sub[160];
	char env[256], *envp[] = { env, NULL };
	const char *log;
	FILE *fp;

	(void)state;
	snprintf(pw, sizeof(pw), "%s/pw", tmpdir);
	snprintf(dir, sizeof(dir), "%s/box", tmpdir);
	snprintf(file, sizeof(file), "%s/plain", tmpdir);
	assert_non_null(fp = fopen(pw, "w"));
	fputs(secret, fp);
	fclose(fp);
	assert_non_null(fp = fopen(file, "w"));
	fclose(fp);

	/* The defaults pass (the outbox is made in the working directory). */
	assert_int_equal(check_mail("", NULL, &log), 0);

	/* A readable password file passes; a missing one is named by the
	 * file and line it was set on, and its content never shows. */
	snprintf(ini, sizeof(ini), "[smtp]\nurl = smtp://127.0.0.1:2525\n"
	    "user = chorus\npassword_file = %s\n", pw);
	assert_int_equal(check_mail(ini, NULL, &log), 0);
	assert_string_equal(log, "");
	snprintf(ini, sizeof(ini), "[smtp]\nurl = smtp://127.0.0.1:2525\n"
	    "user = chorus\npassword_file = %s.missing\n", pw);
	assert_int_equal(check_mail(ini, NULL, &log), -1);
	assert_non_null(strstr(log, "mail.ini:4: smtp.password_file: cannot "
	    "read '"));
	assert_non_null(strstr(log, "No such file or directory"));
	assert_true(strchr(log, '\n') == log + strlen(log) - 1);
	/* A directory is no password file. */
	snprintf(env, sizeof(env), "CHORUS_SMTP_PASSWORD_FILE=%s", tmpdir);
	assert_int_equal(check_mail(ini, envp, &log), -1);
	assert_non_null(strstr(log, "CHORUS_SMTP_PASSWORD_FILE: "
	    "smtp.password_file: '"));
	assert_non_null(strstr(log, "' is not a file"));
	/* A user without a password on an SMTP URL, smtps:// too. */
	assert_int_equal(check_mail("[smtp]\nurl = smtp://127.0.0.1:2525\n"
	    "user = chorus\n", NULL, &log), -1);
	assert_non_null(strstr(log, "mail.ini:3: smtp.user: set, but "
	    "smtp.password_file is not"));
	assert_int_equal(check_mail("[smtp]\nurl = smtps://mail.example.com\n"
	    "user = chorus\n", NULL, &log), -1);
	assert_non_null(strstr(log, "mail.ini:3: smtp.user: set, but "
	    "smtp.password_file is not"));
	snprintf(ini, sizeof(ini), "[smtp]\nurl = smtps://127.0.0.1\n"
	    "user = chorus\npassword_file = %s\n", pw);
	assert_int_equal(check_mail(ini, NULL, &log), 0);
	assert_string_equal(log, "");
	assert_null(strstr(log, secret));

	/* The outbox: an existing directory, or a missing last one in an
	 * existing parent, passes and nothing is made. */
	snprintf(ini, sizeof(ini), "[smtp]\nurl = file:%s\n", tmpdir);
	assert_int_equal(check_mail(ini, NULL, &log), 0);
	snprintf(ini, sizeof(ini), "[smtp]\nurl = file:%s\n", dir);
	assert_int_equal(check_mail(ini, NULL, &log), 0);
	assert_int_equal(access(dir, F_OK), -1);
	/* A missing parent is refused, and not made. */
	snprintf(sub, sizeof(sub), "%s/new/outbox", dir);
	snprintf(ini, sizeof(ini), "[smtp]\nurl = file:%s\n", sub);
	assert_int_equal(check_mail(ini, NULL, &log), -1);
	assert_non_null(strstr(log, "mail.ini:2: smtp.url: cannot make '"));
	assert_non_null(strstr(log, "only the last directory of file:DIR is "
	    "made"));
	assert_int_equal(access(dir, F_OK), -1);
	/* A file where the directory or its parent should be. */
	snprintf(env, sizeof(env), "CHORUS_SMTP_URL=file:%s", file);
	assert_int_equal(check_mail("", envp, &log), -1);
	assert_non_null(strstr(log, "CHORUS_SMTP_URL: smtp.url: '"));
	assert_non_null(strstr(log, "' is not a directory"));
	snprintf(env, sizeof(env), "CHORUS_SMTP_URL=file:%s/x", file);
	assert_int_equal(check_mail("", envp, &log), -1);
	assert_non_null(strstr(log, "is not a directory"));
}

static void
test_syntax_error(void **state)
{
	struct config *c;
	const char *path, *log;

	(void)state;
	path = write_ini("syntax.ini", "[smtp]\nurl = smtp://x:25\n"
	    "this line is not ini\n");
	c = config_new();
	capture_begin();
	assert_int_equal(config_load_file(c, path, 1), -1);
	log = capture_end();
	assert_non_null(strstr(log, "syntax.ini:3: "));
	config_free(c);
}

static void
test_env(void **state)
{
	char *envp[] = {
		"HOME=/root",
		"CHORUS_SMTP_URL=smtp://env.example.com:587",
		"CHORUS_SMTP_PASSWORD_FILE=/run/secrets/smtp",
		"CHORUS_DIGEST_MAX_POSTS=5",
		"NOT_CHORUS_SMTP_URL=x",
		NULL,
	};
	char *unknown[] = { "CHORUS_NO_SUCH=1", "CHORUS_SMTP_COLOUR=2",
	    "CHORUS_SRC=/src", NULL };
	char *bad[] = { "CHORUS_SMTP_CONNECTIONS=1000", NULL };
	char *inject[] = { "CHORUS_DIGEST_FROM=a@b.c\r\nBcc: x@y.z", NULL };
	struct config *c;
	const char *path, *log;
	char want[256];

	(void)state;
	path = write_ini("env.ini", "[smtp]\nurl = smtp://file.example.com:25\n"
	    "user = fileuser\n");
	c = config_new();
	assert_int_equal(config_load_file(c, path, 1), 0);
	assert_int_equal(config_load_env(c, envp), 0);
	/* The environment wins over the file, the file over the default. */
	assert_string_equal(config_str(c, "smtp.url"),
	    "smtp://env.example.com:587");
	assert_string_equal(config_origin(c, "smtp.url"), "CHORUS_SMTP_URL");
	assert_string_equal(config_str(c, "smtp.user"), "fileuser");
	snprintf(want, sizeof(want), "%s:3", path);
	assert_string_equal(config_origin(c, "smtp.user"), want);
	assert_string_equal(config_str(c, "smtp.password_file"),
	    "/run/secrets/smtp");
	assert_int_equal(config_int(c, "digest.max_posts"), 5);

	capture_begin();
	assert_int_equal(config_load_env(c, unknown), 0);
	log = capture_end();
	/* A known section with an unknown key is a typo worth a warning;
	 * another section is someone else's variable. */
	assert_non_null(strstr(log, "'CHORUS_SMTP_COLOUR'"));
	assert_null(strstr(log, "CHORUS_NO_SUCH"));
	assert_null(strstr(log, "CHORUS_SRC"));

	capture_begin();
	assert_int_equal(config_load_env(c, bad), -1);
	log = capture_end();
	assert_non_null(strstr(log, "CHORUS_SMTP_CONNECTIONS: "
	    "smtp.connections: "));
	assert_int_equal(config_int(c, "smtp.connections"), 4);

	capture_begin();
	assert_int_equal(config_load_env(c, inject), -1);
	log = capture_end();
	assert_non_null(strstr(log, "digest.from"));
	/* The log stays one line even so. */
	assert_true(strchr(log, '\n') == log + strlen(log) - 1);
	assert_string_equal(config_origin(c, "digest.from"), "default");

	assert_int_equal(config_load_env(c, NULL), 0);
	config_free(c);
}

static void
test_set_and_check(void **state)
{
	static const struct config_def boolean = { "t.b", CONF_BOOL, "no",
	    "A flag.", 0, 0, NULL };
	static const struct config_def dbl = { "t.d", CONF_DOUBLE, "1",
	    "A number.", 0, 10, NULL };
	static const char *const yes[] = { "1", "yes", "true", "on", "YES",
	    "On", "0", "no", "false", "off", "NO" };
	static const char *const dbl_bad[] = { "", "x", "nan", "NaN", "inf",
	    "-inf", "11", "-0.1", "1x", "1e999" };
	struct config *c;
	const char *why, *log;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_int_equal(config_check(&boolean, yes[i], NULL), 0);
	assert_int_equal(config_check(&boolean, "maybe", &why), -1);
	assert_int_equal(config_check(&boolean, "", &why), -1);
	assert_int_equal(config_check(&dbl, "0", &why), 0);
	assert_int_equal(config_check(&dbl, "10", &why), 0);
	assert_int_equal(config_check(&dbl, "2.5", &why), 0);
	for (i = 0; i < sizeof(dbl_bad) / sizeof(dbl_bad[0]); i++) {
		if (config_check(&dbl, dbl_bad[i], &why) != -1)
			fprintf(stderr, "'%s' passed\n", dbl_bad[i]);
		assert_int_equal(config_check(&dbl, dbl_bad[i], &why), -1);
	}

	c = config_new();
	/* The typed getters read what was set. */
	assert_true(config_bool(c, "digest.results") == 1);
	assert_int_equal(config_set(c, "digest.results", "Off", "t"), 0);
	assert_true(config_bool(c, "digest.results") == 0);
	assert_int_equal(config_set(c, "digest.results", "TRUE", "t"), 0);
	assert_true(config_bool(c, "digest.results") == 1);
	assert_int_equal(config_set(c, "smtp.rate", "0.25", "t"), 0);
	assert_true(config_double(c, "smtp.rate") == 0.25);
	assert_int_equal(config_set(c, "smtp.connections", "+12", "t"), 0);
	assert_int_equal(config_int(c, "smtp.connections"), 12);
	assert_int_equal(config_set(c, "chorus.database", "/tmp/x.db", "--db"),
	    0);
	assert_string_equal(config_str(c, "chorus.database"), "/tmp/x.db");
	assert_string_equal(config_origin(c, "chorus.database"), "--db");
	capture_begin();
	assert_int_equal(config_set(c, "no.such", "1", "--x"), -1);
	assert_int_equal(config_set(c, "smtp.starttls", "always", "--x"), -1);
	log = capture_end();
	assert_non_null(strstr(log, "--x: unknown setting 'no.such'"));
	assert_non_null(strstr(log, "(required|none)"));
	config_free(c);
}

static void
test_write(void **state)
{
	struct config *c;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	c = config_new();
	assert_int_equal(config_set(c, "smtp.url", "smtp://h:25", "test.ini"),
	    0);
	assert_non_null(fp = open_memstream(&out, &len));
	config_write(c, fp, CONFIG_DUMP);
	fclose(fp);
	assert_non_null(strstr(out, "smtp.url = smtp://h:25\t# test.ini\n"));
	assert_non_null(strstr(out, "smtp.timeout = 60\t# default\n"));
	free(out);

	assert_non_null(fp = open_memstream(&out, &len));
	config_write(c, fp, CONFIG_MARKDOWN);
	fclose(fp);
	assert_true(strncmp(out, "| setting | type | default | meaning |\n",
	    39) == 0);
	assert_non_null(strstr(out, "| `smtp.connections` | integer 1..64 | "
	    "`4` |"));
	assert_non_null(strstr(out, "| `smtp.starttls` | required|none |"));
	free(out);

	assert_non_null(fp = open_memstream(&out, &len));
	config_write(c, fp, CONFIG_MAN);
	fclose(fp);
	assert_non_null(strstr(out, ".TP\n.B smtp.url\n"));
	free(out);
	config_free(c);
}

static void
test_typo_aborts(void **state)
{
	struct config *c;
	pid_t pid;
	int status, fd;

	(void)state;
	c = config_new();
	if ((pid = fork()) == 0) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, STDERR_FILENO);
		(void)config_str(c, "smtp.urll");
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_unknown_key_warns),
		cmocka_unit_test(test_bad_value),
		cmocka_unit_test(test_duplicate),
		cmocka_unit_test(test_check_mail),
		cmocka_unit_test(test_warn_production),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_set_and_check),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_typo_aborts),
		cmocka_unit_test(test_long_lines),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
