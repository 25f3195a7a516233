/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* timeline: the geometry of the HTML report's SVG timeline, kept pure
 * (no I/O, no allocation) so that it can be unit-tested.
 *
 * Times are FILETIME ticks (100 ns since 1601-01-01 UTC); TIME_NONE
 * (timefmt.h) means "not known". Pixel positions are doubles in the
 * SVG's user units. */
#ifndef RMMHUNT_TIMELINE_H
#define RMMHUNT_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

/* x of time t on an axis from lo (x = 0) to hi (x = width), clamped to
 * [0, width]. A degenerate axis (hi <= lo) puts every time in the
 * middle. */
double timeline_x(int64_t t, int64_t lo, int64_t hi, double width);

/* The axis span for one host: it holds the events [first, last] and the
 * host's log coverage [cov_lo, cov_hi] (either pair may be TIME_NONE),
 * with a margin of 2% on each side. A single instant is widened to one
 * hour centred on it, so a lone event or first == last is drawn as a
 * mark in the middle, not as a division by zero. Returns 0, or -1 when
 * no time at all is known (*lo and *hi are then TIME_NONE). */
int timeline_span(int64_t first, int64_t last, int64_t cov_lo, int64_t cov_hi,
                  int64_t *lo, int64_t *hi);

/* The unit of the tick step an axis was given, which also decides how a
 * tick is labelled. */
enum tick_unit {
	TICK_SECOND, TICK_MINUTE, TICK_HOUR, TICK_DAY, TICK_MONTH, TICK_YEAR
};

struct tick_step {
	enum tick_unit unit;
	int64_t n;           /* the step is n units */
};

/* Chooses a "round" step (1 s, 5 min, 6 h, 1 day, 3 months, 10 years,
 * ...) that gives at most max_ticks ticks over [lo, hi], and writes the
 * tick times inside [lo, hi] into ticks[] (at most cap of them).
 * Ticks fall on calendar boundaries in UTC: midnight for days, the
 * first of the month for months, 1 January for years. Returns the
 * number of ticks written; 0 for a degenerate span. */
size_t timeline_ticks(int64_t lo, int64_t hi, size_t max_ticks,
                      int64_t *ticks, size_t cap, struct tick_step *step);

/* A short label for a tick at t for that step: "2024", "2024-03",
 * "2024-03-05", "03-05 14:00", "14:05:30". buf holds 32 bytes. */
#define TICK_LABEL_SIZE 32
void timeline_tick_label(int64_t t, const struct tick_step *step, char *buf);

#endif
