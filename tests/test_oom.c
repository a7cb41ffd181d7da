/* Running out of memory in the middle of a scan: the scan says so, and the
 * scanner that ran out scans the next document as a new one would. Each
 * buffer the library grows with realloc (linked with --wrap=realloc) is
 * made to fail in turn. */
#include "testutil.h"

void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);

/* The call that fails, counting from 0 (-1: none), and the calls made. */
static long fail_at = -1;
static long calls;

void *__wrap_realloc(void *p, size_t n)
{
    if (fail_at >= 0 && __atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED) ==
                            fail_at)
        return NULL;
    return __real_realloc(p, n);
}

/* Fails the k-th realloc of a scan of `first` with a new scanner, for
 * each k until a scan makes no k-th call: the scan says it ran out of
 * memory, or gives the whole result all the same (with fewer threads, say).
 * Then scans `next` with that scanner: the result must be what a new
 * scanner gives. Returns how many scans were made to fail. */
static size_t fail_each(const rf_rules *rs, const char *first,
                        const char *next, unsigned threads)
{
    rf_error err = {0, ""};
    rf_scan_opts o = {0, 0, 0, 0, threads};
    rf_source a = {first, strlen(first), NULL, NULL, 0, 0, NULL, 0};
    rf_source b = {next, strlen(next), NULL, NULL, 0, 0, NULL, 0};
    enum { CAP = 1 << 14 };
    char *got = malloc(CAP), *want = malloc(CAP), *whole = malloc(CAP);
    assert_non_null(got);
    assert_non_null(want);
    assert_non_null(whole);
    rf_result *fresh = rf_scan_source(rs, &b, &o, &err);
    assert_non_null(fresh);
    result_summary(fresh, want, CAP);
    rf_result_free(fresh);
    fresh = rf_scan_source(rs, &a, &o, &err);
    assert_non_null(fresh);
    result_summary(fresh, whole, CAP);
    rf_result_free(fresh);
    size_t failed = 0;
    for (long at = 0;; at++) {
        rf_scanner *k = rf_scanner_new(rs);
        assert_non_null(k);
        calls = 0;
        fail_at = at;
        rf_result *r = rf_scanner_scan(k, &a, &o, &err);
        fail_at = -1;
        int hit = calls > at;
        if (r && !rf_result_error(r)) {
            result_summary(r, got, CAP);
            if (strcmp(got, whole) != 0)
                fail_msg("realloc %ld failed, and the scan says nothing of "
                         "it: %s\nnot %s", at, got, whole);
        }
        rf_result_free(r);
        rf_result *again = rf_scanner_scan(k, &b, &o, &err);
        assert_non_null(again);
        result_summary(again, got, CAP);
        if (strcmp(got, want) != 0)
            fail_msg("after realloc %ld failed: %s\nnot %s", at, got, want);
        rf_result_free(again);
        rf_scanner_free(k);
        if (!hit)
            break;
        failed++;
    }
    free(got);
    free(want);
    free(whole);
    return failed;
}

static const char posting[] =
    "This is a 100% commission role: we pay only on closed deals. First a "
    "working interview, an unpaid trial day. We want heart and hustle; go "
    "the extra mile. Rockstar ninja wanted for a fast-paced startup. We are "
    "family. No 9 to 5 mentality; work hard, play hard. Competitive salary.";

static void oom__small_document__next_scan_as_new(void **state)
{
    (void)state;
    rf_rules *rs = load_default_rules();
    size_t failed =
        fail_each(rs, posting, "Our interview: a working interview.", 1);
    assert_true(failed >= 5);
    rf_rules_free(rs);
}

/* A text big enough for two threads, each with chunks of its own. */
static void oom__big_document_in_threads__next_scan_as_new(void **state)
{
    (void)state;
    rf_rules *rs = load_default_rules();
    char *big = padded(posting, "", 4200000);
    size_t failed = fail_each(rs, big, posting, 2);
    assert_true(failed >= 5);
    free(big);
    rf_rules_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(oom__small_document__next_scan_as_new),
        cmocka_unit_test(oom__big_document_in_threads__next_scan_as_new),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
