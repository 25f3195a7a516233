/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "conclude.h"
#include "verdict.h"
#include "destination.h"
#include "diag.h"
#include "escape.h"
#include "hosts.h"
#include "strbuf.h"
#include "timefmt.h"

static void drop_temp(struct report_out *out)
{
	if (out->temp)
		unlink(out->temp);
	free(out->temp);
	out->temp = NULL;
}

void reports_abandon(struct report_out out[N_REPORTS])
{
	for (int k = 0; k < N_REPORTS; k++) {
		if (out[k].f && out[k].f != stdout) {
			fclose(out[k].f);
			if (out[k].created && !out[k].temp)
				unlink(out[k].path);
		}
		drop_temp(&out[k]);
		out[k].f = NULL;
	}
}

/* A temporary file beside path (".NAME.rmmhunt-XXXXXX" in its folder, so
 * that the rename is within one file system), with the mode a new file
 * would have had; NULL with errno set. */
static FILE *open_temp(const char *path, char **temp)
{
	const char *slash = strrchr(path, '/');
	struct strbuf sb = { 0 };
	sb_printf(&sb, "%.*s.%s.rmmhunt-XXXXXX", slash ? (int)(slash - path + 1) : 0, path,
		  slash ? slash + 1 : path);
	char *t = sb_take(&sb);
	int fd = mkstemp(t);
	if (fd < 0) {
		int e = errno;
		free(t);
		errno = e;
		return NULL;
	}
	mode_t mask = umask(0);
	umask(mask);
	FILE *f = fchmod(fd, 0666 & ~mask) == 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		int e = errno;
		close(fd);
		unlink(t);
		free(t);
		errno = e;
		return NULL;
	}
	*temp = t;
	return f;
}

/* Opens every asked-for report: a new or regular file through a temporary
 * file beside it, anything else (a device, a FIFO, a link) in place.
 * Returns 0, or -1 having named the path that cannot be written and
 * removed the files it had created. */
static int open_all(struct report_out out[N_REPORTS])
{
	for (int k = 0; k < N_REPORTS; k++) {
		if (!out[k].path)
			continue;
		if (strcmp(out[k].path, "-") == 0) {
			out[k].f = stdout;
			continue;
		}
		struct stat st;
		bool exists = lstat(out[k].path, &st) == 0;
		out[k].created = !exists;
		out[k].temp = NULL;
		if (!exists || S_ISREG(st.st_mode))
			out[k].f = open_temp(out[k].path, &out[k].temp);
		else
			out[k].f = fopen(out[k].path, "w");
		if (!out[k].f) {
			diag_path(out[k].path, "cannot write", strerror(errno));
			reports_abandon(out);
			return -1;
		}
	}
	return 0;
}

int reports_open(struct report_out out[N_REPORTS], char *const *paths, size_t n_paths,
		 const struct input_list *inputs)
{
	static const char *const option[N_REPORTS] = {
		[REPORT_CSV] = "--csv", [REPORT_JSON] = "--json", [REPORT_HTML] = "--html",
		[REPORT_JSONL] = "--jsonl", [REPORT_TRACES] = "--traces-csv",
	};
	struct destination d[N_REPORTS];
	for (int k = 0; k < N_REPORTS; k++)
		d[k] = (struct destination){ option[k], out[k].path };
	char err[2 * 4096 + 256];
	if (destinations_check(d, N_REPORTS, paths, n_paths, inputs, err, sizeof err) != 0) {
		char *safe = term_safe(err);
		fprintf(stderr, "rmmhunt: %s\n", safe);
		free(safe);
		return -1;
	}
	return open_all(out);
}


static int write_report(struct report_out *out, enum report_kind kind, const struct run *run,
			const struct conclude_options *opt)
{
	if (!out->f)
		return 0;
	struct csv_options copt = { .neutralise = opt->neutralise };
	int rc = kind == REPORT_CSV ? report_csv(out->f, run, &copt) :
		 kind == REPORT_JSON ? report_json(out->f, run) :
		 kind == REPORT_JSONL ? report_jsonl(out->f, run) :
		 kind == REPORT_TRACES ? report_traces_csv(out->f, run, &copt) :
		 report_html(out->f, run);
	int e = 0;
	if (fflush(out->f) != 0 || ferror(out->f))
		rc = -1, e = errno;
	if (out->f != stdout && fclose(out->f) != 0 && rc == 0)
		rc = -1, e = errno;
	out->f = NULL;
	/* whole: into place; else the old report (or none) stays, never a
	 * cut one */
	if (rc == 0 && out->temp && rename(out->temp, out->path) != 0)
		rc = -1, e = errno;
	drop_temp(out);
	if (rc != 0)
		diag_path(out->path, "cannot write", strerror(e ? e : errno));
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
	uint64_t records = 0, status[3] = { 0 }, recovered = 0, spooled = 0, n_spooled = 0;
	uint64_t n_images_spooled = 0;

	for (size_t i = 0; i < in->n; i++) {
		records += in->items[i].records + in->items[i].recovered;
		status[in->items[i].status]++;
		spooled += in->items[i].spooled;
		n_spooled += in->items[i].spooled > 0;
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
	for (size_t i = 0; i < in->n_images; i++) {
		spooled += in->images[i].spooled;
		n_images_spooled += in->images[i].spooled > 0;
	}
	if (n_spooled || n_images_spooled)
		fprintf(stderr, "rmmhunt: %.1f MiB of archive members copied once to temporary "
			"files in --tmpdir to be read back (%llu log%s; disk images inside %llu "
			"archive%s)\n", (double)spooled / (1 << 20), (unsigned long long)n_spooled,
			n_spooled == 1 ? "" : "s", (unsigned long long)n_images_spooled,
			n_images_spooled == 1 ? "" : "s");
	if (run->events_out_of_range)
		fprintf(stderr, "rmmhunt: %llu matching events outside --from/--to left out\n",
			(unsigned long long)run->events_out_of_range);
}

/* Each disk image or archive that yielded nothing checked, named: its
 * machine has no host name to call blind, and must not pass for clean.
 * Said only in a run that checked something else (one that checked
 * nothing says so once). */
static void say_empty_images(const struct input_list *inputs)
{
	if (input_list_checked(inputs) == 0)
		return;
	for (size_t i = 0; i < inputs->n_images; i++)
		if (input_list_image_empty(inputs, i))
			diag_path(inputs->images[i].path, "nothing checked", inputs->images[i].format &&
				  inputs->images[i].format->listed ? "no event log (nor other evidence rmmhunt reads) in "
				  "this archive: what it came from is not checked" :
				  "no event log (nor other evidence rmmhunt reads) in this disk image: "
				  "its machine is not checked");
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
		diag_path(blind[i], "host not checked", inputs->interrupted
			  ? "no Sysmon Event ID 7 (image loaded) in the inputs read before the "
			    "run was interrupted: not read in full, not a clean host"
			  : "no Sysmon Event ID 7 (image loaded) in any of its inputs: a blind "
			    "spot, not a clean host");
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
			fprintf(stderr, "  %-28s %s: no Sysmon Event ID 7 in its %zu log%s%s\n",
				name, run->inputs->interrupted ? "not read in full" : "blind spot",
				v->inputs, v->inputs == 1 ? "" : "s",
				run->inputs->interrupted ? " read before the interruption" : "");
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

#define SAY_RAN 10

/* Each host whose logs were cleared or whose Sysmon configuration
 * changed: why it may show nothing. */
static void say_cleared(const struct verdicts *vs)
{
	size_t said = 0;
	for (size_t i = 0; i < vs->n; i++) {
		const struct host_verdict *h = &vs->v[i];
		if (!h->cleared || said++ >= SAY_RAN)
			continue;
		char last[TIME_TEXT_SIZE];
		time_format(h->cleared_last, last);
		char *name = term_safe(*h->host ? h->host : "(no host named)");
		fprintf(stderr, "rmmhunt: %s: %s: a log cleared or Sysmon's configuration changed "
			"%zu time%s, last %s: what came before may be gone (--traces-csv lists "
			"them)\n", name, verdict_name(h->verdict), h->cleared,
			h->cleared == 1 ? "" : "s", *last ? last : "unknown");
		free(name);
	}
}

/* Each host of no trace whose Sysmon log ends long before its other
 * logs: the time after was not seen. */
static void say_stale(const struct verdicts *vs)
{
	size_t said = 0;
	for (size_t i = 0; i < vs->n; i++) {
		const struct host_verdict *h = &vs->v[i];
		if (!h->stale || said++ >= SAY_RAN)
			continue;
		char a[TIME_TEXT_SIZE], b[TIME_TEXT_SIZE];
		time_format(h->sysmon_last, a);
		time_format(h->logs_last, b);
		char *name = term_safe(h->host);
		fprintf(stderr, "rmmhunt: %s: no trace, but its Sysmon log ends %s, %lld days "
			"before its other logs (%s): what came after was not seen, not clean\n",
			name, a, (long long)((h->logs_last - h->sysmon_last) / VERDICT_DAY_TICKS), b);
		free(name);
	}
}

/* Each host that ran NetSupport where no image load shows it, named with
 * what shows it; then every verdict counted. */
static void say_verdicts(const struct verdicts *vs)
{
	size_t said = 0;
	for (size_t i = 0; i < vs->n; i++) {
		const struct host_verdict *h = &vs->v[i];
		bool ran = h->verdict == VERDICT_RAN;
		if ((!ran && h->verdict != VERDICT_PRESENT) || said++ >= SAY_RAN)
			continue;
		char last[TIME_TEXT_SIZE];
		time_format(h->last, last);
		char *name = term_safe(*h->host ? h->host : "(no host named: loose artifacts)");
		fprintf(stderr, "rmmhunt: %s: %s: %zu trace%s of NetSupport's client outside "
			"Program Files (%s), last %s; %s (--traces-csv lists them)\n", name,
			ran ? "ran" : "present", h->traces, h->traces == 1 ? "" : "s", h->kinds,
			*last ? last : "unknown", ran ? "no image load of it seen" :
			"files on disk, no sign that it ran");
		free(name);
	}
	if (said > SAY_RAN)
		fprintf(stderr, "rmmhunt: ... and %zu more hosts that ran it or hold it (the JSON "
			"lists them: verdicts)\n", said - SAY_RAN);
	say_cleared(vs);
	say_stale(vs);
	if (vs->interrupted)
		fprintf(stderr, "rmmhunt: %zu host%s not checked: the run was interrupted "
			"before every input was read, and nothing in what was read shows "
			"NetSupport on %s\n", vs->interrupted, vs->interrupted == 1 ? "" : "s",
			vs->interrupted == 1 ? "it" : "them");
	fprintf(stderr, "rmmhunt: host verdicts: %zu loaded, %zu ran, %zu present, %zu no "
		"trace%s, %zu not checked\n", vs->count[VERDICT_LOADED], vs->count[VERDICT_RAN],
		vs->count[VERDICT_PRESENT], vs->count[VERDICT_NO_TRACE],
		vs->stale ? " (some with a Sysmon log that ends early)" : "",
		vs->count[VERDICT_NOT_CHECKED]);
}

static int exit_status(const struct run *run, size_t blind_hosts)
{
	int status = EXIT_CLEAN;
	const struct findings *f = run->findings;
	if (f->n_rows > f->suppressed_rows)
		status |= EXIT_FINDINGS;
	if (run->verdicts && (run->verdicts->count[VERDICT_RAN] ||
			      run->verdicts->count[VERDICT_PRESENT]))
		status |= EXIT_TRACES;
	if (blind_hosts || (run->verdicts && run->verdicts->stale))
		status |= EXIT_INCOMPLETE;
	/* No log at all under the named paths is "could not check", never
	 * "clean": a wrong path, an empty folder, an image with no logs
	 * (alone, or beside inputs that were checked). */
	if (input_list_checked(run->inputs) == 0 || run->inputs->interrupted ||
	    input_list_empty_images(run->inputs) ||
	    input_list_not_read(run->inputs) ||
	    input_list_images_not_whole(run->inputs))
		status |= EXIT_INCOMPLETE;
	for (size_t i = 0; i < run->inputs->n; i++)
		if (run->inputs->items[i].status != INPUT_OK)
			status |= EXIT_INCOMPLETE;
	return status;
}


int run_conclude(const struct run *given, struct report_out out[N_REPORTS],
		 const struct conclude_options *opt)
{
	/* The verdicts, once, for the exit status, the summary and every
	 * report. */
	struct run r = *given;
	const struct run *run = &r;
	struct verdicts vs = { 0 };
	if (r.traces) {
		verdicts_build(&vs, &r);
		r.verdicts = &vs;
	}
	const struct input_list *inputs = run->inputs;
	int status = exit_status(run, say_blind_hosts(inputs));
	say_empty_images(inputs);
	if (inputs->interrupted)
		say_interrupted(inputs);
	else if (inputs->n == 0)
		fputs("rmmhunt: nothing readable under the named paths: no EVTX log was found, "
		      "so nothing was checked\n", stderr);
	else if (input_list_checked(inputs) == 0)
		fputs("rmmhunt: nothing was checked: no input could be read, and carving found "
		      "no chunk\n", stderr);
	int failed = 0;
	for (int k = 0; k < N_REPORTS; k++)
		failed += write_report(&out[k], (enum report_kind)k, run, opt) != 0;
	if (failed)
		status = EXIT_FATAL;
	if (!opt->quiet)
		print_summary(run);
	if (!opt->quiet && run->verdicts)
		say_verdicts(run->verdicts);
	if (!opt->quiet && isatty(STDERR_FILENO))
		print_hosts(run);
	verdicts_free(&vs);
	return status;
}
