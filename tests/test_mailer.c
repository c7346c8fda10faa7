/*
 * test_mailer: the mailer's table of transports chosen by smtp.url, and
 * its queues driven through the file transport into a temporary outbox:
 * every message comes back once with its outcome, rendered on a worker
 * when submitted empty, refused unattempted when it cannot be rendered,
 * deferred when the outbox is gone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/log.h"
#include "digest/mailer.h"

static char tmpdir[] = "/tmp/chorus-test-mailer.XXXXXX";
static char outbox[128];

static int
setup(void **state)
{
	(void)state;
	log_init("chorus", LOG_LEVEL_ERROR);
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(outbox, sizeof(outbox), "%s/outbox", tmpdir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct mailer *
file_mailer(const struct mailer_render *r)
{
	struct config *cfg = config_new();
	struct mailer *m;
	char url[160];

	snprintf(url, sizeof(url), "file:%s", outbox);
	assert_int_equal(config_set(cfg, "smtp.url", url, "test"), 0);
	assert_int_equal(config_set(cfg, "smtp.connections", "2", "test"), 0);
	m = mailer_new(cfg, r);
	config_free(cfg);
	assert_non_null(m);
	assert_string_equal(mailer_target(m), url);
	return m;
}

static struct mailer_msg *
msg_new(int64_t id, const char *name, const char *body)
{
	struct mailer_msg *msg = mailer_msg_new(1024);

	msg->id = id;
	msg->tries = 1;
	snprintf(msg->name, sizeof(msg->name), "%s", name);
	snprintf(msg->rcpt, sizeof(msg->rcpt), "a@example.com");
	if (body != NULL)
		assert_int_equal(buf_add(&msg->data, body, strlen(body)), 0);
	return msg;
}

/* Collects n messages into got[] by id (1..n). */
static void
collect_all(struct mailer *m, struct mailer_msg **got, int n)
{
	struct mailer_msg *msg;
	int i;

	for (i = 0; i < n; i++) {
		msg = mailer_collect(m, 5000);
		assert_non_null(msg);
		assert_true(msg->id >= 1 && msg->id <= n);
		assert_null(got[msg->id - 1]);
		got[msg->id - 1] = msg;
	}
	assert_int_equal(mailer_pending(m), 0);
	assert_null(mailer_collect(m, 0));
}

static void
test_backends(void **state)
{
	const struct mailer_backend *b;

	(void)state;
	assert_non_null(b = mailer_backend_find("file:outbox"));
	assert_string_equal(b->name, "file");
	assert_non_null(b = mailer_backend_find("smtp://127.0.0.1:25"));
	assert_string_equal(b->name, "smtp");
	/* smtps:// reaches the SMTP transport, which refuses it. */
	assert_non_null(b = mailer_backend_find("smtps://h:465"));
	assert_string_equal(b->name, "smtp");
	assert_null(b->open("smtps://h:465", NULL));
	assert_null(mailer_backend_find("http://h/"));
	assert_null(mailer_backend_find("outbox"));

	assert_int_equal(mailer_classify(250), MAILER_SENT);
	assert_int_equal(mailer_classify(451), MAILER_TEMP);
	assert_int_equal(mailer_classify(550), MAILER_PERM);
	assert_int_equal(mailer_classify(0), MAILER_TEMP);
}

static void
test_file(void **state)
{
	struct mailer *m;
	struct mailer_msg *got[3] = { NULL, NULL, NULL };
	char path[256], body[64];
	FILE *fp;
	size_t n;
	int i;

	(void)state;
	m = file_mailer(NULL);
	mailer_submit(m, msg_new(1, "2026-11-23-00000001", "one\r\n"));
	mailer_submit(m, msg_new(2, "2026-11-23-00000002", "two\r\n"));
	mailer_submit(m, msg_new(3, "2026-11-23-00000003", "three\r\n"));
	collect_all(m, got, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(got[i]->status, MAILER_SENT);
		assert_int_equal(got[i]->attempted, 1);
		assert_non_null(strstr(got[i]->reply, "written to "));
		snprintf(path, sizeof(path), "%s/%s.eml", outbox,
		    got[i]->name);
		assert_non_null(fp = fopen(path, "r"));
		n = fread(body, 1, sizeof(body) - 1, fp);
		fclose(fp);
		body[n] = '\0';
		assert_int_equal(n, got[i]->data.len);
		assert_memory_equal(body, got[i]->data.data, n);
		mailer_msg_free(got[i]);
	}
	mailer_free(m);
}

/* The render hook: the worker opens its context, fills empty messages;
 * id 2 cannot be rendered. */
static int opened, closed;

static void *
r_open(void *arg)
{
	__atomic_add_fetch(&opened, 1, __ATOMIC_SEQ_CST);
	return arg;
}

static void
r_close(void *ctx)
{
	(void)ctx;
	__atomic_add_fetch(&closed, 1, __ATOMIC_SEQ_CST);
}

static int
r_render(void *ctx, struct mailer_msg *msg)
{
	/* On a worker thread: no cmocka assertion here. */
	if (strcmp(ctx, "ctx") != 0 || msg->id == 2)
		return -1;
	snprintf(msg->rcpt, sizeof(msg->rcpt), "r%lld@example.com",
	    (long long)msg->id);
	return buf_add(&msg->data, "rendered\r\n", 10);
}

static void
test_render(void **state)
{
	static char ctx[] = "ctx";
	struct mailer_render r = { r_open, r_close, r_render, ctx };
	struct mailer *m;
	struct mailer_msg *got[2] = { NULL, NULL };
	char path[256];

	(void)state;
	m = file_mailer(&r);
	mailer_submit(m, msg_new(1, "r1", NULL));
	mailer_submit(m, msg_new(2, "r2", NULL));
	collect_all(m, got, 2);
	assert_int_equal(got[0]->status, MAILER_SENT);
	assert_string_equal(got[0]->rcpt, "r1@example.com");
	assert_int_equal(got[1]->status, MAILER_PERM);
	assert_int_equal(got[1]->attempted, 0);
	assert_string_equal(got[1]->reply, "could not render the digest");
	snprintf(path, sizeof(path), "%s/r2.eml", outbox);
	assert_int_equal(access(path, F_OK), -1);
	mailer_msg_free(got[0]);
	mailer_msg_free(got[1]);
	mailer_free(m);
	/* One context per worker, closed when the mailer is freed. */
	assert_int_equal(opened, 2);
	assert_int_equal(closed, 2);
}

/* The outbox vanishes: the write fails, the message is deferred. */
static void
test_write_fails(void **state)
{
	struct mailer *m;
	struct mailer_msg *got[1] = { NULL };
	char cmd[160];

	(void)state;
	m = file_mailer(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", outbox);
	assert_int_equal(system(cmd), 0);
	mailer_submit(m, msg_new(1, "gone", "x\r\n"));
	collect_all(m, got, 1);
	assert_int_equal(got[0]->status, MAILER_TEMP);
	assert_int_equal(got[0]->attempted, 1);
	assert_non_null(strstr(got[0]->reply, "create '"));
	mailer_msg_free(got[0]);
	mailer_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backends),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_write_fails),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
