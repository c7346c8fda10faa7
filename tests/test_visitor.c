/*
 * Tests of the visitor hash (known answers computed here with libcrypto,
 * key rotation by UTC day with a scripted random source), of the day key
 * shared through a store (a fake one in memory, then db/daykey.c on a real
 * database, and db_admin_backup() leaving the keys out), and of the repeat
 * table (30-minute window, per link, bounded with eviction).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sqlite3.h>
#include <cmocka.h>

#include "common/log.h"
#include "db/admin.h"
#include "db/daykey.h"
#include "db/db.h"
#include "redirector/visitor.h"

#define DAY	86400
#define T0	((time_t)1764000000)	/* 2025-11-24 16:00:00 UTC */

/* The scripted random source: key n is 32 bytes of value n. */
static int draws;

static void
fake_rand(void *buf, size_t n)
{
	draws++;
	memset(buf, draws, n);
}

static void
expect(int keyno, const void *addr, size_t alen, const char *ua,
    const unsigned char got[VISITOR_LEN])
{
	unsigned char key[VISITOR_KEY_LEN], msg[2048], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;
	size_t ulen = ua ? strlen(ua) : 0;

	if (ulen > VISITOR_UA_MAX)
		ulen = VISITOR_UA_MAX;
	memset(key, keyno, sizeof(key));
	msg[0] = (unsigned char)alen;
	memcpy(msg + 1, addr, alen);
	memcpy(msg + 1 + alen, ua ? ua : "", ulen);
	HMAC(EVP_sha256(), key, sizeof(key), msg, 1 + alen + ulen, md, &mdlen);
	assert_int_equal(memcmp(md, got, VISITOR_LEN), 0);
}

static const unsigned char v4a[4] = { 192, 0, 2, 1 };
static const unsigned char v4b[4] = { 192, 0, 2, 2 };
static const unsigned char v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

static void
test_hash(void **state)
{
	struct visitor_key *k;
	unsigned char a[VISITOR_LEN], b[VISITOR_LEN];

	(void)state;
	draws = 0;
	k = visitor_key_new(fake_rand);
	assert_int_equal(draws, 0);		/* no key before first use */
	assert_int_equal(visitor_hash(k, T0, v4a, 4, "UA one", a), 0);
	assert_int_equal(draws, 1);
	expect(1, v4a, 4, "UA one", a);
	/* same day, same input: same id; no new key */
	assert_int_equal(visitor_hash(k, T0 + 3600, v4a, 4, "UA one", b), 0);
	assert_int_equal(memcmp(a, b, VISITOR_LEN), 0);
	assert_int_equal(draws, 1);
	/* another address or User-Agent: another id */
	assert_int_equal(visitor_hash(k, T0, v4b, 4, "UA one", b), 0);
	assert_true(memcmp(a, b, VISITOR_LEN) != 0);
	expect(1, v4b, 4, "UA one", b);
	assert_int_equal(visitor_hash(k, T0, v4a, 4, "UA two", b), 0);
	assert_true(memcmp(a, b, VISITOR_LEN) != 0);
	/* no User-Agent hashes like an empty one; IPv6 */
	assert_int_equal(visitor_hash(k, T0, v6a, 16, NULL, b), 0);
	expect(1, v6a, 16, "", b);
	/* bad address lengths */
	assert_int_equal(visitor_hash(k, T0, v6a, 0, "x", b), -1);
	assert_int_equal(visitor_hash(k, T0, v6a, 8, "x", b), -1);
	visitor_key_free(k);
}

/* Only the first VISITOR_UA_MAX bytes of the User-Agent count. */
static void
test_long_ua(void **state)
{
	static char ua1[VISITOR_UA_MAX + 100], ua2[VISITOR_UA_MAX + 100];
	struct visitor_key *k;
	unsigned char a[VISITOR_LEN], b[VISITOR_LEN];

	(void)state;
	draws = 0;
	k = visitor_key_new(fake_rand);
	memset(ua1, 'a', sizeof(ua1) - 1);
	memset(ua2, 'a', sizeof(ua2) - 1);
	ua2[VISITOR_UA_MAX + 50] = 'b';
	assert_int_equal(visitor_hash(k, T0, v4a, 4, ua1, a), 0);
	assert_int_equal(visitor_hash(k, T0, v4a, 4, ua2, b), 0);
	assert_int_equal(memcmp(a, b, VISITOR_LEN), 0);
	expect(1, v4a, 4, ua1, a);
	ua2[VISITOR_UA_MAX - 1] = 'b';
	assert_int_equal(visitor_hash(k, T0, v4a, 4, ua2, b), 0);
	assert_true(memcmp(a, b, VISITOR_LEN) != 0);
	visitor_key_free(k);
}

/* A new key at each UTC midnight, never for a day that is over. */
static void
test_rotation(void **state)
{
	struct visitor_key *k;
	unsigned char a[VISITOR_LEN], b[VISITOR_LEN];
	time_t midnight = (T0 / DAY + 1) * DAY;

	(void)state;
	draws = 0;
	k = visitor_key_new(fake_rand);
	assert_int_equal(visitor_key_rotate(k, midnight - 1), 1);
	assert_int_equal(visitor_key_rotate(k, midnight - 1), 0);
	assert_int_equal(visitor_hash(k, midnight - 1, v4a, 4, "u", a), 0);
	expect(1, v4a, 4, "u", a);
	assert_int_equal(visitor_hash(k, midnight, v4a, 4, "u", b), 0);
	assert_int_equal(draws, 2);
	expect(2, v4a, 4, "u", b);
	assert_true(memcmp(a, b, VISITOR_LEN) != 0);
	/* a late request from before midnight takes today's key */
	assert_int_equal(visitor_hash(k, midnight - 1, v4a, 4, "u", a), 0);
	assert_int_equal(draws, 2);
	assert_int_equal(memcmp(a, b, VISITOR_LEN), 0);
	/* the timer's rotate follows the clock even backwards */
	assert_int_equal(visitor_key_rotate(k, midnight + DAY - 1), 0);
	assert_int_equal(visitor_key_rotate(k, midnight + DAY), 1);
	assert_int_equal(visitor_key_rotate(k, midnight - 10), 1);
	assert_int_equal(draws, 4);
	/* before 1970 days are floored, not truncated towards zero */
	assert_int_equal(visitor_key_rotate(k, -1), 1);
	assert_int_equal(visitor_key_rotate(k, 0), 1);
	assert_int_equal(visitor_key_rotate(k, DAY - 1), 0);
	visitor_key_free(k);
}

struct worker {
	struct visitor_key	*k;
	time_t			 midnight;
	int			 bad;
};

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	unsigned char id[VISITOR_LEN];
	int i;

	for (i = 0; i < 2000; i++)
		if (visitor_hash(w->k, w->midnight - 1 + (i % 3 == 0), v4a, 4,
		    "u", id) != 0)
			w->bad++;
	return NULL;
}

/* Threads hashing across midnight draw exactly one new key between them. */
static void
test_threads(void **state)
{
	struct worker w[4];
	pthread_t t[4];
	time_t midnight = (T0 / DAY + 1) * DAY;
	unsigned char id[VISITOR_LEN];
	int i;

	(void)state;
	draws = 0;
	memset(w, 0, sizeof(w));
	w[0].k = visitor_key_new(fake_rand);
	assert_int_equal(visitor_key_rotate(w[0].k, midnight - 1), 1);
	for (i = 0; i < 4; i++) {
		w[i].k = w[0].k;
		w[i].midnight = midnight;
		assert_int_equal(pthread_create(&t[i], NULL, worker_run, &w[i]),
		    0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].bad, 0);
	}
	assert_int_equal(draws, 2);
	assert_int_equal(visitor_hash(w[0].k, midnight, v4a, 4, "u", id), 0);
	expect(2, v4a, 4, "u", id);
	visitor_key_free(w[0].k);
}

/*
 * The fake store: the rows of visitor_keys in memory, with the same rules
 * as db/daykey.c (first offer wins, days before keep_from forgotten).
 */
#define FAKE_ROWS	8

struct fake_store {
	struct {
		int64_t		 day;
		unsigned char	 key[VISITOR_KEY_LEN];
	} row[FAKE_ROWS];
	int		 nrows;
	int		 calls;
	int		 fail;		/* answer -1, changing nothing */
	int64_t		 last_day, last_keep;
};

static int
fake_store(void *arg, int64_t day, int64_t keep_from,
    const unsigned char fresh[VISITOR_KEY_LEN],
    unsigned char out[VISITOR_KEY_LEN])
{
	struct fake_store *f = arg;
	int i, j, found = -1;

	f->calls++;
	f->last_day = day;
	f->last_keep = keep_from;
	if (f->fail)
		return -1;
	for (i = 0; i < f->nrows; i++)
		if (f->row[i].day == day)
			found = i;
	if (found == -1) {
		assert_true(f->nrows < FAKE_ROWS);
		found = f->nrows++;
		f->row[found].day = day;
		memcpy(f->row[found].key, fresh, VISITOR_KEY_LEN);
	}
	memcpy(out, f->row[found].key, VISITOR_KEY_LEN);
	for (i = j = 0; i < f->nrows; i++)
		if (f->row[i].day >= keep_from)
			f->row[j++] = f->row[i];
	f->nrows = j;
	return 0;
}

/* Through a call: the store reads it behind visitor_hash(). */
static void
fake_fail(struct fake_store *f, int fail)
{
	f->fail = fail;
}

/* The fake_rand draw whose bytes the store holds for day, -1 if none. */
static int
fake_keyno(const struct fake_store *f, int64_t day)
{
	int i;

	for (i = 0; i < f->nrows; i++)
		if (f->row[i].day == day)
			return f->row[i].key[0];
	return -1;
}

#define DAY0	((int64_t)(T0 / DAY))

static int saved_stderr = -1;
static char logpath[64];

static void
capture_begin(void)
{
	int fd;

	snprintf(logpath, sizeof(logpath), "/tmp/test_visitor.%ld.log",
	    (long)getpid());
	fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

/* Ends the capture; returns how many lines of the log contain what. */
static int
capture_end(const char *what)
{
	char line[1024];
	FILE *fp;
	int n = 0;

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	fp = fopen(logpath, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strstr(line, what) != NULL)
			n++;
	fclose(fp);
	unlink(logpath);
	return n;
}

static void
same_id(struct visitor_key *a, struct visitor_key *b, time_t now)
{
	unsigned char x[VISITOR_LEN], y[VISITOR_LEN];

	assert_int_equal(visitor_hash(a, now, v4a, 4, "UA one", x), 0);
	assert_int_equal(visitor_hash(b, now, v4a, 4, "UA one", y), 0);
	assert_int_equal(memcmp(x, y, VISITOR_LEN), 0);
}

/* Two processes, a restart and the next day, over one store. */
static void
test_store_shared(void **state)
{
	struct fake_store f;
	struct visitor_key *k1, *k2, *k3;
	unsigned char a[VISITOR_LEN], b[VISITOR_LEN];
	time_t midnight = (T0 / DAY + 1) * DAY;

	(void)state;
	memset(&f, 0, sizeof(f));
	draws = 0;
	k1 = visitor_key_new(fake_rand);
	k2 = visitor_key_new(fake_rand);
	visitor_key_set_store(k1, fake_store, &f);
	visitor_key_set_store(k2, fake_store, &f);
	/* the first to ask decides: draw 1; k2's candidate (2) is dropped */
	assert_int_equal(visitor_hash(k1, T0, v4a, 4, "UA one", a), 0);
	assert_int_equal(visitor_hash(k2, T0 + 60, v4a, 4, "UA one", b), 0);
	assert_int_equal(draws, 2);
	assert_int_equal(f.calls, 2);
	expect(1, v4a, 4, "UA one", a);
	assert_int_equal(memcmp(a, b, VISITOR_LEN), 0);
	assert_int_equal(f.last_day, DAY0);
	assert_int_equal(f.last_keep, DAY0);
	/* a restart: a new object, the same id */
	visitor_key_free(k1);
	k3 = visitor_key_new(fake_rand);
	visitor_key_set_store(k3, fake_store, &f);
	assert_int_equal(visitor_hash(k3, T0 + 7200, v4a, 4, "UA one", b), 0);
	assert_int_equal(memcmp(a, b, VISITOR_LEN), 0);
	/* the next day: another id, the same on both, yesterday's row gone */
	same_id(k2, k3, midnight);
	assert_int_equal(visitor_hash(k3, midnight, v4a, 4, "UA one", b), 0);
	assert_true(memcmp(a, b, VISITOR_LEN) != 0);
	assert_int_equal(fake_keyno(&f, DAY0), -1);
	assert_int_equal(f.nrows, 1);
	expect(fake_keyno(&f, DAY0 + 1), v4a, 4, "UA one", b);
	/* a key drawn before the store was set is replaced at the prefetch */
	k1 = visitor_key_new(fake_rand);
	assert_int_equal(visitor_hash(k1, midnight + 5, v4a, 4, "UA one", a),
	    0);
	assert_true(memcmp(a, b, VISITOR_LEN) != 0);
	visitor_key_set_store(k1, fake_store, &f);
	visitor_key_prefetch(k1, midnight + 10);
	same_id(k1, k3, midnight + 20);
	visitor_key_free(k1);
	visitor_key_free(k2);
	visitor_key_free(k3);
}

/* The tick fetches tomorrow's key; midnight then needs no store. */
static void
test_prefetch(void **state)
{
	struct fake_store f;
	struct visitor_key *k, *other;
	unsigned char a[VISITOR_LEN];
	time_t midnight = (T0 / DAY + 1) * DAY;

	(void)state;
	memset(&f, 0, sizeof(f));
	draws = 0;
	k = visitor_key_new(fake_rand);
	visitor_key_set_store(k, fake_store, &f);
	visitor_key_prefetch(k, T0);
	assert_int_equal(f.calls, 2);		/* today, tomorrow */
	assert_int_equal(f.last_day, DAY0 + 1);
	assert_int_equal(f.last_keep, DAY0);	/* today's is kept */
	assert_int_equal(f.nrows, 2);
	assert_int_equal(fake_keyno(&f, DAY0), 1);
	assert_int_equal(fake_keyno(&f, DAY0 + 1), 2);
	/* a second tick: all in hand, no store call */
	visitor_key_prefetch(k, T0 + 30);
	assert_int_equal(f.calls, 2);
	assert_int_equal(visitor_hash(k, T0, v4a, 4, "u", a), 0);
	expect(1, v4a, 4, "u", a);
	/* midnight with the database gone: the prefetched key, no call */
	fake_fail(&f, 1);
	assert_int_equal(visitor_hash(k, midnight, v4a, 4, "u", a), 0);
	assert_int_equal(f.calls, 2);
	expect(2, v4a, 4, "u", a);
	/* a late request from before midnight takes today's key too */
	assert_int_equal(visitor_hash(k, midnight - 1, v4a, 4, "u", a), 0);
	expect(2, v4a, 4, "u", a);
	/* the next tick fetches the day after and forgets yesterday */
	fake_fail(&f, 0);
	visitor_key_prefetch(k, midnight + 30);
	assert_int_equal(f.calls, 3);
	assert_int_equal(f.last_day, DAY0 + 2);
	assert_int_equal(f.last_keep, DAY0 + 1);
	assert_int_equal(fake_keyno(&f, DAY0), -1);
	assert_int_equal(fake_keyno(&f, DAY0 + 2), 3);
	/* another process at midnight reads the same prefetched key */
	other = visitor_key_new(fake_rand);
	visitor_key_set_store(other, fake_store, &f);
	same_id(k, other, midnight + 40);
	/* a tick whose clock is a little behind a request's: today's
	 * shared key becomes tomorrow's again, not a store call at
	 * midnight */
	visitor_key_rotate(k, midnight + DAY);
	fake_fail(&f, 1);
	capture_begin();
	visitor_key_prefetch(k, midnight + DAY - 1);
	(void)capture_end("");
	assert_int_equal(visitor_hash(k, midnight + DAY, v4a, 4, "u", a), 0);
	expect(3, v4a, 4, "u", a);
	visitor_key_free(other);
	visitor_key_free(k);
}

/* A failing store: a key of the process's own, one warning, the store
 * retried at each tick, the shared key once it answers. */
static void
test_store_failure(void **state)
{
	struct fake_store f;
	struct visitor_key *k, *other;
	unsigned char a[VISITOR_LEN], b[VISITOR_LEN];

	(void)state;
	memset(&f, 0, sizeof(f));
	fake_fail(&f, 1);
	draws = 0;
	k = visitor_key_new(fake_rand);
	visitor_key_set_store(k, fake_store, &f);
	capture_begin();
	assert_int_equal(visitor_hash(k, T0, v4a, 4, "u", a), 0);
	expect(1, v4a, 4, "u", a);	/* the candidate, kept locally */
	assert_int_equal(f.calls, 1);
	/* ticks retry (today only: tomorrow waits); the key stays */
	visitor_key_prefetch(k, T0 + 30);
	visitor_key_prefetch(k, T0 + 60);
	assert_int_equal(f.calls, 3);
	assert_int_equal(visitor_hash(k, T0 + 90, v4a, 4, "u", b), 0);
	assert_int_equal(memcmp(a, b, VISITOR_LEN), 0);
	assert_int_equal(capture_end("cannot share the visitor key"), 1);
	/* the database is back: the tick switches to the shared key and
	 * fetches tomorrow's */
	fake_fail(&f, 0);
	capture_begin();
	visitor_key_prefetch(k, T0 + 120);
	assert_int_equal(capture_end("shared through the database again"), 1);
	assert_int_equal(f.calls, 5);
	assert_int_equal(f.nrows, 2);
	assert_int_equal(visitor_hash(k, T0 + 150, v4a, 4, "u", b), 0);
	assert_true(memcmp(a, b, VISITOR_LEN) != 0);
	expect(fake_keyno(&f, DAY0), v4a, 4, "u", b);
	other = visitor_key_new(fake_rand);
	visitor_key_set_store(other, fake_store, &f);
	same_id(k, other, T0 + 160);
	/* failing again warns again, once */
	fake_fail(&f, 1);
	capture_begin();
	assert_int_equal(visitor_hash(k, T0 + 2 * DAY, v4a, 4, "u", a), 0);
	visitor_key_prefetch(k, T0 + 2 * DAY);
	assert_int_equal(capture_end("cannot share the visitor key"), 1);
	visitor_key_free(other);
	visitor_key_free(k);
}

struct prefetcher {
	struct visitor_key	*k;
	time_t			 midnight;
	volatile int		 stop;
};

static void *
prefetch_run(void *arg)
{
	struct prefetcher *p = arg;
	int i;

	for (i = 0; i < 2000 && !p->stop; i++)
		visitor_key_prefetch(p->k, p->midnight - 1 + (i % 2));
	return NULL;
}

/* Request threads across midnight while the tick prefetches: every id
 * after midnight is under the store's key of the new day. */
static void
test_store_threads(void **state)
{
	struct fake_store f;
	struct worker w[4];
	struct prefetcher p;
	pthread_t t[4], pt;
	time_t midnight = (T0 / DAY + 1) * DAY;
	unsigned char id[VISITOR_LEN];
	int i;

	(void)state;
	memset(&f, 0, sizeof(f));
	memset(w, 0, sizeof(w));
	memset(&p, 0, sizeof(p));
	draws = 0;
	p.k = visitor_key_new(fake_rand);
	p.midnight = midnight;
	visitor_key_set_store(p.k, fake_store, &f);
	assert_int_equal(pthread_create(&pt, NULL, prefetch_run, &p), 0);
	for (i = 0; i < 4; i++) {
		w[i].k = p.k;
		w[i].midnight = midnight;
		assert_int_equal(pthread_create(&t[i], NULL, worker_run, &w[i]),
		    0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].bad, 0);
	}
	p.stop = 1;
	pthread_join(pt, NULL);
	assert_int_equal(visitor_hash(p.k, midnight, v4a, 4, "u", id), 0);
	expect(fake_keyno(&f, DAY0 + 1), v4a, 4, "u", id);
	visitor_key_free(p.k);
}

/* The real store: db/daykey.c on a database made by db_migrate(). */
static char dbpath[64];

static void
remove_db(const char *p)
{
	char side[80];

	unlink(p);
	snprintf(side, sizeof(side), "%.70s-wal", p);
	unlink(side);
	snprintf(side, sizeof(side), "%.70s-shm", p);
	unlink(side);
}

static struct db *
fresh_db(void)
{
	struct db *db;

	snprintf(dbpath, sizeof(dbpath), "/tmp/test_visitor.%ld.db",
	    (long)getpid());
	remove_db(dbpath);
	assert_non_null(db = db_open(dbpath, DB_CREATE));
	assert_int_equal(db_migrate(db, NULL, NULL), 0);
	return db;
}

static int
db_store(void *arg, int64_t day, int64_t keep_from,
    const unsigned char fresh[VISITOR_KEY_LEN],
    unsigned char out[VISITOR_KEY_LEN])
{
	return db_daykey_get(arg, day, keep_from, fresh, out);
}

/* One number from the database through a connection of the test's. */
static long long
q(const char *path, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/* Copies the WAL into the database file and empties it. */
static void
checkpoint(const char *path)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

/* Whether the file at path holds the bytes of key anywhere. */
static int
file_has(const char *path, const unsigned char key[DAYKEY_LEN])
{
	static unsigned char data[4 << 20];
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (fp == NULL)
		return 0;
	n = fread(data, 1, sizeof(data), fp);
	assert_true(feof(fp));
	fclose(fp);
	return memmem(data, n, key, DAYKEY_LEN) != NULL;
}

static void
test_daykey(void **state)
{
	struct db *db1, *db2;
	struct visitor_key *k1, *k2;
	unsigned char fresh[DAYKEY_LEN], key0[DAYKEY_LEN], out[DAYKEY_LEN];
	unsigned char a[VISITOR_LEN], b[VISITOR_LEN];
	char wal[80];
	time_t midnight = (T0 / DAY + 1) * DAY;

	(void)state;
	db1 = fresh_db();
	assert_non_null(db2 = db_open(dbpath, 0));
	/* first offer wins; the second reads it back */
	memset(fresh, 0xa1, sizeof(fresh));
	assert_int_equal(db_daykey_get(db1, DAY0, DAY0, fresh, key0), 0);
	assert_int_equal(memcmp(key0, fresh, DAYKEY_LEN), 0);
	memset(fresh, 0xb2, sizeof(fresh));
	assert_int_equal(db_daykey_get(db2, DAY0, DAY0, fresh, out), 0);
	assert_int_equal(memcmp(out, key0, DAYKEY_LEN), 0);
	assert_int_equal(q(dbpath, "SELECT count(*) FROM visitor_keys"), 1);

	/* two processes and a restart, through visitor_key */
	draws = 0;
	k1 = visitor_key_new(fake_rand);
	k2 = visitor_key_new(fake_rand);
	visitor_key_set_store(k1, db_store, db1);
	visitor_key_set_store(k2, db_store, db2);
	same_id(k1, k2, T0);
	assert_int_equal(visitor_hash(k1, T0, v4a, 4, "UA one", a), 0);
	expect(0xa1, v4a, 4, "UA one", a);
	visitor_key_free(k1);
	k1 = visitor_key_new(fake_rand);
	visitor_key_set_store(k1, db_store, db1);
	assert_int_equal(visitor_hash(k1, T0 + 60, v4a, 4, "UA one", b), 0);
	assert_int_equal(memcmp(a, b, VISITOR_LEN), 0);
	/* the tick fetches tomorrow's row and keeps today's */
	visitor_key_prefetch(k1, T0 + 90);
	assert_int_equal(q(dbpath, "SELECT count(*) FROM visitor_keys"), 2);
	assert_int_equal(q(dbpath, "SELECT min(day) FROM visitor_keys"),
	    DAY0);
	/* the next day: another id, the same on both, and day 0's row is
	 * gone from the table and its bytes from the database file */
	checkpoint(dbpath);
	snprintf(wal, sizeof(wal), "%s-wal", dbpath);
	assert_true(file_has(dbpath, key0));
	same_id(k1, k2, midnight);
	assert_int_equal(visitor_hash(k1, midnight, v4a, 4, "UA one", b), 0);
	assert_true(memcmp(a, b, VISITOR_LEN) != 0);
	visitor_key_prefetch(k2, midnight + 30);
	assert_int_equal(q(dbpath, "SELECT min(day) FROM visitor_keys"),
	    DAY0 + 1);
	assert_int_equal(q(dbpath, "SELECT max(day) FROM visitor_keys"),
	    DAY0 + 2);
	/* the deleting transaction checkpointed the zeroed page; the WAL
	 * began after the checkpoint above, so no old frame holds it */
	assert_false(file_has(dbpath, key0));
	assert_false(file_has(wal, key0));
	visitor_key_free(k1);
	visitor_key_free(k2);
	db_close(db1);
	db_close(db2);
	remove_db(dbpath);
}

/* A backup holds no visitor key: no row, and not the bytes either. */
static void
test_backup(void **state)
{
	struct db *db;
	unsigned char fresh[DAYKEY_LEN], k0[DAYKEY_LEN], k1[DAYKEY_LEN];
	char bk[80];
	int i;

	(void)state;
	db = fresh_db();
	for (i = 0; i < DAYKEY_LEN; i++)
		fresh[i] = (unsigned char)(0x40 + i);
	assert_int_equal(db_daykey_get(db, DAY0, DAY0, fresh, k0), 0);
	fresh[0] ^= 0xff;
	assert_int_equal(db_daykey_get(db, DAY0 + 1, DAY0, fresh, k1), 0);
	snprintf(bk, sizeof(bk), "%s.backup", dbpath);
	remove_db(bk);
	assert_int_equal(db_admin_backup(db, bk), 0);
	/* the live database keeps its keys */
	assert_int_equal(q(dbpath, "SELECT count(*) FROM visitor_keys"), 2);
	assert_int_equal(q(bk, "SELECT count(*) FROM visitor_keys"), 0);
	assert_int_equal(q(bk, "SELECT count(*) FROM employees"), 0);
	assert_false(file_has(bk, k0));
	assert_false(file_has(bk, k1));
	assert_int_equal(access(bk, F_OK), 0);
	snprintf(bk + strlen(bk), sizeof(bk) - strlen(bk), "-wal");
	assert_int_equal(access(bk, F_OK), -1);
	bk[strlen(bk) - 4] = '\0';
	db_close(db);
	remove_db(bk);
	remove_db(dbpath);
}

static void
id_of(unsigned char id[VISITOR_LEN], unsigned n)
{
	unsigned char key[32] = { 7 };
	unsigned char md[EVP_MAX_MD_SIZE], msg[sizeof(n)];
	unsigned int mdlen;

	/* uniform ids, as the real hash gives */
	memcpy(msg, &n, sizeof(n));
	HMAC(EVP_sha256(), key, sizeof(key), msg, sizeof(msg), md, &mdlen);
	memcpy(id, md, VISITOR_LEN);
}

static void
test_repeats(void **state)
{
	struct visitor_repeats *r = visitor_repeats_new(1000);
	unsigned char a[VISITOR_LEN], b[VISITOR_LEN];

	(void)state;
	id_of(a, 1);
	id_of(b, 2);
	assert_int_equal(visitor_repeats_check(r, a, 10, T0), 0);
	assert_int_equal(visitor_repeats_check(r, a, 10, T0 + 60), 1);
	/* another link, another visitor: not repeats */
	assert_int_equal(visitor_repeats_check(r, a, 11, T0 + 60), 0);
	assert_int_equal(visitor_repeats_check(r, b, 10, T0 + 60), 0);
	/* the window runs from the previous hit: 29:59 later is a repeat */
	assert_int_equal(visitor_repeats_check(r, a, 10,
	    T0 + 60 + VISITOR_REPEAT_SECS - 1), 1);
	/* 30:00 after the previous hit is not */
	assert_int_equal(visitor_repeats_check(r, a, 10,
	    T0 + 60 + 2 * VISITOR_REPEAT_SECS - 1), 0);
	/* a clock gone back: within */
	assert_int_equal(visitor_repeats_check(r, b, 10, T0), 1);
	visitor_repeats_free(r);
}

/* Fixed size: far more pairs than slots all fit, old ones are evicted and
 * recent ones are still found. */
static void
test_bounded(void **state)
{
	struct visitor_repeats *r = visitor_repeats_new(256);
	unsigned char id[VISITOR_LEN];
	unsigned i, found = 0;

	(void)state;
	for (i = 0; i < 100000; i++) {
		id_of(id, i);
		assert_int_equal(visitor_repeats_check(r, id, 1,
		    T0 + (time_t)i), 0);
	}
	/* the first ones were evicted: new again */
	for (i = 0; i < 10; i++) {
		id_of(id, i);
		assert_int_equal(visitor_repeats_check(r, id, 1,
		    T0 + 100000), 0);
	}
	/* most of the 64 latest are still there (a bucket can overflow) */
	for (i = 100000 - 64; i < 100000; i++) {
		id_of(id, i);
		found += (unsigned)visitor_repeats_check(r, id, 1,
		    T0 + 100000);
	}
	assert_true(found >= 32);
	visitor_repeats_free(r);
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Prints ns per visitor id, ours beside libcrypto's one-shot HMAC() over
 * the same message (the anchor). */
static int
bench(void)
{
	static const char ua[] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 "
	    "Safari/537.36";
	const int n = 200000;
	unsigned char addr[4] = { 192, 0, 2, 0 }, id[VISITOR_LEN];
	unsigned char key[VISITOR_KEY_LEN], msg[256], md[EVP_MAX_MD_SIZE];
	struct visitor_key *k = visitor_key_new(fake_rand);
	unsigned int mdlen;
	unsigned sink = 0;
	double t0, ours, anchor;
	int i;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		addr[3] = (unsigned char)i;
		visitor_hash(k, T0, addr, 4, ua, id);
		sink += id[0];
	}
	ours = (now_ns() - t0) / n;
	memset(key, 1, sizeof(key));
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		msg[0] = 4;
		addr[3] = (unsigned char)i;
		memcpy(msg + 1, addr, 4);
		memcpy(msg + 5, ua, sizeof(ua) - 1);
		HMAC(EVP_sha256(), key, sizeof(key), msg, 4 + sizeof(ua), md,
		    &mdlen);
		sink += md[0];
	}
	anchor = (now_ns() - t0) / n;
	printf("visitor_hash      %8.0f ns/id\n", ours);
	printf("HMAC() one-shot   %8.0f ns/id (anchor)\n", anchor);
	printf("ratio             %8.1fx faster (sink %u)\n", anchor / ours,
	    sink & 1);
	visitor_key_free(k);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_long_ua),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_store_shared),
		cmocka_unit_test(test_prefetch),
		cmocka_unit_test(test_store_failure),
		cmocka_unit_test(test_store_threads),
		cmocka_unit_test(test_daykey),
		cmocka_unit_test(test_backup),
		cmocka_unit_test(test_repeats),
		cmocka_unit_test(test_bounded),
	};

	if (argc > 1 && strcmp(argv[1], "--bench") == 0)
		return bench();
	log_init("chorus", LOG_LEVEL_INFO);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
