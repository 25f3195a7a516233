/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The NetSupport client started by the registry: a Run or RunOnce value
 * (NTUSER.DAT, SOFTWARE) or a service's ImagePath (SYSTEM) whose command
 * line runs client32.exe from outside Program Files. The time Windows
 * keeps is the key's last-written time, not a run: the trace says so. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hive.h"
#include "rules.h"
#include "strbuf.h"
#include "timefmt.h"

static const char *find_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; hay && *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

/* The command line's program under Program Files: "C:\Program Files\",
 * any drive, quoted or not, or %ProgramFiles% / %ProgramFiles(x86)%. */
static bool excluded(const char *data)
{
	const char *p = data + (*data == '"');
	if (strncasecmp(p, "%programfiles%\\", 15) == 0 ||
	    strncasecmp(p, "%programfiles(x86)%\\", 20) == 0)
		return true;
	return strlen(p) > 2 && p[1] == ':' && rules_under_program_files(p + 2);
}

static char *detail(const struct hive *h, const struct hive_value *v)
{
	struct strbuf sb = { 0 };
	bool service = strcmp(h->kind, "SYSTEM") == 0;
	sb_printf(&sb, "%s %s in %s%s%s of %s: starts client32.exe %s", service ? "service"
		  : "Run value", v->name && *v->name ? v->name : "(default)", v->key,
		  service ? "\\" : "", service ? v->name : "", h->kind,
		  service ? "as a service" : "at logon");
	sb_puts(&sb, "; the time is the key's last-written time, not a run");
	return sb_take(&sb);
}

int rules_hive(const struct hive *h, const struct read_options *opt, uint32_t input_index,
               trace_sink sink, void *ctx)
{
	(void)opt;
	for (size_t i = 0; i < h->n; i++) {
		const struct hive_value *v = &h->v[i];
		if (!find_ci(v->data, "client32.exe") || excluded(v->data))
			continue;
		struct trace t;
		trace_init(&t);
		t.kind = xstrdup("registry");
		t.verdict = xstrdup("ran");
		t.executable = xstrdup(v->data);
		t.detail = detail(h, v);
		trace_once(&t, v->written, "the key's last-written time");
		t.input = input_index;
		if (trace_hand(sink, ctx, &t) != 0)
			return -1;
	}
	return 0;
}
