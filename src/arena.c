#include "arena.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 8192

struct arena_block {
    arena_block *next;
    _Alignas(16) unsigned char data[];
};

void *arena_alloc_new(arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
    arena_block *b = malloc(sizeof(*b) + cap);
    if (!b)
        return NULL;
    b->next = a->head;
    a->head = b;
    a->next = b->data + size;
    a->end = b->data + cap;
    return b->data;
}

void arena_init_buf(arena *a, void *buf, size_t size)
{
    a->head = NULL; /* buf is not a block: arena_free leaves it */
    a->next = buf;
    a->end = a->next + size;
}

void *arena_alloc(arena *a, size_t size)
{
    void *p = arena_alloc_raw(a, size);
    if (p)
        memset(p, 0, size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

void arena_adopt(arena *dst, arena *src)
{
    arena_block *tail = src->head;
    if (!tail)
        return;
    while (tail->next)
        tail = tail->next;
    /* behind dst's head, which holds what dst has left (next .. end) */
    if (dst->head) {
        tail->next = dst->head->next;
        dst->head->next = src->head;
    } else {
        dst->head = src->head;
    }
    src->head = NULL;
    src->next = src->end = NULL;
}

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->next = a->end = NULL;
}
