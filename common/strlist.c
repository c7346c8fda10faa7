/* strlist: walking ';'-separated lists. */
#include <string.h>

#include "common/strlist.h"

int
strlist_next(const char **p, const char **item, size_t *len)
{
	const char *s = *p, *end;
	size_t n;

	if (s == NULL)
		return 0;
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strcspn(s, ";");
	n = (size_t)(end - s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*item = s;
	*len = n;
	*p = *end == ';' ? end + 1 : NULL;
	return 1;
}
