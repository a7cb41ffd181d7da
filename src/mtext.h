/*
 * mtext.h - text built from a source (an HTML page, a CSV field, a UTF-16
 * file), remembering for every byte where in the source it came from.
 */
#ifndef RF_MTEXT_H
#define RF_MTEXT_H

#include <stddef.h>
#include <stdint.h>

typedef struct mtext {
    char *text;  /* NUL-terminated once finished; NULL until the first byte */
    size_t *map; /* map[i]: offset in the source of text[i]; map[len]: end.
                  * One block holds both: mtext_free frees it. */
    size_t len;
    size_t cap;
    int oom;     /* an allocation failed; later appends do nothing */
} mtext;

#define MTEXT_INIT {NULL, NULL, 0, 0, 0}

/* Room for `extra` more bytes, so that appending them will not move the
 * text: 0, or -1 (and m->oom set) when out of memory. mtext_reserve is the
 * quick check that there is room; mtext_grow makes it. */
int mtext_grow(mtext *m, size_t extra);
static inline int mtext_reserve(mtext *m, size_t extra)
{
    /* one more map entry than text bytes, and room for the final NUL */
    return !m->oom && m->len + extra + 1 <= m->cap ? 0 : mtext_grow(m, extra);
}

/* Each append returns 0, or -1 (and sets m->oom) when out of memory. */
/* One byte that came from source offset `from`. */
int mtext_putc(mtext *m, char c, size_t from);
/* n bytes that all stand for the source at `from` (a decoded entity). */
int mtext_put(mtext *m, const char *s, size_t n, size_t from);
/* n bytes copied from the source starting at `from`: byte k from from + k. */
int mtext_copy(mtext *m, const char *s, size_t n, size_t from);
/* map[k] = from + k for k < n: the map of n bytes copied from `from`,
 * with SIMD up to `simd` (a TEXT_SIMD_ level no higher than text_simd()). */
void mtext_map_run_at(size_t *map, size_t n, size_t from, int simd);
/* A code point as UTF-8, standing for the source at `from`. */
int mtext_put_utf8(mtext *m, uint32_t cp, size_t from);

/* Ends the text: map[len] = end (the source offset just past it), and a NUL
 * after the text. Returns 0, or -1 when out of memory. */
int mtext_finish(mtext *m, size_t end);

/* Frees the text and the map and resets m; accepts an empty m. */
void mtext_free(mtext *m);

/* Rewrites map[0..n] (n + 1 entries) as offsets in an earlier source:
 * map[i] = outer[map[i]]. Turns "text -> HTML" plus "HTML -> file" into
 * "text -> file". */
void mtext_compose(size_t *map, size_t n, const size_t *outer);

/* Encodes cp as UTF-8 into out (4 bytes room); returns the length. Code
 * points that UTF-8 cannot hold become U+FFFD. */
size_t mtext_utf8(uint32_t cp, char *out);

#endif
