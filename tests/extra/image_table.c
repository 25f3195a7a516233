/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The image formats tests/rmmhunt-extra is linked with in place of
 * src/container/image_table.c: rmmhunt's rows, and one row more for the
 * format only the test suite has (test_image.c), before raw. */
#include "image.h"

extern const struct image_format image_ewf, image_vmdk, image_vhdx, image_vhd,
	image_qcow, image_archive, image_split, image_raw, image_test;

const struct image_format *const image_formats[] = {
	&image_ewf,
	&image_vmdk,
	&image_vhdx,
	&image_vhd,
	&image_qcow,
	&image_archive,
	&image_test,
	&image_split,
	&image_raw,
	NULL,
};
