/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "escape.h"
#include "layout.h"
#include "strbuf.h"

/* s[0..n) with every %XX decoded (a malformed one kept as it is). */
static void percent_decode(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = hex_value((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hex_value((unsigned char)s[i + 2])) >= 0) {
			sb_putc(sb, (char)(hi << 4 | lo));
			i += 2;
		} else {
			sb_putc(sb, s[i]);
		}
	}
}

/* The components of path ('/' or '\' between them): starts and lengths,
 * at most max. */
static size_t split(const char *path, const char **at, size_t *len, size_t max)
{
	size_t n = 0;
	const char *p = path;
	while (*p && n < max) {
		while (*p == '/' || *p == '\\')
			p++;
		if (!*p)
			break;
		const char *q = p;
		while (*q && *q != '/' && *q != '\\')
			q++;
		at[n] = p;
		len[n++] = (size_t)(q - p);
		p = q;
	}
	return n;
}

#define MAX_PARTS 256

static bool is(const char *s, size_t n, const char *want)
{
	return strlen(want) == n && strncasecmp(s, want, n) == 0;
}

/* The decoded path of a Velociraptor upload: components from `from` on,
 * each decoded, joined by '\'; then its device prefix made a drive. */
static bool velociraptor(const char **at, const size_t *len, size_t n, size_t from,
			 struct strbuf *sb, bool *snapshot)
{
	if (from >= n)
		return false;
	struct strbuf raw = { 0 };
	for (size_t i = from; i < n; i++) {
		if (i > from)
			sb_putc(&raw, '\\');
		percent_decode(&raw, at[i], len[i]);
	}
	const char *p = raw.data;
	if (strncmp(p, "\\\\.\\", 4) == 0)       /* \\.\C:\... */
		p += 4;
	if (strstr(p, "HarddiskVolumeShadowCopy"))
		*snapshot = true;
	sb_puts(sb, p);
	sb_free(&raw);
	return true;
}

bool layout_original_path(const char *member, char *out, size_t outsz, bool *snapshot)
{
	const char *at[MAX_PARTS];
	size_t len[MAX_PARTS];
	size_t n = split(member ? member : "", at, len, MAX_PARTS);
	struct strbuf sb = { 0 };
	bool found = false;
	*snapshot = false;
	for (size_t i = 0; i + 2 < n && !found; i++)
		if (is(at[i], len[i], "uploads"))
			found = velociraptor(at, len, n, i + 2, &sb, snapshot);
	for (size_t i = 0; i + 1 < n && !found; i++) {
		/* KAPE and CyLR: a drive letter without its colon, then Windows */
		if (len[i] == 1 && isalpha((unsigned char)at[i][0]) &&
		    is(at[i + 1], len[i + 1], "Windows")) {
			sb_printf(&sb, "%c:", toupper((unsigned char)at[i][0]));
			for (size_t k = i + 1; k < n; k++) {
				sb_putc(&sb, '\\');
				sb_append(&sb, at[k], len[k]);
			}
			found = true;
		}
	}
	snprintf(out, outsz, "%s", found && sb.data ? sb.data : "");
	sb_free(&sb);
	return found && out[0];
}
