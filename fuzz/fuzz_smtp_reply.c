/*
 * fuzz_smtp_reply: input is a mode byte then what a server sends. Bit 0
 * of the mode byte reads the replies as EHLO's (their extensions noted);
 * the other bits choose how many bytes each read() may return (1 to 128),
 * so that lines and replies straddle the reads. The bytes are read twice,
 * from two descriptors: in reads of that size, and in whole reads of the
 * reader's buffer. Both readers give the same replies, codes and texts
 * and lose the connection at the same point; a reply has a code from 200
 * to 599 and a text shorter than WIRE_LINE without control bytes; a
 * failed read leaves code 0 and an error, and every later read fails at
 * once; without EHLO no extension is noted. Every input ends: each reply
 * read takes at least one byte.
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);
ssize_t __real_read(int, void *, size_t);
ssize_t __wrap_read(int, void *, size_t);

static int	chunk_fd = -1;		/* read() on it is cut to chunk */
static size_t	chunk;
static size_t	chunk_reads;

/* read(), with -Wl,--wrap=read: short reads on chunk_fd. */
ssize_t
__wrap_read(int fd, void *p, size_t n)
{
	if (fd == chunk_fd && chunk_fd != -1) {
		chunk_reads++;
		if (n > chunk)
			n = chunk;
	}
	return __real_read(fd, p, n);
}

static int
server(const uint8_t *data, size_t size)
{
	int fd;
	size_t off = 0;
	ssize_t r;

	if ((fd = memfd_create("smtp_reply", MFD_CLOEXEC)) == -1)
		abort();
	while (off < size) {
		if ((r = write(fd, data + off, size - off)) <= 0)
			abort();
		off += (size_t)r;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

static void
check(const struct wire *w, const struct wire_reply *rp, int rc, int ehlo)
{
	size_t i, len = strlen(rp->text);

	if (rc == -1) {
		if (rp->code != 0 || rp->text[0] != '\0' || !w->lost ||
		    w->err[0] == '\0')
			abort();
	} else if (rc != 0 || rp->code < 200 || rp->code > 599 || w->lost)
		abort();
	if (len >= WIRE_LINE)
		abort();
	for (i = 0; i < len; i++)
		if ((unsigned char)rp->text[i] < ' ' || rp->text[i] == 0x7f)
			abort();
	if (!ehlo && (w->pipelining || w->eightbit))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire a, b;
	struct wire_reply ra, rb;
	size_t n;
	int ehlo, rca, rcb;

	if (size < 1)
		return 0;
	ehlo = data[0] & 1;
	chunk = 1 + (data[0] >> 1);
	chunk_reads = 0;
	wire_init(&a, server(data + 1, size - 1));
	wire_init(&b, server(data + 1, size - 1));
	chunk_fd = b.fd;
	for (n = 0;; n++) {
		if (n > size)
			abort();
		rca = wire_reply(&a, &ra, ehlo);
		rcb = wire_reply(&b, &rb, ehlo);
		check(&a, &ra, rca, ehlo);
		check(&b, &rb, rcb, ehlo);
		if (rca != rcb || ra.code != rb.code ||
		    strcmp(ra.text, rb.text) != 0 ||
		    a.pipelining != b.pipelining || a.eightbit != b.eightbit)
			abort();
		if (rca == -1) {
			if (strcmp(a.err, b.err) != 0)
				abort();
			break;
		}
	}
	/* Lost stays lost, without another read. */
	n = chunk_reads;
	if (wire_reply(&b, &rb, ehlo) != -1 || rb.code != 0 ||
	    chunk_reads != n || chunk_reads == 0)
		abort();
	chunk_fd = -1;
	close(a.fd);
	close(b.fd);
	return 0;
}
