/*
 * csv: an RFC 4180 reader and writer.
 *
 * The reader takes quoted fields with commas, quotes and line breaks, CRLF or
 * LF line ends, and a leading UTF-8 byte-order mark; it caps field and record
 * size and the number of fields, so a hostile file cannot exhaust memory, and
 * it knows the physical line on which each record starts. Empty lines between
 * records are skipped. A NUL byte anywhere is an error; a file that starts as
 * UTF-16 does (its byte-order mark, or one NUL in the first two bytes) is
 * refused as UTF-16. Lines are counted by LF; a CR is part of a line end only
 * before LF or at the end of the file, elsewhere it is data.
 *
 * The writer quotes only where needed, can end lines with CRLF and start with
 * a byte-order mark (for spreadsheets), and can neutralise cells that a
 * spreadsheet would run as a formula, including the cells a spreadsheet makes
 * of one when it splits on a ';', ',', tab or line break inside it.
 */
#ifndef CHORUS_CSV_H
#define CHORUS_CSV_H

#include <stddef.h>
#include <stdio.h>

enum csv_status {
	CSV_OK = 0,
	CSV_EOF,		/* no more records */
	CSV_ERR_IO,		/* read error; errno is set */
	CSV_ERR_QUOTE,		/* end of file inside a quoted field */
	CSV_ERR_AFTER_QUOTE,	/* a character other than , or EOL after a closing quote */
	CSV_ERR_BARE_QUOTE,	/* a quote inside an unquoted field */
	CSV_ERR_FIELD_SIZE,	/* a field longer than the cap */
	CSV_ERR_RECORD_SIZE,	/* a record longer than the cap */
	CSV_ERR_FIELDS,		/* more fields than the cap */
	CSV_ERR_NUL,		/* a NUL byte */
	CSV_ERR_UTF16,		/* the file starts as UTF-16 text does */
	CSV_ERR_NOMEM,
};

struct csv_limits {
	size_t	max_field;	/* bytes in one field; default 64 KiB */
	size_t	max_record;	/* bytes in one record; default 1 MiB */
	size_t	max_fields;	/* fields in one record; default 256 */
};

struct csv_reader;

/* Reads from fp, which stays the caller's. lim may be NULL for defaults.
 * Returns NULL only when memory is short. */
struct csv_reader *csv_reader_new(FILE *fp, const struct csv_limits *lim);
void	 csv_reader_free(struct csv_reader *);

/* Reads the next record. On CSV_OK, csv_nfields() and csv_field() describe
 * it; on an error, csv_line() is the line where the bad record started and
 * csv_error_line() the line where the error was found. After an error the
 * reader must not be used again. */
enum csv_status csv_read(struct csv_reader *);
size_t	 csv_nfields(const struct csv_reader *);
/* Borrowed until the next csv_read(); NUL-terminated, may contain CR/LF.
 * NULL (and length 0) when i >= csv_nfields(). */
const char *csv_field(const struct csv_reader *, size_t i);
size_t	 csv_field_len(const struct csv_reader *, size_t i);
/* 1-based physical line on which the current record starts. */
unsigned long csv_line(const struct csv_reader *);
unsigned long csv_error_line(const struct csv_reader *);
/* A static, lower-case description such as "unterminated quoted field". */
const char *csv_strerror(enum csv_status);

enum csv_write_flags {
	CSV_W_CRLF	= 1 << 0,	/* end records with CRLF (default LF) */
	CSV_W_BOM	= 1 << 1,	/* begin with a UTF-8 byte-order mark */
	/* ' before =+-@ at the start of a cell or after , ; TAB CR LF in it
	 * (spaces and quotes between are skipped); ' before a leading TAB or
	 * CR */
	CSV_W_NEUTRALIZE = 1 << 2,
};

struct csv_writer;

/* Writes to fp, which stays the caller's. Returns NULL only when memory is
 * short. */
struct csv_writer *csv_writer_new(FILE *fp, int flags);
/* Each returns 0 or -1 on a write error (errno set). A NUL byte in a field
 * is refused (EINVAL), since no reader would take it back. */
int	 csv_write_field(struct csv_writer *, const char *, size_t);
int	 csv_write_str(struct csv_writer *, const char *);	/* NULL = empty */
/* Numbers are never neutralised: a negative count is still a number. */
int	 csv_write_int(struct csv_writer *, long long);
int	 csv_end_record(struct csv_writer *);
/* Flushes; returns -1 if any write failed. Does not close fp. */
int	 csv_writer_finish(struct csv_writer *);
void	 csv_writer_free(struct csv_writer *);

#endif
