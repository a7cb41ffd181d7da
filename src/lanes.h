/*
 * lanes.h - one piece of work split over threads: a function run once for
 * each lane, all at the same time.
 */
#ifndef RF_LANES_H
#define RF_LANES_H

#include <stddef.h>

/* The most lanes lanes_run runs. */
#define LANES_MAX 16

typedef void lanes_fn(size_t lane, void *arg);

/* Runs fn(i, arg) for lanes i = 0 .. n - 1 (n <= LANES_MAX) at once, lane
 * 0 in this thread, and returns when all are done. A lane whose thread
 * cannot be started runs in this thread, after the others: the work is
 * done either way. */
void lanes_run(size_t n, lanes_fn *fn, void *arg);

#endif
