/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The libraries this rmmhunt runs with, as they report themselves at run
 * time (not the headers it was built against), for --version and the
 * JSON: users paste them into bug reports, and a Debian or Homebrew
 * upgrade of one library shows there. */
#ifndef RMMHUNT_VERSIONS_H
#define RMMHUNT_VERSIONS_H

#include <stdbool.h>
#include <stddef.h>

struct library_version {
	const char *name;    /* "libevtx" */
	const char *version; /* "20181227"; NULL when not available */
	const char *serves;  /* what it reads, for the "built without" line */
	bool built_in;       /* false: configured --without it */
	const char *why;     /* built in but not loadable (version NULL):
	                        why; else NULL */
};

/* Fills out[] (at most max entries) and returns how many there are.
 * Version strings are the libraries' own, static. Loads libtsk and
 * libscca if they are not loaded yet; when one cannot be, its version is
 * NULL and its why says why (libtsk's in tsk_err, tsk_errsz bytes). */
size_t library_versions(struct library_version *out, size_t max, char *tsk_err,
			size_t tsk_errsz);

#endif
