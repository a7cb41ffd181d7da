/* Positions in UTF-8 text. */
#include "testutil.h"

#include "text.h"

static void text__locate__same_line_counts_on_from_the_last_position(void **state)
{
    (void)state;
    /* "é1é2é3" then a new line: each position asked in turn, with one
     * cache, must agree with a fresh count from the line start */
    const char *s = "\xC3\xA9" "1\xC3\xA9" "2\xC3\xA9" "3\nx\xC3\xA9y";
    static const size_t pos[] = {0, 2, 3, 5, 6, 8, 10, 11, 13};
    static const size_t want_line[] = {1, 1, 1, 1, 1, 1, 2, 2, 2};
    static const size_t want_col[] = {1, 2, 3, 4, 5, 6, 1, 2, 3};
    text_pos c = {0, 0, 0, 0};
    for (size_t i = 0; i < sizeof(pos) / sizeof(pos[0]); i++) {
        size_t line, col;
        text_locate(s, strlen(s), pos[i], &c, &line, &col);
        assert_int_equal(line, want_line[i]);
        assert_int_equal(col, want_col[i]);
    }
}

static void text__locate__counts_lines_and_code_points(void **state)
{
    (void)state;
    const char *s = "ab\n\xC3\xA9t\xC3\xA9\nxyz";
    text_pos c = {0, 0, 0, 0};
    size_t line, col;
    text_locate(s, strlen(s), 0, &c, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    text_locate(s, strlen(s), 6, &c, &line, &col); /* the second é */
    assert_int_equal(line, 2);
    assert_int_equal(col, 3);
    text_locate(s, strlen(s), 10, &c, &line, &col); /* y */
    assert_int_equal(line, 3);
    assert_int_equal(col, 2);
    /* going backwards starts over and is still right */
    text_locate(s, strlen(s), 1, &c, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 2);
}

static void text__char_bounds__never_split_a_sequence(void **state)
{
    (void)state;
    const char *s = "a\xE2\x80\x93z"; /* a – z */
    assert_int_equal(text_floor_char(s, 5, 2), 1);
    assert_int_equal(text_floor_char(s, 5, 3), 1);
    assert_int_equal(text_ceil_char(s, 5, 2), 4);
    assert_int_equal(text_ceil_char(s, 5, 1), 1);
    assert_int_equal(text_codepoints(s, 5), 3);
}

static void text__space__knows_unicode_spaces(void **state)
{
    (void)state;
    assert_int_equal(text_space_len(" x", 2), 1);
    assert_int_equal(text_space_len("\xC2\xA0x", 3), 2);
    assert_int_equal(text_space_len("\xE2\x80\xAFx", 4), 3);
    assert_int_equal(text_space_len("\xE3\x80\x80", 3), 3);
    assert_int_equal(text_space_len("x ", 2), 0);
    assert_int_equal(text_space_len("\xE2\x80\x93", 3), 0); /* en dash */
}

/* The block scans are checked at each SIMD level the machine has (AVX2,
 * SSE2, none) against a byte at a time, with what they look for at every
 * offset p of a buffer longer than their blocks (64 and 16 bytes): from
 * every start to the end, and from two starts for every length, so that
 * a byte at a block edge, in the last partial block, or just past the
 * end is found or not as it should be. */
#define SCAN_LEN 150

/* Calls check(buf + start, n, want) for the starts and lengths above. */
static void each_start_and_length(const char *buf, size_t p,
                                  void (*check)(const char *, size_t, size_t,
                                                int),
                                  int simd)
{
    for (size_t start = 0; start < 70; start++) {
        size_t n = SCAN_LEN - start;
        check(buf + start, n, p >= start && p < SCAN_LEN ? p - start : n,
              simd);
    }
    for (size_t start = 0; start < 10; start += 9)
        for (size_t n = 0; n <= SCAN_LEN - start; n++)
            check(buf + start, n,
                  p >= start && p < start + n ? p - start : n, simd);
}

static void check_ascii_len(const char *s, size_t n, size_t want, int simd)
{
    assert_int_equal(text_ascii_len_at(s, n, simd), want);
}

static void check_ascii_copy(const char *s, size_t n, size_t want, int simd)
{
    char dst[SCAN_LEN];
    memset(dst, 0, sizeof(dst));
    assert_int_equal(text_ascii_copy_at(dst, s, n, simd), want);
    assert_memory_equal(dst, s, want);
}

static void check_find2(const char *s, size_t n, size_t want, int simd)
{
    size_t i = 0; /* a byte at a time */
    while (i < n && s[i] != '<' && s[i] != '&')
        i++;
    assert_int_equal(i, want);
    assert_int_equal(text_find2_at(s, n, '<', '&', simd), want);
}

static void text__ascii_len_and_copy__every_simd_level_finds_every_offset(
    void **state)
{
    (void)state;
    char buf[SCAN_LEN];
    for (int simd = TEXT_SIMD_NONE; simd <= text_simd(); simd++) {
        for (size_t p = 0; p <= SCAN_LEN; p++) { /* SCAN_LEN: all ASCII */
            for (size_t k = 0; k < SCAN_LEN; k++)
                buf[k] = (char)('!' + k % 90);
            if (p < SCAN_LEN)
                buf[p] = (char)(0x80 | p); /* every high byte */
            each_start_and_length(buf, p, check_ascii_len, simd);
            each_start_and_length(buf, p, check_ascii_copy, simd);
        }
    }
    assert_int_equal(text_ascii_len(buf, SCAN_LEN), SCAN_LEN);
}

static void text__find2__every_simd_level_finds_every_offset(void **state)
{
    (void)state;
    char buf[SCAN_LEN];
    for (int simd = TEXT_SIMD_NONE; simd <= text_simd(); simd++) {
        for (size_t p = 0; p <= SCAN_LEN; p++) {
            for (int which = 0; which < 2; which++) {
                /* bytes that differ from '<' and '&' by their top bit
                 * only, which a signed or masked comparison would find */
                for (size_t k = 0; k < SCAN_LEN; k++)
                    buf[k] = (char)(k % 2 ? '<' | 0x80 : '&' | 0x80);
                if (p < SCAN_LEN)
                    buf[p] = which ? '&' : '<';
                each_start_and_length(buf, p, check_find2, simd);
            }
        }
    }
}

static void check_count(const char *s, size_t n, size_t want, int simd)
{
    size_t last = 0;
    assert_int_equal(text_count_byte_at(s, n, '\n', &last, simd), want < n);
    assert_int_equal(last, want);
}

static void text__count_byte__every_simd_level_finds_every_offset(
    void **state)
{
    (void)state;
    char buf[SCAN_LEN];
    for (int simd = TEXT_SIMD_NONE; simd <= text_simd(); simd++) {
        for (size_t p = 0; p <= SCAN_LEN; p++) {
            for (size_t k = 0; k < SCAN_LEN; k++)
                buf[k] = (char)('\n' | 0x80); /* the top bit alone differs */
            if (p < SCAN_LEN)
                buf[p] = '\n';
            each_start_and_length(buf, p, check_count, simd);
        }
    }
}

/* Many of them, at random: counted and the last found as a byte at a time
 * does, at every level. */
static void text__count_byte__counts_them_all(void **state)
{
    (void)state;
    char buf[1000];
    uint64_t r = 1;
    for (int round = 0; round < 200; round++) {
        for (size_t k = 0; k < sizeof(buf); k++) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            buf[k] = (r >> 60) < (uint64_t)(round % 16) ? '\n' : 'x';
        }
        size_t n = (size_t)(r >> 33) % sizeof(buf), want = 0, want_last = n;
        for (size_t k = 0; k < n; k++)
            if (buf[k] == '\n') {
                want++;
                want_last = k;
            }
        for (int simd = TEXT_SIMD_NONE; simd <= text_simd(); simd++) {
            size_t last;
            assert_int_equal(text_count_byte_at(buf, n, '\n', &last, simd),
                             want);
            assert_int_equal(last, want_last);
        }
    }
}

static void text__valid_utf8__finds_a_bad_byte_at_every_offset(void **state)
{
    (void)state;
    char buf[SCAN_LEN];
    for (size_t p = 0; p + 3 <= SCAN_LEN; p++) {
        memset(buf, 'x', sizeof(buf));
        memcpy(buf + p, "\xE2\x80\x93", 3); /* an en dash over any edge */
        assert_true(text_valid_utf8(buf, SCAN_LEN));
        buf[p + 2] = 'x'; /* cut short */
        assert_false(text_valid_utf8(buf, SCAN_LEN));
        assert_true(text_valid_utf8(buf, p)); /* the text before it */
    }
}

/* Cut anywhere, a text's parts are all valid exactly when it is: random
 * texts of ASCII, whole and cut sequences, stray continuation bytes,
 * cut at random places (and at every place in short ones). */
static void text__valid_utf8_part__parts_agree_with_the_whole(void **state)
{
    (void)state;
    static const char *const bits[] = {
        "a", " ", "\xC3\xA9", "\xE2\x80\x93", "\xF0\x9F\x98\x80",
        "\x80", "\xBF\xBF", "\xE2\x80", "\xC3", "\xF0\x9F", "\xFF",
        "\xED\xA0\x80" /* a surrogate */};
    uint64_t r = 11;
    char buf[64];
    for (int round = 0; round < 4000; round++) {
        size_t n = 0;
        while (n < 40) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            /* mostly valid pieces, so that both answers come up */
            size_t k = (r >> 33) % (round % 3 ? 5 : sizeof(bits) / sizeof(*bits));
            size_t w = strlen(bits[k]);
            memcpy(buf + n, bits[k], w);
            n += w;
        }
        int whole = text_valid_utf8(buf, n);
        /* every single cut */
        for (size_t c = 0; c <= n; c++) {
            int parts = text_valid_utf8_part(buf, n, 0, c) &&
                        text_valid_utf8_part(buf, n, c, n);
            if (parts != whole)
                fail_msg("round %d, cut at %zu: parts %d, whole %d", round,
                         c, parts, whole);
        }
        /* three random cuts */
        size_t c[5] = {0, 0, 0, 0, n};
        for (int i = 1; i < 4; i++) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            c[i] = (r >> 33) % (n + 1);
        }
        for (int i = 1; i < 4; i++) /* in order */
            for (int j = i; j > 0 && c[j] < c[j - 1]; j--) {
                size_t t = c[j];
                c[j] = c[j - 1];
                c[j - 1] = t;
            }
        int parts = 1;
        for (int i = 0; i < 4; i++)
            parts &= text_valid_utf8_part(buf, n, c[i], c[i + 1]);
        assert_int_equal(parts, whole);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text__locate__counts_lines_and_code_points),
        cmocka_unit_test(text__locate__same_line_counts_on_from_the_last_position),
        cmocka_unit_test(text__char_bounds__never_split_a_sequence),
        cmocka_unit_test(text__space__knows_unicode_spaces),
        cmocka_unit_test(text__ascii_len_and_copy__every_simd_level_finds_every_offset),
        cmocka_unit_test(text__find2__every_simd_level_finds_every_offset),
        cmocka_unit_test(text__count_byte__every_simd_level_finds_every_offset),
        cmocka_unit_test(text__count_byte__counts_them_all),
        cmocka_unit_test(text__valid_utf8__finds_a_bad_byte_at_every_offset),
        cmocka_unit_test(text__valid_utf8_part__parts_agree_with_the_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
