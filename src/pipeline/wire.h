/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* wire: the frames a worker sends its parent over its pipe, written in
 * the worker (wire_send_*) and read back in the parent (wire_read_*,
 * wire_get_*) in the same order.
 *
 * Wire format, all integers little-endian:
 *   frame  = type:u8 length:u32 payload[length]
 *   string = length:u32 bytes, length 0xffffffff for NULL; no NUL bytes,
 *            at most WIRE_STR_MAX bytes (longer ones are cut by the worker
 *            at a UTF-8 boundary; a record is at most 64 KiB anyway)
 *   'E' event:    field[EF_COUNT]:string event_id:u32 record_id:u64
 *                 time:i64 time_from_header:u8 recovered:u8 origin:u8 input:u32
 *                 offset:u64
 *   'T' trace:    each of TRACE_FIELDS (trace.h) in order: strings as
 *                 strings, times and counts as u64
 *   'C' computer: name:string
 *   'S' start:    input:u32 (the next file of the batch, in order)
 *   'I' coverage: size:u64 sha256:string status:u8 reason:string
 *                 each of INPUT_COUNTS (input.h) in order:u64
 *                 first_time last_time:i64 dirty:u8 artifact:string
 *                 n_computers:u32 keys_known:u8 n_keys:u32 (at most
 *                 VALUE_KEYS_MAX) keys:u64[n_keys] (ascending)
 *                 (n_computers 'C' frames came before it; the file's last)
 *
 * A discovery worker (run_discovery) lists one image's logs instead:
 *   'L' log:      locator size:u64 kind:u8 (enum input_kind)
 *   'N' note:     locator incomplete:u8 reason:string
 *   'D' done:     status:u8 reason:string detail:string logs volumes
 *                 snapshots media_read spooled:u64 verify:string (the last frame)
 *   locator = n:u32 (at most WIRE_STEPS_MAX) then per step kind:u8
 *             index offset size:u64 time:i64 name:string detail:string
 * Anything else (unknown type, oversized frame or string, bad status,
 * a frame not used up exactly, a file out of order, an event outside a
 * file, data after 'D') is malformed: the worker is killed and the file
 * it was reading failed. */
#ifndef RMMHUNT_WIRE_H
#define RMMHUNT_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "discover.h"
#include "event.h"
#include "input.h"
#include "strbuf.h"
#include "trace.h"

#define WIRE_STR_MAX ((uint32_t)1 << 20)      /* 1 MiB a string */
#define WIRE_NULL 0xffffffffu
#define WIRE_FRAME_MAX (EF_COUNT * (4 + WIRE_STR_MAX) + 64)
#define WIRE_HEADER 5
#define WIRE_COMPUTERS_MAX 1000000u
#define WIRE_STEPS_MAX 64u

enum { MSG_START = 'S', MSG_EVENT = 'E', MSG_COMPUTER = 'C', MSG_COVERAGE = 'I',
       MSG_LOG = 'L', MSG_NOTE = 'N', MSG_DONE = 'D', MSG_TRACE = 'T' };

/* The worker's end: the pipe and the frame being built. */
struct wire_out {
	int fd;
	struct strbuf sb;
};

/* The parent's reading of one frame's payload. */
struct wire_in {
	const unsigned char *p, *end;
	const char *error;      /* the first problem, NULL while all is well */
};

void wire_le_store(char *b, uint64_t v, int bytes);
uint64_t wire_le_load(const unsigned char *p, int bytes);

/* Building and sending a frame (worker side). wire_frame_send returns 0,
 * or -1 when the pipe is gone. */
void wire_put_uint(struct strbuf *sb, uint64_t v, int bytes);
void wire_put_str(struct strbuf *sb, const char *s);
void wire_put_locator(struct strbuf *sb, const struct locator *loc);
void wire_frame_begin(struct wire_out *w, int type);
int wire_frame_send(struct wire_out *w);

/* Whole frames; each returns 0, or -1 when the pipe is gone. send_event
 * is an event_sink, send_log and send_note a discover_sink's callbacks
 * (ctx: the struct wire_out). */
int wire_send_event(void *ctx, struct event *ev);
int wire_send_start(struct wire_out *w, size_t index);
/* A 'T' frame: the trace's fields in TRACE_FIELDS order (a trace_sink). */
int wire_send_trace(void *ctx, struct trace *t);
int wire_send_coverage(struct wire_out *w, const struct input *in);
int wire_send_log(void *ctx, const struct locator *loc, uint64_t size, uint8_t kind);
int wire_send_note(void *ctx, const struct locator *where, bool incomplete,
                   const char *reason);
int wire_send_done(struct wire_out *w, const struct discover_result *r);

/* Reading a payload (parent side). After an error (r->error set) every
 * call returns 0, false or NULL; a string is a new allocation. */
uint64_t wire_get_uint(struct wire_in *r, int bytes);
/* The same, and r->error = why when the value is over largest. */
uint64_t wire_get_at_most(struct wire_in *r, int bytes, uint64_t largest, const char *why);
bool wire_get_bool(struct wire_in *r);
char *wire_get_str(struct wire_in *r, bool nullable);
void wire_get_locator(struct wire_in *r, struct locator *loc);
/* Whether the frame read well and was used up exactly. */
bool wire_frame_whole(struct wire_in *r);
/* An 'E' frame into ev (its strings new allocations). */
void wire_read_event(struct wire_in *r, struct event *ev);
/* A 'T' frame into t (trace_init'ed; its strings new allocations). */
void wire_read_trace(struct wire_in *r, struct trace *t);
/* A 'D' frame (wire_send_done) into the listing's members of a zeroed
 * im: status, reason, stored hashes, IMAGE_COUNTS, --verify-image's
 * outcome; each string a new allocation, NULL for none or "". */
void wire_read_done(struct wire_in *r, struct image_input *im);
/* An 'I' frame into c, which holds the computer names received so far. */
void wire_read_coverage(struct wire_in *r, struct input *c);

#endif
