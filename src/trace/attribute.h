/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* attribute: the host a trace belongs to. A Prefetch file does not name
 * its host; the event logs collected with it do. */
#ifndef RMMHUNT_ATTRIBUTE_H
#define RMMHUNT_ATTRIBUTE_H

#include <stddef.h>
#include "input.h"
#include "trace.h"

/* Gives each trace that names no host the host the event logs under the
 * same named path (a collection's folder, an archive, an image) name,
 * when they name exactly one, and says so in its detail; a trace whose
 * logs name none or several keeps no host. */
void traces_attribute_hosts(struct traces *ts, const struct input_list *in,
                            char *const *paths, size_t n_paths);

#endif
