/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "attribute.h"
#include "strbuf.h"

/* The named path input in was found under: the longest that is it or a
 * folder above it; -1 when none (it cannot be: every input comes from
 * one). */
static long root_of(const struct input *in, char *const *paths, size_t n)
{
	long best = -1;
	size_t best_len = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(paths[i]);
		while (len > 1 && paths[i][len - 1] == '/')
			len--;
		bool under = strncmp(in->path, paths[i], len) == 0 &&
			     (in->path[len] == '\0' || in->path[len] == '/');
		if (under && (best < 0 || len > best_len)) {
			best = (long)i;
			best_len = len;
		}
	}
	return best;
}

/* The group of an input: its image or archive (negative), else the
 * named path it was found under (0 up), else LONG_MIN: none. */
static long group_of(const struct input *in, char *const *paths, size_t n)
{
	if (in->image)
		return -(long)in->image;
	long r = root_of(in, paths, n);
	return r >= 0 ? r : LONG_MIN;
}

/* The one host the inputs of kind k in group g name, or NULL (none, or
 * more than one). */
static const char *only_host(const struct input_list *in, const long *groups, long g,
			     enum input_kind k)
{
	const char *host = NULL;
	for (size_t i = 0; i < in->n; i++) {
		if (groups[i] != g || in->items[i].kind != k)
			continue;
		for (size_t j = 0; j < in->items[i].n_computers; j++) {
			const char *c = in->items[i].computers[j];
			if (host && strcmp(host, c) != 0)
				return NULL;
			host = c;
		}
	}
	return host;
}

static void attribute(struct trace *t, const char *host, const char *why, const char *where)
{
	free(t->host);
	t->host = xstrdup(host);
	struct strbuf sb = { 0 };
	sb_printf(&sb, "%s; host: %s %s", t->detail ? t->detail : "", why, where);
	free(t->detail);
	t->detail = sb_take(&sb);
}

void traces_attribute_hosts(struct traces *ts, const struct input_list *in,
                            char *const *paths, size_t n_paths)
{
	if (ts->n == 0)
		return;
	long *groups = xcalloc(in->n + 1, sizeof *groups);
	for (size_t i = 0; i < in->n; i++)
		groups[i] = group_of(&in->items[i], paths, n_paths);
	for (size_t i = 0; i < ts->n; i++) {
		struct trace *t = &ts->v[i];
		if ((t->host && *t->host) || t->input >= in->n)
			continue;
		long g = groups[t->input];
		const struct input *from = &in->items[t->input];
		const char *where = g < 0 ? from->path : g < (long)n_paths ? paths[g] : "";
		const char *host = only_host(in, groups, g, INPUT_HIVE);
		if (host)
			attribute(t, host, "the computer name in the SYSTEM hive of", where);
		else if ((host = only_host(in, groups, g, INPUT_EVTX)))
			attribute(t, host, "the only one the event logs in", where);
	}
	free(groups);
}
