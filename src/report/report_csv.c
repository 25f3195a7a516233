/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* CSV: the SPL's columns in its order, then rmmhunt's own, then (unless
 * --no-story) the process story's. Rows the allowlist suppressed are
 * left out, as the _filter macro would; the JSON keeps them, marked. */
#include <stdlib.h>
#include "escape.h"
#include "report.h"
#include "rule.h"
#include "timefmt.h"

static const char *const extra_columns[] = {
	"risk_score", "risk_message", "recovered_count", "evidence_files",
};

/* The story's columns: the EventData account, whether the image is
 * client32.exe renamed ("" when no creation event tells), its parent's
 * image, its command line, where it connected to. */
static const char *const story_columns[] = {
	"user", "renamed", "parent_image", "command_line", "destinations",
};
#define DESTINATIONS_IN_CELL 10

static void header(struct strbuf *sb, bool extended, bool story)
{
	for (int i = 0; i < BF_COUNT; i++) {
		sb_puts(sb, byfield_name[i]);
		sb_putc(sb, ',');
	}
	sb_puts(sb, "count,firstTime,lastTime");
	for (size_t i = 0; i < sizeof extra_columns / sizeof *extra_columns; i++) {
		sb_putc(sb, ',');
		sb_puts(sb, extra_columns[i]);
	}
	/* only with --extended-modules: the default columns stay the ones
	 * a diff against Splunk's output expects */
	if (extended)
		sb_puts(sb, ",outside_splunk_search");
	for (size_t i = 0; story && i < sizeof story_columns / sizeof *story_columns; i++) {
		sb_putc(sb, ',');
		sb_puts(sb, story_columns[i]);
	}
	sb_puts(sb, "\r\n");
}

static void story_cells(struct strbuf *sb, const struct run *run, size_t r, bool neutralise)
{
	const struct stories *st = run->stories;
	const struct story *s = stories_of_row(st, r);
	const struct event *create = s && s->create != STORY_NONE ?
				     &st->store.events[s->create] : NULL;
	const char *user = story_row_user(st, run->findings, r);
	sb_putc(sb, ',');
	csv_cell(sb, user ? user : "", neutralise);
	sb_puts(sb, !s || s->renamed < 0 ? "," : s->renamed ? ",true" : ",false");
	sb_putc(sb, ',');
	csv_cell(sb, s && s->n_parents && s->parent[0].image ? s->parent[0].image : "",
		 neutralise);
	sb_putc(sb, ',');
	csv_cell(sb, create && create->field[EF_COMMAND_LINE] ? create->field[EF_COMMAND_LINE]
		 : "", neutralise);
	sb_putc(sb, ',');
	char *dest = s ? story_destinations(s, DESTINATIONS_IN_CELL) : NULL;
	csv_cell(sb, dest ? dest : "", neutralise);
	free(dest);
}

static void row_line(struct strbuf *sb, const struct run *run,
		     const struct finding *row, bool neutralise)
{
	char first[TIME_TEXT_SIZE], last[TIME_TEXT_SIZE];

	for (int i = 0; i < BF_COUNT; i++) {
		csv_cell(sb, row->key[i], neutralise);
		sb_putc(sb, ',');
	}
	time_format(row->first, first);
	time_format(row->last, last);
	sb_printf(sb, "%llu,%s,%s,%d,", (unsigned long long)row->count, first, last,
		  row->rated.risk_score);
	csv_cell(sb, row->rated.risk_message, neutralise);
	sb_printf(sb, ",%llu,", (unsigned long long)row->recovered);
	/* Evidence paths, joined by " | ": the JSON has them as a list. */
	struct strbuf files = { 0 };
	for (size_t i = 0; i < row->n_inputs; i++) {
		if (i)
			sb_puts(&files, " | ");
		sb_puts(&files, input_where(&run->inputs->items[row->inputs[i]]));
	}
	csv_cell(sb, files.data ? files.data : "", neutralise);
	sb_free(&files);
	if (run->extended)
		sb_puts(sb, row->rated.outside_search ? ",true" : ",false");
	if (run->stories && run->stories->enabled)
		story_cells(sb, run, (size_t)(row - run->findings->rows), neutralise);
	sb_puts(sb, "\r\n");
}

int report_csv(FILE *out, const struct run *run, const struct csv_options *opt)
{
	struct strbuf sb = { 0 };

	header(&sb, run->extended, run->stories && run->stories->enabled);
	for (size_t i = 0; i < run->findings->n_rows; i++) {
		const struct finding *row = &run->findings->rows[i];
		if (!row->suppressed)
			row_line(&sb, run, row, opt->neutralise);
		sb_flush_to(&sb, out, SB_PIECE);
	}
	sb_flush_to(&sb, out, 0);
	sb_free(&sb);
	return ferror(out) ? -1 : 0;
}
