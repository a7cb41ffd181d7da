/* Finding `redflag-disable` lines: the keyword wherever it stands, among
 * look-alikes, in text of any length. (What a directive turns off is
 * tested through the scanner, in test_scan.c.) */
#include "testutil.h"

#include "directive.h"

/* The places where directive_find finds directives in text, as
 * "at,at,...", in out. */
static void found(const char *text, size_t len, char *out, size_t cap)
{
    directives ds;
    memset(&ds, 0, sizeof(ds));
    assert_int_equal(directive_find(text, len, &ds), 0);
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ds.n && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%zu", i ? "," : "",
                              ds.items[i].at);
    assert_true(n < cap);
    directives_free(&ds);
}

static void directive__keyword__found_at_every_place_and_at_the_end(
    void **state)
{
    (void)state;
    /* Each place in and around a block of 16 bytes, in a text that ends
     * with the keyword or goes on: the keyword's bytes are looked for 16
     * at a time, the last few one at a time. Exactly as long as the
     * text: a read past its end shows under ASan and valgrind. */
    for (size_t at = 0; at < 40; at++) {
        for (size_t after = 0; after < 20; after++) {
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(directive__keyword__found_at_every_place_and_at_the_end),
        cmocka_unit_test(directive__look_alikes__are_not_directives),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
