/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* aggregate: de-duplicate matching events and group them into finding
 * rows, one per distinct by-field tuple, as Splunk's stats does. */
#ifndef RMMHUNT_AGGREGATE_H
#define RMMHUNT_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "rule.h"

struct finding {
	char *key[BF_COUNT];     /* by-field values, pointing into key_buf */
	char *key_buf;           /* owns them: each value and its NUL, in
	                            BF_ order (finding_set_key) */
	uint64_t count;          /* distinct events */
	uint64_t recovered;      /* of which only seen in recovered records */
	int64_t first, last;     /* min/max _time, FILETIME ticks */
	size_t *events;          /* indexes into findings.events, time order */
	size_t n_events;
	uint32_t *inputs;        /* distinct input indexes, ascending */
	size_t n_inputs;
	bool suppressed;         /* matched an allowlist rule */
	int allow_rule;          /* its line number, when suppressed */
	struct rule_rating rated;   /* what the rule says of the row (its
	                            risk, outside the search); owned */
};

/* One place an event was read from. */
struct event_copy {
	uint32_t input;
	uint64_t offset;         /* of the record in that input's log */
	uint8_t origin;          /* enum origin */
	bool recovered;
};

/* Every input an event was seen in: the copies of one event. */
struct event_sources {
	uint32_t *inputs;        /* ascending, distinct */
	size_t n;
	struct event_copy *copies;   /* every copy, the kept one first; owned */
	size_t n_copies;
};

struct findings {
	struct event *events;    /* matching events, owned; after grouping:
	                            distinct ones only, in row order */
	size_t n_events, cap_events;
	struct event_sources *sources;  /* parallel to events, after grouping */
	struct finding *rows;    /* sorted by the by-fields, byte-wise */
	size_t n_rows;
	uint64_t duplicates;     /* events dropped as seen before */
	size_t suppressed_rows;
	uint64_t suppressed_events;
};

/* Takes ownership of ev's strings (ev is zeroed). The order of calls
 * does not matter: the result depends only on the set of events. */
void findings_add(struct findings *f, struct event *ev);

/* Gives each event the input index perm maps its own to (after
 * input_list_sort). Call before findings_group or findings_dedupe. */
void findings_renumber(struct findings *f, const uint32_t *perm);

/* Adds input to the ascending, distinct list (*list, *n): the inputs an
 * event, a row or a story was read from. */
void input_set_add(uint32_t **list, size_t *n, uint32_t input);

/* De-duplicates only (the story's events, which form no rows): fills
 * f->sources. Call once, instead of findings_group. */
void findings_dedupe(struct findings *f);

/* De-duplicates, then groups the events into rows and sorts them. Call
 * once, after the last findings_add. Events with the same (Computer,
 * EventRecordID, SystemTime) are one event: an allocated copy is kept
 * over a recovered one, a live log's over a snapshot's over a carved
 * chunk's, then the one from the lowest input index (input_list_sort:
 * the first by path). */
void findings_group(struct findings *f);

void findings_free(struct findings *f);

/* Gives row copies of the by-field values key[] (each a string): one
 * allocation, key_buf, that row->key[] points into; row's own freed. */
void finding_set_key(struct finding *row, char *const key[BF_COUNT]);

#endif
