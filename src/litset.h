/*
 * litset.h - find many literals in a text in one pass.
 *
 * Literals are byte strings with ASCII letters folded to lower case; the
 * text may hold them in any case, and 'k'/'s' also as U+212A KELVIN SIGN and
 * U+017F LATIN SMALL LETTER LONG S, which PCRE2's caseless matching takes
 * for the same letters (each such letter doubles the byte strings searched).
 * Each literal belongs to one or more owners (a rule, a pattern), with the
 * bytes its owner's pattern may consume before it.
 *
 * The search looks each literal up only where an occurrence of it can
 * count for one of its owners: at word starts for a literal every owner
 * wants after an edge, white space or \b, at word ends likewise, anywhere
 * for the few others (litset.c says how). Word starts and ends are marked
 * 64 bytes at a time with SIMD instructions where the machine has them.
 */
#ifndef RF_LITSET_H
#define RF_LITSET_H

#include <stddef.h>
#include <stdint.h>

#include "text.h"

typedef struct litset litset;

/* One owner of a literal, with the bytes its owner's pattern may consume
 * before the literal (LIT_UNBOUNDED when there is no bound) and what the
 * pattern puts around it (LIT_* of lit.h). */
typedef struct lit_owner {
    uint32_t owner;
    size_t back;
    unsigned char left, right;
} lit_owner;

/* Where a literal occurs: text[pos..end) and the literal's index; and
 * whether lit_context_ok is known to hold there for every owner (their
 * contexts are the same, and litset_find read the bytes on both sides of
 * it inside its range). */
typedef struct lit_occ {
    size_t pos, end;
    uint32_t lit;
    uint32_t checked;
} lit_occ;

typedef struct occ_vec {
    lit_occ *v;
    size_t n, cap;
} occ_vec;

/* An empty set, or NULL when out of memory. */
litset *litset_new(void);
void litset_free(litset *ls);

/* Adds literal s[0..len) (already folded, len >= 1) for owner. The same
 * literal added twice for one owner keeps the larger back and the weaker
 * contexts. Returns 0, or -1 when out of memory. */
int litset_add(litset *ls, const char *s, size_t len, uint32_t owner,
               size_t back, int left, int right);

/* Builds the search tables once every literal is added. Returns 0 or -1. */
int litset_build(litset *ls);

/* The instructions litset_find marks positions with (TEXT_SIMD_*, text.h):
 * the widest the machine has (litset_new takes those), at most `level`;
 * returns the ones taken. The results are the same whichever (the tests
 * compare them). */
int litset_set_simd(litset *ls, int level);

/* The most bytes an occurrence of a literal may take in the text (its k
 * and s may be longer there); 0 before litset_build. */
size_t litset_max_len(const litset *ls);

/* Number of distinct literals; a literal's text and owners, those with
 * the same contexts side by side once the set is built. */
size_t litset_count(const litset *ls);
const char *litset_text(const litset *ls, uint32_t li, size_t *len);
const lit_owner *litset_owners(const litset *ls, uint32_t li, size_t *n);

/*
 * Appends to out each occurrence of a literal lying wholly inside
 * text[a..b), in increasing position, except those that no owner of the
 * literal can take: an occurrence that lit_context_ok (lit.h) rejects for
 * every owner, judged by the bytes right before and after it, may be left
 * out. One at a or ending at b is judged as if any byte could stand
 * outside. The result is the same whatever stands outside text[a..b),
 * but text[0..len) (b <= len) may be read: bytes near a and b are then
 * read where they are, not copied. Returns 0, or -1 when out of memory.
 */
int litset_find(const litset *ls, const char *text, size_t len, size_t a,
                size_t b, occ_vec *out);

/*
 * Is there an occurrence of a literal in text[a..b) that starts at or
 * before `last` and that the contexts of its first owner accept, judged
 * by the bytes of text[0..len) around it (lit_context_ok)? 1 or 0, looked
 * at 16 bytes at a time, for the short windows where a companion may be;
 * -1 when that cannot tell: a set of more than 32 literals or with many
 * different first bytes, a window longer than LITSET_NEAR_MAX or too near
 * the end of the text, or a byte from 0x80 up in it that may be part of
 * an occurrence (a literal's, or a k or s of more bytes). The answer is
 * the same as litset_find's then followed by that check on its
 * occurrences.
 */
#define LITSET_NEAR_MAX 64
int litset_first_near(const litset *ls, const char *text, size_t len,
                      size_t a, size_t last, size_t b);

/* Does litset_find find any literal in text[a..b)? */
int litset_any(const litset *ls, const char *text, size_t a, size_t b);

void occ_vec_free(occ_vec *v);

#endif
