/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* json_out: the JSON writers report_json.c and report_jsonl.c share: a
 * member's key and value, placing commas as they go. Private to
 * src/report. */
#ifndef RMMHUNT_JSON_OUT_H
#define RMMHUNT_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include "escape.h"
#include "strbuf.h"
#include "timefmt.h"
#include "trace.h"


static inline void key(struct strbuf *sb, const char *name)
{
	json_quote(sb, name);
	sb_putc(sb, ':');
}

static inline void str_member(struct strbuf *sb, const char *name, const char *value, bool comma)
{
	key(sb, name);
	if (value)
		json_quote(sb, value);
	else
		sb_puts(sb, "null");
	if (comma)
		sb_putc(sb, ',');
}

static inline void num_member(struct strbuf *sb, const char *name, uint64_t value)
{
	key(sb, name);
	sb_printf(sb, "%llu,", (unsigned long long)value);
}

static inline void bool_member(struct strbuf *sb, const char *name, bool value)
{
	key(sb, name);
	sb_puts(sb, value ? "true," : "false,");
}

/* Times in JSON carry their fractions and a Z: ISO 8601 UTC. */
static inline void time_member(struct strbuf *sb, const char *name, int64_t t, bool comma)
{
	char buf[TIME_TEXT_SIZE];
	time_format_precise(t, buf);
	str_member(sb, name, t == TIME_NONE ? NULL : buf, comma);
}

/* Ends an object whose last member wrote a comma. */
static inline void close_object(struct strbuf *sb)
{
	if (sb->len && sb->data[sb->len - 1] == ',')
		sb->len--;
	sb_putc(sb, '}');
}

/* Each field of trace t as TRACE_FIELDS lists it, each followed by a
 * comma (the JSON report's traces, the JSONL's trace lines). */
static inline void trace_members(struct strbuf *sb, const struct trace *t)
{
#define S_(name) str_member(sb, #name, t->name, true);
#define T_(name) time_member(sb, #name, t->name, true);
#define U_(name) num_member(sb, #name, t->name);
#define X(k, name, doc) k##_(name)
	TRACE_FIELDS(X)
#undef X
#undef S_
#undef T_
#undef U_
}

#endif
