/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The detection's _filter macro: rows a user knows to be good.
 *
 * One rule a line: conditions field=glob separated by blanks, all of
 * which must hold; field is a by-field name (case-sensitive), glob is
 * matched as Splunk does (case-insensitive, '*' any run). A value may be
 * double-quoted to hold blanks; inside quotes \" and \\ escape. '#'
 * starts a comment outside quotes. */
#ifndef RMMHUNT_ALLOWLIST_H
#define RMMHUNT_ALLOWLIST_H

#include <stdio.h>
#include "aggregate.h"

struct allow_cond {
	int field;       /* enum byfield */
	char *glob;
};

struct allow_rule {
	struct allow_cond *conds;
	size_t n_conds;
	int line;
};

struct allowlist {
	struct allow_rule *rules;
	size_t n_rules;
};

/* Parses one line into rule (n_conds 0 for a blank or comment line).
 * Returns 0, or -1 with a reason in err (err_size bytes). */
int allowlist_parse_line(const char *line, int lineno, struct allow_rule *rule,
                         char *err, size_t err_size);

/* Loads a file. Returns 0, or -1 after printing "FILE:LINE: reason". */
int allowlist_load(struct allowlist *al, const char *path);

/* Returns the line of the first rule that matches, or 0. */
int allowlist_match(const struct allowlist *al, char *const key[BF_COUNT]);

/* Marks matching rows suppressed and counts them in f. */
void allowlist_apply(const struct allowlist *al, struct findings *f);

void allowlist_free(struct allowlist *al);

#endif
