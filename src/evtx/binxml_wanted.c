/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* binxml_wanted: records by their values, for the process story: which
 * a story pass's filter takes (scan_record_wanted), and the keys the
 * detection keeps of a log for it (scan_record_keys). One walk of a
 * record's substituted values serves both, so that the keys hold what
 * the filter could take. */
#include "le.h"
#include "binxml.h"
#include "scan_private.h"
#include "value_keys.h"

int32_t scan_record_event_id(const uint8_t *c, const struct scan_record *r, struct tcache *tc)
{
	size_t pos, end;
	struct tdef tmp;
	const struct tdef *d = binxml_record(c, r, tc, &tmp, &pos, &end);
	return d ? binxml_event_id(c, d, pos, end) : -1;
}

/* Whether a template instance's values at c[pos..end), nested BinXml
 * values included (to FRAGMENT_MAX_DEPTH), hold one f wants, of those
 * ask (SCAN_VALUES_*) asks. Reads only what is in bounds; a malformed
 * instance holds nothing. */
static bool values_wanted(const uint8_t *c, size_t pos, size_t end, struct tcache *tc,
			  const struct scan_value_filter *f, unsigned ask, int depth)
{
	struct values v;
	if (!values_head(c, pos, end, &v))
		return false;
	bool guids = (ask & SCAN_VALUES_GUID) && f->guid;
	bool all_text = ask & SCAN_VALUES_TEXT;
	bool guid_text = ask & (SCAN_VALUES_TEXT | SCAN_VALUES_GUID_TEXT);
	size_t voff = v.first;
	for (uint32_t i = 0; i < v.count; i++) {
		size_t sz = le16(v.desc + 4 * i);
		uint8_t type = v.desc[4 * i + 2];
		if (sz > end - voff)
			return false;
		if (type == 0x0f && sz == 16 && guids && f->guid(f->ctx, c + voff))
			return true;
		if (type == 0x01 && sz >= 2 && guid_text && f->text) {
			size_t units = sz / 2;
			while (units && le16(c + voff + 2 * (units - 1)) == 0)
				units--;
			if ((all_text || units == 38) && f->text(f->ctx, c + voff, units))
				return true;
		}
		if (type == 0x21 && depth < FRAGMENT_MAX_DEPTH) {
			struct tdef tmp;
			size_t p = voff;
			if (binxml_instance(c, &p, voff + sz, tc, &tmp, NULL) &&
			    values_wanted(c, p, voff + sz, tc, f, ask, depth + 1))
				return true;
		}
		voff += sz;
	}
	return false;
}

bool scan_record_wanted(const uint8_t *c, const struct scan_record *r, struct tcache *tc,
			  const struct scan_value_filter *f)
{
	size_t pos, end;
	struct tdef tmp;
	const struct tdef *d = binxml_record(c, r, tc, &tmp, &pos, &end);
	if (!d)
		return false;
	/* most records are of an Event ID no story holds, or hold it by
	 * their GUIDs only: their strings are not searched for folders */
	unsigned ask = f->of_event ? f->of_event(f->ctx, binxml_event_id(c, d, pos, end))
				   : SCAN_VALUES_ALL;
	return ask && values_wanted(c, pos, end, tc, f, ask, 0);
}

/* The keys of the values asked, into k (value_keys.h); never wanted:
 * every value asked is seen. */
static bool key_guid(void *ctx, const uint8_t g[16])
{
	value_keys_add(ctx, value_key_guid(g));
	return false;
}

static bool key_text(void *ctx, const uint8_t *p, size_t units)
{
	value_string_keys(p, units, ctx);
	return false;
}

void scan_record_keys(const uint8_t *c, const struct scan_record *r, struct tcache *tc,
		      const struct scan_value_filter *of, struct value_keys *k)
{
	size_t pos, end;
	struct tdef tmp;
	const struct tdef *d = binxml_record(c, r, tc, &tmp, &pos, &end);
	if (!d)
		return;
	unsigned ask = of->of_event(of->ctx, binxml_event_id(c, d, pos, end));
	const struct scan_value_filter collect = { key_guid, key_text, NULL, k };
	if (ask)
		values_wanted(c, pos, end, tc, &collect, ask, 0);
}
