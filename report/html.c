/* report/html: placeholder until the page is written. */
#include <stdio.h>
#include "report/report.h"
int
report_html_write(struct db *db, long from_day, long to_day, FILE *fp)
{
	(void)db; (void)from_day; (void)to_day;
	fputs("<!doctype html>\n", fp);
	return 0;
}
