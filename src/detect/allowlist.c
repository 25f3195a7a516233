/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "allowlist.h"
#include "escape.h"
#include "strbuf.h"

static void free_rule(struct allow_rule *rule)
{
	for (size_t i = 0; i < rule->n_conds; i++)
		free(rule->conds[i].glob);
	free(rule->conds);
	memset(rule, 0, sizeof *rule);
}

/* Reads a value: bare up to a blank or '#', or double-quoted with \" and
 * \\ escapes. Returns the position after it, or NULL with err set. */
static const char *read_value(const char *p, struct strbuf *out, char *err, size_t err_size)
{
	if (*p != '"') {
		while (*p && *p != ' ' && *p != '\t' && *p != '#' && *p != '\r' && *p != '\n')
			sb_putc(out, *p++);
		return p;
	}
	for (p++; *p != '"'; p++) {
		if (*p == '\0' || *p == '\n' || *p == '\r') {
			snprintf(err, err_size, "unterminated quoted value");
			return NULL;
		}
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		sb_putc(out, *p);
	}
	return p + 1;
}

static void add_cond(struct allow_rule *rule, int field, char *glob)
{
	rule->conds = xrealloc(rule->conds, (rule->n_conds + 1) * sizeof *rule->conds);
	rule->conds[rule->n_conds++] = (struct allow_cond){ field, glob };
}

int allowlist_parse_line(const char *line, int lineno, struct allow_rule *rule,
			 char *err, size_t err_size)
{
	const char *p = line;

	memset(rule, 0, sizeof *rule);
	rule->line = lineno;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '\0' || *p == '#')
			return 0;
		const char *name = p;
		while (*p && *p != '=' && *p != ' ' && *p != '\t' && *p != '#')
			p++;
		if (*p != '=') {
			char *bad = xstrndup(name, (size_t)(p - name));
			char *safe = term_safe(bad);
			snprintf(err, err_size, "expected field=pattern at \"%s\"", safe);
			free(safe);
			free(bad);
			goto fail;
		}
		char *field_name = xstrndup(name, (size_t)(p - name));
		int field = byfield_lookup(field_name);
		if (field < 0) {
			char *safe = term_safe(field_name);
			snprintf(err, err_size, "unknown field \"%s\" (fields are the "
				 "detection's by-fields, e.g. Image, dest, process_hash)", safe);
			free(safe);
			free(field_name);
			goto fail;
		}
		free(field_name);
		struct strbuf glob = { 0 };
		p = read_value(p + 1, &glob, err, err_size);
		if (!p) {
			sb_free(&glob);
			goto fail;
		}
		if (glob.len == 0) {
			snprintf(err, err_size, "%s= has no pattern", byfield_name[field]);
			goto fail;
		}
		add_cond(rule, field, sb_take(&glob));
		if (*p && *p != ' ' && *p != '\t' && *p != '#' && *p != '\r' && *p != '\n') {
			snprintf(err, err_size, "expected a blank after a quoted value");
			goto fail;
		}
	}
fail:
	free_rule(rule);
	return -1;
}

int allowlist_load(struct allowlist *al, const char *path)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = 0;

	if (!fp) {
		char *safe = term_safe(path);
		fprintf(stderr, "rmmhunt: %s: cannot open allowlist: %s\n", safe, strerror(errno));
		free(safe);
		return -1;
	}
	while (getline(&line, &cap, fp) >= 0) {
		struct allow_rule rule;
		char err[256];
		lineno++;
		if (allowlist_parse_line(line, lineno, &rule, err, sizeof err) != 0) {
			char *safe = term_safe(path);
			fprintf(stderr, "rmmhunt: %s:%d: %s\n", safe, lineno, err);
			free(safe);
			rc = -1;
			continue;
		}
		if (rule.n_conds == 0)
			continue;
		al->rules = xrealloc(al->rules, (al->n_rules + 1) * sizeof *al->rules);
		al->rules[al->n_rules++] = rule;
	}
	free(line);
	fclose(fp);
	return rc;
}

int allowlist_match(const struct allowlist *al, char *const key[BF_COUNT])
{
	for (size_t i = 0; i < al->n_rules; i++) {
		const struct allow_rule *r = &al->rules[i];
		size_t c = 0;
		while (c < r->n_conds && splunk_glob(r->conds[c].glob, key[r->conds[c].field]))
			c++;
		if (c == r->n_conds)
			return r->line;
	}
	return 0;
}

void allowlist_apply(const struct allowlist *al, struct findings *f)
{
	for (size_t i = 0; i < f->n_rows; i++) {
		struct finding *row = &f->rows[i];
		int line = allowlist_match(al, row->key);
		if (line == 0)
			continue;
		row->suppressed = true;
		row->allow_rule = line;
		f->suppressed_rows++;
		f->suppressed_events += row->count;
	}
}

void allowlist_free(struct allowlist *al)
{
	for (size_t i = 0; i < al->n_rules; i++)
		free_rule(&al->rules[i]);
	free(al->rules);
	memset(al, 0, sizeof *al);
}
