/*
 * doc.c - a whole file made ready to scan: decoded, converted from HTML
 * when it is HTML, invisible characters out, with the map back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "html.h"
#include "redflag.h"

struct rf_doc {
    decoded dec;
    mtext conv;    /* the converted text, unless the file is used as is */
    char *plain;   /* or the UTF-8 file without its invisible characters, */
    rf_span *spans; /* made of these runs of it */
    size_t n_spans;
    rf_source src;
};

static const char *const input_names[] = {"auto", "text", "html", "csv",
                                          "ndjson"};

const char *rf_input_name(rf_input in)
{
    return (unsigned)in < sizeof(input_names) / sizeof(*input_names)
               ? input_names[in]
               : "?";
}

int rf_input_parse(const char *name)
{
    for (size_t i = 0; i < sizeof(input_names) / sizeof(*input_names); i++)
        if (strcmp(name, input_names[i]) == 0)
            return (int)i;
    return -1;
}

static int ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m)
        return 0;
    for (size_t k = 0; k < m; k++) {
        char c = s[n - m + k];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + ('a' - 'A'));
        if (c != suffix[k])
            return 0;
    }
    return 1;
}

rf_input rf_input_detect(const char *path, const char *data, size_t len)
{
    if (path) {
        if (ends_with_ci(path, ".html") || ends_with_ci(path, ".htm") ||
            ends_with_ci(path, ".xhtml"))
            return RF_INPUT_HTML;
        if (ends_with_ci(path, ".txt") || ends_with_ci(path, ".text") ||
            ends_with_ci(path, ".md"))
            return RF_INPUT_TEXT;
    }
    /* The content as text: past a byte order mark, UTF-16 converted. */
    decoded d;
    if (decode_input(data, len, &d, NULL))
        return RF_INPUT_TEXT;
    rf_input in = html_sniff(d.text, d.len) ? RF_INPUT_HTML : RF_INPUT_TEXT;
    decode_free(&d);
    return in;
}

static rf_doc *fail(rf_doc *doc, rf_error *err, int code, const char *msg)
{
    rf_doc_free(doc);
    if (err && msg) {
        err->code = code;
        snprintf(err->message, sizeof(err->message), "%s", msg);
    }
    return NULL;
}

rf_doc *rf_doc_new(const char *data, size_t len, rf_input input,
                   rf_error *err)
{
    return rf_doc_new_threads(data, len, input, 1, err);
}

rf_doc *rf_doc_new_threads(const char *data, size_t len, rf_input input,
                           unsigned threads, rf_error *err)
{
    if (input == RF_INPUT_CSV || input == RF_INPUT_NDJSON)
        return fail(NULL, err, RF_ERR_USAGE,
                    "records are read with rf_records_new");
    rf_doc *doc = malloc(sizeof(*doc));
    if (!doc)
        return fail(NULL, err, RF_ERR_NOMEM, "out of memory");
    *doc = (rf_doc){.conv = MTEXT_INIT}; /* cheaper than calloc's way */
    decoded *d = &doc->dec;
    if (decode_input(data, len, d, err))
        return fail(doc, err, 0, NULL);
    if (input == RF_INPUT_AUTO)
        input = html_sniff(d->text, d->len) ? RF_INPUT_HTML : RF_INPUT_TEXT;
    int rc = 0;
    if (input == RF_INPUT_HTML) {
        rc = html_to_text(d->text, d->len, &doc->conv) ||
             decode_finish(d, &doc->conv);
    } else if (decode_has_invisible(d->text, d->len)) {
        if (d->map) /* UTF-16: its conversion already has a map */
            rc = mtext_reserve(&doc->conv, d->len) ||
                 decode_drop_invisible(d->text, d->len, &doc->conv) ||
                 decode_finish(d, &doc->conv);
        else /* a copy and its runs, not eight bytes of map per byte */
            rc = decode_drop_invisible_spans(d->text, d->len, threads,
                                             &doc->plain,
                                             &doc->src.len, &doc->spans,
                                             &doc->n_spans);
    }
    if (rc)
        return fail(doc, err, RF_ERR_NOMEM, "out of memory");
    rf_source *s = &doc->src;
    if (doc->conv.text) {
        s->text = doc->conv.text;
        s->len = doc->conv.len;
        s->map = doc->conv.map;
    } else if (doc->plain) {
        s->text = doc->plain; /* s->len is set */
        s->spans = doc->spans;
        s->n_spans = doc->n_spans;
    } else {
        /* the file as it is, or its UTF-16 conversion */
        s->text = d->text;
        s->len = d->len;
        s->map = d->map;
    }
    if (s->map || s->spans) {
        s->src = d->pos;
        s->src_len = d->pos_len;
    }
    s->base_offset = d->base;
    return doc;
}

const rf_source *rf_doc_source(const rf_doc *doc) { return &doc->src; }

void rf_doc_free(rf_doc *doc)
{
    if (!doc)
        return;
    decode_free(&doc->dec);
    mtext_free(&doc->conv);
    free(doc->plain);
    free(doc->spans);
    free(doc);
}
