/*
 * log: stderr logging with levels. The whole line is formatted first and
 * written with one write(2), so lines from threads never interleave.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"

static const char *log_prog = "chorus";
static enum log_level log_lvl = LOG_LEVEL_INFO;

void
log_init(const char *progname, enum log_level level)
{
	if (progname != NULL)
		log_prog = progname;
	log_lvl = level;
}

enum log_level
log_level(void)
{
	return log_lvl;
}

static void log_vwrite(const char *, int, const char *, va_list)
    __attribute__((format(printf, 3, 0)));

static void
log_vwrite(const char *prefix, int errnum, const char *fmt, va_list ap)
{
	char line[2048];
	size_t n;
	int r;

	r = snprintf(line, sizeof(line), "%s: %s", log_prog, prefix);
	n = r < 0 ? 0 : (size_t)r;
	if (n < sizeof(line)) {
		r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
		n += r < 0 ? 0 : (size_t)r;
	}
	if (errnum != 0 && n < sizeof(line)) {
		r = snprintf(line + n, sizeof(line) - n, ": %s",
		    strerror(errnum));
		n += r < 0 ? 0 : (size_t)r;
	}
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	/* One message, one line: no embedded newline can split it. */
	for (size_t i = 0; i < n; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

#define LOG_BODY(min, prefix, errnum) do {		\
	va_list ap;					\
	if (log_lvl < (min))				\
		return;					\
	va_start(ap, fmt);				\
	log_vwrite(prefix, errnum, fmt, ap);		\
	va_end(ap);					\
} while (0)

void
log_warn(const char *fmt, ...)
{
	int saved = errno;

	LOG_BODY(LOG_LEVEL_WARN, "", saved);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_WARN, "", 0);
}

void
log_error(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_ERROR, "", 0);
}

void
log_error_errno(const char *fmt, ...)
{
	int saved = errno;

	LOG_BODY(LOG_LEVEL_ERROR, "", saved);
	errno = saved;
}

void
log_info(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_INFO, "", 0);
}

void
log_debug(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_DEBUG, "debug: ", 0);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vwrite("", saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite("", 0, fmt, ap);
	va_end(ap);
	exit(1);
}
