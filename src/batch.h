/*
 * batch.h - many inputs scanned by worker threads, reported in input order.
 *
 * The unit of work is one input: a path turns into a list of documents
 * (a text file is one; a file of records may be many), each with its
 * result or its error. Workers take inputs in order and work on them at
 * once; the thread that adds the inputs reports each one, in the order it
 * was added, as soon as it and every input before it are done, and is a
 * worker too: when it cannot add an input (too many in flight) it works on
 * one itself. At most a few dozen inputs per worker are in flight, so
 * memory does not grow with the number of inputs, and the output is the
 * same for any number of workers.
 */
#ifndef RF_BATCH_H
#define RF_BATCH_H

#include <stddef.h>

#include "buf.h"
#include "redflag.h"

/* One document of an input. */
typedef struct batch_doc {
    char *name;     /* what the report calls it */
    rf_result *res; /* NULL when it could not be read or scanned */
    char *error;    /* what went wrong, or NULL */
} batch_doc;

/* One input and what came of it. */
typedef struct batch_item {
    char *path;     /* as given or found */
    int named;      /* named by the user, not found in a folder */
    int regular;    /* a regular file when it was found or named */
    int skipped;    /* a binary file found in a folder: no document */
    batch_doc *docs;
    size_t n_docs;
} batch_item;

/* What each worker keeps from one input to the next. */
typedef struct batch_worker {
    rf_scanner *scanner;
    buf data;       /* for reading small files into */
} batch_worker;

/* Turns an item into documents; runs in any worker thread, the adding
 * thread among them, one item at a time per thread. Fill it with
 * batch_item_add_doc. */
typedef void (*batch_work_fn)(void *ctx, batch_worker *w, batch_item *it);
/* Reports an item; runs in the thread that adds items, in input order. */
typedef void (*batch_emit_fn)(void *ctx, const batch_item *it);
/* Called before that thread waits for workers: a chance to flush output. */
typedef void (*batch_idle_fn)(void *ctx);

typedef struct batch batch;

/*
 * A batch of `jobs` workers, the calling thread one of them (1: everything
 * runs in the calling thread), over the compiled rule set rs. The other
 * jobs-1 threads are started when a second input is added. NULL when out
 * of memory.
 */
batch *batch_new(const rf_rules *rs, int jobs, batch_work_fn work,
                 batch_emit_fn emit, batch_idle_fn idle, void *ctx);

/*
 * Adds an input. With `error`, the input is only reported, with that error
 * (a folder that cannot be read), in its place. `regular` says that it was
 * a regular file when found or named. Anything else (standard input, a
 * FIFO, a terminal) may wait on something else for long: the adding
 * thread leaves it to the other workers, so that the inputs done before it
 * are reported meanwhile.
 * Reports the inputs that are done, and may work on inputs or wait for
 * workers first. Returns 0, or -1 when out of memory (the input is then
 * reported with that error).
 */
int batch_add(batch *b, const char *path, int named, int regular,
              const char *error);

/* Works on or waits for every input left, and reports the rest. */
void batch_finish(batch *b);

/* Finishes (if not done) and frees; accepts NULL. */
void batch_free(batch *b);

/* Appends a document to an item; takes ownership of res. Returns 0, or -1
 * when out of memory (res is freed). */
int batch_item_add_doc(batch_item *it, const char *name, rf_result *res,
                       const char *error);

/* The number of processors online, at least 1. */
int batch_cpus(void);

#endif
