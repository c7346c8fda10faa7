/*
 * random: the cryptographic random source (getrandom(2)) behind link codes,
 * tokens and Message-IDs. Tests that need determinism replace rand_bytes()
 * at link time (-Wl,--wrap=rand_bytes).
 */
#ifndef CHORUS_RANDOM_H
#define CHORUS_RANDOM_H

#include <stddef.h>

#define RAND_CODE_LEN	10	/* base62: 59.5 bits, >= the 58 promised */
#define RAND_TOKEN_LEN	36	/* a random (v4) UUID: 122 bits */

/* Fills buf with n random bytes; dies if the kernel cannot give them. */
void	 rand_bytes(void *buf, size_t n);
/* Writes n uniformly random base62 characters and a NUL (out: n + 1). */
void	 rand_base62(char *out, size_t n);
/* A link code: RAND_CODE_LEN base62 characters (out: RAND_CODE_LEN + 1). */
void	 rand_code(char *out);
/* A token: a lower-case random UUID (out: RAND_TOKEN_LEN + 1). */
void	 rand_token(char *out);
/* True when s has exactly len characters, all base62. */
int	 rand_is_base62(const char *s, size_t len);

#endif
