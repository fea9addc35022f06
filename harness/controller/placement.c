// SPDX-License-Identifier: MIT
#include <hwloc.h>
#include <stdio.h>
#include <string.h>

#include "placement.h"

static hwloc_topology_t topo;
static hwloc_bitmap_t allowed;

int pb_topology_load(char *err, unsigned len)
{
	hwloc_bitmap_t bound;

	if (topo)
		return 0;
	if (hwloc_topology_init(&topo) || hwloc_topology_load(topo)) {
		snprintf(err, len, "hwloc cannot read this machine's topology");
		topo = NULL;
		return -1;
	}
	/* PUs this process may use: the topology's allowed set and our affinity. */
	allowed = hwloc_bitmap_dup(hwloc_topology_get_allowed_cpuset(topo));
	bound = hwloc_bitmap_alloc();
	if (!hwloc_get_cpubind(topo, bound, HWLOC_CPUBIND_PROCESS))
		hwloc_bitmap_and(allowed, allowed, bound);
	hwloc_bitmap_free(bound);
	return 0;
}

static hwloc_obj_t pu_obj(int os)
{
	return hwloc_get_pu_obj_by_os_index(topo, (unsigned)os);
}

/* The parent's last-level cache (L3, else L2), or NULL. */
static hwloc_obj_t llc_of(hwloc_obj_t pu)
{
	hwloc_obj_t c = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_L3CACHE, pu);

	return c ? c : hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_L2CACHE, pu);
}

static int fits(int pin, hwloc_obj_t parent, hwloc_obj_t cand)
{
	hwloc_obj_t pc = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_CORE, parent);
	hwloc_obj_t cc = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_CORE, cand);
	hwloc_obj_t llc;

	if (cand == parent)
		return 0;
	switch (pin) {
	case PB_PIN_OTHER_CORE:
		return pc != cc;
	case PB_PIN_SMT_SIBLING:
		return pc && pc == cc;
	case PB_PIN_OTHER_CACHE:
		llc = llc_of(parent);
		return llc && !hwloc_bitmap_isset(llc->cpuset, cand->os_index);
	case PB_PIN_OTHER_NODE:
		return !hwloc_bitmap_intersects(parent->nodeset, cand->nodeset);
	}
	return 0;
}

static const char *cannot(int pin)
{
	switch (pin) {
	case PB_PIN_OTHER_CORE:
		return "all allowed PUs are on one core";
	case PB_PIN_SMT_SIBLING:
		return "no SMT here: each core has one allowed PU";
	case PB_PIN_OTHER_CACHE:
		return "every allowed PU shares the parent's last-level cache";
	case PB_PIN_OTHER_NODE:
		return "one NUMA node: no PU on another node";
	}
	return "";
}

static int highest_allowed_in(hwloc_const_bitmap_t set)
{
	int hi = -1, i;

	hwloc_bitmap_foreach_begin(i, set)
	{
		if (hwloc_bitmap_isset(allowed, (unsigned)i))
			hi = i;
	}
	hwloc_bitmap_foreach_end();
	return hi;
}

/* Allowed PUs, last first, one per core before any core's second PU. */
static int order_pus(int *out, int max)
{
	int n = 0, all[1024], count = 0, os;

	hwloc_bitmap_foreach_begin(os, allowed)
	{
		if (count < 1024)
			all[count++] = os;
	}
	hwloc_bitmap_foreach_end();
	for (int pass = 0; pass < 2; pass++)
		for (int i = count - 1; i >= 0 && n < max; i--) {
			hwloc_obj_t core;
			int leads;

			os = all[i];
			core = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_CORE, pu_obj(os));
			leads = !core || highest_allowed_in(core->cpuset) == os;

			if (leads == (pass == 0))
				out[n++] = os;
		}
	return n;
}

int pb_placement_plan(int pin, unsigned jobs, int forced_cpu, int *parent, int *child, char *why,
		      unsigned len)
{
	int pus[1024], n;

	if (pb_topology_load(why, len))
		return -1;
	for (unsigned j = 0; j < jobs; j++)
		parent[j] = child[j] = -1;
	if (pin == PB_PIN_NONE)
		return 0;
	n = order_pus(pus, 1024);
	if (forced_cpu >= 0) {
		int at = -1;

		for (int i = 0; i < n; i++)
			if (pus[i] == forced_cpu)
				at = i;
		if (at < 0) {
			snprintf(why, len, "--cpu %d is not one of this process's allowed CPUs",
				 forced_cpu);
			return -1;
		}
		memmove(pus + 1, pus, (size_t)at * sizeof(int));
		pus[0] = forced_cpu;
	}
	if ((int)jobs > n) {
		snprintf(why, len, "--jobs %u needs %u allowed CPUs for --pin %s; this process has %d",
			 jobs, jobs, pb_pin_names[pin], n);
		return -1;
	}
	for (unsigned j = 0; j < jobs; j++) {
		hwloc_obj_t p = pu_obj(pus[j]);

		parent[j] = pus[j];
		if (!pb_pin_moves_child(pin))
			continue;
		/* Prefer a child PU no other job's parent uses. */
		for (int pass = 0; pass < 2 && child[j] < 0; pass++)
			for (int i = 0; i < n && child[j] < 0; i++) {
				int used = 0;

				for (unsigned k = 0; k < jobs; k++)
					used |= pus[i] == pus[k] && k != j;
				if ((pass == 0 && used) || !fits(pin, p, pu_obj(pus[i])))
					continue;
				child[j] = pus[i];
			}
		if (child[j] < 0) {
			snprintf(why, len, "--pin %s: %s", pb_pin_names[pin], cannot(pin));
			return 1;
		}
	}
	return 0;
}

void pb_topology_summarize(struct pb_topology_summary *s)
{
	hwloc_obj_t o;

	memset(s, 0, sizeof(*s));
	if (!topo)
		return;
	s->packages = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
	s->nodes = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
	s->l3 = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_L3CACHE);
	s->l2 = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_L2CACHE);
	s->cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	s->pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	s->allowed_pus = hwloc_bitmap_weight(allowed);
	for (int i = 0; i < s->cores; i++) {
		int w;

		o = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, (unsigned)i);
		w = hwloc_bitmap_weight(o->cpuset);
		if (w > s->smt)
			s->smt = w;
	}
	if ((o = hwloc_get_obj_by_type(topo, HWLOC_OBJ_L3CACHE, 0)))
		s->l3_kib = (unsigned long)(o->attr->cache.size / 1024);
	if ((o = hwloc_get_obj_by_type(topo, HWLOC_OBJ_L2CACHE, 0)))
		s->l2_kib = (unsigned long)(o->attr->cache.size / 1024);
	if ((o = hwloc_get_obj_by_type(topo, HWLOC_OBJ_L1CACHE, 0)))
		s->l1d_kib = (unsigned long)(o->attr->cache.size / 1024);
}
