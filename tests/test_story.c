/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests of the story (src/story): GUID text to the bytes Sysmon
 * stores, the scanner's filter (GUID values, folders inside strings,
 * case, neighbours that must not match), and stories_build's joins:
 * renamed, the parent chain and where it stops, the host check, files
 * into a folder, the Run key naming an image, the missing parents a
 * next pass must look for. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "aggregate.h"
#include "rule.h"
#include "story.h"
#include "strbuf.h"
#include "value_keys.h"
#include "want.h"

static void test_guid_parse(void **state)
{
	(void)state;
	uint8_t g[16];
	static const uint8_t want[16] = { 0x10, 0x2e, 0x1d, 0x6a, 0x2b, 0x0c, 0x9e, 0x5f,
					  0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b, 0x00 };
	assert_true(value_guid_parse("{6A1D2E10-0C2B-5F9E-0B00-000000000B00}", g));
	assert_memory_equal(g, want, 16);
	assert_true(value_guid_parse("{6a1d2e10-0c2b-5f9e-0b00-000000000b00}", g));
	assert_memory_equal(g, want, 16);
	assert_false(value_guid_parse("6A1D2E10-0C2B-5F9E-0B00-000000000B00", g));
	assert_false(value_guid_parse("{6A1D2E10-0C2B-5F9E-0B00-000000000B0}", g));
	assert_false(value_guid_parse("{6A1D2E10+0C2B-5F9E-0B00-000000000B00}", g));
	assert_false(value_guid_parse("{6A1D2E10-0C2B-5F9E-0B00-000000000BXY}", g));
	assert_false(value_guid_parse(NULL, g));
}

/* s as UTF-16LE units into buf; returns the units. */
static size_t u16(const char *s, uint8_t *buf)
{
	size_t n = 0;
	for (; *s; s++, n++) {
		buf[2 * n] = (uint8_t)*s;
		buf[2 * n + 1] = 0;
	}
	return n;
}

static void test_filter(void **state)
{
	(void)state;
	struct story_want w = { 0 };
	want_add_guid(&w, "{6A1D2E10-0C2B-5F9E-0B00-000000000B00}");
	want_add_guid(&w, "{6A1D2E10-0C2B-5F9E-0B00-000000000B00}");   /* twice: once */
	want_add_guid(&w, "not a guid");
	want_add_folder_of(&w, "C:\\ProgramData\\WinSvc\\svchelper.exe");
	want_add_folder_of(&w, "c:\\programdata\\winsvc\\other.exe");       /* same folder */
	want_add_folder_of(&w, "no folder");
	want_seal(&w);
	assert_int_equal(w.n_guids, 1);
	assert_int_equal(w.n_folders, 1);
	const struct scan_value_filter *f = &w.filter;
	uint8_t g[16];
	assert_true(value_guid_parse("{6A1D2E10-0C2B-5F9E-0B00-000000000B00}", g));
	assert_true(f->guid(f->ctx, g));
	g[15] ^= 1;
	assert_false(f->guid(f->ctx, g));

	uint8_t buf[512];
	static const struct { const char *s; bool want; } text[] = {
		{ "C:\\ProgramData\\WinSvc\\client32.ini", true },
		{ "c:\\PROGRAMDATA\\winsvc\\NSM.LIC", true },
		{ "\"C:\\ProgramData\\WinSvc\\svchelper.exe\" /silent", true },
		{ "\\??\\C:\\ProgramData\\WinSvc\\x", true },
		{ "C:\\ProgramData\\WinSvc2\\x", false },
		{ "C:\\ProgramData\\WinSv\\x", false },
		{ "D:\\ProgramData\\WinSvc\\x", false },
		{ "C:\\ProgramData\\WinSvc", false },       /* the folder, not inside it */
		{ "{6A1D2E10-0C2B-5F9E-0B00-000000000B00}", true },   /* a GUID as text */
		{ "{6A1D2E10-0C2B-5F9E-0B00-000000000B01}", false },
		{ "", false },
		{ "D:\\Temp\\x then C:\\ProgramData\\WinSvc\\y", true },   /* the second */
		{ "D:\\ProgramData\\WinSvc\\x E:\\ProgramData\\WinSvc\\y", false },
		/* a colon with no drive letter before it, or at the very end */
		{ ":\\ProgramData\\WinSvc\\x", false },
		{ "C:", false },
		{ "xC:\\", false },
		{ "::\\C:\\ProgramData\\WinSvc\\x", true },
	};
	for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
		size_t n = u16(text[i].s, buf);
		if (f->text(f->ctx, buf, n) != text[i].want)
			fail_msg("filter_text(%s) should be %d", text[i].s, text[i].want);
	}
	/* The bytes of ":\\" across two units (0x3A41 0x5C00 0x4100: "\u3a41
	 * \u5c00 \u4100", no drive letter), then a wanted path: found, and
	 * the straddling bytes taken for no drive. */
	static const uint16_t straddle[] = { 0x3A41, 0x5C00, 0x4100 };
	for (int tail = 0; tail < 2; tail++) {
		const char *rest = tail ? "C:\\ProgramData\\WinSvc\\y" : "x\\ProgramData\\WinSvc\\";
		size_t n = 0;
		for (size_t k = 0; k < 3; k++, n++)
			buf[2 * n] = (uint8_t)straddle[k], buf[2 * n + 1] = (uint8_t)(straddle[k] >> 8);
		n += u16(rest, buf + 2 * n);
		if (f->text(f->ctx, buf, n) != (tail == 1))
			fail_msg("straddling bytes, then %s: should be %d", rest, tail == 1);
	}
	want_free(&w);

	/* a folder written from a leading '\\' (\\?\C:\, \Device\, a share):
	 * found from the string's start, as story.c compares whole folders */
	struct story_want v = { 0 };
	want_add_folder_of(&v, "\\\\?\\C:\\Windows\\system32\\wbem\\WMIADAP.EXE");
	want_add_folder_of(&v, "\\Device\\HarddiskVolume3\\Tools\\nc.exe");
	want_add_folder_of(&v, "\\\\fs01\\share\\client32.exe");
	want_seal(&v);
	static const struct { const char *s; bool want; } lead[] = {
		{ "\\\\?\\C:\\Windows\\System32\\wbem\\x.mof", true },
		{ "\\Device\\HarddiskVolume3\\Tools\\out.txt", true },
		{ "\\\\FS01\\Share\\NSM.LIC", true },
		{ "\\\\fs01\\share2\\NSM.LIC", false },
		{ "\\Device\\HarddiskVolume3\\Tool\\out.txt", false },
		{ "x\\Device\\HarddiskVolume3\\Tools\\out.txt", false },
	};
	for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++) {
		size_t n = u16(lead[i].s, buf);
		if (v.filter.text(v.filter.ctx, buf, n) != lead[i].want)
			fail_msg("filter_text(%s) should be %d", lead[i].s, lead[i].want);
	}
	want_free(&v);
}

/* ---- the keys a detection keeps -------------------------------------- */

/* A random path-like string from pieces that make drive letters, the
 * other ways of writing a path, colons and separators in every order. */
static size_t random_path(unsigned *seed, char *out, size_t cap)
{
	static const char *const pieces[] = {
		"C:\\", "c:\\", "D:\\", "\\", "\\\\?\\", "\\Device\\", ":", "ProgramData",
		"programdata", "WinSvc", "x", "\"", " ", "Users", "AppData",
		"{6A1D2E10-0C2B-5F9E-0B00-000000000B00}",
	};
	size_t n = 0, k = (size_t)(rand_r(seed) % 8);
	out[0] = 0;
	for (size_t i = 0; i < k; i++) {
		const char *p = pieces[rand_r(seed) % (sizeof pieces / sizeof pieces[0])];
		if (n + strlen(p) + 1 > cap)
			break;
		memcpy(out + n, p, strlen(p) + 1);
		n += strlen(p);
	}
	return n;
}

/* Whatever the filter of a story pass takes, a log's keys say it may
 * hold: a string or a GUID it wants has a key the want meets (so a
 * story pass that skips a log by its keys skips none it would read a
 * record of). Random wants and strings; a filter that hashed otherwise
 * than the keys fails it. */
static void test_keys_hold_what_the_filter_takes(void **state)
{
	(void)state;
	unsigned seed = 7;
	size_t taken = 0;
	for (int round = 0; round < 400; round++) {
		struct story_want w = { 0 };
		char path[256];
		for (int i = 0; i < 3; i++) {
			random_path(&seed, path, sizeof path);
			want_add_folder_of(&w, path);
		}
		want_add_guid(&w, "{6A1D2E10-0C2B-5F9E-0B00-000000000B00}");
		want_seal(&w);
		for (int t = 0; t < 50; t++) {
			uint8_t buf[512];
			size_t n = random_path(&seed, path, sizeof path);
			n = u16(path, buf);
			if (!w.filter.text(w.filter.ctx, buf, n))
				continue;
			taken++;
			struct value_keys k = { 0 };
			value_string_keys(buf, n, &k);
			value_keys_seal(&k);
			if (!want_meets_keys(&w, k.v, k.n))
				fail_msg("the filter takes \"%s\", and its keys meet no want", path);
			value_keys_free(&k);
		}
		uint8_t g[16];
		assert_true(value_guid_parse("{6A1D2E10-0C2B-5F9E-0B00-000000000B00}", g));
		uint64_t key = value_key_guid(g);
		assert_true(w.filter.guid(w.filter.ctx, g));
		assert_true(want_meets_keys(&w, &key, 1));
		want_free(&w);
	}
	assert_true(taken > 100);   /* the filter took some: the test tested */
	/* and none met by keys the filter would not take */
	struct story_want w = { 0 };
	want_add_folder_of(&w, "C:\\ProgramData\\WinSvc\\svchelper.exe");
	want_seal(&w);
	uint8_t buf[128];
	size_t n = u16("C:\\ProgramData\\Other\\x", buf);
	struct value_keys k = { 0 };
	value_string_keys(buf, n, &k);
	value_keys_seal(&k);
	assert_false(want_meets_keys(&w, k.v, k.n));
	value_keys_free(&k);
	want_free(&w);
}

/* ---- stories_build ---------------------------------------------------- */

struct ev_spec {
	uint32_t id;
	const char *computer, *guid, *image, *parent, *parent_image, *ofn, *target, *details;
	uint64_t record;
	int64_t time;
};

static void add_event(struct findings *f, const struct ev_spec *s)
{
	struct event ev = { 0 };
	ev.field[EF_PROVIDER] = xstrdup("Microsoft-Windows-Sysmon");
	ev.field[EF_COMPUTER] = xstrdup(s->computer ? s->computer : "WS07");
#define SET(f, v) if (v) ev.field[f] = xstrdup(v)
	SET(EF_PROCESS_GUID, s->guid);
	SET(EF_IMAGE, s->image);
	SET(EF_PARENT_PROCESS_GUID, s->parent);
	SET(EF_PARENT_IMAGE, s->parent_image);
	SET(EF_ORIGINAL_FILE_NAME, s->ofn);
	SET(EF_TARGET_FILENAME, s->target);
	SET(EF_DETAILS, s->details);
#undef SET
	if (s->id == 7)
		ev.field[EF_IMAGE_LOADED] = xstrdup("C:\\ProgramData\\WinSvc\\PCICL32.DLL");
	ev.event_id = s->id;
	ev.record_id = s->record;
	ev.time = s->time;
	findings_add(f, &ev);
}

#define G(n) "{00000000-0000-0000-0000-00000000000" #n "}"
#define IMG "C:\\ProgramData\\WinSvc\\svchelper.exe"

/* One flagged process (G(9)) with a chain 9 <- 8 <- ... <- 1 (8 levels). */
static void build(struct stories *st, struct findings *found, bool with_chain)
{
	memset(st, 0, sizeof *st);
	memset(found, 0, sizeof *found);
	add_event(found, &(struct ev_spec){ .id = 7, .guid = G(9), .image = IMG, .record = 100,
					    .time = 1000 });
	findings_group(found);
	static const struct ev_spec story[] = {
		{ .id = 1, .guid = G(9), .image = IMG, .parent = G(8), .parent_image = "p8.exe",
		  .ofn = "client32.exe", .record = 50, .time = 900 },
		{ .id = 11, .guid = G(5), .image = "C:\\Windows\\wscript.exe",
		  .target = "C:\\ProgramData\\WinSvc\\client32.ini", .record = 51, .time = 800 },
		{ .id = 11, .guid = G(5), .image = "C:\\Windows\\wscript.exe",
		  .target = "C:\\ProgramData\\WinSvc2\\other.ini", .record = 52, .time = 801 },
		{ .id = 13, .guid = G(5), .image = "C:\\Windows\\reg.exe",
		  .details = "\"c:\\programdata\\winsvc\\SVCHELPER.EXE\" /s", .record = 53, .time = 802 },
		{ .id = 13, .guid = G(5), .image = "C:\\Windows\\reg.exe",
		  .details = "C:\\ProgramData\\WinSvc\\other.exe", .record = 54, .time = 803 },
		{ .id = 3, .guid = G(9), .computer = "OTHERHOST", .record = 55, .time = 950 },
		{ .id = 5, .guid = G(9), .image = IMG, .record = 56, .time = 2000 },
	};
	for (size_t i = 0; i < sizeof story / sizeof story[0]; i++)
		add_event(&st->store, &story[i]);
	for (int k = 8; with_chain && k >= 2; k--) {
		char guid[64], parent[64], image[32];
		snprintf(guid, sizeof guid, "{00000000-0000-0000-0000-00000000000%d}", k);
		snprintf(parent, sizeof parent, "{00000000-0000-0000-0000-00000000000%d}", k - 1);
		snprintf(image, sizeof image, "p%d.exe", k);
		add_event(&st->store, &(struct ev_spec){ .id = 1, .guid = guid, .image = image,
							 .parent = parent, .record = (uint64_t)k,
							 .time = 100 * k });
	}
	findings_dedupe(&st->store);
	st->enabled = true;
	stories_build(st, found);
}

static void test_story_joins(void **state)
{
	(void)state;
	struct stories st;
	struct findings f;
	build(&st, &f, true);
	assert_int_equal(st.n, 1);
	const struct story *s = stories_of_row(&st, 0);
	assert_non_null(s);
	assert_int_equal(s->renamed, 1);
	assert_int_not_equal(s->create, STORY_NONE);
	assert_int_not_equal(s->terminated, STORY_NONE);
	/* the connection logged by another host is not its */
	assert_int_equal(s->n_net, 0);
	/* five levels, and more beyond them */
	assert_int_equal(s->n_parents, STORY_PARENTS);
	assert_string_equal(s->parent[0].image, "p8.exe");
	assert_string_equal(s->parent[4].image, "p4.exe");
	assert_true(s->parents_more);
	/* into its folder, not its neighbour's */
	assert_int_equal(s->n_files, 1);
	assert_string_equal(st.store.events[s->files[0].event].field[EF_TARGET_FILENAME],
			    "C:\\ProgramData\\WinSvc\\client32.ini");
	assert_int_equal(s->files[0].why, WHY_INTO_FOLDER);
	/* the value naming its image, in other case; not one naming another file */
	assert_int_equal(s->n_registry, 1);
	assert_int_equal(s->registry[0].why, WHY_NAMES_IMAGE);
	stories_free(&st);
	findings_free(&f);
}

static void test_missing_parents(void **state)
{
	(void)state;
	struct stories st;
	struct findings f;
	build(&st, &f, false);
	const struct story *s = &st.v[0];
	assert_int_equal(s->n_parents, 1);
	assert_int_equal(s->parent[0].create, STORY_NONE);
	struct story_want searched = { 0 }, want = { 0 };
	char **hosts = NULL;
	size_t n_hosts = 0;
	assert_int_equal(stories_missing_parents(&st, &searched, &want, &hosts, &n_hosts), 1);
	assert_int_equal(n_hosts, 1);
	assert_string_equal(hosts[0], "WS07");
	free(hosts[0]);
	free(hosts);
	assert_true(want_has_guid_text(&want, G(8)));
	/* searched once: not asked again */
	want_add_guids(&searched, &want);
	struct story_want again = { 0 };
	assert_int_equal(stories_missing_parents(&st, &searched, &again, NULL, NULL), 0);
	want_free(&searched);
	want_free(&want);
	want_free(&again);
	stories_free(&st);
	findings_free(&f);
}

/* How an event can belong to the story of G(9) (IMG, its parent G(8)),
 * and which of its values the scanner must ask for it to be read. */
static const struct relation {
	const char *name;
	struct ev_spec ev;
	unsigned needs;
} relations[] = {
	{ "its own", { .guid = G(9), .image = IMG }, SCAN_VALUES_GUID },
	{ "its child's", { .guid = G(6), .image = "C:\\Windows\\cmd.exe", .parent = G(9) },
	  SCAN_VALUES_GUID },
	{ "its parent's", { .guid = G(8), .image = "p8.exe" }, SCAN_VALUES_GUID },
	{ "into its folder", { .guid = G(5), .image = "C:\\Windows\\wscript.exe",
	  .target = "C:\\ProgramData\\WinSvc\\client32.ini" }, SCAN_VALUES_TEXT },
	{ "by a process in its folder", { .guid = G(5),
	  .image = "C:\\ProgramData\\WinSvc\\other.exe", .target = "C:\\Temp\\x" },
	  SCAN_VALUES_TEXT },
	{ "naming its image", { .guid = G(5), .image = "C:\\Windows\\reg.exe",
	  .details = "\"C:\\ProgramData\\WinSvc\\svchelper.exe\" /s" }, SCAN_VALUES_TEXT },
};

/* Whether stories_build tells an event of Event ID id related as rel
 * to the story of G(9) (whose creation names G(8) its parent). */
static bool story_tells(uint32_t id, const struct relation *rel)
{
	struct stories st;
	struct findings found;
	memset(&st, 0, sizeof st);
	memset(&found, 0, sizeof found);
	add_event(&found, &(struct ev_spec){ .id = 7, .guid = G(9), .image = IMG, .record = 100,
					     .time = 1000 });
	findings_group(&found);
	add_event(&st.store, &(struct ev_spec){ .id = 1, .guid = G(9), .image = IMG,
						.parent = G(8), .record = 50, .time = 900 });
	struct ev_spec e = rel->ev;
	e.id = id;
	e.record = 60;
	e.time = 950;
	add_event(&st.store, &e);
	findings_dedupe(&st.store);
	st.enabled = true;
	stories_build(&st, &found);
	bool told = st.n == 1 && st.v[0].n_events > 1;   /* more than the creation */
	stories_free(&st);
	findings_free(&found);
	return told;
}

/* The scanner asks of a record only the values its Event ID can join a
 * story by (the filter's of_event): for every Event ID the story pass
 * reads and every way stories_build (not the filter) joins an event of
 * it to a story, the filter must ask the values that way needs. */
static void test_filter_asks_what_stories_join_by(void **state)
{
	(void)state;
	struct story_want w = { 0 };
	want_add_guid(&w, G(9));
	want_add_folder_of(&w, IMG);
	want_seal(&w);
	const struct scan_value_filter *f = &w.filter;
	assert_non_null(f->of_event);
	size_t joined[sizeof relations / sizeof relations[0]] = { 0 };
	for (uint32_t id = 0; id < 64; id++) {
		if (!story_event_id(id))
			continue;
		unsigned asks = f->of_event(f->ctx, (int32_t)id);
		for (size_t r = 0; r < sizeof relations / sizeof relations[0]; r++) {
			if (!story_tells(id, &relations[r]))
				continue;
			joined[r]++;
			if (!(asks & relations[r].needs))
				fail_msg("Event ID %u joins a story as %s, and the filter does "
					 "not ask for it (%#x)", id, relations[r].name, asks);
		}
	}
	/* each way is taken by some Event ID (else the test tests nothing) */
	for (size_t r = 0; r < sizeof relations / sizeof relations[0]; r++)
		if (!joined[r])
			fail_msg("no Event ID joins a story as %s", relations[r].name);
	/* not told: every value asked; a parents' pass: creations only */
	assert_int_equal(f->of_event(f->ctx, -1), SCAN_VALUES_ALL);
	want_free(&w);
	want_add_guid(&w, G(8));
	w.creations_only = true;
	want_seal(&w);
	assert_int_equal(f->of_event(f->ctx, 1) & SCAN_VALUES_GUID, SCAN_VALUES_GUID);
	assert_int_equal(f->of_event(f->ctx, 3), 0);
	assert_int_equal(f->of_event(f->ctx, -1), SCAN_VALUES_ALL);
	want_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guid_parse),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_filter_asks_what_stories_join_by),
		cmocka_unit_test(test_keys_hold_what_the_filter_takes),
		cmocka_unit_test(test_story_joins),
		cmocka_unit_test(test_missing_parents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
