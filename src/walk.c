/* readdir's d_type (DT_REG, DT_DIR), where the system has it */
#define _DEFAULT_SOURCE
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

struct walk_seen {
    dev_t dev;
    ino_t ino;
};

static int seen_before(walker *w, const struct stat *st)
{
    for (size_t i = 0; i < w->n_seen; i++)
        if (w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino)
            return 1;
    if (w->n_seen == w->cap_seen) {
        size_t cap = w->cap_seen ? w->cap_seen * 2 : 16;
        struct walk_seen *p = realloc(w->seen, cap * sizeof(*p));
        if (!p)
            return 0; /* without memory, walk on rather than stop */
        w->seen = p;
        w->cap_seen = cap;
    }
    w->seen[w->n_seen++] = (struct walk_seen){st->st_dev, st->st_ino};
    return 0;
}

/* A folder entry: its name, after the type readdir gave (or '?'). */
static char *entry_name(const struct dirent *de)
{
    size_t n = strlen(de->d_name);
    char *e = malloc(n + 2);
    if (!e)
        return NULL;
#ifdef DT_REG
    e[0] = de->d_type == DT_REG ? 'f' : '?';
#else
    e[0] = '?';
#endif
    memcpy(e + 1, de->d_name, n + 1);
    return e;
}

static int cmp_entries(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

static void walk_dir(walker *w, const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        w->on_error(w->ctx, path, strerror(errno));
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue; /* hidden files and folders, and . and .. */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(names, cap * sizeof(*p));
            if (!p)
                break;
            names = p;
        }
        if (!(names[n] = entry_name(de)))
            break;
        n++;
    }
    closedir(d);
    if (n) /* an empty folder leaves names NULL: not for qsort */
        qsort(names, n, sizeof(*names), cmp_entries);
    size_t plen = strlen(path);
    int slash = plen > 0 && path[plen - 1] == '/';
    for (size_t i = 0; i < n; i++) {
        if (w->stop) {
            free(names[i]);
            continue;
        }
        /* appended, not printed: formatting cost 2,300 instructions a file */
        const char *name = names[i] + 1;
        size_t nlen = strlen(name);
        buf full = BUF_INIT;
        if (!buf_reserve(&full, plen + 1 + nlen)) {
            buf_append(&full, path, plen);
            if (!slash)
                buf_putc(&full, '/');
            buf_append(&full, name, nlen);
        }
        int regular = names[i][0] == 'f';
        free(names[i]);
        if (full.oom)
            continue;
        struct stat st;
        if (regular) {
            /* readdir said so: no need to ask again (a file in thousands) */
            w->on_file(w->ctx, full.data, 0, 1);
        } else if (stat(full.data, &st)) {
            w->on_error(w->ctx, full.data, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            if (!seen_before(w, &st))
                walk_dir(w, full.data);
        } else if (S_ISREG(st.st_mode)) {
            w->on_file(w->ctx, full.data, 0, 1);
        }
        /* devices, FIFOs and sockets inside folders are passed over */
        buf_free(&full);
    }
    free(names);
}

void walk_path(walker *w, const char *path)
{
    struct stat st;
    if (w->stop)
        return;
    int known = strcmp(path, "-") != 0 && stat(path, &st) == 0;
    if (known && S_ISDIR(st.st_mode)) {
        if (!seen_before(w, &st))
            walk_dir(w, path);
        return;
    }
    /* Files, "-", FIFOs named by the user, and paths that do not exist
     * (their reader reports why). */
    w->on_file(w->ctx, path, 1, known && S_ISREG(st.st_mode));
}

void walk_free(walker *w)
{
    free(w->seen);
    w->seen = NULL;
    w->n_seen = w->cap_seen = 0;
}

int walk_read(const char *path, size_t max, char **data, size_t *len)
{
    buf b = BUF_INIT;
    walk_data d;
    int rc = walk_load(path, max, 0, &b, &d);
    if (rc == 0 && d.map) {
        /* the caller wants a copy it can free */
        if (buf_append(&b, d.data, d.len))
            rc = ENOMEM;
        walk_unload(&d);
    }
    if (rc) {
        buf_free(&b);
        return rc;
    }
    *len = b.len;
    *data = buf_take(&b);
    return *data ? 0 : ENOMEM;
}

/* The bytes to ask read() for next: what b has room for (keeping a byte
 * for the NUL), but no more than one past max, which tells a file over it. */
static size_t read_room(const buf *b, size_t max)
{
    size_t room = b->cap - b->len - 1;
    return max - b->len < room ? max - b->len + 1 : room;
}

/* Reads up to room bytes into b after its contents; the count read, or -1
 * with errno set. */
static ssize_t read_more(int fd, buf *b, size_t room)
{
    ssize_t n;
    do
        n = read(fd, b->data + b->len, room);
    while (n < 0 && errno == EINTR);
    if (n > 0)
        b->len += (size_t)n;
    return n;
}

int walk_load(const char *path, size_t max, int regular_hint, buf *reuse,
              walk_data *out)
{
    memset(out, 0, sizeof(*out));
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0)
        return errno;
    struct stat st;
    int rc = 0, regular = 0;
    size_t size = 0;
    reuse->len = 0;
    if (regular_hint && fd != STDIN_FILENO && reuse->cap > 1) {
        /* Most files fit in the buffer the last one left: one read, and
         * no fstat unless it fills the buffer. A regular file that gives
         * less than asked for is at its end. */
        size_t room = read_room(reuse, max);
        ssize_t n = read_more(fd, reuse, room);
        if (n < 0) {
            rc = errno;
            goto out;
        }
        if ((size_t)n < room)
            goto done;
    }
    if (fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            rc = EISDIR;
            goto out;
        }
        regular = S_ISREG(st.st_mode) &&
                  (unsigned long long)st.st_size < (size_t)-1 / 2;
        size = regular ? (size_t)st.st_size : 0;
        if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
            rc = EFBIG; /* said before reading it */
            goto out;
        }
    }
    if (regular && size >= WALK_MAP_MIN) {
        off_t at = fd == STDIN_FILENO ? lseek(fd, 0, SEEK_CUR) : 0;
        void *m = at == 0 ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0)
                          : MAP_FAILED;
        if (m != MAP_FAILED) {
            /* read ahead, but map the pages where they are first read:
             * for a big file, on every lane of the scan at once */
            (void)posix_madvise(m, size, POSIX_MADV_WILLNEED);
            out->map = m;
            out->map_len = size;
            out->data = m;
            out->len = size;
            goto out;
        }
        /* not mappable after all: read it */
    }
    if (regular &&
        buf_reserve(reuse, size > reuse->len ? size - reuse->len : 0)) {
        rc = ENOMEM;
        goto out;
    }
    for (;;) {
        if (!regular && buf_reserve(reuse, 65536)) {
            rc = ENOMEM;
            break;
        }
        size_t room = reuse->cap - reuse->len - 1;
        if (room == 0 && buf_reserve(reuse, 65536)) {
            rc = ENOMEM;
            break;
        }
        room = read_room(reuse, max);
        ssize_t n = read_more(fd, reuse, room);
        if (n < 0) {
            rc = errno;
            break;
        }
        if (reuse->len > max) {
            rc = EFBIG; /* a pipe or a device: stopped once past the limit */
            break;
        }
        /* a regular file that gave less than asked for is at its end */
        if (n == 0 || (regular && (size_t)n < room))
            break;
    }
done:
    if (rc == 0) {
        reuse->data[reuse->len] = '\0';
        out->data = reuse->data;
        out->len = reuse->len;
    } else if (rc == ENOMEM || rc == EFBIG) {
        buf_free(reuse); /* start afresh with the next file */
    }
out:
    if (fd != STDIN_FILENO)
        close(fd);
    return rc;
}

void walk_unload(walk_data *d)
{
    if (d->map)
        munmap(d->map, d->map_len);
    memset(d, 0, sizeof(*d));
}

int walk_is_binary(const char *data, size_t len)
{
    const unsigned char *u = (const unsigned char *)data;
    /* UTF-16 text is full of NULs; its byte order mark says it is text. */
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                     (u[0] == 0xFE && u[1] == 0xFF)))
        return 0;
    return memchr(data, '\0', len < 8192 ? len : 8192) != NULL;
}
