/* import/employees: the columns of employees.csv and their validation. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/config.h"
#include "common/day.h"
#include "common/network.h"
#include "common/validate.h"
#include "db/employees.h"
#include "import/import.h"

enum { C_EMAIL, C_NAME, C_ROLES, C_TIMEZONE, C_SEND_TIME, C_NETWORKS,
	C_FREQUENCY, C_NCOLS };

static const struct import_col employee_cols[C_NCOLS] = {
	[C_EMAIL] = { "email", 1 },
	[C_NAME] = { "name", 0 },
	[C_ROLES] = { "roles", 1 },
	[C_TIMEZONE] = { "timezone", 0 },
	[C_SEND_TIME] = { "send_time", 0 },
	[C_NETWORKS] = { "networks", 0 },
	[C_FREQUENCY] = { "frequency", 0 },
};

#define NAME_MAX_LEN	200
#define TZ_CACHE	32

/* Zones already found valid in this import: checking one opens a file,
 * and an HR export names the same few zones on every row. */
static char tz_ok[TZ_CACHE][65];
static size_t tz_nok;

static int
employee_tz_valid(const char *tz, const char **why)
{
	size_t i;

	for (i = 0; i < tz_nok; i++)
		if (strcmp(tz_ok[i], tz) == 0)
			return 0;
	if (validate_tz(tz, why) == -1)
		return -1;
	snprintf(tz_ok[tz_nok % TZ_CACHE], sizeof(tz_ok[0]), "%s", tz);
	if (tz_nok < TZ_CACHE)
		tz_nok++;
	return 0;
}

static int
employee_begin(struct import *imp)
{
	return db_employees_import_begin(import_db(imp));
}

static int
employee_row(struct import *imp, const char **v)
{
	struct employee_in e;
	char rolebuf[1024], lower[256], hhmm[16];
	const char *why;
	unsigned long prev;
	size_t i;
	int f, n, minutes, bad = 0;
	enum db_upsert res;
	int kept;

	memset(&e, 0, sizeof(e));
	for (i = 0; i < C_NCOLS; i++) {
		if (validate_header_safe(v[i], &why) == -1) {
			import_error(imp, employee_cols[i].name, "%s", why);
			bad = 1;
		}
	}
	if (bad)
		return 0;

	if (*v[C_EMAIL] == '\0')
		import_error(imp, "email", "required");
	else if (validate_email(v[C_EMAIL], &why) == -1)
		import_error(imp, "email", "%s", why);
	else {
		for (i = 0; v[C_EMAIL][i] != '\0' && i < sizeof(lower) - 1;
		    i++)
			lower[i] = (char)(v[C_EMAIL][i] >= 'A' &&
			    v[C_EMAIL][i] <= 'Z' ? v[C_EMAIL][i] + 32 :
			    v[C_EMAIL][i]);
		lower[i] = '\0';
		if ((prev = import_key_seen(imp, lower)) != 0)
			import_error(imp, "email", "duplicate of line %lu",
			    prev);
	}
	e.email = v[C_EMAIL];

	if (strlen(v[C_NAME]) > NAME_MAX_LEN)
		import_error(imp, "name", "longer than %d bytes", NAME_MAX_LEN);
	e.name = v[C_NAME];

	if (*v[C_ROLES] == '\0')
		import_error(imp, "roles", "required");
	else if ((n = import_split_roles(imp, "roles", v[C_ROLES], rolebuf,
	    sizeof(rolebuf), e.roles, EMPLOYEE_MAX_ROLES)) >= 0) {
		e.nroles = (size_t)n;
		for (i = 0; i < e.nroles; i++)
			if (strcmp(e.roles[i], "*") == 0)
				import_error(imp, "roles", "'*' is for posts, "
				    "not a role");
	}

	if (*v[C_TIMEZONE] != '\0' &&
	    employee_tz_valid(v[C_TIMEZONE], &why) == -1)
		import_error(imp, "timezone", "%s", why);
	e.timezone = *v[C_TIMEZONE] != '\0' ? v[C_TIMEZONE] : NULL;

	if (*v[C_SEND_TIME] != '\0') {
		if (validate_hhmm(v[C_SEND_TIME], &minutes, &why) == -1)
			import_error(imp, "send_time", "%s", why);
		else {
			snprintf(hhmm, sizeof(hhmm), "%02d:%02d", minutes / 60,
			    minutes % 60);
			e.send_time = hhmm;
		}
	}

	if (network_parse_list(v[C_NETWORKS], &e.networks, &why) == -1)
		import_error(imp, "networks", "%s", why);

	e.frequency = frequency_name(FREQ_DAILY);
	if (*v[C_FREQUENCY] != '\0') {
		for (f = 0; f < FREQ_COUNT; f++)
			if (strcasecmp(v[C_FREQUENCY],
			    frequency_name((enum frequency)f)) == 0)
				break;
		if (f < FREQ_COUNT)
			e.frequency = frequency_name((enum frequency)f);
		else
			import_error(imp, "frequency", "not daily, weekdays, "
			    "weekly or paused");
	}

	/* A column left out changes nothing stored (a new employee takes
	 * the defaults). */
	if (!import_has(imp, C_NAME))
		e.keep |= EMP_KEEP_NAME;
	if (!import_has(imp, C_TIMEZONE))
		e.keep |= EMP_OWN_TIMEZONE;
	if (!import_has(imp, C_SEND_TIME))
		e.keep |= EMP_OWN_SEND_TIME;
	if (!import_has(imp, C_NETWORKS))
		e.keep |= EMP_OWN_NETWORKS;
	if (!import_has(imp, C_FREQUENCY))
		e.keep |= EMP_OWN_FREQUENCY;

	if (!import_ok(imp))
		return 0;
	if (db_employees_upsert(import_db(imp), &e, import_now(imp), &res,
	    &kept) == -1)
		return -1;
	import_count(imp, IMPORT_KEPT, kept);
	import_count(imp, res == DB_ADDED ? IMPORT_ADDED :
	    res == DB_UPDATED ? IMPORT_UPDATED : IMPORT_UNCHANGED, 1);
	return 0;
}

static int
employee_finish(struct import *imp)
{
	long n = 0;

	if (!import_prune(imp))
		return 0;
	if (db_employees_prune(import_db(imp), import_now(imp), &n) == -1)
		return -1;
	import_count(imp, IMPORT_DEACTIVATED, n);
	return 0;
}

const struct import_kind import_employees = {
	"employees", employee_cols, C_NCOLS, employee_begin, employee_row,
	employee_finish, "kept the employee's own choice",
};
