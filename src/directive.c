/* directive.c - finding `redflag-disable` lines; see directive.h. */
#include "directive.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#if defined(__GNUC__) && defined(__x86_64__)
/* compiled for the machines that have it, taken when this one does */
#include <immintrin.h>
#define DIRECTIVE_AVX2 1
#endif
#endif

#include "text.h"

#define KEYWORD "redflag-disable"
#define KEYWORD_LEN (sizeof(KEYWORD) - 1)
/* Where in the keyword the pair of bytes looked for is, "g-": sixty times
 * rarer than a hyphen alone in postings, which have one every 200 bytes. */
#define PAIR_AT 6
#define NEXT_LINE "-next-line"
#define NEXT_LINE_LEN (sizeof(NEXT_LINE) - 1)

static int is_id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static int is_word_char(char c)
{
    return is_id_char(c) || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Length of the rule id at s (lower-case letters and digits joined by
 * single hyphens, as rule files require), or 0. */
static size_t id_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_id_char(s[i]))
        i++;
    if (i == 0 || s[0] == '-' || s[i - 1] == '-')
        return 0;
    for (size_t j = 1; j < i; j++)
        if (s[j] == '-' && s[j - 1] == '-')
            return 0;
    if (i < n && is_word_char(s[i]))
        return 0; /* "Working" or "snake_case": words, not ids */
    return i;
}

static size_t line_end(const char *text, size_t len, size_t i)
{
    const char *nl = memchr(text + i, '\n', len - i);
    return nl ? (size_t)(nl - text) : len;
}

/*
 * The line around a directive and the line after it, each found once: a
 * megabyte-long line holding thousands of directives is read once, not
 * once per directive.
 */
typedef struct line_cache {
    size_t scanned;  /* text[0..scanned) has been searched for newlines */
    size_t bol;      /* where the line holding `scanned` starts */
    size_t eol;      /* where it ends; SIZE_MAX until known */
    size_t next_eol; /* where the line after it ends; SIZE_MAX until known */
} line_cache;

static void find_line(const char *text, size_t len, size_t at, line_cache *c)
{
    if (at < c->scanned) /* not expected: directives come in text order */
        *c = (line_cache){0, 0, SIZE_MAX, SIZE_MAX};
    for (size_t i = at; i > c->scanned; i--)
        if (text[i - 1] == '\n') {
            *c = (line_cache){at, i, SIZE_MAX, SIZE_MAX};
            break;
        }
    c->scanned = at;
    if (c->eol == SIZE_MAX)
        c->eol = line_end(text, len, at);
}

/* Parses a directive whose keyword starts at `at`; 0 when it is not one. */
static int parse(const char *text, size_t len, size_t at, line_cache *lc,
                 directive *d)
{
    if (at > 0 && is_word_char(text[at - 1]))
        return 0;
    size_t i = at + KEYWORD_LEN;
    int next = 0;
    if (len - i >= NEXT_LINE_LEN && memcmp(text + i, NEXT_LINE, NEXT_LINE_LEN) == 0) {
        next = 1;
        i += NEXT_LINE_LEN;
    }
    if (i < len && is_word_char(text[i]))
        return 0; /* redflag-disabled, redflag-disable-all */
    find_line(text, len, at, lc);
    size_t eol = lc->eol;
    d->at = at;
    d->ids = d->ids_end = i;
    for (;;) {
        while (i < eol && (text_is_blank(text[i]) || text[i] == ','))
            i++;
        size_t n = id_len(text + i, eol - i);
        if (!n)
            break;
        i += n;
        d->ids_end = i;
    }
    d->end = d->ids_end;
    if (next) {
        d->from = eol < len ? eol + 1 : len;
        if (lc->next_eol == SIZE_MAX)
            lc->next_eol = line_end(text, len, d->from);
        d->to = lc->next_eol;
    } else {
        d->from = lc->bol;
        d->to = eol;
    }
    return 1;
}

/* Entries by the line they cover, then every-rule entries first, then by
 * id, then in text order. */
static int cmp_names(const void *pa, const void *pb)
{
    const directive_name *a = pa, *b = pb;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    if (!a->id != !b->id)
        return a->id ? 1 : -1;
    if (a->id) {
        size_t n = a->id_len < b->id_len ? a->id_len : b->id_len;
        int c = memcmp(a->id, b->id, n);
        if (c || a->id_len != b->id_len)
            return c ? c : a->id_len < b->id_len ? -1 : 1;
    }
    return a->d < b->d ? -1 : a->d > b->d;
}

static int add_name(directives *ds, const directive *d, const char *id,
                    size_t id_len)
{
    if (ds->n_names == ds->cap_names) {
        size_t cap = ds->cap_names ? ds->cap_names * 2 : 8;
        directive_name *p = realloc(ds->names, cap * sizeof(*p));
        if (!p)
            return -1;
        ds->names = p;
        ds->cap_names = cap;
    }
    ds->names[ds->n_names++] = (directive_name){
        d->from, d->to, id, id_len, (size_t)(d - ds->items)};
    return 0;
}

/* Indexes every (covered line, id) pair, so that a hit finds the
 * directives of its line by binary search, however many there are. */
static int index_names(const char *text, directives *ds)
{
    for (size_t k = 0; k < ds->n; k++) {
        const directive *d = &ds->items[k];
        size_t a = d->ids, b = d->ids_end;
        if (a == b && add_name(ds, d, NULL, 0))
            return -1;
        while (a < b) {
            while (a < b && (text_is_blank(text[a]) || text[a] == ','))
                a++;
            size_t t = a;
            while (t < b && is_id_char(text[t]))
                t++;
            if (t > a && add_name(ds, d, text + a, t - a))
                return -1;
            a = t;
        }
    }
    if (ds->n_names)
        qsort(ds->names, ds->n_names, sizeof(*ds->names), cmp_names);
    return 0;
}

/* Is the keyword at text[k..]? k + KEYWORD_LEN is at most len. */
static int keyword_at(const char *text, size_t k)
{
    return memcmp(text + k, KEYWORD, KEYWORD_LEN) == 0;
}

/* directive_next, one byte at a time: the first keyword in text whose
 * pair of bytes is at q or after, up to `last`; or `to`. */
static size_t next_keyword_bytes(const char *text, size_t to, size_t q,
                                 size_t last)
{
    const char *p = text + q + 1, *end = text + last + 2;
    while ((p = memchr(p, KEYWORD[PAIR_AT + 1], (size_t)(end - p)))) {
        size_t k = (size_t)(p - text) - 1 - PAIR_AT;
        if (p[-1] == KEYWORD[PAIR_AT] && keyword_at(text, k))
            return k;
        p++;
    }
    return to;
}

#ifdef __SSE2__
/* The first keyword whose pair of bytes is at q + i for a set bit i of m,
 * or `to`: the places a block compare found. */
static size_t keyword_in(const char *text, size_t to, size_t q, uint64_t m)
{
    for (; m; m &= m - 1) {
        size_t k = q + (size_t)__builtin_ctzll(m) - PAIR_AT;
        if (keyword_at(text, k))
            return k;
    }
    return to;
}
#endif

#ifdef DIRECTIVE_AVX2
/* directive_next 64 places at a time, while as many are left before
 * `last`: the first keyword whose pair is at *q or after, or `to` with *q
 * where it stopped looking. */
__attribute__((target("avx2"))) static size_t
next_keyword_avx2(const char *text, size_t to, size_t *q, size_t last)
{
    const __m256i a = _mm256_set1_epi8(KEYWORD[PAIR_AT]);
    const __m256i b = _mm256_set1_epi8(KEYWORD[PAIR_AT + 1]);
    for (; *q <= last && last - *q >= 63; *q += 64) {
        /* reads text[*q .. *q + 64] */
        const char *p = text + *q;
        __m256i x0 = _mm256_loadu_si256((const __m256i *)(const void *)p);
        __m256i y0 =
            _mm256_loadu_si256((const __m256i *)(const void *)(p + 1));
        __m256i x1 =
            _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
        __m256i y1 =
            _mm256_loadu_si256((const __m256i *)(const void *)(p + 33));
        uint64_t m =
            (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_and_si256(
                _mm256_cmpeq_epi8(x0, a), _mm256_cmpeq_epi8(y0, b))) |
            (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_and_si256(
                _mm256_cmpeq_epi8(x1, a), _mm256_cmpeq_epi8(y1, b)))
                << 32;
        size_t k = keyword_in(text, to, *q, m);
        if (k != to)
            return k;
    }
    return to;
}
#endif

/* The keyword's pair of bytes is looked for 64 places at a time where AVX2
 * is, 16 at a time where SSE2 is (every x86-64), a byte at a time
 * elsewhere and at the end. */
size_t directive_next(const char *text, size_t len, size_t from, size_t to)
{
    if (len < KEYWORD_LEN || from > len - KEYWORD_LEN || from >= to)
        return to;
    /* the pair of a keyword at k is at q = k + PAIR_AT, up to `last` */
    size_t q = from + PAIR_AT,
           last = (to - 1 < len - KEYWORD_LEN ? to - 1 : len - KEYWORD_LEN) +
                  PAIR_AT;
#ifdef DIRECTIVE_AVX2
    if (__builtin_cpu_supports("avx2")) {
        size_t k = next_keyword_avx2(text, to, &q, last);
        if (k != to)
            return k;
    }
#endif
#ifdef __SSE2__
    const __m128i a = _mm_set1_epi8(KEYWORD[PAIR_AT]);
    const __m128i b = _mm_set1_epi8(KEYWORD[PAIR_AT + 1]);
    for (; q <= last && last - q >= 15; q += 16) { /* reads text[q..q+16] */
        __m128i x = _mm_loadu_si128((const __m128i *)(text + q));
        __m128i y = _mm_loadu_si128((const __m128i *)(text + q + 1));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpeq_epi8(x, a), _mm_cmpeq_epi8(y, b)));
        size_t k = keyword_in(text, to, q, m);
        if (k != to)
            return k;
    }
    if (q > last)
        return to;
#endif
    return next_keyword_bytes(text, to, q, last);
}

/* Adds the directive whose keyword starts at k, if it is one, to ds, and
 * sets *end to where it ends (k when it is not one). Returns 0, or -1 when
 * out of memory. */
static int add_directive(const char *text, size_t len, size_t k,
                         line_cache *lc, directives *ds, size_t *end)
{
    directive d;
    *end = k;
    if (!parse(text, len, k, lc, &d))
        return 0;
    if (ds->n == ds->cap) {
        size_t cap = ds->cap ? ds->cap * 2 : 4;
        directive *items = realloc(ds->items, cap * sizeof(*items));
        if (!items)
            return -1;
        ds->items = items;
        ds->cap = cap;
    }
    ds->items[ds->n++] = d;
    *end = d.end;
    return 0;
}

int directive_find(const char *text, size_t len, directives *ds)
{
    line_cache lc = {0, 0, SIZE_MAX, SIZE_MAX};
    size_t end;
    for (size_t k = directive_next(text, len, 0, len); k < len;) {
        if (add_directive(text, len, k, &lc, ds, &end))
            return -1;
        k = directive_next(text, len, end > k ? end : k + 1, len);
    }
    return index_names(text, ds);
}

int directive_find_at(const char *text, size_t len, const size_t *at,
                      size_t n, directives *ds)
{
    line_cache lc = {0, 0, SIZE_MAX, SIZE_MAX};
    size_t from = 0; /* the end of the last directive */
    for (size_t i = 0; i < n; i++) {
        if (at[i] < from)
            continue; /* a keyword inside a directive's id list */
        if (add_directive(text, len, at[i], &lc, ds, &from))
            return -1;
    }
    return index_names(text, ds);
}

/* The first name entry not before `key`, in names[0..n). */
static size_t lower_bound(const directive_name *names, size_t n,
                          const directive_name *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_names(&names[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* How many of the n elements at base (each `size` bytes, sorted by the
 * size_t at `offset`) have that field at most pos. */
static size_t count_upto(const void *base, size_t n, size_t size,
                         size_t offset, size_t pos)
{
    const char *b = base;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, v;
        memcpy(&v, b + mid * size + offset, sizeof(v));
        if (v <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const directive *directive_covering(const directives *ds, const char *text,
                                    const char *id, size_t pos)
{
    (void)text;
    size_t best = SIZE_MAX;
    /* its own words: directives do not overlap, so only the last one that
     * starts at or before pos can hold it */
    size_t i = count_upto(ds->items, ds->n, sizeof(directive),
                          offsetof(directive, at), pos);
    if (i > 0 && pos < ds->items[i - 1].end)
        best = i - 1;
    /* the line pos is on: covered lines are whole lines, so the last
     * entry that starts at or before pos names the only candidate line */
    i = count_upto(ds->names, ds->n_names, sizeof(directive_name),
                   offsetof(directive_name, from), pos);
    if (i > 0 && pos < ds->names[i - 1].to) {
        size_t from = ds->names[i - 1].from;
        directive_name key = {from, 0, NULL, 0, 0};
        size_t g = lower_bound(ds->names, ds->n_names, &key);
        if (!ds->names[g].id && ds->names[g].d < best)
            best = ds->names[g].d; /* a directive with no id: every rule */
        key = (directive_name){from, 0, id, strlen(id), 0};
        size_t k = lower_bound(ds->names, ds->n_names, &key);
        if (k < ds->n_names && ds->names[k].from == from && ds->names[k].id &&
            ds->names[k].id_len == key.id_len &&
            memcmp(ds->names[k].id, id, key.id_len) == 0 && ds->names[k].d < best)
            best = ds->names[k].d;
    }
    return best == SIZE_MAX ? NULL : &ds->items[best];
}

void directives_free(directives *ds)
{
    free(ds->items);
    free(ds->names);
    memset(ds, 0, sizeof(*ds));
}
