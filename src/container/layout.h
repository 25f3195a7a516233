/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* layout: the Windows path a triage collection's member was collected
 * from, read off the member's own path, so that provenance names
 * C:\Windows\System32\winevt\Logs\... and not only what the collector
 * made of it:
 *
 *   Velociraptor  uploads/<accessor>/<components>, each percent-escaped
 *                 (C%3A, %5C%5C.%5CC%3A for \\.\C:, a shadow copy's
 *                 \\?\GLOBALROOT\Device\HarddiskVolumeShadowCopyN)
 *   KAPE, CyLR    <...>/C/Windows/...: the drive letter without its colon
 *
 * A member path that fits neither has no original path. */
#ifndef RMMHUNT_LAYOUT_H
#define RMMHUNT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

/* The original Windows path of member into out (outsz bytes, cut when
 * longer); *snapshot set when it was read from a volume shadow copy.
 * Returns false (out "") when member fits no known layout. */
bool layout_original_path(const char *member, char *out, size_t outsz, bool *snapshot);

#endif
