/*
 * mailer: the queues between the send loop and the transports, and the
 * worker threads that drain them. The transports are the rows of
 * backends[] below, chosen by the scheme of smtp.url: file: (here, writing
 * through digest/outbox.c) and smtp:// or smtps:// (digest/smtp.c).
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "digest/mailer.h"
#include "digest/outbox.h"
#include "digest/smtp.h"

#define QUEUE_PER_WORKER	32

struct mailer {
	const struct mailer_backend *backend;
	void		*state;			/* the backend's */
	char		 target[320];
	double		 rate;			/* messages/s, 0 = no cap */
	struct timespec	 next_slot;		/* for the rate cap */

	pthread_mutex_t	 mu;
	pthread_cond_t	 in_cond;		/* work queued or closing */
	pthread_cond_t	 space_cond;		/* room in the queue */
	pthread_cond_t	 out_cond;		/* a message finished */
	struct mailer_msg *in_head, *in_tail;
	int		 in_count, in_cap;
	struct mailer_msg *out_head, *out_tail;
	int		 pending;
	int		 closing;
	double		 fence;			/* mailer_fence; 0: none */

	int		 nworkers;
	pthread_t	*threads;
	struct mailer_render render;	/* render.render NULL: none */
};

/* What a worker thread owns. */
static __thread void *render_ctx;

enum mailer_status
mailer_classify(int code)
{
	if (code >= 200 && code < 300)
		return MAILER_SENT;
	if (code >= 500 && code < 600)
		return MAILER_PERM;
	return MAILER_TEMP;
}

const char *
mailer_target(const struct mailer *m)
{
	return m->target;
}

/* Queues. */

static void
out_push_locked(struct mailer *m, struct mailer_msg *msg)
{
	msg->next = NULL;
	if (m->out_tail != NULL)
		m->out_tail->next = msg;
	else
		m->out_head = msg;
	m->out_tail = msg;
	pthread_cond_signal(&m->out_cond);
}

void
mailer_finish(struct mailer *m, struct mailer_msg *msg, enum mailer_status st,
    int code, const char *fmt, ...)
{
	va_list ap;
	char *p;

	msg->status = st;
	msg->code = code;
	va_start(ap, fmt);
	vsnprintf(msg->reply, sizeof(msg->reply), fmt, ap);
	va_end(ap);
	/* One line, whatever the server said. */
	for (p = msg->reply; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
	while (p > msg->reply && p[-1] == ' ')
		*--p = '\0';
	/* And UTF-8, as the ledger's text is: a server may answer in
	 * Latin-1, and the buffer may cut a character. PostgreSQL refuses
	 * anything else, and the outcome of a message it sent would not be
	 * recorded: the next run would send it again. */
	(void)validate_utf8_fix(msg->reply, (size_t)(p - msg->reply));
	pthread_mutex_lock(&m->mu);
	out_push_locked(m, msg);
	pthread_mutex_unlock(&m->mu);
}

static void
timespec_add_ms(struct timespec *ts, long ms)
{
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

struct mailer_msg *
mailer_take(struct mailer *m, long wait_ms)
{
	struct mailer_msg *msg = NULL;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	timespec_add_ms(&until, wait_ms < 0 ? 0 : wait_ms);
	pthread_mutex_lock(&m->mu);
	while (m->in_head == NULL && !m->closing) {
		if (wait_ms < 0)
			pthread_cond_wait(&m->in_cond, &m->mu);
		else if (pthread_cond_timedwait(&m->in_cond, &m->mu,
		    &until) == ETIMEDOUT)
			break;
	}
	if ((msg = m->in_head) != NULL) {
		if ((m->in_head = msg->next) == NULL)
			m->in_tail = NULL;
		m->in_count--;
		msg->next = NULL;
		pthread_cond_signal(&m->space_cond);
	}
	pthread_mutex_unlock(&m->mu);
	return msg;
}

/* The rate cap: one slot every 1/rate seconds over all workers. */
static void
rate_wait(struct mailer *m)
{
	struct timespec now, slot;
	long step;

	if (m->rate <= 0)
		return;
	step = (long)(1e9 / m->rate);
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&m->mu);
	if (m->next_slot.tv_sec < now.tv_sec ||
	    (m->next_slot.tv_sec == now.tv_sec &&
	    m->next_slot.tv_nsec < now.tv_nsec))
		m->next_slot = now;
	slot = m->next_slot;
	m->next_slot.tv_nsec += step % 1000000000L;
	m->next_slot.tv_sec += step / 1000000000L +
	    m->next_slot.tv_nsec / 1000000000L;
	m->next_slot.tv_nsec %= 1000000000L;
	pthread_mutex_unlock(&m->mu);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &slot,
	    NULL) == EINTR)
		;
}

/* Renders an empty message on this worker; on failure hands it back. */
static int
render(struct mailer *m, struct mailer_msg *msg)
{
	if (msg->data.len > 0 || m->render.render == NULL)
		return 0;
	/* No context: the renderer could not open what it reads (the
	 * database unreachable when the worker began). Tried again for
	 * each message; until it opens, each is deferred (a 4xx's fate),
	 * never failed for good. */
	if (render_ctx == NULL && m->render.open != NULL)
		render_ctx = m->render.open(m->render.arg);
	if (render_ctx == NULL) {
		mailer_finish(m, msg, MAILER_TEMP, 0,
		    "could not open the database to render the digest");
		return -1;
	}
	switch (m->render.render(render_ctx, msg)) {
	case 0:
		return 0;
	case -2:
		mailer_finish(m, msg, MAILER_TEMP, 0,
		    "could not read the database to render the digest");
		return -1;
	case -3:
		mailer_finish(m, msg, MAILER_PERM, 0, "not sent: the "
		    "employee unsubscribed, paused or left since it was "
		    "planned");
		return -1;
	default:
		mailer_finish(m, msg, MAILER_PERM, 0,
		    "could not render the digest");
		return -1;
	}
}

static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
mailer_fence_check(struct mailer *m, struct mailer_msg *msg)
{
	double fence;

	pthread_mutex_lock(&m->mu);
	fence = m->fence;
	pthread_mutex_unlock(&m->mu);
	if (fence > 0 && mono_now() >= fence) {
		msg->fenced = 1;
		mailer_finish(m, msg, MAILER_TEMP, 0, "not attempted: this "
		    "run's claims could not be renewed");
		return -1;
	}
	return 0;
}

int
mailer_ready(struct mailer *m, struct mailer_msg *msg)
{
	/* Past the fence already: not even rendered. */
	if (mailer_fence_check(m, msg) == -1 || render(m, msg) == -1)
		return -1;
	rate_wait(m);
	/* Again after any wait for the rate. */
	return mailer_fence_check(m, msg);
}

void
mailer_fence(struct mailer *m, double until)
{
	pthread_mutex_lock(&m->mu);
	m->fence = until;
	pthread_mutex_unlock(&m->mu);
}

static void
worker_begin(struct mailer *m)
{
	if (m->render.open != NULL)
		render_ctx = m->render.open(m->render.arg);
}

static void
worker_end(struct mailer *m)
{
	if (m->render.close != NULL && render_ctx != NULL)
		m->render.close(render_ctx);
	render_ctx = NULL;
}


static void *
worker(void *arg)
{
	struct mailer *m = arg;
	struct mailer_msg *msg;

	/* Named for top -H and perf --sort comm. */
	(void)pthread_setname_np(pthread_self(), "chorus-mailer");
	worker_begin(m);
	while ((msg = mailer_take(m, -1)) != NULL)
		m->backend->send(m->state, m, msg);
	worker_end(m);
	return NULL;
}

/* The file transport: each message as DIR/NAME.eml (digest/outbox.c). */

static void *
file_open(const char *url, const struct config *cfg)
{
	char *dir;

	(void)cfg;
	if (url[5] == '\0') {
		log_error("smtp.url '%s': no directory after file:", url);
		return NULL;
	}
	dir = xstrdup(url + 5);
	if (outbox_prepare(dir) == -1) {
		log_error("smtp.url: cannot create '%s': %s", dir,
		    strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

static void
file_send(void *state, struct mailer *m, struct mailer_msg *msg)
{
	const char *dir = state, *what;

	if (mailer_ready(m, msg) == -1)
		return;
	msg->attempted = 1;
	if (outbox_write(dir, msg->name, msg->data.data, msg->data.len,
	    &what) == -1)
		mailer_finish(m, msg, MAILER_TEMP, 0, "%s '%s/%s.eml': %s",
		    what, dir, msg->name, strerror(errno));
	else
		mailer_finish(m, msg, MAILER_SENT, 0, "written to %s/%s.eml",
		    dir, msg->name);
}

static void
file_close(void *state)
{
	free(state);
}

/* The transports, by the start of smtp.url ("smtp" takes smtps:// too). */
static const struct mailer_backend backends[] = {
	{ "file", "file:", file_open, file_send, file_close },
	{ "smtp", "smtp", smtp_transport_open, smtp_transport_send,
	  smtp_transport_close },
};

const struct mailer_backend *
mailer_backend_find(const char *url)
{
	size_t i;

	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (strncmp(url, backends[i].prefix,
		    strlen(backends[i].prefix)) == 0)
			return &backends[i];
	return NULL;
}

struct mailer *
mailer_new(const struct config *cfg, const struct mailer_render *r)
{
	struct mailer *m = xcalloc(1, sizeof(*m));
	const char *url = config_str(cfg, "smtp.url");
	int i;

	snprintf(m->target, sizeof(m->target), "%s", url);
	if ((m->backend = mailer_backend_find(url)) == NULL) {
		log_error("smtp.url '%s': not file:DIR, smtp://HOST:PORT or "
		    "smtps://HOST:PORT", url);
		goto fail;
	}
	if ((m->state = m->backend->open(url, cfg)) == NULL)
		goto fail;
	m->rate = config_double(cfg, "smtp.rate");

	if (r != NULL)
		m->render = *r;
	pthread_mutex_init(&m->mu, NULL);
	pthread_cond_init(&m->in_cond, NULL);
	pthread_cond_init(&m->space_cond, NULL);
	pthread_cond_init(&m->out_cond, NULL);
	m->nworkers = (int)config_int(cfg, "smtp.connections");
	m->in_cap = m->nworkers * QUEUE_PER_WORKER;
	m->threads = xcalloc((size_t)m->nworkers, sizeof(*m->threads));
	for (i = 0; i < m->nworkers; i++)
		if (pthread_create(&m->threads[i], NULL, worker, m) != 0)
			fatalx("mailer: cannot start a thread");
	return m;
fail:
	free(m);
	return NULL;
}

struct mailer_msg *
mailer_msg_new(size_t max)
{
	struct mailer_msg *msg = xcalloc(1, sizeof(*msg));

	buf_init(&msg->data, max);
	return msg;
}

void
mailer_msg_free(struct mailer_msg *msg)
{
	if (msg == NULL)
		return;
	buf_release(&msg->data);
	free(msg);
}

void
mailer_submit(struct mailer *m, struct mailer_msg *msg)
{
	msg->next = NULL;
	msg->attempted = 0;
	msg->fenced = 0;
	msg->code = 0;
	msg->reply[0] = '\0';
	pthread_mutex_lock(&m->mu);
	while (m->in_count >= m->in_cap)
		pthread_cond_wait(&m->space_cond, &m->mu);
	if (m->in_tail != NULL)
		m->in_tail->next = msg;
	else
		m->in_head = msg;
	m->in_tail = msg;
	m->in_count++;
	m->pending++;
	pthread_cond_signal(&m->in_cond);
	pthread_mutex_unlock(&m->mu);
}

struct mailer_msg *
mailer_collect(struct mailer *m, int timeout_ms)
{
	struct mailer_msg *msg;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	timespec_add_ms(&until, timeout_ms);
	pthread_mutex_lock(&m->mu);
	while (m->out_head == NULL)
		if (pthread_cond_timedwait(&m->out_cond, &m->mu, &until) ==
		    ETIMEDOUT)
			break;
	if ((msg = m->out_head) != NULL) {
		if ((m->out_head = msg->next) == NULL)
			m->out_tail = NULL;
		msg->next = NULL;
		m->pending--;
	}
	pthread_mutex_unlock(&m->mu);
	return msg;
}

int
mailer_pending(struct mailer *m)
{
	int n;

	pthread_mutex_lock(&m->mu);
	n = m->pending;
	pthread_mutex_unlock(&m->mu);
	return n;
}

void
mailer_cancel(struct mailer *m, const char *reply)
{
	struct mailer_msg *msg;

	pthread_mutex_lock(&m->mu);
	while ((msg = m->in_head) != NULL) {
		m->in_head = msg->next;
		msg->status = MAILER_TEMP;
		msg->code = 0;
		snprintf(msg->reply, sizeof(msg->reply), "%s", reply);
		out_push_locked(m, msg);
	}
	m->in_tail = NULL;
	m->in_count = 0;
	pthread_cond_broadcast(&m->space_cond);
	pthread_mutex_unlock(&m->mu);
}

void
mailer_free(struct mailer *m)
{
	struct mailer_msg *msg;
	int i;

	if (m == NULL)
		return;
	pthread_mutex_lock(&m->mu);
	m->closing = 1;
	pthread_cond_broadcast(&m->in_cond);
	pthread_mutex_unlock(&m->mu);
	for (i = 0; i < m->nworkers; i++)
		pthread_join(m->threads[i], NULL);
	while ((msg = m->out_head) != NULL) {
		m->out_head = msg->next;
		mailer_msg_free(msg);
	}
	pthread_mutex_destroy(&m->mu);
	pthread_cond_destroy(&m->in_cond);
	pthread_cond_destroy(&m->space_cond);
	pthread_cond_destroy(&m->out_cond);
	free(m->threads);
	m->backend->close(m->state);
	free(m);
}
