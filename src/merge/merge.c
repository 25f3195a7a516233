/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "merge.h"
#include "rule.h"
#include "strbuf.h"
#include "timefmt.h"

/* Which version differs between (version, rule version) a and b, the
 * rmmhunt's or the rule's: its name with the two values in *va and *vb,
 * or NULL when both are the same. */
static const char *version_differs(const char *version_a, const char *rule_a,
				   const char *version_b, const char *rule_b, const char **va,
				   const char **vb)
{
	if (strcmp(version_a, version_b) != 0) {
		*va = version_a, *vb = version_b;
		return "rmmhunt version";
	}
	if (strcmp(rule_a, rule_b) != 0) {
		*va = rule_a, *vb = rule_b;
		return "rule version";
	}
	return NULL;
}

/* What must be the same in every part, and how a difference is said. */
static int differs(const struct part *a, const struct part *b, char *err, size_t errsz)
{
	const char *va, *vb;
	const char *kind = version_differs(a->version, a->rule_version, b->version,
					   b->rule_version, &va, &vb);
	if (kind) {
		snprintf(err, errsz, "%s is of %s %s, %s of %s: make every part with the same "
			 "rmmhunt", b->path, kind, vb, a->path, va);
		return -1;
	}
	const char *option = NULL;
	if (a->opt.from != b->opt.from || a->opt.to != b->opt.to)
		option = "--from/--to";
	else if (a->opt.recovered != b->opt.recovered)
		option = "--no-recovered";
	else if (a->opt.extended != b->opt.extended)
		option = "--extended-modules";
	else if (a->opt.story != b->opt.story)
		option = "--no-story";
	else if (a->traces_on != b->traces_on)
		option = "--no-traces";
	else
		return 0;
	snprintf(err, errsz, "%s and %s were run with different %s: their findings are not of "
		 "one search", a->path, b->path, option);
	return -1;
}

/* Appends p's inputs, images and skipped entries to l; its events' input
 * indexes move by the inputs already there. */
static void take_inputs(struct input_list *l, struct part *p, size_t **part_of, size_t index)
{
	struct input_list *from = &p->inputs;
	uint32_t base = (uint32_t)l->n, image_base = (uint32_t)l->n_images;
	for (size_t i = 0; i < from->n; i++) {
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 16;
			l->items = xrealloc(l->items, l->cap * sizeof *l->items);
			*part_of = xrealloc(*part_of, l->cap * sizeof **part_of);
		}
		(*part_of)[l->n] = index;
		struct input *in = &l->items[l->n++];
		*in = from->items[i];
		if (in->image)
			in->image += image_base;
	}
	from->n = 0;
	l->images = xrealloc(l->images, (l->n_images + from->n_images + 1) * sizeof *l->images);
	memcpy(l->images + l->n_images, from->images, from->n_images * sizeof *l->images);
	l->n_images += from->n_images;
	from->n_images = 0;
	for (size_t i = 0; i < from->n_skipped; i++)
		input_list_skip(l, from->skipped[i].path, from->skipped[i].incomplete, "%s",
				from->skipped[i].reason);
	l->ignored_non_evtx += from->ignored_non_evtx;
	l->image_parts += from->image_parts;
	if (from->interrupted) {
		struct strbuf sb = { 0 };
		if (l->interrupted)
			sb_printf(&sb, "%s; ", l->interrupted);
		sb_printf(&sb, "%s: %s", p->path, from->interrupted);
		free(l->interrupted);
		l->interrupted = sb_take(&sb);
	}
	struct findings *sets[] = { &p->events, &p->story };
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < sets[s]->n_events; i++)
			sets[s]->events[i].input += base;
	for (size_t i = 0; i < p->traces.n; i++)
		p->traces.v[i].input += base;
}

/* Moves every event of from into to (from is left empty). */
static void take_events(struct findings *to, struct findings *from)
{
	for (size_t i = 0; i < from->n_events; i++)
		findings_add(to, &from->events[i]);
	from->n_events = 0;
}

static bool in_list(char *const *v, size_t n, const char *host)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(v[i], host) == 0)
			return true;
	return false;
}

/* A story is read from the logs of the part that flagged its process: a
 * flagged host whose logs are in other parts too (or whose part did not
 * tell its story: its allowlist suppressed the rows) may lack events a
 * single run would have told. Said once per host. part_of: each merged
 * input's part. */
static void note_partial_stories(struct stories *st, const struct part *parts, size_t n,
				 const struct input_list *l, const size_t *part_of,
				 const struct findings *f)
{
	bool *names = xcalloc(n ? n : 1, sizeof *names);
	char **said = xcalloc(f->n_rows + 1, sizeof *said);
	size_t n_said = 0;
	for (size_t r = 0; r < f->n_rows; r++) {
		char *host = f->rows[r].key[BF_DEST];
		if (f->rows[r].suppressed || in_list(said, n_said, host))
			continue;
		said[n_said++] = host;
		memset(names, 0, n * sizeof *names);
		for (size_t i = 0; i < l->n; i++)
			names[part_of[i]] = names[part_of[i]] ||
				in_list(l->items[i].computers, l->items[i].n_computers, host);
		size_t naming = 0, told = 0;
		for (size_t p = 0; p < n; p++) {
			naming += names[p];
			told += names[p] && in_list(parts[p].story_hosts, parts[p].n_story_hosts, host);
		}
		if (naming > 1 || told < naming) {
			struct strbuf sb = { 0 };
			sb_printf(&sb, "%s: its logs are in %zu parts, %zu of which told its story: "
				  "its story may lack events one run would tell (give each host's "
				  "evidence to one part, and the allowlist to merge, not to the parts)",
				  host, naming, told);
			stories_note(st, sb_take(&sb));
		}
	}
	free(said);
	free(names);
}

/* Whether part p was made by this rmmhunt and rule: the parts may agree
 * with each other and still not with the merge that reads them. */
static int not_ours(const struct part *p, char *err, size_t errsz)
{
	const char *theirs, *ours;
	const char *kind = version_differs(p->version, p->rule_version, PACKAGE_VERSION,
					   RULE_VERSION, &theirs, &ours);
	if (!kind)
		return 0;
	snprintf(err, errsz, "%s is of %s %s, this merge of %s: merge with the rmmhunt that "
		 "made the parts", p->path, kind, theirs, ours);
	return -1;
}

int merge_parts(struct part *parts, const char *const *why, size_t n, const struct allowlist *allow,
		struct merged *m, char *err, size_t errsz)
{
	memset(m, 0, sizeof *m);
	const struct part *first = NULL;
	for (size_t i = 0; i < n; i++) {
		if (why[i])
			continue;
		if (not_ours(&parts[i], err, errsz) != 0)
			return -1;
		if (!first)
			first = &parts[i];
		else if (differs(first, &parts[i], err, errsz) != 0)
			return -1;
	}
	m->prefilter = true;
	if (first)
		m->opt = first->opt;
	else
		m->opt = (struct part_options){ .from = TIME_NONE, .to = TIME_NONE };
	struct findings story = { 0 };
	size_t *part_of = NULL;
	for (size_t i = 0; i < n; i++) {
		if (why[i]) {
			input_list_skip(&m->inputs, parts[i].path, true, "part not read (its inputs are "
					"not in the merge): %s", why[i]);
			continue;
		}
		m->prefilter = m->prefilter && parts[i].opt.prefilter;
		m->out_of_range += parts[i].out_of_range;
		m->stories.passes = parts[i].passes > m->stories.passes ? parts[i].passes :
				    m->stories.passes;
		m->stories.inputs_read += parts[i].inputs_read;
		for (size_t j = 0; j < parts[i].n_notes; j++) {
			struct strbuf sb = { 0 };
			sb_printf(&sb, "%s: %s", parts[i].path, parts[i].notes[j]);
			stories_note(&m->stories, sb_take(&sb));
		}
		take_inputs(&m->inputs, &parts[i], &part_of, i);
		take_events(&m->findings, &parts[i].events);
		take_events(&story, &parts[i].story);
		m->traces_on = parts[i].traces_on;
		for (size_t k = 0; k < parts[i].traces.n; k++)
			traces_add(&m->traces, &parts[i].traces.v[k]);
	}
	uint32_t *perm = input_list_sort(&m->inputs);
	findings_renumber(&m->findings, perm);
	findings_renumber(&story, perm);
	traces_renumber(&m->traces, perm);
	traces_finish(&m->traces);
	size_t *sorted_part_of = xcalloc(m->inputs.n ? m->inputs.n : 1, sizeof *sorted_part_of);
	for (size_t i = 0; i < m->inputs.n; i++)
		sorted_part_of[perm[i]] = part_of[i];
	free(part_of);
	free(perm);
	findings_group(&m->findings);
	allowlist_apply(allow, &m->findings);
	m->stories.enabled = first ? first->opt.story : true;
	if (m->stories.enabled)
		note_partial_stories(&m->stories, parts, n, &m->inputs, sorted_part_of,
				     &m->findings);
	free(sorted_part_of);
	m->stories.store = story;
	findings_dedupe(&m->stories.store);
	stories_build(&m->stories, &m->findings);
	return 0;
}

void merged_free(struct merged *m)
{
	stories_free(&m->stories);
	findings_free(&m->findings);
	traces_free(&m->traces);
	inputs_free(&m->inputs);
	memset(m, 0, sizeof *m);
}
