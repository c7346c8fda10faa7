/*
 * fuzz_template: compiles arbitrary bytes as a template, in HTML and in
 * TEXT mode, and renders what compiles with a small fixed dictionary into
 * a capped buffer. A failed compile must leave a "NAME:LINE: " message;
 * rendering twice must give the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/template.h"

static struct tdict *
fixed_data(void)
{
	struct tdict *d, *post, *net;
	int i, j;

	d = tdict_new();
	tdict_set(d, "first_name", "Ada <&>");
	tdict_set(d, "empty", "");
	tdict_set_int(d, "zero", 0);
	tdict_set_int(d, "n", 12);
	tdict_set_bool(d, "yes", 1);
	tdict_set_bool(d, "no", 0);
	for (i = 0; i < 2; i++) {
		post = tdict_add_item(d, "posts");
		tdict_set(post, "title", i ? "Second \"post\"" : "First's");
		for (j = 0; j < 2; j++) {
			net = tdict_add_item(post, "networks");
			tdict_set(net, "label", j ? "X" : "LinkedIn");
			tdict_set(net, "link", "https://c.example/AbCdEf1234");
		}
	}
	return d;
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tdict *d;
	struct template *t;
	struct buf a, b;
	char err[256];
	int mode, ra, rb;

	if (d == NULL)
		d = fixed_data();
	buf_init(&a, 1 << 16);
	buf_init(&b, 1 << 16);
	for (mode = 0; mode < 2; mode++) {
		t = template_compile("f.tmpl", (const char *)data, size,
		    mode ? TEMPLATE_TEXT : 0, err, sizeof(err));
		if (t == NULL) {
			if (strncmp(err, "f.tmpl:", 7) != 0)
				abort();
			continue;
		}
		buf_reset(&a);
		buf_reset(&b);
		ra = template_render(t, d, &a);
		rb = template_render(t, d, &b);
		if (ra != rb || a.len != b.len ||
		    (a.len > 0 && memcmp(a.data, b.data, a.len) != 0))
			abort();
		if (ra == -1 && a.len != 0)
			abort();
		template_free(t);
	}
	buf_release(&a);
	buf_release(&b);
	return 0;
}
