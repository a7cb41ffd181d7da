/* Phrase syntax -> PCRE2: every variant of space, hyphen and apostrophe,
 * alternatives, optional parts, boundaries, and malformed phrases. */
#include "testutil.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "phrase.h"
#include "rules.h"

/* The text matched by `phrase` in `text`, or NULL when it does not match.
 * Returns a static buffer. */
static const char *find(const char *phrase, const char *text)
{
    static char got[256];
    buf b = BUF_INIT;
    char err[128];
    size_t off;
    assert_int_equal(phrase_compile(phrase, &b, err, sizeof(err), &off), 0);
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)b.data, b.len,
                                   RULES_PCRE2_OPTIONS, &ec, &eo, NULL);
    if (!re)
        print_error("pattern did not compile: %s\n", b.data);
    assert_non_null(re);
    buf_free(&b);
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, md, NULL);
    const char *out = NULL;
    if (rc > 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        snprintf(got, sizeof(got), "%.*s", (int)(ov[1] - ov[0]), text + ov[0]);
        out = got;
    }
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return out;
}

#define MATCHES(phrase, text, want)                                        \
    do {                                                                   \
        const char *g_ = find(phrase, text);                               \
        if (!g_)                                                           \
            print_error("'%s' did not match in '%s'\n", phrase, text);     \
        assert_non_null(g_);                                               \
        assert_string_equal(g_, want);                                     \
    } while (0)
#define NO_MATCH(phrase, text) assert_null(find(phrase, text))

static void phrase__words__match_any_case(void **state)
{
    (void)state;
    MATCHES("working interview", "A WORKING Interview!", "WORKING Interview");
}

static void phrase__space__matches_tabs_newlines_and_nbsp(void **state)
{
    (void)state;
    MATCHES("working interview", "a working\tinterview", "working\tinterview");
    MATCHES("working interview", "a working\ninterview", "working\ninterview");
    MATCHES("working interview", "a working\r\n  interview",
            "working\r\n  interview");
    MATCHES("working interview", "a working\xC2\xA0interview",
            "working\xC2\xA0interview");
    MATCHES("working interview", "a working\xE2\x80\xAFinterview",
            "working\xE2\x80\xAFinterview");
    NO_MATCH("working interview", "a workinginterview");
}

static void phrase__hyphen__matches_dash_and_space(void **state)
{
    (void)state;
    MATCHES("fast-paced", "a fast-paced team", "fast-paced");
    MATCHES("fast-paced", "a fast paced team", "fast paced");
    MATCHES("fast-paced", "a fastpaced team", "fastpaced");
    MATCHES("fast-paced", "a fast\xE2\x80\x93paced team", "fast\xE2\x80\x93paced");
    MATCHES("fast-paced", "a fast\xE2\x80\x94paced team", "fast\xE2\x80\x94paced");
    MATCHES("fast-paced", "a fast\xE2\x80\x91paced team", "fast\xE2\x80\x91paced");
    MATCHES("fast-paced", "a fast - paced team", "fast - paced");
    MATCHES("fast-paced", "a fast\npaced team", "fast\npaced");
    NO_MATCH("fast-paced", "a fast_paced team");
}

static void phrase__apostrophe__matches_straight_and_curly(void **state)
{
    (void)state;
    MATCHES("we're a family", "we're a family", "we're a family");
    MATCHES("we're a family", "We\xE2\x80\x99re a family",
            "We\xE2\x80\x99re a family");
    NO_MATCH("we're a family", "were a family");
}

static void phrase__alternatives__match_each_branch(void **state)
{
    (void)state;
    const char *p = "{unpaid|free} {trial|test} {day|shift}";
    MATCHES(p, "an unpaid trial day", "unpaid trial day");
    MATCHES(p, "a free test shift", "free test shift");
    NO_MATCH(p, "a paid trial day");
    MATCHES("{no|without a} base salary", "without a base salary",
            "without a base salary");
    MATCHES("{{un|}paid|free} trial", "paid trial", "paid trial");
}

static void phrase__optional__may_be_left_out(void **state)
{
    (void)state;
    MATCHES("go [the] extra mile", "go the extra mile", "go the extra mile");
    MATCHES("go [the] extra mile", "go extra mile", "go extra mile");
    MATCHES("work hard[,] play hard", "work hard, play hard",
            "work hard, play hard");
    MATCHES("work hard[,] play hard", "work hard play hard",
            "work hard play hard");
    MATCHES("[the] extra mile", "an extra mile", "extra mile");
    MATCHES("[the] extra mile", "the extra mile", "the extra mile");
    MATCHES("rock star[s]", "rock stars wanted", "rock stars");
    MATCHES("commission only [role]", "a commission only role",
            "commission only role");
    NO_MATCH("go [the] extra mile", "go thee extra mile");
}

static void phrase__boundaries__whole_words_only(void **state)
{
    (void)state;
    NO_MATCH("hustle", "hustlers");
    NO_MATCH("hustle", "unhustle");
    NO_MATCH("commission only", "recommission only");
    MATCHES("hustle", "hustle.", "hustle");
    MATCHES("100% commission", "earn 100% commission!", "100% commission");
    NO_MATCH("100% commission", "earn 1100% commission");
}

static void phrase__boundaries__split_glued_sentences(void **state)
{
    (void)state;
    MATCHES("self starter", "must be a self starterSkyNet is hiring",
            "self starter");
    MATCHES("working interview", "great teamWorking interview required",
            "Working interview");
    NO_MATCH("self starter", "self starters");
}

static void phrase__punctuation__is_literal(void **state)
{
    (void)state;
    MATCHES("24/7", "be available 24/7.", "24/7");
    MATCHES("$500 fee", "a $500 fee", "$500 fee");
    MATCHES("a.b", "a.b", "a.b");
    NO_MATCH("a.b", "axb");
    MATCHES("\\{x\\}", "{x}", "{x}");
}

static void phrase__utf8__stands_for_itself_escaped_or_not(void **state)
{
    (void)state;
    assert_string_equal(find("caf\xc3\xa9 culture", "Our CAF\xc3\x89 CULTURE."),
                        "CAF\xc3\x89 CULTURE");
    assert_string_equal(find("\\\xe2\x80\x9cgrind", "the \xe2\x80\x9cgrind"),
                        "\xe2\x80\x9cgrind");
}

static void phrase__deep_nesting__is_refused_not_a_crash(void **state)
{
    (void)state;
    /* 32 groups inside each other compile; a 33rd is refused at its
     * bracket (100,000 used to exhaust the stack) */
    char phrase[200];
    size_t k = 0;
    for (int i = 0; i < 32; i++)
        phrase[k++] = '{';
    phrase[k++] = 'a';
    for (int i = 0; i < 32; i++)
        phrase[k++] = '}';
    phrase[k] = '\0';
    assert_string_equal(find(phrase, "an a"), "a");
    memmove(phrase + 1, phrase, k + 1);
    phrase[0] = '[';
    strcat(phrase, "]");
    buf b = BUF_INIT;
    char err[128] = "";
    size_t off = 999;
    assert_int_equal(phrase_compile(phrase, &b, err, sizeof(err), &off), -1);
    assert_string_equal(err, "groups nested more than 32 deep");
    assert_int_equal(off, 32);
    buf_free(&b);
}

static void phrase__malformed__reports_offset(void **state)
{
    (void)state;
    static const struct {
        const char *phrase;
        size_t off;
        const char *msg;
    } bad[] = {
        {"{unpaid|free trial", 18, "unclosed '{'"},
        {"go [the extra", 13, "unclosed '['"},
        {"a|b", 1, "'|' outside"},
        {"a}", 1, "closing bracket"},
        {"", 0, "empty phrase"},
        {"trial\\", 6, "backslash"},
        {"{a]", 2, "']' closes"},
        /* bytes that are not UTF-8 are refused where they stand, not
         * left for PCRE2 to reject at an offset in its own pattern */
        {"caf\xe9 trial", 3, "invalid UTF-8"},
        {"a \\\xff", 3, "invalid UTF-8"},
        {"trial \xc3", 6, "invalid UTF-8"},
        {"\xed\xa0\x80", 0, "invalid UTF-8"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        buf b = BUF_INIT;
        char err[128] = "";
        size_t off = 999;
        assert_int_equal(phrase_compile(bad[i].phrase, &b, err, sizeof(err), &off),
                         -1);
        if (!strstr(err, bad[i].msg))
            print_error("%s: got '%s'\n", bad[i].phrase, err);
        assert_non_null(strstr(err, bad[i].msg));
        assert_int_equal(off, bad[i].off);
        buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(phrase__words__match_any_case),
        cmocka_unit_test(phrase__space__matches_tabs_newlines_and_nbsp),
        cmocka_unit_test(phrase__hyphen__matches_dash_and_space),
        cmocka_unit_test(phrase__apostrophe__matches_straight_and_curly),
        cmocka_unit_test(phrase__alternatives__match_each_branch),
        cmocka_unit_test(phrase__optional__may_be_left_out),
        cmocka_unit_test(phrase__boundaries__whole_words_only),
        cmocka_unit_test(phrase__boundaries__split_glued_sentences),
        cmocka_unit_test(phrase__punctuation__is_literal),
        cmocka_unit_test(phrase__utf8__stands_for_itself_escaped_or_not),
        cmocka_unit_test(phrase__deep_nesting__is_refused_not_a_crash),
        cmocka_unit_test(phrase__malformed__reports_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
