/* testutil.h - shared by the cmocka tests. */
#ifndef RF_TESTUTIL_H
#define RF_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redflag.h"

/* A compiled rule set from rule-file text; fails the test if it does not
 * load. Include the negation stanza with NEGATION. */
static inline rf_rules *load_rules_text(const char *text)
{
    rf_error err = {0, ""};
    rf_rules *rs = rf_rules_new();
    assert_non_null(rs);
    if (rf_rules_add_buffer(rs, "test.rules", text, strlen(text), &err) ||
        rf_rules_compile(rs, &err)) {
        print_error("load failed: %s\n", err.message);
        fail();
    }
    return rs;
}

/* The message a broken rule text fails with ("" if it loads). */
static inline const char *load_error(const char *text, rf_error *err)
{
    rf_rules *rs = rf_rules_new();
    assert_non_null(rs);
    err->message[0] = '\0';
    if (rf_rules_add_buffer(rs, "bad.rules", text, strlen(text), err) == 0)
        (void)rf_rules_compile(rs, err);
    rf_rules_free(rs);
    return err->message;
}

/* The built-in rules, compiled; fails the test if they do not load. */
static inline rf_rules *load_default_rules(void)
{
    rf_error err = {0, ""};
    rf_rules *rs = rf_rules_new();
    assert_non_null(rs);
    if (rf_rules_add_default(rs, &err) || rf_rules_compile(rs, &err)) {
        print_error("load failed: %s\n", err.message);
        fail();
    }
    return rs;
}

/* What a result says, as one line: each flag and suppressed flag with its
 * count, reason and where its evidence is; then the error. Fails the test
 * when it does not fit in cap. */
static inline void result_summary(const rf_result *r, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int supp = 0; supp < 2; supp++) {
        size_t k = supp ? rf_result_suppressed_count(r) : rf_result_flag_count(r);
        for (size_t i = 0; i < k && n < cap; i++) {
            const rf_flag *f =
                supp ? rf_result_suppressed(r, i) : rf_result_flag(r, i);
            n += (size_t)snprintf(out + n, cap - n, "%s%s x%zu [%s]:",
                                  supp ? "~" : "", f->rule->id, f->count,
                                  f->reason ? f->reason : "");
            for (size_t e = 0; e < f->n_evidence && n < cap; e++)
                n += (size_t)snprintf(out + n, cap - n, " %zu",
                                      f->evidence[e].offset);
            if (n < cap)
                n += (size_t)snprintf(out + n, cap - n, "; ");
        }
    }
    if (n < cap && rf_result_error(r))
        n += (size_t)snprintf(out + n, cap - n, "error: %s",
                              rf_result_error(r));
    assert_true(n < cap);
}

/* A text of at least `size` bytes: filler, with `head` at its start and
 * `tail` at its end. */
static inline char *padded(const char *head, const char *tail, size_t size)
{
    const char *filler = "We build tools for teams and ship them weekly. ";
    size_t hl = strlen(head), tl = strlen(tail), pl = strlen(filler);
    size_t n = hl;
    char *t = malloc(size + hl + tl + pl + 1);
    assert_non_null(t);
    memcpy(t, head, hl);
    while (n < size) {
        memcpy(t + n, filler, pl);
        n += pl;
    }
    memcpy(t + n, tail, tl);
    t[n + tl] = '\0';
    return t;
}

/* The bytes of the file at path (malloc'd, with a NUL after them), or
 * NULL when it cannot be read. */
static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = 0, cap = 8192;
    char *data = malloc(cap + 1);
    size_t got;
    while (data && (got = fread(data + n, 1, cap - n, f)) > 0) {
        n += got;
        char *more = n < cap ? data : realloc(data, 2 * cap + 1);
        if (!more)
            free(data);
        else if (n == cap)
            cap *= 2;
        data = more;
    }
    int bad = ferror(f);
    fclose(f);
    if (!data || bad) {
        free(data);
        return NULL;
    }
    data[n] = '\0';
    *len = n;
    return data;
}

#define NEGATION                                                           \
    "[@negation]\n"                                                        \
    "phrase = no\nphrase = not\nphrase = never\nphrase = {don't|won't}\n"  \
    "except = not only\nexcept = no experience\nstop = but\n"

#endif
