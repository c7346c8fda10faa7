/*
 * test_mailer: the mailer's table of transports chosen by smtp.url, and
 * its queues driven through the file transport into a temporary outbox:
 * every message comes back once with its outcome, rendered on a worker
 * when submitted empty, refused unattempted when it cannot be rendered,
 * deferred when the outbox is gone. And the SMTP transport's own client
 * (no STARTTLS, no AUTH) against a small server on loopback: the message
 * dot-stuffed with CRLF line ends, a refused recipient, the next message
 * on the same session.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include <pthread.h>
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
#include "common/validate.h"
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
	struct config *cfg = config_new();
	void *st;

	(void)state;
	assert_non_null(b = mailer_backend_find("file:outbox"));
	assert_string_equal(b->name, "file");
	assert_non_null(b = mailer_backend_find("smtp://127.0.0.1:25"));
	assert_string_equal(b->name, "smtp");
	/* smtps:// reaches the SMTP transport, which takes it (nothing is
	 * connected before a message comes) and refuses a bad one. */
	assert_non_null(b = mailer_backend_find("smtps://h:465"));
	assert_string_equal(b->name, "smtp");
	assert_non_null(st = b->open("smtps://h", cfg));
	b->close(st);
	assert_null(b->open("smtps://h:0", cfg));
	config_free(cfg);
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

/* A reply kept as the ledger keeps text: one line of UTF-8, whatever
 * the server sent (Latin-1, a character cut by the buffer). */
static void
test_reply_utf8(void **state)
{
	struct mailer *m;
	struct mailer_msg *msg, *got;
	char longer[400];
	const char *why;
	size_t i;

	(void)state;
	m = file_mailer(NULL);
	msg = msg_new(1, "2026-11-23-00000001", "one\r\n");
	mailer_finish(m, msg, MAILER_SENT, 250, "%s",
	    "250 2.0.0 Nachricht angenommen\xe9\r\n\tqueued");
	assert_non_null(got = mailer_collect(m, 1000));
	assert_string_equal(got->reply,
	    "250 2.0.0 Nachricht angenommen?   queued");
	/* "500 " and 150 e-acutes of two bytes: the 256-byte buffer cuts
	 * the 126th in two. */
	longer[0] = '0';
	longer[1] = '0';
	longer[2] = ' ';
	for (i = 0; i < 150; i++) {
		longer[3 + 2 * i] = (char)0xc3;
		longer[4 + 2 * i] = (char)0xa9;
	}
	longer[3 + 2 * i] = '\0';
	mailer_finish(m, got, MAILER_SENT, 250, "5%s", longer);
	assert_non_null(got = mailer_collect(m, 1000));
	assert_int_equal(validate_utf8(got->reply, strlen(got->reply), &why),
	    0);
	assert_int_equal(got->reply[strlen(got->reply) - 1], '?');
	mailer_msg_free(got);
	mailer_free(m);
}

/* The render hook: the worker opens its context, fills empty messages;
 * id 2 cannot be rendered, id 3 not for now. */
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

/* Fails while refusals > 0, as a renderer whose database is down. */
static int refusals;

static void *
r_open_down(void *arg)
{
	if (__atomic_sub_fetch(&refusals, 1, __ATOMIC_SEQ_CST) >= 0)
		return NULL;
	return r_open(arg);
}

static int
r_render(void *ctx, struct mailer_msg *msg)
{
	/* On a worker thread: no cmocka assertion here. */
	if (strcmp(ctx, "ctx") != 0 || msg->id == 2)
		return -1;
	if (msg->id == 3)	/* its database away for now */
		return -2;
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
	struct mailer_msg *got[3] = { NULL, NULL, NULL };
	char path[256];

	(void)state;
	m = file_mailer(&r);
	mailer_submit(m, msg_new(1, "r1", NULL));
	mailer_submit(m, msg_new(2, "r2", NULL));
	mailer_submit(m, msg_new(3, "r3", NULL));
	collect_all(m, got, 3);
	assert_int_equal(got[0]->status, MAILER_SENT);
	assert_string_equal(got[0]->rcpt, "r1@example.com");
	assert_int_equal(got[1]->status, MAILER_PERM);
	assert_int_equal(got[1]->attempted, 0);
	assert_string_equal(got[1]->reply, "could not render the digest");
	snprintf(path, sizeof(path), "%s/r2.eml", outbox);
	assert_int_equal(access(path, F_OK), -1);
	/* Deferred, not failed: what it is made from could not be read. */
	assert_int_equal(got[2]->status, MAILER_TEMP);
	assert_int_equal(got[2]->attempted, 0);
	assert_string_equal(got[2]->reply,
	    "could not read the database to render the digest");
	mailer_msg_free(got[0]);
	mailer_msg_free(got[1]);
	mailer_msg_free(got[2]);
	mailer_free(m);
	/* One context per worker, closed when the mailer is freed. */
	assert_int_equal(opened, 2);
	assert_int_equal(closed, 2);
}

/* A renderer that cannot open its database defers the message, never
 * fails it for good; it tries again for the next one. */
static void
test_render_down(void **state)
{
	static char ctx[] = "ctx";
	struct mailer_render r = { r_open_down, r_close, r_render, ctx };
	struct mailer *m;
	struct mailer_msg *got[3] = { NULL, NULL, NULL };
	size_t i, sent = 0, temp = 0;

	(void)state;
	opened = closed = 0;
	/* Both workers' opens at start, and one more try, fail. */
	refusals = 3;
	m = file_mailer(&r);
	/* Both start opens made before the first message, so that the one
	 * more try is that message's (a worker slow to start would take the
	 * last refusal for d4 instead); at most 5 s, a bound of the test. */
	for (i = 0; i < 500 && __atomic_load_n(&refusals,
	    __ATOMIC_SEQ_CST) > 1; i++)
		usleep(10 * 1000);
	assert_true(__atomic_load_n(&refusals, __ATOMIC_SEQ_CST) <= 1);
	mailer_submit(m, msg_new(1, "d1", NULL));
	collect_all(m, got, 1);
	assert_int_equal(got[0]->status, MAILER_TEMP);
	assert_int_equal(got[0]->attempted, 0);
	assert_string_equal(got[0]->reply,
	    "could not open the database to render the digest");
	/* Open again: the next ones are rendered and sent. */
	mailer_submit(m, msg_new(4, "d4", NULL));
	mailer_submit(m, msg_new(5, "d5", NULL));
	for (i = 1; i < 3; i++)
		assert_non_null(got[i] = mailer_collect(m, 5000));
	for (i = 0; i < 3; i++) {
		sent += got[i]->status == MAILER_SENT;
		temp += got[i]->status == MAILER_TEMP;
		mailer_msg_free(got[i]);
	}
	assert_int_equal(sent, 2);
	assert_int_equal(temp, 1);
	mailer_free(m);
	assert_int_equal(opened, closed);
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

/* A small SMTP server for one session: PIPELINING, a recipient with
 * "bad" in it refused with 550, each message's data kept as received. */
struct fake {
	int		 lfd;
	int		 old;		/* no EHLO (HELO only), no PIPELINING */
	char		 data[4][512];	/* as on the wire, up to "." */
	int		 ndata;
	int		 sessions;
	char		 cmds[1024];	/* the commands, one a line */
};

/* Appends len bytes of s to out (size cap), and a "\n" when s is a
 * command (no line end of its own). */
static void
note(char *out, size_t cap, const char *s, size_t len)
{
	size_t have = strlen(out);
	int cmd = len == 0 || s[len - 1] != '\n';

	if (have + len + 2 > cap)
		return;
	memcpy(out + have, s, len);
	if (cmd)
		out[have + len++] = '\n';
	out[have + len] = '\0';
}

static void *
fake_serve(void *arg)
{
	struct fake *f = arg;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *fp;
	int fd, rcpt_ok = 0;

	if ((fd = accept(f->lfd, NULL, NULL)) == -1 ||
	    (fp = fdopen(fd, "r+")) == NULL)
		return NULL;
	f->sessions++;
	setvbuf(fp, NULL, _IONBF, 0);
	fputs("220 fake ESMTP\r\n", fp);
	while ((n = getline(&line, &cap, fp)) > 0) {
		note(f->cmds, sizeof(f->cmds), line, (size_t)n - 2);
		if (strncmp(line, "EHLO", 4) == 0 && f->old)
			fputs("502 5.5.2 EHLO? never heard of it\r\n", fp);
		else if (strncmp(line, "HELO", 4) == 0)
			fputs("250 fake\r\n", fp);
		else if (strncmp(line, "EHLO", 4) == 0)
			fputs("250-fake\r\n250-PIPELINING\r\n250 8BITMIME\r\n",
			    fp);
		else if (strncmp(line, "MAIL", 4) == 0) {
			rcpt_ok = 0;
			fputs("250 2.1.0 Ok\r\n", fp);
		} else if (strncmp(line, "RCPT", 4) == 0) {
			if (strstr(line, "bad") != NULL)
				fputs("550 5.1.1 no such user\r\n", fp);
			else {
				rcpt_ok = 1;
				fputs("250 2.1.5 Ok\r\n", fp);
			}
		} else if (strncmp(line, "DATA", 4) == 0) {
			if (!rcpt_ok) {
				fputs("554 5.5.1 no valid recipients\r\n",
				    fp);
				continue;
			}
			fputs("354 go ahead\r\n", fp);
			while ((n = getline(&line, &cap, fp)) > 0) {
				if (strcmp(line, ".\r\n") == 0)
					break;
				if (f->ndata < 4)
					note(f->data[f->ndata],
					    sizeof(f->data[0]), line,
					    (size_t)n);
			}
			f->ndata++;
			fputs("250 2.0.0 queued\r\n", fp);
		} else if (strncmp(line, "RSET", 4) == 0)
			fputs("250 2.0.0 Ok\r\n", fp);
		else if (strncmp(line, "QUIT", 4) == 0) {
			fputs("221 2.0.0 Bye\r\n", fp);
			break;
		} else
			fputs("502 5.5.2 what?\r\n", fp);
	}
	free(line);
	fclose(fp);
	return NULL;
}

/* Three messages through the client to the fake server: a message with
 * leading dots, a bare LF and no line end at its end; one to a refused
 * recipient; one more on the same session. */
static void
smtp_direct(struct fake *f, struct mailer_msg **got)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct config *cfg = config_new();
	struct mailer *m;
	struct mailer_msg *msg;
	pthread_t th;
	char url[64];

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_not_equal(f->lfd = socket(AF_INET, SOCK_STREAM, 0), -1);
	assert_int_equal(bind(f->lfd, (struct sockaddr *)&sin, sizeof(sin)),
	    0);
	assert_int_equal(listen(f->lfd, 4), 0);
	assert_int_equal(getsockname(f->lfd, (struct sockaddr *)&sin, &len),
	    0);
	assert_int_equal(pthread_create(&th, NULL, fake_serve, f), 0);

	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", ntohs(sin.sin_port));
	assert_int_equal(config_set(cfg, "smtp.url", url, "test"), 0);
	assert_int_equal(config_set(cfg, "smtp.connections", "1", "test"), 0);
	assert_int_equal(config_set(cfg, "smtp.timeout", "5", "test"), 0);
	assert_int_equal(config_set(cfg, "digest.from",
	    "Comms <comms@example.com>", "test"), 0);
	assert_non_null(m = mailer_new(cfg, NULL));
	config_free(cfg);
	mailer_submit(m, msg_new(1, "m1", "Subject: one\n\r\n.dot\r\n"
	    "..two\r\nmid.dle\r\nlast"));
	msg = msg_new(2, "m2", "Subject: two\r\n\r\nbody\r\n");
	snprintf(msg->rcpt, sizeof(msg->rcpt), "bad@example.com");
	mailer_submit(m, msg);
	mailer_submit(m, msg_new(3, "m3", ".\r\nSubject: three\r\n\r\nx\r\n"));
	collect_all(m, got, 3);
	mailer_free(m);
	pthread_join(th, NULL);
	close(f->lfd);

	assert_int_equal(got[0]->status, MAILER_SENT);
	assert_int_equal(got[0]->code, 250);
	assert_int_equal(got[0]->attempted, 1);
	assert_string_equal(got[0]->reply, "250 queued");
	assert_int_equal(got[1]->status, MAILER_PERM);
	assert_int_equal(got[1]->code, 550);
	assert_string_equal(got[1]->reply, "550 no such user");
	assert_int_equal(got[2]->status, MAILER_SENT);
	/* One session for all three, each message as the server read it. */
	assert_int_equal(f->sessions, 1);
	assert_int_equal(f->ndata, 2);
	assert_string_equal(f->data[0], "Subject: one\r\n\r\n..dot\r\n"
	    "...two\r\nmid.dle\r\nlast\r\n");
	assert_string_equal(f->data[1],
	    "..\r\nSubject: three\r\n\r\nx\r\n");
	assert_non_null(strstr(f->cmds, "MAIL FROM:<comms@example.com>\n"
	    "RCPT TO:<a@example.com>\nDATA\n"));
	assert_non_null(strstr(f->cmds, "QUIT\n"));
	mailer_msg_free(got[0]);
	mailer_msg_free(got[1]);
	mailer_msg_free(got[2]);
}

/* With PIPELINING: DATA follows the refused RCPT (sent together), then
 * RSET. */
static void
test_smtp_direct(void **state)
{
	struct fake f;
	struct mailer_msg *got[3] = { NULL, NULL, NULL };

	(void)state;
	memset(&f, 0, sizeof(f));
	smtp_direct(&f, got);
	assert_non_null(strstr(f.cmds, "EHLO "));
	assert_null(strstr(f.cmds, "HELO "));
	assert_non_null(strstr(f.cmds,
	    "RCPT TO:<bad@example.com>\nDATA\nRSET\n"));
}

/* A server that knows no EHLO: HELO, and one command at a time, so no
 * DATA after the refused RCPT. */
static void
test_smtp_direct_old(void **state)
{
	struct fake f;
	struct mailer_msg *got[3] = { NULL, NULL, NULL };

	(void)state;
	memset(&f, 0, sizeof(f));
	f.old = 1;
	smtp_direct(&f, got);
	assert_non_null(strstr(f.cmds, "EHLO "));
	assert_non_null(strstr(f.cmds, "HELO "));
	assert_non_null(strstr(f.cmds, "RCPT TO:<bad@example.com>\nRSET\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backends),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_reply_utf8),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_down),
		cmocka_unit_test(test_write_fails),
		cmocka_unit_test(test_smtp_direct),
		cmocka_unit_test(test_smtp_direct_old),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
