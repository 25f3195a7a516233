/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Times: FILETIME ticks (100 ns since 1601-01-01 UTC) everywhere inside
 * rmmhunt, ISO 8601 text at the edges. */
#ifndef RMMHUNT_TIMEFMT_H
#define RMMHUNT_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define TIME_NONE INT64_MIN   /* no time known */

/* Parses ISO 8601 "YYYY-MM-DD[Thh:mm[:ss[.fffffff]]][Z|+hh:mm|-hh:mm]".
 * A time with no zone is an error: evidence times are never guessed.
 * A date alone means midnight UTC. Returns 0, or -1 when malformed. */
int time_parse_iso8601(const char *text, int64_t *ticks);

/* Formats as Splunk's ctime "%Y-%m-%dT%H:%M:%S" in UTC, truncating
 * fractions. buf must hold TIME_TEXT_SIZE bytes. TIME_NONE gives "". */
#define TIME_TEXT_SIZE 32
void time_format(int64_t ticks, char *buf);

/* As time_format, with 7 fraction digits and a trailing Z. */
void time_format_precise(int64_t ticks, char *buf);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Converts to/from Unix seconds (floor). */
int64_t time_to_unix(int64_t ticks);
int64_t time_from_unix(int64_t seconds);

#endif
