/* Reports: JSON that is always valid, the SPEC's keys, tsv rows, -l/-c. */
#include "testutil.h"

#include "json.h"
#include "report.h"
#include "sarif.h"
#include "text.h"

static char *out_buf;
static size_t out_len;

static FILE *open_out(void) { return open_memstream(&out_buf, &out_len); }

static const char *close_out(FILE *f)
{
    fclose(f);
    return out_buf;
}

static void report__json_string__escapes_and_repairs(void **state)
{
    (void)state;
    FILE *f = open_out();
    json_string(f, "a\"b\\c\n\t\x01 \xC3\xA9 \xFF \xED\xA0\x80 \xC3", 19);
    assert_string_equal(close_out(f),
                        "\"a\\\"b\\\\c\\n\\t\\u0001 \xC3\xA9 \xEF\xBF\xBD "
                        "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\"");
    free(out_buf);
}

static void report__utf8__rejects_overlong_and_surrogates(void **state)
{
    (void)state;
    assert_int_equal(text_utf8_len("\xC0\xAF", 2), 0);
    assert_int_equal(text_utf8_len("\xE0\x80\xAF", 3), 0);
    assert_int_equal(text_utf8_len("\xED\xA0\x80", 3), 0);
    assert_int_equal(text_utf8_len("\xF4\x90\x80\x80", 4), 0);
    assert_int_equal(text_utf8_len("\xF0\x9F\x98\x80", 4), 4);
    assert_int_equal(text_utf8_len("\xE2\x80", 2), 0);
}

static rf_rules *rs;

static int setup(void **state)
{
    (void)state;
    rs = load_rules_text(NEGATION
                         "[commission-only]\ncategory = pay\nseverity = high\n"
                         "title = Commission only\nwhy = W\nadvice = A\n"
                         "phrase = commission-only\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rf_rules_free(rs);
    return 0;
}

static void report__text__quotes_of_the_document_carry_no_control_characters(void **state)
{
    (void)state;
    /* an unless phrase matches across a carriage return, and an error
     * quotes a CSV header holding an escape: neither reaches a terminal */
    rf_rules *set = load_rules_text(
        "[working-interview]\ncategory = unpaid-work\nseverity = high\n"
        "title = t\nwhy = w\nadvice = a\nphrase = working interview\n"
        "unless = paid working interview\n");
    const char *text = "A paid working\r interview.";
    rf_error err;
    rf_result *res = rf_scan(set, text, strlen(text), NULL, &err);
    FILE *f = open_out();
    report r = {.out = f, .format = FORMAT_TEXT, .width = 80};
    report_begin(&r);
    report_document(&r, "a.txt", res, NULL);
    report_document(&r, "b.csv", NULL, "no field 'x' (it has '\x1b[2J')");
    report_end(&r);
    const char *out = close_out(f);
    assert_non_null(strstr(out, "(unless 'paid working  interview')"));
    assert_non_null(strstr(out, "(it has ' [2J')"));
    for (const char *p = out; *p; p++)
        assert_true((unsigned char)*p >= 0x20 || *p == '\n');
    free(out_buf);
    rf_result_free(res);
    rf_rules_free(set);
}

static const char *run_report(report_format fmt, report_mode mode)
{
    FILE *f = open_out();
    report r = {.out = f, .format = fmt, .mode = mode, .width = 80, .rules = rs};
    report_begin(&r);
    const char *a = "A commission-only job. Not commission-only.";
    rf_error err;
    rf_result *res = rf_scan(rs, a, strlen(a), NULL, &err);
    report_document(&r, "a.txt", res, NULL);
    rf_result_free(res);
    res = rf_scan(rs, "fine", 4, NULL, &err);
    report_document(&r, "b\tc.txt", res, NULL);
    rf_result_free(res);
    report_document(&r, "gone.txt", NULL, "No such file or directory");
    report_end(&r);
    return close_out(f);
}

static void report__ndjson__one_object_per_document_with_spec_keys(void **state)
{
    (void)state;
    const char *o = run_report(FORMAT_NDJSON, MODE_FULL);
    assert_string_equal(
        o,
        "{\"file\":\"a.txt\",\"score\":30,\"verdict\":\"elevated\",\"flags\":["
        "{\"rule\":\"commission-only\",\"category\":\"pay\",\"severity\":\"high\","
        "\"title\":\"Commission only\",\"points\":30,\"count\":1,\"evidence\":["
        "{\"match\":\"commission-only\",\"line\":1,\"column\":3,\"offset\":2,"
        "\"context\":\"A commission-only job. Not commission-only.\"}]}],"
        "\"suppressed\":[{\"rule\":\"commission-only\",\"category\":\"pay\","
        "\"severity\":\"high\",\"title\":\"Commission only\",\"points\":0,"
        "\"count\":1,\"evidence\":[{\"match\":\"commission-only\",\"line\":1,"
        "\"column\":28,\"offset\":27,\"context\":\"A commission-only job. Not "
        "commission-only.\"}],\"reason\":\"negated by 'Not'\"}]}\n"
        "{\"file\":\"b\\tc.txt\",\"score\":0,\"verdict\":\"clean\",\"flags\":[],"
        "\"suppressed\":[]}\n"
        "{\"file\":\"gone.txt\",\"score\":null,\"verdict\":null,\"flags\":[],"
        "\"suppressed\":[],\"error\":\"No such file or directory\"}\n");
    free(out_buf);
}

static void report__json__wraps_documents_with_version_and_summary(void **state)
{
    (void)state;
    const char *o = run_report(FORMAT_JSON, MODE_FULL);
    assert_true(strncmp(o, "{\"version\":\"" RF_VERSION "\",\"documents\":[{", 28) == 0);
    assert_non_null(strstr(o, "},{\"file\":\"b\\tc.txt\""));
    assert_non_null(strstr(o, "],\"summary\":{\"documents\":3,\"flagged\":1,"
                              "\"errors\":1,\"skipped\":0,\"verdicts\":{\"clean\":1,"
                              "\"low\":0,\"elevated\":1,\"high\":0},"
                              "\"rules\":{\"commission-only\":1}}}\n"));
    free(out_buf);
}

static void report__tsv__one_row_per_document(void **state)
{
    (void)state;
    const char *o = run_report(FORMAT_TSV, MODE_FULL);
    assert_string_equal(o, "a.txt\televated\t30\t1\tcommission-only\t\n"
                           "b c.txt\tclean\t0\t0\t\t\n"
                           "gone.txt\t-\t-\t0\t\tNo such file or directory\n");
    free(out_buf);
}

static void report__modes__list_and_count(void **state)
{
    (void)state;
    assert_string_equal(run_report(FORMAT_TEXT, MODE_FLAGGED), "a.txt\n");
    free(out_buf);
    assert_string_equal(run_report(FORMAT_TEXT, MODE_UNFLAGGED), "b\tc.txt\n");
    free(out_buf);
    assert_string_equal(run_report(FORMAT_TEXT, MODE_COUNT), "a.txt:1\nb\tc.txt:0\n");
    free(out_buf);
    assert_string_equal(run_report(FORMAT_JSON, MODE_QUIET), "");
    free(out_buf);
}

static void report__text__shows_location_carets_why_and_advice(void **state)
{
    (void)state;
    const char *o = run_report(FORMAT_TEXT, MODE_FULL);
    assert_non_null(strstr(o, "a.txt: elevated, score 30/100, 1 flag, 1 suppressed\n"));
    assert_non_null(strstr(o, "  high   Commission only  [commission-only] +30\n"
                              "    a.txt:1:3\n"
                              "      A commission-only job. Not commission-only.\n"
                              "        ^^^^^^^^^^^^^^^\n"
                              "    Why:    W\n"
                              "    Advice: A\n"));
    assert_non_null(strstr(o, "suppressed: commission-only at 1:28 (negated by 'Not')"));
    assert_non_null(strstr(o, "gone.txt: error: No such file or directory\n"));
    assert_non_null(strstr(o, "\n\nSummary: 3 documents scanned\n"
                              "  flagged  1 (1 elevated)\n"
                              "  clean    1\n"
                              "  errors   1\n"
                              "  most frequent flags, by documents:\n"
                              "        1  commission-only  Commission only\n"));
    /* no escape codes without colour */
    assert_null(strchr(o, '\033'));
    free(out_buf);
}

static void report__summary_only__prints_just_the_summary_in_each_format(void **state)
{
    (void)state;
    const char *o = run_report(FORMAT_TEXT, MODE_SUMMARY);
    assert_true(strncmp(o, "Summary: 3 documents scanned\n", 29) == 0);
    assert_null(strstr(o, "a.txt"));
    free(out_buf);
    o = run_report(FORMAT_NDJSON, MODE_SUMMARY);
    assert_string_equal(o, "{\"version\":\"" RF_VERSION "\",\"summary\":{"
                           "\"documents\":3,\"flagged\":1,\"errors\":1,"
                           "\"skipped\":0,\"verdicts\":{\"clean\":1,\"low\":0,"
                           "\"elevated\":1,\"high\":0},"
                           "\"rules\":{\"commission-only\":1}}}\n");
    free(out_buf);
    o = run_report(FORMAT_TSV, MODE_SUMMARY);
    assert_non_null(strstr(o, "documents\t3\nflagged\t1\nerrors\t1\n"));
    assert_non_null(strstr(o, "verdict.elevated\t1\n"));
    assert_non_null(strstr(o, "rule.commission-only\t1\n"));
    free(out_buf);
}

static void report__summary__orders_rules_by_documents_then_id(void **state)
{
    (void)state;
    rf_rules *three = load_rules_text(
        "[b-rule]\ncategory = pay\nseverity = low\ntitle = B\nwhy = w\n"
        "advice = a\nphrase = bee\n"
        "[a-rule]\ncategory = pay\nseverity = low\ntitle = A\nwhy = w\n"
        "advice = a\nphrase = ay\n"
        "[c-rule]\ncategory = pay\nseverity = low\ntitle = C\nwhy = w\n"
        "advice = a\nphrase = cee\n");
    FILE *f = open_out();
    report r = {.out = f, .format = FORMAT_JSON, .mode = MODE_SUMMARY};
    report_begin(&r);
    const char *docs[] = {"bee cee", "cee ay", "cee bee bee", "nothing"};
    for (size_t i = 0; i < 4; i++) {
        rf_error err;
        rf_result *res = rf_scan(three, docs[i], strlen(docs[i]), NULL, &err);
        report_document(&r, "d", res, NULL);
        rf_result_free(res);
    }
    report_end(&r);
    assert_non_null(strstr(close_out(f),
                           "\"rules\":{\"c-rule\":3,\"b-rule\":2,\"a-rule\":1}"));
    free(out_buf);
    rf_rules_free(three);
}

static void report__sarif__results_regions_suppressions_and_errors(void **state)
{
    (void)state;
    const char *o = run_report(FORMAT_SARIF, MODE_FULL);
    assert_true(strncmp(o, "{\"$schema\":", 11) == 0);
    assert_non_null(strstr(o, "\"version\":\"2.1.0\""));
    assert_non_null(strstr(o, "\"rules\":[{\"id\":\"commission-only\","
                              "\"name\":\"CommissionOnly\","
                              "\"shortDescription\":{\"text\":\"Commission only\"},"
                              "\"fullDescription\":{\"text\":\"W\"},"
                              "\"help\":{\"text\":\"W\\n\\nWhat to do: A\"},"
                              "\"defaultConfiguration\":{\"level\":\"error\"}"));
    assert_non_null(strstr(o, "\"columnKind\":\"unicodeCodePoints\""));
    assert_non_null(strstr(o, "{\"ruleId\":\"commission-only\",\"ruleIndex\":0,"
                              "\"level\":\"error\",\"message\":{\"text\":"
                              "\"Commission only: 'commission-only'\"},"
                              "\"locations\":[{\"physicalLocation\":{"
                              "\"artifactLocation\":{\"uri\":\"a.txt\"},"
                              "\"region\":{\"startLine\":1,\"startColumn\":3,"
                              "\"endLine\":1,\"endColumn\":18,"));
    assert_non_null(strstr(o, "\"suppressions\":[{\"kind\":\"inSource\","
                              "\"justification\":\"negated by 'Not'\"}]"));
    assert_non_null(strstr(o, "\"executionSuccessful\":false,"
                              "\"toolExecutionNotifications\":[{\"level\":\"error\","
                              "\"message\":{\"text\":\"No such file or directory\"},"
                              "\"locations\":[{\"physicalLocation\":{"
                              "\"artifactLocation\":{\"uri\":\"gone.txt\"}}}]}]"));
    assert_non_null(strstr(o, "\"properties\":{\"summary\":{\"documents\":3,"));
    assert_string_equal(o + strlen(o) - 4, "}]}\n");
    free(out_buf);
}

static void report__sarif_uri__encodes_what_a_uri_cannot_hold(void **state)
{
    (void)state;
    FILE *f = open_out();
    sarif_uri(f, "jobs/a b#1:\xC3\xA9.txt");
    fputc(' ', f);
    sarif_uri(f, "/srv/x%y");
    assert_string_equal(close_out(f),
                        "\"jobs/a%20b%231%3A%C3%A9.txt\" \"file:///srv/x%25y\"");
    free(out_buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(report__json_string__escapes_and_repairs),
        cmocka_unit_test(report__utf8__rejects_overlong_and_surrogates),
        cmocka_unit_test(report__ndjson__one_object_per_document_with_spec_keys),
        cmocka_unit_test(report__json__wraps_documents_with_version_and_summary),
        cmocka_unit_test(report__tsv__one_row_per_document),
        cmocka_unit_test(report__modes__list_and_count),
        cmocka_unit_test(report__text__shows_location_carets_why_and_advice),
        cmocka_unit_test(report__text__quotes_of_the_document_carry_no_control_characters),
        cmocka_unit_test(report__summary_only__prints_just_the_summary_in_each_format),
        cmocka_unit_test(report__summary__orders_rules_by_documents_then_id),
        cmocka_unit_test(report__sarif__results_regions_suppressions_and_errors),
        cmocka_unit_test(report__sarif_uri__encodes_what_a_uri_cannot_hold),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
