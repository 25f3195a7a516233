/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The image formats, one row a format, in order of precedence: the
 * container formats first, raw (which any disk or volume bids for)
 * last. A new format is a file of its own defining its struct
 * image_format (image.h) and one row here. */
#include "image.h"

extern const struct image_format image_ewf, image_vmdk, image_vhdx, image_vhd,
	image_qcow, image_archive, image_split, image_raw;

const struct image_format *const image_formats[] = {
	&image_ewf,
	&image_vmdk,
	&image_vhdx,
	&image_vhd,
	&image_qcow,
	&image_archive,
	&image_split,
	&image_raw,
	NULL,
};
