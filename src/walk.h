/* walk.h - turning command-line inputs into documents to scan. */
#ifndef RF_WALK_H
#define RF_WALK_H

#include <stddef.h>

/* Called for each file found; `named` is 1 when the user named it (then a
 * binary file is scanned as text) and 0 when found in a directory. */
typedef void (*walk_file_fn)(void *ctx, const char *path, int named);
/* Called for each path that cannot be walked: "PATH: reason". */
typedef void (*walk_error_fn)(void *ctx, const char *path, const char *why);

typedef struct walker {
    walk_file_fn on_file;
    walk_error_fn on_error;
    void *ctx;
    /* directories seen, so a symlink loop is walked once */
    struct walk_seen *seen;
    size_t n_seen, cap_seen;
} walker;

/* Walks one input: a file is reported as is; a directory recursively, in
 * name order, hidden entries skipped. */
void walk_path(walker *w, const char *path);
void walk_free(walker *w);

/* Reads a whole file ("-" = standard input) into *data (caller frees).
 * Returns 0, or an errno value. */
int walk_read(const char *path, char **data, size_t *len);

/* Does this look like a binary file (a NUL byte in its first 8 KiB, and
 * no UTF-16 byte order mark)? */
int walk_is_binary(const char *data, size_t len);

#endif
