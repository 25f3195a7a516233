/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* scan_private: what the files of the scan (scan.h) share among
 * themselves and nobody else: the signatures, the per-chunk template
 * cache, and the BinXML reader's answers the file walk asks for. */
#ifndef RMMHUNT_SCAN_PRIVATE_H
#define RMMHUNT_SCAN_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "scan.h"

static const uint8_t file_sig[8] = { 'E', 'l', 'f', 'F', 'i', 'l', 'e', 0 };
static const uint8_t chunk_sig[8] = { 'E', 'l', 'f', 'C', 'h', 'n', 'k', 0 };
static const uint8_t record_sig[4] = { 0x2a, 0x2a, 0x00, 0x00 };

enum { TD_NONE, TD_TEXT_NO, TD_TEXT_YES, TD_SUBST };

struct tdef {
	bool ok;                /* parsed to its end-of-fragment token */
	uint8_t provider;       /* TD_*: System/Provider/@Name */
	uint8_t eventid;        /* TD_*: System/EventID */
	uint8_t computer;       /* TD_NONE, TD_SUBST or TD_TEXT_YES: System/Computer */
	bool provider_eventlog; /* TD_TEXT_NO: the text is Microsoft-Windows-Eventlog */
	int32_t eventid_text;   /* TD_TEXT_*: the number written, or -1 */
	bool eventid_more;      /* the EventID element holds a second piece
	                           (text or a substitution) after the one
	                           that decided it: its number is libevtx's
	                           to tell */
	uint16_t provider_index, eventid_index, computer_index;
	uint32_t computer_at;   /* TD_TEXT_YES: its UTF-16 text in the chunk, */
	uint16_t computer_units;   /* so many units */
	uint32_t size;          /* data size */
	bool lib_refuses;       /* holds what libfwevt fails or reads
	                           otherwise (an entity reference in an
	                           attribute value, sizes that part from
	                           the tokens: td_strict) */
	uint32_t substs;        /* 1 + the highest value index substituted */
	uint64_t normal_substs; /* the indices < 64 of normal substitutions
	                           (0x0d), where libfwevt fails a null */
	bool normal_high;       /* a normal substitution of an index >= 64 */
	uint64_t binxml_substs; /* the indices < 64 of optional substitutions
	                           of a BinXml value (0x21): a null there
	                           makes libevtx 20181227 fail the record's
	                           XML (tests/fuzz/regressions) */
};

#define TCACHE_SLOTS 64     /* definitions remembered per chunk */

struct tcache {
	size_t n;
	uint32_t off[TCACHE_SLOTS];
	struct tdef def[TCACHE_SLOTS];
};


/* candidate.c: whether chunk[0..len) holds Sysmon Event ID 7's template. */
bool scan_has_eid7_template(const uint8_t *chunk, size_t len);
/* binxml.c: whether record r is Sysmon Event ID 7 as libevtx would read
 * it; tc caches the chunk's definitions (may be NULL). With readable
 * (may be NULL), from the same look at its template: whether this
 * reader can follow the instance whole (its definition, its values,
 * nested instances) where libfwevt would too; false means libevtx must
 * be asked. */
bool scan_record_eid7(const uint8_t *c, const struct scan_record *r, struct tcache *tc,
                      bool *readable, int64_t *traced_id);
/* *traced_id of a record whose Event ID that look did not read. */
#define SCAN_TRACED_UNREAD INT64_MIN
/* binxml.c: whether record r is one of m's wants (scan.h). */
bool scan_record_traced(const uint8_t *c, const struct scan_record *r, struct tcache *tc,
			const struct scan_matcher *m);
/* binxml.c: record r's Event ID as libevtx gives it, masked to 16 bits,
 * or -1 when this reader does not tell it (what a story's filter is
 * asked by: scan_value_filter's of_event). */
int32_t scan_record_event_id(const uint8_t *c, const struct scan_record *r, struct tcache *tc);
/* binxml.c: the keys (value_keys.h) of record r's values that filter
 * of's of_event asks of its Event ID, into k. */
struct value_keys;
void scan_record_keys(const uint8_t *c, const struct scan_record *r, struct tcache *tc,
		      const struct scan_value_filter *of, struct value_keys *k);
/* binxml.c: whether a value of record r is one f wants. */
bool scan_record_wanted(const uint8_t *c, const struct scan_record *r, struct tcache *tc,
                        const struct scan_value_filter *f);
/* binxml.c: where record r's System/Computer is, as UTF-16LE in the
 * chunk (*at, *units); false when it names none. */
bool scan_record_computer(const uint8_t *c, const struct scan_record *r, struct tcache *tc,
                          size_t *at, size_t *units);
/* binxml.c: n UTF-16LE units at p as UTF-8 into out (size bytes,
 * NUL-terminated, cut at a character boundary). */
void scan_utf16_to_utf8(const uint8_t *p, size_t n, char *out, size_t size);

/* Whether the n bytes at p are all zero. */
static inline bool all_zero(const uint8_t *p, size_t n)
{
	/* p[0] == 0 and p equal to p shifted by one byte */
	return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

#endif
