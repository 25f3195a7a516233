/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "rule.h"
#include "story.h"
#include "strbuf.h"
#include "want.h"
#include "path.h"

const char *story_why_name(enum story_why why)
{
	static const char *const name[] = {
		[WHY_BY_IT] = "by it", [WHY_INTO_FOLDER] = "into its folder",
		[WHY_BY_FOLDER] = "by a process in its folder",
		[WHY_NAMES_IMAGE] = "names its image",
	};
	return why <= WHY_NAMES_IMAGE ? name[why] : "?";
}

static int cmp_null_ci(const char *a, const char *b)
{
	return strcasecmp(a ? a : "", b ? b : "");
}

/* Whether hay holds needle, ASCII case ignored. */
static bool ci_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!hay || n == 0)
		return false;
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

/* ---- indexes over the store ----------------------------------------- */

/* The run of keys equal to key in n sorted keys of size bytes each,
 * whose first member is the string cmp compares: its first position,
 * and *count of them. */
static size_t equal_run(const void *keys, size_t n, size_t size, const char *key,
			int (*cmp)(const char *, const char *), size_t *count)
{
	const char *base = keys;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cmp(*(const char *const *)(const void *)(base + mid * size), key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < n && cmp(*(const char *const *)(const void *)(base + end * size), key) == 0)
		end++;
	*count = end - lo;
	return lo;
}

/* Store events sorted by one GUID field (ASCII case ignored), for the
 * lookups of every story: O((P + E) log E), not O(P x E). */
struct guid_key {
	const char *guid;   /* first: equal_run reads it */
	int64_t time;
	size_t event;
};

struct by_guid {
	struct guid_key *k;
	size_t n;
};

static int cmp_guid_key(const void *pa, const void *pb)
{
	const struct guid_key *a = pa, *b = pb;
	int c = strcasecmp(a->guid, b->guid);
	if (c)
		return c;
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	return a->event < b->event ? -1 : a->event > b->event;
}

static void by_guid_build(struct by_guid *b, const struct findings *store, enum event_field field)
{
	b->k = xcalloc(store->n_events + 1, sizeof *b->k);
	b->n = 0;
	for (size_t i = 0; i < store->n_events; i++) {
		const struct event *e = &store->events[i];
		if (e->field[field])
			b->k[b->n++] = (struct guid_key){ e->field[field], e->time, i };
	}
	if (b->n > 1)
		qsort(b->k, b->n, sizeof *b->k, cmp_guid_key);
}

/* The first position of guid in b, and *count of them. */
static size_t by_guid_find(const struct by_guid *b, const char *guid, size_t *count)
{
	return equal_run(b->k, b->n, sizeof *b->k, guid, strcasecmp, count);
}

/* The earliest Event ID 1 of guid on host, or STORY_NONE. */
static size_t creation_of(const struct findings *store, const struct by_guid *b, const char *guid,
			  const char *host)
{
	size_t n, at = by_guid_find(b, guid, &n);
	for (size_t k = at; k < at + n; k++) {
		const struct event *e = &store->events[b->k[k].event];
		if (e->event_id == 1 && cmp_null_ci(e->field[EF_COMPUTER], host) == 0)
			return b->k[k].event;
	}
	return STORY_NONE;
}

/* ---- one story ------------------------------------------------------ */

static void add_ref(struct story_ref **v, size_t *n, const struct findings *store, size_t event,
		    enum story_why why)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].event == event)
			return;    /* told once, for the first reason */
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = (struct story_ref){ event, store->events[event].time, (uint8_t)why };
}

static void add_peer(struct story_peer **v, size_t *n, const struct event *e,
		     const char *a, const char *b, const char *c, const char *d)
{
	struct story_peer *p = NULL;
	for (size_t i = 0; i < *n && !p; i++)
		if (!cmp_null_ci((*v)[i].a, a) && !cmp_null_ci((*v)[i].b, b) &&
		    !cmp_null_ci((*v)[i].c, c) && !cmp_null_ci((*v)[i].d, d))
			p = &(*v)[i];
	if (!p) {
		*v = xrealloc(*v, (*n + 1) * sizeof **v);
		p = &(*v)[(*n)++];
		*p = (struct story_peer){ a, b, c, d, 0, e->time, e->time };
	}
	p->count++;
	if (e->time < p->first)
		p->first = e->time;
	if (e->time > p->last)
		p->last = e->time;
}

/* Its own events: those with its ProcessGuid. */
static void take_own(struct story *s, const struct findings *store, const struct by_guid *own)
{
	size_t n, at = by_guid_find(own, s->guid, &n);
	for (size_t k = at; k < at + n; k++) {
		size_t i = own->k[k].event;
		const struct event *e = &store->events[i];
		if (cmp_null_ci(e->field[EF_COMPUTER], s->host) != 0)
			continue;
		s->own = xrealloc(s->own, (s->n_own + 1) * sizeof *s->own);
		s->own[s->n_own++] = i;
		switch (e->event_id) {
		case 1:
			if (s->create == STORY_NONE)
				s->create = i;
			break;
		case 3:
			add_peer(&s->net, &s->n_net, e, e->field[EF_DESTINATION_IP],
				 e->field[EF_DESTINATION_HOSTNAME], e->field[EF_DESTINATION_PORT],
				 e->field[EF_PROTOCOL]);
			break;
		case 22:
			add_peer(&s->dns, &s->n_dns, e, e->field[EF_QUERY_NAME],
				 e->field[EF_QUERY_RESULTS], NULL, NULL);
			break;
		case 5:
			if (s->terminated == STORY_NONE)
				s->terminated = i;
			break;
		case 11:
			add_ref(&s->files, &s->n_files, store, i, WHY_BY_IT);
			break;
		case 13:
			add_ref(&s->registry, &s->n_registry, store, i, WHY_BY_IT);
			break;
		}
	}
}

static void take_children(struct story *s, const struct findings *store,
			  const struct by_guid *parent)
{
	size_t n, at = by_guid_find(parent, s->guid, &n);
	for (size_t k = at; k < at + n; k++) {
		const struct event *e = &store->events[parent->k[k].event];
		if (e->event_id != 1 || cmp_null_ci(e->field[EF_COMPUTER], s->host) != 0)
			continue;
		s->children = xrealloc(s->children, (s->n_children + 1) * sizeof *s->children);
		s->children[s->n_children++] = parent->k[k].event;
	}
}

/* Follows ParentProcessGuid from its creation, as far as the creations
 * found go, to STORY_PARENTS levels. */
static void take_parents(struct story *s, const struct findings *store,
			 const struct by_guid *own)
{
	size_t cur = s->create;
	while (cur != STORY_NONE) {
		const struct event *child = &store->events[cur];
		const char *pg = child->field[EF_PARENT_PROCESS_GUID];
		if (!pg)
			return;
		if (s->n_parents == STORY_PARENTS) {
			s->parents_more = true;
			return;
		}
		struct story_parent *p = &s->parent[s->n_parents++];
		p->guid = pg;
		p->create = creation_of(store, own, pg, s->host);
		const struct event *self = p->create != STORY_NONE ? &store->events[p->create] : NULL;
		p->image = child->field[EF_PARENT_IMAGE] ? child->field[EF_PARENT_IMAGE]
			   : self ? self->field[EF_IMAGE] : NULL;
		p->command_line = child->field[EF_PARENT_COMMAND_LINE]
				  ? child->field[EF_PARENT_COMMAND_LINE]
				  : self ? self->field[EF_COMMAND_LINE] : NULL;
		cur = p->create;
	}
}

static void take_renamed(struct story *s, const struct findings *store)
{
	if (s->create == STORY_NONE) {
		s->renamed = -1;
		return;
	}
	const struct event *c = &store->events[s->create];
	const char *ofn = c->field[EF_ORIGINAL_FILE_NAME];
	s->renamed = ofn && strcasecmp(ofn, "client32.exe") == 0 &&
		     strcasecmp(path_base_win(s->image), "client32.exe") != 0;
}

/* ---- by folder ------------------------------------------------------ */

struct folder_key {
	const char *folder;   /* owned (first: equal_run reads it) */
	size_t story;
};

struct by_folder {
	struct folder_key *k;   /* sorted by folder */
	size_t n;
};

static int cmp_folder(const void *pa, const void *pb)
{
	const struct folder_key *a = pa, *b = pb;
	int c = strcmp(a->folder, b->folder);
	return c ? c : a->story < b->story ? -1 : a->story > b->story;
}

static void by_folder_build(struct by_folder *bf, const struct stories *st)
{
	bf->k = xcalloc(st->n + 1, sizeof *bf->k);
	bf->n = 0;
	for (size_t i = 0; i < st->n; i++) {
		char *f = story_folder(st->v[i].image);
		if (f)
			bf->k[bf->n++] = (struct folder_key){ f, i };
	}
	if (bf->n > 1)
		qsort(bf->k, bf->n, sizeof *bf->k, cmp_folder);
}

static void by_folder_free(struct by_folder *bf)
{
	for (size_t i = 0; i < bf->n; i++)
		free((void *)bf->k[i].folder);
	free(bf->k);
}

/* Calls fn for each story whose folder is folder (lower case). */
static void each_in_folder(const struct by_folder *bf, const char *folder,
			   void (*fn)(struct story *, void *), struct stories *st, void *arg)
{
	size_t n, at = equal_run(bf->k, bf->n, sizeof *bf->k, folder, strcmp, &n);
	for (size_t i = at; i < at + n; i++)
		fn(&st->v[bf->k[i].story], arg);
}

struct folder_hit {
	const struct findings *store;
	const struct event *e;
	size_t event;
	enum story_why why;
};

static void file_hit(struct story *s, void *arg)
{
	const struct folder_hit *h = arg;
	if (cmp_null_ci(h->e->field[EF_COMPUTER], s->host) == 0)
		add_ref(&s->files, &s->n_files, h->store, h->event, h->why);
}

static void registry_hit(struct story *s, void *arg)
{
	const struct folder_hit *h = arg;
	if (cmp_null_ci(h->e->field[EF_COMPUTER], s->host) == 0 &&
	    ci_contains(h->e->field[EF_DETAILS], s->image))
		add_ref(&s->registry, &s->n_registry, h->store, h->event, WHY_NAMES_IMAGE);
}

/* Files into a story's folder or by a process in it; registry values
 * whose data names its image (each folder in the data is looked up). */
static void take_by_folder(struct stories *st, const struct by_folder *bf)
{
	const struct findings *store = &st->store;
	for (size_t i = 0; i < store->n_events; i++) {
		const struct event *e = &store->events[i];
		struct folder_hit h = { store, e, i, WHY_INTO_FOLDER };
		if (e->event_id == 11) {
			char *into = story_folder(e->field[EF_TARGET_FILENAME]);
			char *by = story_folder(e->field[EF_IMAGE]);
			if (into)
				each_in_folder(bf, into, file_hit, st, &h);
			h.why = WHY_BY_FOLDER;
			if (by)
				each_in_folder(bf, by, file_hit, st, &h);
			free(into);
			free(by);
		} else if (e->event_id == 13 && e->field[EF_DETAILS]) {
			const char *d = e->field[EF_DETAILS];
			for (size_t k = 0; d[k] && d[k + 1]; k++) {
				if (d[k + 1] != ':' || d[k + 2] != '\\')
					continue;
				for (const char *q = d + k + 2; (q = strchr(q, '\\')); q++) {
					char *f = xstrndup(d + k, (size_t)(q - (d + k)) + 1);
					for (char *c = f; *c; c++)
						*c = (char)tolower((unsigned char)*c);
					each_in_folder(bf, f, registry_hit, st, &h);
					free(f);
				}
			}
		}
	}
}

/* ---- building them all ---------------------------------------------- */

static int cmp_story(const void *pa, const void *pb)
{
	const struct story *a = pa, *b = pb;
	int c = strcmp(a->host, b->host);
	if (!c)
		c = strcmp(a->image, b->image);
	return c ? c : strcmp(a->guid, b->guid);
}

static int cmp_ref_time(const void *pa, const void *pb)
{
	const struct story_ref *a = pa, *b = pb;
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	return a->event < b->event ? -1 : a->event > b->event;
}

static void add_inputs_of(struct story *s, const struct findings *store, size_t event)
{
	const struct event_sources *src = &store->sources[event];
	for (size_t i = 0; i < src->n; i++)
		input_set_add(&s->inputs, &s->n_inputs, src->inputs[i]);
	s->n_events++;
}

static int cmp_size(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	return a < b ? -1 : a > b;
}

size_t *story_events(const struct story *s, size_t *n)
{
	size_t cap = s->n_own + s->n_parents + s->n_children + s->n_files + s->n_registry + 1;
	size_t *v = xcalloc(cap, sizeof *v), k = 0;
	for (size_t i = 0; i < s->n_own; i++)
		v[k++] = s->own[i];
	for (size_t i = 0; i < s->n_parents; i++)
		if (s->parent[i].create != STORY_NONE)
			v[k++] = s->parent[i].create;
	for (size_t i = 0; i < s->n_children; i++)
		v[k++] = s->children[i];
	for (size_t i = 0; i < s->n_files; i++)
		v[k++] = s->files[i].event;
	for (size_t i = 0; i < s->n_registry; i++)
		v[k++] = s->registry[i].event;
	if (k > 1)
		qsort(v, k, sizeof *v, cmp_size);
	size_t kept = 0;
	for (size_t i = 0; i < k; i++)
		if (!kept || v[kept - 1] != v[i])
			v[kept++] = v[i];
	*n = kept;
	return v;
}

/* Counts each event told once, and where they all came from. */
static void take_inputs(struct story *s, const struct findings *store)
{
	size_t n;
	size_t *v = story_events(s, &n);
	for (size_t i = 0; i < n; i++)
		add_inputs_of(s, store, v[i]);
	free(v);
}

/* (host, ProcessGuid) order, to find a row's story. */
static int cmp_identity(const void *pa, const void *pb)
{
	const struct story *a = pa, *b = pb;
	int c = strcmp(a->host, b->host);
	return c ? c : strcmp(a->guid, b->guid);
}

/* The flagged processes: one story per (host, ProcessGuid) of the
 * unsuppressed rows that have a ProcessGuid (a process has one image; a
 * second row under the same GUID with another keeps the first, sorted). */
/* A flagged process as its row names it, before it is a story. */
struct process_key {
	const char *host, *guid, *image;
};

static int cmp_process_key(const void *pa, const void *pb)
{
	const struct process_key *a = pa, *b = pb;
	int c = strcmp(a->host, b->host);
	return c ? c : strcmp(a->guid, b->guid);
}

static void collect_processes(struct stories *st, const struct findings *f)
{
	/* sorted as keys first: a story is large, and a log of thousands
	 * of hits has far fewer processes than rows */
	struct process_key *keys = xcalloc(f->n_rows + 1, sizeof *keys);
	size_t n = 0;
	for (size_t r = 0; r < f->n_rows; r++) {
		const struct finding *row = &f->rows[r];
		if (row->suppressed || strcmp(row->key[BF_PROCESS_GUID], "0") == 0)
			continue;
		keys[n++] = (struct process_key){ row->key[BF_DEST], row->key[BF_PROCESS_GUID],
						  row->key[BF_IMAGE] };
	}
	if (n > 1)
		qsort(keys, n, sizeof *keys, cmp_process_key);
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++)
		distinct += i == 0 || cmp_process_key(&keys[i - 1], &keys[i]) != 0;
	st->v = xcalloc(distinct + 1, sizeof *st->v);
	st->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && cmp_process_key(&keys[i - 1], &keys[i]) == 0)
			continue;
		st->v[st->n++] = (struct story){
			.host = xstrdup(keys[i].host), .guid = xstrdup(keys[i].guid),
			.image = xstrdup(keys[i].image), .create = STORY_NONE,
			.terminated = STORY_NONE,
		};
	}
	free(keys);
}

/* Each unsuppressed row to its story, through the (host, GUID) order;
 * then the stories in the order they are shown. */
static void link_rows(struct stories *st, const struct findings *f)
{
	st->n_of_row = f->n_rows;
	st->of_row = xcalloc(f->n_rows + 1, sizeof *st->of_row);
	for (size_t r = 0; r < f->n_rows; r++) {
		const struct finding *row = &f->rows[r];
		struct story key = { .host = row->key[BF_DEST], .guid = row->key[BF_PROCESS_GUID] };
		struct story *s = row->suppressed || !st->n ? NULL :
			bsearch(&key, st->v, st->n, sizeof *st->v, cmp_identity);
		st->of_row[r] = STORY_NONE;
		if (!s)
			continue;
		s->rows = xrealloc(s->rows, (s->n_rows + 1) * sizeof *s->rows);
		s->rows[s->n_rows++] = r;
	}
	if (st->n > 1)
		qsort(st->v, st->n, sizeof *st->v, cmp_story);
	for (size_t i = 0; i < st->n; i++)
		for (size_t k = 0; k < st->v[i].n_rows; k++)
			st->of_row[st->v[i].rows[k]] = i;
}

void stories_build(struct stories *st, const struct findings *f)
{
	collect_processes(st, f);
	link_rows(st, f);
	struct by_guid own, parent;
	by_guid_build(&own, &st->store, EF_PROCESS_GUID);
	by_guid_build(&parent, &st->store, EF_PARENT_PROCESS_GUID);
	for (size_t i = 0; i < st->n; i++) {
		struct story *s = &st->v[i];
		take_own(s, &st->store, &own);
		take_children(s, &st->store, &parent);
		take_parents(s, &st->store, &own);
		take_renamed(s, &st->store);
	}
	struct by_folder bf;
	by_folder_build(&bf, st);
	take_by_folder(st, &bf);
	by_folder_free(&bf);
	for (size_t i = 0; i < st->n; i++) {
		struct story *s = &st->v[i];
		if (s->n_files > 1)
			qsort(s->files, s->n_files, sizeof *s->files, cmp_ref_time);
		if (s->n_registry > 1)
			qsort(s->registry, s->n_registry, sizeof *s->registry, cmp_ref_time);
		take_inputs(s, &st->store);
	}
	free(own.k);
	free(parent.k);
}

/* Adds host to the list once (ASCII case ignored, as hosts are matched). */
static void add_host(char ***hosts, size_t *n, const char *host)
{
	for (size_t i = 0; i < *n; i++)
		if (strcasecmp((*hosts)[i], host) == 0)
			return;
	*hosts = xrealloc(*hosts, (*n + 1) * sizeof **hosts);
	(*hosts)[(*n)++] = xstrdup(host);
}

size_t stories_missing_parents(const struct stories *st, const struct story_want *searched,
			       struct story_want *want, char ***hosts, size_t *n_hosts)
{
	size_t n = 0;
	for (size_t i = 0; i < st->n; i++) {
		const struct story *s = &st->v[i];
		if (s->n_parents == 0 || s->n_parents >= STORY_PARENTS)
			continue;
		const struct story_parent *p = &s->parent[s->n_parents - 1];
		if (p->create != STORY_NONE || want_has_guid_text(searched, p->guid) ||
		    want_has_guid_text(want, p->guid))
			continue;
		want_add_guid(want, p->guid);
		if (hosts)
			add_host(hosts, n_hosts, s->host);
		n++;
	}
	return n;
}

const struct story *stories_find(const struct stories *st, const char *host, const char *image,
				 const char *guid)
{
	if (!st || !st->n || !host || !image || !guid)
		return NULL;
	struct story key = { .host = (char *)host, .image = (char *)image, .guid = (char *)guid };
	return bsearch(&key, st->v, st->n, sizeof *st->v, cmp_story);
}

const struct story *stories_of_row(const struct stories *st, size_t row)
{
	if (!st || !st->enabled || row >= st->n_of_row || st->of_row[row] == STORY_NONE)
		return NULL;
	return &st->v[st->of_row[row]];
}

const char *story_row_user(const struct stories *st, const struct findings *f, size_t row)
{
	const struct finding *r = &f->rows[row];
	for (size_t i = 0; i < r->n_events; i++)
		if (f->events[r->events[i]].field[EF_USER])
			return f->events[r->events[i]].field[EF_USER];
	const struct story *s = stories_of_row(st, row);
	if (s && s->create != STORY_NONE)
		return st->store.events[s->create].field[EF_USER];
	return NULL;
}

char *story_destinations(const struct story *s, size_t max)
{
	struct strbuf sb = { 0 };
	sb_puts(&sb, "");
	for (size_t i = 0; i < s->n_net && i < max; i++) {
		const struct story_peer *p = &s->net[i];
		sb_printf(&sb, "%s%s:%s", i ? "; " : "", p->a ? p->a : "?", p->c ? p->c : "?");
		if (p->b)
			sb_printf(&sb, " (%s)", p->b);
		if (p->d)
			sb_printf(&sb, " %s", p->d);
	}
	if (s->n_net > max)
		sb_printf(&sb, "; and %zu more", s->n_net - max);
	return sb_take(&sb);
}

void stories_note(struct stories *st, char *line)
{
	st->notes = xrealloc(st->notes, (st->n_notes + 1) * sizeof *st->notes);
	st->notes[st->n_notes++] = line;
}

void stories_free(struct stories *st)
{
	for (size_t i = 0; i < st->n; i++) {
		struct story *s = &st->v[i];
		free(s->host);
		free(s->guid);
		free(s->image);
		free(s->net);
		free(s->dns);
		free(s->files);
		free(s->registry);
		free(s->children);
		free(s->own);
		free(s->rows);
		free(s->inputs);
	}
	free(st->v);
	free(st->of_row);
	for (size_t i = 0; i < st->n_notes; i++)
		free(st->notes[i]);
	free(st->notes);
	findings_free(&st->store);
	memset(st, 0, sizeof *st);
}
