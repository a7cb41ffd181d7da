/* CSV and NDJSON records: one document each, fields decoded by the
 * parsing libraries, every byte mapped back to the file. */
#include "inpututil.h"

typedef struct got {
    size_t n;
    char *text[8];   /* NULL for a malformed record */
    char *error[8];
    size_t line[8];
} got;

static void got_free(got *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->text[i]);
        free(g->error[i]);
    }
}

/*
 * Reads every record of file. For each well-formed one, checks that every
 * text byte maps into the file onto the same byte, or onto what stands
 * for it there: a doubled quote, a JSON escape's backslash, or (between
 * fields) the start of the next field.
 */
static got read_all(const char *file, size_t len, rf_input in,
                    const char *const *fields, size_t n_fields)
{
    got g;
    memset(&g, 0, sizeof(g));
    rf_error err = {0, ""};
    rf_records *it = rf_records_new(file, len, in, fields, n_fields, &err);
    if (!it) {
        print_error("rf_records_new: %s\n", err.message);
        fail();
    }
    rf_record rec;
    int rc;
    while ((rc = rf_records_next(it, &rec, &err)) == 1) {
        assert_true(g.n < 8);
        assert_int_equal(rec.number, g.n + 1);
        g.line[g.n] = rec.line;
        if (!rec.source) {
            g.error[g.n++] = strdup(rec.error);
            continue;
        }
        const rf_source *s = rec.source;
        for (size_t i = 0; i < s->len; i++) {
            size_t o = s->base_offset + s->map[i];
            assert_true(o < len);
            char c = file[o];
            if (c == s->text[i] || c == '\\' || s->text[i] == '\n' ||
                s->text[i] == '\x1e')
                continue;
            /* an invalid byte, scanned as DECODE_INVALID */
            if (s->text[i] == '\x1a' && (unsigned char)c >= 0x80)
                continue;
            print_error("record %zu byte %zu '%c' maps to '%c' at %zu\n",
                        rec.number, i, s->text[i], c, o);
            fail();
        }
        g.text[g.n++] = strndup(s->text, s->len);
    }
    assert_int_equal(rc, 0);
    rf_records_free(it);
    return g;
}

static const char *const description[] = {"description"};

static void records__csv__quoted_fields_hold_commas_quotes_and_lines(
    void **state)
{
    (void)state;
    const char *file =
        "id,title,description\r\n"
        "1,Sales,\"We need you.\r\nA working interview, then \"\"fun\"\".\"\r\n"
        "\r\n"
        "2,Dev, spaces kept \n"
        "3,\"x\",\"\"\n"
        "4,Last,no newline at the end";
    got g = read_all(file, strlen(file), RF_INPUT_CSV, description, 1);
    assert_int_equal(g.n, 4);
    assert_string_equal(g.text[0],
                        "We need you.\r\nA working interview, then \"fun\".");
    assert_string_equal(g.text[1], " spaces kept ");
    assert_string_equal(g.text[2], "");
    assert_string_equal(g.text[3], "no newline at the end");
    size_t lines[] = {2, 5, 6, 7};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(g.line[i], lines[i]);
    got_free(&g);
}

static void records__csv__doubled_quote_maps_to_its_first_quote(void **state)
{
    (void)state;
    const char *file = "a\n\"x\"\"y\"\n";
    const char *const a[] = {"a"};
    rf_error err = {0, ""};
    rf_records *it = rf_records_new(file, strlen(file), RF_INPUT_CSV, a, 1,
                                    &err);
    rf_record rec;
    assert_int_equal(rf_records_next(it, &rec, &err), 1);
    assert_int_equal(rec.source->len, 3);
    assert_memory_equal(rec.source->text, "x\"y", 3);
    size_t want[] = {3, 4, 6};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(rec.source->base_offset + rec.source->map[i],
                         want[i]);
    rf_records_free(it);
}

static void records__csv__evidence_is_relative_to_the_field_offset_to_the_file(
    void **state)
{
    (void)state;
    const char *file = "description,id\n"
                       "\"First line\nthen a \"\"working\"\" interview, "
                       "then a working interview\",7\n";
    rf_error err = {0, ""};
    rf_records *it = rf_records_new(file, strlen(file), RF_INPUT_CSV,
                                    description, 1, &err);
    assert_non_null(it);
    rf_record rec;
    assert_int_equal(rf_records_next(it, &rec, &err), 1);
    rf_result *r = scan_source(rs, rec.source);
    const rf_evidence *e = evidence_of(r, "working-interview");
    assert_non_null(e);
    assert_int_equal(e->line, 2);      /* in the field */
    assert_int_equal(e->column, 36);
    assert_lands_on(r, file, strlen(file), "working-interview",
                    "working interview\",7");
    rf_result_free(r);
    assert_int_equal(rf_records_next(it, &rec, &err), 0);
    rf_records_free(it);
}

static void records__csv__malformed_records_are_errors_and_the_rest_go_on(
    void **state)
{
    (void)state;
    const char *file = "id,description\n"
                       "1,fine\n"
                       "2,\"unterminated\n"
                       "3,also fine\n"
                       "4,a \"stray\" quote\n"
                       "5\n"
                       "6,\"closed\" then text\n"
                       "7,last\n"
                       "8,\"never closed";
    got g = read_all(file, strlen(file), RF_INPUT_CSV, description, 1);
    assert_int_equal(g.n, 8);
    assert_string_equal(g.text[0], "fine");
    /* found where the quote closes, reported where the field opens */
    assert_non_null(strstr(g.error[1], "line 3, column 3: the quoted field "
                                       "here has text after its closing "
                                       "quote, at line 5, column 6"));
    assert_string_equal(g.text[2], "also fine");
    assert_non_null(strstr(g.error[3], "line 5, column 5: a quote inside"));
    assert_non_null(strstr(g.error[4], "line 6: the record has 1 field;"));
    assert_non_null(strstr(g.error[5], "line 7, column 3: the quoted field "
                                       "here has text after its closing "
                                       "quote, at line 7, column 11"));
    assert_string_equal(g.text[6], "last");
    assert_non_null(strstr(g.error[7], "line 9, column 3: a quoted field "
                                       "that never ends"));
    got_free(&g);
}

static void records__csv__header_must_name_the_fields(void **state)
{
    (void)state;
    rf_error err = {0, ""};
    const char *file = "id,title\n1,x\n";
    const char *const want[] = {"title", "descr"};
    assert_null(rf_records_new(file, strlen(file), RF_INPUT_CSV, want, 2,
                               &err));
    assert_string_equal(err.message, "no field 'descr' in the CSV header "
                                     "(it has 'id', 'title')");
    assert_null(rf_records_new("", 0, RF_INPUT_CSV, want, 1, &err));
    assert_non_null(strstr(err.message, "no header row"));
    assert_null(rf_records_new("a,\"b\n", 5, RF_INPUT_CSV, want, 1, &err));
    assert_non_null(strstr(err.message, "header: line 1"));
}

static void records__several_fields__never_join_into_one_phrase(void **state)
{
    (void)state;
    const char *file = "{\"title\":\"Working\",\"description\":\"interview "
                       "now\",\"other\":\"a working interview\"}\n";
    const char *const two[] = {"title", "description"};
    got g = read_all(file, strlen(file), RF_INPUT_NDJSON, two, 2);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.text[0], "Working\n\x1e\ninterview now");
    rf_source s = {g.text[0], strlen(g.text[0]), NULL, NULL, 0, 0, NULL, 0};
    rf_result *r = scan_source(rs, &s);
    assert_null(evidence_of(r, "working-interview"));
    rf_result_free(r);
    got_free(&g);
    /* in the order asked for */
    const char *const back[] = {"other", "title"};
    g = read_all(file, strlen(file), RF_INPUT_NDJSON, back, 2);
    assert_string_equal(g.text[0], "a working interview\n\x1e\nWorking");
    got_free(&g);
}

static void records__ndjson__escapes_are_decoded_and_mapped(void **state)
{
    (void)state;
    const char *file =
        "{\"n\":[1,{\"description\":\"no\"}],\"descr\\u0069ption\":\"Tab\\t"
        "q\\\"uote\\\" \\u00e9 \\ud83d\\ude00 \\/ a working\\u00a0interview "
        "x\\\\\"}\n";
    got g = read_all(file, strlen(file), RF_INPUT_NDJSON, description, 1);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.text[0], "Tab\tq\"uote\" \xC3\xA9 \xF0\x9F\x98\x80 "
                                   "/ a working\xC2\xA0interview x\\");
    got_free(&g);
    rf_error err = {0, ""};
    rf_records *it = rf_records_new(file, strlen(file), RF_INPUT_NDJSON,
                                    description, 1, &err);
    rf_record rec;
    assert_int_equal(rf_records_next(it, &rec, &err), 1);
    rf_result *r = scan_source(rs, rec.source);
    assert_lands_on(r, file, strlen(file), "working-interview",
                    "working\\u00a0interview");
    const rf_evidence *e = evidence_of(r, "working-interview");
    assert_int_equal(e->line, 1);
    assert_int_equal(e->column, 21); /* in the decoded field */
    rf_result_free(r);
    rf_records_free(it);
}

static void records__ndjson__malformed_lines_are_errors_and_the_rest_go_on(
    void **state)
{
    (void)state;
    const char *file = "{\"description\":\"one\"}\n"
                       "\n"
                       "{\"description\":\"two\",}\n"
                       "  \r\n"
                       "[1,2]\n"
                       "{\"id\":4}\n"
                       "{\"description\":5}\n"
                       "{\"description\":null}\n"
                       "{\"description\":\"a\",\"description\":\"last\"}\n"
                       "{\"description\":\"caf\xE9 \xFF ok\"}";
    got g = read_all(file, strlen(file), RF_INPUT_NDJSON, description, 1);
    assert_int_equal(g.n, 8);
    assert_string_equal(g.text[0], "one");
    assert_non_null(strstr(g.error[1], "line 3, column"));
    assert_non_null(strstr(g.error[1], "invalid JSON"));
    assert_string_equal(g.error[2], "line 5: the record is an array, not a "
                                    "JSON object");
    assert_string_equal(g.error[3], "line 6: no field 'description'");
    assert_string_equal(g.error[4], "line 7: field 'description' is a "
                                    "number, not a string");
    assert_string_equal(g.text[5], "");
    assert_string_equal(g.text[6], "last"); /* as jansson: the last one */
    /* invalid UTF-8 is not refused: each bad byte is scanned as
     * DECODE_INVALID, one byte for one, so offsets do not move */
    assert_string_equal(g.text[7], "caf\x1A \x1A ok");
    assert_int_equal(g.line[7], 10);
    got_free(&g);
}

static void records__utf16_csv__offsets_are_in_the_file(void **state)
{
    (void)state;
    /* "d\nworking interview\n" in UTF-16LE with its mark */
    const char *text = "d\nworking interview\n";
    size_t n = 2 + 2 * strlen(text);
    char *file = malloc(n);
    file[0] = (char)0xFF;
    file[1] = (char)0xFE;
    for (size_t i = 0; i < strlen(text); i++) {
        file[2 + 2 * i] = text[i];
        file[3 + 2 * i] = 0;
    }
    const char *const d[] = {"d"};
    rf_error err = {0, ""};
    rf_records *it = rf_records_new(file, n, RF_INPUT_CSV, d, 1, &err);
    assert_non_null(it);
    rf_record rec;
    assert_int_equal(rf_records_next(it, &rec, &err), 1);
    rf_result *r = scan_source(rs, rec.source);
    const rf_evidence *e = evidence_of(r, "working-interview");
    assert_non_null(e);
    assert_int_equal(e->offset, 2 + 2 * 2);
    rf_result_free(r);
    rf_records_free(it);
    free(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records__csv__quoted_fields_hold_commas_quotes_and_lines),
        cmocka_unit_test(records__csv__doubled_quote_maps_to_its_first_quote),
        cmocka_unit_test(records__csv__evidence_is_relative_to_the_field_offset_to_the_file),
        cmocka_unit_test(records__csv__malformed_records_are_errors_and_the_rest_go_on),
        cmocka_unit_test(records__csv__header_must_name_the_fields),
        cmocka_unit_test(records__several_fields__never_join_into_one_phrase),
        cmocka_unit_test(records__ndjson__escapes_are_decoded_and_mapped),
        cmocka_unit_test(records__ndjson__malformed_lines_are_errors_and_the_rest_go_on),
        cmocka_unit_test(records__utf16_csv__offsets_are_in_the_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
