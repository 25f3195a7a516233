/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The JSON report's "part" member: see part.h. Member names are short
 * and fixed; part_read.c reads the same names. */
#include <stdint.h>
#include <string.h>
#include "escape.h"
#include "part.h"
#include "run.h"
#include "timefmt.h"

/* Where the System fields' values go: EventData ones by their Data Name. */
static const char *const system_name[] = { "Provider", "Computer", "UserID" };

const char *part_field_name(enum event_field f)
{
	return event_data_name[f] ? event_data_name[f] : system_name[f];
}

static void str(struct strbuf *sb, const char *name, const char *value)
{
	sb_printf(sb, "\"%s\":", name);
	if (value)
		json_quote_exact(sb, value);
	else
		sb_puts(sb, "null");
	sb_putc(sb, ',');
}

/* A number as JSON readers hold it: past INT64_MAX (an EventRecordID,
 * a partition table's claims are the attacker's), as a decimal string. */
static void u64_value(struct strbuf *sb, uint64_t v)
{
	sb_printf(sb, v > INT64_MAX ? "\"%llu\"" : "%llu", (unsigned long long)v);
}

static void num(struct strbuf *sb, const char *name, uint64_t v)
{
	sb_printf(sb, "\"%s\":", name);
	u64_value(sb, v);
	sb_putc(sb, ',');
}

static void ticks(struct strbuf *sb, const char *name, int64_t t)
{
	if (t == TIME_NONE)
		sb_printf(sb, "\"%s\":null,", name);
	else
		sb_printf(sb, "\"%s\":%lld,", name, (long long)t);
}

static void flag(struct strbuf *sb, const char *name, bool v)
{
	sb_printf(sb, "\"%s\":%s,", name, v ? "true" : "false");
}

/* Drops the comma the last member wrote and closes with c. */
static void close_with(struct strbuf *sb, char c)
{
	if (sb->len && sb->data[sb->len - 1] == ',')
		sb->len--;
	sb_putc(sb, c);
}

static void strings(struct strbuf *sb, const char *name, char *const *v, size_t n)
{
	sb_printf(sb, "\"%s\":[", name);
	for (size_t i = 0; i < n; i++) {
		json_quote_exact(sb, v[i]);
		sb_putc(sb, ',');
	}
	close_with(sb, ']');
	sb_putc(sb, ',');
}

/* Each trace's fields as TRACE_FIELDS lists them: strings exact, times
 * as ticks, counts as numbers. */
static void traces_member(struct strbuf *sb, const struct traces *ts)
{
	sb_puts(sb, "\"traces\":[");
	for (size_t i = 0; i < ts->n; i++) {
		const struct trace *t = &ts->v[i];
		sb_putc(sb, '{');
#define S_(name) str(sb, #name, t->name);
#define T_(name) ticks(sb, #name, t->name);
#define U_(name) num(sb, #name, t->name);
#define X(k, name, doc) k##_(name)
		TRACE_FIELDS(X)
#undef X
#undef S_
#undef T_
#undef U_
		close_with(sb, '}');
		sb_putc(sb, ',');
	}
	close_with(sb, ']');
	sb_putc(sb, ',');
}

static void input_member(struct strbuf *sb, const struct input *in)
{
	sb_putc(sb, '{');
	if (in->kind != INPUT_EVTX) {   /* an EVTX input's part is 0.7.0's */
		num(sb, "kind", in->kind);
		str(sb, "artifact", in->artifact);
	}
	str(sb, "path", in->path);
	str(sb, "where", in->where);
	sb_puts(sb, "\"steps\":[");
	for (size_t i = 0; i < in->loc.n; i++) {
		const struct step *s = &in->loc.steps[i];
		sb_putc(sb, '{');
		str(sb, "kind", step_kind_name(s->kind));
#define NUM(name, v) num(sb, name, v);
#define TICKS(name, v) ticks(sb, name, v);
#define STR(name, v) str(sb, name, v);
#define X(form, member, doc) form(#member, s->member)
		STEP_MEMBERS(X)
#undef X
#undef NUM
#undef TICKS
#undef STR
		close_with(sb, '}');
		sb_putc(sb, ',');
	}
	close_with(sb, ']');
	sb_putc(sb, ',');
	num(sb, "image", in->image);
	flag(sb, "named", in->named);
	num(sb, "size", in->size);
	str(sb, "sha256", in->sha256);
	str(sb, "status", input_status_name(in->status));
	str(sb, "reason", in->reason);
#define X(member, json, group, doc) in->member,
	const uint64_t counts[] = { INPUT_COUNTS(X) };
#undef X
	sb_puts(sb, "\"counts\":[");
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		if (i)
			sb_putc(sb, ',');
		u64_value(sb, counts[i]);
	}
	sb_puts(sb, "],");
	ticks(sb, "first", in->first_time);
	ticks(sb, "last", in->last_time);
	flag(sb, "dirty", in->dirty);
	flag(sb, "interrupted", in->interrupted);
	strings(sb, "computers", in->computers, in->n_computers);
	close_with(sb, '}');
}

static void image_member(struct strbuf *sb, const struct image_input *im)
{
	sb_putc(sb, '{');
	str(sb, "path", im->path);
	str(sb, "format", image_format_name(im->format));
	flag(sb, "named", im->named);
	num(sb, "size", im->size);
	str(sb, "detail", im->detail);
	str(sb, "status", input_status_name(im->status));
	str(sb, "reason", im->reason);
	flag(sb, "listing_failed", im->listing_failed);
#define X(member, part, json, doc) num(sb, part, im->member);
	IMAGE_COUNTS(X)
#undef X
	str(sb, "verify", im->verify);
	close_with(sb, '}');
}

/* An event and every copy of it: merge adds each copy as an event, so
 * that de-duplication across parts chooses as one run would. */
static void event_member(struct strbuf *sb, const struct event *ev,
			 const struct event_sources *src)
{
	sb_putc(sb, '{');
#define NUM(name, v) num(sb, name, v)
#define TICKS(name, v) ticks(sb, name, v)
#define FLAG(name, v) flag(sb, name, v)
#define PUT(member, bytes, largest, form, name) form(name, ev->member);
	EVENT_HEAD(PUT)
#undef PUT
#undef NUM
#undef TICKS
#undef FLAG
	sb_puts(sb, "\"fields\":{");
	for (int f = 0; f < EF_COUNT; f++)
		if (ev->field[f] && event_field_kept[f])
			str(sb, part_field_name((enum event_field)f), ev->field[f]);
	close_with(sb, '}');
	sb_puts(sb, ",\"copies\":[");
	for (size_t i = 0; i < src->n_copies; i++) {
		const struct event_copy *c = &src->copies[i];
		const char *sep = i ? ",[" : "[";
#define PUT(member, bytes, largest) \
		{ sb_puts(sb, sep); u64_value(sb, (uint64_t)c->member); sep = ","; }
		EVENT_COPY(PUT)
#undef PUT
		sb_putc(sb, ']');
	}
	sb_puts(sb, "]}");
}

static void events_member(struct strbuf *sb, const char *name, const struct findings *f,
			  FILE *out)
{
	sb_printf(sb, "\"%s\":[", name);
	for (size_t i = 0; i < f->n_events; i++) {
		if (i)
			sb_puts(sb, ",\n");
		event_member(sb, &f->events[i], &f->sources[i]);
		if (out)
			sb_flush_to(sb, out, SB_PIECE);
	}
	sb_puts(sb, "],");
}

void part_write(struct strbuf *sb, const struct run *run, FILE *out)
{
	const struct input_list *l = run->inputs;
	const struct stories *st = run->stories;
	sb_printf(sb, "\"part\":{\"format\":%d,\"options\":{", PART_FORMAT);
	ticks(sb, "from", run->from);
	ticks(sb, "to", run->to);
	flag(sb, "recovered", run->recovered);
	flag(sb, "extended", run->extended);
	flag(sb, "story", st && st->enabled);
	flag(sb, "allowlist", run->allowlist);
	flag(sb, "prefilter", run->prefilter);
	close_with(sb, '}');
	sb_putc(sb, ',');
	str(sb, "interrupted", l->interrupted);
	num(sb, "ignored_non_evtx", l->ignored_non_evtx);
	num(sb, "image_parts", l->image_parts);
	num(sb, "events_out_of_range", run->events_out_of_range);
	/* only with traces on: --no-traces' part is 0.7.0's */
	if (run->traces)
		traces_member(sb, run->traces);
	sb_puts(sb, "\"images\":[");
	for (size_t i = 0; i < l->n_images; i++) {
		image_member(sb, &l->images[i]);
		sb_putc(sb, ',');
	}
	close_with(sb, ']');
	sb_puts(sb, ",\"skipped\":[");
	for (size_t i = 0; i < l->n_skipped; i++) {
		sb_putc(sb, '{');
		str(sb, "path", l->skipped[i].path);
		str(sb, "reason", l->skipped[i].reason);
		flag(sb, "incomplete", l->skipped[i].incomplete);
		close_with(sb, '}');
		sb_putc(sb, ',');
	}
	close_with(sb, ']');
	sb_puts(sb, ",\"inputs\":[");
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			sb_puts(sb, ",\n");
		input_member(sb, &l->items[i]);
	}
	sb_puts(sb, "],\n");
	events_member(sb, "events", run->findings, out);
	sb_putc(sb, '\n');
	if (st && st->enabled && st->store.sources)
		events_member(sb, "story_events", &st->store, out);
	else
		sb_puts(sb, "\"story_events\":[],");
	sb_puts(sb, "\n\"story\":{");
	num(sb, "passes", st ? st->passes : 0);
	num(sb, "inputs_read", st ? st->inputs_read : 0);
	strings(sb, "notes", st ? st->notes : NULL, st ? st->n_notes : 0);
	sb_puts(sb, "\"hosts\":[");
	for (size_t i = 0; st && st->enabled && i < st->n; i++) {
		if (i && strcmp(st->v[i].host, st->v[i - 1].host) == 0)
			continue;   /* by host first: each host once */
		json_quote_exact(sb, st->v[i].host);
		sb_putc(sb, ',');
	}
	close_with(sb, ']');
	sb_puts(sb, "}}");
}
