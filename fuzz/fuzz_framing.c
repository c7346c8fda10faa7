/*
 * fuzz_framing: input is a version byte (odd: HTTP/1.0) then header lines
 * split at '\n', each "name:value". The verdict is the same whatever the
 * order of the fields; a request passed has at most one Content-Length,
 * never one with a Transfer-Encoding, a length within the cap, exactly
 * one Host for HTTP/1.1 (at most one for 1.0) and names without
 * whitespace. The first line, as a target, is refused exactly when it is
 * empty or holds a space, a control character or DEL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "redirector/framing.h"

#define CAP		4096
#define FIELDS_MAX	64

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct field {
	const char	*name, *value;
	size_t		 name_len, value_len;
};

static int
named(const struct field *f, const char *want)
{
	return f->name_len == strlen(want) &&
	    strncasecmp(f->name, want, f->name_len) == 0;
}

static enum framing_status
run(const char *version, const struct field *fs, size_t n, int reverse,
    uint64_t *length)
{
	struct framing fr;
	const struct field *f;
	size_t i;

	framing_start(&fr, version);
	for (i = 0; i < n; i++) {
		f = &fs[reverse ? n - 1 - i : i];
		framing_field(&fr, f->name, f->name_len, f->value,
		    f->value_len);
	}
	return framing_end(&fr, CAP, length);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct field fs[FIELDS_MAX];
	const char *s, *end, *nl, *colon, *version;
	enum framing_status st;
	size_t n = 0, i, j, hosts = 0, lengths = 0, codings = 0;
	uint64_t len;
	int bad_target = 0;

	if (size < 1)
		return 0;
	version = data[0] & 1 ? "HTTP/1.0" : "HTTP/1.1";
	s = (const char *)data + 1;
	end = (const char *)data + size;

	/* the first line as a request target */
	nl = memchr(s, '\n', (size_t)(end - s));
	if (nl == NULL)
		nl = end;
	if (nl == s)
		bad_target = 1;
	for (i = 0; i < (size_t)(nl - s); i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] == 0x7f)
			bad_target = 1;
	if ((framing_target(s, (size_t)(nl - s)) == -1) != bad_target)
		abort();
	(void)framing_method(s, (size_t)(nl - s));

	while (s < end && n < FIELDS_MAX) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		colon = memchr(s, ':', (size_t)(nl - s));
		if (colon != NULL) {
			fs[n].name = s;
			fs[n].name_len = (size_t)(colon - s);
			fs[n].value = colon + 1;
			fs[n].value_len = (size_t)(nl - colon - 1);
			n++;
		}
		s = nl + 1;
	}

	st = run(version, fs, n, 0, &len);
	if ((unsigned)st >= FRAMING_NSTATUS)
		abort();
	if (run(version, fs, n, 1, NULL) != st)
		abort();
	if (st != FRAMING_OK) {
		if (len != 0)
			abort();
		return 0;
	}
	if (len > CAP)
		abort();
	for (i = 0; i < n; i++) {
		hosts += named(&fs[i], "Host");
		lengths += named(&fs[i], "Content-Length");
		codings += named(&fs[i], "Transfer-Encoding");
		for (j = 0; j < fs[i].name_len; j++)
			if (fs[i].name[j] == ' ' || fs[i].name[j] == '\t')
				abort();
	}
	if (lengths > 1 || codings > 0 || hosts > 1 ||
	    (hosts == 0 && data[0] % 2 == 0))
		abort();
	return 0;
}
