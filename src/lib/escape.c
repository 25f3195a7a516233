/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <stdint.h>
#include <string.h>
#include "escape.h"

/* Decodes one UTF-8 sequence at s (n bytes left). Returns its length and
 * sets *cp, or returns 0 for a byte that does not start a valid sequence
 * (overlong forms, surrogates and values past U+10FFFF are invalid). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* Unicode Control Pictures (U+2400 + code) stand in for C0 controls in
 * CSV cells: visible, and unlike a backslash escape they cannot be
 * confused with the text of a Windows path. */
static void control_picture(struct strbuf *out, unsigned char c)
{
	uint32_t cp = 0x2400 + c;
	char b[3] = { (char)(0xe0 | cp >> 12), (char)(0x80 | (cp >> 6 & 0x3f)),
		      (char)(0x80 | (cp & 0x3f)) };
	sb_append(out, b, 3);
}

static bool is_formula_start(const char *v)
{
	/* A lone "-" is Sysmon's empty value and no spreadsheet runs it. */
	if (strcmp(v, "-") == 0)
		return false;
	return strchr("=+-@\t\r", v[0]) != NULL && v[0] != '\0';
}

void csv_cell(struct strbuf *out, const char *value, bool neutralise)
{
	const unsigned char *p = (const unsigned char *)value;
	bool quote = neutralise && is_formula_start(value);

	for (; *p && !quote; p++)
		quote = *p == '"' || *p == ',' || *p < 0x20;
	if (!quote) {
		sb_puts(out, value);
		return;
	}
	sb_putc(out, '"');
	if (neutralise && is_formula_start(value))
		sb_putc(out, '\'');
	for (p = (const unsigned char *)value; *p; p++) {
		if (*p == '"')
			sb_append(out, "\"\"", 2);
		else if (*p < 0x20 && *p != '\t')
			control_picture(out, *p);
		else
			sb_putc(out, (char)*p);
	}
	sb_putc(out, '"');
}

void html_text(struct strbuf *out, const char *value)
{
	for (const char *p = value; *p; p++) {
		switch (*p) {
		case '&': sb_puts(out, "&amp;"); break;
		case '<': sb_puts(out, "&lt;"); break;
		case '>': sb_puts(out, "&gt;"); break;
		case '"': sb_puts(out, "&quot;"); break;
		case '\'': sb_puts(out, "&#39;"); break;
		default: sb_putc(out, *p);
		}
	}
}

void json_string(struct strbuf *out, const char *value)
{
	const unsigned char *p = (const unsigned char *)value;
	size_t n = strlen(value);

	sb_putc(out, '"');
	while (n > 0) {
		uint32_t cp;
		size_t len = utf8_decode(p, n, &cp);
		if (len == 0) {
			sb_puts(out, "\\ufffd");   /* not UTF-8: say so */
			p++, n--;
			continue;
		}
		if (cp == '"' || cp == '\\') {
			sb_putc(out, '\\');
			sb_putc(out, (char)cp);
		} else if (cp == '\n') {
			sb_puts(out, "\\n");
		} else if (cp == '\t') {
			sb_puts(out, "\\t");
		} else if (cp < 0x20 || cp == 0x7f || cp == '<' || cp == '>' ||
			   cp == '&' || cp == 0x2028 || cp == 0x2029) {
			/* < > & as well, so that the JSON can sit in an HTML
			 * <script> element without ending it. */
			sb_printf(out, "\\u%04x", (unsigned)cp);
		} else {
			sb_append(out, (const char *)p, len);
		}
		p += len, n -= len;
	}
	sb_putc(out, '"');
}

/* Bidirectional overrides and isolates reorder what a terminal shows. */
static bool is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200e || cp == 0x200f;
}

void term_text(struct strbuf *out, const char *value)
{
	const unsigned char *p = (const unsigned char *)value;
	size_t n = strlen(value);

	while (n > 0) {
		uint32_t cp;
		size_t len = utf8_decode(p, n, &cp);
		if (len == 0 || cp < 0x20 || cp == 0x7f) {
			sb_printf(out, "\\x%02x", *p);
			p++, n--;
			continue;
		}
		if ((cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp))
			sb_printf(out, "\\u{%04x}", (unsigned)cp);
		else
			sb_append(out, (const char *)p, len);
		p += len, n -= len;
	}
}

char *term_safe(const char *value)
{
	struct strbuf sb = { 0 };
	term_text(&sb, value);
	return sb_take(&sb);
}
