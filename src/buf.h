/* buf.h - a growable byte buffer, always NUL-terminated. */
#ifndef RF_BUF_H
#define RF_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data; /* NULL until the first append */
    size_t len;
    size_t cap;
    int oom;    /* set once an allocation failed; later appends do nothing */
} buf;

#define BUF_INIT {NULL, 0, 0, 0}

/* Each returns 0, or -1 (and sets b->oom) when out of memory. */
int buf_reserve(buf *b, size_t extra);
int buf_append(buf *b, const char *s, size_t n);
int buf_puts(buf *b, const char *s);
int buf_putc(buf *b, char c);
int buf_printf(buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Hands the NUL-terminated contents to the caller (who frees them) and
 * resets b; returns NULL when out of memory. */
char *buf_take(buf *b);
void buf_free(buf *b);

#endif
