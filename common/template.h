/*
 * template: a small Mustache subset, compiled once and rendered many times.
 *
 *   {{name}}        the value, HTML-escaped (unless the template is TEXT)
 *   {{{name}}}      the value, raw;  {{& name}} likewise
 *   {{#name}}..{{/name}}  a section: once per item of a list, once if the
 *                   value is a non-empty string, a non-zero number or
 *                   true, else not at all
 *   {{^name}}..{{/name}}  an inverted section: once if the value is missing,
 *                   empty, zero, false or an empty list
 *   {{! comment}}   nothing
 *
 * Names are letters, digits, '_', '-' and '.' (no dotted lookup), looked
 * up from the innermost section's item outwards, as in Mustache. A value
 * that is a list renders as nothing, a boolean as "true" or "false". A
 * section, inverted, close or comment tag alone on its line removes the
 * whole line, as in Mustache, so text templates stay clean. Partials and
 * delimiter changes are not supported. Sections nest at most 16 deep.
 *
 * Compile errors name the template and line: "digest.html:12: unclosed
 * section 'posts'". Rendering writes into a capped struct buf and
 * allocates nothing else.
 */
#ifndef CHORUS_TEMPLATE_H
#define CHORUS_TEMPLATE_H

#include <stddef.h>

struct buf;
struct template;
struct tdict;

enum template_flags {
	TEMPLATE_TEXT	= 1 << 0,	/* plain text: {{x}} is not escaped */
};

/* Compiles src (len bytes) under name (used in errors). Returns NULL and
 * writes a one-line "NAME:LINE: reason" into err on a bad template. */
struct template *template_compile(const char *name, const char *src,
	    size_t len, int flags, char *err, size_t errlen);
/* Reads and compiles DIR/NAME. Same errors, plus "DIR/NAME: strerror". */
struct template *template_load(const char *dir, const char *name, int flags,
	    char *err, size_t errlen);
/* Compiles the template NAME: DIR/NAME when dir is set and that file
 * exists, else the copy of templates/NAME compiled into the binary
 * (common/shipped.h), so a directory of overrides needs only the files it
 * changes. Same errors as template_load() for a file, compile errors
 * "NAME:LINE: reason" for a shipped one, "NAME: no such template". */
struct template *template_open(const char *dir, const char *name, int flags,
	    char *err, size_t errlen);
void	 template_free(struct template *);
/* Renders into out (appending). Returns 0, or -1 when out's cap is hit
 * (out is then left as it was). The template may be shared by threads. */
int	 template_render(const struct template *, const struct tdict *,
	    struct buf *out);

/* The data a template is rendered with: a dictionary of strings, booleans
 * and lists of dictionaries. Keys and values are copied in. A dict made by
 * tdict_new() owns every item list under it. */
struct tdict *tdict_new(void);
/* Empties the dict and everything under it. On a dict from tdict_new()
 * the memory is kept for the next fill, so a steady fill/clear cycle
 * allocates nothing. */
void	 tdict_clear(struct tdict *);
/* Frees a dict from tdict_new() and everything under it; NULL and items
 * are ignored. */
void	 tdict_free(struct tdict *);
/* Sets key (replacing any value it had); a NULL value is "". */
void	 tdict_set(struct tdict *, const char *key, const char *value);
void	 tdict_setn(struct tdict *, const char *key, const char *value,
	    size_t len);
void	 tdict_set_int(struct tdict *, const char *key, long long value);
void	 tdict_set_bool(struct tdict *, const char *key, int value);
/* Appends a new, empty item to the list under key (creating the list) and
 * returns it; it belongs to the parent. */
struct tdict *tdict_add_item(struct tdict *, const char *key);

#endif
