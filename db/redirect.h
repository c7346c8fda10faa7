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
	char	 frequency[12];	/* daily, weekdays, weekly, paused */
	unsigned networks;		/* NET_BIT mask */
	char	 timezone[72];		/* "": digest.timezone */
	char	 send_time[8];		/* "HH:MM", "": digest.send_time */
	unsigned own;			/* enum employee_own (db/employees.h) */
	int	 unsubscribed;
	char	 pref_token[40];
};

#define REDIRECT_TOPIC_MAX	128	/* bytes of a role offered as topic */
#define REDIRECT_TOPICS_MAX	64	/* topics on one page */

enum redirect_topic_flag {
	TOPIC_HR = 1 << 0,	/* one of HR's roles for the employee */
	TOPIC_OFFERED = 1 << 1,	/* a role of a post not expired */
	TOPIC_FOLLOWED = 1 << 2,
	TOPIC_MUTED = 1 << 3,
};

/* The topics the preferences page shows: the employee's HR roles, the
 * roles of the posts not expired on date, and whatever they follow or
 * mute; each once, HR's and the employee's own first, then by name. */
struct redirect_topics {
	struct redirect_topic {
		char	 role[REDIRECT_TOPIC_MAX];
		unsigned flags;		/* enum redirect_topic_flag */
	}	 v[REDIRECT_TOPICS_MAX];
	size_t	 n;
};

/* What the preferences page saves. timezone and send_time NULL: keep.
 * topics NULL: keep the follows and mutes; else they become these. */
struct redirect_prefs {
	const char	*frequency;	/* daily, weekdays, weekly, paused */
	unsigned	 networks;	/* non-empty NET_BIT mask */
	const char	*timezone;	/* a valid IANA name */
	const char	*send_time;	/* "HH:MM" */
	unsigned	 own;		/* employee_own bits to add: the
					   fields the employee changed */
	const char *const *follows;
	size_t		 nfollows;
	const char *const *mutes;
	size_t		 nmutes;
	int		 set_topics;	/* 0: follows and mutes unchanged */
};

/* Finds the employee holding token of the given kind. Returns 1, 0 when no
 * one holds it, -1 after logging. */
int	 db_redirect_employee_find(struct db *, enum redirect_token,
	    const char *token, struct redirect_employee *);

/* Fills the topics of the employee's preferences page; date is today's
 * "YYYY-MM-DD" (posts that expired before it are not offered). Returns 0
 * or -1 after logging. */
int	 db_redirect_topics(struct db *, int64_t employee_id, const char *date,
	    struct redirect_topics *);

/* Unsubscribes the employee at now; a second call keeps the first time.
 * The change and its preference event (db/prefs.h) are one transaction.
 * Returns 0 or -1 after logging. */
int	 db_redirect_unsubscribe(struct db *, int64_t employee_id,
	    time_t now);

/* Subscribes the employee again (unsubscribed_at cleared), keeping their
 * frequency; idempotent. With a "resubscribed" event when it changes
 * anything. Returns 0 or -1 after logging. */
int	 db_redirect_resubscribe(struct db *, int64_t employee_id, time_t now);

/* "Weekly instead" of unsubscribing: frequency weekly, as the employee's
 * own choice, and subscribed, with an event for each value that changed.
 * Returns 0 or -1 after logging. */
int	 db_redirect_weekly_instead(struct db *, int64_t employee_id,
	    time_t now);

/* Saves the preferences page in one transaction: the settings, the own
 * bits added, the topics when set_topics, and subscribes the employee
 * again, with a preference event for each value that changed
 * ("resubscribed", the new frequency). Returns 0, or -1 after logging
 * with nothing written. */
int	 db_redirect_set_prefs(struct db *, int64_t employee_id,
	    const struct redirect_prefs *, time_t now);

/* A post as the "not for me" page shows it, found by one of the
 * employee's link codes. */
struct redirect_decline {
	int64_t	 employee_id;
	int64_t	 post_id;
	char	 title[512];		/* truncated on a UTF-8 boundary */
	int	 declined;		/* already said "not for me" */
};

/* Finds the employee and post of the link with code. Returns 1, 0 when
 * there is no such link, -1 after logging. */
int	 db_redirect_decline_find(struct db *, const char *code,
	    struct redirect_decline *);

/* Records "not for me" for the employee and post at now, with reason
 * (NULL, or a value of the declines table's CHECK). Idempotent: once
 * recorded, later calls change nothing, the first reason and time stay.
 * Returns 0 or -1 after logging. */
int	 db_redirect_decline(struct db *, int64_t employee_id, int64_t post_id,
	    const char *reason, time_t now);

#endif
