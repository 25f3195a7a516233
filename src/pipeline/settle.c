/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* settle: how each input a worker read, or was reading, ends: its
 * status and reason from how the worker ended, the progress line. */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "pool.h"

static void describe_end(struct strbuf *sb, int status, uint64_t mem_limit)
{
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU) {
		sb_puts(sb, "worker exceeded its CPU-time limit (RLIMIT_CPU)");
	} else if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		const char *name = strsignal(sig);
		sb_printf(sb, "worker killed by signal %d (%s)", sig,
		          name ? name : "unknown");
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_EXIT_NOMEM) {
		if (mem_limit)
			sb_printf(sb, "worker exceeded the memory limit (RLIMIT_AS %" PRIu64 " MiB)",
			          mem_limit >> 20);
		else
			sb_puts(sb, "worker ran out of memory");
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_EXIT_IO) {
		sb_puts(sb, "worker could not send its results");
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_EXIT_SETUP) {
		sb_puts(sb, "worker could not start reading");
	} else if (WIFEXITED(status)) {
		sb_printf(sb, "worker exited with status %d", WEXITSTATUS(status));
	} else {
		sb_printf(sb, "worker ended with wait status %#x", (unsigned)status);
	}
}

/* How the worker ended, when it did not end well; NULL when it did:
 * every file of its batch settled (or its image listed), its pipe clean,
 * its exit status 0. */
static char *failure_text(struct pool *p, struct slot *s, int status, const char *whole)
{
	bool clean = WIFEXITED(status) && WEXITSTATUS(status) == WORKER_EXIT_OK;
	bool cut = s->len > 0;   /* a frame was arriving when the pipe closed */
	bool all = p->discover ? s->done : !s->in_file && s->started == s->n_batch;
	if (!s->kill_reason && all && clean && !cut)
		return NULL;
	struct strbuf sb = { 0 };
	if (s->kill_reason)
		sb_puts(&sb, s->kill_reason);
	else if (!clean)
		describe_end(&sb, status, p->wopt->mem_limit);
	else
		sb_printf(&sb, "worker ended without sending %s", whole);
	if (cut && !s->kill_reason)
		sb_puts(&sb, " (its last message was cut short)");
	return sb_take(&sb);
}

static void progress_step(struct pool *p, uint64_t bytes)
{
	p->progress.done++;
	p->progress.done_bytes += bytes;
	progress_show(&p->progress, pool_now_ms());
}

/* Input i is final: the caller hears of it (its line goes out under the
 * progress line, which is drawn again after). */
void pool_input_done(struct pool *p, size_t i)
{
	if (!p->wopt->done)
		return;
	progress_clear(&p->progress);
	p->wopt->done(p->wopt->done_ctx, &p->list->items[i]);
	progress_show(&p->progress, pool_now_ms());
}

/* A discovery worker is reaped: the image's result, or why there is
 * none (what it listed before failing is kept: each log is whole). */
static void finish_image(struct pool *p, struct slot *s, int status)
{
	struct image_input *im = &p->list->images[s->index];
	char *why = failure_text(p, s, status, "the image's listing");
	if (why) {
		struct strbuf sb = { 0 };
		sb_printf(&sb, "%s image: listing its logs failed: %s",
			  image_format_name(im->format), why);
		if (s->events)
			sb_printf(&sb, "; the %" PRIu64 " logs it listed before are read",
				  s->events);
		free(im->reason);
		im->reason = sb_take(&sb);
		im->listing_failed = true;
		im->status = s->events ? INPUT_PARTIAL : INPUT_FAILED;
		if (s->done)
			im->status = INPUT_PARTIAL;
		free(why);
	}
}

/* The coverage of s->index arrived: it replaces all but the input's
 * place (path, locator, named, image), which the parent keeps. */
void pool_settle_input(struct pool *p, struct slot *s)
{
	struct input *in = &p->list->items[s->index];
	char *path = in->path, *where = in->where;
	struct locator loc = in->loc;
	bool named = in->named;
	uint32_t image = in->image;
	uint8_t kind = in->kind;
	in->path = in->where = NULL;
	in->loc = (struct locator){ 0 };
	input_clear(in);
	*in = s->cov;
	in->path = path;
	in->where = where;
	in->loc = loc;
	in->named = named;
	in->image = image;
	in->kind = kind;
	input_keep_keys(p->list, in);
	memset(&s->cov, 0, sizeof s->cov);
	s->in_file = false;
	if (p->stopped)     /* its events after the stop were not taken */
		input_note(in, INPUT_FAILED, "reading stopped");
	progress_step(p, in->size);
	/* Final now, but for the batch's last file: a worker that fails
	 * after sending that one's coverage still marks it (finish_batch). */
	if (s->started < s->n_batch) {
		pool_input_done(p, s->index);
		s->announced = s->started;
	}
}

/* Marks input i not read for why; interrupted when the run was. */
void pool_not_read(struct pool *p, size_t i, const char *why)
{
	struct input *in = &p->list->items[i];
	if (p->halt)
		input_note(in, INPUT_FAILED, "not read: run interrupted (%s)", p->halt);
	else
		input_note(in, INPUT_FAILED, "not read: %s", why);
	in->interrupted = p->halt != NULL;
}

/* A reading worker is reaped: the file it was reading, if any, takes
 * how it ended; the files of its batch it never began are read again by
 * another worker (or, when reading stops, marked not read). A worker that
 * failed before beginning any file is held against the first one, so
 * that every failure settles a file and no batch comes back for ever. */
static void finish_batch(struct pool *p, struct slot *s, int status)
{
	char *why = failure_text(p, s, status, "the file's coverage");
	if (why && !s->in_file && s->started == 0) {
		s->index = s->batch[0];
		s->started = 1;
		s->in_file = true;
		s->events = 0;
	}
	if (why && s->in_file) {
		struct input *in = &p->list->items[s->index];
		struct strbuf sb = { 0 };
		sb_puts(&sb, why);
		if (s->events)
			sb_printf(&sb, "; the %" PRIu64 " events it sent before were kept",
				  s->events);
		input_note(in, INPUT_FAILED, "%s", sb.data);
		in->interrupted = p->halt != NULL;
		sb_free(&sb);
		s->in_file = false;
		progress_step(p, in->size);
	} else if (why && s->started == s->n_batch && !s->kill_reason) {
		/* every file settled, then the worker failed: the last one read
		 * is whole, but say so */
		input_note(&p->list->items[s->index], INPUT_PARTIAL,
			   "%s after reading the whole file", why);
	}
	for (size_t k = s->started; k < s->n_batch; k++) {
		if (p->halt || p->stopped) {
			pool_not_read(p, s->batch[k], "reading stopped");
			progress_step(p, p->list->items[s->batch[k]].size);
			s->started = k + 1;    /* final too */
		} else {
			p->retry = xrealloc(p->retry, (p->n_retry + 1) * sizeof *p->retry);
			p->retry[p->n_retry++] = s->batch[k];
		}
	}
	for (size_t k = s->announced; k < s->started && k < s->n_batch; k++)
		pool_input_done(p, s->batch[k]);
	free(why);
}

void pool_finish_slot(struct pool *p, struct slot *s, int status)
{
	if (p->discover) {
		finish_image(p, s, status);
		progress_step(p, 0);
	} else {
		finish_batch(p, s, status);
	}
	input_clear(&s->cov);
	free(s->kill_reason);
	pool_slot_close(s);
	memset(s, 0, sizeof *s);
	s->fd = -1;
	p->running--;
}
