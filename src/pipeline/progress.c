/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* progress: the progress line (progress.h). */
#include <stdio.h>
#include "progress.h"

void progress_show(struct progress *pr, int64_t now)
{
	if (!pr->on)
		return;
	double secs = (double)(now - pr->start) / 1000.0;
	double rate = secs > 0 ? (double)pr->done_bytes / secs : 0;
	char eta[16] = "--:--";
	if (rate > 0) {
		double left = (double)(pr->total_bytes - pr->done_bytes) / rate;
		unsigned s = left < 6000000 ? (unsigned)(left + 0.5) : 5999999;
		snprintf(eta, sizeof eta, "%02u:%02u", s / 60, s % 60);
	}
	int w = fprintf(stderr, "\r[%zu/%zu files] %.1f MB/s, ETA %s",
	                pr->done, pr->total, rate / 1e6, eta);
	if (w > 0 && w - 1 < pr->width)
		fprintf(stderr, "%*s", pr->width - (w - 1), "");
	if (w > 0 && w - 1 > pr->width)
		pr->width = w - 1;
	fflush(stderr);
}

void progress_clear(struct progress *pr)
{
	if (pr->on && pr->width > 0) {
		fprintf(stderr, "\r%*s\r", pr->width, "");
		fflush(stderr);
	}
}
