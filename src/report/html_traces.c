/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* report_html: every host's verdict at a glance, and the traces outside
 * Sysmon (Prefetch, Amcache, the registry, NetSupport's files), each
 * with what it proves and what it cannot tell.
 * Written only when traces were read (not --no-traces). */
#include <stdlib.h>
#include <string.h>
#include "html.h"
#include "path.h"
#include "timefmt.h"
#include "verdict.h"

static void host_name(struct out *o, const char *host)
{
	if (*host)
		H(o, host);
	else
		P(o, "<i>no host named</i> (loose artifacts)");
}

/* One banner line for the hosts of verdict v, when there are any. */
static void banner(struct out *o, const struct verdicts *vs, enum verdict v,
		   const char *what)
{
	if (!vs->count[v])
		return;
	P(o, "<p class=\"verdict bad\">");
	P(o, what);
	P(o, " on ");
	U(o, vs->count[v]);
	P(o, " host(s): ");
	size_t said = 0;
	for (size_t i = 0; i < vs->n && said < 20; i++) {
		if (vs->v[i].verdict != v)
			continue;
		P(o, said++ ? ", <b>" : "<b>");
		host_name(o, vs->v[i].host);
		P(o, "</b>");
	}
	P(o, " (see Traces outside Sysmon).</p>\n");
}

void html_verdict_banner(struct out *o, const struct run *run)
{
	if (!run->traces)
		return;
	struct verdicts own = { 0 };
	const struct verdicts *vs = verdicts_of(run, &own);
	banner(o, vs, VERDICT_RAN, "NetSupport's client ran, and no image load of it was seen,");
	banner(o, vs, VERDICT_PRESENT, "NetSupport's files lie outside Program Files, with no "
	       "sign that they ran,");
	verdicts_free(&own);
}

static bool names_host(const struct input *in, const char *host)
{
	for (size_t j = 0; j < in->n_computers; j++)
		if (strcmp(in->computers[j], host) == 0)
			return true;
	return false;
}

static void day(struct out *o, int64_t t)
{
	char buf[TIME_TEXT_SIZE];
	time_format(t, buf);
	buf[10] = '\0';        /* the date: how far back, at a glance */
	P(o, buf[0] ? buf : "?");
}

/* The sources read for host h: each of its logs by file name with the
 * days its records span (how far back it reaches), at most SOURCES_SHOWN
 * of them, then the kinds of its traces. */
#define SOURCES_SHOWN 4
static void sources_cell(struct out *o, const struct run *run, const struct host_verdict *h)
{
	size_t shown = 0, more = 0;
	for (size_t i = 0; i < run->inputs->n; i++) {
		const struct input *in = &run->inputs->items[i];
		if (in->kind != INPUT_EVTX || !*h->host || !names_host(in, h->host))
			continue;
		if (shown == SOURCES_SHOWN) {
			more++;
			continue;
		}
		P(o, shown++ ? "<br>" : "");
		H(o, path_base_any(in->path));
		P(o, " <span class=\"small\">");
		day(o, in->first_time);
		P(o, " to ");
		day(o, in->last_time);
		P(o, "</span>");
	}
	if (more) {
		P(o, "<br>and ");
		U(o, more);
		P(o, " more logs");
	}
	if (h->kinds[0]) {
		P(o, shown ? "<br>traces: " : "traces: ");
		H(o, h->kinds);
	}
}

/* The verdict cell of host h: its verdict, and what makes it less than
 * the whole story (Sysmon ending early, an interrupted run, logs
 * cleared). */
static void verdict_cell(struct out *o, const struct host_verdict *h, size_t span)
{
	P(o, "<td rowspan=\"");
	U(o, span);
	P(o, h->verdict == VERDICT_LOADED || h->verdict == VERDICT_RAN ||
	     h->verdict == VERDICT_PRESENT || h->stale || h->interrupted || h->cleared
	     ? "\" class=\"bs\">" : "\">");
	P(o, verdict_name(h->verdict));
	if (h->stale) {
		P(o, ", but Sysmon ends early (");
		T(o, h->sysmon_last);
		P(o, ")");
	}
	if (h->interrupted)
		P(o, ": run interrupted, not all its logs read");
	if (h->cleared) {
		P(o, "; logs cleared ");
		U(o, h->cleared);
		P(o, h->cleared == 1 ? " time, " : " times, last ");
		T(o, h->cleared_last);
	}
	P(o, "</td>");
}

/* A flagged process's cells: image, renamed, modules, loads, first and
 * last seen, user (from its story, where one was read). */
static void process_cells(struct out *o, const struct run *run, const char *host,
			  const struct host_process *p)
{
	const struct stories *st = run->stories;
	const struct story *s = st && st->enabled ? stories_find(st, host, p->image, p->guid)
				: NULL;
	P(o, "<td class=\"w\">");
	H(o, p->image);
	P(o, s && s->renamed == 1 ? "</td><td class=\"bs\">renamed" :
	     s && s->renamed == 0 ? "</td><td>no" : "</td><td>");
	P(o, "</td><td class=\"w\">");
	for (size_t m = 0; m < p->n_modules; m++) {
		P(o, m ? ", " : "");
		H(o, p->modules[m].module);
	}
	cell_n(o, p->count);
	cells_seen(o, p->first, p->last);
	P(o, "</td><td class=\"w\">");
	if (s && s->create != STORY_NONE)
		H(o, st->store.events[s->create].field[EF_USER]);
	P(o, "</td>");
}

/* A glance row's start: the host and process it is of, as data for
 * whoever reads the page (tests/html/layout.html). */
static void row_open(struct out *o, const char *host, const char *image)
{
	P(o, "<tr data-host=\"");
	H(o, host);
	if (image) {
		P(o, "\" data-image=\"");
		H(o, image);
	}
	P(o, "\">");
}

/* The host cells that open its first row, spanning its span rows. */
static void host_cells(struct out *o, const struct host_verdict *h, size_t span)
{
	P(o, "<td class=\"w\" rowspan=\"");
	U(o, span);
	P(o, "\">");
	host_name(o, h->host);
	P(o, "</td>");
	verdict_cell(o, h, span);
}

/* One row a host and flagged process (a host without one: one row), the
 * evidence read for the host beside its rows. */
static void glance_host(struct out *o, const struct run *run, const struct host_verdict *h,
			const struct host_view *v)
{
	size_t span = v && v->n_processes ? v->n_processes : 1;
	for (size_t k = 0; k < span; k++) {
		const struct host_process *p = v && v->n_processes ? &v->processes[k] : NULL;
		row_open(o, h->host, p ? p->image : NULL);
		if (k == 0)
			host_cells(o, h, span);
		if (p) {
			process_cells(o, run, h->host, p);
		} else {
			P(o, "<td class=\"small\">no flagged process</td><td></td><td></td><td>");
			cells_seen(o, h->first, h->last);
			P(o, "</td><td></td>");
		}
		if (k == 0) {
			P(o, "<td class=\"w\" rowspan=\"");
			U(o, span);
			P(o, "\">");
			sources_cell(o, run, h);
			P(o, "</td>");
		}
		P(o, "</tr>\n");
		flush(o, false);
	}
}

static const struct host_view *host_view_of(const struct hosts *hs, const char *host)
{
	for (size_t i = 0; i < hs->n; i++)
		if (strcmp(hs->v[i].host, host) == 0)
			return &hs->v[i];
	return NULL;
}

static void glance_table(struct out *o, const struct run *run, const struct verdicts *vs,
			 const struct hosts *hs)
{
	P(o, "<h2 id=\"glance\">Hosts at a glance</h2>\n<table class=\"s g\"><thead><tr>"
	     "<th>Host</th><th>Verdict</th><th>Flagged process</th><th>Renamed</th>"
	     "<th>Modules</th><th>Loads</th><th>First seen (UTC)</th><th>Last seen (UTC)</th>"
	     "<th>User</th><th>Evidence read (how far back)</th></tr></thead>"
	     "<tbody>\n");
	for (size_t i = 0; i < vs->n; i++)
		glance_host(o, run, &vs->v[i], host_view_of(hs, vs->v[i].host));
	P(o, "</tbody></table>\n<p class=\"small\">A row a host and process the detection "
	     "flagged (a host without one: one row). loaded: Splunk's rows name it; ran: a "
	     "trace shows NetSupport's client ran, no image load of it seen; present: "
	     "NetSupport's files lie on disk outside Program Files, no sign that they ran; "
	     "no trace: its "
	     "logs log image loads and show none; not checked: its logs log no image loads "
	     "and no trace names it (a blind spot, not a clean host). Renamed: its creation "
	     "event's OriginalFileName is client32.exe and its file name another. Logs "
	     "cleared: Security "
	     "1102, System 104 and Sysmon 16 (configuration changed) events: what came before "
	     "them may be gone. Sysmon ends early: its Sysmon log's last record is more than "
	     "a week before its other logs' last: what came after was not seen.</p>\n");
}

void html_glance(struct out *o, const struct run *run, const struct hosts *h)
{
	if (!run->traces)
		return;
	struct verdicts own = { 0 };
	const struct verdicts *vs = verdicts_of(run, &own);
	if (vs->n)
		glance_table(o, run, vs, h);
	verdicts_free(&own);
}

static void trace_row(struct out *o, const struct run *run, const struct trace *t)
{
	P(o, "<tr><td class=\"w\">");
	host_name(o, t->host ? t->host : "");
	P(o, "</td><td>");
	H(o, t->kind);
	P(o, "</td><td class=\"w\">");
	H(o, t->executable);
	P(o, "</td><td class=\"w\">");
	H(o, t->modules);
	cells_seen(o, t->first_seen, t->last_seen);
	if (t->run_count)
		cell_n(o, t->run_count);
	else
		P(o, "</td><td>");   /* not counted by this artifact */
	P(o, "</td><td class=\"w\">");
	H(o, t->detail);
	P(o, "</td><td class=\"w\">");
	H(o, t->signer);
	if (t->sha256 || t->sha1) {
		P(o, t->signer ? "<br><span class=\"small\">" : "<span class=\"small\">");
		P(o, t->sha256 ? "SHA-256 " : "SHA-1 ");
		H(o, t->sha256 ? t->sha256 : t->sha1);
		P(o, "</span>");
	}
	P(o, "</td><td class=\"w\">");
	H(o, input_where(&run->inputs->items[t->input]));
	P(o, "</td></tr>\n");
}

void html_traces_section(struct out *o, const struct run *run)
{
	if (!run->traces)
		return;
	P(o, "<h2 id=\"traces\">Traces outside Sysmon</h2>\n");
	if (run->traces->n == 0) {
		P(o, "<p>None: no Prefetch file, Amcache entry, Run key, service or file read "
		     "shows NetSupport's client outside Program Files.</p>\n");
		return;
	}
	P(o, "<table class=\"s\"><thead><tr><th>Host</th><th>Kind</th><th>Program</th>"
	     "<th>Modules</th><th>First seen (UTC)</th><th>Last seen (UTC)</th><th>Runs</th>"
	     "<th>What it proves, and what it cannot tell</th><th>Signer, hash</th>"
	     "<th>Evidence file</th></tr>"
	     "</thead><tbody>\n");
	for (size_t i = 0; i < run->traces->n; i++)
		trace_row(o, run, &run->traces->v[i]);
	P(o, "</tbody></table>\n<p class=\"small\">First and last seen are what each "
	     "artifact keeps: Prefetch's run times (the last eight since Windows 8, one "
	     "before), the time Windows wrote an Amcache entry or a registry key, a file's "
	     "$STANDARD_INFORMATION times. A signer is the name in the file's Authenticode "
	     "certificate: the chain was not verified.</p>\n");
}
