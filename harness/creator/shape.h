/* SPDX-License-Identifier: MIT */
/*
 * The creator's side of the parent's shape (protocol/shape.h says what is
 * asked): growing into it happens here, in the static specimen only.
 */
#ifndef PB_CREATOR_SHAPE_H
#define PB_CREATOR_SHAPE_H

#include "../protocol/shape.h"

/* Apply the shape to this process: 0, or -1 with a message in err. */
int pb_shape_apply(const struct pb_shape *s, char *err, unsigned len);

#endif
