/* Literal summaries: every match of a phrase or regex holds one of its
 * literals, no further from the start of the match than it says; what
 * the analysis cannot read gives no literal; the context checks never
 * turn down a real match. */
#include "testutil.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "lit.h"
#include "phrase.h"
#include "rules.h"

/* Non-space bytes in text[a..b) (white space as PCRE2's \s sees it). */
static size_t nonspace(const char *text, size_t a, size_t b)
{
    size_t n = 0;
    while (a < b) {
        size_t k = lit_space_len((const unsigned char *)text + a, b - a);
        if (k) {
            a += k;
            continue;
        }
        n++;
        a++;
    }
    return n;
}

static int folded_at(const char *text, size_t len, size_t p, const lit *l)
{
    if (len - p < l->len)
        return 0;
    for (size_t i = 0; i < l->len; i++) {
        char c = text[p + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c | 0x20);
        if (c != l->s[i])
            return 0;
    }
    return 1;
}

/* The match of pattern src in text must hold a literal of s where s says
 * it may be, with the bytes around it that its contexts allow; fails the
 * test otherwise. */
static void literal_in_match(const char *src, const lit_sum *s,
                             const char *text)
{
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
                                   RULES_PCRE2_OPTIONS, &ec, &eo, NULL);
    assert_non_null(re);
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    size_t len = strlen(text);
    int rc = pcre2_match(re, (PCRE2_SPTR)text, len, 0, 0, md, NULL);
    if (rc < 0)
        print_error("'%s' does not match '%s'\n", src, text);
    assert_true(rc > 0);
    size_t ms = pcre2_get_startchar(md);
    size_t me = pcre2_get_ovector_pointer(md)[1];
    int found = 0;
    for (size_t p = ms; p < me && !found; p++)
        for (size_t i = 0; i < s->n && !found; i++)
            found = folded_at(text, me, p, &s->lits[i]) &&
                    (s->lits[i].back == LIT_UNBOUNDED ||
                     nonspace(text, ms, p) <= s->lits[i].back) &&
                    lit_context_ok((const unsigned char *)text, len, p,
                                   p + s->lits[i].len, s->lits[i].left,
                                   s->lits[i].right);
    if (!found)
        print_error("no literal of '%s' where it says, in '%s'\n", src, text);
    assert_true(found);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
}

/* The summary of a phrase that compiles; the caller frees it. */
static lit_sum phrase_sum(const char *phrase)
{
    buf b = BUF_INIT;
    lit_sum s;
    char err[128];
    size_t off;
    assert_int_equal(phrase_compile_lit(phrase, &b, &s, err, sizeof(err), &off), 0);
    buf_free(&b);
    return s;
}

static void phrase_case(const char *phrase, const char *text)
{
    buf b = BUF_INIT;
    lit_sum s;
    char err[128];
    size_t off;
    assert_int_equal(phrase_compile_lit(phrase, &b, &s, err, sizeof(err), &off), 0);
    assert_true(s.ok);
    literal_in_match(b.data, &s, text);
    lit_sum_free(&s);
    buf_free(&b);
}

static void lit__phrase__a_literal_every_match_holds(void **state)
{
    (void)state;
    phrase_case("go [the] extra mile", "we go   the\n extra mile");
    phrase_case("go [the] extra mile", "go extra mile");
    phrase_case("fast-paced", "a fastpaced team");
    phrase_case("fast-paced", "fast \xE2\x80\x94  paced");
    phrase_case("{100%|straight} commission", "paid 100%\tcommission");
    phrase_case("{100%|straight} commission", "STRAIGHT COMMISSION");
    phrase_case("{unpaid|free} {trial|test} {day|shift}[s]", "free test shifts");
    phrase_case("work hard[,] play hard", "work hard, play hard");
    phrase_case("24/7", "on call 24/7");
    phrase_case("don't", "we don\xE2\x80\x99t");
    phrase_case("hustler[s]", "hustlers");
    phrase_case("{un|}paid trial", "an unpaid trial");
    phrase_case("fast-paced", "a Fast\xC2\xADPaced team");
    phrase_case("once-in-a-lifetime", "a onceinalifetime deal");
    phrase_case("once-in-a-lifetime", "a once-in alifetime deal");
    phrase_case("{evenings|nights} {and|or|&}-weekends", "nights &weekends");
    phrase_case("{evenings|nights} {and|or|&}-weekends", "nights and-weekends");
    phrase_case("[\"]hustle", "a \"hustle\"");
}

static void lit__phrase__optional_parts_give_no_literal(void **state)
{
    (void)state;
    lit_sum s = phrase_sum("[s]");
    assert_false(s.ok);
    lit_sum_free(&s);
    s = phrase_sum("go [the] extra");
    assert_true(s.ok);
    for (size_t i = 0; i < s.n; i++)
        assert_string_not_equal(s.lits[i].s, "the");
    lit_sum_free(&s);
}

static void regex_case(const char *re, const char *text)
{
    lit_sum s;
    lit_from_regex(re, &s);
    if (!s.ok)
        print_error("no literal for regex '%s'\n", re);
    assert_true(s.ok);
    literal_in_match(re, &s, text);
    lit_sum_free(&s);
}

static void lit__regex__a_literal_every_match_holds(void **state)
{
    (void)state;
    regex_case("\\b(?:four|4)\\s*(?:to|-)\\s*(?:five|5)\\s+days\\b", "4 - 5     days");
    regex_case("[$\xC2\xA3\xE2\x82\xAC]\\s?\\d[\\d,.]*\\s+starter\\s+kits?", "\xE2\x82\xAC 1,000.00 starter kit");
    regex_case("(?i)\\bwire(?:d)?\\s+(?:money|funds)", "WIRED   funds");
    regex_case("\\b(?:six|[6-9]|1[0-9])\\s*rounds?\\b", "7 rounds");
    regex_case("x{2,3}yz|abc(?=d)", "xxxyz");
    regex_case("\\Qa.b\\E+c", "a.bbbc");
    regex_case("take[- ]?home\\b[^.!?\\n]{0,60}?\\Kweek", "take-home over a week");
    regex_case("\\bno\\s+experience\\s+(?:is\\s+)?required\\b", "no experience is required");
    regex_case("(?:code|coding)\\s*\\p{Pd}?\\s*ninjas?\\b", "a codingninja");
    regex_case("(?:code|coding)\\s*\\p{Pd}?\\s*ninjas?\\b", "a code\xE2\x80\x93ninja");
    regex_case("\\b(?:(?:highly\\s+)?competitive)\\s+pay", "competitive pay");
}

/* The literal of a summary with the given text, or NULL. */
static const lit *lit_named(const lit_sum *s, const char *text)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->lits[i].s, text) == 0)
            return &s->lits[i];
    return NULL;
}

/* What stands before a literal is known through optional items: an
 * optional hyphen leaves an edge, or the word before joined to it
 * ("fastpaced"); an optional "is " leaves white space; an optional word at
 * the start, the edge or white space. A literal known to follow an edge
 * is looked for at word starts only. */
static void lit__context__known_through_optional_items(void **state)
{
    (void)state;
    lit_sum s = phrase_sum("fast-paced");
    const lit *paced = lit_named(&s, "paced"), *joined = lit_named(&s, "fastpaced");
    assert_non_null(paced);
    assert_non_null(joined);
    assert_int_equal(paced->left, LIT_EDGE);
    assert_int_equal(joined->left, LIT_EDGE);
    assert_int_equal(joined->back, 0);
    lit_sum_free(&s);

    lit_from_regex("\\bno\\s+experience\\s+(?:is\\s+)?required\\b", &s);
    const lit *req = lit_named(&s, "required");
    assert_non_null(req);
    assert_int_equal(req->left, LIT_SPACE);
    lit_sum_free(&s);

    lit_from_regex("\\b(?:(?:highly\\s+|very\\s+)?competitive)", &s);
    const lit *comp = lit_named(&s, "competitive");
    assert_non_null(comp);
    assert_int_equal(comp->left, LIT_EDGE); /* \b, or white space */
    lit_sum_free(&s);

    /* a word glued on by \s* with no bound: nothing is known */
    lit_from_regex("(?:\\w+)\\s*ninja", &s);
    assert_true(s.ok);
    assert_int_equal(lit_named(&s, "ninja")->left, LIT_ANY);
    lit_sum_free(&s);
}

/* What stands after a literal is known through optional items too: in
 * "no [more] 9-to-5" white space follows "no" whether "more" is there or
 * not, so "no" is looked for only before white space. Where an optional
 * item may glue a letter on, or a lookahead follows, nothing is known. */
static void lit__context__known_before_optional_items(void **state)
{
    (void)state;
    lit_sum s = phrase_sum("no [more] {9-to-5|9-5|nine-to-five}");
    assert_non_null(lit_named(&s, "no"));
    assert_int_equal(lit_named(&s, "no")->right, LIT_SPACE);
    lit_sum_free(&s);

    /* at the end of a phrase: white space or the phrase's edge */
    s = phrase_sum("zyzzyva [x]");
    assert_int_equal(lit_named(&s, "zyzzyva")->right, LIT_EDGE);
    lit_sum_free(&s);

    static const struct {
        const char *re;
        int right;
    } cases[] = {
        {"\\bunpaid(?:\\s+and)?\\s+trial", LIT_SPACE},
        {"\\bzyzzyva(?:\\s*-\\s*x)?(?:\\.|!)", LIT_EDGE},
        {"\\bzyzzyva(?:\\s+x|\\s*,)?\\s", LIT_EDGE},
        {"\\bzyzzyva(?:x)?\\s", LIT_ANY},
        {"\\bzyzzyva(?:\\s+x)?(?!\\s)", LIT_ANY},
        /* a regex may end anywhere: nothing known after it */
        {"\\bzyzzyva(?:\\s+x)?", LIT_ANY},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        lit_from_regex(cases[i].re, &s);
        const char *want = strstr(cases[i].re, "unpaid") ? "unpaid" : "zyzzyva";
        const lit *l = lit_named(&s, want);
        assert_non_null(l);
        if (l->right != cases[i].right)
            print_error("%s: right %d, want %d\n", cases[i].re, l->right,
                        cases[i].right);
        assert_int_equal(l->right, cases[i].right);
        lit_sum_free(&s);
    }
}

static void lit__regex__what_it_cannot_read_gives_no_literal(void **state)
{
    (void)state;
    static const char *const res[] = {
        "(a+)\\1",          /* a back reference */
        "(?x) a b c",       /* extended mode: spaces mean nothing */
        "\\Gfoo",           /* depends on where the search starts */
        "(*SKIP)foo",       /* a backtracking verb */
        "foo|\\w+",         /* a branch without a literal */
        "(?:foo)?",         /* optional */
        "a)(b",             /* not balanced */
        "[a-z]+ing",        /* no: "ing" is a literal; see below */
    };
    for (size_t i = 0; i + 1 < sizeof(res) / sizeof(res[0]); i++) {
        lit_sum s;
        lit_from_regex(res[i], &s);
        if (s.ok)
            print_error("regex '%s' should have no literal\n", res[i]);
        assert_false(s.ok);
    }
    regex_case(res[7], "fishing");
}

static size_t utf8_encode(unsigned long c, unsigned char *o)
{
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | c >> 6);
        o[1] = (unsigned char)(0x80 | (c & 63));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | c >> 12);
        o[1] = (unsigned char)(0x80 | ((c >> 6) & 63));
        o[2] = (unsigned char)(0x80 | (c & 63));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | c >> 18);
    o[1] = (unsigned char)(0x80 | ((c >> 12) & 63));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 63));
    o[3] = (unsigned char)(0x80 | (c & 63));
    return 4;
}

/* Every character the PCRE2 in use takes for \d starts with 0-9 or one of
 * the bytes the literal analysis knows. */
static void lit__digits__cover_every_digit_pcre2_knows(void **state)
{
    (void)state;
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR) "\\d", PCRE2_ZERO_TERMINATED,
                                   RULES_PCRE2_OPTIONS, &ec, &eo, NULL);
    assert_non_null(re);
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    size_t digits = 0;
    for (unsigned long c = 0; c < 0x110000; c++) {
        if (c >= 0xD800 && c < 0xE000)
            continue;
        unsigned char s[4];
        size_t n = utf8_encode(c, s);
        if (pcre2_match(re, s, n, 0, 0, md, NULL) < 0)
            continue;
        digits++;
        int known = s[0] >= '0' && s[0] <= '9';
        for (size_t i = 0; i < lit_n_digit_leads; i++)
            known |= s[0] == lit_digit_leads[i];
        if (!known)
            print_error("U+%04lX is a digit the analysis misses\n", c);
        assert_true(known);
    }
    assert_true(digits > 100);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    regex_case("\\d+\\s?k\\b", "paid 80k");
    regex_case("\\d{2}", "\xD9\xA3\xD9\xA4"); /* Arabic-Indic 34 */
}

static void lit__split__takes_a_whole_text_regex_apart(void **state)
{
    (void)state;
    lit_split sp;
    assert_int_equal(lit_split_doc("\\A(?![\\s\\S]*?\\bsalary\\b)(?=[\\s\\S]*?pay)"
                                   "[\\s\\S]*?\\K\\bcommission\\b", &sp), 1);
    assert_int_equal(sp.n, 2);
    assert_string_equal(sp.conds[0], "\\bsalary\\b");
    assert_int_equal(sp.want[0], 0);
    assert_string_equal(sp.conds[1], "pay");
    assert_int_equal(sp.want[1], 1);
    assert_string_equal(sp.x, "\\bcommission\\b");
    lit_split_free(&sp);
    /* a branch at the top, a reference, or no \K: left whole */
    assert_int_equal(lit_split_doc("\\A(?![\\s\\S]*?a)[\\s\\S]*?\\Kb|c", &sp), 0);
    assert_int_equal(lit_split_doc("\\A(?![\\s\\S]*?(a)\\1)[\\s\\S]*?\\Kb", &sp), 0);
    assert_int_equal(lit_split_doc("\\A(?![\\s\\S]*?a)[\\s\\S]*?b", &sp), 0);
    assert_int_equal(lit_split_doc("\\A(?![\\s\\S]*?a|b)[\\s\\S]*?\\Kc", &sp), 0);
}

/* A summary of regex re, which must have literals. */
static lit_sum regex_sum(const char *re)
{
    lit_sum s;
    lit_from_regex(re, &s);
    assert_true(s.ok);
    return s;
}

static void lit__alternation__holds_every_branch_or_none(void **state)
{
    (void)state;
    /* one branch alone keeps its companion ("working" near "interview") */
    lit_sum v[3] = {regex_sum("working\\s+interview")}, out;
    assert_int_equal(v[0].n_pair, 1);
    lit_alt_all(v, 1, &out);
    assert_true(out.ok);
    assert_int_equal(out.n_pair, 1);
    assert_string_equal(out.pair[0].s, "working");
    lit_sum_free(&out);
    /* several: the literals of all, in order, costs added, no companion,
     * the widest */
    v[0] = regex_sum("working\\s+interview");
    v[1] = regex_sum("zebra");
    v[2] = regex_sum("x{2,9}");
    double cost = v[0].cost + v[1].cost + v[2].cost;
    lit_alt_all(v, 3, &out);
    assert_true(out.ok);
    assert_int_equal(out.n, 3);
    assert_string_equal(out.lits[0].s, "interview");
    assert_string_equal(out.lits[1].s, "zebra");
    assert_string_equal(out.lits[2].s, "x");
    assert_true(out.cost == cost);
    assert_int_equal(out.n_pair, 0);
    assert_int_equal(out.cons, 18); /* "working interview": a k may be 3 bytes */
    assert_null(v[1].lits); /* taken */
    lit_sum_free(&out);
    /* a branch with no literal: none for the whole */
    v[0] = regex_sum("zebra");
    lit_from_regex(".{20}", &v[1]);
    assert_false(v[1].ok);
    lit_alt_all(v, 2, &out);
    assert_false(out.ok);
    assert_int_equal(out.n, 0);
    assert_int_equal(out.cons, 80);
    lit_sum_free(&out);
    /* the same rules inside a phrase: {a|b} holds a literal of each */
    lit_sum s = phrase_sum("{unpaid trial|zebra} day");
    int unpaid = 0, zebra = 0;
    for (size_t i = 0; i < s.n; i++) {
        unpaid |= strcmp(s.lits[i].s, "unpaid") == 0;
        zebra |= strcmp(s.lits[i].s, "zebra") == 0;
    }
    assert_true(unpaid && zebra);
    lit_sum_free(&s);
    s = phrase_sum("{unpaid|[x]} day");
    assert_int_equal(s.n, 1);
    assert_string_equal(s.lits[0].s, "day");
    lit_sum_free(&s);
}

static void lit__context__drops_only_impossible_occurrences(void **state)
{
    (void)state;
    const unsigned char *t = (const unsigned char *)"skills kill Skill";
    size_t len = strlen((const char *)t);
    /* "kill" inside "skills": not after a phrase edge */
    assert_false(lit_context_ok(t, len, 1, 5, LIT_EDGE, LIT_ANY));
    assert_true(lit_context_ok(t, len, 1, 5, LIT_ANY, LIT_ANY));
    /* the word on its own, after a space */
    assert_true(lit_context_ok(t, len, 7, 11, LIT_EDGE, LIT_SPACE));
    assert_true(lit_context_ok(t, len, 7, 11, LIT_SPACE, LIT_SPACE));
    /* "Skill" at the end: no space after it */
    assert_false(lit_context_ok(t, len, 12, 17, LIT_SPACE, LIT_SPACE));
    /* glued words: a lower-case letter, then an upper-case one */
    const unsigned char *g = (const unsigned char *)"starterSkyNet";
    assert_true(lit_context_ok(g, 13, 0, 7, LIT_EDGE, LIT_EDGE));
    assert_false(lit_context_ok(g, 13, 0, 7, LIT_EDGE, LIT_WORDB));
    /* a no-break space counts as white space; the end of text does not */
    const unsigned char *n = (const unsigned char *)"a\xC2\xA0kit";
    assert_true(lit_context_ok(n, 6, 3, 6, LIT_SPACE, LIT_EDGE));
    assert_false(lit_context_ok(n, 6, 3, 6, LIT_SPACE, LIT_SPACE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lit__phrase__a_literal_every_match_holds),
        cmocka_unit_test(lit__phrase__optional_parts_give_no_literal),
        cmocka_unit_test(lit__regex__a_literal_every_match_holds),
        cmocka_unit_test(lit__regex__what_it_cannot_read_gives_no_literal),
        cmocka_unit_test(lit__digits__cover_every_digit_pcre2_knows),
        cmocka_unit_test(lit__split__takes_a_whole_text_regex_apart),
        cmocka_unit_test(lit__alternation__holds_every_branch_or_none),
        cmocka_unit_test(lit__context__drops_only_impossible_occurrences),
        cmocka_unit_test(lit__context__known_through_optional_items),
        cmocka_unit_test(lit__context__known_before_optional_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
