/*
 * matcher.c - lazily compiled patterns and windowed searches (matcher.h).
 */
#include "matcher.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#if defined(__GNUC__) && defined(__x86_64__)
/* compiled for the machines that have it, taken when this one does */
#include <immintrin.h>
#define MATCHER_AVX2 1
#endif
#endif

#include "precomp.h"
#include "text.h"

/* A companion further than this from its literal is not looked for:
 * scanning that far for it at each candidate would cost more than the
 * searches in windows it saves. With the built-in rules, a rule whose
 * words come up to 80 characters after its cue ("easy ... earn $500 a
 * day") has its companion some 340 bytes away; looking for it up to 2048
 * bytes away gives 6% fewer instructions over the folder and 1.4% over a
 * big text than 128 did (callgrind, -j1); 256 gave none. */
#define PAIR_GAP_MAX 2048
/* Companions are found in the one pass over the text when they are
 * expected (lit_estimate) at most this many times as often as their
 * literals: then there are many candidates to check and not many more
 * occurrences to find. A rare companion of a rarer literal is cheaper to
 * look for near the few candidates (more literals make the one pass
 * slower): on the corpus, 1% more instructions with every companion of an
 * estimate under 1e-5 found in the one pass. */
#define PAIR_GLOBAL_RATIO 4.0

int pattern_init(pattern *p, char *src, lit_sum *lits)
{
    memset(p, 0, sizeof(*p));
    for (int f = 0; f < 2; f++) {
        atomic_init(&p->code[f], NULL);
        atomic_init(&p->jit[f], NULL);
        atomic_init(&p->work[f], 0);
        atomic_init(&p->ls[f], NULL);
    }
    p->src = src;
    p->lits = *lits;
    memset(lits, 0, sizeof(*lits));
    double pair_cost = 0;
    for (size_t i = 0; i < p->lits.n_pair; i++) {
        /* a k or s may take 3 bytes in the text */
        if (p->lits.pair[i].len * 3 > p->pair_max)
            p->pair_max = p->lits.pair[i].len * 3;
        pair_cost += lit_estimate(p->lits.pair[i].s, p->lits.pair[i].len);
    }
    p->pair_global = pattern_pair_checked(p) &&
                     pair_cost <= PAIR_GLOBAL_RATIO * p->lits.cost;
    return 0;
}

const litset *pattern_litset(const pattern *cp, int which)
{
    pattern *p = (pattern *)cp; /* set once, like the compiled code */
    litset *ls = atomic_load_explicit(&p->ls[which], memory_order_acquire);
    const lit *v = which ? p->lits.pair : p->lits.lits;
    size_t n = which ? p->lits.n_pair : p->lits.n;
    if (ls || !p->lits.ok || !n)
        return ls;
    if (!(ls = litset_new()))
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (litset_add(ls, v[i].s, v[i].len, 0, which ? 0 : v[i].back,
                       v[i].left, v[i].right)) {
            litset_free(ls);
            return NULL;
        }
    litset *expected = NULL;
    if (litset_build(ls) ||
        !atomic_compare_exchange_strong_explicit(&p->ls[which], &expected, ls,
                                                 memory_order_acq_rel,
                                                 memory_order_acquire)) {
        litset_free(ls);
        return expected;
    }
    return ls;
}

int pattern_init_regex(pattern *p, const char *re)
{
    lit_sum lits;
    lit_from_regex(re, &lits);
    char *src = strdup(re);
    if (!src) {
        lit_sum_free(&lits);
        memset(p, 0, sizeof(*p));
        return -1;
    }
    return pattern_init(p, src, &lits);
}

static void split_free(pattern_split *sp)
{
    if (!sp)
        return;
    pattern_free(sp->x);
    free(sp->x);
    for (size_t i = 0; i < sp->n; i++)
        pattern_free(&sp->conds[i]);
    free(sp->conds);
    free(sp->want);
    free(sp);
}

int pattern_split_init(pattern *p, const char *re)
{
    lit_split ls;
    int rc = lit_split_doc(re, &ls);
    if (rc <= 0)
        return rc;
    pattern_split *sp = calloc(1, sizeof(*sp));
    if (!sp || !(sp->x = calloc(1, sizeof(pattern))) ||
        !(sp->conds = calloc(ls.n ? ls.n : 1, sizeof(pattern))) ||
        !(sp->want = malloc(ls.n ? ls.n : 1)) ||
        pattern_init_regex(sp->x, ls.x))
        goto oom;
    for (; sp->n < ls.n; sp->n++) {
        if (pattern_init_regex(&sp->conds[sp->n], ls.conds[sp->n]))
            goto oom;
        sp->want[sp->n] = ls.want[sp->n];
    }
    lit_split_free(&ls);
    if (!sp->x->lits.ok) {
        split_free(sp);
        return 0;
    }
    /* The whole regex is looked for by the literals of what it flags:
     * their occurrences are then candidates for it (pattern_split_find),
     * each with no bound on how far back the whole match starts. */
    lit_sum lits;
    if (lit_sum_copy(&lits, &sp->x->lits)) {
        split_free(sp);
        return -1;
    }
    for (size_t i = 0; i < lits.n; i++)
        lits.lits[i].back = LIT_UNBOUNDED;
    lit_sum_free(&p->lits);
    p->lits = lits;
    p->pair_max = sp->x->pair_max;
    p->split = sp;
    return 0;
oom:
    lit_split_free(&ls);
    split_free(sp);
    return -1;
}

void pattern_free(pattern *p)
{
    if (!p)
        return;
    split_free(p->split);
    free(p->src);
    pcre2_code_free(p->checked);
    for (int f = 0; f < 2; f++) {
        pcre2_code *code = atomic_load(&p->code[f]);
        pcre2_code *jit = atomic_load(&p->jit[f]);
        if (jit != code)
            pcre2_code_free(jit);
        pcre2_code_free(code);
    }
    lit_sum_free(&p->lits);
    litset_free(atomic_load(&p->ls[0]));
    litset_free(atomic_load(&p->ls[1]));
    memset(p, 0, sizeof(*p));
}

int pattern_each(const pattern *p, pattern_visit fn, void *ctx)
{
    int rc = p->src ? fn(p, ctx) : 0;
    const pattern_split *sp = p->split;
    if (rc || !sp)
        return rc;
    if ((rc = pattern_each(sp->x, fn, ctx)))
        return rc;
    for (size_t i = 0; i < sp->n && !rc; i++)
        rc = pattern_each(&sp->conds[i], fn, ctx);
    return rc;
}

/* Searches after which a pattern is worth compiling with JIT. Measured
 * over the folder of postings: 256 gave 655 million instructions, 64 gave
 * 613, 32 gave 603, 16 gave 600; one posting alone does not reach it. */
#define JIT_AFTER 32

/* Publishes code in *slot unless another thread was first; returns what
 * is there. */
static pcre2_code *publish(_Atomic(pcre2_code *) *slot, pcre2_code *code,
                           pcre2_code *keep)
{
    pcre2_code *expected = NULL;
    if (atomic_compare_exchange_strong_explicit(slot, &expected, code,
                                                memory_order_acq_rel,
                                                memory_order_acquire))
        return code;
    if (code != keep)
        pcre2_code_free(code);
    return expected;
}

uint32_t pattern_options(int form)
{
    uint32_t opts = MATCHER_PCRE2_OPTIONS;
    if (form == PAT_VALID)
        opts &= ~(uint32_t)PCRE2_MATCH_INVALID_UTF;
    return opts;
}

pcre2_code *pattern_compile(const char *src, int form,
                            const precomp_index *ix, char *msg,
                            size_t msglen)
{
    pcre2_code *code = precomp_code_of(ix, src, form);
    if (code)
        return code;
    int ec;
    PCRE2_SIZE eo;
    code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
                         pattern_options(form), &ec, &eo, NULL);
    if (!code) {
        PCRE2_UCHAR m[256];
        pcre2_get_error_message(ec, m, sizeof(m));
        snprintf(msg, msglen, "pattern does not compile: %s at offset %zu",
                 (char *)m, (size_t)eo);
    }
    return code;
}

pcre2_code *pattern_code(const pattern *cp, int form, unsigned long work,
                         char *msg, size_t msglen)
{
    /* The fields that change after loading; the rule set is shared by
     * every thread, so each is set once, by compare-and-swap. */
    pattern *p = (pattern *)cp;
    pcre2_code *jit = atomic_load_explicit(&p->jit[form], memory_order_acquire);
    if (jit)
        return jit;
    pcre2_code *code =
        atomic_load_explicit(&p->code[form], memory_order_acquire);
    if (!code) {
        if (p->checked && form == PAT_ANY) {
            code = pcre2_code_copy(p->checked);
            if (!code)
                snprintf(msg, msglen, "out of memory");
        } else {
            code = pattern_compile(p->src, form, &precomp_builtin, msg,
                                   msglen);
        }
        if (!code)
            return NULL;
        code = publish(&p->code[form], code, NULL);
    }
    unsigned long before = atomic_fetch_add_explicit(
        &p->work[form], work == PATTERN_HOT ? JIT_AFTER : work,
        memory_order_relaxed);
    if (work != PATTERN_HOT && before + work < JIT_AFTER)
        return code;
    /* JIT compiles a copy: the code other threads match with must not
     * change under them. Without JIT support the interpreter goes on. The
     * copy has character tables of its own: a decoded code (precomp.h)
     * shares its tables with its copies by a count that PCRE2 changes
     * without a lock, and threads that copy and free at once (each may JIT
     * the same pattern; all but one throw theirs away) left it wrong, which
     * freed the tables twice at exit: "corrupted size vs. prev_size", one
     * run in a few hundred at -j4. */
    pcre2_code *copy = pcre2_code_copy_with_tables(code);
    if (copy && pcre2_jit_compile(copy, PCRE2_JIT_COMPLETE) != 0) {
        pcre2_code_free(copy);
        copy = code;
    }
    return copy ? publish(&p->jit[form], copy, code) : code;
}

int matcher_init(matcher *m, unsigned long match_limit)
{
    memset(m, 0, sizeof(*m));
    m->md = pcre2_match_data_create(1, NULL);
    m->mc = pcre2_match_context_create(NULL);
    m->mc_lim = pcre2_match_context_create(NULL);
    m->js = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (!m->md || !m->mc || !m->mc_lim)
        return -1;
    pcre2_match_context *cs[] = {m->mc, m->mc_lim};
    for (int i = 0; i < 2; i++) {
        pcre2_set_match_limit(cs[i], (uint32_t)match_limit);
        pcre2_set_depth_limit(cs[i], 10000);
        if (m->js)
            pcre2_jit_stack_assign(cs[i], NULL, m->js);
    }
    return 0;
}

void matcher_text(matcher *m, const char *text, size_t len)
{
    m->len = len;
    m->valid = len <= MATCHER_CHECK_MAX && text_valid_utf8(text, len);
}

const pcre2_code *matcher_code(const matcher *m, const pattern *p,
                               size_t windows, char *msg, size_t msglen)
{
    if (m->reference || !windows || !p->lits.ok)
        return pattern_code(p, PAT_ANY, PATTERN_HOT, msg, msglen);
    if (m->valid)
        return pattern_code(p, PAT_VALID, windows, msg, msglen);
    /* the interpreter checks the text from the window on at each search */
    unsigned long each = m->len / 1024 + 1;
    return pattern_code(p, PAT_ANY,
                        m->len > MATCHER_CHECK_MAX ? PATTERN_HOT : windows * each,
                        msg, msglen);
}

void matcher_free(matcher *m)
{
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mc);
    pcre2_match_context_free(m->mc_lim);
    pcre2_jit_stack_free(m->js);
    for (int i = 0; i < 3; i++) {
        occ_vec_free(&m->occ[i]);
        free(m->wins[i].v);
    }
    memset(m, 0, sizeof(*m));
}

/* ---- windows ---- */

static size_t utf8_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

static int ascii_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* Eight ASCII bytes (no high bit set): how many are not white space. The
 * top bit of each byte of x + ONES * (0x80 - n) says whether it is >= n,
 * with no carry between bytes. */
static unsigned nonspace8(uint64_t x)
{
#define GE(n) ((x + ONES * (0x80 - (n))) & HIGH)
    uint64_t space = (GE(9) & ~GE(14)) | (GE(32) & ~GE(33));
#undef GE
    /* one bit per byte: their sum, in the top byte */
    return 8 - (unsigned)(((space >> 7) * ONES) >> 56);
}

static uint64_t load8(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

#ifdef __SSE2__
/* Sixteen bytes: which are not white space (bit i for p[i]), or -1 when
 * one is not ASCII. */
static int nonspace_mask16(const unsigned char *p)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    if (_mm_movemask_epi8(x))
        return -1;
    __m128i ws = _mm_or_si128(
        _mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
        _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('\t' - 1)),
                      _mm_cmplt_epi8(x, _mm_set1_epi8('\r' + 1))));
    return (int)(~(unsigned)_mm_movemask_epi8(ws) & 0xFFFFu);
}
#define HAVE_NONSPACE16 1
#else
#define HAVE_NONSPACE16 0
static int nonspace_mask16(const unsigned char *p)
{
    (void)p;
    return -1;
}
#endif

/* Where the k-th set bit of m (counting from 0, the lowest first) is,
 * for k below n, the number of bits set in m: set bits cleared from
 * whichever end is nearer. */
static inline size_t nth_bit(unsigned m, unsigned n, unsigned k)
{
    if (k < n / 2) {
        for (; k; k--)
            m &= m - 1;
        return (size_t)__builtin_ctz(m);
    }
    for (k = n - 1 - k; k; k--)
        m &= ~(0x80000000u >> __builtin_clz(m));
    return (size_t)(31 - __builtin_clz(m));
}

/* The bits set in a 16-bit mask, added up in place (no popcnt needed). */
static unsigned bits16(unsigned m)
{
    m = m - ((m >> 1) & 0x5555u);
    m = (m & 0x3333u) + ((m >> 2) & 0x3333u);
    m = (m + (m >> 4)) & 0x0F0Fu;
    return (m + (m >> 8)) & 0x1Fu;
}

#ifdef MATCHER_AVX2
/* Which of 32 bytes at p are not white space (bit i for p[i]); *ascii
 * says whether they all are ASCII. */
__attribute__((target("avx2"))) static unsigned nonspace_mask32(
    const unsigned char *p, int *ascii)
{
    __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i ws = _mm256_or_si256(
        _mm256_cmpeq_epi8(x, _mm256_set1_epi8(' ')),
        _mm256_and_si256(_mm256_cmpgt_epi8(x, _mm256_set1_epi8('\t' - 1)),
                         _mm256_cmpgt_epi8(_mm256_set1_epi8('\r' + 1), x)));
    *ascii = _mm256_movemask_epi8(x) == 0;
    return ~(unsigned)_mm256_movemask_epi8(ws);
}

/* The whole blocks of 32 ASCII bytes before q (not before start) that
 * fit in *budget, taken off it: where they begin. */
__attribute__((target("avx2,popcnt"))) static size_t
back32(const unsigned char *t, size_t q, size_t start, size_t *budget)
{
    int ascii;
    while (q - start >= 32) {
        unsigned m = nonspace_mask32(t + q - 32, &ascii);
        unsigned n = (unsigned)__builtin_popcount(m);
        if (!ascii || n > *budget)
            break;
        *budget -= n;
        q -= 32;
    }
    return q;
}

/* The same after q (not past len): where they end. */
__attribute__((target("avx2,popcnt"))) static size_t
forward32(const unsigned char *t, size_t len, size_t q, size_t *budget)
{
    int ascii;
    while (len - q >= 32) {
        unsigned m = nonspace_mask32(t + q, &ascii);
        unsigned n = (unsigned)__builtin_popcount(m);
        if (!ascii || n > *budget)
            break;
        *budget -= n;
        q += 32;
    }
    return q;
}

static int use_avx2(void)
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
}
#else
static size_t back32(const unsigned char *t, size_t q, size_t start,
                     size_t *budget)
{
    (void)t, (void)start, (void)budget;
    return q;
}

static size_t forward32(const unsigned char *t, size_t len, size_t q,
                        size_t *budget)
{
    (void)t, (void)len, (void)budget;
    return q;
}

static int use_avx2(void) { return 0; }
#endif

size_t matcher_back(const unsigned char *t, size_t p, size_t start,
                    size_t budget)
{
    if (budget == LIT_UNBOUNDED)
        return start;
    size_t q = p;
    int wide = use_avx2();
    while (q > start) {
        int m16;
        size_t was = q;
        if (wide && q - start >= 32 && budget >= 32 &&
            (q = back32(t, q, start, &budget)) != was)
            continue; /* q may be start now */
        if (HAVE_NONSPACE16 && q - start >= 16 &&
            (m16 = nonspace_mask16(t + q - 16)) >= 0) {
            unsigned m = (unsigned)m16, n = bits16(m);
            if (n <= budget) {
                budget -= n;
                q -= 16;
                continue;
            }
            /* it stops in these sixteen bytes, after the last non-space
             * byte that does not fit (white space costs nothing): the
             * (budget + 1)-th set bit from the top */
            return q - 16 + nth_bit(m, n, n - (unsigned)budget - 1) + 1;
        }
        if (q - start >= 8) {
            /* eight ASCII bytes at once */
            uint64_t x = load8(t + q - 8);
            unsigned n;
            if (!(x & HIGH) && (n = nonspace8(x)) <= budget) {
                budget -= n;
                q -= 8;
                continue;
            }
        }
        unsigned char c = t[q - 1];
        if (c < 0x80) {
            if (!ascii_space(c)) {
                if (!budget)
                    break;
                budget--;
            }
            q--;
            continue;
        }
        size_t k = q - 1;
        while (k > start && q - k < 4 && (t[k] & 0xC0) == 0x80)
            k--;
        if ((t[k] & 0xC0) != 0xC0 || utf8_len(t[k]) != q - k)
            k = q - 1; /* a stray byte, as a character of its own */
        size_t n = q - k;
        if (lit_space_len(t + k, n) != n) {
            if (n > budget)
                break;
            budget -= n;
        }
        q = k;
    }
    return q;
}

size_t matcher_forward(const unsigned char *t, size_t len, size_t p,
                       size_t budget)
{
    size_t q = p;
    int wide = use_avx2();
    while (q < len) {
        int m16;
        size_t was = q;
        if (wide && len - q >= 32 && budget >= 32 &&
            (q = forward32(t, len, q, &budget)) != was)
            continue; /* q may be len now */
        if (HAVE_NONSPACE16 && len - q >= 16 &&
            (m16 = nonspace_mask16(t + q)) >= 0) {
            unsigned m = (unsigned)m16, n = bits16(m);
            if (n <= budget) {
                budget -= n;
                q += 16;
                continue;
            }
            /* it stops in these sixteen bytes, at the first non-space byte
             * that does not fit */
            return q + nth_bit(m, n, (unsigned)budget);
        }
        if (len - q >= 8) {
            uint64_t x = load8(t + q);
            unsigned n;
            if (!(x & HIGH) && (n = nonspace8(x)) <= budget) {
                budget -= n;
                q += 8;
                continue;
            }
        }
        unsigned char c = t[q];
        size_t n = c < 0x80 ? 1 : utf8_len(c);
        if (n > len - q)
            n = 1;
        if (c < 0x80 ? !ascii_space(c) : lit_space_len(t + q, n) != n) {
            if (n > budget)
                break;
            budget -= n;
        }
        q += n;
    }
    return q;
}

/* Candidates this far ahead are fetched into the cache while one is
 * looked at: in a big text each is a miss of its own otherwise. */
#define PREFETCH_AHEAD 16

/* Fetches the bytes around text position a, as far as a window reaches
 * back or a companion forward. A macro: GCC drops calls to a function
 * that only prefetches, as if they did nothing. */
#if defined(__GNUC__)
#define PREFETCH_NEAR(t, len, a)                                           \
    do {                                                                   \
        if ((a) >= 64)                                                     \
            __builtin_prefetch((t) + (a) - 64);                            \
        __builtin_prefetch((t) + (a));                                     \
        if ((len) - (a) > 64)                                              \
            __builtin_prefetch((t) + (a) + 64);                            \
    } while (0)
#else
#define PREFETCH_NEAR(t, len, a) ((void)0)
#endif

/* Where p's companion may be for its literal at a: occurrences wholly
 * inside [*from, *to) that start at or before *last. */
static void pair_window(const pattern *p, const unsigned char *t, size_t len,
                        size_t a, size_t *from, size_t *last, size_t *to)
{
    if (p->lits.pair_after) {
        *from = a;
        *last = matcher_forward(t, len, a, p->lits.gap);
        *to = len - *last > p->pair_max ? *last + p->pair_max : len;
    } else {
        *from = matcher_back(t, a, 0, p->lits.gap);
        *last = a;
        *to = a;
    }
}

/* Is one of occ[i..) that start at or before last, and end by to, a
 * companion in its context? */
static int pair_found(const litset *pls, const unsigned char *t, size_t len,
                      const occ_vec *occ, size_t i, size_t last, size_t to)
{
    for (; i < occ->n && occ->v[i].pos <= last; i++) {
        size_t n;
        const lit_owner *o = litset_owners(pls, occ->v[i].lit, &n);
        if (occ->v[i].end <= to &&
            lit_context_ok(t, len, occ->v[i].pos, occ->v[i].end, o->left,
                           o->right))
            return 1;
    }
    return 0;
}

int pattern_paired(const pattern *p, const char *text, size_t len, size_t a,
                   occ_vec *occ)
{
    const litset *pls = p->lits.n_pair ? pattern_litset(p, 1) : NULL;
    if (!p->lits.n_pair)
        return 1;
    if (!pls)
        return -1;
    const unsigned char *t = (const unsigned char *)text;
    size_t from, to, last;
    pair_window(p, t, len, a, &from, &last, &to);
    occ->n = 0;
    if (litset_find(pls, text, len, from, to, occ))
        return -1;
    return pair_found(pls, t, len, occ, 0, last, to);
}

/* Windows of candidates this close are looked through together; a run
 * of them stops growing at RUN_MAX bytes. */
#define RUN_GAP 64
#define RUN_MAX (64u * 1024)

int pattern_paired_all(const pattern *p, const char *text, size_t len,
                       mcand *c, size_t n, size_t *kept, occ_vec *occ,
                       mwin_vec *w)
{
    *kept = n;
    if (!p->lits.n_pair || !n || p->lits.gap > PAIR_GAP_MAX)
        return 0;
    const litset *pls = pattern_litset(p, 1);
    if (!pls)
        return -1;
    const unsigned char *t = (const unsigned char *)text;
    if (w->cap < n) {
        mwin *v = realloc(w->v, n * sizeof(*v));
        if (!v)
            return -1;
        w->v = v;
        w->cap = n;
    }
    /* each candidate's window as [lo, p = last]; its end follows from
     * last (pair_window) */
    size_t to;
    for (size_t i = 0; i < n; i++) {
        if (i + PREFETCH_AHEAD < n)
            PREFETCH_NEAR(t, len, c[i + PREFETCH_AHEAD].pos);
        pair_window(p, t, len, c[i].pos, &w->v[i].lo, &w->v[i].p, &to);
    }
#define PAIR_TO(last)                                                      \
    (!p->lits.pair_after       ? (last)                                    \
     : len - (last) > p->pair_max ? (last) + p->pair_max                   \
                                  : len)
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        /* a run of candidates whose windows overlap or nearly do */
        size_t lo = w->v[i].lo, hi = PAIR_TO(w->v[i].p), j = i + 1;
        while (j < n && w->v[j].lo <= hi + RUN_GAP && hi - lo < RUN_MAX) {
            if (w->v[j].lo < lo)
                lo = w->v[j].lo;
            if (PAIR_TO(w->v[j].p) > hi)
                hi = PAIR_TO(w->v[j].p);
            j++;
        }
        /* a short run: each window at once, 16 bytes at a time, unless
         * that cannot tell */
        int near = hi - lo <= LITSET_NEAR_MAX;
        for (; near && i < j; i++) {
            int found = litset_first_near(pls, text, len, w->v[i].lo,
                                          w->v[i].p, PAIR_TO(w->v[i].p));
            if (found < 0)
                break;
            if (found)
                c[k++] = c[i];
        }
        if (i == j)
            continue;
        occ->n = 0;
        if (litset_find(pls, text, len, lo, hi, occ))
            return -1;
        for (; i < j; i++) {
            /* the first occurrence that starts in the window */
            size_t a = 0, b = occ->n;
            while (a < b) {
                size_t mid = a + (b - a) / 2;
                if (occ->v[mid].pos < w->v[i].lo)
                    a = mid + 1;
                else
                    b = mid;
            }
            if (pair_found(pls, t, len, occ, a, w->v[i].p,
                           PAIR_TO(w->v[i].p)))
                c[k++] = c[i];
        }
    }
#undef PAIR_TO
    *kept = k;
    return 0;
}

int pattern_pair_checked(const pattern *p)
{
    return p->lits.ok && p->lits.n_pair && p->lits.gap <= PAIR_GAP_MAX;
}

int pattern_pair_global(const pattern *p) { return p->pair_global; }

int pattern_paired_near(const pattern *p, const char *text, size_t len,
                        mcand *c, size_t n, const mcand *comp, size_t nc,
                        size_t lo, size_t hi, size_t *kept, occ_vec *occ)
{
    *kept = n;
    if (!pattern_pair_checked(p))
        return 0;
    const unsigned char *t = (const unsigned char *)text;
    size_t gap = p->lits.gap, k = 0, j = 0;
    /* the first place from which comp[reach_of] is within gap non-space
     * bytes: worked out once for all the candidates before that companion
     * (those of a common word before a rarer one are many); likewise for
     * hi, past which the companions are not given */
    size_t reach_of = nc, reach = 0, reach_hi = SIZE_MAX;
    int have_reach_hi = hi >= len;
    for (size_t i = 0; i < n; i++) {
        size_t a = c[i].pos;
        int ok = 0, ask = 0;
        if (i + PREFETCH_AHEAD < n)
            PREFETCH_NEAR(t, len, c[i + PREFETCH_AHEAD].pos);
        while (j < nc && comp[j].pos < a)
            j++; /* comp[j] is the first companion at a or after */
        if (p->lits.pair_after) {
            /* it must start within gap non-space bytes of a */
            if (j < nc && comp[j].pos - a > gap && reach_of != j) {
                reach = matcher_back(t, comp[j].pos, 0, gap);
                reach_of = j;
            }
            ok = j < nc && (comp[j].pos - a <= gap || a >= reach);
            if (j == nc && !have_reach_hi) {
                reach_hi = matcher_back(t, hi, 0, gap);
                have_reach_hi = 1;
            }
            /* none given from a on: one from hi on may still be near */
            ask = j == nc && a >= reach_hi;
        } else {
            /* companions before it that end by a, nearest first; one
             * must start within gap non-space bytes before a */
            size_t from = a; /* matcher_back, once needed */
            int have_from = 0, none = 0;
            for (size_t q = j; q-- > 0;) {
                if (comp[q].back > a)
                    continue; /* ends after a */
                if (a - comp[q].pos <= gap) {
                    ok = 1;
                    break;
                }
                if (!have_from) {
                    from = matcher_back(t, a, 0, gap);
                    have_from = 1;
                }
                none = comp[q].pos < from; /* and so are all before it */
                ok = !none;
                break;
            }
            /* none given near: one before lo may still be */
            if (!ok && !none && lo > 0) {
                if (!have_from)
                    from = matcher_back(t, a, 0, gap);
                ask = from < lo;
            }
        }
        if (ask && (ok = pattern_paired(p, text, len, a, occ)) < 0)
            return -1;
        if (ok)
            c[k++] = c[i];
    }
    *kept = k;
    return 0;
}

static int cmp_win(const void *pa, const void *pb)
{
    const mwin *a = pa, *b = pb;
    if (a->lo != b->lo)
        return a->lo < b->lo ? -1 : 1;
    return a->p < b->p ? -1 : a->p > b->p;
}

static int push_win(mwin_vec *w, size_t lo, size_t p)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        mwin *v = realloc(w->v, cap * sizeof(*v));
        if (!v)
            return -1;
        w->v = v;
        w->cap = cap;
    }
    w->v[w->n++] = (mwin){lo, p};
    return 0;
}

/* Sorts the windows by start; most arrive nearly sorted. */
static void sort_wins(mwin_vec *w)
{
    int sorted = 1;
    for (size_t i = 1; i < w->n && sorted; i++)
        sorted = cmp_win(&w->v[i - 1], &w->v[i]) <= 0;
    if (!sorted)
        qsort(w->v, w->n, sizeof(mwin), cmp_win);
}

void msearch_start_full(msearch *s, matcher *m, const pcre2_code *re,
                        const char *text, size_t len, size_t from)
{
    memset(s, 0, sizeof(*s));
    s->m = m;
    s->re = re;
    s->text = text;
    s->len = len;
    s->from = from;
    s->full = 1;
}

static void start_windows(msearch *s, matcher *m, const pcre2_code *re,
                          const char *text, size_t len, size_t from,
                          const mwin_vec *w)
{
    msearch_start_full(s, m, re, text, len, from);
    s->full = 0;
    s->clear = from;
    s->w = w->v;
    s->nw = w->n;
}

int msearch_start(msearch *s, matcher *m, const pcre2_code *re,
                  const pattern *p, const char *text, size_t len,
                  size_t from, int slot)
{
    if (m->reference || !p->lits.ok || from >= len) {
        msearch_start_full(s, m, re, text, len, from);
        return 0;
    }
    occ_vec *occ = &m->occ[slot];
    mwin_vec *w = &m->wins[slot];
    const litset *ls = pattern_litset(p, 0);
    occ->n = w->n = 0;
    if (!ls || litset_find(ls, text, len, from, len, occ))
        return -1;
    const unsigned char *t = (const unsigned char *)text;
    for (size_t i = 0; i < occ->n; i++) {
        size_t n;
        const lit_owner *o = litset_owners(ls, occ->v[i].lit, &n);
        size_t pos = occ->v[i].pos;
        if (!lit_context_ok(t, len, pos, occ->v[i].end, o->left, o->right))
            continue;
        if (push_win(w, matcher_back(t, pos, from, o->back), pos))
            return -1;
    }
    sort_wins(w);
    start_windows(s, m, re, text, len, from, w);
    return 0;
}

int mwin_add(mwin_vec *w, const char *text, const mcand *c, size_t n)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t first = w->n;
    for (size_t i = 0; i < n; i++) {
        if (i + PREFETCH_AHEAD < n)
            /* a window reaches back from its literal, not forward */
            PREFETCH_NEAR(t, c[i + PREFETCH_AHEAD].pos,
                          c[i + PREFETCH_AHEAD].pos);
        if (push_win(w, matcher_back(t, c[i].pos, 0, c[i].back), c[i].pos))
            return -1;
    }
    if (w->n == first)
        return 0; /* nothing added: w->v may be NULL, not to offset */
    mwin_vec part = {w->v + first, w->n - first, 0};
    sort_wins(&part);
    return 0;
}

void msearch_start_wins(msearch *s, matcher *m, const pcre2_code *re,
                        const char *text, size_t len, const mwin *w,
                        size_t n)
{
    mwin_vec v = {(mwin *)w, n, n};
    start_windows(s, m, re, text, len, 0, &v);
}

int msearch_start_cands(msearch *s, matcher *m, const pcre2_code *re,
                        const char *text, size_t len, const mcand *c,
                        size_t n, int slot)
{
    mwin_vec *w = &m->wins[slot];
    w->n = 0;
    if (mwin_add(w, text, c, n))
        return -1;
    start_windows(s, m, re, text, len, 0, w);
    return 0;
}

int pattern_split_find(matcher *m, const pattern *p, const char *text,
                       size_t len, const mcand *c, size_t n, size_t *ms,
                       size_t *me)
{
    const pattern_split *sp = p->split;
    char msg[300];
    size_t rs;
    msearch it;
    const pcre2_code *re = matcher_code(m, sp->x, n, msg, sizeof(msg));
    if (!re)
        return 2;
    /* The candidates of the whole regex are those of what it flags, but
     * after "[\s\S]*?": what it flags alone looks back much less, and
     * may have a companion to check. */
    const unsigned char *t = (const unsigned char *)text;
    size_t back = 0;
    for (size_t i = 0; i < sp->x->lits.n; i++)
        if (sp->x->lits.lits[i].back > back)
            back = sp->x->lits.lits[i].back;
    mwin_vec *w = &m->wins[0];
    w->n = 0;
    for (size_t i = 0; i < n; i++) {
        int paired = pattern_paired(sp->x, text, len, c[i].pos, &m->occ[0]);
        if (paired < 0 ||
            (paired && push_win(w, matcher_back(t, c[i].pos, 0, back),
                                c[i].pos)))
            return -1;
    }
    sort_wins(w);
    start_windows(&it, m, re, text, len, 0, w);
    int rc = msearch_find(&it, 0, &rs, ms, me);
    if (rc != 1)
        return rc;
    for (size_t i = 0; i < sp->n; i++) {
        const pattern *cond = &sp->conds[i];
        re = matcher_code(m, cond, 1, msg, sizeof(msg));
        if (!re)
            return 2;
        rc = msearch_exists(m, re, cond, text, len, 1);
        if (rc < 0)
            return rc;
        if (rc != sp->want[i])
            return 0;
    }
    return 1;
}

/* A big text is looked through this much at a time for a match that
 * only has to exist: the first one ends the search. */
#define EXISTS_CHUNK (64u * 1024)

int msearch_exists(matcher *m, const pcre2_code *re, const pattern *p,
                   const char *text, size_t len, int slot)
{
    if (m->reference || !p->lits.ok) {
        int rc = pcre2_match(re, (PCRE2_SPTR)text, len, 0, 0, m->md, m->mc);
        return rc == PCRE2_ERROR_NOMATCH ? 0 : rc < 0 ? rc : 1;
    }
    const unsigned char *t = (const unsigned char *)text;
    size_t longest = 0;
    for (size_t i = 0; i < p->lits.n; i++)
        if (p->lits.lits[i].len > longest)
            longest = p->lits.lits[i].len;
    occ_vec *occ = &m->occ[slot];
    mwin_vec *w = &m->wins[slot];
    const litset *ls = pattern_litset(p, 0);
    if (!ls)
        return -1;
    for (size_t at = 0; at < len; at += EXISTS_CHUNK) {
        /* literals that start in this chunk; a k or s may take 3 bytes */
        size_t stop = len - at > EXISTS_CHUNK ? at + EXISTS_CHUNK : len;
        size_t reach = len - stop > 3 * longest ? stop + 3 * longest : len;
        occ->n = w->n = 0;
        if (litset_find(ls, text, len, at, reach, occ))
            return -1;
        for (size_t i = 0; i < occ->n && occ->v[i].pos < stop; i++) {
            size_t n;
            const lit_owner *o = litset_owners(ls, occ->v[i].lit, &n);
            size_t pos = occ->v[i].pos;
            if (lit_context_ok(t, len, pos, occ->v[i].end, o->left,
                               o->right) &&
                push_win(w, matcher_back(t, pos, 0, o->back), pos))
                return -1;
        }
        sort_wins(w);
        msearch s;
        size_t rs, ms, me;
        start_windows(&s, m, re, text, len, 0, w);
        int rc = msearch_find(&s, 0, &rs, &ms, &me);
        if (rc)
            return rc < 0 ? rc : 1;
    }
    return 0;
}

/* The reference: the leftmost match at or after s->from. */
static int next_full(msearch *s, size_t *ms, size_t *me)
{
    while (s->from <= s->len) {
        int rc = pcre2_match(s->re, (PCRE2_SPTR)s->text, s->len, s->from, 0,
                             s->m->md, s->m->mc);
        if (rc == PCRE2_ERROR_NOMATCH)
            return 0;
        if (rc < 0)
            return rc;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->m->md);
        if (ov[1] <= ov[0] || ov[0] < s->from) {
            /* an empty match, or one that \K moved back: step on */
            s->from = (ov[1] > s->from ? ov[1] : s->from) + 1;
            continue;
        }
        *ms = ov[0];
        *me = ov[1];
        s->from = ov[1];
        return 1;
    }
    return 0;
}

int msearch_find(msearch *s, size_t at_least, size_t *rs, size_t *ms,
                 size_t *me)
{
    const unsigned char *t = (const unsigned char *)s->text;
    if (at_least > s->clear)
        s->clear = at_least;
    while (s->wi < s->nw) {
        const mwin *w = &s->w[s->wi];
        if (s->wi + PREFETCH_AHEAD < s->nw)
            PREFETCH_NEAR(t, s->len, s->w[s->wi + PREFETCH_AHEAD].lo);
        if (w->p < s->clear) {
            s->wi++;
            continue;
        }
        size_t lo = w->lo > s->clear ? w->lo : s->clear;
        pcre2_set_offset_limit(s->m->mc_lim, w->p);
        int rc = pcre2_match(s->re, (PCRE2_SPTR)s->text, s->len, lo,
                             s->m->valid ? PCRE2_NO_UTF_CHECK : 0, s->m->md,
                             s->m->mc_lim);
        if (rc == PCRE2_ERROR_NOMATCH) {
            /* nothing starts in [lo, p]: on past the character at p */
            size_t next = w->p + utf8_len(t[w->p]);
            s->clear = next < s->len ? next : s->len;
            if (s->clear <= w->p)
                s->clear = w->p + 1;
            s->wi++;
            continue;
        }
        if (rc < 0)
            return rc;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->m->md);
        *rs = pcre2_get_startchar(s->m->md);
        *ms = ov[0];
        *me = ov[1];
        s->last_lo = lo;
        return ov[1] <= ov[0] || ov[0] < lo ? 2 : 1;
    }
    return 0;
}

int msearch_next(msearch *s, size_t *ms, size_t *me)
{
    if (s->full)
        return next_full(s, ms, me);
    size_t rs;
    int rc = msearch_find(s, 0, &rs, ms, me);
    if (rc == 1)
        s->clear = *me;
    return rc;
}
