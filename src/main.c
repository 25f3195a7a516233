/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* rmmhunt: inputs -> (images: discover) -> scan -> parse -> detect ->
 * aggregate -> report. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "aggregate.h"
#include "archives.h"
#include "allowlist.h"
#include "cli.h"
#include "destination.h"
#include "diag.h"
#include "escape.h"
#include "hash.h"
#include "hosts.h"
#include "input.h"
#include "interrupt.h"
#include "reader.h"
#include "report.h"
#include "rule.h"
#include "pass.h"
#include "source.h"
#include "timefmt.h"
#include "volume.h"
#include "worker.h"

enum exit_status {
	EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_INCOMPLETE = 4, EXIT_FATAL = 8,
};

/* What the reader's callback needs: the detect stage and the time window. */
struct collect {
	struct findings *findings;
	int64_t from, to;
	bool extended;         /* --extended-modules */
	uint64_t out_of_range;
};

static int collect_event(void *ctx, struct event *ev)
{
	struct collect *c = ctx;
	if (!rule_matches_with(ev, c->extended))
		return 0;
	if ((c->from != TIME_NONE && ev->time < c->from) ||
	    (c->to != TIME_NONE && ev->time > c->to)) {
		c->out_of_range++;
		return 0;
	}
	findings_add(c->findings, ev);
	return 0;
}

/* --password-file: one password a line (a CR before the LF dropped; an
 * empty line is a password too, the empty one). Returns 0, or -1 having
 * named the file. The passwords go to libarchive only. */
static int load_passwords(const char *path, struct archive_keys *keys, char ***owned)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		diag_path(path, "--password-file", strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	char **v = NULL;
	size_t count = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		v = xrealloc(v, (count + 1) * sizeof *v);
		v[count++] = xstrdup(line);
	}
	free(line);
	fclose(f);
	*owned = v;
	*keys = (struct archive_keys){ v, count };
	return 0;
}

static void free_passwords(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		memset(v[i], 0, strlen(v[i]));
		free(v[i]);
	}
	free(v);
}

/* The CLOCK_MONOTONIC ms at which --deadline seconds from now end; 0
 * for no deadline. */
static int64_t deadline_from_now(unsigned seconds)
{
	struct timespec ts;
	if (seconds == 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec + seconds) * 1000 + ts.tv_nsec / 1000000;
}

/* The worker options of a run: one deadline for both phases. */
static struct worker_options worker_options(const struct cli_options *opt, int64_t deadline,
					    bool progress)
{
	return (struct worker_options){
		.jobs = opt->jobs, .mem_limit = opt->mem_limit,
		.time_limit = opt->time_limit, .deadline = deadline,
		.interrupted = interrupt_reason, .progress = progress,
	};
}

static int64_t now_ticks(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return time_from_unix(ts.tv_sec) + ts.tv_nsec / 100;
}


/* The images among the inputs are opened in workers, which list the
 * logs inside them; those become inputs like the others. */
static void discover_images(struct input_list *inputs, const struct cli_options *opt,
			    const struct archive_keys *keys, int64_t deadline)
{
	struct collect_options copt = { .all_files = opt->all_files, .vss = opt->vss,
					 .carve = opt->carve, .verify = opt->verify_image,
					 .keys = keys };
	struct worker_options wopt = worker_options(opt, deadline, false);
	size_t skipped_before = inputs->n_skipped;
	if (inputs->n_images)
		volume_preload();
	if (run_discovery(inputs, &copt, &wopt) != 0)
		fputs("rmmhunt: could not start the workers that list images\n", stderr);
	for (size_t i = 0; i < inputs->n_images; i++) {
		const struct image_input *im = &inputs->images[i];
		/* A part that failed has a line of its own below. */
		if (im->status == INPUT_FAILED || im->listing_failed ||
		    (im->status == INPUT_PARTIAL && im->reason &&
		     strncmp(im->reason, image_format_name(im->format),
			     strlen(image_format_name(im->format))) == 0))
			diag_path(im->path, im->status == INPUT_FAILED ? "image not read" :
				 "image partly read", im->reason);
		if (im->verify && (opt->verify_image || strncmp(im->verify, "MISMATCH", 8) == 0))
			diag_path(im->path, "image", im->verify);
	}
	for (size_t i = skipped_before; i < inputs->n_skipped; i++)
		diag_path(inputs->skipped[i].path, inputs->skipped[i].incomplete ?
			 "not read" : "noted", inputs->skipped[i].reason);
}


/* A file whose worker died before hashing it still gets its SHA-256:
 * reading bytes is safe even where parsing them was not. */
static void hash_unhashed(struct input *in)
{
	if (in->sha256[0] || !locator_is_plain_file(&in->loc))
		return;   /* inside an image, reading is parsing: workers only */
	struct source *src = source_file_open(in->path, NULL, 0);
	uint64_t size;
	if (src && source_sha256(src, in->sha256, &size) == 0)
		in->size = size;
	source_close(src);
}

/* run_workers' done: an input has ended. A file whose worker died before
 * hashing it still gets its SHA-256 (reading bytes is safe even where
 * parsing them was not); then its line. */
static void input_ended(void *ctx, struct input *in)
{
	hash_unhashed(in);
	diag_input(ctx, in);
}

static int read_inputs(struct input_list *inputs, const struct cli_options *opt,
		       const struct archive_keys *keys, int64_t deadline, struct collect *c)
{
	struct read_options ropt = { .recovered = opt->recovered, .prefilter = opt->prefilter,
				     .extended = opt->extended, .keys = keys };
	struct worker_options wopt = worker_options(opt, deadline,
						    !opt->quiet && isatty(STDERR_FILENO));
	struct diag *d = diag_new();
	wopt.done = input_ended;
	wopt.done_ctx = d;
	sha256_preload();
	int rc = run_workers(inputs, &ropt, &wopt, collect_event, c);
	diag_finish(d);
	return rc;
}

/* The flagged processes' stories, from the logs of their hosts (a
 * second reading of those only, by value: src/story/pass.h). What a
 * pass could not read is said here and kept in the reports. */
static void tell_stories(struct stories *st, const struct findings *f,
			 const struct input_list *inputs, const struct cli_options *opt,
			 const struct archive_keys *keys, int64_t deadline)
{
	struct read_options ropt = { .recovered = opt->recovered, .prefilter = opt->prefilter,
				     .extended = opt->extended, .keys = keys };
	struct worker_options wopt = worker_options(opt, deadline, false);
	story_read(st, f, inputs, &ropt, &wopt);
	for (size_t i = 0; i < st->n_notes; i++) {
		char *safe = term_safe(st->notes[i]);
		fprintf(stderr, "rmmhunt: story: %s\n", safe);
		free(safe);
	}
}

/* Where the reports go is checked before the scan (destination.h): a run
 * that would write into evidence, or lose a report, stops at once rather
 * than after hours of reading. Returns 0, or -1 having said why. */
static int check_destinations(const struct cli_options *opt, const struct input_list *inputs)
{
	const struct destination d[] = {
		{ "--csv", opt->csv }, { "--json", opt->json }, { "--html", opt->html },
		{ "--jsonl", opt->jsonl },
	};
	char err[2 * 4096 + 256];
	if (destinations_check(d, sizeof d / sizeof d[0], opt->paths, (size_t)opt->n_paths,
			       inputs, err, sizeof err) == 0)
		return 0;
	char *safe = term_safe(err);
	fprintf(stderr, "rmmhunt: %s\n", safe);
	free(safe);
	return -1;
}

enum report_kind { REPORT_CSV, REPORT_JSON, REPORT_HTML, REPORT_JSONL, N_REPORTS };

/* A report's destination, opened before the scan so that a path that
 * cannot be written stops the run at once, not after hours of reading. */
struct report_out {
	const char *path;       /* NULL when not asked for; "-" stdout */
	FILE *f;
	bool created;           /* the file did not exist: removed if the run stops */
};

/* Opens every asked-for report. Returns 0, or -1 having named the path
 * that cannot be written and removed the files it had created. */
static int open_reports(struct report_out out[N_REPORTS])
{
	for (int k = 0; k < N_REPORTS; k++) {
		if (!out[k].path)
			continue;
		if (strcmp(out[k].path, "-") == 0) {
			out[k].f = stdout;
			continue;
		}
		out[k].created = access(out[k].path, F_OK) != 0;
		out[k].f = fopen(out[k].path, "w");
		if (!out[k].f) {
			diag_path(out[k].path, "cannot write", strerror(errno));
			for (int j = 0; j < k; j++) {
				if (out[j].f && out[j].f != stdout) {
					fclose(out[j].f);
					if (out[j].created)
						unlink(out[j].path);
				}
				out[j].f = NULL;
			}
			return -1;
		}
	}
	return 0;
}

static int write_report(struct report_out *out, enum report_kind kind, const struct run *run,
			const struct cli_options *opt)
{
	if (!out->f)
		return 0;
	struct csv_options copt = { .neutralise = opt->neutralise };
	int rc = kind == REPORT_CSV ? report_csv(out->f, run, &copt) :
		 kind == REPORT_JSON ? report_json(out->f, run) :
		 kind == REPORT_JSONL ? report_jsonl(out->f, run) : report_html(out->f, run);
	if (fflush(out->f) != 0 || ferror(out->f))
		rc = -1;
	if (out->f != stdout && fclose(out->f) != 0)
		rc = -1;
	out->f = NULL;
	if (rc != 0)
		diag_path(out->path, "cannot write", strerror(errno));
	return rc;
}

static void say_interrupted(const struct input_list *inputs)
{
	size_t cut = 0;
	for (size_t i = 0; i < inputs->n; i++)
		cut += inputs->items[i].interrupted;
	fprintf(stderr, "rmmhunt: run interrupted (%s): %zu input%s not read in full; the "
		"reports hold what was read and name the rest\n", inputs->interrupted, cut,
		cut == 1 ? "" : "s");
}

static void print_summary(const struct run *run)
{
	const struct input_list *in = run->inputs;
	const struct findings *f = run->findings;
	uint64_t records = 0, status[3] = { 0 }, recovered = 0;

	for (size_t i = 0; i < in->n; i++) {
		records += in->items[i].records + in->items[i].recovered;
		status[in->items[i].status]++;
	}
	for (size_t i = 0; i < f->n_rows; i++)
		recovered += f->rows[i].suppressed ? 0 : f->rows[i].recovered;
	size_t not_read = input_list_not_read(in);
	fprintf(stderr, "rmmhunt: %zu input%s read (%llu ok, %llu partly, %llu failed), "
		"%zu path%s skipped, %llu non-EVTX files ignored, %llu records scanned\n",
		in->n, in->n == 1 ? "" : "s", (unsigned long long)status[INPUT_OK],
		(unsigned long long)status[INPUT_PARTIAL], (unsigned long long)status[INPUT_FAILED],
		not_read, not_read == 1 ? "" : "s",
		(unsigned long long)in->ignored_non_evtx, (unsigned long long)records);
	if (in->n_images)
		fprintf(stderr, "rmmhunt: %zu disk image%s or archive%s: %zu part%s listed but not searched "
			"(other file systems, empty logs)\n", in->n_images,
			in->n_images == 1 ? "" : "s", in->n_images == 1 ? "" : "s", in->n_skipped - not_read,
			in->n_skipped - not_read == 1 ? "" : "s");
	size_t rows = f->n_rows - f->suppressed_rows;
	uint64_t events = f->n_events - f->suppressed_events;
	fprintf(stderr, "rmmhunt: %zu finding row%s from %llu event%s (%llu recovered from "
		"slack); %zu row%s (%llu events) suppressed by the allowlist; %llu "
		"duplicate events merged\n", rows, rows == 1 ? "" : "s",
		(unsigned long long)events, events == 1 ? "" : "s",
		(unsigned long long)recovered, f->suppressed_rows,
		f->suppressed_rows == 1 ? "" : "s", (unsigned long long)f->suppressed_events,
		(unsigned long long)f->duplicates);
	if (run->events_out_of_range)
		fprintf(stderr, "rmmhunt: %llu matching events outside --from/--to left out\n",
			(unsigned long long)run->events_out_of_range);
}

/* The hosts the detection could not look at, each named: their inputs
 * log no Sysmon Event ID 7 (no Sysmon, or a configuration without image
 * loads). "Could not check" is not "clean". Returns how many. */
#define SAY_BLIND 10
static size_t say_blind_hosts(const struct input_list *inputs)
{
	const char **blind;
	size_t n = input_list_blind_hosts(inputs, &blind);
	for (size_t i = 0; i < n && i < SAY_BLIND; i++)
		diag_path(blind[i], "host not checked", "no Sysmon Event ID 7 (image loaded) "
			 "in any of its inputs: a blind spot, not a clean host");
	if (n > SAY_BLIND)
		fprintf(stderr, "rmmhunt: ... and %zu more hosts not checked (the JSON lists "
			"them: summary.blind_hosts)\n", n - SAY_BLIND);
	free(blind);
	return n;
}

/* A short table of the hosts after the summary, for a responder at a
 * terminal: hits first, then the blind spots; the JSON has them all. */
#define HOST_LINES 20
static void print_hosts(const struct run *run)
{
	struct hosts h;
	hosts_build(&h, run);
	size_t shown = 0;
	for (size_t i = 0; i < h.n && shown < HOST_LINES; i++) {
		const struct host_view *v = &h.v[i];
		if (!v->events && !v->blind)
			continue;
		char *name = term_safe(v->host);
		if (!shown++)
			fputs("rmmhunt: hosts:\n", stderr);
		if (v->events) {
			char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];
			size_t modules = 0;
			for (size_t p = 0; p < v->n_processes; p++)
				modules += v->processes[p].n_modules;
			time_format(v->first, a);
			time_format(v->last, b);
			fprintf(stderr, "  %-28s %6llu event%s, %zu process%s, %zu module%s, %s .. %s\n",
				name, (unsigned long long)v->events, v->events == 1 ? " " : "s",
				v->n_processes, v->n_processes == 1 ? "" : "es", modules,
				modules == 1 ? "" : "s", a, b);
		} else {
			fprintf(stderr, "  %-28s blind spot: no Sysmon Event ID 7 in its %zu log%s\n",
				name, v->inputs, v->inputs == 1 ? "" : "s");
		}
		free(name);
	}
	size_t rest = 0;
	for (size_t i = 0; i < h.n; i++)
		rest += h.v[i].events || h.v[i].blind;
	if (rest > shown)
		fprintf(stderr, "  ... and %zu more (the JSON report: hosts)\n", rest - shown);
	hosts_free(&h);
}

static int exit_status(const struct run *run, size_t blind_hosts)
{
	int status = EXIT_CLEAN;
	const struct findings *f = run->findings;
	if (f->n_rows > f->suppressed_rows)
		status |= EXIT_FINDINGS;
	if (blind_hosts)
		status |= EXIT_INCOMPLETE;
	/* No log at all under the named paths is "could not check", never
	 * "clean": a wrong path, an empty folder, an image with no logs. */
	if (run->inputs->n == 0 || run->inputs->interrupted || input_list_not_read(run->inputs) ||
	    input_list_images_not_whole(run->inputs))
		status |= EXIT_INCOMPLETE;
	for (size_t i = 0; i < run->inputs->n; i++)
		if (run->inputs->items[i].status != INPUT_OK)
			status |= EXIT_INCOMPLETE;
	return status;
}

int main(int argc, char **argv)
{
	struct cli_options opt;
	struct allowlist allow = { 0 };
	struct input_list inputs = { 0 };
	struct findings findings = { 0 };
	struct stories stories = { 0 };

	switch (cli_parse(argc, argv, &opt)) {
	case CLI_EXIT_OK: return EXIT_CLEAN;
	case CLI_USAGE_ERROR: return EXIT_FATAL;
	case CLI_RUN: break;
	}
	if (!opt.csv && !opt.json && !opt.html && !opt.jsonl)
		opt.csv = "-";
	if (opt.allowlist && allowlist_load(&allow, opt.allowlist) != 0) {
		allowlist_free(&allow);
		return EXIT_FATAL;
	}
	struct archive_keys keys = { NULL, 0 };
	char **passwords = NULL;
	if (opt.password_file && load_passwords(opt.password_file, &keys, &passwords) != 0) {
		allowlist_free(&allow);
		return EXIT_FATAL;
	}
	struct run run = {
		.version = PACKAGE_VERSION, .case_name = opt.case_name, .examiner = opt.examiner,
		.argc = argc, .argv = argv,
		.started = now_ticks(), .from = opt.from, .to = opt.to,
		.recovered = opt.recovered, .prefilter = opt.prefilter, .extended = opt.extended,
		.inputs = &inputs, .findings = &findings, .stories = &stories,
	};
	inputs_collect(&inputs, opt.paths, (size_t)opt.n_paths);
	struct report_out out[N_REPORTS] = {
		[REPORT_CSV] = { .path = opt.csv }, [REPORT_JSON] = { .path = opt.json },
		[REPORT_HTML] = { .path = opt.html }, [REPORT_JSONL] = { .path = opt.jsonl },
	};
	if (check_destinations(&opt, &inputs) != 0 || open_reports(out) != 0) {
		inputs_free(&inputs);
		allowlist_free(&allow);
		free_passwords(passwords, keys.n);
		return EXIT_FATAL;
	}
	/* From here on a signal ends the reading, not the run: the reports
	 * are open and get what was read. */
	interrupt_catch();
	int64_t deadline = deadline_from_now(opt.deadline);
	for (size_t i = 0; i < inputs.n_skipped; i++)
		diag_path(inputs.skipped[i].path, "skipped", inputs.skipped[i].reason);
	discover_images(&inputs, &opt, &keys, deadline);

	struct collect c = { &findings, opt.from, opt.to, opt.extended, 0 };
	if (read_inputs(&inputs, &opt, &keys, deadline, &c) != 0)
		fputs("rmmhunt: could not start the workers that read the inputs\n", stderr);
	run.events_out_of_range = c.out_of_range;
	uint32_t *perm = input_list_sort(&inputs);
	findings_renumber(&findings, perm);
	free(perm);
	findings_group(&findings);
	allowlist_apply(&allow, &findings);
	stories.enabled = opt.story;
	if (opt.story)
		tell_stories(&stories, &findings, &inputs, &opt, &keys, deadline);
	run.finished = now_ticks();

	int status = exit_status(&run, say_blind_hosts(&inputs));
	if (inputs.interrupted)
		say_interrupted(&inputs);
	else if (inputs.n == 0)
		fputs("rmmhunt: nothing readable under the named paths: no EVTX log was found, "
		      "so nothing was checked\n", stderr);
	/* Each report is attempted, whatever became of the others. */
	int failed = 0;
	for (int k = 0; k < N_REPORTS; k++)
		failed += write_report(&out[k], (enum report_kind)k, &run, &opt) != 0;
	if (failed)
		status = EXIT_FATAL;
	if (!opt.quiet)
		print_summary(&run);
	if (!opt.quiet && isatty(STDERR_FILENO))
		print_hosts(&run);
	stories_free(&stories);
	free_passwords(passwords, keys.n);
	findings_free(&findings);
	inputs_free(&inputs);
	allowlist_free(&allow);
	return status;
}
