/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* tsk_api: loading The Sleuth Kit once, on first need. The table is
 * written once under pthread_once and only read after: a load-once
 * cache, like the scanner's CRC tables, not state that changes. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include "lazy.h"
#include "tsk_api.h"

static struct tsk_api api;
static char why[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

#ifdef TSK_SONAME
static void load(void)
{
	void *h = dlopen(TSK_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(why, sizeof why, "The Sleuth Kit (libtsk) cannot be loaded: %s",
			 dlerror());
		return;
	}
#define X(f) \
	if (!why[0] && !(*(void **)&api.f = dlsym(h, #f))) \
		snprintf(why, sizeof why, "The Sleuth Kit (%s) lacks %s", TSK_SONAME, #f);
	TSK_API(X)
#undef X
}
#else
static void load(void)
{
#define X(f) api.f = f;
	TSK_API(X)
#undef X
}
#endif

const struct tsk_api *tsk_api_load(char *err, size_t errsz)
{
	return lazy_load(&once, load, why, err, errsz) ? &api : NULL;
}
