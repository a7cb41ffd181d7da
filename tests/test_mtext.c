/* Text with a map back to its source: appends and growth. */
#include "testutil.h"

#include "mtext.h"
#include "text.h"

static void mtext__map_run__every_simd_level_counts_up_and_no_further(
    void **state)
{
    (void)state;
    /* offsets past 32 bits too: the map is size_t all the way */
    static const size_t from[] = {0, 7, ((size_t)1 << 33) + 5,
                                  (size_t)-1 - 100};
    size_t map[50];
    for (int simd = TEXT_SIMD_NONE; simd <= text_simd(); simd++) {
        for (size_t f = 0; f < sizeof(from) / sizeof(*from); f++) {
            for (size_t n = 0; n <= 40; n++) {
                for (size_t k = 0; k < 50; k++)
                    map[k] = 12345;
                mtext_map_run_at(map + 1, n, from[f], simd);
                assert_int_equal(map[0], 12345);
                for (size_t k = 0; k < n; k++)
                    assert_int_equal(map[1 + k], from[f] + k);
                for (size_t k = n + 1; k < 50; k++)
                    assert_int_equal(map[k], 12345);
            }
        }
    }
}

static void mtext__copy__appends_bytes_and_their_offsets(void **state)
{
    (void)state;
    const char *src = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (size_t n = 0; n <= strlen(src); n++) {
        mtext m = MTEXT_INIT;
        assert_int_equal(mtext_putc(&m, '<', 3), 0);
        assert_int_equal(mtext_copy(&m, src, n, 100), 0);
        assert_int_equal(mtext_put(&m, "ab", 2, 500), 0);
        assert_int_equal(mtext_finish(&m, 600), 0);
        assert_int_equal(m.len, 1 + n + 2);
        assert_int_equal(m.text[0], '<');
        assert_memory_equal(m.text + 1, src, n);
        assert_string_equal(m.text + 1 + n, "ab");
        assert_int_equal(m.map[0], 3);
        for (size_t k = 0; k < n; k++)
            assert_int_equal(m.map[1 + k], 100 + k);
        assert_int_equal(m.map[1 + n], 500);
        assert_int_equal(m.map[2 + n], 500);
        assert_int_equal(m.map[3 + n], 600);
        mtext_free(&m);
    }
}

static void mtext__reserve__grows_and_keeps_what_was_written(void **state)
{
    (void)state;
    mtext m = MTEXT_INIT;
    for (size_t k = 0; k < 5000; k++)
        assert_int_equal(mtext_putc(&m, (char)('a' + k % 26), 2 * k), 0);
    assert_int_equal(mtext_reserve(&m, 100000), 0);
    assert_true(m.cap >= m.len + 100000 + 1);
    for (size_t k = 0; k < 5000; k++) {
        assert_int_equal(m.text[k], 'a' + k % 26);
        assert_int_equal(m.map[k], 2 * k);
    }
    mtext_free(&m);
    assert_null(m.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mtext__map_run__every_simd_level_counts_up_and_no_further),
        cmocka_unit_test(mtext__copy__appends_bytes_and_their_offsets),
        cmocka_unit_test(mtext__reserve__grows_and_keeps_what_was_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
