/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* lazy: a library loaded on first need, once per process (libtsk in
 * container/tsk_api.c, libscca in trace/scca_api.c). Each keeps its
 * table of functions, a reason it could not load (why, "" when it did)
 * and a pthread_once_t; load() fills one of the two. */
#ifndef RMMHUNT_LAZY_H
#define RMMHUNT_LAZY_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

/* Runs load once; true when it loaded, else false with why copied to
 * err (errsz bytes; err may be NULL). */
static inline bool lazy_load(pthread_once_t *once, void (*load)(void), const char *why,
			     char *err, size_t errsz)
{
	pthread_once(once, load);
	if (!why[0])
		return true;
	if (err && errsz)
		snprintf(err, errsz, "%s", why);
	return false;
}

#endif
