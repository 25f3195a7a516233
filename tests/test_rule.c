/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests of rule.c: event selection, the search's three conditions,
 * Splunk's wildcard match, the by-fields with fillnull, the RBA message.
 * Expectations come from docs/detection.md, not from the code. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "event.h"
#include "rule.h"

/* The six names of the SPL's ImageLoaded IN (...), spelt as there. */
static const char *const spl_modules[6] = {
	"CryptPak.dll", "HTCTL32.DLL", "pcicapi.dll",
	"pcichek.dll", "PCICL32.DLL", "TCCTL32.DLL",
};

/* A matching event: every field the rule reads, pointing at literals
 * (never freed). Tests change one thing at a time. */
static struct event good_event(void)
{
	struct event ev;
	memset(&ev, 0, sizeof ev);
	ev.field[EF_PROVIDER] = "Microsoft-Windows-Sysmon";
	ev.field[EF_COMPUTER] = "DESKTOP-NTSSLJD";
	ev.field[EF_USER_ID] = "S-1-5-18";
	ev.field[EF_IMAGE] = "C:\\Users\\Public\\Downloads\\client32.exe";
	ev.field[EF_IMAGE_LOADED] = "C:\\Users\\Public\\Downloads\\PCICL32.DLL";
	ev.field[EF_SIGNATURE] = "NetSupport Ltd";
	ev.event_id = 7;
	return ev;
}

static bool matches_loaded(char *image_loaded)
{
	struct event ev = good_event();
	ev.field[EF_IMAGE_LOADED] = image_loaded;
	return rule_matches(&ev);
}

static bool matches_image(char *image)
{
	struct event ev = good_event();
	ev.field[EF_IMAGE] = image;
	return rule_matches(&ev);
}

static bool matches_signer(char *signer)
{
	struct event ev = good_event();
	ev.field[EF_SIGNATURE] = signer;
	return rule_matches(&ev);
}

static void to_case(char *s, int how)
{
	for (size_t i = 0; s[i]; i++) {
		int c = (unsigned char)s[i];
		if (how == 0)
			s[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		else if (how == 1)
			s[i] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
		else if (i % 2)  /* mixed: alternate */
			s[i] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
		else
			s[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
}

static void test_good_event_matches(void **state)
{
	(void)state;
	struct event ev = good_event();
	assert_true(rule_selects(&ev));
	assert_true(rule_matches(&ev));
}

static void test_module_names_every_case(void **state)
{
	(void)state;
	for (int m = 0; m < 6; m++) {
		for (int how = -1; how < 3; how++) {
			char path[256];
			snprintf(path, sizeof path, "C:\\Users\\bob\\AppData\\Roaming\\nsm\\%s",
				 spl_modules[m]);
			if (how >= 0)
				to_case(path, how);
			if (!matches_loaded(path))
				fail_msg("module path not matched: %s", path);
		}
	}
}

static void test_module_list_is_the_spl_list(void **state)
{
	(void)state;
	/* rule_modules: lower case, no backslash, exactly the six. */
	bool seen[6] = { false };
	for (int i = 0; i < RULE_MODULE_COUNT; i++) {
		int hit = -1;
		for (int m = 0; m < 6; m++) {
			char lower[32];
			snprintf(lower, sizeof lower, "%s", spl_modules[m]);
			to_case(lower, 0);
			if (strcmp(lower, rule_modules[i]) == 0)
				hit = m;
		}
		assert_int_not_equal(hit, -1);
		assert_false(seen[hit]);
		seen[hit] = true;
	}
	assert_int_equal(RULE_MODULE_COUNT, 6);
}

static void test_module_names_not_listed(void **state)
{
	(void)state;
	/* Named in the prose but not in the search: not the contract. */
	assert_false(matches_loaded("C:\\nsm\\IPCTL32.DLL"));
	assert_false(matches_loaded("C:\\nsm\\keyshowhook.dll"));
	/* Must END with the name. */
	assert_false(matches_loaded("C:\\nsm\\pcicl32.dll.bak"));
	assert_false(matches_loaded("C:\\nsm\\pcicl32.dl"));
	assert_false(matches_loaded("C:\\nsm\\pcicl32.dll "));
	assert_false(matches_loaded("C:\\nsm\\pcicl32.dll\\x.dll"));
	assert_false(matches_loaded("C:\\Windows\\System32\\kernel32.dll"));
	assert_false(matches_loaded(""));
	assert_false(matches_loaded(NULL));
}

/* --extended-modules: the two the prose names match too, and only they
 * are outside the search; the rest of the rule is unchanged. */
static void test_extended_modules(void **state)
{
	struct event ev = good_event();
	(void)state;
	static char *const extra[] = { "C:\\nsm\\IPCTL32.DLL", "C:\\nsm\\keyshowhook.dll" };
	for (size_t i = 0; i < 2; i++) {
		ev.field[EF_IMAGE_LOADED] = extra[i];
		assert_false(rule_matches_with(&ev, false));
		assert_true(rule_matches_with(&ev, true));
		assert_true(rule_outside_search(extra[i]));
	}
	ev.field[EF_IMAGE_LOADED] = "C:\\nsm\\PCICL32.DLL";
	assert_true(rule_matches_with(&ev, true));
	assert_false(rule_outside_search(ev.field[EF_IMAGE_LOADED]));
	ev.field[EF_IMAGE_LOADED] = "C:\\nsm\\xkeyshowhook.dll";
	assert_false(rule_matches_with(&ev, true));
	ev.field[EF_IMAGE_LOADED] = "C:\\nsm\\keyshowhook.dll";
	ev.field[EF_SIGNATURE] = "Other Ltd";
	assert_false(rule_matches_with(&ev, true));
	assert_false(rule_outside_search(NULL));
	assert_int_equal(RULE_EXTENDED_COUNT, RULE_MODULE_COUNT + 2);
	for (int i = 0; i < RULE_MODULE_COUNT; i++)
		assert_string_equal(rule_modules_extended[i], rule_modules[i]);
}

static void test_module_needs_backslash(void **state)
{
	(void)state;
	assert_false(matches_loaded("C:\\x\\notpcicl32.dll"));
	assert_false(matches_loaded("C:\\x\\_HTCTL32.DLL"));
	assert_false(matches_loaded("pcicl32.dll"));
	assert_false(matches_loaded("PCICL32.DLL"));
	assert_true(matches_loaded("\\pcicl32.dll"));
	assert_true(matches_loaded("\\\\server\\share\\TCCTL32.DLL"));
	/* No path rewriting: a forward slash is not a backslash. */
	assert_false(matches_loaded("C:/x/pcicl32.dll"));
	/* Nor are \\?\ or \Device\ paths rewritten, but they do end in
	 * \name, so they match as in Splunk. */
	assert_true(matches_loaded("\\\\?\\C:\\x\\pcicl32.dll"));
	assert_true(matches_loaded("\\Device\\HarddiskVolume3\\x\\pcicapi.dll"));
}

static void test_program_files_excluded(void **state)
{
	(void)state;
	assert_false(matches_image("C:\\Program Files\\NetSupport\\client32.exe"));
	assert_false(matches_image("c:\\program files\\NetSupport\\client32.exe"));
	assert_false(matches_image("C:\\PROGRAM FILES\\a.exe"));
	assert_false(matches_image("c:\\pRoGrAm fIlEs\\a.exe"));
	assert_false(matches_image("C:\\Program Files (x86)\\NetSupport\\client32.exe"));
	assert_false(matches_image("C:\\PROGRAM FILES (X86)\\a.exe"));
	assert_false(matches_image("c:\\program files (x86)\\a.exe"));
	/* "*" may match the empty string. */
	assert_false(matches_image("C:\\Program Files\\"));
	assert_false(matches_image("C:\\Program Files (x86)\\"));
	/* No normalisation: a .. that leaves the folder still has the prefix. */
	assert_false(matches_image("C:\\Program Files\\..\\Users\\Public\\evil.exe"));
}

static void test_program_files_lookalikes_not_excluded(void **state)
{
	(void)state;
	assert_true(matches_image("C:\\Program FilesX\\client32.exe"));
	assert_true(matches_image("C:\\Program Files (x64)\\client32.exe"));
	assert_true(matches_image("C:\\Program Files (x86)X\\client32.exe"));
	assert_true(matches_image("D:\\Program Files\\NetSupport\\client32.exe"));
	assert_true(matches_image("C:\\Program Files"));
	assert_true(matches_image("C:\\ProgramFiles\\client32.exe"));
	assert_true(matches_image(" C:\\Program Files\\client32.exe"));
	assert_true(matches_image("C:\\PROGRA~1\\client32.exe"));  /* no 8.3 */
	assert_true(matches_image("\\\\?\\C:\\Program Files\\client32.exe"));
	assert_true(matches_image("C:/Program Files/client32.exe"));
	assert_true(matches_image("C:\\Users\\Program Files\\client32.exe"));
}

static void test_image_absent_matches(void **state)
{
	(void)state;
	assert_true(matches_image(NULL));
}

static void test_signature(void **state)
{
	(void)state;
	assert_true(matches_signer("NetSupport Ltd"));
	assert_true(matches_signer("netsupport ltd."));
	assert_true(matches_signer("NETSUPPORT LTD"));
	assert_true(matches_signer("NetSupport Ltd (test)"));
	assert_false(matches_signer("NetSupport Limited"));
	assert_false(matches_signer("NetSupport Lt"));
	assert_false(matches_signer("NetSupport"));
	assert_false(matches_signer(" NetSupport Ltd"));
	assert_false(matches_signer("Not NetSupport Ltd"));
	assert_false(matches_signer("Microsoft Windows"));
	assert_false(matches_signer("-"));
	assert_false(matches_signer(""));
	assert_false(matches_signer(NULL));
}

static void test_all_three_conditions(void **state)
{
	(void)state;
	struct event ev = good_event();
	ev.field[EF_IMAGE] = "C:\\Program Files\\NetSupport\\client32.exe";
	ev.field[EF_SIGNATURE] = "Microsoft Windows";
	assert_false(rule_matches(&ev));
	ev = good_event();
	ev.field[EF_IMAGE_LOADED] = "C:\\x\\kernel32.dll";
	assert_false(rule_matches(&ev));
}

static void test_rule_selects(void **state)
{
	(void)state;
	struct event ev = good_event();
	assert_true(rule_selects(&ev));
	ev.event_id = 1;
	assert_false(rule_selects(&ev));
	ev.event_id = 70;
	assert_false(rule_selects(&ev));
	ev.event_id = 0;
	assert_false(rule_selects(&ev));
	ev = good_event();
	ev.field[EF_PROVIDER] = NULL;
	assert_false(rule_selects(&ev));
	ev.field[EF_PROVIDER] = "Microsoft-Windows-Security-Auditing";
	assert_false(rule_selects(&ev));
	ev.field[EF_PROVIDER] = "Microsoft-Windows-Sysmon-Fake";
	assert_false(rule_selects(&ev));
	ev.field[EF_PROVIDER] = "Microsoft-Windows-Sysmon ";
	assert_false(rule_selects(&ev));
	ev.field[EF_PROVIDER] = "";
	assert_false(rule_selects(&ev));
	/* Selection does not depend on the rule's conditions. */
	ev = good_event();
	ev.field[EF_IMAGE_LOADED] = "C:\\Windows\\System32\\ntdll.dll";
	assert_true(rule_selects(&ev));
}

static void test_glob_edges(void **state)
{
	(void)state;
	assert_true(splunk_glob("", ""));
	assert_false(splunk_glob("", "a"));
	assert_false(splunk_glob("a", ""));
	assert_true(splunk_glob("*", ""));
	assert_true(splunk_glob("*", "anything at all"));
	assert_true(splunk_glob("**", ""));
	assert_true(splunk_glob("**", "x"));
	assert_true(splunk_glob("***a", "a"));
	assert_true(splunk_glob("a*", "a"));
	assert_true(splunk_glob("*a", "a"));
	assert_false(splunk_glob("a*", "ba"));
	assert_false(splunk_glob("*a", "ab"));
	assert_true(splunk_glob("a*b*c", "abc"));
	assert_true(splunk_glob("a*b*c", "aXXbYYc"));
	assert_true(splunk_glob("a*b*c", "abbbcbc"));
	assert_false(splunk_glob("a*b*c", "acb"));
	assert_false(splunk_glob("a*b*c", "abcx"));
	assert_false(splunk_glob("a*b*c", "ab"));
	assert_false(splunk_glob("abc", "ab"));
	assert_false(splunk_glob("ab", "abc"));
}

static void test_glob_backtracking(void **state)
{
	(void)state;
	assert_true(splunk_glob("*aab", "aaab"));
	assert_true(splunk_glob("*abc", "ababc"));
	assert_true(splunk_glob("a*abc", "aabababc"));
	assert_true(splunk_glob("*x*yz", "xyyz"));
	assert_true(splunk_glob("*a*b*c*", "zzazzbzzczz"));
	assert_false(splunk_glob("*a*b*c*", "zzczzbzzazz"));
	assert_true(splunk_glob("*\\pcicl32.dll", "C:\\a\\pcicl32.dll\\b\\pcicl32.dll"));
	assert_false(splunk_glob("*\\pcicl32.dll", "C:\\a\\pcicl32.dll\\b\\xpcicl32.dll"));
	assert_true(splunk_glob("*ab*ab", "abababab"));
	assert_false(splunk_glob("*ab*abc", "abababab"));
	/* Long run: must still end (and be right). */
	char v[1001];
	memset(v, 'a', 1000);
	v[1000] = '\0';
	assert_false(splunk_glob("*a*a*a*a*a*b", v));
	v[999] = 'b';
	assert_true(splunk_glob("*a*a*a*a*a*b", v));
}

static void test_glob_case_and_literals(void **state)
{
	(void)state;
	assert_true(splunk_glob("ABC", "abc"));
	assert_true(splunk_glob("abc", "ABC"));
	assert_true(splunk_glob("c:\\PROGRAM FILES\\*", "C:\\program files\\x.exe"));
	assert_true(splunk_glob("*.DLL", "x.dll"));
	/* Only '*' is special. */
	assert_false(splunk_glob("a?c", "abc"));
	assert_true(splunk_glob("a?c", "a?c"));
	assert_false(splunk_glob("[ab]", "a"));
	assert_true(splunk_glob("[ab]", "[AB]"));
	assert_false(splunk_glob("a.c", "abc"));
	assert_false(splunk_glob("a\\*", "ab"));      /* backslash is literal */
	assert_true(splunk_glob("a\\*", "a\\b"));
	assert_false(splunk_glob("a b", "a  b"));
	/* Case folding is ASCII only: '@' and '`' are not 'A'-1 / 'a'-1 folds. */
	assert_false(splunk_glob("[", "{"));
	assert_false(splunk_glob("@", "`"));
}

/* The by-field table of detection.md, in its order. */
static const char *const doc_byfields[18] = {
	"Image", "ImageLoaded", "dest", "loaded_file", "loaded_file_path",
	"original_file_name", "process_exec", "process_guid", "process_hash",
	"process_id", "process_name", "process_path",
	"service_dll_signature_exists", "service_dll_signature_verified",
	"signature", "signature_id", "user_id", "vendor_product",
};

static void test_byfield_names_and_order(void **state)
{
	(void)state;
	assert_int_equal(BF_COUNT, 18);
	for (int i = 0; i < 18; i++)
		assert_string_equal(byfield_name[i], doc_byfields[i]);
}

static void test_byfield_lookup(void **state)
{
	(void)state;
	for (int i = 0; i < 18; i++)
		assert_int_equal(byfield_lookup(doc_byfields[i]), i);
	assert_int_equal(byfield_lookup("Image"), BF_IMAGE);
	assert_int_equal(byfield_lookup("dest"), BF_DEST);
	assert_int_equal(byfield_lookup("image"), -1);
	assert_int_equal(byfield_lookup("IMAGE"), -1);
	assert_int_equal(byfield_lookup("imageloaded"), -1);
	assert_int_equal(byfield_lookup("Dest"), -1);
	assert_int_equal(byfield_lookup("DEST"), -1);
	assert_int_equal(byfield_lookup("Image "), -1);
	assert_int_equal(byfield_lookup(" Image"), -1);
	assert_int_equal(byfield_lookup("Imag"), -1);
	assert_int_equal(byfield_lookup(""), -1);
	assert_int_equal(byfield_lookup("Signature"), -1);   /* raw name, not a by-field */
	assert_int_equal(byfield_lookup("count"), -1);
}

static void free_key(char *key[BF_COUNT])
{
	for (int i = 0; i < BF_COUNT; i++)
		free(key[i]);
}

static void test_derive_full_event(void **state)
{
	(void)state;
	struct event ev;
	memset(&ev, 0, sizeof ev);
	ev.field[EF_PROVIDER] = "Microsoft-Windows-Sysmon";
	ev.field[EF_COMPUTER] = "DESKTOP-NTSSLJD";
	ev.field[EF_USER_ID] = "S-1-5-21-1-2-3-1001";
	ev.field[EF_IMAGE] = "C:\\Users\\Public\\NSM\\client32.exe";
	ev.field[EF_IMAGE_LOADED] = "C:\\Users\\Public\\NSM\\PCICL32.DLL";
	ev.field[EF_ORIGINAL_FILE_NAME] = "PCICL32.DLL";
	ev.field[EF_PROCESS_GUID] = "{23F38D93-CEB4-5F8E-9F08-000000000C00}";
	ev.field[EF_PROCESS_ID] = "9392";
	ev.field[EF_HASHES] = "SHA256=C16AC8542EE2B34D7248DFDC1C877ACF222FEDC8FB1418B8BB12905EFBDCBC2B,IMPHASH=E380F823A2FDF736666DA9E6AA697BA6";
	ev.field[EF_SIGNED] = "true";
	ev.field[EF_SIGNATURE_STATUS] = "Valid";
	ev.field[EF_SIGNATURE] = "NetSupport Ltd";
	ev.event_id = 7;

	char *key[BF_COUNT];
	rule_derive(&ev, key);
	assert_string_equal(key[BF_IMAGE], "C:\\Users\\Public\\NSM\\client32.exe");
	assert_string_equal(key[BF_IMAGE_LOADED], "C:\\Users\\Public\\NSM\\PCICL32.DLL");
	assert_string_equal(key[BF_DEST], "DESKTOP-NTSSLJD");
	assert_string_equal(key[BF_LOADED_FILE], "PCICL32.DLL");
	assert_string_equal(key[BF_LOADED_FILE_PATH], "C:\\Users\\Public\\NSM\\PCICL32.DLL");
	assert_string_equal(key[BF_ORIGINAL_FILE_NAME], "PCICL32.DLL");
	assert_string_equal(key[BF_PROCESS_EXEC], "client32.exe");
	assert_string_equal(key[BF_PROCESS_GUID], "{23f38d93-ceb4-5f8e-9f08-000000000c00}");
	assert_string_equal(key[BF_PROCESS_HASH], ev.field[EF_HASHES]);  /* untouched */
	assert_string_equal(key[BF_PROCESS_ID], "9392");
	assert_string_equal(key[BF_PROCESS_NAME], "client32.exe");
	assert_string_equal(key[BF_PROCESS_PATH], "C:\\Users\\Public\\NSM\\client32.exe");
	assert_string_equal(key[BF_SERVICE_DLL_SIGNATURE_EXISTS], "true");
	assert_string_equal(key[BF_SERVICE_DLL_SIGNATURE_VERIFIED], "Valid");
	assert_string_equal(key[BF_SIGNATURE], "Image loaded");   /* not the signer */
	assert_string_equal(key[BF_SIGNATURE_ID], "7");
	assert_string_equal(key[BF_USER_ID], "S-1-5-21-1-2-3-1001");
	assert_string_equal(key[BF_VENDOR_PRODUCT], "Microsoft Sysmon");
	/* New allocations, not the event's own strings. */
	for (int i = 0; i < BF_COUNT; i++)
		for (int f = 0; f < EF_COUNT; f++)
			assert_ptr_not_equal(key[i], ev.field[f]);
	free_key(key);
}

static void test_derive_sparse_event_fillnull(void **state)
{
	(void)state;
	struct event ev;
	memset(&ev, 0, sizeof ev);
	ev.event_id = 7;
	char *key[BF_COUNT];
	rule_derive(&ev, key);
	for (int i = 0; i < BF_COUNT; i++) {
		if (i == BF_SIGNATURE)
			assert_string_equal(key[i], "Image loaded");
		else if (i == BF_SIGNATURE_ID)
			assert_string_equal(key[i], "7");
		else if (i == BF_VENDOR_PRODUCT)
			assert_string_equal(key[i], "Microsoft Sysmon");
		else if (strcmp(key[i], "0") != 0)
			fail_msg("by-field %s is \"%s\", not fillnull's \"0\"",
				 byfield_name[i], key[i]);
	}
	free_key(key);

	/* Some present, some not: old Sysmon without OriginalFileName. */
	ev.field[EF_COMPUTER] = "WS01";
	ev.field[EF_IMAGE_LOADED] = "C:\\t\\pcicl32.dll";
	ev.field[EF_SIGNATURE] = "NetSupport Ltd";
	rule_derive(&ev, key);
	assert_string_equal(key[BF_DEST], "WS01");
	assert_string_equal(key[BF_LOADED_FILE], "pcicl32.dll");
	assert_string_equal(key[BF_ORIGINAL_FILE_NAME], "0");
	assert_string_equal(key[BF_IMAGE], "0");
	assert_string_equal(key[BF_PROCESS_EXEC], "0");
	assert_string_equal(key[BF_PROCESS_NAME], "0");
	assert_string_equal(key[BF_PROCESS_PATH], "0");
	assert_string_equal(key[BF_PROCESS_GUID], "0");
	assert_string_equal(key[BF_USER_ID], "0");
	free_key(key);
}

static void test_derive_basename_without_backslash(void **state)
{
	(void)state;
	struct event ev;
	memset(&ev, 0, sizeof ev);
	ev.field[EF_IMAGE] = "client32.exe";
	ev.field[EF_IMAGE_LOADED] = "PCICL32.DLL";
	char *key[BF_COUNT];
	rule_derive(&ev, key);
	assert_string_equal(key[BF_LOADED_FILE], "PCICL32.DLL");
	assert_string_equal(key[BF_PROCESS_EXEC], "client32.exe");
	assert_string_equal(key[BF_PROCESS_NAME], "client32.exe");
	free_key(key);

	/* Forward slashes are not separators on this mapping's terms. */
	ev.field[EF_IMAGE] = "C:\\a/b\\c/client32.exe";
	ev.field[EF_IMAGE_LOADED] = "\\\\srv\\share\\x\\pcichek.dll";
	rule_derive(&ev, key);
	assert_string_equal(key[BF_PROCESS_EXEC], "c/client32.exe");
	assert_string_equal(key[BF_LOADED_FILE], "pcichek.dll");
	free_key(key);
}

static void test_derive_guid_lowered_only(void **state)
{
	(void)state;
	struct event ev;
	memset(&ev, 0, sizeof ev);
	ev.field[EF_PROCESS_GUID] = "{ABCDEF01-2345-6789-ABCD-EF0123456789}";
	ev.field[EF_COMPUTER] = "UPPER-HOST";
	ev.field[EF_ORIGINAL_FILE_NAME] = "PCICL32.DLL";
	char *key[BF_COUNT];
	rule_derive(&ev, key);
	assert_string_equal(key[BF_PROCESS_GUID], "{abcdef01-2345-6789-abcd-ef0123456789}");
	/* Nothing else is lowered. */
	assert_string_equal(key[BF_DEST], "UPPER-HOST");
	assert_string_equal(key[BF_ORIGINAL_FILE_NAME], "PCICL32.DLL");
	free_key(key);
}

static void test_risk_message(void **state)
{
	(void)state;
	char *m = rule_risk_message("C:\\Users\\Public\\PCICL32.DLL", "DESKTOP-NTSSLJD");
	assert_string_equal(m, "The following module C:\\Users\\Public\\PCICL32.DLL was "
			    "loaded by a non-standard application on endpoint DESKTOP-NTSSLJD");
	free(m);
	/* A value with printf specials is text, not a format. */
	m = rule_risk_message("%s%n%d", "100%");
	assert_string_equal(m, "The following module %s%n%d was loaded by a "
			    "non-standard application on endpoint 100%");
	free(m);
}

static void test_rule_constants(void **state)
{
	(void)state;
	assert_string_equal(RULE_ID, "125f96f9-6f34-418b-b868-c4a8d7fb865f");
	assert_string_equal(RULE_NAME, "Windows NetSupport RMM DLL Loaded By Uncommon Process");
	assert_int_equal(RULE_RISK_SCORE, 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_event_matches),
		cmocka_unit_test(test_module_names_every_case),
		cmocka_unit_test(test_module_list_is_the_spl_list),
		cmocka_unit_test(test_module_names_not_listed),
		cmocka_unit_test(test_extended_modules),
		cmocka_unit_test(test_module_needs_backslash),
		cmocka_unit_test(test_program_files_excluded),
		cmocka_unit_test(test_program_files_lookalikes_not_excluded),
		cmocka_unit_test(test_image_absent_matches),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_all_three_conditions),
		cmocka_unit_test(test_rule_selects),
		cmocka_unit_test(test_glob_edges),
		cmocka_unit_test(test_glob_backtracking),
		cmocka_unit_test(test_glob_case_and_literals),
		cmocka_unit_test(test_byfield_names_and_order),
		cmocka_unit_test(test_byfield_lookup),
		cmocka_unit_test(test_derive_full_event),
		cmocka_unit_test(test_derive_sparse_event_fillnull),
		cmocka_unit_test(test_derive_basename_without_backslash),
		cmocka_unit_test(test_derive_guid_lowered_only),
		cmocka_unit_test(test_risk_message),
		cmocka_unit_test(test_rule_constants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
