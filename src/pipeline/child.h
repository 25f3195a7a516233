/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* child: a worker process's side (child.c); the pool (worker.c) forks
 * and calls worker_main(). */
#ifndef RMMHUNT_CHILD_H
#define RMMHUNT_CHILD_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "discover.h"
#include "input.h"
#include "reader.h"
#include "wire.h"

/* How a worker exits. 8 is also what xmalloc() and friends exit with when
 * memory runs out (strbuf.c), which in a worker means the limit. */
enum {
	WORKER_EXIT_OK = 0,
	WORKER_EXIT_NOMEM = 8,
	WORKER_EXIT_IO = 9,       /* could not write to the pipe */
	WORKER_EXIT_SETUP = 10,   /* could not start the reading thread */
};

#define WORKER_FD 3                       /* the pipe, in the worker */

struct worker_job {
	struct input_list *list;      /* the logs to read: list->items[batch[i]], */
	const size_t *batch;          /*   n_batch of them, in turn; or: */
	size_t n_batch;
	const struct image_input *image;   /* the image to list */
	const struct collect_options *copt;
	const struct read_options *ropt;
	uint64_t mem_limit;
	uint64_t cpu_limit;           /* seconds; 0 = none */
	void *altstack;
	struct wire_out out;
	int code;
	pthread_mutex_t mu;           /* finished, between the two threads */
	pthread_cond_t cv;
	bool finished;                /* the reading thread is done */
};

/* Runs the job in this (forked) process and exits with a WORKER_EXIT_*
 * code: rfd and wfd are the pipe's ends (wfd becomes WORKER_FD); the
 * worker dies with parent. Never returns. */
void worker_main(struct worker_job job, int rfd, int wfd, pid_t parent)
	__attribute__((noreturn));

#endif
