/*
 * import: `chorus import employees|posts FILE`. All or nothing: the rows are
 * written inside one BEGIN IMMEDIATE transaction, stopped at the first bad
 * row (the rest is still read, to report every error), and rolled back if
 * anything was wrong, so the database is left exactly as it was. The first
 * IMPORT_MAX_SHOWN errors are printed, then how many more there were.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/config.h"
#include "common/csv.h"
#include "common/log.h"
#include "common/strlist.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "db/db.h"
#include "import/import.h"

#define IMPORT_MAX_COLS	64
#define IMPORT_MAX_SHOWN 50	/* error lines; then one line counts the rest */

/* Every byte is a Latin-1 (or Windows-1252) character, so any text that is
 * not UTF-8 is most likely one of those. */
#define IMPORT_NOT_UTF8	"not UTF-8 (Latin-1 or Windows-1252?)"

struct import_key {
	char		*key;
	unsigned long	 line;
};

struct import {
	const struct import_kind *kind;
	const struct config	*cfg;
	struct db		*db;
	const char		*file;		/* as shown in errors */
	unsigned long		 line;		/* current record */
	unsigned long		 errors;
	time_t			 now;
	int			 prune;
	uint64_t		 present;	/* the kind's columns in
						   the header, by bit */
	long			 counts[IMPORT_NCOUNTS];
	struct import_key	*keys;		/* open addressing */
	size_t			 nkeys, capkeys;
};

static const struct import_kind *import_kinds[] = {
	&import_employees,
	&import_posts,
};

void
import_error(struct import *imp, const char *column, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (imp->errors++ >= IMPORT_MAX_SHOWN)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (column != NULL)
		log_error("%s:%lu: %s: %s", imp->file, imp->line, column, msg);
	else
		log_error("%s:%lu: %s", imp->file, imp->line, msg);
}

int
import_has(const struct import *imp, size_t col)
{
	return col < 64 && (imp->present & (UINT64_C(1) << col)) != 0;
}

int
import_ok(const struct import *imp)
{
	return imp->errors == 0;
}

struct db *
import_db(struct import *imp)
{
	return imp->db;
}

const struct config *
import_config(struct import *imp)
{
	return imp->cfg;
}

time_t
import_now(const struct import *imp)
{
	return imp->now;
}

int
import_prune(const struct import *imp)
{
	return imp->prune;
}

void
import_count(struct import *imp, enum import_count which, long n)
{
	imp->counts[which] += n;
}

static size_t
key_hash(const char *s)
{
	size_t h = 1469598103934665603ULL & (size_t)-1;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
	return h;
}

unsigned long
import_key_seen(struct import *imp, const char *key)
{
	size_t i, mask;

	if (imp->nkeys * 2 >= imp->capkeys) {
		struct import_key *old = imp->keys;
		size_t oldcap = imp->capkeys, j;

		imp->capkeys = oldcap ? oldcap * 2 : 1024;
		imp->keys = xcalloc(imp->capkeys, sizeof(*imp->keys));
		mask = imp->capkeys - 1;
		for (j = 0; j < oldcap; j++) {
			if (old[j].key == NULL)
				continue;
			for (i = key_hash(old[j].key) & mask;
			    imp->keys[i].key != NULL; i = (i + 1) & mask)
				;
			imp->keys[i] = old[j];
		}
		free(old);
	}
	mask = imp->capkeys - 1;
	for (i = key_hash(key) & mask; imp->keys[i].key != NULL;
	    i = (i + 1) & mask)
		if (strcmp(imp->keys[i].key, key) == 0)
			return imp->keys[i].line;
	imp->keys[i].key = xstrdup(key);
	imp->keys[i].line = imp->line;
	imp->nkeys++;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
import_split_roles(struct import *imp, const char *column, const char *value,
    char *out, size_t cap, const char **items, size_t maxitems)
{
	const char *p = value, *item;
	size_t n = 0, used = 0, len, i, j;

	while (strlist_next(&p, &item, &len)) {
		if (len == 0) {
			import_error(imp, column, "empty role name");
			return -1;
		}
		if (n == maxitems) {
			import_error(imp, column, "more than %zu roles",
			    maxitems);
			return -1;
		}
		if (used + len + 1 > cap) {
			import_error(imp, column, "role list too long");
			return -1;
		}
		for (i = 0; i < len; i++)
			out[used + i] = (char)tolower((unsigned char)item[i]);
		out[used + len] = '\0';
		items[n++] = out + used;
		used += len + 1;
	}
	qsort(items, n, sizeof(*items), cmp_str);
	/* Drop duplicates: "a;A" is one role. */
	for (i = j = 0; i < n; i++)
		if (j == 0 || strcmp(items[j - 1], items[i]) != 0)
			items[j++] = items[i];
	return (int)j;
}

/* What a path names when it is not a regular file. */
static const struct {
	mode_t		 type;
	const char	*name;
} file_types[] = {
	{ S_IFIFO, "a FIFO" },
	{ S_IFCHR, "a character device" },
	{ S_IFBLK, "a block device" },
	{ S_IFDIR, "a directory" },
	{ S_IFSOCK, "a socket" },
};

/* Opens path for reading if it is a regular file; anything else is
 * refused, never waited on: with O_NONBLOCK, opening a FIFO that has no
 * writer returns at once. Returns NULL after saying why. */
static FILE *
import_open(const char *path)
{
	const char *what = "not a regular file";
	struct stat st;
	FILE *fp;
	size_t i;
	int fd, fl;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1) {
		log_error("import: cannot open '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		log_error("import: cannot stat '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		for (i = 0; i < sizeof(file_types) / sizeof(file_types[0]); i++)
			if ((st.st_mode & S_IFMT) == file_types[i].type)
				what = file_types[i].name;
		log_error("import: '%s' is %s, not a regular file (FILE '-' "
		    "reads standard input)", path, what);
		goto fail;
	}
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1 ||
	    (fp = fdopen(fd, "r")) == NULL) {
		log_error("import: cannot open '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	return fp;
fail:
	close(fd);
	return NULL;
}

static void
import_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: chorus import employees [--prune] FILE\n"
	    "       chorus import posts FILE\n"
	    "\n"
	    "Loads or updates employees (key: email, case-insensitive) or\n"
	    "posts (key: id) from an RFC 4180 CSV file with a header row;\n"
	    "FILE '-' reads standard input; any other FILE must be a regular\n"
	    "file (a FIFO or a device is refused, exit 65). UTF-8 only. All\n"
	    "or nothing: any invalid row refuses the whole file (exit 65) and\n"
	    "the database is left as it was; the first 50 errors are shown,\n"
	    "then how many more. Prints one summary line.\n"
	    "\n"
	    "  --prune  deactivate employees missing from FILE (their history\n"
	    "           is kept)\n");
}

/* Trims spaces and tabs at both ends, in place. */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static int
import_run(struct import *imp, FILE *fp)
{
	const struct import_kind *k = imp->kind;
	struct csv_reader *r = NULL;
	int map[IMPORT_MAX_COLS];	/* file column -> kind column or -1 */
	const char *vals[IMPORT_MAX_COLS];
	char *copies[IMPORT_MAX_COLS];
	size_t nf, i, j, ncols = 0;
	enum csv_status cs;
	const char *why;
	int status = 1, in_tx = 0, bad, seen[IMPORT_MAX_COLS] = { 0 };

	memset(copies, 0, sizeof(copies));
	if ((r = csv_reader_new(fp, NULL)) == NULL)
		fatalx("out of memory");

	/* The header. */
	cs = csv_read(r);
	if (cs == CSV_EOF) {
		imp->line = 1;
		import_error(imp, NULL, "empty file (a header row is needed)");
		status = EX_DATAERR;
		goto out;
	}
	if (cs != CSV_OK)
		goto csv_fail;
	imp->line = csv_line(r);
	ncols = csv_nfields(r);
	if (ncols > IMPORT_MAX_COLS) {
		import_error(imp, NULL, "more than %d columns", IMPORT_MAX_COLS);
		status = EX_DATAERR;
		goto out;
	}
	for (i = 0; i < ncols; i++) {
		char *name = xstrdup(csv_field(r, i));
		char *t = trim(name);

		map[i] = -1;
		if (validate_utf8(name, strlen(name), &why) == -1) {
			import_error(imp, NULL, "column %zu: %s", i + 1,
			    IMPORT_NOT_UTF8);
			free(name);
			continue;
		}
		for (j = 0; j < k->ncols; j++)
			if (strcasecmp(k->cols[j].name, t) == 0)
				break;
		if (j == k->ncols) {
			log_warnx("%s:%lu: warning: unknown column '%s' "
			    "ignored", imp->file, imp->line, t);
		} else if (seen[j]) {
			import_error(imp, k->cols[j].name,
			    "column appears twice");
		} else {
			seen[j] = 1;
			map[i] = (int)j;
			imp->present |= UINT64_C(1) << j;
		}
		free(name);
	}
	for (j = 0; j < k->ncols; j++)
		if (k->cols[j].required && !seen[j])
			import_error(imp, k->cols[j].name,
			    "required column missing");
	if (!import_ok(imp)) {
		status = EX_DATAERR;
		goto out;
	}

	if (db_begin(imp->db) == -1)
		goto out;
	in_tx = 1;
	if (k->begin != NULL && k->begin(imp) == -1)
		goto out;

	while ((cs = csv_read(r)) == CSV_OK) {
		imp->line = csv_line(r);
		nf = csv_nfields(r);
		if (nf != ncols) {
			import_error(imp, NULL, "%zu field%s, but the header "
			    "has %zu", nf, nf == 1 ? "" : "s", ncols);
			continue;
		}
		for (j = 0; j < k->ncols; j++)
			vals[j] = "";
		bad = 0;
		for (i = 0; i < nf; i++) {
			if (map[i] < 0)
				continue;
			free(copies[i]);
			copies[i] = xstrdup(csv_field(r, i));
			if (strlen(copies[i]) != csv_field_len(r, i)) {
				import_error(imp, k->cols[map[i]].name,
				    "NUL byte in value");
				bad = 1;
				continue;
			}
			if (validate_utf8(copies[i], csv_field_len(r, i),
			    &why) == -1) {
				import_error(imp, k->cols[map[i]].name,
				    IMPORT_NOT_UTF8);
				bad = 1;
				continue;
			}
			vals[map[i]] = trim(copies[i]);
		}
		/* The kinds see only text; the row is refused already. */
		if (!bad && k->row(imp, vals) == -1)
			goto out;
	}
	if (cs != CSV_EOF)
		goto csv_fail;
	if (!import_ok(imp)) {
		status = EX_DATAERR;
		goto out;
	}
	if (k->finish != NULL && k->finish(imp) == -1)
		goto out;
	if (db_commit(imp->db) == -1)
		goto out;
	in_tx = 0;
	printf("%s: %ld added, %ld updated, %ld unchanged, %ld deactivated",
	    k->name, imp->counts[IMPORT_ADDED], imp->counts[IMPORT_UPDATED],
	    imp->counts[IMPORT_UNCHANGED], imp->counts[IMPORT_DEACTIVATED]);
	if (k->kept != NULL)
		printf(", %ld %s", imp->counts[IMPORT_KEPT], k->kept);
	printf("\n");
	status = 0;
	goto out;

csv_fail:
	/* An unterminated quote is found at the end of the file; the line
	 * worth showing is the one where the quoted field began. */
	imp->line = cs == CSV_ERR_QUOTE ? csv_line(r) : csv_error_line(r);
	if (cs == CSV_ERR_IO)
		log_error("%s: %s", imp->file, strerror(errno));
	else
		import_error(imp, NULL, "%s", csv_strerror(cs));
	status = EX_DATAERR;
out:
	if (imp->errors > IMPORT_MAX_SHOWN)
		log_error("%s: ... and %lu more error%s", imp->file,
		    imp->errors - IMPORT_MAX_SHOWN,
		    imp->errors - IMPORT_MAX_SHOWN == 1 ? "" : "s");
	if (in_tx)
		db_rollback(imp->db);
	for (i = 0; i < IMPORT_MAX_COLS; i++)
		free(copies[i]);
	csv_reader_free(r);
	return status;
}

int
cmd_import(struct chorus *ch, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "prune", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct import imp;
	const char *path;
	FILE *fp = NULL;
	size_t i;
	int c, status;

	memset(&imp, 0, sizeof(imp));
	while ((c = cli_getopt(argc, argv, "h", longopts, "import")) != -1) {
		switch (c) {
		case 'h':
			import_usage(stdout);
			return 0;
		case 'p':
			imp.prune = 1;
			break;
		default:
			return EX_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		return cli_usage_error("import", "expected employees|posts "
		    "and a FILE");
	for (i = 0; i < sizeof(import_kinds) / sizeof(import_kinds[0]); i++)
		if (strcmp(import_kinds[i]->name, argv[0]) == 0)
			imp.kind = import_kinds[i];
	if (imp.kind == NULL)
		return cli_usage_error("import", "unknown kind '%s' "
		    "(employees or posts)", argv[0]);
	if (imp.prune && imp.kind != &import_employees)
		return cli_usage_error("import", "--prune is for employees "
		    "only");

	path = argv[1];
	if (strcmp(path, "-") == 0) {
		fp = stdin;
		imp.file = "stdin";
	} else if ((fp = import_open(path)) == NULL) {
		return EX_DATAERR;
	} else
		imp.file = path;

	imp.cfg = ch->cfg;
	imp.now = time(NULL);
	if ((imp.db = db_open(config_str(ch->cfg, "chorus.database"), 0)) ==
	    NULL) {
		status = 1;
		goto out;
	}
	status = import_run(&imp, fp);
out:
	db_close(imp.db);
	if (fp != NULL && fp != stdin)
		fclose(fp);
	for (i = 0; i < imp.capkeys; i++)
		free(imp.keys[i].key);
	free(imp.keys);
	return status;
}
