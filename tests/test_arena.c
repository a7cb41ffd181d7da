/* The arena: many small pieces freed at once, starting, when asked, in a
 * buffer of the caller's, which is never freed. */
#include "testutil.h"

#include "arena.h"

static int inside(const void *p, const unsigned char *buf, size_t n)
{
    return (const unsigned char *)p >= buf && (const unsigned char *)p < buf + n;
}

static void arena__buffer__is_taken_first_and_left_alone(void **state)
{
    (void)state;
    _Alignas(16) unsigned char buf[64];
    arena a;
    arena_init_buf(&a, buf, sizeof(buf));
    unsigned char *p = arena_alloc_raw(&a, 10);
    unsigned char *q = arena_alloc_raw(&a, 40);
    assert_true(inside(p, buf, sizeof(buf)) && inside(q, buf, sizeof(buf)));
    assert_true(q >= p + 16);              /* pieces do not overlap */
    assert_int_equal((uintptr_t)q % 16, 0); /* and stay aligned */
    /* no room left: a block of its own, which arena_free frees (ASan and
     * valgrind would report freeing buf) */
    unsigned char *r = arena_alloc(&a, 20);
    assert_false(inside(r, buf, sizeof(buf)));
    for (int i = 0; i < 20; i++)
        assert_int_equal(r[i], 0);
    unsigned char *big = arena_alloc_raw(&a, 100000);
    assert_non_null(big);
    memset(big, 1, 100000);
    arena_free(&a);
    /* empty again, and usable */
    assert_null(a.head);
    assert_non_null(arena_alloc_raw(&a, 8));
    arena_free(&a);
}

static void arena__zeroed__an_empty_arena_mallocs(void **state)
{
    (void)state;
    arena a = {0};
    char *s = arena_strndup(&a, "abcdef", 3);
    assert_string_equal(s, "abc");
    char *t = arena_alloc_raw(&a, 8000);
    assert_non_null(t);
    assert_true(t >= s + 16 || t + 8000 <= s);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena__buffer__is_taken_first_and_left_alone),
        cmocka_unit_test(arena__zeroed__an_empty_arena_mallocs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
