/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests of allowlist.c, the detection's _filter hook: the rule-line
 * syntax of allowlist.h, matching (Splunk glob, all conditions), and
 * applying it to grouped findings. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1   /* timegm, mkstemp */
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "aggregate.h"
#include "allowlist.h"
#include "escape.h"
#include "event.h"
#include "rule.h"
#include "strbuf.h"

static void parse_good(const char *line, struct allow_rule *rule, size_t n_conds)
{
	char err[256] = "";
	int rc = allowlist_parse_line(line, 7, rule, err, sizeof err);
	if (rc != 0)
		fail_msg("line [%s] rejected: %s", line, err);
	if (rule->n_conds != n_conds)
		fail_msg("line [%s]: %zu conditions, want %zu", line, rule->n_conds, n_conds);
	assert_int_equal(rule->line, 7);
}

static void expect_cond(const struct allow_rule *rule, size_t i, int field, const char *glob)
{
	assert_true(i < rule->n_conds);
	assert_int_equal(rule->conds[i].field, field);
	assert_string_equal(rule->conds[i].glob, glob);
}

static void rule_free(struct allow_rule *rule)
{
	/* allowlist_free owns the rule-freeing logic: wrap one rule. */
	struct allowlist al = { xmalloc(sizeof *rule), 1 };
	al.rules[0] = *rule;
	allowlist_free(&al);
	memset(rule, 0, sizeof *rule);
}

static void test_one_condition(void **state)
{
	(void)state;
	struct allow_rule r;
	parse_good("Image=C:\\Users\\*\\client32.exe", &r, 1);
	expect_cond(&r, 0, BF_IMAGE, "C:\\Users\\*\\client32.exe");
	rule_free(&r);
	parse_good("process_hash=*IMPHASH=E380F823A2FDF736666DA9E6AA697BA6*", &r, 1);
	expect_cond(&r, 0, BF_PROCESS_HASH, "*IMPHASH=E380F823A2FDF736666DA9E6AA697BA6*");
	rule_free(&r);
	parse_good("  dest=WS01\r\n", &r, 1);
	expect_cond(&r, 0, BF_DEST, "WS01");
	rule_free(&r);
}

static void test_several_conditions(void **state)
{
	(void)state;
	struct allow_rule r;
	parse_good("dest=WS01 process_name=client32.exe\tImageLoaded=*\\pcicl32.dll\n", &r, 3);
	expect_cond(&r, 0, BF_DEST, "WS01");
	expect_cond(&r, 1, BF_PROCESS_NAME, "client32.exe");
	expect_cond(&r, 2, BF_IMAGE_LOADED, "*\\pcicl32.dll");
	rule_free(&r);
	/* Every by-field name is accepted. */
	for (int i = 0; i < BF_COUNT; i++) {
		char line[128];
		snprintf(line, sizeof line, "%s=x%d", byfield_name[i], i);
		parse_good(line, &r, 1);
		char want[16];
		snprintf(want, sizeof want, "x%d", i);
		expect_cond(&r, 0, i, want);
		rule_free(&r);
	}
}

static void test_quoted_values(void **state)
{
	(void)state;
	struct allow_rule r;
	parse_good("Image=\"C:\\Program Files Custom\\NSM\\*\" dest=WS01", &r, 2);
	expect_cond(&r, 0, BF_IMAGE, "C:\\Program Files Custom\\NSM\\*");
	expect_cond(&r, 1, BF_DEST, "WS01");
	rule_free(&r);
	parse_good("original_file_name=\"say \\\"hi\\\"\"", &r, 1);
	expect_cond(&r, 0, BF_ORIGINAL_FILE_NAME, "say \"hi\"");
	rule_free(&r);
	parse_good("Image=\"a\\\\b\"", &r, 1);
	expect_cond(&r, 0, BF_IMAGE, "a\\b");
	rule_free(&r);
	parse_good("Image=\"a # not a comment\"", &r, 1);
	expect_cond(&r, 0, BF_IMAGE, "a # not a comment");
	rule_free(&r);
	parse_good("Image=\"x\"# comment", &r, 1);
	expect_cond(&r, 0, BF_IMAGE, "x");
	rule_free(&r);
}

static void test_comments_and_blanks(void **state)
{
	(void)state;
	struct allow_rule r;
	parse_good("", &r, 0);
	parse_good("\n", &r, 0);
	parse_good("   \t  \r\n", &r, 0);
	parse_good("# Image=C:\\x\\*", &r, 0);
	parse_good("   # indented comment", &r, 0);
	parse_good("dest=WS01   # trailing comment", &r, 1);
	expect_cond(&r, 0, BF_DEST, "WS01");
	rule_free(&r);
	parse_good("dest=WS01#comment right after", &r, 1);
	expect_cond(&r, 0, BF_DEST, "WS01");
	rule_free(&r);
}

static void expect_bad(const char *line, const char *reason_has)
{
	struct allow_rule r;
	char err[256];
	memset(err, 0, sizeof err);
	memset(&r, 0xa5, sizeof r);
	if (allowlist_parse_line(line, 3, &r, err, sizeof err) != -1)
		fail_msg("line [%s] accepted", line);
	if (err[0] == '\0')
		fail_msg("line [%s] rejected without a reason", line);
	if (reason_has && !strstr(err, reason_has))
		fail_msg("line [%s]: reason [%s] lacks [%s]", line, err, reason_has);
	/* Nothing left behind for the caller to free. */
	assert_int_equal(r.n_conds, 0);
	assert_null(r.conds);
}

static void test_bad_lines(void **state)
{
	(void)state;
	expect_bad("Imag=x", "Imag");
	expect_bad("image=C:\\x", "image");          /* field names are case-sensitive */
	expect_bad("DEST=WS01", "DEST");
	expect_bad("Signature=NetSupport*", "Signature");  /* raw field, not a by-field */
	expect_bad("count=3", "count");
	expect_bad("=x", NULL);
	expect_bad("dest", NULL);
	expect_bad("dest WS01", NULL);
	expect_bad("dest =WS01", NULL);
	expect_bad("dest=", NULL);
	expect_bad("dest=   # nothing", NULL);
	expect_bad("dest=\"\"", NULL);
	expect_bad("dest=\"WS01", NULL);
	expect_bad("dest=\"WS01\\\"", NULL);            /* \" escapes the closer */
	expect_bad("dest=\"WS01\nx\"", NULL);
	expect_bad("dest=\"WS01\"x", NULL);
	/* A bad second condition frees the first one (checked by ASan). */
	expect_bad("dest=WS01 image=x", "image");
	expect_bad("dest=WS01 Image=\"x", NULL);
}

static void assert_no_controls(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			char *shown = term_safe(s);
			print_error("reason carries raw control 0x%02x: [%s]\n", *p, shown);
			free(shown);
			fail();
		}
	}
}

/* The reason is printed to the terminal: a hostile allowlist line must
 * not be able to send escape sequences through it. */
static void test_reason_is_terminal_safe(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"\x1b[2J=x",            /* unknown field */
		"\x1b]0;owned\x07",     /* no '=' at all */
		"dest\x1b[31m x",       /* no '=' after the name */
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct allow_rule r;
		char err[256] = "";
		assert_int_equal(allowlist_parse_line(lines[i], 1, &r, err, sizeof err), -1);
		assert_no_controls(err);
	}
}

static void test_reason_fits_small_buffer(void **state)
{
	(void)state;
	char line[600];
	memset(line, 'A', 500);
	strcpy(line + 500, "=x");
	char err[8];
	memset(err, 'Z', sizeof err);
	struct allow_rule r;
	assert_int_equal(allowlist_parse_line(line, 1, &r, err, sizeof err), -1);
	assert_non_null(memchr(err, '\0', sizeof err));
}

/* A key for matching, from literals. */
static void make_key(char *key[BF_COUNT], char *image, char *dest, char *name)
{
	for (int i = 0; i < BF_COUNT; i++)
		key[i] = "0";
	key[BF_IMAGE] = image;
	key[BF_PROCESS_PATH] = image;
	key[BF_DEST] = dest;
	key[BF_PROCESS_NAME] = name;
	key[BF_PROCESS_EXEC] = name;
}

static void load_lines(struct allowlist *al, const char *const *lines, size_t n)
{
	memset(al, 0, sizeof *al);
	for (size_t i = 0; i < n; i++) {
		struct allow_rule r;
		char err[256];
		if (allowlist_parse_line(lines[i], (int)i + 1, &r, err, sizeof err) != 0)
			fail_msg("[%s]: %s", lines[i], err);
		if (r.n_conds == 0)
			continue;
		al->rules = xrealloc(al->rules, (al->n_rules + 1) * sizeof *al->rules);
		al->rules[al->n_rules++] = r;
	}
}

static void test_match_case_insensitive_glob(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"Image=c:\\users\\*\\CLIENT32.EXE",
	};
	struct allowlist al;
	load_lines(&al, lines, 1);
	char *key[BF_COUNT];
	make_key(key, "C:\\Users\\bob\\AppData\\client32.exe", "WS01", "client32.exe");
	assert_int_equal(allowlist_match(&al, key), 1);
	make_key(key, "C:\\USERS\\\\client32.exe", "WS01", "client32.exe");
	assert_int_equal(allowlist_match(&al, key), 1);
	make_key(key, "D:\\Users\\bob\\client32.exe", "WS01", "client32.exe");
	assert_int_equal(allowlist_match(&al, key), 0);
	make_key(key, "C:\\Users\\bob\\client32.exe.bak", "WS01", "client32.exe");
	assert_int_equal(allowlist_match(&al, key), 0);
	allowlist_free(&al);
	assert_int_equal(al.n_rules, 0);
}

static void test_match_all_conditions(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"# known-good installs",
		"dest=WS0* process_name=client32.exe",
		"",
		"dest=SRV01",
	};
	struct allowlist al;
	load_lines(&al, lines, 4);
	assert_int_equal(al.n_rules, 2);
	char *key[BF_COUNT];
	make_key(key, "C:\\x\\client32.exe", "ws01", "CLIENT32.EXE");
	assert_int_equal(allowlist_match(&al, key), 2);
	make_key(key, "C:\\x\\evil.exe", "WS01", "evil.exe");     /* one of two */
	assert_int_equal(allowlist_match(&al, key), 0);
	make_key(key, "C:\\x\\client32.exe", "LAPTOP", "client32.exe");
	assert_int_equal(allowlist_match(&al, key), 0);
	make_key(key, "C:\\x\\anything.exe", "srv01", "anything.exe");
	assert_int_equal(allowlist_match(&al, key), 4);
	make_key(key, "C:\\x\\anything.exe", "SRV011", "anything.exe");
	assert_int_equal(allowlist_match(&al, key), 0);
	allowlist_free(&al);

	struct allowlist empty = { 0 };
	make_key(key, "C:\\x", "WS01", "x");
	assert_int_equal(allowlist_match(&empty, key), 0);
}

static void test_match_fillnull_value(void **state)
{
	(void)state;
	/* The rows hold fillnull's "0": a rule can name it. */
	static const char *const lines[] = { "original_file_name=0" };
	struct allowlist al;
	load_lines(&al, lines, 1);
	char *key[BF_COUNT];
	make_key(key, "C:\\x", "WS01", "x");
	assert_int_equal(allowlist_match(&al, key), 1);
	key[BF_ORIGINAL_FILE_NAME] = "PCICL32.DLL";
	assert_int_equal(allowlist_match(&al, key), 0);
	allowlist_free(&al);
}

static void add_event(struct findings *f, const char *computer, const char *image,
		      uint64_t record, int64_t time)
{
	struct event ev;
	memset(&ev, 0, sizeof ev);
	ev.field[EF_PROVIDER] = xstrdup("Microsoft-Windows-Sysmon");
	ev.field[EF_COMPUTER] = xstrdup(computer);
	ev.field[EF_IMAGE] = xstrdup(image);
	ev.field[EF_IMAGE_LOADED] = xstrdup("C:\\nsm\\PCICL32.DLL");
	ev.field[EF_SIGNATURE] = xstrdup("NetSupport Ltd");
	ev.event_id = 7;
	ev.record_id = record;
	ev.time = time;
	findings_add(f, &ev);
}

static void test_apply_counts(void **state)
{
	(void)state;
	struct findings f;
	memset(&f, 0, sizeof f);
	/* Row A (WS01, good.exe): 3 events; row B (WS01, evil.exe): 2;
	 * row C (WS02, good.exe): 4. */
	for (int i = 0; i < 3; i++)
		add_event(&f, "WS01", "C:\\nsm\\good.exe", 100 + (uint64_t)i, 1000 + i);
	for (int i = 0; i < 2; i++)
		add_event(&f, "WS01", "C:\\nsm\\evil.exe", 200 + (uint64_t)i, 2000 + i);
	for (int i = 0; i < 4; i++)
		add_event(&f, "WS02", "C:\\nsm\\good.exe", 300 + (uint64_t)i, 3000 + i);
	findings_group(&f);
	assert_int_equal(f.n_rows, 3);

	static const char *const lines[] = { "# header", "process_name=GOOD.EXE" };
	struct allowlist al;
	load_lines(&al, lines, 2);
	allowlist_apply(&al, &f);
	assert_int_equal(f.suppressed_rows, 2);
	assert_int_equal(f.suppressed_events, 7);
	size_t seen = 0;
	for (size_t i = 0; i < f.n_rows; i++) {
		bool good = strcmp(f.rows[i].key[BF_PROCESS_NAME], "good.exe") == 0;
		assert_int_equal(f.rows[i].suppressed, good);
		assert_int_equal(f.rows[i].allow_rule, good ? 2 : 0);
		if (!good) {
			assert_int_equal(f.rows[i].count, 2);
			seen++;
		}
	}
	assert_int_equal(seen, 1);
	/* Suppressing marks rows; it does not delete them. */
	assert_int_equal(f.n_rows, 3);
	allowlist_free(&al);

	/* An empty allowlist suppresses nothing. */
	struct allowlist none = { 0 };
	struct findings g;
	memset(&g, 0, sizeof g);
	add_event(&g, "WS01", "C:\\nsm\\good.exe", 1, 1);
	findings_group(&g);
	allowlist_apply(&none, &g);
	assert_int_equal(g.suppressed_rows, 0);
	assert_int_equal(g.suppressed_events, 0);
	assert_false(g.rows[0].suppressed);
	findings_free(&g);
	findings_free(&f);
}

static char *write_temp(const char *text)
{
	char *path = xstrdup("/tmp/rmmhunt-allowlist-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t n = strlen(text);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

/* Runs allowlist_load with stderr captured. */
static int load_capture(struct allowlist *al, const char *path, char *out, size_t out_size)
{
	char cap[] = "/tmp/rmmhunt-stderr-XXXXXX";
	int cfd = mkstemp(cap);
	assert_true(cfd >= 0);
	fflush(stderr);
	int saved = dup(2);
	dup2(cfd, 2);
	int rc = allowlist_load(al, path);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	lseek(cfd, 0, SEEK_SET);
	ssize_t n = read(cfd, out, out_size - 1);
	out[n > 0 ? n : 0] = '\0';
	close(cfd);
	unlink(cap);
	return rc;
}

static void test_load_good_file(void **state)
{
	(void)state;
	char *path = write_temp("# known-good NetSupport installs\n"
				"\n"
				"dest=WS01 process_name=client32.exe\n"
				"Image=\"C:\\Tools Dir\\*\"   # quoted\n"
				"dest=SRV*");   /* no final newline */
	struct allowlist al;
	memset(&al, 0, sizeof al);
	char err[1024];
	assert_int_equal(load_capture(&al, path, err, sizeof err), 0);
	assert_string_equal(err, "");
	assert_int_equal(al.n_rules, 3);
	assert_int_equal(al.rules[0].line, 3);
	assert_int_equal(al.rules[0].n_conds, 2);
	assert_int_equal(al.rules[1].line, 4);
	expect_cond(&al.rules[1], 0, BF_IMAGE, "C:\\Tools Dir\\*");
	assert_int_equal(al.rules[2].line, 5);
	expect_cond(&al.rules[2], 0, BF_DEST, "SRV*");
	char *key[BF_COUNT];
	make_key(key, "C:\\Tools Dir\\client32.exe", "LAPTOP", "client32.exe");
	assert_int_equal(allowlist_match(&al, key), 4);
	allowlist_free(&al);
	unlink(path);
	free(path);
}

static void test_load_bad_line(void **state)
{
	(void)state;
	char *path = write_temp("dest=WS01\n"
				"# ok\n"
				"image=C:\\x\\*\n"
				"dest=WS02\n");
	struct allowlist al;
	memset(&al, 0, sizeof al);
	char err[1024];
	assert_int_equal(load_capture(&al, path, err, sizeof err), -1);
	char want[256];
	snprintf(want, sizeof want, "%s:3:", path);
	if (!strstr(err, want))
		fail_msg("stderr [%s] lacks [%s]", err, want);
	assert_non_null(strstr(err, "image"));
	/* Only the bad line is reported. */
	snprintf(want, sizeof want, "%s:1:", path);
	assert_null(strstr(err, want));
	snprintf(want, sizeof want, "%s:4:", path);
	assert_null(strstr(err, want));
	allowlist_free(&al);
	unlink(path);
	free(path);
}

static void test_load_missing_file(void **state)
{
	(void)state;
	struct allowlist al;
	memset(&al, 0, sizeof al);
	char err[1024];
	assert_int_equal(load_capture(&al, "/nonexistent/rmmhunt/allow.txt", err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/rmmhunt/allow.txt"));
	assert_int_equal(al.n_rules, 0);
	allowlist_free(&al);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_condition),
		cmocka_unit_test(test_several_conditions),
		cmocka_unit_test(test_quoted_values),
		cmocka_unit_test(test_comments_and_blanks),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_reason_is_terminal_safe),
		cmocka_unit_test(test_reason_fits_small_buffer),
		cmocka_unit_test(test_match_case_insensitive_glob),
		cmocka_unit_test(test_match_all_conditions),
		cmocka_unit_test(test_match_fillnull_value),
		cmocka_unit_test(test_apply_counts),
		cmocka_unit_test(test_load_good_file),
		cmocka_unit_test(test_load_bad_line),
		cmocka_unit_test(test_load_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
