/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The error text of a libyal library (libewf, libvmdk, libvhdi, libqcow,
 * libvshadow): each has its own error type and functions, the same in
 * all but the prefix. Internal to src/container. */
#ifndef RMMHUNT_YAL_ERROR_H
#define RMMHUNT_YAL_ERROR_H

#include <string.h>
#include "source.h"

/* The innermost line of a libyal error backtrace: the most specific. */
#define YAL_ERROR_TEXT(prefix) \
	static void prefix##_err(prefix##_error_t **e, const char *what, char *err, \
				 size_t errsz) \
	{ \
		char full[1024] = ""; \
		if (e && *e) { \
			prefix##_error_backtrace_sprint(*e, full, sizeof full); \
			prefix##_error_free(e); \
		} \
		full[strcspn(full, "\n")] = '\0'; \
		source_set_err(err, errsz, "%s%s%s", what, *full ? ": " : "", full); \
	}

#endif
