/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* authenticode: who signed a PE file (an .exe or a .dll), read from its
 * certificate table (the security entry of the optional header's data
 * directories) with OpenSSL: the PKCS#7 SignedData's signer certificate
 * and its subject's common name, the name Sysmon's Signature field
 * shows. The chain is not verified and the file's hash is not checked
 * against the signature: a name, not a proof, and the traces say so. */
#ifndef RMMHUNT_AUTHENTICODE_H
#define RMMHUNT_AUTHENTICODE_H

#include <stddef.h>
#include "source.h"

/* What pe_signer() found. */
enum pe_signed {
	PE_NOT_PE = -2,         /* no PE headers: why says what is missing */
	PE_UNREADABLE = -1,     /* a certificate table OpenSSL cannot read */
	PE_UNSIGNED = 0,        /* a PE file with no certificate table */
	PE_SIGNED = 1,          /* *signer set */
};

/* The signer of the PE file in src (borrowed). *signer: a new string
 * (the subject's common name, else its organisation, else its one-line
 * form) when PE_SIGNED, NULL otherwise; why (whysz bytes) says what was
 * wrong for PE_NOT_PE and PE_UNREADABLE. Never reads more than the
 * headers and a certificate table of at most 1 MiB. */
enum pe_signed pe_signer(struct source *src, char **signer, char *why, size_t whysz);

#endif
