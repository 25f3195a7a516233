/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* rules: the trace rules, one file a rule, over what an evidence kind's
 * reader read (a Prefetch file's facts, for now). Each turns an
 * artifact into the traces (trace.h) it proves, with what it proves and
 * what it cannot tell. The Splunk detection over Sysmon Event ID 7 is
 * rule.h: traces never enter its rows. */
#ifndef RMMHUNT_RULES_H
#define RMMHUNT_RULES_H

#include <stdint.h>
#include "artifact.h"
#include "reader.h"
#include "scan.h"
#include "trace.h"

struct prefetch;
struct amcache;
struct hive;
struct file_facts;
struct event;

/* NetSupport's client started outside Program Files, from a process
 * creation event (Sysmon Event ID 1, Security 4688) as the reader hands
 * it (netsupport_process.c). Returns 0, or -1 when the sink asked to
 * stop. */
int rules_process_creation(const struct event *ev, trace_sink sink, void *ctx);

/* A log cleared (Security 1102, System 104) or Sysmon's configuration
 * changed (16): a trace of kind log-cleared, verdict "blind", that says
 * why a host may show nothing (log_cleared.c). Returns 0, or -1 when the
 * sink asked to stop. */
int rules_log_cleared(const struct event *ev, trace_sink sink, void *ctx);

/* What a rule over events asks of the pre-filter, beyond the records
 * that name a module: the records of event_id from provider (PROVIDER_*
 * of event.h; another name is any provider, to the pre-filter, and the
 * rule's select.event tells), when names is set holding one of them
 * (lower case, matched ignoring case). */
struct event_rule_want {
	const char *provider;
	uint32_t event_id;
	const char *names[SCAN_WANT_NAMES];
};
#define EVENT_RULE_WANTS 3

/* A rule over the events the EVTX reader parses for the traces: which
 * it reads (by Event ID before a record is rendered, then by the event),
 * what it makes of one, and what the pre-filter must hand over for it
 * (name: any record holding it; wants: records by Event ID). A rule is
 * one file (netsupport_process.c, log_cleared.c) and one row of
 * event_rules[] (event_rules.c); nothing else names it. */
struct event_rule {
	struct event_select select;
	int (*apply)(const struct event *ev, trace_sink sink, void *ctx);
	const char *name;                          /* lower case, or NULL */
	struct event_rule_want wants[EVENT_RULE_WANTS];   /* event_id 0 ends */
};

/* The rules over events, NULL-terminated (event_rules.c: the table). */
extern const struct event_rule *const event_rules[];

/* What the rules of event_rules[] read, together, as the EVTX reader is
 * handed it (read_options.traced_select). */
extern const struct event_select rules_event_select;

/* Each rule of event_rules[] that selects ev, on it: its traces to sink.
 * Returns 0, or -1 when the sink asked to stop. */
int rules_on_event(const struct event *ev, trace_sink sink, void *ctx);

/* The pre-filter's matcher (evtx/scan.h): the search's module names
 * (rule.h), with --extended-modules' two when extended; when traced,
 * with what each rule over events asks of it (a name, wants). Built
 * once; the EVTX reader is handed it (read_options.names). NULL when it
 * cannot be built (a rule asks for more than the scanner holds). */
const struct scan_matcher *rules_matcher(bool extended, bool traced);

/* A trace of an event (what the two rules above share): its host (the
 * event's Computer), kind and verdict, its time with what it means, and
 * where the record lies (input, offset); the rest left to the rule. */
void rules_trace_of_event(struct trace *t, const struct event *ev, const char *kind,
                          const char *verdict, const char *meaning);

/* One of NetSupport's files on disk outside Program Files: present, not
 * proof that it ran (netsupport_files.c). Returns 0, or -1 when the sink
 * asked to stop. */
int rules_file(const struct file_facts *f, const struct read_options *opt,
               uint32_t input_index, trace_sink sink, void *ctx);

/* Whether a file's name (the last part of path, any case) is one of
 * NetSupport's files: client32.exe, the eight modules of --extended-modules,
 * client32.ini, NSM.LIC, NSM.ini, remcmdstub.exe. Discovery lists these
 * (netsupport_files.c). */
bool rules_netsupport_file(const char *path);

/* NetSupport's client started by a Run key or a service
 * (netsupport_registry.c). Returns 0, or -1 when the sink asked to stop. */
int rules_hive(const struct hive *h, const struct read_options *opt, uint32_t input_index,
               trace_sink sink, void *ctx);

/* NetSupport's client, or its modules, in Amcache outside Program Files
 * (netsupport_amcache.c). Returns 0, or -1 when the sink asked to stop. */
int rules_amcache(const struct amcache *a, const struct read_options *opt,
                  uint32_t input_index, trace_sink sink, void *ctx);

/* The NetSupport client's folder outside Program Files, seen in a
 * Prefetch file (netsupport_prefetch.c). Hands each trace to sink;
 * returns 0, or -1 when the sink asked to stop. */
int rules_prefetch(const struct prefetch *pf, const struct read_options *opt,
                   uint32_t input_index, trace_sink sink, void *ctx);

/* The rule over what the reader of evidence kind k read (a Prefetch
 * file's facts to rules_prefetch, ...), as the worker hands it to
 * read_artifact; NULL for a kind without one (an event log: its rules
 * see events). rules.c holds the table. */
artifact_rules rules_of_kind(enum input_kind k);

/* The part of an NT path after its volume (\VOLUME{...} or
 * \DEVICE\HARDDISKVOLUMEn), which is the whole path when it names none. */
const char *rules_path_on_volume(const char *nt_path);

/* Whether a path on a volume is under \Program Files\ or \Program Files
 * (x86)\ at the volume's top: the rule's exclusion, where the volume
 * cannot be matched to the drive Windows calls C:. */
bool rules_under_program_files(const char *path_on_volume);

#endif
