/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* workers: child processes read the files, results sent back over a pipe.
 *
 * The parent forks at most jobs workers at a time, each with a batch of
 * files: one large file, or many small ones (a fork and its page faults
 * cost more than reading a 1 MiB log). A worker reads its files in turn
 * with read_evtx(); for each it writes to its pipe a start frame, a frame
 * for every event the reader hands it, a frame for each computer name and
 * a frame with the file's coverage. The parent polls all the pipes, reads
 * whatever has arrived (so no worker ever blocks for long on a full
 * pipe), delivers each complete event frame to the sink at once, settles
 * each file as its coverage arrives and, once the pipe closes, reaps the
 * worker and turns how it ended into the status and reason of the file it
 * was reading. The files of the batch it never began are read again by a
 * fresh worker: a file that crashes its worker costs only itself.
 *
 * Events from a worker that then fails are kept. Each event frame is
 * written as soon as the reader hands the event over and is delivered
 * only when it arrived complete and well formed, so what is kept is a
 * record the reader parsed in full before the trouble began; dropping it
 * would hide evidence that was read. The input is still marked
 * INPUT_FAILED (its record counts never arrived, so its coverage is not
 * known) and the reason says how many events were kept. Streaming also
 * keeps the parent from holding a whole file's events twice.
 *
 * Limits, in the worker: RLIMIT_AS = mem_limit, and the main thread
 * watches the address space while a thread with a WORKER_STACK_SIZE stack
 * reads: within 1/WORKER_MEM_MARGIN of the limit the worker stops itself
 * (allocations fail there, and libevtx would spin on them); a fatal
 * signal near the limit is reported as the limit too (worker_fatal_signal).
 * RLIMIT_CPU is twice the batch's time limits, a backstop for a parent
 * that is itself stopped. The time limit per file is kept by the parent,
 * which SIGKILLs a worker past its deadline (counted from the file's start
 * frame), so a worker stuck with signals blocked cannot escape it. The
 * parent only reads from pipes, so SIGPIPE can only reach a worker, which
 * ignores it and exits on EPIPE. Workers ignore SIGINT and SIGHUP, which
 * a terminal sends to the whole process group: the parent decides
 * (interrupt.h) and stops them.
 *
 * Wire format, all integers little-endian:
 *   frame  = type:u8 length:u32 payload[length]
 *   string = length:u32 bytes, length 0xffffffff for NULL; no NUL bytes,
 *            at most WIRE_STR_MAX bytes (longer ones are cut by the worker
 *            at a UTF-8 boundary; a record is at most 64 KiB anyway)
 *   'E' event:    field[EF_COUNT]:string event_id:u32 record_id:u64
 *                 time:i64 time_from_header:u8 recovered:u8 origin:u8 input:u32
 *                 offset:u64
 *   'C' computer: name:string
 *   'S' start:    input:u32 (the next file of the batch, in order)
 *   'I' coverage: size:u64 sha256:string status:u8 reason:string
 *                 records recovered record_errors recovered_errors
 *                 records_refused eid7 eid7_recovered:u64
 *                 first_time last_time:i64 dirty:u8 media_read carved_chunks
 *                 carve_rejected spooled:u64 n_computers:u32
 *                 (n_computers 'C' frames came before it; the file's last)
 *
 * A discovery worker (run_discovery) lists one image's logs instead:
 *   'L' log:      locator size:u64
 *   'N' note:     locator incomplete:u8 reason:string
 *   'D' done:     status:u8 reason:string detail:string logs volumes
 *                 snapshots media_read spooled:u64 verify:string (the last frame)
 *   locator = n:u32 (at most WIRE_STEPS_MAX) then per step kind:u8
 *             index offset size:u64 time:i64 name:string detail:string
 * Anything else (unknown type, oversized frame or string, bad status,
 * a frame not used up exactly, a file out of order, an event outside a
 * file, data after 'D') is malformed: the worker is killed and the file
 * it was reading failed. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include "discover.h"
#include "event.h"
#include "input.h"
#include "reader.h"
#include "strbuf.h"
#include "timefmt.h"
#include "worker.h"

#define WIRE_STR_MAX ((uint32_t)1 << 20)      /* 1 MiB a string */
#define WIRE_NULL 0xffffffffu
#define WIRE_FRAME_MAX (EF_COUNT * (4 + WIRE_STR_MAX) + 64)
#define WIRE_HEADER 5
#define WIRE_COMPUTERS_MAX 1000000u
#define WIRE_STEPS_MAX 64u

enum { MSG_START = 'S', MSG_EVENT = 'E', MSG_COMPUTER = 'C', MSG_COVERAGE = 'I',
       MSG_LOG = 'L', MSG_NOTE = 'N', MSG_DONE = 'D' };

/* How a worker exits. 8 is also what xmalloc() and friends exit with when
 * memory runs out (strbuf.c), which in a worker means the limit. */
enum {
	WORKER_EXIT_OK = 0,
	WORKER_EXIT_NOMEM = 8,
	WORKER_EXIT_IO = 9,       /* could not write to the pipe */
	WORKER_EXIT_SETUP = 10,   /* could not start the reading thread */
};

#define WORKER_FD 3                       /* the pipe, in the worker */
/* Batches: files below BATCH_SMALL share a worker, up to BATCH_MAX_FILES
 * and BATCH_MAX_BYTES a batch, and no more than half of each
 * worker's share of what is left, so that the last batches still spread
 * over all the workers. */
#define BATCH_SMALL ((uint64_t)8 << 20)
#define BATCH_MAX_BYTES ((uint64_t)64 << 20)
#define BATCH_MAX_FILES 64u
#define WORKER_ALTSTACK_SIZE ((size_t)64 << 10)
#define READ_CHUNK ((size_t)256 << 10)

/* ------------------------------------------------------------------ */
/* The wire's integers, written by the worker, read by the parent.      */

static void le_store(char *b, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		b[i] = (char)(unsigned char)(v >> (8 * i));
}

static uint64_t le_load(const unsigned char *p, int bytes)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* ------------------------------------------------------------------ */
/* The worker side.                                                     */

struct sender {
	int fd;
	struct strbuf sb;   /* the frame being built */
};

static void put_uint(struct strbuf *sb, uint64_t v, int bytes)
{
	char b[8];
	le_store(b, v, bytes);
	sb_append(sb, b, (size_t)bytes);
}

static void put_str(struct strbuf *sb, const char *s)
{
	if (!s) {
		put_uint(sb, WIRE_NULL, 4);
		return;
	}
	size_t n = strlen(s);
	if (n > WIRE_STR_MAX) {
		n = WIRE_STR_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	put_uint(sb, n, 4);
	sb_append(sb, s, n);
}

static void frame_begin(struct sender *w, int type)
{
	w->sb.len = 0;
	put_uint(&w->sb, (unsigned)type, 1);
	put_uint(&w->sb, 0, 4);
}

/* Fills in the length and writes the frame. Returns 0, or -1 when the
 * pipe is gone (the parent died or gave up on this worker). */
static int frame_send(struct sender *w)
{
	le_store(w->sb.data + 1, w->sb.len - WIRE_HEADER, 4);
	const char *p = w->sb.data;
	size_t left = w->sb.len;
	while (left > 0) {
		ssize_t k = write(w->fd, p, left);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		left -= (size_t)k;
	}
	w->sb.len = 0;
	return 0;
}

/* The sink read_evtx() calls in the worker: one write() per event, so
 * that an event is in the pipe before the reader can go on to crash.
 * The parent's read_event() reads the fields back in the same order. */
static int send_event(void *ctx, struct event *ev)
{
	struct sender *w = ctx;
	frame_begin(w, MSG_EVENT);
	for (int i = 0; i < EF_COUNT; i++)
		put_str(&w->sb, ev->field[i]);
	put_uint(&w->sb, ev->event_id, 4);
	put_uint(&w->sb, ev->record_id, 8);
	put_uint(&w->sb, (uint64_t)ev->time, 8);
	put_uint(&w->sb, ev->time_from_header, 1);
	put_uint(&w->sb, ev->recovered, 1);
	put_uint(&w->sb, ev->origin, 1);
	put_uint(&w->sb, ev->input, 4);
	put_uint(&w->sb, ev->offset, 8);
	return frame_send(w);
}

static int send_start(struct sender *w, size_t index)
{
	frame_begin(w, MSG_START);
	put_uint(&w->sb, index, 4);
	return frame_send(w);
}

/* The computer names, then the coverage (read back by read_coverage()). */
static int send_coverage(struct sender *w, const struct input *in)
{
	size_t n = in->n_computers < WIRE_COMPUTERS_MAX ? in->n_computers
	                                                : WIRE_COMPUTERS_MAX;
	for (size_t i = 0; i < n; i++) {
		frame_begin(w, MSG_COMPUTER);
		put_str(&w->sb, in->computers[i] ? in->computers[i] : "");
		if (frame_send(w) != 0)
			return -1;
	}
	frame_begin(w, MSG_COVERAGE);
	put_uint(&w->sb, in->size, 8);
	put_str(&w->sb, in->sha256);
	put_uint(&w->sb, (unsigned)in->status, 1);
	put_str(&w->sb, in->reason);
	put_uint(&w->sb, in->records, 8);
	put_uint(&w->sb, in->recovered, 8);
	put_uint(&w->sb, in->record_errors, 8);
	put_uint(&w->sb, in->recovered_errors, 8);
	put_uint(&w->sb, in->records_refused, 8);
	put_uint(&w->sb, in->eid7, 8);
	put_uint(&w->sb, in->eid7_recovered, 8);
	put_uint(&w->sb, (uint64_t)in->first_time, 8);
	put_uint(&w->sb, (uint64_t)in->last_time, 8);
	put_uint(&w->sb, in->dirty, 1);
	put_uint(&w->sb, in->media_read, 8);
	put_uint(&w->sb, in->carved_chunks, 8);
	put_uint(&w->sb, in->carve_rejected, 8);
	put_uint(&w->sb, in->spooled, 8);
	put_uint(&w->sb, n, 4);
	return frame_send(w);
}

static void put_locator(struct strbuf *sb, const struct locator *loc)
{
	size_t n = loc->n < WIRE_STEPS_MAX ? loc->n : WIRE_STEPS_MAX;
	put_uint(sb, n, 4);
	for (size_t i = 0; i < n; i++) {
		const struct step *st = &loc->steps[i];
		put_uint(sb, (unsigned)st->kind, 1);
		put_uint(sb, st->index, 8);
		put_uint(sb, st->offset, 8);
		put_uint(sb, st->size, 8);
		put_uint(sb, (uint64_t)st->time, 8);
		put_str(sb, st->name);
		put_str(sb, st->detail);
	}
}

/* The discovery sink in the worker: a frame a log, a frame a note. */
static int send_log(void *ctx, const struct locator *loc, uint64_t size)
{
	struct sender *w = ctx;
	frame_begin(w, MSG_LOG);
	put_locator(&w->sb, loc);
	put_uint(&w->sb, size, 8);
	return frame_send(w);
}

static int send_note(void *ctx, const struct locator *where, bool incomplete,
		     const char *reason)
{
	struct sender *w = ctx;
	frame_begin(w, MSG_NOTE);
	put_locator(&w->sb, where);
	put_uint(&w->sb, incomplete, 1);
	put_str(&w->sb, reason);
	return frame_send(w);
}

static int send_done(struct sender *w, const struct discover_result *r)
{
	frame_begin(w, MSG_DONE);
	put_uint(&w->sb, (unsigned)r->status, 1);
	put_str(&w->sb, r->reason);
	put_str(&w->sb, r->detail);
	put_uint(&w->sb, r->logs, 8);
	put_uint(&w->sb, r->volumes, 8);
	put_uint(&w->sb, r->snapshots, 8);
	put_uint(&w->sb, r->media_read, 8);
	put_uint(&w->sb, r->spooled, 8);
	put_str(&w->sb, r->verify[0] ? r->verify : NULL);
	return frame_send(w);
}

/* The worker's address space in bytes from /proc/self/statm, or 0 when
 * it cannot be told. Only async-signal-safe calls. */
static uint64_t vm_size(void)
{
	char buf[64];
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	uint64_t pages = 0;
	for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
		pages = pages * 10 + (uint64_t)(buf[i] - '0');
	long page = sysconf(_SC_PAGESIZE);
	return pages * (uint64_t)(page > 0 ? page : 4096);
}

/* SIGSEGV, SIGBUS, SIGABRT in a worker, run on the alternate stack (a
 * stack overflow must be caught too). Code that does not check what
 * malloc returns crashes when it runs into RLIMIT_AS; when the address
 * space is within an eighth of the limit, that is what happened, and the
 * worker exits with WORKER_EXIT_NOMEM so the parent can say so. Otherwise
 * the signal is raised again with its default action (SA_RESETHAND) and
 * the parent sees it. */
static void worker_fatal_signal(int sig)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		uint64_t limit = (uint64_t)rl.rlim_cur;
		uint64_t vm = vm_size();
		if (vm > 0 && vm + limit / 8 >= limit)
			_exit(WORKER_EXIT_NOMEM);
	}
	raise(sig);
}

struct worker_job {
	struct input_list *list;      /* the logs to read: list->items[batch[i]], */
	const size_t *batch;          /*   n_batch of them, in turn; or: */
	size_t n_batch;
	const struct image_input *image;   /* the image to list */
	const struct collect_options *copt;
	const struct read_options *ropt;
	uint64_t mem_limit;
	uint64_t cpu_limit;           /* seconds; 0 = none */
	void *altstack;
	struct sender out;
	int code;
	pthread_mutex_t mu;           /* finished, between the two threads */
	pthread_cond_t cv;
	bool finished;                /* the reading thread is done */
};

/* Test-only hooks, used by the script tests to prove isolation and
 * limits without a crafted EVTX file. When the path of the file contains
 * the value of RMMHUNT_TEST_CRASH, its worker raises SIGSEGV; of
 * RMMHUNT_TEST_ALLOC, it tries to allocate more than its memory limit; of
 * RMMHUNT_TEST_SPIN, it takes memory until allocations fail and goes on
 * asking; of RMMHUNT_TEST_SLEEP, it sleeps for ten minutes (a file that
 * takes long: interruptions, time limits). None has any use outside
 * tests. */
static void test_hooks(const struct worker_job *j, const char *path)
{
	const char *crash = getenv("RMMHUNT_TEST_CRASH");
	const char *alloc = getenv("RMMHUNT_TEST_ALLOC");
	const char *spin = getenv("RMMHUNT_TEST_SPIN");
	const char *slow = getenv("RMMHUNT_TEST_SLEEP");
	if (crash && *crash && strstr(path, crash))
		raise(SIGSEGV);
	if (slow && *slow && strstr(path, slow))
		sleep(600);
	if (alloc && *alloc && strstr(path, alloc)) {
		size_t n = j->mem_limit && j->mem_limit < SIZE_MAX / 2
		           ? (size_t)j->mem_limit : SIZE_MAX / 2;
		memset(xmalloc(n), 1, n);   /* exits WORKER_EXIT_NOMEM */
	}
	if (spin && *spin && strstr(path, spin)) {
		/* what libevtx does at the limit: take memory until malloc
		 * fails, then go on asking (the watchdog must stop this) */
		for (;;) {
			void *q = malloc((size_t)1 << 20);
			if (q)
				memset(q, 1, 4096);
		}
	}
}

static void *worker_thread(void *arg)
{
	struct worker_job *j = arg;
	stack_t ss = { .ss_sp = j->altstack, .ss_size = WORKER_ALTSTACK_SIZE };
	struct sigaction sa = { .sa_handler = worker_fatal_signal,
	                        .sa_flags = SA_ONSTACK | SA_RESETHAND | SA_NODEFER };

	/* The alternate stack is per thread: set it in the one that reads. */
	sigaltstack(&ss, NULL);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);

	int sent = 0;
	if (j->image) {
		struct discover_sink sink = { send_log, send_note, &j->out };
		struct discover_result res;
		test_hooks(j, j->image->path);
		discover_image(j->image, j->copt, &sink, &res);
		sent = send_done(&j->out, &res);
	}
	for (size_t i = 0; i < j->n_batch && sent == 0; i++) {
		struct input *in = &j->list->items[j->batch[i]];
		sent = send_start(&j->out, j->batch[i]);
		if (sent != 0)
			break;
		test_hooks(j, in->path);
		read_evtx(in, (uint32_t)j->batch[i], j->ropt, send_event, &j->out);
		sent = send_coverage(&j->out, in);
		input_clear(in);   /* its copy here: the parent has it now */
	}
	j->code = sent == 0 ? WORKER_EXIT_OK : WORKER_EXIT_IO;
	/* Done with it: a thread library (AddressSanitizer's, for one) may
	 * take a live alternate stack at thread exit for its own. */
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	pthread_mutex_lock(&j->mu);
	j->finished = true;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

/* The worker's main thread while the other reads: stops the worker, as
 * at its memory limit, once the address space comes within
 * 1/WORKER_MEM_MARGIN of it. */
static void watch_memory(struct worker_job *j)
{
	uint64_t near = j->mem_limit - j->mem_limit / WORKER_MEM_MARGIN;
	pthread_mutex_lock(&j->mu);
	while (!j->finished) {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_nsec += WORKER_MEM_CHECK_MS * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&j->cv, &j->mu, &t);
		if (!j->finished && j->mem_limit && vm_size() >= near)
			_exit(WORKER_EXIT_NOMEM);
	}
	pthread_mutex_unlock(&j->mu);
}

/* Leaves the worker with stdin, stderr, stdout pointing at stderr (so
 * that nothing a library prints can get into a report) and the pipe as
 * WORKER_FD; every other inherited descriptor, other workers' pipes among
 * them, is closed. */
static void worker_fds(int rfd, int wfd)
{
	if (wfd != WORKER_FD && dup2(wfd, WORKER_FD) < 0)
		_exit(WORKER_EXIT_SETUP);
	for (int fd = 0; fd <= 2; fd++) {
		if (fd != rfd && fd != wfd)
			continue;
		int null = open("/dev/null", O_RDWR);
		if (null >= 0 && null != fd) {
			dup2(null, fd);
			close(null);
		}
	}
	dup2(STDERR_FILENO, STDOUT_FILENO);
#ifdef SYS_close_range
	if (syscall(SYS_close_range, WORKER_FD + 1, ~0u, 0) == 0)
		return;
#endif
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (int fd = WORKER_FD + 1; fd < max; fd++)
		close(fd);
}

static void worker_signals(void)
{
	struct sigaction ign_term = { .sa_handler = SIG_IGN };
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	struct sigaction ign = { .sa_handler = SIG_IGN };
	sigset_t none;

	/* Handlers the parent set are its own business (a SIGINT cleanup
	 * must not run in every worker); those it ignores stay ignored. */
	for (int sig = 1; sig < 32; sig++) {
		struct sigaction old;
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sigaction(sig, NULL, &old) == 0 && old.sa_handler != SIG_DFL &&
		    old.sa_handler != SIG_IGN)
			sigaction(sig, &dfl, NULL);
	}
	/* A worker that cannot write gets EPIPE and exits. */
	sigaction(SIGPIPE, &ign, NULL);
	/* Ctrl-C and a hang-up reach the whole process group: the parent
	 * decides, and stops the workers itself. */
	sigaction(SIGINT, &ign_term, NULL);
	sigaction(SIGHUP, &ign_term, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void worker_limits(uint64_t mem_limit, uint64_t cpu_limit)
{
	struct rlimit rl = { 0, 0 };

	/* Hundreds of crashing workers must not leave core files behind. */
	setrlimit(RLIMIT_CORE, &rl);
	if (cpu_limit && getrlimit(RLIMIT_CPU, &rl) == 0 &&
	    (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > cpu_limit)) {
		rl.rlim_cur = (rlim_t)cpu_limit;
		setrlimit(RLIMIT_CPU, &rl);
	}
	if (mem_limit == 0 || getrlimit(RLIMIT_AS, &rl) != 0)
		return;
	rl.rlim_cur = (rlim_t)mem_limit;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_AS, &rl);
}

/* The child after fork(): never returns. read_evtx() runs in a thread
 * with a WORKER_STACK_SIZE stack rather than on the main stack: the main
 * stack can only grow up to RLIMIT_STACK and into whatever gap the kernel
 * left below it at exec time, while an explicit thread stack is mapped in
 * full up front, behind a guard page that the alternate-stack handler
 * catches. */
static void __attribute__((noreturn))
worker_main(struct worker_job job, int rfd, int wfd, pid_t parent)
{
	pthread_attr_t attr;
	pthread_t thread;

	worker_signals();
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(WORKER_EXIT_IO);
#else
	(void)parent;
#endif
	job.out = (struct sender){ .fd = WORKER_FD };
	job.code = WORKER_EXIT_SETUP;
	worker_fds(rfd, wfd);
	worker_limits(job.mem_limit, job.cpu_limit);
#ifdef M_MMAP_THRESHOLD
	/* A worker reads file after file with the same few large buffers
	 * (the scanner's, libevtx's): keep them in the heap, where freeing
	 * and taking them again costs nothing, rather than mapping and
	 * unmapping each (page faults, TLB flushes: a third of a small
	 * file's cost) */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
	/* and one arena: the reading thread's own would be shrunk (its
	 * pages discarded) at every free past its top */
	mallopt(M_ARENA_MAX, 1);
#endif
	if (pthread_mutex_init(&job.mu, NULL) != 0 || pthread_cond_init(&job.cv, NULL) != 0)
		_exit(WORKER_EXIT_SETUP);

	job.altstack = malloc(WORKER_ALTSTACK_SIZE);
	if (!job.altstack)
		_exit(WORKER_EXIT_NOMEM);
	if (pthread_attr_init(&attr) != 0 ||
	    pthread_attr_setstacksize(&attr, WORKER_STACK_SIZE) != 0)
		_exit(WORKER_EXIT_SETUP);
	int err = pthread_create(&thread, &attr, worker_thread, &job);
	if (err != 0)
		_exit(err == EAGAIN || err == ENOMEM ? WORKER_EXIT_NOMEM
		                                     : WORKER_EXIT_SETUP);
	watch_memory(&job);
	pthread_join(thread, NULL);
	/* _exit: no atexit handlers, no flushing of the parent's stdio. */
	_exit(job.code);
}

/* ------------------------------------------------------------------ */
/* The parent side.                                                     */

struct slot {
	pid_t pid;              /* 0 when free or reaped */
	int fd;                 /* read end; -1 once closed */
	size_t batch[BATCH_MAX_FILES];   /* the inputs it reads, in order (discovery:
	                           the one image) */
	size_t n_batch;
	size_t started;         /* of them, begun ('S' frames; discovery: 1) */
	size_t announced;       /* of them, passed to wopt->done already */
	bool in_file;           /* batch[started - 1] begun, its coverage not in */
	size_t index;           /* the input (image) being read */
	unsigned char *buf;     /* bytes received, not yet a whole frame */
	size_t len, cap;
	uint64_t events;        /* events (discovery: logs) of index delivered */
	bool done;              /* discovery: the 'D' frame arrived */
	struct input cov;       /* the coverage of index as it arrives */
	char *kill_reason;      /* set when the parent killed it */
	int64_t deadline;       /* ms on the monotonic clock; 0 = none */
};

struct progress {
	bool on;
	size_t total, done;
	uint64_t total_bytes, done_bytes;
	int64_t start;          /* ms */
	int width;              /* of the last line, to clear it */
};

/* What discovery gathered for one image, kept until every image is
 * done so that the order of the inputs never depends on the workers. */
struct found {
	struct locator *locs;
	uint64_t *sizes;
	size_t n;
	struct locator *note_at;
	char **note_why;
	bool *note_incomplete;
	size_t n_notes;
};

struct pool {
	struct input_list *list;
	bool discover;          /* the jobs are list->images, not list->items */
	size_t n_jobs;
	const struct collect_options *copt;
	struct found *found;    /* discovery: one per image */
	const struct read_options *ropt;
	const struct worker_options *wopt;
	event_sink sink;
	void *ctx;
	struct slot *slots;
	unsigned n_slots, running;
	bool stopped;           /* the sink asked to stop */
	struct progress progress;
	struct pollfd *pfd;     /* pool_step's, n_slots of each */
	struct slot **who;      /* the slot of each pfd[] */
	size_t next;            /* the next input to start a worker for */
	size_t *retry;          /* inputs to read again: the rest of the batch of a
	                           worker that failed; taken before next */
	size_t n_retry;
	const char *halt;       /* why reading stops (a signal, the deadline);
	                           NULL while it goes on */
	char fatal[256];        /* why the run failed; "" while it has not */
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

unsigned worker_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

/* "\r[done/total files] X MB/s, ETA mm:ss" on stderr. */
static void progress_show(struct progress *pr, int64_t now)
{
	if (!pr->on)
		return;
	double secs = (double)(now - pr->start) / 1000.0;
	double rate = secs > 0 ? (double)pr->done_bytes / secs : 0;
	char eta[16] = "--:--";
	if (rate > 0) {
		double left = (double)(pr->total_bytes - pr->done_bytes) / rate;
		unsigned s = left < 6000000 ? (unsigned)(left + 0.5) : 5999999;
		snprintf(eta, sizeof eta, "%02u:%02u", s / 60, s % 60);
	}
	int w = fprintf(stderr, "\r[%zu/%zu files] %.1f MB/s, ETA %s",
	                pr->done, pr->total, rate / 1e6, eta);
	if (w > 0 && w - 1 < pr->width)
		fprintf(stderr, "%*s", pr->width - (w - 1), "");
	if (w > 0 && w - 1 > pr->width)
		pr->width = w - 1;
	fflush(stderr);
}

static void progress_clear(struct progress *pr)
{
	if (pr->on && pr->width > 0) {
		fprintf(stderr, "\r%*s\r", pr->width, "");
		fflush(stderr);
	}
}

struct reader {
	const unsigned char *p, *end;
	const char *error;      /* the first problem, NULL while all is well */
};

static uint64_t get_uint(struct reader *r, int bytes)
{
	if (r->error)
		return 0;
	if (r->end - r->p < bytes) {
		r->error = "message cut short";
		return 0;
	}
	uint64_t v = le_load(r->p, bytes);
	r->p += bytes;
	return v;
}

static bool get_bool(struct reader *r)
{
	uint64_t v = get_uint(r, 1);
	if (v > 1 && !r->error)
		r->error = "bad flag";
	return v == 1;
}

/* A string, or NULL for a NULL one (or on error: see r->error). */
static char *get_str(struct reader *r, bool nullable)
{
	uint32_t n = (uint32_t)get_uint(r, 4);
	if (r->error)
		return NULL;
	if (n == WIRE_NULL) {
		if (!nullable)
			r->error = "NULL where a string is needed";
		return NULL;
	}
	if (n > WIRE_STR_MAX) {
		r->error = "string too long";
		return NULL;
	}
	if ((size_t)(r->end - r->p) < n) {
		r->error = "message cut short";
		return NULL;
	}
	if (memchr(r->p, '\0', n)) {
		r->error = "NUL byte in a string";
		return NULL;
	}
	char *s = xstrndup((const char *)r->p, n);
	r->p += n;
	return s;
}

static void get_locator(struct reader *r, struct locator *loc)
{
	uint64_t n = get_uint(r, 4);
	if (!r->error && n > WIRE_STEPS_MAX)
		r->error = "too many steps";
	for (uint64_t i = 0; i < n && !r->error; i++) {
		uint64_t kind = get_uint(r, 1);
		if (!r->error && kind >= STEP_KIND_COUNT)
			r->error = "bad step kind";
		struct step *st = locator_push(loc, (enum step_kind)kind, NULL);
		st->index = get_uint(r, 8);
		st->offset = get_uint(r, 8);
		st->size = get_uint(r, 8);
		st->time = (int64_t)get_uint(r, 8);
		st->name = get_str(r, true);
		st->detail = get_str(r, true);
	}
}

static void slot_kill(struct slot *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Kills the worker for a reason of the parent's own, once; the first
 * reason wins. */
static void slot_kill(struct slot *s, const char *fmt, ...)
{
	if (s->kill_reason)
		return;
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	s->kill_reason = xstrdup(buf);
	if (s->pid > 0)
		kill(s->pid, SIGKILL);
}

static void slot_close(struct slot *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

static void malformed(struct slot *s, const char *what)
{
	slot_kill(s, "worker sent malformed data (%s)", what);
	slot_close(s);
}

/* Whether the frame read well and was used up exactly; r->error says
 * why not. */
static bool frame_read_whole(struct reader *r)
{
	if (!r->error && r->p != r->end)
		r->error = "trailing bytes";
	return !r->error;
}

/* An 'E' frame, as send_event() wrote it. */
static void read_event(struct reader *r, struct event *ev)
{
	for (int i = 0; i < EF_COUNT; i++)
		ev->field[i] = get_str(r, true);
	ev->event_id = (uint32_t)get_uint(r, 4);
	ev->record_id = get_uint(r, 8);
	ev->time = (int64_t)get_uint(r, 8);
	ev->time_from_header = get_bool(r);
	ev->recovered = get_bool(r);
	ev->origin = (uint8_t)get_uint(r, 1);
	if (!r->error && ev->origin > ORIGIN_CARVED)
		r->error = "bad origin";
	ev->input = (uint32_t)get_uint(r, 4);
	ev->offset = get_uint(r, 8);
}

/* An 'I' frame, as send_coverage() wrote it, into c (which holds the
 * computer names received so far). */
static void read_coverage(struct reader *r, struct input *c)
{
	c->size = get_uint(r, 8);
	char *sha = get_str(r, false);
	if (sha && strlen(sha) < sizeof c->sha256)
		memcpy(c->sha256, sha, strlen(sha) + 1);
	else if (sha)
		r->error = "bad sha256";
	free(sha);
	uint64_t status = get_uint(r, 1);
	if (status > INPUT_FAILED && !r->error)
		r->error = "bad status";
	c->status = (enum input_status)status;
	c->reason = get_str(r, true);
	c->records = get_uint(r, 8);
	c->recovered = get_uint(r, 8);
	c->record_errors = get_uint(r, 8);
	c->recovered_errors = get_uint(r, 8);
	c->records_refused = get_uint(r, 8);
	c->eid7 = get_uint(r, 8);
	c->eid7_recovered = get_uint(r, 8);
	c->first_time = (int64_t)get_uint(r, 8);
	c->last_time = (int64_t)get_uint(r, 8);
	c->dirty = get_bool(r);
	c->media_read = get_uint(r, 8);
	c->carved_chunks = get_uint(r, 8);
	c->carve_rejected = get_uint(r, 8);
	c->spooled = get_uint(r, 8);
	uint64_t nc = get_uint(r, 4);
	if (!r->error && nc != c->n_computers)
		r->error = "computer count does not match";
}

/* The take_* handle one kind of frame: 0, or -1 when it was malformed
 * and the slot is closed. */

static int take_event(struct pool *p, struct slot *s, struct reader *r)
{
	struct event ev = { 0 };
	read_event(r, &ev);
	if (!r->error && !s->in_file)
		r->error = "event outside a file";
	if (!r->error && ev.input != s->index)
		r->error = "event of another file";
	if (!frame_read_whole(r)) {
		event_clear(&ev);
		malformed(s, r->error);
		return -1;
	}
	if (!p->stopped) {
		s->events++;
		if (p->sink(p->ctx, &ev) != 0)
			p->stopped = true;
	}
	event_clear(&ev);
	return 0;
}

static int take_computer(struct slot *s, struct reader *r)
{
	char *name = get_str(r, false);
	if (frame_read_whole(r) && !s->in_file)
		r->error = "computer outside a file";
	if (!r->error && s->cov.n_computers >= WIRE_COMPUTERS_MAX)
		r->error = "too many computers";
	if (r->error) {
		free(name);
		malformed(s, r->error);
		return -1;
	}
	s->cov.computers = xrealloc(s->cov.computers,
		(s->cov.n_computers + 1) * sizeof *s->cov.computers);
	s->cov.computers[s->cov.n_computers++] = name;
	return 0;
}

static void settle_input(struct pool *p, struct slot *s);

/* 'S': the worker begins the next file of its batch. */
static int take_start(struct pool *p, struct slot *s, struct reader *r)
{
	uint64_t index = get_uint(r, 4);
	if (frame_read_whole(r) && (s->in_file || s->started >= s->n_batch ||
				    s->batch[s->started] != index))
		r->error = "file out of order";
	if (r->error) {
		malformed(s, r->error);
		return -1;
	}
	s->index = (size_t)index;
	s->started++;
	s->in_file = true;
	s->events = 0;
	input_clear(&s->cov);
	s->cov.first_time = s->cov.last_time = TIME_NONE;
	unsigned limit = worker_time_limit(p->wopt, p->list->items[index].size);
	s->deadline = limit ? now_ms() + (int64_t)limit * 1000 : 0;
	return 0;
}

static int take_coverage(struct pool *p, struct slot *s, struct reader *r)
{
	if (!s->in_file && !r->error)
		r->error = "coverage outside a file";
	read_coverage(r, &s->cov);
	if (!frame_read_whole(r)) {
		malformed(s, r->error);
		return -1;
	}
	settle_input(p, s);
	return 0;
}

static int take_log(struct pool *p, struct slot *s, struct reader *r)
{
	struct locator loc = { 0 };
	get_locator(r, &loc);
	uint64_t size = get_uint(r, 8);
	if (!frame_read_whole(r) || loc.n < 2 || loc.steps[0].kind != STEP_FILE) {
		locator_clear(&loc);
		malformed(s, r->error ? r->error : "bad locator");
		return -1;
	}
	struct found *f = &p->found[s->index];
	f->locs = xrealloc(f->locs, (f->n + 1) * sizeof *f->locs);
	f->sizes = xrealloc(f->sizes, (f->n + 1) * sizeof *f->sizes);
	f->locs[f->n] = loc;
	f->sizes[f->n++] = size;
	s->events++;
	return 0;
}

static int take_note(struct pool *p, struct slot *s, struct reader *r)
{
	struct locator loc = { 0 };
	get_locator(r, &loc);
	bool incomplete = get_bool(r);
	char *why = get_str(r, false);
	if (!frame_read_whole(r)) {
		locator_clear(&loc);
		free(why);
		malformed(s, r->error);
		return -1;
	}
	struct found *f = &p->found[s->index];
	size_t n = f->n_notes + 1;
	f->note_at = xrealloc(f->note_at, n * sizeof *f->note_at);
	f->note_why = xrealloc(f->note_why, n * sizeof *f->note_why);
	f->note_incomplete = xrealloc(f->note_incomplete, n * sizeof *f->note_incomplete);
	f->note_at[f->n_notes] = loc;
	f->note_why[f->n_notes] = why;
	f->note_incomplete[f->n_notes] = incomplete;
	f->n_notes = n;
	return 0;
}

static int take_done(struct pool *p, struct slot *s, struct reader *r)
{
	struct image_input *im = &p->list->images[s->index];
	uint64_t status = get_uint(r, 1);
	char *reason = get_str(r, true);
	char *detail = get_str(r, true);
	im->logs = get_uint(r, 8);
	im->volumes = get_uint(r, 8);
	im->snapshots = get_uint(r, 8);
	im->media_read = get_uint(r, 8);
	im->spooled = get_uint(r, 8);
	char *verify = get_str(r, true);
	free(im->verify);
	im->verify = verify;
	if (!r->error && status > INPUT_FAILED)
		r->error = "bad status";
	if (!frame_read_whole(r)) {
		free(reason);
		free(detail);
		malformed(s, r->error);
		return -1;
	}
	im->status = (enum input_status)status;
	free(im->reason);
	im->reason = reason && *reason ? reason : NULL;
	if (im->reason != reason)
		free(reason);
	free(im->detail);
	im->detail = detail && *detail ? detail : NULL;
	if (im->detail != detail)
		free(detail);
	s->done = true;
	return 0;
}

/* One complete frame. Returns 0, or -1 when the slot was closed. */
static int handle_frame(struct pool *p, struct slot *s, int type,
                        const unsigned char *data, size_t n)
{
	struct reader r = { data, data + n, NULL };

	if (s->done) {
		malformed(s, "data after the listing");
		return -1;
	}
	if (p->discover) {
		switch (type) {
		case MSG_LOG:
			return take_log(p, s, &r);
		case MSG_NOTE:
			return take_note(p, s, &r);
		case MSG_DONE:
			return take_done(p, s, &r);
		}
	} else {
		switch (type) {
		case MSG_START:
			return take_start(p, s, &r);
		case MSG_EVENT:
			return take_event(p, s, &r);
		case MSG_COMPUTER:
			return take_computer(s, &r);
		case MSG_COVERAGE:
			return take_coverage(p, s, &r);
		}
	}
	malformed(s, "unknown message type");
	return -1;
}

/* Reads what the worker has written and handles every complete frame. */
static void slot_read(struct pool *p, struct slot *s)
{
	if (s->cap - s->len < READ_CHUNK) {
		s->cap = s->cap * 2 > s->len + READ_CHUNK ? s->cap * 2
		                                          : s->len + READ_CHUNK;
		s->buf = xrealloc(s->buf, s->cap);
	}
	ssize_t k = read(s->fd, s->buf + s->len, READ_CHUNK);
	if (k < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (k < 0) {
		slot_kill(s, "cannot read from the worker: %s", strerror(errno));
		slot_close(s);
		return;
	}
	if (k == 0) {
		/* End of stream: a partial frame left in buf shows that the
		 * worker died while writing; finish_slot() says so. */
		close(s->fd);
		s->fd = -1;
		return;
	}
	s->len += (size_t)k;

	size_t pos = 0;
	while (s->len - pos >= WIRE_HEADER) {
		const unsigned char *h = s->buf + pos;
		uint32_t n = (uint32_t)le_load(h + 1, 4);
		if (n > WIRE_FRAME_MAX) {
			malformed(s, "message too long");
			return;
		}
		if (s->len - pos - WIRE_HEADER < n)
			break;
		if (handle_frame(p, s, h[0], h + WIRE_HEADER, n) != 0)
			return;   /* closed: buf is gone */
		pos += WIRE_HEADER + n;
	}
	if (pos > 0) {
		memmove(s->buf, s->buf + pos, s->len - pos);
		s->len -= pos;
	}
}

static void describe_end(struct strbuf *sb, int status, uint64_t mem_limit)
{
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU) {
		sb_puts(sb, "worker exceeded its CPU-time limit (RLIMIT_CPU)");
	} else if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		const char *name = strsignal(sig);
		sb_printf(sb, "worker killed by signal %d (%s)", sig,
		          name ? name : "unknown");
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_EXIT_NOMEM) {
		if (mem_limit)
			sb_printf(sb, "worker exceeded the memory limit (RLIMIT_AS %" PRIu64 " MiB)",
			          mem_limit >> 20);
		else
			sb_puts(sb, "worker ran out of memory");
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_EXIT_IO) {
		sb_puts(sb, "worker could not send its results");
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_EXIT_SETUP) {
		sb_puts(sb, "worker could not start reading");
	} else if (WIFEXITED(status)) {
		sb_printf(sb, "worker exited with status %d", WEXITSTATUS(status));
	} else {
		sb_printf(sb, "worker ended with wait status %#x", (unsigned)status);
	}
}

/* How the worker ended, when it did not end well; NULL when it did:
 * every file of its batch settled (or its image listed), its pipe clean,
 * its exit status 0. */
static char *failure_text(struct pool *p, struct slot *s, int status, const char *whole)
{
	bool clean = WIFEXITED(status) && WEXITSTATUS(status) == WORKER_EXIT_OK;
	bool cut = s->len > 0;   /* a frame was arriving when the pipe closed */
	bool all = p->discover ? s->done : !s->in_file && s->started == s->n_batch;
	if (!s->kill_reason && all && clean && !cut)
		return NULL;
	struct strbuf sb = { 0 };
	if (s->kill_reason)
		sb_puts(&sb, s->kill_reason);
	else if (!clean)
		describe_end(&sb, status, p->wopt->mem_limit);
	else
		sb_printf(&sb, "worker ended without sending %s", whole);
	if (cut && !s->kill_reason)
		sb_puts(&sb, " (its last message was cut short)");
	return sb_take(&sb);
}

static void progress_step(struct pool *p, uint64_t bytes)
{
	p->progress.done++;
	p->progress.done_bytes += bytes;
	progress_show(&p->progress, now_ms());
}

/* Input i is final: the caller hears of it (its line goes out under the
 * progress line, which is drawn again after). */
static void input_done(struct pool *p, size_t i)
{
	if (!p->wopt->done)
		return;
	progress_clear(&p->progress);
	p->wopt->done(p->wopt->done_ctx, &p->list->items[i]);
	progress_show(&p->progress, now_ms());
}

/* A discovery worker is reaped: the image's result, or why there is
 * none (what it listed before failing is kept: each log is whole). */
static void finish_image(struct pool *p, struct slot *s, int status)
{
	struct image_input *im = &p->list->images[s->index];
	char *why = failure_text(p, s, status, "the image's listing");
	if (why) {
		struct strbuf sb = { 0 };
		sb_printf(&sb, "%s image: listing its logs failed: %s",
			  image_format_name(im->format), why);
		if (s->events)
			sb_printf(&sb, "; the %" PRIu64 " logs it listed before are read",
				  s->events);
		free(im->reason);
		im->reason = sb_take(&sb);
		im->listing_failed = true;
		im->status = s->events ? INPUT_PARTIAL : INPUT_FAILED;
		if (s->done)
			im->status = INPUT_PARTIAL;
		free(why);
	}
}

/* The coverage of s->index arrived: it replaces all but the input's
 * place (path, locator, named, image), which the parent keeps. */
static void settle_input(struct pool *p, struct slot *s)
{
	struct input *in = &p->list->items[s->index];
	char *path = in->path, *where = in->where;
	struct locator loc = in->loc;
	bool named = in->named;
	uint32_t image = in->image;
	in->path = in->where = NULL;
	in->loc = (struct locator){ 0 };
	input_clear(in);
	*in = s->cov;
	in->path = path;
	in->where = where;
	in->loc = loc;
	in->named = named;
	in->image = image;
	memset(&s->cov, 0, sizeof s->cov);
	s->in_file = false;
	if (p->stopped)     /* its events after the stop were not taken */
		input_note(in, INPUT_FAILED, "reading stopped");
	progress_step(p, in->size);
	/* Final now, but for the batch's last file: a worker that fails
	 * after sending that one's coverage still marks it (finish_batch). */
	if (s->started < s->n_batch) {
		input_done(p, s->index);
		s->announced = s->started;
	}
}

/* Marks input i not read for why; interrupted when the run was. */
static void not_read(struct pool *p, size_t i, const char *why)
{
	struct input *in = &p->list->items[i];
	if (p->halt)
		input_note(in, INPUT_FAILED, "not read: run interrupted (%s)", p->halt);
	else
		input_note(in, INPUT_FAILED, "not read: %s", why);
	in->interrupted = p->halt != NULL;
}

/* A reading worker is reaped: the file it was reading, if any, takes
 * how it ended; the files of its batch it never began are read again by
 * another worker (or, when reading stops, marked not read). A worker that
 * failed before beginning any file is held against the first one, so
 * that every failure settles a file and no batch comes back for ever. */
static void finish_batch(struct pool *p, struct slot *s, int status)
{
	char *why = failure_text(p, s, status, "the file's coverage");
	if (why && !s->in_file && s->started == 0) {
		s->index = s->batch[0];
		s->started = 1;
		s->in_file = true;
		s->events = 0;
	}
	if (why && s->in_file) {
		struct input *in = &p->list->items[s->index];
		struct strbuf sb = { 0 };
		sb_puts(&sb, why);
		if (s->events)
			sb_printf(&sb, "; the %" PRIu64 " events it sent before were kept",
				  s->events);
		input_note(in, INPUT_FAILED, "%s", sb.data);
		in->interrupted = p->halt != NULL;
		sb_free(&sb);
		s->in_file = false;
		progress_step(p, in->size);
	} else if (why && s->started == s->n_batch && !s->kill_reason) {
		/* every file settled, then the worker failed: the last one read
		 * is whole, but say so */
		input_note(&p->list->items[s->index], INPUT_PARTIAL,
			   "%s after reading the whole file", why);
	}
	for (size_t k = s->started; k < s->n_batch; k++) {
		if (p->halt || p->stopped) {
			not_read(p, s->batch[k], "reading stopped");
			progress_step(p, p->list->items[s->batch[k]].size);
			s->started = k + 1;    /* final too */
		} else {
			p->retry = xrealloc(p->retry, (p->n_retry + 1) * sizeof *p->retry);
			p->retry[p->n_retry++] = s->batch[k];
		}
	}
	for (size_t k = s->announced; k < s->started && k < s->n_batch; k++)
		input_done(p, s->batch[k]);
	free(why);
}

static void finish_slot(struct pool *p, struct slot *s, int status)
{
	if (p->discover) {
		finish_image(p, s, status);
		progress_step(p, 0);
	} else {
		finish_batch(p, s, status);
	}
	input_clear(&s->cov);
	free(s->kill_reason);
	slot_close(s);
	memset(s, 0, sizeof *s);
	s->fd = -1;
	p->running--;
}

/* How many jobs wait: to be read again, and not yet begun. */
static size_t pending(const struct pool *p)
{
	return p->n_retry + (p->n_jobs - p->next);
}

/* The job that would be taken next (pending(p) > 0). */
static size_t peek_job(const struct pool *p)
{
	return p->n_retry ? p->retry[p->n_retry - 1] : p->next;
}

static size_t take_job(struct pool *p)
{
	return p->n_retry ? p->retry[--p->n_retry] : p->next++;
}

/* Fills s->batch from the pending jobs (pending(p) > 0): an image, a
 * large file, or small files (see BATCH_SMALL). */
static void fill_batch(struct pool *p, struct slot *s)
{
	s->n_batch = 0;
	size_t first = take_job(p);
	s->batch[s->n_batch++] = first;
	if (p->discover)
		return;
	uint64_t bytes = p->list->items[first].size;
	size_t want = pending(p) / (2 * (size_t)p->n_slots);
	if (want > BATCH_MAX_FILES)
		want = BATCH_MAX_FILES;
	while (bytes < BATCH_SMALL && s->n_batch < want + 1 && pending(p) > 0) {
		uint64_t size = p->list->items[peek_job(p)].size;
		if (size >= BATCH_SMALL || bytes + size > BATCH_MAX_BYTES ||
		    s->n_batch >= BATCH_MAX_FILES)
			break;
		s->batch[s->n_batch++] = take_job(p);
		bytes += size;
	}
}

/* Puts the batch just taken back, when no worker could be started. */
static void unfill_batch(struct pool *p, struct slot *s)
{
	p->retry = xrealloc(p->retry, (p->n_retry + s->n_batch) * sizeof *p->retry);
	for (size_t k = s->n_batch; k-- > 0;)
		p->retry[p->n_retry++] = s->batch[k];
	s->n_batch = 0;
}

unsigned worker_time_limit(const struct worker_options *o, uint64_t bytes)
{
	if (o->time_limit != WORKER_TIME_AUTO)
		return o->time_limit;
	uint64_t extra = bytes / (((uint64_t)1 << 30) / WORKER_TIME_PER_GIB);
	return WORKER_TIME_BASE + (unsigned)(extra < 86400u * 365 ? extra : 86400u * 365);
}

/* The RLIMIT_CPU of a worker for its batch: twice the time limits (two
 * threads may run: the reader and the hash), 0 when there are none. */
static uint64_t batch_cpu_limit(const struct pool *p, const struct slot *s)
{
	uint64_t sum = 0;
	for (size_t k = 0; k < s->n_batch; k++) {
		uint64_t size = p->discover ? p->list->images[s->batch[k]].size
		                            : p->list->items[s->batch[k]].size;
		unsigned limit = worker_time_limit(p->wopt, size);
		if (limit == 0)
			return 0;
		sum += limit;
	}
	return 2 * sum + 10;
}

/* Forks the worker for the batch in slot s (fill_batch). Returns 0, or
 * -1 with errno set when no pipe or process could be made. */
static int start_worker(struct pool *p, struct slot *s)
{
	int fds[2];
	pid_t parent = getpid();

	/* pipe() and FD_CLOEXEC rather than pipe2(): macOS lacks it. The
	 * worker dup2()s its end past this. */
	if (pipe(fds) != 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	/* Nothing buffered may be written twice, by the worker as well. */
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(fds[0]);
		close(fds[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		struct worker_job job = {
			.list = p->list,
			.batch = p->discover ? NULL : s->batch,
			.n_batch = p->discover ? 0 : s->n_batch,
			.image = p->discover ? &p->list->images[s->batch[0]] : NULL,
			.copt = p->copt, .ropt = p->ropt,
			.mem_limit = p->wopt->mem_limit, .cpu_limit = batch_cpu_limit(p, s),
		};
		worker_main(job, fds[0], fds[1], parent);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
#ifdef F_SETPIPE_SZ
	fcntl(fds[0], F_SETPIPE_SZ, 1 << 20);   /* fewer wake-ups; may fail */
#endif
	s->pid = pid;
	s->fd = fds[0];
	s->started = s->announced = 0;
	s->in_file = false;
	s->cov.first_time = s->cov.last_time = TIME_NONE;
	/* until the first start frame: the first file's limit */
	uint64_t size = p->discover ? p->list->images[s->batch[0]].size
	                            : p->list->items[s->batch[0]].size;
	unsigned limit = worker_time_limit(p->wopt, size);
	s->deadline = limit ? now_ms() + (int64_t)limit * 1000 : 0;
	s->index = s->batch[0];
	if (p->discover)
		s->started = 1;
	p->running++;
	return 0;
}

/* Why reading must stop now: a signal, or the run's deadline. */
static const char *halt_reason(const struct pool *p, int64_t now)
{
	const char *why = p->wopt->interrupted ? p->wopt->interrupted() : NULL;
	if (why)
		return why;
	if (p->wopt->deadline && now >= p->wopt->deadline)
		return "the --deadline passed";
	return NULL;
}

/* How long poll() may wait (ms, -1 for ever) with n pipes open. */
static int poll_timeout(const struct pool *p, int64_t now, bool exiting)
{
	int64_t t = exiting ? 1 : -1;   /* a pipe closed: it is exiting, reap it soon */
	for (unsigned i = 0; i < p->n_slots; i++) {
		const struct slot *s = &p->slots[i];
		if (s->pid > 0 && s->deadline && !s->kill_reason) {
			int64_t left = s->deadline > now ? s->deadline - now : 0;
			if (t < 0 || left < t)
				t = left;
		}
	}
	/* a signal that lands just before poll() must not wait for a worker */
	if (p->wopt->interrupted && (t < 0 || t > 200))
		t = 200;
	if (p->wopt->deadline) {
		int64_t left = p->wopt->deadline > now ? p->wopt->deadline - now : 0;
		if (t < 0 || left < t)
			t = left;
	}
	return t < 0 ? -1 : (int)(t < 1000000 ? t : 1000000);
}

/* One round: wait for data, a deadline or a worker's end, and act. */
static int pool_step(struct pool *p)
{
	struct pollfd *pfd = p->pfd;
	struct slot **who = p->who;
	bool exiting = false;
	nfds_t n = 0;

	for (unsigned i = 0; i < p->n_slots; i++) {
		struct slot *s = &p->slots[i];
		if (s->pid <= 0)
			continue;
		if (s->fd >= 0) {
			pfd[n] = (struct pollfd){ .fd = s->fd, .events = POLLIN };
			who[n++] = s;
		} else {
			exiting = true;
		}
	}
	int r = poll(pfd, n, poll_timeout(p, now_ms(), exiting));
	if (r < 0 && errno != EINTR)
		return -1;
	for (nfds_t i = 0; r > 0 && i < n; i++)
		if (pfd[i].revents && who[i]->fd >= 0)
			slot_read(p, who[i]);

	int64_t now = now_ms();
	if (!p->halt)
		p->halt = halt_reason(p, now);
	for (unsigned i = 0; i < p->n_slots; i++) {
		struct slot *s = &p->slots[i];
		if (s->pid <= 0)
			continue;
		if (p->halt && !s->kill_reason)
			slot_kill(s, "run interrupted (%s)", p->halt);
		else if (p->stopped && !s->kill_reason)
			slot_kill(s, "reading stopped");
		else if (s->deadline && now >= s->deadline && !s->kill_reason)
			slot_kill(s, "timed out after %u s", worker_time_limit(p->wopt,
				  p->discover ? p->list->images[s->index].size
					      : p->list->items[s->index].size));
		if (s->fd >= 0)
			continue;
		/* Its pipe closes as it exits (workers end in _exit and
		 * close nothing early), so this wait is short; polling for
		 * it instead cost a millisecond a file. */
		int status;
		pid_t w;
		while ((w = waitpid(s->pid, &status, 0)) < 0 && errno == EINTR)
			;
		if (w == s->pid) {
			finish_slot(p, s, status);
		} else if (w < 0) {
			/* Reaped behind our back (a SIGCHLD handler of the
			 * caller's): its end cannot be told. */
			status = 0;
			if (!s->kill_reason)
				slot_kill(s, "worker vanished: %s", strerror(errno));
			finish_slot(p, s, status);
		}
	}
	return 0;
}

/* The jobs never begun, once reading has stopped for why. */
static void fail_unread(struct pool *p, const char *why)
{
	while (pending(p) > 0) {
		size_t i = take_job(p);
		if (!p->discover) {
			not_read(p, i, why);
			input_done(p, i);
			continue;
		}
		struct image_input *im = &p->list->images[i];
		im->status = INPUT_FAILED;
		free(im->reason);
		struct strbuf sb = { 0 };
		if (p->halt)
			sb_printf(&sb, "not listed: run interrupted (%s)", p->halt);
		else
			sb_printf(&sb, "not listed: %s", why);
		im->reason = sb_take(&sb);
	}
}

/* With SIGCHLD ignored, children are not kept for waitpid(): for the
 * run, SIGCHLD gets its default action. Returns whether *old is to be
 * put back afterwards. */
static bool keep_children(struct sigaction *old)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	if (sigaction(SIGCHLD, NULL, old) != 0 ||
	    (old->sa_handler != SIG_IGN && !(old->sa_flags & SA_NOCLDWAIT)))
		return false;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGCHLD, &dfl, NULL);
	return true;
}

/* jobs free slots, and the poll() arrays for them. */
static void pool_init(struct pool *p, unsigned jobs)
{
	p->n_slots = jobs;
	p->slots = xcalloc(jobs, sizeof *p->slots);
	for (unsigned i = 0; i < jobs; i++)
		p->slots[i].fd = -1;
	p->pfd = xcalloc(jobs, sizeof *p->pfd);
	p->who = xcalloc(jobs, sizeof *p->who);

	p->progress.on = p->wopt->progress && !p->discover;
	p->progress.total = p->n_jobs;
	for (size_t i = 0; i < p->n_jobs && !p->discover; i++)
		p->progress.total_bytes += p->list->items[i].size;
	p->progress.start = now_ms();
}

static void pool_free(struct pool *p)
{
	free(p->who);
	free(p->pfd);
	free(p->slots);
	free(p->retry);
}

/* Starts workers for the pending jobs while slots are free. When one
 * cannot be started (out of processes or descriptors), the others
 * running are waited for before trying again; with none running, the
 * run fails. */
static void start_workers(struct pool *p)
{
	while (!p->stopped && !p->halt && !p->fatal[0] && pending(p) > 0 &&
	       p->running < p->n_slots) {
		struct slot *s = NULL;
		for (unsigned i = 0; i < p->n_slots && !s; i++)
			if (p->slots[i].pid == 0)
				s = &p->slots[i];
		fill_batch(p, s);
		if (start_worker(p, s) == 0)
			continue;
		int e = errno;
		unfill_batch(p, s);
		if (p->running == 0)
			snprintf(p->fatal, sizeof p->fatal, "cannot start a worker: %s",
			         strerror(e));
		break;
	}
}

/* poll() failed: every worker is killed for p->fatal and reaped
 * without it. */
static void abandon_workers(struct pool *p)
{
	for (unsigned i = 0; i < p->n_slots; i++)
		if (p->slots[i].pid > 0) {
			slot_kill(&p->slots[i], "%s", p->fatal);
			slot_close(&p->slots[i]);
		}
	for (unsigned i = 0; i < p->n_slots; i++) {
		struct slot *s = &p->slots[i];
		int status = 0;
		while (s->pid > 0 && waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
			;
		if (s->pid > 0)
			finish_slot(p, s, status);
	}
}

/* Runs p's jobs to the end; returns as run_workers does. */
static int pool_run(struct pool *p)
{
	struct sigaction old_chld;

	p->halt = halt_reason(p, now_ms());
	if (p->n_jobs == 0 || p->halt) {
		if (p->halt)
			fail_unread(p, p->halt);
		goto done;
	}
	unsigned jobs = p->wopt->jobs ? p->wopt->jobs : worker_default_jobs();
	if (jobs > p->n_jobs)
		jobs = (unsigned)p->n_jobs;
	bool restore_chld = keep_children(&old_chld);
	pool_init(p, jobs);

	while (pending(p) > 0 || p->running > 0) {
		start_workers(p);
		if ((p->stopped || p->halt || p->fatal[0]) && p->running == 0)
			break;
		if (pool_step(p) != 0) {
			snprintf(p->fatal, sizeof p->fatal, "poll: %s", strerror(errno));
			abandon_workers(p);
			break;
		}
	}

	if (pending(p) > 0)
		fail_unread(p, p->fatal[0] ? p->fatal : "reading stopped");
	progress_clear(&p->progress);
	pool_free(p);
	if (restore_chld)
		sigaction(SIGCHLD, &old_chld, NULL);
done:
	if (p->halt && !p->list->interrupted)
		p->list->interrupted = xstrdup(p->halt);
	return p->fatal[0] || p->stopped ? -1 : 0;
}

int run_workers(struct input_list *list, const struct read_options *ropt,
                const struct worker_options *wopt, event_sink sink, void *ctx)
{
	struct pool p = {
		.list = list, .n_jobs = list->n, .ropt = ropt, .wopt = wopt,
		.sink = sink, .ctx = ctx,
	};
	return pool_run(&p);
}

/* Moves what discovery found for image i into the list: its logs as
 * inputs, its notes as skipped entries. */
static void take_found(struct input_list *list, struct found *f, size_t i)
{
	for (size_t k = 0; k < f->n; k++) {
		input_list_add(list, &f->locs[k], list->images[i].named, f->sizes[k],
			       (uint32_t)i + 1);
		locator_clear(&f->locs[k]);
	}
	for (size_t k = 0; k < f->n_notes; k++) {
		char *where = locator_format(&f->note_at[k]);
		input_list_skip(list, where, f->note_incomplete[k], "%s", f->note_why[k]);
		free(where);
		locator_clear(&f->note_at[k]);
		free(f->note_why[k]);
	}
	free(f->locs);
	free(f->sizes);
	free(f->note_at);
	free(f->note_why);
	free(f->note_incomplete);
}

int run_discovery(struct input_list *list, const struct collect_options *copt,
                  const struct worker_options *wopt)
{
	struct pool p = {
		.list = list, .discover = true, .n_jobs = list->n_images, .copt = copt,
		.wopt = wopt,
	};
	p.found = xcalloc(list->n_images ? list->n_images : 1, sizeof *p.found);
	int rc = pool_run(&p);
	for (size_t i = 0; i < list->n_images; i++)
		take_found(list, &p.found[i], i);
	free(p.found);
	return rc;
}
