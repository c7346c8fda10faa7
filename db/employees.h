/*
 * db/employees: loading and updating employees from the HR export.
 * All calls run inside the caller's transaction.
 */
#ifndef CHORUS_DB_EMPLOYEES_H
#define CHORUS_DB_EMPLOYEES_H

#include <stddef.h>
#include <time.h>

struct db;

#define EMPLOYEE_MAX_ROLES	32

/* The settings an employee chose on the preferences or unsubscribe page
 * (employees.own_fields): an import keeps these, whatever HR's file says. */
enum employee_own {
	EMP_OWN_FREQUENCY = 1 << 0,
	EMP_OWN_NETWORKS = 1 << 1,
	EMP_OWN_TIMEZONE = 1 << 2,
	EMP_OWN_SEND_TIME = 1 << 3,
	/* Not stored: a column the import's file left out (employee_in's
	 * keep), whose stored value an update keeps as well. */
	EMP_KEEP_NAME = 1 << 4,
};

enum db_upsert {
	DB_ADDED,
	DB_UPDATED,
	DB_UNCHANGED,
	DB_REFUSED,	/* posts: a window that ends before it starts, with
			   the stored start or end; nothing written */
};

/* One validated row of employees.csv. Strings are borrowed. NULL timezone
 * or send_time means "the default setting". roles are sorted, unique. */
struct employee_in {
	const char	*email;
	const char	*name;
	const char	*timezone;
	const char	*send_time;
	unsigned	 networks;	/* NET_BIT mask, never 0 */
	const char	*frequency;	/* "daily", "weekdays", "weekly" or
					   "paused" */
	const char	*roles[EMPLOYEE_MAX_ROLES];
	size_t		 nroles;
	/* The fields whose column the file left out (EMP_OWN_* for them,
	 * EMP_KEEP_NAME): an existing employee keeps its stored values, a
	 * new one takes the defaults given above. */
	unsigned	 keep;
};

/* Prepares the set of employees seen by this import (for prune), inside
 * the import's transaction: on PostgreSQL the set is emptied at COMMIT,
 * and the import holds employees against another import until then. */
int	 db_employees_import_begin(struct db *);
/* Adds or updates one employee by email (case-insensitive) and marks it
 * seen; an inactive employee found in the file is active again. Each field
 * the employee chose themselves (enum employee_own) keeps their value;
 * *kept (may be NULL) is set to 1 when HR's value of such a field differs
 * and was set aside, else 0. New employees get fresh unsubscribe and
 * preferences tokens. */
int	 db_employees_upsert(struct db *, const struct employee_in *,
	    time_t now, enum db_upsert *result, int *kept);
/* Deactivates the active employees this import did not see; their history
 * stays. *count receives how many. */
int	 db_employees_prune(struct db *, time_t now, long *count);

#endif
