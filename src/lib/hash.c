/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include "hash.h"

struct sha256 {
	EVP_MD_CTX *ctx;
};

void sha256_preload(void)
{
	char hex[65];
	sha256_finish(sha256_new(), hex);
}

struct sha256 *sha256_new(void)
{
	struct sha256 *h = malloc(sizeof *h);
	if (!h || !(h->ctx = EVP_MD_CTX_new()) ||
	    EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
		fputs("rmmhunt: cannot set up SHA-256 (libcrypto)\n", stderr);
		exit(8);
	}
	return h;
}

void sha256_update(struct sha256 *h, const void *data, size_t n)
{
	EVP_DigestUpdate(h->ctx, data, n);
}

void sha256_finish(struct sha256 *h, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	EVP_DigestFinal_ex(h->ctx, md, &len);
	for (unsigned i = 0; i < len && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
	EVP_MD_CTX_free(h->ctx);
	free(h);
}
