/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Where reports may go, decided before the scan starts: never over an
 * input, inside an input directory or an image's folder (its segments,
 * extents and companions live there), never two reports into one file,
 * and not through a symbolic link that leads to any of those. A
 * responder's evidence folder stays as it was acquired. */
#ifndef RMMHUNT_DESTINATION_H
#define RMMHUNT_DESTINATION_H

#include <stddef.h>
#include "input.h"

struct destination {
	const char *option;     /* "--csv" */
	const char *path;       /* as given; NULL when not asked for; "-" stdout */
};

/* Checks the n destinations against each other, against the PATHs named
 * on the command line (paths, n_paths) and against the inputs they
 * expanded to. Returns 0, or -1 with err (errsz bytes) naming the
 * option, the path and the reason. */
#define DESTINATIONS_MAX 8   /* destinations one call checks */

int destinations_check(const struct destination *d, size_t n, char *const *paths,
		       size_t n_paths, const struct input_list *inputs, char *err,
		       size_t errsz);

/* Whether a file written at path would land in the evidence (the PATHs
 * and the inputs, as destinations_check() tells): the reason, with *what
 * the evidence it would land in; NULL when it would not. */
const char *destination_in_evidence(const char *path, char *const *paths, size_t n_paths,
				    const struct input_list *inputs, const char **what);

#endif
