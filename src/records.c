/*
 * records.c - CSV and NDJSON exports, one document per record.
 *
 * The parsing is done by libraries: libcsv for CSV, jansson for JSON. They
 * decide what a record is, whether it is well formed, and what each field
 * decodes to. Neither reports where in the file a field's bytes are, so
 * once the library has accepted a record, the raw bytes of each wanted
 * field are walked again here (quotes and doubled quotes; JSON escapes and
 * surrogate pairs) to map every decoded byte to its offset in the file.
 * The walk's result must equal the library's decoded value byte for byte;
 * if it ever does not, the record is reported as an error instead of being
 * scanned with wrong positions.
 */
#include <csv.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "redflag.h"
#include "text.h"

/* Between two fields of a record: a line that holds only U+001E, which is
 * neither a letter nor white space, so no phrase can join across it. */
#define FIELD_SEPARATOR "\n\x1e\n"

struct rf_records {
    decoded dec;
    rf_input input;
    const char *const *fields;
    size_t n_fields;
    size_t pos;    /* where in dec.text the next record starts */
    size_t line;   /* the line pos is on */
    size_t number; /* records read so far */
    size_t rec_line; /* the line the current record starts on */
    mtext *field;  /* per wanted field: its text, mapped into dec.text */
    size_t *field_at; /* per wanted field: where its raw value starts */
    mtext text;    /* the record's text, as scanned */
    rf_source src;
    char error[512];
    text_pos at;   /* where the last error was located: errors come in
                      file order, so locating them is linear overall */
    /* CSV */
    struct csv_parser csv;
    int csv_ready;
    size_t *column;   /* per wanted field: its column in the header */
    char **header;    /* while the header is read: its names */
    size_t n_header;
    int in_header;
    /* NDJSON */
    char *clean;      /* a line with invalid UTF-8 replaced, for jansson */
    size_t clean_cap;
    mtext key;        /* a member name, decoded */
};

static int set_err(rf_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int set_err(rf_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
    }
    return -1;
}

static void record_error(rf_records *it, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void record_error(rf_records *it, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->error, sizeof(it->error), fmt, ap);
    va_end(ap);
}

/* "line L, column C" of dec.text offset `at`, into out. */
static void where(rf_records *it, size_t at, char *out, size_t n)
{
    size_t line, col;
    text_locate(it->dec.text, it->dec.len, at, &it->at, &line, &col);
    snprintf(out, n, "line %zu, column %zu", line, col);
}

static size_t count_lines(const char *s, size_t a, size_t b)
{
    size_t n = 0;
    for (const char *p = s + a; (p = memchr(p, '\n', (size_t)(s + b - p)));
         p++)
        n++;
    return n;
}

/* Joins the wanted fields into it->text and makes it ready to scan. */
static int build_text(rf_records *it)
{
    mtext *t = &it->text;
    t->len = 0;
    for (size_t f = 0; f < it->n_fields; f++) {
        const mtext *m = &it->field[f];
        if (f)
            mtext_put(t, FIELD_SEPARATOR, strlen(FIELD_SEPARATOR),
                      it->field_at[f]);
        if (m->len && mtext_reserve(t, m->len) == 0) {
            memcpy(t->text + t->len, m->text, m->len);
            memcpy(t->map + t->len, m->map, m->len * sizeof(size_t));
            t->len += m->len;
        }
    }
    if (t->oom || decode_finish(&it->dec, t))
        return -1;
    it->src = (rf_source){t->text, t->len, t->map, NULL, 0, it->dec.base, NULL, 0};
    return 0;
}

/* ---------------------------------------------------------------- CSV */

typedef struct csv_row {
    rf_records *it;
    size_t at;          /* the byte being fed to the parser */
    size_t field_start; /* where the current field's raw bytes start */
    size_t n;           /* fields seen in this row */
    size_t line;        /* the line the row starts on */
    int done;           /* the row has ended */
    int mismatch;       /* a field's bytes did not walk to its value */
    int oom;
} csv_row;

/* Never a space: RFC 4180 keeps spaces around fields as data. */
static int csv_no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static int csv_start(rf_records *it)
{
    if (it->csv_ready)
        csv_free(&it->csv);
    if (csv_init(&it->csv, CSV_STRICT | CSV_STRICT_FINI))
        return -1;
    csv_set_space_func(&it->csv, csv_no_space);
    it->csv_ready = 1;
    return 0;
}

/* The decoded bytes of the raw field s[a..b) (quotes off, doubled quotes
 * single), each mapped to where it is in s. */
static void csv_unquote(const char *s, size_t a, size_t b, mtext *out)
{
    if (a >= b || s[a] != '"') {
        mtext_copy(out, s + a, b - a, a);
        return;
    }
    size_t i = a + 1;
    while (i < b) {
        if (s[i] == '"') {
            if (i + 1 < b && s[i + 1] == '"') {
                mtext_putc(out, '"', i);
                i += 2;
                continue;
            }
            break; /* the closing quote */
        }
        const char *q = memchr(s + i, '"', b - i);
        size_t j = q ? (size_t)(q - s) : b;
        mtext_copy(out, s + i, j - i, i);
        i = j;
    }
}

static void csv_on_field(void *data, size_t len, void *ctx)
{
    csv_row *row = ctx;
    rf_records *it = row->it;
    size_t a = row->field_start, b = row->at, col = row->n++;
    row->field_start = row->at + 1;
    if (it->in_header) {
        char **h = realloc(it->header, (it->n_header + 1) * sizeof(*h));
        char *name = h ? malloc(len + 1) : NULL;
        if (h)
            it->header = h;
        if (!name) {
            row->oom = 1;
            return;
        }
        if (len)
            memcpy(name, data, len);
        name[len] = '\0';
        it->header[it->n_header++] = name;
        return;
    }
    for (size_t f = 0; f < it->n_fields; f++) {
        if (it->column[f] != col)
            continue;
        mtext *m = &it->field[f];
        m->len = 0;
        it->field_at[f] = a;
        csv_unquote(it->dec.text, a, b, m);
        if (m->oom)
            row->oom = 1;
        else if (m->len != len || (len && memcmp(m->text, data, len)))
            row->mismatch = 1;
    }
}

static void csv_on_row(int c, void *ctx)
{
    (void)c;
    ((csv_row *)ctx)->done = 1;
}

static int csv_special(char c)
{
    return c == ',' || c == '"' || c == '\r' || c == '\n';
}

/*
 * Reads the CSV record that starts at it->pos (blank lines skipped first).
 * Returns 1 with the fields read, 2 for a malformed record (it->error
 * says why), 0 at the end of the input, -1 when out of memory.
 */
static int csv_row_read(rf_records *it, csv_row *row)
{
    const char *s = it->dec.text;
    size_t len = it->dec.len, p = it->pos;
    while (p < len && (s[p] == '\r' || s[p] == '\n')) {
        it->line += s[p] == '\n';
        p++;
    }
    if (p == len)
        return 0;
    it->rec_line = it->line;
    *row = (csv_row){it, p, p, 0, it->line, 0, 0, 0};
    size_t start = p;
    char at[64];
    /* Special bytes are fed one at a time, so that when the parser calls
     * back, row->at is the byte that ended the field or the row. */
    while (!row->done && p < len && !row->oom) {
        size_t q = p + 1;
        if (!csv_special(s[p]))
            while (q < len && !csv_special(s[q]))
                q++;
        row->at = p;
        size_t n = csv_parse(&it->csv, s + p, q - p, csv_on_field,
                             csv_on_row, row);
        if (n < q - p) {
            if (csv_error(&it->csv) != CSV_EPARSE)
                return -1;
            char open[64];
            where(it, row->field_start, open, sizeof(open));
            where(it, p + n, at, sizeof(at));
            if (it->csv.quoted) {
                record_error(it, "%s: the quoted field here has text after "
                             "its closing quote, at %s (a quote inside a "
                             "quoted field is written twice)", open, at);
            } else {
                record_error(it, "%s: a quote inside a field that does not "
                             "start with one (quote the field and write the "
                             "quote twice)", at);
            }
            goto malformed;
        }
        p = q;
    }
    if (!row->done && !row->oom) {
        row->at = len;
        if (csv_fini(&it->csv, csv_on_field, csv_on_row, row)) {
            where(it, row->field_start, at, sizeof(at));
            record_error(it, "%s: a quoted field that never ends", at);
            goto malformed;
        }
    }
    if (row->oom)
        return -1;
    it->pos = p;
    it->line += count_lines(s, start, it->pos);
    return 1;

malformed:
    /* Start again on the line after the one the record started on: a
     * stray quote must not swallow the records that follow it. */
    if (csv_start(it))
        return -1;
    const char *nl = memchr(s + start, '\n', len - start);
    it->pos = nl ? (size_t)(nl - s) + 1 : len;
    it->line = row->line + 1;
    return 2;
}

static void free_header(rf_records *it)
{
    for (size_t i = 0; i < it->n_header; i++)
        free(it->header[i]);
    free(it->header);
    it->header = NULL;
    it->n_header = 0;
}

/* Reads the header and finds the column of every wanted field. */
static int csv_header(rf_records *it, rf_error *err)
{
    csv_row row;
    it->in_header = 1;
    int rc = csv_row_read(it, &row);
    it->in_header = 0;
    if (rc < 0)
        return set_err(err, RF_ERR_NOMEM, "out of memory");
    if (rc == 0)
        return set_err(err, RF_ERR_INPUT, "no header row (the file is empty)");
    if (rc == 2)
        return set_err(err, RF_ERR_INPUT, "header: %s", it->error);
    for (size_t f = 0; f < it->n_fields; f++) {
        size_t c = 0;
        while (c < it->n_header && strcmp(it->header[c], it->fields[f]))
            c++;
        if (c < it->n_header) {
            it->column[f] = c;
            continue;
        }
        char names[300] = "";
        size_t used = 0;
        for (size_t k = 0; k < it->n_header && used < sizeof(names); k++)
            used += (size_t)snprintf(names + used, sizeof(names) - used,
                                     "%s'%s'", k ? ", " : "", it->header[k]);
        return set_err(err, RF_ERR_INPUT,
                       "no field '%s' in the CSV header (it has %s)",
                       it->fields[f], names);
    }
    return 0;
}

static int csv_next(rf_records *it)
{
    csv_row row;
    int rc = csv_row_read(it, &row);
    if (rc != 1)
        return rc;
    for (size_t f = 0; f < it->n_fields; f++) {
        if (it->column[f] < row.n)
            continue;
        record_error(it,
                     "line %zu: the record has %zu field%s; '%s' is field "
                     "%zu of the header",
                     row.line, row.n, row.n == 1 ? "" : "s", it->fields[f],
                     it->column[f] + 1);
        return 2;
    }
    if (row.mismatch) {
        record_error(it, "line %zu: a field could not be mapped back to its "
                     "bytes", row.line);
        return 2;
    }
    return 1;
}

/* ------------------------------------------------------------- NDJSON */

static int json_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && json_ws(s[i]))
        i++;
    return i;
}

/* Just past the string whose opening quote is s[i]. */
static size_t string_end(const char *s, size_t n, size_t i)
{
    for (i++; i < n; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return n;
}

/* Just past the value that starts at s[i]. */
static size_t value_end(const char *s, size_t n, size_t i)
{
    size_t depth = 0;
    while (i < n) {
        char c = s[i];
        if (c == '"') {
            i = string_end(s, n, i);
            if (depth == 0)
                return i;
            continue;
        }
        if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return i;
            if (--depth == 0)
                return i + 1;
        } else if (depth == 0 && (c == ',' || json_ws(c))) {
            return i;
        }
        i++;
    }
    return n;
}

static uint32_t hex4(const char *s)
{
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        v = v << 4 | (uint32_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

/*
 * Appends the string whose opening quote is s[i], escapes decoded, to out;
 * every byte is mapped to base + its offset in s (a decoded escape to its
 * backslash). s has been validated by jansson, so escapes are complete.
 */
static void unescape(const char *s, size_t n, size_t i, size_t base,
                     mtext *out)
{
    size_t end = string_end(s, n, i) - 1; /* the closing quote */
    i++;
    while (i < end) {
        if (s[i] != '\\') {
            const char *bs = memchr(s + i, '\\', end - i);
            size_t j = bs ? (size_t)(bs - s) : end;
            mtext_copy(out, s + i, j - i, base + i);
            i = j;
            continue;
        }
        uint32_t cp;
        size_t w = 2;
        switch (s[i + 1]) {
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u':
            cp = hex4(s + i + 2);
            w = 6;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 12 <= end &&
                s[i + 6] == '\\' && s[i + 7] == 'u') {
                uint32_t lo = hex4(s + i + 8);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    w = 12;
                }
            }
            break;
        default: cp = (unsigned char)s[i + 1]; /* " \ / */
        }
        mtext_put_utf8(out, cp, base + i);
        i += w;
    }
}

/* Where the value of the last top-level member called `name` starts in
 * the object s[0..n) (the last, as jansson keeps the last of duplicates);
 * (size_t)-1 when there is none. */
static size_t member_at(rf_records *it, const char *s, size_t n,
                        const char *name)
{
    size_t i = skip_ws(s, n, 0) + 1, found = (size_t)-1, nlen = strlen(name);
    for (;;) {
        i = skip_ws(s, n, i);
        if (i >= n || s[i] != '"')
            return found;
        it->key.len = 0;
        unescape(s, n, i, 0, &it->key);
        int same = it->key.len == nlen && memcmp(it->key.text, name, nlen) == 0;
        i = skip_ws(s, n, string_end(s, n, i)) + 1; /* past ':' */
        i = skip_ws(s, n, i);
        if (same)
            found = i;
        i = skip_ws(s, n, value_end(s, n, i));
        if (i < n && s[i] == ',')
            i++;
    }
}

/* s[0..n) with each byte that is not valid UTF-8 replaced by '?', which
 * keeps every offset: jansson refuses invalid UTF-8, and the scanner does
 * not need it to be valid. Returns s itself when it is valid. */
static const char *valid_utf8(rf_records *it, const char *s, size_t n)
{
    size_t i = 0, w;
    while (i < n && (w = text_utf8_len(s + i, n - i)))
        i += w;
    if (i == n)
        return s;
    if (n > it->clean_cap) {
        char *p = realloc(it->clean, n);
        if (!p)
            return NULL;
        it->clean = p;
        it->clean_cap = n;
    }
    memcpy(it->clean, s, n);
    while (i < n) {
        if ((w = text_utf8_len(s + i, n - i))) {
            i += w;
        } else {
            it->clean[i++] = '?';
        }
    }
    return it->clean;
}

static const char *json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "true or false";
    default: return "not a string";
    }
}

/* The wanted fields of the object in the line raw[0..n), which starts at
 * dec.text offset a; jline is the line as jansson read it. 1, 2 or -1. */
static int json_fields(rf_records *it, json_t *root, const char *jline,
                       size_t n, size_t a)
{
    const char *raw = it->dec.text + a;
    for (size_t f = 0; f < it->n_fields; f++) {
        const char *name = it->fields[f];
        json_t *v = json_object_get(root, name);
        mtext *m = &it->field[f];
        m->len = 0;
        it->field_at[f] = a;
        if (!v) {
            record_error(it, "line %zu: no field '%s'", it->rec_line, name);
            return 2;
        }
        if (json_is_null(v))
            continue; /* an empty field */
        if (!json_is_string(v)) {
            record_error(it, "line %zu: field '%s' is %s, not a string",
                         it->rec_line, name, json_type_name(v));
            return 2;
        }
        size_t at = member_at(it, jline, n, name);
        if (at == (size_t)-1 || at >= n || jline[at] != '"') {
            record_error(it, "line %zu: field '%s' could not be mapped back "
                         "to its bytes", it->rec_line, name);
            return 2;
        }
        it->field_at[f] = a + at;
        unescape(jline, n, at, a, m);
        if (m->oom || it->key.oom)
            return -1;
        size_t vlen = json_string_length(v);
        if (m->len != vlen || (vlen && memcmp(m->text, json_string_value(v),
                                              vlen))) {
            record_error(it, "line %zu: field '%s' could not be mapped back "
                         "to its bytes", it->rec_line, name);
            return 2;
        }
        /* Put back the bytes that were replaced for jansson. */
        for (size_t i = 0; jline != raw && i < m->len; i++) {
            size_t o = m->map[i] - a;
            if (jline[o] != raw[o])
                m->text[i] = raw[o];
        }
    }
    return 1;
}

static int ndjson_next(rf_records *it)
{
    const char *s = it->dec.text;
    size_t len = it->dec.len, a, b;
    for (;;) { /* blank lines are not records */
        if (it->pos >= len)
            return 0;
        const char *nl = memchr(s + it->pos, '\n', len - it->pos);
        a = it->pos;
        b = nl ? (size_t)(nl - s) : len;
        it->rec_line = it->line;
        it->pos = nl ? b + 1 : len;
        it->line += nl != NULL;
        size_t k = skip_ws(s, b, a);
        if (k < b)
            break;
    }
    const char *jline = valid_utf8(it, s + a, b - a);
    if (!jline)
        return -1;
    json_error_t je;
    json_t *root = json_loadb(jline, b - a, JSON_ALLOW_NUL, &je);
    if (!root) {
        record_error(it, "line %zu, column %d: invalid JSON: %s",
                     it->rec_line, je.column, je.text);
        return 2;
    }
    int rc;
    if (!json_is_object(root)) {
        record_error(it, "line %zu: the record is %s, not a JSON object",
                     it->rec_line, json_type_name(root));
        rc = 2;
    } else {
        rc = json_fields(it, root, jline, b - a, a);
    }
    json_decref(root);
    return rc;
}

/* ------------------------------------------------------------- the API */

rf_records *rf_records_new(const char *data, size_t len, rf_input input,
                           const char *const *fields, size_t n_fields,
                           rf_error *err)
{
    if (input != RF_INPUT_CSV && input != RF_INPUT_NDJSON) {
        set_err(err, RF_ERR_USAGE, "records are read from csv or ndjson");
        return NULL;
    }
    if (n_fields == 0) {
        set_err(err, RF_ERR_USAGE, "no field to scan was named");
        return NULL;
    }
    rf_records *it = calloc(1, sizeof(*it));
    if (!it || !(it->field = calloc(n_fields, sizeof(mtext))) ||
        !(it->field_at = calloc(n_fields, sizeof(size_t))) ||
        !(it->column = calloc(n_fields, sizeof(size_t)))) {
        rf_records_free(it);
        set_err(err, RF_ERR_NOMEM, "out of memory");
        return NULL;
    }
    it->input = input;
    it->fields = fields;
    it->n_fields = n_fields;
    it->line = 1;
    if (decode_input(data, len, &it->dec, err)) {
        rf_records_free(it);
        return NULL;
    }
    if (input == RF_INPUT_CSV) {
        int rc = csv_start(it) ? set_err(err, RF_ERR_NOMEM, "out of memory")
                               : csv_header(it, err);
        free_header(it);
        if (rc) {
            rf_records_free(it);
            return NULL;
        }
    }
    return it;
}

int rf_records_next(rf_records *it, rf_record *rec, rf_error *err)
{
    it->error[0] = '\0';
    int rc = it->input == RF_INPUT_CSV ? csv_next(it) : ndjson_next(it);
    if (rc == 0)
        return 0;
    if (rc < 0 || (rc == 1 && build_text(it)))
        return set_err(err, RF_ERR_NOMEM, "out of memory");
    it->number++;
    rec->number = it->number;
    rec->line = it->rec_line;
    rec->source = rc == 1 ? &it->src : NULL;
    rec->error = rc == 1 ? NULL : it->error;
    return 1;
}

void rf_records_free(rf_records *it)
{
    if (!it)
        return;
    for (size_t f = 0; it->field && f < it->n_fields; f++)
        mtext_free(&it->field[f]);
    free(it->field);
    free(it->field_at);
    free(it->column);
    mtext_free(&it->text);
    mtext_free(&it->key);
    free(it->clean);
    free_header(it);
    if (it->csv_ready)
        csv_free(&it->csv);
    decode_free(&it->dec);
    free(it);
}
