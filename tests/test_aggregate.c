/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests of aggregate.c: de-duplication by (Computer, EventRecordID,
 * SystemTime), grouping by the 18 by-fields as Splunk's stats does, and
 * the byte-wise row order of docs/detection.md. Leaks are LeakSanitizer's
 * to find (build with -fsanitize=address). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "aggregate.h"
#include "locator.h"
#include "event.h"
#include "rule.h"
#include "strbuf.h"

struct spec {
	const char *computer, *image, *loaded;
	uint64_t record;
	int64_t time;
	uint32_t input;
	bool recovered;
	uint64_t offset;
};

static void make(struct event *ev, const struct spec *s)
{
	memset(ev, 0, sizeof *ev);
	ev->field[EF_PROVIDER] = xstrdup("Microsoft-Windows-Sysmon");
	if (s->computer)
		ev->field[EF_COMPUTER] = xstrdup(s->computer);
	if (s->image)
		ev->field[EF_IMAGE] = xstrdup(s->image);
	ev->field[EF_IMAGE_LOADED] = xstrdup(s->loaded ? s->loaded : "C:\\nsm\\PCICL32.DLL");
	ev->field[EF_SIGNATURE] = xstrdup("NetSupport Ltd");
	ev->field[EF_USER_ID] = xstrdup("S-1-5-18");
	ev->event_id = 7;
	ev->record_id = s->record;
	ev->time = s->time;
	ev->input = s->input;
	ev->recovered = s->recovered;
	ev->offset = s->offset;
}

static void add(struct findings *f, const struct spec *s)
{
	struct event ev;
	make(&ev, s);
	findings_add(f, &ev);
	/* findings_add takes the strings and zeroes the event. */
	for (int i = 0; i < EF_COUNT; i++)
		assert_null(ev.field[i]);
}

static void add_all(struct findings *f, const struct spec *s, size_t n)
{
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < n; i++)
		add(f, &s[i]);
	findings_group(f);
}

#define IMG "C:\\Users\\Public\\client32.exe"

/* The same event in a carved chunk, in a snapshot, in slack and in the
 * live log: the live copy is the one kept, whatever the input order,
 * and every copy is listed best first. */
static void test_copies_ranked_by_origin(void **state)
{
	(void)state;
	const struct spec s[] = {
		{ "WS01", IMG, NULL, 100, 5000, 0, false, 8192 },
		{ "WS01", IMG, NULL, 100, 5000, 1, false, 4608 },
		{ "WS01", IMG, NULL, 100, 5000, 2, true, 70000 },
		{ "WS01", IMG, NULL, 100, 5000, 3, false, 4096 },
	};
	const uint8_t origin[] = { ORIGIN_CARVED, ORIGIN_SNAPSHOT, ORIGIN_SLACK, ORIGIN_LIVE };
	struct findings f;
	for (size_t n = 4; n >= 3; n--) {
		memset(&f, 0, sizeof f);
		for (size_t i = 0; i < n; i++) {
			struct event ev;
			make(&ev, &s[i]);
			ev.origin = origin[i];
			findings_add(&f, &ev);
		}
		findings_group(&f);
		assert_int_equal(f.n_events, 1);
		assert_int_equal(f.sources[0].n_copies, n);
		assert_int_equal(f.duplicates, n - 1);
		if (n == 4) {
			assert_int_equal(f.events[0].input, 3);
			assert_int_equal(f.events[0].origin, ORIGIN_LIVE);
			const uint8_t want[] = { ORIGIN_LIVE, ORIGIN_SNAPSHOT, ORIGIN_SLACK,
						 ORIGIN_CARVED };
			for (size_t i = 0; i < 4; i++)
				assert_int_equal(f.sources[0].copies[i].origin, want[i]);
			assert_int_equal(f.sources[0].copies[1].offset, 4608);
		} else {
			/* No live copy: the snapshot's is kept over slack and carved. */
			assert_int_equal(f.events[0].input, 1);
			assert_int_equal(f.events[0].origin, ORIGIN_SNAPSHOT);
		}
		findings_free(&f);
	}
}

static void test_same_event_two_inputs(void **state)
{
	(void)state;
	const struct spec s[] = {
		{ "WS01", IMG, NULL, 100, 5000, 1, false, 4096 },
		{ "WS01", IMG, NULL, 100, 5000, 0, false, 4096 },
	};
	struct findings f;
	add_all(&f, s, 2);
	assert_int_equal(f.n_events, 1);
	assert_int_equal(f.duplicates, 1);
	assert_int_equal(f.n_rows, 1);
	assert_int_equal(f.rows[0].count, 1);
	assert_int_equal(f.rows[0].first, 5000);
	assert_int_equal(f.rows[0].last, 5000);
	assert_int_equal(f.rows[0].n_inputs, 2);
	assert_int_equal(f.rows[0].inputs[0], 0);
	assert_int_equal(f.rows[0].inputs[1], 1);
	assert_non_null(f.sources);
	assert_int_equal(f.sources[0].n, 2);
	assert_int_equal(f.sources[0].inputs[0], 0);
	assert_int_equal(f.sources[0].inputs[1], 1);
	/* Copies alike: the one from the lowest input is kept. */
	assert_int_equal(f.events[0].input, 0);
	findings_free(&f);
}

static void test_three_copies_listed_once_each(void **state)
{
	(void)state;
	const struct spec s[] = {
		{ "WS01", IMG, NULL, 7, 9, 2, false, 100 },
		{ "WS01", IMG, NULL, 7, 9, 0, false, 100 },
		{ "WS01", IMG, NULL, 7, 9, 2, true, 900 },   /* slack of input 2 */
		{ "WS01", IMG, NULL, 7, 9, 1, false, 100 },
	};
	struct findings f;
	add_all(&f, s, 4);
	assert_int_equal(f.n_events, 1);
	assert_int_equal(f.duplicates, 3);
	assert_int_equal(f.rows[0].count, 1);
	assert_int_equal(f.sources[0].n, 3);
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(f.sources[0].inputs[i], i);
	assert_int_equal(f.rows[0].n_inputs, 3);
	findings_free(&f);
}

static void test_identity_parts(void **state)
{
	(void)state;
	/* Each differs from the first in one part of the identity. */
	const struct spec s[] = {
		{ "WS01", IMG, NULL, 100, 5000, 0, false, 0 },
		{ "WS01", IMG, NULL, 101, 5000, 0, false, 0 },   /* record */
		{ "WS01", IMG, NULL, 100, 5001, 0, false, 0 },   /* time */
		{ "WS02", IMG, NULL, 100, 5000, 0, false, 0 },   /* computer */
		{ "ws01", IMG, NULL, 100, 5000, 0, false, 0 },   /* computer case */
	};
	struct findings f;
	add_all(&f, s, 5);
	assert_int_equal(f.n_events, 5);
	assert_int_equal(f.duplicates, 0);
	uint64_t total = 0;
	for (size_t i = 0; i < f.n_rows; i++)
		total += f.rows[i].count;
	assert_int_equal(total, 5);
	/* dest differs for three of them: WS01 (3 events), WS02, ws01. */
	assert_int_equal(f.n_rows, 3);
	findings_free(&f);
}

static void test_allocated_preferred_over_recovered(void **state)
{
	(void)state;
	/* The recovered copy comes first, from the lower input. */
	const struct spec s[] = {
		{ "WS01", IMG, NULL, 100, 5000, 0, true, 70000 },
		{ "WS01", IMG, NULL, 100, 5000, 3, false, 4096 },
	};
	struct findings f;
	add_all(&f, s, 2);
	assert_int_equal(f.n_events, 1);
	assert_false(f.events[0].recovered);
	assert_int_equal(f.events[0].input, 3);
	assert_int_equal(f.events[0].offset, 4096);
	assert_int_equal(f.rows[0].recovered, 0);
	assert_int_equal(f.rows[0].count, 1);
	assert_int_equal(f.sources[0].n, 2);
	assert_int_equal(f.sources[0].inputs[0], 0);
	assert_int_equal(f.sources[0].inputs[1], 3);
	findings_free(&f);

	/* Only ever seen recovered: counted as such. */
	const struct spec r[] = {
		{ "WS01", IMG, NULL, 100, 5000, 0, true, 70000 },
		{ "WS01", IMG, NULL, 100, 5000, 1, true, 80000 },
		{ "WS01", IMG, NULL, 101, 6000, 0, false, 8192 },
	};
	add_all(&f, r, 3);
	assert_int_equal(f.n_rows, 1);
	assert_int_equal(f.rows[0].count, 2);
	assert_int_equal(f.rows[0].recovered, 1);
	findings_free(&f);
}

static void test_grouping_count_first_last(void **state)
{
	(void)state;
	const struct spec s[] = {
		{ "WS01", IMG, NULL, 3, 3000, 0, false, 0 },
		{ "WS01", IMG, NULL, 1, 9000, 0, false, 0 },
		{ "WS01", IMG, NULL, 2, 1000, 0, true, 0 },
		{ "WS01", IMG, NULL, 4, 5000, 1, false, 0 },
		{ "WS01", "C:\\other.exe", NULL, 5, 2000, 0, false, 0 },
	};
	struct findings f;
	add_all(&f, s, 5);
	assert_int_equal(f.n_rows, 2);
	/* "C:\Users..." > "C:\other..."? 'U' (0x55) < 'o' (0x6f): IMG first. */
	struct finding *a = &f.rows[0], *b = &f.rows[1];
	assert_string_equal(a->key[BF_IMAGE], IMG);
	assert_int_equal(a->count, 4);
	assert_int_equal(a->first, 1000);
	assert_int_equal(a->last, 9000);
	assert_int_equal(a->recovered, 1);
	assert_int_equal(a->n_events, 4);
	assert_int_equal(a->n_inputs, 2);
	for (size_t j = 1; j < a->n_events; j++)
		assert_true(f.events[a->events[j - 1]].time <= f.events[a->events[j]].time);
	assert_string_equal(b->key[BF_IMAGE], "C:\\other.exe");
	assert_int_equal(b->count, 1);
	assert_int_equal(b->first, 2000);
	assert_int_equal(b->last, 2000);
	assert_int_equal(b->n_inputs, 1);
	assert_int_equal(b->inputs[0], 0);
	findings_free(&f);
}

/* Each row is rated once, as it is made: the risk score and message of
 * the detection's RBA (docs/detection.md: score 30, "The following module
 * $ImageLoaded$ was loaded by a non-standard application on endpoint
 * $dest$"), and whether its module is one of the two --extended-modules
 * adds, which Splunk's search does not list. */
static void test_rows_rated(void **state)
{
	(void)state;
	const struct spec s[] = {
		{ "WS01", IMG, "C:\\nsm\\PCICL32.DLL", 1, 1000, 0, false, 0 },
		{ "WS02", IMG, "C:\\nsm\\IPCTL32.DLL", 2, 2000, 0, false, 0 },
	};
	struct findings f;
	add_all(&f, s, 2);
	assert_int_equal(f.n_rows, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct finding *r = &f.rows[i];
		bool ipctl = strcmp(r->key[BF_DEST], "WS02") == 0;
		char want[256];
		snprintf(want, sizeof want, "The following module C:\\nsm\\%s was loaded by a "
			 "non-standard application on endpoint %s", ipctl ? "IPCTL32.DLL" :
			 "PCICL32.DLL", r->key[BF_DEST]);
		assert_int_equal(r->rated.risk_score, 30);
		assert_string_equal(r->rated.risk_message, want);
		assert_int_equal(r->rated.outside_search, ipctl);
	}
	findings_free(&f);
}

static void test_grouping_by_every_field(void **state)
{
	(void)state;
	/* One event per by-field it changes, plus a base: all distinct rows. */
	struct findings f;
	memset(&f, 0, sizeof f);
	const struct spec base = { "WS01", IMG, NULL, 1, 1, 0, false, 0 };
	struct event ev;
	make(&ev, &base);
	findings_add(&f, &ev);
	enum event_field vary[] = { EF_COMPUTER, EF_USER_ID, EF_IMAGE, EF_IMAGE_LOADED,
		EF_ORIGINAL_FILE_NAME, EF_PROCESS_GUID, EF_PROCESS_ID, EF_HASHES,
		EF_SIGNED, EF_SIGNATURE_STATUS };
	size_t nv = sizeof vary / sizeof vary[0];
	for (size_t i = 0; i < nv; i++) {
		struct spec s = base;
		s.record = 10 + i;
		make(&ev, &s);
		free(ev.field[vary[i]]);
		ev.field[vary[i]] = xstrdup("C:\\changed\\pcicl32.dll");
		findings_add(&f, &ev);
	}
	/* The signer is not a by-field (signature is the constant
	 * "Image loaded"): a different signer joins the base row. */
	struct spec s = base;
	s.record = 99;
	make(&ev, &s);
	free(ev.field[EF_SIGNATURE]);
	ev.field[EF_SIGNATURE] = xstrdup("NetSupport Ltd.");
	findings_add(&f, &ev);
	findings_group(&f);
	assert_int_equal(f.n_rows, nv + 1);
	size_t twos = 0;
	for (size_t i = 0; i < f.n_rows; i++)
		twos += f.rows[i].count == 2;
	assert_int_equal(twos, 1);
	findings_free(&f);
}

static void test_guid_case_groups_together(void **state)
{
	(void)state;
	/* process_guid is lower-cased, so two renderings are one row. */
	struct findings f;
	memset(&f, 0, sizeof f);
	const char *guids[] = { "{23F38D93-CEB4-5F8E-9F08-000000000C00}",
				"{23f38d93-ceb4-5f8e-9f08-000000000c00}" };
	for (int i = 0; i < 2; i++) {
		struct spec s = { "WS01", IMG, NULL, (uint64_t)i + 1, i, 0, false, 0 };
		struct event ev;
		make(&ev, &s);
		ev.field[EF_PROCESS_GUID] = xstrdup(guids[i]);
		findings_add(&f, &ev);
	}
	findings_group(&f);
	assert_int_equal(f.n_rows, 1);
	assert_int_equal(f.rows[0].count, 2);
	assert_string_equal(f.rows[0].key[BF_PROCESS_GUID], guids[1]);
	findings_free(&f);
}

static int cmp_keys(char *const a[BF_COUNT], char *const b[BF_COUNT])
{
	for (int i = 0; i < BF_COUNT; i++) {
		int c = strcmp(a[i], b[i]);
		if (c)
			return c;
	}
	return 0;
}

static void test_rows_sorted_bytewise(void **state)
{
	(void)state;
	const struct spec s[] = {
		{ "WS01", "C:\\b.exe", NULL, 1, 1, 0, false, 0 },
		{ "WS01", "c:\\a.exe", NULL, 2, 1, 0, false, 0 },
		{ "WS01", "C:\\\xc3\xa9.exe", NULL, 3, 1, 0, false, 0 },
		{ "WS01", "C:\\a.exe", NULL, 4, 1, 0, false, 0 },
		{ "WS01", "C:\\B.exe", NULL, 5, 1, 0, false, 0 },
		{ "WS01", "C:\\z.exe", NULL, 6, 1, 0, false, 0 },
		{ "WS01", NULL, NULL, 7, 1, 0, false, 0 },             /* fillnull "0" */
		/* Same Image: ImageLoaded decides, then dest. */
		{ "WS02", "C:\\a.exe", "C:\\x\\TCCTL32.DLL", 8, 1, 0, false, 0 },
		{ "WS01", "C:\\a.exe", "C:\\x\\TCCTL32.DLL", 9, 1, 0, false, 0 },
		{ "WS01", "C:\\a.exe", "C:\\x\\HTCTL32.DLL", 10, 1, 0, false, 0 },
	};
	struct findings f;
	add_all(&f, s, sizeof s / sizeof s[0]);
	assert_int_equal(f.n_rows, 10);
	static const char *const want[][3] = {
		{ "0", "C:\\nsm\\PCICL32.DLL", "WS01" },
		{ "C:\\B.exe", "C:\\nsm\\PCICL32.DLL", "WS01" },
		{ "C:\\a.exe", "C:\\nsm\\PCICL32.DLL", "WS01" },
		{ "C:\\a.exe", "C:\\x\\HTCTL32.DLL", "WS01" },
		{ "C:\\a.exe", "C:\\x\\TCCTL32.DLL", "WS01" },
		{ "C:\\a.exe", "C:\\x\\TCCTL32.DLL", "WS02" },
		{ "C:\\b.exe", "C:\\nsm\\PCICL32.DLL", "WS01" },
		{ "C:\\z.exe", "C:\\nsm\\PCICL32.DLL", "WS01" },
		{ "C:\\\xc3\xa9.exe", "C:\\nsm\\PCICL32.DLL", "WS01" },  /* 0xc3 > 'z' */
		{ "c:\\a.exe", "C:\\nsm\\PCICL32.DLL", "WS01" },
	};
	for (size_t i = 0; i < f.n_rows; i++) {
		if (strcmp(f.rows[i].key[BF_IMAGE], want[i][0]) != 0 ||
		    strcmp(f.rows[i].key[BF_IMAGE_LOADED], want[i][1]) != 0 ||
		    strcmp(f.rows[i].key[BF_DEST], want[i][2]) != 0)
			fail_msg("row %zu is (%s, %s, %s), want (%s, %s, %s)", i,
				 f.rows[i].key[BF_IMAGE], f.rows[i].key[BF_IMAGE_LOADED],
				 f.rows[i].key[BF_DEST], want[i][0], want[i][1], want[i][2]);
		if (i > 0)
			assert_true(cmp_keys(f.rows[i - 1].key, f.rows[i].key) < 0);
	}
	findings_free(&f);
}

/* Fields that are each other's prefixes, in every combination of three
 * fields: rows in the order strcmp gives field by field (cmp_keys),
 * one row per distinct tuple, each event in the row of its tuple. */
static void test_rows_sorted_prefixes(void **state)
{
	(void)state;
	static const char *const images[] = { "C:\\a", "C:\\a.exe", "C:\\a\\b.exe", "C:\\", "C:\\a\x01" };
	static const char *const dlls[] = { "C:\\x\\PCICL32.DLL", "C:\\x\\PCICL32.DLLx", "C:\\\\PCICL32.DLL" };
	static const char *const hosts[] = { "WS", "WS0", "WS\x7f" };
	struct spec s[5 * 3 * 3 * 2];
	size_t n = 0;
	for (int copy = 0; copy < 2; copy++)   /* each tuple twice: one row */
		for (size_t h = 0; h < 3; h++)
			for (size_t d = 0; d < 3; d++)
				for (size_t i = 0; i < 5; i++, n++)
					s[n] = (struct spec){ hosts[h], images[i], dlls[d], 100 + n, 1, 0,
							      false, 0 };
	struct findings f;
	add_all(&f, s, n);
	assert_int_equal(f.n_rows, 5 * 3 * 3);
	for (size_t r = 0; r < f.n_rows; r++) {
		if (r > 0 && cmp_keys(f.rows[r - 1].key, f.rows[r].key) >= 0)
			fail_msg("row %zu (%s, %s, %s) is not after row %zu", r, f.rows[r].key[BF_IMAGE],
				 f.rows[r].key[BF_IMAGE_LOADED], f.rows[r].key[BF_DEST], r - 1);
		assert_int_equal(f.rows[r].count, 2);
		for (size_t j = 0; j < f.rows[r].n_events; j++) {
			const struct event *e = &f.events[f.rows[r].events[j]];
			assert_string_equal(e->field[EF_IMAGE], f.rows[r].key[BF_IMAGE]);
			assert_string_equal(e->field[EF_IMAGE_LOADED], f.rows[r].key[BF_IMAGE_LOADED]);
			assert_string_equal(e->field[EF_COMPUTER], f.rows[r].key[BF_DEST]);
		}
	}
	findings_free(&f);
}

/* A text picture of the whole result, to compare runs. */
static char *dump(const struct findings *f)
{
	struct strbuf sb = { 0 };
	sb_printf(&sb, "events=%zu dup=%llu rows=%zu\n", f->n_events,
		  (unsigned long long)f->duplicates, f->n_rows);
	for (size_t i = 0; i < f->n_rows; i++) {
		const struct finding *r = &f->rows[i];
		for (int k = 0; k < BF_COUNT; k++)
			sb_printf(&sb, "%s|", r->key[k]);
		sb_printf(&sb, " count=%llu rec=%llu first=%lld last=%lld inputs=",
			  (unsigned long long)r->count, (unsigned long long)r->recovered,
			  (long long)r->first, (long long)r->last);
		for (size_t j = 0; j < r->n_inputs; j++)
			sb_printf(&sb, "%u,", r->inputs[j]);
		sb_puts(&sb, " events=");
		for (size_t j = 0; j < r->n_events; j++) {
			const struct event *e = &f->events[r->events[j]];
			sb_printf(&sb, "[%zu %s/%llu/%lld in%u rec%d off%llu src=", r->events[j],
				  e->field[EF_COMPUTER] ? e->field[EF_COMPUTER] : "-",
				  (unsigned long long)e->record_id, (long long)e->time,
				  e->input, e->recovered, (unsigned long long)e->offset);
			const struct event_sources *src = &f->sources[r->events[j]];
			for (size_t k = 0; k < src->n; k++)
				sb_printf(&sb, "%u,", src->inputs[k]);
			sb_puts(&sb, "]");
		}
		sb_puts(&sb, "\n");
	}
	return sb_take(&sb);
}

static void test_insertion_order_irrelevant(void **state)
{
	(void)state;
	/* Rows over 3 computers and 2 images, each event seen in 1-3
	 * inputs, some copies recovered. */
	struct spec all[200];
	size_t n = 0;
	const char *computers[] = { "WS01", "WS02", "SRV" };
	const char *images[] = { IMG, "D:\\nsm\\client32.exe" };
	for (int e = 0; e < 40; e++) {
		struct spec s = { computers[e % 3], images[(e / 3) % 2], NULL,
				  (uint64_t)(1000 + e % 17), (int64_t)(50000 + 7 * (e % 11)),
				  0, false, (uint64_t)e * 512 };
		int copies = 1 + e % 3;
		for (int c = 0; c < copies; c++) {
			s.input = (uint32_t)((e + c) % 4);
			s.recovered = (e + c) % 5 == 0;
			s.offset = (uint64_t)e * 512 + (uint64_t)c;
			all[n++] = s;
		}
	}
	struct findings f;
	add_all(&f, all, n);
	char *want = dump(&f);
	assert_true(f.duplicates > 0);
	assert_true(f.n_rows > 1);
	findings_free(&f);

	uint64_t x = 0x243f6a8885a308d3ULL;
	for (int round = 0; round < 25; round++) {
		struct spec sh[200];
		memcpy(sh, all, n * sizeof *all);
		if (round == 0) {
			for (size_t i = 0; i < n / 2; i++) {   /* reversed */
				struct spec t = sh[i];
				sh[i] = sh[n - 1 - i];
				sh[n - 1 - i] = t;
			}
		} else {
			for (size_t i = n - 1; i > 0; i--) {   /* Fisher-Yates */
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				size_t j = (size_t)(x % (i + 1));
				struct spec t = sh[i];
				sh[i] = sh[j];
				sh[j] = t;
			}
		}
		add_all(&f, sh, n);
		char *got = dump(&f);
		if (strcmp(got, want) != 0)
			fail_msg("round %d differs:\n%s\nvs\n%s", round, got, want);
		free(got);
		findings_free(&f);
	}
	free(want);
}

static void test_events_in_row_order(void **state)
{
	(void)state;
	const struct spec s[] = {
		{ "WS02", IMG, NULL, 1, 40, 0, false, 0 },
		{ "WS01", IMG, NULL, 2, 30, 0, false, 0 },
		{ "WS02", IMG, NULL, 3, 20, 0, false, 0 },
		{ "WS01", IMG, NULL, 4, 10, 0, false, 0 },
		{ "WS01", IMG, NULL, 4, 10, 1, false, 0 },   /* duplicate */
	};
	struct findings f;
	add_all(&f, s, 5);
	assert_int_equal(f.n_events, 4);
	assert_int_equal(f.n_rows, 2);
	/* Row i's events, concatenated, are exactly 0..n_events-1. */
	size_t next = 0;
	for (size_t i = 0; i < f.n_rows; i++) {
		for (size_t j = 0; j < f.rows[i].n_events; j++) {
			assert_int_equal(f.rows[i].events[j], next);
			/* Each event derives its row's key. */
			char *key[BF_COUNT];
			rule_derive(&f.events[next], key);
			assert_int_equal(cmp_keys(key, f.rows[i].key), 0);
			for (int k = 0; k < BF_COUNT; k++)
				free(key[k]);
			next++;
		}
	}
	assert_int_equal(next, f.n_events);
	assert_string_equal(f.rows[0].key[BF_DEST], "WS01");
	assert_int_equal(f.events[0].time, 10);
	assert_int_equal(f.events[1].time, 30);
	findings_free(&f);
}

/* No matching event at all: the most common scan. */
static void test_empty(void **state)
{
	(void)state;
	struct findings f;
	memset(&f, 0, sizeof f);
	findings_group(&f);
	assert_int_equal(f.n_rows, 0);
	assert_int_equal(f.n_events, 0);
	assert_int_equal(f.duplicates, 0);
	findings_free(&f);
	assert_null(f.rows);
	assert_null(f.events);
}

static void test_findings_free_releases_all(void **state)
{
	(void)state;
	struct findings f;
	memset(&f, 0, sizeof f);

	/* Added but never grouped: free must still release every string. */
	const struct spec s = { "WS01", IMG, NULL, 1, 1, 0, false, 0 };
	for (int i = 0; i < 100; i++)
		add(&f, &s);
	assert_int_equal(f.n_events, 100);
	findings_free(&f);
	assert_int_equal(f.n_events, 0);
	assert_null(f.events);

	/* Many duplicates grouped and freed: LeakSanitizer checks at exit. */
	for (int i = 0; i < 300; i++) {
		struct spec t = s;
		t.input = (uint32_t)(i % 7);
		t.record = (uint64_t)(i % 13);
		add(&f, &t);
	}
	findings_group(&f);
	assert_int_equal(f.n_events, 13);
	assert_int_equal(f.duplicates, 287);
	findings_free(&f);
	assert_int_equal(f.n_rows, 0);
	assert_null(f.sources);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_event_two_inputs),
		cmocka_unit_test(test_copies_ranked_by_origin),
		cmocka_unit_test(test_three_copies_listed_once_each),
		cmocka_unit_test(test_identity_parts),
		cmocka_unit_test(test_allocated_preferred_over_recovered),
		cmocka_unit_test(test_grouping_count_first_last),
		cmocka_unit_test(test_rows_rated),
		cmocka_unit_test(test_grouping_by_every_field),
		cmocka_unit_test(test_guid_case_groups_together),
		cmocka_unit_test(test_rows_sorted_bytewise),
		cmocka_unit_test(test_rows_sorted_prefixes),
		cmocka_unit_test(test_insertion_order_irrelevant),
		cmocka_unit_test(test_events_in_row_order),
		cmocka_unit_test(test_findings_free_releases_all),
		/* Last: under UBSan its bug aborts the process. */
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
