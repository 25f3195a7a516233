/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* zipcat: member N of a zip, read the way rmmhunt reads it (libarchive,
 * or the project's Deflate64 decoder where libarchive cannot), written
 * to standard output, for tests/deflate64.test to compare with 7-Zip's
 * own extraction. With no N, the entries: index, method, size, name. */
#include <stdio.h>
#include <stdlib.h>
#include "archives.h"
#include "zipdir.h"

static int list(struct source *file, const struct zip_dir *d)
{
	(void)file;
	for (size_t i = 0; i < d->n; i++)
		printf("%zu %u %llu %s\n", i, d->v[i].method, (unsigned long long)d->v[i].usize,
		       d->v[i].name);
	return 0;
}

int main(int argc, char **argv)
{
	char err[SOURCE_ERR_MAX * 2];
	struct zip_dir d;
	if (argc < 2) {
		fprintf(stderr, "usage: zipcat ZIP [INDEX]\n");
		return 2;
	}
	struct source *file = source_file_open(argv[1], err, sizeof err);
	if (!file || zip_dir_read(file, &d, err, sizeof err) != 0) {
		fprintf(stderr, "zipcat: %s: %s\n", argv[1], err);
		return 1;
	}
	if (argc < 3) {
		list(file, &d);
		zip_dir_free(&d);
		source_close(file);
		return 0;
	}
	size_t index = strtoul(argv[2], NULL, 10);
	if (index >= d.n) {
		fprintf(stderr, "zipcat: no entry %zu\n", index);
		return 1;
	}
	uint64_t size = d.v[index].usize;
	zip_dir_free(&d);
	struct source *m = archive_member_open(file, true, index, size, NULL, err, sizeof err);
	if (!m) {
		fprintf(stderr, "zipcat: %s\n", err);
		return 1;
	}
	static unsigned char buf[1 << 16];
	int rc = 0;
	for (uint64_t off = 0; off < size;) {
		ssize_t k = source_read(m, off, buf, sizeof buf);
		if (k <= 0) {
			fprintf(stderr, "zipcat: byte %llu: %s\n", (unsigned long long)off,
				k < 0 ? m->err : "ends early");
			rc = 1;
			break;
		}
		fwrite(buf, 1, (size_t)k, stdout);
		off += (uint64_t)k;
	}
	source_close(m);
	return rc;
}
