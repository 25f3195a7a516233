#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "input.h"
#include "strbuf.h"
#include "timefmt.h"

const char *input_status_name(enum input_status s)
{
	switch (s) {
	case INPUT_OK: return "ok";
	case INPUT_PARTIAL: return "partial";
	default: return "failed";
	}
}

void input_note(struct input *in, enum input_status status, const char *fmt, ...)
{
	struct strbuf sb = { 0 };
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (in->reason) {
		sb_puts(&sb, in->reason);
		sb_puts(&sb, "; ");
		free(in->reason);
	}
	sb_puts(&sb, buf);
	in->reason = sb_take(&sb);
	if (status > in->status)
		in->status = status;
}

void input_add_computer(struct input *in, const char *name)
{
	for (size_t i = 0; i < in->n_computers; i++)
		if (strcmp(in->computers[i], name) == 0)
			return;
	in->computers = xrealloc(in->computers,
				 (in->n_computers + 1) * sizeof *in->computers);
	in->computers[in->n_computers++] = xstrdup(name);
}

void input_add_time(struct input *in, int64_t t)
{
	if (t == TIME_NONE || t == 0)   /* 0: no time written */
		return;
	if (in->first_time == TIME_NONE || t < in->first_time)
		in->first_time = t;
	if (in->last_time == TIME_NONE || t > in->last_time)
		in->last_time = t;
}

void input_clear(struct input *in)
{
	free(in->path);
	free(in->reason);
	for (size_t i = 0; i < in->n_computers; i++)
		free(in->computers[i]);
	free(in->computers);
	memset(in, 0, sizeof *in);
}

static void add_skipped(struct input_list *l, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_skipped(struct input_list *l, const char *path, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (l->n_skipped == l->cap_skipped) {
		l->cap_skipped = l->cap_skipped ? 2 * l->cap_skipped : 8;
		l->skipped = xrealloc(l->skipped, l->cap_skipped * sizeof *l->skipped);
	}
	l->skipped[l->n_skipped++] = (struct skipped){ xstrdup(path), xstrdup(buf) };
}

static void add_input(struct input_list *l, const char *path, bool named, uint64_t size)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->items = xrealloc(l->items, l->cap * sizeof *l->items);
	}
	struct input *in = &l->items[l->n++];
	memset(in, 0, sizeof *in);
	in->path = xstrdup(path);
	in->named = named;
	in->size = size;
	in->first_time = in->last_time = TIME_NONE;
}

/* 1 when the file starts with "ElfFile\0", 0 when not, -1 when it cannot
 * be read (errno set). */
static int has_evtx_signature(const char *path)
{
	static const char sig[8] = "ElfFile";
	char buf[8];
	int fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf);
	int saved = errno;
	close(fd);
	errno = saved;
	if (n < 0)
		return -1;
	return n == sizeof buf && memcmp(buf, sig, sizeof sig) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect(struct input_list *l, const char *path, bool named);

static void walk_dir(struct input_list *l, const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		add_skipped(l, path, "cannot open directory: %s", strerror(errno));
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			names = xrealloc(names, cap * sizeof *names);
		}
		struct strbuf sb = { 0 };
		sb_printf(&sb, "%s%s%s", path,
			  path[strlen(path) - 1] == '/' ? "" : "/", de->d_name);
		names[n++] = sb_take(&sb);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		collect(l, names[i], false);
		free(names[i]);
	}
	free(names);
}

static void collect(struct input_list *l, const char *path, bool named)
{
	struct stat st;
	/* Links are followed only where the user named them. */
	int rc = named ? stat(path, &st) : lstat(path, &st);
	if (rc != 0) {
		add_skipped(l, path, "%s", strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		walk_dir(l, path);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		if (named)
			add_skipped(l, path, "not a regular file");
		else
			l->ignored_non_evtx++;
		return;
	}
	int sig = has_evtx_signature(path);
	if (sig < 0)
		add_skipped(l, path, "cannot read: %s", strerror(errno));
	else if (sig == 0 && named)
		add_skipped(l, path, "not an EVTX file (no ElfFile signature)");
	else if (sig == 0)
		l->ignored_non_evtx++;
	else
		add_input(l, path, named, (uint64_t)st.st_size);
}

void inputs_collect(struct input_list *list, char *const paths[], size_t n)
{
	for (size_t i = 0; i < n; i++)
		collect(list, paths[i], true);
}

void inputs_free(struct input_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		input_clear(&list->items[i]);
	free(list->items);
	for (size_t i = 0; i < list->n_skipped; i++) {
		free(list->skipped[i].path);
		free(list->skipped[i].reason);
	}
	free(list->skipped);
	memset(list, 0, sizeof *list);
}
