/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* child: what a worker process does (worker.c has the overview):
 * limits, signals, the reading thread and its watchdog. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>     /* mallopt */
#endif
#include <pthread.h>
#include <signal.h>
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
#include "artifact.h"
#include "rules.h"
#include "wire.h"
#include "worker.h"
#include "child.h"

#define WORKER_ALTSTACK_SIZE ((size_t)64 << 10)

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

/* An event the trace rules read, as the reader met it, to each rule of
 * event_rules[] (detect/rules.h). */
static int traced_seen(void *ctx, struct event *ev)
{
	return rules_on_event(ev, wire_send_trace, ctx);
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

	struct read_options ropt = { 0 };   /* a discovery job has none */
	if (j->ropt)
		ropt = *j->ropt;
	if (ropt.traces && !ropt.story) {
		ropt.traced = traced_seen;
		ropt.traced_select = &rules_event_select;
		ropt.traced_ctx = &j->out;
	}
	int sent = 0;
	if (j->image) {
		struct discover_sink sink = { wire_send_log, wire_send_note, &j->out };
		struct discover_result res;
		test_hooks(j, j->image->path);
		discover_image(j->image, j->copt, &sink, &res);
		sent = wire_send_done(&j->out, &res);
	}
	for (size_t i = 0; i < j->n_batch && sent == 0; i++) {
		struct input *in = &j->list->items[j->batch[i]];
		sent = wire_send_start(&j->out, j->batch[i]);
		if (sent != 0)
			break;
		test_hooks(j, in->path);
		if (in->kind != INPUT_EVTX)
			read_artifact(in, (uint32_t)j->batch[i], &ropt,
				      rules_of_kind((enum input_kind)in->kind), wire_send_trace,
				      &j->out);
		else
			read_evtx(in, (uint32_t)j->batch[i], &ropt, wire_send_event, &j->out);
		sent = wire_send_coverage(&j->out, in);
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
void worker_main(struct worker_job job, int rfd, int wfd, pid_t parent)
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
	job.out = (struct wire_out){ .fd = WORKER_FD };
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
