/* walk.h - turning command-line inputs into documents to scan. */
#ifndef RF_WALK_H
#define RF_WALK_H

#include <stddef.h>

/* Called for each file found; `named` is 1 when the user named it (then a
 * binary file is scanned as text) and 0 when found in a directory;
 * `regular` is 1 for a regular file and 0 for what reading may wait on a
 * writer for (standard input, a FIFO, a terminal) or could not be looked
 * at. Files found in a directory are regular. */
typedef void (*walk_file_fn)(void *ctx, const char *path, int named,
                             int regular);
/* Called for each path that cannot be walked: "PATH: reason". */
typedef void (*walk_error_fn)(void *ctx, const char *path, const char *why);

typedef struct walker {
    walk_file_fn on_file;
    walk_error_fn on_error;
    void *ctx;
    int stop; /* set by a callback: no more files (the output is gone) */
    /* directories seen, so a symlink loop is walked once */
    struct walk_seen *seen;
    size_t n_seen, cap_seen;
} walker;

/* Walks one input: a file is reported as is; a directory recursively, in
 * name order, hidden entries skipped. */
void walk_path(walker *w, const char *path);
void walk_free(walker *w);

/* Reads a whole file ("-" = standard input) into *data (caller frees).
 * Returns 0, or an errno value: EFBIG when it holds more than max bytes. */
int walk_read(const char *path, size_t max, char **data, size_t *len);

/* A file's contents, mapped or read (walk_load). */
typedef struct walk_data {
    const char *data;
    size_t len;
    void *map;      /* when mapped: what to unmap */
    size_t map_len;
} walk_data;

struct buf;

/*
 * The whole contents of a file ("-" = standard input): a regular file of
 * WALK_MAP_MIN bytes or more is mapped, without a copy; anything else (a
 * small file, a pipe, a terminal, a FIFO) is read into *reuse, which keeps
 * its memory for the next file. Release with walk_unload before reusing
 * *reuse. Returns 0, or an errno value: EFBIG for more than max bytes,
 * found before reading a regular file and once past max in a pipe.
 * With regular_hint (the file was regular when the folder was read), a
 * file that fits in *reuse is read without asking for its size first.
 */
#define WALK_MAP_MIN (1u << 20)
int walk_load(const char *path, size_t max, int regular_hint,
              struct buf *reuse, walk_data *out);
void walk_unload(walk_data *d);

/* Does this look like a binary file (a NUL byte in its first 8 KiB, and
 * no UTF-16 byte order mark)? */
int walk_is_binary(const char *data, size_t len);

#endif
