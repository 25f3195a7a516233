/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* A growable byte string. Out of memory is fatal: rmmhunt cannot report
 * honestly without the memory to hold what it found. */
#ifndef RMMHUNT_STRBUF_H
#define RMMHUNT_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct strbuf {
	char *data;   /* NUL-terminated when len > 0 or after any append */
	size_t len;
	size_t cap;
};

void sb_append(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Returns the string and leaves sb empty; the caller frees it. */
char *sb_take(struct strbuf *sb);
void sb_free(struct strbuf *sb);
/* Writes sb to out and empties it once it holds at least min bytes (0:
 * whatever it holds): a report is written in pieces, never held whole. */
void sb_flush_to(struct strbuf *sb, FILE *out, size_t min);
/* The min every report writer hands sb_flush_to (and the HTML's flush):
 * large enough that writes are few, small beside a run's own data. */
#define SB_PIECE ((size_t)1 << 16)

/* Allocation that exits with a message when memory runs out. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
