/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* discover: walking an image down to its logs. The walk (walk.h) and
 * what it hands on are here; a disk's layers are listed in
 * discover_disk.c, an archive's members in discover_archive.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "image.h"
#include "strbuf.h"
#include "walk.h"

void walk_fail(struct walk *w, bool incomplete, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (incomplete && w->res->status == INPUT_OK) {
		w->res->status = INPUT_PARTIAL;
		char *where = locator_format(&w->loc);
		struct strbuf sb = { 0 };
		sb_printf(&sb, "%s: %s", where, why);
		snprintf(w->res->reason, sizeof w->res->reason, "%s", sb.data);
		sb_free(&sb);
		free(where);
	}
	if (w->sink->note(w->sink->ctx, &w->loc, incomplete, why) != 0)
		w->stop = true;
}

/* Drops the steps past n (back to where the walk was). */
void walk_pop_to(struct locator *loc, size_t n)
{
	while (loc->n > n) {
		struct step *s = &loc->steps[--loc->n];
		free(s->name);
		free(s->detail);
	}
}

/* A log at w->loc, size bytes: handed on, or noted when empty. Returns
 * the sink's answer (-1: stop). */
int walk_hand_log(struct walk *w, uint64_t size, enum input_kind kind)
{
	int rc = 0;
	w->res->logs++;
	if (size == 0)   /* nothing to read, nothing lost: listed, not read */
		walk_fail(w, false, "empty file (0 bytes): no records");
	else
		rc = w->sink->found(w->sink->ctx, &w->loc, size, (uint8_t)kind);
	if (rc != 0)
		w->stop = true;
	return rc;
}

/* One of NetSupport's files at w->loc: handed on even when empty (an
 * empty NSM.LIC was still put there). */
int walk_hand_file(struct walk *w, uint64_t size)
{
	int rc = w->sink->found(w->sink->ctx, &w->loc, size, INPUT_FILE);
	if (rc != 0)
		w->stop = true;
	return rc;
}

/* --carve: a region of the layer at w->loc, read for chunks by a worker
 * of its own, which finds its bytes again (size 0: only it knows; TSK's
 * walk of the cluster bitmap is done there, once, not here as well). */
void walk_carve_region(struct walk *w, const char *region, uint64_t size)
{
	size_t depth = w->loc.n;
	locator_push(&w->loc, STEP_CARVED, region)->size = size;
	if (w->sink->found(w->sink->ctx, &w->loc, size, INPUT_EVTX) != 0)
		w->stop = true;
	walk_pop_to(&w->loc, depth);
}

void discover_image(const struct image_input *im, const struct collect_options *opt,
		    const struct discover_sink *sink, struct discover_result *res)
{
	char err[SOURCE_ERR_MAX * 2];
	char *detail = NULL;
	struct walk w = { .opt = opt, .sink = sink, .res = res };

	memset(res, 0, sizeof *res);
	if (im->format && im->format->listed) {
		walk_archive(im, &w);
		return;
	}
	locator_push(&w.loc, STEP_FILE, im->path);
	struct step *img = locator_push(&w.loc, STEP_IMAGE, image_format_name(im->format));
	w.disk = image_open(im->format, im->path, &detail, err, sizeof err);
	if (!w.disk) {
		res->status = INPUT_FAILED;
		snprintf(res->reason, sizeof res->reason, "%s image: %s",
			 image_format_name(im->format), err);
		locator_clear(&w.loc);
		return;
	}
	if (detail) {
		img->detail = detail;
		snprintf(res->detail, sizeof res->detail, "%s", detail);
	}
	img->size = w.disk->size;
	walk_disk(&w);
	if (opt->verify) {
		int v = image_verify(w.disk, detail, res->verify, sizeof res->verify);
		if (v == 0 && res->status == INPUT_OK) {
			res->status = INPUT_PARTIAL;
			snprintf(res->reason, sizeof res->reason, "%s image: stored hash does not "
				 "match its contents", image_format_name(im->format));
		}
	}
	res->media_read = w.disk->bytes_read;
	char what[SOURCE_ERR_MAX];
	if (w.disk->damage && w.disk->damage(w.disk, what, sizeof what) &&
	    res->status == INPUT_OK) {
		res->status = INPUT_PARTIAL;
		snprintf(res->reason, sizeof res->reason, "%s image: %s",
			 image_format_name(im->format), what);
	}
	source_close(w.disk);
	locator_clear(&w.loc);
}
