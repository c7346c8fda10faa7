/* random: getrandom(2)-backed codes and libuuid tokens. */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <uuid/uuid.h>

#include "common/log.h"
#include "common/random.h"

static const char base62[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

void
rand_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;
	ssize_t r;

	while (n > 0) {
		r = getrandom(p, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fatal("getrandom");
		}
		p += r;
		n -= (size_t)r;
	}
}

void
rand_base62(char *out, size_t n)
{
	unsigned char pool[256];
	size_t i = 0, have = 0, used = 0;

	while (i < n) {
		if (used == have) {
			/* What is left and a margin for rejects: one call
			 * for a digest's codes and Message-ID. */
			have = n - i + (n - i) / 16 + 8;
			if (have > sizeof(pool))
				have = sizeof(pool);
			rand_bytes(pool, have);
			used = 0;
		}
		/* Reject 248..255 so every character is equally likely. */
		if (pool[used] < 248)
			out[i++] = base62[pool[used] % 62];
		used++;
	}
	out[n] = '\0';
}

void
rand_code(char *out, const char *slice)
{
	if (slice == NULL)
		rand_base62(out, RAND_CODE_LEN);
	else {
		memmove(out, slice, RAND_CODE_SLICE);
		rand_base62(out + RAND_CODE_SLICE, RAND_CODE_RANDOM);
	}
}

void
rand_token(char *out)
{
	uuid_t u;
	unsigned char *b = u;

	/* uuid_generate_random may fall back to a weak source; take the
	 * kernel's bytes ourselves and only let libuuid set the version. */
	rand_bytes(b, sizeof(uuid_t));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	uuid_unparse_lower(u, out);
}

int
rand_is_base62(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		    (c >= 'a' && c <= 'z')))
			return 0;
	}
	return s[len] == '\0';
}

int
rand_is_code(const char *s)
{
	size_t n = strnlen(s, RAND_CODE_LEN + 1);

	return (n == RAND_CODE_LEN || n == RAND_CODE_OLD_LEN) &&
	    rand_is_base62(s, n);
}
