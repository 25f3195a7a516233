/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* diag: the one-line messages on standard error.
 *
 * Every line names the file (or place) and what became of it, with
 * strings from the evidence escaped for the terminal (escape.h). The
 * lines of the inputs go out as each input ends, so a long run shows its
 * problems as they happen; inputs that share a status and a reason are
 * named DIAG_SAME times, then counted once at the end: ten thousand
 * tiny files that are not logs make four lines, not ten thousand (the
 * JSON has each). */
#ifndef RMMHUNT_DIAG_H
#define RMMHUNT_DIAG_H

#include "input.h"

#define DIAG_SAME 3

/* "rmmhunt: PATH: WHAT: REASON" (": REASON" when reason is not NULL). */
void diag_path(const char *path, const char *what, const char *reason);

struct diag;

/* A new tally of input lines; never NULL (exits when out of memory). */
struct diag *diag_new(void);

/* An input has ended: its line, unless it is ok or DIAG_SAME inputs
 * have had the same one. */
void diag_input(struct diag *d, const struct input *in);

/* The count of each line said more than DIAG_SAME times; frees d. */
void diag_finish(struct diag *d);

#endif
