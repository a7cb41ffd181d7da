/* bigmem.h - the few buffers as big as a whole document. */
#ifndef RF_BIGMEM_H
#define RF_BIGMEM_H

#include <stddef.h>

/*
 * Has the system map the pages of [p, p + n) now, writable, in one call,
 * rather than one page fault each as they are first written: for a
 * buffer of tens of megabytes filled at once, a quarter of the time it
 * takes to fill. Does nothing for small buffers, or where the system has
 * no such call (Linux before 5.14); the buffer works the same either way.
 */
void bigmem_prefault(void *p, size_t n);

#endif
