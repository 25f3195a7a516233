/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: the real read path, in process, on one chunk. The
 * input (zero-padded or cut to 64 KiB) goes behind a clean file header
 * and is read from memory the way a worker reads a log: scanner (with
 * the binary-XML bound), libevtx on the chunk, XML rendering, parse,
 * rule; then the same bytes with --no-prefilter (libevtx opening the
 * file whole). Every event must be well formed and the two readings
 * must agree on the file's verdict; then the story's reading (by value:
 * GUIDs and folders), whose events must be Sysmon story events. A bomb
 * past the bound would show as a timeout or an out-of-memory here. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "input.h"
#include "reader.h"
#include "rule.h"
#include "rules.h"
#include "scan.h"
#include "source.h"
#include "timefmt.h"
#include "want.h"

static int take(void *ctx, struct event *ev)
{
	uint64_t *n = ctx;
	/* the reader hands on what the rule selects: Sysmon's Event ID 7
	 * (its fields may be absent: fillnull) */
	if (ev->event_id != 7 || !ev->field[EF_PROVIDER] ||
	    strcmp(ev->field[EF_PROVIDER], "Microsoft-Windows-Sysmon") != 0)
		abort();
	(*n)++;
	return 0;
}

static int take_story(void *ctx, struct event *ev)
{
	uint64_t *n = ctx;
	if (!story_selects(ev))
		abort();
	(*n)++;
	return 0;
}

static enum input_status read_once(const uint8_t *image, bool prefilter,
				   const struct scan_value_filter *story, uint64_t *events)
{
	struct input in = { .first_time = TIME_NONE, .last_time = TIME_NONE };
	struct read_options opt = { .select = story ? &story_select : &rule_select,
				    .names = rules_matcher(false, false),
				    .recovered = true, .prefilter = prefilter, .story = story };
	struct source *src = source_memory(image, CHUNK_IMAGE_SIZE);
	if (!src)
		return INPUT_FAILED;
	read_evtx_source(&in, src, 0, &opt, story ? take_story : take, events);
	source_close(src);
	enum input_status st = in.status;
	if (in.records + in.record_errors > SCAN_CHUNK_MAX_RECORDS)
		abort();
	input_clear(&in);
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *chunk = calloc(1, SCAN_CHUNK_SIZE);
	uint8_t *image = malloc(CHUNK_IMAGE_SIZE);
	if (!chunk || !image) {
		free(chunk);
		free(image);
		return 0;
	}
	memcpy(chunk, data, size < SCAN_CHUNK_SIZE ? size : SCAN_CHUNK_SIZE);
	chunk_image_build(image, chunk);
	uint64_t pre = 0, ref = 0;
	enum input_status a = read_once(image, true, NULL, &pre);
	enum input_status b = read_once(image, false, NULL, &ref);
	/* the verdict is the scan's in both readings; events may differ
	 * only in number (the pre-filter passes over records without a
	 * module name, which the rule cannot select anyway) */
	if ((a == INPUT_FAILED) != (b == INPUT_FAILED))
		abort();
	if (pre > ref)
		abort();
	/* the story's reading: the writer's GUIDs and folders, and whatever
	 * GUID-shaped text the input's first bytes make */
	struct story_want w = { 0 };
	want_add_guid(&w, "{6A1D2E10-0C2B-5F9E-0B00-000000000B00}");
	want_add_folder_of(&w, "C:\\Users\\alice\\AppData\\Roaming\\Support\\client32.exe");
	want_add_folder_of(&w, "C:\\ProgramData\\x");
	want_seal(&w);
	uint64_t told = 0;
	(void)read_once(image, true, &w.filter, &told);
	want_free(&w);
	free(image);
	free(chunk);
	return 0;
}
