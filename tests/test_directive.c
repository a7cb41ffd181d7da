/* Finding `redflag-disable` lines: the keyword wherever it stands, among
 * look-alikes, in text of any length. (What a directive turns off is
 * tested through the scanner, in test_scan.c.) */
#include "testutil.h"

#include "directive.h"

/* Where the directives of ds are, as "at,at,...", in out; frees ds. */
static void list_places(directives *ds, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ds->n && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%zu", i ? "," : "",
                              ds->items[i].at);
    assert_true(n < cap);
    directives_free(ds);
}

/* The places where directive_find finds directives in text. */
static void found(const char *text, size_t len, char *out, size_t cap)
{
    directives ds;
    memset(&ds, 0, sizeof(ds));
    assert_int_equal(directive_find(text, len, &ds), 0);
    list_places(&ds, out, cap);
}

static void directive__keyword__found_at_every_place_and_at_the_end(
    void **state)
{
    (void)state;
    /* Each place in and around two blocks of 64 bytes and of 16, in a
     * text that ends with the keyword or goes on: the keyword's bytes are
     * looked for 64 at a time (AVX2), then 16 (SSE2), the last few one at
     * a time. Exactly as long as the text: a read past its end shows
     * under ASan and valgrind. */
    for (size_t at = 0; at < 140; at++) {
        for (size_t after = 0; after < 70; after++) {
            size_t len = at + 15 + after;
            char *t = malloc(len);
            assert_non_null(t);
            memset(t, '-', len); /* hyphens everywhere around it */
            for (size_t i = 1; i < at; i += 3)
                t[i] = 'g'; /* "g-", as in the keyword */
            if (at)
                t[at - 1] = ' ';
            memcpy(t + at, "redflag-disable", 15);
            if (after)
                t[at + 15] = ' ';
            char got[64], want[32];
            found(t, len, got, sizeof(got));
            snprintf(want, sizeof(want), "%zu", at);
            assert_string_equal(got, want);
            /* cut short by one byte: no keyword */
            found(t, len - after - 1, got, sizeof(got));
            assert_string_equal(got, "");
            free(t);
        }
    }
}

static void directive__look_alikes__are_not_directives(void **state)
{
    (void)state;
    char got[256];
    const char *t = "redflag-disabled redflag-disable-all xredflag-disable "
                    "redflag-disablE redflagg-disable redflag-disablr "
                    "redflag- disable g-g-g- real: redflag-disable ok\n"
                    "redflag-disable-next-line a, b\nredflag-disable";
    found(t, strlen(t), got, sizeof(got));
    char want[64];
    const char *real = strstr(t, "real: ") + 6;
    const char *next = strstr(t, "redflag-disable-next-line");
    const char *last = strrchr(t, '\n') + 1;
    snprintf(want, sizeof(want), "%zu,%zu,%zu", (size_t)(real - t),
             (size_t)(next - t), (size_t)(last - t));
    assert_string_equal(got, want);
}

/* The places where directive_find_at finds directives, given the
 * keywords directive_next finds in parts of `part` bytes. */
static void found_by_parts(const char *text, size_t len, size_t part,
                           char *out, size_t cap)
{
    size_t at[64], n = 0;
    for (size_t from = 0; from < len; from += part) {
        size_t to = len - from > part ? from + part : len;
        for (size_t k = directive_next(text, len, from, to); k < to;
             k = directive_next(text, len, k + 1, to)) {
            assert_true(n < 64);
            at[n++] = k;
        }
    }
    directives ds;
    memset(&ds, 0, sizeof(ds));
    assert_int_equal(directive_find_at(text, len, at, n, &ds), 0);
    list_places(&ds, out, cap);
}

static void directive__found_by_parts__same_as_in_one_go(void **state)
{
    (void)state;
    /* a keyword in the id list of the one before it is not one */
    const char *t = "x redflag-disable a redflag-disable b\n"
                    "redflag-disable-next-line c\nredflag-disabled "
                    "redflag-disable, redflag-disable";
    size_t len = strlen(t);
    char want[256], got[256];
    found(t, len, want, sizeof(want));
    assert_string_equal(want, "2,38,83");
    for (size_t part = 1; part <= len + 1; part++) {
        found_by_parts(t, len, part, got, sizeof(got));
        assert_string_equal(got, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(directive__keyword__found_at_every_place_and_at_the_end),
        cmocka_unit_test(directive__look_alikes__are_not_directives),
        cmocka_unit_test(directive__found_by_parts__same_as_in_one_go),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
