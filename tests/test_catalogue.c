/*
 * The default rules against the way postings are really typed: every
 * `match` example must still raise its rule when its apostrophes are curly,
 * its spaces are no-break spaces or line breaks, its hyphens are en dashes,
 * or its words are in capitals, and no `nomatch` example may start raising
 * its rule for the same reasons (line breaks aside: see below).
 */
#include "testutil.h"

#include <ctype.h>

static rf_rules *rs;

static int setup(void **state)
{
    (void)state;
    rf_error err = {0, ""};
    rs = rf_rules_new();
    if (rf_rules_add_default(rs, &err) || rf_rules_compile(rs, &err)) {
        print_error("%s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rf_rules_free(rs);
    return 0;
}

/* A copy of s with every byte `from` replaced by the string `to`. */
static char *replace_all(const char *s, char from, const char *to)
{
    size_t n = 0, tl = strlen(to);
    for (const char *p = s; *p; p++)
        n += *p == from ? tl : 1;
    char *out = malloc(n + 1), *q = out;
    assert_non_null(out);
    for (const char *p = s; *p; p++) {
        if (*p == from) {
            memcpy(q, to, tl);
            q += tl;
        } else {
            *q++ = *p;
        }
    }
    *q = '\0';
    return out;
}

static char *upper(const char *s)
{
    char *out = strdup(s);
    assert_non_null(out);
    for (char *p = out; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return out;
}

static int raises(const rf_rule *rule, const char *text)
{
    rf_error err;
    rf_result *r = rf_scan(rs, text, strlen(text), NULL, &err);
    assert_non_null(r);
    int found = 0;
    for (size_t i = 0; i < rf_result_flag_count(r); i++)
        found |= rf_result_flag(r, i)->rule == rule;
    rf_result_free(r);
    return found;
}

typedef char *(*variant_fn)(const char *);

static char *curly(const char *s) { return replace_all(s, '\'', "\xE2\x80\x99"); }
static char *nbsp(const char *s) { return replace_all(s, ' ', "\xC2\xA0"); }
static char *en_dash(const char *s) { return replace_all(s, '-', "\xE2\x80\x93"); }

/* Every `match` example (expect 1) or every `nomatch` example (expect 0),
 * retyped by fn, must still raise its rule, or still not raise it. */
static void check_examples(const char *name, variant_fn fn, int expect)
{
    size_t examples = 0, wrong = 0;
    for (size_t i = 0; i < rf_rules_count(rs); i++) {
        const rf_rule *r = rf_rules_get(rs, i);
        const char *const *ex = expect ? r->matches : r->nomatches;
        size_t n = expect ? r->n_matches : r->n_nomatches;
        for (size_t j = 0; j < n; j++) {
            char *v = fn(ex[j]);
            examples++;
            if (raises(r, v) != expect) {
                wrong++;
                print_error("%s: rule %s %s: %s\n", name, r->id,
                            expect ? "misses" : "raises on", v);
            }
            free(v);
        }
    }
    assert_true(examples > 100);
    assert_int_equal(wrong, 0);
}

static void check_variant(const char *name, variant_fn fn)
{
    check_examples(name, fn, 1);
}

static void check_variant_quiet(const char *name, variant_fn fn)
{
    check_examples(name, fn, 0);
}

static void catalogue__curly_apostrophes__raise_the_same_flags(void **state)
{
    (void)state;
    check_variant("curly apostrophes", curly);
}

static void catalogue__no_break_spaces__raise_the_same_flags(void **state)
{
    (void)state;
    check_variant("no-break spaces", nbsp);
}

/* A hard-wrapped posting breaks its lines anywhere: one line break (LF, or
 * CRLF and an indent) in place of each space in turn, in the `match`
 * examples (expect 1) or the `nomatch` ones (expect 0). */
static void check_line_breaks(const char *brk, int expect)
{
    size_t tried = 0, misses = 0, bl = strlen(brk);
    for (size_t i = 0; i < rf_rules_count(rs); i++) {
        const rf_rule *r = rf_rules_get(rs, i);
        const char *const *exs = expect ? r->matches : r->nomatches;
        size_t nex = expect ? r->n_matches : r->n_nomatches;
        for (size_t j = 0; j < nex; j++) {
            const char *ex = exs[j];
            size_t n = strlen(ex);
            for (const char *sp = strchr(ex, ' '); sp; sp = strchr(sp + 1, ' ')) {
                size_t at = (size_t)(sp - ex);
                char *v = malloc(n + bl + 1);
                assert_non_null(v);
                memcpy(v, ex, at);
                memcpy(v + at, brk, bl);
                memcpy(v + at + bl, sp + 1, n - at);
                tried++;
                if (raises(r, v) != expect) {
                    misses++;
                    print_error("line break at byte %zu: rule %s %s: %s\n", at,
                                r->id, expect ? "misses" : "raises", ex);
                }
                free(v);
            }
        }
    }
    assert_true(tried > 1000);
    assert_int_equal(misses, 0);
}

static void catalogue__line_breaks_in_phrases__raise_the_same_flags(void **state)
{
    (void)state;
    check_line_breaks("\n", 1);
    check_line_breaks("\r\n    ", 1);
}

static void catalogue__en_dashes__raise_the_same_flags(void **state)
{
    (void)state;
    check_variant("en dashes", en_dash);
}

static void catalogue__capitals__raise_the_same_flags(void **state)
{
    (void)state;
    check_variant("capitals", upper);
}

static void catalogue__nomatch_examples_in_any_typing__stay_quiet(void **state)
{
    (void)state;
    check_variant_quiet("curly apostrophes", curly);
    check_variant_quiet("no-break spaces", nbsp);
    check_variant_quiet("en dashes", en_dash);
    check_variant_quiet("capitals", upper);
    /* A negation goes on over a hard wrap ("we never ask for⏎unpaid
     * trials"). */
    check_line_breaks("\n", 0);
    check_line_breaks("\r\n    ", 0);
}

/*
 * Regexes that look for two things in one sentence let the sentence run on
 * over a hard wrap: one line break into a line that carries on in lower
 * case or with a digit. A blank line, a bullet or a line that starts with a
 * capital (a heading, the next list item) ends it, so that two lines of a
 * list are not read as one sentence. Each case is one sentence cut in two.
 */
static const struct window_case {
    const char *rule, *head, *tail;
} window_cases[] = {
    {"multi-day-assignment", "The assignment usually takes",
     "3-5 days and uses a real client brief."},
    {"multi-day-assignment", "Expect to spend four to five days",
     "working on two of our open searches to prove yourself."},
    {"live-work-in-hiring", "As part of the interview process, you will be",
     "working on two of our live job openings for a week."},
    {"live-work-in-hiring", "You will be working on our current client accounts",
     "to prove you can sell before we hire."},
    {"long-take-home", "The take-home project usually",
     "takes 8-10 hours to complete."},
    {"needs-training", "Anyone who still needed training",
     "got a working interview instead."},
    {"needs-training", "We offer an unpaid trial week to anyone",
     "who needs some training first."},
    {"unpaid-training", "We'll train you, but the first two weeks",
     "are unpaid."},
    {"too-good-pay", "Earn up to $500 per day",
     "from home in your spare time."},
    {"too-good-pay", "Easy work from home, and you can",
     "earn $800 a week."},
    {"too-good-pay", "Simple data entry and typing at",
     "$45 per hour."},
    {"anyone-can-do-it", "No skills required, just a phone",
     "and an internet connection to earn $300 a day."},
};

static char *join(const char *head, const char *sep, const char *tail)
{
    size_t h = strlen(head), s = strlen(sep), n = strlen(tail);
    char *out = malloc(h + s + n + 1);
    assert_non_null(out);
    memcpy(out, head, h);
    memcpy(out + h, sep, s);
    memcpy(out + h + s, tail, n + 1);
    return out;
}

static int raises_joined(const rf_rule *r, const char *head, const char *sep,
                         const char *tail)
{
    char *v = join(head, sep, tail);
    int hit = raises(r, v);
    free(v);
    return hit;
}

static void catalogue__sentence_windows__cross_a_hard_wrap_only(void **state)
{
    (void)state;
    static const char *wraps[] = {" ", "\n", "\r\n    ", "\n\xC2\xA0"};
    static const char *ends[] = {"\n\n", "\r\n\r\n", "\n \n", "\n- ",
                                 "\n\xE2\x80\xA2 ", "\n* "};
    size_t wrong = 0;
    for (size_t i = 0; i < sizeof window_cases / sizeof *window_cases; i++) {
        const struct window_case *c = &window_cases[i];
        const rf_rule *r = rf_rules_find(rs, c->rule);
        assert_non_null(r);
        for (size_t w = 0; w < sizeof wraps / sizeof *wraps; w++) {
            if (!raises_joined(r, c->head, wraps[w], c->tail)) {
                wrong++;
                print_error("rule %s misses a wrap after: %s\n", c->rule,
                            c->head);
            }
        }
        for (size_t e = 0; e < sizeof ends / sizeof *ends; e++) {
            if (raises_joined(r, c->head, ends[e], c->tail)) {
                wrong++;
                print_error("rule %s reads past a break (%zu) after: %s\n",
                            c->rule, e, c->head);
            }
        }
        char *cap = strdup(c->tail);
        assert_non_null(cap);
        cap[0] = (char)toupper((unsigned char)cap[0]);
        if (cap[0] != c->tail[0] && raises_joined(r, c->head, "\n", cap)) {
            wrong++;
            print_error("rule %s reads on into a new line: %s\n", c->rule,
                        cap);
        }
        free(cap);
    }
    assert_int_equal(wrong, 0);
}

static void catalogue__every_category__has_four_rules(void **state)
{
    (void)state;
    static const char *cats[] = {"unpaid-work", "pay", "hustle", "demands",
                                 "manipulation", "vulnerable", "scam"};
    for (size_t c = 0; c < 7; c++) {
        size_t n = 0;
        for (size_t i = 0; i < rf_rules_count(rs); i++)
            n += strcmp(rf_rules_get(rs, i)->category, cats[c]) == 0;
        if (n < 4)
            print_error("category %s has %zu rules\n", cats[c], n);
        assert_true(n >= 4);
    }
    for (size_t i = 0; i < rf_rules_count(rs); i++) {
        const rf_rule *r = rf_rules_get(rs, i);
        if (r->n_matches < 2 || r->n_nomatches < 1)
            print_error("rule %s: %zu match, %zu nomatch examples\n", r->id,
                        r->n_matches, r->n_nomatches);
        assert_true(r->n_matches >= 2 && r->n_nomatches >= 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(catalogue__curly_apostrophes__raise_the_same_flags),
        cmocka_unit_test(catalogue__no_break_spaces__raise_the_same_flags),
        cmocka_unit_test(catalogue__line_breaks_in_phrases__raise_the_same_flags),
        cmocka_unit_test(catalogue__en_dashes__raise_the_same_flags),
        cmocka_unit_test(catalogue__capitals__raise_the_same_flags),
        cmocka_unit_test(catalogue__nomatch_examples_in_any_typing__stay_quiet),
        cmocka_unit_test(catalogue__sentence_windows__cross_a_hard_wrap_only),
        cmocka_unit_test(catalogue__every_category__has_four_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
