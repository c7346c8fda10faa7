/*
 * random: the cryptographic random source (getrandom(2)) behind link codes,
 * tokens and Message-IDs. Tests that need determinism replace rand_bytes()
 * at link time (-Wl,--wrap=rand_bytes).
 */
#ifndef CHORUS_RANDOM_H
#define CHORUS_RANDOM_H

#include <stddef.h>

/*
 * A link code is a slice of RAND_CODE_SLICE base62 characters, drawn at
 * random and shared by the links made together (up to a thousand or so),
 * then RAND_CODE_RANDOM characters drawn for that link alone: 59.5 bits,
 * above the 58 promised, without counting the slice. The slice gives the
 * code index locality: a batch of new links lands in one place of the
 * B-tree instead of a thousand (README: "Personal links").
 * Codes made before the slice existed are RAND_CODE_OLD_LEN characters
 * and are served all the same.
 */
#define RAND_CODE_SLICE		2
#define RAND_CODE_RANDOM	10
#define RAND_CODE_LEN		(RAND_CODE_SLICE + RAND_CODE_RANDOM)
#define RAND_CODE_OLD_LEN	10
#define RAND_TOKEN_LEN	36	/* a random (v4) UUID: 122 bits */

/* Fills buf with n random bytes; dies if the kernel cannot give them. */
void	 rand_bytes(void *buf, size_t n);
/* Writes n uniformly random base62 characters and a NUL (out: n + 1). */
void	 rand_base62(char *out, size_t n);
/* A link code in slice (its first RAND_CODE_SLICE characters), or in a
 * random slice when slice is NULL (out: RAND_CODE_LEN + 1; out may be
 * slice). */
void	 rand_code(char *out, const char *slice);
/* A token: a lower-case random UUID (out: RAND_TOKEN_LEN + 1). */
void	 rand_token(char *out);
/* True when s has exactly len characters, all base62. */
int	 rand_is_base62(const char *s, size_t len);
/* True when s has the form of a link code, of now or of before the slice. */
int	 rand_is_code(const char *s);

#endif
