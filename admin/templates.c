/*
 * chorus templates export DIR: writes the templates compiled into the
 * binary out into DIR, to start a customisation that chorus.templates then
 * names. Each file appears whole (temporary file, fsync, rename).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/fileio.h"
#include "common/log.h"
#include "common/shipped.h"
#include "common/xmalloc.h"

static void
templates_usage(FILE *fp)
{
	fprintf(fp, "usage: chorus templates export [--force] DIR\n"
	    "\n"
	    "Writes the templates shipped in the binary into DIR (made if\n"
	    "missing; its parent must exist), to start a customisation: edit\n"
	    "the files to change, delete the others, and set chorus.templates\n"
	    "to DIR. A file there replaces the shipped one of its name; any\n"
	    "other template still comes from the binary.\n"
	    "\n"
	    "An existing file is never replaced unless --force is given: the\n"
	    "command then writes nothing and exits 1 naming it. Each file is\n"
	    "written to a temporary file and renamed into place.\n");
}

/* Writes t into a new temporary file in dir, synced; its name goes into
 * *tmp (malloc'd, the caller frees it). Returns 0, or -1 after logging. */
static int
export_temp(const char *dir, const struct shipped_template *t, char **tmp)
{
	mode_t um;
	int fd;

	*tmp = xasprintf("%s/.%s.XXXXXX", dir, t->name);
	if ((fd = mkstemp(*tmp)) == -1) {
		log_error_errno("templates: cannot create a file in '%s'", dir);
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	/* mkstemp makes 0600; a template is an ordinary file. */
	um = umask(0);
	umask(um);
	if (fchmod(fd, 0666 & ~um) == -1 ||
	    fileio_write(fd, t->src, t->len) == -1 || fsync(fd) == -1) {
		log_error_errno("templates: write '%s'", *tmp);
		close(fd);
		return -1;
	}
	if (close(fd) == -1) {
		log_error_errno("templates: write '%s'", *tmp);
		return -1;
	}
	return 0;
}

/* Puts tmp in place as path. Without force, link() refuses an existing
 * path atomically; a file system without hard links falls back to the
 * check already made. Returns 0, or -1 after logging. */
static int
export_place(const char *tmp, const char *path, int force)
{
	if (!force) {
		if (link(tmp, path) == 0) {
			(void)unlink(tmp);
			return 0;
		}
		if (errno == EEXIST) {
			log_error("templates: '%s' already exists (--force "
			    "replaces it)", path);
			return -1;
		}
		if (errno != EPERM && errno != EOPNOTSUPP) {
			log_error_errno("templates: '%s'", path);
			return -1;
		}
	}
	if (rename(tmp, path) == -1) {
		log_error_errno("templates: '%s'", path);
		return -1;
	}
	return 0;
}

/* Makes dir (one level) or accepts an existing directory. */
static int
export_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0777) == 0)
		return 0;
	if (errno != EEXIST) {
		log_error_errno("templates: cannot make '%s'", dir);
		return -1;
	}
	if (stat(dir, &st) == -1) {
		log_error_errno("templates: '%s'", dir);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		log_error("templates: '%s' is not a directory", dir);
		return -1;
	}
	return 0;
}

/* Every file is checked, then written to a temporary file, before any is
 * put in place, so a refusal or a full disk leaves DIR as it was. */
static int
templates_export(const char *dir, int force)
{
	char **tmp, *path = NULL;
	struct stat st;
	size_t i, placed = 0;
	int ret = -1;

	tmp = xcalloc(nshipped_templates + 1, sizeof(*tmp));
	if (export_dir(dir) == -1)
		goto out;
	for (i = 0; i < nshipped_templates && !force; i++) {
		path = xasprintf("%s/%s", dir, shipped_templates[i].name);
		if (lstat(path, &st) == 0) {
			log_error("templates: '%s' already exists (--force "
			    "replaces it)", path);
			goto out;
		}
		free(path);
		path = NULL;
	}
	for (i = 0; i < nshipped_templates; i++)
		if (export_temp(dir, &shipped_templates[i], &tmp[i]) == -1)
			goto out;
	for (; placed < nshipped_templates; placed++) {
		free(path);
		path = xasprintf("%s/%s", dir, shipped_templates[placed].name);
		if (export_place(tmp[placed], path, force) == -1)
			goto out;
		free(tmp[placed]);
		tmp[placed] = NULL;
	}
	/* The renames are durable once the directory is. */
	(void)fileio_sync_dir(dir);
	ret = 0;
out:
	for (i = 0; i < nshipped_templates; i++) {
		if (tmp[i] != NULL)
			(void)unlink(tmp[i]);
		free(tmp[i]);
	}
	free(tmp);
	free(path);
	return ret;
}

int
cmd_templates(struct chorus *ch, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir;
	size_t i;
	int c, force = 0;

	(void)ch;
	if (argc < 2) {
		templates_usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		templates_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "export") != 0)
		return cli_usage_error("templates", "unknown verb '%s'",
		    argv[1]);
	argc--;
	argv++;
	while ((c = cli_getopt(argc, argv, "hf", longopts,
	    "templates")) != -1) {
		switch (c) {
		case 'h':
			templates_usage(stdout);
			return 0;
		case 'f':
			force = 1;
			break;
		default:
			return EX_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error("templates", "export: expected one DIR");
	if (optind + 1 < argc)
		return cli_usage_error("templates", "export: unexpected "
		    "argument '%s'", argv[optind + 1]);
	dir = argv[optind];
	if (templates_export(dir, force) == -1)
		return 1;
	printf("templates written to '%s':", dir);
	for (i = 0; i < nshipped_templates; i++)
		printf(" %s", shipped_templates[i].name);
	printf("\n");
	return 0;
}
