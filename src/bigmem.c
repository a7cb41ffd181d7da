/* bigmem.c - see bigmem.h. madvise is not in strict ISO C. */
#define _DEFAULT_SOURCE
#include "bigmem.h"

#include <stdint.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif

/* Below this, faulting the pages in one by one costs too little to
 * matter. */
#define BIGMEM_MIN ((size_t)4 << 20)
#define PAGE ((uintptr_t)4096)

void bigmem_prefault(void *p, size_t n)
{
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
    if (!p || n < BIGMEM_MIN)
        return;
    /* the whole pages inside the buffer; an error (an older kernel) only
     * leaves them to fault in as usual */
    uintptr_t a = ((uintptr_t)p + PAGE - 1) & ~(PAGE - 1);
    uintptr_t b = ((uintptr_t)p + n) & ~(PAGE - 1);
    if (b > a)
        (void)madvise((void *)a, b - a, MADV_POPULATE_WRITE);
#else
    (void)p, (void)n;
#endif
}
