/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests of sparse.c: one table of range indexes as Velociraptor
 * writes them (zeros left out, the bare list of older versions) and as
 * an attacker might (overlapping, pointing outside the stored member,
 * not numbers, not JSON), then the expanded source read across holes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>

#include "sparse.h"

static const struct {
	const char *json;
	uint64_t stored;        /* bytes of the stored member */
	int64_t size;           /* expanded size, or -1: refused */
	const char *why;        /* what the refusal says */
} cases[] = {
	{ "{\"ranges\":[{\"file_length\":10,\"length\":10},{\"original_offset\":10,\"length\":90},"
	  "{\"file_offset\":10,\"original_offset\":100,\"file_length\":5,\"length\":5}]}", 15, 105, NULL },
	{ "[{\"file_offset\":0,\"original_offset\":0,\"file_length\":4,\"length\":4}]", 4, 4, NULL },
	{ "{\"ranges\":[]}", 0, 0, NULL },
	{ "{\"ranges\":[{\"original_offset\":50,\"length\":10},{\"original_offset\":40,\"length\":5}]}",
	  0, -1, "overlaps" },
	{ "{\"ranges\":[{\"file_offset\":8,\"file_length\":10,\"length\":10}]}", 15, -1, "outside" },
	{ "{\"ranges\":[{\"file_length\":10,\"length\":9}]}", 15, -1, "outside" },
	{ "{\"ranges\":[{\"length\":-1}]}", 0, -1, "non-negative integers" },
	{ "{\"ranges\":[{\"length\":\"10\"}]}", 0, -1, "non-negative integers" },
	{ "{\"ranges\":[{\"original_offset\":18446744073709551615,\"length\":2}]}", 0, -1,
	  "too big integer" },         /* past INT64_MAX: jansson refuses it */
	{ "{\"ranges\":[{\"original_offset\":9223372036854775807,\"length\":9223372036854775807},"
	  "{\"original_offset\":18446744073709551614}]}", 0, -1, "too big" },
	{ "{\"ranges\":[7]}", 0, -1, "not an object" },
	{ "{\"other\":[]}", 0, -1, "no list of ranges" },
	{ "{\"ranges\":[{\"length\":1}],\"ranges\":[]}", 0, -1, "sparse index" },
	{ "not json", 0, -1, "sparse index" },
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct sparse_index ix;
		char err[SOURCE_ERR_MAX] = "";
		int rc = sparse_index_parse(cases[i].json, strlen(cases[i].json), cases[i].stored, &ix,
					    err, sizeof err);
		bool ok = cases[i].size < 0 ? rc == -1 && strstr(err, cases[i].why)
			  : rc == 0 && ix.size == (uint64_t)cases[i].size;
		if (!ok)
			fail_msg("case %zu: rc %d, size %llu, \"%s\"", i, rc,
				 (unsigned long long)ix.size, err);
		sparse_index_free(&ix);
	}
}

/* The first case's file: 10 stored bytes, a hole of 90, 5 stored bytes,
 * read in pieces that cross every boundary. */
static void test_read(void **state)
{
	(void)state;
	static const char stored[] = "ABCDEFGHIJvwxyz";
	struct sparse_index ix;
	char err[SOURCE_ERR_MAX];
	assert_int_equal(sparse_index_parse(cases[0].json, strlen(cases[0].json), 15, &ix, err,
					    sizeof err), 0);
	struct source *s = source_sparse(source_memory(stored, 15), &ix);
	sparse_index_free(&ix);
	assert_non_null(s);
	assert_int_equal(s->size, 105);
	uint8_t want[105], got[105];
	memcpy(want, "ABCDEFGHIJ", 10);
	memset(want + 10, 0, 90);
	memcpy(want + 100, "vwxyz", 5);
	for (size_t step = 1; step <= 105; step += 13) {
		memset(got, 0xee, sizeof got);
		for (size_t off = 0; off < 105; off += step)
			assert_int_equal(source_read(s, off, got + off, 105 - off < step ? 105 - off : step),
					 (ssize_t)(105 - off < step ? 105 - off : step));
		assert_memory_equal(got, want, 105);
	}
	source_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
