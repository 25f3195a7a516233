/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests: ntfs_plain_runs (volume.c), which decides whether an NTFS
 * file is read straight from its clusters, past The Sleuth Kit, and
 * from which bytes of the volume. Each case is a run list as TSK gives
 * it, with the byte runs NTFS's layout says hold the file (cluster
 * numbers times the cluster size, the last cut at the file's end), or
 * none where a run is anything but plain clusters in order. tests/
 * images.test reads a fragmented log this way against icat. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include "volume.h"

#define CL 4096u                /* the cluster size of every case */
#define VOL (1000u * CL)        /* the volume: clusters 0 to 999 */

/* The runs of v (n of them) for a file of size bytes: NULL, or *got. */
static struct byte_run *runs(const struct ntfs_run *v, size_t n, uint64_t size, size_t *got)
{
	*got = 0;
	return ntfs_plain_runs(v, n, size, CL, VOL, got);
}

/* Two runs out of order on the volume, the last longer than the file
 * (its allocation goes on past its end): both, the second cut. */
static void test_fragmented(void **state)
{
	(void)state;
	const struct ntfs_run v[] = { { 0, 600, 2, 0 }, { 2, 100, 3, 0 } };
	size_t n;
	struct byte_run *r = runs(v, 2, 4 * CL + 10, &n);
	assert_non_null(r);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].off, 600 * CL);
	assert_int_equal(r[0].len, 2 * CL);
	assert_int_equal(r[1].off, 100 * CL);
	assert_int_equal(r[1].len, 2 * CL + 10);
	free(r);
}

/* Runs listed past the file's end (clusters allocated beyond it) are
 * not needed and not read, whatever they are. */
static void test_runs_past_end(void **state)
{
	(void)state;
	const struct ntfs_run v[] = { { 0, 10, 1, 0 }, { 1, 0, 5, 0x02 } };
	size_t n;
	struct byte_run *r = runs(v, 2, CL, &n);
	assert_non_null(r);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].off, 10 * CL);
	assert_int_equal(r[0].len, CL);
	free(r);
}

/* The last cluster of the volume is one; a cluster past it is not. */
static void test_volume_end(void **state)
{
	(void)state;
	const struct ntfs_run in[] = { { 0, 999, 1, 0 } };
	const struct ntfs_run out[] = { { 0, 999, 2, 0 } };
	const struct ntfs_run far[] = { { 0, 1000, 1, 0 } };
	size_t n;
	struct byte_run *r = runs(in, 1, CL, &n);
	assert_non_null(r);
	free(r);
	assert_null(runs(out, 1, 2 * CL, &n));
	assert_null(runs(far, 1, CL, &n));
}

/* Anything but plain clusters in order is left to TSK. */
static void test_refused(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		struct ntfs_run v[2];
		uint64_t size;
	} cases[] = {
		{ "a sparse run", { { 0, 10, 1, 0 }, { 1, 0, 1, 0x02 } }, 2 * CL },
		{ "a filler for a run not seen", { { 0, 10, 1, 0 }, { 1, 0, 1, 0x01 } }, 2 * CL },
		{ "an encrypted run", { { 0, 10, 1, 0x04 }, { 1, 11, 1, 0 } }, 2 * CL },
		{ "a gap in the file", { { 0, 10, 1, 0 }, { 2, 11, 1, 0 } }, 2 * CL },
		{ "runs out of order in the file", { { 1, 10, 1, 0 }, { 0, 11, 1, 0 } }, 2 * CL },
		{ "an empty run", { { 0, 10, 0, 0 }, { 0, 11, 2, 0 } }, 2 * CL },
		{ "too few clusters", { { 0, 10, 1, 0 }, { 1, 11, 1, 0 } }, 2 * CL + 1 },
		{ "a cluster number past 2^64 bytes", { { 0, UINT64_MAX / 2, 1, 0 }, { 1, 11, 1, 0 } },
		  2 * CL },
		{ "a run of more than 2^64 bytes", { { 0, 10, UINT64_MAX / 2, 0 }, { 0 } }, CL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n;
		struct byte_run *r = runs(cases[i].v, 2, cases[i].size, &n);
		if (r) {
			free(r);
			fail_msg("%s: taken as plain", cases[i].what);
		}
	}
	const struct ntfs_run one[] = { { 0, 10, 1, 0 } };
	size_t n;
	assert_null(ntfs_plain_runs(one, 1, CL, 0, VOL, &n));   /* no cluster size */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fragmented),
		cmocka_unit_test(test_runs_past_end),
		cmocka_unit_test(test_volume_end),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
