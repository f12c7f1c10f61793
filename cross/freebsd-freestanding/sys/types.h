/* SPDX-License-Identifier: MIT */
/* Declarations only (see ../stdlib.h). */
#include <stddef.h>
