/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include "authenticode.h"
#include "le.h"
#include "strbuf.h"

#define CERT_TABLE_MAX (1u << 20)   /* real ones are a few KiB */
#define WIN_CERT_TYPE_PKCS_SIGNED_DATA 0x0002

/* The certificate table's place and size from the PE headers: 0 with
 * *off, *len set (len 0: none), or PE_NOT_PE with why. */
static int cert_table(struct source *src, uint32_t *off, uint32_t *len, char *why,
		      size_t whysz)
{
	uint8_t dos[64], hdr[24 + 240];
	if (source_read(src, 0, dos, sizeof dos) != (ssize_t)sizeof dos ||
	    memcmp(dos, "MZ", 2) != 0) {
		source_set_err(why, whysz, "no MZ header");
		return PE_NOT_PE;
	}
	uint32_t pe = le32(dos + 0x3c);
	ssize_t got = source_read(src, pe, hdr, sizeof hdr);
	if (got < 24 + 2 || memcmp(hdr, "PE\0\0", 4) != 0) {
		source_set_err(why, whysz, "no PE header at offset %u", pe);
		return PE_NOT_PE;
	}
	uint16_t opt_size = le16(hdr + 20), magic = le16(hdr + 24);
	/* the data directories follow the fixed part of the optional header:
	 * 96 bytes in PE32, 112 in PE32+; the count of them just before */
	size_t dirs = magic == 0x10b ? 96 : magic == 0x20b ? 112 : 0;
	if (!dirs || opt_size < dirs + 5 * 8 || (size_t)got < 24 + dirs + 5 * 8 ||
	    le32(hdr + 24 + dirs - 4) < 5) {
		source_set_err(why, whysz, "no security entry in the PE optional header");
		return PE_NOT_PE;
	}
	*off = le32(hdr + 24 + dirs + 4 * 8);
	*len = le32(hdr + 24 + dirs + 4 * 8 + 4);
	return 0;
}

/* The subject's common name, else organisation, else one line. */
static char *subject_name(X509 *cert)
{
	X509_NAME *name = X509_get_subject_name(cert);
	static const int nids[] = { NID_commonName, NID_organizationName };
	for (size_t i = 0; name && i < sizeof nids / sizeof *nids; i++) {
		int at = X509_NAME_get_index_by_NID(name, nids[i], -1);
		unsigned char *utf8 = NULL;
		if (at < 0 || ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(
				 X509_NAME_get_entry(name, at))) < 0)
			continue;
		char *s = xstrdup((const char *)utf8);
		OPENSSL_free(utf8);
		return s;
	}
	char line[256];
	return xstrdup(name ? X509_NAME_oneline(name, line, sizeof line) : "(no subject)");
}

/* The signer of the PKCS#7 SignedData in der (len bytes). */
static enum pe_signed signer_of(const uint8_t *der, long len, char **signer, char *why,
				size_t whysz)
{
	const unsigned char *p = der;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, len);
	STACK_OF(X509) *signers = p7 && PKCS7_type_is_signed(p7) ?
				  PKCS7_get0_signers(p7, NULL, 0) : NULL;
	enum pe_signed rc = PE_UNREADABLE;
	if (signers && sk_X509_num(signers) > 0) {
		*signer = subject_name(sk_X509_value(signers, 0));
		rc = PE_SIGNED;
	} else {
		source_set_err(why, whysz, "%s", !p7 ? "certificate table is not PKCS#7" :
			       !PKCS7_type_is_signed(p7) ? "PKCS#7 is not SignedData" :
			       "no signer certificate in the SignedData");
	}
	sk_X509_free(signers);
	PKCS7_free(p7);
	ERR_clear_error();
	return rc;
}

enum pe_signed pe_signer(struct source *src, char **signer, char *why, size_t whysz)
{
	uint32_t off = 0, len = 0;
	*signer = NULL;
	int rc = cert_table(src, &off, &len, why, whysz);
	if (rc != 0)
		return (enum pe_signed)rc;
	if (len == 0 && off == 0)
		return PE_UNSIGNED;
	/* WIN_CERTIFICATE: dwLength, wRevision, wCertificateType, then the
	 * certificate itself */
	uint8_t head[8];
	if (len < sizeof head || len > CERT_TABLE_MAX || (uint64_t)off + len > src->size ||
	    source_read(src, off, head, sizeof head) != (ssize_t)sizeof head) {
		source_set_err(why, whysz, "certificate table of %u bytes at offset %u lies "
			       "outside the file or is too large", len, off);
		return PE_UNREADABLE;
	}
	uint32_t n = le32(head);
	if (n < sizeof head || n > len || le16(head + 6) != WIN_CERT_TYPE_PKCS_SIGNED_DATA) {
		source_set_err(why, whysz, "certificate table entry of type %u and %u bytes is "
			       "not a PKCS#7 signature", le16(head + 6), n);
		return PE_UNREADABLE;
	}
	uint8_t *der = xmalloc(n - sizeof head + 1);
	if (source_read(src, off + sizeof head, der, n - sizeof head) !=
	    (ssize_t)(n - sizeof head)) {
		source_set_err(why, whysz, "certificate table could not be read: %s", src->err);
		free(der);
		return PE_UNREADABLE;
	}
	enum pe_signed r = signer_of(der, (long)(n - sizeof head), signer, why, whysz);
	free(der);
	return r;
}
