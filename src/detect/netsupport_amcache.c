/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The NetSupport client in Amcache: an entry outside Program Files that
 * is client32.exe, one of the six modules of Splunk's search (Windows 8
 * records DLLs too), or a file whose publisher, company or product names
 * NetSupport (a renamed client keeps its version resource). Amcache
 * records files Windows saw run or install: the trace says what the
 * entry is and that its time is when Windows wrote the entry. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "amcache.h"
#include "rule.h"
#include "rules.h"
#include "strbuf.h"
#include "timefmt.h"

static bool names_netsupport(const char *s)
{
	if (!s)
		return false;
	for (; *s; s++)
		if (strncasecmp(s, "netsupport", 10) == 0)
			return true;
	return false;
}

static bool is_module(const char *name)
{
	for (size_t m = 0; name && m < RULE_MODULE_COUNT; m++)
		if (strcasecmp(name, rule_modules[m]) == 0)
			return true;
	return false;
}

/* Under Program Files at the top of the drive, as Amcache writes paths
 * ("c:\program files\..."); any drive letter counts, as the volume of
 * the rule's C: cannot be told here either. */
static bool excluded(const char *path)
{
	return path && strlen(path) > 2 && path[1] == ':' &&
	       rules_under_program_files(path + 2);
}

static char *detail(const struct amcache_entry *e, bool module)
{
	struct strbuf sb = { 0 };
	sb_printf(&sb, "Amcache %s entry for %s",
		  e->layout == 8 ? "Root\\File" : "Root\\InventoryApplicationFile",
		  e->name ? e->name : "(no name)");
	if (e->publisher)
		sb_printf(&sb, "; publisher %s", e->publisher);
	if (e->product)
		sb_printf(&sb, "; product %s", e->product);
	if (e->sha1)
		sb_printf(&sb, "; SHA-1 %s", e->sha1);
	if (module)
		sb_puts(&sb, "; one of the modules of Splunk's search");
	else if (e->name && strcasecmp(e->name, "client32.exe") != 0)
		sb_puts(&sb, "; not named client32.exe: a renamed client");
	sb_puts(&sb, "; Amcache records a file Windows saw run or install, not each run, "
		"and not who signed it");
	return sb_take(&sb);
}

int rules_amcache(const struct amcache *a, const struct read_options *opt,
                  uint32_t input_index, trace_sink sink, void *ctx)
{
	(void)opt;
	for (size_t i = 0; i < a->n; i++) {
		const struct amcache_entry *e = &a->v[i];
		bool module = is_module(e->name);
		bool client = e->name && strcasecmp(e->name, "client32.exe") == 0;
		if (excluded(e->path) || !(module || client || names_netsupport(e->publisher) ||
					   names_netsupport(e->product)))
			continue;
		struct trace t;
		trace_init(&t);
		t.kind = xstrdup("amcache");
		t.verdict = xstrdup("ran");
		t.executable = xstrdup(e->path ? e->path : e->name ? e->name : "");
		t.modules = module ? xstrdup(e->name) : NULL;
		t.detail = detail(e, module);
		t.sha1 = e->sha1 ? xstrdup(e->sha1) : NULL;
		trace_once(&t, e->written, "Amcache entry written (its key's last-written time)");
		t.input = input_index;
		if (trace_hand(sink, ctx, &t) != 0)
			return -1;
	}
	return 0;
}
