/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* workers: child processes read the files, results sent back over a pipe.
 *
 * The parent forks at most jobs workers at a time, each with a batch of
 * files: one large file, or many small ones (a fork and its page faults
 * cost more than reading a 1 MiB log). A worker reads its files in turn
 * with read_evtx(); for each it writes to its pipe a start frame, a frame
 * for every event the reader hands it, a frame for each computer name and
 * a frame with the file's coverage. The parent polls all the pipes, reads
 * whatever has arrived (so no worker ever blocks for long on a full
 * pipe), delivers each complete event frame to the sink at once, settles
 * each file as its coverage arrives and, once the pipe closes, reaps the
 * worker and turns how it ended into the status and reason of the file it
 * was reading. The files of the batch it never began are read again by a
 * fresh worker: a file that crashes its worker costs only itself.
 *
 * Events from a worker that then fails are kept. Each event frame is
 * written as soon as the reader hands the event over and is delivered
 * only when it arrived complete and well formed, so what is kept is a
 * record the reader parsed in full before the trouble began; dropping it
 * would hide evidence that was read. The input is still marked
 * INPUT_FAILED (its record counts never arrived, so its coverage is not
 * known) and the reason says how many events were kept. Streaming also
 * keeps the parent from holding a whole file's events twice.
 *
 * Limits, in the worker: RLIMIT_AS = mem_limit, and the main thread
 * watches the address space while a thread with a WORKER_STACK_SIZE stack
 * reads: within 1/WORKER_MEM_MARGIN of the limit the worker stops itself
 * (allocations fail there, and libevtx would spin on them); a fatal
 * signal near the limit is reported as the limit too (worker_fatal_signal).
 * RLIMIT_CPU is twice the batch's time limits, a backstop for a parent
 * that is itself stopped. The time limit per file is kept by the parent,
 * which SIGKILLs a worker past its deadline (counted from the file's start
 * frame), so a worker stuck with signals blocked cannot escape it. The
 * parent only reads from pipes, so SIGPIPE can only reach a worker, which
 * ignores it and exits on EPIPE. Workers ignore SIGINT and SIGHUP, which
 * a terminal sends to the whole process group: the parent decides
 * (interrupt.h) and stops them.
 *
 * The wire format is in wire.h, the worker's side in child.c.
 * The parent's side is here (the pool: starting workers, polling,
 * stopping), in receive.c (frames read back) and settle.c (how each
 * input ends). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "pool.h"
#include "worker.h"

int64_t pool_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

unsigned worker_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}



/* How many jobs wait: to be read again, and not yet begun. */
static size_t pending(const struct pool *p)
{
	return p->n_retry + (p->n_jobs - p->next);
}

/* The job that would be taken next (pending(p) > 0). */
static size_t peek_job(const struct pool *p)
{
	return p->n_retry ? p->retry[p->n_retry - 1] : p->next;
}

static size_t take_job(struct pool *p)
{
	return p->n_retry ? p->retry[--p->n_retry] : p->next++;
}

/* Fills s->batch from the pending jobs (pending(p) > 0): an image, a
 * large file, or small files (see BATCH_SMALL). */
static void fill_batch(struct pool *p, struct slot *s)
{
	s->n_batch = 0;
	size_t first = take_job(p);
	s->batch[s->n_batch++] = first;
	if (p->discover)
		return;
	uint64_t bytes = p->list->items[first].size;
	size_t want = pending(p) / (2 * (size_t)p->n_slots);
	if (want > BATCH_MAX_FILES)
		want = BATCH_MAX_FILES;
	while (bytes < BATCH_SMALL && s->n_batch < want + 1 && pending(p) > 0) {
		uint64_t size = p->list->items[peek_job(p)].size;
		if (size >= BATCH_SMALL || bytes + size > BATCH_MAX_BYTES ||
		    s->n_batch >= BATCH_MAX_FILES)
			break;
		s->batch[s->n_batch++] = take_job(p);
		bytes += size;
	}
}

/* Puts the batch just taken back, when no worker could be started. */
static void unfill_batch(struct pool *p, struct slot *s)
{
	p->retry = xrealloc(p->retry, (p->n_retry + s->n_batch) * sizeof *p->retry);
	for (size_t k = s->n_batch; k-- > 0;)
		p->retry[p->n_retry++] = s->batch[k];
	s->n_batch = 0;
}

unsigned worker_time_limit(const struct worker_options *o, uint64_t bytes)
{
	if (o->time_limit != WORKER_TIME_AUTO)
		return o->time_limit;
	uint64_t extra = bytes / (((uint64_t)1 << 30) / WORKER_TIME_PER_GIB);
	return WORKER_TIME_BASE + (unsigned)(extra < 86400u * 365 ? extra : 86400u * 365);
}

/* The RLIMIT_CPU of a worker for its batch: twice the time limits (two
 * threads may run: the reader and the hash), 0 when there are none. */
static uint64_t batch_cpu_limit(const struct pool *p, const struct slot *s)
{
	uint64_t sum = 0;
	for (size_t k = 0; k < s->n_batch; k++) {
		uint64_t size = p->discover ? p->list->images[s->batch[k]].size
		                            : p->list->items[s->batch[k]].size;
		unsigned limit = worker_time_limit(p->wopt, size);
		if (limit == 0)
			return 0;
		sum += limit;
	}
	return 2 * sum + 10;
}

/* Forks the worker for the batch in slot s (fill_batch). Returns 0, or
 * -1 with errno set when no pipe or process could be made. */
static int start_worker(struct pool *p, struct slot *s)
{
	int fds[2];
	pid_t parent = getpid();

	/* pipe() and FD_CLOEXEC rather than pipe2(): macOS lacks it. The
	 * worker dup2()s its end past this. */
	if (pipe(fds) != 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	/* Nothing buffered may be written twice, by the worker as well. */
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(fds[0]);
		close(fds[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		struct worker_job job = {
			.list = p->list,
			.batch = p->discover ? NULL : s->batch,
			.n_batch = p->discover ? 0 : s->n_batch,
			.image = p->discover ? &p->list->images[s->batch[0]] : NULL,
			.copt = p->copt, .ropt = p->ropt,
			.mem_limit = p->wopt->mem_limit, .cpu_limit = batch_cpu_limit(p, s),
		};
		worker_main(job, fds[0], fds[1], parent);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
#ifdef F_SETPIPE_SZ
	fcntl(fds[0], F_SETPIPE_SZ, 1 << 20);   /* fewer wake-ups; may fail */
#endif
	s->pid = pid;
	s->fd = fds[0];
	s->started = s->announced = 0;
	s->in_file = false;
	s->cov.first_time = s->cov.last_time = TIME_NONE;
	/* until the first start frame: the first file's limit */
	uint64_t size = p->discover ? p->list->images[s->batch[0]].size
	                            : p->list->items[s->batch[0]].size;
	unsigned limit = worker_time_limit(p->wopt, size);
	s->deadline = limit ? pool_now_ms() + (int64_t)limit * 1000 : 0;
	s->index = s->batch[0];
	if (p->discover)
		s->started = 1;
	p->running++;
	return 0;
}

/* Why reading must stop now: a signal, or the run's deadline. */
static const char *halt_reason(const struct pool *p, int64_t now)
{
	const char *why = p->wopt->interrupted ? p->wopt->interrupted() : NULL;
	if (why)
		return why;
	if (p->wopt->deadline && now >= p->wopt->deadline)
		return "the --deadline passed";
	return NULL;
}

/* How long poll() may wait (ms, -1 for ever) with n pipes open. */
static int poll_timeout(const struct pool *p, int64_t now, bool exiting)
{
	int64_t t = exiting ? 1 : -1;   /* a pipe closed: it is exiting, reap it soon */
	for (unsigned i = 0; i < p->n_slots; i++) {
		const struct slot *s = &p->slots[i];
		if (s->pid > 0 && s->deadline && !s->kill_reason) {
			int64_t left = s->deadline > now ? s->deadline - now : 0;
			if (t < 0 || left < t)
				t = left;
		}
	}
	/* a signal that lands just before poll() must not wait for a worker */
	if (p->wopt->interrupted && (t < 0 || t > 200))
		t = 200;
	if (p->wopt->deadline) {
		int64_t left = p->wopt->deadline > now ? p->wopt->deadline - now : 0;
		if (t < 0 || left < t)
			t = left;
	}
	return t < 0 ? -1 : (int)(t < 1000000 ? t : 1000000);
}

/* One round: wait for data, a deadline or a worker's end, and act. */
static int pool_step(struct pool *p)
{
	struct pollfd *pfd = p->pfd;
	struct slot **who = p->who;
	bool exiting = false;
	nfds_t n = 0;

	for (unsigned i = 0; i < p->n_slots; i++) {
		struct slot *s = &p->slots[i];
		if (s->pid <= 0)
			continue;
		if (s->fd >= 0) {
			pfd[n] = (struct pollfd){ .fd = s->fd, .events = POLLIN };
			who[n++] = s;
		} else {
			exiting = true;
		}
	}
	int r = poll(pfd, n, poll_timeout(p, pool_now_ms(), exiting));
	if (r < 0 && errno != EINTR)
		return -1;
	for (nfds_t i = 0; r > 0 && i < n; i++)
		if (pfd[i].revents && who[i]->fd >= 0)
			pool_slot_read(p, who[i]);

	int64_t now = pool_now_ms();
	if (!p->halt)
		p->halt = halt_reason(p, now);
	for (unsigned i = 0; i < p->n_slots; i++) {
		struct slot *s = &p->slots[i];
		if (s->pid <= 0)
			continue;
		if (p->halt && !s->kill_reason)
			pool_slot_kill(s, "run interrupted (%s)", p->halt);
		else if (p->stopped && !s->kill_reason)
			pool_slot_kill(s, "reading stopped");
		else if (s->deadline && now >= s->deadline && !s->kill_reason)
			pool_slot_kill(s, "timed out after %u s", worker_time_limit(p->wopt,
				  p->discover ? p->list->images[s->index].size
					      : p->list->items[s->index].size));
		if (s->fd >= 0)
			continue;
		/* Its pipe closes as it exits (workers end in _exit and
		 * close nothing early), so this wait is short; polling for
		 * it instead cost a millisecond a file. */
		int status;
		pid_t w;
		while ((w = waitpid(s->pid, &status, 0)) < 0 && errno == EINTR)
			;
		if (w == s->pid) {
			pool_finish_slot(p, s, status);
		} else if (w < 0) {
			/* Reaped behind our back (a SIGCHLD handler of the
			 * caller's): its end cannot be told. */
			status = 0;
			if (!s->kill_reason)
				pool_slot_kill(s, "worker vanished: %s", strerror(errno));
			pool_finish_slot(p, s, status);
		}
	}
	return 0;
}

/* The jobs never begun, once reading has stopped for why. */
static void fail_unread(struct pool *p, const char *why)
{
	while (pending(p) > 0) {
		size_t i = take_job(p);
		if (!p->discover) {
			pool_not_read(p, i, why);
			pool_input_done(p, i);
			continue;
		}
		struct image_input *im = &p->list->images[i];
		im->status = INPUT_FAILED;
		free(im->reason);
		struct strbuf sb = { 0 };
		if (p->halt)
			sb_printf(&sb, "not listed: run interrupted (%s)", p->halt);
		else
			sb_printf(&sb, "not listed: %s", why);
		im->reason = sb_take(&sb);
	}
}

/* With SIGCHLD ignored, children are not kept for waitpid(): for the
 * run, SIGCHLD gets its default action. Returns whether *old is to be
 * put back afterwards. */
static bool keep_children(struct sigaction *old)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	if (sigaction(SIGCHLD, NULL, old) != 0 ||
	    (old->sa_handler != SIG_IGN && !(old->sa_flags & SA_NOCLDWAIT)))
		return false;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGCHLD, &dfl, NULL);
	return true;
}

/* jobs free slots, and the poll() arrays for them. */
static void pool_init(struct pool *p, unsigned jobs)
{
	p->n_slots = jobs;
	p->slots = xcalloc(jobs, sizeof *p->slots);
	for (unsigned i = 0; i < jobs; i++)
		p->slots[i].fd = -1;
	p->pfd = xcalloc(jobs, sizeof *p->pfd);
	p->who = xcalloc(jobs, sizeof *p->who);

	p->progress.on = p->wopt->progress && !p->discover;
	p->progress.total = p->n_jobs;
	for (size_t i = 0; i < p->n_jobs && !p->discover; i++)
		p->progress.total_bytes += p->list->items[i].size;
	p->progress.start = pool_now_ms();
}

static void pool_free(struct pool *p)
{
	free(p->who);
	free(p->pfd);
	free(p->slots);
	free(p->retry);
}

/* Starts workers for the pending jobs while slots are free. When one
 * cannot be started (out of processes or descriptors), the others
 * running are waited for before trying again; with none running, the
 * run fails. */
static void start_workers(struct pool *p)
{
	while (!p->stopped && !p->halt && !p->fatal[0] && pending(p) > 0 &&
	       p->running < p->n_slots) {
		struct slot *s = NULL;
		for (unsigned i = 0; i < p->n_slots && !s; i++)
			if (p->slots[i].pid == 0)
				s = &p->slots[i];
		fill_batch(p, s);
		if (start_worker(p, s) == 0)
			continue;
		int e = errno;
		unfill_batch(p, s);
		if (p->running == 0)
			snprintf(p->fatal, sizeof p->fatal, "cannot start a worker: %s",
			         strerror(e));
		break;
	}
}

/* poll() failed: every worker is killed for p->fatal and reaped
 * without it. */
static void abandon_workers(struct pool *p)
{
	for (unsigned i = 0; i < p->n_slots; i++)
		if (p->slots[i].pid > 0) {
			pool_slot_kill(&p->slots[i], "%s", p->fatal);
			pool_slot_close(&p->slots[i]);
		}
	for (unsigned i = 0; i < p->n_slots; i++) {
		struct slot *s = &p->slots[i];
		int status = 0;
		while (s->pid > 0 && waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
			;
		if (s->pid > 0)
			pool_finish_slot(p, s, status);
	}
}

/* Runs p's jobs to the end; returns as run_workers does. */
static int pool_run(struct pool *p)
{
	struct sigaction old_chld;

	p->halt = halt_reason(p, pool_now_ms());
	if (p->n_jobs == 0 || p->halt) {
		if (p->halt)
			fail_unread(p, p->halt);
		goto done;
	}
	unsigned jobs = p->wopt->jobs ? p->wopt->jobs : worker_default_jobs();
	if (jobs > p->n_jobs)
		jobs = (unsigned)p->n_jobs;
	bool restore_chld = keep_children(&old_chld);
	pool_init(p, jobs);

	while (pending(p) > 0 || p->running > 0) {
		start_workers(p);
		if ((p->stopped || p->halt || p->fatal[0]) && p->running == 0)
			break;
		if (pool_step(p) != 0) {
			snprintf(p->fatal, sizeof p->fatal, "poll: %s", strerror(errno));
			abandon_workers(p);
			break;
		}
	}

	if (pending(p) > 0)
		fail_unread(p, p->fatal[0] ? p->fatal : "reading stopped");
	progress_clear(&p->progress);
	pool_free(p);
	if (restore_chld)
		sigaction(SIGCHLD, &old_chld, NULL);
done:
	if (p->halt && !p->list->interrupted)
		p->list->interrupted = xstrdup(p->halt);
	return p->fatal[0] || p->stopped ? -1 : 0;
}

int run_workers(struct input_list *list, const struct read_options *ropt,
                const struct worker_options *wopt, event_sink sink, void *ctx)
{
	struct pool p = {
		.list = list, .n_jobs = list->n, .ropt = ropt, .wopt = wopt,
		.sink = sink, .ctx = ctx,
	};
	return pool_run(&p);
}

/* Moves what discovery found for image i into the list: its logs as
 * inputs, its notes as skipped entries. */
static void take_found(struct input_list *list, struct found *f, size_t i)
{
	for (size_t k = 0; k < f->n; k++) {
		input_list_add(list, &f->locs[k], list->images[i].named, f->sizes[k],
			       (uint32_t)i + 1)->kind = f->kinds[k];
		locator_clear(&f->locs[k]);
	}
	for (size_t k = 0; k < f->n_notes; k++) {
		char *where = locator_format(&f->note_at[k]);
		input_list_skip(list, where, f->note_incomplete[k], "%s", f->note_why[k]);
		free(where);
		locator_clear(&f->note_at[k]);
		free(f->note_why[k]);
	}
	free(f->locs);
	free(f->sizes);
	free(f->kinds);
	free(f->note_at);
	free(f->note_why);
	free(f->note_incomplete);
}

int run_discovery(struct input_list *list, const struct collect_options *copt,
                  const struct worker_options *wopt)
{
	struct pool p = {
		.list = list, .discover = true, .n_jobs = list->n_images, .copt = copt,
		.wopt = wopt,
	};
	p.found = xcalloc(list->n_images ? list->n_images : 1, sizeof *p.found);
	int rc = pool_run(&p);
	for (size_t i = 0; i < list->n_images; i++)
		take_found(list, &p.found[i], i);
	free(p.found);
	return rc;
}
