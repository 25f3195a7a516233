/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
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

/* The one host the event logs under root name, or NULL (none, or more). */
static const char *only_host(const struct input_list *in, long *roots, long root)
{
	const char *host = NULL;
	for (size_t i = 0; i < in->n; i++) {
		if (roots[i] != root || in->items[i].kind != INPUT_EVTX)
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

void traces_attribute_hosts(struct traces *ts, const struct input_list *in,
                            char *const *paths, size_t n_paths)
{
	if (ts->n == 0)
		return;
	long *roots = xcalloc(in->n + 1, sizeof *roots);
	for (size_t i = 0; i < in->n; i++)
		roots[i] = root_of(&in->items[i], paths, n_paths);
	for (size_t i = 0; i < ts->n; i++) {
		struct trace *t = &ts->v[i];
		if ((t->host && *t->host) || t->input >= in->n || roots[t->input] < 0)
			continue;
		const char *host = only_host(in, roots, roots[t->input]);
		if (!host)
			continue;
		free(t->host);
		t->host = xstrdup(host);
		struct strbuf sb = { 0 };
		sb_printf(&sb, "%s; host: the only one the event logs under %s name",
			  t->detail ? t->detail : "", paths[roots[t->input]]);
		free(t->detail);
		t->detail = sb_take(&sb);
	}
	free(roots);
}
