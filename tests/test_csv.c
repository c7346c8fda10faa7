/*
 * test_csv: the RFC 4180 reader against the golden files in tests/data/csv
 * (NAME.in read with the caps in NAME.lim, if any, must dump as NAME.out),
 * plus caps at their exact edges, refill boundaries, and the writer.
 * CSV_GOLDEN_UPDATE=1 rewrites the .out files instead of comparing.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/buf.h"
#include "common/csv.h"

static const char *
datadir(void)
{
	static char path[4096];
	const char *src = getenv("CHORUS_SRC");

	snprintf(path, sizeof(path), "%s/tests/data/csv", src ? src : ".");
	return path;
}

static char *
slurp(const char *path, size_t *lenp)
{
	FILE *fp;
	char *p = NULL;
	long n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (p = malloc((size_t)n + 1)) != NULL) {
		if (fread(p, 1, (size_t)n, fp) != (size_t)n) {
			free(p);
			p = NULL;
		} else {
			p[n] = '\0';
			*lenp = (size_t)n;
		}
	}
	fclose(fp);
	return p;
}

/* One field as a C-like string: printable ASCII and UTF-8 as is. */
static void
dump_field(struct buf *out, const char *s, size_t n)
{
	size_t i;
	unsigned char c;

	buf_addc(out, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		switch (c) {
		case '"':  buf_adds(out, "\\\""); break;
		case '\\': buf_adds(out, "\\\\"); break;
		case '\n': buf_adds(out, "\\n"); break;
		case '\r': buf_adds(out, "\\r"); break;
		case '\t': buf_adds(out, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				buf_printf(out, "\\x%02x", c);
			else
				buf_addc(out, (char)c);
		}
	}
	buf_addc(out, '"');
}

/* The dump format of the golden files: "LINE: "f1" "f2"" per record, then
 * "eof" or "error at line E (record at line L): MESSAGE". */
static void
dump(FILE *fp, const struct csv_limits *lim, struct buf *out)
{
	struct csv_reader *r;
	enum csv_status st;
	size_t i;

	r = csv_reader_new(fp, lim);
	assert_non_null(r);
	while ((st = csv_read(r)) == CSV_OK) {
		buf_printf(out, "%lu:", csv_line(r));
		for (i = 0; i < csv_nfields(r); i++) {
			buf_addc(out, ' ');
			dump_field(out, csv_field(r, i), csv_field_len(r, i));
			/* The length and the NUL agree. */
			assert_int_equal(strlen(csv_field(r, i)),
			    csv_field_len(r, i));
		}
		buf_addc(out, '\n');
	}
	if (st == CSV_EOF)
		buf_adds(out, "eof\n");
	else
		buf_printf(out, "error at line %lu (record at line %lu): %s\n",
		    csv_error_line(r), csv_line(r), csv_strerror(st));
	/* Errors and the end are sticky. */
	assert_int_equal(csv_read(r), st);
	assert_int_equal(csv_nfields(r), 0);
	csv_reader_free(r);
}

static int
golden_one(const char *dir, const char *name, int update)
{
	char path[4096], *in, *want;
	size_t inlen, wantlen;
	struct csv_limits lim = { 0, 0, 0 }, *limp = NULL;
	struct buf out;
	FILE *fp;
	int ok;

	snprintf(path, sizeof(path), "%s/%s.in", dir, name);
	in = slurp(path, &inlen);
	assert_non_null(in);
	snprintf(path, sizeof(path), "%s/%s.lim", dir, name);
	if ((fp = fopen(path, "r")) != NULL) {
		assert_int_equal(fscanf(fp, "%zu %zu %zu", &lim.max_field,
		    &lim.max_record, &lim.max_fields), 3);
		fclose(fp);
		limp = &lim;
	}
	buf_init(&out, 0);
	fp = fmemopen(in, inlen, "rb");
	if (inlen == 0)		/* fmemopen refuses a size of 0 */
		fp = fopen("/dev/null", "rb");
	assert_non_null(fp);
	dump(fp, limp, &out);
	fclose(fp);

	snprintf(path, sizeof(path), "%s/%s.out", dir, name);
	if (update) {
		assert_non_null(fp = fopen(path, "wb"));
		fputs(buf_cstr(&out), fp);
		fclose(fp);
		ok = 1;
	} else {
		want = slurp(path, &wantlen);
		ok = want != NULL && strcmp(want, buf_cstr(&out)) == 0;
		if (!ok)
			fprintf(stderr, "golden %s differs; got:\n%s"
			    "expected:\n%s", name, buf_cstr(&out),
			    want ? want : "(no .out file)\n");
		free(want);
	}
	buf_release(&out);
	free(in);
	return ok;
}

static void
test_golden(void **state)
{
	const char *dir = datadir();
	struct dirent *de;
	DIR *d;
	char name[256];
	size_t n;
	int count = 0, bad = 0, update;

	(void)state;
	update = getenv("CSV_GOLDEN_UPDATE") != NULL;
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 4 || n >= sizeof(name) ||
		    strcmp(de->d_name + n - 3, ".in") != 0)
			continue;
		memcpy(name, de->d_name, n - 3);
		name[n - 3] = '\0';
		count++;
		if (!golden_one(dir, name, update))
			bad++;
	}
	closedir(d);
	assert_true(count >= 20);
	assert_int_equal(bad, 0);
}

/* Reads s with the given caps; returns the final status, the number of
 * good records in *nrec. */
static enum csv_status
read_all(const char *s, size_t n, const struct csv_limits *lim, int *nrec,
    unsigned long *errline)
{
	struct csv_reader *r;
	enum csv_status st;
	FILE *fp;

	assert_non_null(fp = fmemopen((void *)(uintptr_t)s, n, "rb"));
	assert_non_null(r = csv_reader_new(fp, lim));
	*nrec = 0;
	while ((st = csv_read(r)) == CSV_OK)
		(*nrec)++;
	if (errline != NULL)
		*errline = csv_error_line(r);
	csv_reader_free(r);
	fclose(fp);
	return st;
}

static void
test_caps_edges(void **state)
{
	struct csv_limits lim = { 4, 9, 3 };
	unsigned long line;
	int n;

	(void)state;
	/* A field of exactly max_field bytes, quoted or not. */
	assert_int_equal(read_all("abcd\n\"ab\"\"\"\n", 12, &lim, &n, NULL),
	    CSV_EOF);
	assert_int_equal(n, 2);
	assert_int_equal(read_all("x\nabcde\n", 8, &lim, &n, &line),
	    CSV_ERR_FIELD_SIZE);
	assert_int_equal(n, 1);
	assert_int_equal(line, 2);
	assert_int_equal(read_all("\"ab\ncd\"\n", 8, &lim, &n, &line),
	    CSV_ERR_FIELD_SIZE);
	assert_int_equal(line, 2);
	/* A record of exactly max_record bytes (commas count). */
	assert_int_equal(read_all("abc,de,fg\n", 10, &lim, &n, NULL),
	    CSV_EOF);
	assert_int_equal(read_all("abc,de,fgh\n", 11, &lim, &n, NULL),
	    CSV_ERR_RECORD_SIZE);
	assert_int_equal(read_all("abcd,abcd,\n", 11, &lim, &n, NULL),
	    CSV_ERR_RECORD_SIZE);
	/* Exactly max_fields fields, then one more. */
	assert_int_equal(read_all(",,\n", 3, &lim, &n, NULL), CSV_EOF);
	assert_int_equal(n, 1);
	assert_int_equal(read_all("a\n,,,\n", 6, &lim, &n, &line),
	    CSV_ERR_FIELDS);
	assert_int_equal(line, 2);
}

static void
test_defaults(void **state)
{
	struct buf in;
	int n;

	(void)state;
	/* 256 fields pass with the default caps, 257 do not. */
	buf_init(&in, 0);
	for (n = 0; n < 255; n++)
		buf_addc(&in, ',');
	assert_int_equal(read_all(buf_cstr(&in), in.len, NULL, &n, NULL),
	    CSV_EOF);
	buf_addc(&in, ',');
	assert_int_equal(read_all(buf_cstr(&in), in.len, NULL, &n, NULL),
	    CSV_ERR_FIELDS);
	/* A 64 KiB field passes, one byte more does not. */
	buf_reset(&in);
	for (n = 0; n < 64 * 1024; n++)
		buf_addc(&in, 'x');
	assert_int_equal(read_all(buf_cstr(&in), in.len, NULL, &n, NULL),
	    CSV_EOF);
	buf_addc(&in, 'x');
	assert_int_equal(read_all(buf_cstr(&in), in.len, NULL, &n, NULL),
	    CSV_ERR_FIELD_SIZE);
	buf_release(&in);
}

/* Puts tok so that its split-th byte is the first of a new read buffer
 * (64 KiB), and checks the record that holds it. */
static void
straddle(const char *tok, size_t split, const char *want0, size_t want0len,
    int wantfields, unsigned long zline)
{
	struct csv_reader *r;
	struct buf in;
	FILE *fp;
	size_t pad = 65536 - split;

	buf_init(&in, 0);
	/* A first record of one long field, ending just before tok. */
	while (in.len < pad - 1)
		buf_addc(&in, 'p');
	buf_addc(&in, '\n');
	buf_adds(&in, tok);
	assert_non_null(fp = fmemopen(in.data, in.len, "rb"));
	assert_non_null(r = csv_reader_new(fp, NULL));
	assert_int_equal(csv_read(r), CSV_OK);
	assert_int_equal(csv_field_len(r, 0), pad - 1);
	assert_int_equal(csv_read(r), CSV_OK);
	assert_int_equal(csv_line(r), 2);
	assert_int_equal(csv_nfields(r), wantfields);
	assert_int_equal(csv_field_len(r, 0), want0len);
	assert_true(memcmp(csv_field(r, 0), want0, want0len) == 0);
	assert_int_equal(csv_read(r), CSV_OK);
	assert_int_equal(csv_line(r), zline);
	assert_string_equal(csv_field(r, 0), "z");
	assert_int_equal(csv_read(r), CSV_EOF);
	csv_reader_free(r);
	fclose(fp);
	buf_release(&in);
}

static void
test_refill_boundaries(void **state)
{
	size_t i;

	(void)state;
	for (i = 1; i <= 3; i++) {
		straddle("ab\r\nz\n", i, "ab", 2, 1, 3);
		straddle("\"a\"\"b\"\r\nz", i, "a\"b", 3, 1, 3);
		straddle("\"a\r\nb\",c\nz", i, "a\r\nb", 4, 2, 4);
		straddle("a\rb,c\r\nz", i, "a\rb", 3, 2, 3);
	}
}

static void
test_bom_short_reads(void **state)
{
	int fds[2], n;
	struct csv_reader *r;
	FILE *fp;

	(void)state;
	/* The BOM arrives through a pipe, which may give it in pieces. */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "\xef\xbb\xbf" "a,b\n", 7), 7);
	close(fds[1]);
	assert_non_null(fp = fdopen(fds[0], "rb"));
	assert_non_null(r = csv_reader_new(fp, NULL));
	assert_int_equal(csv_read(r), CSV_OK);
	assert_string_equal(csv_field(r, 0), "a");
	assert_int_equal(csv_read(r), CSV_EOF);
	csv_reader_free(r);
	fclose(fp);
	/* A BOM that is not at the start is data. */
	assert_int_equal(read_all("x\n\xef\xbb\xbf\n", 6, NULL, &n, NULL),
	    CSV_EOF);
	assert_int_equal(n, 2);
}

static void
test_io_error(void **state)
{
	struct csv_reader *r;
	FILE *fp;

	(void)state;
	/* Reading a stream open only for writing fails with EBADF. */
	assert_non_null(fp = fopen("/dev/null", "w"));
	assert_non_null(r = csv_reader_new(fp, NULL));
	assert_int_equal(csv_read(r), CSV_ERR_IO);
	assert_int_equal(csv_read(r), CSV_ERR_IO);
	csv_reader_free(r);
	fclose(fp);
}

static void
test_accessors(void **state)
{
	struct csv_reader *r;
	FILE *fp;
	char in[] = "a,b\n";
	int st;

	(void)state;
	assert_non_null(fp = fmemopen(in, 4, "rb"));
	assert_non_null(r = csv_reader_new(fp, NULL));
	assert_int_equal(csv_read(r), CSV_OK);
	assert_int_equal(csv_nfields(r), 2);
	assert_null(csv_field(r, 2));
	assert_int_equal(csv_field_len(r, 2), 0);
	csv_reader_free(r);
	fclose(fp);
	csv_reader_free(NULL);
	for (st = CSV_OK; st <= CSV_ERR_NOMEM; st++) {
		assert_non_null(csv_strerror(st));
		assert_true(strcmp(csv_strerror(st), "unknown error") != 0);
	}
	assert_string_equal(csv_strerror((enum csv_status)99),
	    "unknown error");
}

/* Writer. */

/* Writes records given as arrays of strings (NULL-terminated, a NULL
 * array ends) and returns the output in *out (malloc'd). */
static int
write_all(int flags, const char *const *const *recs, char **out,
    size_t *outlen)
{
	struct csv_writer *w;
	FILE *fp;
	size_t i, j;
	int rc = 0;

	assert_non_null(fp = open_memstream(out, outlen));
	assert_non_null(w = csv_writer_new(fp, flags));
	for (i = 0; recs[i] != NULL; i++) {
		for (j = 0; recs[i][j] != NULL; j++)
			rc |= csv_write_str(w, recs[i][j]);
		rc |= csv_end_record(w);
	}
	rc |= csv_writer_finish(w);
	csv_writer_free(w);
	fclose(fp);
	return rc;
}

static void
expect_written(int flags, const char *const *const *recs, const char *want)
{
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(write_all(flags, recs, &out, &len), 0);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	free(out);
}

static void
test_write_quoting(void **state)
{
	static const char *const r1[] = { "plain", "a,b", "say \"hi\"", "",
	    " spaced ", NULL };
	static const char *const r2[] = { "line\nbreak", "cr\rhere",
	    "crlf\r\nx", "\"", NULL };
	static const char *const r3[] = { "", NULL };
	static const char *const r4[] = { "", "", NULL };
	static const char *const r5[] = { NULL };
	static const char *const *const recs[] = { r1, r2, r3, r4, r5, NULL };

	(void)state;
	expect_written(0, recs,
	    "plain,\"a,b\",\"say \"\"hi\"\"\",, spaced \n"
	    "\"line\nbreak\",\"cr\rhere\",\"crlf\r\nx\",\"\"\"\"\n"
	    "\"\"\n"
	    ",\n"
	    "\"\"\n");
}

static void
test_write_crlf_bom(void **state)
{
	static const char *const r1[] = { "a", "b", NULL };
	static const char *const r2[] = { "\xef\xbb\xbfx", NULL };
	static const char *const *const recs[] = { r1, r2, NULL };
	static const char *const *const first_bom[] = { r2, r1, NULL };
	static const char *const r3[] = { "\xff\xfex", "\xfe\xff", NULL };
	static const char *const r4[] = { "\xfe\xffx", NULL };
	static const char *const *const first_utf16[] = { r3, r3, NULL };
	static const char *const *const first_utf16be[] = { r4, NULL };
	static const char *const *const none[] = { NULL };

	(void)state;
	expect_written(CSV_W_CRLF, recs, "a,b\r\n\xef\xbb\xbfx\r\n");
	expect_written(CSV_W_BOM, recs, "\xef\xbb\xbf" "a,b\n\xef\xbb\xbfx\n");
	expect_written(CSV_W_BOM | CSV_W_CRLF, recs,
	    "\xef\xbb\xbf" "a,b\r\n\xef\xbb\xbfx\r\n");
	/* An empty output still carries its BOM. */
	expect_written(CSV_W_BOM, none, "\xef\xbb\xbf");
	expect_written(0, none, "");
	/* A first cell that starts with a BOM is quoted, so that a reader
	 * does not take it for the file's, nor the file for UTF-16. */
	expect_written(0, first_bom, "\"\xef\xbb\xbfx\"\na,b\n");
	expect_written(0, first_utf16, "\"\xff\xfex\",\xfe\xff\n"
	    "\xff\xfex,\xfe\xff\n");
	expect_written(0, first_utf16be, "\"\xfe\xffx\"\n");
}

static void
test_write_neutralize(void **state)
{
	static const char *const r1[] = { "=1+2", "+33 1", "-x", "@SUM(A1)",
	    "\tTAB", "\rCR", "a=b", "'quoted", NULL };
	static const char *const r2[] = { "=a,b", "=\"x\"", "", NULL };
	static const char *const *const recs[] = { r1, r2, NULL };
	struct csv_writer *w;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	expect_written(CSV_W_NEUTRALIZE, recs,
	    "'=1+2,'+33 1,'-x,'@SUM(A1),'\tTAB,\"'\rCR\",a=b,'quoted\n"
	    "\"'=a,b\",\"'=\"\"x\"\"\",\n");
	/* Without the flag, nothing changes but the quoting. */
	expect_written(0, recs,
	    "=1+2,+33 1,-x,@SUM(A1),\tTAB,\"\rCR\",a=b,'quoted\n"
	    "\"=a,b\",\"=\"\"x\"\"\",\n");

	/* Numbers are never neutralised. */
	assert_non_null(fp = open_memstream(&out, &len));
	assert_non_null(w = csv_writer_new(fp, CSV_W_NEUTRALIZE));
	assert_int_equal(csv_write_int(w, -42), 0);
	assert_int_equal(csv_write_int(w, 0), 0);
	assert_int_equal(csv_write_int(w, INT64_MIN), 0);
	assert_int_equal(csv_write_str(w, NULL), 0);
	assert_int_equal(csv_write_field(w, "-1", 2), 0);
	assert_int_equal(csv_end_record(w), 0);
	assert_int_equal(csv_writer_finish(w), 0);
	csv_writer_free(w);
	fclose(fp);
	assert_string_equal(out, "-42,0,-9223372036854775808,,'-1\n");
	free(out);
}

/* A spreadsheet set to split on ';' (or ',', tab, a line break) makes a cell
 * of every piece: no piece may start a formula, and values with no formula
 * lead after a separator are written as they are. */
static void
test_write_neutralize_lists(void **state)
{
	static const struct {
		const char	*cell;
		const char	*want;
	} cases[] = {
		{ "engineering;leadership", "engineering;leadership" },
		{ "0;=4+5;eng", "0;'=4+5;eng" },
		{ "a;+1;-2;@A1", "a;'+1;'-2;'@A1" },
		{ "sales;-ops", "sales;'-ops" },
		{ "Eve; =1+1", "Eve; '=1+1" },
		{ "Eve;\"=1+1\"", "\"Eve;\"\"'=1+1\"\"\"" },
		{ "Eve; \" \"=1", "\"Eve; \"\" \"\"'=1\"" },
		{ "Big, =2+3", "\"Big, '=2+3\"" },
		{ "a\t=1", "a\t'=1" },
		{ "a\n@b", "\"a\n'@b\"" },
		{ "a\r\n-b", "\"a\r\n'-b\"" },
		{ ";;=x", ";;'=x" },
		{ "=x;=y", "'=x;'=y" },
		{ " =x", " '=x" },
		{ "\"=x\"", "\"\"\"'=x\"\"\"" },
		{ "\t=x", "'\t'=x" },
		{ "a=b;c+d;e-f;g@h", "a=b;c+d;e-f;g@h" },
		{ "Launch - day; x", "Launch - day; x" },
		{ "a;", "a;" },
		{ ";", ";" },
		{ "x; ", "x; " },
	};
	static const char *rec[2];
	static const char *const *const recs[] = { rec, NULL };
	char want[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rec[0] = cases[i].cell;
		snprintf(want, sizeof(want), "%s\n", cases[i].want);
		expect_written(CSV_W_NEUTRALIZE, recs, want);
	}
}

static void
test_write_errors(void **state)
{
	struct csv_writer *w;
	FILE *fp;

	(void)state;
	/* A NUL is refused, and the failure is remembered. */
	assert_non_null(fp = fopen("/dev/null", "w"));
	assert_non_null(w = csv_writer_new(fp, 0));
	errno = 0;
	assert_int_equal(csv_write_field(w, "a\0b", 3), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(csv_end_record(w), 0);
	assert_int_equal(csv_writer_finish(w), -1);
	csv_writer_free(w);
	fclose(fp);

	/* A full disk is reported, at the latest by finish. */
	assert_non_null(fp = fopen("/dev/full", "w"));
	assert_non_null(w = csv_writer_new(fp, 0));
	assert_int_equal(csv_write_str(w, "a"), 0);	/* buffered */
	assert_int_equal(csv_end_record(w), 0);
	assert_int_equal(csv_writer_finish(w), -1);
	assert_int_equal(errno, ENOSPC);
	csv_writer_free(w);
	fclose(fp);

	/* Unbuffered, the very write fails. */
	assert_non_null(fp = fopen("/dev/full", "w"));
	setvbuf(fp, NULL, _IONBF, 0);
	assert_non_null(w = csv_writer_new(fp, 0));
	assert_int_equal(csv_write_str(w, "a"), -1);
	assert_int_equal(csv_writer_finish(w), -1);
	csv_writer_free(w);
	fclose(fp);
}

/* A small deterministic generator (xorshift), so the test is repeatable. */
static uint32_t
next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
test_round_trip(void **state)
{
	static const char alphabet[] = "ab,\"\r\n =+-@\t'x\xc3\xa9\xef\xbb\xbf";
	size_t cells[16], lens[16][16], nrec, nf, i, j, k;
	char (*data)[16][24] = NULL;
	struct csv_writer *w;
	struct csv_reader *r;
	char *out = NULL;
	size_t outlen = 0;
	uint32_t seed = 2463534242u;
	int round, flags;
	FILE *fp;

	(void)state;
	data = calloc(16, sizeof(*data));
	assert_non_null(data);
	for (round = 0; round < 500; round++) {
		flags = (int)(next_rand(&seed) % 4);	/* CRLF, BOM */
		nrec = 1 + next_rand(&seed) % 16;
		for (i = 0; i < nrec; i++) {
			cells[i] = 1 + next_rand(&seed) % 16;
			for (j = 0; j < cells[i]; j++) {
				lens[i][j] = next_rand(&seed) % 24;
				for (k = 0; k < lens[i][j]; k++)
					data[i][j][k] = alphabet[next_rand(
					    &seed) % (sizeof(alphabet) - 1)];
			}
		}
		assert_non_null(fp = open_memstream(&out, &outlen));
		assert_non_null(w = csv_writer_new(fp, flags));
		for (i = 0; i < nrec; i++) {
			for (j = 0; j < cells[i]; j++)
				assert_int_equal(csv_write_field(w, data[i][j],
				    lens[i][j]), 0);
			assert_int_equal(csv_end_record(w), 0);
		}
		assert_int_equal(csv_writer_finish(w), 0);
		csv_writer_free(w);
		fclose(fp);

		assert_non_null(fp = fmemopen(out, outlen, "rb"));
		assert_non_null(r = csv_reader_new(fp, NULL));
		for (i = 0; i < nrec; i++) {
			assert_int_equal(csv_read(r), CSV_OK);
			nf = csv_nfields(r);
			assert_int_equal(nf, cells[i]);
			for (j = 0; j < nf; j++) {
				assert_int_equal(csv_field_len(r, j),
				    lens[i][j]);
				assert_true(memcmp(csv_field(r, j), data[i][j],
				    lens[i][j]) == 0);
			}
		}
		assert_int_equal(csv_read(r), CSV_EOF);
		csv_reader_free(r);
		fclose(fp);
		free(out);
		out = NULL;
	}
	free(data);
}

/* --bench FILE: reads FILE five times, prints the best time and the
 * records and fields seen (bench/csv.sh). */
static int
bench(const char *path)
{
	struct csv_reader *r;
	struct timespec t0, t1;
	double best = 1e9, s;
	size_t recs = 0, fields = 0;
	FILE *fp;
	int round;

	for (round = 0; round < 5; round++) {
		if ((fp = fopen(path, "rb")) == NULL ||
		    (r = csv_reader_new(fp, NULL)) == NULL) {
			perror(path);
			return 1;
		}
		recs = fields = 0;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
		while (csv_read(r) == CSV_OK) {
			recs++;
			fields += csv_nfields(r);
		}
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
		csv_reader_free(r);
		fclose(fp);
		s = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (s < best)
			best = s;
	}
	printf("%.4f s, %zu records, %zu fields\n", best, recs, fields);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_caps_edges),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_refill_boundaries),
		cmocka_unit_test(test_bom_short_reads),
		cmocka_unit_test(test_io_error),
		cmocka_unit_test(test_accessors),
		cmocka_unit_test(test_write_quoting),
		cmocka_unit_test(test_write_crlf_bom),
		cmocka_unit_test(test_write_neutralize),
		cmocka_unit_test(test_write_neutralize_lists),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_round_trip),
	};

	if (argc == 3 && strcmp(argv[1], "--bench") == 0)
		return bench(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
