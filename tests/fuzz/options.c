/*
 * options.c - fuzzes the report writers: the first 4 bytes pick the format,
 * mode, colour, evidence kept, context width, match limit and input (auto,
 * text or HTML); the rest is the document. Properties: JSON and SARIF are valid UTF-8; ndjson and tsv are
 * one line per document; uncoloured text carries no control characters
 * from the document (no escape sequences reach a terminal).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "text.h"
#include "report.h"

static void check(const report *r, const unsigned char *s, size_t n)
{
    size_t lines = 0;
    for (size_t i = 0, k; i < n; i += k) {
        k = text_utf8_len((const char *)s + i, n - i);
        if (!k && r->format != FORMAT_TEXT && r->format != FORMAT_TSV)
            abort();
        k = k ? k : 1;
        lines += s[i] == '\n';
        if (s[i] < 0x20 && s[i] != '\n' && !r->color &&
            r->format == FORMAT_TEXT)
            abort();
    }
    if (r->mode == MODE_FULL && lines != 1 &&
        (r->format == FORMAT_NDJSON || r->format == FORMAT_TSV))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rf_rules *rs;
    rf_error err = {0, ""};
    if (size < 4)
        return 0;
    if (!rs && (!(rs = rf_rules_new()) || rf_rules_add_default(rs, &err) ||
                rf_rules_compile(rs, &err)))
        abort();
    rf_scan_opts o = {.max_evidence = 1 + data[1] % 25,
                      .context_width = 1 + (size_t)data[2] * 4,
                      .match_limit = (unsigned long)(data[3] & 3) * 50};
    static const rf_input inputs[] = {RF_INPUT_AUTO, RF_INPUT_TEXT,
                                      RF_INPUT_HTML};
    rf_input in = inputs[(data[3] >> 2) % 3];
    report r;
    memset(&r, 0, sizeof(r));
    r.format = (report_format)(data[0] % 5);
    r.mode = (report_mode)(data[0] / 5 % 6);
    r.color = data[0] / 30 & 1;
    r.width = 80;
    r.rules = rs;
    char *out = NULL;
    size_t out_len = 0;
    if (!(r.out = open_memstream(&out, &out_len)))
        return 0;
    rf_doc *doc = rf_doc_new((const char *)data + 4, size - 4, in, &err);
    rf_result *res = doc ? rf_scan_source(rs, rf_doc_source(doc), &o, &err)
                         : NULL;
    report_begin(&r);
    report_document(&r, "fuzz", res, res ? rf_result_error(res) : err.message);
    report_end(&r);
    fclose(r.out);
    check(&r, (const unsigned char *)out, out_len);
    free(out);
    rf_result_free(res);
    rf_doc_free(doc);
    return 0;
}
