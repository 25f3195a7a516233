/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* wire: the frames a worker sends its parent (wire.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "strbuf.h"
#include "value_keys.h"
#include "wire.h"

/* ------------------------------------------------------------------ */
/* The wire's integers, written by the worker, read by the parent.      */

void wire_le_store(char *b, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		b[i] = (char)(unsigned char)(v >> (8 * i));
}

uint64_t wire_le_load(const unsigned char *p, int bytes)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* ------------------------------------------------------------------ */
/* The worker side.                                                     */

void wire_put_uint(struct strbuf *sb, uint64_t v, int bytes)
{
	char b[8];
	wire_le_store(b, v, bytes);
	sb_append(sb, b, (size_t)bytes);
}

void wire_put_str(struct strbuf *sb, const char *s)
{
	if (!s) {
		wire_put_uint(sb, WIRE_NULL, 4);
		return;
	}
	size_t n = strlen(s);
	if (n > WIRE_STR_MAX) {
		n = WIRE_STR_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	wire_put_uint(sb, n, 4);
	sb_append(sb, s, n);
}

void wire_frame_begin(struct wire_out *w, int type)
{
	w->sb.len = 0;
	wire_put_uint(&w->sb, (unsigned)type, 1);
	wire_put_uint(&w->sb, 0, 4);
}

/* Fills in the length and writes the frame. Returns 0, or -1 when the
 * pipe is gone (the parent died or gave up on this worker). */
int wire_frame_send(struct wire_out *w)
{
	wire_le_store(w->sb.data + 1, w->sb.len - WIRE_HEADER, 4);
	const char *p = w->sb.data;
	size_t left = w->sb.len;
	while (left > 0) {
		ssize_t k = write(w->fd, p, left);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		left -= (size_t)k;
	}
	w->sb.len = 0;
	return 0;
}

/* The sink read_evtx() calls in the worker: one write() per event, so
 * that an event is in the pipe before the reader can go on to crash.
 * The parent's wire_read_event() reads the fields back in the same order. */
int wire_send_event(void *ctx, struct event *ev)
{
	struct wire_out *w = ctx;
	wire_frame_begin(w, MSG_EVENT);
	for (int i = 0; i < EF_COUNT; i++)   /* the worker's own left out */
		wire_put_str(&w->sb, event_field_kept[i] ? ev->field[i] : NULL);
#define PUT(member, bytes, largest, ...) wire_put_uint(&w->sb, (uint64_t)ev->member, bytes);
	EVENT_HEAD(PUT)
	EVENT_COPY(PUT)
#undef PUT
	return wire_frame_send(w);
}

int wire_send_start(struct wire_out *w, size_t index)
{
	wire_frame_begin(w, MSG_START);
	wire_put_uint(&w->sb, index, 4);
	return wire_frame_send(w);
}

/* Each field as TRACE_FIELDS lists it: strings as strings, times and
 * counts as u64. */
int wire_send_trace(void *ctx, struct trace *t)
{
	struct wire_out *w = ctx;
	wire_frame_begin(w, MSG_TRACE);
#define S_(name) wire_put_str(&w->sb, t->name);
#define T_(name) wire_put_uint(&w->sb, (uint64_t)t->name, 8);
#define U_(name) wire_put_uint(&w->sb, t->name, 8);
#define X(k, name, doc) k##_(name)
	TRACE_FIELDS(X)
#undef X
#undef S_
#undef T_
#undef U_
	return wire_frame_send(w);
}

void wire_read_trace(struct wire_in *r, struct trace *t)
{
#define S_(name) t->name = wire_get_str(r, true);
#define T_(name) t->name = (int64_t)wire_get_uint(r, 8);
#define U_(name) t->name = wire_get_uint(r, 8);
#define X(k, name, doc) k##_(name)
	TRACE_FIELDS(X)
#undef X
#undef S_
#undef T_
#undef U_
}

/* The computer names, then the coverage (read back by wire_read_coverage()). */
int wire_send_coverage(struct wire_out *w, const struct input *in)
{
	size_t n = in->n_computers < WIRE_COMPUTERS_MAX ? in->n_computers
	                                                : WIRE_COMPUTERS_MAX;
	for (size_t i = 0; i < n; i++) {
		wire_frame_begin(w, MSG_COMPUTER);
		wire_put_str(&w->sb, in->computers[i] ? in->computers[i] : "");
		if (wire_frame_send(w) != 0)
			return -1;
	}
	wire_frame_begin(w, MSG_COVERAGE);
	wire_put_uint(&w->sb, in->size, 8);
	wire_put_str(&w->sb, in->sha256);
	wire_put_uint(&w->sb, (unsigned)in->status, 1);
	wire_put_str(&w->sb, in->reason);
#define X(member, json, group, doc) wire_put_uint(&w->sb, in->member, 8);
	INPUT_COUNTS(X)
#undef X
	wire_put_uint(&w->sb, (uint64_t)in->first_time, 8);
	wire_put_uint(&w->sb, (uint64_t)in->last_time, 8);
	wire_put_uint(&w->sb, in->dirty, 1);
	wire_put_str(&w->sb, in->artifact);
	wire_put_uint(&w->sb, n, 4);
	bool keys = in->keys_known && in->n_keys <= VALUE_KEYS_MAX;
	wire_put_uint(&w->sb, keys, 1);
	wire_put_uint(&w->sb, keys ? in->n_keys : 0, 4);
	for (size_t i = 0; keys && i < in->n_keys; i++)
		wire_put_uint(&w->sb, in->keys[i], 8);
	return wire_frame_send(w);
}

void wire_put_locator(struct strbuf *sb, const struct locator *loc)
{
	size_t n = loc->n < WIRE_STEPS_MAX ? loc->n : WIRE_STEPS_MAX;
	wire_put_uint(sb, n, 4);
	for (size_t i = 0; i < n; i++) {
		const struct step *st = &loc->steps[i];
		wire_put_uint(sb, (unsigned)st->kind, 1);
#define NUM(v) wire_put_uint(sb, v, 8);
#define TICKS(v) wire_put_uint(sb, (uint64_t)v, 8);
#define STR(v) wire_put_str(sb, v);
#define X(form, member, doc) form(st->member)
		STEP_MEMBERS(X)
#undef X
#undef NUM
#undef TICKS
#undef STR
	}
}

/* The discovery sink in the worker: a frame a log, a frame a note. */
int wire_send_log(void *ctx, const struct locator *loc, uint64_t size, uint8_t kind)
{
	struct wire_out *w = ctx;
	wire_frame_begin(w, MSG_LOG);
	wire_put_locator(&w->sb, loc);
	wire_put_uint(&w->sb, size, 8);
	wire_put_uint(&w->sb, kind, 1);
	return wire_frame_send(w);
}

int wire_send_note(void *ctx, const struct locator *where, bool incomplete,
		     const char *reason)
{
	struct wire_out *w = ctx;
	wire_frame_begin(w, MSG_NOTE);
	wire_put_locator(&w->sb, where);
	wire_put_uint(&w->sb, incomplete, 1);
	wire_put_str(&w->sb, reason);
	return wire_frame_send(w);
}

int wire_send_done(struct wire_out *w, const struct discover_result *r)
{
	wire_frame_begin(w, MSG_DONE);
	wire_put_uint(&w->sb, (unsigned)r->status, 1);
	wire_put_str(&w->sb, r->reason);
	wire_put_str(&w->sb, r->detail);
#define X(member, part, json, doc) wire_put_uint(&w->sb, r->member, 8);
	IMAGE_COUNTS(X)
#undef X
	wire_put_str(&w->sb, r->verify[0] ? r->verify : NULL);
	return wire_frame_send(w);
}

uint64_t wire_get_uint(struct wire_in *r, int bytes)
{
	if (r->error)
		return 0;
	if (r->end - r->p < bytes) {
		r->error = "message cut short";
		return 0;
	}
	uint64_t v = wire_le_load(r->p, bytes);
	r->p += bytes;
	return v;
}

uint64_t wire_get_at_most(struct wire_in *r, int bytes, uint64_t largest, const char *why)
{
	uint64_t v = wire_get_uint(r, bytes);
	if (v > largest && !r->error)
		r->error = why;
	return v;
}

bool wire_get_bool(struct wire_in *r)
{
	uint64_t v = wire_get_uint(r, 1);
	if (v > 1 && !r->error)
		r->error = "bad flag";
	return v == 1;
}

/* A string, or NULL for a NULL one (or on error: see r->error). */
char *wire_get_str(struct wire_in *r, bool nullable)
{
	uint32_t n = (uint32_t)wire_get_uint(r, 4);
	if (r->error)
		return NULL;
	if (n == WIRE_NULL) {
		if (!nullable)
			r->error = "NULL where a string is needed";
		return NULL;
	}
	if (n > WIRE_STR_MAX) {
		r->error = "string too long";
		return NULL;
	}
	if ((size_t)(r->end - r->p) < n) {
		r->error = "message cut short";
		return NULL;
	}
	if (memchr(r->p, '\0', n)) {
		r->error = "NUL byte in a string";
		return NULL;
	}
	char *s = xstrndup((const char *)r->p, n);
	r->p += n;
	return s;
}

void wire_get_locator(struct wire_in *r, struct locator *loc)
{
	uint64_t n = wire_get_uint(r, 4);
	if (!r->error && n > WIRE_STEPS_MAX)
		r->error = "too many steps";
	for (uint64_t i = 0; i < n && !r->error; i++) {
		uint64_t kind = wire_get_uint(r, 1);
		if (!r->error && kind >= STEP_KIND_COUNT)
			r->error = "bad step kind";
		struct step *st = locator_push(loc, (enum step_kind)kind, NULL);
#define NUM wire_get_uint(r, 8)
#define TICKS (int64_t)wire_get_uint(r, 8)
#define STR wire_get_str(r, true)
#define X(form, member, doc) st->member = form;
		STEP_MEMBERS(X)
#undef X
#undef NUM
#undef TICKS
#undef STR
	}
}

/* Whether the frame read well and was used up exactly; r->error says
 * why not. */
bool wire_frame_whole(struct wire_in *r)
{
	if (!r->error && r->p != r->end)
		r->error = "trailing bytes";
	return !r->error;
}

/* An 'E' frame, as wire_send_event() wrote it. */
void wire_read_event(struct wire_in *r, struct event *ev)
{
	for (int i = 0; i < EF_COUNT; i++)
		ev->field[i] = wire_get_str(r, true);
	/* Each member as wide as its list says, and no larger than its
	 * largest value (a flag 0 or 1, an origin one of enum origin). */
#define GET(member, bytes, largest, ...) \
	ev->member = wire_get_at_most(r, bytes, (uint64_t)(largest), "bad " #member);
	EVENT_HEAD(GET)
	EVENT_COPY(GET)
#undef GET
}

/* An 'I' frame, as wire_send_coverage() wrote it, into c (which holds the
 * computer names received so far). */
/* An empty string as NULL: the listing's result holds "" for none. */
static char *nonempty(char *s)
{
	if (s && !*s) {
		free(s);
		return NULL;
	}
	return s;
}

void wire_read_done(struct wire_in *r, struct image_input *im)
{
	uint64_t status = wire_get_uint(r, 1);
	if (status > INPUT_FAILED && !r->error)
		r->error = "bad status";
	im->status = (enum input_status)status;
	im->reason = nonempty(wire_get_str(r, true));
	im->detail = nonempty(wire_get_str(r, true));
#define X(member, part, json, doc) im->member = wire_get_uint(r, 8);
	IMAGE_COUNTS(X)
#undef X
	im->verify = nonempty(wire_get_str(r, true));
}

void wire_read_coverage(struct wire_in *r, struct input *c)
{
	c->size = wire_get_uint(r, 8);
	char *sha = wire_get_str(r, false);
	if (sha && strlen(sha) < sizeof c->sha256)
		memcpy(c->sha256, sha, strlen(sha) + 1);
	else if (sha)
		r->error = "bad sha256";
	free(sha);
	uint64_t status = wire_get_uint(r, 1);
	if (status > INPUT_FAILED && !r->error)
		r->error = "bad status";
	c->status = (enum input_status)status;
	c->reason = wire_get_str(r, true);
#define X(member, json, group, doc) c->member = wire_get_uint(r, 8);
	INPUT_COUNTS(X)
#undef X
	c->first_time = (int64_t)wire_get_uint(r, 8);
	c->last_time = (int64_t)wire_get_uint(r, 8);
	c->dirty = wire_get_bool(r);
	c->artifact = wire_get_str(r, true);
	uint64_t nc = wire_get_uint(r, 4);
	if (!r->error && nc != c->n_computers)
		r->error = "computer count does not match";
	bool known = wire_get_bool(r);
	uint64_t nk = wire_get_uint(r, 4);
	if (!r->error && nk > VALUE_KEYS_MAX)
		r->error = "too many keys";
	if (r->error)
		return;
	uint64_t *keys = xcalloc(nk + 1, sizeof *keys);
	for (uint64_t i = 0; i < nk; i++) {
		keys[i] = wire_get_uint(r, 8);
		if (!r->error && i && keys[i] <= keys[i - 1])
			r->error = "keys out of order";
	}
	if (known && !r->error)
		input_take_keys(c, keys, nk);
	else
		free(keys);
}
