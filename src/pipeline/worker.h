/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* workers: read every input file in a worker process of its own.
 *
 * libevtx as packaged by Debian (20181227) predates its fuzzing fixes: a
 * crafted or damaged record can make it crash, allocate gigabytes or
 * recurse past the stack. A triage archive holds hundreds of logs, so
 * one bad file must not end the run: each file is read by read_evtx() in
 * a child process under an address-space limit, a large stack and an
 * optional time limit, and whatever goes wrong in it becomes that file's
 * INPUT_FAILED status and reason while the other files are read. */
#ifndef RMMHUNT_WORKER_H
#define RMMHUNT_WORKER_H

#include <stdbool.h>
#include <stdint.h>
#include "input.h"
#include "reader.h"

struct worker_options {
	unsigned jobs;           /* worker processes at once; 0 = number of online CPUs */
	uint64_t mem_limit;      /* RLIMIT_AS per worker in bytes; 0 = no limit */
	unsigned time_limit;     /* seconds per file; 0 = none */
	bool progress;           /* progress line on stderr (the caller decides:
	                            only on a terminal and not with -q) */
};

#define WORKER_DEFAULT_MEM_LIMIT ((uint64_t)4 << 30)   /* 4 GiB */
#define WORKER_OPTIONS_DEFAULT \
	{ .jobs = 0, .mem_limit = WORKER_DEFAULT_MEM_LIMIT, .time_limit = 0, \
	  .progress = false }

/* The stack read_evtx() runs on in a worker (a thread with an explicit
 * stack, so it does not depend on RLIMIT_STACK or on how the kernel laid
 * out the main stack). */
#define WORKER_STACK_SIZE ((size_t)64 << 20)

/* Reads every input of list with read_evtx() in worker processes, at
 * most jobs at a time, one file per worker. Each worker sends back over
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
