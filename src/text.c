#include "text.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define TEXT_SSE2 1
#if defined(__x86_64__)
/* compiled for the machines that have it, taken when this one does */
#include <immintrin.h>
#define TEXT_AVX2 1
#endif
#endif

static int is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

size_t text_codepoints(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += !is_cont((unsigned char)s[i]);
    return k;
}

void text_locate(const char *s, size_t len, size_t pos, text_pos *c,
                 size_t *line, size_t *column)
{
    if (pos > len)
        pos = len;
    if (c->line == 0 || pos < c->pos) {
        c->pos = 0;
        c->line = 1;
        c->line_start = 0;
        c->column = 1;
    }
    /* the line breaks counted a block at a time, not found one by one: on
     * an 80 MB file that was 10 ms */
    size_t last, breaks = text_count_byte(s + c->pos, pos - c->pos, '\n', &last);
    if (breaks) {
        c->line += breaks;
        c->line_start = c->pos + last + 1;
        c->column = text_codepoints(s + c->line_start, pos - c->line_start) + 1;
    } else {
        /* on the same line, count on from the last position: many hits on
         * one megabyte-long line must not recount the line for each */
        c->column += text_codepoints(s + c->pos, pos - c->pos);
    }
    c->pos = pos;
    *line = c->line;
    *column = c->column;
}

void text_pos_at(const char *s, size_t pos, size_t line, text_pos *c)
{
    size_t lo = c->line ? c->pos : 0, p = pos;
    while (p > lo && s[p - 1] != '\n')
        p--;
    if (p > lo || !c->line) {
        c->line_start = p;
        c->column = text_codepoints(s + p, pos - p) + 1;
    } else {
        /* no break since the cache's position: on its line */
        c->column += text_codepoints(s + c->pos, pos - c->pos);
    }
    c->pos = pos;
    c->line = line;
}

size_t text_floor_char(const char *s, size_t len, size_t pos)
{
    size_t lim = pos > 3 ? pos - 3 : 0;
    while (pos > lim && pos < len && is_cont((unsigned char)s[pos]))
        pos--;
    return pos;
}

size_t text_ceil_char(const char *s, size_t len, size_t pos)
{
    size_t lim = pos + 3;
    while (pos < len && pos < lim && is_cont((unsigned char)s[pos]))
        pos++;
    return pos;
}

void text_trim(const char **s, const char **e)
{
    while (*s < *e && text_is_blank(**s))
        (*s)++;
    while (*e > *s && text_is_blank((*e)[-1]))
        (*e)--;
}

size_t text_space_len(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    if (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r'))
        return 1;
    if (n >= 2 && u[0] == 0xC2 && (u[1] == 0xA0 || u[1] == 0x85))
        return 2;
    if (n >= 3 && u[0] == 0xE2 && u[1] == 0x80 &&
        ((u[2] >= 0x80 && u[2] <= 0x8A) || u[2] == 0xA8 || u[2] == 0xA9 ||
         u[2] == 0xAF))
        return 3;
    if (n >= 3 && u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0x9F)
        return 3;
    if (n >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
        return 3;
    return 0;
}

size_t text_utf8_len(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    if (u[0] < 0x80)
        return 1;
    size_t w;
    uint32_t cp, min;
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        w = 2, cp = u[0] & 0x1Fu, min = 0x80;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        w = 3, cp = u[0] & 0x0Fu, min = 0x800;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        w = 4, cp = u[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n < w)
        return 0;
    for (size_t k = 1; k < w; k++) {
        if ((u[k] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (u[k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return w;
}

int text_valid_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while ((i += text_ascii_len(s + i, n - i)) < n) {
        size_t k = text_utf8_len(s + i, n - i);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

/* The first position at or after i that does not continue a sequence. */
static size_t char_start(const char *s, size_t len, size_t i)
{
    while (i < len && is_cont((unsigned char)s[i]))
        i++;
    return i;
}

int text_valid_utf8_part(const char *s, size_t len, size_t a, size_t b)
{
    /* nothing is before 0: continuation bytes there are checked */
    a = a == 0 ? 0 : char_start(s, len, a);
    b = b == 0 ? 0 : char_start(s, len, b);
    return a >= b || text_valid_utf8(s + a, b - a);
}

#define HIGH_BITS 0x8080808080808080ull
#define LOW_BITS 0x0101010101010101ull

int text_simd(void)
{
#ifdef TEXT_AVX2
    if (__builtin_cpu_supports("avx2"))
        return TEXT_SIMD_AVX2;
#endif
#ifdef TEXT_SSE2
    return TEXT_SIMD_SSE2;
#else
    return TEXT_SIMD_NONE;
#endif
}

/*
 * Each scan goes 64 bytes at a time with the widest SIMD it may use, then
 * (SSE2) 16 at a time. What is left after the last whole block is read as
 * the last block of the text, the bytes already looked at masked off, so
 * that no scan ends a byte at a time. A text shorter than one block goes
 * eight bytes at a time, then one.
 */

/* Has the word a zero byte? Exact as a yes or no, which is all it is used
 * for: the byte itself is then looked for one at a time, whatever the
 * machine's byte order. */
static int has_zero(uint64_t x) { return ((x - LOW_BITS) & ~x & HIGH_BITS) != 0; }

static size_t ascii_plain(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    uint64_t x;
    while (n - i >= 8 && (memcpy(&x, u + i, 8), !(x & HIGH_BITS)))
        i += 8;
    while (i < n && u[i] < 0x80)
        i++;
    return i;
}

static size_t find2_plain(const char *s, size_t n, char a, char b)
{
    const uint64_t wa = LOW_BITS * (unsigned char)a;
    const uint64_t wb = LOW_BITS * (unsigned char)b;
    size_t i = 0;
    uint64_t x;
    while (n - i >= 8 &&
           (memcpy(&x, s + i, 8), !has_zero(x ^ wa) && !has_zero(x ^ wb)))
        i += 8;
    while (i < n && s[i] != a && s[i] != b)
        i++;
    return i;
}

static size_t count_plain(const char *s, size_t n, char c, size_t *last)
{
    size_t k = 0;
    *last = n;
    for (size_t i = 0; i < n; i++)
        if (s[i] == c) {
            k++;
            *last = i;
        }
    return k;
}

#ifdef TEXT_SSE2
/* Adds the bits of m, those of the bytes from i on, to *k, and the last
 * to *last. */
static void count_bits(uint64_t m, size_t i, size_t *k, size_t *last)
{
    if (m) {
        *k += (size_t)__builtin_popcountll(m);
        *last = i + 63 - (size_t)__builtin_clzll(m);
    }
}

static __m128i load16(const char *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static void store16(char *p, __m128i v)
{
    _mm_storeu_si128((__m128i *)(void *)p, v);
}

/* The bytes of a 64-byte block whose top bit is set in v0..v3, as bits. */
static uint64_t mask64(__m128i v0, __m128i v1, __m128i v2, __m128i v3)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(v0) |
           (uint64_t)(unsigned)_mm_movemask_epi8(v1) << 16 |
           (uint64_t)(unsigned)_mm_movemask_epi8(v2) << 32 |
           (uint64_t)(unsigned)_mm_movemask_epi8(v3) << 48;
}

static int any64(__m128i v0, __m128i v1, __m128i v2, __m128i v3)
{
    return _mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(v0, v1), _mm_or_si128(v2, v3)));
}

/* i plus the first set bit of m, or n when there is none: the end of a
 * scan whose last block's bits from i on are m. */
static size_t found_or_end(size_t i, uint64_t m, size_t n)
{
    return m ? i + (size_t)__builtin_ctzll(m) : n;
}

#define LOAD64(s, i)                                                       \
    __m128i v0 = load16(s + i), v1 = load16(s + i + 16),                   \
            v2 = load16(s + i + 32), v3 = load16(s + i + 48)

/* n >= 16. dst: copied there too, whether ASCII or not (it has room). */
static size_t ascii_sse2(const char *s, size_t n, char *dst)
{
    size_t i = 0;
    for (; n - i >= 64; i += 64) {
        LOAD64(s, i);
        if (dst) {
            store16(dst + i, v0);
            store16(dst + i + 16, v1);
            store16(dst + i + 32, v2);
            store16(dst + i + 48, v3);
        }
        if (any64(v0, v1, v2, v3))
            return i + (size_t)__builtin_ctzll(mask64(v0, v1, v2, v3));
    }
    for (; n - i >= 16; i += 16) {
        __m128i v = load16(s + i);
        if (dst)
            store16(dst + i, v);
        unsigned m = (unsigned)_mm_movemask_epi8(v);
        if (m)
            return found_or_end(i, m, n);
    }
    if (i == n)
        return n;
    __m128i v = load16(s + n - 16); /* the last 16 bytes, from before i */
    if (dst)
        store16(dst + n - 16, v);
    return found_or_end(i, (unsigned)_mm_movemask_epi8(v) >> (16 - (n - i)),
                        n);
}

/* n >= 16 */
static size_t find2_sse2(const char *s, size_t n, char a, char b)
{
    const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
    size_t i = 0;
#define EITHER(v) _mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb))
    for (; n - i >= 64; i += 64) {
        LOAD64(s, i);
        v0 = EITHER(v0), v1 = EITHER(v1), v2 = EITHER(v2), v3 = EITHER(v3);
        if (any64(v0, v1, v2, v3))
            return i + (size_t)__builtin_ctzll(mask64(v0, v1, v2, v3));
    }
    for (; n - i >= 16; i += 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(EITHER(load16(s + i)));
        if (m)
            return found_or_end(i, m, n);
    }
    if (i == n)
        return n;
    unsigned m = (unsigned)_mm_movemask_epi8(EITHER(load16(s + n - 16)));
#undef EITHER
    return found_or_end(i, m >> (16 - (n - i)), n);
}

/* n >= 64 */
static size_t count_sse2(const char *s, size_t n, char c, size_t *last)
{
    const __m128i vc = _mm_set1_epi8(c);
    size_t i = 0, k = 0;
    *last = n;
#define IS(v) _mm_cmpeq_epi8(v, vc)
    for (; n - i >= 64; i += 64) {
        LOAD64(s, i);
        count_bits(mask64(IS(v0), IS(v1), IS(v2), IS(v3)), i, &k, last);
    }
    if (i < n) { /* the last 64 bytes, those before i masked off */
        size_t j = n - 64;
        LOAD64(s, j);
        uint64_t m = mask64(IS(v0), IS(v1), IS(v2), IS(v3)) >> (i - j);
        count_bits(m, i, &k, last);
    }
#undef IS
    return k;
}
#endif

#ifdef TEXT_AVX2
#define AVX2 __attribute__((target("avx2")))

AVX2 static __m256i load32(const char *p)
{
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

AVX2 static void store32(char *p, __m256i v)
{
    _mm256_storeu_si256((__m256i *)(void *)p, v);
}

/* The bytes of a 64-byte block whose top bit is set in v0, v1, as bits. */
AVX2 static uint64_t mask64_avx2(__m256i v0, __m256i v1)
{
    return (uint64_t)(unsigned)_mm256_movemask_epi8(v0) |
           (uint64_t)(unsigned)_mm256_movemask_epi8(v1) << 32;
}

/* n >= 64. dst: copied there too, whether ASCII or not (it has room). */
AVX2 static size_t ascii_avx2(const char *s, size_t n, char *dst)
{
    size_t i = 0;
    for (; n - i >= 64; i += 64) {
        __m256i v0 = load32(s + i), v1 = load32(s + i + 32);
        if (dst) {
            store32(dst + i, v0);
            store32(dst + i + 32, v1);
        }
        if (_mm256_movemask_epi8(_mm256_or_si256(v0, v1)))
            return i + (size_t)__builtin_ctzll(mask64_avx2(v0, v1));
    }
    if (i == n)
        return n;
    size_t j = n - 64; /* the last 64 bytes, from before i */
    __m256i v0 = load32(s + j), v1 = load32(s + j + 32);
    if (dst) {
        store32(dst + j, v0);
        store32(dst + j + 32, v1);
    }
    return found_or_end(i, mask64_avx2(v0, v1) >> (i - j), n);
}

/* n >= 64 */
AVX2 static size_t find2_avx2(const char *s, size_t n, char a, char b)
{
    const __m256i va = _mm256_set1_epi8(a), vb = _mm256_set1_epi8(b);
    size_t i = 0;
#define EITHER(v) \
    _mm256_or_si256(_mm256_cmpeq_epi8(v, va), _mm256_cmpeq_epi8(v, vb))
    for (; n - i >= 64; i += 64) {
        __m256i v0 = EITHER(load32(s + i)), v1 = EITHER(load32(s + i + 32));
        if (_mm256_movemask_epi8(_mm256_or_si256(v0, v1)))
            return i + (size_t)__builtin_ctzll(mask64_avx2(v0, v1));
    }
    if (i == n)
        return n;
    size_t j = n - 64;
    __m256i v0 = EITHER(load32(s + j)), v1 = EITHER(load32(s + j + 32));
#undef EITHER
    return found_or_end(i, mask64_avx2(v0, v1) >> (i - j), n);
}

/* n >= 64 */
AVX2 static size_t count_avx2(const char *s, size_t n, char c, size_t *last)
{
    const __m256i vc = _mm256_set1_epi8(c);
    size_t i = 0, k = 0;
    *last = n;
#define IS(p) _mm256_cmpeq_epi8(load32(p), vc)
    for (; n - i >= 64; i += 64)
        count_bits(mask64_avx2(IS(s + i), IS(s + i + 32)), i, &k, last);
    if (i < n) { /* the last 64 bytes, those before i masked off */
        size_t j = n - 64;
        count_bits(mask64_avx2(IS(s + j), IS(s + j + 32)) >> (i - j), i, &k,
                   last);
    }
#undef IS
    return k;
}
#endif

static size_t ascii_at(const char *s, size_t n, char *dst, int simd)
{
#ifdef TEXT_AVX2
    if (simd >= TEXT_SIMD_AVX2 && n >= 64)
        return ascii_avx2(s, n, dst);
#endif
#ifdef TEXT_SSE2
    if (simd >= TEXT_SIMD_SSE2 && n >= 16)
        return ascii_sse2(s, n, dst);
#endif
    (void)simd;
    size_t i = ascii_plain(s, n);
    if (dst)
        memcpy(dst, s, i);
    return i;
}

static size_t find2_at(const char *s, size_t n, char a, char b, int simd)
{
#ifdef TEXT_AVX2
    if (simd >= TEXT_SIMD_AVX2 && n >= 64)
        return find2_avx2(s, n, a, b);
#endif
#ifdef TEXT_SSE2
    if (simd >= TEXT_SIMD_SSE2 && n >= 16)
        return find2_sse2(s, n, a, b);
#endif
    (void)simd;
    return find2_plain(s, n, a, b);
}

static size_t count_at(const char *s, size_t n, char c, size_t *last,
                       int simd)
{
#ifdef TEXT_AVX2
    if (simd >= TEXT_SIMD_AVX2 && n >= 64)
        return count_avx2(s, n, c, last);
#endif
#ifdef TEXT_SSE2
    if (simd >= TEXT_SIMD_SSE2 && n >= 64)
        return count_sse2(s, n, c, last);
#endif
    (void)simd;
    return count_plain(s, n, c, last);
}

size_t text_count_byte(const char *s, size_t n, char c, size_t *last)
{
    return count_at(s, n, c, last, text_simd());
}

size_t text_ascii_len(const char *s, size_t n)
{
    return ascii_at(s, n, NULL, text_simd());
}

size_t text_ascii_copy(char *dst, const char *s, size_t n)
{
    return ascii_at(s, n, dst, text_simd());
}

size_t text_find2(const char *s, size_t n, char a, char b)
{
    return find2_at(s, n, a, b, text_simd());
}

/* what a test asks for, and what this machine has */
static int at_most(int simd)
{
    int best = text_simd();
    return simd < best ? simd : best;
}

size_t text_ascii_len_at(const char *s, size_t n, int simd)
{
    return ascii_at(s, n, NULL, at_most(simd));
}

size_t text_ascii_copy_at(char *dst, const char *s, size_t n, int simd)
{
    return ascii_at(s, n, dst, at_most(simd));
}

size_t text_find2_at(const char *s, size_t n, char a, char b, int simd)
{
    return find2_at(s, n, a, b, at_most(simd));
}

size_t text_count_byte_at(const char *s, size_t n, char c, size_t *last,
                          int simd)
{
    return count_at(s, n, c, last, at_most(simd));
}
