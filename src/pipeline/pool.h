/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* pool: the parent's side of the workers (worker.h has the contract,
 * worker.c the overview), shared by worker.c, receive.c and settle.c.
 * Private to src/pipeline. */
#ifndef RMMHUNT_POOL_H
#define RMMHUNT_POOL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "discover.h"
#include "event.h"
#include "input.h"
#include "reader.h"
#include "strbuf.h"
#include "timefmt.h"
#include "worker.h"
#include "child.h"
#include "progress.h"
#include "wire.h"

/* Batches: files below BATCH_SMALL share a worker, up to BATCH_MAX_FILES
 * and BATCH_MAX_BYTES a batch, and no more than half of each
 * worker's share of what is left, so that the last batches still spread
 * over all the workers. */
#define BATCH_SMALL ((uint64_t)8 << 20)
#define BATCH_MAX_BYTES ((uint64_t)64 << 20)
#define BATCH_MAX_FILES 64u
#define READ_CHUNK ((size_t)256 << 10)

struct slot {
	pid_t pid;              /* 0 when free or reaped */
	int fd;                 /* read end; -1 once closed */
	size_t batch[BATCH_MAX_FILES];   /* the inputs it reads, in order (discovery:
	                           the one image) */
	size_t n_batch;
	size_t started;         /* of them, begun ('S' frames; discovery: 1) */
	size_t announced;       /* of them, passed to wopt->done already */
	bool in_file;           /* batch[started - 1] begun, its coverage not in */
	size_t index;           /* the input (image) being read */
	unsigned char *buf;     /* bytes received, not yet a whole frame */
	size_t len, cap;
	uint64_t events;        /* events (discovery: logs) of index delivered */
	bool done;              /* discovery: the 'D' frame arrived */
	struct input cov;       /* the coverage of index as it arrives */
	char *kill_reason;      /* set when the parent killed it */
	int64_t deadline;       /* ms on the monotonic clock; 0 = none */
};

/* What discovery gathered for one image, kept until every image is
 * done so that the order of the inputs never depends on the workers. */
struct found {
	struct locator *locs;
	uint64_t *sizes;
	uint8_t *kinds;         /* enum input_kind of each */
	size_t n;
	struct locator *note_at;
	char **note_why;
	bool *note_incomplete;
	size_t n_notes;
};

struct pool {
	struct input_list *list;
	bool discover;          /* the jobs are list->images, not list->items */
	size_t n_jobs;
	const struct collect_options *copt;
	struct found *found;    /* discovery: one per image */
	const struct read_options *ropt;
	const struct worker_options *wopt;
	event_sink sink;
	void *ctx;
	struct slot *slots;
	unsigned n_slots, running;
	bool stopped;           /* the sink asked to stop */
	struct progress progress;
	struct pollfd *pfd;     /* pool_step's, n_slots of each */
	struct slot **who;      /* the slot of each pfd[] */
	size_t next;            /* the next input to start a worker for */
	size_t *retry;          /* inputs to read again: the rest of the batch of a
	                           worker that failed; taken before next */
	size_t n_retry;
	const char *halt;       /* why reading stops (a signal, the deadline);
	                           NULL while it goes on */
	char fatal[256];        /* why the run failed; "" while it has not */
};

int64_t pool_now_ms(void);
/* Kills the worker for a reason of the parent's own, once; the first
 * reason wins. */
void pool_slot_kill(struct slot *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pool_slot_close(struct slot *s);
/* Reads what the worker has written and handles every complete frame. */
void pool_slot_read(struct pool *p, struct slot *s);
/* Input i is final: the caller hears of it (its line goes out under the
 * progress line, which is drawn again after). */
void pool_input_done(struct pool *p, size_t i);
/* The coverage of s->index arrived: it replaces all but the input's
 * place (path, locator, named, image), which the parent keeps. */
void pool_settle_input(struct pool *p, struct slot *s);
/* Marks input i not read for why; interrupted when the run was. */
void pool_not_read(struct pool *p, size_t i, const char *why);
void pool_finish_slot(struct pool *p, struct slot *s, int status);

#endif
