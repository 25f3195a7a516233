/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
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

/* Unicode Control Pictures (U+2400 + code, DEL U+2421) stand in for C0
 * controls: visible, and unlike a backslash escape they cannot be
 * confused with the text of a Windows path. */
static uint32_t control_picture(uint32_t c)
{
	return c == 0x7f ? 0x2421 : 0x2400 + c;
}

static void put_utf8(struct strbuf *out, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12), b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18), b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3f)), b[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
	}
	sb_append(out, b, n);
}

/* Bidirectional overrides and isolates reorder what is shown. */
static bool is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200e || cp == 0x200f;
}

/* What a report must not carry as it is, for a reader that cat's it, a
 * spreadsheet or a browser: */
enum char_kind {
	CH_PLAIN,   /* as it is */
	CH_C0,      /* C0 control or DEL: its Control Picture */
	CH_NAMED,   /* C1 control, U+2028/U+2029, bidi control: "<U+XXXX>" */
	CH_BAD,     /* a byte that starts no UTF-8 sequence: "<0xNN>" */
};

/* Classifies the character at p (n bytes left); sets *len and *cp. */
static enum char_kind char_kind(const unsigned char *p, size_t n, size_t *len, uint32_t *cp)
{
	*len = utf8_decode(p, n, cp);
	if (*len == 0) {
		*len = 1, *cp = *p;
		return CH_BAD;
	}
	if (*cp < 0x20 || *cp == 0x7f)
		return CH_C0;
	if ((*cp >= 0x80 && *cp <= 0x9f) || *cp == 0x2028 || *cp == 0x2029 ||
	    is_bidi_control(*cp))
		return CH_NAMED;
	return CH_PLAIN;
}

/* A byte that is a character of its own, printable and plain. */
static inline bool ascii_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

/* The printable ASCII that each writer copies as it is: all but the
 * quote and the comma in a CSV cell, all but & < > " ' in HTML. */
static const bool csv_plain[256] = {
	[0x20 ... 0x21] = true, [0x23 ... 0x2b] = true, [0x2d ... 0x7e] = true,
};
static const bool html_plain[256] = {
	[0x20 ... 0x21] = true, [0x23 ... 0x25] = true, [0x28 ... 0x3b] = true,
	[0x3d] = true, [0x3f ... 0x7e] = true,
};
/* and all but " \ & < > in a JSON string */
static const bool json_plain[256] = {
	[0x20 ... 0x21] = true, [0x23 ... 0x25] = true, [0x27 ... 0x3b] = true,
	[0x3d] = true, [0x3f ... 0x5b] = true, [0x5d ... 0x7e] = true,
};

/* How many of the n bytes at p, from the first, plain (one of the
 * tables above) says a writer copies as they are; stops: the printable
 * ones it does not (nstops of them, at most five). Nearly every byte of
 * a report is one, taken sixteen at a time. */
static size_t plain_run(const unsigned char *p, size_t n, const bool plain[256],
			const char *stops, size_t nstops)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i below = _mm_set1_epi8(0x1f), above = _mm_set1_epi8(0x7f);
	__m128i stop[5];
	for (size_t k = 0; k < nstops && k < 5; k++)
		stop[k] = _mm_set1_epi8(stops[k]);
	for (; i + 16 <= n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		/* signed: bytes from 0x80 up are below 0x1f */
		__m128i ok = _mm_and_si128(_mm_cmpgt_epi8(x, below), _mm_cmplt_epi8(x, above));
		for (size_t k = 0; k < nstops && k < 5; k++)
			ok = _mm_andnot_si128(_mm_cmpeq_epi8(x, stop[k]), ok);
		int mask = _mm_movemask_epi8(ok);
		if (mask != 0xffff)
			return i + (size_t)__builtin_ctz((unsigned)~mask);
	}
#else
	(void)stops, (void)nstops;
#endif
	while (i < n && plain[p[i]])
		i++;
	return i;
}

static size_t csv_run(const unsigned char *p, size_t n)
{
	return plain_run(p, n, csv_plain, "\",", 2);
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
	size_t n = strlen(value), len;
	uint32_t cp;
	bool formula = neutralise && is_formula_start(value);
	bool quote = formula;

	/* Printable ASCII, nearly every byte of a report, is taken sixteen
	 * bytes at a time (csv_run); char_kind decides the rest. */
	for (size_t i = 0; i < n && !quote; i += len) {
		i += csv_run(p + i, n - i);
		if (i == n)
			break;
		len = 1;
		quote = p[i] == '"' || p[i] == ',' ||
			(!ascii_plain(p[i]) && char_kind(p + i, n - i, &len, &cp) != CH_PLAIN);
	}
	if (!quote) {
		sb_append(out, value, n);
		return;
	}
	sb_putc(out, '"');
	if (formula)
		sb_putc(out, '\'');
	for (size_t i = 0; i < n; i += len) {
		size_t run = 0;
		while (i + run < n && ascii_plain(p[i + run]) && p[i + run] != '"')
			run++;
		if (run) {
			sb_append(out, (const char *)p + i, run);
			len = run;
			continue;
		}
		switch (char_kind(p + i, n - i, &len, &cp)) {
		case CH_C0: put_utf8(out, control_picture(cp)); break;
		case CH_NAMED: sb_printf(out, "<U+%04X>", (unsigned)cp); break;
		case CH_BAD: sb_printf(out, "<0x%02X>", (unsigned)cp); break;
		case CH_PLAIN:
			if (p[i] == '"')
				sb_putc(out, '"');
			sb_append(out, (const char *)p + i, len);
			break;
		}
	}
	sb_putc(out, '"');
}

void html_text(struct strbuf *out, const char *value)
{
	const unsigned char *p = (const unsigned char *)value;
	size_t n = strlen(value), len;
	uint32_t cp;

	for (size_t i = 0; i < n; i += len) {
		len = plain_run(p + i, n - i, html_plain, "&<>\"'", 5);
		if (len) {
			sb_append(out, (const char *)p + i, len);
			continue;
		}
		switch (char_kind(p + i, n - i, &len, &cp)) {
		case CH_C0:
			if (cp == '\t' || cp == '\n')
				sb_putc(out, (char)cp);
			else
				sb_printf(out, "&#x%X;", (unsigned)control_picture(cp));
			break;
		case CH_NAMED: sb_printf(out, "&lt;U+%04X&gt;", (unsigned)cp); break;
		case CH_BAD: sb_printf(out, "&lt;0x%02X&gt;", (unsigned)cp); break;
		case CH_PLAIN:
			switch (p[i]) {
			case '&': sb_puts(out, "&amp;"); break;
			case '<': sb_puts(out, "&lt;"); break;
			case '>': sb_puts(out, "&gt;"); break;
			case '"': sb_puts(out, "&quot;"); break;
			case '\'': sb_puts(out, "&#39;"); break;
			default: sb_append(out, (const char *)p + i, len);
			}
			break;
		}
	}
}

void json_quote(struct strbuf *out, const char *value)
{
	const unsigned char *p = (const unsigned char *)value;
	size_t n = strlen(value);

	sb_putc(out, '"');
	while (n > 0) {
		/* the plain ASCII up to the next character to look at */
		size_t run = plain_run(p, n, json_plain, "\"\\&<>", 5);
		sb_append(out, (const char *)p, run);
		p += run, n -= run;
		if (n == 0)
			break;
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
			   cp == '&' || char_kind(p, n, &len, &cp) == CH_NAMED) {
			/* < > & as well, so that the JSON can sit in an HTML
			 * <script> element without ending it; C1, U+2028/9 and
			 * bidi controls so that a terminal that cat's it does
			 * not act on them. Lossless: JSON reads them back. */
			sb_printf(out, "\\u%04x", (unsigned)cp);
		} else {
			sb_append(out, (const char *)p, len);
		}
		p += len, n -= len;
	}
	sb_putc(out, '"');
}

void json_quote_exact(struct strbuf *out, const char *value)
{
	const unsigned char *p = (const unsigned char *)value;
	size_t n = strlen(value);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (len == 0) {
			sb_puts(out, "{\"hex\":\"");
			for (size_t j = 0; j < n; j++)
				sb_printf(out, "%02x", p[j]);
			sb_puts(out, "\"}");
			return;
		}
		i += len;
	}
	json_quote(out, value);
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

int hex_value(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}
