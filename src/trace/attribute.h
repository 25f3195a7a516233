/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* attribute: the host a trace belongs to. A Prefetch file, an Amcache
 * entry or a file on disk does not name its host; the SYSTEM hive beside
 * it does (its ComputerName), and so do the event logs collected with
 * it. */
#ifndef RMMHUNT_ATTRIBUTE_H
#define RMMHUNT_ATTRIBUTE_H

#include <stddef.h>
#include "input.h"
#include "trace.h"

/* Gives each trace that names no host the host of its group (the disk
 * image or archive it was read from, else the named path it was found
 * under): the one computer name the SYSTEM hives of the group hold (live
 * and snapshot copies alike), else the one host its event logs name;
 * and says which in its detail. A trace whose group names none or
 * several keeps no host. */
void traces_attribute_hosts(struct traces *ts, const struct input_list *in,
                            char *const *paths, size_t n_paths);

#endif
