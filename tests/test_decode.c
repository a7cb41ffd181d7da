/* Whole files as bytes: byte order marks, UTF-16, invisible characters,
 * invalid UTF-8 and NULs; and the characters the phrase compiler treats
 * as equal (no-break spaces, curly apostrophes, dashes). */
#include "inpututil.h"

#include "decode.h"
#include "text.h"

/* Scans a whole file's bytes as rf_doc_new reads them. */
static rf_result *scan_file(const char *data, size_t len, rf_doc **doc)
{
    rf_error err = {0, ""};
    *doc = rf_doc_new(data, len, RF_INPUT_TEXT, &err);
    assert_non_null(*doc);
    return scan_source(rs, rf_doc_source(*doc));
}

/* s (ASCII or UTF-8 of the BMP and beyond) as UTF-16 with a byte order
 * mark; *n is set to the byte length. */
static char *utf16(const char *s, int le, size_t *n)
{
    char *out = malloc(2 + 4 * strlen(s));
    size_t k = 0;
    out[k++] = (char)(le ? 0xFF : 0xFE);
    out[k++] = (char)(le ? 0xFE : 0xFF);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < strlen(s);) {
        uint32_t cp;
        size_t w = text_utf8_len(s + i, strlen(s) - i);
        assert_true(w > 0);
        cp = w == 1   ? u[i]
             : w == 2 ? (u[i] & 0x1Fu) << 6 | (u[i + 1] & 0x3Fu)
             : w == 3 ? (u[i] & 0x0Fu) << 12 | (u[i + 1] & 0x3Fu) << 6 |
                            (u[i + 2] & 0x3Fu)
                      : (u[i] & 0x07u) << 18 | (u[i + 1] & 0x3Fu) << 12 |
                            (u[i + 2] & 0x3Fu) << 6 | (u[i + 3] & 0x3Fu);
        uint32_t units[2] = {cp, 0};
        int nu = 1;
        if (cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            nu = 2;
        }
        for (int j = 0; j < nu; j++) {
            out[k++] = (char)(le ? units[j] & 0xFF : units[j] >> 8);
            out[k++] = (char)(le ? units[j] >> 8 : units[j] & 0xFF);
        }
        i += w;
    }
    *n = k;
    return out;
}

static void decode__utf8_bom__is_skipped_and_offsets_stay_file_offsets(
    void **state)
{
    (void)state;
    const char *file = "\xEF\xBB\xBFWe do a working interview.";
    rf_doc *doc;
    rf_result *r = scan_file(file, strlen(file), &doc);
    const rf_evidence *e = evidence_of(r, "working-interview");
    assert_non_null(e);
    assert_int_equal(e->offset, 11);
    assert_int_equal(e->line, 1);
    assert_int_equal(e->column, 9); /* the mark is not a character */
    rf_result_free(r);
    rf_doc_free(doc);
}

static void decode__utf16__is_converted_and_positions_point_into_it(
    void **state)
{
    (void)state;
    const char *text = "Line \xF0\x9F\x98\x80 one\r\nWe do a working interview.";
    for (int le = 0; le <= 1; le++) {
        size_t n;
        char *file = utf16(text, le, &n);
        rf_doc *doc;
        rf_result *r = scan_file(file, n, &doc);
        const rf_evidence *e = evidence_of(r, "working-interview");
        assert_non_null(e);
        /* 2 (mark) + 2 per unit: "Line " 5, emoji 2 units, " one\r\n" 6,
         * "We do a " 8 */
        assert_int_equal(e->offset, 2 + 2 * (5 + 2 + 6 + 8));
        assert_int_equal(e->line, 2);
        assert_int_equal(e->column, 9);
        assert_int_equal(file[e->offset + (le ? 0 : 1)], 'w');
        assert_string_equal(e->match, "working interview");
        rf_result_free(r);
        rf_doc_free(doc);
        free(file);
    }
}

static void decode__utf16__odd_bytes_and_lone_surrogates_become_fffd(
    void **state)
{
    (void)state;
    /* LE: 'a', a lone high surrogate, 'b', then one odd byte */
    const char file[] = "\xFF\xFE" "a\x00\x00\xD8" "b\x00" "c";
    decoded d;
    rf_error err;
    assert_int_equal(decode_input(file, sizeof(file) - 1, &d, &err), 0);
    assert_int_equal(d.len, 1 + 3 + 1 + 3);
    assert_memory_equal(d.text, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD", d.len);
    assert_int_equal(d.map[5], 6); /* the odd byte, counted after the mark */
    decode_free(&d);
}

static void decode__utf32__is_refused_with_a_clear_message(void **state)
{
    (void)state;
    const char file[] = "\xFF\xFE\x00\x00" "a\x00\x00\x00";
    rf_error err = {0, ""};
    assert_null(rf_doc_new(file, sizeof(file) - 1, RF_INPUT_AUTO, &err));
    assert_int_equal(err.code, RF_ERR_INPUT);
    assert_non_null(strstr(err.message, "UTF-32"));
}

static void decode__invisible__soft_hyphen_and_zero_width_never_split_words(
    void **state)
{
    (void)state;
    /* "Caf\u00e9 work\u00ading inter\u200bview, don\u2060't stop" */
    const char *file = "Caf\xC3\xA9 work\xC2\xADing inter\xE2\x80\x8Bview, "
                       "don\xE2\x81\xA0't stop. \xEF\xBB\xBF" "fast-\xE2\x80"
                       "\x8Cpaced";
    rf_doc *doc;
    rf_result *r = scan_file(file, strlen(file), &doc);
    assert_lands_on(r, file, strlen(file), "working-interview", "work\xC2\xAD");
    const rf_evidence *e = evidence_of(r, "working-interview");
    assert_int_equal(e->offset, 6);
    assert_int_equal(e->column, 6); /* counted in the file */
    assert_string_equal(e->match, "working interview");
    assert_lands_on(r, file, strlen(file), "dont-stop", "don\xE2\x81\xA0");
    assert_lands_on(r, file, strlen(file), "fast-paced", "fast-");
    rf_result_free(r);
    rf_doc_free(doc);
}

static void decode__invalid_utf8_and_nul__are_scanned_around(void **state)
{
    (void)state;
    const char file[] = "\xFF\xC0\x00 x\x00working interview \xE2\x80 "
                        "work\x00ing interview \xF0\x9F";
    size_t n = sizeof(file) - 1;
    rf_doc *doc;
    rf_result *r = scan_file(file, n, &doc);
    const rf_flag *f = NULL;
    for (size_t i = 0; i < rf_result_flag_count(r); i++)
        if (strcmp(rf_result_flag(r, i)->rule->id, "working-interview") == 0)
            f = rf_result_flag(r, i);
    assert_non_null(f);
    assert_int_equal(f->count, 1); /* a NUL inside a word is not a space */
    assert_int_equal(f->evidence[0].offset, 6);
    assert_int_equal(f->evidence[0].column, 7);
    rf_result_free(r);
    rf_doc_free(doc);
}

/* A rule that reads the whole posting ("competitive salary" with no figure
 * anywhere) must see past an invalid byte, both ways. */
static void decode__invalid_byte__does_not_blind_whole_text_rules(void **state)
{
    (void)state;
    rf_rules *whole = load_rules_text(
        "[no-figure]\ncategory = pay\nseverity = low\ntitle = T\nwhy = W\n"
        "advice = A\nregex = \\A(?![\\s\\S]*\\$\\d)[\\s\\S]*?\\K\\bcompetitive\\s+salary\\b\n");
    const char after[] = "Junk \xFF here.\nA competitive salary.\n";
    const char figure[] = "A competitive salary.\n\xFF\nSalary: $90,000.\n";
    rf_error err = {0, ""};
    rf_doc *doc = rf_doc_new(after, sizeof(after) - 1, RF_INPUT_TEXT, &err);
    assert_non_null(doc);
    rf_result *r = scan_source(whole, rf_doc_source(doc));
    assert_int_equal(rf_result_flag_count(r), 1);
    const rf_evidence *e = &rf_result_flag(r, 0)->evidence[0];
    assert_int_equal(e->offset, 15);
    assert_memory_equal(after + e->offset, "competitive salary", 18);
    assert_int_equal(e->line, 2);
    assert_int_equal(e->column, 3);
    rf_result_free(r);
    rf_doc_free(doc);
    doc = rf_doc_new(figure, sizeof(figure) - 1, RF_INPUT_TEXT, &err);
    assert_non_null(doc);
    r = scan_source(whole, rf_doc_source(doc));
    assert_int_equal(rf_result_flag_count(r), 0);
    rf_result_free(r);
    rf_doc_free(doc);
    rf_rules_free(whole);
}

static void decode__lookalikes__nbsp_curly_apostrophe_and_dashes_match(
    void **state)
{
    (void)state;
    const char *texts[] = {
        "a working\xC2\xA0interview", "a working\xE2\x80\xAFinterview",
        "don\xE2\x80\x99t stop", "don\xCA\xBCt stop", "fast\xE2\x80\x93paced",
        "fast\xE2\x80\x94paced", "fast \xE2\x80\x93 paced",
        "fast\xE2\x80\x91paced",
    };
    const char *ids[] = {"working-interview", "working-interview",
                         "dont-stop", "dont-stop", "fast-paced", "fast-paced",
                         "fast-paced", "fast-paced"};
    for (size_t k = 0; k < sizeof(texts) / sizeof(*texts); k++) {
        rf_doc *doc;
        rf_result *r = scan_file(texts[k], strlen(texts[k]), &doc);
        if (!evidence_of(r, ids[k])) {
            print_error("no %s in '%s'\n", ids[k], texts[k]);
            fail();
        }
        rf_result_free(r);
        rf_doc_free(doc);
    }
}

static void decode__plain_text__is_scanned_in_place(void **state)
{
    (void)state;
    const char *file = "We do a working interview.";
    rf_error err = {0, ""};
    rf_doc *doc = rf_doc_new(file, strlen(file), RF_INPUT_TEXT, &err);
    assert_ptr_equal(rf_doc_source(doc)->text, file); /* no copy */
    assert_null(rf_doc_source(doc)->map);
    rf_doc_free(doc);
    assert_null(rf_doc_new(file, strlen(file), RF_INPUT_CSV, &err));
    assert_int_equal(err.code, RF_ERR_USAGE);
}

/* What cleaning up s should give, a byte at a time: the text (*t, NUL
 * terminated) and for each of its bytes the offset it came from (*map,
 * *len + 1 entries). The caller frees both. */
static void clean_naive(const char *s, size_t n, char **t, size_t **map,
                        size_t *len)
{
    static const char *const dropped[] = {
        "\xC2\xAD", "\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D",
        "\xE2\x81\xA0", "\xEF\xBB\xBF",
    };
    *t = malloc(n + 1);
    *map = malloc((n + 1) * sizeof(size_t));
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t w = 0;
        for (size_t d = 0; d < sizeof(dropped) / sizeof(*dropped); d++)
            if (strlen(dropped[d]) <= n - i &&
                memcmp(s + i, dropped[d], strlen(dropped[d])) == 0)
                w = strlen(dropped[d]);
        if (w) {
            i += w;
            continue;
        }
        w = text_utf8_len(s + i, n - i);
        for (size_t c = 0; c < (w ? w : 1); c++) {
            (*t)[k] = w ? s[i + c] : DECODE_INVALID;
            (*map)[k++] = i + c;
        }
        i += w ? w : 1;
    }
    (*t)[k] = '\0';
    (*map)[k] = n;
    *len = k;
}

static void assert_spans_cleaned(const char *s, size_t n, unsigned threads,
                                 const char *want, const size_t *want_map,
                                 size_t want_len);

/* Both ways of cleaning up s (the map of mtext, and the copy with its runs
 * that plain files get) agree with clean_naive, and the runs are as few as
 * can be. */
static void assert_cleaned_both_ways(const char *s, size_t n)
{
    char *want;
    size_t *want_map, want_len;
    clean_naive(s, n, &want, &want_map, &want_len);
    int changed = want_len != n || memcmp(want, s, n) != 0;
    assert_int_equal(decode_has_invisible(s, n), changed);

    mtext m = MTEXT_INIT;
    assert_int_equal(decode_drop_invisible(s, n, &m), 0);
    assert_int_equal(mtext_finish(&m, n), 0);
    assert_int_equal(m.len, want_len);
    assert_memory_equal(m.text, want, want_len + 1);
    assert_memory_equal(m.map, want_map, (want_len + 1) * sizeof(size_t));
    mtext_free(&m);

    assert_spans_cleaned(s, n, 1, want, want_map, want_len);
    free(want);
    free(want_map);
}

/* The copy with its runs, made with up to `threads` threads, is `want`,
 * and the runs map it back to want_map, as few as can be. */
static void assert_spans_cleaned(const char *s, size_t n, unsigned threads,
                                 const char *want, const size_t *want_map,
                                 size_t want_len)
{
    char *t;
    size_t len, ns;
    rf_span *sp;
    assert_int_equal(
        decode_drop_invisible_spans(s, n, threads, &t, &len, &sp, &ns), 0);
    assert_int_equal(len, want_len);
    assert_memory_equal(t, want, want_len + 1);
    assert_true(ns >= 1);
    assert_int_equal(sp[0].text, 0);
    for (size_t k = 1; k < ns; k++) {
        assert_true(sp[k].text > sp[k - 1].text);
        /* a new run only where the offsets jump */
        assert_true(sp[k].src - sp[k].text != sp[k - 1].src - sp[k - 1].text);
    }
    for (size_t i = 0, k = 0; i < len; i++) {
        while (k + 1 < ns && sp[k + 1].text <= i)
            k++;
        assert_int_equal(sp[k].src + (i - sp[k].text), want_map[i]);
    }
    free(t);
    free(sp);
}

/* A text big enough to be cleaned on several threads: each piece starts
 * at an ASCII byte, and where the pieces meet the text and its runs are
 * as if made in one go, whatever stands there. */
static void decode__big_text__cleaned_the_same_on_any_number_of_threads(
    void **state)
{
    (void)state;
    static const char *const bits[] = {
        "word ", "\xC3\xA9", "\xE2\x80\x8B", "\xC2\xAD", "\xFF",
        "\xE2\x80", "\xF0\x9F\x98\x80", "\n", "\xE2\x80\x93"};
    size_t n = (size_t)9 << 20;
    char *s = malloc(n);
    assert_non_null(s);
    uint64_t r = 7;
    for (size_t i = 0; i < n;) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        const char *b = bits[(r >> 33) % (sizeof(bits) / sizeof(*bits))];
        size_t w = strlen(b);
        for (size_t k = 0; k < w && i < n; k++)
            s[i++] = b[k];
    }
    /* where 2, 3 and 4 pieces would be cut: inside a long run of bytes
     * from 0x80 up, at a character dropped, at a cut sequence */
    for (size_t k = 2; k <= 4; k++)
        for (size_t i = 1; i < k; i++) {
            size_t c = n / k * i;
            for (size_t q = c - 301; q < c + 300; q += 2)
                memcpy(s + q, "\xC3\xA9", 2);
            memcpy(s + c - 1, "\xE2\x80\x8B\xC2\xAD\xE2\x80", 7);
        }
    char *want;
    size_t *want_map, want_len;
    clean_naive(s, n, &want, &want_map, &want_len);
    for (unsigned threads = 1; threads <= 4; threads++)
        assert_spans_cleaned(s, n, threads, want, want_map, want_len);
    free(want);
    free(want_map);
    free(s);
}

static void decode__invisible_and_invalid__found_at_every_block_edge(
    void **state)
{
    (void)state;
    static const char *const specials[] = {
        "\xE2\x80\x8B", "\xC2\xAD", "\xEF\xBB\xBF", "\xE2\x81\xA0",
        "\xFF", "\xE2\x80",     /* invalid: a byte, a cut sequence */
        "\xE2\x80\x93",         /* valid, kept: an en dash */
        "\xF0\x9F\x98\x80",     /* valid, kept: four bytes */
        "\xC2\xAD\xC2\xAD\xFF", /* two dropped, then an invalid byte */
    };
    char buf[200];
    for (size_t k = 0; k < sizeof(specials) / sizeof(*specials); k++) {
        size_t w = strlen(specials[k]);
        for (size_t p = 0; p + w <= 160; p++) {
            for (size_t i = 0; i < 160; i++)
                buf[i] = (char)('a' + i % 26);
            memcpy(buf + p, specials[k], w);
            assert_cleaned_both_ways(buf, 160);
            assert_cleaned_both_ways(buf, p + w); /* at the very end */
        }
    }
}

static void decode__mixed_text__cleaned_the_same_as_a_byte_at_a_time(
    void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a", "word ", "0123456789abcdef0123456789abcdef0123456789",
        "\xE2\x80\x8B", "\xC2\xAD", "\xEF\xBB\xBF", "\xE2\x81\xA0",
        "\xE2\x80\x8D", "\xFF", "\xC3", "\xE2\x80", "\xED\xA0\x80",
        "\xC0\xAF", "\xC3\xA9", "\xE2\x80\x99", "\xF0\x9F\x98\x80", "\n",
    };
    size_t np = sizeof(pieces) / sizeof(*pieces);
    char buf[32 * 42]; /* up to 31 pieces */
    uint32_t seed = 12345;
    for (int round = 0; round < 3000; round++) {
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        for (uint32_t parts = seed >> 27; parts > 0; parts--) {
            seed = seed * 1103515245u + 12345u;
            const char *piece = pieces[(seed >> 16) % np];
            memcpy(buf + n, piece, strlen(piece));
            n += strlen(piece);
        }
        assert_cleaned_both_ways(buf, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decode__utf8_bom__is_skipped_and_offsets_stay_file_offsets),
        cmocka_unit_test(decode__utf16__is_converted_and_positions_point_into_it),
        cmocka_unit_test(decode__utf16__odd_bytes_and_lone_surrogates_become_fffd),
        cmocka_unit_test(decode__utf32__is_refused_with_a_clear_message),
        cmocka_unit_test(decode__invisible__soft_hyphen_and_zero_width_never_split_words),
        cmocka_unit_test(decode__invalid_utf8_and_nul__are_scanned_around),
        cmocka_unit_test(decode__invalid_byte__does_not_blind_whole_text_rules),
        cmocka_unit_test(decode__lookalikes__nbsp_curly_apostrophe_and_dashes_match),
        cmocka_unit_test(decode__invisible_and_invalid__found_at_every_block_edge),
        cmocka_unit_test(
            decode__big_text__cleaned_the_same_on_any_number_of_threads),
        cmocka_unit_test(decode__mixed_text__cleaned_the_same_as_a_byte_at_a_time),
        cmocka_unit_test(decode__plain_text__is_scanned_in_place),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
