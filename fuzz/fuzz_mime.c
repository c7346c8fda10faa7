/*
 * fuzz_mime: the MIME encoders' round-trip property. The first byte picks
 * what the rest is: a Subject, a display name, or a body. Whatever the
 * encoder accepts must come back exactly through our decoders, with every
 * header line at most 78 characters and every body line at most 76. The
 * decoders also take the raw input, where they must simply not crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "digest/mime.h"

static void
check_lines(const char *s, size_t len, size_t max)
{
	size_t col = 0, i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
			col = 0;
			i++;
			continue;
		}
		if (s[i] == '\r' || s[i] == '\n' || ++col > max)
			abort();
	}
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out, back, want;
	char *s;
	const char *v;
	size_t i;

	if (size < 1 || size > 4096)
		return 0;
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	buf_init(&out, 1 << 20);
	buf_init(&back, 1 << 20);
	buf_init(&want, 1 << 20);

	switch (data[0] % 4) {
	case 0:
		if (mime_header_text(&out, "Subject", s) != MIME_OK)
			break;
		check_lines(out.data, out.len, 78);
		v = out.data + strlen("Subject:");
		if (mime_header_decode(&back, v, strlen(v) - 2, 0) != 0 ||
		    strcmp(buf_cstr(&back), s) != 0)
			abort();
		break;
	case 1:
		if (mime_header_address(&out, "To", s, "a@example.com") !=
		    MIME_OK)
			break;
		check_lines(out.data, out.len, 78);
		v = out.data + strlen("To:");
		if (*s != '\0')
			buf_printf(&want, "%s <a@example.com>", s);
		else
			buf_adds(&want, "a@example.com");
		if (mime_header_decode(&back, v, strlen(v) - 2, 1) != 0 ||
		    strcmp(buf_cstr(&back), buf_cstr(&want)) != 0)
			abort();
		break;
	case 2:
		/* Bodies may hold anything, NUL bytes too. */
		if (mime_qp_encode(&out, (const char *)data + 1, size - 1) !=
		    MIME_OK)
			break;
		if (out.len > 0)
			check_lines(out.data, out.len, 76);
		if (mime_qp_decode(&back, out.data ? out.data : "", out.len) !=
		    0)
			abort();
		/* CRLF line ends come back as LF. */
		for (i = 1; i < size; i++) {
			if (data[i] == '\r' && i + 1 < size &&
			    data[i + 1] == '\n')
				continue;
			buf_addc(&want, (char)data[i]);
		}
		if (back.len != want.len || (want.len > 0 &&
		    memcmp(back.data, want.data, want.len) != 0))
			abort();
		break;
	case 3:
		(void)mime_qp_decode(&back, (const char *)data + 1, size - 1);
		(void)mime_header_decode(&want, (const char *)data + 1,
		    size - 1, data[0] & 4);
		break;
	}
	free(s);
	buf_release(&out);
	buf_release(&back);
	buf_release(&want);
	return 0;
}
