/* The fast matcher against the reference (RF_SCAN_REFERENCE): the same
 * results on every posting of the shared corpus and on generated text
 * made to trip it (runs of white space, dashes, no-break spaces, glued
 * words, case, the Kelvin sign and the long s, invalid bytes), with the
 * built-in rules and, when it is there, the draft catalogue. */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>

#include "buf.h"
#include "rules.h"

#define CORPUS "../shared/corpus/postings"
#define DRAFT "../rules-draft"

/* ---- comparing results ---- */

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int same_flag(const rf_flag *a, const rf_flag *b)
{
    if (a->rule != b->rule || a->points != b->points || a->count != b->count ||
        a->n_evidence != b->n_evidence || !same_str(a->reason, b->reason))
        return 0;
    for (size_t i = 0; i < a->n_evidence; i++) {
        const rf_evidence *x = &a->evidence[i], *y = &b->evidence[i];
        if (!same_str(x->match, y->match) || x->line != y->line ||
            x->column != y->column || x->offset != y->offset ||
            x->length != y->length || !same_str(x->context, y->context))
            return 0;
    }
    return 1;
}

/* Where two results differ, in words; NULL when they are the same. */
static const char *difference(const rf_result *a, const rf_result *b)
{
    if (rf_result_score(a) != rf_result_score(b))
        return "score";
    if (!same_str(rf_result_error(a), rf_result_error(b)))
        return "error";
    if (rf_result_flag_count(a) != rf_result_flag_count(b))
        return "number of flags";
    if (rf_result_suppressed_count(a) != rf_result_suppressed_count(b))
        return "number of suppressed";
    for (size_t i = 0; i < rf_result_flag_count(a); i++)
        if (!same_flag(rf_result_flag(a, i), rf_result_flag(b, i)))
            return "a flag";
    for (size_t i = 0; i < rf_result_suppressed_count(a); i++)
        if (!same_flag(rf_result_suppressed(a, i), rf_result_suppressed(b, i)))
            return "a suppressed flag";
    return NULL;
}

/* Scans text both ways; fails the test, naming `what`, if they differ. */
static void agree(const rf_rules *rs, const char *what, const char *text,
                  size_t len)
{
    rf_error err = {0, ""};
    rf_scan_opts fast = {0, 0, 0, 0, 0}, ref = {0, 0, 0, RF_SCAN_REFERENCE, 0};
    rf_result *a = rf_scan(rs, text, len, &fast, &err);
    rf_result *b = rf_scan(rs, text, len, &ref, &err);
    assert_non_null(a);
    assert_non_null(b);
    const char *d = difference(a, b);
    if (d) {
        print_error("fast and reference differ (%s) on %s\n", d, what);
        fail();
    }
    rf_result_free(a);
    rf_result_free(b);
}

/* agree() on each of texts[0..n), named by themselves. */
static void agree_each(const rf_rules *rs, const char *const *texts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        agree(rs, texts[i], texts[i], strlen(texts[i]));
}

/* ---- rule sets ---- */

static int same_list(const char *const *a, size_t na, const char *const *b,
                     size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return 0;
    return 1;
}

/* The draft catalogue on its own, or NULL when it is not there (or does
 * not load: it is being written). */
static rf_rules *draft_rules(void)
{
    struct stat st;
    if (stat(DRAFT, &st) || !S_ISDIR(st.st_mode)) {
        print_message("draft rules skipped: none at %s\n", DRAFT);
        return NULL;
    }
    rf_error err = {0, ""};
    rf_rules *rs = rf_rules_new();
    assert_non_null(rs);
    if (rf_rules_add_path(rs, DRAFT, &err) || rf_rules_compile(rs, &err) ||
        rf_rules_count(rs) == 0) {
        print_message("draft rules skipped: %s\n", err.message);
        rf_rules_free(rs);
        return NULL;
    }
    /* Once the catalogue is the built-in rule set, it is tested as such. */
    rf_rules *builtin = load_default_rules();
    int same = rf_rules_count(builtin) == rf_rules_count(rs);
    for (size_t i = 0; same && i < rf_rules_count(rs); i++) {
        const rf_rule *a = rf_rules_get(rs, i);
        const rf_rule *b = rf_rules_find(builtin, a->id);
        same = b && same_list(a->phrases, a->n_phrases, b->phrases,
                              b->n_phrases) &&
               same_list(a->regexes, a->n_regexes, b->regexes, b->n_regexes) &&
               same_list(a->unless, a->n_unless, b->unless, b->n_unless);
    }
    rf_rules_free(builtin);
    if (same) {
        print_message("draft rules skipped: they are the built-in ones\n");
        rf_rules_free(rs);
        return NULL;
    }
    return rs;
}

/* ---- the corpus ---- */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every `step`-th posting of the corpus (by name), both ways. Returns how
 * many were compared; 0 when the corpus is not there. */
static size_t agree_on_corpus(const rf_rules *rs, size_t step)
{
    DIR *d = opendir(CORPUS);
    if (!d)
        return 0;
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof(*names));
        assert_non_null(names);
        names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_names);
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        if (i % step == 0) {
            char path[4096], *text;
            size_t len;
            snprintf(path, sizeof(path), "%s/%s", CORPUS, names[i]);
            if ((text = slurp(path, &len))) {
                agree(rs, path, text, len);
                free(text);
                done++;
            }
        }
        free(names[i]);
    }
    free(names);
    return done;
}

/* The whole corpus with a rule set; RF_CORPUS_STEP=N takes every N-th
 * posting instead (the draft catalogue's reference scan is slow). */
static void corpus_with(rf_rules *rs, const char *label, size_t step)
{
    const char *env = getenv("RF_CORPUS_STEP");
    if (env && atoi(env) > 0)
        step = (size_t)atoi(env);
    size_t n = agree_on_corpus(rs, step);
    if (n == 0)
        print_message("skipped: no corpus at %s\n", CORPUS);
    else
        print_message("%s: %zu postings agree\n", label, n);
}

/* How many postings to skip between two compared: the reference scan
 * costs about a millisecond per rule and posting, so a big rule set is
 * sampled in `make check` (`make corpus-check` compares them all). */
static size_t corpus_step(const rf_rules *rs)
{
    return (rf_rules_count(rs) + 4) / 5;
}

static void matcher__corpus__fast_and_reference_agree_default_rules(void **state)
{
    (void)state;
    rf_rules *rs = load_default_rules();
    corpus_with(rs, "built-in rules", corpus_step(rs));
    rf_rules_free(rs);
}

static void matcher__corpus__fast_and_reference_agree_draft_rules(void **state)
{
    (void)state;
    rf_rules *rs = draft_rules();
    if (!rs)
        return; /* draft_rules said why */
    corpus_with(rs, "draft rules", corpus_step(rs));
    rf_rules_free(rs);
}

/* ---- generated text ---- */

typedef struct rng {
    uint64_t s;
} rng;

static uint32_t next(rng *r)
{
    /* xorshift64*: fixed seed, the same text on every run */
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 2685821657736338717ull) >> 32);
}

static uint32_t below(rng *r, uint32_t n) { return next(r) % n; }

/* The words of the rules' phrases, unless and negation words included:
 * the text that makes rules match, almost match, and negate. */
typedef struct words {
    char **w;
    size_t n;
} words;

static void add_words(words *ws, const char *s)
{
    while (*s) {
        while (*s && !((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') &&
               !(*s >= '0' && *s <= '9') && *s != '%' && *s != '/')
            s++;
        const char *e = s;
        while (*e && (((*e | 0x20) >= 'a' && (*e | 0x20) <= 'z') ||
                      (*e >= '0' && *e <= '9') || *e == '%' || *e == '/'))
            e++;
        if (e > s) {
            ws->w = realloc(ws->w, (ws->n + 1) * sizeof(char *));
            assert_non_null(ws->w);
            ws->w[ws->n++] = strndup(s, (size_t)(e - s));
        }
        s = e;
    }
}

static void rule_words(const rf_rules *rs, words *ws)
{
    static const char *const extra =
        "no not never don't without but only however, we you our the a "
        "paid unpaid free trial days interview commission salary base pay";
    add_words(ws, extra);
    for (size_t i = 0; i < rf_rules_count(rs); i++) {
        const rf_rule *r = rf_rules_get(rs, i);
        for (size_t j = 0; j < r->n_phrases; j++)
            add_words(ws, r->phrases[j]);
        for (size_t j = 0; j < r->n_unless; j++)
            add_words(ws, r->unless[j]);
        for (size_t j = 0; j < r->n_matches; j++)
            add_words(ws, r->matches[j]);
    }
}

/* What stands between two words, or is glued to one. */
static const char *const seps[] = {
    " ", " ", " ", " ", "  ", "\t", "\n", "\r\n", " \n\n ", "\xC2\xA0",
    "\xE2\x80\x83", "\xE1\x9A\x80", "-", " - ", "\xE2\x80\x93", "\xE2\x80\x94",
    "\xC2\xAD", "", ", ", ". ", "; ", ": ", "! ", " (", ") ", "'", "\xE2\x80\x99",
    "\"", " \xE2\x80\xA2 ", " | ", "/", "%", " 100% ", " $50 ", " 24/7 ",
};

/* A word as it may appear: in another case, capitalised and glued to
 * the word before, with a Kelvin sign or a long s, or cut short. */
static void put_word(rng *r, buf *b, const char *w)
{
    size_t n = strlen(w);
    uint32_t how = below(r, 16);
    if (how == 0 && n > 2)
        n = 1 + below(r, (uint32_t)n - 1); /* a prefix */
    for (size_t i = 0; i < n; i++) {
        char c = w[i];
        int upper = how == 1 || (how == 2 && i == 0) || below(r, 40) == 0;
        if ((c | 0x20) == 'k' && below(r, 8) == 0)
            buf_puts(b, "\xE2\x84\xAA"); /* KELVIN SIGN */
        else if ((c | 0x20) == 's' && below(r, 8) == 0)
            buf_puts(b, "\xC5\xBF"); /* LATIN SMALL LETTER LONG S */
        else
            buf_putc(b, upper && c >= 'a' && c <= 'z' ? (char)(c - 32) : c);
    }
}

static void gen_text(rng *r, const words *ws, buf *b)
{
    size_t nwords = 5 + below(r, 120);
    b->len = 0;
    for (size_t i = 0; i < nwords; i++) {
        uint32_t roll = below(r, 100);
        if (roll < 3) {
            /* bytes that are not UTF-8, or a NUL */
            static const char junk[] = {'\xff', '\xc3', '\x80', '\0', '\xe2'};
            buf_append(b, &junk[below(r, sizeof(junk))], 1);
        } else if (roll < 8) {
            /* camelCase glue: "starterSkyNet" */
            buf_puts(b, "xx");
            buf_putc(b, (char)('A' + below(r, 26)));
        }
        put_word(r, b, ws->w[below(r, (uint32_t)ws->n)]);
        buf_puts(b, seps[below(r, sizeof(seps) / sizeof(seps[0]))]);
        if (below(r, 10) == 0) /* a long run of white space */
            for (uint32_t k = below(r, 300); k > 0; k--)
                buf_putc(b, below(r, 3) ? ' ' : '\n');
    }
}

/* Texts enough to try every rule often, in a few seconds at most. */
static void fuzz_with(rf_rules *rs, uint64_t seed)
{
    size_t texts = 6000 / (rf_rules_count(rs) + 1);
    words ws = {NULL, 0};
    rule_words(rs, &ws);
    assert_true(ws.n > 0);
    rng r = {seed};
    buf b = BUF_INIT;
    for (size_t i = 0; i < texts; i++) {
        gen_text(&r, &ws, &b);
        char what[64];
        snprintf(what, sizeof(what), "generated text %zu (seed %llu)", i,
                 (unsigned long long)seed);
        agree(rs, what, b.data ? b.data : "", b.len);
    }
    buf_free(&b);
    for (size_t i = 0; i < ws.n; i++)
        free(ws.w[i]);
    free(ws.w);
}

static void matcher__generated_text__fast_and_reference_agree_default_rules(void **state)
{
    (void)state;
    rf_rules *rs = load_default_rules();
    fuzz_with(rs, 0x5eed1234abcdull);
    rf_rules_free(rs);
}

static void matcher__generated_text__fast_and_reference_agree_draft_rules(void **state)
{
    (void)state;
    rf_rules *rs = draft_rules();
    if (!rs)
        return; /* draft_rules said why */
    fuzz_with(rs, 0xfeedbeef42ull);
    rf_rules_free(rs);
}

/* A big text is scanned by several threads (rf_scan_opts.threads), each
 * with a part of it: the results are those of one thread, flags, evidence
 * and errors alike (a low match limit makes rules fail, so that their
 * errors must come in the order of the rules). */
static void scan_threads_agree(const rf_rules *rs, const char *text,
                               size_t len, unsigned long match_limit)
{
    rf_error err = {0, ""};
    rf_scan_opts one = {0, 0, match_limit, 0, 1};
    rf_scan_opts many = {0, 0, match_limit, 0, 4};
    rf_result *a = rf_scan(rs, text, len, &one, &err);
    rf_result *b = rf_scan(rs, text, len, &many, &err);
    assert_non_null(a);
    assert_non_null(b);
    const char *d = difference(a, b);
    if (d)
        fail_msg("one thread and four differ (%s), match limit %lu", d,
                 match_limit);
    assert_true(rf_result_flag_count(a) > 5);
    if (match_limit)
        assert_non_null(rf_result_error(a));
    rf_result_free(a);
    rf_result_free(b);
}

static void matcher__big_text_in_threads__same_as_one_thread(void **state)
{
    (void)state;
    rf_rules *rs = load_default_rules();
    words ws = {NULL, 0};
    rule_words(rs, &ws);
    rng r = {0xb16b16ull};
    buf one = BUF_INIT, b = BUF_INIT;
    while (b.len < 7u * 1024 * 1024) { /* three parts of 2 MiB or more */
        gen_text(&r, &ws, &one);
        buf_append(&b, one.data ? one.data : "", one.len);
    }
    scan_threads_agree(rs, b.data, b.len, 0);
    scan_threads_agree(rs, b.data, b.len, 200);
    buf_free(&one);
    buf_free(&b);
    for (size_t i = 0; i < ws.n; i++)
        free(ws.w[i]);
    free(ws.w);
    rf_rules_free(rs);
}

/* The lanes take a big text's chunks in no fixed order, each noting where
 * a directive's keyword is: the directives all through it turn the same
 * hits off as with one thread. */
static void matcher__big_text_directives_in_threads__same_as_one_thread(
    void **state)
{
    (void)state;
    rf_rules *rs = load_default_rules();
    buf b = BUF_INIT;
    size_t off = 0, on = 0;
    for (size_t i = 0; b.len < 6u * 1024 * 1024; i++) {
        if (i % 3 == 1)
            buf_puts(&b, "redflag-disable-next-line working-interview\n");
        buf_puts(&b, "Day one is a working interview.");
        buf_puts(&b, i % 3 == 0 ? " # redflag-disable working-interview\n"
                                : "\n");
        for (int k = 0; k < 20; k++)
            buf_puts(&b, "Plain words about the job and the team. ");
        buf_putc(&b, '\n');
        off += i % 3 != 2;
        on += i % 3 == 2;
    }
    rf_error err = {0, ""};
    rf_scan_opts one = {0, 0, 0, 0, 1}, many = {0, 0, 0, 0, 4};
    rf_result *a = rf_scan(rs, b.data, b.len, &one, &err);
    rf_result *c = rf_scan(rs, b.data, b.len, &many, &err);
    assert_non_null(a);
    assert_non_null(c);
    const char *d = difference(a, c);
    if (d)
        fail_msg("one thread and four differ (%s)", d);
    /* each directive turned its hit off (a flag for each line) */
    size_t n_off = 0;
    for (size_t i = 0; i < rf_result_suppressed_count(a); i++)
        n_off += rf_result_suppressed(a, i)->count;
    assert_int_equal(n_off, off);
    assert_int_equal(rf_result_flag_count(a), 1);
    assert_int_equal(rf_result_flag(a, 0)->count, on);
    rf_result_free(a);
    rf_result_free(c);
    buf_free(&b);
    rf_rules_free(rs);
}

/* A text bigger than matcher_text checks is checked for valid UTF-8 a
 * chunk at a time by the literal pass; only a valid one is searched
 * without PCRE2's own checks. An invalid byte at each side of a chunk's
 * edge (and none) gives what the reference gives: with the text taken as
 * valid, "zq.zq" would match across the byte that PCRE2 otherwise never
 * lets a match cross. */
static void matcher__big_text_utf8_checked_by_chunk__fast_and_reference_agree(
    void **state)
{
    (void)state;
    rf_rules *rs = load_rules_text(
        NEGATION
        "[cross]\ncategory = pay\nseverity = low\ntitle = t\nwhy = w\nadvice = a\n"
        "regex = zq.zq\nphrase = unpaid trial\n");
    const size_t chunk = 256u * 1024, len = 2 * chunk + 4096;
    char *t = malloc(len);
    assert_non_null(t);
    static const char filler[] = "an unpaid trial, caf\xC3\xA9 \xE2\x80\x93 ok. ";
    for (size_t i = 0; i < len; i++)
        t[i] = filler[i % (sizeof(filler) - 1)];
    static const size_t edges[] = {256u * 1024, 512u * 1024};
    for (size_t e = 0; e < 2; e++)
        for (size_t d = 0; d < 8; d++) {
            size_t at = edges[e] - 5 + d; /* "zq" then the byte at at */
            char keep[5];
            memcpy(keep, t + at - 2, 5);
            memcpy(t + at - 2, "zq\x80zq", 5);
            char what[64];
            snprintf(what, sizeof(what), "an invalid byte at %zu", at);
            agree(rs, what, t, len);
            memcpy(t + at - 2, "zq\xC3zq", 5); /* a cut sequence */
            agree(rs, what, t, len);
            memcpy(t + at - 2, keep, 5);
        }
    /* valid: the same with an a in place of the byte, which matches */
    memcpy(t + chunk - 2, "zqazq", 5);
    agree(rs, "valid", t, len);
    rf_error err = {0, ""};
    rf_result *res = rf_scan(rs, t, len, NULL, &err);
    assert_non_null(res);
    assert_true(rf_result_flag_count(res) == 1);
    free(t);
    rf_result_free(res);
    rf_rules_free(rs);
}

/* Hand-made cases: where a window must reach far back, or a literal is
 * glued, or the rule's alternatives overlap. */
static void matcher__edge_cases__fast_and_reference_agree(void **state)
{
    (void)state;
    rf_rules *rs = load_rules_text(
        NEGATION
        "[far]\ncategory = pay\nseverity = low\ntitle = t\nwhy = w\nadvice = a\n"
        "phrase = fast-paced\nphrase = go [the] extra mile\n"
        "phrase = {100%|straight} commission\nphrase = 24/7\n"
        "regex = \\bwork(?:ing)?\\s+on\\s+(?:our\\s+)*live\\s+openings\\b\n"
        "[split]\ncategory = pay\nseverity = low\ntitle = t\nwhy = w\nadvice = a\n"
        "regex = \\A(?![\\s\\S]*?\\bsalary\\b)[\\s\\S]*?\\K\\bcommission\\b\n"
        "[kay]\ncategory = pay\nseverity = low\ntitle = t\nwhy = w\nadvice = a\n"
        "phrase = starter kit[s]\nunless = no starter kit\n"
        "[back]\ncategory = pay\nseverity = low\ntitle = t\nwhy = w\nadvice = a\n"
        "regex = (?:ab|cd){10,24}\\s+zebra\n"
        "[joined]\ncategory = pay\nseverity = low\ntitle = t\nwhy = w\nadvice = a\n"
        "phrase = high-pressure sales floor\nphrase = once-in-a-lifetime chance\n"
        "phrase = {evenings|nights} {and|or|&} weekends\n"
        "phrase = big-zygote [quota] {target|goal}\n"
        "phrase = no [more] {9-to-5|9-5|nine-to-five}\n"
        "regex = \\bno\\s+experience\\s+(?:is\\s+)?required\\b\n"
        "regex = \\bzyzzyva(?:\\s*-\\s*x)?(?:\\.|!)\n");
    static const char *const texts[] = {
        "fast            \n\n\t   paced and fastpaced and fast\xE2\x80\x94paced",
        "go\n\n\n     the       \t extra \xC2\xA0 mile; go extra mile",
        "100%      commission or straight\ncommission, straightcommission",
        "available 24/7 and 24 / 7",
        "working on our our our live openings, work on live openings",
        "no salary here, just commission and commission",
        "we pay a salary and commission",
        "a starter \xE2\x84\xAAit and a \xC5\xBFtarter kits, no starter kit",
        "StarterKit starterKit fast-pacedGo the extra mile",
        "\xff\xfe fast-paced \xc3 go the extra mile \x80",
        "x abababababababababababababababababababababababcd zebra",
        "a highpressure sales floor, a high - pressure\nsales floor",
        "a onceinalifetime chance, once-in alifetime chance, oncein a lifetime "
        "chance",
        "nights&weekends, eveningsand weekends, nights or\xC2\xADweekends",
        "no experience required; no experience is required; experienceisrequired",
        "a bigzygote quota target; big-zygote goal; bigzygote  quota\ngoal",
        "no 9-to-5, no\xC2\xA0more\tnine-to-five, no\nmore\n9-5, nomore 9-5, "
        "no more9-5, No-9-to-5",
        "zyzzyva! zyzzyva - x. zyzzyva-x! zyzzyvax! zyzzyva.",
        "",
    };
    agree_each(rs, texts, sizeof(texts) / sizeof(texts[0]));
    rf_rules_free(rs);
}

/* A rule of phrases alone is searched as one pattern with its word edges
 * shared (the reference way) or phrase by phrase, each with its own (the
 * fast way): the same hits, for phrases that start or end with a letter,
 * a digit or punctuation, glued to words or at a lower/upper turn, and
 * for phrases that start alike, where the first listed wins. */
static void matcher__phrases_sharing_edges__fast_and_reference_agree(void **state)
{
    (void)state;
    rf_rules *rs = load_rules_text(
        NEGATION
        "[edges]\ncategory = pay\nseverity = low\ntitle = t\nwhy = w\nadvice = a\n"
        "phrase = work\nphrase = work hard\nphrase = 100%\nphrase = $ upfront\n"
        "phrase = #hustle\nphrase = sky net\nphrase = 9 to 5\n");
    static const char *const texts[] = {
        "homework workhard WorkHard work hard; work",
        "100% commission, x100%, 100%commission and 1100%",
        "pay $ upfront, $upfront, a$ upfront",
        "#hustle#hustle a#hustle #hustler",
        "starterSky net, sky netter, SkyNet sky net",
        "no 9 to 5, 19 to 50, 9 to 5pm, 9 to5",
    };
    agree_each(rs, texts, sizeof(texts) / sizeof(texts[0]));
    rf_rules_free(rs);
}

/* The rules' parts with a companion (has: pattern_pair_checked, or
 * pattern_pair_global for one looked for in the one pass). */
static size_t parts_with(const rf_rules *rs, int (*has)(const pattern *))
{
    size_t n = 0;
    for (size_t i = 0; i < rs->n_parts; i++)
        n += has(rs->part_pat[i]) != 0;
    return n;
}

/* Appends words up to byte `at` of b, then s[0..n), then more words: s
 * where a big text's chunk ends, say. */
static void put_at(buf *b, size_t at, const char *s, size_t n)
{
    while (b->len + 6 <= at)
        buf_puts(b, "words ");
    while (b->len < at)
        buf_putc(b, ' ');
    buf_append(b, s, n);
    buf_puts(b, " and more words.");
}

/* Two phrases whose companion is looked for in the one pass: "work"
 * before "time", and "work" after "time". */
static const char pair_rules[] =
    "[pair]\ncategory = pay\nseverity = low\ntitle = t\nwhy = w\nadvice = a\n"
    "phrase = work [{big|very big|very very big}] time\n"
    "phrase = time [{hard|very hard}] work\n";

/* Appends a match of each of pair_rules' phrases, their words `spaces`
 * apart, with a word more between them when far (too far to match). */
static void put_pairs(buf *b, size_t spaces, int far)
{
    buf_puts(b, "work ");
    for (size_t i = 0; i < spaces; i++)
        buf_putc(b, i % 7 == 6 ? '\n' : ' ');
    buf_puts(b, far ? "very very very big " : "very big ");
    buf_puts(b, "time; then time ");
    for (size_t i = 0; i < spaces; i++)
        buf_putc(b, ' ');
    buf_puts(b, far ? "very very hard work." : "hard work.");
}

/* agree(), and the first flag has `want` hits. */
static void agree_hits(const rf_rules *rs, const char *what, const char *text,
                       size_t len, size_t want)
{
    agree(rs, what, text, len);
    rf_error err;
    rf_result *res = rf_scan(rs, text, len, NULL, &err);
    assert_non_null(res);
    size_t hits = rf_result_flag_count(res) ? rf_result_flag(res, 0)->count
                                            : 0;
    rf_result_free(res);
    if (hits != want)
        fail_msg("%s: %zu hits, want %zu", what, hits, want);
}

/* A phrase's second word (a companion, lit.h) is found in the one pass
 * with the rules' literals and checked against each candidate: it counts
 * only the bytes that are not white space, so runs of spaces and line
 * breaks between the words do not hide a match; a companion further away
 * than the phrase allows does not make one. */
static void matcher__companion_over_white_space__fast_and_reference_agree(void **state)
{
    (void)state;
    rf_rules *rs = load_rules_text(pair_rules);
    assert_int_equal(parts_with(rs, pattern_pair_global), 2);
    buf b = {0};
    for (size_t spaces = 0; spaces <= 300; spaces += 60)
        for (int far = 0; far <= 1; far++) {
            b.len = 0;
            buf_puts(&b, "a ");
            put_pairs(&b, spaces, far);
            char what[64];
            snprintf(what, sizeof(what), "%zu spaces, %s", spaces,
                     far ? "too far" : "near");
            agree_hits(rs, what, b.data, b.len, far ? 0 : 2);
        }
    buf_free(&b);
    rf_rules_free(rs);
}

/* A big text's candidates are checked against their companions a chunk
 * (256 KiB) at a time, while the chunk is in the cache: a companion in the
 * chunk before or after, even past a long run of white space, counts all
 * the same, and one too far away does not. */
static void matcher__companion_across_chunk_edge__found(void **state)
{
    (void)state;
    rf_rules *rs = load_rules_text(pair_rules);
    assert_int_equal(parts_with(rs, pattern_pair_global), 2);
    const size_t edge = 256u * 1024;
    buf b = {0}, ph = {0};
    static const size_t runs[] = {0, 1, 40, 300};
    for (size_t r = 0; r < sizeof(runs) / sizeof(runs[0]); r++)
        for (int far = 0; far <= 1; far++) {
            ph.len = 0;
            put_pairs(&ph, runs[r], far);
            /* the edge at places all through the two matches */
            for (size_t shift = 1; shift < ph.len; shift += ph.len / 23 + 1) {
                b.len = 0;
                put_at(&b, edge - shift, ph.data, ph.len);
                char what[80];
                snprintf(what, sizeof(what), "%zu spaces, %s, %zu bytes before "
                         "the edge", runs[r], far ? "too far" : "near", shift);
                agree_hits(rs, what, b.data, b.len, far ? 0 : 2);
            }
        }
    buf_free(&b);
    buf_free(&ph);
    rf_rules_free(rs);
}

/* The word after an optional hyphen is the companion of the word before
 * it, with the two joined ("equityonly") among its literals: the joined
 * form holds no "only" after an edge, and is found all the same. */
static void matcher__companion_after_a_hyphen__joined_form_found(void **state)
{
    (void)state;
    rf_rules *rs = load_rules_text(
        "[joined]\ncategory = pay\nseverity = low\ntitle = t\nwhy = w\nadvice = a\n"
        "phrase = {equity|stock}-only\nphrase = pressure-cooker\n");
    assert_int_equal(parts_with(rs, pattern_pair_checked), 2);
    static const struct {
        const char *text;
        size_t hits;
    } cases[] = {
        {"an equity-only offer", 1},     {"an equityonly offer", 1},
        {"a Stockonly plan", 1},         {"stock \xE2\x80\x93 only, and", 1},
        {"equity\n only", 1},           {"equityonlyness", 0},
        {"equity, only later", 0},       {"a pressurecooker and a pressure-cooker", 2},
        {"pressure cookers", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *t = cases[i].text;
        agree_hits(rs, t, t, strlen(t), cases[i].hits);
    }
    rf_rules_free(rs);
}

/* A big text is looked through for literals a chunk (256 KiB) at a time:
 * phrases that cross from one chunk into the next are found all the same. */
static void matcher__literal_across_chunk_edge__fast_and_reference_agree(void **state)
{
    (void)state;
    rf_rules *rs = load_rules_text(
        "[edge]\ncategory = pay\nseverity = low\ntitle = t\nwhy = w\nadvice = a\n"
        "phrase = fast-paced\nphrase = starter kit[s]\nphrase = no 9-to-5\n");
    static const char *const phrases[] = {"fast-paced", "starter \xE2\x84\xAAits",
                                          "no 9-to-5"};
    const size_t edge = 256u * 1024;
    buf b = {0};
    for (size_t k = 0; k < sizeof(phrases) / sizeof(phrases[0]); k++)
        for (size_t back = 1; back <= strlen(phrases[k]); back += 2) {
            b.len = 0;
            put_at(&b, edge - back, phrases[k], strlen(phrases[k]));
            char what[64];
            snprintf(what, sizeof(what), "'%s' %zu bytes before the edge",
                     k == 1 ? "starter kits" : phrases[k], back);
            agree(rs, what, b.data, b.len);
        }
    buf_free(&b);
    rf_rules_free(rs);
}

/* ---- how far a window reaches ---- */

/* Is s[0..n) a character that \s matches? Its length, or 0. */
static size_t space_char(const unsigned char *s, size_t n)
{
    return lit_space_len(s, n);
}

/* The length of the character that ends at t[q] (exclusive), going back no
 * further than start: a stray byte is a character of its own. */
static size_t char_before(const unsigned char *t, size_t q, size_t start)
{
    size_t k = q - 1;
    while (k > start && q - k < 4 && (t[k] & 0xC0) == 0x80)
        k--;
    size_t want = t[k] >= 0xF0 ? 4 : t[k] >= 0xE0 ? 3 : t[k] >= 0xC0 ? 2 : 1;
    if ((t[k] & 0xC0) != 0xC0 || want != q - k)
        k = q - 1;
    return q - k;
}

/* matcher_back and matcher_forward the plain way: a character at a time,
 * white space free, stopping before the character that does not fit. */
static size_t plain_back(const unsigned char *t, size_t p, size_t start,
                         size_t budget)
{
    size_t q = p;
    while (q > start) {
        size_t n = char_before(t, q, start);
        if (!space_char(t + q - n, n)) {
            if (n > budget)
                break;
            budget -= n;
        }
        q -= n;
    }
    return q;
}

static size_t plain_forward(const unsigned char *t, size_t len, size_t p,
                            size_t budget)
{
    size_t q = p;
    while (q < len) {
        unsigned char c = t[q];
        size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (n > len - q)
            n = 1;
        if (!space_char(t + q, n)) {
            if (n > budget)
                break;
            budget -= n;
        }
        q += n;
    }
    return q;
}

/* Texts of words, runs of spaces, tabs, line breaks, no-break and em
 * spaces, accented letters and stray bytes: every budget from 0 to 70
 * from every position reaches where a character-at-a-time walk does,
 * whether the sixteen bytes it stops in are ASCII or not; and in every
 * other round, of ASCII only, up to 150, so that it goes many blocks of
 * sixteen before it stops. */
static void matcher__window_reach__same_as_a_character_at_a_time(void **state)
{
    (void)state;
    static const char *const bits[] = {
        "word", "a", " ", "  ", "\t", "\n", "\r\n", "                ",
        "\xC2\xA0", "\xE2\x80\x83", "\xC3\xA9t\xC3\xA9", "\xE2\x80\x94", "\xff",
        "commission", "x", ".", "\xE1\x9A\x80",
    };
    rng r = {0xacce55ull};
    buf b = BUF_INIT;
    for (int round = 0; round < 40; round++) {
        b.len = 0;
        int ascii = round % 2;
        while (b.len < 200) {
            size_t k = below(&r, sizeof(bits) / sizeof(bits[0]));
            if (!ascii || (unsigned char)bits[k][0] < 0x80)
                buf_puts(&b, bits[k]);
        }
        const unsigned char *t = (const unsigned char *)b.data;
        for (size_t p = 0; p <= b.len; p++)
            for (size_t budget = 0; budget <= (ascii ? 150u : 70u); budget++) {
                size_t start = p > 0 ? below(&r, (uint32_t)p) : 0;
                if (matcher_forward(t, b.len, p, budget) !=
                        plain_forward(t, b.len, p, budget) ||
                    matcher_back(t, p, start, budget) !=
                        plain_back(t, p, start, budget))
                    fail_msg("round %d, position %zu, budget %zu: forward %zu "
                             "(plainly %zu), back %zu (plainly %zu)",
                             round, p, budget,
                             matcher_forward(t, b.len, p, budget),
                             plain_forward(t, b.len, p, budget),
                             matcher_back(t, p, start, budget),
                             plain_back(t, p, start, budget));
            }
    }
    buf_free(&b);
}

/* pattern_paired_near asks whether a companion at c is within a budget
 * of a candidate at a by walking back from c once for all the candidates
 * before it, not forward from each: the same answer wherever the text is
 * valid UTF-8, and never no where the forward walk says yes (a stray byte
 * may make the forward walk take white space after it as part of it). */
static void matcher__reach_back_from_the_companion__same_as_forward(void **state)
{
    (void)state;
    static const char *const bits[] = {
        "word", "a", " ", "  ", "\t", "\n", "\xC2\xA0", "\xE2\x80\x83",
        "\xC3\xA9t\xC3\xA9", "\xE2\x80\x94", "commission", ".",
        "\xff", "\xE2 ", "\x80\x80"};
    rng r = {0x5eedull};
    buf b = BUF_INIT;
    for (int round = 0; round < 60; round++) {
        int valid = round % 2; /* leave out the last three */
        size_t nb = sizeof(bits) / sizeof(bits[0]) - (valid ? 3 : 0);
        b.len = 0;
        while (b.len < 300)
            buf_puts(&b, bits[below(&r, (uint32_t)nb)]);
        const unsigned char *t = (const unsigned char *)b.data;
        for (int k = 0; k < 400; k++) {
            size_t a = below(&r, (uint32_t)b.len), c = below(&r, (uint32_t)b.len);
            if (a > c) {
                size_t x = a;
                a = c;
                c = x;
            }
            /* candidates and companions start at characters */
            if ((t[a] & 0xC0) == 0x80 || (t[c] & 0xC0) == 0x80)
                continue;
            size_t budget = below(&r, 160);
            int fwd = c <= matcher_forward(t, b.len, a, budget);
            int back = a >= matcher_back(t, c, 0, budget);
            if (valid ? fwd != back : fwd && !back)
                fail_msg("round %d, a %zu, c %zu, budget %zu: forward %d, "
                         "back %d", round, a, c, budget, fwd, back);
        }
    }
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matcher__edge_cases__fast_and_reference_agree),
        cmocka_unit_test(matcher__phrases_sharing_edges__fast_and_reference_agree),
        cmocka_unit_test(matcher__literal_across_chunk_edge__fast_and_reference_agree),
        cmocka_unit_test(matcher__companion_over_white_space__fast_and_reference_agree),
        cmocka_unit_test(matcher__companion_across_chunk_edge__found),
        cmocka_unit_test(matcher__window_reach__same_as_a_character_at_a_time),
        cmocka_unit_test(matcher__reach_back_from_the_companion__same_as_forward),
        cmocka_unit_test(matcher__companion_after_a_hyphen__joined_form_found),
        cmocka_unit_test(matcher__big_text_in_threads__same_as_one_thread),
        cmocka_unit_test(matcher__big_text_directives_in_threads__same_as_one_thread),
        cmocka_unit_test(
            matcher__big_text_utf8_checked_by_chunk__fast_and_reference_agree),
        cmocka_unit_test(matcher__generated_text__fast_and_reference_agree_default_rules),
        cmocka_unit_test(matcher__generated_text__fast_and_reference_agree_draft_rules),
        cmocka_unit_test(matcher__corpus__fast_and_reference_agree_default_rules),
        cmocka_unit_test(matcher__corpus__fast_and_reference_agree_draft_rules),
    };
    const char *only = getenv("RF_TEST_FILTER"); /* e.g. "*corpus*" */
    if (only)
        cmocka_set_test_filter(only);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
