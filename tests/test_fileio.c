/*
 * Tests of fileio and hex: a write that signals keep cutting short still
 * delivers every byte in order; a directory's sync succeeds on a
 * directory, the parent of a name, and fails on anything else; every hex
 * digit reads back as the value it was written from.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/fileio.h"
#include "common/hex.h"

#define BIG	(4 * 1024 * 1024)

struct reader {
	int		 fd;
	unsigned char	*got;
	size_t		 n;
};

static void *
reader_main(void *arg)
{
	struct reader *r = arg;
	ssize_t k;

	/* Small reads, so the writer's pipe fills and its write blocks,
	 * to be cut short by the timer's signals. */
	while (r->n < BIG && (k = read(r->fd, r->got + r->n,
	    BIG - r->n < 512 ? BIG - r->n : 512)) != 0) {
		if (k == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		r->n += (size_t)k;
	}
	return NULL;
}

static void
on_alarm(int sig)
{
	(void)sig;
}

static void
test_write_interrupted(void **state)
{
	struct sigaction sa, old;
	struct itimerval it, stop;
	struct reader r;
	unsigned char *buf;
	pthread_t t;
	sigset_t set;
	int fds[2];
	size_t i;

	(void)state;
	buf = malloc(BIG);
	r.got = malloc(BIG);
	assert_non_null(buf);
	assert_non_null(r.got);
	for (i = 0; i < BIG; i++)
		buf[i] = (unsigned char)(i * 7 + i / 251);
	assert_int_equal(pipe(fds), 0);
	r.fd = fds[0];
	r.n = 0;
	/* The reader thread takes no signal: the writer's write does. */
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	assert_int_equal(pthread_sigmask(SIG_BLOCK, &set, NULL), 0);
	assert_int_equal(pthread_create(&t, NULL, reader_main, &r), 0);
	assert_int_equal(pthread_sigmask(SIG_UNBLOCK, &set, NULL), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: write returns */
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	memset(&it, 0, sizeof(it));
	it.it_interval.tv_usec = 200;
	it.it_value.tv_usec = 200;
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);

	assert_int_equal(fileio_write(fds[1], buf, BIG), 0);

	memset(&stop, 0, sizeof(stop));
	assert_int_equal(setitimer(ITIMER_REAL, &stop, NULL), 0);
	assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
	close(fds[1]);
	assert_int_equal(pthread_join(t, NULL), 0);
	close(fds[0]);
	assert_int_equal(r.n, BIG);
	assert_memory_equal(r.got, buf, BIG);
	free(buf);
	free(r.got);
}

static void
test_write_error(void **state)
{
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	assert_int_equal(fileio_write(fds[1], "x", 1), -1);
	assert_int_equal(errno, EPIPE);
	close(fds[1]);
	/* Nothing to write: nothing done, even on a bad descriptor. */
	assert_int_equal(fileio_write(-1, "", 0), 0);
}

static void
test_sync_dir(void **state)
{
	char dir[] = "/tmp/test_fileio.XXXXXX", path[64];
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	assert_non_null(fp = fopen(path, "w"));
	fclose(fp);
	assert_int_equal(fileio_sync_dir(dir), 0);
	assert_int_equal(fileio_sync_parent(path), 0);
	/* A name without a directory: the current one. */
	assert_int_equal(fileio_sync_parent("f"), 0);
	errno = 0;
	assert_int_equal(fileio_sync_dir(path), -1);
	assert_int_equal(errno, ENOTDIR);
	unlink(path);
	errno = 0;
	assert_int_equal(fileio_sync_dir(path), -1);
	assert_int_equal(errno, ENOENT);
	snprintf(path, sizeof(path), "%s/gone/f", dir);
	errno = 0;
	assert_int_equal(fileio_sync_parent(path), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(rmdir(dir), 0);
}

static void
test_hex(void **state)
{
	const char *digits = "0123456789abcdef";
	unsigned v;
	int c, n = 0;

	(void)state;
	for (v = 0; v < 16; v++) {
		assert_int_equal(hex_digit(v), digits[v]);
		assert_int_equal(hex_digit(v + 16 * 5), digits[v]);
		assert_int_equal(hex_value(digits[v]), (int)v);
		if (v >= 10)
			assert_int_equal(hex_value(digits[v] - 'a' + 'A'),
			    (int)v);
	}
	for (c = -1; c < 256; c++)
		n += hex_value(c) >= 0;
	assert_int_equal(n, 22);
	assert_int_equal(hex_value('g'), -1);
	assert_int_equal(hex_value('G'), -1);
	assert_int_equal(hex_value('/'), -1);
	assert_int_equal(hex_value(':'), -1);
	assert_int_equal(hex_value('@'), -1);
	assert_int_equal(hex_value('`'), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_interrupted),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_sync_dir),
		cmocka_unit_test(test_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
