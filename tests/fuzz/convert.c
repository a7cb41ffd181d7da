/*
 * convert.c - fuzzes the input converters: the first byte picks the input
 * (auto, text, HTML, CSV or NDJSON records of the field "description"),
 * the rest is the file. Properties: each document's map back to the file
 * never decreases and stays inside the file, and so does every piece of
 * evidence the default rules find in it.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "redflag.h"

static rf_rules *rs;

static void check(const rf_source *s, size_t size)
{
    size_t end = s->base_offset + (s->map ? s->map[s->len] : s->len);
    for (size_t i = 0; s->map && i < s->len; i++)
        if (s->map[i] > s->map[i + 1])
            abort(); /* the map goes backwards */
    if (end > size)
        abort(); /* the map points past the file */
    rf_error err;
    rf_result *res = rf_scan_source(rs, s, NULL, &err);
    for (size_t i = 0; res && i < rf_result_flag_count(res); i++) {
        const rf_flag *f = rf_result_flag(res, i);
        for (size_t j = 0; j < f->n_evidence; j++)
            if (f->evidence[j].offset > size || f->evidence[j].line < 1 ||
                f->evidence[j].column < 1)
                abort();
    }
    rf_result_free(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const fields[] = {"description"};
    rf_error err;
    if (size < 1)
        return 0;
    if (!rs && (!(rs = rf_rules_new()) || rf_rules_add_default(rs, &err) ||
                rf_rules_compile(rs, &err)))
        abort();
    rf_input in = (rf_input)(data[0] % 5);
    const char *file = (const char *)data + 1;
    if (in == RF_INPUT_CSV || in == RF_INPUT_NDJSON) {
        rf_records *it = rf_records_new(file, size - 1, in, fields, 1, &err);
        rf_record rec;
        while (it && rf_records_next(it, &rec, &err) > 0)
            if (rec.source)
                check(rec.source, size - 1);
        rf_records_free(it);
    } else {
        rf_doc *doc = rf_doc_new(file, size - 1, in, &err);
        if (doc)
            check(rf_doc_source(doc), size - 1);
        rf_doc_free(doc);
    }
    return 0;
}
