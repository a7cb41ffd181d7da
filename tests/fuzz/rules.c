/*
 * rules.c - fuzzes the rule-file loader and compiler. Properties: a file
 * that does not load says where ("fuzz.rules:LINE: ..."); one that loads
 * compiles and can scan text (its own bytes) without error or crash.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "redflag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rf_error err = {0, ""};
    rf_rules *rs = rf_rules_new();
    if (!rs)
        return 0;
    int rc = rf_rules_add_buffer(rs, "fuzz.rules", (const char *)data, size,
                                 &err);
    if (rc == 0)
        rc = rf_rules_compile(rs, &err);
    if (rc) {
        if (err.code != RF_ERR_NOMEM &&
            strncmp(err.message, "fuzz.rules:", 11) != 0)
            abort(); /* an error that does not say where */
    } else {
        /* user regexes may backtrack a lot */
        rf_scan_opts o = {.match_limit = 100000};
        rf_result *res = rf_scan(rs, (const char *)data, size, &o, &err);
        if (!res && err.code != RF_ERR_NOMEM)
            abort();
        rf_result_free(res);
    }
    rf_rules_free(rs);
    return 0;
}
