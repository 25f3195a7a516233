/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* report_html: the Splunk rows, per host, and the suppressed ones. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "html.h"

/* ---- findings --------------------------------------------------------- */

/* The distinct signers (EF_SIGNATURE) of the row's events: the by-field
 * "signature" is only Sysmon's description "Image loaded". */
static void signers(struct out *o, const struct findings *f, const struct finding *r)
{
	const char *seen[SIGNERS_SHOWN];
	size_t n = 0, more = 0;

	for (size_t i = 0; i < r->n_events; i++) {
		const char *s = f->events[r->events[i]].field[EF_SIGNATURE];
		if (!s)
			continue;
		bool dup = false;
		for (size_t j = 0; j < n && !dup; j++)
			dup = strcmp(seen[j], s) == 0;
		if (dup)
			continue;
		if (n < SIGNERS_SHOWN) {
			seen[n++] = s;
			if (n > 1)
				P(o, "<br>");
			H(o, s);
		} else {
			more++;      /* counts events with yet other signers */
		}
	}
	if (n == 0)
		P(o, "(none)");
	if (more)
		P(o, " <small>and other signers</small>");
}

/* Was event i (or a copy of it) read from input ii? */
static bool seen_in(const struct findings *f, size_t i, uint32_t ii)
{
	if (f->events[i].input == ii)
		return true;
	if (!f->sources)
		return false;
	for (size_t k = 0; k < f->sources[i].n; k++)
		if (f->sources[i].inputs[k] == ii)
			return true;
	return false;
}

/* The record numbers of the row's events in input ii, so that a
 * responder can find them in the file; the first RECORDS_SHOWN only. */
static void evidence_records(struct out *o, const struct findings *f,
                             const struct finding *r, uint32_t ii)
{
	size_t shown = 0, total = 0;

	for (size_t e = 0; e < r->n_events; e++) {
		const struct event *ev = &f->events[r->events[e]];
		if (!seen_in(f, r->events[e], ii))
			continue;
		total++;
		if (shown == RECORDS_SHOWN)
			continue;
		P(o, shown ? ", " : " <small>record ");
		U(o, ev->record_id);
		if (ev->recovered)
			P(o, " (recovered)");
		shown++;
	}
	if (total > shown) {
		P(o, ", &hellip; ");
		U(o, total - shown);
		P(o, " more");
	}
	if (shown)
		P(o, "</small>");
}

/* The files a row was read from; past PATHS_SHOWN they fold away. */
static void evidence(struct out *o, const struct run *run, const struct finding *r)
{
	const struct input_list *in = run->inputs;

	for (size_t k = 0; k < r->n_inputs; k++) {
		uint32_t ii = r->inputs[k];
		if (k == PATHS_SHOWN) {
			P(o, "<details><summary>");
			U(o, r->n_inputs - k);
			P(o, " more file(s)</summary>");
		}
		if (k)
			P(o, "<br>");
		if (ii < in->n)
			H(o, input_where(&in->items[ii]));
		else
			P(o, "(unknown input)");
		if (k < PATHS_SHOWN)
			evidence_records(o, run->findings, r, ii);
	}
	if (r->n_inputs > PATHS_SHOWN)
		P(o, "</details>");
}

/* Finding tables are the bulk of a big report: their cells carry no
 * class (the style sheet places them by column) and no end tags, which
 * HTML lets a cell and a row omit. The suppressed table has the same
 * columns, then the host and the allowlist line. */
static void table_head(struct out *o, bool sup)
{
	P(o, "<table class=\"s f\"><thead><tr>"
	     "<th>Process image (Image)</th><th>Module (ImageLoaded)</th>"
	     "<th>Events</th><th>First seen (UTC)</th><th>Last seen (UTC)</th>"
	     "<th>Signer / signature status</th><th>PID / process GUID / user</th>"
	     "<th>Hashes (process_hash)</th><th>Risk</th>"
	     "<th>Recovered / allocated</th><th>Evidence file(s)</th>");
	if (sup)
		P(o, "<th>Host (dest)</th><th>Allowlist line</th>");
	P(o, "</tr></thead><tbody>\n");
}

static void signer_cell(struct out *o, const struct findings *f, const struct finding *r)
{
	signers(o, f, r);
	P(o, "<br><small>");
	H(o, r->key[BF_SERVICE_DLL_SIGNATURE_VERIFIED]);
	P(o, ", signed: ");
	H(o, r->key[BF_SERVICE_DLL_SIGNATURE_EXISTS]);
	P(o, "</small>");
}

static void process_cell(struct out *o, const struct finding *r)
{
	H(o, r->key[BF_PROCESS_ID]);
	P(o, "<br>");
	H_short(o, r->key[BF_PROCESS_GUID], 10);
	P(o, "<br>");
	H(o, r->key[BF_USER_ID]);
}

/* The hashes cell: each hash (ALGORITHM=HEX, comma-separated) cut
 * short, all of them whole on hover (one title for the cell). */
static void hashes_cell(struct out *o, const struct finding *r)
{
	const char *s = r->key[BF_PROCESS_HASH];
	if (!s || strlen(s) <= 24) {
		P(o, "<td>");
		H(o, s);
		return;
	}
	P(o, "<td title=\"");
	H(o, s);
	P(o, "\">");
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		char *one = xstrndup(s, n);
		const char *eq = strchr(one, '=');
		H_cut(o, one, eq && (size_t)(eq - one) < 16 ? (size_t)(eq - one) + 9 : 16);
		free(one);
		if (!comma)
			break;
		P(o, ",<br>");
		s = comma + 1;
	}
}

/* The score; the risk message (the same sentence on every row, but for
 * the module and the host) on hover, and whole in the CSV and JSON. */
static void risk_cell(struct out *o, const struct finding *r)
{
	const char *msg = r->rated.risk_message;
	if (msg) {
		P(o, "<span title=\"");
		H(o, msg);
		P(o, "\">");
		I(o, r->rated.risk_score);
		P(o, "</span>");
	} else {
		I(o, r->rated.risk_score);
	}
}

static void row_html(struct out *o, const struct run *run, const struct finding *r)
{
	P(o, r->suppressed ? "<tr class=\"sup\"><td>" : "<tr><td>");
	H(o, r->key[BF_IMAGE]);
	P(o, "<td>");
	H(o, r->key[BF_IMAGE_LOADED]);
	if (r->rated.outside_search)
		P(o, "<br><span class=\"bs\">outside Splunk's search "
		     "(--extended-modules)</span>");
	P(o, "<td>");
	U(o, r->count);
	P(o, "<td>");
	T_wrap(o, r->first);
	P(o, "<td>");
	T_wrap(o, r->last);
	P(o, "<td>");
	signer_cell(o, run->findings, r);
	P(o, "<td>");
	process_cell(o, r);
	hashes_cell(o, r);
	P(o, "<td>");
	risk_cell(o, r);
	P(o, "<td>");
	U(o, r->recovered);
	P(o, " / ");
	U(o, r->count >= r->recovered ? r->count - r->recovered : 0);
	P(o, "<td>");
	evidence(o, run, r);
	if (r->suppressed) {
		P(o, "<td>");
		H(o, r->key[BF_DEST]);
		P(o, "<td>");
		I(o, r->allow_rule);
	}
	P(o, "\n");
	flush(o, false);
}

static void group_rows_html(struct out *o, const struct run *run, const struct group *g)
{
	for (size_t i = 0; i < g->n_rows; i++)
		row_html(o, run, g->rows[i]);
}

static void host_findings(struct out *o, const struct run *run, const struct group *host)
{
	P(o, "<section class=\"fs\">\n<h3>");
	H(o, html_group_host(host));
	P(o, " <span class=\"small\">");
	U(o, host->events);
	P(o, " event(s), ");
	U(o, host->n_rows);
	P(o, " row(s)</span></h3>\n");
	table_head(o, false);
	group_rows_html(o, run, host);
	P(o, "</tbody></table>\n</section>\n");
}

/* Suppressed rows are shown, in one table, so that nothing is hidden. */
static void suppressed_findings(struct out *o, const struct run *run,
                                const struct grouping *sup)
{
	P(o, "<section class=\"fs\">\n<h3>Suppressed by the allowlist</h3>\n"
	     "<p class=\"small\">These rows matched a rule in the allowlist (the "
	     "detection&#39;s _filter hook). They are not counted as findings above; "
	     "they are shown so that nothing is hidden.</p>\n");
	table_head(o, true);
	for (size_t h = 0; h < sup->n; h++)
		group_rows_html(o, run, &sup->groups[h]);
	P(o, "</tbody></table>\n</section>\n");
}

void html_findings_section(struct out *o, const struct run *run,
                             const struct grouping *hosts, const struct grouping *sup)
{
	P(o, "<section id=\"findings\">\n<h2>Findings by host</h2>\n");
	P(o, "<p class=\"small\">Hosts worst first (most events, then most rows). One row "
	     "per distinct by-field tuple, as the Splunk search gives it. Risk: score ");
	I(o, RULE_RISK_SCORE);
	P(o, ", risk object the host, threat object the process image; its message "
	     "(&ldquo;The following module &hellip; was loaded by a non-standard "
	     "application on endpoint &hellip;&rdquo;) shows over the score. Process GUIDs "
	     "and hashes are cut short: the whole value shows over each, and the CSV and "
	     "JSON have them whole.</p>\n");
	P(o, "<input type=\"search\" id=\"q\" placeholder=\"Filter rows by any text\" "
	     "aria-label=\"Filter finding rows\" hidden> <span id=\"qn\" class=\"small\"></span>\n");
	if (hosts->n == 0)
		P(o, "<p>No finding rows.</p>\n");
	for (size_t h = 0; h < hosts->n; h++)
		host_findings(o, run, &hosts->groups[h]);
	if (sup->n)
		suppressed_findings(o, run, sup);
	P(o, "</section>\n");
}

