/* The rule file format: what loads, and the file:line message for every
 * kind of mistake. */
#include "testutil.h"

#define GOOD_RULE                                                          \
    "[working-interview]\n"                                                \
    "category = unpaid-work\n"                                             \
    "severity = high\n"                                                    \
    "title    = Working interview\n"                                       \
    "why      = Real tasks,\n"                                             \
    "           done for free.\n"                                          \
    "advice   = Ask if it is paid.\n"                                      \
    "phrase   = working interview\n"

static void rules__good_file__loads_every_field(void **state)
{
    (void)state;
    rf_rules *rs = load_rules_text("# a comment\n\n" GOOD_RULE
                                   "phrase = unpaid trial\n"
                                   "regex = \\btrial\\s+days?\\b\n"
                                   "unless = paid working interview\n"
                                   "match = A working interview.\n"
                                   "match = An unpaid trial.\n"
                                   "nomatch = An interview.\n");
    assert_int_equal(rf_rules_count(rs), 1);
    const rf_rule *r = rf_rules_get(rs, 0);
    assert_string_equal(r->id, "working-interview");
    assert_string_equal(r->category, "unpaid-work");
    assert_int_equal(r->severity, RF_HIGH);
    assert_string_equal(r->title, "Working interview");
    assert_string_equal(r->why, "Real tasks, done for free.");
    assert_string_equal(r->advice, "Ask if it is paid.");
    assert_int_equal(r->n_phrases, 2);
    assert_string_equal(r->phrases[1], "unpaid trial");
    assert_int_equal(r->n_regexes, 1);
    assert_int_equal(r->n_unless, 1);
    assert_int_equal(r->n_matches, 2);
    assert_int_equal(r->n_nomatches, 1);
    assert_int_equal(r->line, 3);
    assert_string_equal(r->file, "test.rules");
    assert_ptr_equal(rf_rules_find(rs, "working-interview"), r);
    assert_null(rf_rules_find(rs, "nope"));
    rf_rules_free(rs);
}

static void rules__continuation__joins_repeated_key_too(void **state)
{
    (void)state;
    rf_rules *rs = load_rules_text(GOOD_RULE "match = one line\n  and more\n");
    assert_string_equal(rf_rules_get(rs, 0)->matches[0], "one line and more");
    rf_rules_free(rs);
}

static void expect_error(const char *text, const char *want)
{
    rf_error err;
    const char *got = load_error(text, &err);
    if (!strstr(got, want))
        print_error("want '%s'\ngot  '%s'\n", want, got);
    assert_non_null(strstr(got, want));
}

static void rules__unknown_category__names_line_and_value(void **state)
{
    (void)state;
    expect_error("[x]\ncategory = payy\nseverity = low\ntitle = t\nwhy = w\n"
                 "advice = a\nphrase = p\n",
                 "bad.rules:2: unknown category 'payy' (one of: unpaid-work,");
}

static void rules__errors__say_file_and_line(void **state)
{
    (void)state;
    expect_error(GOOD_RULE "colour = red\n", "bad.rules:9: unknown key 'colour'");
    expect_error(GOOD_RULE "title = again\n",
                 "bad.rules:9: 'title' given twice in 'working-interview' (first at line 4)");
    expect_error("[x]\ncategory = pay\nseverity = low\ntitle = t\nwhy = w\nphrase = p\n",
                 "bad.rules:1: rule 'x' has no 'advice'");
    expect_error("[x]\ncategory = pay\nseverity = low\ntitle = t\nwhy = w\nadvice = a\n",
                 "bad.rules:1: rule 'x' has no phrase or regex");
    expect_error(GOOD_RULE "\n" GOOD_RULE,
                 "bad.rules:10: duplicate rule id 'working-interview' (first defined at bad.rules:1)");
    expect_error("[x]\ncategory = pay\nseverity = huge\n",
                 "bad.rules:3: unknown severity 'huge'");
    expect_error("[Bad_Id]\n", "bad.rules:1: invalid rule id 'Bad_Id'");
    expect_error("title = x\n", "bad.rules:1: 'title' comes before any '[rule-id]' line");
    expect_error(GOOD_RULE "just words\n", "bad.rules:9: expected 'key = value'");
    expect_error("  continued\n", "bad.rules:1: an indented line continues a value");
    expect_error(GOOD_RULE "match =\n", "bad.rules:9: 'match' has no value");
    expect_error(GOOD_RULE "except = x\n", "bad.rules:9: key 'except' belongs only in [@negation]");
    expect_error("[@negation]\ntitle = x\n", "bad.rules:2: key 'title' does not belong in [@negation]");
    expect_error("[@negation]\nwindow = lots\n", "bad.rules:2: window must be a whole number");
}

static void rules__bad_regex__gives_pcre2_message_and_offset(void **state)
{
    (void)state;
    expect_error(GOOD_RULE "regex = commission (only\n",
                 "bad.rules:9: rule 'working-interview': pattern does not compile: "
                 "missing closing parenthesis at offset 16");
}

static void rules__bad_phrase__gives_line_and_offset(void **state)
{
    (void)state;
    expect_error(GOOD_RULE "phrase = {unpaid|free trial\n",
                 "bad.rules:9: rule 'working-interview': bad phrase '{unpaid|free trial': unclosed '{' at offset 18");
}

static void rules__bom_and_crlf__are_accepted(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF[a-b]\r\ncategory = pay\r\nseverity = low\r\n"
                       "title = T\r\nwhy = W\r\nadvice = A\r\nphrase = p q\r\n";
    rf_rules *rs = load_rules_text(text);
    assert_string_equal(rf_rules_get(rs, 0)->id, "a-b");
    assert_string_equal(rf_rules_get(rs, 0)->phrases[0], "p q");
    rf_rules_free(rs);
}

static void rules__path__reads_a_folder_in_name_order(void **state)
{
    (void)state;
    char dir[] = "/tmp/rf-rules-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512];
    const char *names[] = {"b.rules", "a.rules", "ignored.txt"};
    const char *ids[] = {"second", "first", "never"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fprintf(f, "[%s]\ncategory = pay\nseverity = low\ntitle = t\n"
                   "why = w\nadvice = a\nphrase = p\n", ids[i]);
        fclose(f);
    }
    rf_error err = {0, ""};
    rf_rules *rs = rf_rules_new();
    assert_int_equal(rf_rules_add_path(rs, dir, &err), 0);
    assert_int_equal(rf_rules_count(rs), 2);
    assert_string_equal(rf_rules_get(rs, 0)->id, "first");
    assert_string_equal(rf_rules_get(rs, 1)->id, "second");
    snprintf(path, sizeof(path), "%s/a.rules", dir);
    assert_non_null(strstr(rf_rules_get(rs, 0)->file, path));
    rf_rules_free(rs);
    rs = rf_rules_new();
    assert_int_not_equal(rf_rules_add_path(rs, "/nonexistent/x.rules", &err), 0);
    assert_string_equal(err.message, "/nonexistent/x.rules: No such file or directory");
    rf_rules_free(rs);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        remove(path);
    }
    remove(dir);
}

static void rules__default_set__loads_and_compiles(void **state)
{
    (void)state;
    rf_error err = {0, ""};
    rf_rules *rs = rf_rules_new();
    assert_int_equal(rf_rules_add_default(rs, &err), 0);
    assert_int_equal(rf_rules_compile(rs, &err), 0);
    assert_true(rf_rules_count(rs) > 0);
    assert_non_null(rf_rules_find(rs, "working-interview"));
    rf_rules_free(rs);
    rf_rules_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rules__good_file__loads_every_field),
        cmocka_unit_test(rules__continuation__joins_repeated_key_too),
        cmocka_unit_test(rules__unknown_category__names_line_and_value),
        cmocka_unit_test(rules__errors__say_file_and_line),
        cmocka_unit_test(rules__bad_regex__gives_pcre2_message_and_offset),
        cmocka_unit_test(rules__bad_phrase__gives_line_and_offset),
        cmocka_unit_test(rules__bom_and_crlf__are_accepted),
        cmocka_unit_test(rules__path__reads_a_folder_in_name_order),
        cmocka_unit_test(rules__default_set__loads_and_compiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
