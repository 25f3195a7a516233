/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include "path.h"

#include <string.h>
#include <strings.h>

const char *path_base_win(const char *path)
{
	if (!path)
		return "";
	const char *s = strrchr(path, '\\');
	return s ? s + 1 : path;
}

const char *path_base_any(const char *path)
{
	if (!path)
		return "";
	const char *a = strrchr(path, '\\'), *b = strrchr(path, '/');
	const char *s = a > b ? a : b;
	return s ? s + 1 : path;
}

bool path_is_log_name(const char *path)
{
	const char *base = path_base_any(path);
	size_t n = strlen(base);
	return n > 5 && strcasecmp(base + n - 5, ".evtx") == 0;
}
