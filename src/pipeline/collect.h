/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* collect: the first stage, the paths the user named expanded into an
 * input list (locate/input.h), by signature. */
#ifndef RMMHUNT_COLLECT_H
#define RMMHUNT_COLLECT_H

#include <stddef.h>
#include "input.h"

/* Expands each path: a file is taken when it starts with the EVTX
 * signature, or kept in list->images when a disk image format bids for
 * it (its logs are listed later, by a worker: see discover.h); a
 * directory is walked recursively (symbolic links are not followed below
 * the top) and its files sorted by path so that the order, and so the
 * output, never depends on the file system. The same image named twice
 * is read once. */
void inputs_collect(struct input_list *list, char *const paths[], size_t n);

#endif
