/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* artifact: the evidence kinds beside the logs, one row each in
 * ARTIFACT_KINDS, read by one function in the workers: the input
 * reopened where it lies, hashed, read by its kind's reader, described,
 * its times noted, its traces found by its kind's rule.
 *
 * A kind is a reader file in src/trace/ (its state and these five
 * functions), a rule file in src/detect/ (its row of rules_of_kind), its
 * bid in container/bid.c and a row here. */
#ifndef RMMHUNT_ARTIFACT_H
#define RMMHUNT_ARTIFACT_H

#include <stdbool.h>
#include <stdint.h>
#include "input.h"
#include "reader.h"
#include "source.h"
#include "trace.h"

/* A kind's rule over what its reader read (detect/rules.h:
 * rules_of_kind): its traces to sink; 0, or -1 when the sink asked to
 * stop. The reader does not call it: the worker hands it over. */
typedef int (*artifact_rules)(const void *state, const struct read_options *opt,
			      uint32_t input_index, trace_sink sink, void *ctx);

struct artifact_kind {
	enum input_kind kind;
	/* Reads src (borrowed) of input in into a new state; NULL with err
	 * set when it cannot. */
	void *(*read)(struct source *src, const struct input *in, char *err, size_t errsz);
	/* What it is, one line for the reports' inputs; caller frees. */
	char *(*summary)(const void *state);
	/* Whether part of it could not be read (the summary says what). */
	bool (*partial)(const void *state);
	/* Adds its times to in (input_add_time). */
	void (*times)(const void *state, struct input *in);
	/* Adds the hosts it names to in (input_add_computer): a SYSTEM
	 * hive's computer name; NULL when the kind names none. */
	void (*hosts)(const void *state, struct input *in);
	void (*free)(void *state);
};

/* X(enum input_kind, the kind's descriptor) */
#define ARTIFACT_KINDS(X) \
	X(INPUT_PREFETCH, prefetch_kind) \
	X(INPUT_AMCACHE, amcache_kind) \
	X(INPUT_HIVE, hive_kind) \
	X(INPUT_FILE, file_kind)

#define X(k, desc) extern const struct artifact_kind desc;
ARTIFACT_KINDS(X)
#undef X

/* The descriptor of kind k, or NULL (an event log). */
const struct artifact_kind *artifact_kind_of(enum input_kind k);

/* Reads input in as its kind says: coverage into in (size, SHA-256,
 * status, in->artifact, times), and what rules finds in it to sink
 * (NULL: no rule). Returns 0, or -1 when it could not be read
 * (in->status failed, the reason noted). */
int read_artifact(struct input *in, uint32_t input_index, const struct read_options *opt,
                  artifact_rules rules, trace_sink sink, void *ctx);

#endif
