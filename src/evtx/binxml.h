/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* binxml: what the template reader (binxml.c) shares with the reckoning
 * of what rendering a record costs (binxml_cost.c). Internal to
 * src/evtx; the small readers are inline, as they were, because the
 * scan's hot path calls them for every candidate. */
#ifndef RMMHUNT_BINXML_H
#define RMMHUNT_BINXML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "le.h"
#include "scan_private.h"

/* a + b, or UINT64_MAX where that overflows. */
static inline uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Record r's binary XML: c[*pos..*end), after the record header and
 * before the copy of its size. False when r is too short for one or
 * runs past its chunk. */
static inline bool record_xml(const struct scan_record *r, size_t *pos, size_t *end)
{
	if (r->size < SCAN_RECORD_HEADER_SIZE + 4 ||
	    (uint64_t)r->offset + r->size > SCAN_CHUNK_SIZE)
		return false;
	*pos = (size_t)r->offset + SCAN_RECORD_HEADER_SIZE;
	*end = (size_t)r->offset + r->size - 4;
	return true;
}

/* A fragment header (0f 01 01 00; a nested BinXml value may go without)
 * and a template instance token at c[*pos..end): moves *pos past them,
 * to where an inline definition would be; the definition's offset is
 * the u32 before it. */
static inline bool instance_head(const uint8_t *c, size_t *pos, size_t end)
{
	size_t p = *pos;
	if (p + 4 <= end && c[p] == 0x0f) {
		if (c[p + 1] != 0x01 || c[p + 2] != 0x01 || c[p + 3] != 0x00)
			return false;
		p += 4;
	}
	if (p + 10 > end || c[p] != 0x0c)
		return false;
	*pos = p + 10;
	return true;
}

/* The values of a template instance: count descriptors of (size u16,
 * type u8, 0), then the values back to back from first. */
struct values {
	uint32_t count;
	const uint8_t *desc;
	size_t first;
};

/* Reads the count at c[pos..end) and places the descriptors; false
 * when they do not fit before end. */
static inline bool values_head(const uint8_t *c, size_t pos, size_t end, struct values *v)
{
	if (pos + 4 > end)
		return false;
	v->count = le32(c + pos);
	pos += 4;
	if (v->count > (end - pos) / 4)
		return false;
	v->desc = c + pos;
	v->first = pos + 4 * (size_t)v->count;
	return true;
}

/* Parses the definition at chunk offset off into d. With vcost (n
 * values' costs), returns what its substitutions cost; else 0. */
uint64_t tdef_parse_costing(const uint8_t *c, uint32_t off, struct tdef *d,
                            const uint64_t *vcost, uint32_t n);
/* The same, without costs. */
void tdef_parse(const uint8_t *c, uint32_t off, struct tdef *d);

#endif
