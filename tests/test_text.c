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

/* The block scans are checked against the plain ones and against a byte at
 * a time, with what they look for at every offset of a buffer longer than
 * their blocks (64 and 16 bytes), from every start, so that a byte at a
 * block edge, or one the last partial block holds, is never missed. */
#define SCAN_LEN 150

static size_t naive_find2(const char *s, size_t n, char a, char b)
{
    size_t i = 0;
    while (i < n && s[i] != a && s[i] != b)
        i++;
    return i;
}

static void text__ascii_len__blocks_agree_with_plain_at_every_offset(
    void **state)
{
    (void)state;
    char buf[SCAN_LEN];
    for (size_t p = 0; p <= SCAN_LEN; p++) { /* p == SCAN_LEN: all ASCII */
        for (size_t k = 0; k < SCAN_LEN; k++)
            buf[k] = (char)('!' + k % 90);
        if (p < SCAN_LEN)
            buf[p] = (char)(0x80 | p); /* every high byte, 0x80 included */
        for (size_t start = 0; start < 70; start++) {
            size_t n = SCAN_LEN - start;
            size_t want = p >= start && p < SCAN_LEN ? p - start : n;
            assert_int_equal(text_ascii_len(buf + start, n), want);
            assert_int_equal(text_ascii_len_plain(buf + start, n), want);
            /* and a text that ends before the byte */
            size_t m = p > start ? p - start : 0;
            assert_int_equal(text_ascii_len(buf + start, m), m);
        }
    }
}

static void text__ascii_copy__copies_the_run_and_stops_where_ascii_does(
    void **state)
{
    (void)state;
    char buf[SCAN_LEN], dst[SCAN_LEN];
    for (size_t p = 0; p <= SCAN_LEN; p++) {
        for (size_t k = 0; k < SCAN_LEN; k++)
            buf[k] = (char)('a' + k % 26);
        if (p < SCAN_LEN)
            buf[p] = '\xE2';
        for (size_t start = 0; start < 70; start++) {
            size_t n = SCAN_LEN - start;
            memset(dst, 0, sizeof(dst));
            size_t k = text_ascii_copy(dst, buf + start, n);
            assert_int_equal(k, p >= start && p < SCAN_LEN ? p - start : n);
            assert_memory_equal(dst, buf + start, k);
        }
    }
}

static void text__find2__blocks_agree_with_plain_at_every_offset(
    void **state)
{
    (void)state;
    char buf[SCAN_LEN];
    for (size_t p = 0; p <= SCAN_LEN; p++) {
        for (int which = 0; which < 2; which++) {
            /* bytes that differ from '<' and '&' by their top bit only, so
             * that a signed or masked comparison would find them */
            for (size_t k = 0; k < SCAN_LEN; k++)
                buf[k] = (char)(k % 2 ? '<' | 0x80 : '&' | 0x80);
            if (p < SCAN_LEN)
                buf[p] = which ? '&' : '<';
            for (size_t start = 0; start < 70; start++) {
                size_t n = SCAN_LEN - start;
                size_t want = naive_find2(buf + start, n, '<', '&');
                assert_int_equal(want,
                                 p >= start && p < SCAN_LEN ? p - start : n);
                assert_int_equal(text_find2(buf + start, n, '<', '&'), want);
                assert_int_equal(text_find2_plain(buf + start, n, '<', '&'),
                                 want);
            }
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text__locate__counts_lines_and_code_points),
        cmocka_unit_test(text__locate__same_line_counts_on_from_the_last_position),
        cmocka_unit_test(text__char_bounds__never_split_a_sequence),
        cmocka_unit_test(text__space__knows_unicode_spaces),
        cmocka_unit_test(text__ascii_len__blocks_agree_with_plain_at_every_offset),
        cmocka_unit_test(text__ascii_copy__copies_the_run_and_stops_where_ascii_does),
        cmocka_unit_test(text__find2__blocks_agree_with_plain_at_every_offset),
        cmocka_unit_test(text__valid_utf8__finds_a_bad_byte_at_every_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
