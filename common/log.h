/*
 * log: the one logging module. Every line goes to stderr as "chorus: ...",
 * one line per message, so it reads well on a terminal and in journald.
 */
#ifndef CHORUS_LOG_H
#define CHORUS_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_ERROR = 0,	/* -q: errors only */
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,		/* default */
	LOG_LEVEL_DEBUG,	/* -v */
};

void	log_init(const char *progname, enum log_level level);
enum log_level log_level(void);

/* log_warn appends ": strerror(errno)"; log_warnx does not. */
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Errors are printed whatever the level (-q included): every error that
 * ends a command goes through one of these. log_error_errno appends
 * ": strerror(errno)". */
void	log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_error_errno(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Print and exit(1); fatal appends strerror(errno). For start-up code only. */
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
