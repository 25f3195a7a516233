/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* report_html: each host's flagged processes, their modules and
 * their story. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "html.h"

/* ---- hosts, processes, stories ------------------------------------------ */

/* Where a story event was read: "file @ offset" (the byte it starts at). */
static void at_byte(struct out *o, const struct run *run, size_t i)
{
	const struct event *e = &run->stories->store.events[i];
	P(o, "<small>");
	H(o, input_where(&run->inputs->items[e->input]));
	P(o, " @ ");
	U(o, e->offset);
	if (e->recovered)
		P(o, " (recovered)");
	P(o, "</small>");
}

/* When a story event happened, then where it was read. */
static void when_at_byte(struct out *o, const struct run *run, size_t i)
{
	T(o, run->stories->store.events[i].time);
	P(o, " ");
	at_byte(o, run, i);
}

static const char *story_field(const struct run *run, size_t i, enum event_field f)
{
	return i == STORY_NONE ? NULL : run->stories->store.events[i].field[f];
}

static void story_creation_html(struct out *o, const struct run *run, const struct story *s)
{
	P(o, "<dt>Started</dt><dd>");
	if (s->create == STORY_NONE) {
		P(o, "no process creation (Event ID 1) in its host&#39;s logs</dd>\n");
		return;
	}
	/* the creation's fields, each after its words */
	static const struct { const char *before; enum event_field f; } line[] = {
		{ " by <b>", EF_USER }, { "</b>, integrity ", EF_INTEGRITY_LEVEL },
		{ "<br><code>", EF_COMMAND_LINE },
		{ "</code><br><small>in ", EF_CURRENT_DIRECTORY },
		{ "; OriginalFileName ", EF_ORIGINAL_FILE_NAME }, { "; ", EF_HASHES },
	};
	T(o, run->stories->store.events[s->create].time);
	for (size_t k = 0; k < sizeof line / sizeof line[0]; k++) {
		P(o, line[k].before);
		H(o, story_field(run, s->create, line[k].f));
	}
	P(o, "</small><br>");
	at_byte(o, run, s->create);
	P(o, "</dd>\n");
}

static void story_parents_html(struct out *o, const struct run *run, const struct story *s)
{
	if (s->n_parents) {
		P(o, "<dt>Parents</dt><dd><ol class=\"chain\">");
		for (size_t k = 0; k < s->n_parents; k++) {
			const struct story_parent *p = &s->parent[k];
			P(o, "<li><code>");
			H(o, p->image);
			P(o, "</code> ");
			H(o, p->command_line);
			P(o, "<br>");
			if (p->create != STORY_NONE) {
				P(o, "started ");
				when_at_byte(o, run, p->create);
			} else {
				P(o, "<small>its creation is not in the logs read</small>");
			}
			P(o, "</li>");
		}
		if (s->parents_more)
			P(o, "<li>\xe2\x80\xa6 (further parents not followed)</li>");
		P(o, "</ol></dd>\n");
	}
	if (s->n_children) {
		P(o, "<dt>Started processes</dt><dd><ul>");
		for (size_t k = 0; k < s->n_children; k++) {
			size_t c = s->children[k];
			P(o, "<li>");
			T(o, run->stories->store.events[c].time);
			P(o, " <code>");
			H(o, story_field(run, c, EF_COMMAND_LINE) ? story_field(run, c, EF_COMMAND_LINE)
			  : story_field(run, c, EF_IMAGE));
			P(o, "</code> ");
			at_byte(o, run, c);
			P(o, "</li>");
		}
		P(o, "</ul></dd>\n");
	}
}

static void peers_html(struct out *o, const char *title, const struct story_peer *v, size_t n,
		       bool net)
{
	if (!n)
		return;
	P(o, "<dt>");
	P(o, title);
	P(o, "</dt><dd><table class=\"s\"><thead><tr>");
	P(o, net ? "<th>Destination</th><th>Host name</th><th>Port</th><th>Protocol</th>"
		 : "<th>Query</th><th>Results</th>");
	P(o, "<th>Count</th><th>First (UTC)</th><th>Last (UTC)</th></tr></thead><tbody>");
	for (size_t k = 0; k < n; k++) {
		const char *cells[4] = { v[k].a, v[k].b, v[k].c, v[k].d };
		P(o, "<tr>");
		for (int j = 0; j < (net ? 4 : 2); j++) {
			P(o, "<td class=\"w\">");
			H(o, cells[j]);
			P(o, "</td>");
		}
		P(o, "<td class=\"n\">");
		U(o, v[k].count);
		cells_seen(o, v[k].first, v[k].last);
		P(o, "</td></tr>");
	}
	P(o, "</tbody></table></dd>\n");
}

static void refs_html(struct out *o, const struct run *run, const char *title,
		      const struct story_ref *v, size_t n, bool registry)
{
	if (!n)
		return;
	P(o, "<dt>");
	P(o, title);
	P(o, "</dt><dd><table class=\"s\"><thead><tr><th>Time (UTC)</th>");
	P(o, registry ? "<th>Key</th><th>Data</th>" : "<th>File</th>");
	P(o, "<th>By</th><th>Why</th><th>Read from</th></tr></thead><tbody>");
	for (size_t k = 0; k < n; k++) {
		size_t e = v[k].event;
		P(o, "<tr><td class=\"t\">");
		T(o, run->stories->store.events[e].time);
		P(o, "</td><td class=\"w\">");
		H(o, story_field(run, e, registry ? EF_TARGET_OBJECT : EF_TARGET_FILENAME));
		if (registry) {
			P(o, "</td><td class=\"w\">");
			H(o, story_field(run, e, EF_DETAILS));
		}
		P(o, "</td><td class=\"w\">");
		H(o, story_field(run, e, EF_IMAGE));
		P(o, "</td><td>");
		P(o, story_why_name((enum story_why)v[k].why));
		P(o, "</td><td class=\"w\">");
		at_byte(o, run, e);
		P(o, "</td></tr>");
	}
	P(o, "</tbody></table></dd>\n");
}

/* An earlier process k' < k of host v whose story tells the same files
 * (registry: values) as s, the same events for the same reasons: two
 * processes of one image in one folder see the same files around them.
 * Told there once, named here. NULL when none. */
static const struct host_process *told_before(const struct run *run, const struct host_view *v,
					       size_t k, const struct story *s, bool registry)
{
	const struct story_ref *refs = registry ? s->registry : s->files;
	size_t n = registry ? s->n_registry : s->n_files;
	for (size_t j = 0; n && j < k; j++) {
		const struct host_process *q = &v->processes[j];
		const struct story *t = stories_find(run->stories, v->host, q->image, q->guid);
		if (!t || t == s || (registry ? t->n_registry : t->n_files) != n)
			continue;
		const struct story_ref *other = registry ? t->registry : t->files;
		size_t i = 0;
		while (i < n && other[i].event == refs[i].event && other[i].why == refs[i].why)
			i++;
		if (i == n)
			return q;
	}
	return NULL;
}

/* The files or registry values of s: a table, or where an earlier
 * process on the host told the same ones, a line naming it. */
static void refs_once(struct out *o, const struct run *run, const struct host_view *v,
		      size_t k, const struct story *s, bool registry)
{
	const char *title = registry ? "Registry values set (Event ID 13)"
				     : "Files created (Event ID 11)";
	const struct host_process *q = told_before(run, v, k, s, registry);
	if (!q) {
		refs_html(o, run, title, registry ? s->registry : s->files,
			  registry ? s->n_registry : s->n_files, registry);
		return;
	}
	P(o, "<dt>");
	P(o, title);
	P(o, "</dt><dd>the same ");
	U(o, registry ? s->n_registry : s->n_files);
	P(o, registry ? " value(s)" : " file(s)");
	P(o, " as <code>");
	H(o, q->image);
	P(o, "</code> above (ProcessGuid ");
	H(o, q->guid);
	P(o, ")</dd>\n");
}

static void story_html(struct out *o, const struct run *run, const struct host_view *v,
		       size_t k, const struct story *s)
{
	P(o, "<dl class=\"story\">\n");
	story_creation_html(o, run, s);
	story_parents_html(o, run, s);
	peers_html(o, "Connections (Event ID 3)", s->net, s->n_net, true);
	peers_html(o, "DNS queries (Event ID 22)", s->dns, s->n_dns, false);
	refs_once(o, run, v, k, s, false);
	refs_once(o, run, v, k, s, true);
	P(o, "<dt>Ended</dt><dd>");
	if (s->terminated != STORY_NONE) {
		when_at_byte(o, run, s->terminated);
	} else {
		P(o, "no termination (Event ID 5) logged: it may still run");
	}
	P(o, "</dd>\n<dt>Story read from</dt><dd>");
	for (size_t i = 0; i < s->n_inputs; i++) {
		if (i)
			P(o, "<br>");
		H(o, input_where(&run->inputs->items[s->inputs[i]]));
	}
	if (!s->n_inputs)
		P(o, "no event beyond its findings");
	P(o, "</dd>\n</dl>\n");
}

/* One line a module; cells without end tags, as in the finding rows. */
static void modules_html(struct out *o, const struct host_process *p)
{
	P(o, "<table class=\"s mods\"><thead><tr><th>Module loaded</th><th>Loads</th>"
	     "<th>First seen (UTC)</th><th>Last seen (UTC)</th></tr></thead><tbody>");
	for (size_t m = 0; m < p->n_modules; m++) {
		P(o, "<tr><td>");
		H(o, p->modules[m].module);
		P(o, "<td>");
		U(o, p->modules[m].count);
		P(o, "<td>");
		T(o, p->modules[m].first);
		P(o, "<td>");
		T(o, p->modules[m].last);
	}
	P(o, "</tbody></table>\n");
}

static void process_html(struct out *o, const struct run *run, const struct host_view *v,
			 size_t k)
{
	const struct host_process *p = &v->processes[k];
	const struct stories *st = run->stories;
	const struct story *s = st && st->enabled ? stories_find(st, v->host, p->image, p->guid)
				: NULL;
	P(o, "<div class=\"proc\"><h4><code>");
	H(o, p->image);
	P(o, "</code>");
	if (s && s->renamed == 1)
		P(o, " <span class=\"bs\">client32.exe renamed</span>");
	P(o, "</h4>\n<p class=\"small\">ProcessGuid ");
	H(o, p->guid);
	P(o, "; ");
	U(o, p->count);
	P(o, " load(s), ");
	time_span(o, p->first, p->last, "?", "?");
	P(o, "</p>\n");
	modules_html(o, p);
	if (s)
		story_html(o, run, v, k, s);
	P(o, "</div>\n");
	flush(o, false);
}

/* Hosts are shown whole until this many processes are (a report of
 * thousands of them stays one a browser opens; the JSON has them all). */
#define PROCESSES_SHOWN 500

/* What a responder reads first: each host with hits, its processes, the
 * modules each loaded, and each process's story; the Splunk rows follow
 * in the next section. */
void html_processes_section(struct out *o, const struct run *run, const struct hosts *h)
{
	P(o, "<section id=\"processes\">\n<h2>Hosts and processes</h2>\n<p class=\"small\">"
	     "Each host with hits, each flagged process on it and the modules it loaded");
	if (run->stories && run->stories->enabled)
		P(o, "; then its story from the same host&#39;s logs: how it started, its "
		     "parents, what it started, where it connected, the files and registry "
		     "values around it, when it ended. Each event names the file and the "
		     "byte offset it was read from");
	else
		P(o, " (the stories were not read: --no-story)");
	P(o, ".</p>\n");
	size_t shown = 0, procs = 0, more = 0;
	for (size_t i = 0; i < h->n; i++) {
		const struct host_view *v = &h->v[i];
		if (!v->events)
			continue;
		if (procs >= PROCESSES_SHOWN) {
			more += v->n_processes;
			continue;
		}
		shown++;
		procs += v->n_processes;
		P(o, "<h3 class=\"host\">");
		H(o, v->host);
		P(o, "</h3>\n<p class=\"small\">");
		U(o, v->n_processes);
		P(o, " process(es), ");
		U(o, v->events);
		P(o, " event(s), ");
		time_span(o, v->first, v->last, "?", "?");
		P(o, "</p>\n");
		for (size_t k = 0; k < v->n_processes; k++)
			process_html(o, run, v, k);
	}
	if (!shown)
		P(o, "<p>No host has hits.</p>\n");
	if (more) {
		P(o, "<p>\xe2\x80\xa6 and ");
		U(o, more);
		P(o, " more flagged process(es) on further hosts: their rows are below, and "
		     "the JSON report has every story.</p>\n");
	}
	if (run->stories) {
		for (size_t i = 0; i < run->stories->n_notes; i++) {
			P(o, "<p class=\"st-partial\">Story: ");
			H(o, run->stories->notes[i]);
			P(o, "</p>\n");
		}
	}
	P(o, "</section>\n");
}

