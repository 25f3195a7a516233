/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* rmmhunt: inputs -> (images: discover) -> scan -> parse -> detect ->
 * aggregate -> report. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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
#include "collect.h"
#include "conclude.h"
#include "destination.h"
#include "diag.h"
#include "escape.h"
#include "hash.h"
#include "hosts.h"
#include "input.h"
#include "interrupt.h"
#include "merge.h"
#include "part.h"
#include "reader.h"
#include "report.h"
#include "rule.h"
#include "rules.h"
#include "pass.h"
#include "want.h"
#include "attribute.h"
#include "source.h"
#include "timefmt.h"
#include "volume.h"
#include "worker.h"

/* What the reader's callback needs: the detect stage and the time window. */
struct collect {
	struct findings *findings;
	int64_t from, to;
	bool extended;         /* --extended-modules */
	uint64_t out_of_range;
	struct traces *traces; /* the traces the workers' rules found */
};

/* A trace from a worker: kept whole, whatever the time window (a
 * Prefetch file's run times are what it proves; --from/--to select
 * events). */
static int collect_trace(void *ctx, struct trace *t)
{
	struct collect *c = ctx;
	traces_add(c->traces, t);
	return 0;
}

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
static int load_passwords(const char *path, struct archive_options *aopt, char ***owned)
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
	aopt->passwords = v;
	aopt->n_passwords = count;
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


/* The run's own folder in --tmpdir for the disk images found inside
 * archives (archives.h: spool_dir), made only when an archive is among
 * the inputs. Returns 0 with the folder in dir, or -1 having said why
 * such images will not be read. */
static int spool_dir_make(const struct input_list *inputs, const struct archive_options *aopt,
			  char *dir, size_t dirsz)
{
	bool archive = false;
	for (size_t i = 0; i < inputs->n_images; i++)
		archive = archive || (inputs->images[i].format && inputs->images[i].format->listed);
	if (!archive)
		return -1;
	snprintf(dir, dirsz, "%s/rmmhunt-images.XXXXXX", archive_tmpdir(aopt));
	if (mkdtemp(dir))
		return 0;
	diag_path(dir, "--tmpdir", "cannot make a folder for the disk images inside archives "
		  "(they will not be read)");
	return -1;
}

/* Removes the folder and what is in it: a folder a copy, each holding
 * the copy (nothing else is ever there; nothing deeper is followed). */
static void spool_dir_remove(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char path[4096];
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (unlink(path) != 0 && depth == 0)
			spool_dir_remove(path, 1);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* The images among the inputs are opened in workers, which list the
 * logs inside them; those become inputs like the others. */
static void discover_images(struct input_list *inputs, const struct cli_options *opt,
			    const struct archive_options *aopt, int64_t deadline)
{
	struct collect_options copt = { .all_files = opt->all_files, .vss = opt->vss,
					 .carve = opt->carve, .verify = opt->verify_image,
					 .traces = opt->traces, .aopt = aopt };
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
 * reading bytes is safe even where parsing them was not. Not when the
 * run was interrupted: the user asked it to stop, and hashing every file
 * not read would take as long as reading them. */
static void hash_unhashed(struct input *in)
{
	if (in->sha256[0] || in->interrupted || !locator_is_plain_file(&in->loc))
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
		       const struct archive_options *aopt, int64_t deadline, struct collect *c)
{
	struct read_options ropt = { .select = &rule_select,
				     .names = rules_matcher(opt->extended, opt->traces),
				     .recovered = opt->recovered, .prefilter = opt->prefilter,
				     .extended = opt->extended, .aopt = aopt,
				     .traces = opt->traces,
				     .keys_of = opt->story ? &story_keys_of : NULL };
	struct worker_options wopt = worker_options(opt, deadline,
						    !opt->quiet && isatty(STDERR_FILENO));
	struct diag *d = diag_new();
	wopt.done = input_ended;
	wopt.done_ctx = d;
	wopt.trace = collect_trace;
	wopt.trace_ctx = c;
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
			 const struct archive_options *aopt, int64_t deadline)
{
	struct read_options ropt = { .select = &rule_select,
				     .names = rules_matcher(opt->extended, false),
				     .recovered = opt->recovered, .prefilter = opt->prefilter,
				     .extended = opt->extended, .aopt = aopt };
	struct worker_options wopt = worker_options(opt, deadline, false);
	story_read(st, f, inputs, &ropt, &wopt);
	for (size_t i = 0; i < st->n_notes; i++) {
		char *safe = term_safe(st->notes[i]);
		fprintf(stderr, "rmmhunt: story: %s\n", safe);
		free(safe);
	}
}

/* The reports the options ask for. */
static void reports_asked(const struct cli_options *opt, struct report_out out[N_REPORTS])
{
	for (int k = 0; k < N_REPORTS; k++)
		out[k] = (struct report_out){ .path = NULL };
	out[REPORT_CSV].path = opt->csv;
	out[REPORT_JSON].path = opt->json;
	out[REPORT_HTML].path = opt->html;
	out[REPORT_JSONL].path = opt->jsonl;
	out[REPORT_TRACES].path = opt->traces_csv;
}

/* What merge refuses to start with, a usage error: a path that is no
 * rmmhunt report at all (an EVTX file given by mistake), or one part
 * given twice (its events would count twice). Says it; returns -1. A
 * part that begins right and is damaged is read as far as it goes. */
static int merge_refused(char *const *paths, size_t n)
{
	struct stat *st = xcalloc(n ? n : 1, sizeof *st);
	bool *seen = xcalloc(n ? n : 1, sizeof *seen);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *safe = term_safe(paths[i]);
		if (part_sniff(paths[i]) == 0) {
			fprintf(stderr, "rmmhunt: merge: %s: not a JSON report of rmmhunt (merge "
				"reads the --json reports of rmmhunt runs)\n", safe);
			rc = -1;
		}
		seen[i] = stat(paths[i], &st[i]) == 0;
		for (size_t j = 0; j < i && rc == 0; j++)
			if (seen[i] && seen[j] && st[i].st_dev == st[j].st_dev &&
			    st[i].st_ino == st[j].st_ino) {
				fprintf(stderr, "rmmhunt: merge: %s is given twice: give each part "
					"once\n", safe);
				rc = -1;
			}
		free(safe);
	}
	free(seen);
	free(st);
	return rc;
}

/* rmmhunt merge PART.json...: the reports one run over every part's
 * inputs would have made (src/merge/). A part that cannot be read is
 * named and counted as not read (exit status 4), never left out in
 * silence; parts of another version or other options refuse the merge. */
static int merge_main(const struct cli_options *opt, const struct allowlist *allow, int argc,
		      char **argv)
{
	struct report_out out[N_REPORTS];
	struct input_list none = { 0 };
	if (merge_refused(opt->paths, (size_t)opt->n_paths) != 0)
		return EXIT_FATAL;
	reports_asked(opt, out);
	if (reports_open(out, opt->paths, (size_t)opt->n_paths, &none) != 0)
		return EXIT_FATAL;
	size_t n = (size_t)opt->n_paths;
	struct part *parts = xcalloc(n, sizeof *parts);
	char **why = xcalloc(n, sizeof *why);
	char err[1024];
	for (size_t i = 0; i < n; i++)
		if (part_read(opt->paths[i], &parts[i], err, sizeof err) != 0)
			why[i] = xstrdup(err);
	struct merged m;
	struct run run = { .version = PACKAGE_VERSION, .case_name = opt->case_name,
			   .examiner = opt->examiner, .argc = argc, .argv = argv,
			   .started = now_ticks(), .allowlist = opt->allowlist != NULL };
	int status = EXIT_FATAL;
	if (merge_parts(parts, (const char *const *)why, n, allow, &m, err, sizeof err) != 0) {
		char *safe = term_safe(err);
		fprintf(stderr, "rmmhunt: merge refused: %s\n", safe);
		free(safe);
		reports_abandon(out);
	} else {
		/* What the parts could not read, as a run says it. */
		struct diag *d = diag_new();
		for (size_t i = 0; i < m.inputs.n; i++)
			diag_input(d, &m.inputs.items[i]);
		diag_finish(d);
		for (size_t i = 0; i < m.inputs.n_skipped; i++)
			if (m.inputs.skipped[i].incomplete)
				diag_path(m.inputs.skipped[i].path, "not read",
					  m.inputs.skipped[i].reason);
		for (size_t i = 0; i < m.stories.n_notes; i++) {
			char *safe = term_safe(m.stories.notes[i]);
			fprintf(stderr, "rmmhunt: story: %s\n", safe);
			free(safe);
		}
		run.from = m.opt.from, run.to = m.opt.to;
		run.recovered = m.opt.recovered, run.extended = m.opt.extended;
		run.prefilter = m.prefilter;
		run.inputs = &m.inputs, run.findings = &m.findings, run.stories = &m.stories;
		run.events_out_of_range = m.out_of_range;
		run.traces = m.traces_on ? &m.traces : NULL;
		run.finished = now_ticks();
		struct conclude_options copt = { .neutralise = opt->neutralise, .quiet = opt->quiet };
		status = run_conclude(&run, out, &copt);
		merged_free(&m);
	}
	for (size_t i = 0; i < n; i++) {
		part_free(&parts[i]);
		free(why[i]);
	}
	free(parts);
	free(why);
	return status;
}

/* What a run reads and finds, freed together. */
struct evidence {
	struct input_list inputs;
	struct findings findings;
	struct stories stories;
	struct traces traces;
};

static void evidence_free(struct evidence *ev)
{
	stories_free(&ev->stories);
	traces_free(&ev->traces);
	findings_free(&ev->findings);
	inputs_free(&ev->inputs);
}

/* --tmpdir checked, --password-file read into aopt. Returns 0, or -1
 * having named what is wrong. */
static int reading_options(const struct cli_options *opt, struct archive_options *aopt,
			   char ***passwords)
{
	struct stat st;
	*aopt = (struct archive_options){ .max_member = opt->max_member, .tmpdir = opt->tmpdir };
	*passwords = NULL;
	errno = 0;
	if (opt->tmpdir && (stat(opt->tmpdir, &st) != 0 || !S_ISDIR(st.st_mode) ||
			    access(opt->tmpdir, W_OK | X_OK) != 0)) {
		diag_path(opt->tmpdir, "--tmpdir", errno ? strerror(errno) : "not a folder");
		return -1;
	}
	if (opt->password_file && load_passwords(opt->password_file, aopt, passwords) != 0)
		return -1;
	return 0;
}

/* --tmpdir inside the evidence: refused as a report there is (what is
 * spooled there would change the evidence folder's times), before
 * anything is read. Returns 0, or -1 having said why. */
static int tmpdir_refused(const struct cli_options *opt, const struct input_list *inputs)
{
	if (!opt->tmpdir)
		return 0;
	char file[4096];
	snprintf(file, sizeof file, "%s/rmmhunt-spool", opt->tmpdir);
	const char *what = "";
	const char *why = destination_in_evidence(file, opt->paths, (size_t)opt->n_paths,
						  inputs, &what);
	if (!why)
		return 0;
	char *a = term_safe(opt->tmpdir), *b = term_safe(what);
	fprintf(stderr, "rmmhunt: --tmpdir %s: %s %s; temporary files never go into "
		"evidence: choose a folder elsewhere\n", a, why, b);
	free(a);
	free(b);
	return -1;
}

/* The reading, once the reports are open: images listed, inputs read,
 * findings grouped and allowlisted, traces given their hosts, stories
 * told. A signal ends the reading here, not the run. */
static void read_evidence(struct evidence *ev, struct run *run, const struct cli_options *opt,
			  struct archive_options *aopt, const struct allowlist *allow)
{
	interrupt_catch();
	int64_t deadline = deadline_from_now(opt->deadline);
	struct input_list *in = &ev->inputs;
	for (size_t i = 0; i < in->n_skipped; i++)
		diag_path(in->skipped[i].path, "skipped", in->skipped[i].reason);
	char spool_dir[4096];
	if (spool_dir_make(in, aopt, spool_dir, sizeof spool_dir) == 0)
		aopt->spool_dir = spool_dir;
	discover_images(in, opt, aopt, deadline);
	struct collect c = { &ev->findings, opt->from, opt->to, opt->extended, 0, &ev->traces };
	if (read_inputs(in, opt, aopt, deadline, &c) != 0)
		fputs("rmmhunt: could not start the workers that read the inputs\n", stderr);
	run->events_out_of_range = c.out_of_range;
	uint32_t *perm = input_list_sort(in);
	findings_renumber(&ev->findings, perm);
	traces_renumber(&ev->traces, perm);
	free(perm);
	traces_attribute_hosts(&ev->traces, in, opt->paths, (size_t)opt->n_paths);
	traces_finish(&ev->traces);
	findings_group(&ev->findings);
	allowlist_apply(allow, &ev->findings);
	ev->stories.enabled = opt->story;
	if (opt->story)
		tell_stories(&ev->stories, &ev->findings, in, opt, aopt, deadline);
	if (aopt->spool_dir)
		spool_dir_remove(aopt->spool_dir, 0);
	aopt->spool_dir = NULL;
	run->finished = now_ticks();
}

int main(int argc, char **argv)
{
	struct cli_options opt;
	struct allowlist allow = { 0 };
	struct evidence ev = { 0 };
	struct archive_options aopt;
	char **passwords = NULL;
	int status = EXIT_FATAL;

	/* A file-size limit (ulimit -f) makes a write fail with EFBIG, which
	 * is said and counted as a report not written (exit 8), instead of
	 * killing the run with its reports half written. */
	signal(SIGXFSZ, SIG_IGN);
	switch (cli_parse(argc, argv, &opt)) {
	case CLI_EXIT_OK: return EXIT_CLEAN;
	case CLI_USAGE_ERROR: return EXIT_FATAL;
	case CLI_RUN: break;
	}
	if (!opt.csv && !opt.json && !opt.html && !opt.jsonl && !opt.traces_csv)
		opt.csv = "-";
	if (opt.allowlist && allowlist_load(&allow, opt.allowlist) != 0)
		goto out;
	if (opt.merge) {
		status = merge_main(&opt, &allow, argc, argv);
		goto out;
	}
	if (reading_options(&opt, &aopt, &passwords) != 0)
		goto out;
	struct run run = {
		.version = PACKAGE_VERSION, .case_name = opt.case_name, .examiner = opt.examiner,
		.argc = argc, .argv = argv,
		.started = now_ticks(), .from = opt.from, .to = opt.to,
		.recovered = opt.recovered, .prefilter = opt.prefilter, .extended = opt.extended,
		.allowlist = opt.allowlist != NULL, .inputs = &ev.inputs, .findings = &ev.findings,
		.stories = &ev.stories, .traces = opt.traces ? &ev.traces : NULL,
	};
	ev.inputs.traces = opt.traces;
	ev.inputs.carve = opt.carve;
	inputs_collect(&ev.inputs, opt.paths, (size_t)opt.n_paths);
	struct report_out out[N_REPORTS];
	reports_asked(&opt, out);
	if (tmpdir_refused(&opt, &ev.inputs) == 0 &&
	    reports_open(out, opt.paths, (size_t)opt.n_paths, &ev.inputs) == 0) {
		read_evidence(&ev, &run, &opt, &aopt, &allow);
		struct conclude_options copt = { .neutralise = opt.neutralise, .quiet = opt.quiet };
		status = run_conclude(&run, out, &copt);
	}
	free_passwords(passwords, aopt.n_passwords);
out:
	evidence_free(&ev);
	allowlist_free(&allow);
	return status;
}
