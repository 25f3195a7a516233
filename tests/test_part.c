/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests of part_read.c's walk of a report's top level, which finds
 * the members merge reads without building the rest: one table of
 * reports, each with what part_parse must say. A member named inside a
 * string or deeper down is not the member; one given twice, a report cut
 * short or followed by more text is refused. Whole parts, read and
 * merged, are tests/merge.test's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>

#include "part.h"

static const struct {
	const char *report;
	const char *why;        /* what the error says */
} cases[] = {
	{ "", "not a JSON object" },
	{ "[1]", "not a JSON object" },
	{ "{}", "'tool' is missing" },
	{ "{} x", "text after the report" },
	{ "{\"tool\":{}", "cut short" },
	{ "{\"tool\":{\"name\":\"a\\\"}}", "cut short" },          /* an escaped quote */
	{ "{\"tool\" {}}", "no colon" },
	{ "{\"tool\":{} \"rule\":{}}", "no comma" },
	{ "{7:1}", "not a string" },
	{ "{\"part\":{},\"part\":{}}", "given twice" },
	{ "{\"tool\":{\"name\":1,\"name\":2}}", "duplicate" },     /* jansson, inside */
	{ "{\"tool\":{\"version\":\"x\"},\"rule\":{},\"x\":\"\\\",\\\"part\\\":{}\"}",
	  "'part' is missing" },                                    /* in a string */
	{ "{\"tool\":{},\"rule\":{},\"x\":{\"part\":{}}}", "'part' is missing" },   /* deeper */
	{ "{\"tool\":{},\"rule\":{},\"part\":7}", "'part' is missing or not an object" },
	{ "{\"tool\":{},\"rule\":{},\"part\":[}}", "its part member" },   /* brackets: jansson */
	{ " \n{ \"n\" : 12 , \"t\" : true , \"s\" : \"}\" , \"a\" : [ \"]\" , { } ] } \n",
	  "'tool' is missing" },                                    /* scalars, spaces */
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct part p;
		char err[512] = "";
		memset(&p, 0, sizeof p);
		int rc = part_parse(cases[i].report, strlen(cases[i].report), &p, err, sizeof err);
		part_free(&p);
		if (rc != -1 || !strstr(err, cases[i].why))
			fail_msg("case %zu: rc %d, \"%s\"; wanted \"%s\"", i, rc, err, cases[i].why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_table) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
