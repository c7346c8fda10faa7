/*
 * fuzz_csv: the CSV reader on arbitrary bytes, with the default caps and
 * with tiny ones, checking what every record must satisfy; then a round
 * trip: records cut from the input (0x1e between records, 0x1f between
 * fields) are written, read back, and must come back the same.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c)	do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
			    __FILE__, __LINE__, #c); abort(); } } while (0)

static FILE *
open_bytes(const uint8_t *data, size_t size)
{
	/* fmemopen wants a size of at least 1. */
	if (size == 0)
		return fopen("/dev/null", "rb");
	return fmemopen((void *)(uintptr_t)data, size, "rb");
}

static void
read_all(const uint8_t *data, size_t size, const struct csv_limits *lim)
{
	struct csv_reader *r;
	enum csv_status st;
	unsigned long lines = 1, prev = 0;
	size_t i, n, total;
	FILE *fp;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	if ((fp = open_bytes(data, size)) == NULL)
		return;
	CHECK((r = csv_reader_new(fp, lim)) != NULL);
	while ((st = csv_read(r)) == CSV_OK) {
		n = csv_nfields(r);
		CHECK(n >= 1);
		CHECK(lim == NULL || n <= lim->max_fields);
		total = n - 1;
		for (i = 0; i < n; i++) {
			CHECK(strlen(csv_field(r, i)) == csv_field_len(r, i));
			CHECK(lim == NULL ||
			    csv_field_len(r, i) <= lim->max_field);
			total += csv_field_len(r, i);
		}
		CHECK(lim == NULL || total <= lim->max_record);
		CHECK(csv_field(r, n) == NULL);
		CHECK(csv_line(r) > prev && csv_line(r) <= lines);
		prev = csv_line(r);
	}
	CHECK(st != CSV_ERR_IO && st != CSV_ERR_NOMEM);
	if (st != CSV_EOF) {
		CHECK(csv_line(r) <= csv_error_line(r));
		CHECK(csv_error_line(r) <= lines);
		CHECK(strcmp(csv_strerror(st), "unknown error") != 0);
	}
	CHECK(csv_read(r) == st);
	CHECK(csv_nfields(r) == 0);
	csv_reader_free(r);
	fclose(fp);
}

/* The cell as the writer should put it, into out (room for 2n + 1 bytes),
 * worked out another way than the writer does: when neutralising, a ' goes
 * before a leading TAB or CR, and before every =+-@ with only spaces and
 * quotes between it and the start of the cell or a , ; TAB CR or LF. */
static size_t
expected(const uint8_t *p, size_t n, int flags, uint8_t *out)
{
	size_t i, j = 0, k;

	if (!(flags & CSV_W_NEUTRALIZE)) {
		memcpy(out, p, n);
		return n;
	}
	if (n > 0 && (p[0] == '\t' || p[0] == '\r'))
		out[j++] = '\'';
	for (i = 0; i < n; i++) {
		if (memchr("=+-@", p[i], 4) != NULL) {
			for (k = i; k > 0 && (p[k - 1] == ' ' || p[k - 1] == '"');
			    k--)
				;
			if (k == 0 || memchr(",;\t\r\n", p[k - 1], 5) != NULL)
				out[j++] = '\'';
		}
		out[j++] = p[i];
	}
	return j;
}

static void
round_trip(const uint8_t *data, size_t size)
{
	struct csv_limits lim = { 1 << 20, 1 << 20, 1 << 20 };
	const uint8_t *p, *end, *rec, *rend, *f, *fend;
	struct csv_writer *w;
	struct csv_reader *r;
	char *out = NULL;
	uint8_t *want;
	size_t outlen = 0, i, flen, wlen;
	FILE *fp;
	int flags;

	if (size == 0)
		return;
	flags = data[0] & (CSV_W_CRLF | CSV_W_BOM | CSV_W_NEUTRALIZE);
	data++;
	size--;
	if (memchr(data, '\0', size) != NULL)	/* refused by the writer */
		return;
	end = data + size;

	CHECK((fp = open_memstream(&out, &outlen)) != NULL);
	CHECK((w = csv_writer_new(fp, flags)) != NULL);
	for (rec = data; rec <= end; rec = rend + 1) {
		if ((rend = memchr(rec, 0x1e, (size_t)(end - rec))) == NULL)
			rend = end;
		for (f = rec; f <= rend; f = fend + 1) {
			if ((fend = memchr(f, 0x1f, (size_t)(rend - f))) ==
			    NULL)
				fend = rend;
			CHECK(csv_write_field(w, (const char *)f,
			    (size_t)(fend - f)) == 0);
		}
		CHECK(csv_end_record(w) == 0);
	}
	CHECK(csv_writer_finish(w) == 0);
	csv_writer_free(w);
	fclose(fp);

	CHECK((fp = open_bytes((const uint8_t *)out, outlen)) != NULL);
	CHECK((r = csv_reader_new(fp, &lim)) != NULL);
	for (rec = data; rec <= end; rec = rend + 1) {
		if ((rend = memchr(rec, 0x1e, (size_t)(end - rec))) == NULL)
			rend = end;
		CHECK(csv_read(r) == CSV_OK);
		i = 0;
		for (f = rec; f <= rend; f = fend + 1, i++) {
			if ((fend = memchr(f, 0x1f, (size_t)(rend - f))) ==
			    NULL)
				fend = rend;
			flen = (size_t)(fend - f);
			p = (const uint8_t *)csv_field(r, i);
			CHECK(p != NULL);
			CHECK((want = malloc(2 * flen + 1)) != NULL);
			wlen = expected(f, flen, flags, want);
			CHECK(csv_field_len(r, i) == wlen);
			CHECK(wlen == 0 || memcmp(p, want, wlen) == 0);
			free(want);
		}
		CHECK(csv_nfields(r) == i);
	}
	CHECK(csv_read(r) == CSV_EOF);
	csv_reader_free(r);
	fclose(fp);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct csv_limits tiny = { 8, 24, 4 };

	read_all(data, size, NULL);
	read_all(data, size, &tiny);
	round_trip(data, size);
	return 0;
}
