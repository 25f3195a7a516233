/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* merge: parts (part.h) into the inputs, findings and stories that one
 * run over all their inputs would have had.
 *
 * Each part's inputs are appended and put in the one order a run uses
 * (input_list_sort); every copy of every event is added again, so the
 * same event in two parts is one event and the copy kept is the one a
 * single run keeps; the rows are grouped and the allowlist applied here,
 * at merge; the stories are built from the parts' story events. */
#ifndef RMMHUNT_MERGE_H
#define RMMHUNT_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include "allowlist.h"
#include "part.h"
#include "story.h"

struct merged {
	struct input_list inputs;
	struct findings findings;
	struct stories stories;     /* notes: the parts' own, each named,
	                               and a story that may lack events */
	struct part_options opt;    /* the parts' (the same in all) */
	bool prefilter;             /* every part read with the pre-filter */
	bool traces_on;             /* the parts read traces (none --no-traces) */
	struct traces traces;       /* theirs, one run's order, hosts as the
	                               parts attributed them */
	uint64_t out_of_range;
};

/* Merges the parts; one that could not be read (why[i] not NULL: the
 * reason) becomes a skipped entry that counts against the scan: its
 * hosts were not checked here. Takes
 * the contents of the parts (they are left to part_free). Returns 0, or
 * -1 with err saying which part differs from the first and how (another
 * rmmhunt or rule version, other --from/--to, --no-recovered,
 * --extended-modules or --no-story): such parts cannot give the reports
 * of one run. */
int merge_parts(struct part *parts, const char *const *why, size_t n, const struct allowlist *allow,
		struct merged *m, char *err, size_t errsz);
void merged_free(struct merged *m);

#endif
