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

#define MARKS_MAX 50          /* events marked one by one on a lane */
#define LANES_PER_HOST 40     /* timeline lanes drawn for one host */
#define LANES_TOTAL 1000      /* and for the whole report */
#define PATHS_SHOWN 3         /* evidence files named outright in a row */
#define RECORDS_SHOWN 5       /* record numbers named per evidence file */
#define SIGNERS_SHOWN 3
#define FLUSH_AT (1 << 16)

/* Timeline drawing, in SVG user units. */
#define SVG_W 1000.0
#define PLOT_X0 8.0
#define PLOT_W (SVG_W - 2 * PLOT_X0)
#define AXIS_H 16
#define LANE_H 28

static const char STYLE[] =
	"body{font:14px/1.4 system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif;"
	"margin:0 auto;padding:16px 24px;max-width:1700px;color:#1b1b1b;background:#fff}"
	"h1{font-size:22px;margin:0 0 6px}"
	"h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #d5d8dc;padding-bottom:3px}"
	"h3{font-size:15px;margin:18px 0 4px}"
	"p{margin:4px 0}.meta{color:#444}"
	"code,.m{font-family:ui-monospace,Consolas,\"DejaVu Sans Mono\",monospace;font-size:12px}"
	"table{border-collapse:collapse;margin:4px 0 12px}"
	"table.s{width:100%;font-size:12.5px}"
	"th,td{border:1px solid #c8ccd0;padding:3px 6px;text-align:left;vertical-align:top}"
	"th{background:#eef0f3;font-weight:600}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	"td.t{white-space:nowrap}"
	"td.w{overflow-wrap:anywhere;min-width:8em}"
	"td.h{word-break:break-all;font-size:11px;max-width:22em}"
	"table.f{font-size:12.5px}.f td{overflow-wrap:anywhere}.fs{overflow-x:auto}"
	".f td:nth-child(-n+2),.f td:nth-child(11),.f td:nth-child(12){min-width:8em}"
	".f td:nth-child(3),.f td:nth-child(10),.f td:nth-child(13){text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	".f td:nth-child(4),.f td:nth-child(5){white-space:nowrap}"
	".f td:nth-child(7),.f td:nth-child(8){font-size:11px;min-width:7em}"
	".f td:nth-child(9){min-width:11em}"
	".mods td:first-child{overflow-wrap:anywhere}.mods td:nth-child(2){text-align:right}"
	".mods td:nth-child(n+3){white-space:nowrap}"
	"small{font-size:12px;color:#555}"
	".verdict{padding:10px 14px;font-weight:600;margin:12px 0}"
	".bad{background:#fde8e6;border-left:6px solid #c0392b}"
	".warn{background:#fff4d6;border-left:6px solid #d68910}"
	".ok{background:#e8f6ec;border-left:6px solid #1e8449}"
	".bs{color:#a04000;font-weight:600}"
	".st-partial{color:#a04000;font-weight:600}.st-failed{color:#c0392b;font-weight:600}"
	".sup td{color:#555;background:#f7f7f7}"
	".small{font-size:12px;color:#555}"
	"dl.sum{display:grid;grid-template-columns:max-content auto;gap:2px 14px;margin:6px 0}"
	"dl.sum dt{color:#444}dl.sum dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}"
	"details{margin:6px 0}summary{cursor:pointer}"
	".proc{border-left:4px solid #c0392b;padding:2px 0 2px 12px;margin:10px 0 16px}"
	"h4{font-size:14px;margin:6px 0 2px}"
	"dl.story{display:grid;grid-template-columns:max-content auto;gap:4px 14px;margin:6px 0}"
	"dl.story dt{color:#444;font-weight:600}dl.story dd{margin:0;overflow-wrap:anywhere}"
	"ol.chain,dl.story ul{margin:0;padding-left:20px}"
	"th.sh{cursor:pointer;user-select:none}"
	"th[aria-sort=ascending]::after{content:\" \\25B2\"}"
	"th[aria-sort=descending]::after{content:\" \\25BC\"}"
	"#q{font:inherit;padding:4px 8px;width:28em;margin:4px 0 8px}"
	"svg{display:block;width:100%;height:auto;border:1px solid #c8ccd0;margin:4px 0 6px}"
	".nocov{fill:#d9d9d9}.cov{fill:#fff}.bar{fill:#c0392b}"
	".mk{stroke:#111;stroke-width:1.5}.tk{stroke:#aaa;stroke-width:.5}"
	".tl{font-size:10px;fill:#444}.lb{font-size:11px;fill:#111}"
	".sw{display:inline-block;width:14px;height:10px;border:1px solid #888;vertical-align:middle}"
	".sw.nocov{background:#d9d9d9}.sw.cov{background:#fff}.sw.bar{background:#c0392b}"
	/* Big reports: skip the layout of what is off screen. */
	".fs{content-visibility:auto;contain-intrinsic-size:auto 400px}"
	"svg{content-visibility:auto;contain-intrinsic-size:auto 120px}"
	"@media print{#q{display:none}h2{break-after:avoid}tr{break-inside:avoid}}";

/* Sorting by any column (numbers as numbers) and a text filter over the
 * finding rows. Marks the page (data-js) so a test can tell it ran. */
static const char SCRIPT[] =
	"(function(){'use strict';"
	"var d=document;d.documentElement.setAttribute('data-js','ran');"
	"function txt(r){if(r._t===undefined)r._t=r.textContent.toLowerCase();return r._t;}"
	"var q=d.getElementById('q'),qn=d.getElementById('qn');"
	"if(q){q.hidden=false;q.addEventListener('input',function(){"
	"var s=q.value.trim().toLowerCase(),shown=0;"
	"d.querySelectorAll('.fs').forEach(function(sec){var any=false;"
	"sec.querySelectorAll('table.f>tbody>tr').forEach(function(r){"
	"var ok=!s||txt(r).indexOf(s)>=0;r.hidden=!ok;if(ok){any=true;shown++;}});"
	"sec.hidden=!any;});"
	"if(qn)qn.textContent=s?shown+' rows match':'';});}"
	"var num=/^-?[0-9]+(\\.[0-9]+)?$/;"
	"d.querySelectorAll('table.s').forEach(function(t){"
	"if(!t.tHead||!t.tBodies.length)return;var hs=t.tHead.rows[0].cells;"
	"Array.prototype.forEach.call(hs,function(th,i){"
	"th.classList.add('sh');th.tabIndex=0;th.title='Sort by this column';"
	"function go(){var b=t.tBodies[0],asc=th.getAttribute('aria-sort')!=='ascending';"
	"Array.prototype.forEach.call(hs,function(h){h.removeAttribute('aria-sort');});"
	"th.setAttribute('aria-sort',asc?'ascending':'descending');"
	"var v=Array.prototype.map.call(b.rows,function(r,k){"
	"var c=r.cells[i]?r.cells[i].textContent.trim():'';"
	"return{r:r,c:c,n:num.test(c)?parseFloat(c):NaN,k:k};});"
	"v.sort(function(a,b2){var x;"
	"if(!isNaN(a.n)&&!isNaN(b2.n))x=a.n-b2.n;else x=a.c<b2.c?-1:a.c>b2.c?1:0;"
	"return(asc?x:-x)||a.k-b2.k;});"
	"var f=d.createDocumentFragment();v.forEach(function(e){f.appendChild(e.r);});"
	"b.appendChild(f);}"
	"th.addEventListener('click',go);"
	"th.addEventListener('keydown',function(e){"
	"if(e.key==='Enter'||e.key===' '){e.preventDefault();go();}});});});"
	"})();";

struct out {
	FILE *f;
	struct strbuf sb;
	bool error;
};

static void flush(struct out *o, bool force)
{
	if (o->sb.len == 0 || (!force && o->sb.len < FLUSH_AT))
		return;
	if (fwrite(o->sb.data, 1, o->sb.len, o->f) != o->sb.len)
		o->error = true;
	o->sb.len = 0;
	o->sb.data[0] = '\0';
}

/* Evidence text; NULL (absent) shows as nothing. */
static void H(struct out *o, const char *s)
{
	if (s)
		html_text(&o->sb, s);
}

static void P(struct out *o, const char *s)
{
	sb_puts(&o->sb, s);
}

static void U(struct out *o, uint64_t v)
{
	sb_printf(&o->sb, "%" PRIu64, v);
}

static void I(struct out *o, int v)
{
	sb_printf(&o->sb, "%d", v);
}

/* A time in Splunk's ctime format, UTC. Each place words a time not
 * known its own way ("unknown", "start", a dash), hence `unknown`. */
static void time_or(struct out *o, int64_t t, const char *unknown)
{
	char buf[TIME_TEXT_SIZE];
	time_format(t, buf);
	P(o, buf[0] ? buf : unknown);
}

/* A time cell's text; a dash when unknown. */
static void T(struct out *o, int64_t t)
{
	time_or(o, t, "\xe2\x80\x94");   /* em dash */
}

/* "A to B UTC": the run's time range, a coverage interval, a lane. */
static void time_span(struct out *o, int64_t a, int64_t b,
                      const char *unknown_a, const char *unknown_b)
{
	time_or(o, a, unknown_a);
	P(o, " to ");
	time_or(o, b, unknown_b);
	P(o, " UTC");
}

/* Evidence strings in one cell: the command line, an input's hosts. */
static void H_join(struct out *o, char *const *items, size_t n, const char *sep)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			P(o, sep);
		H(o, items[i]);
	}
}

/* Closes the open cell and writes the next, a number aligned right. */
static void cell_n(struct out *o, uint64_t v)
{
	P(o, "</td><td class=\"n\">");
	U(o, v);
}

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

static bool has_time_range(const struct run *run)
{
	return run->from != TIME_NONE || run->to != TIME_NONE;
}



/* ---- hosts ------------------------------------------------------------ */

/* (computer, input) pairs from every input, sorted by computer: the
 * coverage of one host is a binary search away. */
struct hostref {
	const char *name;
	size_t input;
};

static int hostref_cmp(const void *a, const void *b)
{
	const struct hostref *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->input < y->input ? -1 : x->input > y->input;
}

struct coverage {
	struct hostref *refs;
	size_t n;
	struct reach reach;     /* per host and source: how far back */
};

static void coverage_build(struct coverage *cv, const struct input_list *in)
{
	size_t n = 0;
	for (size_t i = 0; i < in->n; i++)
		n += in->items[i].n_computers;
	cv->refs = xcalloc(n ? n : 1, sizeof *cv->refs);
	cv->n = 0;
	for (size_t i = 0; i < in->n; i++)
		for (size_t j = 0; j < in->items[i].n_computers; j++) {
			cv->refs[cv->n].name = in->items[i].computers[j];
			cv->refs[cv->n++].input = i;
		}
	qsort(cv->refs, cv->n, sizeof *cv->refs, hostref_cmp);
	reach_build(&cv->reach, in);
}

static void coverage_free(struct coverage *cv)
{
	free(cv->refs);
	reach_free(&cv->reach);
}

/* Just past the refs from `from` on that name host: refs are sorted by
 * name, so a host's refs are one run. */
static size_t coverage_end(const struct coverage *cv, size_t from, const char *host)
{
	while (from < cv->n && strcmp(cv->refs[from].name, host) == 0)
		from++;
	return from;
}

/* The refs of one host: [*from, *to). */
static void coverage_find(const struct coverage *cv, const char *host,
                          size_t *from, size_t *to)
{
	size_t lo = 0, hi = cv->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(cv->refs[mid].name, host) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*from = lo;
	*to = coverage_end(cv, lo, host);
}

/* A host is a blind spot when none of its inputs [from, to) logs
 * Event ID 7: no finding there says nothing about it. */
static bool host_blind(const struct coverage *cv, const struct input_list *in,
                       size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (!input_blind(&in->items[cv->refs[i].input]))
			return false;
	return true;
}

struct span {
	int64_t a, b;
};

static int span_cmp(const void *x, const void *y)
{
	const struct span *p = x, *q = y;
	return p->a < q->a ? -1 : p->a > q->a;
}

/* The merged time intervals the host's inputs cover; returns how many
 * (the caller frees *out). */
static size_t host_intervals(const struct coverage *cv, const struct input_list *in,
                             const char *host, struct span **out)
{
	size_t from, to, n = 0;
	coverage_find(cv, host, &from, &to);
	struct span *s = xcalloc(to - from + 1, sizeof *s);
	for (size_t i = from; i < to; i++) {
		const struct input *it = &in->items[cv->refs[i].input];
		if (it->first_time == TIME_NONE || it->last_time == TIME_NONE)
			continue;
		s[n].a = it->first_time;
		s[n++].b = it->last_time;
	}
	qsort(s, n, sizeof *s, span_cmp);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m > 0 && s[i].a <= s[m - 1].b) {
			if (s[i].b > s[m - 1].b)
				s[m - 1].b = s[i].b;
		} else {
			s[m++] = s[i];
		}
	}
	*out = s;
	return m;
}

/* ---- rows grouped by host and by lane ---------------------------------- */

/* Rows are sorted as pointers into findings.rows, not as indexes: qsort
 * has no context argument, and a pointer needs none. */
static const struct finding *row_at(const void *p)
{
	return *(const struct finding *const *)p;
}

static int dest_cmp(const void *a, const void *b)
{
	return strcmp(row_at(a)->key[BF_DEST], row_at(b)->key[BF_DEST]);
}

/* A host's rows worst first; ties keep the aggregation's order. */
static int row_cmp(const void *a, const void *b)
{
	const struct finding *x = row_at(a), *y = row_at(b);
	int c = dest_cmp(a, b);
	if (c)
		return c;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x < y ? -1 : 1;
}

/* A lane of the timeline is one process image and the module it loaded. */
static int lane_key_cmp(const void *a, const void *b)
{
	const struct finding *x = row_at(a), *y = row_at(b);
	int c = strcmp(x->key[BF_IMAGE], y->key[BF_IMAGE]);
	if (c)
		return c;
	return strcmp(x->key[BF_IMAGE_LOADED], y->key[BF_IMAGE_LOADED]);
}

/* Consecutive sorted rows with one key: a host's rows, or a lane. */
struct group {
	const struct finding **rows;
	size_t n_rows;
	uint64_t events;
	int64_t first, last;
};

static const char *group_host(const struct group *g)
{
	return g->rows[0]->key[BF_DEST];
}

/* Hosts worst first: most events, then most rows. */
static int host_cmp(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	if (x->events != y->events)
		return x->events > y->events ? -1 : 1;
	if (x->n_rows != y->n_rows)
		return x->n_rows > y->n_rows ? -1 : 1;
	return strcmp(group_host(x), group_host(y));
}

/* Lanes earliest first. */
static int lane_cmp(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->rows < y->rows ? -1 : x->rows > y->rows;
}

/* The groups over rows[]; grouping_free frees both, and not the rows'
 * findings, which the run owns. */
struct grouping {
	const struct finding **rows;
	struct group *groups;
	size_t n;
};

/* Sorts the n rows already in g->rows by row_order, cuts them where
 * key_cmp changes and sorts the groups by group_order. */
static void grouping_make(struct grouping *g, size_t n,
                          int (*row_order)(const void *, const void *),
                          int (*key_cmp)(const void *, const void *),
                          int (*group_order)(const void *, const void *))
{
	qsort(g->rows, n, sizeof *g->rows, row_order);
	g->groups = xcalloc(n + 1, sizeof *g->groups);
	g->n = 0;
	for (size_t i = 0; i < n; i++) {
		const struct finding *r = g->rows[i];
		if (g->n == 0 || key_cmp(&g->rows[i], g->groups[g->n - 1].rows) != 0)
			g->groups[g->n++] = (struct group){
				.rows = &g->rows[i], .first = r->first, .last = r->last };
		struct group *cur = &g->groups[g->n - 1];
		cur->n_rows++;
		cur->events += r->count;
		if (r->first < cur->first)
			cur->first = r->first;
		if (r->last > cur->last)
			cur->last = r->last;
	}
	qsort(g->groups, g->n, sizeof *g->groups, group_order);
}

static void grouping_free(struct grouping *g)
{
	free(g->groups);
	free(g->rows);
}

/* The rows with suppressed == sup by host, worst host first. */
static void hosts_group(struct grouping *g, const struct findings *f, bool sup)
{
	size_t n = 0;
	g->rows = xcalloc(f->n_rows + 1, sizeof *g->rows);
	for (size_t i = 0; i < f->n_rows; i++)
		if (f->rows[i].suppressed == sup)
			g->rows[n++] = &f->rows[i];
	grouping_make(g, n, row_cmp, dest_cmp, host_cmp);
}

/* A host's rows by lane, earliest lane first. */
static void lanes_group(struct grouping *g, const struct group *host)
{
	g->rows = xcalloc(host->n_rows + 1, sizeof *g->rows);
	memcpy(g->rows, host->rows, host->n_rows * sizeof *g->rows);
	grouping_make(g, host->n_rows, lane_key_cmp, lane_key_cmp, lane_cmp);
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
static void input_row_start(struct out *o, size_t i, const struct input *it)
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
		input_row_start(o, i, it);
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
		size_t end = coverage_end(cv, i, cv->refs[i].name);
		t->hosts_scanned++;
		if (host_blind(cv, in, i, end))
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
static void verdict(struct out *o, const struct tally *t, bool incomplete)
{
	if (t->rows) {
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
	if (t->rows && incomplete)
		P(o, " Not all evidence was read, or some does not log Event ID 7: "
		     "there may be more (see Coverage).");
	P(o, "</p>\n");
}

static void sum_item(struct out *o, const char *label, uint64_t value)
{
	P(o, "<dt>");
	P(o, label);
	P(o, "</dt><dd>");
	U(o, value);
	P(o, "</dd>\n");
}

static void summary_list(struct out *o, const struct run *run, const struct tally *t)
{
	const struct input_list *in = run->inputs;
	const struct findings *f = run->findings;

	P(o, "<dl class=\"sum\">\n");
	sum_item(o, "Hosts scanned (distinct Computer names in the logs)", t->hosts_scanned);
	sum_item(o, "Hosts with findings", t->hosts_found);
	sum_item(o, "Hosts with no Event ID 7 in any input (blind spots)", t->hosts_blind);
	sum_item(o, "Finding rows", t->rows);
	sum_item(o, "Matching events", t->events);
	sum_item(o, "&hellip; of which from recovered records only", t->recovered);
	sum_item(o, "Rows suppressed by the allowlist", f->suppressed_rows);
	sum_item(o, "Events suppressed by the allowlist", f->suppressed_events);
	sum_item(o, "Duplicate events dropped (same Computer, record id, time)", f->duplicates);
	if (has_time_range(run))
		sum_item(o, "Matching events outside the time range", run->events_out_of_range);
	sum_item(o, "Input files", in->n);
	sum_item(o, "Inputs partly read", t->partial);
	sum_item(o, "Inputs that could not be read", t->failed);
	sum_item(o, "Inputs with no Event ID 7 logged", t->blind_inputs);
	size_t not_read = input_list_not_read(in);
	sum_item(o, "Paths or parts of images not read", not_read);
	if (in->n_images) {
		sum_item(o, "Disk images and archives", in->n_images);
		sum_item(o, "Disk images and archives not listed in full", input_list_images_not_whole(in));
	}
	sum_item(o, "Parts listed, not searched (other file systems, empty logs)",
		 in->n_skipped - not_read);
	sum_item(o, "Files in directories ignored (not EVTX)", in->ignored_non_evtx);
	P(o, "</dl>\n");
}

/* The banner's second half: which hosts could not be checked, and how
 * much of the evidence was not read, by name where few. */
static void not_checked(struct out *o, const struct run *run)
{
	const char **blind;
	size_t n = input_list_blind_hosts(run->inputs, &blind);
	if (n) {
		P(o, "<p class=\"verdict warn\">Not checked (blind spots: no Sysmon Event ID 7 "
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
                    size_t n_hosts)
{
	struct tally t;

	tally_count(&t, run, cv, n_hosts);
	bool incomplete = t.partial || t.failed || input_list_not_read(run->inputs) ||
			  input_list_images_not_whole(run->inputs) || t.blind_inputs;
	P(o, "<section id=\"summary\">\n<h2>Summary</h2>\n");
	if (run->inputs->interrupted) {
		P(o, "<p class=\"verdict warn\">This run was interrupted (");
		H(o, run->inputs->interrupted);
		P(o, ") before it had read everything: the inputs not read in full are "
		     "marked in Coverage.</p>\n");
	}
	verdict(o, &t, incomplete || run->inputs->interrupted);
	not_checked(o, run);
	summary_list(o, run, &t);
	P(o, "</section>\n");
}

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
	T(o, run->stories->store.events[s->create].time);
	P(o, " by <b>");
	H(o, story_field(run, s->create, EF_USER));
	P(o, "</b>, integrity ");
	H(o, story_field(run, s->create, EF_INTEGRITY_LEVEL));
	P(o, "<br><code>");
	H(o, story_field(run, s->create, EF_COMMAND_LINE));
	P(o, "</code><br><small>in ");
	H(o, story_field(run, s->create, EF_CURRENT_DIRECTORY));
	P(o, "; OriginalFileName ");
	H(o, story_field(run, s->create, EF_ORIGINAL_FILE_NAME));
	P(o, "; ");
	H(o, story_field(run, s->create, EF_HASHES));
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
				T(o, run->stories->store.events[p->create].time);
				P(o, " ");
				at_byte(o, run, p->create);
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
		P(o, "</td><td class=\"t\">");
		T(o, v[k].first);
		P(o, "</td><td class=\"t\">");
		T(o, v[k].last);
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

static void story_html(struct out *o, const struct run *run, const struct story *s)
{
	P(o, "<dl class=\"story\">\n");
	story_creation_html(o, run, s);
	story_parents_html(o, run, s);
	peers_html(o, "Connections (Event ID 3)", s->net, s->n_net, true);
	peers_html(o, "DNS queries (Event ID 22)", s->dns, s->n_dns, false);
	refs_html(o, run, "Files created (Event ID 11)", s->files, s->n_files, false);
	refs_html(o, run, "Registry values set (Event ID 13)", s->registry, s->n_registry, true);
	P(o, "<dt>Ended</dt><dd>");
	if (s->terminated != STORY_NONE) {
		T(o, run->stories->store.events[s->terminated].time);
		P(o, " ");
		at_byte(o, run, s->terminated);
	} else {
		P(o, "no termination (Event ID 5) logged: it may still run");
	}
	P(o, "</dd>\n<dt>Story read from</dt><dd>");
	for (size_t k = 0; k < s->n_inputs; k++) {
		if (k)
			P(o, "<br>");
		H(o, input_where(&run->inputs->items[s->inputs[k]]));
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
			 const struct host_process *p)
{
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
		story_html(o, run, s);
	P(o, "</div>\n");
	flush(o, false);
}

/* Hosts are shown whole until this many processes are (a report of
 * thousands of them stays one a browser opens; the JSON has them all). */
#define PROCESSES_SHOWN 500

/* What a responder reads first: each host with hits, its processes, the
 * modules each loaded, and each process's story; the Splunk rows follow
 * in the next section. */
static void processes_section(struct out *o, const struct run *run)
{
	struct hosts h;
	hosts_build(&h, run);
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
	for (size_t i = 0; i < h.n; i++) {
		const struct host_view *v = &h.v[i];
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
			process_html(o, run, v, &v->processes[k]);
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
	hosts_free(&h);
}

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
	H(o, r->key[BF_PROCESS_GUID]);
	P(o, "<br>");
	H(o, r->key[BF_USER_ID]);
}

static void risk_cell(struct out *o, const struct finding *r)
{
	I(o, RULE_RISK_SCORE);
	char *msg = rule_risk_message(r->key[BF_IMAGE_LOADED], r->key[BF_DEST]);
	if (msg) {
		P(o, "<br><small>");
		H(o, msg);
		P(o, "</small>");
		free(msg);
	}
}

static void row_html(struct out *o, const struct run *run, const struct finding *r)
{
	P(o, r->suppressed ? "<tr class=\"sup\"><td>" : "<tr><td>");
	H(o, r->key[BF_IMAGE]);
	P(o, "<td>");
	H(o, r->key[BF_IMAGE_LOADED]);
	if (rule_outside_search(r->key[BF_IMAGE_LOADED]))
		P(o, "<br><span class=\"bs\">outside Splunk's search "
		     "(--extended-modules)</span>");
	P(o, "<td>");
	U(o, r->count);
	P(o, "<td>");
	T(o, r->first);
	P(o, "<td>");
	T(o, r->last);
	P(o, "<td>");
	signer_cell(o, run->findings, r);
	P(o, "<td>");
	process_cell(o, r);
	P(o, "<td>");
	H(o, r->key[BF_PROCESS_HASH]);
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
	H(o, group_host(host));
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

static void findings_section(struct out *o, const struct run *run,
                             const struct grouping *hosts, const struct grouping *sup)
{
	P(o, "<section id=\"findings\">\n<h2>Findings by host</h2>\n");
	P(o, "<p class=\"small\">Hosts worst first (most events, then most rows). One row "
	     "per distinct by-field tuple, as the Splunk search gives it. Risk: score ");
	I(o, RULE_RISK_SCORE);
	P(o, ", risk object the host, threat object the process image.</p>\n");
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

/* ---- timeline --------------------------------------------------------- */

/* One host's drawing: its time axis and the height of its SVG. */
struct plot {
	int64_t lo, hi;
	double height;
};

static double plot_x(const struct plot *pl, int64_t t)
{
	return PLOT_X0 + timeline_x(t, pl->lo, pl->hi, PLOT_W);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '\\');
	return s ? s + 1 : p;
}

static void px(struct out *o, double v)
{
	sb_printf(&o->sb, "%.1f", v);
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* How many of a host's n lanes are drawn: a big report stays
 * readable, and the table still lists every row. */
static size_t lanes_to_draw(size_t n, size_t *lanes_left)
{
	size_t draw = n;
	if (draw > LANES_PER_HOST)
		draw = LANES_PER_HOST;
	if (draw > *lanes_left)
		draw = *lanes_left;
	*lanes_left -= draw;
	return draw;
}

/* The axis spans the host's events and its log coverage; -1 when no
 * time at all is known. */
static int plot_axis(struct plot *pl, const struct grouping *lanes,
                     const struct span *cov, size_t ncov)
{
	int64_t ev_lo = TIME_NONE, ev_hi = TIME_NONE;
	for (size_t i = 0; i < lanes->n; i++) {
		const struct group *l = &lanes->groups[i];
		if (l->first != TIME_NONE && (ev_lo == TIME_NONE || l->first < ev_lo))
			ev_lo = l->first;
		if (l->last != TIME_NONE && (ev_hi == TIME_NONE || l->last > ev_hi))
			ev_hi = l->last;
	}
	return timeline_span(ev_lo, ev_hi, ncov ? cov[0].a : TIME_NONE,
	                     ncov ? cov[ncov - 1].b : TIME_NONE, &pl->lo, &pl->hi);
}

/* Where a host's logs come from when not only from live logs: each
 * source's window (a snapshot is often why the window is wider). */
static void caption_sources(struct out *o, const struct coverage *cv, const char *host)
{
	size_t n = 0, live = 0;
	for (size_t i = 0; i < cv->reach.n; i++)
		if (strcmp(cv->reach.rows[i].host, host) == 0) {
			n++;
			live += cv->reach.rows[i].rank == 0;
		}
	if (n == 0 || n == live)
		return;
	P(o, "; by source: ");
	bool first = true;
	for (size_t i = 0; i < cv->reach.n; i++) {
		const struct reach_row *r = &cv->reach.rows[i];
		if (strcmp(r->host, host) != 0)
			continue;
		P(o, first ? "" : "; ");
		first = false;
		H(o, r->source);
		P(o, " ");
		T(o, r->first);
		P(o, " to ");
		T(o, r->last);
	}
}

/* The host, what its logs cover, and what the drawing leaves out. */
static void timeline_caption(struct out *o, const struct coverage *cv, const char *host,
                             const struct span *cov, size_t ncov, size_t n_lanes,
                             size_t draw)
{
	P(o, "<h3>");
	H(o, host);
	P(o, "</h3>\n<p class=\"small\">Log coverage: ");
	if (ncov == 0) {
		P(o, "<b class=\"bs\">unknown: no input read records from this host</b>");
	} else {
		T(o, cov[0].a);
		P(o, " to ");
		T(o, cov[ncov - 1].b);
		if (ncov > 1) {
			P(o, " with ");
			U(o, ncov - 1);
			P(o, " gap(s) between inputs");
		}
		caption_sources(o, cv, host);
	}
	if (draw < n_lanes) {
		P(o, ". <b>");
		U(o, n_lanes - draw);
		P(o, " of ");
		U(o, n_lanes);
		P(o, " lanes not drawn</b> (see the table)");
	}
	P(o, ".</p>\n");
}

/* A rect up to its height's value: a bar's height is fixed, the
 * coverage's follows the number of lanes. */
static void rect_open(struct out *o, const char *cls, double x, double y, double w)
{
	P(o, "<rect class=\"");
	P(o, cls);
	P(o, "\" x=\"");
	px(o, x);
	P(o, "\" y=\"");
	px(o, y);
	P(o, "\" width=\"");
	px(o, w);
	P(o, "\" height=\"");
}

/* Not covered (grey) under covered (white): gaps stay grey. */
static void svg_coverage(struct out *o, const struct plot *pl,
                         const struct span *cov, size_t ncov)
{
	rect_open(o, "nocov", PLOT_X0, AXIS_H, PLOT_W);
	px(o, pl->height - AXIS_H);
	P(o, "\"><title>no log records from this host</title></rect>\n");
	for (size_t i = 0; i < ncov; i++) {
		double x0 = plot_x(pl, cov[i].a);
		double x1 = plot_x(pl, cov[i].b);
		rect_open(o, "cov", x0, AXIS_H, x1 - x0 < 1 ? 1 : x1 - x0);
		px(o, pl->height - AXIS_H);
		P(o, "\"><title>logs cover ");
		time_span(o, cov[i].a, cov[i].b, "", "");
		P(o, "</title></rect>\n");
	}
}

static void svg_ticks(struct out *o, const struct plot *pl)
{
	int64_t ticks[16];
	struct tick_step st;
	size_t nt = timeline_ticks(pl->lo, pl->hi, 8, ticks, 16, &st);

	for (size_t i = 0; i < nt; i++) {
		char lab[TICK_LABEL_SIZE];
		double x = plot_x(pl, ticks[i]);
		timeline_tick_label(ticks[i], &st, lab);
		P(o, "<line class=\"tk\" x1=\"");
		px(o, x);
		P(o, "\" x2=\"");
		px(o, x);
		P(o, "\" y1=\"");
		px(o, AXIS_H - 3);
		P(o, "\" y2=\"");
		px(o, pl->height);
		P(o, "\"/><text class=\"tl\" x=\"");
		px(o, x + 2);
		P(o, "\" y=\"11\">");
		P(o, lab);
		P(o, "</text>\n");
	}
}

static void lane_label(struct out *o, const struct finding *r0, uint64_t events, double y)
{
	P(o, "<text class=\"lb\" x=\"");
	px(o, PLOT_X0 + 3);
	P(o, "\" y=\"");
	px(o, y + 12);
	P(o, "\">");
	H(o, base_name(r0->key[BF_IMAGE]));
	P(o, " \xe2\x86\x90 ");    /* left arrow: loaded into */
	H(o, base_name(r0->key[BF_IMAGE_LOADED]));
	P(o, " (");
	U(o, events);
	P(o, " event");
	P(o, events == 1 ? "" : "s");
	P(o, ")</text>");
}

static void lane_bar(struct out *o, const struct plot *pl, const struct group *l, double y)
{
	double x0 = plot_x(pl, l->first);
	double w = plot_x(pl, l->last) - x0;
	if (w < 3) {           /* first == last: still visible */
		x0 -= (3 - w) / 2;
		w = 3;
	}
	rect_open(o, "bar", x0, y + 16, w);
	P(o, "8\"/>");
}

/* A tick per event, one per half pixel: ticks closer than that would
 * only thicken the path. */
static void lane_marks(struct out *o, const struct plot *pl, const struct findings *f,
                       const struct group *l, double y)
{
	double xs[MARKS_MAX];
	size_t nx = 0;

	for (size_t k = 0; k < l->n_rows; k++) {
		const struct finding *r = l->rows[k];
		for (size_t e = 0; e < r->n_events && nx < MARKS_MAX; e++)
			xs[nx++] = plot_x(pl, f->events[r->events[e]].time);
	}
	qsort(xs, nx, sizeof *xs, dbl_cmp);
	P(o, "<path class=\"mk\" d=\"");
	double prev = -1;
	for (size_t k = 0; k < nx; k++) {
		double x = (double)(long)(xs[k] * 2 + 0.5) / 2;
		if (x == prev)
			continue;
		prev = x;
		P(o, "M");
		px(o, x);
		P(o, " ");
		px(o, y + 14);
		P(o, "v12");
	}
	P(o, "\"/>");
}

static void svg_lane(struct out *o, const struct plot *pl, const struct findings *f,
                     const struct group *l, double y)
{
	const struct finding *r0 = l->rows[0];

	P(o, "<g><title>");
	H(o, r0->key[BF_IMAGE]);
	P(o, " loaded ");
	H(o, r0->key[BF_IMAGE_LOADED]);
	P(o, ": ");
	U(o, l->events);
	P(o, " event(s), ");
	time_span(o, l->first, l->last, "", "");
	P(o, "</title>");
	lane_label(o, r0, l->events, y);
	lane_bar(o, pl, l, y);
	if (l->events <= MARKS_MAX)
		lane_marks(o, pl, f, l, y);
	P(o, "</g>\n");
}

static void timeline_svg(struct out *o, const struct plot *pl, const struct findings *f,
                         const char *host, const struct span *cov, size_t ncov,
                         const struct grouping *lanes, size_t draw)
{
	P(o, "<svg viewBox=\"0 0 1000 ");
	px(o, pl->height);
	P(o, "\" width=\"1000\" height=\"");
	px(o, pl->height);
	P(o, "\" role=\"img\" aria-label=\"Timeline of ");
	H(o, host);
	P(o, "\">\n");
	svg_coverage(o, pl, cov, ncov);
	svg_ticks(o, pl);
	for (size_t i = 0; i < draw; i++) {
		svg_lane(o, pl, f, &lanes->groups[i], AXIS_H + (double)i * LANE_H);
		flush(o, false);
	}
	P(o, "</svg>\n");
}

static void host_timeline(struct out *o, const struct run *run, const struct coverage *cv,
                          const struct group *h, size_t *lanes_left)
{
	const char *host = group_host(h);
	struct grouping lanes;
	struct span *cov;
	struct plot pl;

	lanes_group(&lanes, h);
	size_t ncov = host_intervals(cv, run->inputs, host, &cov);
	size_t draw = lanes_to_draw(lanes.n, lanes_left);

	timeline_caption(o, cv, host, cov, ncov, lanes.n, draw);
	if (plot_axis(&pl, &lanes, cov, ncov) != 0) {
		if (draw)
			P(o, "<p class=\"small\">No times known: nothing to draw.</p>\n");
	} else if (draw) {
		pl.height = AXIS_H + (double)draw * LANE_H + 6;
		timeline_svg(o, &pl, run->findings, host, cov, ncov, &lanes, draw);
	}
	free(cov);
	grouping_free(&lanes);
}

static void timeline_section(struct out *o, const struct run *run, const struct coverage *cv,
                             const struct grouping *hosts)
{
	size_t left = LANES_TOTAL;

	P(o, "<section id=\"timeline\">\n<h2>Timeline</h2>\n");
	if (hosts->n == 0) {
		P(o, "<p>No findings to draw.</p>\n</section>\n");
		return;
	}
	P(o, "<p class=\"small\">For each host, one lane per process image and module: "
	     "<span class=\"sw bar\"></span> a bar from first to last seen, a tick at each "
	     "event when a lane has at most ");
	U(o, MARKS_MAX);
	P(o, ". <span class=\"sw cov\"></span> white: times the host&#39;s logs cover; "
	     "<span class=\"sw nocov\"></span> grey: <b>no log records</b>, so nothing "
	     "could have been seen there. Suppressed rows are not drawn.</p>\n");
	for (size_t h = 0; h < hosts->n; h++)
		host_timeline(o, run, cv, &hosts->groups[h], &left);
	P(o, "</section>\n");
}

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
	input_row_start(o, i, it);
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
	P(o, "</td><td class=\"t\">");
	T(o, it->first_time);
	P(o, "</td><td class=\"t\">");
	T(o, it->last_time);
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
		P(o, "</td><td class=\"t\">");
		T(o, r.rows[i].first);
		P(o, "</td><td class=\"t\">");
		T(o, r.rows[i].last);
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

static void coverage_section(struct out *o, const struct input_list *in,
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

	if (!r.inputs)
		r.inputs = &no_inputs;
	if (!r.findings)
		r.findings = &no_findings;
	coverage_build(&cv, r.inputs);
	hosts_group(&hosts, r.findings, false);
	hosts_group(&sup, r.findings, true);

	head(&o);
	header(&o, &r);
	summary(&o, &r, &cv, hosts.n);
	processes_section(&o, &r);
	findings_section(&o, &r, &hosts, &sup);
	timeline_section(&o, &r, &cv, &hosts);
	coverage_section(&o, r.inputs, &cv);
	foot(&o, &r);
	flush(&o, true);

	coverage_free(&cv);
	grouping_free(&hosts);
	grouping_free(&sup);
	sb_free(&o.sb);
	if (fflush(out) != 0 || ferror(out))
		o.error = true;
	return o.error ? -1 : 0;
}
