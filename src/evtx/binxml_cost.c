/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* scan: what rendering a record would cost libevtx, and the records it
 * must not be handed (scan_record_check, scan.h): the binary-XML bound. */
#include <stdlib.h>
#include "binxml.h"
#include "le.h"
#include "scan_private.h"

static uint64_t instance_cost(const uint8_t *c, size_t pos, size_t end, int depth,
			      enum scan_refusal *why);

/* What a value of size bytes costs where it is substituted, when it is
 * no BinXml value. */
static uint64_t plain_cost(size_t size)
{
	return 4 * (uint64_t)size + 16;
}

/* Whether the instance's values, from the count at c[pos], run past the
 * chunk's end: libevtx 20181227 reads the value descriptors from its
 * 64 KiB chunk buffer without checking that they end inside it (a heap
 * over-read: a crash, or whatever bytes lie beyond). */
static bool runs_outside(const uint8_t *c, size_t pos)
{
	if ((uint64_t)pos + 4 > SCAN_CHUNK_SIZE)
		return true;
	uint64_t count = le32(c + pos);
	uint64_t voff = (uint64_t)pos + 4 + 4 * count;
	if (voff > SCAN_CHUNK_SIZE)
		return true;
	for (uint64_t i = 0; i < count; i++)
		voff += le16(c + pos + 4 + 4 * i);
	return voff > SCAN_CHUNK_SIZE;
}

/* Each value's cost into vcost (v's count of them), a nested BinXml
 * value's from its own instance; stops at the first that sets *why. */
static void values_cost(const uint8_t *c, const struct values *v, int depth, uint64_t *vcost,
			enum scan_refusal *why)
{
	size_t voff = v->first;
	for (uint32_t i = 0; i < v->count && *why == SCAN_RECORD_OK; i++) {
		size_t sz = le16(v->desc + 4 * i);
		if (sz > SCAN_CHUNK_SIZE - voff)
			break;     /* (runs_outside refused this already) */
		vcost[i] = v->desc[4 * i + 2] == 0x21
			   ? instance_cost(c, voff, voff + sz, depth + 1, why) : plain_cost(sz);
		voff += sz;
	}
}

/* What rendering the template instance at c[pos..end) costs (see
 * scan_record_check): each of its values is costed once, then the
 * definition's substitutions add up the costs of the values they name,
 * in the one parse of the definition. Sets *why when the instance is to
 * be refused. */
static uint64_t instance_cost(const uint8_t *c, size_t pos, size_t end, int depth,
			      enum scan_refusal *why)
{
	size_t start = pos;
	if (depth > SCAN_NEST_MAX) {
		*why = SCAN_REFUSED_EXPANSION;
		return UINT64_MAX;
	}
	if (!instance_head(c, &pos, end))
		return plain_cost(end - start);
	uint32_t def_off = le32(c + pos - 4);
	/* the definition's data size, as tdef_parse reads it */
	size_t def_size = (uint64_t)def_off + 24 <= SCAN_CHUNK_SIZE ? le32(c + def_off + 20) : 0;
	if (def_off == pos)
		pos += 24 + def_size;
	if (runs_outside(c, pos)) {
		*why = SCAN_REFUSED_BOUNDS;
		return 0;
	}
	/* libevtx reads the values against the chunk, not the record (see
	 * runs_outside): values that run past the record's end are read
	 * from whatever follows it, which the writer of the record also
	 * wrote. Costing them only up to the record's end let a record whose
	 * first value claims a few bytes too many, its nested bomb in the
	 * bytes after it, pass as cheap. So they are costed to the chunk's
	 * end, which runs_outside has checked they stay within. */
	struct values v;
	if (pos > SCAN_CHUNK_SIZE || !values_head(c, pos, SCAN_CHUNK_SIZE, &v))
		return plain_cost(end - start);
	uint64_t *vcost = calloc(v.count ? v.count : 1, sizeof *vcost);
	if (!vcost) {
		*why = SCAN_REFUSED_EXPANSION;   /* cannot tell */
		return UINT64_MAX;
	}
	/* the values are costed before the definition is known to read:
	 * what they found counts only when it does */
	enum scan_refusal values_why = SCAN_RECORD_OK;
	values_cost(c, &v, depth, vcost, &values_why);
	struct tdef d;
	uint64_t subst = tdef_parse_costing(c, def_off, &d, vcost, v.count);
	free(vcost);
	if (!d.ok)
		return plain_cost(end - start);
	*why = values_why;
	return values_why == SCAN_RECORD_OK ? sat_add(d.size, subst) : UINT64_MAX;
}

enum scan_refusal scan_record_check(const uint8_t *chunk, const struct scan_record *r,
				    uint64_t *cost)
{
	enum scan_refusal why = SCAN_RECORD_OK;
	uint64_t c = 0;
	size_t pos, end;
	if (chunk && r && record_xml(r, &pos, &end))
		c = instance_cost(chunk, pos, end, 0, &why);
	if (why == SCAN_RECORD_OK && c > SCAN_EXPAND_MAX)
		why = SCAN_REFUSED_EXPANSION;
	if (cost)
		*cost = c;
	return why;
}
