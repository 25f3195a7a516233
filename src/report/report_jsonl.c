/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* report_jsonl: one JSON object a line, for timelines (Timesketch):
 * every matching event, every story event, every trace. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "json_out.h"
#include "layout.h"
#include "report.h"
#include "rule.h"
#include "story.h"

/* ---- JSON Lines, for timelines ----------------------------------------- */

/* Timesketch's datetime: ISO 8601 UTC with microseconds (what its
 * parsers take), and its timestamp: microseconds since 1970. */
static void timesketch_time(struct strbuf *sb, int64_t ticks)
{
	char buf[TIME_TEXT_SIZE];
	time_format_precise(ticks, buf);      /* ...SS.fffffffZ */
	size_t n = strlen(buf);
	if (n >= 2 && buf[n - 1] == 'Z') {
		buf[n - 2] = 'Z';                 /* seven digits to six */
		buf[n - 1] = '\0';
	}
	str_member(sb, "datetime", buf, true);
	int64_t frac = ticks % 10000000;
	if (frac < 0)
		frac += 10000000;
	key(sb, "timestamp");
	sb_printf(sb, "%lld,", (long long)time_to_unix(ticks) * 1000000 + frac / 10);
}

static void jsonl_line(struct strbuf *sb, const struct run *run, size_t i,
		       const struct finding *row, size_t row_index)
{
	const struct event *ev = &run->findings->events[i];
	sb_putc(sb, '{');
	struct strbuf msg = { 0 };
	sb_printf(&msg, "%s loaded by %s on %s (NetSupport RMM DLL%s)",
		  ev->field[EF_IMAGE_LOADED] ? ev->field[EF_IMAGE_LOADED] : "?",
		  ev->field[EF_IMAGE] ? ev->field[EF_IMAGE] : "?",
		  ev->field[EF_COMPUTER] ? ev->field[EF_COMPUTER] : "?",
		  row && row->suppressed ? ", allowlisted" : "");
	str_member(sb, "message", msg.data, true);
	sb_free(&msg);
	timesketch_time(sb, ev->time);
	str_member(sb, "timestamp_desc", "Image loaded (Sysmon Event ID 7)", true);
	str_member(sb, "data_type", "rmmhunt:netsupport:image_load", true);
	str_member(sb, "rule_id", RULE_ID, true);
	str_member(sb, "case", run->case_name, true);
	key(sb, "finding");
	if (row)
		sb_printf(sb, "%zu,", row_index);
	else
		sb_puts(sb, "null,");
	bool_member(sb, "suppressed", row && row->suppressed);
	bool_member(sb, "outside_splunk_search", row && row->rated.outside_search);
	for (int f = 0; row && f < BF_COUNT; f++)
		str_member(sb, byfield_name[f], row->key[f], true);
	num_member(sb, "record_id", ev->record_id);
	str_member(sb, "computer", ev->field[EF_COMPUTER], true);
	str_member(sb, "evidence", input_where(&run->inputs->items[ev->input]), true);
	num_member(sb, "input", ev->input);
	num_member(sb, "offset", ev->offset);
	str_member(sb, "origin", origin_name((enum origin)ev->origin), true);
	bool_member(sb, "recovered", ev->recovered);
	num_member(sb, "copies", run->findings->sources[i].n_copies);
	close_object(sb);
	sb_putc(sb, '\n');
}

/* What a story event says, for a timeline's message column. */
static const char *story_event_desc(uint32_t event_id)
{
	switch (event_id) {
	case 1: return "Process created (Sysmon Event ID 1)";
	case 3: return "Network connection (Sysmon Event ID 3)";
	case 5: return "Process terminated (Sysmon Event ID 5)";
	case 11: return "File created (Sysmon Event ID 11)";
	case 13: return "Registry value set (Sysmon Event ID 13)";
	case 22: return "DNS query (Sysmon Event ID 22)";
	default: return "Sysmon event";
	}
}

static void story_message(struct strbuf *m, const struct event *e, const struct story *s)
{
	const char *img = e->field[EF_IMAGE] ? e->field[EF_IMAGE] : "?";
	switch (e->event_id) {
	case 1:
		sb_printf(m, "%s started: %s", img,
			  e->field[EF_COMMAND_LINE] ? e->field[EF_COMMAND_LINE] : "?");
		break;
	case 3:
		sb_printf(m, "%s connected to %s:%s%s%s%s", img,
			  e->field[EF_DESTINATION_IP] ? e->field[EF_DESTINATION_IP] : "?",
			  e->field[EF_DESTINATION_PORT] ? e->field[EF_DESTINATION_PORT] : "?",
			  e->field[EF_DESTINATION_HOSTNAME] ? " (" : "",
			  e->field[EF_DESTINATION_HOSTNAME] ? e->field[EF_DESTINATION_HOSTNAME] : "",
			  e->field[EF_DESTINATION_HOSTNAME] ? ")" : "");
		break;
	case 22:
		sb_printf(m, "%s looked up %s", img,
			  e->field[EF_QUERY_NAME] ? e->field[EF_QUERY_NAME] : "?");
		break;
	case 11:
		sb_printf(m, "%s created %s", img,
			  e->field[EF_TARGET_FILENAME] ? e->field[EF_TARGET_FILENAME] : "?");
		break;
	case 13:
		sb_printf(m, "%s set %s to %s", img,
			  e->field[EF_TARGET_OBJECT] ? e->field[EF_TARGET_OBJECT] : "?",
			  e->field[EF_DETAILS] ? e->field[EF_DETAILS] : "?");
		break;
	default:
		sb_printf(m, "%s ended", img);
	}
	sb_printf(m, " (story of %s on %s)", s->image, s->host);
}

/* One line for an event of story s (index si). */
static void jsonl_story_line(struct strbuf *sb, const struct run *run, size_t si, size_t i)
{
	static const struct { const char *name; enum event_field f; } fields[] = {
		{ "Image", EF_IMAGE }, { "ProcessGuid", EF_PROCESS_GUID },
		{ "CommandLine", EF_COMMAND_LINE }, { "User", EF_USER },
		{ "ParentProcessGuid", EF_PARENT_PROCESS_GUID }, { "ParentImage", EF_PARENT_IMAGE },
		{ "DestinationIp", EF_DESTINATION_IP },
		{ "DestinationHostname", EF_DESTINATION_HOSTNAME },
		{ "DestinationPort", EF_DESTINATION_PORT }, { "Protocol", EF_PROTOCOL },
		{ "QueryName", EF_QUERY_NAME }, { "QueryResults", EF_QUERY_RESULTS },
		{ "TargetFilename", EF_TARGET_FILENAME }, { "TargetObject", EF_TARGET_OBJECT },
		{ "Details", EF_DETAILS },
	};
	const struct story *s = &run->stories->v[si];
	const struct event *e = &run->stories->store.events[i];
	struct strbuf m = { 0 };
	sb_putc(sb, '{');
	story_message(&m, e, s);
	str_member(sb, "message", m.data, true);
	sb_free(&m);
	timesketch_time(sb, e->time);
	str_member(sb, "timestamp_desc", story_event_desc(e->event_id), true);
	str_member(sb, "data_type", "rmmhunt:netsupport:story", true);
	str_member(sb, "rule_id", RULE_ID, true);
	str_member(sb, "case", run->case_name, true);
	num_member(sb, "story", si);
	str_member(sb, "story_process_guid", s->guid, true);
	str_member(sb, "story_image", s->image, true);
	num_member(sb, "event_id", e->event_id);
	for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
		if (e->field[fields[k].f])
			str_member(sb, fields[k].name, e->field[fields[k].f], true);
	num_member(sb, "record_id", e->record_id);
	str_member(sb, "computer", e->field[EF_COMPUTER], true);
	str_member(sb, "evidence", input_where(&run->inputs->items[e->input]), true);
	num_member(sb, "input", e->input);
	num_member(sb, "offset", e->offset);
	str_member(sb, "origin", origin_name((enum origin)e->origin), true);
	bool_member(sb, "recovered", e->recovered);
	num_member(sb, "copies", run->stories->store.sources[i].n_copies);
	close_object(sb);
	sb_putc(sb, '\n');
}

static void jsonl_stories(struct strbuf *sb, FILE *out, const struct run *run)
{
	const struct stories *st = run->stories;
	for (size_t si = 0; st && st->enabled && si < st->n; si++) {
		size_t n;
		size_t *v = story_events(&st->v[si], &n);
		for (size_t k = 0; k < n; k++) {
			jsonl_story_line(sb, run, si, v[k]);
			sb_flush_to(sb, out, SB_PIECE);
		}
		free(v);
	}
}

/* A trace's lines for a timeline: one at its last time, one at its
 * first where that differs, each saying what its time is. */
static void jsonl_trace_line(struct strbuf *sb, const struct run *run, const struct trace *t,
			     int64_t when, const char *what)
{
	sb_putc(sb, '{');
	struct strbuf msg = { 0 };
	sb_printf(&msg, "%s ran on %s (NetSupport client, %s trace)",
		  t->executable ? t->executable : "?",
		  t->host && *t->host ? t->host : "a host not named", t->kind ? t->kind : "?");
	str_member(sb, "message", msg.data, true);
	sb_free(&msg);
	timesketch_time(sb, when);
	str_member(sb, "timestamp_desc", what, true);
	str_member(sb, "data_type", "rmmhunt:netsupport:trace", true);
	str_member(sb, "case", run->case_name, true);
	trace_members(sb, t);
	str_member(sb, "evidence", input_where(&run->inputs->items[t->input]), true);
	close_object(sb);
	sb_putc(sb, '\n');
}

static void jsonl_traces(struct strbuf *sb, FILE *out, const struct run *run)
{
	for (size_t i = 0; run->traces && i < run->traces->n; i++) {
		const struct trace *t = &run->traces->v[i];
		if (t->last_seen == TIME_NONE)
			continue;
		jsonl_trace_line(sb, run, t, t->last_seen, t->last_meaning ? t->last_meaning : "");
		if (t->first_seen != TIME_NONE && t->first_seen != t->last_seen)
			jsonl_trace_line(sb, run, t, t->first_seen,
					 t->first_meaning ? t->first_meaning : "");
		sb_flush_to(sb, out, SB_PIECE);
	}
}

int report_jsonl(FILE *out, const struct run *run)
{
	const struct findings *f = run->findings;
	size_t *row_of = xcalloc(f->n_events + 1, sizeof *row_of);
	for (size_t i = 0; i < f->n_events; i++)
		row_of[i] = SIZE_MAX;
	for (size_t r = 0; r < f->n_rows; r++)
		for (size_t k = 0; k < f->rows[r].n_events; k++)
			if (f->rows[r].events[k] < f->n_events)
				row_of[f->rows[r].events[k]] = r;
	struct strbuf sb = { 0 };
	for (size_t i = 0; i < f->n_events; i++) {
		size_t r = row_of[i];
		jsonl_line(&sb, run, i, r == SIZE_MAX ? NULL : &f->rows[r], r);
		sb_flush_to(&sb, out, SB_PIECE);
	}
	jsonl_stories(&sb, out, run);
	jsonl_traces(&sb, out, run);
	sb_flush_to(&sb, out, 0);
	sb_free(&sb);
	free(row_of);
	return ferror(out) ? -1 : 0;
}
