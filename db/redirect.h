/*
 * redirect: the reads and the few writes of the redirector's routes: a link
 * by its code (with its post's URL and campaign), an employee by the token
 * of the unsubscribe or preferences page, and the changes those pages make.
 */
#ifndef CHORUS_REDIRECT_H
#define CHORUS_REDIRECT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct db;

#define REDIRECT_URL_MAX	2048	/* longest post URL served */
#define REDIRECT_EXT_MAX	256	/* longest post id put in utm_campaign */

/* A personal link and what its redirect needs. */
struct redirect_link {
	int64_t	 link_id;
	uint64_t gen;				/* link generation read */
	int64_t	 employee_id;
	int64_t	 digest_id;			/* ledger.id, 0: none */
	int64_t	 delivered;			/* when it went out, 0 */
	int	 network;			/* enum network */
	char	 url[REDIRECT_URL_MAX];		/* the post's URL */
	char	 ext_id[REDIRECT_EXT_MAX];	/* the post's own id */
};

/* Finds the link with code. When text is not NULL it also receives the
 * post's suggested text for the link's network (share_text(): the
 * network's text, else the post's, else its title), truncated to
 * textlen - 1 bytes on a UTF-8 boundary.
 * Returns 1 found, 0 no such link (or a URL or id too long to serve), -1 on
 * a database error after logging. */
int	 db_redirect_link_find(struct db *, const char *code,
	    struct redirect_link *, char *text, size_t textlen);

/* The employee's latest digest sent or being sent: its ledger id and when
 * it went out (both 0 when none). Returns 0 or -1 after logging. */
int	 db_redirect_latest_digest(struct db *, int64_t employee_id,
	    int64_t *id, int64_t *delivered);

enum redirect_token {
	REDIRECT_UNSUB = 0,	/* employees.unsub_token */
	REDIRECT_PREF,		/* employees.pref_token */
};

/* An employee as the unsubscribe and preferences pages show them. */
struct redirect_employee {
	int64_t	 id;
	char	 email[256];
	char	 name[256];
	char	 frequency[8];		/* daily, weekly, paused */
	unsigned networks;		/* NET_BIT mask */
	int	 unsubscribed;
};

/* Finds the employee holding token of the given kind. Returns 1, 0 when no
 * one holds it, -1 after logging. */
int	 db_redirect_employee_find(struct db *, enum redirect_token,
	    const char *token, struct redirect_employee *);

/* Unsubscribes the employee at now; a second call keeps the first time.
 * Returns 0 or -1 after logging. */
int	 db_redirect_unsubscribe(struct db *, int64_t employee_id,
	    time_t now);

/* Sets frequency ("daily", "weekly", "paused") and networks (a non-empty
 * NET_BIT mask) and subscribes the employee again. Returns 0 or -1. */
int	 db_redirect_set_prefs(struct db *, int64_t employee_id,
	    const char *frequency, unsigned networks, time_t now);

#endif
