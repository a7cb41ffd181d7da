/*
 * litset.c - many literals, one pass (see litset.h).
 *
 * Each byte string searched for (a literal, or one of its k/s variants) is
 * looked up only where an occurrence of it can count for one of its
 * owners, as lit_context_ok in lit.c judges them:
 *
 *   - at word starts, when it starts with an ASCII letter or digit and
 *     every owner wants an edge, white space or \b before it (most do);
 *   - at word ends, the same after it (for those that end with 4 letters
 *     or digits);
 *   - at both, when each owner wants one or the other;
 *   - anywhere, the rest ("$", a regex's word with nothing around it, a
 *     variant with a Kelvin sign in it).
 *
 * A word start is a letter or digit after a byte that is neither (bytes
 * from 0x80 up count as neither), or an upper-case letter after a
 * lower-case one; a word end is the position right after a word, in the
 * same sense. About one position in seven of English text is each. They
 * are marked 64 bytes at a time with SIMD instructions: AVX2 when the
 * machine has it, else SSE2, else with plain 64-bit arithmetic, eight
 * bytes at a time, giving the same bits. The anywhere strings are few:
 * each is keyed by up to four of its bytes whose first two (a rare pair)
 * are marked the same way (without SIMD, by a table of the bytes that
 * begin a pair).
 *
 * A marked position is then looked up by the four bytes there (those
 * before it, at a word end), loosely folded: a hash of them says whether a
 * string keyed by 4 bytes may be there, a hash of the first two or three
 * whether a shorter one may. For the few that pass, the strings with that
 * hash are tested against the 8 bytes there, and exactly if they pass.
 */
#include "litset.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define LITSET_SSE2 1
#if defined(__GNUC__) && defined(__x86_64__)
/* compiled for the machines that have it, taken when this one does */
#include <immintrin.h>
#define LITSET_AVX2 1
#endif
#endif

#include "lit.h"

/* A byte string searched for: a literal or one of its k/s variants. */
typedef struct entry {
    size_t off; /* into litset.bytes */
    size_t len;
    uint32_t lit;
} entry;

/* An entry as a table holds it. It is found from a marked position c (a
 * word start, a word end, a position marked for the anywhere table) by its
 * key: `klen` (1 to 4) of its bytes, loosely folded, from c on (before c,
 * at a word end). It starts at c - back. */
typedef struct tent {
    /* the tests, on the 8 bytes from c on (before c, at a word end), for
     * the entry's bytes among them: loosely folded (quick), and as they
     * are where the entry has a byte other than a letter (raw, in the
     * bytes set in strict); 64 bytes in all, the tests first */
    uint64_t quick, quick_mask, raw, strict;
    const unsigned char *s;
    uint32_t len, back, lit;
    uint32_t key;
    uint16_t hash;
    unsigned char klen;
    unsigned char flags; /* E_* */
    /* a context before and after it that every owner's implies
     * (side_wanted), for an occurrence none of them can take to be
     * dropped */
    unsigned char ctx_left, ctx_right;
    /* every owner has the contexts ctx_left and ctx_right stand for */
    unsigned char same;
} tent;
_Static_assert(sizeof(tent) <= 64, "a table entry is a cache line");

enum {
    E_END = 1,   /* found at a word end: its 8 bytes end there */
    E_REST = 2,  /* it has bytes outside those 8 */
    E_NEVER = 4, /* it has an upper-case letter: it is never found */
    E_BOTH = 8   /* also in the table of word starts */
};

/* The entries of a table by the hash of their key: may an entry have a key
 * with hash h (filter[h]), and which may, e[first[h >> shift] ..
 * first[(h >> shift) + 1]) (fewer buckets than hashes, so that they stay
 * in the cache). */
typedef struct bucket {
    unsigned char *filter;
    uint32_t *first;
    uint32_t mask; /* of a hash */
    unsigned shift;
    unsigned low;  /* keys of 3 bytes: the hash is bits low on of x's
                      product (hash3) */
} bucket;

/* The anywhere table marks its positions by the bytes there: up to this
 * many pairs of bytes, as many single bytes (for keys of one byte), and
 * the bytes from 0x80 up (all of them, when one is needed); with more,
 * every position is marked. */
#define MAX_MARKS 15

typedef struct table {
    tent *e;      /* keys of 4 bytes by hash, of 3 by hash, of 1 or 2 by
                     their first byte */
    size_t n;
    bucket b4;    /* keys of 4 bytes */
    bucket b3;    /* keys of 3 bytes; its filter also says yes to the 3
                     bytes that start with a key of 2 */
    uint32_t *lo; /* keys of 1 or 2 bytes by their first byte, e[lo[c] ..
                     lo[c + 1]); or NULL */
    unsigned char f1[256]; /* is c a key of 1 byte */
    int has3, has1;        /* keys of 2 or 3 bytes; of 1 */
    /* anywhere table: the pairs and single bytes (loosely folded) that
     * mark positions, for SIMD each byte 16 times (pairs first), without
     * SIMD by byte (or NULL) */
    unsigned pairs[MAX_MARKS], singles[MAX_MARKS];
    unsigned char (*vec)[16];
    struct marktab *mt;
    unsigned n_pairs, n_singles;
    int high, every;
} table;

/* The marks of an anywhere table by byte, as they are in a text (not
 * folded): lead[c] is 1 when c begins a mark; bit r of pair[c] when c is
 * the first byte of pair r, bit 16 + r when it is the second, bit ALONE
 * when c is a mark by itself (bit 16 + ALONE of every byte). */
typedef struct marktab {
    unsigned char lead[256];
    uint32_t pair[256];
} marktab;

#define ALONE 15
_Static_assert(MAX_MARKS <= ALONE, "a pair is a bit of a marktab's pair");

/* The tables: word starts, word ends, anywhere. */
enum { T_START, T_END, T_ANY, N_TABLES };

typedef struct litrec {
    char *s;
    size_t len;
    lit_owner *owners;
    size_t n_owners;
} litrec;

struct litset {
    litrec *lits;
    size_t n_lits, cap_lits;
    uint32_t *index;       /* open addressing: text -> literal + 1 */
    size_t index_cap;
    unsigned char *bytes;  /* every entry's bytes, back to back */
    size_t n_bytes, cap_bytes;
    entry *ents;
    size_t n_ents, cap_ents;
    size_t max_len;        /* of an entry */
    table tab[N_TABLES];
    struct near_tab *near; /* for litset_first_near, or NULL */
    int simd;              /* TEXT_SIMD_*: how positions are marked */
    int built;
};

/* A set of at most NEAR_LITS literals whose first two bytes (one for a
 * literal of one byte), loosely folded, are at most NEAR_MARKS pairs:
 * those bytes, 16 times each, as in a table's vec (pairs first); and the
 * literals (by bit) that start with byte c, loosely folded, at first[c].
 * A literal that starts with a byte from 0x80 up is left out, and a window
 * with such a byte is not looked through here when some literal has one
 * (`high`); nor, when some literal has a k or an s (`ks`), one that holds
 * a Kelvin sign or a long s. */
#define NEAR_LITS 32
#define NEAR_MARKS 12

typedef struct near_tab {
    unsigned char vec[2 * NEAR_MARKS][16];
    uint32_t first[256];
    unsigned n_pairs, n_singles;
    int high, ks;
} near_tab;

/* Case folding: exact (A-Z to a-z) for checking, loose (OR 0x20, which
 * maps A-Z to a-z and merges a few other bytes) for keys and quick
 * tests. */
#define LOOSE4 0x20202020u
#define LOOSE8 0x2020202020202020ull

static unsigned char fold(unsigned char c)
{
    return (unsigned char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
}

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }

/* Eight bytes, the first at the low end whatever the machine. */
static uint64_t load8(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x;
}

/* The hashes of a key x of 4 bytes: the high bits of a product, for keys
 * of 4 bytes; and the highest bits of the same product below bit 20,
 * which depend only on bits 0 to 19 of x (its first two bytes and 4 bits
 * of the third), for keys of 3 bytes, and of 2 with each of the 16 third
 * bytes they may see (table_build). Keys of 3 bytes get as many bits as
 * keys of 4: with 12, common words ("wor", "com") met keys of 2 in the
 * filter often enough to cost 1% more instructions. */
#define HASH_MUL 0x9E3779B1u
#define MAX_BITS4 14
#define MAX_BITS3 14
_Static_assert(MAX_BITS3 <= 20, "a key of 3 bytes hashes bits below 20");

static uint32_t hash4(uint32_t x, uint32_t mask)
{
    return (x * HASH_MUL) >> (32 - MAX_BITS4) & mask;
}

static uint32_t hash3(uint32_t x, const bucket *bk)
{
    return (x * HASH_MUL) >> bk->low & bk->mask;
}

static void table_free(table *k)
{
    free(k->e);
    free(k->b4.filter);
    free(k->b4.first);
    free(k->b3.filter);
    free(k->b3.first);
    free(k->lo);
    free(k->vec);
    free(k->mt);
    memset(k, 0, sizeof(*k));
}

litset *litset_new(void)
{
    litset *ls = calloc(1, sizeof(litset));
    if (ls)
        litset_set_simd(ls, TEXT_SIMD_AVX2);
    return ls;
}

void litset_free(litset *ls)
{
    if (!ls)
        return;
    for (size_t i = 0; i < ls->n_lits; i++) {
        free(ls->lits[i].s);
        free(ls->lits[i].owners);
    }
    free(ls->lits);
    free(ls->index);
    free(ls->bytes);
    free(ls->ents);
    for (int k = 0; k < N_TABLES; k++)
        table_free(&ls->tab[k]);
    free(ls->near);
    free(ls);
}

void occ_vec_free(occ_vec *v)
{
    free(v->v);
    v->v = NULL;
    v->n = v->cap = 0;
}

int litset_set_simd(litset *ls, int level)
{
    /* what the machine has (text_simd), as far as this file was built
     * for it */
    int best = text_simd();
#ifndef LITSET_AVX2
    if (best > TEXT_SIMD_SSE2)
        best = TEXT_SIMD_SSE2;
#endif
#ifndef LITSET_SSE2
    best = TEXT_SIMD_NONE;
#endif
    ls->simd = level < best ? level : best;
    return ls->simd;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int add_variants(litset *ls, const char *s, size_t len, size_t i,
                        size_t start, uint32_t li)
{
    size_t j = i;
    while (j < len && s[j] != 'k' && s[j] != 's')
        j++;
    if (grow((void **)&ls->bytes, &ls->cap_bytes, ls->n_bytes + (j - i), 1))
        return -1;
    if (j > i) /* bytes is still NULL before the first of them */
        memcpy(ls->bytes + ls->n_bytes, s + i, j - i);
    ls->n_bytes += j - i;
    i = j;
    if (i == len) {
        if (grow((void **)&ls->ents, &ls->cap_ents, ls->n_ents + 1,
                 sizeof(entry)))
            return -1;
        entry e = {start, ls->n_bytes - start, li};
        ls->ents[ls->n_ents++] = e;
        return 0;
    }
    /* 'k' or 's' as itself, then as the Kelvin sign or the long s: the
     * second copy starts with the prefix copied. */
    static const unsigned char kelvin[] = {0xE2, 0x84, 0xAA};
    static const unsigned char long_s[] = {0xC5, 0xBF};
    const unsigned char *alt = s[i] == 'k' ? kelvin : long_s;
    size_t alt_len = s[i] == 'k' ? sizeof(kelvin) : sizeof(long_s);
    size_t prefix = ls->n_bytes - start;
    if (grow((void **)&ls->bytes, &ls->cap_bytes, ls->n_bytes + 1, 1))
        return -1;
    ls->bytes[ls->n_bytes++] = (unsigned char)s[i];
    if (add_variants(ls, s, len, i + 1, start, li))
        return -1;
    size_t start2 = ls->n_bytes;
    if (grow((void **)&ls->bytes, &ls->cap_bytes,
             ls->n_bytes + prefix + alt_len, 1))
        return -1;
    memmove(ls->bytes + start2, ls->bytes + start, prefix);
    memcpy(ls->bytes + start2 + prefix, alt, alt_len);
    ls->n_bytes += prefix + alt_len;
    return add_variants(ls, s, len, i + 1, start2, li);
}

static size_t text_hash(const char *s, size_t len)
{
    size_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* The index slot for s: where it is, or the empty slot it would take. */
static size_t index_slot(const litset *ls, const char *s, size_t len)
{
    size_t mask = ls->index_cap - 1, h = text_hash(s, len) & mask;
    for (; ls->index[h]; h = (h + 1) & mask) {
        const litrec *r = &ls->lits[ls->index[h] - 1];
        if (r->len == len && memcmp(r->s, s, len) == 0)
            break;
    }
    return h;
}

static int grow_index(litset *ls)
{
    if (ls->index_cap && (ls->n_lits + 1) * 2 <= ls->index_cap)
        return 0;
    size_t cap = ls->index_cap ? ls->index_cap * 2 : 64;
    uint32_t *old = ls->index;
    ls->index = calloc(cap, sizeof(uint32_t));
    if (!ls->index) {
        ls->index = old;
        return -1;
    }
    ls->index_cap = cap;
    free(old);
    for (size_t i = 0; i < ls->n_lits; i++)
        ls->index[index_slot(ls, ls->lits[i].s, ls->lits[i].len)] =
            (uint32_t)i + 1;
    return 0;
}

int litset_add(litset *ls, const char *s, size_t len, uint32_t owner,
               size_t back, int left, int right)
{
    if (len == 0)
        return 0;
    if (grow_index(ls))
        return -1;
    size_t slot = index_slot(ls, s, len);
    size_t i = ls->index[slot] ? ls->index[slot] - 1 : ls->n_lits;
    if (i == ls->n_lits) {
        if (grow((void **)&ls->lits, &ls->cap_lits, ls->n_lits + 1,
                 sizeof(litrec)))
            return -1;
        litrec *r = &ls->lits[ls->n_lits];
        memset(r, 0, sizeof(*r));
        if (!(r->s = malloc(len + 1)))
            return -1;
        memcpy(r->s, s, len);
        r->s[len] = '\0';
        r->len = len;
        ls->n_lits++;
        ls->index[slot] = (uint32_t)ls->n_lits;
        if (add_variants(ls, s, len, 0, ls->n_bytes, (uint32_t)i))
            return -1;
    }
    litrec *r = &ls->lits[i];
    for (size_t j = 0; j < r->n_owners; j++)
        if (r->owners[j].owner == owner) {
            lit_owner *o = &r->owners[j];
            if (back > o->back)
                o->back = back;
            o->left = (unsigned char)lit_context_join(o->left, left);
            o->right = (unsigned char)lit_context_join(o->right, right);
            return 0;
        }
    /* room for 4 owners at first (most literals have one or two), then
     * twice as many each time it is full */
    size_t n = r->n_owners;
    if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
        lit_owner *o = realloc(r->owners, (n ? 2 * n : 4) * sizeof(*o));
        if (!o)
            return -1;
        r->owners = o;
    }
    lit_owner *o = r->owners;
    o[r->n_owners++] =
        (lit_owner){owner, back, (unsigned char)left, (unsigned char)right};
    ls->built = 0;
    return 0;
}


/* ---- building the tables ---- */

/*
 * Where an entry is looked up. An owner whose context before the literal
 * is bounded (an edge, white space, \b) takes an occurrence that starts
 * with a letter or digit only at a word start: side_ok in lit.c lets such
 * a context pass only after a byte that is neither (or none), or at a
 * lower/upper turn. The same holds after the literal, at word ends.
 *
 * The tables of word starts and ends take entries of 2 bytes or more;
 * that of word ends only those that end with 4 letters or digits, so that
 * only the word ends after 4 of them are looked up (two words in three).
 * An entry with a byte from 0x80 up (a Kelvin sign, a long s) goes to the
 * anywhere table, keyed at that byte: such bytes are rare in postings,
 * and the variants would crowd the buckets of the word tables.
 */
enum { AT_START, AT_END, AT_BOTH, AT_ANY };

/* A context on one side of r (after it when `right`) that takes every
 * byte one of its owners takes there: LIT_ANY when one takes any. */
static int side_wanted(const litrec *r, int right)
{
    int want = LIT_ANY;
    for (size_t j = 0; j < r->n_owners; j++) {
        int c = right ? r->owners[j].right : r->owners[j].left;
        want = j ? lit_context_join(want, c) : c;
    }
    return lit_ctx_bounded(want) ? want : LIT_ANY;
}

/* Do all the owners of r have the same contexts? Then side_wanted gives
 * them where they are bounded, and checking those is checking each. */
static int owners_agree(const litrec *r)
{
    for (size_t j = 1; j < r->n_owners; j++)
        if (r->owners[j].left != r->owners[0].left ||
            r->owners[j].right != r->owners[0].right)
            return 0;
    return 1;
}

static int place_of(const litset *ls, const entry *e)
{
    const unsigned char *s = ls->bytes + e->off;
    const litrec *r = &ls->lits[e->lit];
    int first = is_alnum(s[0]), last = is_alnum(s[e->len - 1]);
    int all_left = 1, all_right = 1, each = 1;
    size_t trail = 0;
    for (size_t i = 0; i < e->len; i++)
        if (s[i] >= 0x80)
            return AT_ANY;
    while (trail < 4 && trail < e->len && is_alnum(s[e->len - 1 - trail]))
        trail++;
    for (size_t j = 0; j < r->n_owners; j++) {
        int left = first && lit_ctx_bounded(r->owners[j].left);
        int right = last && lit_ctx_bounded(r->owners[j].right);
        all_left &= left;
        all_right &= right;
        each &= left | right;
    }
    if (all_left && e->len >= 2)
        return AT_START;
    if (trail < 4)
        return AT_ANY;
    return all_right ? AT_END : each ? AT_BOTH : AT_ANY;
}

/* Keys e by klen of its bytes from s[back] on, or (at a word end) by its
 * last 4; and sets its tests (see tent). */
static void set_key(tent *e, size_t back, size_t klen, int end)
{
    size_t from = end ? e->len - 4 : back;
    uint32_t x = 0;
    for (size_t k = 0; k < klen; k++)
        x |= (uint32_t)(e->s[from + k] | 0x20) << (8 * k);
    e->klen = (unsigned char)klen;
    e->key = x;
    e->back = (uint32_t)(end ? e->len : back);
    e->flags = end ? E_END : 0;
    /* the entry's bytes in the 8 at c: from its byte `from` on, at byte
     * `at` of the 8 */
    from = end ? (e->len > 8 ? e->len - 8 : 0) : back;
    size_t n = e->len - from < 8 ? e->len - from : 8;
    size_t at = end ? 8 - n : 0;
    e->quick = e->quick_mask = e->raw = e->strict = 0;
    if (from > 0 || from + n < e->len)
        e->flags |= E_REST;
    for (size_t k = 0; k < e->len; k++)
        if (is_upper(e->s[k]))
            e->flags |= E_NEVER;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = e->s[from + k];
        unsigned shift = (unsigned)(8 * (at + k));
        e->quick |= (uint64_t)(c | 0x20) << shift;
        e->quick_mask |= (uint64_t)0xFF << shift;
        e->raw |= (uint64_t)c << shift;
        if (!is_lower(c))
            e->strict |= (uint64_t)0xFF << shift;
    }
}

/* The mark of an anywhere entry keyed from its byte r: the pair of bytes
 * there (loosely folded; one byte when the key has one), or 0x100 for
 * any byte from 0x80 up. */
static unsigned mark_of(const tent *e, size_t r)
{
    unsigned c = e->s[r] | 0x20u;
    if (c >= 0x80)
        return 0x100;
    return r + 1 < e->len ? c | (e->s[r + 1] | 0x20u) << 8 : c;
}

/* The marks taken so far, as bits: a mark is below 0x10000. */
typedef unsigned char mark_set[0x10000 / 8];

static int has_mark(const unsigned char *used, unsigned m)
{
    return used[m >> 3] >> (m & 7) & 1;
}

/*
 * lit_estimate of windows of up to four bytes, remembered: the anywhere
 * entries are mostly the k/s variants of a few literals, which share most
 * of their windows (three in four estimates are asked for again). A
 * direct-mapped cache, for the tables that have many entries.
 */
#define EST_BITS 12
#define EST_MIN_ENTRIES 64

typedef struct est_cache {
    uint64_t key[1 << EST_BITS]; /* the length, then the bytes; 0: none */
    double est[1 << EST_BITS];
} est_cache;

static double estimate(est_cache *c, const char *s, size_t n)
{
    if (!c)
        return lit_estimate(s, n);
    uint64_t key = n;
    for (size_t k = 0; k < n; k++)
        key |= (uint64_t)(unsigned char)s[k] << (8 * (k + 1));
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15u) >> (64 - EST_BITS));
    if (c->key[h] != key) {
        c->key[h] = key;
        c->est[h] = lit_estimate(s, n);
    }
    return c->est[h];
}

/* Which bytes key each anywhere entry: a window of up to four, whose
 * first two bytes mark the positions looked up. Few and rare marks are
 * best, and keys that seldom match: greedily, shorter entries (with less
 * choice) first, a mark already taken costs nothing more (all bytes from
 * 0x80 up are one mark, about 1% of a posting). With `rare` 0 (every
 * position looked up) the keys are the rarest four bytes ("trai" of
 * "training" is also in "train"). */
static void choose_keys(table *k, int rare)
{
    mark_set used;
    memset(used, 0, sizeof(used));
    size_t n_used = 0, longest = 0;
    est_cache *cache =
        k->n >= EST_MIN_ENTRIES ? calloc(1, sizeof(est_cache)) : NULL;
    for (size_t i = 0; i < k->n; i++)
        if (k->e[i].len > longest)
            longest = k->e[i].len;
    for (size_t len = 1; len <= longest; len++)
        for (size_t i = 0; i < k->n; i++) {
            tent *e = &k->e[i];
            if (e->len != len)
                continue;
            size_t full = len < 4 ? len : 4, at = 0;
            double best = -1;
            for (size_t r = 0; r < len; r++) {
                size_t klen = len - r < 4 ? len - r : 4;
                const char *s = (const char *)e->s + r;
                unsigned m = mark_of(e, r);
                double est;
                if (!rare) {
                    if (klen < full)
                        break;
                    est = estimate(cache, s, klen);
                } else {
                    /* the positions it adds; the places where its key
                     * passes, each costing more than a position */
                    est = has_mark(used, m) ? 0
                          : m == 0x100      ? 0.01
                                       : estimate(cache, s, m > 0xFF ? 2 : 1);
                    est += 4 * estimate(cache, s, klen);
                }
                if (best < 0 || est < best) {
                    best = est;
                    at = r;
                }
            }
            unsigned m = mark_of(e, at);
            if (!has_mark(used, m) && n_used < 2 * MAX_MARKS + 1) {
                used[m >> 3] |= (unsigned char)(1u << (m & 7));
                n_used++;
            }
            set_key(e, at, len - at < 4 ? len - at : 4, 0);
        }
    free(cache);
}

/* Adds mark m to v[0 .. *n) unless it is there. Returns -1 when it is
 * not and v is full. */
static int take(unsigned *v, unsigned *n, unsigned m)
{
    for (unsigned i = 0; i < *n; i++)
        if (v[i] == m)
            return 0;
    if (*n == MAX_MARKS)
        return -1;
    v[(*n)++] = m;
    return 0;
}

/* Sets bits in the pair of each byte that folds loosely to f. */
static void mark_bytes(marktab *mt, unsigned f, uint32_t bits)
{
    mt->pair[f] |= bits;
    mt->pair[f & ~0x20u] |= bits;
}

/* The marks of the anywhere table; too many make every position marked.
 * Returns 0, or -1 when out of memory. */
/* The marks as the SIMD compares read them: each pair's first byte and
 * second byte, then each single byte, 16 times over. */
static void fill_vec(unsigned char (*vec)[16], const unsigned *pairs,
                     unsigned np, const unsigned *singles, unsigned ns)
{
    for (unsigned j = 0; j < np; j++) {
        memset(vec[2 * j], (int)(pairs[j] & 0xFF), 16);
        memset(vec[2 * j + 1], (int)(pairs[j] >> 8), 16);
    }
    for (unsigned j = 0; j < ns; j++)
        memset(vec[2 * np + j], (int)singles[j], 16);
}

static int set_marks(table *k)
{
    k->n_pairs = k->n_singles = 0;
    k->high = k->every = 0;
    for (size_t i = 0; i < k->n && !k->every; i++) {
        unsigned m = mark_of(&k->e[i], k->e[i].back);
        if (m == 0x100)
            k->high = 1;
        else if (take(m > 0xFF ? k->pairs : k->singles,
                      m > 0xFF ? &k->n_pairs : &k->n_singles, m))
            k->every = 1;
    }
    if (k->every || !k->n)
        return 0;
    if (!(k->mt = calloc(1, sizeof(*k->mt))))
        return -1;
    marktab *mt = k->mt;
    for (unsigned c = 0; c < 256; c++)
        mt->pair[c] = (uint32_t)1 << (16 + ALONE) |
                      (uint32_t)(k->high && c >= 0x80) << ALONE;
    for (unsigned j = 0; j < k->n_pairs; j++) {
        mark_bytes(mt, k->pairs[j] & 0xFF, (uint32_t)1 << j);
        mark_bytes(mt, k->pairs[j] >> 8, (uint32_t)1 << (16 + j));
    }
    for (unsigned j = 0; j < k->n_singles; j++)
        mark_bytes(mt, k->singles[j], (uint32_t)1 << ALONE);
    for (unsigned c = 0; c < 256; c++)
        mt->lead[c] = (mt->pair[c] & 0xFFFF) != 0;
    size_t nv = 2 * k->n_pairs + k->n_singles;
    if (!nv)
        return 0;
    /* aligned for SIMD loads */
    if (!(k->vec = aligned_alloc(16, nv * sizeof(*k->vec))))
        return -1;
    fill_vec(k->vec, k->pairs, k->n_pairs, k->singles, k->n_singles);
    return 0;
}

/* A filter for n keys: about 1 byte in 64 set, from 64 bytes (a rule set
 * has hundreds of small litsets) up to 2^max; at most 2^11 buckets. */
static int bucket_new(bucket *bk, size_t n, unsigned max)
{
    unsigned bits = 6;
    while (bits < max && ((size_t)1 << bits) < n * 64)
        bits++;
    bk->mask = (uint32_t)(((size_t)1 << bits) - 1);
    bk->shift = bits > 11 ? bits - 11 : 0;
    bk->low = 20 - bits;
    bk->filter = calloc((size_t)1 << bits, 1);
    bk->first = calloc(((size_t)1 << (bits - bk->shift)) + 1,
                       sizeof(uint32_t));
    return bk->filter && bk->first ? 0 : -1;
}

/* Takes an entry with hash h. */
static void bucket_take(bucket *bk, uint32_t h)
{
    bk->filter[h] = 1;
    bk->first[(h >> bk->shift) + 1]++;
}

/* first[h] from the count of entries with each hash (in first[h + 1]). */
static void bucket_sum(uint32_t *first, size_t n, uint32_t base)
{
    first[0] = base;
    for (size_t h = 0; h < n; h++)
        first[h + 1] += first[h];
}

/* Where e goes among the entries of its table: keys of 4 bytes, of 3,
 * of 1 or 2. */
static int group_of(const tent *e)
{
    return e->klen == 4 ? 0 : e->klen == 3 ? 1 : 2;
}

/*
 * The order of a table's entries: by group, then hash, then length, then
 * where their bytes are. A merge sort of their keys (qsort with a compare
 * function cost as much as the rest of building the tables).
 */
typedef struct sort_key {
    uint64_t key; /* group, hash, length */
    uintptr_t s;
    size_t at;    /* in the table */
} sort_key;

static int key_before(const sort_key *a, const sort_key *b)
{
    return a->key != b->key ? a->key < b->key : a->s < b->s;
}

/* Sorts k->e; -1 when out of memory. */
static int sort_entries(table *k)
{
    size_t n = k->n;
    sort_key *v = malloc(2 * n * sizeof(*v) + 1);
    tent *e = malloc(n * sizeof(*e) + 1);
    if (!v || !e) {
        free(v);
        free(e);
        return -1;
    }
    sort_key *tmp = v + n;
    for (size_t i = 0; i < n; i++) {
        const tent *t = &k->e[i];
        v[i].key = (uint64_t)group_of(t) << 48 | (uint64_t)t->hash << 32 | t->len;
        v[i].s = (uintptr_t)t->s;
        v[i].at = i;
    }
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n;
            size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                tmp[o++] = key_before(&v[j], &v[i]) ? v[j++] : v[i++];
            while (i < mid)
                tmp[o++] = v[i++];
            while (j < hi)
                tmp[o++] = v[j++];
        }
        sort_key *swap = v;
        v = tmp;
        tmp = swap;
    }
    for (size_t i = 0; i < n; i++)
        e[i] = k->e[v[i].at];
    free(v < tmp ? v : tmp); /* the block both are in */
    free(k->e);
    k->e = e;
    return 0;
}

static int table_build(table *k)
{
    size_t n[3] = {0, 0, 0}, n2 = 0;
    for (size_t i = 0; i < k->n; i++) {
        n[group_of(&k->e[i])]++;
        n2 += k->e[i].klen == 2;
        k->has1 |= k->e[i].klen == 1;
    }
    k->has3 = n[1] + n2 > 0;
    /* a key of 2 bytes stands for the 16 of 3 its hash may see */
    if (bucket_new(&k->b4, n[0], MAX_BITS4) ||
        bucket_new(&k->b3, n[1] + 16 * n2, MAX_BITS3) ||
        (n[2] && !(k->lo = calloc(257, sizeof(uint32_t)))))
        return -1;
    for (size_t i = 0; i < k->n; i++) {
        tent *e = &k->e[i];
        e->hash = (uint16_t)(e->klen == 4   ? hash4(e->key, k->b4.mask)
                             : e->klen == 3 ? hash3(e->key, &k->b3)
                                            : e->key & 0xFF);
    }
    if (sort_entries(k))
        return -1;
    for (size_t i = 0; i < k->n; i++) {
        const tent *e = &k->e[i];
        if (e->klen >= 3) {
            bucket_take(e->klen == 4 ? &k->b4 : &k->b3, e->hash);
        } else {
            k->lo[e->hash + 1]++;
            if (e->klen == 1)
                k->f1[e->key] = 1;
            else /* whatever the 4 bits of the byte after it hash3 sees */
                for (uint32_t c = 0; c < 16; c++)
                    k->b3.filter[hash3(c << 16 | e->key, &k->b3)] = 1;
        }
    }
    bucket_sum(k->b4.first, (size_t)(k->b4.mask >> k->b4.shift) + 1, 0);
    bucket_sum(k->b3.first, (size_t)(k->b3.mask >> k->b3.shift) + 1,
               (uint32_t)n[0]);
    if (k->lo)
        bucket_sum(k->lo, 256, (uint32_t)(n[0] + n[1]));
    return 0;
}

/* Sets ls->near when the literals are few and start with few pairs of
 * bytes. Returns 0, or -1 when out of memory. */
static int near_build(litset *ls)
{
    unsigned pairs[MAX_MARKS] = {0}, singles[MAX_MARKS] = {0}, np = 0, ns = 0;
    for (size_t i = 0; i < ls->n_lits; i++) {
        const unsigned char *t = (const unsigned char *)ls->lits[i].s;
        unsigned m = t[0] | 0x20u;
        if (m >= 0x80)
            continue;
        if (ls->lits[i].len > 1)
            m |= (t[1] | 0x20u) << 8;
        if (take(m > 0xFF ? pairs : singles, m > 0xFF ? &np : &ns, m) ||
            np + ns > NEAR_MARKS)
            return 0;
    }
    near_tab *nt = aligned_alloc(16, sizeof(near_tab));
    if (!nt)
        return -1;
    memset(nt, 0, sizeof(*nt));
    fill_vec(nt->vec, pairs, np, singles, ns);
    nt->n_pairs = np;
    nt->n_singles = ns;
    for (size_t i = 0; i < ls->n_lits; i++) {
        const litrec *r = &ls->lits[i];
        nt->first[(unsigned char)r->s[0] | 0x20] |= (uint32_t)1 << i;
        for (size_t k = 0; k < r->len; k++) {
            nt->high |= (unsigned char)r->s[k] >= 0x80;
            nt->ks |= r->s[k] == 'k' || r->s[k] == 's';
        }
    }
    ls->near = nt;
    return 0;
}

/* Puts the owners of r with the same contexts side by side (an insertion
 * sort: a literal has a few owners), so that a check of the contexts
 * around an occurrence serves each run of them (litset_owners). */
static void group_owners(litrec *r)
{
    for (size_t i = 1; i < r->n_owners; i++) {
        lit_owner x = r->owners[i];
        size_t j = i;
        while (j > 0 && (r->owners[j - 1].left > x.left ||
                         (r->owners[j - 1].left == x.left &&
                          r->owners[j - 1].right > x.right))) {
            r->owners[j] = r->owners[j - 1];
            j--;
        }
        r->owners[j] = x;
    }
}

int litset_build(litset *ls)
{
    for (int k = 0; k < N_TABLES; k++)
        table_free(&ls->tab[k]);
    free(ls->near);
    ls->near = NULL;
    for (size_t i = 0; i < ls->n_lits; i++)
        group_owners(&ls->lits[i]);
    if (ls->n_lits <= NEAR_LITS && near_build(ls))
        return -1;
    ls->max_len = 0;
    unsigned char *place = malloc(ls->n_ents + 1);
    if (!place)
        return -1;
    size_t count[N_TABLES] = {0, 0, 0};
    for (size_t i = 0; i < ls->n_ents; i++) {
        const entry *e = &ls->ents[i];
        if (e->len > ls->max_len)
            ls->max_len = e->len;
        place[i] = (unsigned char)place_of(ls, e);
        count[T_START] += place[i] == AT_START || place[i] == AT_BOTH;
        count[T_END] += place[i] == AT_END || place[i] == AT_BOTH;
        count[T_ANY] += place[i] == AT_ANY;
    }
    for (int k = 0; k < N_TABLES; k++)
        if (!(ls->tab[k].e = malloc((count[k] + 1) * sizeof(tent)))) {
            free(place);
            return -1;
        }
    unsigned char want[2] = {LIT_ANY, LIT_ANY};
    int same = 0;
    for (size_t i = 0; i < ls->n_ents; i++) {
        const entry *e = &ls->ents[i];
        tent x;
        memset(&x, 0, sizeof(x));
        x.s = ls->bytes + e->off;
        x.len = (uint32_t)e->len;
        x.lit = e->lit;
        /* a literal's entries (its k/s variants) are side by side */
        if (i == 0 || e->lit != ls->ents[i - 1].lit) {
            for (int right = 0; right < 2; right++)
                want[right] =
                    (unsigned char)side_wanted(&ls->lits[e->lit], right);
            same = owners_agree(&ls->lits[e->lit]);
        }
        x.ctx_left = want[0];
        x.ctx_right = want[1];
        x.same = (unsigned char)same;
        if (place[i] == AT_ANY) {
            table *k = &ls->tab[T_ANY];
            k->e[k->n++] = x; /* keyed below */
            continue;
        }
        if (place[i] != AT_END) {
            table *k = &ls->tab[T_START];
            set_key(&x, 0, e->len < 4 ? e->len : 4, 0);
            k->e[k->n++] = x;
        }
        if (place[i] != AT_START) {
            table *k = &ls->tab[T_END];
            set_key(&x, 0, 4, 1);
            if (place[i] == AT_BOTH)
                x.flags |= E_BOTH;
            k->e[k->n++] = x;
        }
    }
    free(place);
    table *any = &ls->tab[T_ANY];
    choose_keys(any, 1);
    if (set_marks(any))
        return -1;
    if (any->every)
        choose_keys(any, 0);
    for (int k = 0; k < N_TABLES; k++)
        if (table_build(&ls->tab[k]))
            return -1;
    ls->built = 1;
    return 0;
}

size_t litset_count(const litset *ls) { return ls->n_lits; }

size_t litset_max_len(const litset *ls) { return ls->max_len; }

const char *litset_text(const litset *ls, uint32_t li, size_t *len)
{
    *len = ls->lits[li].len;
    return ls->lits[li].s;
}

const lit_owner *litset_owners(const litset *ls, uint32_t li, size_t *n)
{
    *n = ls->lits[li].n_owners;
    return ls->lits[li].owners;
}

/* ---- the search ---- */

#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

static int same_folded(const unsigned char *t, const unsigned char *s,
                       size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fold(t[i]) != s[i])
            return 0;
    return 1;
}

static int emit(occ_vec *out, size_t pos, size_t len, uint32_t li,
                int checked)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 64;
        lit_occ *v = realloc(out->v, cap * sizeof(*v));
        if (!v)
            return -1;
        out->v = v;
        out->cap = cap;
    }
    out->v[out->n++] = (lit_occ){pos, pos + len, li, (uint32_t)checked};
    return 0;
}

/* Puts out[from..] in order of position: the tables are looked up one
 * after the other, a chunk of 1 KiB at a time, and an entry found at its
 * end or by bytes inside it starts before, so the occurrences are a
 * little out of order and an insertion sort is quick. */
static void sort_occ(occ_vec *out, size_t from)
{
    for (size_t i = from + 1; i < out->n; i++) {
        lit_occ x = out->v[i];
        size_t j = i;
        while (j > from && out->v[j - 1].pos > x.pos) {
            out->v[j] = out->v[j - 1];
            j--;
        }
        out->v[j] = x;
    }
}

/* Is p a word start (as litset_find marks them, for a letter or digit at
 * p)? Nothing before a is read. */
static int word_start(const unsigned char *t, size_t a, size_t p)
{
    return p == a || !is_alnum(t[p - 1]) ||
           (is_lower(t[p - 1]) && is_upper(t[p]));
}

/* What a search looks through, and where it puts what it finds. */
typedef struct search {
    const unsigned char *t;
    size_t a, b;
    size_t len; /* t[0..len) may be read */
    occ_vec *out;
} search;

/* Appends e if it stands at position c (its quick test passed) and lies
 * in t[a..b), unless no owner can take it for the bytes around it (inside
 * t[a..b): at a or b any byte may stand). An entry also in the table of
 * word starts was found there if it starts at one. */
static int verify(const search *s, const tent *e, size_t c)
{
    size_t p = c - e->back;
    if (c - s->a < e->back || e->len > s->b - p || (e->flags & E_NEVER))
        return 0;
    if (e->flags & E_REST) {
        /* the bytes outside the 8 at c (see set_key) */
        size_t from = e->flags & E_END ? (e->len > 8 ? e->len - 8 : 0)
                                       : e->back;
        size_t to = from + (e->len - from < 8 ? e->len - from : 8);
        if (!same_folded(s->t + p, e->s, from) ||
            !same_folded(s->t + p + to, e->s + to, e->len - to))
            return 0;
    }
    if ((e->flags & E_BOTH) && word_start(s->t, s->a, p))
        return 0;
    const unsigned char *t = s->t;
    size_t q = p + e->len;
    if (e->ctx_left != LIT_ANY && p > s->a &&
        !lit_side_ok(e->ctx_left, t[p - 1], t[p],
                     lit_lower_upper(t[p - 1], t[p])))
        return 0;
    if (e->ctx_right != LIT_ANY && q < s->b &&
        !lit_side_ok(e->ctx_right, t[q], t[q - 1],
                     lit_lower_upper(t[q - 1], t[q])))
        return 0;
    return emit(s->out, p, e->len, e->lit,
                e->same && p > s->a && q < s->b);
}

/* Appends the entries e[from .. to) that stand at position c, whose 8
 * bytes (see tent) are raw. */
static ALWAYS_INLINE int check(const search *s, const tent *e, uint32_t from,
                               uint32_t to, uint64_t raw, size_t c)
{
    uint64_t quick = raw | LOOSE8;
    for (const tent *end = e + to, *f = e + from; f < end; f++)
        if ((quick & f->quick_mask) == f->quick &&
            !((raw ^ f->raw) & f->strict) && verify(s, f, c))
            return -1;
    return 0;
}

/* Appends the entries of k that stand at position c, whose key bytes are
 * x and 8 bytes raw, once its filters said yes: bit 0 of may for the keys
 * of 4 bytes, bit 1 for the shorter ones. */
static int found(const table *k, const search *s, unsigned may, uint32_t x,
                 uint64_t raw, size_t c)
{
    uint32_t h = x * HASH_MUL;
    uint32_t h4 = (h >> (32 - MAX_BITS4) & k->b4.mask) >> k->b4.shift;
    if ((may & 1) &&
        check(s, k->e, k->b4.first[h4], k->b4.first[h4 + 1], raw, c))
        return -1;
    if (!(may & 2))
        return 0;
    h = (h >> k->b3.low & k->b3.mask) >> k->b3.shift;
    if (check(s, k->e, k->b3.first[h], k->b3.first[h + 1], raw, c))
        return -1;
    h = x & 0xFF;
    return k->lo && check(s, k->e, k->lo[h], k->lo[h + 1], raw, c);
}

/* A position of a chunk where filters said yes: its offset in the chunk
 * (below 64 CHUNK) times 4, plus which said yes. */
typedef uint16_t hit;

/* Looks up table k at the marked positions of the blocks of 64 from base
 * on (bit j of cand[i]: position base + 64 i + j, its byte at src[i][j];
 * src[i][-8] to src[i][71] may be read). First, without a branch, where
 * its filters say an entry may be (for keys of 4 bytes; of 2 or 3 when
 * f3; of 1 when f1), then which entries are there: a few positions at a
 * time, their memory loads overlap. */
static ALWAYS_INLINE int look_in(const table *k, int end, int f3, int f1,
                                 const search *s, size_t base,
                                 const uint64_t *cand,
                                 const unsigned char *const *src, size_t n,
                                 hit *hits)
{
    const unsigned char *f4 = k->b4.filter, *g3 = k->b3.filter;
    uint32_t m4 = k->b4.mask, m3 = k->b3.mask;
    unsigned s3 = k->b3.low;
    size_t nh = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *q = src[i] - (end ? 8 : 0);
        for (uint64_t m = cand[i]; m; m &= m - 1) {
            unsigned j = (unsigned)__builtin_ctzll(m);
            uint64_t raw = load8(q + j);
            uint32_t x = (uint32_t)(end ? raw >> 32 : raw) | LOOSE4;
            uint32_t h = x * HASH_MUL;
            unsigned may = f4[h >> (32 - MAX_BITS4) & m4];
            if (f3)
                may |= (unsigned)g3[h >> s3 & m3] << 1;
            if (f1)
                may |= (unsigned)k->f1[x & 0xFF] << 1;
            hits[nh] = (hit)((64 * i + j) << 2 | may);
            nh += may != 0;
        }
    }
    for (size_t r = 0; r < nh; r++) {
        size_t at = hits[r] >> 2, i = at / 64, j = at % 64;
        uint64_t raw = load8(src[i] + j - (end ? 8 : 0));
        uint32_t x = (uint32_t)(end ? raw >> 32 : raw) | LOOSE4;
        if (found(k, s, hits[r] & 3, x, raw, base + at))
            return -1;
    }
    return 0;
}

static int look(const table *k, int end, const search *s, size_t base,
                const uint64_t *cand, const unsigned char *const *src,
                size_t n, hit *hits)
{
    if (end)
        return look_in(k, 1, 0, 0, s, base, cand, src, n, hits);
    return k->has1   ? look_in(k, 0, 1, 1, s, base, cand, src, n, hits)
           : k->has3 ? look_in(k, 0, 1, 0, s, base, cand, src, n, hits)
                     : look_in(k, 0, 0, 0, s, base, cand, src, n, hits);
}

/* Bit j of each, for the byte at p[j] (64 of them): a letter or digit, a
 * lower-case letter, an upper-case one; a position the anywhere table
 * looks up. */
typedef struct marks {
    uint64_t alnum, lower, upper, anyw;
} marks;

/* Does the anywhere table look up the position of p[0]? */
static int marked(const marktab *mt, const unsigned char *p)
{
    return (mt->pair[p[0]] & mt->pair[p[1]] >> 16) != 0;
}

/* Eight bytes at a time without SIMD instructions: the high bit of each
 * byte of x that lies in [lo, hi] (below 0x80), then those bits as 8. */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static uint64_t swar_in(uint64_t x, unsigned lo, unsigned hi)
{
    /* (b | 0x80) - k keeps its high bit when b's low 7 bits are >= k,
     * and borrows nothing from the next byte */
    uint64_t low7 = (x & ~HIGHS) | HIGHS;
    uint64_t ge_lo = (low7 - lo * ONES) & HIGHS;
    uint64_t ge_hi = (low7 - (hi + 1) * ONES) & HIGHS;
    return ge_lo & ~ge_hi & ~x;
}

static uint64_t swar_bits(uint64_t highs)
{
    return (highs >> 7) * 0x0102040810204080ull >> 56;
}

static void mark_portable(const litset *ls, const unsigned char *p,
                          marks *m)
{
    const table *k = &ls->tab[T_ANY];
    uint64_t alnum = 0, lower = 0, upper = 0, anyw = 0;
    for (unsigned j = 0; j < 64; j += 8) {
        uint64_t x = load8(p + j);
        uint64_t lo = swar_in(x, 'a', 'z'), up = swar_in(x, 'A', 'Z');
        alnum |= swar_bits(lo | up | swar_in(x, '0', '9')) << j;
        lower |= swar_bits(lo) << j;
        upper |= swar_bits(up) << j;
    }
    if (k->every) {
        anyw = ~(uint64_t)0;
    } else if (k->mt) {
        const unsigned char *lt = k->mt->lead;
        uint64_t lead = 0;
        for (unsigned j = 0; j < 64; j += 8)
            lead |= (uint64_t)(lt[p[j]] | lt[p[j + 1]] << 1 |
                               lt[p[j + 2]] << 2 | lt[p[j + 3]] << 3 |
                               lt[p[j + 4]] << 4 | lt[p[j + 5]] << 5 |
                               lt[p[j + 6]] << 6 | lt[p[j + 7]] << 7)
                    << j;
        for (; lead; lead &= lead - 1) {
            unsigned j = (unsigned)__builtin_ctzll(lead);
            anyw |= (uint64_t)marked(k->mt, p + j) << j;
        }
    }
    m->alnum = alnum;
    m->lower = lower;
    m->upper = upper;
    m->anyw = anyw;
}
#undef ONES
#undef HIGHS

#ifdef LITSET_SSE2
/* Is each byte of x in [lo, lo + n)? Shifted to start at -128, a signed
 * compare with the end says. */
static __m128i in_range(__m128i x, int lo, int n)
{
    __m128i y = _mm_add_epi8(x, _mm_set1_epi8((char)(128 - lo)));
    return _mm_cmplt_epi8(y, _mm_set1_epi8((char)(n - 128)));
}

static __m128i vec_at(const unsigned char *v)
{
    return _mm_loadu_si128((const __m128i *)(const void *)v);
}

static __m128i loose16(const unsigned char *p)
{
    return _mm_or_si128(vec_at(p), _mm_set1_epi8(0x20));
}

/* The marks of 16 bytes x (l: loosely folded), at bits 16 v of m. */
static ALWAYS_INLINE void mark16(__m128i x, __m128i l, unsigned v, marks *m)
{
    __m128i letter = in_range(l, 'a', 26), up = in_range(x, 'A', 26);
    __m128i an = _mm_or_si128(letter, in_range(x, '0', 10));
    m->alnum |= (uint64_t)(unsigned)_mm_movemask_epi8(an) << 16 * v;
    m->upper |= (uint64_t)(unsigned)_mm_movemask_epi8(up) << 16 * v;
    m->lower |= (uint64_t)(unsigned)_mm_movemask_epi8(
                    _mm_andnot_si128(up, letter))
                << 16 * v;
}

static ALWAYS_INLINE void mark_sse2(const litset *ls, const unsigned char *p,
                                    marks *m)
{
    const table *k = &ls->tab[T_ANY];
    __m128i x0 = vec_at(p), x1 = vec_at(p + 16), x2 = vec_at(p + 32);
    __m128i x3 = vec_at(p + 48), lo = _mm_set1_epi8(0x20);
    __m128i l0 = _mm_or_si128(x0, lo), l1 = _mm_or_si128(x1, lo);
    __m128i l2 = _mm_or_si128(x2, lo), l3 = _mm_or_si128(x3, lo);
    m->alnum = m->lower = m->upper = 0;
    mark16(x0, l0, 0, m);
    mark16(x1, l1, 1, m);
    mark16(x2, l2, 2, m);
    mark16(x3, l3, 3, m);
    if (!k->n || k->every) {
        m->anyw = k->every ? ~(uint64_t)0 : 0;
        return;
    }
    /* the positions of the anywhere table, mark by mark over the 64
     * bytes */
    __m128i a0 = _mm_setzero_si128(), a1 = a0, a2 = a0, a3 = a0;
    if (k->high) {
        a0 = x0;
        a1 = x1;
        a2 = x2;
        a3 = x3;
    }
    const __m128i *c = (const __m128i *)(const void *)k->vec;
    if (k->n_pairs) {
        __m128i n0 = loose16(p + 1), n1 = loose16(p + 17);
        __m128i n2 = loose16(p + 33), n3 = loose16(p + 49);
        for (const __m128i *end = c + 2 * k->n_pairs; c < end; c += 2) {
            __m128i f = c[0], g = c[1];
            a0 = _mm_or_si128(a0, _mm_and_si128(_mm_cmpeq_epi8(l0, f),
                                                _mm_cmpeq_epi8(n0, g)));
            a1 = _mm_or_si128(a1, _mm_and_si128(_mm_cmpeq_epi8(l1, f),
                                                _mm_cmpeq_epi8(n1, g)));
            a2 = _mm_or_si128(a2, _mm_and_si128(_mm_cmpeq_epi8(l2, f),
                                                _mm_cmpeq_epi8(n2, g)));
            a3 = _mm_or_si128(a3, _mm_and_si128(_mm_cmpeq_epi8(l3, f),
                                                _mm_cmpeq_epi8(n3, g)));
        }
    }
    /* k->vec is NULL when there is nothing to compare */
    for (const __m128i *end = k->n_singles ? c + k->n_singles : c; c < end;
         c++) {
        __m128i f = c[0];
        a0 = _mm_or_si128(a0, _mm_cmpeq_epi8(l0, f));
        a1 = _mm_or_si128(a1, _mm_cmpeq_epi8(l1, f));
        a2 = _mm_or_si128(a2, _mm_cmpeq_epi8(l2, f));
        a3 = _mm_or_si128(a3, _mm_cmpeq_epi8(l3, f));
    }
    m->anyw = (uint64_t)(unsigned)_mm_movemask_epi8(a0) |
              (uint64_t)(unsigned)_mm_movemask_epi8(a1) << 16 |
              (uint64_t)(unsigned)_mm_movemask_epi8(a2) << 32 |
              (uint64_t)(unsigned)_mm_movemask_epi8(a3) << 48;
}
#endif

#ifdef LITSET_AVX2
/* As mark_sse2, 32 bytes at a time, on machines that have AVX2. */
#define V32(p) _mm256_loadu_si256((const __m256i *)(const void *)(p))

__attribute__((target("avx2"))) static ALWAYS_INLINE __m256i
in_range32(__m256i x, int lo, int n)
{
    __m256i y = _mm256_add_epi8(x, _mm256_set1_epi8((char)(128 - lo)));
    return _mm256_cmpgt_epi8(_mm256_set1_epi8((char)(n - 128)), y);
}

__attribute__((target("avx2"))) static ALWAYS_INLINE uint64_t
bits64(__m256i a, __m256i b)
{
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(a) |
           (uint64_t)(uint32_t)_mm256_movemask_epi8(b) << 32;
}

__attribute__((target("avx2"))) static ALWAYS_INLINE void
mark_avx2(const litset *ls, const unsigned char *p, marks *m)
{
    const table *k = &ls->tab[T_ANY];
    __m256i x0 = V32(p), x1 = V32(p + 32), lo = _mm256_set1_epi8(0x20);
    __m256i l0 = _mm256_or_si256(x0, lo), l1 = _mm256_or_si256(x1, lo);
    __m256i let0 = in_range32(l0, 'a', 26), let1 = in_range32(l1, 'a', 26);
    __m256i up0 = in_range32(x0, 'A', 26), up1 = in_range32(x1, 'A', 26);
    m->alnum = bits64(_mm256_or_si256(let0, in_range32(x0, '0', 10)),
                      _mm256_or_si256(let1, in_range32(x1, '0', 10)));
    m->upper = bits64(up0, up1);
    m->lower = bits64(_mm256_andnot_si256(up0, let0),
                      _mm256_andnot_si256(up1, let1));
    if (!k->n || k->every) {
        m->anyw = k->every ? ~(uint64_t)0 : 0;
        return;
    }
    __m256i a0 = _mm256_setzero_si256(), a1 = a0;
    if (k->high) {
        a0 = x0;
        a1 = x1;
    }
    const __m128i *c = (const __m128i *)(const void *)k->vec;
    if (k->n_pairs) {
        __m256i n0 = _mm256_or_si256(V32(p + 1), lo);
        __m256i n1 = _mm256_or_si256(V32(p + 33), lo);
        for (const __m128i *end = c + 2 * k->n_pairs; c < end; c += 2) {
            __m256i f = _mm256_broadcastsi128_si256(c[0]);
            __m256i g = _mm256_broadcastsi128_si256(c[1]);
            a0 = _mm256_or_si256(a0, _mm256_and_si256(_mm256_cmpeq_epi8(l0, f),
                                                      _mm256_cmpeq_epi8(n0, g)));
            a1 = _mm256_or_si256(a1, _mm256_and_si256(_mm256_cmpeq_epi8(l1, f),
                                                      _mm256_cmpeq_epi8(n1, g)));
        }
    }
    /* k->vec is NULL when there is nothing to compare */
    for (const __m128i *end = k->n_singles ? c + k->n_singles : c; c < end;
         c++) {
        __m256i f = _mm256_broadcastsi128_si256(c[0]);
        a0 = _mm256_or_si256(a0, _mm256_cmpeq_epi8(l0, f));
        a1 = _mm256_or_si256(a1, _mm256_cmpeq_epi8(l1, f));
    }
    m->anyw = bits64(a0, a1);
}
#undef V32
#endif

/* The text is marked this many blocks of 64 bytes at a time, then looked
 * up. */
#define CHUNK 16

/* A block near a or b is read from a copy of its bytes and the 8 around
 * it, with zeros (neither letters nor digits) for those outside [a, b):
 * 8 before, 64 and 16 after. */
#define PAD 88

/* The marks of a chunk of blocks, for each table (bit j of starts[i]:
 * position base + 64 i + j), and where the bytes of each block are. */
typedef struct chunk {
    uint64_t starts[CHUNK], ends[CHUNK], anyw[CHUNK];
    const unsigned char *src[CHUNK];
    size_t n;
    /* the block before: its letters and digits (none before a: nothing
     * there is read), its lower-case letters */
    uint64_t alnum_before, lower_before;
    unsigned char pads[3][PAD]; /* the first block, the last two */
    unsigned n_pads;
} chunk;

/* Where the bytes of the block at i are read: the text, or near its ends
 * a copy; `valid` gets the positions before b. The text is read past a
 * and b when it is there: the marks of a block take no byte before it
 * (those of the block before, none for the first: a is a word start), a
 * position past b is not valid, and an entry is tested only on its own
 * bytes, then verified to lie in [a, b). */
static ALWAYS_INLINE const unsigned char *
block_at(const search *s, chunk *ch, size_t i, uint64_t *valid)
{
    size_t a = s->a, b = s->b;
    *valid = b - i < 64 ? ((uint64_t)1 << (b - i)) - 1 : ~(uint64_t)0;
    if (i >= 8 && s->len - i >= 72)
        return s->t + i;
    unsigned char *pad = ch->pads[ch->n_pads++ % 3];
    size_t from = i - a < 8 ? a : i - 8, to = b - i < 80 ? b : i + 80;
    memset(pad, 0, PAD);
    memcpy(pad + 8 - (i - from), s->t + from, to - from);
    return pad + 8;
}

/* Takes the marks m of the block whose bytes are at p; word ends only
 * when there is a table of them. */
static ALWAYS_INLINE void block_done(chunk *ch, const marks *m,
                                     const unsigned char *p, uint64_t valid,
                                     int ends)
{
    uint64_t ap = m->alnum << 1 | ch->alnum_before >> 63;
    uint64_t turn = (m->lower << 1 | ch->lower_before >> 63) & m->upper;
    ch->starts[ch->n] = m->alnum & (~ap | turn) & valid;
    if (ends) {
        /* a word end with 4 letters or digits before it, as every entry
         * of that table has */
        uint64_t e = ap & (~m->alnum | turn);
        for (unsigned r = 2; r <= 4; r++)
            e &= m->alnum << r | ch->alnum_before >> (64 - r);
        ch->ends[ch->n] = e & valid;
    }
    ch->anyw[ch->n] = m->anyw & valid;
    ch->src[ch->n++] = p;
    ch->alnum_before = m->alnum;
    ch->lower_before = m->lower;
}

/* Marks the blocks of a chunk from base on with mark_portable, mark_sse2
 * or mark_avx2: a macro, so that each of the functions below has its
 * mark inline, compiled for its instructions. */
#define MARK_CHUNK(mark)                                                    \
    int ends = ls->tab[T_END].n != 0;                                       \
    for (size_t i = base; i < s->b && ch->n < CHUNK; i += 64) {             \
        uint64_t valid;                                                     \
        marks m;                                                            \
        const unsigned char *p = block_at(s, ch, i, &valid);                \
        mark(ls, p, &m);                                                    \
        block_done(ch, &m, p, valid, ends);                                 \
    }

static void chunk_portable(const litset *ls, const search *s, chunk *ch,
                           size_t base)
{
    MARK_CHUNK(mark_portable)
}

#ifdef LITSET_SSE2
static void chunk_sse2(const litset *ls, const search *s, chunk *ch,
                       size_t base)
{
    MARK_CHUNK(mark_sse2)
}
#endif

#ifdef LITSET_AVX2
__attribute__((target("avx2"))) static void
chunk_avx2(const litset *ls, const search *s, chunk *ch, size_t base)
{
    MARK_CHUNK(mark_avx2)
}
#endif
#undef MARK_CHUNK

int litset_find(const litset *ls, const char *text, size_t len, size_t a,
                size_t b, occ_vec *out)
{
    const unsigned char *t = (const unsigned char *)text;
    search s = {t, a, b, len, out};
    size_t first = out->n;
    const table *ts = &ls->tab[T_START], *te = &ls->tab[T_END];
    const table *ta = &ls->tab[T_ANY];
    chunk ch;
    hit hits[64 * CHUNK];
    if (!ls->n_ents || b <= a)
        return 0;
    ch.alnum_before = ch.lower_before = 0;
    ch.n_pads = 0;
    for (size_t base = a; base < b; base += 64 * CHUNK) {
        ch.n = 0;
        switch (ls->simd) {
#ifdef LITSET_AVX2
        case TEXT_SIMD_AVX2:
            chunk_avx2(ls, &s, &ch, base);
            break;
#endif
#ifdef LITSET_SSE2
        case TEXT_SIMD_SSE2:
            chunk_sse2(ls, &s, &ch, base);
            break;
#endif
        default:
            chunk_portable(ls, &s, &ch, base);
        }
        if ((ts->n && look(ts, 0, &s, base, ch.starts, ch.src, ch.n, hits)) ||
            (te->n && look(te, 1, &s, base, ch.ends, ch.src, ch.n, hits)) ||
            (ta->n && look(ta, 0, &s, base, ch.anyw, ch.src, ch.n, hits)))
            return -1;
    }
    /* b itself is a word end: what follows is not known */
    if (te->n && is_alnum(t[b - 1])) {
        size_t n = b - a < 8 ? b - a : 8;
        uint64_t at_b = 1;
        const unsigned char *p = ch.pads[0] + 8;
        memset(ch.pads[0], 0, 8);
        memcpy(ch.pads[0] + 8 - n, t + b - n, n);
        if (look(te, 1, &s, b, &at_b, &p, 1, hits))
            return -1;
    }
    sort_occ(out, first);
    return 0;
}

/* Does t[a..b) hold a Kelvin sign or a long s (a k or an s there)? */
static int kelvin_or_long_s(const unsigned char *t, size_t a, size_t b)
{
    for (size_t p = a; p + 1 < b; p++)
        if ((t[p] == 0xC5 && t[p + 1] == 0xBF) ||
            (t[p] == 0xE2 && t[p + 1] == 0x84 && p + 2 < b &&
             t[p + 2] == 0xAA))
            return 1;
    return 0;
}

int litset_first_near(const litset *ls, const char *text, size_t len,
                      size_t a, size_t last, size_t b)
{
#ifdef LITSET_SSE2
    const unsigned char *t = (const unsigned char *)text;
    const near_tab *nt = ls->near;
    size_t n = b - a;
    /* the window's blocks of 16 and the byte after them are read */
    if (!nt || n > LITSET_NEAR_MAX || len - a <= ((n + 15) & ~(size_t)15))
        return -1;
    uint64_t cand = 0, high = 0;
    const __m128i *v = (const __m128i *)(const void *)nt->vec;
    for (size_t i = 0; i < n; i += 16) {
        __m128i x = vec_at(t + a + i);
        __m128i l = _mm_or_si128(x, _mm_set1_epi8(0x20));
        __m128i l1 = loose16(t + a + i + 1), m = _mm_setzero_si128();
        for (unsigned j = 0; j < nt->n_pairs; j++)
            m = _mm_or_si128(m, _mm_and_si128(_mm_cmpeq_epi8(l, v[2 * j]),
                                              _mm_cmpeq_epi8(l1, v[2 * j + 1])));
        for (unsigned j = 0; j < nt->n_singles; j++)
            m = _mm_or_si128(m, _mm_cmpeq_epi8(l, v[2 * nt->n_pairs + j]));
        cand |= (uint64_t)(unsigned)_mm_movemask_epi8(m) << i;
        high |= (uint64_t)(unsigned)_mm_movemask_epi8(x) << i;
    }
    uint64_t in = n == 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
    if ((high & in) && (nt->high || (nt->ks && kelvin_or_long_s(t, a, b))))
        return -1;
    size_t starts = last < b ? last - a + 1 : n;
    cand &= starts == 64 ? ~(uint64_t)0 : ((uint64_t)1 << starts) - 1;
    for (; cand; cand &= cand - 1) {
        size_t p = a + (size_t)__builtin_ctzll(cand);
        for (uint32_t m = nt->first[t[p] | 0x20]; m; m &= m - 1) {
            const litrec *r = &ls->lits[__builtin_ctz(m)];
            if (r->len <= b - p &&
                same_folded(t + p, (const unsigned char *)r->s, r->len) &&
                lit_context_ok(t, len, p, p + r->len, r->owners[0].left,
                               r->owners[0].right))
                return 1;
        }
    }
    return 0;
#else
    (void)ls, (void)text, (void)len, (void)a, (void)last, (void)b;
    return -1;
#endif
}

int litset_any(const litset *ls, const char *text, size_t a, size_t b)
{
    occ_vec v = {NULL, 0, 0};
    int rc = litset_find(ls, text, b, a, b, &v);
    int any = rc != 0 || v.n > 0; /* without memory, say yes: it is safe */
    occ_vec_free(&v);
    return any;
}
