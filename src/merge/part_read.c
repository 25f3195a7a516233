/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Reads the "part" member of a JSON report (part_write.c) with jansson.
 * A part is evidence of a kind too: another machine wrote it, it may be
 * damaged or edited. Every member is checked for its type; the first one
 * missing or wrong is named, and the part is refused whole (a merge that
 * took half a part would report its hosts as clean). */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "image.h"
#include "part.h"
#include "rule.h"
#include "strbuf.h"
#include "timefmt.h"

/* What the walk carries: where the first failure is written. */
struct rd {
	char *err;
	size_t errsz;
	bool failed;
};

static void fail(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct rd *r, const char *fmt, ...)
{
	if (r->failed)
		return;
	r->failed = true;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errsz, fmt, ap);
	va_end(ap);
}

static json_t *member(struct rd *r, json_t *obj, const char *name, json_type type)
{
	json_t *v = json_object_get(obj, name);
	if (!v || json_typeof(v) != type) {
		fail(r, "part member '%s' is missing or not a%s %s", name,
		     type == JSON_ARRAY || type == JSON_OBJECT || type == JSON_INTEGER ? "n" : "",
		     type == JSON_ARRAY ? "array" : type == JSON_OBJECT ? "object" :
		     type == JSON_INTEGER ? "integer" : type == JSON_STRING ? "string" : "boolean");
		return NULL;
	}
	return v;
}

/* A number part_write wrote: an integer, or past INT64_MAX a decimal
 * string. */
static bool u64_value(json_t *v, uint64_t *out)
{
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return true;
	}
	if (!json_is_string(v))
		return false;
	const char *s = json_string_value(v);
	char *end;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return s[0] >= '0' && s[0] <= '9' && !*end && !errno;
}

static uint64_t u64(struct rd *r, json_t *obj, const char *name)
{
	uint64_t v = 0;
	if (!u64_value(json_object_get(obj, name), &v))
		fail(r, "part member '%s' is missing or not a number", name);
	return v;
}

/* The same, and no larger than largest. */
static uint64_t u64_at_most(struct rd *r, json_t *obj, const char *name, uint64_t largest)
{
	uint64_t v = u64(r, obj, name);
	if (v > largest)
		fail(r, "part member '%s' is larger than %llu", name, (unsigned long long)largest);
	return v;
}

static bool boolean(struct rd *r, json_t *obj, const char *name)
{
	json_t *v = json_object_get(obj, name);
	if (!json_is_boolean(v))
		fail(r, "part member '%s' is missing or not a boolean", name);
	return json_is_true(v);
}

/* A FILETIME, or null for none. */
static int64_t ticks(struct rd *r, json_t *obj, const char *name)
{
	json_t *v = json_object_get(obj, name);
	if (json_is_null(v))
		return TIME_NONE;
	if (!json_is_integer(v)) {
		fail(r, "part member '%s' is missing or not a time", name);
		return TIME_NONE;
	}
	return (int64_t)json_integer_value(v);
}

/* A string as json_quote_exact wrote it: text, {"hex": ...}, or null
 * (NULL is returned: optional members). A new string. */
static char *exact(struct rd *r, json_t *v, const char *name)
{
	if (json_is_string(v)) {
		if (memchr(json_string_value(v), '\0', json_string_length(v)))
			fail(r, "part member '%s' holds a NUL", name);
		return xstrdup(json_string_value(v));
	}
	json_t *hex = json_is_object(v) ? json_object_get(v, "hex") : NULL;
	if (json_is_string(hex)) {
		const char *h = json_string_value(hex);
		size_t n = strlen(h) / 2;
		if (strlen(h) % 2)
			fail(r, "part member '%s' is not hexadecimal bytes", name);
		char *s = xmalloc(n + 1);
		for (size_t i = 0; i < n; i++) {
			int hi = hex_value(h[2 * i]), lo = hex_value(h[2 * i + 1]);
			if (hi < 0 || lo < 0 || (hi | lo) == 0) {
				fail(r, "part member '%s' is not hexadecimal bytes", name);
				n = i;
				break;
			}
			s[i] = (char)(hi << 4 | lo);
		}
		s[n] = '\0';
		return s;
	}
	if (v && !json_is_null(v))
		fail(r, "part member '%s' is not a string", name);
	return NULL;
}

static char *exact_member(struct rd *r, json_t *obj, const char *name)
{
	return exact(r, json_object_get(obj, name), name);
}

/* A string that must be there. */
static char *exact_needed(struct rd *r, json_t *obj, const char *name)
{
	char *s = exact_member(r, obj, name);
	if (!s) {
		fail(r, "part member '%s' is missing", name);
		s = xstrdup("");
	}
	return s;
}

static enum input_status status_of(struct rd *r, json_t *obj)
{
	static const enum input_status all[] = { INPUT_OK, INPUT_PARTIAL, INPUT_FAILED };
	json_t *v = member(r, obj, "status", JSON_STRING);
	for (size_t i = 0; v && i < 3; i++)
		if (strcmp(json_string_value(v), input_status_name(all[i])) == 0)
			return all[i];
	fail(r, "part member 'status' is not ok, partial or failed");
	return INPUT_FAILED;
}

static char **string_list(struct rd *r, json_t *obj, const char *name, size_t *n)
{
	json_t *a = member(r, obj, name, JSON_ARRAY);
	*n = a ? json_array_size(a) : 0;
	char **v = xcalloc(*n ? *n : 1, sizeof *v);
	for (size_t i = 0; i < *n; i++) {
		v[i] = exact(r, json_array_get(a, i), name);
		if (!v[i])
			v[i] = xstrdup("");
	}
	return v;
}

static void read_steps(struct rd *r, json_t *obj, struct locator *loc)
{
	json_t *a = member(r, obj, "steps", JSON_ARRAY);
	for (size_t i = 0; a && i < json_array_size(a); i++) {
		json_t *s = json_array_get(a, i);
		json_t *kind = member(r, s, "kind", JSON_STRING);
		enum step_kind k = STEP_KIND_COUNT;
		for (int j = 0; kind && j < STEP_KIND_COUNT; j++)
			if (strcmp(json_string_value(kind), step_kind_name((enum step_kind)j)) == 0)
				k = (enum step_kind)j;
		if (k == STEP_KIND_COUNT) {
			fail(r, "part: an input's step is of no kind this rmmhunt knows");
			return;
		}
		struct step *st = locator_push(loc, k, NULL);
#define NUM(name) u64(r, s, name)
#define TICKS(name) ticks(r, s, name)
#define STR(name) exact_member(r, s, name)
#define X(form, member, doc) st->member = form(#member);
		STEP_MEMBERS(X)
#undef X
#undef NUM
#undef TICKS
#undef STR
	}
}

static void read_input(struct rd *r, json_t *o, struct input_list *l, size_t n_images)
{
	struct locator loc = { 0 };
	read_steps(r, o, &loc);
	if (loc.n == 0 || loc.steps[0].kind != STEP_FILE || !loc.steps[0].name) {
		fail(r, "part: an input's place does not start with a file");
		locator_clear(&loc);
		return;
	}
	uint64_t image = u64(r, o, "image");
	if (image > n_images)
		fail(r, "part: an input names image %llu of %zu", (unsigned long long)image, n_images);
	struct input *in = input_list_add(l, &loc, boolean(r, o, "named"), u64(r, o, "size"),
					  (uint32_t)image);
	locator_clear(&loc);
	free(in->path);
	free(in->where);
	in->path = exact_needed(r, o, "path");
	in->where = exact_member(r, o, "where");
	if (json_object_get(o, "kind")) {
		uint64_t kind = u64(r, o, "kind");
		if (kind >= INPUT_KIND_COUNT)
			fail(r, "part: an input of kind %llu", (unsigned long long)kind);
		in->kind = (uint8_t)kind;
		in->artifact = exact_member(r, o, "artifact");
	}
	char *sha = exact_needed(r, o, "sha256");
	snprintf(in->sha256, sizeof in->sha256, "%s", sha);
	free(sha);
	in->status = status_of(r, o);
	in->reason = exact_member(r, o, "reason");
	json_t *c = member(r, o, "counts", JSON_ARRAY);
#define X(member, json, group, doc) &in->member,
	uint64_t *counts[] = { INPUT_COUNTS(X) };
#undef X
	size_t want = sizeof counts / sizeof counts[0];
	if (c && json_array_size(c) != want)
		fail(r, "part: an input's counts are not %zu numbers", want);
	for (size_t i = 0; c && i < want && i < json_array_size(c); i++)
		if (!u64_value(json_array_get(c, i), counts[i]))
			fail(r, "part: an input's counts are not numbers");
	in->first_time = ticks(r, o, "first");
	in->last_time = ticks(r, o, "last");
	in->dirty = boolean(r, o, "dirty");
	in->interrupted = boolean(r, o, "interrupted");
	in->computers = string_list(r, o, "computers", &in->n_computers);
}

static void read_image(struct rd *r, json_t *o, struct image_input *im)
{
	im->path = exact_needed(r, o, "path");
	json_t *f = member(r, o, "format", JSON_STRING);
	im->format = f ? image_format_by_name(json_string_value(f)) : NULL;
	if (f && !im->format)
		fail(r, "part: an image is of a format this rmmhunt does not know");
	im->named = boolean(r, o, "named");
	im->size = u64(r, o, "size");
	im->detail = exact_member(r, o, "detail");
	im->status = status_of(r, o);
	im->reason = exact_member(r, o, "reason");
	im->listing_failed = boolean(r, o, "listing_failed");
#define X(member, part, json, doc) im->member = u64(r, o, part);
	IMAGE_COUNTS(X)
#undef X
	im->verify = exact_member(r, o, "verify");
}

/* Where one copy of an event was read: an array of EVENT_COPY's numbers
 * (event.h), in its order, into ev. False when it is not that, a number
 * is past its largest, or the input is none of the part's n_inputs. */
static bool read_copy(json_t *c, size_t n_inputs, struct event *ev)
{
	size_t k = 0;
	uint64_t v;
	if (!json_is_array(c))
		return false;
#define GET(member, bytes, largest) \
	if (!u64_value(json_array_get(c, k++), &v) || v > (uint64_t)(largest)) \
		return false; \
	ev->member = v;
	EVENT_COPY(GET)
#undef GET
	return json_array_size(c) == k && ev->input < n_inputs;
}

/* One event a copy, each as the reader made it. */
static void read_events(struct rd *r, json_t *part, const char *name, size_t n_inputs,
			struct findings *f)
{
	json_t *a = member(r, part, name, JSON_ARRAY);
	for (size_t i = 0; a && i < json_array_size(a) && !r->failed; i++) {
		json_t *o = json_array_get(a, i);
		struct event ev = { 0 };
#define NUM(name, largest) u64_at_most(r, o, name, (uint64_t)(largest))
#define TICKS(name, largest) ticks(r, o, name)
#define FLAG(name, largest) boolean(r, o, name)
#define GET(member, bytes, largest, form, name) ev.member = form(name, largest);
		EVENT_HEAD(GET)
#undef GET
#undef NUM
#undef TICKS
#undef FLAG
		json_t *fields = member(r, o, "fields", JSON_OBJECT);
		for (int k = 0; fields && k < EF_COUNT; k++)
			if (event_field_kept[k])
				ev.field[k] = exact_member(r, fields, part_field_name((enum event_field)k));
		json_t *copies = member(r, o, "copies", JSON_ARRAY);
		size_t nc = copies ? json_array_size(copies) : 0;
		if (copies && nc == 0)
			fail(r, "part: an event has no copy");
		for (size_t j = 0; j < nc && !r->failed; j++) {
			struct event copy;
			if (event_copy(&copy, &ev) != 0) {
				fail(r, "out of memory");
				break;
			}
			if (!read_copy(json_array_get(copies, j), n_inputs, &copy)) {
				event_clear(&copy);
				fail(r, "part: an event's copy names no input of the part");
				break;
			}
			findings_add(f, &copy);
		}
		event_clear(&ev);
	}
}

/* The traces, where the run read them (the member is there). */
static void read_traces(struct rd *r, json_t *part, size_t n_inputs, struct part *p)
{
	json_t *a = json_object_get(part, "traces");
	if (!a)
		return;
	p->traces_on = true;
	if (!json_is_array(a)) {
		fail(r, "part member 'traces' is not an array");
		return;
	}
	for (size_t i = 0; i < json_array_size(a) && !r->failed; i++) {
		json_t *o = json_array_get(a, i);
		struct trace t;
		trace_init(&t);
#define S_(name) t.name = exact_member(r, o, #name);
#define T_(name) t.name = ticks(r, o, #name);
#define U_(name) t.name = u64(r, o, #name);
#define X(k, name, doc) k##_(name)
		TRACE_FIELDS(X)
#undef X
#undef S_
#undef T_
#undef U_
		if (!r->failed && t.input >= n_inputs)
			fail(r, "part: a trace names no input of the part");
		traces_add(&p->traces, &t);
	}
}

static void read_part(struct rd *r, json_t *root, struct part *p)
{
	json_t *tool = member(r, root, "tool", JSON_OBJECT);
	json_t *rule = member(r, root, "rule", JSON_OBJECT);
	json_t *part = member(r, root, "part", JSON_OBJECT);
	if (r->failed)
		return;
	p->version = exact_needed(r, tool, "version");
	p->rule_version = exact_needed(r, rule, "version");
	if (u64(r, part, "format") != PART_FORMAT && !r->failed)
		fail(r, "part format %llu, this rmmhunt reads format %d",
		     (unsigned long long)u64(r, part, "format"), PART_FORMAT);
	json_t *o = member(r, part, "options", JSON_OBJECT);
	if (r->failed)
		return;
	p->opt = (struct part_options){
		.from = ticks(r, o, "from"), .to = ticks(r, o, "to"),
		.recovered = boolean(r, o, "recovered"), .extended = boolean(r, o, "extended"),
		.story = boolean(r, o, "story"), .allowlist = boolean(r, o, "allowlist"),
		.prefilter = boolean(r, o, "prefilter"),
	};
	struct input_list *l = &p->inputs;
	l->interrupted = exact_member(r, part, "interrupted");
	l->ignored_non_evtx = u64(r, part, "ignored_non_evtx");
	l->image_parts = u64(r, part, "image_parts");
	p->out_of_range = u64(r, part, "events_out_of_range");

	json_t *a = member(r, part, "images", JSON_ARRAY);
	l->n_images = a ? json_array_size(a) : 0;
	l->images = xcalloc(l->n_images ? l->n_images : 1, sizeof *l->images);
	for (size_t i = 0; i < l->n_images; i++)
		read_image(r, json_array_get(a, i), &l->images[i]);
	a = member(r, part, "skipped", JSON_ARRAY);
	for (size_t i = 0; a && i < json_array_size(a); i++) {
		json_t *s = json_array_get(a, i);
		char *path = exact_needed(r, s, "path"), *why = exact_needed(r, s, "reason");
		input_list_skip(l, path, boolean(r, s, "incomplete"), "%s", why);
		free(path);
		free(why);
	}
	a = member(r, part, "inputs", JSON_ARRAY);
	for (size_t i = 0; a && i < json_array_size(a) && !r->failed; i++)
		read_input(r, json_array_get(a, i), l, l->n_images);
	read_events(r, part, "events", l->n, &p->events);
	read_events(r, part, "story_events", l->n, &p->story);
	read_traces(r, part, l->n, p);
	json_t *st = member(r, part, "story", JSON_OBJECT);
	if (!st)
		return;
	p->passes = (unsigned)u64(r, st, "passes");
	p->inputs_read = (size_t)u64(r, st, "inputs_read");
	p->notes = string_list(r, st, "notes", &p->n_notes);
	p->story_hosts = string_list(r, st, "hosts", &p->n_story_hosts);
}

/* ---- the three members merge reads ----------------------------------- */

/* A report is mostly what merge does not read (findings, stories, hosts:
 * four fifths of its bytes), and jansson builds a tree of all it parses.
 * So the report's top level is walked here only to find where the
 * members "tool", "rule" and "part" lie, and jansson parses those three,
 * fully checked. The walk follows strings (their escapes) and nesting,
 * nothing else: what it passes over is never used. */

static bool json_space(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static size_t skip_space(const char *s, size_t n, size_t i)
{
	while (i < n && json_space(s[i]))
		i++;
	return i;
}

/* The end of the string whose opening quote is at s[i] (the index after
 * its closing quote), or 0 when the text ends inside it. */
static size_t skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return 0;
}

/* The end of the value at s[i], or 0 when the text ends inside it. */
static size_t skip_value(const char *s, size_t n, size_t i)
{
	size_t depth = 0;
	while (i < n) {
		char c = s[i];
		if (c == '"') {
			i = skip_string(s, n, i);
			if (i == 0 || depth == 0)
				return i;
			continue;
		}
		if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return i;   /* a scalar ended by its object's end */
			if (--depth == 0)
				return i + 1;
		} else if (depth == 0 && (c == ',' || json_space(c))) {
			return i;           /* a scalar's end */
		}
		i++;
	}
	return depth == 0 ? i : 0;
}

static const char *const wanted[] = { "tool", "rule", "part" };
#define N_WANTED (sizeof wanted / sizeof wanted[0])

/* Where each wanted member's value lies in the report's n bytes at s
 * (start, end; 0, 0 when it is absent). Returns NULL, or why the text is
 * not a JSON object of distinct keys. */
static const char *find_members(const char *s, size_t n, size_t at[N_WANTED][2])
{
	memset(at, 0, N_WANTED * sizeof at[0]);
	size_t i = skip_space(s, n, 0);
	if (i >= n || s[i] != '{')
		return "not a JSON object";
	i = skip_space(s, n, i + 1);
	if (i < n && s[i] == '}')
		return skip_space(s, n, i + 1) == n ? NULL : "text after the report";
	for (;;) {
		if (i >= n || s[i] != '"')
			return i >= n ? "cut short" : "a key is not a string";
		size_t key = i + 1, key_end = skip_string(s, n, i);
		if (key_end == 0)
			return "cut short";
		i = skip_space(s, n, key_end);
		if (i >= n || s[i] != ':')
			return i >= n ? "cut short" : "no colon after a key";
		size_t start = skip_space(s, n, i + 1), end = skip_value(s, n, start);
		if (end == 0 || end == start)
			return "cut short";
		for (size_t w = 0; w < N_WANTED; w++) {
			size_t len = key_end - 1 - key;
			if (len != strlen(wanted[w]) || memcmp(s + key, wanted[w], len) != 0)
				continue;
			if (at[w][1])
				return "a member given twice";   /* an edited part says two things */
			at[w][0] = start;
			at[w][1] = end;
		}
		i = skip_space(s, n, end);
		if (i < n && s[i] == ',') {
			i = skip_space(s, n, i + 1);
			continue;
		}
		if (i < n && s[i] == '}')
			return skip_space(s, n, i + 1) == n ? NULL : "text after the report";
		return i >= n ? "cut short" : "no comma between members";
	}
}

/* The wanted members of the report at s, parsed by jansson, as one
 * object; NULL with err. */
static json_t *load_members(const char *s, size_t n, char *err, size_t errsz)
{
	size_t at[N_WANTED][2];
	const char *why = find_members(s, n, at);
	if (why) {
		snprintf(err, errsz, "not a JSON report: %s", why);
		return NULL;
	}
	json_t *root = json_object();
	for (size_t w = 0; w < N_WANTED; w++) {
		if (!at[w][1])
			continue;
		json_error_t jerr;
		/* Reject a duplicate key: an edited part must not say two things. */
		json_t *v = json_loadb(s + at[w][0], at[w][1] - at[w][0], JSON_REJECT_DUPLICATES |
				       JSON_DECODE_ANY, &jerr);
		if (!v) {
			snprintf(err, errsz, "not a JSON report: its %s member: %s", wanted[w],
				 jerr.text);
			json_decref(root);
			return NULL;
		}
		json_object_set_new(root, wanted[w], v);
	}
	return root;
}

int part_parse(const char *text, size_t n, struct part *p, char *err, size_t errsz)
{
	json_t *root = load_members(text, n, err, errsz);
	if (!root)
		return -1;
	struct rd r = { err, errsz, false };
	read_part(&r, root, p);
	json_decref(root);
	return r.failed ? -1 : 0;
}

int part_read(const char *path, struct part *p, char *err, size_t errsz)
{
	memset(p, 0, sizeof *p);
	p->path = xstrdup(path);
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errsz, "%s", strerror(errno));
		return -1;
	}
	struct strbuf text = { 0 };
	char block[65536];
	size_t k;
	while ((k = fread(block, 1, sizeof block, f)) > 0)
		sb_append(&text, block, k);
	int failed = ferror(f);
	fclose(f);
	int rc = -1;
	if (failed)
		snprintf(err, errsz, "%s", strerror(errno));
	else
		rc = part_parse(text.data ? text.data : "", text.len, p, err, errsz);
	sb_free(&text);
	return rc;
}

int part_sniff(const char *path)
{
	static const char head[] = "{\"tool\":{\"name\":\"rmmhunt\"";
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char buf[64];
	size_t n = fread(buf, 1, sizeof buf, f), i = 0;
	int failed = ferror(f);
	fclose(f);
	if (failed)
		return -1;
	while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
		i++;
	return n - i >= sizeof head - 1 && memcmp(buf + i, head, sizeof head - 1) == 0;
}

void part_free(struct part *p)
{
	free(p->path);
	free(p->version);
	free(p->rule_version);
	inputs_free(&p->inputs);
	findings_free(&p->events);
	findings_free(&p->story);
	traces_free(&p->traces);
	for (size_t i = 0; i < p->n_notes; i++)
		free(p->notes[i]);
	free(p->notes);
	for (size_t i = 0; i < p->n_story_hosts; i++)
		free(p->story_hosts[i]);
	free(p->story_hosts);
	memset(p, 0, sizeof *p);
}
