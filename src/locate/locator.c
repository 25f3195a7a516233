/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* locator: building, copying and rendering provenance. */
#include <stdlib.h>
#include <string.h>
#include "layout.h"
#include "locator.h"
#include "strbuf.h"
#include "timefmt.h"

static const char *const kind_names[STEP_KIND_COUNT] = {
#define X(e, s, p) s,
	STEP_KINDS(X)
#undef X
};

const char *step_kind_name(enum step_kind k)
{
	return k < STEP_KIND_COUNT ? kind_names[k] : "unknown";
}

struct step *locator_push(struct locator *loc, enum step_kind kind, const char *name)
{
	loc->steps = xrealloc(loc->steps, (loc->n + 1) * sizeof *loc->steps);
	struct step *s = &loc->steps[loc->n++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->time = TIME_NONE;
	s->name = name ? xstrdup(name) : NULL;
	return s;
}

struct step *locator_push_carved_whole(struct locator *loc, uint64_t size, const char *why)
{
	struct step *s = locator_push(loc, STEP_CARVED, CARVE_WHOLE);
	s->size = size;
	s->detail = why ? xstrdup(why) : NULL;
	return s;
}

void locator_copy(struct locator *dst, const struct locator *src)
{
	dst->n = src->n;
	dst->steps = src->n ? xmalloc(src->n * sizeof *dst->steps) : NULL;
	for (size_t i = 0; i < src->n; i++) {
		const struct step *from = &src->steps[i];
		struct step *to = &dst->steps[i];
		*to = *from;
#define STR_COPY(m) to->m = from->m ? xstrdup(from->m) : NULL;
#define X(form, member, doc) form##_COPY(member)
#define NUM_COPY(m)
#define TICKS_COPY(m)
		STEP_MEMBERS(X)
#undef X
#undef NUM_COPY
#undef TICKS_COPY
#undef STR_COPY
	}
}

void locator_clear(struct locator *loc)
{
	for (size_t i = 0; i < loc->n; i++) {
#define X(form, member, doc) form##_FREE(loc->steps[i].member)
#define NUM_FREE(v)
#define TICKS_FREE(v)
#define STR_FREE(v) free(v);
		STEP_MEMBERS(X)
#undef X
#undef NUM_FREE
#undef TICKS_FREE
#undef STR_FREE
	}
	free(loc->steps);
	loc->steps = NULL;
	loc->n = 0;
}

const char *locator_path(const struct locator *loc)
{
	return loc->n && loc->steps[0].name ? loc->steps[0].name : "";
}

bool locator_is_plain_file(const struct locator *loc)
{
	return loc->n == 1 && loc->steps[0].kind == STEP_FILE;
}

char *locator_format(const struct locator *loc)
{
	struct strbuf sb = { 0 };
	for (size_t i = 0; i < loc->n; i++) {
		size_t before = sb.len;
		if (i)
			sb_puts(&sb, " \xe2\x80\xba ");   /* U+203A › */
		size_t mark = sb.len;
		locator_format_step(&sb, &loc->steps[i]);
		if (sb.len == mark)
			sb.data[sb.len = before] = '\0';   /* a step with nothing to show */
	}
	if (!sb.data)
		sb_puts(&sb, "");
	return sb_take(&sb);
}

enum origin locator_origin(const struct locator *loc)
{
	enum origin o = ORIGIN_LIVE;
	for (size_t i = 0; i < loc->n; i++) {
		const struct step *s = &loc->steps[i];
		if (s->kind == STEP_CARVED ||
		    (s->kind == STEP_NTFS && s->detail && strcmp(s->detail, "deleted") == 0))
			return ORIGIN_CARVED;   /* recovered from what was freed */
		if (loc->steps[i].kind == STEP_VSS)
			o = ORIGIN_SNAPSHOT;
		char orig[8];
		bool snap = false;
		if (s->kind == STEP_ARCHIVE &&
		    (layout_original_path(s->name, orig, sizeof orig, &snap), snap))
			o = ORIGIN_SNAPSHOT;   /* a collector's copy of a shadow copy */
	}
	return o;
}

const char *origin_name(enum origin o)
{
	static const char *const names[] = { "live", "snapshot", "slack", "carved" };
	return o <= ORIGIN_CARVED ? names[o] : "unknown";
}

uint64_t locator_layer_offset(const struct locator *loc, size_t upto)
{
	uint64_t off = 0;
	for (size_t i = 0; i < upto && i < loc->n; i++)
		if (loc->steps[i].kind == STEP_PARTITION)
			off += loc->steps[i].offset;
	return off;
}
