/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* scan + parse: one EVTX file in; its Sysmon Event ID 7 records out, as
 * struct events; its coverage into struct input.
 *
 * Two ways, one result. By default the scanner (scan.c) reads the file
 * once, and libevtx parses only the chunks that hold a candidate record,
 * each opened from memory on its own. With --no-prefilter libevtx opens
 * the whole file and parses every record: the reference the pre-filter
 * is tested against. Either way libevtx renders each Event ID 7 record
 * as XML and parse.c takes the fields from it. */
#include <errno.h>
#include <fcntl.h>
#include <libevtx.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bfio.h"
#include "carve.h"
#include "fields.h"
#include "hash.h"
#include "locator.h"
#include "reader.h"
#include "scan.h"
#include "source.h"
#include "strbuf.h"
#include "timefmt.h"

/* A string libevtx gives in two calls (its size, then its bytes), as a
 * new allocation the caller frees; NULL when libevtx has none. */
typedef int (*utf8_size_fn)(libevtx_record_t *, size_t *, libevtx_error_t **);
typedef int (*utf8_copy_fn)(libevtx_record_t *, uint8_t *, size_t, libevtx_error_t **);

static char *record_utf8(libevtx_record_t *record, utf8_size_fn size_of, utf8_copy_fn copy)
{
	size_t size = 0;
	if (size_of(record, &size, NULL) != 1 || size == 0)
		return NULL;
	char *s = xmalloc(size);
	if (copy(record, (uint8_t *)s, size, NULL) != 1) {
		free(s);
		return NULL;
	}
	return s;
}

static char *utf8_computer(libevtx_record_t *record)
{
	return record_utf8(record, libevtx_record_get_utf8_computer_name_size,
			   libevtx_record_get_utf8_computer_name);
}

static char *utf8_xml(libevtx_record_t *record)
{
	return record_utf8(record, libevtx_record_get_utf8_xml_string_size,
			   libevtx_record_get_utf8_xml_string);
}

/* One reading of a file: where events go and what is counted. */
struct pass {
	struct input *in;
	uint32_t input_index;
	event_sink sink;
	void *ctx;
	bool recovered;       /* the records now read are recovered ones */
	bool coverage;        /* the Event ID 7 counts come from these records
	                         (not from the scanner); the times always come
	                         from the scanner's walk, whose record headers
	                         give them even where libevtx cannot parse */
	uint64_t errors;      /* allocated records libevtx could not read */
	bool hosts;           /* the Computer names come from these records
	                         (carving: no scan of a whole file gives them) */
	const struct event_select *select;   /* read_options' */
	bool story;           /* the story pass: what select selects goes to
	                         the sink, uncounted, and no trace */
	event_sink traced;    /* the events the trace rules read (read_options);
	                         set only with traced_select */
	const struct event_select *traced_select;
	void *traced_ctx;
	uint64_t recovered_errors;   /* recovered records libevtx could not read:
	                                fragments mostly, counted apart */
	uint64_t selected;    /* allocated records read as what select
	                         selects (Sysmon Event ID 7), counted or not */
};

/* A pass of input in (index input_index) as opt says: its events to
 * sink, the traced ones to opt's traced sink when it selects any; what
 * it counts (coverage, hosts) is its caller's to set. */
static struct pass pass_of(struct input *in, uint32_t input_index,
			   const struct read_options *opt, event_sink sink, void *ctx)
{
	return (struct pass){
		.in = in, .input_index = input_index, .sink = sink, .ctx = ctx,
		.story = opt->story != NULL, .select = opt->select,
		.traced = opt->traced_select ? opt->traced : NULL,
		.traced_select = opt->traced_select, .traced_ctx = opt->traced_ctx,
	};
}

/* A record of this pass libevtx could not read, counted as allocated or
 * recovered as the record is. */
static void pass_error(struct pass *ps)
{
	if (ps->recovered)
		ps->recovered_errors++;
	else
		ps->errors++;
}

/* An event read from a record, by libevtx or by fields.c: what its XML
 * lacked comes from the record's header (identifier, written time);
 * then it goes where the pass sends it. Returns 0, or -1 when a sink
 * said stop. */
static int take_event(struct pass *ps, struct event *ev, uint64_t offset,
		      uint64_t identifier, bool have_written, uint64_t written)
{
	if (ev->record_id == 0)
		ev->record_id = identifier;
	if (ev->time == TIME_NONE && have_written)
		ev->time = (int64_t)written;
	ev->recovered = ps->recovered;
	ev->input = ps->input_index;
	ev->offset = offset;
	ev->origin = (uint8_t)locator_origin(&ps->in->loc);
	if (ev->recovered && ev->origin < ORIGIN_SLACK)
		ev->origin = ORIGIN_SLACK;
	int rc = 0;
	if (ps->story) {
		if (ps->select->event(ev))
			rc = ps->sink(ps->ctx, ev);
	} else if (ps->select->event(ev)) {
		ps->selected += !ps->recovered;
		if (ps->coverage && ps->recovered)
			ps->in->eid7_recovered++;
		else if (ps->coverage)
			ps->in->eid7++;
		rc = ps->sink(ps->ctx, ev);
	} else if (ps->traced && ps->traced_select->event(ev)) {
		rc = ps->traced(ps->traced_ctx, ev);
	}
	event_clear(ev);
	return rc;
}

/* Whether the pass reads records of this Event ID at all: asked before
 * a record is rendered. */
static bool pass_wants(const struct pass *ps, uint32_t event_id)
{
	return ps->select->id(event_id & 0xffff) ||
	       (!ps->story && ps->traced && ps->traced_select->id(event_id & 0xffff));
}

/* Copies what rmmhunt needs out of one record. libevtx 20181227 frees
 * older records' data from its cache, so nothing of the record may be
 * kept past this function. Returns 0, or -1 when the sink said stop. */
static int take_record(struct pass *ps, libevtx_record_t *record, uint64_t offset)
{
	uint64_t written = 0;
	uint32_t event_id = 0;
	bool have_written = libevtx_record_get_written_time(record, &written, NULL) == 1;

	if (!ps->recovered) {
		char *computer = ps->hosts ? utf8_computer(record) : NULL;
		if (computer)
			input_add_computer(ps->in, computer);
		free(computer);
	}
	/* Cheap test first: only Event ID 7 records (the story's, in its
	 * pass; and those the trace rules read, with traces) are rendered. */
	if (libevtx_record_get_event_identifier(record, &event_id, NULL) != 1 ||
	    !pass_wants(ps, event_id))
		return 0;
	char *xml = utf8_xml(record);
	struct event ev = { 0 };
	if (!xml || parse_event_xml(xml, &ev) != 0) {
		free(xml);
		event_clear(&ev);
		pass_error(ps);
		return 0;
	}
	free(xml);
	uint64_t identifier = 0;
	if (ev.record_id == 0)
		libevtx_record_get_identifier(record, &identifier, NULL);
	return take_event(ps, &ev, offset, identifier, have_written, written);
}

/* ---- --no-prefilter --------------------------------------------------- */

/* libevtx 20181227 gives every record offset as 0, so where each record
 * lies is taken from the scanner's own walk of the chunks: record
 * identifier -> file offset, for the allocated records and for those in
 * slack. */
struct offset_map {
	struct { uint64_t id, offset; bool taken; } *v;
	size_t n, cap;
};

static void map_add(struct offset_map *m, uint64_t id, uint64_t offset)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 256;
		m->v = xrealloc(m->v, m->cap * sizeof *m->v);
	}
	m->v[m->n].id = id;
	m->v[m->n].taken = false;
	m->v[m->n++].offset = offset;
}

static int cmp_id(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;   /* id, then offset: the first members */
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* The offset of the first record with that id not yet taken, which it
 * marks taken, or 0 when none. libevtx hands the records in file order,
 * so the k-th copy of a record (a chunk duplicated in the file) gets the
 * k-th offset, not the first one again. When every copy is taken (libevtx
 * listing more copies than the walk saw) the first is given. */
static uint64_t map_take(struct offset_map *m, uint64_t id)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == m->n || m->v[lo].id != id)
		return 0;
	for (size_t i = lo; i < m->n && m->v[i].id == id; i++)
		if (!m->v[i].taken) {
			m->v[i].taken = true;
			return m->v[i].offset;
		}
	return m->v[lo].offset;
}

struct offsets {
	struct offset_map allocated, slack;
};

static void offsets_build(struct offsets *o, struct source *src)
{
	uint8_t hdr[SCAN_FILE_HEADER_SIZE];
	memset(o, 0, sizeof *o);
	if (source_read(src, 0, hdr, sizeof hdr) != (ssize_t)sizeof hdr)
		return;
	uint64_t start = hdr[40] | hdr[41] << 8;
	uint8_t *chunk = xmalloc(SCAN_CHUNK_SIZE);
	struct scan_record *recs = xmalloc(SCAN_CHUNK_MAX_RECORDS * sizeof *recs);
	for (uint64_t off = start ? start : SCAN_FILE_HEADER_SIZE;
	     source_read(src, off, chunk, SCAN_CHUNK_SIZE) == SCAN_CHUNK_SIZE;
	     off += SCAN_CHUNK_SIZE) {
		uint32_t dmg = 0;
		size_t n = scan_chunk_records(chunk, false, recs, &dmg);
		for (size_t i = 0; i < n; i++)
			map_add(recs[i].kind == SCAN_REC_ALLOCATED ? &o->allocated : &o->slack,
				recs[i].id, off + recs[i].offset);
	}
	free(recs);
	free(chunk);
	if (o->allocated.n)
		qsort(o->allocated.v, o->allocated.n, sizeof *o->allocated.v, cmp_id);
	if (o->slack.n)
		qsort(o->slack.v, o->slack.n, sizeof *o->slack.v, cmp_id);
}

static void offsets_free(struct offsets *o)
{
	free(o->allocated.v);
	free(o->slack.v);
}

/* Where the record lies: a recovered one is looked for in slack first. */
static uint64_t record_offset(struct offsets *o, libevtx_record_t *record,
			      bool recovered)
{
	uint64_t id = 0;
	if (!o || libevtx_record_get_identifier(record, &id, NULL) != 1)
		return 0;
	struct offset_map *first = recovered ? &o->slack : &o->allocated;
	struct offset_map *then = recovered ? &o->allocated : &o->slack;
	uint64_t off = map_take(first, id);
	return off ? off : map_take(then, id);
}

typedef int (*get_record_fn)(libevtx_file_t *, int, libevtx_record_t **,
			     libevtx_error_t **);

static int read_records(struct pass *ps, libevtx_file_t *file, int count,
			get_record_fn get, struct offsets *where)
{
	for (int i = 0; i < count; i++) {
		libevtx_record_t *record = NULL;
		if (get(file, i, &record, NULL) != 1) {
			pass_error(ps);
			continue;
		}
		int rc = take_record(ps, record, record_offset(where, record, ps->recovered));
		libevtx_record_free(&record, NULL);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* libevtx opens the whole file and parses every record; res is the
 * scan's (the offsets of the records are the scanner's, see struct
 * offsets); *listed: how many records libevtx lists (for
 * note_whole_file). Returns 0, -1 when the sink said stop, or 1 when
 * libevtx cannot open the file (nothing read: the caller reads it chunk
 * by chunk). */
static int read_whole_file(struct input *in, struct source *src, uint32_t input_index,
			   const struct read_options *opt, const struct scan_result *res,
			   event_sink sink, void *ctx, int *listed)
{
	libevtx_file_t *file = NULL;
	libbfio_handle_t *bfio = NULL;
	char reason[512];
	int allocated = 0, recovered = 0;

	if (source_bfio_handle(src, &bfio, reason, sizeof reason) != 0)
		return 1;
	if (libevtx_file_initialize(&file, NULL) != 1 ||
	    libevtx_file_open_file_io_handle(file, bfio, LIBEVTX_OPEN_READ, NULL) != 1) {
		libevtx_file_free(&file, NULL);
		libbfio_handle_free(&bfio, NULL);
		return 1;
	}
	libevtx_file_get_number_of_records(file, &allocated, NULL);
	if (opt->recovered)
		libevtx_file_get_number_of_recovered_records(file, &recovered, NULL);

	struct offsets where;
	offsets_build(&where, src);
	struct pass ps = pass_of(in, input_index, opt, sink, ctx);
	ps.coverage = true;
	int rc = read_records(&ps, file, allocated, libevtx_file_get_record_by_index, &where);
	in->records = (uint64_t)allocated - ps.errors;
	if (rc == 0 && opt->recovered) {
		ps.recovered = true;
		rc = read_records(&ps, file, recovered, libevtx_file_get_recovered_record_by_index,
				  &where);
		/* Most recovered records that fail are fragments, not losses:
		 * they are counted, not held against the file. */
		in->recovered = (uint64_t)recovered - ps.recovered_errors;
		in->recovered_errors = ps.recovered_errors;
	}
	in->record_errors = ps.errors;
	input_add_time(in, res->first_time);
	input_add_time(in, res->last_time);
	*listed = allocated;
	/* libevtx_file_is_corrupted() is not asked: the scan's own check of
	 * every chunk (take_scan) gives the verdict in both readings, and
	 * libevtx also says "corrupted" for a file header whose CRC alone is
	 * wrong, when every chunk reads. */
	offsets_free(&where);
	libevtx_file_close(file, NULL);
	libevtx_file_free(&file, NULL);
	libbfio_handle_free(&bfio, NULL);
	return rc;
}

/* What reading the file whole left unread, said after the scan's
 * verdict (take_scan), in the order the chunk-by-chunk reading says it:
 * one reason, word for word, whatever the mode. */
static void note_whole_file(struct input *in, const struct scan_result *res, int listed)
{
	if (in->record_errors)
		input_note(in, INPUT_PARTIAL, "%llu of %d record%s could not be read",
			   (unsigned long long)in->record_errors, listed, listed == 1 ? "" : "s");
	if ((uint64_t)listed < res->records)
		input_note(in, INPUT_PARTIAL, "libevtx lists %d of the %llu records the "
			   "chunks hold", listed, (unsigned long long)res->records);
}

/* ---- the pre-filter ------------------------------------------------ */

struct chunk_pass {
	struct pass ps;
	bool recovered;       /* read recovered records too */
	bool fields;          /* fields.c reads the records it can (the
	                         pre-filter's reading; never --no-prefilter's) */
	struct source *runs;  /* carving: the runs read, to map offsets back */
	uint64_t base;        /* carving: where the runs' layer starts */
	uint64_t chunk_failures;
	char first_failure[320];
	struct tcache tc;     /* the chunk's definitions, for fields.c */
	uint64_t handed_eid7; /* allocated records read here that the scan
	                         counted as Sysmon Event ID 7 (eid7_count) */
};

/* libevtx on one chunk, opened at the first record fields.c leaves to it. */
struct chunk_lib {
	libevtx_file_t *file;
	libbfio_handle_t *bfio;
	uint8_t *image;
	bool failed;
};

/* Opens the chunk for libevtx; false (the failure noted once a chunk)
 * when it cannot. */
static bool chunk_lib_open(struct chunk_pass *cp, const struct scan_chunk *chunk,
			   struct chunk_lib *lib)
{
	char err[200];
	if (lib->file || lib->failed)
		return lib->file != NULL;
	if (chunk_open_libevtx(chunk->data, SCAN_CHUNK_SIZE, &lib->file, &lib->bfio,
			       &lib->image, err, sizeof err) == 0)
		return true;
	lib->failed = true;
	if (cp->chunk_failures++ == 0)
		snprintf(cp->first_failure, sizeof cp->first_failure,
			 "chunk at offset %llu: %s",
			 (unsigned long long)chunk->file_offset, err);
	return false;
}

/* Record r by libevtx. */
static int chunk_lib_take(struct chunk_pass *cp, struct chunk_lib *lib,
			  const struct scan_record *r, uint64_t at)
{
	libevtx_record_t *record = NULL;
	int got = r->kind == SCAN_REC_ALLOCATED
		? libevtx_file_get_record_by_index(lib->file, r->image_index, &record, NULL)
		: libevtx_file_get_recovered_record_by_index(lib->file, r->image_index,
							     &record, NULL);
	if (got != 1) {
		pass_error(&cp->ps);
		return 0;
	}
	int rc = take_record(&cp->ps, record, at);
	libevtx_record_free(&record, NULL);
	return rc;
}

/* Record r by fields.c, when it reads it: 1 taken, 0 left to libevtx,
 * -1 a sink said stop. Only allocated records the scanner follows whole
 * (readable), of a chunk with no damage: where libevtx reads every
 * record of the chunk. */
static int chunk_fields_take(struct chunk_pass *cp, const struct scan_chunk *chunk,
			     const struct scan_record *r, uint64_t at)
{
	if (!cp->fields || cp->runs || chunk->damage || r->kind != SCAN_REC_ALLOCATED ||
	    r->recovered || !r->readable)
		return 0;
	struct event ev = { 0 };
	if (!fields_read(chunk->data, r, &cp->tc, &ev))
		return 0;
	if (!pass_wants(&cp->ps, ev.event_id)) {
		event_clear(&ev);
		return 1;
	}
	return take_event(&cp->ps, &ev, at, r->id, true, (uint64_t)r->written) ? -1 : 1;
}

/* Parses the candidate records of one chunk: fields.c those it reads,
 * libevtx the others. Templates and strings are chunk-local, so
 * libevtx reads the chunk on its own, from memory. */
static int on_candidate_chunk(void *ctx, const struct scan_chunk *chunk)
{
	struct chunk_pass *cp = ctx;
	struct chunk_lib lib = { 0 };
	cp->tc.n = 0;
	int rc = 0;
	for (size_t i = 0; i < chunk->n_records && rc == 0; i++) {
		const struct scan_record *r = &chunk->records[i];
		if (!r->candidate || r->refused || (r->recovered && !cp->recovered))
			continue;     /* a refused one is counted from the scan */
		uint64_t at = chunk->file_offset + r->offset;
		if (cp->runs)   /* carved: the record's offset in the image */
			at = cp->base + source_runs_origin(cp->runs, at);
		cp->ps.recovered = r->recovered;
		int took = chunk_fields_take(cp, chunk, r, at);
		if (took == 0 && !chunk_lib_open(cp, chunk, &lib))
			continue;     /* read by neither: the scan's count stands */
		cp->handed_eid7 += r->eid7 && !r->recovered;
		if (took != 0)
			rc = took < 0 ? -1 : 0;
		else
			rc = chunk_lib_take(cp, &lib, r, at);
	}
	chunk_close_libevtx(&lib.file, &lib.bfio, &lib.image);
	return rc;
}

/* The records the scan refused (scan_record_check) that this reading
 * would have parsed, and which of them count against the file: every
 * bomb (no writer makes one), and the allocated records whose values
 * run past their chunk. Recovered records that do are what overwritten
 * fragments in slack look like (the public corpus has 16): counted as
 * recovered errors, like the fragments libevtx fails. */
struct refusals {
	uint64_t all;          /* records_refused */
	uint64_t bombs;        /* held against the file */
	uint64_t bounds;       /* held against the file */
	uint64_t fragments;    /* recovered, past their chunk: not held */
};

static struct refusals refusals(const struct scan_result *res, bool recovered)
{
	uint64_t bounds_alloc = res->refused_bounds - res->refused_bounds_recovered;
	uint64_t refused_alloc = res->refused - res->refused_recovered;
	struct refusals r = { .all = refused_alloc, .bounds = bounds_alloc,
			      .bombs = refused_alloc - bounds_alloc };
	if (recovered) {
		r.all += res->refused_recovered;
		r.fragments = res->refused_bounds_recovered;
		r.bombs += res->refused_recovered - res->refused_bounds_recovered;
	}
	return r;
}

/* What the scanner saw that makes the file less than fully read. */
static void note_damage(struct input *in, const struct scan_result *res,
			const struct chunk_pass *cp)
{
	uint64_t damaged = 0;
	for (size_t i = 0; i < res->n_damage; i++)
		damaged += !res->damage[i].past_count;
	if (res->libevtx_fails)
		input_note(in, INPUT_PARTIAL, "libevtx cannot open the file as a whole; "
			   "its sound chunks were read one by one");
	if (damaged)
		input_note(in, INPUT_PARTIAL, "%llu damaged chunk%s (bad signature, CRC "
			   "or record framing)", (unsigned long long)damaged,
			   damaged == 1 ? "" : "s");
	if (res->chunks < res->header_chunks)
		input_note(in, INPUT_PARTIAL, "truncated: the header declares %u chunks, "
			   "the file holds %llu whole ones", res->header_chunks,
			   (unsigned long long)res->chunks);
	else if (res->trailing_bytes)
		input_note(in, INPUT_PARTIAL, "truncated: %llu bytes after the last whole "
			   "chunk", (unsigned long long)res->trailing_bytes);
	uint64_t failed = cp->ps.errors + res->refused_unnamed - res->refused_unnamed_recovered;
	if (failed)   /* worded as read_whole_file's: one verdict whatever the mode */
		input_note(in, INPUT_PARTIAL, "%llu of %llu record%s could not be read",
			   (unsigned long long)failed, (unsigned long long)res->records,
			   res->records == 1 ? "" : "s");
	struct refusals r = refusals(res, cp->recovered);
	if (r.bombs)
		input_note(in, INPUT_PARTIAL, "%llu record%s refused: rendering would expand "
			   "past %llu MiB (binary-XML bomb?)", (unsigned long long)r.bombs,
			   r.bombs == 1 ? "" : "s", (unsigned long long)(SCAN_EXPAND_MAX >> 20));
	if (r.bounds)
		input_note(in, INPUT_PARTIAL, "%llu record%s refused: %s values run past "
			   "the chunk's end (libevtx would read beyond it)",
			   (unsigned long long)r.bounds, r.bounds == 1 ? "" : "s",
			   r.bounds == 1 ? "its" : "their");
	if (cp->chunk_failures)
		input_note(in, INPUT_PARTIAL, "%llu chunk%s libevtx could not read (%s)",
			   (unsigned long long)cp->chunk_failures,
			   cp->chunk_failures == 1 ? "" : "s", cp->first_failure);
}

/* The scan's verdict on the file, whichever reading parsed its records:
 * hash, size, header flags, damage, truncation, refused records. Both
 * readings take it from here, so --no-prefilter can never call "ok" what
 * the default calls partial. */
static void take_scan(struct input *in, const struct scan_result *res,
		      const struct chunk_pass *cp)
{
	snprintf(in->sha256, sizeof in->sha256, "%s", res->sha256);
	in->size = res->file_size;
	in->dirty = res->dirty;
	in->records_refused = refusals(res, cp->recovered).all;
	for (size_t i = 0; i < res->n_computers; i++)
		input_add_computer(in, res->computer[i]);
	if (res->computers_more)
		input_note(in, INPUT_PARTIAL, "more than %d host names: %llu records name "
			   "hosts not listed", SCAN_MAX_COMPUTERS,
			   (unsigned long long)res->computers_more);
	note_damage(in, res, cp);
}

/* Whether --no-prefilter reads the file whole with libevtx
 * (read_every_record), where its Event ID 7 count is libevtx's. */
static bool whole_file_readable(const struct scan_result *res)
{
	return !(res->libevtx_fails || res->refused || res->refused_unnamed ||
		 res->chunks_damaged);
}

/* The allocated Sysmon Event ID 7 records, as --no-prefilter counts
 * them: where it reads the file whole, libevtx's verdict on each
 * record it is handed here (a record the scan cannot follow is one:
 * libevtx may read it as Event ID 7, or fail it) in place of the
 * scan's; elsewhere the scan's, in both readings. */
static uint64_t eid7_count(const struct scan_result *res, const struct chunk_pass *cp)
{
	if (!cp->fields || cp->ps.story || !whole_file_readable(res))
		return res->eid7_records;
	return res->eid7_records - cp->handed_eid7 + cp->ps.selected;
}

/* The scan's own counts, for a reading that parsed only some records. */
static void take_scan_counts(struct input *in, const struct scan_result *res,
			     const struct chunk_pass *cp, const struct read_options *opt)
{
	uint64_t refused_allocated = res->refused - res->refused_recovered;
	/* --no-prefilter: a record without a module name that libevtx could
	 * not be handed counts as one it could not parse */
	uint64_t unnamed = res->refused_unnamed - res->refused_unnamed_recovered;
	in->records = res->records - cp->ps.errors - refused_allocated - unnamed;
	in->record_errors = cp->ps.errors + refused_allocated + unnamed;
	uint64_t unnamed_recovered = opt->recovered ? res->refused_unnamed_recovered : 0;
	in->recovered = opt->recovered ? res->recovered - res->refused_recovered -
					 cp->ps.recovered_errors - unnamed_recovered : 0;
	in->recovered_errors = cp->ps.recovered_errors + unnamed_recovered +
			       refusals(res, opt->recovered).fragments;
	in->eid7 = eid7_count(res, cp);
	in->eid7_recovered = opt->recovered ? res->eid7_recovered : 0;
	input_add_time(in, res->first_time);
	input_add_time(in, res->last_time);
}

/* Whether the scan (scan_source_with's rc and res) read an EVTX file;
 * false, the input failed and says why. */
static bool scan_read(struct input *in, int rc, const struct scan_result *res)
{
	if (rc < 0)
		input_note(in, INPUT_FAILED, "cannot read: %s", res->error);
	else if (!res->header_ok)
		input_note(in, INPUT_FAILED, "no valid EVTX file header");
	return rc >= 0 && res->header_ok;
}

/* The scanner reads the file once (hash, coverage, candidates) and
 * libevtx parses the records m makes candidates, chunk by chunk: by
 * default those holding a module name (the pre-filter); with
 * --no-prefilter every one, when libevtx cannot open the file whole,
 * would be handed a refused record or would meet a damaged chunk. */
static int read_chunks(struct input *in, struct source *src, uint32_t input_index,
		       const struct read_options *opt, const struct scan_matcher *m,
		       event_sink sink, void *ctx)
{
	struct scan_result *res = xcalloc(1, sizeof *res);
	struct chunk_pass *cp = xcalloc(1, sizeof *cp);
	*cp = (struct chunk_pass){
		.ps = pass_of(in, input_index, opt, sink, ctx),
		.recovered = opt->recovered, .fields = opt->prefilter,
	};
	/* the detection's reading also keeps the keys a story could ask */
	struct scan_matcher with_keys;
	if (opt->keys_of && !opt->story && m == opt->names) {
		with_keys = *m;
		with_keys.keys_of = opt->keys_of;
		m = &with_keys;
	}
	int rc = scan_source_with(src, m, res, on_candidate_chunk, cp);
	if (!scan_read(in, rc, res)) {
		rc = -1;
	} else {
		take_scan_counts(in, res, cp, opt);
		take_scan(in, res, cp);
		if (m->keys_of && rc == 0 && !res->keys.over) {
			input_take_keys(in, res->keys.v, res->keys.n);
			res->keys.v = NULL;   /* the input's now */
		}
		rc = rc == 1 ? -1 : 0;
	}
	value_keys_free(&res->keys);
	free(cp);
	free(res);
	return rc;
}

/* --no-prefilter: every record parsed by libevtx, from the file opened
 * whole (the reference the pre-filter is tested against). The scan goes
 * first, for the hash, the verdict and the bound on expansion: a file
 * libevtx cannot open whole, or one holding a refused record, is read
 * chunk by chunk instead, every record but the refused ones. So is a
 * file with a damaged chunk: libevtx fails every record of a chunk one
 * of whose records will not read, and the scanner, walking each record
 * on its own, still tells which of them are Event ID 7 ones. Both
 * readings then take that count from the scanner, and the default
 * hands libevtx every record of such a chunk: one verdict whatever the
 * mode. */
static int read_every_record(struct input *in, struct source *src, uint32_t input_index,
			     const struct read_options *opt, event_sink sink, void *ctx)
{
	struct scan_result *res = xcalloc(1, sizeof *res);
	struct chunk_pass cp = { .recovered = opt->recovered };
	const struct scan_matcher every_s = { .every = true, .names = opt->names };
	const struct scan_matcher *every = opt->names ? &every_s : NULL;
	int rc = scan_source_with(src, every, res, NULL, NULL);
	if (!scan_read(in, rc, res)) {
		rc = -1;
	} else {
		int listed = 0;
		rc = !whole_file_readable(res) ? 1
		     : read_whole_file(in, src, input_index, opt, res, sink, ctx, &listed);
		if (rc != 1) {     /* read whole (or the sink said stop: -1) */
			take_scan(in, res, &cp);
			note_whole_file(in, res, listed);
		}
	}
	free(res);
	if (rc == 1)
		return read_chunks(in, src, input_index, opt, every, sink, ctx);
	return rc;
}

/* --carve: the chunks found anywhere in an image's bytes, each parsed on
 * its own. The bytes are the image's, not a log's: they are not hashed
 * (the image's own hash covers them), and finding no chunk is not a
 * failure. */
static int read_carved(struct input *in, struct source *src, uint32_t input_index,
		       const struct read_options *opt, event_sink sink, void *ctx)
{
	struct carve_result res;
	struct chunk_pass cp = {
		.ps = pass_of(in, input_index, opt, sink, ctx),
		.recovered = opt->recovered, .runs = src,
		.base = locator_layer_offset(&in->loc, in->loc.n - 1),
	};
	cp.ps.hosts = true;
	struct scan_matcher story = { .values = opt->story };
	int rc = carve_source(src, opt->story ? &story :
			      opt->names,
			      &res, on_candidate_chunk, &cp);
	in->size = res.bytes;
	in->records = res.records - cp.ps.errors;
	in->record_errors = cp.ps.errors;
	in->eid7 = res.eid7_records;
	input_add_time(in, res.first_time);
	input_add_time(in, res.last_time);
	if (rc < 0)
		input_note(in, INPUT_PARTIAL, "carving stopped: %s", res.error);
	if (cp.ps.errors)
		input_note(in, INPUT_PARTIAL, "%llu carved record%s could not be parsed",
			   (unsigned long long)cp.ps.errors, cp.ps.errors == 1 ? "" : "s");
	if (res.refused)
		input_note(in, INPUT_PARTIAL, "%llu carved record%s refused: rendering would "
			   "expand past 16 MiB or its values run past the chunk",
			   (unsigned long long)res.refused, res.refused == 1 ? "" : "s");
	in->records_refused = res.refused;
	if (cp.chunk_failures)
		input_note(in, INPUT_PARTIAL, "%llu carved chunk%s libevtx could not read (%s)",
			   (unsigned long long)cp.chunk_failures,
			   cp.chunk_failures == 1 ? "" : "s", cp.first_failure);
	const struct step *whole = &in->loc.steps[in->loc.n - 1];
	if (whole->detail && strcmp(whole->detail, CARVE_DAMAGED) == 0)
		input_note(in, INPUT_PARTIAL, "%s (no EVTX file signature): %llu chunk%s "
			   "recovered by carving", CARVE_DAMAGED, (unsigned long long)res.chunks,
			   res.chunks == 1 ? "" : "s");
	snprintf(in->sha256, sizeof in->sha256, "%s", "");
	in->carved_chunks = res.chunks;
	in->carve_rejected = res.rejected;
	return rc == 1 ? -1 : 0;
}

int read_evtx_source(struct input *in, struct source *src, uint32_t input_index,
		     const struct read_options *opt, event_sink sink, void *ctx)
{
	bool carved = in->loc.n && in->loc.steps[in->loc.n - 1].kind == STEP_CARVED;
	struct scan_matcher story = { .values = opt->story };
	return carved ? read_carved(in, src, input_index, opt, sink, ctx)
	       : opt->story ? read_chunks(in, src, input_index, opt, &story, sink, ctx)
	       : opt->prefilter ? read_chunks(in, src, input_index, opt,
					      opt->names,
					      sink, ctx)
	       : read_every_record(in, src, input_index, opt, sink, ctx);
}

int read_evtx(struct input *in, uint32_t input_index,
	      const struct read_options *opt, event_sink sink, void *ctx)
{
	struct source *media;
	struct source *src = read_open(in, opt, &media);
	if (!src)
		return -1;
	int rc = read_evtx_source(in, src, input_index, opt, sink, ctx);
	read_close(in, src, media);
	return rc;
}
