/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* trace: what Windows remembers of NetSupport outside Sysmon's image
 * loads (Prefetch for now), one row a trace. Traces never enter the
 * Splunk rows (aggregate.h): they answer for hosts the detection cannot
 * look at, and each says what it proves.
 *
 * A trace's fields are one list (TRACE_FIELDS): the struct, the worker's
 * wire frame (wire.c), the CSV (report_traces.c) and the JSON are made
 * from it, so a field added here reaches all of them. */
#ifndef RMMHUNT_TRACE_H
#define RMMHUNT_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* S: a string (owned, UTF-8; NULL when absent), T: a time (FILETIME
 * ticks, TIME_NONE when absent), U: a count. X(kind, name, doc) */
#define TRACE_FIELDS(X) \
	X(S, host,          "the host, where the evidence names one") \
	X(S, kind,          "the artifact: prefetch, amcache, registry, file") \
	X(S, verdict,       "what it proves: ran, present") \
	X(S, executable,    "the program's path as the artifact writes it") \
	X(S, modules,       "NetSupport modules it names, joined by '; '") \
	X(S, detail,        "what the rule saw, and what it could not tell") \
	X(T, first_seen,    "earliest time the artifact gives") \
	X(S, first_meaning, "what that time is") \
	X(T, last_seen,     "latest time the artifact gives") \
	X(S, last_meaning,  "what that time is") \
	X(U, run_count,     "times run, where the artifact counts them") \
	X(S, sha1,          "the file's SHA-1, where the artifact keeps it") \
	X(S, sha256,        "the file's SHA-256, where the file itself was read") \
	X(S, signer,        "the Authenticode signer's name, where the file was read (its chain not verified)") \
	X(U, input,         "the input (evidence file) it was read from") \
	X(U, offset,        "its byte offset in that input")

#define TRACE_TYPE_S char *
#define TRACE_TYPE_T int64_t
#define TRACE_TYPE_U uint64_t

struct trace {
#define X(k, name, doc) TRACE_TYPE_##k name;
	TRACE_FIELDS(X)
#undef X
};

/* Called for each trace a reader finds; the callback may take the
 * strings (moving them, zeroing the fields); whatever is left is freed
 * by the caller. Returns 0, or -1 to stop reading. */
typedef int (*trace_sink)(void *ctx, struct trace *t);

/* One time for both ends, with what it means (when it is known): an
 * artifact that keeps a single time (a key's last-written time). */
void trace_once(struct trace *t, int64_t when, const char *meaning);
/* Hands t to sink and clears it. Returns 0, or -1 when the sink asked
 * to stop. */
int trace_hand(trace_sink sink, void *ctx, struct trace *t);

/* Frees the strings and zeroes the trace (times to TIME_NONE). */
void trace_clear(struct trace *t);
/* A trace with every time TIME_NONE and nothing else set. */
void trace_init(struct trace *t);

/* The traces of a run, in one order whatever the order they came in. */
struct traces {
	struct trace *v;
	size_t n, cap;
	uint64_t duplicates;    /* the same trace read again (a snapshot's
	                           copy of a live Prefetch file, a second
	                           copy of a collection) */
};

/* Takes the trace's strings (t is zeroed). */
void traces_add(struct traces *ts, struct trace *t);
/* Gives each trace the input index perm maps its own to (after
 * input_list_sort). */
void traces_renumber(struct traces *ts, const uint32_t *perm);
/* Sorts by host, executable, last_seen, kind, input; drops a trace
 * whose every field but its input and offset equals one kept before
 * (the lowest input index is kept). */
void traces_finish(struct traces *ts);
void traces_free(struct traces *ts);

#endif
