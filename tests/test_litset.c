/* The literal search: every occurrence in any case (and with the Kelvin
 * sign and the long s), short and long literals, overlapping ones, in
 * order, and never a byte read outside the range it is given. Occurrences
 * that no owner's context allows may be left out: the results are compared
 * with a plain search once both are filtered by lit_context_ok, with each
 * kind of instructions the machine has for marking positions. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "testutil.h"

#include <sys/mman.h>
#include <unistd.h>

#include "lit.h"
#include "litset.h"

static litset *set_of(const char *const *lits, size_t n)
{
    litset *ls = litset_new();
    assert_non_null(ls);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(litset_add(ls, lits[i], strlen(lits[i]),
                                    (uint32_t)i, 0, LIT_ANY, LIT_ANY), 0);
    assert_int_equal(litset_build(ls), 0);
    return ls;
}

/* "pos:literal" of each occurrence in text[a..b), space separated, into
 * out; text[0..len) may be read. */
static void found(const litset *ls, const char *text, size_t len, size_t a,
                  size_t b, char *out, size_t outlen)
{
    occ_vec v = {NULL, 0, 0};
    assert_int_equal(litset_find(ls, text, len, a, b, &v), 0);
    out[0] = '\0';
    for (size_t i = 0; i < v.n; i++) {
        size_t n;
        const char *s = litset_text(ls, v.v[i].lit, &n);
        size_t used = strlen(out);
        snprintf(out + used, outlen - used, "%s%zu:%s", i ? " " : "",
                 v.v[i].pos, s);
        if (i)
            assert_true(v.v[i].pos >= v.v[i - 1].pos);
    }
    occ_vec_free(&v);
}

static void litset__find__every_case_and_overlap(void **state)
{
    (void)state;
    static const char *const lits[] = {"commission", "aa", "kit", "x", "24/7"};
    litset *ls = set_of(lits, 5);
    char got[512];
    const char *t = "COMMISSION Commission aaa KIT 24/7 X";
    found(ls, t, strlen(t), 0, strlen(t), got, sizeof(got));
    assert_string_equal(got,
        "0:commission 11:commission 22:aa 23:aa 26:kit 30:24/7 35:x");
    litset_free(ls);
}

static void litset__find__kelvin_sign_and_long_s_are_k_and_s(void **state)
{
    (void)state;
    static const char *const lits[] = {"kit", "hustle"};
    litset *ls = set_of(lits, 2);
    char got[256];
    const char *t = "\xE2\x84\xAAit hu\xC5\xBFtle";
    found(ls, t, strlen(t), 0, strlen(t), got, sizeof(got));
    assert_string_equal(got, "0:kit 6:hustle");
    litset_free(ls);
}

static void litset__find__only_inside_the_range(void **state)
{
    (void)state;
    static const char *const lits[] = {"trial", "no"};
    litset *ls = set_of(lits, 2);
    char got[256];
    const char *t = "trial no trial no";
    found(ls, t, strlen(t), 1, 14, got, sizeof(got)); /* "rial no trial" */
    assert_string_equal(got, "6:no 9:trial");
    found(ls, t, strlen(t), 9, 13, got, sizeof(got)); /* "tria" */
    assert_string_equal(got, "");
    litset_free(ls);
}

/* Text that ends right before a page the process may not read: a read
 * past the end of the range crashes the test. */
static void litset__find__reads_nothing_past_the_end(void **state)
{
    (void)state;
    static const char *const lits[] = {"commission", "pay", "no", "$"};
    litset *ls = set_of(lits, 4);
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(m != MAP_FAILED);
    assert_int_equal(mprotect(m + page, (size_t)page, PROT_NONE), 0);
    for (size_t n = 0; n < 70; n++) {
        char *t = m + page - n;
        for (size_t i = 0; i < n; i++)
            t[i] = "no pay, $commission "[i % 20];
        char got[2048];
        found(ls, t, n, 0, n, got, sizeof(got));
        if (n >= 2)
            assert_non_null(strstr(got, "0:no"));
    }
    munmap(m, (size_t)page * 2);
    litset_free(ls);
}

/* Many literals on random text: the same occurrences as a plain search. */
static void litset__find__agrees_with_a_plain_search(void **state)
{
    (void)state;
    uint64_t s = 0x1234567;
    enum { NLIT = 300, LEN = 20000 };
    char *lits[NLIT];
    for (size_t i = 0; i < NLIT; i++) {
        size_t n = 1 + i % 7;
        lits[i] = malloc(n + 1);
        for (size_t k = 0; k < n; k++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            lits[i][k] = "abcdefgh '/%"[(s >> 33) % 12];
        }
        lits[i][n] = '\0';
    }
    litset *ls = litset_new();
    for (size_t i = 0; i < NLIT; i++)
        assert_int_equal(litset_add(ls, lits[i], strlen(lits[i]), 0, 0,
                                    LIT_ANY, LIT_ANY), 0);
    assert_int_equal(litset_build(ls), 0);
    char *t = malloc(LEN);
    for (size_t i = 0; i < LEN; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        t[i] = "aBcDeFgH '/%"[(s >> 33) % 12];
    }
    occ_vec v = {NULL, 0, 0};
    assert_int_equal(litset_find(ls, t, LEN, 0, LEN, &v), 0);
    size_t expect = 0, k = 0;
    for (size_t p = 0; p < LEN; p++) {
        /* each distinct literal that starts at p, in any case */
        for (size_t li = 0; li < litset_count(ls); li++) {
            size_t len;
            const char *l = litset_text(ls, (uint32_t)li, &len);
            if (len > LEN - p)
                continue;
            size_t j = 0;
            while (j < len && (t[p + j] >= 'A' && t[p + j] <= 'Z'
                                   ? t[p + j] | 0x20
                                   : t[p + j]) == l[j])
                j++;
            if (j == len)
                expect++;
        }
        while (k < v.n && v.v[k].pos == p)
            k++;
        assert_int_equal(k, expect);
    }
    assert_int_equal(v.n, expect);
    occ_vec_free(&v);
    litset_free(ls);
    free(t);
    for (size_t i = 0; i < NLIT; i++)
        free(lits[i]);
}


/* ---- against a plain search, with contexts ---- */

static uint64_t next_rand(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

/* The end of literal l[0..n) if it occurs at t[p..) within t[..b), else 0:
 * any case, and 'k' and 's' also as the Kelvin sign and the long s. */
static size_t plain_match(const char *t, size_t p, size_t b, const char *l,
                          size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p < b ? (unsigned char)t[p] : 0;
        if (p < b && (c >= 'A' && c <= 'Z' ? c | 0x20 : c) == (unsigned char)l[i])
            p++;
        else if (l[i] == 'k' && b - p >= 3 && memcmp(t + p, "\xE2\x84\xAA", 3) == 0)
            p += 3;
        else if (l[i] == 's' && b - p >= 2 && memcmp(t + p, "\xC5\xBF", 2) == 0)
            p += 2;
        else
            return 0;
    }
    return p;
}

/* Can some owner of literal li take the occurrence text[p..q)? */
static int taken(const litset *ls, uint32_t li, const char *t, size_t len,
                 size_t p, size_t q)
{
    size_t n;
    const lit_owner *o = litset_owners(ls, li, &n);
    for (size_t j = 0; j < n; j++)
        if (lit_context_ok((const unsigned char *)t, len, p, q, o[j].left,
                           o[j].right))
            return 1;
    return 0;
}

/* Does every owner of literal li take t[p..q)? */
static int taken_by_all(const litset *ls, uint32_t li, const char *t,
                        size_t len, size_t p, size_t q)
{
    size_t n;
    const lit_owner *o = litset_owners(ls, li, &n);
    for (size_t j = 0; j < n; j++)
        if (!lit_context_ok((const unsigned char *)t, len, p, q, o[j].left,
                            o[j].right))
            return 0;
    return 1;
}

static int cmp_occ(const void *pa, const void *pb)
{
    const lit_occ *a = pa, *b = pb;
    if (a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    if (a->lit != b->lit)
        return a->lit < b->lit ? -1 : 1;
    return a->end < b->end ? -1 : a->end > b->end;
}

/* The occurrences of v that some owner takes, sorted. */
static void keep_taken(const litset *ls, const char *t, size_t len,
                       occ_vec *v)
{
    size_t k = 0;
    for (size_t i = 0; i < v->n; i++)
        if (taken(ls, v->v[i].lit, t, len, v->v[i].pos, v->v[i].end))
            v->v[k++] = v->v[i];
    v->n = k;
    if (k)
        qsort(v->v, k, sizeof(lit_occ), cmp_occ);
}

/* litset_find over t[a..b) with each kind of instructions, against the
 * plain occurrences `all` of the whole text: the same ones where an owner
 * may take them, each a real occurrence, in order; both when only
 * t[a..b) may be read and when all of t[0..len) may. */
static void compare_with_plain(litset *ls, const char *t, size_t len,
                               size_t a, size_t b, const occ_vec *all)
{
    occ_vec want = {NULL, 0, 0};
    for (size_t i = 0; i < all->n; i++)
        if (all->v[i].pos >= a && all->v[i].end <= b) {
            if (want.n == want.cap) {
                want.cap = want.cap ? 2 * want.cap : 64;
                want.v = realloc(want.v, want.cap * sizeof(lit_occ));
                assert_non_null(want.v);
            }
            want.v[want.n++] = all->v[i];
        }
    keep_taken(ls, t, len, &want);
    int best = litset_set_simd(ls, TEXT_SIMD_AVX2);
    for (int run = 0; run < 2 * (best + 1); run++) {
        int level = run / 2;
        occ_vec got = {NULL, 0, 0};
        assert_int_equal(litset_set_simd(ls, level), level);
        if (run % 2) /* only t[a..b) there */
            assert_int_equal(litset_find(ls, t + a, b - a, 0, b - a, &got), 0);
        else
            assert_int_equal(litset_find(ls, t, len, a, b, &got), 0);
        /* one said checked is taken by every owner, in the text given */
        for (size_t i = 0; i < got.n; i++)
            if (got.v[i].checked)
                assert_true(taken_by_all(ls, got.v[i].lit, run % 2 ? t + a : t,
                                         run % 2 ? b - a : len, got.v[i].pos,
                                         got.v[i].end));
        for (size_t i = 0; i < got.n && run % 2; i++) {
            got.v[i].pos += a;
            got.v[i].end += a;
        }
        for (size_t i = 0; i < got.n; i++) {
            size_t n;
            const char *l = litset_text(ls, got.v[i].lit, &n);
            assert_true(got.v[i].pos >= a && got.v[i].end <= b);
            assert_int_equal(plain_match(t, got.v[i].pos, b, l, n),
                             got.v[i].end);
            if (i)
                assert_true(got.v[i].pos >= got.v[i - 1].pos);
        }
        keep_taken(ls, t, len, &got);
        if (got.n != want.n)
            print_error("level %d, [%zu, %zu) in %zu: %zu found, %zu "
                        "wanted\n",
                        level, a, b, run % 2 ? b - a : len, got.n, want.n);
        assert_int_equal(got.n, want.n);
        for (size_t i = 0; i < got.n; i++) {
            assert_int_equal(got.v[i].pos, want.v[i].pos);
            assert_int_equal(got.v[i].end, want.v[i].end);
            assert_int_equal(got.v[i].lit, want.v[i].lit);
        }
        occ_vec_free(&got);
    }
    occ_vec_free(&want);
}

/* Appends to t (at *n, below len) a piece of random text: one of the
 * literals of ls in random case, its k and s sometimes as the Kelvin sign
 * and the long s; or letters and digits; or a separator (white space,
 * punctuation, bytes from 0x80 up). Pieces side by side make literals at
 * word starts, at word ends, inside words and at lower/upper turns. */
static void random_piece(const litset *ls, uint64_t *r, char *t, size_t *n,
                         size_t len)
{
    static const char alnum[] = "abkestoABKESTO09";
    /* also bytes that fold loosely to some of the literals' bytes: '\r'
     * to '-', '\f' to ',' */
    static const char *const seps[] = {" ", " ", "  ", "\n", "\r", "\f",
                                       "_", ".", "-", "/", "$", ",",
                                       "\xC3\xA9", "\xE2\x80\x99",
                                       "\xC2\xA0"};
    char piece[64];
    size_t pl = 0;
    uint64_t kind = next_rand(r) % 10;
    if (kind < 4) {
        size_t ln;
        const char *l = litset_text(ls, (uint32_t)(next_rand(r) % litset_count(ls)), &ln);
        for (size_t i = 0; i < ln; i++) {
            uint64_t v = next_rand(r) % 8;
            if (l[i] == 'k' && v == 0) {
                memcpy(piece + pl, "\xE2\x84\xAA", 3);
                pl += 3;
            } else if (l[i] == 's' && v == 0) {
                memcpy(piece + pl, "\xC5\xBF", 2);
                pl += 2;
            } else {
                piece[pl++] = v < 3 && l[i] >= 'a' && l[i] <= 'z'
                                  ? (char)(l[i] - 32)
                                  : l[i];
            }
        }
    } else if (kind < 7) {
        for (size_t k = 1 + next_rand(r) % 4; k; k--)
            piece[pl++] = alnum[next_rand(r) % (sizeof(alnum) - 1)];
    } else {
        const char *sep = seps[next_rand(r) % (sizeof(seps) / sizeof(*seps))];
        pl = strlen(sep);
        memcpy(piece, sep, pl);
    }
    if (*n + pl <= len) {
        memcpy(t + *n, piece, pl);
        *n += pl;
    }
}

/* nlit random literals of 1 to max_len bytes (letters with k and s,
 * digits, a few other bytes), each with one or two owners of random
 * contexts (`shared`: owners among 5), else with owner 0. */
static litset *random_set(uint64_t *r, size_t nlit, size_t max_len,
                          int shared)
{
    static const char lit_bytes[] = "aabkkssettoo09/$-, ";
    static const int ctxs[] = {LIT_ANY, LIT_EDGE, LIT_SPACE, LIT_WORDB};
    litset *ls = litset_new();
    assert_non_null(ls);
    for (size_t i = 0; i < nlit; i++) {
        char l[12];
        size_t n = 1 + next_rand(r) % max_len;
        for (size_t k = 0; k < n; k++)
            l[k] = lit_bytes[next_rand(r) % (sizeof(lit_bytes) - 1)];
        for (size_t owners = shared ? 1 + next_rand(r) % 2 : 1; owners;
             owners--) {
            uint32_t owner = shared ? (uint32_t)(next_rand(r) % 5) : 0;
            int left = ctxs[next_rand(r) % 4], right = ctxs[next_rand(r) % 4];
            assert_int_equal(litset_add(ls, l, n, owner, 0, left, right), 0);
        }
    }
    assert_int_equal(litset_build(ls), 0);
    return ls;
}

/* Random literals with owners of random contexts (random_set), in random
 * text made of them (random_piece), looked for in random ranges, some
 * starting or ending inside words. */
static void run_random(uint64_t seed, size_t nlit, size_t len)
{
    uint64_t r = seed;
    litset *ls = random_set(&r, nlit, 9, 1);
    char *t = malloc(len);
    assert_non_null(t);
    size_t n = 0;
    for (size_t tries = 0; n + 40 < len && tries < 10 * len; tries++)
        random_piece(ls, &r, t, &n, len);
    occ_vec all = {NULL, 0, 0};
    for (size_t p = 0; p < n; p++)
        for (uint32_t li = 0; li < litset_count(ls); li++) {
            size_t ln;
            const char *l = litset_text(ls, li, &ln);
            size_t q = plain_match(t, p, n, l, ln);
            if (!q)
                continue;
            if (all.n == all.cap) {
                all.cap = all.cap ? 2 * all.cap : 256;
                all.v = realloc(all.v, all.cap * sizeof(lit_occ));
                assert_non_null(all.v);
            }
            all.v[all.n++] = (lit_occ){p, q, li, 0};
        }
    compare_with_plain(ls, t, n, 0, n, &all);
    for (int w = 0; w < 40; w++) {
        size_t a = next_rand(&r) % n;
        size_t b = a + 1 + next_rand(&r) % (w < 30 ? 150 : n - a);
        compare_with_plain(ls, t, n, a, b < n ? b : n, &all);
    }
    occ_vec_free(&all);
    litset_free(ls);
    free(t);
}

static void litset__find__random_contexts_agree_with_a_plain_search(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        run_random(seed, 3, 3000);
        run_random(seed, 30, 8000);
        run_random(seed, 150, 8000);
    }
}

/* Random sets of a few literals, each of one owner (as a companion's are),
 * in random text (with no byte from 0x80 up when `ascii`), and random
 * short windows [a, b) with a last start: litset_first_near, when it
 * answers, says whether a plain search finds a literal there that its
 * owner's contexts accept. It must answer for most windows of ASCII. */
static void run_near(uint64_t seed, size_t nlit, int ascii)
{
    uint64_t r = seed;
    litset *ls = random_set(&r, nlit, 6, 0);
    size_t len = 4000, n = 0, asked = 0, answered = 0;
    char *t = malloc(len);
    assert_non_null(t);
    for (size_t tries = 0; n + 40 < len && tries < 10 * len; tries++)
        random_piece(ls, &r, t, &n, len);
    for (size_t i = 0; ascii && i < n; i++)
        if ((unsigned char)t[i] >= 0x80)
            t[i] = ' ';
    for (int w = 0; w < 400; w++) {
        size_t a = next_rand(&r) % (n - 80);
        size_t b = a + 1 + next_rand(&r) % LITSET_NEAR_MAX;
        size_t last = a + next_rand(&r) % (b - a + 1);
        int want = 0;
        for (size_t p = a; p <= last && p < b && !want; p++)
            for (uint32_t li = 0; li < litset_count(ls) && !want; li++) {
                size_t ln, no;
                const char *l = litset_text(ls, li, &ln);
                const lit_owner *o = litset_owners(ls, li, &no);
                size_t q = plain_match(t, p, b, l, ln);
                want = q && lit_context_ok((const unsigned char *)t, n, p, q,
                                           o[0].left, o[0].right);
            }
        int got = litset_first_near(ls, t, n, a, last, b);
        asked++;
        if (got < 0)
            continue;
        answered++;
        if (got != want)
            print_error("seed %llu: [%zu, %zu) last %zu: %d, want %d\n",
                        (unsigned long long)seed, a, b, last, got, want);
        assert_int_equal(got, want);
    }
    if (ascii)
        assert_true(answered * 2 > asked);
    litset_free(ls);
    free(t);
}

static void litset__first_near__agrees_with_a_plain_search(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 12; seed++) {
        run_near(seed, 1 + seed % 6, 1);
        run_near(seed, 1 + seed % 6, 0);
    }
}

/* A literal's owners with the same contexts come side by side once the
 * set is built (the scan checks the contexts once for each run), and none
 * is lost. */
static void litset__owners__same_contexts_side_by_side(void **state)
{
    (void)state;
    static const int ctx[][2] = {{LIT_EDGE, LIT_ANY},  {LIT_ANY, LIT_ANY},
                                 {LIT_SPACE, LIT_EDGE}, {LIT_EDGE, LIT_ANY},
                                 {LIT_ANY, LIT_ANY},  {LIT_EDGE, LIT_ANY}};
    litset *ls = litset_new();
    assert_non_null(ls);
    for (uint32_t i = 0; i < 6; i++)
        assert_int_equal(litset_add(ls, "pay", 3, i, 0, ctx[i][0], ctx[i][1]),
                         0);
    assert_int_equal(litset_build(ls), 0);
    size_t n;
    const lit_owner *o = litset_owners(ls, 0, &n);
    assert_int_equal(n, 6);
    unsigned seen = 0;
    for (size_t j = 0; j < n; j++) {
        seen |= 1u << o[j].owner;
        assert_int_equal(o[j].left, ctx[o[j].owner][0]);
        assert_int_equal(o[j].right, ctx[o[j].owner][1]);
        /* a context pair met before j - 1 does not come back at j */
        for (size_t k = 0; j > 0 && k + 1 < j; k++)
            if (o[k].left == o[j].left && o[k].right == o[j].right)
                assert_true(o[j - 1].left == o[j].left &&
                            o[j - 1].right == o[j].right);
    }
    assert_int_equal(seen, 0x3F);
    litset_free(ls);
}

/* Literals with the contexts of their one owner, a text, and what each
 * kind of instructions must find in ranges of it ("pos:literal"). */
typedef struct scenario {
    const char *lits[4];
    int left[4], right[4];
    const char *text;
    struct {
        size_t a, b; /* b 0: the end of the text */
        const char *want;
    } look[4];
} scenario;

static litset *set_ctx(const char *const *lits, const int *left,
                       const int *right)
{
    litset *ls = litset_new();
    assert_non_null(ls);
    for (uint32_t i = 0; i < 4 && lits[i]; i++)
        assert_int_equal(litset_add(ls, lits[i], strlen(lits[i]), i, 0,
                                    left[i], right[i]),
                         0);
    assert_int_equal(litset_build(ls), 0);
    return ls;
}

static void run_scenario(const scenario *sc)
{
    litset *ls = set_ctx(sc->lits, sc->left, sc->right);
    int best = litset_set_simd(ls, TEXT_SIMD_AVX2);
    for (int level = TEXT_SIMD_NONE; level <= best; level++)
        for (int i = 0; i < 4 && sc->look[i].want; i++) {
            char got[512];
            size_t b = sc->look[i].b ? sc->look[i].b : strlen(sc->text);
            litset_set_simd(ls, level);
            found(ls, sc->text, strlen(sc->text), sc->look[i].a, b, got,
                  sizeof(got));
            if (!strstr(got, sc->look[i].want))
                print_error("level %d: \"%s\" has no \"%s\"\n", level, got,
                            sc->look[i].want);
            assert_non_null(strstr(got, sc->look[i].want));
        }
    litset_free(ls);
}

static void litset__find__word_starts_after_a_turn_or_a_byte_from_0x80(void **state)
{
    (void)state;
    /* a lower/upper turn, a byte from 0x80 up, the start of the text */
    static const scenario sc = {
        {"check", "pay", "fee"},
        {LIT_EDGE, LIT_EDGE, LIT_WORDB},
        {LIT_ANY, LIT_ANY, LIT_ANY},
        "payCheck caf\xC3\xA9pay fees",
        {{0, 0, "0:pay"}, {0, 0, "3:check"}, {0, 0, "14:pay"},
         {0, 0, "18:fee"}}};
    run_scenario(&sc);
}

static void litset__find__word_ends_inside_longer_words(void **state)
{
    (void)state;
    static const scenario sc = {
        {"weekend", "holding", "needed"},
        {LIT_ANY, LIT_ANY, LIT_SPACE},
        {LIT_EDGE, LIT_SPACE, LIT_EDGE},
        "longweekend, withholding it and kneededX",
        {{0, 0, "4:weekend"}, {0, 0, "17:holding"}}};
    run_scenario(&sc);
}

/* A range that starts or ends inside a word: what lies outside is not
 * known, so an occurrence at its edge is kept. */
static void litset__find__range_edges_inside_words_count_as_edges(void **state)
{
    (void)state;
    static const scenario sc = {
        {"payment", "holding", "rock"},
        {LIT_EDGE, LIT_ANY, LIT_SPACE},
        {LIT_ANY, LIT_EDGE, LIT_SPACE},
        "xxpayments withholdingx rocks",
        {{2, 0, "2:payment"}, {0, 22, "15:holding"}, {24, 28, "24:rock"}}};
    run_scenario(&sc);
}

static void litset__find__kelvin_sign_and_long_s_at_word_edges(void **state)
{
    (void)state;
    static const scenario sc = {
        {"kit", "skills", "focus", "sk"},
        {LIT_EDGE, LIT_SPACE, LIT_ANY, LIT_EDGE},
        {LIT_EDGE, LIT_ANY, LIT_EDGE, LIT_EDGE},
        "\xE2\x84\xAAit; \xC5\xBF\xE2\x84\xAAills, focu\xC5\xBF a\xC5\xBFK",
        {{0, 0, "0:kit"}, {0, 0, "7:skills"}, {0, 0, "18:focus"},
         {0, 0, "26:sk"}}};
    run_scenario(&sc);
}

/* Text that starts right after and ends right before pages the process
 * may not read, with literals of every kind of place. */
static void litset__find__reads_nothing_outside_the_range(void **state)
{
    (void)state;
    static const char *const lits[] = {"pay", "holding", "$", "rock"};
    static const int left[] = {LIT_EDGE, LIT_ANY, LIT_ANY, LIT_ANY};
    static const int right[] = {LIT_ANY, LIT_EDGE, LIT_ANY, LIT_ANY};
    litset *ls = set_ctx(lits, left, right);
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, (size_t)page * 3, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(m != MAP_FAILED);
    assert_int_equal(mprotect(m, (size_t)page, PROT_NONE), 0);
    assert_int_equal(mprotect(m + 2 * page, (size_t)page, PROT_NONE), 0);
    int best = litset_set_simd(ls, TEXT_SIMD_AVX2);
    for (size_t n = 1; n < 200; n++)
        for (int at_end = 0; at_end < 2; at_end++) {
            char *t = at_end ? m + 2 * page - n : m + page;
            for (size_t i = 0; i < n; i++)
                t[i] = "holding pay$ rock no "[i % 21];
            for (int level = TEXT_SIMD_NONE; level <= best; level++) {
                char got[4096];
                litset_set_simd(ls, level);
                found(ls, t, n, 0, n, got, sizeof(got));
                if (n >= 7)
                    assert_non_null(strstr(got, "0:holding"));
            }
        }
    munmap(m, (size_t)page * 3);
    litset_free(ls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(litset__find__every_case_and_overlap),
        cmocka_unit_test(litset__find__kelvin_sign_and_long_s_are_k_and_s),
        cmocka_unit_test(litset__find__only_inside_the_range),
        cmocka_unit_test(litset__find__reads_nothing_past_the_end),
        cmocka_unit_test(litset__find__agrees_with_a_plain_search),
        cmocka_unit_test(
            litset__find__random_contexts_agree_with_a_plain_search),
        cmocka_unit_test(
            litset__find__word_starts_after_a_turn_or_a_byte_from_0x80),
        cmocka_unit_test(litset__find__word_ends_inside_longer_words),
        cmocka_unit_test(
            litset__find__range_edges_inside_words_count_as_edges),
        cmocka_unit_test(litset__find__kelvin_sign_and_long_s_at_word_edges),
        cmocka_unit_test(litset__find__reads_nothing_outside_the_range),
        cmocka_unit_test(litset__first_near__agrees_with_a_plain_search),
        cmocka_unit_test(litset__owners__same_contexts_side_by_side),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
