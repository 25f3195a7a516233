/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* scan + parse: read one EVTX file and hand each Sysmon Event ID 7
 * record, parsed into a struct event, to a callback. Coverage (record
 * counts, times, computers, errors) goes into the struct input.
 *
 * The file is opened read-only and never changed. */
#ifndef RMMHUNT_READER_H
#define RMMHUNT_READER_H

#include <stdbool.h>
#include "event.h"
#include "input.h"

struct scan_value_filter;

/* Called for each selected event. The callback may keep the event by
 * moving it (taking the strings and zeroing *ev); whatever is left in it
 * is freed by the reader. Returns 0, or -1 to stop reading. */
typedef int (*event_sink)(void *ctx, struct event *ev);

/* Which parsed records go to the sink: those of an Event ID id() admits
 * (asked before a record is rendered) that event() selects. The reader
 * knows no rule: the detection hands it its own (detect/rule.h:
 * rule_select), the story pass the story's (story/want.h:
 * story_select). */
struct event_select {
	bool (*id)(uint32_t event_id);
	bool (*event)(const struct event *ev);
};

struct read_options {
	const struct event_select *select;   /* required: see above; in the
	                      detection's pass what it selects is counted (the
	                      input's sysmon_eid7 counts) */
	const struct scan_matcher *names;   /* required: the pre-filter's
	                      matcher for the rule (detect/rule.h:
	                      rules_matcher), which also tells, reading every
	                      record, which hold its names */
	bool recovered;    /* also read records recovered from slack */
	bool prefilter;    /* byte-level pre-filter before libevtx */
	bool extended;     /* --extended-modules: two more module names */
	const struct archive_options *aopt;   /* --password-file (archives.h) */
	const struct scan_value_filter *story;   /* set: the story pass
	                      (src/story/): the records holding a value it
	                      wants are parsed, whatever the mode, and every
	                      Sysmon event of the story's Event IDs among them
	                      goes to the sink (coverage is not the point) */
	bool traces;       /* traces are read (not --no-traces): the records
	                      naming the client (RULE_CLIENT), and those that
	                      clear a log, are candidates too, and the events
	                      the trace rules read go to traced */
	event_sink traced; /* with traces: each process creation (Sysmon 1,
	                      Security 4688), log cleared (Security 1102,
	                      System 104) and Sysmon configuration change (16)
	                      read (the pre-filter's candidates, or every
	                      record), parsed; NULL: none wanted */
	void *traced_ctx;
	const struct event_select *traced_select;   /* which events go to
	                      traced: what the trace rules read
	                      (detect/rules.h: rules_event_select); NULL: none */
	const struct scan_value_filter *keys_of;   /* set (the detection's
	                      pass, story on: story_keys_of): a log read
	                      through the pre-filter keeps the keys of its
	                      records' values of_event asks (input.keys), so
	                      that the story pass need not read it again when
	                      it wants none of them */
};

/* Reads in->path. Returns 0 when the file was read (status ok or
 * partial in in->status), -1 when it could not be read at all (failed). */
int read_evtx(struct input *in, uint32_t input_index,
              const struct read_options *opt, event_sink sink, void *ctx);

/* An input's bytes, reopened where they lie (locate/): the source, and in
 * *media the image or archive below it (NULL for a file on disk); NULL,
 * the input failed and the reason noted, when it cannot be opened. Any
 * reader of an evidence kind opens with it and ends with read_close(),
 * which notes what the media cost and any damage found under it, and
 * closes src. */
struct source;
struct source *read_open(struct input *in, const struct read_options *opt,
			 struct source **media);
void read_close(struct input *in, struct source *src, struct source *media);

/* The same over src (borrowed), already open on the log's bytes: the
 * read path without the locator (the fuzz harness reads from memory). */
struct source;
int read_evtx_source(struct input *in, struct source *src, uint32_t input_index,
		     const struct read_options *opt, event_sink sink, void *ctx);

/* parse: fills ev from the XML libevtx renders for a record. Fields
 * that the XML lacks stay NULL. Returns 0, or -1 when the XML is not an
 * Event document. Exposed for the unit tests. */
int parse_event_xml(const char *xml, struct event *ev);

#endif
