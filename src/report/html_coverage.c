/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* report_html: what was read, how far back, and what was not. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "html.h"

/* ---- coverage --------------------------------------------------------- */

static void status_cell(struct out *o, const struct input *it)
{
	P(o, "<span class=\"st-");
	P(o, input_status_name(it->status));
	P(o, "\">");
	P(o, input_status_name(it->status));
	P(o, "</span>");
	if (it->reason) {
		P(o, ": ");
		H(o, it->reason);
	}
	if (it->dirty)
		P(o, "<br><span class=\"small\">file header: not closed cleanly</span>");
}

static void coverage_row(struct out *o, size_t i, const struct input *it)
{
	html_input_row_start(o, i, it);
	P(o, "</td><td class=\"w\">");
	if (it->n_computers == 0)
		P(o, "(none)");
	else
		H_join(o, it->computers, it->n_computers, "<br>");
	P(o, "</td><td>");
	status_cell(o, it);
	cell_n(o, it->records);
	cell_n(o, it->recovered);
	cell_n(o, it->record_errors);
	cell_n(o, it->eid7);
	P(o, " / ");
	U(o, it->eid7_recovered);
	if (input_blind(it))
		P(o, "<br><span class=\"bs\">blind spot: no Event ID 7 logged "
		     "\xe2\x80\x94 not a clean host</span>");
	cells_seen(o, it->first_time, it->last_time);
	P(o, "</td></tr>\n");
}

/* The disk images, with what each held and what could not be listed. */
static void images_table(struct out *o, const struct input_list *in)
{
	if (in->n_images == 0)
		return;
	P(o, "<h3>Disk images and archives</h3>\n<table class=\"s\"><thead><tr><th>Image or archive</th>"
	     "<th>Format</th><th>Status</th><th>Logs</th><th>NTFS volumes</th>"
	     "<th>VSS stores</th><th>Stored hashes</th><th>Reason</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < in->n_images; i++) {
		const struct image_input *im = &in->images[i];
		P(o, "<tr><td class=\"w\">");
		H(o, im->path);
		P(o, "</td><td>");
		H(o, image_format_name(im->format));
		P(o, "</td><td>");
		H(o, input_status_name(im->status));
		cell_n(o, im->logs);
		cell_n(o, im->volumes);
		cell_n(o, im->snapshots);
		P(o, "</td><td class=\"m\">");
		H(o, im->detail ? im->detail : "");
		P(o, "</td><td>");
		H(o, im->reason ? im->reason : "");
		P(o, "</td></tr>\n");
		flush(o, false);
	}
	P(o, "</tbody></table>\n");
}

/* How far back each host's logs go, per source. */
static void reach_table(struct out *o, const struct reach *reach)
{
	const struct reach r = *reach;
	if (r.n == 0)
		return;
	P(o, "<h3>How far back each host&#39;s logs reach</h3>\n<p class=\"small\">Per "
	     "source: the live logs, each volume shadow copy, what was carved or read from "
	     "deleted logs. Record written times, UTC.</p>\n<table class=\"s\"><thead><tr>"
	     "<th>Host</th><th>Source</th><th>Logs</th><th>First record</th>"
	     "<th>Last record</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < r.n; i++) {
		P(o, "<tr><td class=\"w\">");
		H(o, r.rows[i].host);
		P(o, "</td><td>");
		H(o, r.rows[i].source);
		cell_n(o, r.rows[i].inputs);
		cells_seen(o, r.rows[i].first, r.rows[i].last);
		P(o, "</td></tr>\n");
	}
	P(o, "</tbody></table>\n");
}

static void skipped_paths(struct out *o, const struct input_list *in)
{
	images_table(o, in);
	P(o, "<h3>Skipped paths and parts not searched</h3>\n");
	if (in->n_skipped == 0) {
		P(o, "<p>None.</p>\n");
		return;
	}
	P(o, "<table class=\"s\"><thead><tr><th>Path or place</th><th>Reason</th>"
	     "<th>Counts against the scan</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < in->n_skipped; i++) {
		P(o, "<tr><td class=\"w\">");
		H(o, in->skipped[i].path);
		P(o, "</td><td>");
		H(o, in->skipped[i].reason);
		P(o, "</td><td>");
		P(o, in->skipped[i].incomplete ? "yes: not read" : "no: listed only");
		P(o, "</td></tr>\n");
		flush(o, false);
	}
	P(o, "</tbody></table>\n");
}

void html_coverage_section(struct out *o, const struct input_list *in,
			     const struct coverage *cv)
{
	P(o, "<section id=\"coverage\">\n<h2>Coverage</h2>\n"
	     "<p class=\"small\">What each evidence file gave. Record times are the "
	     "records&#39; written times. An input without Sysmon Event ID 7 cannot show "
	     "this detection at all: its hosts are blind spots, not clean hosts.</p>\n"
	     "<table class=\"s\"><thead><tr><th>#</th><th>Evidence file</th><th>Host(s)</th>"
	     "<th>Status</th><th>Records</th><th>Recovered records</th>"
	     "<th>Record errors</th><th>Event ID 7 (allocated / recovered)</th>"
	     "<th>First record (UTC)</th><th>Last record (UTC)</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < in->n; i++) {
		coverage_row(o, i, &in->items[i]);
		flush(o, false);
	}
	P(o, "</tbody></table>\n");
	reach_table(o, &cv->reach);
	skipped_paths(o, in);
	if (in->ignored_non_evtx) {
		P(o, "<p>");
		U(o, in->ignored_non_evtx);
		P(o, " file(s) found in directories were ignored: they do not start with "
		     "the EVTX signature.</p>\n");
	}
	P(o, "</section>\n");
}

