#include "mtext.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && SIZE_MAX == UINT64_MAX
#include <emmintrin.h>
#define MTEXT_SSE2 1
#endif

int mtext_grow(mtext *m, size_t extra)
{
    if (m->oom)
        return -1;
    if (m->len + extra + 1 <= m->cap)
        return 0;
    size_t cap = m->cap ? m->cap : 256;
    while (cap < m->len + extra + 1) {
        if (cap > ((size_t)-1) / 2 / sizeof(size_t)) {
            m->oom = 1;
            return -1;
        }
        cap *= 2;
    }
    char *t = realloc(m->text, cap);
    if (!t) {
        m->oom = 1;
        return -1;
    }
    m->text = t;
    size_t *p = realloc(m->map, cap * sizeof(size_t));
    if (!p) {
        m->oom = 1;
        return -1;
    }
    m->map = p;
    m->cap = cap;
    return 0;
}

int mtext_putc(mtext *m, char c, size_t from)
{
    if (mtext_reserve(m, 1))
        return -1;
    m->text[m->len] = c;
    m->map[m->len++] = from;
    return 0;
}

int mtext_put(mtext *m, const char *s, size_t n, size_t from)
{
    if (mtext_reserve(m, n))
        return -1;
    for (size_t k = 0; k < n; k++) {
        m->text[m->len] = s[k];
        m->map[m->len++] = from;
    }
    return 0;
}

void mtext_map_run(size_t *map, size_t n, size_t from)
{
    size_t k = 0;
#ifdef MTEXT_SSE2
    /* two entries a store; most of the map of a converted page is these */
    __m128i v0 = _mm_set_epi64x((long long)from + 1, (long long)from);
    __m128i v1 = _mm_add_epi64(v0, _mm_set1_epi64x(2));
    __m128i v2 = _mm_add_epi64(v0, _mm_set1_epi64x(4));
    __m128i v3 = _mm_add_epi64(v0, _mm_set1_epi64x(6));
    const __m128i eight = _mm_set1_epi64x(8);
    for (; n - k >= 8; k += 8) {
        _mm_storeu_si128((__m128i *)(void *)(map + k), v0);
        _mm_storeu_si128((__m128i *)(void *)(map + k + 2), v1);
        _mm_storeu_si128((__m128i *)(void *)(map + k + 4), v2);
        _mm_storeu_si128((__m128i *)(void *)(map + k + 6), v3);
        v0 = _mm_add_epi64(v0, eight);
        v1 = _mm_add_epi64(v1, eight);
        v2 = _mm_add_epi64(v2, eight);
        v3 = _mm_add_epi64(v3, eight);
    }
#endif
    for (; k < n; k++)
        map[k] = from + k;
}

int mtext_copy(mtext *m, const char *s, size_t n, size_t from)
{
    if (mtext_reserve(m, n))
        return -1;
    memcpy(m->text + m->len, s, n);
    mtext_map_run(m->map + m->len, n, from);
    m->len += n;
    return 0;
}

size_t mtext_utf8(uint32_t cp, char *out)
{
    unsigned char *u = (unsigned char *)out;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    u[0] = (unsigned char)(0xF0 | (cp >> 18));
    u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

int mtext_put_utf8(mtext *m, uint32_t cp, size_t from)
{
    char u[4];
    return mtext_put(m, u, mtext_utf8(cp, u), from);
}

int mtext_finish(mtext *m, size_t end)
{
    if (mtext_reserve(m, 0))
        return -1;
    m->text[m->len] = '\0';
    m->map[m->len] = end;
    return 0;
}

void mtext_free(mtext *m)
{
    free(m->text);
    free(m->map);
    *m = (mtext)MTEXT_INIT;
}

void mtext_compose(size_t *map, size_t n, const size_t *outer)
{
    for (size_t i = 0; i <= n; i++)
        map[i] = outer[map[i]];
}
