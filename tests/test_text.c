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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text__locate__counts_lines_and_code_points),
        cmocka_unit_test(text__locate__same_line_counts_on_from_the_last_position),
        cmocka_unit_test(text__char_bounds__never_split_a_sequence),
        cmocka_unit_test(text__space__knows_unicode_spaces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
