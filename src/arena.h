/* arena.h - many small allocations freed at once (one scan result, the
 * summaries made while a phrase is parsed). */
#ifndef RF_ARENA_H
#define RF_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

/* All zero is an empty arena. */
typedef struct arena {
    arena_block *head;
    unsigned char *next, *end; /* what is left of head */
} arena;

/* Zeroed memory that lives until arena_free; NULL when out of memory. */
void *arena_alloc(arena *a, size_t size);
/* A NUL-terminated copy of n bytes of s; NULL when out of memory. */
char *arena_strndup(arena *a, const char *s, size_t n);
void arena_free(arena *a);

/* Moves every block of src into dst, which then owns (and frees) them:
 * what was allocated in src lives as long as dst. src is left empty. dst
 * goes on allocating where it was. */
void arena_adopt(arena *dst, arena *src);

/* An empty arena that takes its memory from buf[0..size) (aligned to 16,
 * the caller's: a buffer on the stack, say) before it mallocs any. */
void arena_init_buf(arena *a, void *buf, size_t size);

/* arena_alloc_raw when the block in use has no room. */
void *arena_alloc_new(arena *a, size_t size);

/* Memory that is not zeroed, for callers that fill it at once; as
 * arena_alloc otherwise. Inline, for the loader's thousands of small
 * pieces. */
static inline void *arena_alloc_raw(arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (a->next && size <= (size_t)(a->end - a->next)) {
        void *p = a->next;
        a->next += size;
        return p;
    }
    return arena_alloc_new(a, size);
}

#endif
