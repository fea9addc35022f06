/* SPDX-License-Identifier: MIT */
/* The machine and kernel the numbers were taken on, as read at start (and load at the end). */
#ifndef PB_ENVIRONMENT_H
#define PB_ENVIRONMENT_H

#include <stdio.h>


#include "../report/record.h" /* the types these fill */


void pb_environment_read(struct pb_environment *e);
/* Print warnings about what will hurt the numbers; returns how many. */
int pb_environment_warn(const struct pb_environment *e, FILE *f);

#endif
