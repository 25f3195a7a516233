/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "authenticode.h"
#include "file.h"
#include "strbuf.h"
#include "timefmt.h"
#include "path.h"

int file_read(struct source *src, const struct input *in, struct file_facts *f)
{
	memset(f, 0, sizeof *f);
	const struct step *last = in->loc.n ? &in->loc.steps[in->loc.n - 1] : NULL;
	f->loose = !last || last->kind != STEP_NTFS;
	f->path = xstrdup(!f->loose && last->name ? last->name : in->path);
	f->size = src->size;
	snprintf(f->sha256, sizeof f->sha256, "%s", in->sha256);
	if (src->meta && src->meta(src, &f->meta) == 0)
		f->has_meta = true;
	char why[SOURCE_ERR_MAX];
	why[0] = '\0';
	f->pe = pe_signer(src, &f->signer, why, sizeof why);
	if (f->pe == PE_UNREADABLE)
		f->sign_note = xstrdup(why);
	return 0;
}

void file_free(struct file_facts *f)
{
	free(f->path);
	free(f->signer);
	free(f->sign_note);
	memset(f, 0, sizeof *f);
}

char *file_summary(const struct file_facts *f)
{
	struct strbuf sb = { 0 };
	sb_printf(&sb, "%s, %llu bytes", path_base_any(f->path), (unsigned long long)f->size);
	if (f->has_meta && f->meta.deleted)
		sb_printf(&sb, ", deleted (MFT entry %llu)", (unsigned long long)f->meta.entry);
	if (f->pe == PE_SIGNED)
		sb_printf(&sb, ", signed by %s (chain not verified)", f->signer);
	else if (f->pe == PE_UNSIGNED)
		sb_puts(&sb, ", not signed");
	else if (f->pe == PE_UNREADABLE)
		sb_printf(&sb, ", signature not read: %s", f->sign_note);
	return sb_take(&sb);
}

bool file_timestomped(const struct file_facts *f, char *why, size_t whysz)
{
	if (!f->has_meta)
		return false;
	int64_t si = f->meta.si[META_CREATED], fn = f->meta.fn[META_CREATED];
	char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];
	if (si != TIME_NONE && fn != TIME_NONE && si < fn) {
		time_format(si, a);
		time_format(fn, b);
		snprintf(why, whysz, "$SI created %s is before $FN created %s", a, b);
		return true;
	}
	/* Windows writes times to the 100 ns; tools that set them often
	 * write whole seconds */
	bool si_whole = true, fn_whole = true;
	for (int i = 0; i < META_TIMES; i++) {
		si_whole &= f->meta.si[i] == TIME_NONE || f->meta.si[i] % 10000000 == 0;
		fn_whole &= f->meta.fn[i] == TIME_NONE || f->meta.fn[i] % 10000000 == 0;
	}
	if (si_whole && !fn_whole && si != TIME_NONE) {
		snprintf(why, whysz, "$SI times are whole seconds, $FN times are not");
		return true;
	}
	return false;
}
