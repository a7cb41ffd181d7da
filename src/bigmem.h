/* bigmem.h - hints for the few buffers as big as a whole document. */
#ifndef RF_BIGMEM_H
#define RF_BIGMEM_H

#include <stddef.h>

/*
 * Asks the system to back [p, p + n) with huge pages where it can: one
 * page fault and one TLB entry per 2 MiB instead of 512 of each, which
 * is most of the cost of filling, and of reading in a random order, a
 * buffer of tens of megabytes. Call it before the buffer is first written.
 * Does nothing for small buffers, or where the system has no such hint.
 */
void bigmem_hint(void *p, size_t n);

#endif
