/*
 * tips: the one suggestion the digest's results box may offer an employee,
 * computed from their own history (README, "Tips"). Pure: counts in, a tip
 * or none out; no clock, no I/O.
 */
#ifndef CHORUS_TIPS_H
#define CHORUS_TIPS_H

#include "common/network.h"

/* The history window, in days before the digest's date. */
#define TIPS_DAYS		56
/* Network tip: at least two networks with this many shares each ... */
#define TIPS_NET_MIN_SHARES	5
/* Weekday tip: this many shares in all, on at least TIPS_DAY_MIN_DAYS
 * weekdays with at least TIPS_DAY_MIN_EACH shares each (only those
 * weekdays are compared). */
#define TIPS_DAY_MIN_SHARES	10
#define TIPS_DAY_MIN_DAYS	3
#define TIPS_DAY_MIN_EACH	3
/* Either: the best reaches at least this many people in all, and at
 * least TIPS_RATIO_NUM / TIPS_RATIO_DEN times as many people per share as
 * the runner-up. */
#define TIPS_MIN_PEOPLE		5
#define TIPS_RATIO_NUM		3
#define TIPS_RATIO_DEN		2

/* One employee's shares and people reached (unique clicks) over the
 * window, by network and weekday (0 = Sunday). */
struct tips_history {
	long long	 shares[NET_COUNT][7];
	long long	 people[NET_COUNT][7];
};

enum tip_kind {
	TIP_NONE = 0,
	TIP_NETWORK,		/* share on network first */
	TIP_WEEKDAY,		/* share on weekday */
};

struct tip {
	enum tip_kind	 kind;
	enum network	 network;	/* TIP_NETWORK: the best */
	enum network	 other;		/* TIP_NETWORK: the runner-up */
	int		 weekday;	/* TIP_WEEKDAY: 0 = Sunday */
	/* People per share, in tenths (rounded down): the best's and the
	 * runner-up's. */
	long long	 tenths;
	long long	 other_tenths;
};

/* The tip for a history: a network tip when one network clearly brings
 * the most people per share, else a weekday tip when one weekday clearly
 * does, else TIP_NONE (too little data, or no clear winner). */
void	 tips_compute(const struct tips_history *, struct tip *);

#endif
