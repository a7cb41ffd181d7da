/*
 * decode.h - the bytes of an input as UTF-8 text to scan: byte order marks,
 * UTF-16, and the invisible characters that would split a word.
 */
#ifndef RF_DECODE_H
#define RF_DECODE_H

#include <stddef.h>

#include "mtext.h"
#include "redflag.h"

/*
 * An input as UTF-8. Offsets in `map` and `pos` count from `base`, the end
 * of the byte order mark: input offset = base + map[i].
 */
typedef struct decoded {
    const char *text; /* UTF-8: a view into the input, or conv.text */
    size_t len;
    const size_t *map; /* NULL when text[i] is input byte base + i */
    size_t base;       /* bytes of the byte order mark (0, 2 or 3) */
    /* What line and column are counted in, indexed like map: the input
     * after the mark, or for UTF-16 a UTF-8 stand-in of the same length
     * whose line breaks and character starts sit where the input's do. */
    const char *pos;
    size_t pos_len;
    mtext conv;  /* the UTF-16 conversion, owned */
    char *shadow; /* the UTF-16 stand-in, owned */
} decoded;

/*
 * Decodes len bytes of input: a UTF-8 byte order mark is skipped, UTF-16
 * (LE or BE, with its mark) is converted to UTF-8 (unpaired surrogates and
 * an odd last byte become U+FFFD), anything else is taken as UTF-8 as it
 * is. Returns 0; or non-zero with err filled when out of memory or for
 * UTF-32, which is refused. *out points into data, which must outlive it;
 * release it with decode_free.
 */
int decode_input(const char *data, size_t len, decoded *out, rf_error *err);
void decode_free(decoded *d);

/* What a byte that is not valid UTF-8 becomes before scanning: ASCII SUB,
 * one byte for one, so offsets do not move. It is neither a letter, a digit
 * nor white space, so it still separates words. */
#define DECODE_INVALID '\x1A'

/* Does s hold something cleaned up before scanning: a character that is
 * dropped (a soft hyphen U+00AD, a zero-width space or joiner
 * U+200B-U+200D, a word joiner U+2060, a zero-width no-break space U+FEFF)
 * or a byte that is not valid UTF-8 (replaced by DECODE_INVALID)? */
int decode_has_invisible(const char *s, size_t n);

/* Appends s without the dropped characters and with invalid bytes
 * replaced to out, mapped to offsets in s. Returns 0, or -1 when out of
 * memory. */
int decode_drop_invisible(const char *s, size_t n, mtext *out);

/*
 * The same as a new text (*out, *out_len, NUL-terminated) and the runs of
 * s it is made of (*spans, *n_spans; see rf_source), without a map entry
 * per byte, with up to `threads` threads for a text of several MB (0 or
 * 1: this one; the result is the same). The caller frees both. Returns 0,
 * or -1 when out of memory.
 */
int decode_drop_invisible_spans(const char *s, size_t n, unsigned threads,
                                char **out, size_t *out_len, rf_span **spans,
                                size_t *n_spans);

/*
 * Makes m (text whose map indexes d->text) ready to scan: drops the
 * invisible characters, then rewrites the map as offsets from d->base in
 * the input. Finishes m. Returns 0, or -1 when out of memory.
 */
int decode_finish(const decoded *d, mtext *m);

#endif
