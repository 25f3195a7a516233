/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include "path.h"

#include <string.h>

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
