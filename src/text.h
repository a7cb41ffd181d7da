/* text.h - UTF-8 and position helpers shared by the scanner and reports. */
#ifndef RF_TEXT_H
#define RF_TEXT_H

#include <stddef.h>

/* Line and column (both 1-based; columns in code points) of byte `pos` in
 * s. `cache` makes a run of increasing positions linear overall: zero it
 * before the first call on a buffer. */
typedef struct text_pos {
    size_t pos;
    size_t line;
    size_t line_start;
    size_t column; /* of pos */
} text_pos;

void text_locate(const char *s, size_t len, size_t pos, text_pos *cache,
                 size_t *line, size_t *column);

/* Puts cache at byte pos of s, known to be on line `line` (counted some
 * other way), at or after where the cache was: its line's start is looked
 * for back from pos, no further back than the cache. */
void text_pos_at(const char *s, size_t pos, size_t line, text_pos *cache);

/* Code points in s[0..n) (each byte that does not continue a sequence). */
size_t text_codepoints(const char *s, size_t n);

/* Moves pos back (forward) to the start of a UTF-8 sequence. */
size_t text_floor_char(const char *s, size_t len, size_t pos);
size_t text_ceil_char(const char *s, size_t len, size_t pos);

/* A space, tab or carriage return: what a `key = value` line trims. */
static inline int text_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Narrows [*s, *e) past the spaces, tabs and carriage returns at both
 * ends: a value read from a `key = value` line. */
void text_trim(const char **s, const char **e);

/* Is s[0..n) valid UTF-8 (no overlong forms, surrogates or code points
 * above U+10FFFF)? */
int text_valid_utf8(const char *s, size_t n);

/* Is the part of s[0..len) from the first character start at or after a
 * (0 itself for 0) to the first at or after b valid UTF-8? Cut at any
 * a0 = 0 <= a1 <= ... <= an = len, a text is valid exactly when each part
 * is: a sequence cut in two belongs whole to the part before (its
 * continuation bytes are skipped), and so do stray continuation bytes. */
int text_valid_utf8_part(const char *s, size_t len, size_t a, size_t b);

/*
 * How many bytes s[0..n) starts with that are ASCII (below 0x80): where a
 * scan for what needs cleaning up, or checking as UTF-8, resumes. 64 bytes
 * at a time with AVX2 or SSE2 where the machine has them.
 */
size_t text_ascii_len(const char *s, size_t n);

/* The same, and copies those bytes to dst, which has room for n bytes:
 * the ASCII run of a text being copied without some of its characters.
 * dst[return value .. n) may be written too (with bytes of s). */
size_t text_ascii_copy(char *dst, const char *s, size_t n);

/* Where the first byte that is a or b is in s[0..n), or n. */
size_t text_find2(const char *s, size_t n, char a, char b);

/* How many bytes of s[0..n) are c; *last gets where the last of them is
 * (n when there is none). */
size_t text_count_byte(const char *s, size_t n, char c, size_t *last);

/* The SIMD those use: the best this machine has. */
enum { TEXT_SIMD_NONE, TEXT_SIMD_SSE2, TEXT_SIMD_AVX2 };
int text_simd(void);

/* The same with SIMD up to `simd` at most (and what the machine has;
 * TEXT_SIMD_NONE: eight bytes at a time), for tests to check that each
 * way gives the same. */
size_t text_ascii_len_at(const char *s, size_t n, int simd);
size_t text_ascii_copy_at(char *dst, const char *s, size_t n, int simd);
size_t text_find2_at(const char *s, size_t n, char a, char b, int simd);
size_t text_count_byte_at(const char *s, size_t n, char c, size_t *last,
                          int simd);

/* Length of the white space at s (ASCII or a Unicode space), 0 if none. */
size_t text_space_len(const char *s, size_t n);

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 when the bytes
 * there are not one: overlong forms, surrogates and values past U+10FFFF
 * are not valid. */
size_t text_utf8_len(const char *s, size_t n);

#endif
