/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests of layout.c, one table: a member path as collectors store
 * it, the Windows path it came from, and whether that was a shadow
 * copy. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>

#include "layout.h"

static const struct {
	const char *member, *want;
	bool snapshot;
} cases[] = {
	/* Velociraptor, the auto and ntfs accessors */
	{ "uploads/auto/C%3A/Windows/System32/winevt/Logs/Microsoft-Windows-Sysmon%254Operational.evtx",
	  "C:\\Windows\\System32\\winevt\\Logs\\Microsoft-Windows-Sysmon%4Operational.evtx", false },
	{ "uploads/ntfs/%5C%5C.%5CC%3A/Windows/System32/winevt/Logs/Security.evtx",
	  "C:\\Windows\\System32\\winevt\\Logs\\Security.evtx", false },
	{ "uploads/ntfs/%5C%5C%3F%5CGLOBALROOT%5CDevice%5CHarddiskVolumeShadowCopy3/Windows/x.evtx",
	  "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy3\\Windows\\x.evtx", true },
	{ "Collection-WS07/uploads/auto/C%3A/Users/bob/a%25b.evtx", "C:\\Users\\bob\\a%b.evtx", false },
	{ "uploads/auto/C%3A/bad%zz%4", "C:\\bad%zz%4", false },      /* malformed escapes kept */
	/* KAPE (backslashes from Windows) and CyLR (lower-case logs) */
	{ "2024-05-06T0912_WS07/C/Windows/System32/winevt/Logs/System.evtx",
	  "C:\\Windows\\System32\\winevt\\Logs\\System.evtx", false },
	{ "kape\\d\\Windows\\System32\\winevt\\Logs\\System.evtx",
	  "D:\\Windows\\System32\\winevt\\Logs\\System.evtx", false },
	{ "C/Windows/System32/winevt/logs/Microsoft-Windows-Sysmon%4Operational.evtx",
	  "C:\\Windows\\System32\\winevt\\logs\\Microsoft-Windows-Sysmon%4Operational.evtx", false },
	/* nothing known */
	{ "logs/ws07.evtx", "", false },
	{ "uploads", "", false },
	{ "", "", false },
	{ "../../escape.evtx", "", false },
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[512];
		bool snap = true;
		bool known = layout_original_path(cases[i].member, out, sizeof out, &snap);
		if (strcmp(out, cases[i].want) != 0 || known != (cases[i].want[0] != 0) ||
		    snap != cases[i].snapshot)
			fail_msg("%s: got \"%s\" (known %d, snapshot %d), want \"%s\"",
				 cases[i].member, out, known, snap, cases[i].want);
	}
	char small[8];
	bool snap;
	assert_true(layout_original_path("C/Windows/System32/x.evtx", small, sizeof small, &snap));
	assert_string_equal(small, "C:\\Wind");
	assert_false(layout_original_path(NULL, small, sizeof small, &snap));
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_table) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
