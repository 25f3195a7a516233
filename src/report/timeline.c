/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <stdio.h>
#include "timefmt.h"
#include "timeline.h"

#define TPS 10000000LL               /* FILETIME ticks a second */
#define EPOCH_DIFF 11644473600LL     /* seconds from 1601 to 1970 */
#define DAY 86400LL

double timeline_x(int64_t t, int64_t lo, int64_t hi, double width)
{
	if (hi <= lo)
		return width / 2;
	/* In doubles: hi - lo may not fit an int64 for hostile times. */
	double x = ((double)t - (double)lo) / ((double)hi - (double)lo) * width;
	if (!(x >= 0))          /* also catches NaN */
		return 0;
	if (x > width)
		return width;
	return x;
}

static int64_t sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN + 1 - b)   /* never produce TIME_NONE */
		return INT64_MIN + 1;
	return a + b;
}

int timeline_span(int64_t first, int64_t last, int64_t cov_lo, int64_t cov_hi,
                  int64_t *lo, int64_t *hi)
{
	int64_t v[4] = { first, last, cov_lo, cov_hi };
	int64_t a = TIME_NONE, b = TIME_NONE;

	for (int i = 0; i < 4; i++) {
		if (v[i] == TIME_NONE)
			continue;
		if (a == TIME_NONE || v[i] < a)
			a = v[i];
		if (b == TIME_NONE || v[i] > b)
			b = v[i];
	}
	*lo = a, *hi = b;
	if (a == TIME_NONE)
		return -1;
	if (a == b) {
		*lo = sat_add(a, -1800 * TPS);
		*hi = sat_add(b, 1800 * TPS);
		return 0;
	}
	/* 2% margin; (b - a) computed in doubles for the same reason as above. */
	double pad = ((double)b - (double)a) * 0.02;
	int64_t p = pad >= 9.0e18 ? INT64_MAX : (int64_t)pad;
	if (p < 1)
		p = 1;
	*lo = sat_add(a, -p);
	*hi = sat_add(b, p);
	return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Unix seconds, rounded down or up. */
static int64_t to_sec_floor(int64_t t) { return time_to_unix(t); }
static int64_t to_sec_ceil(int64_t t) { return -floor_div(-t, TPS) - EPOCH_DIFF; }
static int64_t from_sec(int64_t s) { return time_from_unix(s); }

static const struct tick_step steps[] = {
	{ TICK_SECOND, 1 }, { TICK_SECOND, 2 }, { TICK_SECOND, 5 },
	{ TICK_SECOND, 10 }, { TICK_SECOND, 15 }, { TICK_SECOND, 30 },
	{ TICK_MINUTE, 1 }, { TICK_MINUTE, 2 }, { TICK_MINUTE, 5 },
	{ TICK_MINUTE, 10 }, { TICK_MINUTE, 15 }, { TICK_MINUTE, 30 },
	{ TICK_HOUR, 1 }, { TICK_HOUR, 2 }, { TICK_HOUR, 3 }, { TICK_HOUR, 6 },
	{ TICK_HOUR, 12 },
	{ TICK_DAY, 1 }, { TICK_DAY, 2 }, { TICK_DAY, 7 }, { TICK_DAY, 14 },
	{ TICK_MONTH, 1 }, { TICK_MONTH, 2 }, { TICK_MONTH, 3 }, { TICK_MONTH, 6 },
	{ TICK_YEAR, 1 }, { TICK_YEAR, 2 }, { TICK_YEAR, 5 }, { TICK_YEAR, 10 },
	{ TICK_YEAR, 20 }, { TICK_YEAR, 50 }, { TICK_YEAR, 100 },
	{ TICK_YEAR, 200 }, { TICK_YEAR, 500 }, { TICK_YEAR, 1000 },
	{ TICK_YEAR, 2000 }, { TICK_YEAR, 5000 }, { TICK_YEAR, 10000 },
	{ TICK_YEAR, 20000 }, { TICK_YEAR, 50000 },
};

static double unit_seconds(enum tick_unit u)
{
	switch (u) {
	case TICK_SECOND: return 1;
	case TICK_MINUTE: return 60;
	case TICK_HOUR: return 3600;
	case TICK_DAY: return 86400;
	case TICK_MONTH: return 86400 * 30.436875;
	case TICK_YEAR: return 86400 * 365.2425;
	}
	return 1;
}

size_t timeline_ticks(int64_t lo, int64_t hi, size_t max_ticks,
                      int64_t *ticks, size_t cap, struct tick_step *step)
{
	size_t n = 0, nsteps = sizeof steps / sizeof steps[0];
	const struct tick_step *s = &steps[nsteps - 1];

	if (step)
		*step = *s;
	if (hi <= lo || lo == TIME_NONE || max_ticks == 0)
		return 0;
	double span = ((double)hi - (double)lo) / TPS;
	for (size_t i = 0; i < nsteps; i++) {
		double len = unit_seconds(steps[i].unit) * (double)steps[i].n;
		/* ticks over the span are at most span / len + 1 */
		if (span / len < 1e15 && (double)(int64_t)(span / len) + 1 <= (double)max_ticks) {
			s = &steps[i];
			break;
		}
	}
	if (step)
		*step = *s;

	int64_t lo_s = to_sec_ceil(lo), hi_s = to_sec_floor(hi);
	if (s->unit <= TICK_DAY) {
		int64_t len = s->n * (int64_t)unit_seconds(s->unit);
		/* Aligned to the Unix epoch, a midnight UTC. */
		for (int64_t t = -floor_div(-lo_s, len) * len; t <= hi_s && n < cap &&
		     n < max_ticks; t += len)
			ticks[n++] = from_sec(t);
		return n;
	}

	int64_t y;
	unsigned m, d;
	civil_from_days(floor_div(lo_s, DAY), &y, &m, &d);
	/* Months since year 0, rounded up to a multiple of the step. */
	int64_t months = s->unit == TICK_MONTH ? s->n : s->n * 12;
	int64_t k = y * 12 + (m - 1);
	if (d != 1 || floor_div(lo_s, DAY) * DAY != lo_s)
		k++;                         /* the first boundary after lo */
	k = -floor_div(-k, months) * months;
	for (; n < cap && n < max_ticks; k += months) {
		int64_t ky = floor_div(k, 12);
		unsigned km = (unsigned)(k - ky * 12) + 1;
		int64_t t = days_from_civil(ky, km, 1) * DAY;
		if (t > hi_s)
			break;
		if (t >= lo_s)
			ticks[n++] = from_sec(t);
	}
	return n;
}

void timeline_tick_label(int64_t t, const struct tick_step *step, char *buf)
{
	int64_t s = to_sec_floor(t), days = floor_div(s, DAY), y;
	int64_t sod = s - days * DAY;
	unsigned m, d;
	int hh = (int)(sod / 3600), mm = (int)(sod / 60 % 60), ss = (int)(sod % 60);

	civil_from_days(days, &y, &m, &d);
	switch (step->unit) {
	case TICK_YEAR:
		snprintf(buf, TICK_LABEL_SIZE, "%lld", (long long)y);
		break;
	case TICK_MONTH:
		snprintf(buf, TICK_LABEL_SIZE, "%lld-%02u", (long long)y, m);
		break;
	case TICK_DAY:
		snprintf(buf, TICK_LABEL_SIZE, "%lld-%02u-%02u", (long long)y, m, d);
		break;
	case TICK_HOUR:
	case TICK_MINUTE:
		snprintf(buf, TICK_LABEL_SIZE, "%02u-%02u %02d:%02d", m, d, hh, mm);
		break;
	case TICK_SECOND:
		snprintf(buf, TICK_LABEL_SIZE, "%02d:%02d:%02d", hh, mm, ss);
		break;
	}
}
