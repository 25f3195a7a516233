/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: the small text parsers and the escapers, on the
 * input as a NUL-terminated string. The escapers' promises are checked
 * on their output: a CSV cell is one line, JSON is UTF-8 without raw
 * controls, terminal text has no control byte, HTML no markup byte. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allowlist.h"
#include "escape.h"
#include "layout.h"
#include "strbuf.h"
#include "timefmt.h"

/* Whether s[0..n) is UTF-8 (no overlong forms, surrogates or values
 * past U+10FFFF), written independently of escape.c. */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		uint32_t v, min;
		if (c < 0x80) { i++; continue; }
		if (c >= 0xc2 && c <= 0xdf) len = 2, v = c & 0x1f, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef) len = 3, v = c & 0x0f, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4) len = 4, v = c & 0x07, min = 0x10000;
		else return 0;
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			v = v << 6 | (s[i + k] & 0x3f);
		}
		if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/* The promise of csv_cell and html_text: valid UTF-8 with no C0 control
 * (but TAB and LF in HTML), no DEL, no C1 control, no U+2028/U+2029 and
 * no bidirectional control. */
static bool report_safe(const struct strbuf *sb, bool html)
{
	const unsigned char *p = (const unsigned char *)sb->data;
	if (sb->len == 0)
		return true;
	if (!valid_utf8(p, sb->len))
		return false;
	for (size_t i = 0; i < sb->len; i++) {
		if (p[i] < 0x20 && !(html && (p[i] == '\t' || p[i] == '\n')))
			return false;
		if (p[i] == 0x7f)
			return false;
		if (p[i] == 0xc2 && i + 1 < sb->len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
			return false;
		if (p[i] == 0xe2 && i + 2 < sb->len && p[i + 1] == 0x80 &&
		    ((p[i + 2] >= 0xa8 && p[i + 2] <= 0xae) || p[i + 2] == 0x8e || p[i + 2] == 0x8f))
			return false;
		if (p[i] == 0xe2 && i + 2 < sb->len && p[i + 1] == 0x81 &&
		    p[i + 2] >= 0xa6 && p[i + 2] <= 0xa9)
			return false;
	}
	return true;
}

static void check_escapers(const char *s)
{
	struct strbuf sb = { 0 };

	for (int neut = 0; neut < 2; neut++) {
		csv_cell(&sb, s, neut);
		/* one line for every reader, and nothing a terminal acts on */
		if (!report_safe(&sb, false))
			abort();
		sb_free(&sb);
	}

	json_quote(&sb, s);
	if (sb.len < 2 || sb.data[0] != '"' || sb.data[sb.len - 1] != '"' ||
	    !valid_utf8((const unsigned char *)sb.data, sb.len))
		abort();
	for (size_t i = 0; i < sb.len; i++)
		if ((unsigned char)sb.data[i] < 0x20 || sb.data[i] == 0x7f ||
		    sb.data[i] == '<' || sb.data[i] == '>' || sb.data[i] == '&')
			abort();
	sb_free(&sb);

	term_text(&sb, s);
	for (size_t i = 0; i < sb.len; i++)
		if ((unsigned char)sb.data[i] < 0x20 || sb.data[i] == 0x7f)
			abort();
	sb_free(&sb);

	html_text(&sb, s);
	for (size_t i = 0; i < sb.len; i++)
		if (strchr("<>\"'", sb.data[i]))
			abort();
	if (!report_safe(&sb, true))
		abort();
	sb_free(&sb);
}

static void check_time(const char *s)
{
	int64_t t;
	if (time_parse_iso8601(s, &t) != 0)
		return;
	/* what it parsed reads back the same, in the range it can write */
	char buf[TIME_TEXT_SIZE];
	time_format_precise(t, buf);
	int64_t u;
	if (buf[0] >= '0' && buf[0] <= '9' && strlen(buf) == 28 &&
	    (time_parse_iso8601(buf, &u) != 0 || u != t))
		abort();
}

static void check_allowlist(const char *s)
{
	struct allow_rule rule;
	char err[200];
	err[0] = 'x';
	err[sizeof err - 1] = 'x';
	if (allowlist_parse_line(s, 1, &rule, err, sizeof err) != 0) {
		if (!memchr(err, '\0', sizeof err) || rule.n_conds || rule.conds)
			abort();
		return;
	}
	for (size_t i = 0; i < rule.n_conds; i++) {
		if (!rule.conds[i].glob || !rule.conds[i].glob[0])
			abort();
		free(rule.conds[i].glob);
	}
	free(rule.conds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_escapers(s);
	check_time(s);
	check_allowlist(s);
	/* a member name: the original path fits its buffer and says
	 * nothing when the layout is not known */
	char orig[64];
	bool snap;
	if (!layout_original_path(s, orig, sizeof orig, &snap) && orig[0])
		abort();
	if (strlen(orig) >= sizeof orig)
		abort();
	free(s);
	return 0;
}
