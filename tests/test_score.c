/* Scoring: points per severity, halving repeats, the cap, the bands. */
#include "testutil.h"

#include "score.h"

static void score__first_hit__is_worth_the_severity(void **state)
{
    (void)state;
    assert_int_equal(score_flag_points(RF_LOW, 1), 5);
    assert_int_equal(score_flag_points(RF_MEDIUM, 1), 15);
    assert_int_equal(score_flag_points(RF_HIGH, 1), 30);
    assert_int_equal(score_flag_points(RF_HIGH, 0), 0);
}

static void score__repeats__add_half_of_the_one_before(void **state)
{
    (void)state;
    assert_int_equal(score_flag_points(RF_HIGH, 2), 45);
    assert_int_equal(score_flag_points(RF_HIGH, 3), 52);
    assert_int_equal(score_flag_points(RF_LOW, 3), 5 + 2 + 1);
    /* a word repeated a thousand times is still worth less than two firsts */
    assert_true(score_flag_points(RF_HIGH, 1000) < 2 * 30);
    assert_int_equal(score_flag_points(RF_LOW, 1000), 8);
}

static void score__total__is_capped_at_100(void **state)
{
    (void)state;
    int pts[] = {30, 45, 30};
    assert_int_equal(score_total(pts, 3), 100);
    assert_int_equal(score_total(pts, 2), 75);
    assert_int_equal(score_total(NULL, 0), 0);
}

static void score__verdict__follows_the_bands(void **state)
{
    (void)state;
    assert_int_equal(score_verdict(0), RF_CLEAN);
    assert_int_equal(score_verdict(1), RF_VERDICT_LOW);
    assert_int_equal(score_verdict(SCORE_ELEVATED - 1), RF_VERDICT_LOW);
    assert_int_equal(score_verdict(SCORE_ELEVATED), RF_ELEVATED);
    assert_int_equal(score_verdict(SCORE_HIGH - 1), RF_ELEVATED);
    assert_int_equal(score_verdict(SCORE_HIGH), RF_VERDICT_HIGH);
    assert_int_equal(score_verdict(100), RF_VERDICT_HIGH);
    assert_string_equal(rf_verdict_name(RF_ELEVATED), "elevated");
    assert_string_equal(rf_severity_name(RF_MEDIUM), "medium");
    assert_int_equal(rf_severity_parse("high"), RF_HIGH);
    assert_int_equal(rf_severity_parse("HIGH"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(score__first_hit__is_worth_the_severity),
        cmocka_unit_test(score__repeats__add_half_of_the_one_before),
        cmocka_unit_test(score__total__is_capped_at_100),
        cmocka_unit_test(score__verdict__follows_the_bands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
