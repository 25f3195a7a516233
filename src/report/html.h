/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* html: what the files of the HTML report (report_html.c and html_*.c)
 * share: the output buffer and its writers, the hosts' coverage and the
 * rows grouped by host and lane. Private to src/report. */
#ifndef RMMHUNT_HTML_H
#define RMMHUNT_HTML_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
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
#define FLUSH_AT SB_PIECE

/* Timeline drawing, in SVG user units. */
#define SVG_W 1000.0
#define PLOT_X0 8.0
#define PLOT_W (SVG_W - 2 * PLOT_X0)
#define AXIS_H 16
#define LANE_H 28

struct out {
	FILE *f;
	struct strbuf sb;
	bool error;
};

static inline void flush(struct out *o, bool force)
{
	if (o->sb.len == 0 || (!force && o->sb.len < FLUSH_AT))
		return;
	if (fwrite(o->sb.data, 1, o->sb.len, o->f) != o->sb.len)
		o->error = true;
	o->sb.len = 0;
	o->sb.data[0] = '\0';
}

/* Evidence text; NULL (absent) shows as nothing. */
static inline void H(struct out *o, const char *s)
{
	if (s)
		html_text(&o->sb, s);
}

static inline void P(struct out *o, const char *s)
{
	sb_puts(&o->sb, s);
}

static inline void U(struct out *o, uint64_t v)
{
	sb_printf(&o->sb, "%" PRIu64, v);
}

static inline void I(struct out *o, int v)
{
	sb_printf(&o->sb, "%d", v);
}

/* A time in Splunk's ctime format, UTC. Each place words a time not
 * known its own way ("unknown", "start", a dash), hence `unknown`. */
static inline void time_or(struct out *o, int64_t t, const char *unknown)
{
	char buf[TIME_TEXT_SIZE];
	time_format(t, buf);
	P(o, buf[0] ? buf : unknown);
}

/* A time cell's text; a dash when unknown. */
static inline void T(struct out *o, int64_t t)
{
	time_or(o, t, "\xe2\x80\x94");   /* em dash */
}

/* The same, free to wrap between the date and the time of day (<wbr>),
 * for the finding rows' narrow columns. */
static inline void T_wrap(struct out *o, int64_t t)
{
	char buf[TIME_TEXT_SIZE];
	time_format(t, buf);
	char *tee = strchr(buf, 'T');
	if (!buf[0] || !tee) {
		T(o, t);
		return;
	}
	*tee = '\0';
	/* the date would break at its hyphens; the time of day has no
	 * place to break */
	P(o, "<span class=\"nw\">");
	P(o, buf);
	P(o, "T</span><wbr>");
	P(o, tee + 1);
}

/* "A to B UTC": the run's time range, a coverage interval, a lane. */
static inline void time_span(struct out *o, int64_t a, int64_t b,
                      const char *unknown_a, const char *unknown_b)
{
	time_or(o, a, unknown_a);
	P(o, " to ");
	time_or(o, b, unknown_b);
	P(o, " UTC");
}

/* Evidence strings in one cell: the command line, an input's hosts. */
static inline void H_join(struct out *o, char *const *items, size_t n, const char *sep)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			P(o, sep);
		H(o, items[i]);
	}
}

/* Evidence text cut to about keep bytes (at a character's start, at
 * most 64) and an ellipsis when longer. */
static inline void H_cut(struct out *o, const char *s, size_t keep)
{
	if (!s)
		return;
	if (keep > 64)
		keep = 64;
	if (strlen(s) <= keep + 1) {
		H(o, s);
		return;
	}
	while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
		keep--;
	char cut[65];
	memcpy(cut, s, keep);
	cut[keep] = '\0';
	H(o, cut);
	P(o, "\xe2\x80\xa6");
}

/* The same, the whole of it on hover: for identifiers whose start tells
 * them apart (GUIDs, hashes), so that the finding rows fit a narrow
 * window. The CSV and the JSON have them whole. */
static inline void H_short(struct out *o, const char *s, size_t keep)
{
	if (!s)
		return;
	if (strlen(s) <= (keep > 64 ? 64 : keep) + 1) {
		H(o, s);
		return;
	}
	P(o, "<span title=\"");
	H(o, s);
	P(o, "\">");
	H_cut(o, s, keep);
	P(o, "</span>");
}

/* Closes the open cell and writes the next, a number aligned right. */
static inline void cell_n(struct out *o, uint64_t v)
{
	P(o, "</td><td class=\"n\">");
	U(o, v);
}

/* Closes the open cell and writes the next, a first and last seen pair
 * as two time cells. */
static inline void cells_seen(struct out *o, int64_t first, int64_t last)
{
	P(o, "</td><td class=\"t\">");
	T(o, first);
	P(o, "</td><td class=\"t\">");
	T(o, last);
}

static inline bool has_time_range(const struct run *run)
{
	return run->from != TIME_NONE || run->to != TIME_NONE;
}



/* (computer, input) pairs from every input, sorted by computer: the
 * coverage of one host is a binary search away. */
struct hostref {
	const char *name;
	size_t input;
};

struct coverage {
	struct hostref *refs;
	size_t n;
	struct reach reach;     /* per host and source: how far back */
};

struct span {
	int64_t a, b;
};

/* Consecutive sorted rows with one key: a host's rows, or a lane. */
struct group {
	const struct finding **rows;
	size_t n_rows;
	uint64_t events;
	int64_t first, last;
};

/* The groups over rows[]; grouping_free frees both, and not the rows'
 * findings, which the run owns. */
struct grouping {
	const struct finding **rows;
	struct group *groups;
	size_t n;
};

/* Opens an input's row in a table of inputs: its number and path. */
void html_input_row_start(struct out *o, size_t i, const struct input *it);
void html_coverage_build(struct coverage *cv, const struct input_list *in);
void html_coverage_free(struct coverage *cv);
/* Just past the refs from `from` on that name host: refs are sorted by
 * name, so a host's refs are one run. */
size_t html_coverage_end(const struct coverage *cv, size_t from, const char *host);
/* A host is a blind spot when none of its inputs [from, to) logs
 * Event ID 7: no finding there says nothing about it. */
bool html_host_blind(const struct coverage *cv, const struct input_list *in,
                       size_t from, size_t to);
/* The merged time intervals the host's inputs cover; returns how many
 * (the caller frees *out). */
size_t html_host_intervals(const struct coverage *cv, const struct input_list *in,
                             const char *host, struct span **out);
const char *html_group_host(const struct group *g);
void html_grouping_free(struct grouping *g);
/* The rows with suppressed == sup by host, worst host first. */
void html_hosts_group(struct grouping *g, const struct findings *f, bool sup);
/* A host's rows by lane, earliest lane first. */
void html_lanes_group(struct grouping *g, const struct group *host);
/* What a responder reads first: each host with hits, its processes, the
 * modules each loaded, and each process's story; the Splunk rows follow
 * in the next section. */
void html_processes_section(struct out *o, const struct run *run, const struct hosts *h);
void html_findings_section(struct out *o, const struct run *run,
                             const struct grouping *hosts, const struct grouping *sup);
void html_timeline_section(struct out *o, const struct run *run, const struct coverage *cv,
                             const struct grouping *hosts);
void html_coverage_section(struct out *o, const struct input_list *in,
			     const struct coverage *cv);
 
/* html_traces.c: the hosts that ran NetSupport outside Sysmon's sight,
 * in a line under the verdict; every host's verdict and the traces.
 * Both write nothing with --no-traces. */
void html_verdict_banner(struct out *o, const struct run *run);
/* Every host's verdict and flagged processes (from h, hosts_build's view
 * of run) and the sources read for it, in the summary after the banners. */
void html_glance(struct out *o, const struct run *run, const struct hosts *h);
void html_traces_section(struct out *o, const struct run *run);

#endif
