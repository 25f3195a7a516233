/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "pass.h"
#include "rule.h"
#include "strbuf.h"
#include "want.h"

/* What the pass's sink needs: where the events go, the inputs' indexes
 * in the run (the pass reads a list of its own), and whether only
 * creations are sought (a parents' pass). */
struct pass_sink {
	struct findings *store;
	const uint32_t *index;
	size_t n;
	bool creations_only;
};

static int take_story_event(void *ctx, struct event *ev)
{
	struct pass_sink *ps = ctx;
	if (ev->input >= ps->n || (ps->creations_only && ev->event_id != 1))
		return 0;
	ev->input = ps->index[ev->input];
	findings_add(ps->store, ev);
	return 0;
}

static bool names_host(const struct input *in, char *const *hosts, size_t n_hosts)
{
	for (size_t i = 0; i < in->n_computers; i++)
		for (size_t h = 0; h < n_hosts; h++)
			if (strcasecmp(in->computers[i], hosts[h]) == 0)
				return true;
	return false;
}

/* One pass over the inputs naming hosts, for want; events into raw.
 * Returns 0, 1 when it was interrupted, -1 when the workers failed. */
static int one_pass(struct stories *st, struct findings *raw, const struct input_list *inputs,
		    char *const *hosts, size_t n_hosts, const struct story_want *want,
		    bool creations_only, const struct read_options *ropt,
		    const struct worker_options *wopt)
{
	struct input_list sub = { 0 };
	uint32_t *index = xcalloc(inputs->n + 1, sizeof *index);
	size_t named = 0;
	for (size_t i = 0; i < inputs->n; i++) {
		const struct input *in = &inputs->items[i];
		if (!names_host(in, hosts, n_hosts))
			continue;
		named++;
		/* its keys, where the detection kept them, say whether any
		 * record of it could be wanted: if none, it is not read */
		if (in->keys_known && !want_meets_keys(want, in->keys, in->n_keys))
			continue;
		index[sub.n] = (uint32_t)i;
		input_list_add(&sub, &in->loc, in->named, in->size, 0);
	}
	int rc = 0;
	if (named && !sub.n)
		st->passes++;   /* made, with nothing to read again */
	if (sub.n) {
		struct read_options ro = *ropt;
		struct worker_options wo = *wopt;
		ro.story = &want->filter;
		ro.select = &story_select;
		wo.progress = false;
		wo.done = NULL;
		struct pass_sink ps = { raw, index, sub.n, creations_only };
		rc = run_workers(&sub, &ro, &wo, take_story_event, &ps);
		st->passes++;
		st->inputs_read += sub.n;
		for (size_t i = 0; i < sub.n; i++) {
			const struct input *in = &sub.items[i];
			if (in->status != INPUT_FAILED)
				continue;
			struct strbuf sb = { 0 };
			sb_printf(&sb, "%s: not read for the story (pass %u): %s", input_where(in),
				  st->passes, in->reason ? in->reason : "failed");
			stories_note(st, sb_take(&sb));
		}
		if (sub.interrupted) {
			struct strbuf sb = { 0 };
			sb_printf(&sb, "story pass %u interrupted (%s): the stories hold what was read",
				  st->passes, sub.interrupted);
			stories_note(st, sb_take(&sb));
			if (rc == 0)
				rc = 1;   /* no further pass */
		}
	}
	inputs_free(&sub);
	free(index);
	return rc;
}

static void free_hosts(char **hosts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(hosts[i]);
	free(hosts);
}

/* A deep copy of raw, de-duplicated: the stories a pass gives so far. */
static void stories_so_far(struct stories *tmp, const struct findings *raw,
			   const struct findings *f)
{
	memset(tmp, 0, sizeof *tmp);
	for (size_t i = 0; i < raw->n_events; i++) {
		struct event e;
		event_copy(&e, &raw->events[i]);
		findings_add(&tmp->store, &e);
	}
	findings_dedupe(&tmp->store);
	stories_build(tmp, f);
}

/* The stories of raw's events into st: last's (built from a copy of
 * raw as it is now: the same stories) when there are any, raw freed;
 * else built from raw, which st keeps. */
static void take_stories(struct stories *st, struct stories *last, struct findings *raw,
			 const struct findings *f)
{
	if (last) {
		findings_free(raw);
		st->store = last->store;
		st->v = last->v;
		st->n = last->n;
		st->of_row = last->of_row;
		st->n_of_row = last->n_of_row;
		return;
	}
	st->store = *raw;
	findings_dedupe(&st->store);
	stories_build(st, f);
}

int story_read(struct stories *st, const struct findings *f, const struct input_list *inputs,
	       const struct read_options *ropt, const struct worker_options *wopt)
{
	struct story_want want = { 0 }, searched = { 0 };
	char **hosts = xcalloc(f->n_rows + 1, sizeof *hosts);
	size_t n_hosts = 0;
	for (size_t r = 0; r < f->n_rows; r++) {
		const struct finding *row = &f->rows[r];
		if (row->suppressed || strcmp(row->key[BF_PROCESS_GUID], "0") == 0)
			continue;
		want_add_guid(&want, row->key[BF_PROCESS_GUID]);
		want_add_folder_of(&want, row->key[BF_IMAGE]);
		size_t h = 0;
		while (h < n_hosts && strcasecmp(hosts[h], row->key[BF_DEST]) != 0)
			h++;
		if (h == n_hosts)
			hosts[n_hosts++] = row->key[BF_DEST];
	}
	struct findings raw = { 0 };
	/* the stories of raw as the last pass left it: they decide whether
	 * a parents' pass follows and, where none does, are the result */
	struct stories last = { 0 };
	bool have_last = false;
	int rc = 0;
	bool creations_only = false;  /* a parents' pass, of the hosts missing one: */
	char **parent_hosts = NULL;
	size_t n_parent_hosts = 0;
	for (unsigned level = 0; level < STORY_PARENTS && want.n_guids && rc == 0; level++) {
		want.creations_only = creations_only;
		want_seal(&want);
		if (inputs->interrupted) {
			stories_note(st, xstrdup("not read: the run was interrupted before the stories"));
			break;
		}
		if (have_last)
			stories_free(&last);
		have_last = false;
		rc = one_pass(st, &raw, inputs, creations_only ? parent_hosts : hosts,
			      creations_only ? n_parent_hosts : n_hosts, &want, creations_only,
			      ropt, wopt);
		want_add_guids(&searched, &want);
		want_free(&want);
		free_hosts(parent_hosts, n_parent_hosts);
		parent_hosts = NULL;
		n_parent_hosts = 0;
		stories_so_far(&last, &raw, f);
		have_last = true;
		stories_missing_parents(&last, &searched, &want, &parent_hosts, &n_parent_hosts);
		creations_only = true;
	}
	free_hosts(parent_hosts, n_parent_hosts);
	if (rc < 0)
		stories_note(st, xstrdup("the workers of the story pass could not be started: the "
				 "stories are incomplete"));
	want_free(&want);
	want_free(&searched);
	free(hosts);
	take_stories(st, have_last ? &last : NULL, &raw, f);
	return rc < 0 ? -1 : 0;
}
