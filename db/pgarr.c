/*
 * pgarr: array literals for PostgreSQL's array input (the text form of
 * array_in: elements between braces, separated by commas; a quoted
 * element takes '\' before '"' and '\'; NULL unquoted is NULL).
 */
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/hex.h"
#include "db/pgarr.h"

void
pgarr_init(struct pgarr *a)
{
	buf_init(&a->b, 0);
	a->n = 0;
	a->closed = 0;
	a->failed = buf_addc(&a->b, '{') == -1;
}

/* Appends len bytes, or marks the literal failed: once one append fails,
 * nothing more goes in, so no element is ever left out of the middle. */
static void
put(struct pgarr *a, const char *s, size_t len)
{
	if (!a->failed && buf_add(&a->b, s, len) == -1)
		a->failed = 1;
}

/* The comma before every element but the first. */
static void
next(struct pgarr *a)
{
	if (a->n++ > 0)
		put(a, ",", 1);
}

void
pgarr_int(struct pgarr *a, int64_t v)
{
	char d[24], *p = d + sizeof(d);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		*--p = '-';
	next(a);
	put(a, p, (size_t)(d + sizeof(d) - p));
}

void
pgarr_text(struct pgarr *a, const char *v)
{
	const char *run;

	if (v == NULL) {
		pgarr_null(a);
		return;
	}
	next(a);
	put(a, "\"", 1);
	for (run = v; *v != '\0'; v++) {
		if (*v != '"' && *v != '\\')
			continue;
		put(a, run, (size_t)(v - run));
		put(a, "\\", 1);
		run = v;
	}
	put(a, run, (size_t)(v - run));
	put(a, "\"", 1);
}

/* bytea's hex input, "\x0a1b", whose backslash the array's quoting
 * doubles. */
void
pgarr_bytea(struct pgarr *a, const unsigned char *p, size_t n)
{
	char pair[2];
	size_t i;

	next(a);
	put(a, "\"\\\\x", 4);
	for (i = 0; i < n; i++) {
		pair[0] = hex_digit(p[i] >> 4);
		pair[1] = hex_digit(p[i]);
		put(a, pair, 2);
	}
	put(a, "\"", 1);
}

void
pgarr_null(struct pgarr *a)
{
	next(a);
	put(a, "NULL", 4);
}

const char *
pgarr_end(struct pgarr *a)
{
	if (!a->closed)
		put(a, "}", 1);
	a->closed = 1;
	return a->failed ? NULL : buf_cstr(&a->b);
}

void
pgarr_release(struct pgarr *a)
{
	buf_release(&a->b);
}
