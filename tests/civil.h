/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* For the unit tests: expected times computed by the C library (timegm),
 * not by the code under test. */
#ifndef RMMHUNT_TESTS_CIVIL_H
#define RMMHUNT_TESTS_CIVIL_H

#include <stdint.h>
#include <string.h>
#include <time.h>

/* FILETIME ticks of a UTC civil time. */
static inline int64_t civil(int y, int mo, int d, int h, int mi, int s, int64_t frac)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return ((int64_t)timegm(&tm) + 11644473600LL) * 10000000LL + frac;
}

#endif
