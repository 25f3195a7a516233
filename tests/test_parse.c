/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests of parse.c: the XML that libevtx renders for a record ->
 * struct event. The records below are libevtx's own rendering
 * (evtxexport -f xml, libevtx 20181227) of records in the shared corpus;
 * the older schema layouts, which the corpus lacks, are built from the
 * same System block with the field lists of docs/detection.md. */
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

#include "event.h"
#include "reader.h"
#include "strbuf.h"
#include "timefmt.h"
#include "civil.h"

/* uacme: record 621, schema 4.21-4.70 layout (OriginalFileName) */
static const char rec_v4_21[] =
	"<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
	"  <System>\n"
	"    <Provider Name=\"Microsoft-Windows-Sysmon\" Guid=\"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}\"/>\n"
	"    <EventID>7</EventID>\n"
	"    <Version>3</Version>\n"
	"    <Level>4</Level>\n"
	"    <Task>7</Task>\n"
	"    <Opcode>0</Opcode>\n"
	"    <Keywords>0x8000000000000000</Keywords>\n"
	"    <TimeCreated SystemTime=\"2020-10-20T11:50:51.804638300Z\"/>\n"
	"    <EventRecordID>621</EventRecordID>\n"
	"    <Correlation/>\n"
	"    <Execution ProcessID=\"7212\" ThreadID=\"5064\"/>\n"
	"    <Channel>Microsoft-Windows-Sysmon/Operational</Channel>\n"
	"    <Computer>DESKTOP-NTSSLJD</Computer>\n"
	"    <Security UserID=\"S-1-5-18\"/>\n"
	"  </System>\n"
	"  <EventData>\n"
	"    <Data Name=\"RuleName\">-</Data>\n"
	"    <Data Name=\"UtcTime\">2020-10-20 11:50:51.739</Data>\n"
	"    <Data Name=\"ProcessGuid\">{23F38D93-CEB4-5F8E-9F08-000000000C00}</Data>\n"
	"    <Data Name=\"ProcessId\">9392</Data>\n"
	"    <Data Name=\"Image\">C:\\Windows\\System32\\mmc.exe</Data>\n"
	"    <Data Name=\"ImageLoaded\">C:\\Windows\\System32\\UIAutomationCore.dll</Data>\n"
	"    <Data Name=\"FileVersion\">7.2.18362.997 (WinBuild.160101.0800)</Data>\n"
	"    <Data Name=\"Description\">Microsoft UI Automation Core</Data>\n"
	"    <Data Name=\"Product\">Microsoft\xc2""\xae"" Windows\xc2""\xae"" Operating System</Data>\n"
	"    <Data Name=\"Company\">Microsoft Corporation</Data>\n"
	"    <Data Name=\"OriginalFileName\">UIAutomationCore.dll</Data>\n"
	"    <Data Name=\"Hashes\">SHA1=C1B5762E8C59D2912AB408CA14875583EF5A66C9,MD5=C402A9717DF55C1B74864C1DB2E5A0E1,SHA256=C16AC8542EE2B34D7248DFDC1C877ACF222FEDC8FB1418B8BB12905EFBDCBC2B,IMPHASH=E380F823A2FDF736666DA9E6AA697BA6</Data>\n"
	"    <Data Name=\"Signed\">true</Data>\n"
	"    <Data Name=\"Signature\">Microsoft Windows</Data>\n"
	"    <Data Name=\"SignatureStatus\">Valid</Data>\n"
	"  </EventData>\n"
	"</Event>\n";

/* spoolfool: schema 4.80+ layout (User appended) */
static const char rec_v4_80[] =
	"<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
	"  <System>\n"
	"    <Provider Name=\"Microsoft-Windows-Sysmon\" Guid=\"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}\"/>\n"
	"    <EventID>7</EventID>\n"
	"    <Version>3</Version>\n"
	"    <Level>4</Level>\n"
	"    <Task>7</Task>\n"
	"    <Opcode>0</Opcode>\n"
	"    <Keywords>0x8000000000000000</Keywords>\n"
	"    <TimeCreated SystemTime=\"2022-02-19T17:35:16.328564900Z\"/>\n"
	"    <EventRecordID>1986647</EventRecordID>\n"
	"    <Correlation/>\n"
	"    <Execution ProcessID=\"2320\" ThreadID=\"3124\"/>\n"
	"    <Channel>Microsoft-Windows-Sysmon/Operational</Channel>\n"
	"    <Computer>DESKTOP-TTEQ6PR</Computer>\n"
	"    <Security UserID=\"S-1-5-18\"/>\n"
	"  </System>\n"
	"  <EventData>\n"
	"    <Data Name=\"RuleName\">-</Data>\n"
	"    <Data Name=\"UtcTime\">2022-02-19 17:35:16.311</Data>\n"
	"    <Data Name=\"ProcessGuid\">{08DA6306-C703-6210-2700-000000001000}</Data>\n"
	"    <Data Name=\"ProcessId\">1896</Data>\n"
	"    <Data Name=\"Image\">C:\\Windows\\System32\\spoolsv.exe</Data>\n"
	"    <Data Name=\"ImageLoaded\">C:\\Windows\\System32\\spool\\drivers\\x64\\4\\Test.dll</Data>\n"
	"    <Data Name=\"FileVersion\">1.0.0.0</Data>\n"
	"    <Data Name=\"Description\">ClassLibrary2</Data>\n"
	"    <Data Name=\"Product\">ClassLibrary2</Data>\n"
	"    <Data Name=\"Company\">-</Data>\n"
	"    <Data Name=\"OriginalFileName\">ClassLibrary2.dll</Data>\n"
	"    <Data Name=\"Hashes\">SHA1=9A6C506F3604E02F20154E2A7F29F577E2F973AA,MD5=36188F389FE0A1F12B4015AD3A090F55,SHA256=76AB7A463CAE7F04F7E17E7525FC3C0C085D35FA8C41BF6B1EAF599368E87F0F,IMPHASH=DAE02F32A21E03CE65412F6E56942DAA</Data>\n"
	"    <Data Name=\"Signed\">false</Data>\n"
	"    <Data Name=\"Signature\">-</Data>\n"
	"    <Data Name=\"SignatureStatus\">Unavailable</Data>\n"
	"    <Data Name=\"User\">NT AUTHORITY\\SYSTEM</Data>\n"
	"  </EventData>\n"
	"</Event>\n";

/* panache EDRTestingScript: schema 4.1-4.2 layout (RuleName, no OriginalFileName) */
static const char rec_v4_1[] =
	"<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
	"  <System>\n"
	"    <Provider Name=\"Microsoft-Windows-Sysmon\" Guid=\"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}\"/>\n"
	"    <EventID>7</EventID>\n"
	"    <Version>3</Version>\n"
	"    <Level>4</Level>\n"
	"    <Task>7</Task>\n"
	"    <Opcode>0</Opcode>\n"
	"    <Keywords>0x8000000000000000</Keywords>\n"
	"    <TimeCreated SystemTime=\"2019-07-29T21:33:19.891564000Z\"/>\n"
	"    <EventRecordID>4905</EventRecordID>\n"
	"    <Correlation/>\n"
	"    <Execution ProcessID=\"2640\" ThreadID=\"3508\"/>\n"
	"    <Channel>Microsoft-Windows-Sysmon/Operational</Channel>\n"
	"    <Computer>MSEDGEWIN10</Computer>\n"
	"    <Security UserID=\"S-1-5-18\"/>\n"
	"  </System>\n"
	"  <EventData>\n"
	"    <Data Name=\"RuleName\"/>\n"
	"    <Data Name=\"UtcTime\">2019-07-29 21:33:19.302</Data>\n"
	"    <Data Name=\"ProcessGuid\">{747F3D96-661E-5D3F-0000-00107F248700}</Data>\n"
	"    <Data Name=\"ProcessId\">3164</Data>\n"
	"    <Data Name=\"Image\">C:\\Windows\\System32\\mshta.exe</Data>\n"
	"    <Data Name=\"ImageLoaded\">C:\\Windows\\System32\\scrobj.dll</Data>\n"
	"    <Data Name=\"FileVersion\">5.812.10240.16384</Data>\n"
	"    <Data Name=\"Description\">Windows \xc2""\xae"" Script Component Runtime</Data>\n"
	"    <Data Name=\"Product\">Microsoft \xc2""\xae"" Windows \xc2""\xae"" Script Component Runtime</Data>\n"
	"    <Data Name=\"Company\">Microsoft Corporation</Data>\n"
	"    <Data Name=\"Hashes\">SHA1=5B139E692D2A376CCA16D536612EF87AD946EC6B,MD5=3F4DB17E9534DB1CEDA28FF77C27F535,SHA256=14A2C790E3E82DAF7918B61AB79F84228E7CA4494F5C2D311A1179CCA67B02C2,IMPHASH=C928D4D30D6B6FC0A3B011AA381044CA</Data>\n"
	"    <Data Name=\"Signed\">true</Data>\n"
	"    <Data Name=\"Signature\">Microsoft Windows</Data>\n"
	"    <Data Name=\"SignatureStatus\">Valid</Data>\n"
	"  </EventData>\n"
	"</Event>\n";

/* ProcessHerpaderping: empty Signature rendered as <Data Name="Signature"/> */
static const char rec_empty_sig[] =
	"<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
	"  <System>\n"
	"    <Provider Name=\"Microsoft-Windows-Sysmon\" Guid=\"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}\"/>\n"
	"    <EventID>7</EventID>\n"
	"    <Version>3</Version>\n"
	"    <Level>4</Level>\n"
	"    <Task>7</Task>\n"
	"    <Opcode>0</Opcode>\n"
	"    <Keywords>0x8000000000000000</Keywords>\n"
	"    <TimeCreated SystemTime=\"2020-10-27T10:17:18.439555500Z\"/>\n"
	"    <EventRecordID>2246494</EventRecordID>\n"
	"    <Correlation/>\n"
	"    <Execution ProcessID=\"5400\" ThreadID=\"6572\"/>\n"
	"    <Channel>Microsoft-Windows-Sysmon/Operational</Channel>\n"
	"    <Computer>LAPTOP-JU4M3I0E</Computer>\n"
	"    <Security UserID=\"S-1-5-18\"/>\n"
	"  </System>\n"
	"  <EventData>\n"
	"    <Data Name=\"RuleName\"/>\n"
	"    <Data Name=\"UtcTime\">2020-10-27 10:17:18.386</Data>\n"
	"    <Data Name=\"ProcessGuid\">{00247C92-F3AE-5F97-0000-00104EBD0418}</Data>\n"
	"    <Data Name=\"ProcessId\">21048</Data>\n"
	"    <Data Name=\"Image\">C:\\Users\\bouss\\Downloads\\samir.exe</Data>\n"
	"    <Data Name=\"ImageLoaded\">C:\\Users\\bouss\\Downloads\\samir.exe</Data>\n"
	"    <Data Name=\"FileVersion\">11.00.18362.1 (WinBuild.160101.0800)</Data>\n"
	"    <Data Name=\"Description\">Internet Explorer</Data>\n"
	"    <Data Name=\"Product\">Internet Explorer</Data>\n"
	"    <Data Name=\"Company\">Microsoft Corporation</Data>\n"
	"    <Data Name=\"OriginalFileName\">IEXPLORE.EXE</Data>\n"
	"    <Data Name=\"Hashes\">SHA1=413A3B931275B7708D91E65BF1567A4337289A77,MD5=F4B84F18CCC81417CC870E14EE6639DF,SHA256=164691E78D5AC947B9DDB782E4C3E052C366D974B7D010774501992EF71CB762,IMPHASH=00000000000000000000000000000000</Data>\n"
	"    <Data Name=\"Signed\">false</Data>\n"
	"    <Data Name=\"Signature\"/>\n"
	"    <Data Name=\"SignatureStatus\">Unavailable</Data>\n"
	"  </EventData>\n"
	"</Event>\n";

/* The System block of a NetSupport load, as libevtx renders it. */
static const char sys_block[] =
	"<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
	"  <System>\n"
	"    <Provider Name=\"Microsoft-Windows-Sysmon\" Guid=\"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}\"/>\n"
	"    <EventID>7</EventID>\n"
	"    <Version>3</Version>\n"
	"    <Level>4</Level>\n"
	"    <Task>7</Task>\n"
	"    <Opcode>0</Opcode>\n"
	"    <Keywords>0x8000000000000000</Keywords>\n"
	"    <TimeCreated SystemTime=\"2017-03-04T05:06:07.123456789Z\"/>\n"
	"    <EventRecordID>4242</EventRecordID>\n"
	"    <Correlation/>\n"
	"    <Execution ProcessID=\"1500\" ThreadID=\"1700\"/>\n"
	"    <Channel>Microsoft-Windows-Sysmon/Operational</Channel>\n"
	"    <Computer>WS01.corp.example</Computer>\n"
	"    <Security UserID=\"S-1-5-18\"/>\n"
	"  </System>\n";

/* Builds a record: sys_block, then <Data Name=names[i]>values[i]</Data>
 * (values already XML-escaped; NULL renders as <Data Name=.../>). */
static char *build(const char *const names[], const char *const values[], size_t n)
{
	struct strbuf sb = { 0 };
	sb_puts(&sb, sys_block);
	sb_puts(&sb, "  <EventData>\n");
	for (size_t i = 0; i < n; i++) {
		if (values[i])
			sb_printf(&sb, "    <Data Name=\"%s\">%s</Data>\n", names[i], values[i]);
		else
			sb_printf(&sb, "    <Data Name=\"%s\"/>\n", names[i]);
	}
	sb_puts(&sb, "  </EventData>\n</Event>\n");
	return sb_take(&sb);
}

static int parse(const char *xml, struct event *ev)
{
	memset(ev, 0, sizeof *ev);
	return parse_event_xml(xml, ev);
}

#define FIELD(ev, f, want) do { \
		const char *got_ = (ev)->field[f]; \
		const char *want_ = (want); \
		if (want_ == NULL && got_ != NULL) \
			fail_msg(#f ": got \"%s\", want absent", got_); \
		if (want_ != NULL && (got_ == NULL || strcmp(got_, want_) != 0)) \
			fail_msg(#f ": got %s%s%s, want \"%s\"", got_ ? "\"" : "", \
				 got_ ? got_ : "absent", got_ ? "\"" : "", want_); \
	} while (0)

static void test_schema_4_21_real_record(void **state)
{
	(void)state;
	struct event ev;
	assert_int_equal(parse(rec_v4_21, &ev), 0);
	FIELD(&ev, EF_PROVIDER, "Microsoft-Windows-Sysmon");
	FIELD(&ev, EF_COMPUTER, "DESKTOP-NTSSLJD");
	FIELD(&ev, EF_USER_ID, "S-1-5-18");
	FIELD(&ev, EF_IMAGE, "C:\\Windows\\System32\\mmc.exe");
	FIELD(&ev, EF_IMAGE_LOADED, "C:\\Windows\\System32\\UIAutomationCore.dll");
	FIELD(&ev, EF_ORIGINAL_FILE_NAME, "UIAutomationCore.dll");
	FIELD(&ev, EF_PROCESS_GUID, "{23F38D93-CEB4-5F8E-9F08-000000000C00}");
	FIELD(&ev, EF_PROCESS_ID, "9392");
	FIELD(&ev, EF_HASHES, "SHA1=C1B5762E8C59D2912AB408CA14875583EF5A66C9,"
	      "MD5=C402A9717DF55C1B74864C1DB2E5A0E1,"
	      "SHA256=C16AC8542EE2B34D7248DFDC1C877ACF222FEDC8FB1418B8BB12905EFBDCBC2B,"
	      "IMPHASH=E380F823A2FDF736666DA9E6AA697BA6");
	FIELD(&ev, EF_SIGNED, "true");
	FIELD(&ev, EF_SIGNATURE_STATUS, "Valid");
	FIELD(&ev, EF_SIGNATURE, "Microsoft Windows");
	assert_int_equal(ev.event_id, 7);
	assert_int_equal(ev.record_id, 621);
	/* 9 fraction digits: ticks keep 7, truncated. UtcTime is not _time. */
	assert_int_equal(ev.time, civil(2020, 10, 20, 11, 50, 51, 8046383));
	assert_false(ev.time_from_header);
	event_clear(&ev);
}

static void test_schema_4_80_user_appended(void **state)
{
	(void)state;
	struct event ev;
	assert_int_equal(parse(rec_v4_80, &ev), 0);
	/* user_id is System/Security/@UserID, not EventData User. */
	FIELD(&ev, EF_USER_ID, "S-1-5-18");
	FIELD(&ev, EF_COMPUTER, "DESKTOP-TTEQ6PR");
	FIELD(&ev, EF_IMAGE, "C:\\Windows\\System32\\spoolsv.exe");
	FIELD(&ev, EF_IMAGE_LOADED, "C:\\Windows\\System32\\spool\\drivers\\x64\\4\\Test.dll");
	FIELD(&ev, EF_ORIGINAL_FILE_NAME, "ClassLibrary2.dll");
	FIELD(&ev, EF_PROCESS_ID, "1896");
	FIELD(&ev, EF_SIGNED, "false");
	/* Sysmon's "-" is a value, kept as is (nothing is normalised). */
	FIELD(&ev, EF_SIGNATURE, "-");
	FIELD(&ev, EF_SIGNATURE_STATUS, "Unavailable");
	assert_int_equal(ev.record_id, 1986647);
	assert_int_equal(ev.time, civil(2022, 2, 19, 17, 35, 16, 3285649));
	event_clear(&ev);
}

static void test_schema_4_1_no_original_file_name(void **state)
{
	(void)state;
	struct event ev;
	assert_int_equal(parse(rec_v4_1, &ev), 0);
	FIELD(&ev, EF_ORIGINAL_FILE_NAME, NULL);
	FIELD(&ev, EF_IMAGE, "C:\\Windows\\System32\\mshta.exe");
	FIELD(&ev, EF_IMAGE_LOADED, "C:\\Windows\\System32\\scrobj.dll");
	FIELD(&ev, EF_HASHES, "SHA1=5B139E692D2A376CCA16D536612EF87AD946EC6B,"
	      "MD5=3F4DB17E9534DB1CEDA28FF77C27F535,"
	      "SHA256=14A2C790E3E82DAF7918B61AB79F84228E7CA4494F5C2D311A1179CCA67B02C2,"
	      "IMPHASH=C928D4D30D6B6FC0A3B011AA381044CA");
	FIELD(&ev, EF_SIGNATURE, "Microsoft Windows");
	FIELD(&ev, EF_SIGNATURE_STATUS, "Valid");
	FIELD(&ev, EF_COMPUTER, "MSEDGEWIN10");
	assert_int_equal(ev.record_id, 4905);
	event_clear(&ev);
}

static void test_empty_data_self_closing_is_absent(void **state)
{
	(void)state;
	struct event ev;
	assert_int_equal(parse(rec_empty_sig, &ev), 0);
	FIELD(&ev, EF_SIGNATURE, NULL);
	FIELD(&ev, EF_SIGNATURE_STATUS, "Unavailable");
	FIELD(&ev, EF_SIGNED, "false");
	FIELD(&ev, EF_ORIGINAL_FILE_NAME, "IEXPLORE.EXE");
	FIELD(&ev, EF_IMAGE, "C:\\Users\\bouss\\Downloads\\samir.exe");
	event_clear(&ev);
}

static void test_empty_data_open_close_is_absent(void **state)
{
	(void)state;
	static const char *const names[] = { "Image", "ImageLoaded", "Signature", "Hashes" };
	static const char *const values[] = { "", "C:\\x\\PCICL32.DLL", "", NULL };
	char *xml = build(names, values, 4);
	struct event ev;
	assert_int_equal(parse(xml, &ev), 0);
	FIELD(&ev, EF_IMAGE, NULL);
	FIELD(&ev, EF_SIGNATURE, NULL);
	FIELD(&ev, EF_HASHES, NULL);
	FIELD(&ev, EF_IMAGE_LOADED, "C:\\x\\PCICL32.DLL");
	event_clear(&ev);
	free(xml);
}

/* The NetSupport values, to be found the same whatever the layout. */
static void expect_netsupport(const struct event *ev)
{
	FIELD(ev, EF_PROVIDER, "Microsoft-Windows-Sysmon");
	FIELD(ev, EF_COMPUTER, "WS01.corp.example");
	FIELD(ev, EF_USER_ID, "S-1-5-18");
	FIELD(ev, EF_PROCESS_GUID, "{11111111-2222-3333-4444-555555555555}");
	FIELD(ev, EF_PROCESS_ID, "3120");
	FIELD(ev, EF_IMAGE, "C:\\Users\\Public\\nsm\\client32.exe");
	FIELD(ev, EF_IMAGE_LOADED, "C:\\Users\\Public\\nsm\\PCICL32.DLL");
	FIELD(ev, EF_HASHES, "SHA1=0123456789ABCDEF0123456789ABCDEF01234567");
	FIELD(ev, EF_SIGNED, "true");
	FIELD(ev, EF_SIGNATURE, "NetSupport Ltd");
	assert_int_equal(ev->event_id, 7);
	assert_int_equal(ev->record_id, 4242);
	assert_int_equal(ev->time, civil(2017, 3, 4, 5, 6, 7, 1234567));
	assert_false(ev->time_from_header);
}

#define NS_GUID "{11111111-2222-3333-4444-555555555555}"
#define NS_IMAGE "C:\\Users\\Public\\nsm\\client32.exe"
#define NS_LOADED "C:\\Users\\Public\\nsm\\PCICL32.DLL"
#define NS_HASH "SHA1=0123456789ABCDEF0123456789ABCDEF01234567"
#define NS_UTC "2017-03-04 05:06:07.100"

/* The EventData layouts of the Sysmon schemas (Sysinternals manifest):
 * each must give the same fields by Name, whatever their order. */
struct layout {
	const char *schema;
	size_t n;
	const char *names[16];
	const char *values[16];
	const char *signature_status;   /* NULL: the layout has none */
	const char *original_file_name;
};

static const struct layout layouts[] = {
	{ "2.0 (SequenceNumber first)", 9,
	  { "SequenceNumber", "UtcTime", "ProcessGuid", "ProcessId", "Image",
	    "ImageLoaded", "Hashes", "Signed", "Signature" },
	  { "17", NS_UTC, NS_GUID, "3120", NS_IMAGE, NS_LOADED, NS_HASH, "true",
	    "NetSupport Ltd" }, NULL, NULL },
	{ "3.10", 8,
	  { "UtcTime", "ProcessGuid", "ProcessId", "Image", "ImageLoaded", "Hashes",
	    "Signed", "Signature" },
	  { NS_UTC, NS_GUID, "3120", NS_IMAGE, NS_LOADED, NS_HASH, "true",
	    "NetSupport Ltd" }, NULL, NULL },
	{ "3.2 (SignatureStatus before Signature)", 9,
	  { "UtcTime", "ProcessGuid", "ProcessId", "Image", "ImageLoaded", "Hashes",
	    "Signed", "SignatureStatus", "Signature" },
	  { NS_UTC, NS_GUID, "3120", NS_IMAGE, NS_LOADED, NS_HASH, "true", "Valid",
	    "NetSupport Ltd" }, "Valid", NULL },
	{ "3.3 (SignatureStatus after Signature)", 9,
	  { "UtcTime", "ProcessGuid", "ProcessId", "Image", "ImageLoaded", "Hashes",
	    "Signed", "Signature", "SignatureStatus" },
	  { NS_UTC, NS_GUID, "3120", NS_IMAGE, NS_LOADED, NS_HASH, "true",
	    "NetSupport Ltd", "Expired" }, "Expired", NULL },
	{ "4.x in full (RuleName, OriginalFileName, User)", 16,
	  { "RuleName", "UtcTime", "ProcessGuid", "ProcessId", "Image", "ImageLoaded",
	    "FileVersion", "Description", "Product", "Company", "OriginalFileName",
	    "Hashes", "Signed", "Signature", "SignatureStatus", "User" },
	  { "technique_id=T1036", NS_UTC, NS_GUID, "3120", NS_IMAGE, NS_LOADED,
	    "12.50", "NetSupport Client", "NetSupport Remote Control",
	    "NetSupport Ltd", "PCICL32.DLL", NS_HASH, "true", "NetSupport Ltd",
	    "Valid", "CORP\\bob" }, "Valid", "PCICL32.DLL" },
};

static void test_schema_layouts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++) {
		const struct layout *l = &layouts[i];
		char *xml = build(l->names, l->values, l->n);
		struct event ev;
		print_message("schema %s\n", l->schema);
		assert_int_equal(parse(xml, &ev), 0);
		expect_netsupport(&ev);
		FIELD(&ev, EF_SIGNATURE_STATUS, l->signature_status);
		FIELD(&ev, EF_ORIGINAL_FILE_NAME, l->original_file_name);
		event_clear(&ev);
		free(xml);
	}
}

static void test_field_names_case_sensitive(void **state)
{
	(void)state;
	static const char *const names[] = { "image", "IMAGELOADED", "signature", "Image" };
	static const char *const values[] = { "lower", "upper", "lower", "C:\\right.exe" };
	char *xml = build(names, values, 4);
	struct event ev;
	assert_int_equal(parse(xml, &ev), 0);
	FIELD(&ev, EF_IMAGE, "C:\\right.exe");
	FIELD(&ev, EF_IMAGE_LOADED, NULL);
	FIELD(&ev, EF_SIGNATURE, NULL);
	event_clear(&ev);
	free(xml);
}

static void test_duplicate_data_first_wins(void **state)
{
	(void)state;
	static const char *const names[] = { "Image", "ImageLoaded", "Image", "ImageLoaded" };
	static const char *const values[] = { "C:\\first.exe", "C:\\first\\pcicl32.dll",
		"C:\\second.exe", "C:\\second\\pcicl32.dll" };
	char *xml = build(names, values, 4);
	struct event ev;
	assert_int_equal(parse(xml, &ev), 0);
	FIELD(&ev, EF_IMAGE, "C:\\first.exe");
	FIELD(&ev, EF_IMAGE_LOADED, "C:\\first\\pcicl32.dll");
	event_clear(&ev);
	free(xml);
}

static void test_system_time_variants(void **state)
{
	(void)state;
	char *xml = xstrdup(rec_v4_21);
	struct event ev;
	char *t = strstr(xml, "804638300Z");
	assert_non_null(t);
	memcpy(t, "804638399Z", 10);   /* truncated, not rounded */
	assert_int_equal(parse(xml, &ev), 0);
	assert_int_equal(ev.time, civil(2020, 10, 20, 11, 50, 51, 8046383));
	event_clear(&ev);
	free(xml);
}

static char *replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	assert_non_null(at);
	struct strbuf sb = { 0 };
	sb_append(&sb, s, (size_t)(at - s));
	sb_puts(&sb, to);
	sb_puts(&sb, at + strlen(from));
	return sb_take(&sb);
}

static void test_missing_time_created(void **state)
{
	(void)state;
	char *xml = replace(rec_v4_21,
			    "    <TimeCreated SystemTime=\"2020-10-20T11:50:51.804638300Z\"/>\n", "");
	struct event ev;
	assert_int_equal(parse(xml, &ev), 0);
	assert_true(ev.time_from_header);
	assert_int_equal(ev.time, TIME_NONE);
	FIELD(&ev, EF_IMAGE, "C:\\Windows\\System32\\mmc.exe");
	assert_int_equal(ev.record_id, 621);
	event_clear(&ev);
	free(xml);

	/* TimeCreated without SystemTime, or with a time that has no zone:
	 * no _time from the XML either. */
	xml = replace(rec_v4_21, "SystemTime=\"2020-10-20T11:50:51.804638300Z\"", "");
	assert_int_equal(parse(xml, &ev), 0);
	assert_true(ev.time_from_header);
	event_clear(&ev);
	free(xml);
	xml = replace(rec_v4_21, "2020-10-20T11:50:51.804638300Z", "2020-10-20T11:50:51.804638300");
	assert_int_equal(parse(xml, &ev), 0);
	assert_true(ev.time_from_header);
	event_clear(&ev);
	free(xml);
}

static void test_missing_security_user(void **state)
{
	(void)state;
	char *xml = replace(rec_v4_21, "<Security UserID=\"S-1-5-18\"/>", "<Security/>");
	struct event ev;
	assert_int_equal(parse(xml, &ev), 0);
	FIELD(&ev, EF_USER_ID, NULL);
	FIELD(&ev, EF_COMPUTER, "DESKTOP-NTSSLJD");
	event_clear(&ev);
	free(xml);
}

static void test_entities_decoded(void **state)
{
	(void)state;
	static const char *const names[] = { "Image", "ImageLoaded", "Signature", "Hashes",
		"OriginalFileName" };
	static const char *const values[] = {
		"C:\\A&amp;B\\&lt;x&gt;\\&quot;q&quot;\\&apos;&#x41;&#66;&#X43;.exe",
		"C:\\caf&#xE9;\\&#x1F600;\\&#233;.dll",
		"NetSupport Ltd &amp;amp;",
		"a &amp;&amp; b",
		"R&amp;D&lt;1&gt;",
	};
	char *xml = build(names, values, 5);
	struct event ev;
	assert_int_equal(parse(xml, &ev), 0);
	FIELD(&ev, EF_IMAGE, "C:\\A&B\\<x>\\\"q\"\\'ABC.exe");
	FIELD(&ev, EF_IMAGE_LOADED, "C:\\caf\xc3\xa9\\\xf0\x9f\x98\x80\\\xc3\xa9.dll");
	FIELD(&ev, EF_SIGNATURE, "NetSupport Ltd &amp;");   /* decoded once only */
	FIELD(&ev, EF_HASHES, "a && b");
	FIELD(&ev, EF_ORIGINAL_FILE_NAME, "R&D<1>");
	event_clear(&ev);
	free(xml);

	/* In attributes too. */
	char *a = replace(rec_v4_21, "<Security UserID=\"S-1-5-18\"/>",
			  "<Security UserID=\"S-1-5-&#x32;1-&amp;\"/>");
	char *b = replace(a, "<Computer>DESKTOP-NTSSLJD</Computer>",
			  "<Computer>R&amp;D&#45;PC</Computer>");
	assert_int_equal(parse(b, &ev), 0);
	FIELD(&ev, EF_USER_ID, "S-1-5-21-&");
	FIELD(&ev, EF_COMPUTER, "R&D-PC");
	event_clear(&ev);
	free(a);
	free(b);
}

static void test_entities_not_decoded(void **state)
{
	(void)state;
	/* Not entities: kept as they are, never a NUL or a cut. */
	static const char *const names[] = { "Image", "ImageLoaded", "Signature", "Hashes" };
	static const char *const values[] = { "a&b", "x&unknown;y", "&#0;z", "&#x110000;" };
	char *xml = build(names, values, 4);
	struct event ev;
	assert_int_equal(parse(xml, &ev), 0);
	FIELD(&ev, EF_IMAGE, "a&b");
	FIELD(&ev, EF_IMAGE_LOADED, "x&unknown;y");
	assert_non_null(ev.field[EF_SIGNATURE]);
	assert_true(strlen(ev.field[EF_SIGNATURE]) >= 2);   /* no NUL from &#0; */
	assert_non_null(strchr(ev.field[EF_SIGNATURE], 'z'));
	assert_non_null(ev.field[EF_HASHES]);
	event_clear(&ev);
	free(xml);
}

/* Whether s is well-formed UTF-8 (no surrogates, nothing past U+10FFFF). */
static bool valid_utf8(const unsigned char *s)
{
	while (*s) {
		unsigned c = *s, len, min;
		uint32_t v;
		if (c < 0x80) { s++; continue; }
		else if ((c & 0xe0) == 0xc0) len = 2, v = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0) len = 3, v = c & 0x0f, min = 0x800;
		else if ((c & 0xf8) == 0xf0) len = 4, v = c & 0x07, min = 0x10000;
		else return false;
		for (unsigned i = 1; i < len; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			v = v << 6 | (s[i] & 0x3f);
		}
		if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return false;
		s += len;
	}
	return true;
}

static void test_surrogate_char_ref(void **state)
{
	(void)state;
	/* XML forbids a character reference to a surrogate; it must not
	 * turn into invalid UTF-8 (CESU bytes ED A0 80) in a field. */
	static const char *const names[] = { "Image", "ImageLoaded" };
	static const char *const values[] = { "a&#xD800;b", "c&#57343;d" };
	char *xml = build(names, values, 2);
	struct event ev;
	assert_int_equal(parse(xml, &ev), 0);
	assert_non_null(ev.field[EF_IMAGE]);
	assert_non_null(ev.field[EF_IMAGE_LOADED]);
	if (!valid_utf8((const unsigned char *)ev.field[EF_IMAGE]) ||
	    !valid_utf8((const unsigned char *)ev.field[EF_IMAGE_LOADED]))
		fail_msg("a surrogate character reference became invalid UTF-8");
	event_clear(&ev);
	free(xml);
}

static void test_data_outside_event_data_ignored(void **state)
{
	(void)state;
	char *xml = replace(rec_v4_21, "  <EventData>\n",
			    "  <UserData>\n    <X><Data Name=\"Image\">C:\\wrong.exe</Data></X>\n"
			    "    <Data Name=\"Signature\">wrong</Data>\n  </UserData>\n"
			    "  <EventData>\n");
	struct event ev;
	assert_int_equal(parse(xml, &ev), 0);
	FIELD(&ev, EF_IMAGE, "C:\\Windows\\System32\\mmc.exe");
	FIELD(&ev, EF_SIGNATURE, "Microsoft Windows");
	event_clear(&ev);
	free(xml);
}

static void test_declaration_and_comment(void **state)
{
	(void)state;
	struct strbuf sb = { 0 };
	sb_puts(&sb, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- exported -->\n");
	sb_puts(&sb, rec_v4_21);
	char *xml = sb_take(&sb);
	struct event ev;
	assert_int_equal(parse(xml, &ev), 0);
	FIELD(&ev, EF_IMAGE, "C:\\Windows\\System32\\mmc.exe");
	assert_int_equal(ev.record_id, 621);
	event_clear(&ev);
	free(xml);
}

static void test_not_an_event(void **state)
{
	(void)state;
	static const char *const docs[] = {
		"", "hello", "<Foo/>", "<Foo></Foo>",
		"<?xml version=\"1.0\"?><Root><Data Name=\"Image\">x</Data></Root>",
		"<EventX><System><EventID>7</EventID></System></EventX>",
		"<event><System><EventID>7</EventID></System></event>",
		"<!-- <Event> -->",
	};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		struct event ev;
		if (parse(docs[i], &ev) != -1)
			fail_msg("[%s] taken for an Event", docs[i]);
		event_clear(&ev);
	}
}

/* parse on a heap copy of exactly the given bytes, so that ASan sees any
 * read past the NUL. */
static int parse_exact(const char *s, size_t n, struct event *ev)
{
	char *copy = xmalloc(n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	int rc = parse(copy, ev);
	free(copy);
	return rc;
}

static void test_truncation_prefixes(void **state)
{
	(void)state;
	const char *const recs[] = { rec_v4_21, rec_v4_80, rec_empty_sig };
	for (size_t r = 0; r < 3; r++) {
		struct event full;
		assert_int_equal(parse(recs[r], &full), 0);
		size_t n = strlen(recs[r]);
		for (size_t len = 0; len <= n; len++) {
			struct event ev;
			int rc = parse_exact(recs[r], len, &ev);
			if (rc != 0 && rc != -1)
				fail_msg("prefix %zu: rc %d", len, rc);
			/* Whatever a prefix yields is never a cut-off value. */
			for (int f = 0; f < EF_COUNT; f++)
				if (ev.field[f] && (!full.field[f] ||
						    strcmp(ev.field[f], full.field[f]) != 0))
					fail_msg("record %zu prefix %zu: field %d is \"%s\"",
						 r, len, f, ev.field[f]);
			event_clear(&ev);
		}
		event_clear(&full);
	}
}

/* A document and what parse_event_xml's contract makes of it: 0, an
 * Event document read; -1, refused. The outcomes are written here from
 * the contract (reader.h), not taken from a run: a tag that does not
 * read to its '>' (an unquoted or unterminated value, a bare attribute
 * name) or a closing tag that opened nothing refuses the document; one
 * whose top element is Event and whose tags all read parses, whatever
 * its values say. */
struct doc {
	const char *xml;
	int rc;
};

/* Each document gets its outcome (and, under ASan/UBSan, never a read or
 * write outside its bytes): a refused one leaves nothing filled in, and
 * only an Event document can parse. */
static void parse_each_safely(const struct doc docs[], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct event ev;
		int rc = parse_exact(docs[i].xml, strlen(docs[i].xml), &ev);
		if (rc != docs[i].rc)
			fail_msg("document %zu: rc %d, want %d: %s", i, rc, docs[i].rc,
				 docs[i].xml);
		if (rc == -1) {
			for (int f = 0; f < EF_COUNT; f++)
				if (ev.field[f])
					fail_msg("document %zu refused, field %d still \"%s\"", i, f,
						 ev.field[f]);
		} else if (!strstr(docs[i].xml, "<Event")) {
			fail_msg("document %zu parsed without an Event element: %s", i,
				 docs[i].xml);
		}
		event_clear(&ev);
	}
}

static void test_malformed_never_crashes(void **state)
{
	(void)state;
	static const struct doc docs[] = {
		/* No tag reads to its end. */
		{ "<", -1 }, { "<<<<", -1 }, { ">", -1 }, { "<Event", -1 },
		{ "<Event ", -1 }, { "<Event xmlns=", -1 }, { "<Event xmlns=\"x", -1 },
		{ "<Event xmlns=x>", -1 }, { "<Event a>", -1 },
		/* A value with no name before it is passed over, as libevtx
		 * never writes one; the tag still reads. */
		{ "<Event =\"x\">", 0 },
		{ "<Event/>", 0 }, { "<Event></Event>", 0 },
		{ "</Event>", -1 },
		/* Cut inside a tag. */
		{ "<Event><System><EventID>7", -1 },
		{ "<Event><System><Provider Name=\"Microsoft-Windows-Sysmon\"", -1 },
		{ "<Event><EventData><Data Name=\"Image\">x", -1 },
		{ "<Event><EventData><Data Name=\"Image\"", -1 },
		{ "<Event><EventData><Data Name=Image>x</Data></EventData></Event>", -1 },
		/* Tags that read, values that make no sense: parsed. */
		{ "<Event><EventData><Data>no name</Data></EventData></Event>", 0 },
		{ "<Event><EventData><Data Name=\"Image\"><b>x</b></Data></EventData></Event>",
		  0 },
		{ "<Event><System a=\"1\" b=\"2\" c=\"3\" d=\"4\" e=\"5\" f=\"6\" g=\"7\" "
		  "h=\"8\" i=\"9\" j=\"10\"/></Event>", 0 },
		{ "<Event><System><TimeCreated SystemTime=\"garbage\"/></System></Event>", 0 },
		{ "<Event><System><EventID>99999999999999999999</EventID>"
		  "<EventRecordID>-1</EventRecordID></System></Event>", 0 },
		/* libevtx never renders CDATA: "<![CDATA[" is read as a
		 * declaration up to its first '>', and what follows closes
		 * more than it opened. */
		{ "<Event><![CDATA[<EventData><Data Name=\"Image\">x</Data></EventData>]]>"
		  "</Event>", -1 },
		{ "<Event><EventData><Data Name=\"Image\">&#</Data><Data Name=\"Hashes\">&#x"
		  "</Data><Data Name=\"Signed\">&</Data><Data Name=\"Signature\">&#;</Data>"
		  "</EventData></Event>", 0 },
		{ "<Event><EventData><Data Name=\"Image\">&#xFFFFFFFFFFFFFFFFFFFF;&#-65;&# 65;"
		  "</Data></EventData></Event>", 0 },
	};
	parse_each_safely(docs, sizeof docs / sizeof docs[0]);
}

/* Unmatched closing tags before the document: the element depth goes
 * below zero, which refuses the document, never a write outside the
 * parser's own state (run under ASan/UBSan to see it). */
static void test_stray_closing_tags(void **state)
{
	(void)state;
	static const struct doc docs[] = {
		{ "</a><b>", -1 },
		{ "</a></a></a><b><Event><System/></Event>", -1 },
		{ "</x></x></x></x></x><y><z>", -1 },
		{ "<Event></System></System></System><System><EventID>7</EventID></System>"
		  "</Event>", -1 },
	};
	parse_each_safely(docs, sizeof docs / sizeof docs[0]);
}

static void test_deep_nesting(void **state)
{
	(void)state;
	struct strbuf sb = { 0 };
	sb_puts(&sb, "<Event><EventData>");
	for (int i = 0; i < 5000; i++)
		sb_puts(&sb, "<Data Name=\"Image\">");
	sb_puts(&sb, "x");
	for (int i = 0; i < 5000; i++)
		sb_puts(&sb, "</Data>");
	sb_puts(&sb, "</EventData></Event>");
	char *xml = sb_take(&sb);
	/* Every tag reads and closes what it opened: an Event document. The
	 * only Data read is the outermost, a child of EventData; its text
	 * runs to the next tag, so Image is empty, which is no value (as in
	 * Splunk): never the "x" nested below. */
	struct event ev;
	assert_int_equal(parse(xml, &ev), 0);
	FIELD(&ev, EF_IMAGE, NULL);
	event_clear(&ev);
	free(xml);
}

/* Deterministic mutations of a real record: flips, cuts, inserted
 * markup characters. Only "no crash, rc 0 or -1" is asserted. */
static void test_mutations(void **state)
{
	(void)state;
	static const char specials[] = "<>/=\"'&#;!?\0";
	size_t n = strlen(rec_v4_21);
	char *buf = xmalloc(n + 1);
	uint64_t x = 88172645463325252ULL;
	for (int iter = 0; iter < 3000; iter++) {
		memcpy(buf, rec_v4_21, n + 1);
		int edits = 1 + iter % 4;
		for (int e = 0; e < edits; e++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size_t at = (size_t)(x % n);
			buf[at] = (x >> 32) % 2 ? specials[(x >> 40) % (sizeof specials - 1)]
						: (char)(x >> 48);
		}
		struct event ev;
		int rc = parse_exact(buf, strlen(buf), &ev);
		assert_true(rc == 0 || rc == -1);
		event_clear(&ev);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema_4_21_real_record),
		cmocka_unit_test(test_schema_4_80_user_appended),
		cmocka_unit_test(test_schema_4_1_no_original_file_name),
		cmocka_unit_test(test_empty_data_self_closing_is_absent),
		cmocka_unit_test(test_empty_data_open_close_is_absent),
		cmocka_unit_test(test_schema_layouts),
		cmocka_unit_test(test_field_names_case_sensitive),
		cmocka_unit_test(test_duplicate_data_first_wins),
		cmocka_unit_test(test_system_time_variants),
		cmocka_unit_test(test_missing_time_created),
		cmocka_unit_test(test_missing_security_user),
		cmocka_unit_test(test_entities_decoded),
		cmocka_unit_test(test_entities_not_decoded),
		cmocka_unit_test(test_surrogate_char_ref),
		cmocka_unit_test(test_data_outside_event_data_ignored),
		cmocka_unit_test(test_declaration_and_comment),
		cmocka_unit_test(test_not_an_event),
		cmocka_unit_test(test_truncation_prefixes),
		cmocka_unit_test(test_malformed_never_crashes),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_mutations),
		/* Last: under ASan its bug aborts the process. */
		cmocka_unit_test(test_stray_closing_tags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
