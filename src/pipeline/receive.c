/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* receive: the parent reads its workers' frames (wire.h) and hands
 * each to the pool: events to the sink, coverage to the input. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pool.h"

/* Kills the worker for a reason of the parent's own, once; the first
 * reason wins. */
void pool_slot_kill(struct slot *s, const char *fmt, ...)
{
	if (s->kill_reason)
		return;
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	s->kill_reason = xstrdup(buf);
	if (s->pid > 0)
		kill(s->pid, SIGKILL);
}

void pool_slot_close(struct slot *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

static void malformed(struct slot *s, const char *what)
{
	pool_slot_kill(s, "worker sent malformed data (%s)", what);
	pool_slot_close(s);
}

/* The take_* handle one kind of frame: 0, or -1 when it was malformed
 * and the slot is closed. */

static int take_event(struct pool *p, struct slot *s, struct wire_in *r)
{
	struct event ev = { 0 };
	wire_read_event(r, &ev);
	if (!r->error && !s->in_file)
		r->error = "event outside a file";
	if (!r->error && ev.input != s->index)
		r->error = "event of another file";
	if (!wire_frame_whole(r)) {
		event_clear(&ev);
		malformed(s, r->error);
		return -1;
	}
	if (!p->stopped) {
		s->events++;
		if (p->sink(p->ctx, &ev) != 0)
			p->stopped = true;
	}
	event_clear(&ev);
	return 0;
}

/* 'T': a trace the worker's rules found in its file. */
static int take_trace(struct pool *p, struct slot *s, struct wire_in *r)
{
	struct trace t;
	trace_init(&t);
	wire_read_trace(r, &t);
	if (!r->error && !s->in_file)
		r->error = "trace outside a file";
	if (!r->error && t.input != s->index)
		r->error = "trace of another file";
	if (!wire_frame_whole(r)) {
		trace_clear(&t);
		malformed(s, r->error);
		return -1;
	}
	if (!p->stopped && p->wopt->trace && p->wopt->trace(p->wopt->trace_ctx, &t) != 0)
		p->stopped = true;
	trace_clear(&t);
	return 0;
}

static int take_computer(struct slot *s, struct wire_in *r)
{
	char *name = wire_get_str(r, false);
	if (wire_frame_whole(r) && !s->in_file)
		r->error = "computer outside a file";
	if (!r->error && s->cov.n_computers >= WIRE_COMPUTERS_MAX)
		r->error = "too many computers";
	if (r->error) {
		free(name);
		malformed(s, r->error);
		return -1;
	}
	s->cov.computers = xrealloc(s->cov.computers,
		(s->cov.n_computers + 1) * sizeof *s->cov.computers);
	s->cov.computers[s->cov.n_computers++] = name;
	return 0;
}

/* 'S': the worker begins the next file of its batch. */
static int take_start(struct pool *p, struct slot *s, struct wire_in *r)
{
	uint64_t index = wire_get_uint(r, 4);
	if (wire_frame_whole(r) && (s->in_file || s->started >= s->n_batch ||
				    s->batch[s->started] != index))
		r->error = "file out of order";
	if (r->error) {
		malformed(s, r->error);
		return -1;
	}
	s->index = (size_t)index;
	s->started++;
	s->in_file = true;
	s->events = 0;
	input_clear(&s->cov);
	s->cov.first_time = s->cov.last_time = TIME_NONE;
	unsigned limit = worker_time_limit(p->wopt, p->list->items[index].size);
	s->deadline = limit ? pool_now_ms() + (int64_t)limit * 1000 : 0;
	return 0;
}

static int take_coverage(struct pool *p, struct slot *s, struct wire_in *r)
{
	if (!s->in_file && !r->error)
		r->error = "coverage outside a file";
	wire_read_coverage(r, &s->cov);
	if (!wire_frame_whole(r)) {
		malformed(s, r->error);
		return -1;
	}
	pool_settle_input(p, s);
	return 0;
}

static int take_log(struct pool *p, struct slot *s, struct wire_in *r)
{
	struct locator loc = { 0 };
	wire_get_locator(r, &loc);
	uint64_t size = wire_get_uint(r, 8);
	uint64_t kind = wire_get_uint(r, 1);
	if (!r->error && kind >= INPUT_KIND_COUNT)
		r->error = "bad input kind";
	if (!wire_frame_whole(r) || loc.n < 2 || loc.steps[0].kind != STEP_FILE) {
		locator_clear(&loc);
		malformed(s, r->error ? r->error : "bad locator");
		return -1;
	}
	struct found *f = &p->found[s->index];
	f->locs = xrealloc(f->locs, (f->n + 1) * sizeof *f->locs);
	f->sizes = xrealloc(f->sizes, (f->n + 1) * sizeof *f->sizes);
	f->kinds = xrealloc(f->kinds, (f->n + 1) * sizeof *f->kinds);
	f->kinds[f->n] = (uint8_t)kind;
	f->locs[f->n] = loc;
	f->sizes[f->n++] = size;
	s->events++;
	return 0;
}

static int take_note(struct pool *p, struct slot *s, struct wire_in *r)
{
	struct locator loc = { 0 };
	wire_get_locator(r, &loc);
	bool incomplete = wire_get_bool(r);
	char *why = wire_get_str(r, false);
	if (!wire_frame_whole(r)) {
		locator_clear(&loc);
		free(why);
		malformed(s, r->error);
		return -1;
	}
	struct found *f = &p->found[s->index];
	size_t n = f->n_notes + 1;
	f->note_at = xrealloc(f->note_at, n * sizeof *f->note_at);
	f->note_why = xrealloc(f->note_why, n * sizeof *f->note_why);
	f->note_incomplete = xrealloc(f->note_incomplete, n * sizeof *f->note_incomplete);
	f->note_at[f->n_notes] = loc;
	f->note_why[f->n_notes] = why;
	f->note_incomplete[f->n_notes] = incomplete;
	f->n_notes = n;
	return 0;
}

static int take_done(struct pool *p, struct slot *s, struct wire_in *r)
{
	struct image_input got = { 0 };
	wire_read_done(r, &got);
	if (!wire_frame_whole(r)) {
		image_input_clear(&got);
		malformed(s, r->error);
		return -1;
	}
	struct image_input *im = &p->list->images[s->index];
	im->status = got.status;
	free(im->reason);
	im->reason = got.reason;
	free(im->detail);
	im->detail = got.detail;
	free(im->verify);
	im->verify = got.verify;
#define X(member, part, json, doc) im->member = got.member;
	IMAGE_COUNTS(X)
#undef X
	s->done = true;
	return 0;
}

/* One complete frame. Returns 0, or -1 when the slot was closed. */
static int handle_frame(struct pool *p, struct slot *s, int type,
                        const unsigned char *data, size_t n)
{
	struct wire_in r = { data, data + n, NULL };

	if (s->done) {
		malformed(s, "data after the listing");
		return -1;
	}
	if (p->discover) {
		switch (type) {
		case MSG_LOG:
			return take_log(p, s, &r);
		case MSG_NOTE:
			return take_note(p, s, &r);
		case MSG_DONE:
			return take_done(p, s, &r);
		}
	} else {
		switch (type) {
		case MSG_START:
			return take_start(p, s, &r);
		case MSG_EVENT:
			return take_event(p, s, &r);
		case MSG_TRACE:
			return take_trace(p, s, &r);
		case MSG_COMPUTER:
			return take_computer(s, &r);
		case MSG_COVERAGE:
			return take_coverage(p, s, &r);
		}
	}
	malformed(s, "unknown message type");
	return -1;
}

/* Reads what the worker has written and handles every complete frame. */
void pool_slot_read(struct pool *p, struct slot *s)
{
	if (s->cap - s->len < READ_CHUNK) {
		s->cap = s->cap * 2 > s->len + READ_CHUNK ? s->cap * 2
		                                          : s->len + READ_CHUNK;
		s->buf = xrealloc(s->buf, s->cap);
	}
	ssize_t k = read(s->fd, s->buf + s->len, READ_CHUNK);
	if (k < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (k < 0) {
		pool_slot_kill(s, "cannot read from the worker: %s", strerror(errno));
		pool_slot_close(s);
		return;
	}
	if (k == 0) {
		/* End of stream: a partial frame left in buf shows that the
		 * worker died while writing; finish_slot() says so. */
		close(s->fd);
		s->fd = -1;
		return;
	}
	s->len += (size_t)k;

	size_t pos = 0;
	while (s->len - pos >= WIRE_HEADER) {
		const unsigned char *h = s->buf + pos;
		uint32_t n = (uint32_t)wire_le_load(h + 1, 4);
		if (n > WIRE_FRAME_MAX) {
			malformed(s, "message too long");
			return;
		}
		if (s->len - pos - WIRE_HEADER < n)
			break;
		if (handle_frame(p, s, h[0], h + WIRE_HEADER, n) != 0)
			return;   /* closed: buf is gone */
		pos += WIRE_HEADER + n;
	}
	if (pos > 0) {
		memmove(s->buf, s->buf + pos, s->len - pos);
		s->len -= pos;
	}
}
