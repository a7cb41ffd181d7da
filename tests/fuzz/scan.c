/*
 * scan.c - fuzzes the scanner: the default rules, a fuzzed document.
 * Properties: every piece of evidence points at its own words in the
 * document, on the right line, inside its context; the score is 0-100.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "redflag.h"

static void check_flag(const rf_flag *f, const uint8_t *data, size_t size)
{
    if (f->n_evidence == 0 || f->n_evidence > 20 || f->count < f->n_evidence)
        abort();
    for (size_t i = 0; i < f->n_evidence; i++) {
        const rf_evidence *e = &f->evidence[i];
        size_t line = 1;
        if (e->offset + e->length > size || e->length == 0 ||
            memcmp(data + e->offset, e->match, e->length) != 0)
            abort();
        for (size_t k = 0; k < e->offset; k++)
            line += data[k] == '\n';
        if (e->line != line || e->column < 1 ||
            e->context_match + e->context_len > strlen(e->context))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rf_rules *rs;
    rf_error err = {0, ""};
    if (!rs && (!(rs = rf_rules_new()) || rf_rules_add_default(rs, &err) ||
                rf_rules_compile(rs, &err)))
        abort();
    rf_result *res = rf_scan(rs, (const char *)data, size, NULL, &err);
    if (!res)
        return 0; /* out of memory */
    if (rf_result_score(res) < 0 || rf_result_score(res) > 100)
        abort();
    for (size_t i = 0; i < rf_result_flag_count(res); i++)
        check_flag(rf_result_flag(res, i), data, size);
    for (size_t i = 0; i < rf_result_suppressed_count(res); i++)
        check_flag(rf_result_suppressed(res, i), data, size);
    rf_result_free(res);
    return 0;
}
