/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* report_html: one self-contained HTML file a responder opens from
 * file:// on an offline machine and can hand to a client.
 *
 * - Nothing is loaded: the Content-Security-Policy allows no source at
 *   all except the one inline style sheet and the one inline script,
 *   named by their SHA-256 (computed here, so they cannot drift).
 * - Every string from the evidence goes through html_text(); no style
 *   attribute and no event handler attribute is ever written.
 * - Without scripts the page is complete; the script only adds sorting
 *   by column and a text filter.
 * - Written in pieces through a buffer that is flushed as it grows, so
 *   10,000 rows cost no more memory than one chunk of output. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "escape.h"
#include "reach.h"
#include "hosts.h"
#include "report.h"
#include "rule.h"
#include "strbuf.h"
#include "timefmt.h"
#include "timeline.h"
#include "html.h"
#include "verdict.h"


/* The style sheet and the script are files of their own
 * (src/report/assets/), made into string literals at build time. */
static const char STYLE[] =
#include "report.css.inc"
	;

static const char SCRIPT[] =
#include "report.js.inc"
	;

static void csp_hash(const char *text, char b64[64])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL)) {
		b64[0] = '\0';
		return;
	}
	EVP_EncodeBlock((unsigned char *)b64, md, (int)n);
}

/* ---- head and header -------------------------------------------------- */

static void head(struct out *o)
{
	char sh[64], jh[64];
	csp_hash(STYLE, sh);
	csp_hash(SCRIPT, jh);

	P(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	     "style-src 'sha256-");
	P(o, sh);
	P(o, "'; script-src 'sha256-");
	P(o, jh);
	P(o, "'; img-src 'none'; font-src 'none'; connect-src 'none'; media-src 'none'; "
	     "object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'\">\n"
	     "<meta name=\"referrer\" content=\"no-referrer\">\n"
	     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	     "<title>rmmhunt report: " RULE_NAME "</title>\n<style>");
	P(o, STYLE);
	P(o, "</style>\n</head>\n<body>\n");
}

/* The time window of the evidence (its records), which is what the
 * findings can speak for; the run's own times follow. */
static void evidence_window(struct out *o, const struct run *run)
{
	int64_t first = TIME_NONE, last = TIME_NONE;
	for (size_t i = 0; i < run->inputs->n; i++) {
		const struct input *in = &run->inputs->items[i];
		if (in->first_time != TIME_NONE && (first == TIME_NONE || in->first_time < first))
			first = in->first_time;
		if (in->last_time != TIME_NONE && (last == TIME_NONE || in->last_time > last))
			last = in->last_time;
	}
	P(o, "<p class=\"meta\">The evidence's records span <b>");
	time_or(o, first, "nothing");
	P(o, "</b> to <b>");
	time_or(o, last, "nothing");
	P(o, "</b> UTC (per host and source: Coverage).</p>\n");
}

static void run_times(struct out *o, const struct run *run)
{
	P(o, "<p class=\"meta\">Ran from <b>");
	time_or(o, run->started, "unknown");
	P(o, "</b> to <b>");
	time_or(o, run->finished, "unknown");
	P(o, "</b> UTC. <b>All times in this report are UTC</b>, written as "
	     "<code>YYYY-MM-DDTHH:MM:SS</code> (Splunk&#39;s ctime format, "
	     "fractions truncated).</p>\n");
}

/* What the run left out of the evidence on purpose. */
static void run_selection(struct out *o, const struct run *run)
{
	P(o, "<p class=\"meta\">Recovered records (from file slack): ");
	P(o, run->recovered ? "read" : "<b>not read</b> (--no-recovered)");
	if (has_time_range(run)) {
		P(o, " &middot; Time range: ");
		time_span(o, run->from, run->to, "start", "end");
	}
	P(o, "</p>\n");
}

static void run_command(struct out *o, const struct run *run)
{
	if (run->argc <= 0 || !run->argv)
		return;
	P(o, "<p class=\"meta\">Command: <code>");
	H_join(o, run->argv, (size_t)run->argc, " ");
	P(o, "</code></p>\n");
}

/* Opens an input's row in a table of inputs: its number and path. */
void html_input_row_start(struct out *o, size_t i, const struct input *it)
{
	P(o, "<tr><td class=\"n\">");
	U(o, i + 1);
	P(o, "</td><td class=\"w\">");
	H(o, input_where(it));
}

/* The evidence files with their SHA-256, for the chain of custody. */
static void inputs_table(struct out *o, const struct input_list *in)
{
	P(o, "<details><summary>Inputs: ");
	U(o, in->n);
	P(o, " evidence file(s) with their SHA-256</summary>\n"
	     "<table class=\"s\"><thead><tr><th>#</th><th>Evidence file</th>"
	     "<th>Bytes</th><th>SHA-256</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < in->n; i++) {
		const struct input *it = &in->items[i];
		html_input_row_start(o, i, it);
		cell_n(o, it->size);
		P(o, "</td><td class=\"m\">");
		if (it->sha256[0])
			H(o, it->sha256);
		else
			P(o, "not computed: file not readable");
		P(o, "</td></tr>\n");
		flush(o, false);
	}
	P(o, "</tbody></table></details>\n");
}

static void header(struct out *o, const struct run *run)
{
	P(o, "<header>\n<h1>rmmhunt report: " RULE_NAME "</h1>\n");
	P(o, "<p class=\"meta\">Tool: rmmhunt ");
	H(o, run->version);
	P(o, " &middot; Rule: " RULE_NAME " &middot; id <code>" RULE_ID
	     "</code> &middot; version " RULE_VERSION " (Splunk security_content, "
	     "MITRE ATT&amp;CK T1036)</p>\n");
	if (run->case_name || run->examiner) {
		P(o, "<p class=\"meta\">");
		if (run->case_name) {
			P(o, "Case: <b>");
			H(o, run->case_name);
			P(o, "</b>");
		}
		if (run->case_name && run->examiner)
			P(o, " &middot; ");
		if (run->examiner) {
			P(o, "Examiner: ");
			H(o, run->examiner);
		}
		P(o, "</p>\n");
	}
	evidence_window(o, run);
	run_times(o, run);
	run_selection(o, run);
	run_command(o, run);
	inputs_table(o, run->inputs);
	P(o, "</header>\n");
}

/* ---- summary ---------------------------------------------------------- */

struct tally {
	size_t hosts_scanned, hosts_found, hosts_blind;
	size_t rows, partial, failed, blind_inputs;
	uint64_t events, recovered;
};

static void tally_count(struct tally *t, const struct run *run, const struct coverage *cv,
                        size_t n_hosts)
{
	const struct input_list *in = run->inputs;
	const struct findings *f = run->findings;

	memset(t, 0, sizeof *t);
	t->hosts_found = n_hosts;
	for (size_t i = 0; i < cv->n;) {
		size_t end = html_coverage_end(cv, i, cv->refs[i].name);
		t->hosts_scanned++;
		if (html_host_blind(cv, in, i, end))
			t->hosts_blind++;
		i = end;
	}
	for (size_t i = 0; i < f->n_rows; i++) {
		if (f->rows[i].suppressed)
			continue;
		t->rows++;
		t->events += f->rows[i].count;
		t->recovered += f->rows[i].recovered;
	}
	for (size_t i = 0; i < in->n; i++) {
		if (in->items[i].status == INPUT_PARTIAL)
			t->partial++;
		else if (in->items[i].status == INPUT_FAILED)
			t->failed++;
		if (input_blind(&in->items[i]))
			t->blind_inputs++;
	}
}

/* Findings or not, evidence not fully read is never a clean bill of
 * health: the verdict says so. */
static void verdict(struct out *o, const struct tally *t, bool incomplete, bool traced,
		    bool nothing)
{
	if (nothing) {
		P(o, "<p class=\"verdict warn\">Nothing was checked: no log or other evidence "
		     "could be read under the named paths, and carving, where asked, found no "
		     "chunk. This is not "
		     "a clean bill of health (see Coverage).");
	} else if (!t->rows && traced) {
		P(o, "<p class=\"verdict bad\">No Splunk row, but traces outside Sysmon show "
		     "NetSupport's client ran (below).");
	} else if (t->rows) {
		P(o, "<p class=\"verdict bad\">Findings: ");
		U(o, t->rows);
		P(o, " row(s), ");
		U(o, t->events);
		P(o, " event(s) on ");
		U(o, t->hosts_found);
		P(o, " host(s).");
	} else if (incomplete) {
		P(o, "<p class=\"verdict warn\">No findings in what could be read, but the "
		     "evidence was not fully read or does not log Event ID 7: this is not a "
		     "clean bill of health (see Coverage).");
	} else {
		P(o, "<p class=\"verdict ok\">No findings in the evidence read. Findings can "
		     "only cover the times and hosts the logs cover (see Coverage).");
	}
	if ((t->rows || traced) && incomplete && !nothing)
		P(o, " Not all evidence was read, or some does not log Event ID 7: "
		     "there may be more (see Coverage).");
	P(o, "</p>\n");
}

/* The summary's counters: those not zero first, as a list; the zeros
 * folded under one line, so that the page opens on what happened. */
struct sum_item {
	const char *label;
	uint64_t value;
};

struct sum_items {
	struct sum_item v[24];
	size_t n;
};

static void sum_add(struct sum_items *s, const char *label, uint64_t value)
{
	if (s->n < sizeof s->v / sizeof s->v[0])
		s->v[s->n++] = (struct sum_item){ label, value };
}

/* The counters that are zero (zeros) or not; no list when none is. */
static void sum_list(struct out *o, const struct sum_items *s, bool zeros)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += (s->v[i].value == 0) == zeros;
	if (!n)
		return;
	P(o, "<dl class=\"sum\">\n");
	for (size_t i = 0; i < s->n; i++) {
		if ((s->v[i].value == 0) != zeros)
			continue;
		P(o, "<dt>");
		P(o, s->v[i].label);
		P(o, "</dt><dd>");
		U(o, s->v[i].value);
		P(o, "</dd>\n");
	}
	P(o, "</dl>\n");
}

static void summary_list(struct out *o, const struct run *run, const struct tally *t)
{
	const struct input_list *in = run->inputs;
	const struct findings *f = run->findings;
	struct sum_items s = { .n = 0 };

	sum_add(&s, "Hosts scanned (distinct Computer names in the logs)", t->hosts_scanned);
	sum_add(&s, "Hosts with findings", t->hosts_found);
	sum_add(&s, "Hosts with no Event ID 7 in any input (blind spots)", t->hosts_blind);
	sum_add(&s, "Finding rows", t->rows);
	sum_add(&s, "Matching events", t->events);
	sum_add(&s, "&hellip; of which from recovered records only", t->recovered);
	sum_add(&s, "Rows suppressed by the allowlist", f->suppressed_rows);
	sum_add(&s, "Events suppressed by the allowlist", f->suppressed_events);
	sum_add(&s, "Duplicate events dropped (same Computer, record id, time)", f->duplicates);
	if (has_time_range(run))
		sum_add(&s, "Matching events outside the time range", run->events_out_of_range);
	sum_add(&s, "Input files", in->n);
	sum_add(&s, "Inputs partly read", t->partial);
	sum_add(&s, "Inputs that could not be read", t->failed);
	sum_add(&s, "Inputs with no Event ID 7 logged", t->blind_inputs);
	size_t not_read = input_list_not_read(in);
	sum_add(&s, "Paths or parts of images not read", not_read);
	if (in->n_images) {
		sum_add(&s, "Disk images and archives", in->n_images);
		sum_add(&s, "Disk images and archives not listed in full",
			input_list_images_not_whole(in));
	}
	sum_add(&s, "Parts listed, not searched (other file systems, empty logs)",
		in->n_skipped - not_read);
	sum_add(&s, "Files in directories ignored (not EVTX)", in->ignored_non_evtx);

	size_t zeros = 0;
	for (size_t i = 0; i < s.n; i++)
		zeros += s.v[i].value == 0;
	sum_list(o, &s, false);
	if (zeros) {
		P(o, "<details class=\"zeros\"><summary class=\"small\">");
		U(o, zeros);
		P(o, zeros == 1 ? " more count, zero" : " more counts, all zero");
		P(o, "</summary>\n");
		sum_list(o, &s, true);
		P(o, "</details>\n");
	}
}

/* The banner's second half: which hosts could not be checked, and how
 * much of the evidence was not read, by name where few. */
static void not_checked(struct out *o, const struct run *run)
{
	const char **blind;
	size_t n = input_list_blind_hosts(run->inputs, &blind);
	if (n) {
		P(o, run->inputs->interrupted
		     ? "<p class=\"verdict warn\">Not checked (no Sysmon Event ID 7 in the logs "
		       "read before the run was interrupted; the rest were not read): "
		     : "<p class=\"verdict warn\">Not checked (blind spots: no Sysmon Event ID 7 "
		       "in any of their logs): ");
		for (size_t i = 0; i < n && i < 20; i++) {
			P(o, i ? ", <b>" : "<b>");
			H(o, blind[i]);
			P(o, "</b>");
		}
		if (n > 20) {
			P(o, " and ");
			U(o, n - 20);
			P(o, " more");
		}
		P(o, ".</p>\n");
	}
	free(blind);
	size_t empty = 0;
	for (size_t i = 0; i < run->inputs->n_images; i++)
		if (input_list_image_empty(run->inputs, i)) {
			P(o, empty++ ? ", <b>" : "<p class=\"verdict warn\">Nothing checked in "
			  "(no event log nor other evidence found in it): <b>");
			H(o, run->inputs->images[i].path);
			P(o, "</b>");
		}
	if (empty)
		P(o, ".</p>\n");
	size_t bad = 0;
	for (size_t i = 0; i < run->inputs->n; i++)
		bad += run->inputs->items[i].status != INPUT_OK;
	size_t skipped = input_list_not_read(run->inputs);
	if (bad || skipped) {
		P(o, "<p class=\"verdict warn\">Not read in full: ");
		U(o, bad);
		P(o, " input(s) partly read or failed, ");
		U(o, skipped);
		P(o, " path(s) or part(s) of images not read");
		for (size_t i = 0, k = 0; i < run->inputs->n && k < 5; i++) {
			const struct input *in = &run->inputs->items[i];
			if (in->status == INPUT_OK)
				continue;
			P(o, k++ ? "; " : ": ");
			H(o, input_where(in));
		}
		P(o, " (see Coverage).</p>\n");
	}
}

static void summary(struct out *o, const struct run *run, const struct coverage *cv,
                    size_t n_hosts, const struct hosts *hv)
{
	struct tally t;

	tally_count(&t, run, cv, n_hosts);
	bool incomplete = t.partial || t.failed || input_list_not_read(run->inputs) ||
			  input_list_images_not_whole(run->inputs) || t.blind_inputs;
	incomplete |= input_list_empty_images(run->inputs) > 0;
	P(o, "<section id=\"summary\">\n<h2>Summary</h2>\n");
	if (run->inputs->interrupted) {
		P(o, "<p class=\"verdict warn\">This run was interrupted (");
		H(o, run->inputs->interrupted);
		P(o, ") before it had read everything: the inputs not read in full are "
		     "marked in Coverage.</p>\n");
	}
	bool traced = false;
	if (run->traces) {
		struct verdicts own = { 0 };
		const struct verdicts *vs = verdicts_of(run, &own);
		traced = vs->count[VERDICT_RAN] > 0 || vs->count[VERDICT_PRESENT] > 0;
		incomplete |= vs->stale > 0;
		verdicts_free(&own);
	}
	verdict(o, &t, incomplete || run->inputs->interrupted, traced,
		input_list_checked(run->inputs) == 0);
	html_verdict_banner(o, run);
	not_checked(o, run);
	html_glance(o, run, hv);
	summary_list(o, run, &t);
	P(o, "</section>\n");
}

static void foot(struct out *o, const struct run *run)
{
	P(o, "<footer><p class=\"small\">Written by rmmhunt ");
	H(o, run->version);
	P(o, ". This file loads nothing from any network and runs one inline script "
	     "(sorting and filtering); it reads the same without it.</p></footer>\n<script>");
	P(o, SCRIPT);
	P(o, "</script>\n</body>\n</html>\n");
}

int report_html(FILE *out, const struct run *run)
{
	static const struct input_list no_inputs;
	static const struct findings no_findings;
	struct run r = *run;
	struct out o = { .f = out };
	struct coverage cv;
	struct grouping hosts, sup;
	struct hosts hv;     /* each host's processes, for the glance and the stories */

	if (!r.inputs)
		r.inputs = &no_inputs;
	if (!r.findings)
		r.findings = &no_findings;
	html_coverage_build(&cv, r.inputs);
	html_hosts_group(&hosts, r.findings, false);
	html_hosts_group(&sup, r.findings, true);
	hosts_build(&hv, &r);

	head(&o);
	header(&o, &r);
	summary(&o, &r, &cv, hosts.n, &hv);
	html_traces_section(&o, &r);
	html_processes_section(&o, &r, &hv);
	html_findings_section(&o, &r, &hosts, &sup);
	html_timeline_section(&o, &r, &cv, &hosts);
	html_coverage_section(&o, r.inputs, &cv);
	foot(&o, &r);
	flush(&o, true);

	html_coverage_free(&cv);
	html_grouping_free(&hosts);
	html_grouping_free(&sup);
	hosts_free(&hv);
	sb_free(&o.sb);
	if (fflush(out) != 0 || ferror(out))
		o.error = true;
	return o.error ? -1 : 0;
}
