/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* scan: a byte-level pass over one EVTX file, before libevtx.
 *
 * libevtx parses every record it is handed, which is slow; the rule can
 * only fire on a record whose bytes hold one of the rule's module names.
 * scan reads the file once, front to back, in 64 KiB chunks with read(2)
 * (never mapping it, never holding more than one chunk): it hashes it
 * (SHA-256), checks the file and chunk headers and their CRCs, walks the
 * records of each chunk the way libevtx 20181227 does (allocated ones,
 * and the ones libevtx "recovers" from slack space), gathers coverage,
 * and hands to a callback only the chunks that hold a candidate record:
 * one whose bytes contain a module name, case-insensitively, as UTF-16LE
 * or as 8-bit text.
 *
 * Such a chunk can then be parsed on its own: templates and strings are
 * chunk-local, so chunk_image_build() wraps it in a minimal file header
 * and chunk_open_libevtx() opens that image with libevtx from memory. */
#ifndef RMMHUNT_SCAN_H
#define RMMHUNT_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libevtx.h>
#include "source.h"
#include "value_keys.h"

#define SCAN_FILE_HEADER_SIZE 4096u
#define SCAN_CHUNK_SIZE 65536u
#define SCAN_CHUNK_HEADER_SIZE 512u    /* header (128) + string/template tables */
#define SCAN_RECORD_HEADER_SIZE 24u

/* ---- candidate search -------------------------------------------- */

#define SCAN_MAX_MODULES 16
#define SCAN_MAX_NAME 64

/* Candidates by their values instead of by names (the process story,
 * src/story/want.h): a record is a candidate when one of its template
 * instance's substituted values, nested ones included, is wanted: a
 * GUID (type 0x0f, its 16 bytes as stored), or a string (type 0x01, its
 * UTF-16LE units, a trailing NUL left off). Which of its values are
 * asked depends on its Event ID (of_event: SCAN_VALUES_* bits; the
 * Event ID as libevtx gives it, masked to 16 bits, or -1 when the
 * scanner cannot tell it: substituted as a number and nothing else in
 * the element). Any callback may be NULL (of_event: every value asked).
 * They run in the scan's thread. */
enum {
	SCAN_VALUES_GUID = 1,        /* GUID values */
	SCAN_VALUES_GUID_TEXT = 2,   /* strings of 38 units (a GUID as text) */
	SCAN_VALUES_TEXT = 4,        /* every string */
	SCAN_VALUES_ALL = 7,
};
struct scan_value_filter {
	bool (*guid)(void *ctx, const uint8_t guid[16]);
	bool (*text)(void *ctx, const uint8_t *utf16, size_t units);
	unsigned (*of_event)(void *ctx, int32_t event_id);
	void *ctx;
};

/* Records of an Event ID that a rule over events reads (detect/rules.h
 * builds these from its rules): a candidate even when it names no
 * module, when its provider is the one wanted and, when names is set,
 * it holds one of them. A log cleared names nothing; a Sysmon process
 * creation of the client may name only its product or import hash. */
enum scan_provider { SCAN_PROVIDER_ANY, SCAN_PROVIDER_SYSMON, SCAN_PROVIDER_EVENTLOG };
#define SCAN_WANT_NAMES 2
struct scan_want {
	uint32_t event_id;
	uint8_t provider;                 /* enum scan_provider */
	/* NULL, any record; else one of these must match in the record
	 * (one matcher a name, as names that share no anchor byte are each
	 * a memchr for a byte a record seldom holds). */
	const struct scan_matcher *names[SCAN_WANT_NAMES];
};
#define SCAN_MAX_WANTS 8

/* The byte patterns, derived from a list of lower-case module names. */
/* scan_matcher.around's bits */
#define SCAN_NEXT 1
#define SCAN_PREV 2

struct scan_matcher {
	size_t n;
	char name[SCAN_MAX_MODULES][SCAN_MAX_NAME];  /* lower case */
	size_t len[SCAN_MAX_MODULES];
	size_t dot[SCAN_MAX_MODULES];   /* index of the anchor byte in name */
	bool every;                     /* every record is a candidate (the
	                                   --no-prefilter reading); names
	                                   tells which hold a module name */
	const struct scan_matcher *names;
	bool anchored;                  /* every name has the anchor byte */
	uint8_t anchor;                 /* '.' when anchored */
	size_t tail;                    /* bytes after the anchor all names share */
	char nexts[SCAN_MAX_MODULES + 1];   /* the distinct characters after
	                                   the anchor ("de" for ".dll" and
	                                   ".exe"); "" when a name ends at it */
	uint8_t around[256];            /* SCAN_NEXT: a character after the
	                                   anchor in some name (nexts), and
	                                   SCAN_PREV: one before it */
	bool anchor_first;              /* some name starts with the anchor */
	const struct scan_want *wants;  /* n_wants records by Event ID that
	                                   are candidates too (traces on;
	                                   scan_record_traced) */
	size_t n_wants;
	bool wants_any_provider;        /* one of wants is SCAN_PROVIDER_ANY */
	const struct scan_value_filter *values;   /* set: candidates are the
	                                   records it wants, and the names
	                                   are not looked for */
	const struct scan_value_filter *keys_of;   /* set (no values): the
	                                   keys of each record's values its
	                                   of_event asks go into the result
	                                   (scan_result.keys), of a log of at
	                                   most SCAN_KEYS_LOG_MAX bytes */
};

/* The largest log whose keys are kept: a header and Sysmon's default
 * maximum log size (64 MiB), so that its logs and their archived copies
 * are kept, and a larger log is read again by a story pass. */
#define SCAN_KEYS_LOG_MAX ((uint64_t)4096 + ((uint64_t)64 << 20))

/* Builds the matcher from n names (ASCII; matched case-insensitively).
 * Returns 0, or -1 when a name is empty, too long or there are too many. */
int scan_matcher_init(struct scan_matcher *m, const char *const *names, size_t n);

/* The scanner knows no rule: the rules build its matcher (detect/rules.h:
 * rules_matcher) and the reader hands it down. A matcher with every set
 * and names the rule's makes every record of every chunk a candidate:
 * the scan of --no-prefilter, which reads every record. */

struct scan_hit {
	uint32_t offset;    /* of the first byte of the match in the buffer */
	uint16_t length;    /* bytes: name length, or twice it for UTF-16 */
	uint8_t module;     /* index into the matcher's names */
	bool utf16;
};

/* Finds the occurrences of any name in buf, as UTF-16LE or as 8-bit
 * text, ignoring ASCII case. Writes at most max hits (in the order of
 * their anchor byte, nearly ascending offsets) and returns how many
 * there are in all. Never misses one; may report a name inside a longer
 * word (xpcicl32.dll). Anchored on the '.' every rule name has: memchr
 * finds each '.', then "dll" after it as UTF-16LE or 8-bit text, then
 * the names before it. */
size_t scan_find(const struct scan_matcher *m, const uint8_t *buf, size_t len,
                 struct scan_hit *hits, size_t max);

/* Whether buf holds any occurrence. */
bool scan_contains(const struct scan_matcher *m, const uint8_t *buf, size_t len);

/* Whether record r (as scan_chunk_records found it) of chunk is a
 * candidate for m: it holds a name, or with m->values a wanted value. */
struct scan_record;
bool scan_record_candidate(const struct scan_matcher *m, const uint8_t *chunk,
			   const struct scan_record *r);

/* ---- records and chunks ------------------------------------------ */

enum scan_record_kind {
	SCAN_REC_ALLOCATED,   /* walked from offset 512 while <= last record offset */
	SCAN_REC_SLACK,       /* found by libevtx's signature scan past them */
};

struct scan_record {
	uint32_t offset;      /* in the chunk */
	uint32_t size;
	uint64_t id;          /* record identifier from its header */
	int64_t written;      /* FILETIME from its header */
	uint8_t kind;         /* enum scan_record_kind */
	bool recovered;       /* libevtx lists it among the recovered records:
	                         slack ones, and the allocated ones of a chunk
	                         past the header's count in a clean file */
	bool candidate;       /* to be parsed: holds a module name (with the
	                         rule's matcher), or every record (with
	                         a matcher with every set) */
	bool named;           /* holds a module name (set with candidate) */
	uint16_t image_index; /* its index among the allocated (kind
	                         SCAN_REC_ALLOCATED) or the recovered (kind
	                         SCAN_REC_SLACK) records of the chunk image
	                         that chunk_open_libevtx() opens */
	uint8_t refused;      /* enum scan_refusal: a candidate libevtx is
	                         never handed (scan_record_check) */
	bool eid7;            /* a Sysmon Event ID 7 record (see
	                         scan_record_is_sysmon_eid7); set by
	                         scan_file for the records it hands to
	                         on_chunk, false from scan_chunk_records */
	bool readable;        /* an allocated record whose template instance
	                         the scanner follows whole where libfwevt
	                         would too (set with eid7; see
	                         scan_record_eid7) */
	int64_t traced_id;    /* set with eid7 by the detection: the Event
	                         ID its wants go by, where that look read it
	                         (scan_record_eid7); SCAN_TRACED_UNREAD */
};

/* Damage found in a chunk (bits). */
enum {
	SCAN_DMG_MAGIC         = 1u << 0,   /* no "ElfChnk\0" */
	SCAN_DMG_HEADER_CRC    = 1u << 1,
	SCAN_DMG_RECORDS_CRC   = 1u << 2,
	SCAN_DMG_HEADER_SIZE   = 1u << 3,   /* header size not 128: libevtx fails the file */
	SCAN_DMG_FREE_SPACE    = 1u << 4,   /* free space offset out of bounds: libevtx fails the file */
	SCAN_DMG_RECORD        = 1u << 5,   /* an allocated record stopped the walk early */
	SCAN_DMG_COUNT         = 1u << 6,   /* record count differs from first..last number */
	SCAN_DMG_PARTIAL       = 1u << 7,   /* file ends inside the chunk (not read by libevtx) */
};

struct scan_damage {
	uint64_t offset;      /* of the chunk in the file */
	uint32_t chunk;       /* its index */
	uint32_t flags;       /* SCAN_DMG_* */
	bool past_count;      /* at or past the header's number of chunks: in
	                         a clean file, old data libevtx does not hold
	                         against the file */
};

struct scan_chunk {
	const uint8_t *data;          /* SCAN_CHUNK_SIZE bytes, valid during the call */
	uint64_t file_offset;
	uint32_t index;               /* 0 for the first chunk after the file header */
	bool past_count;              /* at or past the header's number of chunks */
	uint32_t damage;              /* SCAN_DMG_* */
	const struct scan_record *records;   /* every record found, allocated first */
	size_t n_records;
	size_t n_candidates;          /* records with candidate set */
};

/* Called for each chunk that holds at least one candidate record.
 * Returns 0, or non-zero to stop the scan (scan_file then returns 1). */
typedef int (*scan_chunk_fn)(void *ctx, const struct scan_chunk *chunk);

/* ---- the file ---------------------------------------------------- */

#define SCAN_MAX_DAMAGE 256   /* damage notes kept; n_damaged counts them all */
#define SCAN_MAX_COMPUTERS 128
#define SCAN_COMPUTER_MAX 256

struct scan_result {
	uint64_t file_size;           /* bytes read */
	char sha256[65];              /* hex, "" until the file was read to its end */

	/* file header */
	bool header_ok;               /* "ElfFile\0" present, 4096 bytes read */
	bool header_crc_ok;
	bool dirty;                   /* file flags bit 0x1 */
	bool full;                    /* file flags bit 0x2 */
	uint32_t file_flags;
	uint64_t first_chunk_number, last_chunk_number;
	uint64_t next_record_id;
	uint16_t major_version, minor_version;
	uint16_t header_block_size;   /* where the chunks start */
	uint16_t header_chunks;       /* number of chunks the header states */

	/* chunks */
	uint64_t chunks;              /* full chunks read (libevtx reads the same) */
	uint64_t chunks_empty;        /* of them, all zero bytes: skipped, as libevtx does */
	uint64_t chunks_past_count;   /* of the others, chunks ("ElfChnk") at or past header_chunks */
	uint64_t chunks_damaged;      /* of the others, with any SCAN_DMG_* flag */
	uint64_t trailing_bytes;      /* after the last full chunk */
	bool libevtx_fails;           /* a chunk libevtx cannot read makes it fail
	                                 the whole file (see SCAN_DMG_HEADER_SIZE,
	                                 SCAN_DMG_FREE_SPACE), or no file header */

	/* records, counted as libevtx 20181227 counts them */
	uint64_t records;             /* allocated */
	uint64_t recovered;           /* recovered: slack + allocated past the count of a clean file */
	uint64_t recovered_slack;     /* of them, from slack */
	int64_t first_time, last_time;   /* written time of allocated records; TIME_NONE if none */
	uint64_t first_id, last_id;      /* record ids of allocated records; 0 if none */
	uint64_t id_gaps;             /* times an allocated record id is not the previous + 1 */
	uint64_t ids_missing;         /* ids skipped over by forward gaps */

	/* candidates */
	uint64_t candidates;          /* candidate records, allocated or recovered */
	uint64_t candidate_chunks;    /* chunks handed to the callback */
	uint64_t refused;             /* candidates refused (scan_record_check);
	                                 of them, refused_recovered recovered, */
	uint64_t refused_recovered;
	uint64_t refused_bounds;      /* refused_bounds for running past their */
	uint64_t refused_bounds_recovered;   /* chunk (the rest: expansion) */
	uint64_t refused_unnamed;     /* candidates refused that hold no module
	                                 name (a matcher with every set): the rule
	                                 cannot fire on them, so they are not
	                                 counted above; of them, recovered: */
	uint64_t refused_unnamed_recovered;
	uint64_t hits_outside_records;   /* module names found in no record
	                                    libevtx would read: in slack, or
	                                    in chunks it cannot walk */

	/* Sysmon Event ID 7 (image loaded) template seen (best effort, see
	 * scan.c): among the allocated records of some chunk, and in how many
	 * chunks; or only elsewhere (slack, damaged chunks), a sign that such
	 * records were once written there. */
	bool eid7_template;
	uint64_t eid7_template_chunks;
	bool eid7_template_slack;

	/* Sysmon Event ID 7 records, counted from each record's binary XML
	 * (scan_record_is_sysmon_eid7) as libevtx 20181227 counts them when
	 * it parses every record: provider name "Microsoft-Windows-Sysmon"
	 * and event identifier 7. eid7_records among the allocated records
	 * (records), eid7_recovered among the recovered ones (recovered);
	 * counted like them when libevtx_fails too. */
	uint64_t eid7_records;
	uint64_t eid7_recovered;

	/* The distinct System/Computer values of the allocated records (as
	 * UTF-8, in the order first seen), from each record's binary XML as
	 * the Event ID 7 check reads it: a substitution or text of its
	 * template. Both readings take a file's hosts from here, so they
	 * agree on them. At most SCAN_MAX_COMPUTERS, each cut at
	 * SCAN_COMPUTER_MAX - 1 bytes; computers_more counts records naming
	 * further ones. */
	char computer[SCAN_MAX_COMPUTERS][SCAN_COMPUTER_MAX];
	size_t n_computers;
	uint64_t computers_more;

	struct scan_damage damage[SCAN_MAX_DAMAGE];
	size_t n_damage;              /* notes kept */
	uint64_t n_damaged;           /* notes in all */

	/* With the matcher's keys_of: the keys of every record's values it
	 * asks (value_keys.h), sealed when the file was read to its end,
	 * else over. Owned: value_keys_free() it, or take v. */
	struct value_keys keys;

	char error[SOURCE_ERR_MAX + 64]; /* why the scan stopped early; "" when it did not */
};

/* Scans the file open read-only on fd, from its start to its end, for
 * what matcher m looks for. Returns 0 when the file was read to its end,
 * 1 when on_chunk stopped it, -1 on a read error, when out of memory or
 * without a matcher (res->error says which). A file that is not EVTX,
 * or is damaged, is still read and hashed: see header_ok, damage[],
 * libevtx_fails. on_chunk may be NULL. */
int scan_file_with(int fd, const struct scan_matcher *m, struct scan_result *res,
                   scan_chunk_fn on_chunk, void *ctx);

/* The same over a source (src/source/source.h), from its byte 0 to its
 * size: a log on disk, or one inside an image. src is borrowed. */
struct source;
int scan_source_with(struct source *src, const struct scan_matcher *m,
                     struct scan_result *res, scan_chunk_fn on_chunk, void *ctx);

/* Walks one chunk's records the way libevtx 20181227 does. out must
 * hold SCAN_CHUNK_MAX_RECORDS entries; returns how many were found, and
 * sets *damage (SCAN_DMG_*, without PARTIAL). past_count_clean: the
 * chunk is past the header's count in a file that is not dirty, so its
 * allocated records count as recovered. Candidate flags are not set. */
#define SCAN_CHUNK_MAX_RECORDS ((SCAN_CHUNK_SIZE - SCAN_CHUNK_HEADER_SIZE) / SCAN_RECORD_HEADER_SIZE + 1)
size_t scan_chunk_records(const uint8_t *chunk, bool past_count_clean,
                          struct scan_record *out, uint32_t *damage);

/* Whether the record at r (as scan_chunk_records found it) in chunk is
 * a Sysmon Event ID 7 record: its binary XML is a fragment header and a
 * template instance whose definition (inline, or at its offset in the
 * chunk) has System/Provider/@Name and System/EventID either as text or
 * as substitutions, and these are "Microsoft-Windows-Sysmon" and 7,
 * taking the substitutions from the record's value array. Anything out
 * of bounds or malformed: false. Reads only the chunk's 64 KiB. */
bool scan_record_is_sysmon_eid7(const uint8_t *chunk, const struct scan_record *r);

/* ---- records libevtx must not be handed --------------------------- */

/* libevtx 20181227 (libfwevt) builds a record's XML tree by copying each
 * substituted value in at every substitution token that names it, and a
 * BinXml value (type 0x21) is a template instance of its own: a record
 * of a few KiB whose definitions name one nested value M times, nested L
 * deep, costs M^L ("billion laughs": 69 KiB took over ten minutes and
 * 1.4 GB). And it reads a template instance's value descriptors and
 * values, and a definition, from its 64 KiB chunk buffer without checking
 * that they end inside it: a heap over-read (a crash, or whatever bytes
 * lie beyond). Both are checked before libevtx sees a record.
 *
 * SCAN_EXPAND_MAX is 250 times the largest estimate on the 261 logs of
 * the public corpus, 65 KiB (tests/evtxcost prints them; tests/bomb.test
 * checks the margin): Windows and Sysmon records come to a few KiB.
 * Nesting deeper than SCAN_NEST_MAX BinXml values (Sysmon nests one) is
 * refused too. */
#define SCAN_EXPAND_MAX ((uint64_t)16 << 20)
#define SCAN_NEST_MAX 16

enum scan_refusal {
	SCAN_RECORD_OK,
	SCAN_REFUSED_EXPANSION,   /* past SCAN_EXPAND_MAX or SCAN_NEST_MAX */
	SCAN_REFUSED_BOUNDS,      /* values or a definition past the chunk's end */
};

/* Whether record r of chunk may be handed to libevtx. *cost (may be
 * NULL) gets an upper estimate of the bytes rendering it builds: each
 * definition's own bytes, plus at each substitution the value's cost (4
 * bytes a byte of value, and 16: hex, GUIDs, times render larger), a
 * nested BinXml value's being that of its own instance; linear in the
 * record's bytes (each nested value is costed once), saturating. A
 * record whose binary XML does not parse costs what could be read of it
 * (libevtx fails it without harm). Reads only the chunk's 64 KiB. */
enum scan_refusal scan_record_check(const uint8_t *chunk, const struct scan_record *r,
				    uint64_t *cost);

/* CRC-32 (IEEE, as EVTX uses), continuing from crc (0 to start). */
uint32_t scan_crc32(uint32_t crc, const void *buf, size_t len);

/* ---- one chunk on its own, through libevtx ------------------------ */

#define CHUNK_IMAGE_SIZE (SCAN_FILE_HEADER_SIZE + SCAN_CHUNK_SIZE)

/* Writes into image (CHUNK_IMAGE_SIZE bytes) a file header for a file of
 * one chunk (number of chunks 1, clean, CRC set) followed by the chunk's
 * bytes, unchanged. */
void chunk_image_build(uint8_t *image, const uint8_t *chunk);

/* Opens a chunk with libevtx: builds the image in a buffer it allocates
 * (freed by chunk_close_libevtx), and opens it through a libbfio memory
 * range handle. Records of the image: libevtx_file_get_record (allocated)
 * and libevtx_file_get_recovered_record_by_index (recovered), indexed as
 * scan_record.image_index says. Returns 0, or -1 with a message in err. */
int chunk_open_libevtx(const uint8_t *chunk, size_t size, libevtx_file_t **file,
                       libbfio_handle_t **bfio, uint8_t **image, char *err, size_t errsz);

/* Closes and frees what chunk_open_libevtx made; safe on NULLs. */
void chunk_close_libevtx(libevtx_file_t **file, libbfio_handle_t **bfio, uint8_t **image);

#endif
