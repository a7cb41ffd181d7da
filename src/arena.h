/* arena.h - many small allocations freed at once (one scan result, the
 * summaries made while a phrase is parsed). */
#ifndef RF_ARENA_H
#define RF_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct arena {
    arena_block *head;
} arena;

/* Zeroed memory that lives until arena_free; NULL when out of memory. */
void *arena_alloc(arena *a, size_t size);
/* The same, not zeroed: for memory the caller fills at once. */
void *arena_alloc_raw(arena *a, size_t size);
/* A NUL-terminated copy of n bytes of s; NULL when out of memory. */
char *arena_strndup(arena *a, const char *s, size_t n);
void arena_free(arena *a);

#endif
