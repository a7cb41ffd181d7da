/* Scanning: evidence and its positions, suppression, rules that overlap,
 * match limits, and text that is not clean UTF-8. */
#include "testutil.h"

#define RULE(id, sev, phrase)                                              \
    "[" id "]\ncategory = pay\nseverity = " sev "\ntitle = T " id          \
    "\nwhy = W\nadvice = A\nphrase = " phrase "\n"

#define RULES_TEXT                                                         \
    NEGATION                                                               \
    RULE("commission-only", "high", "{commission-only|100% commission}")   \
    RULE("first-commission", "medium", "your first commission")            \
    RULE("working-interview", "high", "working interview")                 \
    "unless = paid working interview\n"                                    \
    RULE("interview", "low", "interview")

static const char *rules_text = RULES_TEXT;

static rf_rules *rs;

static int setup(void **state)
{
    (void)state;
    rs = load_rules_text(rules_text);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rf_rules_free(rs);
    return 0;
}

static rf_result *scan(const char *text)
{
    rf_error err = {0, ""};
    rf_result *r = rf_scan(rs, text, strlen(text), NULL, &err);
    assert_non_null(r);
    return r;
}

static const rf_flag *flag_of(const rf_result *r, const char *id)
{
    for (size_t i = 0; i < rf_result_flag_count(r); i++)
        if (strcmp(rf_result_flag(r, i)->rule->id, id) == 0)
            return rf_result_flag(r, i);
    return NULL;
}

static const rf_flag *suppressed_of(const rf_result *r, const char *id)
{
    for (size_t i = 0; i < rf_result_suppressed_count(r); i++)
        if (strcmp(rf_result_suppressed(r, i)->rule->id, id) == 0)
            return rf_result_suppressed(r, i);
    return NULL;
}

static void scan__evidence__points_at_the_words(void **state)
{
    (void)state;
    const char *text = "Hello.\nWe do a working interview first.";
    rf_result *r = scan(text);
    const rf_flag *f = flag_of(r, "working-interview");
    assert_non_null(f);
    assert_int_equal(f->count, 1);
    const rf_evidence *e = &f->evidence[0];
    assert_string_equal(e->match, "working interview");
    assert_int_equal(e->line, 2);
    assert_int_equal(e->column, 9);
    assert_int_equal(e->offset, 15);
    assert_memory_equal(text + e->offset, "working interview", 17);
    assert_string_equal(e->context, "We do a working interview first.");
    assert_memory_equal(e->context + e->context_match, "working interview",
                        e->context_len);
    rf_result_free(r);
}

static void scan__column__counts_code_points(void **state)
{
    (void)state;
    /* "Café – " is 7 code points but 10 bytes */
    const char *text = "Caf\xC3\xA9 \xE2\x80\x93 100% commission";
    rf_result *r = scan(text);
    const rf_flag *f = flag_of(r, "commission-only");
    assert_non_null(f);
    assert_int_equal(f->evidence[0].column, 8);
    assert_int_equal(f->evidence[0].offset, 10);
    rf_result_free(r);
}

static void scan__overlapping_rules__are_each_reported(void **state)
{
    (void)state;
    rf_result *r = scan("A working interview.");
    assert_non_null(flag_of(r, "working-interview"));
    assert_non_null(flag_of(r, "interview"));
    rf_result_free(r);
}

static void scan__negation__suppresses_with_reason(void **state)
{
    (void)state;
    rf_result *r = scan("We never ask for a working interview.");
    assert_null(flag_of(r, "working-interview"));
    const rf_flag *s = suppressed_of(r, "working-interview");
    assert_non_null(s);
    assert_string_equal(s->reason, "negated by 'never'");
    assert_int_equal(s->points, 0);
    assert_int_equal(s->evidence[0].column, 20);
    rf_result_free(r);

    r = scan("This is not a commission-only role.");
    assert_null(flag_of(r, "commission-only"));
    assert_non_null(suppressed_of(r, "commission-only"));
    rf_result_free(r);
}

/* text raises rule (flagged) or has it suppressed by a negation
 * (negated); the text is printed when it does not. */
static void flagged(const char *text, const char *rule)
{
    rf_result *r = scan(text);
    if (!flag_of(r, rule))
        print_error("%s not flagged: %s\n", rule, text);
    assert_non_null(flag_of(r, rule));
    rf_result_free(r);
}

static void negated(const char *text, const char *rule)
{
    rf_result *r = scan(text);
    if (flag_of(r, rule) || !suppressed_of(r, rule))
        print_error("%s not negated: %s\n", rule, text);
    assert_null(flag_of(r, rule));
    assert_non_null(suppressed_of(r, rule));
    rf_result_free(r);
}

static void scan__negation__stops_at_clause_punctuation(void **state)
{
    (void)state;
    flagged("There is no base salary, only 100% commission.", "commission-only");
    flagged("No laptop\n100% commission", "commission-only");
}

static void scan__negation__stops_at_a_dash_not_a_hyphen(void **state)
{
    (void)state;
    static const char *const dashed[] = {
        "Base salary? No - this is a 100% commission role.",
        "Base salary? No -- 100% commission.",
        "Base salary? No\t-\t100% commission.",
        "Base salary? No \xE2\x80\x93 this is a 100% commission role.",
        "Base salary? No\xE2\x80\x94this is a 100% commission role.",
    };
    for (size_t i = 0; i < sizeof(dashed) / sizeof(*dashed); i++)
        flagged(dashed[i], "commission-only");
    /* a hyphen inside words is no dash: the negation reaches past it */
    negated("This is not a fast-paced 100% commission role.", "commission-only");
    flagged("Not a high-pressure, 100% commission role.", "commission-only");
    negated("There is no well-paid or 100% commission work here.",
            "commission-only");
}

static void scan__negation__crosses_a_hard_wrap_not_a_new_line(void **state)
{
    (void)state;
    negated("We never ask for a\nworking interview.", "working-interview");
    negated("We never ask for a\r\n    working interview.", "working-interview");
    /* a capital, a digit or a blank line starts something new */
    flagged("No laptop\nWorking interview on day one.", "working-interview");
    flagged("No laptop\n100% commission", "commission-only");
    flagged("We never ask\n\nworking interview", "working-interview");
}

static void scan__negation__reaches_only_a_few_words(void **state)
{
    (void)state;
    flagged("No one here minds a bit that you do 100% commission",
            "commission-only");
}

static void scan__negation__except_and_stop_words_do_not_negate(void **state)
{
    (void)state;
    flagged("Not only 100% commission but more.", "commission-only");
    flagged("No experience needed and 100% commission.", "commission-only");
    flagged("No car but 100% commission.", "commission-only");
}

static void scan__negation__carries_across_a_list(void **state)
{
    (void)state;
    rf_result *r = scan("We never ask for a working interview or 100% commission.");
    assert_null(flag_of(r, "working-interview"));
    assert_null(flag_of(r, "commission-only"));
    assert_string_equal(suppressed_of(r, "commission-only")->reason,
                        "negated by 'never'");
    rf_result_free(r);
    /* a clause break or a stop word ends it */
    flagged("We never ask for a working interview; 100% commission.",
            "commission-only");
    flagged("We never ask for a working interview but 100% commission.",
            "commission-only");
}

static void scan__unless__suppresses_overlapping_hit(void **state)
{
    (void)state;
    rf_result *r = scan("We hold a paid working interview.");
    assert_null(flag_of(r, "working-interview"));
    const rf_flag *s = suppressed_of(r, "working-interview");
    assert_non_null(s);
    assert_string_equal(s->reason, "unless 'paid working interview'");
    rf_result_free(r);
    r = scan("We hold an unpaid working interview.");
    assert_non_null(flag_of(r, "working-interview"));
    rf_result_free(r);
}

static void scan__repeats__count_and_score_less(void **state)
{
    (void)state;
    rf_result *r = scan("100% commission. Commission only! 100% commission.");
    const rf_flag *f = flag_of(r, "commission-only");
    assert_non_null(f);
    assert_int_equal(f->count, 3);
    assert_int_equal(f->n_evidence, 3);
    assert_int_equal(f->points, 30 + 15 + 7);
    assert_int_equal(rf_result_score(r), 52);
    assert_int_equal(rf_result_verdict(r), RF_VERDICT_HIGH);
    rf_result_free(r);
}

static void scan__max_evidence__keeps_count_of_the_rest(void **state)
{
    (void)state;
    rf_scan_opts o = {2, 0, 0, 0, 0};
    const char *text = "interview interview interview interview";
    rf_error err;
    rf_result *r = rf_scan(rs, text, strlen(text), &o, &err);
    const rf_flag *f = flag_of(r, "interview");
    assert_int_equal(f->count, 4);
    assert_int_equal(f->n_evidence, 2);
    rf_result_free(r);
}

static void scan__max_evidence__costs_what_is_kept_not_the_limit(void **state)
{
    (void)state;
    /* a limit far beyond memory: only the 9 pieces kept are allocated */
    rf_scan_opts o = {(size_t)1 << 40, 0, 0, 0, 0};
    const char *text = "interview interview interview interview interview "
                       "interview interview interview interview";
    rf_error err;
    rf_result *r = rf_scan(rs, text, strlen(text), &o, &err);
    assert_non_null(r);
    const rf_flag *f = flag_of(r, "interview");
    assert_non_null(f);
    assert_int_equal(f->count, 9);
    assert_int_equal(f->n_evidence, 9);
    for (size_t i = 0; i < f->n_evidence; i++) {
        assert_int_equal(f->evidence[i].offset, i * 10);
        assert_string_equal(f->evidence[i].match, "interview");
    }
    rf_result_free(r);
}

static void scan__suppressed__one_entry_per_reason_in_text_order(void **state)
{
    (void)state;
    const char *text = "never interview. no interview. never interview. "
                       "no interview. never interview.";
    rf_result *r = scan(text);
    assert_int_equal(rf_result_flag_count(r), 0);
    assert_int_equal(rf_result_suppressed_count(r), 2);
    const rf_flag *never = rf_result_suppressed(r, 0);
    const rf_flag *no = rf_result_suppressed(r, 1);
    assert_string_equal(never->reason, "negated by 'never'");
    assert_string_equal(no->reason, "negated by 'no'");
    assert_int_equal(never->count, 3);
    assert_int_equal(no->count, 2);
    assert_int_equal(never->evidence[0].offset, 6);
    assert_int_equal(never->evidence[1].offset, 37);
    assert_int_equal(never->evidence[2].offset, 68);
    assert_int_equal(no->evidence[0].offset, 20);
    assert_int_equal(no->evidence[1].offset, 51);
    rf_result_free(r);
}

static void scan__flags__ordered_by_severity(void **state)
{
    (void)state;
    rf_result *r = scan("An interview; your first commission; 100% commission.");
    assert_int_equal(rf_result_flag_count(r), 3);
    assert_string_equal(rf_result_flag(r, 0)->rule->id, "commission-only");
    assert_string_equal(rf_result_flag(r, 1)->rule->id, "first-commission");
    assert_string_equal(rf_result_flag(r, 2)->rule->id, "interview");
    rf_result_free(r);
}

static void scan__clean_text__scores_zero(void **state)
{
    (void)state;
    rf_result *r = scan("A salaried role with a pension.");
    assert_int_equal(rf_result_flag_count(r), 0);
    assert_int_equal(rf_result_score(r), 0);
    assert_int_equal(rf_result_verdict(r), RF_CLEAN);
    assert_null(rf_result_error(r));
    rf_result_free(r);
    r = scan("");
    assert_int_equal(rf_result_score(r), 0);
    rf_result_free(r);
}

static void scan__invalid_utf8_and_nul__are_scanned_around(void **state)
{
    (void)state;
    const char text[] = "\xFF\xFE bad \x00 bytes \xC3 then working interview \x80";
    rf_error err;
    rf_result *r = rf_scan(rs, text, sizeof(text) - 1, NULL, &err);
    assert_non_null(r);
    const rf_flag *f = flag_of(r, "working-interview");
    assert_non_null(f);
    assert_int_equal(f->evidence[0].offset, 22);
    rf_result_free(r);
}

static void scan__match_limit__is_an_error_not_a_hang(void **state)
{
    (void)state;
    rf_rules *bad = load_rules_text(
        "[slow]\ncategory = scam\nseverity = low\ntitle = t\nwhy = w\n"
        "advice = a\nregex = (a|aa)+$\n" RULE("fine", "low", "b"));
    size_t n = 50000;
    char *text = malloc(n + 3);
    memset(text, 'a', n);
    memcpy(text + n, "!b", 3);
    rf_error err;
    rf_result *r = rf_scan(bad, text, n + 2, NULL, &err);
    assert_non_null(r);
    assert_non_null(rf_result_error(r));
    assert_non_null(strstr(rf_result_error(r), "rule slow: match limit exceeded"));
    /* the other rules still ran */
    assert_non_null(flag_of(r, "fine"));
    rf_result_free(r);
    free(text);
    rf_rules_free(bad);
}

/* A text that is its source with bytes left out, mapped by runs: the
 * evidence points into the source, after what was left out. */
static void scan__source_spans__positions_point_into_the_original(void **state)
{
    (void)state;
    const char *src = "a\xC2\xAD\nwo\xC2\xADrking \xE2\x80\x8Binterview";
    const char *text = "a\nworking interview";
    /* "a", then "\nwo" from 3, "rking " from 8, "interview" from 17 */
    static const rf_span spans[] = {{0, 0}, {1, 3}, {4, 8}, {10, 17}};
    rf_source doc = {text, strlen(text), NULL, src, strlen(src), 100,
                     spans, 4};
    rf_error err;
    rf_result *r = rf_scan_source(rs, &doc, NULL, &err);
    assert_non_null(r);
    const rf_flag *f = flag_of(r, "working-interview");
    assert_non_null(f);
    assert_int_equal(f->evidence[0].offset, 100 + 4);
    assert_int_equal(f->evidence[0].line, 2);
    assert_int_equal(f->evidence[0].column, 1);
    assert_string_equal(f->evidence[0].match, "working interview");
    rf_result_free(r);
}

/* Line and column of byte off of s, the plain way. */
static void line_col(const char *s, size_t off, size_t *line, size_t *col)
{
    size_t l = 1, start = 0;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n') {
            l++;
            start = i + 1;
        }
    size_t c = 1;
    for (size_t i = start; i < off; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    *line = l;
    *col = c;
}

/* A text over 256 KiB has its line breaks counted in the literal pass, 4 KiB
 * at a time: every piece of evidence still has the line and column of the
 * plain count, in the file itself and in a file with invisible characters
 * left out of its text. Hits stand at the blocks' edges, after long lines
 * and after characters of several bytes. */
static void scan__big_text__lines_counted_in_blocks_as_plainly(void **state)
{
    (void)state;
    const char *phrase = "working interview";
    size_t cap = 700000, n = 0;
    char *src = malloc(cap);
    assert_non_null(src);
    for (size_t k = 0; n + 6000 < cap; k++) {
        /* the phrase, or a line of its own, near the next block edge */
        size_t edge = (n / 4096 + 1) * 4096;
        while (n < edge - k % 23)
            n += (size_t)snprintf(src + n, cap - n, "%s",
                                  k % 5 == 0   ? "caf\xC3\xA9 "
                                  : k % 7 == 0 ? "\n"
                                  : k % 3 == 0 ? "\xE2\x80\x8B"
                                               : "team ");
        n += (size_t)snprintf(src + n, cap - n, "%s%s", phrase,
                              k % 4 ? " " : "\n");
    }
    /* the text: the file without its zero-width spaces, and its runs */
    char *text = malloc(n + 1);
    rf_span *spans = malloc((n + 1) * sizeof(*spans));
    assert_non_null(text);
    assert_non_null(spans);
    size_t tl = 0, ns = 0;
    for (size_t i = 0; i < n;) {
        if (memcmp(src + i, "\xE2\x80\x8B", 3) == 0) {
            i += 3;
            continue;
        }
        if (ns == 0 || spans[ns - 1].src + (tl - spans[ns - 1].text) != i)
            spans[ns++] = (rf_span){tl, i};
        text[tl++] = src[i++];
    }
    rf_scan_opts o = {100000, 0, 0, 0, 2};
    for (int with_spans = 0; with_spans < 2; with_spans++) {
        rf_source doc = {src, n, NULL, NULL, 0, 0, NULL, 0};
        /* without spans the zero-width spaces stay in the text, between
         * words */
        if (with_spans)
            doc = (rf_source){text, tl, NULL, src, n, 0, spans, ns};
        rf_error err;
        rf_result *r = rf_scan_source(rs, &doc, &o, &err);
        assert_non_null(r);
        const rf_flag *f = flag_of(r, "working-interview");
        assert_non_null(f);
        assert_true(f->n_evidence > 100);
        for (size_t i = 0; i < f->n_evidence; i++) {
            size_t line, col;
            line_col(src, f->evidence[i].offset, &line, &col);
            if (f->evidence[i].line != line || f->evidence[i].column != col)
                fail_msg("%s: evidence at %zu: %zu:%zu, want %zu:%zu",
                         with_spans ? "spans" : "plain", f->evidence[i].offset,
                         f->evidence[i].line, f->evidence[i].column, line,
                         col);
        }
        rf_result_free(r);
    }
    free(spans);
    free(text);
    free(src);
}

/* 25 groups of one or two a's then x: on a run of a's not followed by x,
 * PCRE2 tries every way of splitting the run and hits the limit. */
#define SLOW_PHRASE                                                        \
    "{a|aa}{a|aa}{a|aa}{a|aa}{a|aa}{a|aa}{a|aa}{a|aa}{a|aa}{a|aa}{a|aa}"   \
    "{a|aa}{a|aa}{a|aa}{a|aa}{a|aa}{a|aa}{a|aa}{a|aa}{a|aa}{a|aa}{a|aa}"   \
    "{a|aa}{a|aa}{a|aa}x"
#define JOB_RULE                                                           \
    "[job]\ncategory = scam\nseverity = high\ntitle = t\nwhy = w\n"      \
    "advice = a\nregex = \\bjob\\b\n"
#define A45 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

/* The error of scanning text with rules, which must still flag `job`
 * twice (a lookup that fails suppresses nothing) */
static char *lookup_error(const char *rules)
{
    rf_rules *set = load_rules_text(rules);
    const char *text = A45 " x job and another job.";
    rf_error err;
    rf_result *r = rf_scan(set, text, strlen(text), NULL, &err);
    assert_non_null(r);
    assert_non_null(flag_of(r, "job"));
    assert_int_equal(flag_of(r, "job")->count, 2);
    char *e = rf_result_error(r) ? strdup(rf_result_error(r)) : NULL;
    rf_result_free(r);
    rf_rules_free(set);
    return e;
}

static void scan__unless_match_limit__is_an_error_said_once(void **state)
{
    (void)state;
    char *e = lookup_error(JOB_RULE "unless = " SLOW_PHRASE "\n");
    assert_non_null(e);
    assert_string_equal(e, "rule job: match limit exceeded");
    free(e);
}

static void scan__negation_match_limit__is_an_error_said_once(void **state)
{
    (void)state;
    char *e = lookup_error("[@negation]\nphrase = " SLOW_PHRASE "\n" JOB_RULE);
    assert_non_null(e);
    assert_string_equal(e, "rule @negation: match limit exceeded");
    free(e);
}

static void scan__source_map__positions_point_into_the_original(void **state)
{
    (void)state;
    /* original: "<p>a</p>\n<p>working&nbsp;interview</p>"; text is what a
     * converter made of it. */
    const char *src = "<p>a</p>\n<p>working&nbsp;interview</p>";
    const char *text = "a\nworking interview";
    size_t map[20];
    map[0] = 3;  /* a */
    map[1] = 8;  /* newline stands for </p>\n<p> */
    for (size_t i = 0; i < 7; i++)
        map[2 + i] = 12 + i;  /* working */
    map[9] = 19;              /* &nbsp; */
    for (size_t i = 0; i < 9; i++)
        map[10 + i] = 25 + i; /* interview */
    map[19] = 34;
    rf_source doc = {text, strlen(text), map, src, strlen(src), 0, NULL, 0};
    rf_error err;
    rf_result *r = rf_scan_source(rs, &doc, NULL, &err);
    const rf_flag *f = flag_of(r, "working-interview");
    assert_non_null(f);
    assert_int_equal(f->evidence[0].offset, 12);
    assert_int_equal(f->evidence[0].line, 2);
    assert_int_equal(f->evidence[0].column, 4);
    assert_string_equal(f->evidence[0].match, "working interview");
    rf_result_free(r);

    /* a record: line and column in the field, offset in the file */
    rf_source rec = {text, strlen(text), NULL, NULL, 0, 1000, NULL, 0};
    r = rf_scan_source(rs, &rec, NULL, &err);
    f = flag_of(r, "working-interview");
    assert_int_equal(f->evidence[0].offset, 1002);
    assert_int_equal(f->evidence[0].line, 2);
    assert_int_equal(f->evidence[0].column, 1);
    rf_result_free(r);
}

static void scan__inline_disable__suppresses_the_rule_on_its_line(void **state)
{
    (void)state;
    rf_result *r = scan("We do a working interview. redflag-disable working-interview\n"
                        "Then another working interview.");
    const rf_flag *s = suppressed_of(r, "working-interview");
    assert_non_null(s);
    assert_string_equal(s->reason, "disabled inline at line 1");
    assert_int_equal(s->evidence[0].line, 1);
    assert_int_equal(s->points, 0);
    const rf_flag *f = flag_of(r, "working-interview");
    assert_non_null(f);
    assert_int_equal(f->count, 1);
    assert_int_equal(f->evidence[0].line, 2);
    /* the other rule on the same line still counts */
    assert_non_null(flag_of(r, "interview"));
    rf_result_free(r);

    /* converted text: the line is the original file's */
    const char *src = "<p>\n\na working interview redflag-disable working-interview</p>";
    const char *text = src + 5;
    size_t len = strlen(text) - 4, map[128];
    for (size_t i = 0; i <= len; i++)
        map[i] = i + 5;
    rf_source doc = {text, len, map, src, strlen(src), 0, NULL, 0};
    rf_error err;
    r = rf_scan_source(rs, &doc, NULL, &err);
    s = suppressed_of(r, "working-interview");
    assert_non_null(s);
    assert_string_equal(s->reason, "disabled inline at line 3");
    rf_result_free(r);
}

static void scan__inline_disable_next_line__covers_only_the_next_line(void **state)
{
    (void)state;
    rf_result *r = scan("Intro.\nredflag-disable-next-line working-interview\n"
                        "We do a working interview.\nA working interview again.");
    const rf_flag *s = suppressed_of(r, "working-interview");
    assert_non_null(s);
    assert_string_equal(s->reason, "disabled inline at line 2");
    assert_int_equal(s->evidence[0].line, 3);
    const rf_flag *f = flag_of(r, "working-interview");
    assert_non_null(f);
    assert_int_equal(f->count, 1);
    assert_int_equal(f->evidence[0].line, 4);
    /* the directive's own words raise nothing: "interview" in its id */
    f = flag_of(r, "interview");
    assert_int_equal(f->count, 2);
    assert_int_equal(f->evidence[0].line, 3);
    rf_result_free(r);
}

static void scan__inline_disable__takes_several_ids_or_none_for_all(void **state)
{
    (void)state;
    rf_result *r = scan("100% commission, working interview "
                        "# redflag-disable commission-only,working-interview interview");
    assert_int_equal(rf_result_flag_count(r), 0);
    assert_non_null(suppressed_of(r, "commission-only"));
    rf_result_free(r);

    r = scan("100% commission after a working interview redflag-disable\n"
             "100% commission");
    assert_int_equal(rf_result_flag_count(r), 1);
    assert_int_equal(flag_of(r, "commission-only")->evidence[0].line, 2);
    assert_non_null(suppressed_of(r, "interview"));
    rf_result_free(r);

    /* ids end at the first word that is not one */
    r = scan("a working interview -- redflag-disable commission-only -- working interview");
    assert_int_equal(flag_of(r, "working-interview")->count, 2);
    rf_result_free(r);
}

/* The literal pass reads a text 256 KB at a time (FIND_CHUNK in scan.c),
 * and notes where a directive's keyword starts as it goes: one that
 * starts in one part and ends in the next counts, found once. */
static void scan__inline_disable__keyword_across_a_part_of_the_text(void **state)
{
    (void)state;
    size_t part = 256 * 1024;
    const char *line = "redflag-disable interview: an interview\n";
    for (size_t back = 0; back <= 16; back++) {
        size_t at = part - back, n = strlen(line);
        char *t = malloc(at + n + 32);
        assert_non_null(t);
        memset(t, 'x', at);
        t[at - 1] = '\n';
        memcpy(t + at, line, n);
        strcpy(t + at + n, "an interview");
        for (int ref = 0; ref < 2; ref++) {
            rf_scan_opts o = {0, 0, 0, ref ? RF_SCAN_REFERENCE : 0, 0};
            rf_error err;
            rf_result *r = rf_scan(rs, t, strlen(t), &o, &err);
            assert_non_null(r);
            const rf_flag *s = suppressed_of(r, "interview");
            assert_non_null(s);
            assert_int_equal(s->count, 2); /* its id too */
            assert_string_equal(s->reason, "disabled inline at line 2");
            assert_int_equal(flag_of(r, "interview")->count, 1);
            rf_result_free(r);
        }
        free(t);
    }
}

/* A buffer of n copies of piece, then tail; the caller frees it. */
static char *repeat(const char *piece, size_t n, const char *tail)
{
    size_t pl = strlen(piece), tl = strlen(tail);
    char *s = malloc(pl * n + tl + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * pl, piece, pl);
    memcpy(s + pl * n, tail, tl + 1);
    return s;
}

static void scan__inline_disable__many_on_one_line_finds_the_one_that_names_it(void **state)
{
    (void)state;
    /* 2000 directives for another rule, one for this rule, on one line */
    char *text = repeat("interview redflag-disable commission-only. ", 2000,
                        "working interview redflag-disable working-interview."
                        "\nworking interview");
    rf_result *r = scan(text);
    const rf_flag *off = suppressed_of(r, "working-interview");
    assert_non_null(off);
    assert_int_equal(off->count, 1);
    assert_string_equal(off->reason, "disabled inline at line 1");
    const rf_flag *on = flag_of(r, "working-interview");
    assert_non_null(on);
    assert_int_equal(on->evidence[0].line, 2);
    /* "interview" is named by no directive: its 2000 hits, and the two
     * inside "working interview", still count */
    assert_int_equal(flag_of(r, "interview")->count, 2002);
    rf_result_free(r);
    free(text);
}

static void scan__inline_disable__reason_names_the_directive_line_among_many(void **state)
{
    (void)state;
    /* 3000 lines each turning another rule off on the next line; line 3001
     * turns this rule off on line 3002 */
    char *text = repeat("redflag-disable-next-line commission-only\n", 3000,
                        "redflag-disable-next-line working-interview\n"
                        "a working interview\na working interview\n");
    rf_result *r = scan(text);
    const rf_flag *off = suppressed_of(r, "working-interview");
    assert_non_null(off);
    assert_string_equal(off->reason, "disabled inline at line 3001");
    assert_int_equal(off->evidence[0].line, 3002);
    assert_int_equal(flag_of(r, "working-interview")->evidence[0].line, 3003);
    rf_result_free(r);
    free(text);
}

static void scan__inline_disable__look_alikes_change_nothing(void **state)
{
    (void)state;
    const char *texts[] = {
        "a working interview, redflag-disabled working-interview",
        "a working interview, xredflag-disable working-interview",
        "a working interview, redflag-disable-all working-interview",
        "a working interview, redflag-disable nope",
        "redflag-disable working-interview\na working interview",
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        rf_result *r = scan(texts[i]);
        const rf_flag *f = flag_of(r, "working-interview");
        assert_non_null(f);
        assert_string_equal(f->evidence[0].match, "working interview");
        rf_result_free(r);
    }
}

static void scan__scanner_reused__same_as_a_new_one_for_each_document(
    void **state)
{
    (void)state;
    rf_rules *def = rf_rules_new();
    rf_error err = {0, ""};
    assert_int_equal(rf_rules_add_default(def, &err), 0);
    assert_int_equal(rf_rules_compile(def, &err), 0);
    /* documents that touch different rules and parts, one after another,
     * big ones split among threads among them */
    const char *a = "This is a 100% commission role: we pay only on closed "
                    "deals. First a working interview, an unpaid trial "
                    "day. We want heart and hustle; go the extra mile.";
    const char *b = "Our interview process: two calls. Salary 90,000.";
    const char *c = "Rockstar ninja wanted for a fast-paced startup. We "
                    "are family. No 9 to 5 mentality; work hard, play hard.";
    /* big ones split between two threads: the flags in the first
     * thread's half, then only in the second's, and so on */
    char *big_a = padded(a, "", 4200000), *big_a2 = padded("", a, 4200000);
    char *big_c = padded(c, a, 4200000);
    const char *docs[] = {a, b, "", big_a, big_a2, c, "Nothing to see.",
                          big_c, a, big_a, b};
    rf_scanner *k = rf_scanner_new(def);
    assert_non_null(k);
    rf_scan_opts o = {0, 0, 0, 0, 2};
    char *got = malloc(1 << 16), *want = malloc(1 << 16);
    assert_non_null(got);
    assert_non_null(want);
    size_t flagged = 0;
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        rf_source src = {docs[i], strlen(docs[i]), NULL, NULL, 0, 0, NULL, 0};
        rf_result *r = rf_scanner_scan(k, &src, &o, &err);
        rf_result *fresh = rf_scan_source(def, &src, &o, &err);
        assert_non_null(r);
        assert_non_null(fresh);
        result_summary(r, got, 1 << 16);
        result_summary(fresh, want, 1 << 16);
        assert_string_equal(got, want);
        flagged += rf_result_flag_count(r) > 0;
        rf_result_free(r);
        rf_result_free(fresh);
    }
    assert_int_equal(flagged, 7); /* a, c and the big ones */
    free(got);
    free(want);
    free(big_a);
    free(big_a2);
    free(big_c);
    rf_scanner_free(k);
    rf_rules_free(def);
}

/* How many hits r suppressed for a reason that starts with `how`. */
static size_t suppressed_by(const rf_result *r, const char *how)
{
    size_t n = 0;
    for (size_t i = 0; i < rf_result_suppressed_count(r); i++) {
        const rf_flag *f = rf_result_suppressed(r, i);
        if (strncmp(f->reason, how, strlen(how)) == 0)
            n += f->count;
    }
    return n;
}

#define N_SLOW 6

static void scan__big_text_in_two_threads__suppresses_and_errs_as_in_one(
    void **state)
{
    (void)state;
    /* rules slow-a .. slow-f whose `unless` lookups run out of steps, each
     * at one place: slow-f's first in the text, slow-a's last */
    char rules[8192];
    size_t rl = (size_t)snprintf(rules, sizeof(rules), "%s", RULES_TEXT);
    for (int i = 0; i < N_SLOW; i++)
        rl += (size_t)snprintf(
            rules + rl, sizeof(rules) - rl,
            "[slow-%c]\ncategory = scam\nseverity = high\ntitle = t\n"
            "why = w\nadvice = a\nregex = \\bslow %c\\b\nunless = %s\n",
            'a' + i, 'a' + i, SLOW_PHRASE);
    assert_true(rl < sizeof(rules));
    rf_rules *set = load_rules_text(rules);
    /* A text big enough for two threads, each classifying thousands of
     * hits: negated ones and those that follow them, exceptions, lines
     * turned off, and hits that count. */
    static const char *const pieces[] = {
        "We never ask for a working interview or 100% commission. ",
        "We hold a paid working interview first. ",
        "An interview, then 100% commission. redflag-disable interview\n",
        "redflag-disable-next-line commission-only\nIt is 100% commission. ",
        "Not a 100% commission role, but your first commission comes. ",
        "No car but 100% commission, and a working interview.\n",
    };
    const char *filler = "We build tools for teams and ship them weekly. ";
    size_t size = 4500000, n = 0, k = 0, cap = size + 4096;
    char *text = malloc(cap);
    assert_non_null(text);
    char want[1024] = "", slow[128];
    int next_slow = N_SLOW - 1;
    while (n < size) {
        const char *piece = pieces[k++ % 6];
        if (next_slow >= 0 && n > (N_SLOW - (size_t)next_slow) * size / (N_SLOW + 1)) {
            snprintf(slow, sizeof(slow), A45 " x slow %c. ", 'a' + next_slow);
            snprintf(want + strlen(want), sizeof(want) - strlen(want),
                     "%srule slow-%c: match limit exceeded", *want ? "; " : "",
                     'a' + next_slow);
            piece = slow;
            next_slow--;
        }
        n += (size_t)snprintf(text + n, cap - n, "%s%s%s", piece, filler,
                              filler);
    }
    assert_int_equal(next_slow, -1);
    rf_scan_opts one = {1000, 0, 1000000, 0, 1}, two = one;
    two.threads = 2;
    rf_source doc = {text, n, NULL, NULL, 0, 0, NULL, 0};
    rf_error err;
    rf_result *r1 = rf_scan_source(set, &doc, &one, &err);
    assert_non_null(r1);
    /* what there is to lose: every kind of suppression, many times */
    assert_true(suppressed_by(r1, "negated by") >= 2000);
    assert_true(suppressed_by(r1, "unless") >= 1000);
    assert_true(suppressed_by(r1, "disabled inline") >= 1000);
    assert_true(flag_of(r1, "commission-only")->count >= 1000);
    /* in text order, not in the order of the rules */
    assert_string_equal(rf_result_error(r1), want);
    size_t sz = 1 << 21;
    char *s1 = malloc(sz), *s2 = malloc(sz);
    assert_non_null(s1);
    assert_non_null(s2);
    result_summary(r1, s1, sz);
    /* Which thread takes which hits varies from run to run, and an order
     * of the errors by thread would show in most: in a few, in all but
     * about one in a thousand. */
    for (int run = 0; run < 3; run++) {
        rf_result *r2 = rf_scan_source(set, &doc, &two, &err);
        assert_non_null(r2);
        result_summary(r2, s2, sz);
        assert_string_equal(s2, s1);
        rf_result_free(r2);
    }
    free(s1);
    free(s2);
    rf_result_free(r1);
    free(text);
    rf_rules_free(set);
}

static void scan__uncompiled_rules__are_refused(void **state)
{
    (void)state;
    rf_rules *raw = rf_rules_new();
    rf_error err = {0, ""};
    assert_null(rf_scan(raw, "x", 1, NULL, &err));
    assert_int_equal(err.code, RF_ERR_USAGE);
    rf_rules_free(raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scan__evidence__points_at_the_words),
        cmocka_unit_test(scan__column__counts_code_points),
        cmocka_unit_test(scan__big_text__lines_counted_in_blocks_as_plainly),
        cmocka_unit_test(scan__overlapping_rules__are_each_reported),
        cmocka_unit_test(scan__negation__suppresses_with_reason),
        cmocka_unit_test(scan__negation__stops_at_clause_punctuation),
        cmocka_unit_test(scan__negation__stops_at_a_dash_not_a_hyphen),
        cmocka_unit_test(scan__negation__crosses_a_hard_wrap_not_a_new_line),
        cmocka_unit_test(scan__negation__reaches_only_a_few_words),
        cmocka_unit_test(scan__negation__except_and_stop_words_do_not_negate),
        cmocka_unit_test(scan__negation__carries_across_a_list),
        cmocka_unit_test(scan__unless__suppresses_overlapping_hit),
        cmocka_unit_test(scan__repeats__count_and_score_less),
        cmocka_unit_test(scan__max_evidence__keeps_count_of_the_rest),
        cmocka_unit_test(scan__max_evidence__costs_what_is_kept_not_the_limit),
        cmocka_unit_test(scan__suppressed__one_entry_per_reason_in_text_order),
        cmocka_unit_test(scan__flags__ordered_by_severity),
        cmocka_unit_test(scan__clean_text__scores_zero),
        cmocka_unit_test(scan__invalid_utf8_and_nul__are_scanned_around),
        cmocka_unit_test(scan__match_limit__is_an_error_not_a_hang),
        cmocka_unit_test(scan__unless_match_limit__is_an_error_said_once),
        cmocka_unit_test(scan__negation_match_limit__is_an_error_said_once),
        cmocka_unit_test(scan__source_map__positions_point_into_the_original),
        cmocka_unit_test(scan__source_spans__positions_point_into_the_original),
        cmocka_unit_test(scan__inline_disable__suppresses_the_rule_on_its_line),
        cmocka_unit_test(scan__inline_disable_next_line__covers_only_the_next_line),
        cmocka_unit_test(scan__inline_disable__takes_several_ids_or_none_for_all),
        cmocka_unit_test(scan__inline_disable__look_alikes_change_nothing),
        cmocka_unit_test(scan__inline_disable__keyword_across_a_part_of_the_text),
        cmocka_unit_test(scan__inline_disable__many_on_one_line_finds_the_one_that_names_it),
        cmocka_unit_test(scan__inline_disable__reason_names_the_directive_line_among_many),
        cmocka_unit_test(scan__scanner_reused__same_as_a_new_one_for_each_document),
        cmocka_unit_test(scan__big_text_in_two_threads__suppresses_and_errs_as_in_one),
        cmocka_unit_test(scan__uncompiled_rules__are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
