/* The literal search: every occurrence in any case (and with the Kelvin
 * sign and the long s), short and long literals, overlapping ones, in
 * order, and never a byte read outside the range it is given. */
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

/* "pos:literal" of each occurrence, space separated, into out. */
static void found(const litset *ls, const char *text, size_t a, size_t b,
                  char *out, size_t outlen)
{
    occ_vec v = {NULL, 0, 0};
    assert_int_equal(litset_find(ls, text, a, b, &v), 0);
    out[0] = '\0';
    for (size_t i = 0; i < v.n; i++) {
        size_t len;
        const char *s = litset_text(ls, v.v[i].lit, &len);
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
    found(ls, t, 0, strlen(t), got, sizeof(got));
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
    found(ls, t, 0, strlen(t), got, sizeof(got));
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
    found(ls, t, 1, 14, got, sizeof(got)); /* "rial no trial" */
    assert_string_equal(got, "6:no 9:trial");
    found(ls, t, 9, 13, got, sizeof(got)); /* "tria" */
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
        found(ls, t, 0, n, got, sizeof(got));
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
    assert_int_equal(litset_find(ls, t, 0, LEN, &v), 0);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(litset__find__every_case_and_overlap),
        cmocka_unit_test(litset__find__kelvin_sign_and_long_s_are_k_and_s),
        cmocka_unit_test(litset__find__only_inside_the_range),
        cmocka_unit_test(litset__find__reads_nothing_past_the_end),
        cmocka_unit_test(litset__find__agrees_with_a_plain_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
