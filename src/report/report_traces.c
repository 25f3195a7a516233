/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* --traces-csv: a row a trace, RFC 4180 as the findings' CSV (formulas
 * neutralised), the columns TRACE_FIELDS gives (trace.h) with the input
 * rendered as its evidence file and the host's verdict first. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "escape.h"
#include "report.h"
#include "timefmt.h"
#include "verdict.h"

static void header(struct strbuf *sb)
{
	sb_puts(sb, "host_verdict");
#define X(k, name, doc) sb_puts(sb, strcmp(#name, "input") ? "," #name : ",evidence_file");
	TRACE_FIELDS(X)
#undef X
	sb_puts(sb, "\r\n");
}

static void row(struct strbuf *sb, const struct run *run, const struct trace *t,
		const char *verdict, bool neutralise)
{
	char tb[TIME_TEXT_SIZE];
	csv_cell(sb, verdict, neutralise);
#define S_(name) sb_putc(sb, ','); csv_cell(sb, t->name ? t->name : "", neutralise);
#define T_(name) time_format(t->name, tb); sb_putc(sb, ','); sb_puts(sb, tb);
#define U_(name) sb_putc(sb, ','); \
	if (strcmp(#name, "input") == 0) \
		csv_cell(sb, input_where(&run->inputs->items[t->name]), neutralise); \
	else \
		sb_printf(sb, "%" PRIu64, (uint64_t)t->name);
#define X(k, name, doc) k##_(name)
	TRACE_FIELDS(X)
#undef X
#undef S_
#undef T_
#undef U_
	sb_puts(sb, "\r\n");
}

int report_traces_csv(FILE *out, const struct run *run, const struct csv_options *opt)
{
	struct strbuf sb = { 0 };
	struct verdicts own = { 0 };
	const struct verdicts *vs = verdicts_of(run, &own);
	header(&sb);
	for (size_t i = 0; run->traces && i < run->traces->n; i++) {
		const struct trace *t = &run->traces->v[i];
		const char *verdict = "";
		for (size_t k = 0; k < vs->n; k++)
			if (strcmp(vs->v[k].host, t->host ? t->host : "") == 0)
				verdict = verdict_name(vs->v[k].verdict);
		row(&sb, run, t, verdict, opt->neutralise);
		sb_flush_to(&sb, out, SB_PIECE);
	}
	fwrite(sb.data, 1, sb.len, out);
	sb_free(&sb);
	verdicts_free(&own);
	return ferror(out) ? -1 : 0;
}
