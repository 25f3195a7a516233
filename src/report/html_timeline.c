/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* report_html: the timeline, one SVG per host. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "html.h"
#include "path.h"

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

/* The lane's modules, each once, by name: "A, B" (at most a few). */
static void lane_modules(struct out *o, const struct group *l)
{
	size_t shown = 0;
	for (size_t k = 0; k < l->n_rows; k++) {
		const char *m = path_base_win(l->rows[k]->key[BF_IMAGE_LOADED]);
		bool again = false;
		for (size_t j = 0; j < k && !again; j++)
			again = strcmp(path_base_win(l->rows[j]->key[BF_IMAGE_LOADED]), m) == 0;
		if (again)
			continue;
		if (shown == 4) {
			P(o, ", \xe2\x80\xa6");
			return;
		}
		P(o, shown++ ? ", " : "");
		H(o, m);
	}
}

static void lane_label(struct out *o, const struct group *l, double y)
{
	const struct finding *r0 = l->rows[0];
	P(o, "<text class=\"lb\" x=\"");
	px(o, PLOT_X0 + 3);
	P(o, "\" y=\"");
	px(o, y + 12);
	P(o, "\">");
	H(o, path_base_win(r0->key[BF_IMAGE]));
	P(o, " ");
	H_cut(o, r0->key[BF_PROCESS_GUID], 10);
	P(o, " \xe2\x86\x90 ");    /* left arrow: loaded into */
	lane_modules(o, l);
	P(o, " (");
	U(o, l->events);
	P(o, " event");
	P(o, l->events == 1 ? "" : "s");
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
	P(o, " (ProcessGuid ");
	H(o, r0->key[BF_PROCESS_GUID]);
	P(o, ") loaded ");
	lane_modules(o, l);
	P(o, ": ");
	U(o, l->events);
	P(o, " event(s), ");
	time_span(o, l->first, l->last, "", "");
	P(o, "</title>");
	lane_label(o, l, y);
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
	const char *host = html_group_host(h);
	struct grouping lanes;
	struct span *cov;
	struct plot pl;

	html_lanes_group(&lanes, h);
	size_t ncov = html_host_intervals(cv, run->inputs, host, &cov);
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
	html_grouping_free(&lanes);
}

void html_timeline_section(struct out *o, const struct run *run, const struct coverage *cv,
                             const struct grouping *hosts)
{
	size_t left = LANES_TOTAL;

	P(o, "<section id=\"timeline\">\n<h2>Timeline</h2>\n");
	if (hosts->n == 0) {
		P(o, "<p>No findings to draw.</p>\n</section>\n");
		return;
	}
	P(o, "<p class=\"small\">For each host, one lane per flagged process (its image "
	     "and GUID, the modules it loaded): "
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

