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

/* n pieces in a, each too big to share a block, filled with c, c + 1 ... */
static void fill(arena *a, char c, char **pieces, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        pieces[i] = arena_alloc_raw(a, 9000); /* more than a block holds */
        assert_non_null(pieces[i]);
        memset(pieces[i], c + (int)i, 9000);
    }
}

static void arena__adopt__keeps_the_pieces_and_the_room_left(void **state)
{
    (void)state;
    char *mine[2], *theirs[3], *empty_got[2];
    arena dst = {0}, src = {0}, empty = {0};
    fill(&dst, 'a', mine, 2);
    char *small = arena_alloc_raw(&dst, 16); /* a block with room left */
    assert_non_null(small);
    unsigned char *left = dst.next, *end = dst.end;
    fill(&src, 'k', theirs, 3);
    arena_adopt(&dst, &src);
    assert_null(src.head);
    assert_null(src.next);
    /* dst goes on where it was */
    assert_ptr_equal(dst.next, left);
    assert_ptr_equal(dst.end, end);
    assert_ptr_equal(arena_alloc_raw(&dst, 16), left);
    /* an empty arena takes the blocks as they are */
    fill(&src, 'x', empty_got, 2);
    arena_adopt(&empty, &src);
    arena_adopt(&empty, &src); /* nothing left to move */
    assert_null(src.head);
    assert_non_null(empty.head);
    for (size_t i = 0; i < 3; i++)
        for (size_t b = 0; b < 9000; b += 1000)
            assert_int_equal(theirs[i][b], 'k' + (int)i);
    for (size_t b = 0; b < 9000; b += 1000)
        assert_int_equal(mine[1][b], 'a' + 1);
    /* every block freed once: ASan and valgrind (make leakcheck) see to
     * it that none is lost or freed twice */
    arena_free(&dst);
    arena_free(&empty);
    arena_free(&src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena__buffer__is_taken_first_and_left_alone),
        cmocka_unit_test(arena__zeroed__an_empty_arena_mallocs),
        cmocka_unit_test(arena__adopt__keeps_the_pieces_and_the_room_left),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
