/* SPDX-License-Identifier: MIT */
/*
 * The shape of the measured parent: what the creator grows into before any
 * timing, since fork's cost follows page tables and VMAs and exec's follows
 * open descriptors. Filled by the controller, applied by the creator
 * (harness/creator/shape.c), measured back from /proc by the controller.
 */
#ifndef PB_PARENT_SHAPE_H
#define PB_PARENT_SHAPE_H

#include <stdint.h>

enum pb_thp { PB_THP_DEFAULT = 0, PB_THP_ON, PB_THP_OFF };

struct pb_shape {
	uint64_t rss;          /* bytes of anonymous memory to map */
	uint32_t touch;        /* 1: write every page, so it is resident */
	uint32_t thp;          /* enum pb_thp: madvise(MADV_HUGEPAGE / MADV_NOHUGEPAGE) */
	uint32_t vmas;         /* mappings the memory is split into: 1 or more; 0 without memory */
	uint32_t threads;      /* idle threads besides the main one */
	uint32_t fds;          /* extra open descriptors (/dev/null) */
	uint32_t fds_cloexec;  /* 1: open them O_CLOEXEC */
	int32_t mem_node;      /* bind the memory to this NUMA node, -1: no binding */
	uint32_t pad;
};

#endif
