/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests: each count of INPUT_COUNTS (input.h) crosses every boundary
 * an input's coverage crosses with its own value: the worker's frame
 * (wire.c), the part (part_write.c, part_read.c) and the JSON report
 * (report_json.c). A count added to the list reaches all three with no
 * other edit; a boundary that drops, swaps or renames one fails here.
 * The values are the list's own places, so no two are alike. The same
 * for an event (a finding's, a story's): every member of EVENT_HEAD and
 * EVENT_COPY (event.h) and every kept field of EVENT_FIELDS, through the
 * worker's frame and the part; and for a disk image, every count of
 * IMAGE_COUNTS (input.h) through the worker's done frame, the part and
 * the JSON report's "images"; for a step of an input's place, every
 * member of STEP_MEMBERS (locator.h) through the worker's frames and
 * the part. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "aggregate.h"
#include "discover.h"
#include "event.h"
#include "image.h"
#include "input.h"
#include "locator.h"
#include "part.h"
#include "report.h"
#include "strbuf.h"
#include "timefmt.h"
#include "value_keys.h"
#include "wire.h"

/* The n-th count's value: past 32 bits, odd, none zero. */
static uint64_t value(uint64_t n)
{
	return n * 0x100000001b3ull;
}

static size_t n_counts(void)
{
	size_t n = 0;
#define X(member, json, group, doc) n++;
	INPUT_COUNTS(X)
#undef X
	return n;
}

/* One input of a list, with every count set to value(its place). */
static struct input *make_input(struct input_list *l)
{
	struct locator loc = { 0 };
	locator_push(&loc, STEP_FILE, "/e/Sysmon.evtx");
	struct input *in = input_list_add(l, &loc, true, 69632, 0);
	locator_clear(&loc);
	memset(in->sha256, 'a', 64);
	in->first_time = in->last_time = TIME_NONE;
	uint64_t k = 0;
#define X(member, json, group, doc) in->member = value(++k);
	INPUT_COUNTS(X)
#undef X
	assert_int_equal(k, n_counts());
	return in;
}

/* got is want, or the test fails naming what. */
static void same_u64(const char *what, uint64_t got, uint64_t want)
{
	if (got != want)
		fail_msg("%s: %llu, not %llu", what, (unsigned long long)got,
			 (unsigned long long)want);
}

/* Every count of got is want's. */
static void same_counts(const struct input *got, const struct input *want)
{
#define X(member, json, group, doc) same_u64(#member, got->member, want->member);
	INPUT_COUNTS(X)
#undef X
}

/* A worker's pipe: frame_open gives the wire_out to send one frame
 * with, frame_read the frame read back from the other end, checked to be
 * whole and of its type, as the parent's reader would have it. */
struct pipe_frame {
	int fd[2];
	struct wire_out w;
	unsigned char buf[8192];
	struct wire_in r;
};

static struct wire_out *frame_open(struct pipe_frame *p)
{
	assert_int_equal(pipe(p->fd), 0);
	p->w = (struct wire_out){ .fd = p->fd[1] };
	return &p->w;
}

static struct wire_in *frame_read(struct pipe_frame *p, int type)
{
	close(p->fd[1]);
	ssize_t n = read(p->fd[0], p->buf, sizeof p->buf);
	close(p->fd[0]);
	free(sb_take(&p->w.sb));
	assert_true(n > WIRE_HEADER);
	assert_int_equal(p->buf[0], type);
	assert_int_equal(wire_le_load(p->buf + 1, 4), (uint64_t)n - WIRE_HEADER);
	p->r = (struct wire_in){ .p = p->buf + WIRE_HEADER, .end = p->buf + n };
	return &p->r;
}

/* The JSON report of a run over l and f (its part in it); *len its
 * bytes. Caller frees. */
static char *json_report(struct input_list *l, struct findings *f, size_t *len)
{
	struct run run = { .version = "x", .from = TIME_NONE, .to = TIME_NONE,
			   .started = TIME_NONE, .finished = TIME_NONE,
			   .inputs = l, .findings = f };
	char *text = NULL;
	FILE *out = open_memstream(&text, len);
	assert_non_null(out);
	assert_int_equal(report_json(out, &run), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

/* The member name of obj is the number want, or the test fails naming
 * what it should hold. */
static void json_count(json_t *obj, const char *name, uint64_t want, const char *what)
{
	json_t *v = json_object_get(obj, name);
	if (!json_is_integer(v) || (uint64_t)json_integer_value(v) != want)
		fail_msg("JSON %s is not the %s count", name, what);
}

/* The first element of the JSON report's array name; *root holds it
 * (caller json_decref()s it). */
static json_t *report_first(const char *text, size_t len, const char *name, json_t **root)
{
	json_error_t je;
	*root = json_loadb(text, len, 0, &je);
	assert_non_null(*root);
	json_t *obj = json_array_get(json_object_get(*root, name), 0);
	assert_non_null(obj);
	return obj;
}

/* The part of a JSON report, read back by part_parse (the test fails
 * where it cannot). Caller part_free()s p. */
static void parse_part(const char *text, size_t len, struct part *p)
{
	char err[256] = "";
	if (part_parse(text, len, p, err, sizeof err) != 0)
		fail_msg("part_parse: %s", err);
}

/* Through the worker's pipe: the frame wire_send_coverage writes, read
 * back by wire_read_coverage. */
static void test_wire(void **state)
{
	(void)state;
	struct input_list l = { 0 };
	struct input *in = make_input(&l);
	struct pipe_frame p;
	assert_int_equal(wire_send_coverage(frame_open(&p), in), 0);
	struct wire_in *r = frame_read(&p, MSG_COVERAGE);
	struct input got = { 0 };
	wire_read_coverage(r, &got);
	assert_true(wire_frame_whole(r));
	same_counts(&got, in);
	assert_false(got.keys_known);   /* none kept: none arrive */
	input_clear(&got);
	inputs_free(&l);
}

/* The run keeps INPUT_KEYS_BUDGET keys in all: an input whose keys
 * would pass it has them dropped (read again by a story pass); the
 * next that fits keeps its own. */
static void test_keys_budget(void **state)
{
	(void)state;
	struct input_list l = { 0 };
	struct input *a = make_input(&l);
	struct input *b = make_input(&l);
	struct input *c = make_input(&l);
	a = &l.items[0];
	b = &l.items[1];
	input_take_keys(a, calloc(1, sizeof *a->keys), 1);
	input_take_keys(b, calloc(1, sizeof *b->keys), 1);
	input_take_keys(c, calloc(1, sizeof *c->keys), 1);
	l.keys_kept = INPUT_KEYS_BUDGET - 1;
	input_keep_keys(&l, a);
	assert_true(a->keys_known);
	assert_int_equal(l.keys_kept, INPUT_KEYS_BUDGET);
	input_keep_keys(&l, b);
	assert_false(b->keys_known);
	assert_null(b->keys);
	assert_int_equal(l.keys_kept, INPUT_KEYS_BUDGET);
	l.keys_kept = 0;
	c->n_keys = 0;   /* none: nothing counted, still known */
	input_keep_keys(&l, c);
	assert_true(c->keys_known);
	assert_int_equal(l.keys_kept, 0);
	inputs_free(&l);
}

/* A log's keys (input.keys) through the pipe: the same, in order; out
 * of order or too many, the frame is malformed. */
static void test_wire_keys(void **state)
{
	(void)state;
	for (int bad = 0; bad < 3; bad++) {
		struct input_list l = { 0 };
		struct input *in = make_input(&l);
		size_t n = bad == 2 ? VALUE_KEYS_MAX + 1 : 300;
		uint64_t *v = calloc(n, sizeof *v);
		for (size_t i = 0; i < n; i++)
			v[i] = value(i + 1);
		if (bad == 1)
			v[7] = v[9];
		input_take_keys(in, v, n);
		struct pipe_frame p;
		if (bad == 2) {
			/* the worker sends no more than a set holds: none */
			assert_int_equal(wire_send_coverage(frame_open(&p), in), 0);
			struct input got = { 0 };
			struct wire_in *r = frame_read(&p, MSG_COVERAGE);
			wire_read_coverage(r, &got);
			assert_true(wire_frame_whole(r));
			assert_false(got.keys_known);
			input_clear(&got);
			inputs_free(&l);
			continue;
		}
		assert_true(n * 8 + 512 < sizeof p.buf);
		assert_int_equal(wire_send_coverage(frame_open(&p), in), 0);
		struct wire_in *r = frame_read(&p, MSG_COVERAGE);
		struct input got = { 0 };
		wire_read_coverage(r, &got);
		if (bad) {
			assert_false(wire_frame_whole(r));
		} else {
			assert_true(wire_frame_whole(r));
			assert_true(got.keys_known);
			assert_int_equal(got.n_keys, n);
			assert_memory_equal(got.keys, v, n * sizeof *v);
		}
		input_clear(&got);
		inputs_free(&l);
	}
}

/* Through the JSON report: its input object names each count as the
 * list does, and the part in it reads back into the same counts. */
static void test_report_and_part(void **state)
{
	(void)state;
	struct input_list l = { 0 };
	struct input *in = make_input(&l);
	struct findings f = { 0 };
	size_t len = 0;
	char *text = json_report(&l, &f, &len);

	json_t *root;
	json_t *obj = report_first(text, len, "inputs", &root);
#define X(member, json, group, doc) json_count(obj, json, in->member, #member);
	INPUT_COUNTS(X)
#undef X
	json_decref(root);

	struct part p = { 0 };
	parse_part(text, len, &p);
	assert_int_equal(p.inputs.n, 1);
	same_counts(&p.inputs.items[0], in);
	part_free(&p);
	free(text);
	inputs_free(&l);
}

/* ---- disk images ------------------------------------------------------ */

static size_t n_image_counts(void)
{
	size_t n = 0;
#define X(member, part, json, doc) n++;
	IMAGE_COUNTS(X)
#undef X
	return n;
}

/* Every image count of got is want's. */
static void same_image_counts(const struct image_input *got, const struct image_input *want)
{
#define X(member, part, json, doc) same_u64("image " #member, got->member, want->member);
	IMAGE_COUNTS(X)
#undef X
}

/* Through the worker's pipe: a listing's result as wire_send_done sends
 * it, read back by wire_read_done; the counts the list's places, the
 * strings their own. */
static void test_image_wire(void **state)
{
	(void)state;
	struct discover_result res = { .status = INPUT_PARTIAL };
	snprintf(res.reason, sizeof res.reason, "a volume failed");
	snprintf(res.detail, sizeof res.detail, "MD5 00");
	snprintf(res.verify, sizeof res.verify, "verified");
	struct image_input want = { 0 };
	uint64_t k = 0;
#define X(member, part, json, doc) want.member = res.member = value(++k);
	IMAGE_COUNTS(X)
#undef X
	assert_int_equal(k, n_image_counts());
	struct pipe_frame p;
	assert_int_equal(wire_send_done(frame_open(&p), &res), 0);
	struct wire_in *r = frame_read(&p, MSG_DONE);
	struct image_input got = { 0 };
	wire_read_done(r, &got);
	assert_true(wire_frame_whole(r));
	same_image_counts(&got, &want);
	assert_int_equal(got.status, INPUT_PARTIAL);
	assert_string_equal(got.reason, res.reason);
	assert_string_equal(got.detail, res.detail);
	assert_string_equal(got.verify, res.verify);
	free(got.reason);
	free(got.detail);
	free(got.verify);
}

/* Through the JSON report: its image object names each count as the
 * list does, and the part in it reads back into the same counts. */
static void test_image_report_and_part(void **state)
{
	(void)state;
	struct input_list l = { 0 };
	make_input(&l);
	l.images = calloc(1, sizeof *l.images);
	l.n_images = 1;
	struct image_input *im = &l.images[0];
	im->path = strdup("/e/disk.E01");
	im->format = image_formats[0];
	uint64_t k = 0;
#define X(member, part, json, doc) im->member = value(++k);
	IMAGE_COUNTS(X)
#undef X
	struct findings f = { 0 };
	size_t len = 0;
	char *text = json_report(&l, &f, &len);

	json_t *root;
	json_t *obj = report_first(text, len, "images", &root);
#define X(member, part, json, doc) json_count(obj, json, im->member, "image's " #member);
	IMAGE_COUNTS(X)
#undef X
	json_decref(root);

	struct part p = { 0 };
	parse_part(text, len, &p);
	assert_int_equal(p.inputs.n_images, 1);
	same_image_counts(&p.inputs.images[0], im);
	part_free(&p);
	free(text);
	inputs_free(&l);
}

/* ---- steps -------------------------------------------------------------- */

/* A step after the file, every member set from the list's places: a
 * number value(k), a time its negative, a string "m<k>". */
static void push_full_step(struct locator *loc)
{
	struct step *st = locator_push(loc, STEP_NTFS, NULL);
	uint64_t k = 0;
	char text[32];
#define NUM(m) st->m = value(k);
#define TICKS(m) st->m = -(int64_t)value(k);
#define STR(m) (snprintf(text, sizeof text, "m%llu", (unsigned long long)k), \
		st->m = strdup(text));
#define X(form, member, doc) k++; form(member)
	STEP_MEMBERS(X)
#undef X
#undef NUM
#undef TICKS
#undef STR
}

/* Every member of each step of got is want's. */
static void same_steps(const struct locator *got, const struct locator *want)
{
	assert_int_equal(got->n, want->n);
	for (size_t i = 0; i < want->n; i++) {
		const struct step *g = &got->steps[i], *w = &want->steps[i];
		assert_int_equal(g->kind, w->kind);
#define NUM(m) assert_true(g->m == w->m);
#define TICKS(m) assert_true(g->m == w->m);
#define STR(m) \
		if ((g->m == NULL) != (w->m == NULL) || (w->m && strcmp(g->m, w->m))) \
			fail_msg("step %zu: %s is %s, not %s", i, #m, g->m ? g->m : "NULL", \
				 w->m ? w->m : "NULL");
#define X(form, member, doc) form(member)
		STEP_MEMBERS(X)
#undef X
#undef NUM
#undef TICKS
#undef STR
	}
}

/* Through the worker's pipe (a log's frame) and the part. */
static void test_steps(void **state)
{
	(void)state;
	struct input_list l = { 0 };
	struct input *in = make_input(&l);
	push_full_step(&in->loc);

	struct pipe_frame p;
	assert_int_equal(wire_send_log(frame_open(&p), &in->loc, 7, 0), 0);
	struct wire_in *r = frame_read(&p, MSG_LOG);
	struct locator got = { 0 };
	wire_get_locator(r, &got);
	assert_true(wire_get_uint(r, 8) == 7);
	(void)wire_get_uint(r, 1);
	assert_true(wire_frame_whole(r));
	same_steps(&got, &in->loc);
	locator_clear(&got);

	struct findings f = { 0 };
	size_t len = 0;
	char *text = json_report(&l, &f, &len);
	struct part pt = { 0 };
	parse_part(text, len, &pt);
	assert_int_equal(pt.inputs.n, 1);
	same_steps(&pt.inputs.items[0].loc, &in->loc);
	part_free(&pt);
	free(text);
	inputs_free(&l);
}

/* ---- events ---------------------------------------------------------- */

/* A value for the k-th member of the lists, no larger than largest and
 * never 0: a flag 1, an origin 1 to 3, the rest past 32 bits where they
 * can hold it. */
static uint64_t member_value(uint64_t k, uint64_t largest)
{
	return largest == UINT64_MAX ? value(k) : value(k) % largest + 1;
}

static size_t n_members(void)
{
	size_t n = 0;
#define X(member, ...) n++;
	EVENT_HEAD(X)
	EVENT_COPY(X)
#undef X
	return n;
}

/* An event whose members are 0 but for the only-th of the lists (all of
 * them when only is 0), set to member_value; every kept field its own
 * string, the others too (they must not cross). The input it names is
 * 0 or 1: the part checks that it is one of its own (two, here). */
static void make_event(struct event *ev, size_t only)
{
	memset(ev, 0, sizeof *ev);
	uint64_t k = 0;
#define X(member, bytes, largest, ...) \
	if (++k == only || only == 0) \
		ev->member = member_value(k, (uint64_t)(largest));
	EVENT_HEAD(X)
	EVENT_COPY(X)
#undef X
	ev->input = ev->input ? 1 : 0;
	for (int f = 0; f < EF_COUNT; f++) {
		char name[16];
		snprintf(name, sizeof name, "f%d", f);
		ev->field[f] = xstrdup(name);
	}
}

/* Every member of got is want's; its fields want's kept ones. */
static void same_event(const struct event *got, const struct event *want, const char *where)
{
#define X(member, ...) \
	if ((uint64_t)got->member != (uint64_t)want->member) \
		fail_msg("%s: %s is %llu, not %llu", where, #member, \
			 (unsigned long long)got->member, (unsigned long long)want->member);
	EVENT_HEAD(X)
	EVENT_COPY(X)
#undef X
	for (int f = 0; f < EF_COUNT; f++) {
		const char *w = event_field_kept[f] ? want->field[f] : NULL;
		if ((w == NULL) != (got->field[f] == NULL) || (w && strcmp(w, got->field[f])))
			fail_msg("%s: field %d is %s, not %s", where, f,
				 got->field[f] ? got->field[f] : "absent", w ? w : "absent");
	}
}

/* Through the worker's pipe: wire_send_event's frame, read back by
 * wire_read_event. */
static void wire_round_trip(const struct event *ev)
{
	struct pipe_frame p;
	assert_int_equal(wire_send_event(frame_open(&p), (struct event *)ev), 0);
	struct wire_in *r = frame_read(&p, MSG_EVENT);
	struct event got = { 0 };
	wire_read_event(r, &got);
	assert_true(wire_frame_whole(r));
	same_event(&got, ev, "wire");
	event_clear(&got);
}

/* Through the part of the JSON report: a run whose one finding is ev,
 * read back by part_parse. */
static void part_round_trip(const struct event *ev)
{
	struct input_list l = { 0 };
	make_input(&l);
	make_input(&l);
	struct findings f = { 0 };
	struct event copy;
	assert_int_equal(event_copy(&copy, ev), 0);
	findings_add(&f, &copy);
	findings_group(&f);   /* de-duplicates first, as a run does */
	size_t len = 0;
	char *text = json_report(&l, &f, &len);
	struct part p = { 0 };
	parse_part(text, len, &p);
	assert_int_equal(p.events.n_events, 1);
	same_event(&p.events.events[0], ev, "part");
	part_free(&p);
	free(text);
	findings_free(&f);
	inputs_free(&l);
}

/* Each member alone (so that a boundary that swaps two is seen), then
 * all of them at once. */
static void test_event(void **state)
{
	(void)state;
	for (size_t only = n_members(); only != (size_t)-1; only--) {
		struct event ev;
		make_event(&ev, only);
		wire_round_trip(&ev);
		part_round_trip(&ev);
		event_clear(&ev);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wire),
		cmocka_unit_test(test_wire_keys),
		cmocka_unit_test(test_keys_budget),
		cmocka_unit_test(test_report_and_part),
		cmocka_unit_test(test_image_wire),
		cmocka_unit_test(test_image_report_and_part),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
