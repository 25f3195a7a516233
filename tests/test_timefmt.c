/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests of timefmt.c: ISO 8601 in, FILETIME ticks inside, Splunk's
 * ctime format out. The C library's timegm/gmtime_r are the oracle. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1   /* timegm, mkstemp */
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "timefmt.h"
#include "civil.h"

#define TPS 10000000LL
#define UNIX_EPOCH_TICKS 116444736000000000LL   /* 1970-01-01 in FILETIME */

static int64_t parse_ok(const char *text)
{
	int64_t t = 0;
	if (time_parse_iso8601(text, &t) != 0)
		fail_msg("\"%s\" rejected", text);
	return t;
}

static void expect_parse(const char *text, int64_t want)
{
	int64_t got = parse_ok(text);
	if (got != want)
		fail_msg("\"%s\": got %lld ticks, want %lld", text, (long long)got,
			 (long long)want);
}

static void expect_reject(const char *text)
{
	int64_t t = 0;
	if (time_parse_iso8601(text, &t) == 0)
		fail_msg("\"%s\" accepted as %lld", text, (long long)t);
}

static void test_parse_utc(void **state)
{
	(void)state;
	expect_parse("2020-10-20T11:50:51Z", civil(2020, 10, 20, 11, 50, 51, 0));
	expect_parse("2020-10-20t11:50:51z", civil(2020, 10, 20, 11, 50, 51, 0));
	expect_parse("2020-10-20T11:50Z", civil(2020, 10, 20, 11, 50, 0, 0));
	expect_parse("1970-01-01T00:00:00Z", UNIX_EPOCH_TICKS);
	expect_parse("1601-01-01T00:00:00Z", 0);
	expect_parse("1601-01-01T00:00:00.0000001Z", 1);
}

static void test_parse_offsets(void **state)
{
	(void)state;
	int64_t utc = civil(2020, 10, 20, 11, 50, 51, 0);
	expect_parse("2020-10-20T11:50:51+00:00", utc);
	expect_parse("2020-10-20T11:50:51-00:00", utc);
	expect_parse("2020-10-20T13:50:51+02:00", utc);
	expect_parse("2020-10-20T13:50:51+0200", utc);
	expect_parse("2020-10-20T06:20:51-0530", utc);
	expect_parse("2020-10-20T06:20:51-05:30", utc);
	expect_parse("2020-10-21T01:35:51+13:45", utc);
	/* Across a day, month and year boundary. */
	expect_parse("2020-01-01T01:00:00+02:00", civil(2019, 12, 31, 23, 0, 0, 0));
	expect_parse("2019-12-31T23:00:00-02:00", civil(2020, 1, 1, 1, 0, 0, 0));
}

static void test_parse_fractions(void **state)
{
	(void)state;
	int64_t base = civil(2020, 10, 20, 11, 50, 51, 0);
	expect_parse("2020-10-20T11:50:51.5Z", base + 5000000);
	expect_parse("2020-10-20T11:50:51.123Z", base + 1230000);
	expect_parse("2020-10-20T11:50:51.1234567Z", base + 1234567);
	expect_parse("2020-10-20T11:50:51.0000000Z", base);
	/* libevtx prints 9 digits: the last two are below a tick. */
	expect_parse("2020-10-20T11:50:51.804638300Z", base + 8046383);
	/* Truncated, not rounded. */
	expect_parse("2020-10-20T11:50:51.12345678Z", base + 1234567);
	expect_parse("2020-10-20T11:50:51.99999999999999Z", base + 9999999);
	expect_parse("2020-10-20T11:50:51.00000009Z", base);
	expect_parse("2020-10-20T11:50:51.25+01:00", base - 3600 * TPS + 2500000);
	expect_reject("2020-10-20T11:50:51.Z");
	expect_reject("2020-10-20T11:50:51.");
}

static void test_parse_date_only(void **state)
{
	(void)state;
	expect_parse("2020-10-20", civil(2020, 10, 20, 0, 0, 0, 0));
	expect_parse("1601-01-01", 0);
	expect_parse("1970-01-01", UNIX_EPOCH_TICKS);
}

static void test_parse_no_zone_rejected(void **state)
{
	(void)state;
	expect_reject("2020-10-20T11:50:51");
	expect_reject("2020-10-20T11:50");
	expect_reject("2020-10-20T11:50:51.804638300");
	expect_reject("2020-10-20 11:50:51.739");   /* Sysmon's UtcTime text */
}

static void test_parse_malformed(void **state)
{
	(void)state;
	expect_reject("");
	expect_reject("2020");
	expect_reject("2020-10");
	expect_reject("20201020");
	expect_reject("2020-1-20");
	expect_reject("2020-10-2");
	expect_reject("2020/10/20");
	expect_reject("2020-10-20T");
	expect_reject("2020-10-20T11");
	expect_reject("2020-10-20T11:5Z");
	expect_reject("2020-10-20T11:50:5Z");
	expect_reject("2020-10-20Z");
	expect_reject("2020-10-20X11:50:51Z");
	expect_reject("2020-10-20T11:50:51Zjunk");
	expect_reject("2020-10-20T11:50:51Z ");
	expect_reject("2020-10-20junk");
	expect_reject(" 2020-10-20");
	expect_reject("2020-10-20T11:50:51+2:00");
	expect_reject("2020-10-20T11:50:51+02:0");
	expect_reject("2020-10-20T11:50:51+24:00");
	expect_reject("2020-10-20T11:50:51+02:60");
	expect_reject("2020-10-20T11:50:51+02:00:00");
	expect_reject("2020-10-20T24:00:00Z");
	expect_reject("2020-10-20T23:60:00Z");
	expect_reject("2020-10-20T23:59:61Z");
	expect_reject("abcd-ef-ghTij:kl:mnZ");
}

static void test_parse_invalid_dates(void **state)
{
	(void)state;
	expect_reject("2021-02-29");
	expect_reject("2021-02-29T00:00:00Z");
	expect_reject("1900-02-29T12:00:00Z");   /* century, not leap */
	expect_reject("2020-13-01T00:00:00Z");
	expect_reject("2020-00-10T00:00:00Z");
	expect_reject("2020-01-00T00:00:00Z");
	expect_reject("2020-01-32T00:00:00Z");
	expect_reject("2020-04-31T00:00:00Z");
	expect_reject("2020-06-31");
	expect_reject("2020-09-31");
	expect_reject("2020-11-31");
}

static void test_parse_leap_years(void **state)
{
	(void)state;
	expect_parse("2020-02-29T00:00:00Z", civil(2020, 2, 29, 0, 0, 0, 0));
	expect_parse("2000-02-29T23:59:59Z", civil(2000, 2, 29, 23, 59, 59, 0));
	expect_parse("2024-02-29", civil(2024, 2, 29, 0, 0, 0, 0));
	expect_parse("2020-03-01T00:00:00Z", civil(2020, 2, 29, 0, 0, 0, 0) + 86400 * TPS);
	expect_parse("2020-12-31T00:00:00Z", civil(2020, 1, 1, 0, 0, 0, 0) + 365LL * 86400 * TPS);
}

static char *fmt(int64_t ticks)
{
	static char buf[TIME_TEXT_SIZE];
	memset(buf, 'X', sizeof buf);
	time_format(ticks, buf);
	return buf;
}

static char *fmt_precise(int64_t ticks)
{
	static char buf[TIME_TEXT_SIZE];
	memset(buf, 'X', sizeof buf);
	time_format_precise(ticks, buf);
	return buf;
}

static void test_format_basic(void **state)
{
	(void)state;
	assert_string_equal(fmt(0), "1601-01-01T00:00:00");
	assert_string_equal(fmt(UNIX_EPOCH_TICKS), "1970-01-01T00:00:00");
	assert_string_equal(fmt(civil(2020, 10, 20, 11, 50, 51, 8046383)), "2020-10-20T11:50:51");
	assert_string_equal(fmt(civil(2020, 2, 29, 23, 5, 9, 0)), "2020-02-29T23:05:09");
	assert_string_equal(fmt_precise(0), "1601-01-01T00:00:00.0000000Z");
	assert_string_equal(fmt_precise(civil(2020, 10, 20, 11, 50, 51, 8046383)),
			    "2020-10-20T11:50:51.8046383Z");
	assert_string_equal(fmt_precise(civil(2020, 10, 20, 11, 50, 51, 1)),
			    "2020-10-20T11:50:51.0000001Z");
}

static void test_format_truncates(void **state)
{
	(void)state;
	assert_string_equal(fmt(civil(2020, 10, 20, 11, 50, 59, 9999999)), "2020-10-20T11:50:59");
	assert_string_equal(fmt(civil(1999, 12, 31, 23, 59, 59, 9999999)), "1999-12-31T23:59:59");
	assert_string_equal(fmt(civil(2020, 10, 20, 11, 50, 51, 5000000)), "2020-10-20T11:50:51");
	assert_string_equal(fmt(UNIX_EPOCH_TICKS - 1), "1969-12-31T23:59:59");
	assert_string_equal(fmt(parse_ok("2020-10-20T11:50:59.99999999Z")), "2020-10-20T11:50:59");
}

static void test_format_year_9999(void **state)
{
	(void)state;
	int64_t t = parse_ok("9999-12-31T23:59:59.9999999Z");
	assert_int_equal(t, civil(9999, 12, 31, 23, 59, 59, 9999999));
	assert_string_equal(fmt(t), "9999-12-31T23:59:59");
	assert_string_equal(fmt_precise(t), "9999-12-31T23:59:59.9999999Z");
}

/* Past the years a FILETIME of Windows' holds, both ways: as gmtime_r
 * writes them (%Y: as many digits as the year has). */
static void test_format_outside_windows_years(void **state)
{
	(void)state;
	int64_t max = parse_ok("9999-12-31T23:59:59.9999999Z");
	const int64_t ticks[] = { -1, -TPS, max + 1, max + 86400 * TPS + 7 };
	for (size_t i = 0; i < sizeof ticks / sizeof ticks[0]; i++) {
		int64_t t = ticks[i];
		time_t secs = (time_t)(time_to_unix(t));
		struct tm tm;
		char want[64];
		assert_non_null(gmtime_r(&secs, &tm));
		strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%S", &tm);
		assert_string_equal(fmt(t), want);
	}
	assert_string_equal(fmt_precise(-1), "1600-12-31T23:59:59.9999999Z");
}

static void test_format_none(void **state)
{
	(void)state;
	assert_string_equal(fmt(TIME_NONE), "");
	assert_string_equal(fmt_precise(TIME_NONE), "");
}

static void test_round_trip_strings(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"1601-01-01T00:00:00.0000000Z", "1970-01-01T00:00:00.0000000Z",
		"2000-02-29T12:34:56.7890123Z", "2020-10-20T11:50:51.8046383Z",
		"2038-01-19T03:14:08.0000000Z", "2100-03-01T00:00:00.0000001Z",
		"9999-12-31T23:59:59.9999999Z",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		assert_string_equal(fmt_precise(parse_ok(texts[i])), texts[i]);
}

/* Against gmtime_r, across the range, with fractions; and back. */
static void test_round_trip_ticks(void **state)
{
	(void)state;
	int64_t max = parse_ok("9999-12-31T23:59:59.9999999Z");
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int64_t t = (int64_t)(x % (uint64_t)(max + 1));
		time_t secs = (time_t)(t / TPS - 11644473600LL);
		struct tm tm;
		char want[64];
		assert_non_null(gmtime_r(&secs, &tm));
		strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%S", &tm);
		if (strcmp(fmt(t), want) != 0)
			fail_msg("ticks %lld: got %s, want %s", (long long)t, fmt(t), want);
		char text[TIME_TEXT_SIZE];
		time_format_precise(t, text);
		assert_int_equal(parse_ok(text), t);
	}
}

static void test_unix_conversion(void **state)
{
	(void)state;
	assert_int_equal(time_to_unix(UNIX_EPOCH_TICKS), 0);
	assert_int_equal(time_from_unix(0), UNIX_EPOCH_TICKS);
	assert_int_equal(time_to_unix(UNIX_EPOCH_TICKS + TPS - 1), 0);
	assert_int_equal(time_to_unix(UNIX_EPOCH_TICKS - 1), -1);   /* floor */
	assert_int_equal(time_to_unix(0), -11644473600LL);
	assert_int_equal(time_from_unix(1603194651), civil(2020, 10, 20, 11, 50, 51, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_utc),
		cmocka_unit_test(test_parse_offsets),
		cmocka_unit_test(test_parse_fractions),
		cmocka_unit_test(test_parse_date_only),
		cmocka_unit_test(test_parse_no_zone_rejected),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_invalid_dates),
		cmocka_unit_test(test_parse_leap_years),
		cmocka_unit_test(test_format_basic),
		cmocka_unit_test(test_format_truncates),
		cmocka_unit_test(test_format_year_9999),
		cmocka_unit_test(test_format_none),
		cmocka_unit_test(test_round_trip_strings),
		cmocka_unit_test(test_round_trip_ticks),
		cmocka_unit_test(test_unix_conversion),
		cmocka_unit_test(test_format_outside_windows_years),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
