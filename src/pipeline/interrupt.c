/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* interrupt: see interrupt.h. */
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include "interrupt.h"

/* The one piece of mutable state rmmhunt keeps outside its values: a
 * signal handler can only tell the rest of the program through memory
 * like this (a sig_atomic_t it sets and the worker pool reads between
 * polls). 0 while no signal came. */
static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

void interrupt_catch(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction sa, old;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		/* the handler runs once: the next such signal has its default
		 * action and ends the run */
		sa.sa_flags = SA_RESETHAND;
		sigemptyset(&sa.sa_mask);
		/* a signal ignored when rmmhunt started (nohup) stays ignored */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

const char *interrupt_reason(void)
{
	switch (caught) {
	case 0: return NULL;
	case SIGINT: return "SIGINT";
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "SIGHUP";
	default: return "a signal";
	}
}
