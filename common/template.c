/*
 * template: a Mustache subset compiled into a flat list of operations
 * (text, variable, section, end) and rendered by walking that list with a
 * small stack of dictionaries. Rendering allocates nothing; the data
 * (struct tdict) lives in an arena that tdict_clear() rewinds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/shipped.h"
#include "common/template.h"
#include "common/xmalloc.h"

#define TEMPLATE_MAXDEPTH	16		/* nested sections */
#define TEMPLATE_MAXNAME	64		/* bytes in a tag name */
#define TEMPLATE_MAXFILE	(1024 * 1024)	/* template_load() */

enum op_type {
	OP_TEXT,		/* pool[off..off+arg) */
	OP_VAR,			/* {{name}}, escaped */
	OP_RAW,			/* {{{name}}}, {{& name}}, or any in TEXT */
	OP_SECTION,		/* {{#name}}; arg = index of its OP_END */
	OP_INVERTED,		/* {{^name}}; arg = index of its OP_END */
	OP_END,			/* {{/name}} */
};

struct op {
	uint8_t		 type;
	uint8_t		 nlen;		/* name length */
	uint32_t	 hash;		/* of the name */
	uint32_t	 off;		/* text or name, in pool */
	uint32_t	 arg;
};

struct template {
	struct op	*ops;
	size_t		 nops;
	char		*pool;
};

/*
 * The data. Every node, key and value of a tree is carved from the root's
 * arena; items are chained in their list, entries in their dict. Lookups
 * are linear, which is fastest for the handful of keys a dict holds.
 */
enum tval {
	TV_STR,
	TV_INT,
	TV_BOOL,
	TV_LIST,
};

struct tent {
	struct tent	*next;
	const char	*key;
	uint32_t	 klen;
	uint32_t	 hash;
	enum tval	 type;
	int		 truth;		/* for sections */
	int		 plain;		/* val holds nothing to escape */
	const char	*val;		/* TV_STR, TV_INT */
	size_t		 vlen;
	struct tdict	*first, *last;	/* TV_LIST */
	size_t		 count;
};

struct chunk {
	struct chunk	*next;
	size_t		 size;
	size_t		 used;
	max_align_t	 data[];
};

struct arena {
	struct chunk	*head;		/* the chunk being carved */
	size_t		 total;		/* bytes in all chunks */
};

struct tdict {
	struct arena	*arena;
	struct tent	*head, *tail;
	struct tdict	*next;		/* next item of the same list */
	int		 root;
};

static uint32_t
name_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* ---- compiling ---- */

struct parser {
	const char	*name;
	const char	*src;
	size_t		 len;
	size_t		 pos;
	int		 line;		/* of src[pos] */
	int		 flags;
	struct template	*t;
	size_t		 opcap;
	size_t		 poollen, poolcap;
	int		 lasttext;	/* last op is text ending the pool */
	struct {
		size_t	 op;
		int	 line;
	}		 open[TEMPLATE_MAXDEPTH];
	int		 depth;
	char		*err;
	size_t		 errlen;
};

static int
parse_error(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
parse_error(struct parser *p, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->errlen > 0)
		snprintf(p->err, p->errlen, "%s:%d: %s", p->name, line, msg);
	return -1;
}

static void
pool_add(struct parser *p, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (p->poollen + n > p->poolcap) {
		while (p->poollen + n > p->poolcap)
			p->poolcap = p->poolcap ? p->poolcap * 2 : 256;
		p->t->pool = xreallocarray(p->t->pool, 1, p->poolcap);
	}
	/* s is never NULL: clang-analyzer takes a tag name for NULL when
	 * parse_name() fails, not seeing that parse_error() returns -1. */
	/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
	memcpy(p->t->pool + p->poollen, s, n);
	p->poollen += n;
}

static struct op *
op_add(struct parser *p, enum op_type type)
{
	struct op *op;

	if (p->t->nops == p->opcap) {
		p->opcap = p->opcap ? p->opcap * 2 : 32;
		p->t->ops = xreallocarray(p->t->ops, p->opcap, sizeof(*op));
	}
	op = &p->t->ops[p->t->nops++];
	memset(op, 0, sizeof(*op));
	op->type = type;
	p->lasttext = 0;
	return op;
}

/* Text next to text (around a comment or a removed line) is merged. */
static void
emit_text(struct parser *p, const char *s, size_t n)
{
	struct op *op;

	if (n == 0)
		return;
	if (p->lasttext) {
		op = &p->t->ops[p->t->nops - 1];
		op->arg += (uint32_t)n;
	} else {
		op = op_add(p, OP_TEXT);
		op->off = (uint32_t)p->poollen;
		op->arg = (uint32_t)n;
		p->lasttext = 1;
	}
	pool_add(p, s, n);
}

static int
name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* Trims s..e and checks it is a name. */
static int
parse_name(struct parser *p, int line, const char *s, const char *e,
    const char **name, size_t *nlen)
{
	const char *q;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (s == e)
		return parse_error(p, line, "empty tag name");
	if (e - s > TEMPLATE_MAXNAME)
		return parse_error(p, line, "tag name longer than %d bytes",
		    TEMPLATE_MAXNAME);
	for (q = s; q < e; q++)
		if (!name_char((unsigned char)*q))
			return parse_error(p, line, "bad character in tag "
			    "name '%.*s'", (int)(e - s), s);
	*name = s;
	*nlen = (size_t)(e - s);
	return 0;
}

static int
newlines(const char *s, const char *e)
{
	int n = 0;

	while ((s = memchr(s, '\n', (size_t)(e - s))) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* Moves past src[pos..to), keeping the line number. */
static void
advance(struct parser *p, size_t to)
{
	p->line += newlines(p->src + p->pos, p->src + to);
	p->pos = to;
}

/*
 * A section, inverted, close or comment tag alone on its line (with only
 * blanks around it) takes the whole line with it, as in Mustache, so that
 * templates can be laid out freely and text output stays clean. Returns
 * whether it is so, with the line's start and the position after its end.
 */
static int
standalone(const struct parser *p, size_t tag, size_t after,
    size_t *lstart, size_t *lnext)
{
	size_t s = tag, e = after;

	while (s > p->pos && (p->src[s - 1] == ' ' || p->src[s - 1] == '\t'))
		s--;
	if (s > 0 && p->src[s - 1] != '\n')
		return 0;
	while (e < p->len && (p->src[e] == ' ' || p->src[e] == '\t'))
		e++;
	if (e < p->len && p->src[e] == '\r' && e + 1 < p->len &&
	    p->src[e + 1] == '\n')
		e++;
	if (e < p->len && p->src[e] != '\n')
		return 0;
	*lstart = s;
	*lnext = e < p->len ? e + 1 : e;
	return 1;
}

static int
parse_tag(struct parser *p, size_t tag)
{
	const char *src = p->src, *name = NULL, *body, *end;
	size_t after, lstart, lnext, nlen = 0;
	int line, sigil, i;
	struct op *op;

	line = p->line + newlines(src + p->pos, src + tag);
	body = src + tag + 2;
	sigil = body < src + p->len ? *body : 0;
	if (sigil == '{') {
		body++;
		end = memmem(body, (size_t)(src + p->len - body), "}}}", 3);
		after = end != NULL ? (size_t)(end - src) + 3 : 0;
	} else {
		if (sigil == '#' || sigil == '^' || sigil == '/' ||
		    sigil == '!' || sigil == '&')
			body++;
		else if (sigil == '>' || sigil == '=' || sigil == '<' ||
		    sigil == '$')
			return parse_error(p, line, "unsupported tag '{{%c'",
			    sigil);
		else
			sigil = 0;
		end = memmem(body, (size_t)(src + p->len - body), "}}", 2);
		after = end != NULL ? (size_t)(end - src) + 2 : 0;
	}
	if (end == NULL)
		return parse_error(p, line, "unterminated tag");
	if (sigil != '!' && memchr(body, '\n', (size_t)(end - body)) != NULL)
		return parse_error(p, line, "unterminated tag");

	if (sigil == '!' || sigil == '#' || sigil == '^' || sigil == '/') {
		if (standalone(p, tag, after, &lstart, &lnext)) {
			emit_text(p, src + p->pos, lstart - p->pos);
			after = lnext;
		} else
			emit_text(p, src + p->pos, tag - p->pos);
	} else
		emit_text(p, src + p->pos, tag - p->pos);
	advance(p, after);
	if (sigil == '!')
		return 0;

	if (parse_name(p, line, body, end, &name, &nlen) == -1)
		return -1;
	switch (sigil) {
	case '#':
	case '^':
		if (p->depth == TEMPLATE_MAXDEPTH)
			return parse_error(p, line, "sections nested deeper "
			    "than %d", TEMPLATE_MAXDEPTH);
		p->open[p->depth].op = p->t->nops;
		p->open[p->depth].line = line;
		p->depth++;
		op = op_add(p, sigil == '#' ? OP_SECTION : OP_INVERTED);
		break;
	case '/':
		if (p->depth == 0)
			return parse_error(p, line, "close of '%.*s' without "
			    "an open section", (int)nlen, name);
		i = --p->depth;
		op = &p->t->ops[p->open[i].op];
		if (op->nlen != nlen ||
		    memcmp(p->t->pool + op->off, name, nlen) != 0)
			return parse_error(p, line, "'%.*s' closed, but open "
			    "section is '%.*s' (line %d)", (int)nlen, name,
			    (int)op->nlen, p->t->pool + op->off,
			    p->open[i].line);
		op->arg = (uint32_t)p->t->nops;
		op = op_add(p, OP_END);
		break;
	default:
		op = op_add(p, (sigil == '{' || sigil == '&' ||
		    (p->flags & TEMPLATE_TEXT)) ? OP_RAW : OP_VAR);
		break;
	}
	op->nlen = (uint8_t)nlen;
	op->hash = name_hash(name, nlen);
	op->off = (uint32_t)p->poollen;
	pool_add(p, name, nlen);
	return 0;
}

struct template *
template_compile(const char *name, const char *src, size_t len, int flags,
    char *err, size_t errlen)
{
	struct parser p;
	const char *tag;
	struct op *op;

	memset(&p, 0, sizeof(p));
	p.name = name;
	p.src = src;
	p.len = len;
	p.line = 1;
	p.flags = flags;
	p.err = err;
	p.errlen = errlen;
	if (errlen > 0)
		err[0] = '\0';
	p.t = xcalloc(1, sizeof(*p.t));
	/* Offsets are 32 bits; the pool never outgrows the source. */
	if (len > UINT32_MAX / 2) {
		parse_error(&p, 1, "template too large");
		goto fail;
	}
	while (p.pos < len) {
		tag = memmem(src + p.pos, len - p.pos, "{{", 2);
		if (tag == NULL) {
			emit_text(&p, src + p.pos, len - p.pos);
			advance(&p, len);
			break;
		}
		if (parse_tag(&p, (size_t)(tag - src)) == -1)
			goto fail;
	}
	if (p.depth > 0) {
		op = &p.t->ops[p.open[p.depth - 1].op];
		parse_error(&p, p.open[p.depth - 1].line,
		    "unclosed section '%.*s'", (int)op->nlen,
		    p.t->pool + op->off);
		goto fail;
	}
	return p.t;
fail:
	template_free(p.t);
	return NULL;
}

struct template *
template_load(const char *dir, const char *name, int flags, char *err,
    size_t errlen)
{
	struct template *t = NULL;
	struct stat st;
	char *path = NULL, *src = NULL;
	size_t len = 0;
	ssize_t n;
	int fd = -1;

	path = xasprintf("%s/%s", dir, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > TEMPLATE_MAXFILE) {
		snprintf(err, errlen, "%s: %s", path, S_ISREG(st.st_mode) ?
		    "larger than 1 MiB" : "not a regular file");
		goto out;
	}
	src = xmalloc((size_t)st.st_size + 1);
	/* Read to the end, not to st_size: the file may have changed. */
	for (;;) {
		n = read(fd, src + len, (size_t)st.st_size + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > (size_t)st.st_size) {
			snprintf(err, errlen, "%s: changed while read", path);
			goto out;
		}
	}
	t = template_compile(path, src, len, flags, err, errlen);
out:
	if (fd != -1)
		close(fd);
	free(src);
	free(path);
	return t;
}

struct template *
template_open(const char *dir, const char *name, int flags, char *err,
    size_t errlen)
{
	struct template *t;
	struct stat st;
	char *path;
	size_t i;
	int found;

	/* Only a file missing from a directory that is there falls back:
	 * a file that cannot be read, or a missing directory, is the
	 * operator's to fix, not to hide. */
	if (dir != NULL && *dir != '\0') {
		path = xasprintf("%s/%s", dir, name);
		found = stat(path, &st) == 0 || errno != ENOENT;
		free(path);
		if (found) {
			t = template_load(dir, name, flags, err, errlen);
			return t;
		}
		if (stat(dir, &st) == -1) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			return NULL;
		}
		if (!S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "%s: not a directory", dir);
			return NULL;
		}
	}
	for (i = 0; i < nshipped_templates; i++)
		if (strcmp(shipped_templates[i].name, name) == 0) {
			t = template_compile(name, shipped_templates[i].src,
			    shipped_templates[i].len, flags, err, errlen);
			return t;
		}
	snprintf(err, errlen, "%s: no such template", name);
	return NULL;
}

void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	free(t->ops);
	free(t->pool);
	free(t);
}

/* ---- rendering ---- */

/* Bytes that {{x}} escapes, and what they become. */
static const char *const escapes[256] = {
	['&'] = "&amp;",
	['<'] = "&lt;",
	['>'] = "&gt;",
	['"'] = "&quot;",
	['\''] = "&#39;",
};

#define ESCAPED	"&<>\"'"

/* s[n] is NUL (values are stored so), which lets strcspn() find the next
 * byte to escape quickly; a NUL inside the value is copied as it is. */
static int
render_escaped(struct buf *out, const char *s, size_t n)
{
	const char *e = s + n, *rep;
	size_t k;

	while (s < e) {
		k = strcspn(s, ESCAPED);
		if (s + k >= e)
			break;
		if ((rep = escapes[(unsigned char)s[k]]) == NULL)
			k++;	/* a NUL inside the value */
		if (buf_add(out, s, k) == -1 ||
		    (rep != NULL && buf_adds(out, rep) == -1))
			return -1;
		s += rep != NULL ? k + 1 : k;
	}
	return buf_add(out, s, (size_t)(e - s));
}

static const struct tent *
lookup(const struct tdict *const *ctx, int n, const struct op *op,
    const char *pool)
{
	const struct tent *e;
	const char *name = pool + op->off;

	while (n-- > 0)
		for (e = ctx[n]->head; e != NULL; e = e->next)
			if (e->hash == op->hash && e->klen == op->nlen &&
			    memcmp(e->key, name, op->nlen) == 0)
				return e;
	return NULL;
}

static int
render_ops(const struct template *t, size_t i, size_t to,
    const struct tdict **ctx, int n, struct buf *out)
{
	const struct op *op;
	const struct tent *e;
	const struct tdict *item;

	for (; i < to; i++) {
		op = &t->ops[i];
		switch (op->type) {
		case OP_TEXT:
			if (buf_add(out, t->pool + op->off, op->arg) == -1)
				return -1;
			break;
		case OP_VAR:
		case OP_RAW:
			if ((e = lookup(ctx, n, op, t->pool)) == NULL ||
			    e->type == TV_LIST)
				break;
			if (op->type == OP_VAR && !e->plain) {
				if (render_escaped(out, e->val, e->vlen) == -1)
					return -1;
			} else if (buf_add(out, e->val, e->vlen) == -1)
				return -1;
			break;
		case OP_SECTION:
			e = lookup(ctx, n, op, t->pool);
			if (e != NULL && e->type == TV_LIST) {
				for (item = e->first; item != NULL;
				    item = item->next) {
					ctx[n] = item;
					if (render_ops(t, i + 1, op->arg, ctx,
					    n + 1, out) == -1)
						return -1;
				}
			} else if (e != NULL && e->truth) {
				if (render_ops(t, i + 1, op->arg, ctx, n,
				    out) == -1)
					return -1;
			}
			i = op->arg;
			break;
		case OP_INVERTED:
			e = lookup(ctx, n, op, t->pool);
			if (e == NULL || !e->truth)
				if (render_ops(t, i + 1, op->arg, ctx, n,
				    out) == -1)
					return -1;
			i = op->arg;
			break;
		case OP_END:
			break;
		}
	}
	return 0;
}

int
template_render(const struct template *t, const struct tdict *d,
    struct buf *out)
{
	const struct tdict *ctx[TEMPLATE_MAXDEPTH + 1];
	size_t len = out->len;

	ctx[0] = d;
	if (render_ops(t, 0, t->nops, ctx, 1, out) == -1) {
		/* Nothing half-done: the caller sees out as it was. */
		out->len = len;
		if (out->data != NULL)
			out->data[len] = '\0';
		return -1;
	}
	/* An empty rendering still leaves a NUL-terminated buffer. */
	return buf_add(out, "", 0);
}

/* ---- the data ---- */

#define ARENA_CHUNK	4096

static void *
arena_alloc(struct arena *a, size_t n)
{
	struct chunk *c = a->head;
	size_t size;
	void *p;

	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (c == NULL || c->size - c->used < n) {
		size = c != NULL ? c->size * 2 : ARENA_CHUNK;
		while (size < n)
			size *= 2;
		c = xmalloc(sizeof(*c) + size);
		c->next = a->head;
		c->size = size;
		c->used = 0;
		a->head = c;
		a->total += size;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

/* Rewinds; a tree that needed several chunks gets one chunk as large as
 * all of them, so the next tree of that size allocates nothing. */
static void
arena_reset(struct arena *a)
{
	struct chunk *c, *next;
	size_t total = a->total;

	if (a->head != NULL && a->head->next != NULL) {
		for (c = a->head; c != NULL; c = next) {
			next = c->next;
			free(c);
		}
		a->head = xmalloc(sizeof(*c) + total);
		a->head->next = NULL;
		a->head->size = total;
	}
	if (a->head != NULL)
		a->head->used = 0;
}

static void
arena_release(struct arena *a)
{
	struct chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->total = 0;
}

struct tdict *
tdict_new(void)
{
	struct tdict *d;

	d = xcalloc(1, sizeof(*d) + sizeof(struct arena));
	d->arena = (struct arena *)(d + 1);
	d->root = 1;
	return d;
}

void
tdict_clear(struct tdict *d)
{
	d->head = d->tail = NULL;
	if (d->root)
		arena_reset(d->arena);
}

void
tdict_free(struct tdict *d)
{
	/* Items belong to their root. */
	if (d == NULL || !d->root)
		return;
	arena_release(d->arena);
	free(d);
}

/* Returns the entry for key, added empty if missing. */
static struct tent *
tdict_entry(struct tdict *d, const char *key)
{
	size_t klen = strlen(key);
	uint32_t h = name_hash(key, klen);
	struct tent *e;
	char *k;

	for (e = d->head; e != NULL; e = e->next)
		if (e->hash == h && e->klen == klen &&
		    memcmp(e->key, key, klen) == 0)
			return e;
	e = arena_alloc(d->arena, sizeof(*e));
	memset(e, 0, sizeof(*e));
	k = arena_alloc(d->arena, klen + 1);
	memcpy(k, key, klen + 1);
	e->key = k;
	e->klen = (uint32_t)klen;
	e->hash = h;
	if (d->tail != NULL)
		d->tail->next = e;
	else
		d->head = e;
	d->tail = e;
	return e;
}

static void
tdict_put(struct tdict *d, const char *key, enum tval type, const char *s,
    size_t n, int truth)
{
	struct tent *e = tdict_entry(d, key);
	char *v;

	v = arena_alloc(d->arena, n + 1);
	if (n > 0)
		memcpy(v, s, n);
	v[n] = '\0';
	e->type = type;
	e->val = v;
	e->vlen = n;
	e->truth = truth;
	e->plain = strcspn(v, ESCAPED) == n;
	e->first = e->last = NULL;
	e->count = 0;
}

void
tdict_setn(struct tdict *d, const char *key, const char *value, size_t len)
{
	if (value == NULL)
		len = 0;
	tdict_put(d, key, TV_STR, value, len, len > 0);
}

void
tdict_set(struct tdict *d, const char *key, const char *value)
{
	tdict_setn(d, key, value, value != NULL ? strlen(value) : 0);
}

void
tdict_set_int(struct tdict *d, const char *key, long long value)
{
	char s[32];
	int n;

	n = snprintf(s, sizeof(s), "%lld", value);
	tdict_put(d, key, TV_INT, s, (size_t)n, value != 0);
}

void
tdict_set_bool(struct tdict *d, const char *key, int value)
{
	tdict_put(d, key, TV_BOOL, value ? "true" : "false",
	    value ? 4 : 5, value != 0);
}

struct tdict *
tdict_add_item(struct tdict *d, const char *key)
{
	struct tent *e = tdict_entry(d, key);
	struct tdict *item;

	if (e->type != TV_LIST) {
		e->type = TV_LIST;
		e->val = "";
		e->vlen = 0;
		e->plain = 1;
		e->first = e->last = NULL;
		e->count = 0;
	}
	item = arena_alloc(d->arena, sizeof(*item));
	memset(item, 0, sizeof(*item));
	item->arena = d->arena;
	if (e->last != NULL)
		e->last->next = item;
	else
		e->first = item;
	e->last = item;
	e->count++;
	e->truth = 1;
	return item;
}
