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

#define THREE_RULES                                                        \
    "[grind]\ncategory = hustle\nseverity = low\ntitle = G\nwhy = w\n"     \
    "advice = a\nphrase = grind\n"                                         \
    "[hustle]\ncategory = hustle\nseverity = medium\ntitle = H\nwhy = w\n" \
    "advice = a\nphrase = hustle\n"                                        \
    "[trial]\ncategory = unpaid-work\nseverity = high\ntitle = T\n"       \
    "why = w\nadvice = a\nphrase = unpaid trial\n"

/* The ids of the set, joined by spaces. */
static const char *ids_of(const rf_rules *rs)
{
    static char out[256];
    out[0] = '\0';
    for (size_t i = 0; i < rf_rules_count(rs); i++)
        snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s",
                 i ? " " : "", rf_rules_get(rs, i)->id);
    return out;
}

static size_t flags_in(const rf_rules *rs, const char *text)
{
    rf_error err = {0, ""};
    rf_result *res = rf_scan(rs, text, strlen(text), NULL, &err);
    assert_non_null(res);
    size_t n = rf_result_flag_count(res);
    rf_result_free(res);
    return n;
}

static void rules__disable__takes_the_rule_out_and_it_no_longer_matches(void **state)
{
    (void)state;
    rf_rules *rs = load_rules_text(THREE_RULES);
    rf_error err = {0, ""};
    assert_int_equal(rf_rules_disable(rs, "hustle", &err), 0);
    assert_string_equal(ids_of(rs), "grind trial");
    assert_null(rf_rules_find(rs, "hustle"));
    assert_int_equal(rf_rules_compile(rs, &err), 0);
    assert_int_equal(flags_in(rs, "hustle and grind"), 1);
    rf_rules_free(rs);
}

static void rules__disable__unknown_id_is_an_error_and_changes_nothing(void **state)
{
    (void)state;
    rf_rules *rs = load_rules_text(THREE_RULES);
    rf_error err = {0, ""};
    assert_int_not_equal(rf_rules_disable(rs, "hustel", &err), 0);
    assert_string_equal(err.message, "no rule 'hustel'");
    assert_int_equal(err.code, RF_ERR_USAGE);
    assert_string_equal(ids_of(rs), "grind hustle trial");
    rf_rules_free(rs);
}

static void rules__disable_category__removes_every_rule_of_it(void **state)
{
    (void)state;
    rf_rules *rs = load_rules_text(THREE_RULES);
    rf_error err = {0, ""};
    assert_int_equal(rf_rules_disable_category(rs, "scam", &err), 0);
    assert_string_equal(ids_of(rs), "grind hustle trial");
    assert_int_equal(rf_rules_disable_category(rs, "hustle", &err), 0);
    assert_string_equal(ids_of(rs), "trial");
    assert_int_not_equal(rf_rules_disable_category(rs, "hustel", &err), 0);
    assert_non_null(strstr(err.message, "unknown category 'hustel' (one of:"));
    assert_string_equal(ids_of(rs), "trial");
    rf_rules_free(rs);
}

static void rules__set_severity__changes_points_and_rejects_unknown_ids(void **state)
{
    (void)state;
    rf_rules *rs = load_rules_text(THREE_RULES);
    rf_error err = {0, ""};
    assert_int_equal(rf_rules_set_severity(rs, "trial", RF_LOW, &err), 0);
    assert_int_equal(rf_rules_find(rs, "trial")->severity, RF_LOW);
    assert_int_equal(rf_rules_compile(rs, &err), 0);
    rf_result *res = rf_scan(rs, "an unpaid trial", 15, NULL, &err);
    assert_non_null(res);
    assert_int_equal(rf_result_flag(res, 0)->points, rf_severity_points(RF_LOW));
    rf_result_free(res);
    assert_int_not_equal(rf_rules_set_severity(rs, "nope", RF_HIGH, &err), 0);
    assert_string_equal(err.message, "no rule 'nope'");
    assert_int_not_equal(rf_rules_set_severity(rs, "trial", (rf_severity)7, &err), 0);
    assert_int_equal(rf_rules_find(rs, "trial")->severity, RF_LOW);
    rf_rules_free(rs);
}

static void rules__adjusting__needs_compiling_again_before_a_scan(void **state)
{
    (void)state;
    rf_rules *rs = load_rules_text(THREE_RULES);
    rf_error err = {0, ""};
    assert_int_equal(rf_rules_disable(rs, "grind", &err), 0);
    assert_null(rf_scan(rs, "grind", 5, NULL, &err));
    assert_int_equal(rf_rules_compile(rs, &err), 0);
    assert_int_equal(flags_in(rs, "grind"), 0);
    rf_rules_free(rs);
}

static void rules__regex_ending_in_broken_utf8__is_refused_with_its_line(void **state)
{
    (void)state;
    /* the last bytes of the file: a backslash and two bytes that are not
     * UTF-8; nothing may be read past them (make asan replays the fuzz
     * input that found it) */
    rf_error err;
    const char *msg = load_error("[x]\ncategory = pay\nseverity = low\n"
                                 "title = t\nwhy = w\nadvice = a\n"
                                 "regex = \\\xff\xff", &err);
    assert_non_null(strstr(msg, "bad.rules:7: rule 'x': pattern does not compile: UTF-8 error"));
}

/* A [@negation] stanza of n made-up words, in a buffer the caller frees. */
static char *negation_words(int n)
{
    char *s = malloc((size_t)n * 32 + 16);
    assert_non_null(s);
    int k = sprintf(s, "[@negation]\n");
    for (int i = 0; i < n; i++)
        k += sprintf(s + k, "phrase = negword%03d\n", i);
    return s;
}

static void rules__negation_too_large__is_blamed_on_the_stanza_that_adds_it(void **state)
{
    (void)state;
    /* each file alone is fine; together the words make a pattern PCRE2
     * refuses, which must name the second file, not "[@negation]" */
    char *words = negation_words(1700);
    rf_error err = {0, ""};
    rf_rules *rs = rf_rules_new();
    assert_int_equal(rf_rules_add_buffer(rs, "a.rules", words, strlen(words), &err), 0);
    assert_int_not_equal(rf_rules_add_buffer(rs, "b.rules", words, strlen(words), &err), 0);
    if (strncmp(err.message, "b.rules:2: ", 11) != 0 || !strstr(err.message, "too large"))
        print_error("got: %s\n", err.message);
    assert_int_equal(strncmp(err.message, "b.rules:2: ", 11), 0);
    assert_non_null(strstr(err.message, "patterns do not combine: regular expression is too large"));
    rf_rules_free(rs);
    free(words);
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
        cmocka_unit_test(rules__negation_too_large__is_blamed_on_the_stanza_that_adds_it),
        cmocka_unit_test(rules__regex_ending_in_broken_utf8__is_refused_with_its_line),
        cmocka_unit_test(rules__disable__takes_the_rule_out_and_it_no_longer_matches),
        cmocka_unit_test(rules__disable__unknown_id_is_an_error_and_changes_nothing),
        cmocka_unit_test(rules__disable_category__removes_every_rule_of_it),
        cmocka_unit_test(rules__set_severity__changes_points_and_rejects_unknown_ids),
        cmocka_unit_test(rules__adjusting__needs_compiling_again_before_a_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
