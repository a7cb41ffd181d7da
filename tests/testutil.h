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

#define NEGATION                                                           \
    "[@negation]\n"                                                        \
    "phrase = no\nphrase = not\nphrase = never\nphrase = {don't|won't}\n"  \
    "except = not only\nexcept = no experience\nstop = but\n"

#endif
