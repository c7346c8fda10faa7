/*
 * csv: RFC 4180 reader and writer.
 *
 * The reader parses straight out of its own read buffer: a table marks the
 * bytes that end a run of plain field bytes, each run is copied at once into
 * one record buffer that is reused from record to record, and every cap is
 * checked before anything grows.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"

/* The fuzz build shrinks it so that every token straddles a refill. */
#ifndef CSV_BUFSIZE
#define CSV_BUFSIZE	65536
#endif

#define CSV_DEF_FIELD	((size_t)64 * 1024)
#define CSV_DEF_RECORD	((size_t)1024 * 1024)
#define CSV_DEF_FIELDS	256

static const char bom[3] = { '\xef', '\xbb', '\xbf' };

struct csv_reader {
	FILE		*fp;
	struct csv_limits lim;
	char		*in;		/* read buffer */
	size_t		 inpos, inlen;
	int		 eof;		/* fread gave nothing more */
	int		 ioerr;		/* ... because of an error */
	int		 started;	/* the byte-order mark was looked for */
	char		*data;		/* the fields, each NUL-terminated */
	size_t		 used, cap;
	size_t		*off;		/* field i is data + off[i] */
	size_t		*len;
	size_t		 nfields, fcap;
	size_t		 reclen;	/* record bytes so far, with commas */
	unsigned long	 line;		/* physical line of the next byte */
	unsigned long	 recline;	/* where the current record starts */
	unsigned long	 errline;
	enum csv_status	 err;		/* sticky: the first error */
};

/* Bytes that end a run of field bytes, outside and inside quotes. */
static const unsigned char stop_plain[256] = {
	['\0'] = 1, ['\n'] = 1, ['\r'] = 1, [','] = 1, ['"'] = 1,
};
static const unsigned char stop_quoted[256] = {
	['\0'] = 1, ['\n'] = 1, ['"'] = 1,
};

struct csv_reader *
csv_reader_new(FILE *fp, const struct csv_limits *lim)
{
	struct csv_reader *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->in = malloc(CSV_BUFSIZE)) == NULL) {
		free(r);
		return NULL;
	}
	r->fp = fp;
	if (lim != NULL)
		r->lim = *lim;
	if (r->lim.max_field == 0)
		r->lim.max_field = CSV_DEF_FIELD;
	if (r->lim.max_record == 0)
		r->lim.max_record = CSV_DEF_RECORD;
	if (r->lim.max_fields == 0)
		r->lim.max_fields = CSV_DEF_FIELDS;
	r->line = 1;
	return r;
}

void
csv_reader_free(struct csv_reader *r)
{
	if (r == NULL)
		return;
	free(r->in);
	free(r->data);
	free(r->off);
	free(r->len);
	free(r);
}

/* Refills the read buffer; -1 at end of file or on an error (ioerr). */
static int
fill(struct csv_reader *r)
{
	size_t n;

	if (r->eof)
		return -1;
	n = fread(r->in, 1, CSV_BUFSIZE, r->fp);
	r->inpos = 0;
	r->inlen = n;
	if (n == 0) {
		r->eof = 1;
		r->ioerr = ferror(r->fp) != 0;
		return -1;
	}
	return 0;
}

/* The next byte without taking it, or EOF. */
static inline int
peek(struct csv_reader *r)
{
	if (r->inpos == r->inlen && fill(r) == -1)
		return EOF;
	return (unsigned char)r->in[r->inpos];
}

/* Skips a leading byte-order mark; the first read may be short (a pipe).
 * Returns CSV_ERR_UTF16 for a file that starts as UTF-16 does: with its
 * byte-order mark, or with one NUL in the first two bytes (an ASCII
 * character in UTF-16LE or BE), which no CSV file of ours does. */
static enum csv_status
start_file(struct csv_reader *r)
{
	const unsigned char *in = (const unsigned char *)r->in;
	size_t n;

	r->started = 1;
	while (r->inlen < sizeof(bom) && !r->eof) {
		n = fread(r->in + r->inlen, 1, CSV_BUFSIZE - r->inlen, r->fp);
		if (n == 0) {
			r->eof = 1;
			r->ioerr = ferror(r->fp) != 0;
		}
		r->inlen += n;
	}
	if (r->inlen >= sizeof(bom) && memcmp(r->in, bom, sizeof(bom)) == 0)
		r->inpos = sizeof(bom);
	else if (r->inlen >= 2 && ((in[0] == 0xff && in[1] == 0xfe) ||
	    (in[0] == 0xfe && in[1] == 0xff) || ((in[0] == 0) != (in[1] == 0)))) {
		r->errline = r->recline = 1;
		return CSV_ERR_UTF16;
	}
	return CSV_OK;
}

static enum csv_status
fail(struct csv_reader *r, enum csv_status st)
{
	r->errline = r->line;
	return st;
}

/* Makes room for n more bytes of record data. */
static int
reserve(struct csv_reader *r, size_t n)
{
	size_t ncap;
	char *p;

	if (n <= r->cap - r->used)
		return 0;
	ncap = r->cap ? r->cap : 256;
	while (ncap - r->used < n)
		ncap *= 2;	/* bounded: the caps keep used + n small */
	if ((p = realloc(r->data, ncap)) == NULL)
		return -1;
	r->data = p;
	r->cap = ncap;
	return 0;
}

/* Appends n bytes to the current field, within the caps. */
static enum csv_status
append(struct csv_reader *r, const void *p, size_t n)
{
	size_t flen = r->used - r->off[r->nfields];

	if (n > r->lim.max_field - flen)
		return fail(r, CSV_ERR_FIELD_SIZE);
	if (n > r->lim.max_record - r->reclen)
		return fail(r, CSV_ERR_RECORD_SIZE);
	if (reserve(r, n + 1) == -1)	/* room for the NUL too */
		return fail(r, CSV_ERR_NOMEM);
	memcpy(r->data + r->used, p, n);
	r->used += n;
	r->reclen += n;
	return CSV_OK;
}

/* The rest of an unquoted field. *term is what ended it, taken: ',', '\n'
 * (for LF or CRLF) or EOF. A CR not followed by LF or the end is data. */
static enum csv_status
read_plain(struct csv_reader *r, int *term)
{
	const unsigned char *p, *q, *end;
	enum csv_status st;
	int c;

	for (;;) {
		if (r->inpos == r->inlen && fill(r) == -1) {
			*term = EOF;
			return r->ioerr ? fail(r, CSV_ERR_IO) : CSV_OK;
		}
		p = (const unsigned char *)r->in + r->inpos;
		end = (const unsigned char *)r->in + r->inlen;
		for (q = p; q < end && !stop_plain[*q]; q++)
			;
		if (q > p) {
			if ((st = append(r, p, (size_t)(q - p))) != CSV_OK)
				return st;
			r->inpos += (size_t)(q - p);
		}
		if (q == end)
			continue;
		r->inpos++;
		switch (*q) {
		case ',':
			*term = ',';
			return CSV_OK;
		case '\n':
			r->line++;
			*term = '\n';
			return CSV_OK;
		case '\r':
			c = peek(r);
			if (c == '\n') {
				r->inpos++;
				r->line++;
				*term = '\n';
				return CSV_OK;
			}
			if (c == EOF && !r->ioerr) {
				*term = EOF;
				return CSV_OK;
			}
			if ((st = append(r, "\r", 1)) != CSV_OK)
				return st;
			break;
		case '"':
			return fail(r, CSV_ERR_BARE_QUOTE);
		default:	/* NUL */
			return fail(r, CSV_ERR_NUL);
		}
	}
}

/* A quoted field after its opening quote, up to and including the closing
 * one. */
static enum csv_status
read_quoted(struct csv_reader *r)
{
	const unsigned char *p, *q, *end;
	enum csv_status st;

	for (;;) {
		if (r->inpos == r->inlen && fill(r) == -1) {
			if (r->ioerr)
				return fail(r, CSV_ERR_IO);
			/* Name the line of the last byte, not the one after
			 * a final LF. */
			r->errline = r->line;
			if (r->used > r->off[r->nfields] &&
			    r->data[r->used - 1] == '\n')
				r->errline--;
			return CSV_ERR_QUOTE;
		}
		p = (const unsigned char *)r->in + r->inpos;
		end = (const unsigned char *)r->in + r->inlen;
		for (q = p; q < end && !stop_quoted[*q]; q++)
			;
		if (q > p) {
			if ((st = append(r, p, (size_t)(q - p))) != CSV_OK)
				return st;
			r->inpos += (size_t)(q - p);
		}
		if (q == end)
			continue;
		switch (*q) {
		case '\n':
			if ((st = append(r, "\n", 1)) != CSV_OK)
				return st;
			r->inpos++;
			r->line++;
			break;
		case '"':
			r->inpos++;
			if (peek(r) != '"')
				return CSV_OK;
			if ((st = append(r, "\"", 1)) != CSV_OK)
				return st;
			r->inpos++;
			break;
		default:	/* NUL */
			return fail(r, CSV_ERR_NUL);
		}
	}
}

/* What may follow a closing quote: a comma, a line end or the end. */
static enum csv_status
after_quote(struct csv_reader *r, int *term)
{
	int c = peek(r);

	if (c == '\r') {
		r->inpos++;
		c = peek(r);
		if (c != '\n' && c != EOF)
			return fail(r, c == '\0' ? CSV_ERR_NUL :
			    CSV_ERR_AFTER_QUOTE);
	}
	switch (c) {
	case ',':
		r->inpos++;
		*term = ',';
		return CSV_OK;
	case '\n':
		r->inpos++;
		r->line++;
		*term = '\n';
		return CSV_OK;
	case EOF:
		*term = EOF;
		return r->ioerr ? fail(r, CSV_ERR_IO) : CSV_OK;
	case '\0':
		return fail(r, CSV_ERR_NUL);
	default:
		return fail(r, CSV_ERR_AFTER_QUOTE);
	}
}

/* One record, blank or not. */
static enum csv_status
read_record(struct csv_reader *r, int *blank)
{
	enum csv_status st;
	size_t n, *p;
	int quoted = 0, term;

	r->nfields = 0;
	r->used = 0;
	r->reclen = 0;
	r->recline = r->line;
	*blank = 0;
	if (peek(r) == EOF)
		return r->ioerr ? fail(r, CSV_ERR_IO) : CSV_EOF;
	do {
		if (r->nfields == r->lim.max_fields)
			return fail(r, CSV_ERR_FIELDS);
		if (r->nfields == r->fcap) {
			n = r->fcap ? r->fcap * 2 : 16;
			if (n > r->lim.max_fields)
				n = r->lim.max_fields;
			if ((p = reallocarray(r->off, n, sizeof(*p))) == NULL)
				return fail(r, CSV_ERR_NOMEM);
			r->off = p;
			if ((p = reallocarray(r->len, n, sizeof(*p))) == NULL)
				return fail(r, CSV_ERR_NOMEM);
			r->len = p;
			r->fcap = n;
		}
		if (r->nfields > 0) {	/* the comma before this field */
			if (r->reclen == r->lim.max_record)
				return fail(r, CSV_ERR_RECORD_SIZE);
			r->reclen++;
		}
		r->off[r->nfields] = r->used;
		if (peek(r) == '"') {
			r->inpos++;
			quoted = 1;
			if ((st = read_quoted(r)) != CSV_OK ||
			    (st = after_quote(r, &term)) != CSV_OK)
				return st;
		} else if ((st = read_plain(r, &term)) != CSV_OK)
			return st;
		if (reserve(r, 1) == -1)
			return fail(r, CSV_ERR_NOMEM);
		r->len[r->nfields] = r->used - r->off[r->nfields];
		r->data[r->used++] = '\0';
		r->nfields++;
	} while (term == ',');
	*blank = r->nfields == 1 && r->len[0] == 0 && !quoted;
	return CSV_OK;
}

enum csv_status
csv_read(struct csv_reader *r)
{
	enum csv_status st;
	int blank;

	if (r->err != CSV_OK)
		return r->err;
	st = r->started ? CSV_OK : start_file(r);
	while (st == CSV_OK) {
		st = read_record(r, &blank);
		if (st != CSV_OK || !blank)
			break;
	}
	if (st != CSV_OK) {
		r->nfields = 0;
		r->err = st;	/* CSV_EOF stays too */
	}
	return st;
}

size_t
csv_nfields(const struct csv_reader *r)
{
	return r->nfields;
}

const char *
csv_field(const struct csv_reader *r, size_t i)
{
	return i < r->nfields ? r->data + r->off[i] : NULL;
}

size_t
csv_field_len(const struct csv_reader *r, size_t i)
{
	return i < r->nfields ? r->len[i] : 0;
}

unsigned long
csv_line(const struct csv_reader *r)
{
	return r->recline;
}

unsigned long
csv_error_line(const struct csv_reader *r)
{
	return r->errline;
}

const char *
csv_strerror(enum csv_status st)
{
	static const char *const msg[] = {
		[CSV_OK] = "no error",
		[CSV_EOF] = "end of file",
		[CSV_ERR_IO] = "read error",
		[CSV_ERR_QUOTE] = "unterminated quoted field",
		[CSV_ERR_AFTER_QUOTE] =
		    "unexpected character after a closing quote",
		[CSV_ERR_BARE_QUOTE] = "quote inside an unquoted field",
		[CSV_ERR_FIELD_SIZE] = "field too long",
		[CSV_ERR_RECORD_SIZE] = "record too long",
		[CSV_ERR_FIELDS] = "too many fields",
		[CSV_ERR_NUL] = "NUL byte",
		[CSV_ERR_UTF16] = ("UTF-16 text, not UTF-8 (save the file as "
		    "CSV UTF-8)"),
		[CSV_ERR_NOMEM] = "out of memory",
	};

	if ((size_t)st >= sizeof(msg) / sizeof(msg[0]) || msg[st] == NULL)
		return "unknown error";
	return msg[st];
}

/* Writer. */

struct csv_writer {
	FILE	*fp;
	int	 flags;
	int	 failed;
	int	 started;	/* anything written yet (the BOM goes first) */
	size_t	 nfield;	/* cells in the current record */
	int	 last_empty;	/* the last cell wrote no bytes */
};

struct csv_writer *
csv_writer_new(FILE *fp, int flags)
{
	struct csv_writer *w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->fp = fp;
	w->flags = flags;
	return w;
}

void
csv_writer_free(struct csv_writer *w)
{
	free(w);
}

static int
put(struct csv_writer *w, const void *p, size_t n)
{
	if (n > 0 && fwrite(p, 1, n, w->fp) != n) {
		w->failed = 1;
		return -1;
	}
	return 0;
}

static int
start(struct csv_writer *w)
{
	if (w->started)
		return 0;
	w->started = 1;
	return (w->flags & CSV_W_BOM) ? put(w, bom, sizeof(bom)) : 0;
}

static int
needs_quotes(const char *s, size_t n)
{
	static const unsigned char special[256] = {
		['\n'] = 1, ['\r'] = 1, [','] = 1, ['"'] = 1,
	};
	size_t i;

	for (i = 0; i < n; i++)
		if (special[(unsigned char)s[i]])
			return 1;
	return 0;
}

/* Whether a cell starts as a file in UTF-8 with its mark, or in UTF-16,
 * does: first in the file, it must be quoted. */
static int
looks_like_bom(const char *s, size_t n)
{
	if (n >= sizeof(bom) && memcmp(s, bom, sizeof(bom)) == 0)
		return 1;
	return n >= 2 && (memcmp(s, "\xff\xfe", 2) == 0 ||
	    memcmp(s, "\xfe\xff", 2) == 0);
}

/* Writes n bytes of a cell, doubling quotes when the cell is quoted. */
static int
put_span(struct csv_writer *w, const char *s, size_t n, int quote)
{
	const char *q, *end = s + n;

	while (quote && (q = memchr(s, '"', (size_t)(end - s))) != NULL) {
		if (put(w, s, (size_t)(q - s) + 1) == -1 || put(w, "\"", 1) == -1)
			return -1;
		s = q + 1;
	}
	return put(w, s, (size_t)(end - s));
}

/*
 * A spreadsheet may be set to split cells on any of these, quoted or not,
 * so any of them can start a cell of its own; after it, and at the start,
 * spaces and quotes may be dropped (trimmed, or read as a quoted field)
 * before the first byte decides whether the cell is a formula.
 */
static const unsigned char cell_break[256] = {
	[','] = 1, [';'] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1,
};
static const unsigned char cell_skip[256] = { [' '] = 1, ['"'] = 1 };
static const unsigned char formula_lead[256] = {
	['='] = 1, ['+'] = 1, ['-'] = 1, ['@'] = 1,
};

/* Writes the cell, with a ' before every byte that could begin a formula
 * in a cell of its own. */
static int
put_neutralized(struct csv_writer *w, const char *s, size_t n, int quote)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *q, *end = p + n;
	int at_start = 1;

	for (q = p; q < end; q++) {
		if (cell_break[*q]) {
			at_start = 1;
			continue;
		}
		if (!at_start || cell_skip[*q])
			continue;
		at_start = 0;
		if (!formula_lead[*q])
			continue;
		if (put_span(w, (const char *)p, (size_t)(q - p), quote) == -1 ||
		    put(w, "'", 1) == -1)
			return -1;
		p = q;
	}
	return put_span(w, (const char *)p, (size_t)(end - p), quote);
}

static int
write_cell(struct csv_writer *w, const char *s, size_t n, int neutralize)
{
	int prefix, quote;

	/* No reader would take a NUL back; refuse it rather than truncate. */
	if (n > 0 && memchr(s, '\0', n) != NULL) {
		w->failed = 1;
		errno = EINVAL;
		return -1;
	}
	/* A first cell starting with a byte-order mark would lose it to the
	 * reader unless quoted, or have the file refused as UTF-16. */
	quote = needs_quotes(s, n) || (!w->started && looks_like_bom(s, n));
	/* A leading tab or CR may be trimmed away before a formula. */
	prefix = neutralize && n > 0 && (s[0] == '\t' || s[0] == '\r');
	if (start(w) == -1 || (w->nfield > 0 && put(w, ",", 1) == -1))
		return -1;
	w->nfield++;
	w->last_empty = n == 0;
	if (quote && put(w, "\"", 1) == -1)
		return -1;
	if (prefix && put(w, "'", 1) == -1)
		return -1;
	if ((neutralize ? put_neutralized(w, s, n, quote) :
	    put_span(w, s, n, quote)) == -1)
		return -1;
	return quote ? put(w, "\"", 1) : 0;
}

int
csv_write_field(struct csv_writer *w, const char *s, size_t n)
{
	return write_cell(w, s, n, w->flags & CSV_W_NEUTRALIZE);
}

int
csv_write_str(struct csv_writer *w, const char *s)
{
	if (s == NULL)
		s = "";
	return csv_write_field(w, s, strlen(s));
}

int
csv_write_int(struct csv_writer *w, long long v)
{
	char tmp[32];
	int n;

	n = snprintf(tmp, sizeof(tmp), "%lld", v);
	return write_cell(w, tmp, (size_t)n, 0);
}

int
csv_end_record(struct csv_writer *w)
{
	int rc = 0;

	if (start(w) == -1)
		return -1;
	/* A record of one empty cell would be a blank line, which a reader
	 * skips: write it as "". */
	if (w->nfield == 0 || (w->nfield == 1 && w->last_empty))
		rc = put(w, "\"\"", 2);
	w->nfield = 0;
	if (rc == -1)
		return -1;
	if (w->flags & CSV_W_CRLF)
		return put(w, "\r\n", 2);
	return put(w, "\n", 1);
}

int
csv_writer_finish(struct csv_writer *w)
{
	if (start(w) == -1)
		return -1;
	if (fflush(w->fp) == EOF || ferror(w->fp))
		w->failed = 1;
	return w->failed ? -1 : 0;
}
