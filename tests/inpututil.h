/* inpututil.h - shared by the tests of the input converters. */
#ifndef RF_INPUTUTIL_H
#define RF_INPUTUTIL_H

#include "testutil.h"

#define RULE(id, phrase)                                                   \
    "[" id "]\ncategory = pay\nseverity = high\ntitle = T " id             \
    "\nwhy = W\nadvice = A\nphrase = " phrase "\n"

/* Rules whose phrases exercise the phrase compiler's lenient spots:
 * spaces, apostrophes, hyphens. */
#define INPUT_RULES                                                        \
    NEGATION RULE("working-interview", "working interview")               \
    RULE("dont-stop", "don't stop") RULE("fast-paced", "fast-paced")      \
    RULE("script-only", "script only phrase")

/* The INPUT_RULES, loaded once per test program (setup and teardown of
 * the cmocka group). */
static rf_rules *rs;

static int setup(void **state)
{
    (void)state;
    rs = load_rules_text(INPUT_RULES);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rf_rules_free(rs);
    return 0;
}

/* The first evidence of rule `id` in r, or NULL. */
static inline const rf_evidence *evidence_of(const rf_result *r,
                                             const char *id)
{
    for (size_t i = 0; i < rf_result_flag_count(r); i++) {
        const rf_flag *f = rf_result_flag(r, i);
        if (strcmp(f->rule->id, id) == 0 && f->n_evidence)
            return &f->evidence[0];
    }
    return NULL;
}

static inline rf_result *scan_source(const rf_rules *rules,
                                     const rf_source *s)
{
    rf_error err = {0, ""};
    rf_result *r = rf_scan_source(rules, s, NULL, &err);
    assert_non_null(r);
    return r;
}

/* Every evidence offset of r lands on bytes of `file` that start with the
 * words `first` (as written in the file). */
static inline void assert_lands_on(const rf_result *r, const char *file,
                                   size_t file_len, const char *id,
                                   const char *first)
{
    const rf_evidence *e = evidence_of(r, id);
    assert_non_null(e);
    assert_true(e->offset + strlen(first) <= file_len);
    assert_memory_equal(file + e->offset, first, strlen(first));
}

#endif
