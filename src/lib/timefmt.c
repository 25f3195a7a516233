/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "timefmt.h"

#define TICKS_PER_SECOND 10000000LL
/* Seconds from 1601-01-01 to 1970-01-01. */
#define EPOCH_DIFF 11644473600LL

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), valid far beyond any event log's range. */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int64_t time_to_unix(int64_t ticks)
{
	int64_t s = ticks / TICKS_PER_SECOND;
	if (ticks % TICKS_PER_SECOND < 0)
		s--;
	return s - EPOCH_DIFF;
}

int64_t time_from_unix(int64_t seconds)
{
	return (seconds + EPOCH_DIFF) * TICKS_PER_SECOND;
}

/* Reads exactly n digits. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dim[m - 1];
}

int time_parse_iso8601(const char *text, int64_t *ticks)
{
	const char *p = text;
	int y, mo, d, h = 0, mi = 0, s = 0;
	int64_t frac = 0;

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	int offset = 0;   /* minutes east of UTC */
	if (*p == '\0')
		goto done;    /* a date alone: midnight UTC */
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
		return -1;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &s))
			return -1;
		if (*p == '.' || *p == ',') {
			p++;
			int n = 0;
			while (isdigit((unsigned char)*p)) {
				if (n < 7) {
					frac = frac * 10 + (*p - '0');
					n++;
				}
				p++;
			}
			if (n == 0)
				return -1;
			for (; n < 7; n++)
				frac *= 10;
		}
	}
	if (h > 23 || mi > 59 || s > 60)
		return -1;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om;
		if (digits(&p, 2, &oh))
			return -1;
		if (*p == ':')
			p++;
		if (digits(&p, 2, &om) || oh > 23 || om > 59)
			return -1;
		offset = sign * (oh * 60 + om);
	} else {
		return -1;   /* no zone: refuse to guess */
	}
	if (*p != '\0')
		return -1;
done:;
	int64_t secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
		       h * 3600 + mi * 60 + s - (int64_t)offset * 60;
	*ticks = time_from_unix(secs) + frac;
	return 0;
}

/* v as n decimal digits, zero-padded, at o (v < 10^n); o past them. */
static char *put_digits(char *o, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		o[i] = (char)('0' + v % 10);
	return o + n;
}

static void format(int64_t ticks, char *buf, bool precise)
{
	if (ticks == TIME_NONE) {
		buf[0] = '\0';
		return;
	}
	int64_t secs = time_to_unix(ticks);
	int64_t frac = ticks - time_from_unix(secs);
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999 || frac < 0 || frac >= 10000000) {   /* (said as it is) */
		int n = snprintf(buf, TIME_TEXT_SIZE, "%04lld-%02u-%02uT%02d:%02d:%02d",
				 (long long)y, m, d, (int)(rem / 3600),
				 (int)(rem / 60 % 60), (int)(rem % 60));
		if (precise && n > 0 && n < TIME_TEXT_SIZE)
			snprintf(buf + n, (size_t)(TIME_TEXT_SIZE - n), ".%07lldZ",
				 (long long)frac);
		return;
	}
	/* every row of a report has times: by hand, not snprintf */
	char *o = put_digits(buf, (uint64_t)y, 4);
	*o++ = '-';
	o = put_digits(o, m, 2);
	*o++ = '-';
	o = put_digits(o, d, 2);
	*o++ = 'T';
	o = put_digits(o, (uint64_t)(rem / 3600), 2);
	*o++ = ':';
	o = put_digits(o, (uint64_t)(rem / 60 % 60), 2);
	*o++ = ':';
	o = put_digits(o, (uint64_t)(rem % 60), 2);
	if (precise) {
		*o++ = '.';
		o = put_digits(o, (uint64_t)frac, 7);
		*o++ = 'Z';
	}
	*o = '\0';
}

void time_format(int64_t ticks, char *buf)
{
	format(ticks, buf, false);
}

void time_format_precise(int64_t ticks, char *buf)
{
	format(ticks, buf, true);
}
