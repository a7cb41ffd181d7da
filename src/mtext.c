#include "mtext.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

#if defined(__SSE2__) && defined(__GNUC__) && SIZE_MAX == UINT64_MAX
#include <emmintrin.h>
#define MTEXT_SSE2 1
#if defined(__x86_64__)
#include <immintrin.h>
#define MTEXT_AVX2 1
#endif
#endif

/* Bytes of the one block that holds a map and a text of cap entries. */
#define BLOCK_PER_ENTRY (sizeof(size_t) + 1)

int mtext_grow(mtext *m, size_t extra)
{
    if (m->oom)
        return -1;
    if (m->len + extra + 1 <= m->cap)
        return 0;
    size_t cap = m->cap ? m->cap : 256;
    while (cap < m->len + extra + 1) {
        if (cap > ((size_t)-1) / 2 / BLOCK_PER_ENTRY) {
            m->oom = 1;
            return -1;
        }
        cap *= 2;
    }
    /* The map and then the text in one block: one allocation, not two,
     * for each converted document. */
    char *block = realloc(m->map, cap * BLOCK_PER_ENTRY);
    if (!block) {
        m->oom = 1;
        return -1;
    }
    char *text = block + cap * sizeof(size_t);
    if (m->len) /* the text is where the old block had it */
        memmove(text, block + m->cap * sizeof(size_t), m->len);
    m->map = (size_t *)(void *)block;
    m->text = text;
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

/*
 * map[k] = from + k: eight entries an iteration with AVX2 or SSE2; what is
 * left after that written as the last four (AVX2) or two (SSE2) entries of
 * the run, again over what is already there, not one at a time. Most of
 * the map of a converted page is these runs.
 */
#ifdef MTEXT_SSE2
static void store2(size_t *p, __m128i v)
{
    _mm_storeu_si128((__m128i *)(void *)p, v);
}

static __m128i count2(size_t from)
{
    return _mm_set_epi64x((long long)from + 1, (long long)from);
}

/* n >= 2 */
static void map_run_sse2(size_t *map, size_t n, size_t from)
{
    size_t k = 0;
    __m128i v0 = count2(from), v1 = count2(from + 2), v2 = count2(from + 4),
            v3 = count2(from + 6);
    const __m128i eight = _mm_set1_epi64x(8);
    for (; n - k >= 8; k += 8) {
        store2(map + k, v0);
        store2(map + k + 2, v1);
        store2(map + k + 4, v2);
        store2(map + k + 6, v3);
        v0 = _mm_add_epi64(v0, eight);
        v1 = _mm_add_epi64(v1, eight);
        v2 = _mm_add_epi64(v2, eight);
        v3 = _mm_add_epi64(v3, eight);
    }
    for (; n - k >= 2; k += 2)
        store2(map + k, count2(from + k));
    if (k < n)
        store2(map + n - 2, count2(from + n - 2));
}
#endif

#ifdef MTEXT_AVX2
#define AVX2 __attribute__((target("avx2")))

AVX2 static __m256i count4(size_t from)
{
    long long f = (long long)from;
    return _mm256_set_epi64x(f + 3, f + 2, f + 1, f);
}

AVX2 static void store4(size_t *p, __m256i v)
{
    _mm256_storeu_si256((__m256i *)(void *)p, v);
}

/* n >= 4 */
AVX2 static void map_run_avx2(size_t *map, size_t n, size_t from)
{
    size_t k = 0;
    __m256i v0 = count4(from), v1 = count4(from + 4);
    const __m256i eight = _mm256_set1_epi64x(8);
    for (; n - k >= 8; k += 8) {
        store4(map + k, v0);
        store4(map + k + 4, v1);
        v0 = _mm256_add_epi64(v0, eight);
        v1 = _mm256_add_epi64(v1, eight);
    }
    if (n - k >= 4) {
        store4(map + k, v0); /* from + k */
        k += 4;
    }
    if (k < n)
        store4(map + n - 4, count4(from + n - 4));
}
#endif

void mtext_map_run_at(size_t *map, size_t n, size_t from, int simd)
{
#ifdef MTEXT_AVX2
    if (simd >= TEXT_SIMD_AVX2 && n >= 4) {
        map_run_avx2(map, n, from);
        return;
    }
#endif
#ifdef MTEXT_SSE2
    if (simd >= TEXT_SIMD_SSE2 && n >= 2) {
        map_run_sse2(map, n, from);
        return;
    }
#endif
    (void)simd;
    for (size_t k = 0; k < n; k++)
        map[k] = from + k;
}

int mtext_copy(mtext *m, const char *s, size_t n, size_t from)
{
    if (mtext_reserve(m, n))
        return -1;
    memcpy(m->text + m->len, s, n);
    mtext_map_run_at(m->map + m->len, n, from, text_simd());
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
    if (mtext_reserve(m, 4))
        return -1;
    if (cp < 0x80) { /* &#39;, &amp;, &quot;: most references */
        m->text[m->len] = (char)cp;
        m->map[m->len++] = from;
        return 0;
    }
    /* encoded in place: a page may hold thousands of references */
    size_t n = mtext_utf8(cp, m->text + m->len);
    for (size_t k = 0; k < n; k++)
        m->map[m->len++] = from;
    return 0;
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
    free(m->map); /* the text is in the same block */
    *m = (mtext)MTEXT_INIT;
}

void mtext_compose(size_t *map, size_t n, const size_t *outer)
{
    for (size_t i = 0; i <= n; i++)
        map[i] = outer[map[i]];
}
