/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* JSON: one document with the run, every input, every finding row
 * (suppressed ones marked) and every matching event. */
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "hosts.h"
#include "layout.h"
#include "part.h"
#include "reach.h"
#include "report.h"
#include "verdict.h"
#include "rule.h"
#include "timefmt.h"
#include "json_out.h"

static void step_object(struct strbuf *sb, const struct step *st)
{
	sb_putc(sb, '{');
	str_member(sb, "kind", step_kind_name(st->kind), true);
	switch (st->kind) {
	case STEP_FILE:
		str_member(sb, "path", st->name, true);
		break;
	case STEP_IMAGE:
		str_member(sb, "format", st->name, true);
		num_member(sb, "media_size", st->size);
		str_member(sb, "stored_hashes", st->detail, true);
		break;
	case STEP_PARTITION:
		num_member(sb, "index", st->index);
		str_member(sb, "file_system", st->name, true);
		str_member(sb, "table_description", st->detail, true);
		num_member(sb, "offset", st->offset);
		num_member(sb, "size", st->size);
		break;
	case STEP_VOLUME:
		str_member(sb, "file_system", st->name, true);
		num_member(sb, "size", st->size);
		break;
	case STEP_VSS:
		num_member(sb, "store", st->index);
		str_member(sb, "id", st->name, true);
		time_member(sb, "created", st->time, true);
		num_member(sb, "volume_size", st->size);
		break;
	case STEP_NTFS:
		str_member(sb, "path", st->name, true);
		num_member(sb, "mft_entry", st->index);
		bool_member(sb, "deleted", st->detail && strcmp(st->detail, "deleted") == 0);
		break;
	case STEP_ARCHIVE: {
		char orig[1024];
		bool snap;
		bool known = layout_original_path(st->name, orig, sizeof orig, &snap);
		str_member(sb, "member", st->name, true);
		num_member(sb, "entry", st->index);
		num_member(sb, "size", st->size);
		str_member(sb, "format", st->detail, true);
		str_member(sb, "original_path", known ? orig : NULL, true);
		bool_member(sb, "shadow_copy", known && snap);
		break;
	}
	case STEP_SPARSE:
		str_member(sb, "index_member", st->name, true);
		num_member(sb, "entry", st->index);
		num_member(sb, "index_size", st->offset);
		num_member(sb, "size", st->size);
		break;
	case STEP_CARVED:
		str_member(sb, "region", st->name, true);
		num_member(sb, "offset", st->offset);
		num_member(sb, "size", st->size);
		break;
	default:
		break;
	}
	close_object(sb);
}

static void locator_member(struct strbuf *sb, const struct locator *loc)
{
	key(sb, "locator");
	sb_putc(sb, '[');
	for (size_t i = 0; i < loc->n; i++) {
		if (i)
			sb_putc(sb, ',');
		step_object(sb, &loc->steps[i]);
	}
	sb_puts(sb, "],");
}

static void run_section(struct strbuf *sb, const struct run *run)
{
	key(sb, "tool");
	sb_putc(sb, '{');
	str_member(sb, "name", "rmmhunt", true);
	str_member(sb, "version", run->version, false);
	sb_puts(sb, "},");
	key(sb, "rule");
	sb_putc(sb, '{');
	str_member(sb, "id", RULE_ID, true);
	str_member(sb, "name", RULE_NAME, true);
	str_member(sb, "version", RULE_VERSION, true);
	key(sb, "risk_score");
	sb_printf(sb, "%d},", RULE_RISK_SCORE);
	key(sb, "run");
	sb_putc(sb, '{');
	key(sb, "arguments");
	sb_putc(sb, '[');
	for (int i = 0; i < run->argc; i++) {
		if (i)
			sb_putc(sb, ',');
		json_quote(sb, run->argv[i]);
	}
	sb_puts(sb, "],");
	str_member(sb, "timezone", "UTC", true);
	str_member(sb, "case", run->case_name, true);
	str_member(sb, "examiner", run->examiner, true);
	time_member(sb, "started", run->started, true);
	time_member(sb, "finished", run->finished, true);
	time_member(sb, "from", run->from, true);
	time_member(sb, "to", run->to, true);
	bool_member(sb, "recovered_records_read", run->recovered);
	key(sb, "prefilter");
	sb_puts(sb, run->prefilter ? "true," : "false,");
	bool_member(sb, "extended_modules", run->extended);
	/* why reading stopped before the end: a signal, the --deadline */
	key(sb, "interrupted");
	if (run->inputs->interrupted)
		json_quote(sb, run->inputs->interrupted);
	else
		sb_puts(sb, "null");
	sb_puts(sb, "},");
}

static void summary_section(struct strbuf *sb, const struct run *run)
{
	const struct findings *f = run->findings;
	uint64_t counts[3] = { 0 }, recovered = 0;
	for (size_t i = 0; i < run->inputs->n; i++)
		counts[run->inputs->items[i].status]++;
	for (size_t i = 0; i < f->n_events; i++)
		recovered += f->events[i].recovered;
	key(sb, "summary");
	sb_putc(sb, '{');
	num_member(sb, "inputs", run->inputs->n);
	num_member(sb, "inputs_ok", counts[INPUT_OK]);
	num_member(sb, "inputs_partial", counts[INPUT_PARTIAL]);
	num_member(sb, "inputs_failed", counts[INPUT_FAILED]);
	size_t not_read = input_list_not_read(run->inputs);
	num_member(sb, "paths_skipped", run->inputs->n_skipped);
	num_member(sb, "paths_or_parts_not_read", not_read);
	num_member(sb, "parts_listed_not_searched", run->inputs->n_skipped - not_read);
	num_member(sb, "disk_images", run->inputs->n_images);
	num_member(sb, "non_evtx_files_ignored", run->inputs->ignored_non_evtx);
	num_member(sb, "finding_rows", f->n_rows - f->suppressed_rows);
	num_member(sb, "suppressed_rows", f->suppressed_rows);
	num_member(sb, "suppressed_events", f->suppressed_events);
	num_member(sb, "matching_events", f->n_events);
	num_member(sb, "recovered_events", recovered);
	num_member(sb, "duplicate_events", f->duplicates);
	num_member(sb, "events_outside_time_range", run->events_out_of_range);
	/* hosts no input logging Sysmon Event ID 7 names: not checked */
	const char **blind;
	size_t n = input_list_blind_hosts(run->inputs, &blind);
	key(sb, "blind_hosts");
	sb_putc(sb, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(sb, ',');
		json_quote(sb, blind[i]);
	}
	sb_puts(sb, "]},");
	free(blind);
}

/* The verdict of host, or NULL (no traces read: --no-traces). */
static const char *verdict_of_host(const struct verdicts *vs, const char *host)
{
	for (size_t i = 0; vs && i < vs->n; i++)
		if (strcmp(vs->v[i].host, host) == 0)
			return verdict_name(vs->v[i].verdict);
	return NULL;
}

/* hosts (hosts.h): each host's hits, processes and their modules; with
 * traces, its verdict (the same as in verdicts). */
static void hosts_section(struct strbuf *sb, const struct run *run, FILE *out)
{
	struct hosts h;
	struct verdicts own = { 0 };
	const struct verdicts *vs = run->traces ? verdicts_of(run, &own) : NULL;
	hosts_build(&h, run);
	key(sb, "hosts");
	sb_putc(sb, '[');
	for (size_t i = 0; i < h.n; i++) {
		const struct host_view *v = &h.v[i];
		sb_puts(sb, i ? ",\n{" : "{");
		str_member(sb, "host", v->host, true);
		const char *verdict = verdict_of_host(vs, v->host);
		if (verdict)
			str_member(sb, "verdict", verdict, true);
		bool_member(sb, "blind", v->blind);
		num_member(sb, "logs", v->inputs);
		num_member(sb, "finding_rows", v->rows);
		num_member(sb, "events", v->events);
		time_member(sb, "first_seen", v->first, true);
		time_member(sb, "last_seen", v->last, true);
		key(sb, "processes");
		sb_putc(sb, '[');
		for (size_t p = 0; p < v->n_processes; p++) {
			const struct host_process *pr = &v->processes[p];
			sb_puts(sb, p ? ",{" : "{");
			str_member(sb, "image", pr->image, true);
			str_member(sb, "process_guid", pr->guid, true);
			num_member(sb, "events", pr->count);
			time_member(sb, "first_seen", pr->first, true);
			time_member(sb, "last_seen", pr->last, true);
			key(sb, "modules");
			sb_putc(sb, '[');
			for (size_t m = 0; m < pr->n_modules; m++) {
				const struct host_module *mo = &pr->modules[m];
				sb_puts(sb, m ? ",{" : "{");
				str_member(sb, "module", mo->module, true);
				num_member(sb, "events", mo->count);
				time_member(sb, "first_seen", mo->first, true);
				time_member(sb, "last_seen", mo->last, false);
				sb_putc(sb, '}');
			}
			sb_puts(sb, "]}");
			sb_flush_to(sb, out, SB_PIECE);
		}
		sb_puts(sb, "]}");
	}
	sb_puts(sb, "],\n");
	hosts_free(&h);
	verdicts_free(&own);
}

/* The input's INPUT_COUNTS of one group, in the list's order. */
static void counts_member(struct strbuf *sb, const struct input *in,
			  enum input_count_group g)
{
#define X(member, json, group, doc) \
	if (COUNT_##group == g) \
		num_member(sb, json, in->member);
	INPUT_COUNTS(X)
#undef X
}

static void input_object(struct strbuf *sb, const struct input *in, uint32_t index,
			 bool traces)
{
	sb_putc(sb, '{');
	num_member(sb, "index", index);
	if (traces) {
		str_member(sb, "kind", input_kind_name((enum input_kind)in->kind), true);
		str_member(sb, "artifact", in->artifact, true);
	}
	str_member(sb, "path", in->path, true);
	str_member(sb, "where", input_where(in), true);
	locator_member(sb, &in->loc);
	key(sb, "image");
	if (in->image)
		sb_printf(sb, "%u,", in->image - 1);
	else
		sb_puts(sb, "null,");
	str_member(sb, "origin", origin_name(locator_origin(&in->loc)), true);
	num_member(sb, "size", in->size);
	str_member(sb, "sha256", in->sha256[0] ? in->sha256 : NULL, true);
	str_member(sb, "status", input_status_name(in->status), true);
	str_member(sb, "reason", in->reason, true);
	bool_member(sb, "interrupted", in->interrupted);
	counts_member(sb, in, COUNT_READ);
	bool_member(sb, "sysmon_eid7_seen", in->eid7 + in->eid7_recovered > 0);
	time_member(sb, "first_record_time", in->first_time, true);
	time_member(sb, "last_record_time", in->last_time, true);
	bool_member(sb, "dirty", in->dirty);
	counts_member(sb, in, COUNT_MEDIA);
	counts_member(sb, in, COUNT_CARVE);
	key(sb, "computers");
	sb_putc(sb, '[');
	for (size_t i = 0; i < in->n_computers; i++) {
		if (i)
			sb_putc(sb, ',');
		json_quote(sb, in->computers[i]);
	}
	sb_puts(sb, "]}");
}

static void inputs_section(struct strbuf *sb, const struct run *run, FILE *out)
{
	key(sb, "inputs");
	sb_putc(sb, '[');
	for (size_t i = 0; i < run->inputs->n; i++) {
		if (i)
			sb_putc(sb, ',');
		input_object(sb, &run->inputs->items[i], (uint32_t)i, run->traces != NULL);
		sb_flush_to(sb, out, SB_PIECE);
	}
	sb_puts(sb, "],");
	struct reach r;
	reach_build(&r, run->inputs);
	key(sb, "reach");
	sb_putc(sb, '[');
	for (size_t i = 0; i < r.n; i++) {
		sb_puts(sb, i ? ",{" : "{");
		str_member(sb, "host", r.rows[i].host, true);
		str_member(sb, "source", r.rows[i].source, true);
		num_member(sb, "logs", r.rows[i].inputs);
		time_member(sb, "first_record_time", r.rows[i].first, true);
		time_member(sb, "last_record_time", r.rows[i].last, false);
		sb_putc(sb, '}');
	}
	sb_puts(sb, "],");
	reach_free(&r);
	key(sb, "images");
	sb_putc(sb, '[');
	for (size_t i = 0; i < run->inputs->n_images; i++) {
		const struct image_input *im = &run->inputs->images[i];
		sb_puts(sb, i ? ",{" : "{");
		num_member(sb, "index", i);
		str_member(sb, "path", im->path, true);
		str_member(sb, "format", image_format_name(im->format), true);
		num_member(sb, "size", im->size);
		str_member(sb, "stored_hashes", im->detail, true);
		str_member(sb, "status", input_status_name(im->status), true);
		str_member(sb, "reason", im->reason, true);
#define X(member, part, json, doc) num_member(sb, json, im->member);
		IMAGE_COUNTS(X)
#undef X
		str_member(sb, "verification", im->verify, true);
		/* only when so: a report of 0.7.0's stays as it was */
		if (input_list_image_empty(run->inputs, i))
			bool_member(sb, "nothing_checked", true);
		close_object(sb);
	}
	sb_puts(sb, "],");
	key(sb, "skipped");
	sb_putc(sb, '[');
	for (size_t i = 0; i < run->inputs->n_skipped; i++) {
		sb_puts(sb, i ? ",{" : "{");
		str_member(sb, "path", run->inputs->skipped[i].path, true);
		bool_member(sb, "incomplete", run->inputs->skipped[i].incomplete);
		str_member(sb, "reason", run->inputs->skipped[i].reason, false);
		sb_putc(sb, '}');
	}
	sb_puts(sb, "],");
}

static void index_list(struct strbuf *sb, const char *name, const size_t *v, size_t n)
{
	key(sb, name);
	sb_putc(sb, '[');
	for (size_t i = 0; i < n; i++)
		sb_printf(sb, i ? ",%zu" : "%zu", v[i]);
	sb_putc(sb, ']');
}

static void finding_object(struct strbuf *sb, const struct run *run, const struct finding *row)
{
	char first[TIME_TEXT_SIZE], last[TIME_TEXT_SIZE];
	time_format(row->first, first);
	time_format(row->last, last);
	sb_putc(sb, '{');
	for (int i = 0; i < BF_COUNT; i++)
		str_member(sb, byfield_name[i], row->key[i], true);
	num_member(sb, "count", row->count);
	/* firstTime and lastTime as the SPL writes them (the CSV's); the
	 * same instants in the JSON's own format beside them */
	str_member(sb, "firstTime", first, true);
	str_member(sb, "lastTime", last, true);
	time_member(sb, "first_seen", row->first, true);
	time_member(sb, "last_seen", row->last, true);
	key(sb, "risk_score");
	sb_printf(sb, "%d,", row->rated.risk_score);
	str_member(sb, "risk_message", row->rated.risk_message, true);
	num_member(sb, "recovered_count", row->recovered);
	bool_member(sb, "outside_splunk_search", row->rated.outside_search);
	bool_member(sb, "suppressed", row->suppressed);
	key(sb, "allowlist_line");
	if (row->suppressed)
		sb_printf(sb, "%d,", row->allow_rule);
	else
		sb_puts(sb, "null,");
	key(sb, "evidence_files");
	sb_putc(sb, '[');
	for (size_t i = 0; i < row->n_inputs; i++) {
		if (i)
			sb_putc(sb, ',');
		json_quote(sb, input_where(&run->inputs->items[row->inputs[i]]));
	}
	sb_puts(sb, "],");
	index_list(sb, "events", row->events, row->n_events);
	sb_putc(sb, ',');
	key(sb, "story");
	const struct story *st = stories_of_row(run->stories, (size_t)(row - run->findings->rows));
	if (st)
		sb_printf(sb, "%zu}", (size_t)(st - run->stories->v));
	else
		sb_puts(sb, "null}");
}

/* ---- stories ----------------------------------------------------------- */

/* Where a story event was read, to the byte, and when it happened. */
static void story_event_members(struct strbuf *sb, const struct run *run, size_t i)
{
	const struct event *ev = &run->stories->store.events[i];
	time_member(sb, "time", ev->time, true);
	num_member(sb, "event_id", ev->event_id);
	num_member(sb, "record_id", ev->record_id);
	str_member(sb, "file", input_where(&run->inputs->items[ev->input]), true);
	num_member(sb, "offset", ev->offset);
	str_member(sb, "origin", origin_name((enum origin)ev->origin), true);
	bool_member(sb, "recovered", ev->recovered);
}

static void field_member(struct strbuf *sb, const char *name, const struct run *run, size_t i,
			 enum event_field f)
{
	str_member(sb, name, i == STORY_NONE ? NULL : run->stories->store.events[i].field[f], true);
}

static void story_creation(struct strbuf *sb, const struct run *run, const struct story *s)
{
	static const struct { const char *name; enum event_field f; } fields[] = {
		{ "user", EF_USER }, { "command_line", EF_COMMAND_LINE },
		{ "current_directory", EF_CURRENT_DIRECTORY },
		{ "integrity_level", EF_INTEGRITY_LEVEL }, { "hashes", EF_HASHES },
		{ "original_file_name", EF_ORIGINAL_FILE_NAME },
	};
	key(sb, "renamed");
	sb_puts(sb, s->renamed < 0 ? "null," : s->renamed ? "true," : "false,");
	for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
		field_member(sb, fields[k].name, run, s->create, fields[k].f);
	key(sb, "created");
	if (s->create == STORY_NONE) {
		sb_puts(sb, "null,");
	} else {
		sb_putc(sb, '{');
		story_event_members(sb, run, s->create);
		close_object(sb);
		sb_putc(sb, ',');
	}
}

static void story_parents(struct strbuf *sb, const struct run *run, const struct story *s)
{
	key(sb, "parents");
	sb_putc(sb, '[');
	for (size_t k = 0; k < s->n_parents; k++) {
		const struct story_parent *p = &s->parent[k];
		sb_puts(sb, k ? ",{" : "{");
		num_member(sb, "level", k + 1);
		str_member(sb, "process_guid", p->guid, true);
		str_member(sb, "image", p->image, true);
		str_member(sb, "command_line", p->command_line, true);
		field_member(sb, "user", run, p->create, EF_USER);
		bool_member(sb, "creation_found", p->create != STORY_NONE);
		if (p->create != STORY_NONE)
			story_event_members(sb, run, p->create);
		close_object(sb);
	}
	sb_puts(sb, "],");
	bool_member(sb, "parents_more", s->parents_more);
	key(sb, "children");
	sb_putc(sb, '[');
	for (size_t k = 0; k < s->n_children; k++) {
		sb_puts(sb, k ? ",{" : "{");
		field_member(sb, "process_guid", run, s->children[k], EF_PROCESS_GUID);
		field_member(sb, "image", run, s->children[k], EF_IMAGE);
		field_member(sb, "command_line", run, s->children[k], EF_COMMAND_LINE);
		story_event_members(sb, run, s->children[k]);
		close_object(sb);
	}
	sb_puts(sb, "],");
}

static void story_peers(struct strbuf *sb, const char *name, const struct story_peer *v,
			size_t n, const char *const names[4])
{
	key(sb, name);
	sb_putc(sb, '[');
	for (size_t k = 0; k < n; k++) {
		sb_puts(sb, k ? ",{" : "{");
		const char *vals[4] = { v[k].a, v[k].b, v[k].c, v[k].d };
		for (int j = 0; j < 4; j++)
			if (names[j])
				str_member(sb, names[j], vals[j], true);
		num_member(sb, "count", v[k].count);
		time_member(sb, "first_seen", v[k].first, true);
		time_member(sb, "last_seen", v[k].last, false);
		sb_putc(sb, '}');
	}
	sb_puts(sb, "],");
}

static void story_refs(struct strbuf *sb, const struct run *run, const char *name,
		       const struct story_ref *v, size_t n, bool registry)
{
	key(sb, name);
	sb_putc(sb, '[');
	for (size_t k = 0; k < n; k++) {
		sb_puts(sb, k ? ",{" : "{");
		if (registry) {
			field_member(sb, "target_object", run, v[k].event, EF_TARGET_OBJECT);
			field_member(sb, "details", run, v[k].event, EF_DETAILS);
			field_member(sb, "event_type", run, v[k].event, EF_EVENT_TYPE);
		} else {
			field_member(sb, "target_filename", run, v[k].event, EF_TARGET_FILENAME);
		}
		field_member(sb, "image", run, v[k].event, EF_IMAGE);
		field_member(sb, "process_guid", run, v[k].event, EF_PROCESS_GUID);
		str_member(sb, "why", story_why_name((enum story_why)v[k].why), true);
		story_event_members(sb, run, v[k].event);
		close_object(sb);
	}
	sb_puts(sb, "],");
}

static void story_object(struct strbuf *sb, const struct run *run, size_t index)
{
	static const char *const net[4] = { "destination_ip", "destination_hostname",
					    "destination_port", "protocol" };
	static const char *const dns[4] = { "query_name", "query_results", NULL, NULL };
	const struct story *s = &run->stories->v[index];
	sb_putc(sb, '{');
	num_member(sb, "index", index);
	str_member(sb, "host", s->host, true);
	str_member(sb, "process_guid", s->guid, true);
	str_member(sb, "image", s->image, true);
	index_list(sb, "findings", s->rows, s->n_rows);
	sb_putc(sb, ',');
	story_creation(sb, run, s);
	story_parents(sb, run, s);
	story_peers(sb, "connections", s->net, s->n_net, net);
	story_peers(sb, "dns", s->dns, s->n_dns, dns);
	story_refs(sb, run, "files", s->files, s->n_files, false);
	story_refs(sb, run, "registry", s->registry, s->n_registry, true);
	key(sb, "terminated");
	if (s->terminated == STORY_NONE) {
		sb_puts(sb, "null,");
	} else {
		sb_putc(sb, '{');
		story_event_members(sb, run, s->terminated);
		close_object(sb);
		sb_putc(sb, ',');
	}
	num_member(sb, "events", s->n_events);
	key(sb, "evidence_files");
	sb_putc(sb, '[');
	for (size_t k = 0; k < s->n_inputs; k++) {
		if (k)
			sb_putc(sb, ',');
		json_quote(sb, input_where(&run->inputs->items[s->inputs[k]]));
	}
	sb_puts(sb, "]}");
}

static void stories_section(struct strbuf *sb, const struct run *run, FILE *out)
{
	const struct stories *st = run->stories;
	key(sb, "story");
	sb_putc(sb, '{');
	bool_member(sb, "enabled", st && st->enabled);
	num_member(sb, "passes", st ? st->passes : 0);
	num_member(sb, "inputs_read", st ? st->inputs_read : 0);
	key(sb, "notes");
	sb_putc(sb, '[');
	for (size_t i = 0; st && i < st->n_notes; i++) {
		if (i)
			sb_putc(sb, ',');
		json_quote(sb, st->notes[i]);
	}
	sb_puts(sb, "]},\n");
	key(sb, "stories");
	sb_putc(sb, '[');
	for (size_t i = 0; st && st->enabled && i < st->n; i++) {
		if (i)
			sb_puts(sb, ",\n");
		story_object(sb, run, i);
		sb_flush_to(sb, out, SB_PIECE);
	}
	sb_puts(sb, "],\n");
}

static void event_object(struct strbuf *sb, const struct run *run, size_t i)
{
	const struct event *ev = &run->findings->events[i];
	const struct event_sources *src = &run->findings->sources[i];
	sb_putc(sb, '{');
	num_member(sb, "index", i);
	time_member(sb, "time", ev->time, true);
	str_member(sb, "time_source", ev->time_from_header ? "record header" :
		   "SystemTime", true);
	num_member(sb, "record_id", ev->record_id);
	str_member(sb, "computer", ev->field[EF_COMPUTER], true);
	str_member(sb, "file", input_where(&run->inputs->items[ev->input]), true);
	num_member(sb, "input", ev->input);
	num_member(sb, "offset", ev->offset);
	str_member(sb, "origin", origin_name((enum origin)ev->origin), true);
	bool_member(sb, "recovered", ev->recovered);
	str_member(sb, "signer", ev->field[EF_SIGNATURE], true);
	key(sb, "seen_in");
	sb_putc(sb, '[');
	for (size_t j = 0; j < src->n; j++) {
		if (j)
			sb_putc(sb, ',');
		json_quote(sb, input_where(&run->inputs->items[src->inputs[j]]));
	}
	sb_puts(sb, "],");
	key(sb, "copies");
	sb_putc(sb, '[');
	for (size_t j = 0; j < src->n_copies; j++) {
		const struct event_copy *c = &src->copies[j];
		sb_puts(sb, j ? ",{" : "{");
		num_member(sb, "input", c->input);
		str_member(sb, "where", input_where(&run->inputs->items[c->input]), true);
		num_member(sb, "offset", c->offset);
		str_member(sb, "origin", origin_name((enum origin)c->origin), true);
		bool_member(sb, "recovered", c->recovered);
		close_object(sb);
	}
	sb_puts(sb, "]}");
}

/* The traces, each field as TRACE_FIELDS lists it (the input also as
 * its evidence file), and every host's verdict. Only when traces were
 * read: with --no-traces the report is 0.7.0's. */
static void trace_object(struct strbuf *sb, const struct run *run, const struct trace *t)
{
	sb_putc(sb, '{');
	trace_members(sb, t);
	str_member(sb, "evidence_file", input_where(&run->inputs->items[t->input]), false);
	sb_putc(sb, '}');
}

static void traces_sections(struct strbuf *sb, const struct run *run, FILE *out)
{
	struct verdicts own = { 0 };
	const struct verdicts *vs = verdicts_of(run, &own);
	key(sb, "verdicts");
	sb_putc(sb, '[');
	for (size_t i = 0; i < vs->n; i++) {
		const struct host_verdict *h = &vs->v[i];
		sb_puts(sb, i ? ",\n{" : "{");
		str_member(sb, "host", h->host, true);
		str_member(sb, "verdict", verdict_name(h->verdict), true);
		num_member(sb, "finding_rows", h->rows);
		num_member(sb, "traces", h->traces);
		num_member(sb, "logs", h->logs);
		num_member(sb, "logs_cleared", h->cleared);
		time_member(sb, "last_cleared", h->cleared_last, true);
		time_member(sb, "sysmon_last_record", h->sysmon_last, true);
		time_member(sb, "logs_last_record", h->logs_last, true);
		bool_member(sb, "sysmon_ends_early", h->stale);
		bool_member(sb, "interrupted", h->interrupted);
		time_member(sb, "first_seen", h->first, true);
		time_member(sb, "last_seen", h->last, false);
		sb_putc(sb, '}');
	}
	sb_puts(sb, "],\n");
	verdicts_free(&own);
	key(sb, "traces");
	sb_putc(sb, '[');
	for (size_t i = 0; i < run->traces->n; i++) {
		if (i)
			sb_puts(sb, ",\n");
		trace_object(sb, run, &run->traces->v[i]);
		sb_flush_to(sb, out, SB_PIECE);
	}
	sb_puts(sb, "],\n");
}

/* Written in pieces as it is made (sb_flush_to, where an element of a
 * long array ends: nothing written later looks back past it), never
 * held whole: a run of many findings and stories would hold its JSON
 * twice over. */
int report_json(FILE *out, const struct run *run)
{
	struct strbuf sb = { 0 };
	const struct findings *f = run->findings;

	sb_putc(&sb, '{');
	run_section(&sb, run);
	summary_section(&sb, run);
	hosts_section(&sb, run, out);
	inputs_section(&sb, run, out);
	key(&sb, "findings");
	sb_putc(&sb, '[');
	for (size_t i = 0; i < f->n_rows; i++) {
		if (i)
			sb_puts(&sb, ",\n");
		finding_object(&sb, run, &f->rows[i]);
		sb_flush_to(&sb, out, SB_PIECE);
	}
	sb_puts(&sb, "],\n");
	if (run->traces)
		traces_sections(&sb, run, out);
	stories_section(&sb, run, out);
	key(&sb, "events");
	sb_putc(&sb, '[');
	for (size_t i = 0; i < f->n_events; i++) {
		if (i)
			sb_puts(&sb, ",\n");
		event_object(&sb, run, i);
		sb_flush_to(&sb, out, SB_PIECE);
	}
	sb_puts(&sb, "],\n");
	part_write(&sb, run, out);
	sb_puts(&sb, "}\n");
	sb_flush_to(&sb, out, 0);
	sb_free(&sb);
	return ferror(out) ? -1 : 0;
}
