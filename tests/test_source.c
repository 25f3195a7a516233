/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Contract tests of the source layer: one table of checks run against
 * every kind of source (a file by path, a descriptor, memory, a range of
 * a parent, a view, pieces laid end to end, runs of a parent), each made
 * to hold the same bytes: its size; its first and last byte; all of it,
 * read in pieces that straddle every boundary of the pieces below; a
 * read across its end (short) and past it (nothing); a read in a child
 * process after fork (no file position is shared); its SHA-256 against
 * OpenSSL's of the bytes themselves. A new kind of source is one row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "source.h"

#define N 200001u               /* odd, and not a multiple of any block */
#define PAD 1000u               /* bytes before and after, in parents */

/* The bytes every source of the table holds, and what lies around them
 * in the parents (never to be read). */
static uint8_t want[N];
static uint8_t padded[N + 2 * PAD];
static uint8_t shuffled[N + 2 * PAD];
static char path[64];

/* What a row made: the source, and a parent it only borrows (a view's),
 * closed after it. */
struct made {
	struct source *s, *borrowed;
};

static struct made make_file(void)
{
	char err[SOURCE_ERR_MAX];
	return (struct made){ source_file_open(path, err, sizeof err), NULL };
}

static struct made make_fd(void)
{
	char err[SOURCE_ERR_MAX];
	int fd = open(path, O_RDONLY);
	return (struct made){ fd >= 0 ? source_fd(fd, err, sizeof err) : NULL, NULL };
}

static struct made make_memory(void)
{
	return (struct made){ source_memory(want, N), NULL };
}

static struct made make_range(void)
{
	return (struct made){ source_range(source_memory(padded, sizeof padded), PAD, N), NULL };
}

static struct made make_view(void)
{
	struct source *parent = source_memory(want, N);
	return (struct made){ source_view(parent), parent };
}

static struct made make_concat(void)
{
	struct source *p[3] = { source_memory(want, 1), source_memory(want + 1, 70000),
				source_memory(want + 70001, N - 70001) };
	return (struct made){ source_concat(p, 3), NULL };
}

/* The bytes cut in three runs, laid in shuffled[] out of order (the
 * last first) and apart. */
static const struct byte_run runs[3] = {
	{ PAD + 50001 + 3 + 84464 + 4, 65536 },
	{ PAD + 50001 + 3, 84464 },
	{ PAD, N - 65536 - 84464 },
};

static struct made make_runs(void)
{
	return (struct made){ source_runs(source_memory(shuffled, sizeof shuffled), runs, 3),
			      NULL };
}

static const struct row {
	const char *name;
	struct made (*make)(void);
} rows[] = {
	{ "file", make_file }, { "fd", make_fd }, { "memory", make_memory },
	{ "range", make_range }, { "view", make_view }, { "concat", make_concat },
	{ "runs", make_runs },
};

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < N; i++)
		want[i] = (uint8_t)((i * 2654435761u) >> 13);
	memset(padded, 0xee, sizeof padded);
	memcpy(padded + PAD, want, N);
	/* runs[] in shuffled[]: the bytes in the runs' order */
	memset(shuffled, 0xdd, sizeof shuffled);
	uint64_t at = 0;
	for (size_t i = 0; i < 3; i++) {
		assert_true(runs[i].off + runs[i].len <= sizeof shuffled);
		memcpy(shuffled + runs[i].off, want + at, runs[i].len);
		at += runs[i].len;
	}
	assert_int_equal(at, N);
	snprintf(path, sizeof path, "/tmp/rmmhunt-test-source.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, want, N), (ssize_t)N);
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static void done(struct made m)
{
	source_close(m.s);
	source_close(m.borrowed);
}

static void check_size_and_ends(const struct row *r)
{
	struct made m = r->make();
	assert_non_null(m.s);
	if (m.s->size != N)
		fail_msg("%s: size %llu, not %u", r->name, (unsigned long long)m.s->size, N);
	uint8_t b = 0;
	assert_int_equal(source_read(m.s, 0, &b, 1), 1);
	assert_int_equal(b, want[0]);
	assert_int_equal(source_read(m.s, N - 1, &b, 1), 1);
	if (b != want[N - 1])
		fail_msg("%s: last byte %02x, not %02x", r->name, b, want[N - 1]);
	done(m);
}

static void check_whole(const struct row *r)
{
	struct made m = r->make();
	static uint8_t got[N];
	memset(got, 0, sizeof got);
	for (uint64_t off = 0; off < N; off += 4093) {
		size_t n = N - off < 4093 ? (size_t)(N - off) : 4093;
		if (source_read(m.s, off, got + off, n) != (ssize_t)n)
			fail_msg("%s: short read at %llu", r->name, (unsigned long long)off);
	}
	if (memcmp(got, want, N) != 0)
		fail_msg("%s: the bytes read are not the bytes", r->name);
	done(m);
}

static void check_end(const struct row *r)
{
	struct made m = r->make();
	uint8_t buf[100];
	if (source_read(m.s, N - 10, buf, sizeof buf) != 10 || memcmp(buf, want + N - 10, 10))
		fail_msg("%s: a read across the end is not its last 10 bytes", r->name);
	if (source_read(m.s, N, buf, sizeof buf) != 0 ||
	    source_read(m.s, N + 5, buf, sizeof buf) != 0)
		fail_msg("%s: a read past the end gave bytes", r->name);
	done(m);
}

/* A child reads three places and writes them to a pipe; they must be
 * the parent's. */
static void check_after_fork(const struct row *r)
{
	struct made m = r->make();
	const uint64_t at[3] = { N / 2, 7, N - 3 };
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		uint8_t b[3] = { 0 };
		int ok = 1;
		for (int i = 0; i < 3; i++)
			ok &= source_read(m.s, at[i], &b[i], 1) == 1;
		_exit(ok && write(p[1], b, 3) == 3 ? 0 : 1);
	}
	close(p[1]);
	uint8_t b[3] = { 0 };
	assert_int_equal(read(p[0], b, 3), 3);
	close(p[0]);
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	for (int i = 0; i < 3; i++)
		if (b[i] != want[at[i]])
			fail_msg("%s: after fork, byte %llu differs", r->name,
				 (unsigned long long)at[i]);
	done(m);
}

static void check_sha256(const struct row *r)
{
	unsigned char md[32];
	unsigned int len = 0;
	assert_int_equal(EVP_Digest(want, N, md, &len, EVP_sha256(), NULL), 1);
	char hex[65];
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	struct made m = r->make();
	char got[65] = "";
	uint64_t bytes = 0;
	assert_int_equal(source_sha256(m.s, got, &bytes), 0);
	assert_int_equal(bytes, N);
	if (strcmp(got, hex) != 0)
		fail_msg("%s: SHA-256 %s, OpenSSL says %s", r->name, got, hex);
	done(m);
}

static void test_contract(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		check_size_and_ends(&rows[i]);
		check_whole(&rows[i]);
		check_end(&rows[i]);
		check_after_fork(&rows[i]);
		check_sha256(&rows[i]);
	}
}

/* Where a byte of runs lies in its parent: each run's first and last. */
static void test_runs_origin(void **state)
{
	(void)state;
	struct made m = make_runs();
	uint64_t at = 0;
	for (size_t i = 0; i < 3; i++) {
		const struct byte_run *r = &runs[i];
		assert_int_equal(source_runs_origin(m.s, at), r->off);
		assert_int_equal(source_runs_origin(m.s, at + r->len - 1), r->off + r->len - 1);
		at += r->len;
	}
	done(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contract),
		cmocka_unit_test(test_runs_origin),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
