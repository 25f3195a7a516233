/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* reach: how far back each host's logs go, per source (live logs, each
 * volume shadow copy, carved chunks): the snapshots and the carving are
 * why a host's window can be wider than its live log. One table for the
 * JSON and the HTML. */
#ifndef RMMHUNT_REACH_H
#define RMMHUNT_REACH_H

#include <stddef.h>
#include <stdint.h>
#include "input.h"

struct reach_row {
	const char *host;       /* borrowed from the inputs */
	char *source;           /* "live", "VSS store 1 (2024-03-01T02:00:00Z)",
	                           "carved"; owned */
	int rank;               /* live 0, snapshots by store, carved last */
	size_t inputs;          /* logs of the host from this source */
	int64_t first, last;    /* record written times; TIME_NONE */
};

struct reach {
	struct reach_row *rows; /* sorted by host, then rank */
	size_t n;
};

/* Builds the table from the inputs' coverage. */
void reach_build(struct reach *r, const struct input_list *in);
void reach_free(struct reach *r);

#endif
