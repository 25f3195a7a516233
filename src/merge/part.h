/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* part: what a run knows, in its JSON report, exactly enough for merge
 * to make the reports one run over every part's inputs would make.
 *
 *   run -> part_write (the JSON's "part" member)
 *   part.json ... -> part_read -> merge_parts -> run -> reports
 *
 * The rest of the JSON is for people and may round and summarise; the
 * part member keeps every input's coverage, every copy of every matching
 * and story event with all its fields, FILETIME ticks as integers and
 * strings byte for byte (json_quote_exact). Parts are merged only by
 * the same rmmhunt version, rule version and PART_FORMAT. */
#ifndef RMMHUNT_PART_H
#define RMMHUNT_PART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "aggregate.h"
#include "input.h"
#include <stdio.h>
#include "strbuf.h"
#include "trace.h"

#define PART_FORMAT 2

struct run;

/* An event field's name in the part: its Data Name, or for the System
 * ones Provider, Computer, UserID. */
const char *part_field_name(enum event_field f);

/* Appends "part":{...} (no comma after it) for run. With out, what sb
 * holds is written to it as each event ends (sb_flush_to), so that a
 * long part is never held whole; NULL: all of it stays in sb. */
void part_write(struct strbuf *sb, const struct run *run, FILE *out);

/* The options of a run that change its findings or stories: parts must
 * agree on them to be merged. */
struct part_options {
	int64_t from, to;        /* TIME_NONE when unset */
	bool recovered, extended, story;
	bool allowlist;          /* the part was run with one */
	bool prefilter;          /* need not agree (the same verdicts) */
};

/* One part as read back. */
struct part {
	char *path;              /* the file it was read from; owned */
	char *version, *rule_version;   /* owned */
	struct part_options opt;
	struct input_list inputs;     /* owned */
	struct findings events;  /* every copy of every matching event, one
	                            event a copy, not grouped; owned */
	struct findings story;   /* the same for the story events */
	uint64_t out_of_range;
	bool traces_on;          /* the run read traces (not --no-traces) */
	struct traces traces;    /* its traces, input indexes the part's; owned */
	unsigned passes;
	size_t inputs_read;
	char **notes, **story_hosts;  /* owned */
	size_t n_notes, n_story_hosts;
};

/* Reads the part in the JSON report at path. Returns 0, or -1 with err
 * set to why (not JSON, no part member, a member missing or of the wrong
 * type: named). */
int part_read(const char *path, struct part *p, char *err, size_t errsz);
/* The same for a report's n bytes at text, into p (its path left as it
 * is; part_free() it after a failure too). */
int part_parse(const char *text, size_t n, struct part *p, char *err, size_t errsz);
void part_free(struct part *p);

/* Whether the file at path begins as rmmhunt's JSON report does (after
 * any white space): 1 yes, 0 no (an EVTX file, another JSON: not a part
 * at all, which merge refuses as a usage error), -1 when it cannot be
 * read (part_read says why). Reads at most its first 64 bytes. */
int part_sniff(const char *path);

#endif
