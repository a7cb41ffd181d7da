/*
 * The built-in rules' patterns, compiled at build time (precomp.h): every
 * pattern the scanner compiles for them is in the index in both forms,
 * decodes to the code pcre2_compile gives, and is never compiled again;
 * anything else, or bytes that were changed, is compiled as before.
 *
 * pcre2_compile is counted: this test is linked with
 * -Wl,--wrap=pcre2_compile_8 (Makefile).
 */
#include "testutil.h"

#include <dirent.h>

#include "buf.h"
#include "phrase.h"
#include "precomp.h"
#include "rules.h"

#define CORPUS "../shared/corpus/postings"

static size_t compiles;
static char first_compiled[200];

pcre2_code *__real_pcre2_compile_8(PCRE2_SPTR8 src, PCRE2_SIZE length,
                                   uint32_t options, int *errorcode,
                                   PCRE2_SIZE *erroroffset,
                                   pcre2_compile_context_8 *ccontext);
pcre2_code *__wrap_pcre2_compile_8(PCRE2_SPTR8 src, PCRE2_SIZE length,
                                   uint32_t options, int *errorcode,
                                   PCRE2_SIZE *erroroffset,
                                   pcre2_compile_context_8 *ccontext);

pcre2_code *__wrap_pcre2_compile_8(PCRE2_SPTR8 src, PCRE2_SIZE length,
                                   uint32_t options, int *errorcode,
                                   PCRE2_SIZE *erroroffset,
                                   pcre2_compile_context_8 *ccontext)
{
    if (compiles++ == 0)
        snprintf(first_compiled, sizeof(first_compiled), "%.*s",
                 length == PCRE2_ZERO_TERMINATED ? 150 : (int)length,
                 (const char *)src);
    return __real_pcre2_compile_8(src, length, options, errorcode,
                                  erroroffset, ccontext);
}

/* pcre2_compile of src in form, as pattern_code would without an index. */
static pcre2_code *fresh(const char *src, int form)
{
    char msg[300];
    pcre2_code *code = pattern_compile(src, form, NULL, msg, sizeof(msg));
    if (!code) {
        print_error("%s: %s\n", src, msg);
        fail();
    }
    return code;
}

/* Every match of a and of b in text, one after another: the same? */
static void same_matches(const pcre2_code *a, const pcre2_code *b,
                         const char *text, int *found)
{
    pcre2_match_data *ma = pcre2_match_data_create_from_pattern(a, NULL);
    pcre2_match_data *mb = pcre2_match_data_create_from_pattern(b, NULL);
    assert_true(ma && mb);
    size_t len = strlen(text);
    for (size_t at = 0; at <= len;) {
        int ra = pcre2_match(a, (PCRE2_SPTR)text, len, at, 0, ma, NULL);
        int rb = pcre2_match(b, (PCRE2_SPTR)text, len, at, 0, mb, NULL);
        assert_int_equal(ra, rb);
        if (ra < 0)
            break;
        PCRE2_SIZE *va = pcre2_get_ovector_pointer(ma);
        PCRE2_SIZE *vb = pcre2_get_ovector_pointer(mb);
        assert_int_equal(va[0], vb[0]);
        assert_int_equal(va[1], vb[1]);
        (*found)++;
        at = va[1] > at ? va[1] : at + 1;
    }
    pcre2_match_data_free(ma);
    pcre2_match_data_free(mb);
}

/* ---- every built-in pattern is there, as pcre2_compile makes it ---- */

typedef struct seen {
    size_t patterns;
} seen;

static int check_in_index(const pattern *p, void *ctx)
{
    seen *s = ctx;
    const precomp_entry *e = precomp_find(&precomp_builtin, p->src);
    if (!e) {
        print_error("not in the index: %s\n", p->src);
        fail();
    }
    for (int form = 0; form < 2; form++) {
        /* the bytes are those of the code compiled now, in this form */
        pcre2_code *now = fresh(p->src, form);
        uint8_t *bytes;
        PCRE2_SIZE size;
        assert_int_equal(pcre2_serialize_encode((const pcre2_code **)&now, 1,
                                                &bytes, &size, NULL),
                         1);
        assert_int_equal(size, e->code[form].len);
        assert_memory_equal(bytes, e->code[form].bytes, size);
        pcre2_serialize_free(bytes);
        pcre2_code *code = precomp_code_of(&precomp_builtin, p->src, form);
        assert_non_null(code);
        uint32_t opts;
        assert_int_equal(pcre2_pattern_info(code, PCRE2_INFO_ARGOPTIONS,
                                            &opts),
                         0);
        assert_int_equal(opts, pattern_options(form));
        pcre2_code_free(code);
        pcre2_code_free(now);
    }
    s->patterns++;
    return 0;
}

static void precomp__builtin_patterns__in_index_in_both_forms(void **state)
{
    (void)state;
    rf_rules *rs = load_default_rules();
    seen s = {0};
    assert_int_equal(rules_each_pattern(rs, check_in_index, &s), 0);
    /* the negating words and at least a pattern per rule */
    assert_true(s.patterns >= 3 + rf_rules_count(rs));
    print_message("%zu patterns visited, %zu in the index\n", s.patterns,
                  precomp_builtin.n);
    rf_rules_free(rs);
}

/* ---- the scanner compiles nothing of the built-in rules ---- */

/* Scans text the fast way and, with `ref`, the reference way too (every
 * pattern over every byte, in the form for any text); the flags found. */
static size_t scan_counting(const rf_rules *rs, const char *text, size_t len,
                            int ref)
{
    static const rf_scan_opts opts[] = {{0, 0, 0, 0, 0},
                                        {0, 0, 0, RF_SCAN_REFERENCE, 0}};
    size_t flags = 0;
    for (int way = 0; way <= ref; way++) {
        rf_error err = {0, ""};
        rf_result *r = rf_scan(rs, text, len, &opts[way], &err);
        assert_non_null(r);
        flags += rf_result_flag_count(r) + rf_result_suppressed_count(r);
        rf_result_free(r);
    }
    return flags;
}

/* Each example of each rule as written (also the reference way), negated
 * ("not" leads to the exceptions and stop words), with "not only" before
 * it, and followed by an invalid byte (the form for text that is not
 * valid UTF-8). */
static size_t scan_examples(const rf_rules *rs)
{
    static const char *const before[] = {"", "We do not ", "Not only ",
                                         "no, but "};
    size_t flags = 0;
    buf b = BUF_INIT;
    for (size_t i = 0; i < rf_rules_count(rs); i++) {
        const rf_rule *r = rf_rules_get(rs, i);
        for (size_t k = 0; k < r->n_matches + r->n_nomatches; k++) {
            const char *ex = k < r->n_matches ? r->matches[k]
                                              : r->nomatches[k - r->n_matches];
            for (size_t v = 0; v < 2 * sizeof(before) / sizeof(*before);
                 v++) {
                b.len = 0;
                buf_puts(&b, before[v / 2]);
                buf_puts(&b, ex);
                if (v % 2)
                    buf_puts(&b, " \xff");
                assert_false(b.oom);
                flags += scan_counting(rs, b.data, b.len, v == 0);
            }
        }
    }
    buf_free(&b);
    return flags;
}

/* Every 50th posting of the shared corpus, when it is there. */
static size_t scan_corpus(const rf_rules *rs, size_t *files)
{
    DIR *d = opendir(CORPUS);
    size_t flags = 0, i = 0;
    *files = 0;
    if (!d)
        return 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || i++ % 50)
            continue;
        char path[4096], *text;
        size_t len;
        snprintf(path, sizeof(path), "%s/%s", CORPUS, de->d_name);
        if (!(text = slurp(path, &len)))
            continue;
        flags += scan_counting(rs, text, len, 1);
        free(text);
        (*files)++;
    }
    closedir(d);
    return flags;
}

static int count_used(const pattern *p, void *ctx)
{
    size_t *used = ctx;
    for (int form = 0; form < 2; form++)
        *used += atomic_load(&p->code[form]) != NULL;
    return 0;
}

static void precomp__scanning_with_builtin_rules__compiles_nothing(void **state)
{
    (void)state;
    rf_rules *rs = load_default_rules();
    compiles = 0;
    size_t files, flags = scan_examples(rs) + scan_corpus(rs, &files);
    rf_error err = {0, ""};
    assert_int_equal(rf_rules_compile_all(rs, &err), 0);
    if (!files)
        print_message("corpus part skipped: no corpus at %s\n", CORPUS);
    size_t used = 0;
    rules_each_pattern(rs, count_used, &used);
    print_message("%zu codes used, %zu postings scanned\n", used, files);
    /* the scans found something: patterns of every kind were used */
    assert_true(flags > 100);
    if (compiles) {
        print_error("%zu patterns compiled, the first: %s\n", compiles,
                    first_compiled);
        fail();
    }
    rf_rules_free(rs);
}

/* ---- decoded codes match as compiled ones do ---- */

static void precomp__decoded_code__matches_as_compiled(void **state)
{
    (void)state;
    rf_rules *rs = load_default_rules();
    buf texts = BUF_INIT;
    int found = 0;
    for (size_t i = 0; i < rf_rules_count(rs); i++) {
        const rf_rule *r = &rs->rules[i]->pub;
        const pattern *p = &rs->rules[i]->re;
        texts.len = 0;
        for (size_t k = 0; k < r->n_matches + r->n_nomatches; k++) {
            buf_puts(&texts, k < r->n_matches
                                 ? r->matches[k]
                                 : r->nomatches[k - r->n_matches]);
            buf_puts(&texts, "\n");
        }
        assert_false(texts.oom);
        for (int form = 0; form < 2; form++) {
            pcre2_code *dec = precomp_code_of(&precomp_builtin, p->src, form);
            pcre2_code *now = fresh(p->src, form);
            assert_non_null(dec);
            same_matches(dec, now, texts.data ? texts.data : "", &found);
            pcre2_code_free(dec);
            pcre2_code_free(now);
        }
    }
    /* each rule has match examples: many matches were compared */
    assert_true(found >= 2 * (int)rf_rules_count(rs));
    buf_free(&texts);
    rf_rules_free(rs);
}

/* ---- anything else is compiled ---- */

static void precomp__pattern_not_built_in__compiled_as_before(void **state)
{
    (void)state;
    const char *src = "unpaid\\s+(?:trial|test) (day|week)";
    assert_null(precomp_find(&precomp_builtin, src));
    pattern p;
    assert_int_equal(pattern_init_regex(&p, src), 0);
    for (int form = 0; form < 2; form++) {
        char msg[300];
        size_t before = compiles;
        const pcre2_code *code = pattern_code(&p, form, 1, msg, sizeof(msg));
        assert_non_null(code);
        assert_int_equal(compiles, before + 1);
        pcre2_code *now = fresh(src, form);
        int found = 0;
        same_matches(code, now, "an UNPAID   trial week, unpaid test DAY",
                     &found);
        assert_int_equal(found, 2);
        pcre2_code_free(now);
    }
    pattern_free(&p);

    /* one that does not compile says why, as before */
    assert_int_equal(pattern_init_regex(&p, "unpaid (trial"), 0);
    char msg[300] = "";
    assert_null(pattern_code(&p, PAT_VALID, 1, msg, sizeof(msg)));
    assert_string_equal(
        msg, "pattern does not compile: missing closing parenthesis at "
             "offset 13");
    pattern_free(&p);
}

/* An index of one entry: src with `bytes` in both forms. */
static precomp_index one_entry(precomp_entry *e, const char *src,
                               const unsigned char *bytes, size_t len,
                               uint64_t sum)
{
    e->src = src;
    for (int form = 0; form < 2; form++) {
        e->code[form].bytes = bytes;
        e->code[form].len = len;
        e->code[form].sum = sum;
    }
    precomp_index ix = {precomp_builtin.pcre2, e, 1};
    return ix;
}

/* pattern_compile with ix gives a code that matches as a fresh one, and
 * compiled it (1) or not (0). */
static int compiled_with(const precomp_index *ix, const char *src,
                         const char *text)
{
    char msg[300];
    size_t before = compiles;
    pcre2_code *code = pattern_compile(src, PAT_VALID, ix, msg, sizeof(msg));
    assert_non_null(code);
    int did = compiles != before;
    pcre2_code *now = fresh(src, PAT_VALID);
    int found = 0;
    same_matches(code, now, text, &found);
    assert_true(found > 0);
    pcre2_code_free(now);
    pcre2_code_free(code);
    return did;
}

static void precomp__changed_bytes__fall_back_to_compiling(void **state)
{
    (void)state;
    /* the first rule's whole pattern, and an example it matches */
    rf_rules *rs = load_default_rules();
    const rule *r = rs->rules[0];
    assert_true(r->pub.n_matches > 0);
    const char *src = r->re.src, *text = r->pub.matches[0];
    const precomp_entry *e = precomp_find(&precomp_builtin, src);
    assert_non_null(e);
    const precomp_code *c = &e->code[PAT_VALID];
    unsigned char *copy = malloc(c->len);
    assert_non_null(copy);
    precomp_entry fake;
    precomp_index ix;

    /* as written: decoded, not compiled */
    memcpy(copy, c->bytes, c->len);
    ix = one_entry(&fake, src, copy, c->len, c->sum);
    assert_int_equal(compiled_with(&ix, src, text), 0);

    /* a byte in the middle changed: the sum tells */
    copy[c->len / 2] ^= 0x40;
    assert_null(precomp_decode(&fake.code[PAT_VALID]));
    assert_int_equal(compiled_with(&ix, src, text), 1);

    /* bytes of another PCRE2 (their header says so), with a sum that
     * fits them: PCRE2 refuses them */
    memcpy(copy, c->bytes, c->len);
    copy[0] ^= 0x01;
    ix = one_entry(&fake, src, copy, c->len, precomp_sum(copy, c->len));
    assert_null(precomp_decode(&fake.code[PAT_VALID]));
    assert_int_equal(compiled_with(&ix, src, text), 1);

    /* the index was made with a PCRE2 of other defaults or version */
    memcpy(copy, c->bytes, c->len);
    ix = one_entry(&fake, src, copy, c->len, c->sum);
    ix.pcre2.newline++;
    assert_int_equal(compiled_with(&ix, src, text), 1);
    ix = one_entry(&fake, src, copy, c->len, c->sum);
    ix.pcre2.version[0]++;
    assert_int_equal(compiled_with(&ix, src, text), 1);

    free(copy);
    rf_rules_free(rs);
}

/* A decoded code's character tables are shared with its copies by a count
 * that PCRE2 changes without a lock (pcre2_code_copy); threads that each
 * made a JIT copy of one pattern and threw all but one away left it wrong,
 * and the tables were freed twice at exit ("corrupted size vs. prev_size"
 * at -j4, one run in about a thousand). The JIT copy of a built-in
 * (decoded) pattern has tables of its own: pcre2_code_copy, which shares
 * them, is never called (counted: the test is linked with
 * -Wl,--wrap=pcre2_code_copy_8). */
static size_t shared_copies;

pcre2_code *__real_pcre2_code_copy_8(const pcre2_code_8 *code);
pcre2_code *__wrap_pcre2_code_copy_8(const pcre2_code_8 *code);
pcre2_code *__wrap_pcre2_code_copy_8(const pcre2_code_8 *code)
{
    shared_copies++;
    return __real_pcre2_code_copy_8(code);
}

static void precomp__jit_copy_of_decoded_code__has_its_own_tables(void **state)
{
    (void)state;
    for (size_t i = 0; i < precomp_builtin.n; i += precomp_builtin.n / 8 + 1) {
        pattern p;
        char msg[300];
        assert_int_equal(pattern_init_regex(&p, precomp_builtin.v[i].src), 0);
        size_t before = compiles;
        shared_copies = 0;
        /* decoded, then copied and compiled with JIT */
        assert_non_null(pattern_code(&p, PAT_ANY, 0, msg, sizeof(msg)));
        assert_non_null(pattern_code(&p, PAT_ANY, PATTERN_HOT, msg,
                                     sizeof(msg)));
        assert_int_equal(compiles, before);
        assert_int_equal(shared_copies, 0);
        pattern_free(&p);
    }
}

/* Are the literals a[0..n) and b[0..n) the same, field by field? */
static void same_lits(const char *key, const lit *a, const lit *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].len != b[i].len || memcmp(a[i].s, b[i].s, a[i].len) != 0 ||
            a[i].back != b[i].back || a[i].left != b[i].left ||
            a[i].right != b[i].right)
            fail_msg("%s: literal %zu differs", key, i);
}

/* Is the summary worked out now the one in the index, field by field? */
static void same_sum(const char *key, const lit_sum *got, const lit_sum *want)
{
    if (got->ok != want->ok || got->n != want->n || got->cost != want->cost ||
        got->cons != want->cons || got->oom != want->oom ||
        got->n_pair != want->n_pair || got->gap != want->gap ||
        got->pair_after != want->pair_after || got->redge != want->redge ||
        got->empty != want->empty || got->head != want->head ||
        got->tail != want->tail || got->joined != want->joined ||
        got->ledge != want->ledge)
        fail_msg("%s: the summary differs", key);
    same_lits(key, got->lits, want->lits, got->n);
    same_lits(key, got->pair, want->pair, got->n_pair);
}

/* The built-in rules' phrases and regexes have their summaries in the
 * index (precomp.h), the same as phrase_compile_lit and lit_from_regex work
 * out without it; with it, they copy them. */
static void precomp__builtin_summaries__as_worked_out(void **state)
{
    (void)state;
    const precomp_lit_index *ix = &precomp_lit_builtin;
    assert_true(ix->n_phrases > 300);
    assert_true(ix->n_regexes > 20);
    for (int with_index = 0; with_index < 2; with_index++) {
        precomp_lits_in = with_index ? ix : NULL;
        for (size_t i = 0; i < ix->n_phrases; i++) {
            const precomp_lits *e = &ix->phrases[i];
            if (i)
                assert_true(strcmp(ix->phrases[i - 1].key, e->key) < 0);
            assert_ptr_equal(precomp_lits_find(1, e->key),
                             with_index ? e : NULL);
            buf b = BUF_INIT;
            lit_sum s;
            char err[128];
            size_t off;
            assert_int_equal(phrase_compile_lit(e->key, &b, &s, err,
                                                sizeof(err), &off),
                             0);
            assert_string_equal(b.data, e->regex);
            same_sum(e->key, &s, &e->sum);
            lit_sum_free(&s);
            buf_free(&b);
        }
        for (size_t i = 0; i < ix->n_regexes; i++) {
            const precomp_lits *e = &ix->regexes[i];
            if (i)
                assert_true(strcmp(ix->regexes[i - 1].key, e->key) < 0);
            lit_sum s;
            lit_from_regex(e->key, &s);
            same_sum(e->key, &s, &e->sum);
            lit_sum_free(&s);
        }
    }
    precomp_lits_in = ix;
    /* anything else is worked out */
    assert_null(precomp_lits_find(1, "not a built-in phrase at all"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(precomp__builtin_patterns__in_index_in_both_forms),
        cmocka_unit_test(precomp__scanning_with_builtin_rules__compiles_nothing),
        cmocka_unit_test(precomp__decoded_code__matches_as_compiled),
        cmocka_unit_test(precomp__pattern_not_built_in__compiled_as_before),
        cmocka_unit_test(precomp__changed_bytes__fall_back_to_compiling),
        cmocka_unit_test(precomp__builtin_summaries__as_worked_out),
        cmocka_unit_test(precomp__jit_copy_of_decoded_code__has_its_own_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
