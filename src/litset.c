/*
 * litset.c - many literals, one pass (see litset.h).
 */
#include "litset.h"

#include <stdlib.h>
#include <string.h>

#include "lit.h"

/* A byte string searched for: a literal or one of its k/s variants. */
typedef struct entry {
    const unsigned char *s; /* points into litset.bytes after build */
    size_t off;             /* offset into bytes while building */
    size_t len;
    uint32_t lit;
    uint32_t key;           /* 4 bytes at anchor (or the first 1 to 3),
                               case folded loosely */
    uint32_t anchor;        /* where the 4 bytes of the key start */
} entry;

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
    unsigned char *bytes; /* every entry's bytes, back to back */
    size_t n_bytes, cap_bytes;
    entry *ents;
    size_t n_ents, cap_ents;
    /* long entries (4 bytes or more), sorted by key */
    entry *longs;
    size_t n_longs;
    size_t max_anchor;
    size_t max_len;        /* of an entry */
    unsigned char *filter; /* 1 << bits: may a 4-byte key start one here? */
    unsigned bits;
    uint32_t *slots;       /* open addressing: key -> first index in longs + 1 */
    uint32_t slot_mask;
    /* short entries (1 to 3 bytes), sorted by their first byte (loosely
     * folded); those starting with byte c are shorts[by_first[c] ..
     * by_first[c + 1]) */
    entry *shorts;
    size_t n_shorts;
    uint32_t by_first[257];
    /* may a short entry start here? by its length: */
    unsigned char *tri;    /* 3: 1 << tri_bits, by a hash of three bytes */
    unsigned char *pair;   /* 2: 1 << pair_bits, by a hash of two bytes */
    unsigned tri_bits, pair_bits;
    unsigned char *single; /* 1: 256, by one byte */
    /* may any short entry start here, by the two bytes there (65536,
     * loosely folded): one look-up instead of the three above, for a big
     * set (TWO_MIN entries or more) */
    unsigned char *two;
    int built;
};

/* Case folding: exact (A-Z to a-z) for checking, loose (OR 0x20, which
 * maps A-Z to a-z and merges a few other bytes) for the filters. */
#define LOOSE4 0x20202020u
#define LOOSE2 0x2020u

static unsigned char fold(unsigned char c)
{
    return (unsigned char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
}

static uint32_t load4(const unsigned char *p)
{
    uint32_t x;
    memcpy(&x, p, 4);
    return x;
}

static uint64_t load8(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

static uint32_t hash4(uint32_t key, unsigned bits)
{
    return (key * 0x9E3779B1u) >> (32 - bits);
}

static uint32_t hash3(uint32_t key, unsigned bits)
{
    return ((key & 0xFFFFFF) * 0x9E3779B1u) >> (32 - bits);
}

static uint32_t hash2(uint32_t key, unsigned bits)
{
    return ((key & 0xFFFF) * 0x9E3779B1u) >> (32 - bits);
}

/* Bits of a filter table for n keys: about 1 in 64 entries set, from 256
 * entries (a rule set has hundreds of small litsets) up to 2^max. */
static unsigned table_bits(size_t n, unsigned max)
{
    unsigned bits = 8;
    while (bits < max && ((size_t)1 << bits) < n * 64)
        bits++;
    return bits;
}

litset *litset_new(void) { return calloc(1, sizeof(litset)); }

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
    free(ls->longs);
    free(ls->filter);
    free(ls->slots);
    free(ls->shorts);
    free(ls->tri);
    free(ls->pair);
    free(ls->single);
    free(ls->two);
    free(ls);
}

void occ_vec_free(occ_vec *v)
{
    free(v->v);
    v->v = NULL;
    v->n = v->cap = 0;
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

/* Adds the byte strings for literal `lit` from position i of s on, with
 * the prefix already in the bytes buffer at `start`. */
static int add_variants(litset *ls, const char *s, size_t len, size_t i,
                        size_t start, uint32_t li)
{
    for (; i < len && s[i] != 'k' && s[i] != 's'; i++) {
        if (grow((void **)&ls->bytes, &ls->cap_bytes, ls->n_bytes + 1, 1))
            return -1;
        ls->bytes[ls->n_bytes++] = (unsigned char)s[i];
    }
    if (i == len) {
        if (grow((void **)&ls->ents, &ls->cap_ents, ls->n_ents + 1,
                 sizeof(entry)))
            return -1;
        entry e = {NULL, start, ls->n_bytes - start, li, 0, 0};
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
    lit_owner *o = realloc(r->owners, (r->n_owners + 1) * sizeof(*o));
    if (!o)
        return -1;
    r->owners = o;
    o[r->n_owners++] =
        (lit_owner){owner, back, (unsigned char)left, (unsigned char)right};
    ls->built = 0;
    return 0;
}

static int cmp_key(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
}

static int cmp_first(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    uint32_t x = a->key & 0xFF, y = b->key & 0xFF;
    return x < y ? -1 : x > y;
}

/* Sets with this many entries have a table of two bytes (litset.two). */
#define TWO_MIN 64

int litset_build(litset *ls)
{
    free(ls->longs);
    free(ls->filter);
    free(ls->slots);
    free(ls->shorts);
    free(ls->tri);
    free(ls->pair);
    free(ls->single);
    free(ls->two);
    ls->longs = ls->shorts = NULL;
    ls->filter = ls->tri = ls->pair = ls->single = ls->two = NULL;
    ls->slots = NULL;
    ls->n_longs = ls->n_shorts = 0;
    ls->max_anchor = ls->max_len = 0;
    for (size_t i = 0; i < ls->n_ents; i++) {
        entry *e = &ls->ents[i];
        e->s = ls->bytes + e->off;
        if (e->len > ls->max_len)
            ls->max_len = e->len;
        if (e->len >= 4) {
            /* The key is the rarest 4 bytes of the entry, not the first:
             * "trai" of "training" is also in "train" and "trail". */
            double best = 0;
            e->anchor = 0;
            for (size_t k = 0; k + 4 <= e->len; k++) {
                char four[4];
                for (size_t j = 0; j < 4; j++)
                    four[j] = (char)e->s[k + j];
                double est = lit_estimate(four, 4);
                if (k == 0 || est < best) {
                    best = est;
                    e->anchor = (uint32_t)k;
                }
            }
            if (e->anchor > ls->max_anchor)
                ls->max_anchor = e->anchor;
            e->key = load4(e->s + e->anchor) | LOOSE4;
            ls->n_longs++;
        } else {
            e->key = 0;
            for (size_t k = 0; k < e->len; k++)
                e->key |= (uint32_t)(e->s[k] | 0x20u) << (8 * k);
            ls->n_shorts++;
        }
    }
    ls->longs = malloc((ls->n_longs + 1) * sizeof(entry));
    ls->shorts = malloc((ls->n_shorts + 1) * sizeof(entry));
    if (!ls->longs || !ls->shorts)
        return -1;
    size_t nl = 0, ns = 0;
    for (size_t i = 0; i < ls->n_ents; i++) {
        if (ls->ents[i].len >= 4)
            ls->longs[nl++] = ls->ents[i];
        else
            ls->shorts[ns++] = ls->ents[i];
    }
    qsort(ls->longs, nl, sizeof(entry), cmp_key);
    qsort(ls->shorts, ns, sizeof(entry), cmp_first);
    memset(ls->by_first, 0, sizeof(ls->by_first));
    for (size_t i = 0; i < ns; i++)
        ls->by_first[(ls->shorts[i].key & 0xFF) + 1]++;
    for (int c = 0; c < 256; c++)
        ls->by_first[c + 1] += ls->by_first[c];

    unsigned bits = table_bits(nl * 2, 16);
    ls->bits = bits;
    ls->filter = calloc((size_t)1 << bits, 1);
    size_t nslots = 16;
    while (nslots < nl * 2)
        nslots *= 2;
    ls->slots = calloc(nslots, sizeof(uint32_t));
    ls->slot_mask = (uint32_t)(nslots - 1);
    if (!ls->filter || !ls->slots)
        return -1;
    for (size_t i = 0; i < nl; i++) {
        uint32_t key = ls->longs[i].key;
        ls->filter[hash4(key, bits)] = 1;
        if (i > 0 && ls->longs[i - 1].key == key)
            continue;
        uint32_t h = (key * 0x85EBCA6Bu) & ls->slot_mask;
        while (ls->slots[h])
            h = (h + 1) & ls->slot_mask;
        ls->slots[h] = (uint32_t)i + 1;
    }
    size_t n3 = 0, n2 = 0;
    for (size_t i = 0; i < ns; i++) {
        n3 += ls->shorts[i].len == 3;
        n2 += ls->shorts[i].len == 2;
    }
    ls->tri_bits = table_bits(n3, 14);
    ls->pair_bits = table_bits(n2, 14);
    for (size_t i = 0; i < ns; i++) {
        const entry *e = &ls->shorts[i];
        unsigned char **table =
            e->len == 3 ? &ls->tri : e->len == 2 ? &ls->pair : &ls->single;
        size_t size = (size_t)1 << (e->len == 3   ? ls->tri_bits
                                    : e->len == 2 ? ls->pair_bits
                                                  : 8);
        if (!*table && !(*table = calloc(size, 1)))
            return -1;
        (*table)[e->len == 3   ? hash3(e->key, ls->tri_bits)
                 : e->len == 2 ? hash2(e->key, ls->pair_bits)
                               : e->key] = 1;
        if (ls->n_ents < TWO_MIN)
            continue;
        if (!ls->two && !(ls->two = calloc(65536, 1)))
            return -1;
        if (e->len >= 2)
            ls->two[e->key & 0xFFFF] = 1;
        else
            for (unsigned c = 0; c < 256; c++)
                ls->two[e->key | c << 8] = 1;
    }
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

static int same_folded(const unsigned char *t, const unsigned char *s,
                       size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fold(t[i]) != s[i])
            return 0;
    return 1;
}

static int emit(occ_vec *out, size_t pos, size_t len, uint32_t li)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 64;
        lit_occ *v = realloc(out->v, cap * sizeof(*v));
        if (!v)
            return -1;
        out->v = v;
        out->cap = cap;
    }
    out->v[out->n++] = (lit_occ){pos, pos + len, li};
    return 0;
}

/* The entries whose key (their anchor) may be at t[i] (i + 4 <= b), in
 * t[a..b); appends matches. */
static int check_long(const litset *ls, const unsigned char *t, size_t a,
                      size_t i, size_t b, occ_vec *out)
{
    uint32_t key = load4(t + i) | LOOSE4;
    uint32_t h = (key * 0x85EBCA6Bu) & ls->slot_mask;
    for (; ls->slots[h]; h = (h + 1) & ls->slot_mask) {
        size_t k = ls->slots[h] - 1;
        if (ls->longs[k].key != key)
            continue;
        for (; k < ls->n_longs && ls->longs[k].key == key; k++) {
            const entry *e = &ls->longs[k];
            if (e->anchor > i - a)
                continue;
            size_t p = i - e->anchor;
            if (e->len <= b - p && same_folded(t + p, e->s, e->len) &&
                emit(out, p, e->len, e->lit))
                return -1;
        }
        break;
    }
    return 0;
}

/* Puts out[from..] in order of position; entries are off by at most the
 * largest anchor, so an insertion sort is quick. */
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

static int check_short(const litset *ls, const unsigned char *t, size_t i,
                       size_t b, occ_vec *out)
{
    unsigned char c0 = (unsigned char)(t[i] | 0x20);
    for (size_t k = ls->by_first[c0]; k < ls->by_first[c0 + 1]; k++) {
        const entry *e = &ls->shorts[k];
        if (e->len <= b - i && same_folded(t + i, e->s, e->len) &&
            emit(out, i, e->len, e->lit))
            return -1;
    }
    return 0;
}

static int check_at(const litset *ls, const unsigned char *t, size_t a,
                    size_t i, size_t b, occ_vec *out)
{
    if (ls->n_shorts) {
        uint32_t k = 0;
        for (size_t j = 0; j < 3 && j < b - i; j++)
            k |= (uint32_t)(t[i + j] | 0x20) << (8 * j);
        if (((ls->single && ls->single[k & 0xFF]) ||
             (ls->pair && b - i >= 2 && ls->pair[hash2(k, ls->pair_bits)]) ||
             (ls->tri && b - i >= 3 && ls->tri[hash3(k, ls->tri_bits)])) &&
            check_short(ls, t, i, b, out))
            return -1;
    }
    if (ls->n_longs && b - i >= 4 &&
        ls->filter[hash4(load4(t + i) | LOOSE4, ls->bits)] &&
        check_long(ls, t, a, i, b, out))
        return -1;
    return 0;
}

#define LOOSE8 0x2020202020202020ull

int litset_find(const litset *ls, const char *text, size_t a, size_t b,
                occ_vec *out)
{
    const unsigned char *t = (const unsigned char *)text;
    const unsigned char *filter = ls->filter;
    const unsigned char *two = ls->two;
    const unsigned char *tri = ls->tri, *pair = ls->pair;
    const unsigned char *single = ls->single;
    unsigned tbits = ls->tri_bits, pbits = ls->pair_bits;
    unsigned bits = ls->bits;
    size_t i = a, first = out->n;
    if (!ls->n_ents || b <= a)
        return 0;
    /* Blocks of 16 positions: a bit per position that passes a filter,
     * computed without branches; then only those positions are checked.
     * Loads reach i + 24 <= b. */
    while (b - i >= 24) {
        uint64_t x0 = load8(t + i) | LOOSE8;
        uint64_t x1 = load8(t + i + 8) | LOOSE8;
        uint64_t x2 = load8(t + i + 16) | LOOSE8;
        uint64_t x01 = x0 >> 40 | x1 << 24;
        uint64_t x12 = x1 >> 40 | x2 << 24;
/* The 16 positions of a block: position j is the low bytes of the word
 * and shift listed j-th. L(x, s) tests one position. */
#define EACH16(L)                                                          \
    (L(x0, 0) | L(x0, 8) << 1 | L(x0, 16) << 2 | L(x0, 24) << 3 |          \
     L(x0, 32) << 4 | L(x01, 0) << 5 | L(x01, 8) << 6 | L(x01, 16) << 7 |  \
     L(x1, 0) << 8 | L(x1, 8) << 9 | L(x1, 16) << 10 | L(x1, 24) << 11 |   \
     L(x1, 32) << 12 | L(x12, 0) << 13 | L(x12, 8) << 14 |                  \
     L(x12, 16) << 15)
#define LONG(x, s) (unsigned)filter[hash4((uint32_t)((x) >> (s)), bits)]
#define TWO(x, s) (unsigned)two[(uint32_t)((x) >> (s)) & 0xFFFF]
#define TRI(x, s) (unsigned)tri[hash3((uint32_t)((x) >> (s)), tbits)]
#define PAIR(x, s) (unsigned)pair[hash2((uint32_t)((x) >> (s)), pbits)]
#define ONE(x, s) (unsigned)single[(uint32_t)((x) >> (s)) & 0xFF]
        unsigned lm = ls->n_longs ? EACH16(LONG) : 0;
        unsigned sm = two ? EACH16(TWO)
                          : (tri ? EACH16(TRI) : 0) |
                                (pair ? EACH16(PAIR) : 0) |
                                (single ? EACH16(ONE) : 0);
#undef LONG
#undef TWO
#undef TRI
#undef PAIR
#undef ONE
#undef EACH16
        for (unsigned m = lm | sm; m; m &= m - 1) {
            unsigned j = (unsigned)__builtin_ctz(m);
            if ((sm >> j & 1) && check_short(ls, t, i + j, b, out))
                return -1;
            if ((lm >> j & 1) && check_long(ls, t, a, i + j, b, out))
                return -1;
        }
        i += 16;
    }
    for (; i < b; i++)
        if (check_at(ls, t, a, i, b, out))
            return -1;
    if (ls->max_anchor)
        sort_occ(out, first);
    return 0;
}

int litset_any(const litset *ls, const char *text, size_t a, size_t b)
{
    occ_vec v = {NULL, 0, 0};
    int rc = litset_find(ls, text, a, b, &v);
    int any = rc != 0 || v.n > 0; /* without memory, say yes: it is safe */
    occ_vec_free(&v);
    return any;
}
