/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <libevtx.h>
#include <libbfio.h>
#include <openssl/crypto.h>
#include <jansson.h>
#include <zlib.h>
#include <string.h>
#include "archives.h"
#include "versions.h"
#include "volume.h"
#include "image.h"
#ifdef HAVE_LIBVSHADOW
#include <libvshadow.h>
#endif
#include "scca_api.h"
#ifdef HAVE_LIBREGF
#include <libregf.h>
#endif

/* One row a library: name, version call, built in or not, what it
 * reads. An optional library left out has a NULL version. */
#ifdef HAVE_LIBVSHADOW
#define V_VSHADOW libvshadow_get_version()
#define B_VSHADOW true
#else
#define V_VSHADOW NULL
#define B_VSHADOW false
#endif

#ifdef HAVE_LIBSCCA
#define V_SCCA scca_api_version(&scca_why)
#define B_SCCA true
#else
#define V_SCCA NULL
#define B_SCCA false
#endif

#ifdef HAVE_LIBREGF
#define V_REGF libregf_get_version()
#define B_REGF true
#else
#define V_REGF NULL
#define B_REGF false
#endif

/* The image formats' libraries go between these two lists, from the
 * formats' table (image.h). */
#define LIBRARIES_FIRST(X) \
	X("libevtx", libevtx_get_version(), true, "EVTX records", NULL) \
	X("libbfio", libbfio_get_version(), true, "file access for libyal", NULL)
#define LIBRARIES(X) \
	X("libvshadow", V_VSHADOW, B_VSHADOW, "volume shadow copies", NULL) \
	X("libscca", V_SCCA, B_SCCA, "Prefetch files", scca_why) \
	X("libregf", V_REGF, B_REGF, "Amcache hives", NULL) \
	X("libarchive", archive_library_version(), true, "triage archives", NULL) \
	X("zlib", zlibVersion(), true, "Deflate64 members' CRC-32", NULL) \
	X("jansson", jansson_version_str(), true, "parts read by merge", NULL) \
	X("libtsk", volume_tsk_version(tsk_err, tsk_errsz), true, "partitions and NTFS", tsk_err) \
	X("OpenSSL", OpenSSL_version(OPENSSL_VERSION_STRING), true, "hashing", NULL)

/* Each image format's library, once (VHD and VHDX share libvhdi), in
 * the table's order, after out's first n; returns the new count. */
static size_t image_libraries(struct library_version *out, size_t n, size_t max)
{
	for (const struct image_format *const *f = image_formats; *f && n < max; f++) {
		bool seen = !(*f)->library;
		for (const struct image_format *const *g = image_formats; !seen && g < f; g++)
			seen = (*g)->library && strcmp((*g)->library, (*f)->library) == 0;
		if (!seen)
			out[n++] = (struct library_version){
				(*f)->library, (*f)->built && (*f)->version ? (*f)->version() : NULL,
				(*f)->serves, (*f)->built, NULL };
	}
	return n;
}

size_t library_versions(struct library_version *out, size_t max, char *tsk_err,
			size_t tsk_errsz)
{
	size_t n = 0;
	const char *scca_why = NULL;
	(void)scca_why;
	/* The version is called before why is read: the call sets it. */
#define X(name, call, built, serves, why) \
	if (n < max) { \
		const char *v_ = call; \
		out[n++] = (struct library_version){ name, v_, serves, built, \
						     v_ ? NULL : why }; \
	}
	LIBRARIES_FIRST(X)
	n = image_libraries(out, n, max);
	LIBRARIES(X)
#undef X
	return n;
}
