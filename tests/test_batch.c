/* Batch: inputs reported once each, in input order, by the adding thread,
 * with a bounded number in flight and at most `jobs` threads at work.
 * Assertions stay in the adding thread: workers only count. */
#include "testutil.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "batch.h"

#define RULE                                                                \
    "[working-interview]\ncategory = pay\nseverity = high\ntitle = t\n"     \
    "why = w\nadvice = a\nphrase = working interview\n"

typedef struct seen {
    pthread_t adder;
    size_t n_added;     /* by the test, in the adding thread */
    size_t n_emitted;   /* in the adding thread */
    size_t max_in_flight;
    int out_of_order;
    int emitted_elsewhere;   /* emit or idle ran in another thread */
    atomic_int busy;         /* work calls running now */
    atomic_int max_busy;
    atomic_int by_adder;     /* work calls in the adding thread */
    atomic_int worked_error; /* work called on an input added with an error */
    atomic_int no_scanner;   /* a worker without its scanner */
    size_t slow_every;       /* inputs i % slow_every == 0 take a while */
} seen;

static void nap_us(long us)
{
    struct timespec ts = {0, us * 1000};
    nanosleep(&ts, NULL);
}

static void work(void *ctx, batch_worker *w, batch_item *it)
{
    seen *s = ctx;
    int now = atomic_fetch_add(&s->busy, 1) + 1;
    int max = atomic_load(&s->max_busy);
    while (now > max && !atomic_compare_exchange_weak(&s->max_busy, &max, now))
        ;
    if (pthread_equal(pthread_self(), s->adder))
        atomic_fetch_add(&s->by_adder, 1);
    if (strncmp(it->path, "bad-", 4) == 0)
        atomic_fetch_add(&s->worked_error, 1);
    if (!w->scanner)
        atomic_fetch_add(&s->no_scanner, 1);
    size_t i = strtoul(it->path + 3, NULL, 10);
    if (s->slow_every && i % s->slow_every == 0)
        nap_us(300);
    batch_item_add_doc(it, it->path, NULL, NULL);
    atomic_fetch_sub(&s->busy, 1);
}

/* Input i is "in-i", or "bad-i" when added with an error. */
static void emit(void *ctx, const batch_item *it)
{
    seen *s = ctx;
    if (!pthread_equal(pthread_self(), s->adder))
        s->emitted_elsewhere = 1;
    char want[32];
    size_t i = s->n_emitted++;
    snprintf(want, sizeof(want), i % 10 == 9 ? "bad-%zu" : "in-%zu", i);
    if (strcmp(it->path, want) != 0 || it->n_docs != 1 ||
        strcmp(it->docs[0].name, want) != 0 ||
        (i % 10 == 9) != (it->docs[0].error != NULL))
        s->out_of_order = 1;
}

static void idle(void *ctx)
{
    seen *s = ctx;
    if (!pthread_equal(pthread_self(), s->adder))
        s->emitted_elsewhere = 1;
}

/* Adds n inputs, every tenth with an error, and finishes. */
static void run_batch(seen *s, int jobs, size_t n)
{
    rf_rules *rs = load_rules_text(RULE);
    s->adder = pthread_self();
    batch *b = batch_new(rs, jobs, work, emit, idle, s);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++) {
        char path[32];
        int bad = i % 10 == 9;
        snprintf(path, sizeof(path), bad ? "bad-%zu" : "in-%zu", i);
        assert_int_equal(
            batch_add(b, path, 0, 1, bad ? "cannot be read" : NULL), 0);
        s->n_added++;
        if (s->n_added - s->n_emitted > s->max_in_flight)
            s->max_in_flight = s->n_added - s->n_emitted;
    }
    batch_finish(b);
    assert_int_equal(s->n_emitted, n);
    batch_free(b);
    rf_rules_free(rs);
}

static void batch__any_jobs__reports_each_input_once_in_input_order(void **state)
{
    (void)state;
    const int jobs[] = {1, 2, 3, 8};
    for (size_t j = 0; j < sizeof(jobs) / sizeof(jobs[0]); j++) {
        seen s = {.slow_every = 7};
        run_batch(&s, jobs[j], 600);
        assert_false(s.out_of_order);
        assert_false(s.emitted_elsewhere);
        assert_int_equal(atomic_load(&s.worked_error), 0);
        assert_int_equal(atomic_load(&s.no_scanner), 0);
    }
}

static void batch__many_inputs__few_in_flight(void **state)
{
    (void)state;
    seen s = {.slow_every = 3};
    run_batch(&s, 2, 3000);
    assert_false(s.out_of_order);
    assert_true(s.max_in_flight >= 1);
    assert_true(s.max_in_flight <= 64);
}

static void batch__jobs_n__at_most_n_threads_work_at_once(void **state)
{
    (void)state;
    const int jobs[] = {1, 2, 4};
    for (size_t j = 0; j < sizeof(jobs) / sizeof(jobs[0]); j++) {
        seen s = {.slow_every = 1};
        run_batch(&s, jobs[j], 200);
        assert_true(atomic_load(&s.max_busy) <= jobs[j]);
    }
}

/* The ring fills at once when every input takes a while: the adding
 * thread then works on inputs itself, rather than wait as an extra
 * thread beside `jobs` others. */
static void batch__full_ring__adding_thread_works_too(void **state)
{
    (void)state;
    seen s = {.slow_every = 1};
    run_batch(&s, 2, 200);
    assert_false(s.out_of_order);
    assert_true(atomic_load(&s.by_adder) > 1);
}

static void batch__lone_input__worked_in_the_adding_thread(void **state)
{
    (void)state;
    seen s = {0};
    run_batch(&s, 4, 1);
    assert_false(s.out_of_order);
    assert_int_equal(atomic_load(&s.by_adder), 1);
}

/* Input 2 waits for a writer who waits for the report of inputs 0 and 1
 * (a FIFO fed by the reader of the report), for at most 2 s. */
typedef struct feed {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int reported;
    atomic_int starved; /* input 2 gave up waiting */
} feed;

static void work_fed(void *ctx, batch_worker *w, batch_item *it)
{
    feed *f = ctx;
    (void)w;
    if (strcmp(it->path, "in-1") == 0)
        nap_us(20000);
    if (strcmp(it->path, "wait-2") == 0) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 2;
        pthread_mutex_lock(&f->lock);
        while (f->reported < 2 &&
               pthread_cond_timedwait(&f->cond, &f->lock, &until) == 0)
            ;
        if (f->reported < 2)
            atomic_store(&f->starved, 1);
        pthread_mutex_unlock(&f->lock);
    }
    batch_item_add_doc(it, it->path, NULL, NULL);
}

static void emit_fed(void *ctx, const batch_item *it)
{
    feed *f = ctx;
    (void)it;
    pthread_mutex_lock(&f->lock);
    f->reported++;
    pthread_cond_broadcast(&f->cond);
    pthread_mutex_unlock(&f->lock);
}

static void batch__input_that_may_wait__left_to_a_worker_while_others_are_reported(
    void **state)
{
    (void)state;
    feed f = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
    rf_rules *rs = load_rules_text(RULE);
    batch *b = batch_new(rs, 2, work_fed, emit_fed, NULL, &f);
    assert_non_null(b);
    assert_int_equal(batch_add(b, "in-0", 1, 1, NULL), 0);
    assert_int_equal(batch_add(b, "in-1", 1, 1, NULL), 0);
    nap_us(10000); /* the worker takes in-1 */
    assert_int_equal(batch_add(b, "wait-2", 1, 0, NULL), 0);
    batch_finish(b);
    assert_int_equal(f.reported, 3);
    assert_int_equal(atomic_load(&f.starved), 0);
    batch_free(b);
    rf_rules_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(batch__any_jobs__reports_each_input_once_in_input_order),
        cmocka_unit_test(batch__many_inputs__few_in_flight),
        cmocka_unit_test(batch__jobs_n__at_most_n_threads_work_at_once),
        cmocka_unit_test(batch__full_ring__adding_thread_works_too),
        cmocka_unit_test(batch__lone_input__worked_in_the_adding_thread),
        cmocka_unit_test(
            batch__input_that_may_wait__left_to_a_worker_while_others_are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
