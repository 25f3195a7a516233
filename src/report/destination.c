/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "destination.h"

/* The file a write to path would reach, as an absolute path with no
 * links: the path itself resolved when it exists; a dangling link
 * followed to where fopen() would create its target; otherwise the
 * resolved folder and the name. Returns false when the folder does not
 * exist (the write will fail and say so; it cannot land in evidence). */
static bool resolve_output(const char *path, char out[PATH_MAX])
{
	char cur[PATH_MAX];
	snprintf(cur, sizeof cur, "%s", path);
	for (int depth = 0; depth < 16; depth++) {
		struct stat st;
		if (realpath(cur, out))
			return true;
		if (lstat(cur, &st) == 0 && S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t k = readlink(cur, target, sizeof target - 1);
			if (k < 0)
				return false;
			target[k] = '\0';
			if (target[0] == '/') {
				snprintf(cur, sizeof cur, "%s", target);
			} else {
				char *slash = strrchr(cur, '/');
				char dir[PATH_MAX];
				snprintf(dir, sizeof dir, "%.*s",
					 slash ? (int)(slash - cur) : 1, slash ? cur : ".");
				if ((size_t)snprintf(cur, sizeof cur, "%s/%s", dir, target) >= sizeof cur)
					return false;
			}
			continue;
		}
		/* A new file: its folder resolved, then its name. */
		char dir[PATH_MAX], real[PATH_MAX];
		const char *slash = strrchr(cur, '/');
		const char *name = slash ? slash + 1 : cur;
		snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - cur) : 1,
			 slash ? (slash == cur ? "/" : cur) : ".");
		if (!realpath(dir, real))
			return false;
		return (size_t)snprintf(out, PATH_MAX, "%s/%s",
					strcmp(real, "/") == 0 ? "" : real, name) < PATH_MAX;
	}
	return false;
}

/* True when path lies below folder (both absolute, resolved). */
static bool is_below(const char *path, const char *folder)
{
	size_t n = strlen(folder);
	if (n == 1 && folder[0] == '/')
		return true;
	return strncmp(path, folder, n) == 0 && path[n] == '/';
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* The folder of a file, resolved; false when it cannot be. */
static bool folder_of(const char *file, char out[PATH_MAX])
{
	char real[PATH_MAX];
	if (!realpath(file, real))
		return false;
	char *slash = strrchr(real, '/');
	if (slash == real)
		slash[1] = '\0';
	else
		*slash = '\0';
	snprintf(out, PATH_MAX, "%s", real);
	return true;
}

/* One destination against the evidence. Returns the reason, or NULL. */
static const char *against_evidence(const char *target, char *const *paths, size_t n_paths,
				    const struct input_list *inputs, const char **what)
{
	char real[PATH_MAX];
	for (size_t i = 0; i < n_paths; i++) {
		struct stat st;
		if (!realpath(paths[i], real) || stat(real, &st) != 0)
			continue;
		*what = paths[i];
		if (S_ISDIR(st.st_mode) && is_below(target, real))
			return "is inside the input directory";
		if (!S_ISDIR(st.st_mode) && same_file(target, real))
			return "is an input file";
	}
	for (size_t i = 0; i < inputs->n; i++) {
		*what = inputs->items[i].path;
		if (locator_is_plain_file(&inputs->items[i].loc) &&
		    same_file(target, inputs->items[i].path))
			return "is an input file";
	}
	for (size_t i = 0; i < inputs->n_images; i++) {
		*what = inputs->images[i].path;
		if (same_file(target, inputs->images[i].path))
			return "is an input image";
		if (folder_of(inputs->images[i].path, real) && is_below(target, real))
			return "is in the folder of the image";
	}
	return NULL;
}

const char *destination_in_evidence(const char *path, char *const *paths, size_t n_paths,
				    const struct input_list *inputs, const char **what)
{
	char target[PATH_MAX];
	if (!resolve_output(path, target))
		return NULL;
	return against_evidence(target, paths, n_paths, inputs, what);
}

int destinations_check(const struct destination *d, size_t n, char *const *paths,
		       size_t n_paths, const struct input_list *inputs, char *err,
		       size_t errsz)
{
	char target[DESTINATIONS_MAX][PATH_MAX];
	bool known[DESTINATIONS_MAX] = { false };
	if (n > DESTINATIONS_MAX) {
		snprintf(err, errsz, "more than %d report destinations", DESTINATIONS_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!d[i].path)
			continue;
		for (size_t j = 0; j < i; j++) {
			if (!d[j].path)
				continue;
			bool same = strcmp(d[i].path, "-") == 0 || strcmp(d[j].path, "-") == 0 ?
				    strcmp(d[i].path, d[j].path) == 0 :
				    (known[j] && resolve_output(d[i].path, target[i]) &&
				     strcmp(target[i], target[j]) == 0);
			if (same) {
				snprintf(err, errsz, "%s and %s both name %s: each report needs a "
					 "file of its own", d[j].option, d[i].option, d[i].path);
				return -1;
			}
		}
		if (strcmp(d[i].path, "-") == 0 || !resolve_output(d[i].path, target[i]))
			continue;
		known[i] = true;
		const char *what = "";
		const char *why = against_evidence(target[i], paths, n_paths, inputs, &what);
		if (why) {
			snprintf(err, errsz, "%s %s: %s %s; reports never go into evidence: "
				 "write them elsewhere", d[i].option, d[i].path, why, what);
			return -1;
		}
	}
	return 0;
}
