/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* scca_api: loading libscca once, on first need, into a namespace of its
 * own (scca_api.h says why). The table is written once under
 * pthread_once and only read after: a load-once cache, as tsk_api.c's. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* dlmopen, LM_ID_NEWLM */
#endif
#ifdef HAVE_LIBSCCA
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include "lazy.h"
#include "scca_api.h"

static struct scca_api api;
static char why[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

#ifdef SCCA_SONAME
/* dlsym() on the handle searches libscca and what it loaded, in its
 * namespace: libbfio's calls come from the copy libscca itself uses. */
static void load(void)
{
	void *h = dlmopen(LM_ID_NEWLM, SCCA_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(why, sizeof why, "libscca cannot be loaded: %s", dlerror());
		return;
	}
#define X(f) \
	if (!why[0] && !(*(void **)&api.f = dlsym(h, #f))) \
		snprintf(why, sizeof why, "libscca (%s) lacks %s", SCCA_SONAME, #f);
	SCCA_API(X)
#undef X
}
#else
static void load(void)
{
#define X(f) api.f = f;
	SCCA_API(X)
#undef X
}
#endif

const struct scca_api *scca_api_load(char *err, size_t errsz)
{
	return lazy_load(&once, load, why, err, errsz) ? &api : NULL;
}

const char *scca_api_version(const char **reason)
{
	const struct scca_api *a = scca_api_load(NULL, 0);
	*reason = a ? NULL : why;
	return a ? a->libscca_get_version() : NULL;
}
#endif
