/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* SHA-256 of evidence files, through OpenSSL's libcrypto (SHA-NI where
 * the processor has it), fed by whoever reads the bytes so that a file
 * is read once. */
#ifndef RMMHUNT_HASH_H
#define RMMHUNT_HASH_H

#include <stddef.h>
#include <stdint.h>

struct sha256;   /* opaque; owned by the caller of sha256_new */

/* Loads libcrypto's configuration and the SHA-256 implementation once.
 * Call before forking workers, so that each of them does not read
 * openssl.cnf again (milliseconds a file, which adds up over hundreds). */
void sha256_preload(void);

struct sha256 *sha256_new(void);
void sha256_update(struct sha256 *h, const void *data, size_t n);
/* Writes 64 hex digits and a NUL to hex and frees h. */
void sha256_finish(struct sha256 *h, char hex[65]);

#endif
