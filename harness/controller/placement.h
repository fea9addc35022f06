/* SPDX-License-Identifier: MIT */
/*
 * Placement: where the creator (parent) and its children run, computed
 * from the hwloc topology in the controller. A policy names where the child
 * runs relative to its parent; with --jobs N each job gets its own parent
 * PU (one per core first) and a child PU by the same rule.
 */
#ifndef PB_PLACEMENT_H
#define PB_PLACEMENT_H

#include "../report/record.h" /* struct pb_topology_summary, PB_MAX_JOBS; enum pb_pin */

static inline int pb_pin_moves_child(int pin)
{
	return pin >= PB_PIN_OTHER_CORE;
}


/* Load the topology once; -1 with a reason. */
int pb_topology_load(char *err, unsigned len);
void pb_topology_summarize(struct pb_topology_summary *s);

/*
 * PUs for `jobs` creators under `pin`: parent[j] (-1: unpinned) and
 * child[j] (-1: the child stays where it is created). forced_cpu >= 0 puts
 * job 0's parent there. Returns 0; 1 when the machine cannot express the
 * policy (a skip, reason in why); -1 for a bad request (reason in why).
 */
int pb_placement_plan(int pin, unsigned jobs, int forced_cpu, int *parent, int *child, char *why,
		      unsigned len);

#endif
