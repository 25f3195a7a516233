/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* workers: read the input files in worker processes.
 *
 * libevtx as packaged by Debian (20181227) predates its fuzzing fixes: a
 * crafted or damaged record can make it crash, allocate gigabytes or
 * recurse past the stack. A triage archive holds hundreds of logs, so
 * one bad file must not end the run: files are read by read_evtx() in
 * child processes under an address-space limit, a CPU-time limit, a
 * large stack and a time limit per file, and whatever goes wrong in one
 * becomes that file's INPUT_FAILED status and reason while the other
 * files are read. Small files go to a worker in batches (a fork costs
 * more than reading a small log); when one crashes its worker, it is
 * named and the files after it in the batch are read again by a fresh
 * worker, so batching never costs a file. */
#ifndef RMMHUNT_WORKER_H
#define RMMHUNT_WORKER_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include "input.h"
#include "reader.h"
#include "trace.h"

struct worker_options {
	unsigned jobs;           /* worker processes at once; 0 = number of online CPUs */
	uint64_t mem_limit;      /* RLIMIT_AS per worker in bytes; 0 = no limit */
	unsigned time_limit;     /* seconds per file; 0 = none; WORKER_TIME_AUTO:
	                            worker_time_limit() of its size */
	int64_t deadline;        /* CLOCK_MONOTONIC ms at which reading stops
	                            (--deadline); 0 = none */
	const char *(*interrupted)(void);   /* why reading must stop now (a
	                            signal: interrupt.h), else NULL; may be NULL */
	bool progress;           /* progress line on stderr (the caller decides:
	                            only on a terminal and not with -q) */
	void (*done)(void *ctx, struct input *in);   /* run_workers: called once
	                            for each input, in this process, as soon as
	                            its status is final (when its worker ends,
	                            or when reading stops); may be NULL */
	void *done_ctx;
	trace_sink trace;        /* run_workers: called for each trace a
	                            worker found (Prefetch), in this process;
	                            may be NULL (traces dropped) */
	void *trace_ctx;
};

#define WORKER_DEFAULT_MEM_LIMIT ((uint64_t)4 << 30)   /* 4 GiB */
#define WORKER_TIME_AUTO UINT_MAX
/* The default time limit of a file: WORKER_TIME_BASE seconds, and
 * WORKER_TIME_PER_GIB more a GiB of it. Reading goes at 100 MB/s and
 * more; this allows 4 MiB/s on the slowest disk, and ends a worker stuck
 * in a crafted file within minutes rather than never. */
#define WORKER_TIME_BASE 300u
#define WORKER_TIME_PER_GIB 256u
#define WORKER_OPTIONS_DEFAULT \
	{ .jobs = 0, .mem_limit = WORKER_DEFAULT_MEM_LIMIT, .time_limit = WORKER_TIME_AUTO, \
	  .deadline = 0, .interrupted = NULL, .progress = false, .done = NULL, \
	  .done_ctx = NULL, .trace = NULL, .trace_ctx = NULL }

/* The time limit in seconds (0 = none) of a file of bytes bytes. */
unsigned worker_time_limit(const struct worker_options *o, uint64_t bytes);

/* A worker whose address space comes within 1/WORKER_MEM_MARGIN of its
 * limit is at the limit: allocations fail there, and libevtx then spins
 * on them for minutes before giving up on a record. The worker checks
 * every WORKER_MEM_CHECK_MS and stops itself, reported as the memory
 * limit. */
#define WORKER_MEM_MARGIN 16
#define WORKER_MEM_CHECK_MS 50

/* The stack read_evtx() runs on in a worker (a thread with an explicit
 * stack, so it does not depend on RLIMIT_STACK or on how the kernel laid
 * out the main stack). */
#define WORKER_STACK_SIZE ((size_t)64 << 20)

/* Reads every input of list with read_evtx() in worker processes, at
 * most jobs at a time, small files in batches. Each worker sends back over
 * a pipe its file's coverage and every event read_evtx() handed to its
 * sink; the parent copies the coverage into list->items[i] (path and
 * named are kept) and calls sink(ctx, &ev) for each event, in this
 * process and thread, so the sink needs no locking. Events arrive in no
 * particular order; coverage always lands at its own index, so the result
 * does not depend on jobs.
 *
 * A worker that crashes, exceeds mem_limit, runs past time_limit, exits
 * early or sends malformed data leaves its input INPUT_FAILED with the
 * reason; the events it sent complete before that are still delivered
 * (see worker.c for why).
 *
 * When wopt->interrupted() says so, or wopt->deadline passes, the
 * workers are stopped: the files being read and those not started are
 * INPUT_FAILED, marked interrupted, and list->interrupted says why; what
 * was read is kept, and the call returns 0.
 *
 * Returns 0, or -1 on a fatal error: no worker could be started at all,
 * poll() failed, or the sink returned -1 (stop). Inputs not read then are
 * marked failed, so the coverage stays honest. */
int run_workers(struct input_list *list, const struct read_options *ropt,
                const struct worker_options *wopt, event_sink sink, void *ctx);

/* Lists the logs inside each image of list->images (discover.h), one
 * worker an image under the same limits, and appends them to list as
 * inputs (in image order, whatever jobs), with a skipped entry for each
 * part that was not searched. Each image's status and reason are set; a
 * worker that fails keeps the logs it listed whole. Returns 0, or -1 on a
 * fatal error as run_workers. */
int run_discovery(struct input_list *list, const struct collect_options *copt,
                  const struct worker_options *wopt);

/* The number of workers jobs == 0 stands for: the online CPUs, at least 1. */
unsigned worker_default_jobs(void);

#endif
