/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The last part of a path. Windows paths from the evidence use '\';
 * paths of this machine, and of archives, use '/'. */
#ifndef RMMHUNT_PATH_H
#define RMMHUNT_PATH_H

#include <stdbool.h>

/* What follows the last '\' of a Windows path: a pointer into path, or
 * path itself when it has none; "" for NULL. */
const char *path_base_win(const char *path);

/* The same, after the last '\' or '/', whichever is later: for a name
 * that may come from either world (a file in an image or a loose copy). */
const char *path_base_any(const char *path);

/* Whether path's last part is named as a log is (*.evtx, any case). */
bool path_is_log_name(const char *path);

#endif
