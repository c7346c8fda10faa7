/*
 * utm: builds the Location of a click from the post's URL: the URL with
 * utm_source=<network>, utm_medium=employee_advocacy and
 * utm_campaign=<post id> added to its query. The URL's own query, its
 * fragment and any of those utm_ keys it already has are kept (an existing
 * key wins: it is never duplicated). Pure, allocation-free, thread-safe.
 */
#ifndef CHORUS_UTM_H
#define CHORUS_UTM_H

#include <stddef.h>

#define UTM_MEDIUM	"employee_advocacy"

/*
 * An upper bound of the bytes utm_build() needs for these arguments,
 * including the NUL, so a caller can size its buffer once.
 */
size_t	 utm_size(const char *url, const char *network, const char *post_id);

/*
 * Writes the Location for url into out (size bytes, NUL-terminated).
 * network and post_id are percent-encoded (everything but RFC 3986
 * unreserved characters); the URL itself is copied as it is, since it comes
 * from the database, where the importer validated it. The query is the text
 * between the first '?' and the first '#' after it; a '#' before any '?'
 * starts the fragment. A key is present when a query item, up to its '=',
 * equals it byte for byte.
 * Returns 0, or -1 when out is too small (out is then "" if size > 0).
 */
int	 utm_build(char *out, size_t size, const char *url,
	    const char *network, const char *post_id);

#endif
