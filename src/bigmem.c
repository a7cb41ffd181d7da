/* bigmem.c - see bigmem.h. madvise is not in strict ISO C. */
#define _DEFAULT_SOURCE
#include "bigmem.h"

#include <stdint.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif

/* Below this the hint is not worth its system call. */
#define BIGMEM_MIN ((size_t)4 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

void bigmem_hint(void *p, size_t n)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (!p || n < BIGMEM_MIN)
        return;
    /* the whole huge pages inside the buffer */
    uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    uintptr_t b = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);
    if (b > a)
        (void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
    (void)p, (void)n;
#endif
}
