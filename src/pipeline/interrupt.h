/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* interrupt: SIGINT, SIGTERM and SIGHUP end the reading, not the run.
 *
 * A responder who presses Ctrl-C after an hour, or a batch system that
 * sends SIGTERM at its own deadline, must still get the reports of what
 * was read: the workers are stopped, the files not read in full are
 * marked interrupted, and every report is written (worker.h). A second
 * signal of the same kind ends the run at once, as it would have. */
#ifndef RMMHUNT_INTERRUPT_H
#define RMMHUNT_INTERRUPT_H

/* Installs the handlers (once a run has reports to write). */
void interrupt_catch(void);

/* Why the run is to stop ("SIGINT", "SIGTERM", "SIGHUP"), or NULL while
 * no signal came. Async-signal-safe to call; the string is static. */
const char *interrupt_reason(void);

#endif
