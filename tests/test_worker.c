/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests of the workers (src/worker.c).
 *
 * The real reader is not linked: this file defines its own read_evtx()
 * that makes up events and coverage from the file's name (the text after
 * the last '/'), and misbehaves on demand:
 *   events:N   N events with awkward strings, coverage ok
 *   partial:N  N events, status partial with a reason
 *   fail       nothing read, status failed (read_evtx returns -1)
 *   crash      3 events, then SIGSEGV
 *   abort      1 event, then abort()
 *   exit3      2 events, then _exit(3)
 *   hog        xmalloc 8 GiB and touch it (exits 8: the memory limit)
 *   hogtouch   malloc and touch 16 MiB chunks until malloc fails, then
 *              crash the way unchecked code does
 *   deep       recurse 4,800 frames of 8 KiB (37.5 MiB: more than a
 *              default 8 MiB stack holds, so it proves the big one)
 *   overflow   recurse without a useful end: a stack overflow
 *   sleep      sleep for a minute
 *   big        100,000 events with long strings (pipe back-pressure)
 *   garbage    write junk down the pipe
 *   trunc      write half a frame, then _exit(0)
 *   fds        coverage records = open descriptors above stderr,
 *              recovered = 1 when stdout is stderr
 *   pid        coverage records = the worker's process id
 *   rlimit     coverage records = the worker's RLIMIT_CPU (soft), or 0
 *              when unlimited
 *   spin       malloc 1 MiB blocks until malloc fails, then go on
 *              asking for ever (what libevtx does at the memory limit)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "event.h"
#include "input.h"
#include "reader.h"
#include "strbuf.h"
#include "timefmt.h"
#include "worker.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* RLIMIT_AS cannot be combined with AddressSanitizer, which reserves
 * terabytes of shadow memory: then the workers get no limit and the
 * memory tests are skipped. */
static uint64_t test_mem_limit(void)
{
	return UNDER_ASAN ? 0 : WORKER_DEFAULT_MEM_LIMIT;
}

#define BASE_TIME INT64_C(133000000000000000)

/* ------------------------------------------------------------------ */
/* The fake reader.                                                     */

static char *gen_str(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *gen_str(const char *fmt, ...)
{
	struct strbuf sb = { 0 };
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	sb_puts(&sb, buf);
	return sb_take(&sb);
}

/* The k-th event of input idx; big ones carry long strings. */
static void gen_event(struct event *ev, uint32_t idx, uint64_t k, bool big)
{
	memset(ev, 0, sizeof *ev);
	ev->field[EF_PROVIDER] = xstrdup("Microsoft-Windows-Sysmon");
	switch (k % 3) {
	case 0: ev->field[EF_COMPUTER] = NULL; break;
	case 1: ev->field[EF_COMPUTER] = xstrdup(""); break;
	default: ev->field[EF_COMPUTER] = gen_str("HOST-%" PRIu64, k); break;
	}
	ev->field[EF_USER_ID] = k % 2 ? NULL : xstrdup("S-1-5-18");
	ev->field[EF_IMAGE] = gen_str("C:\\Users\\a\n\r\t\"q\"\x01\x7f\\%u\\client32.exe", idx);
	if (big) {
		struct strbuf sb = { 0 };
		sb_printf(&sb, "C:\\Program Files (x86)\\NetSupport\\%u-%" PRIu64 "\\", idx, k);
		for (int i = 0; i < 40; i++)
			sb_puts(&sb, "very\xc3\xa9long\xe2\x82\xac-");
		sb_puts(&sb, "PCICL32.DLL");
		ev->field[EF_IMAGE_LOADED] = sb_take(&sb);
	} else {
		ev->field[EF_IMAGE_LOADED] = gen_str(
			"C:\\Temp\\\xc3\xa9\xe2\x82\xac\xff\xfe bin\\%" PRIu64 "\\PCICL32.DLL", k);
	}
	ev->field[EF_ORIGINAL_FILE_NAME] = xstrdup("PCICL32.DLL");
	ev->field[EF_PROCESS_GUID] = gen_str("{%08x-0000-0000-0000-%012" PRIx64 "}", idx, k);
	ev->field[EF_PROCESS_ID] = gen_str("%" PRIu64, 1000 + k);
	ev->field[EF_HASHES] = big ? gen_str("SHA256=%064" PRIu64 ",MD5=%032u", k, idx) : NULL;
	ev->field[EF_SIGNED] = xstrdup(k % 2 ? "true" : "false");
	ev->field[EF_SIGNATURE_STATUS] = k % 5 ? xstrdup("Valid") : xstrdup("");
	ev->field[EF_SIGNATURE] = k % 7 ? NULL : xstrdup("NetSupport Ltd\n;,");
	ev->event_id = 7;
	ev->record_id = 5000 + k;
	ev->time = BASE_TIME + (int64_t)k * 10000000 - (int64_t)idx;
	ev->time_from_header = k % 2;
	ev->recovered = k % 4 == 3;
	ev->input = idx;
	ev->offset = 4096 + 512 * k;
}

static void gen_coverage(struct input *in, uint32_t idx, uint64_t n)
{
	snprintf(in->sha256, sizeof in->sha256, "%064x", idx + 0xab00);
	in->size = 69632 + idx;
	in->records = n * 10 + 1;
	in->recovered = n % 3;
	in->record_errors = idx;
	in->eid7 = n;
	in->eid7_recovered = n / 2;
	input_add_time(in, BASE_TIME - 1000 * (int64_t)idx);
	input_add_time(in, BASE_TIME + 999);
	in->dirty = idx % 2;
	input_add_computer(in, "HOST-A");
	input_add_computer(in, "");
	input_add_computer(in, "ws-\xc3\xa9\n;x");
}

static int emit(uint32_t idx, uint64_t n, bool big, event_sink sink, void *ctx)
{
	for (uint64_t k = 0; k < n; k++) {
		struct event ev;
		gen_event(&ev, idx, k, big);
		int r = sink(ctx, &ev);
		event_clear(&ev);
		if (r != 0)
			return -1;
	}
	return 0;
}

static unsigned recurse(unsigned depth, unsigned max)
{
	volatile char local[8192];
	local[0] = (char)depth;
	local[sizeof local - 1] = (char)(depth >> 8);
	if (depth >= max)
		return local[0];
	return recurse(depth + 1, max) + (unsigned)local[sizeof local - 1];
}

/* The worker's pipe: the only FIFO it has open past stderr. */
static int pipe_fd(void)
{
	for (int fd = 3; fd < 1024; fd++) {
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
			return fd;
	}
	return -1;
}

int read_evtx(struct input *in, uint32_t idx, const struct read_options *opt,
              event_sink sink, void *ctx)
{
	const char *name = strrchr(in->path, '/');
	unsigned n;

	(void)opt;
	name = name ? name + 1 : in->path;
	if (sscanf(name, "events:%u", &n) == 1) {
		gen_coverage(in, idx, n);
		return emit(idx, n, false, sink, ctx);
	}
	if (sscanf(name, "partial:%u", &n) == 1) {
		gen_coverage(in, idx, n);
		input_note(in, INPUT_PARTIAL, "chunk 3: bad CRC\n(\"x\")");
		return emit(idx, n, false, sink, ctx);
	}
	if (!strcmp(name, "fail")) {
		input_note(in, INPUT_FAILED, "not an EVTX file");
		return -1;
	}
	if (!strcmp(name, "crash")) {
		emit(idx, 3, false, sink, ctx);
		raise(SIGSEGV);
	}
	if (!strcmp(name, "abort")) {
		emit(idx, 1, false, sink, ctx);
		abort();
	}
	if (!strcmp(name, "exit3")) {
		emit(idx, 2, false, sink, ctx);
		_exit(3);
	}
	if (!strcmp(name, "hog")) {
		size_t sz = (size_t)8 << 30;
		memset(xmalloc(sz), 1, sz);
	}
	if (!strcmp(name, "hogtouch")) {
		for (;;) {
			size_t sz = (size_t)16 << 20;
			char *p = malloc(sz);
			if (!p)
				raise(SIGSEGV);   /* as a NULL dereference would */
			memset(p, 1, sz);
		}
	}
	if (!strcmp(name, "deep")) {
		recurse(0, 4800);
		gen_coverage(in, idx, 1);
		return emit(idx, 1, false, sink, ctx);
	}
	if (!strcmp(name, "overflow"))
		recurse(0, 100000000);
	if (!strcmp(name, "sleep"))
		sleep(60);
	if (!strcmp(name, "big")) {
		gen_coverage(in, idx, 100000);
		return emit(idx, 100000, true, sink, ctx);
	}
	if (!strcmp(name, "garbage")) {
		static const char junk[] = "E\x10\0\0\0garbage garbage!";
		int fd = pipe_fd();
		if (write(fd, junk, sizeof junk) < 0)
			_exit(99);
		sleep(60);
	}
	if (!strcmp(name, "trunc")) {
		int fd = pipe_fd();
		if (write(fd, "E\x40\0", 3) < 0)
			_exit(99);
		_exit(0);
	}
	if (!strcmp(name, "rlimit")) {
		struct rlimit rl;
		in->records = getrlimit(RLIMIT_CPU, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
			      ? (uint64_t)rl.rlim_cur : 0;
		return 0;
	}
	if (!strcmp(name, "pid")) {
		in->records = (uint64_t)getpid();
		return 0;
	}
	if (!strcmp(name, "spin")) {
		for (;;) {
			char *p = malloc((size_t)1 << 20);
			if (p)
				memset(p, 1, 4096);
		}
	}
	if (!strcmp(name, "fds")) {
		struct stat o, e;
		for (int fd = 3; fd < 1024; fd++)
			in->records += fcntl(fd, F_GETFD) >= 0;
		in->recovered = fstat(1, &o) == 0 && fstat(2, &e) == 0 &&
		                o.st_dev == e.st_dev && o.st_ino == e.st_ino;
		return 0;
	}
	input_note(in, INPUT_FAILED, "fake reader: unknown name");
	return -1;
}

/* ------------------------------------------------------------------ */
/* Helpers.                                                             */

struct sink_state {
	struct event *evs;
	size_t n, cap;
	size_t stop_after;      /* return -1 after this many; 0 = never */
};

static int collect(void *ctx, struct event *ev)
{
	struct sink_state *st = ctx;
	if (st->n == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 64;
		st->evs = xrealloc(st->evs, st->cap * sizeof *st->evs);
	}
	st->evs[st->n++] = *ev;           /* move */
	memset(ev, 0, sizeof *ev);
	return st->stop_after && st->n >= st->stop_after ? -1 : 0;
}

static void sink_free(struct sink_state *st)
{
	for (size_t i = 0; i < st->n; i++)
		event_clear(&st->evs[i]);
	free(st->evs);
	memset(st, 0, sizeof *st);
}

static void make_list(struct input_list *l, const char *const *paths, size_t n)
{
	memset(l, 0, sizeof *l);
	l->items = xcalloc(n, sizeof *l->items);
	l->n = l->cap = n;
	for (size_t i = 0; i < n; i++) {
		l->items[i].path = xstrdup(paths[i]);
		l->items[i].named = i % 2;
		l->items[i].size = 1000000;
		l->items[i].first_time = l->items[i].last_time = TIME_NONE;
	}
}

static int run(struct input_list *l, struct sink_state *st, unsigned jobs,
               uint64_t mem, unsigned secs)
{
	struct read_options ro = { .recovered = true, .prefilter = false };
	struct worker_options wo = WORKER_OPTIONS_DEFAULT;
	wo.jobs = jobs;
	wo.mem_limit = mem;
	wo.time_limit = secs;
	return run_workers(l, &ro, &wo, collect, st);
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The event must be exactly what the fake reader made. */
static void check_event(const struct event *ev, bool big)
{
	struct event want;
	uint64_t k = ev->record_id - 5000;
	gen_event(&want, ev->input, k, big);
	for (int i = 0; i < EF_COUNT; i++) {
		if (!str_eq(ev->field[i], want.field[i]))
			fail_msg("input %u event %" PRIu64 " field %d: got \"%s\", want \"%s\"",
			         ev->input, k, i, ev->field[i] ? ev->field[i] : "(null)",
			         want.field[i] ? want.field[i] : "(null)");
	}
	assert_int_equal(ev->event_id, want.event_id);
	assert_true(ev->time == want.time);
	assert_int_equal(ev->time_from_header, want.time_from_header);
	assert_int_equal(ev->recovered, want.recovered);
	assert_int_equal(ev->offset, want.offset);
	event_clear(&want);
}

/* The coverage must be exactly what the fake reader made. */
static void check_coverage(const struct input *in, uint32_t idx, uint64_t n,
                           const char *path)
{
	struct input want = { .first_time = TIME_NONE, .last_time = TIME_NONE };
	gen_coverage(&want, idx, n);
	assert_string_equal(in->path, path);
	assert_int_equal(in->named, idx % 2);
	assert_int_equal(in->size, want.size);
	assert_string_equal(in->sha256, want.sha256);
	assert_int_equal(in->records, want.records);
	assert_int_equal(in->recovered, want.recovered);
	assert_int_equal(in->record_errors, want.record_errors);
	assert_int_equal(in->eid7, want.eid7);
	assert_int_equal(in->eid7_recovered, want.eid7_recovered);
	assert_true(in->first_time == want.first_time);
	assert_true(in->last_time == want.last_time);
	assert_int_equal(in->dirty, want.dirty);
	assert_int_equal(in->n_computers, want.n_computers);
	for (size_t i = 0; i < want.n_computers; i++)
		assert_string_equal(in->computers[i], want.computers[i]);
	input_clear(&want);
}

static size_t count_input(const struct sink_state *st, uint32_t idx)
{
	size_t n = 0;
	for (size_t i = 0; i < st->n; i++)
		n += st->evs[i].input == idx;
	return n;
}

static void assert_reason(const struct input *in, const char *part)
{
	if (!in->reason || !strstr(in->reason, part))
		fail_msg("%s: reason \"%s\" lacks \"%s\"", in->path,
		         in->reason ? in->reason : "(null)", part);
}

/* ------------------------------------------------------------------ */
/* Tests.                                                               */

static void test_roundtrip(void **state)
{
	static const char *const paths[] = { "a/events:5", "b/partial:7", "c/events:0", "d/fail" };
	struct input_list l;
	struct sink_state st = { 0 };
	(void)state;

	make_list(&l, paths, 4);
	assert_int_equal(run(&l, &st, 2, test_mem_limit(), 0), 0);
	assert_int_equal(st.n, 12);
	for (size_t i = 0; i < st.n; i++)
		check_event(&st.evs[i], false);
	assert_int_equal(count_input(&st, 0), 5);
	assert_int_equal(count_input(&st, 1), 7);

	check_coverage(&l.items[0], 0, 5, "a/events:5");
	assert_int_equal(l.items[0].status, INPUT_OK);
	assert_null(l.items[0].reason);
	check_coverage(&l.items[1], 1, 7, "b/partial:7");
	assert_int_equal(l.items[1].status, INPUT_PARTIAL);
	assert_string_equal(l.items[1].reason, "chunk 3: bad CRC\n(\"x\")");
	check_coverage(&l.items[2], 2, 0, "c/events:0");
	assert_int_equal(l.items[2].status, INPUT_OK);
	/* A file the reader could not read: its own reason, nothing else. */
	assert_int_equal(l.items[3].status, INPUT_FAILED);
	assert_string_equal(l.items[3].reason, "not an EVTX file");
	assert_int_equal(l.items[3].n_computers, 0);
	assert_true(l.items[3].first_time == TIME_NONE);
	sink_free(&st);
	inputs_free(&l);
}

static void test_crash_isolated(void **state)
{
	static const char *const paths[] = { "x/events:4", "y/crash", "z/events:2", "w/abort" };
	struct input_list l;
	struct sink_state st = { 0 };
	(void)state;

	make_list(&l, paths, 4);
	assert_int_equal(run(&l, &st, 2, test_mem_limit(), 0), 0);
	check_coverage(&l.items[0], 0, 4, "x/events:4");
	check_coverage(&l.items[2], 2, 2, "z/events:2");
	assert_int_equal(l.items[0].status, INPUT_OK);
	assert_int_equal(l.items[2].status, INPUT_OK);

	assert_int_equal(l.items[1].status, INPUT_FAILED);
	assert_reason(&l.items[1], "worker killed by signal 11 (Segmentation fault)");
	assert_reason(&l.items[1], "the 3 events it sent before were kept");
	assert_int_equal(l.items[1].records, 0);
	assert_int_equal(l.items[1].size, 1000000);
	assert_int_equal(l.items[3].status, INPUT_FAILED);
	assert_reason(&l.items[3], "signal 6");

	/* The events that arrived complete before the crash are delivered. */
	assert_int_equal(count_input(&st, 1), 3);
	assert_int_equal(count_input(&st, 3), 1);
	assert_int_equal(st.n, 4 + 3 + 2 + 1);
	for (size_t i = 0; i < st.n; i++)
		check_event(&st.evs[i], false);
	sink_free(&st);
	inputs_free(&l);
}

static void test_memory_limit(void **state)
{
	static const char *const paths[] = { "m/hog", "m/events:3", "m/hogtouch" };
	struct input_list l;
	struct sink_state st = { 0 };
	(void)state;

	if (UNDER_ASAN)
		skip();
	make_list(&l, paths, 3);
	assert_int_equal(run(&l, &st, 3, (uint64_t)512 << 20, 0), 0);
	assert_int_equal(l.items[0].status, INPUT_FAILED);
	assert_string_equal(l.items[0].reason,
	                    "worker exceeded the memory limit (RLIMIT_AS 512 MiB)");
	assert_int_equal(l.items[2].status, INPUT_FAILED);
	assert_string_equal(l.items[2].reason,
	                    "worker exceeded the memory limit (RLIMIT_AS 512 MiB)");
	assert_int_equal(l.items[1].status, INPUT_OK);
	check_coverage(&l.items[1], 1, 3, "m/events:3");
	assert_int_equal(st.n, 3);
	sink_free(&st);
	inputs_free(&l);
}

/* At the limit, a worker whose allocations fail and that goes on asking
 * (libevtx does) is stopped promptly, as the memory limit, not at its
 * time limit. */
static void test_memory_spin(void **state)
{
	static const char *const paths[] = { "m/spin", "m/events:3" };
	struct input_list l;
	struct sink_state st = { 0 };
	struct timespec a, b;
	(void)state;

	if (UNDER_ASAN)
		skip();
	make_list(&l, paths, 2);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(run(&l, &st, 2, (uint64_t)512 << 20, 120), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(b.tv_sec - a.tv_sec < 30);
	assert_int_equal(l.items[0].status, INPUT_FAILED);
	assert_string_equal(l.items[0].reason,
	                    "worker exceeded the memory limit (RLIMIT_AS 512 MiB)");
	assert_int_equal(l.items[1].status, INPUT_OK);
	sink_free(&st);
	inputs_free(&l);
}

/* Small files share workers; one that crashes its worker is named, and
 * the files after it in its batch are read by a fresh worker. */
static void test_batches(void **state)
{
	enum { N = 200, CRASH = 37 };
	const char *paths[N];
	struct input_list l;
	struct sink_state st = { 0 };
	(void)state;

	for (size_t i = 0; i < N; i++)
		paths[i] = i == CRASH ? "b/crash" : i % 2 ? "b/pid" : "b/events:2";
	make_list(&l, paths, N);
	assert_int_equal(run(&l, &st, 2, test_mem_limit(), 0), 0);
	size_t ok = 0, workers = 0;
	uint64_t pids[N];
	for (size_t i = 0; i < N; i++) {
		if (i == CRASH) {
			assert_int_equal(l.items[i].status, INPUT_FAILED);
			assert_reason(&l.items[i], "signal 11");
			continue;
		}
		ok += l.items[i].status == INPUT_OK;
		if (strcmp(l.items[i].path, "b/pid") != 0)
			continue;
		bool seen = false;
		for (size_t k = 0; k < workers && !seen; k++)
			seen = pids[k] == l.items[i].records;
		if (!seen)
			pids[workers++] = l.items[i].records;
	}
	assert_int_equal(ok, N - 1);
	assert_int_equal(count_input(&st, CRASH), 3);
	/* the file after the crash was read, by another worker */
	assert_true(l.items[CRASH + 2].records != l.items[CRASH - 2].records ||
		    l.items[CRASH - 2].records == 0);
	if (workers >= N / 4)   /* one a file would be N / 2 here */
		fail_msg("%zu workers for %d small files: not batched", workers, N);
	sink_free(&st);
	inputs_free(&l);
}

/* A worker's CPU time is limited to twice its files' time limits (and
 * 10 s), and not at all without a time limit. */
static void test_cpu_limit(void **state)
{
	static const char *const one[] = { "c/rlimit" };
	struct input_list l;
	struct sink_state st = { 0 };
	(void)state;

	make_list(&l, one, 1);
	assert_int_equal(run(&l, &st, 1, test_mem_limit(), 5), 0);
	assert_int_equal(l.items[0].records, 2 * 5 + 10);
	inputs_free(&l);
	make_list(&l, one, 1);
	assert_int_equal(run(&l, &st, 1, test_mem_limit(), 0), 0);
	assert_int_equal(l.items[0].records, 0);
	inputs_free(&l);
	/* the default: 300 s and 256 s a GiB (make_list's files are 1 MB) */
	struct worker_options wo = WORKER_OPTIONS_DEFAULT;
	assert_int_equal(worker_time_limit(&wo, 1000000), 300);
	assert_int_equal(worker_time_limit(&wo, (uint64_t)4 << 30), 300 + 4 * 256);
	sink_free(&st);
}

static struct input *done_items;   /* count_done's list, for the index */

/* wopt.done hears of every input once, as soon as it is final: in
 * batches, with a crash among them, and when reading is stopped. */
static void count_done(void *ctx, struct input *in)
{
	unsigned *seen = ctx;
	seen[in - done_items]++;
}

static void test_done_once(void **state)
{
	enum { N = 120 };
	const char *paths[N];
	(void)state;
	for (size_t i = 0; i < N; i++)
		paths[i] = i == 50 ? "d/crash" : i == 90 ? "d/sleep" : "d/events:1";
	for (int stop = 0; stop < 2; stop++) {
		struct input_list l;
		struct sink_state st = { 0 };
		unsigned seen[N] = { 0 };
		struct read_options ro = { .recovered = true };
		struct worker_options wo = WORKER_OPTIONS_DEFAULT;
		make_list(&l, paths, N);
		done_items = l.items;
		wo.jobs = 2;
		wo.mem_limit = test_mem_limit();
		wo.time_limit = stop ? 0 : 1;        /* the sleeper: timed out, */
		if (stop) {                          /* or the run's deadline */
			struct timespec t;
			clock_gettime(CLOCK_MONOTONIC, &t);
			wo.deadline = (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000 + 1500;
		}
		wo.done = count_done;
		wo.done_ctx = seen;
		assert_int_equal(run_workers(&l, &ro, &wo, collect, &st), 0);
		for (size_t i = 0; i < N; i++)
			if (seen[i] != 1)
				fail_msg("input %zu (%s) heard of %u times", i, paths[i], seen[i]);
		assert_int_equal(l.items[50].status, INPUT_FAILED);
		assert_int_equal(l.items[90].status, INPUT_FAILED);
		sink_free(&st);
		inputs_free(&l);
	}
}

static int64_t interrupt_at;   /* ms, CLOCK_MONOTONIC; 0: never */

static const char *fake_interrupt(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	int64_t now = (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
	return interrupt_at && now >= interrupt_at ? "SIGTERM" : NULL;
}

/* A signal (or the deadline) stops the workers: what was read stays,
 * the file being read and those not begun are marked interrupted. */
static void test_interrupted(void **state)
{
	static const char *const paths[] = { "i/events:2", "i/sleep", "i/events:1" };
	(void)state;

	for (int deadline = 0; deadline < 2; deadline++) {
		struct input_list l;
		struct sink_state st = { 0 };
		struct read_options ro = { .recovered = true };
		struct worker_options wo = WORKER_OPTIONS_DEFAULT;
		struct timespec a, b;
		make_list(&l, paths, 3);
		wo.jobs = 1;
		wo.mem_limit = test_mem_limit();
		clock_gettime(CLOCK_MONOTONIC, &a);
		int64_t at = (int64_t)a.tv_sec * 1000 + a.tv_nsec / 1000000 + 700;
		if (deadline) {
			wo.deadline = at;
		} else {
			wo.interrupted = fake_interrupt;
			interrupt_at = at;
		}
		assert_int_equal(run_workers(&l, &ro, &wo, collect, &st), 0);
		clock_gettime(CLOCK_MONOTONIC, &b);
		interrupt_at = 0;
		assert_true(b.tv_sec - a.tv_sec < 10);
		const char *why = deadline ? "the --deadline passed" : "SIGTERM";
		assert_non_null(l.interrupted);
		assert_string_equal(l.interrupted, why);
		assert_int_equal(l.items[0].status, INPUT_OK);
		assert_false(l.items[0].interrupted);
		assert_int_equal(l.items[1].status, INPUT_FAILED);
		assert_true(l.items[1].interrupted);
		assert_reason(&l.items[1], "run interrupted");
		assert_reason(&l.items[1], why);
		assert_int_equal(l.items[2].status, INPUT_FAILED);
		assert_true(l.items[2].interrupted);
		assert_reason(&l.items[2], "not read: run interrupted");
		assert_int_equal(st.n, 2);
		sink_free(&st);
		inputs_free(&l);
	}
}

static void test_deep_stack(void **state)
{
	static const char *const paths[] = { "s/deep", "s/overflow", "s/events:1" };
	struct input_list l;
	struct sink_state st = { 0 };
	(void)state;

	make_list(&l, paths, 3);
	assert_int_equal(run(&l, &st, 2, test_mem_limit(), 0), 0);
	/* 37.5 MiB of frames fit the worker's stack, under the memory limit. */
	if (l.items[0].status != INPUT_OK)
		fail_msg("deep: %s", l.items[0].reason);
	assert_int_equal(l.items[0].status, INPUT_OK);
	check_coverage(&l.items[0], 0, 1, "s/deep");
	/* Running off its end is a crash of that file alone. */
	assert_int_equal(l.items[1].status, INPUT_FAILED);
	assert_reason(&l.items[1], "signal 11");
	assert_int_equal(l.items[2].status, INPUT_OK);
	assert_int_equal(st.n, 2);
	sink_free(&st);
	inputs_free(&l);
}

static void test_timeout(void **state)
{
	static const char *const paths[] = { "t/sleep", "t/events:2" };
	struct input_list l;
	struct sink_state st = { 0 };
	struct timespec a, b;
	(void)state;

	make_list(&l, paths, 2);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(run(&l, &st, 1, test_mem_limit(), 1), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(b.tv_sec - a.tv_sec < 10);
	assert_int_equal(l.items[0].status, INPUT_FAILED);
	assert_string_equal(l.items[0].reason, "timed out after 1 s");
	assert_int_equal(l.items[1].status, INPUT_OK);
	assert_int_equal(st.n, 2);
	sink_free(&st);
	inputs_free(&l);
}

static void test_big(void **state)
{
	static const char *const paths[] = { "big", "e/events:3" };
	struct input_list l;
	struct sink_state st = { 0 };
	(void)state;

	make_list(&l, paths, 2);
	assert_int_equal(run(&l, &st, 2, test_mem_limit(), 0), 0);
	assert_int_equal(l.items[0].status, INPUT_OK);
	check_coverage(&l.items[0], 0, 100000, "big");
	assert_int_equal(count_input(&st, 0), 100000);
	assert_int_equal(count_input(&st, 1), 3);
	for (size_t i = 0; i < st.n; i++)
		check_event(&st.evs[i], st.evs[i].input == 0);
	sink_free(&st);
	inputs_free(&l);
}

static void test_bad_workers(void **state)
{
	static const char *const paths[] = { "g/garbage", "g/trunc", "g/exit3", "g/events:2" };
	struct input_list l;
	struct sink_state st = { 0 };
	(void)state;

	make_list(&l, paths, 4);
	assert_int_equal(run(&l, &st, 4, test_mem_limit(), 0), 0);
	assert_int_equal(l.items[0].status, INPUT_FAILED);
	assert_reason(&l.items[0], "worker sent malformed data");
	assert_int_equal(l.items[1].status, INPUT_FAILED);
	assert_reason(&l.items[1], "cut short");
	assert_int_equal(l.items[2].status, INPUT_FAILED);
	assert_string_equal(l.items[2].reason,
	                    "worker exited with status 3; the 2 events it sent before were kept");
	assert_int_equal(l.items[3].status, INPUT_OK);
	assert_int_equal(count_input(&st, 2), 2);
	assert_int_equal(st.n, 4);
	sink_free(&st);
	inputs_free(&l);
}

static void test_hooks(void **state)
{
	static const char *const paths[] = { "p/hooked/events:2", "p/alloc-me/events:2",
	                                     "p/other/events:2" };
	struct input_list l;
	struct sink_state st = { 0 };
	(void)state;

	make_list(&l, paths, UNDER_ASAN ? 1 : 3);
	setenv("RMMHUNT_TEST_CRASH", "hooked", 1);
	setenv("RMMHUNT_TEST_ALLOC", "alloc-me", 1);
	assert_int_equal(run(&l, &st, 0, UNDER_ASAN ? 0 : (uint64_t)256 << 20, 0), 0);
	unsetenv("RMMHUNT_TEST_CRASH");
	unsetenv("RMMHUNT_TEST_ALLOC");
	assert_int_equal(l.items[0].status, INPUT_FAILED);
	assert_string_equal(l.items[0].reason,
	                    "worker killed by signal 11 (Segmentation fault)");
	if (!UNDER_ASAN) {
		assert_int_equal(l.items[1].status, INPUT_FAILED);
		assert_string_equal(l.items[1].reason,
		                    "worker exceeded the memory limit (RLIMIT_AS 256 MiB)");
		assert_int_equal(l.items[2].status, INPUT_OK);
		assert_int_equal(st.n, 2);
	}
	sink_free(&st);
	inputs_free(&l);
}

static void test_sink_stop(void **state)
{
	static const char *const paths[] = { "q/events:50", "q/events:50", "q/events:50" };
	struct input_list l;
	struct sink_state st = { .stop_after = 10 };
	(void)state;

	make_list(&l, paths, 3);
	assert_int_equal(run(&l, &st, 1, test_mem_limit(), 0), -1);
	assert_int_equal(l.items[0].status, INPUT_FAILED);
	assert_reason(&l.items[0], "reading stopped");
	assert_int_equal(l.items[2].status, INPUT_FAILED);
	assert_string_equal(l.items[2].reason, "not read: reading stopped");
	/* Nothing is delivered once the sink has said stop. */
	assert_int_equal(st.n, 10);
	sink_free(&st);
	inputs_free(&l);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Everything a run produced, as text that does not depend on the order
 * events arrived in. */
static char *dump(const struct input_list *l, const struct sink_state *st)
{
	struct strbuf sb = { 0 };
	char **lines = xcalloc(st->n + 1, sizeof *lines);
	for (size_t i = 0; i < st->n; i++) {
		const struct event *ev = &st->evs[i];
		struct strbuf e = { 0 };
		for (int f = 0; f < EF_COUNT; f++)
			sb_printf(&e, "%s|", ev->field[f] ? ev->field[f] : "<null>");
		sb_printf(&e, "%u %" PRIu64 " %" PRId64 " %d %d %u %" PRIu64, ev->event_id,
		          ev->record_id, ev->time, ev->time_from_header, ev->recovered,
		          ev->input, ev->offset);
		lines[i] = sb_take(&e);
	}
	qsort(lines, st->n, sizeof *lines, cmp_line);
	for (size_t i = 0; i < st->n; i++) {
		sb_printf(&sb, "%s\n", lines[i]);
		free(lines[i]);
	}
	free(lines);
	for (size_t i = 0; i < l->n; i++) {
		const struct input *in = &l->items[i];
		sb_printf(&sb, "%s %d %" PRIu64 " %s %s [%s] %" PRIu64 " %" PRIu64 " %" PRIu64
		          " %" PRIu64 " %" PRIu64 " %" PRId64 " %" PRId64 " %d",
		          in->path, in->named, in->size, in->sha256,
		          input_status_name(in->status), in->reason ? in->reason : "<null>",
		          in->records, in->recovered, in->record_errors, in->eid7,
		          in->eid7_recovered, in->first_time, in->last_time, in->dirty);
		for (size_t c = 0; c < in->n_computers; c++)
			sb_printf(&sb, " <%s>", in->computers[c]);
		sb_putc(&sb, '\n');
	}
	return sb_take(&sb);
}

static void test_jobs_identical(void **state)
{
	static const char *const paths[] = {
		"j/events:9", "j/crash", "j/partial:4", "j/fail", "j/events:1",
		"j/exit3", "j/events:30", "j/deep", "j/events:0",
	};
	const size_t n = sizeof paths / sizeof *paths;
	char *first = NULL;
	(void)state;

	for (unsigned jobs = 1; jobs <= 4; jobs++) {
		struct input_list l;
		struct sink_state st = { 0 };
		make_list(&l, paths, n);
		assert_int_equal(run(&l, &st, jobs == 4 ? 0 : jobs, test_mem_limit(), 0), 0);
		char *d = dump(&l, &st);
		if (!first)
			first = d;
		else {
			assert_string_equal(d, first);
			free(d);
		}
		sink_free(&st);
		inputs_free(&l);
	}
	free(first);
}

static void test_progress(void **state)
{
	static const char *const paths[] = { "r/events:1", "r/events:2" };
	struct read_options ro = { 0 };
	struct worker_options wo = WORKER_OPTIONS_DEFAULT;
	struct input_list l;
	struct sink_state st = { 0 };
	char buf[512];
	int fds[2], saved;
	(void)state;

	/* The progress line goes to stderr and is wiped at the end. */
	make_list(&l, paths, 2);
	wo.progress = true;
	wo.mem_limit = test_mem_limit();
	assert_int_equal(pipe(fds), 0);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fds[1], STDERR_FILENO);
	close(fds[1]);
	int r = run_workers(&l, &ro, &wo, collect, &st);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	ssize_t k = read(fds[0], buf, sizeof buf - 1);
	close(fds[0]);
	assert_int_equal(r, 0);
	assert_true(k > 0);
	buf[k] = '\0';
	assert_non_null(strstr(buf, "\r[1/2 files] "));
	assert_non_null(strstr(buf, "\r[2/2 files] "));
	assert_non_null(strstr(buf, "MB/s, ETA "));
	assert_int_equal(buf[k - 1], '\r');
	sink_free(&st);
	inputs_free(&l);
}

static void test_worker_fds(void **state)
{
	static const char *const paths[] = { "f/events:1", "f/events:1", "f/fds" };
	struct input_list l;
	struct sink_state st = { 0 };
	(void)state;

	/* The third worker is forked while the parent holds the other two
	 * pipes: it must have closed them and kept only its own. */
	make_list(&l, paths, 3);
	assert_int_equal(run(&l, &st, 3, test_mem_limit(), 0), 0);
	assert_int_equal(l.items[2].status, INPUT_OK);
	assert_int_equal(l.items[2].records, 1);
	assert_int_equal(l.items[2].recovered, 1);
	sink_free(&st);
	inputs_free(&l);
}

static void test_empty_and_jobs(void **state)
{
	struct input_list l = { 0 };
	struct sink_state st = { 0 };
	(void)state;

	assert_int_equal(run(&l, &st, 0, test_mem_limit(), 0), 0);
	assert_true(worker_default_jobs() >= 1);
	assert_int_equal(worker_default_jobs(), (unsigned)sysconf(_SC_NPROCESSORS_ONLN));
	/* No worker is left behind. */
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_crash_isolated),
		cmocka_unit_test(test_memory_limit),
		cmocka_unit_test(test_memory_spin),
		cmocka_unit_test(test_batches),
		cmocka_unit_test(test_interrupted),
		cmocka_unit_test(test_cpu_limit),
		cmocka_unit_test(test_done_once),
		cmocka_unit_test(test_deep_stack),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_bad_workers),
		cmocka_unit_test(test_hooks),
		cmocka_unit_test(test_sink_stop),
		cmocka_unit_test(test_jobs_identical),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_worker_fds),
		cmocka_unit_test(test_empty_and_jobs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
