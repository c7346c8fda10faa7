/*
 * tips: the results box's one suggestion, from the employee's history.
 * Both tips ask the same question of different groupings (networks,
 * weekdays): does one group clearly bring more people per share than every
 * other group with enough shares to judge?
 */
#include <string.h>

#include "digest/tips.h"

/* The winner among n groups: the index of the group with the most people
 * per share among those with at least min_each shares, when there are at
 * least two such groups and it clearly beats the runner-up; -1 otherwise.
 * *second gets the runner-up. */
static int
tips_winner(const long long *shares, const long long *people, int n,
    long long min_each, int *second)
{
	int i, best = -1, next = -1;

	for (i = 0; i < n; i++) {
		if (shares[i] < min_each || shares[i] <= 0)
			continue;
		/* people[i] / shares[i] > people[best] / shares[best] */
		if (best == -1 ||
		    people[i] * shares[best] > people[best] * shares[i]) {
			next = best;
			best = i;
		} else if (next == -1 ||
		    people[i] * shares[next] > people[next] * shares[i])
			next = i;
	}
	if (best == -1 || next == -1 || people[best] < TIPS_MIN_PEOPLE)
		return -1;
	/* A tie, or a lead short of the ratio, tells nothing. */
	if (people[best] * shares[next] * TIPS_RATIO_DEN <
	    TIPS_RATIO_NUM * people[next] * shares[best])
		return -1;
	*second = next;
	return best;
}

static long long
tenths(long long people, long long shares)
{
	return shares > 0 ? people * 10 / shares : 0;
}

void
tips_compute(const struct tips_history *h, struct tip *t)
{
	long long s[7], p[7], total = 0;
	int i, w, best, next = -1, days = 0;

	memset(t, 0, sizeof(*t));
	t->kind = TIP_NONE;

	for (i = 0; i < NET_COUNT; i++) {
		s[i] = p[i] = 0;
		for (w = 0; w < 7; w++) {
			s[i] += h->shares[i][w];
			p[i] += h->people[i][w];
		}
	}
	if ((best = tips_winner(s, p, NET_COUNT, TIPS_NET_MIN_SHARES,
	    &next)) != -1) {
		t->kind = TIP_NETWORK;
		t->network = (enum network)best;
		t->other = (enum network)next;
		t->tenths = tenths(p[best], s[best]);
		t->other_tenths = tenths(p[next], s[next]);
		return;
	}

	for (w = 0; w < 7; w++) {
		s[w] = p[w] = 0;
		for (i = 0; i < NET_COUNT; i++) {
			s[w] += h->shares[i][w];
			p[w] += h->people[i][w];
		}
		total += s[w];
		days += s[w] >= TIPS_DAY_MIN_EACH;
	}
	if (total < TIPS_DAY_MIN_SHARES || days < TIPS_DAY_MIN_DAYS)
		return;
	if ((best = tips_winner(s, p, 7, TIPS_DAY_MIN_EACH, &next)) == -1)
		return;
	t->kind = TIP_WEEKDAY;
	t->weekday = best;
	t->tenths = tenths(p[best], s[best]);
	t->other_tenths = tenths(p[next], s[next]);
}
