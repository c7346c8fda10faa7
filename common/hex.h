/*
 * hex: hexadecimal digits, read in either case and written in lower case
 * (percent-encoding, PostgreSQL's bytea input).
 */
#ifndef CHORUS_HEX_H
#define CHORUS_HEX_H

/* The value of the digit c, or -1 when c is none. */
static inline int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The lower-case digit of the low four bits of v. */
static inline char
hex_digit(unsigned v)
{
	return "0123456789abcdef"[v & 15];
}

#endif
