/*
 * batch.c - worker threads over a ring of inputs (see batch.h).
 *
 * The ring holds the inputs between the oldest not yet reported (head)
 * and the next to add (tail). Inputs are claimed in order (next), worked
 * on without the lock, and marked done; the adding thread reports from
 * head while the head input is done. Only that thread touches an input
 * once it is done, so reporting needs no lock.
 *
 * The adding thread is one of the `jobs` workers: when the ring is full
 * it works on the next input itself rather than wait (unless that input
 * may wait on a writer: see batch_add), so -jN runs N-1 threads besides
 * it and N busy threads in all, not N+1 on N cores.
 * Handing an input over costs one lock for each side and, as long as
 * nobody runs out of work, no wake-up at all: a worker is signalled only
 * when it sleeps for want of inputs, the adding thread only when it
 * sleeps for the head input.
 */
#include "batch.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Inputs in flight per worker: enough to keep every worker busy while
 * an input that takes long holds the head, or while the thread working on
 * it is not given a processor (other programs ran on the machine): at 8,
 * -j2 over 2,815 postings on a busy 2-core machine slept and woke about
 * 1,400 times, at 32 about 300. Each is one file's results, a few KB. */
#define PER_WORKER 32

typedef struct slot {
    batch_item it;
    int preset;   /* reported as added, with its error: no work */
    int may_wait; /* left to the worker threads (batch_add) */
    int done;
} slot;

struct batch {
    const rf_rules *rs;
    batch_work_fn work;
    batch_emit_fn emit;
    batch_idle_fn idle;
    void *ctx;
    int jobs;
    slot *ring;
    size_t cap;
    size_t head, next, tail; /* counts; slot = count % cap */
    pthread_mutex_t lock;
    pthread_cond_t have_work; /* next < tail, or stopping */
    pthread_cond_t have_done; /* the head input is done */
    int sleeping;            /* workers waiting on have_work */
    int adder_sleeps;        /* the adding thread waits on have_done */
    int stopping;
    pthread_t *threads;
    batch_worker *workers;   /* [0] is the adding thread's */
    int started;             /* threads running: n_threads */
    int n_threads;
    int tried;               /* to start them */
    int finished;
};

int batch_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}

int batch_item_add_doc(batch_item *it, const char *name, rf_result *res,
                       const char *error)
{
    batch_doc *d = realloc(it->docs, (it->n_docs + 1) * sizeof(*d));
    if (!d) {
        rf_result_free(res);
        return -1;
    }
    it->docs = d;
    d = &d[it->n_docs];
    d->name = strdup(name);
    d->res = res;
    d->error = error ? strdup(error) : NULL;
    if (!d->name || (error && !d->error)) {
        free(d->name);
        free(d->error);
        rf_result_free(res);
        return -1;
    }
    it->n_docs++;
    return 0;
}

static void item_clear(batch_item *it)
{
    for (size_t i = 0; i < it->n_docs; i++) {
        free(it->docs[i].name);
        free(it->docs[i].error);
        rf_result_free(it->docs[i].res);
    }
    free(it->docs);
    free(it->path);
    memset(it, 0, sizeof(*it));
}

static int worker_init(batch_worker *w, const rf_rules *rs)
{
    memset(w, 0, sizeof(*w));
    w->scanner = rf_scanner_new(rs);
    return w->scanner ? 0 : -1;
}

static void worker_free(batch_worker *w)
{
    rf_scanner_free(w->scanner);
    buf_free(&w->data);
}

/* The work, or, without a scanner, the error that says why. */
static void do_work(batch *b, batch_worker *w, batch_item *it)
{
    if (!w->scanner) {
        batch_item_add_doc(it, strcmp(it->path, "-") ? it->path : "-", NULL,
                           "out of memory");
        return;
    }
    b->work(b->ctx, w, it);
}

/* Takes the next input to work on. Lock held. */
static slot *claim(batch *b)
{
    return &b->ring[b->next++ % b->cap];
}

/* Marks an input done, waking the adding thread if it sleeps for this
 * one. Lock held. */
static void mark_done(batch *b, slot *s)
{
    s->done = 1;
    if (b->adder_sleeps && s == &b->ring[b->head % b->cap])
        pthread_cond_signal(&b->have_done);
}

/* Works on a claimed input, without the lock. Called and returns with the
 * lock held. */
static void work_unlocked(batch *b, batch_worker *w, slot *s)
{
    pthread_mutex_unlock(&b->lock);
    if (!s->preset)
        do_work(b, w, &s->it);
    pthread_mutex_lock(&b->lock);
    mark_done(b, s);
}

static void *worker_main(void *arg)
{
    batch *b = ((void **)arg)[0];
    batch_worker *w = ((void **)arg)[1];
    free(arg);
    pthread_mutex_lock(&b->lock);
    for (;;) {
        while (!b->stopping && b->next == b->tail) {
            b->sleeping++;
            pthread_cond_wait(&b->have_work, &b->lock);
            b->sleeping--;
        }
        if (b->next == b->tail)
            break; /* stopping, and nothing left */
        work_unlocked(b, w, claim(b));
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

batch *batch_new(const rf_rules *rs, int jobs, batch_work_fn work,
                 batch_emit_fn emit, batch_idle_fn idle, void *ctx)
{
    batch *b = calloc(1, sizeof(*b));
    if (!b)
        return NULL;
    b->rs = rs;
    b->work = work;
    b->emit = emit;
    b->idle = idle;
    b->ctx = ctx;
    b->jobs = jobs < 1 ? 1 : jobs;
    b->cap = b->jobs == 1 ? 1 : (size_t)b->jobs * PER_WORKER;
    b->ring = calloc(b->cap, sizeof(slot));
    b->workers = calloc((size_t)b->jobs, sizeof(batch_worker));
    b->threads = calloc((size_t)b->jobs, sizeof(pthread_t));
    if (!b->ring || !b->workers || !b->threads) {
        free(b->ring);
        free(b->workers);
        free(b->threads);
        free(b);
        return NULL;
    }
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->have_work, NULL);
    pthread_cond_init(&b->have_done, NULL);
    /* The first worker's state is the adding thread's: it serves -j1, a
     * lone input, and the inputs that thread works on. */
    (void)worker_init(&b->workers[0], rs);
    return b;
}

/* Reports the done inputs at the head. Called and returns with the lock
 * held; the lock is dropped while reporting: workers touch no input that
 * is done. */
static void emit_ready(batch *b)
{
    size_t n = 0;
    while (b->head + n < b->next && b->ring[(b->head + n) % b->cap].done)
        n++;
    if (n == 0)
        return;
    pthread_mutex_unlock(&b->lock);
    for (size_t i = 0; i < n; i++) {
        slot *s = &b->ring[(b->head + i) % b->cap];
        b->emit(b->ctx, &s->it);
        item_clear(&s->it);
        s->done = 0;
    }
    pthread_mutex_lock(&b->lock);
    b->head += n;
}

/*
 * The adding thread cannot go on (the ring is full, or it is finishing):
 * it works on the next input itself, or, when every input is taken or the
 * next may wait for long, waits for the head input. Lock held.
 */
static void help_or_wait(batch *b)
{
    if (b->next < b->tail && !b->ring[b->next % b->cap].may_wait) {
        work_unlocked(b, &b->workers[0], claim(b));
        return;
    }
    if (b->idle) {
        pthread_mutex_unlock(&b->lock);
        b->idle(b->ctx);
        pthread_mutex_lock(&b->lock);
    }
    b->adder_sleeps = 1;
    while (!b->ring[b->head % b->cap].done)
        pthread_cond_wait(&b->have_done, &b->lock);
    b->adder_sleeps = 0;
}

/* Starts jobs-1 workers besides this thread; with none, the work goes on
 * in this thread alone. */
static void start_threads(batch *b)
{
    for (int i = 1; i < b->jobs; i++) {
        (void)worker_init(&b->workers[i], b->rs);
        void **arg = malloc(2 * sizeof(void *));
        if (!arg)
            break;
        arg[0] = b;
        arg[1] = &b->workers[i];
        if (pthread_create(&b->threads[b->n_threads], NULL, worker_main, arg)) {
            free(arg);
            break;
        }
        b->n_threads++;
    }
    b->started = b->n_threads > 0;
}

int batch_add(batch *b, const char *path, int named, int regular,
              const char *error)
{
    batch_item it;
    memset(&it, 0, sizeof(it));
    it.named = named;
    it.regular = regular;
    it.path = strdup(path);
    int rc = 0;
    if (!it.path) {
        error = "out of memory";
        rc = -1;
    }
    if (error && batch_item_add_doc(&it, path, NULL, error))
        rc = -1;
    if (!b->tried && b->jobs > 1 && b->tail > 0) {
        b->tried = 1;
        start_threads(b);
    }
    if (!b->started) {
        /* One worker, in this thread: work and report at once. */
        if (!error)
            do_work(b, &b->workers[0], &it);
        b->emit(b->ctx, &it);
        item_clear(&it);
        if (b->idle)
            b->idle(b->ctx);
        b->head = b->next = ++b->tail;
        return rc;
    }
    pthread_mutex_lock(&b->lock);
    for (;;) {
        emit_ready(b);
        if (b->tail - b->head < b->cap)
            break;
        help_or_wait(b);
    }
    slot *s = &b->ring[b->tail % b->cap];
    s->it = it;
    s->preset = error != NULL;
    s->may_wait = !regular && !error;
    s->done = 0;
    b->tail++;
    if (b->sleeping)
        pthread_cond_signal(&b->have_work);
    pthread_mutex_unlock(&b->lock);
    return rc;
}

void batch_finish(batch *b)
{
    if (!b || b->finished)
        return;
    b->finished = 1;
    if (!b->started)
        return;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        emit_ready(b);
        if (b->head == b->tail)
            break;
        help_or_wait(b);
    }
    b->stopping = 1;
    pthread_cond_broadcast(&b->have_work);
    pthread_mutex_unlock(&b->lock);
    for (int i = 0; i < b->n_threads; i++)
        pthread_join(b->threads[i], NULL);
}

void batch_free(batch *b)
{
    if (!b)
        return;
    batch_finish(b);
    for (int i = 0; i < b->jobs; i++)
        worker_free(&b->workers[i]);
    for (size_t i = 0; i < b->cap; i++)
        item_clear(&b->ring[i].it);
    pthread_mutex_destroy(&b->lock);
    pthread_cond_destroy(&b->have_work);
    pthread_cond_destroy(&b->have_done);
    free(b->ring);
    free(b->workers);
    free(b->threads);
    free(b);
}
