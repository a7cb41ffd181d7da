#include "decode.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "lanes.h"
#include "text.h"

static int set_error(rf_error *err, int code, const char *msg)
{
    if (err) {
        err->code = code;
        snprintf(err->message, sizeof(err->message), "%s", msg);
    }
    return -1;
}

static uint32_t unit16(const unsigned char *u, int le)
{
    return le ? (uint32_t)u[0] | (uint32_t)u[1] << 8
              : (uint32_t)u[0] << 8 | (uint32_t)u[1];
}

/* UTF-16 after its mark (src, n bytes) into d->conv and d->shadow. */
static int decode_utf16(const unsigned char *src, size_t n, int le,
                        decoded *d)
{
    d->shadow = malloc(n + 1);
    if (!d->shadow || mtext_reserve(&d->conv, n + n / 2))
        return -1;
    char *sh = d->shadow;
    size_t k = 0;
    while (k + 1 < n) {
        uint32_t cp = unit16(src + k, le);
        size_t w = 2;
        if (cp >= 0xD800 && cp <= 0xDBFF && k + 3 < n) {
            uint32_t lo = unit16(src + k + 2, le);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                w = 4;
            }
        }
        if (mtext_put_utf8(&d->conv, cp, k)) /* lone surrogates: U+FFFD */
            return -1;
        /* The stand-in: a line break or a character start where the
         * original has one, continuation bytes for the rest. */
        sh[k] = cp == '\n' ? '\n' : 'x';
        memset(sh + k + 1, 0x80, w - 1);
        k += w;
    }
    if (k < n) { /* an odd last byte */
        if (mtext_put_utf8(&d->conv, 0xFFFD, k))
            return -1;
        sh[k++] = 'x';
    }
    sh[n] = '\0';
    return mtext_finish(&d->conv, n);
}

int decode_input(const char *data, size_t len, decoded *out, rf_error *err)
{
    const unsigned char *u = (const unsigned char *)data;
    memset(out, 0, sizeof(*out));
    if (len >= 4 && ((u[0] == 0xFF && u[1] == 0xFE && !u[2] && !u[3]) ||
                     (!u[0] && !u[1] && u[2] == 0xFE && u[3] == 0xFF)))
        return set_error(err, RF_ERR_INPUT,
                         "UTF-32 text is not supported; convert it to UTF-8 "
                         "(iconv -f UTF-32 -t UTF-8)");
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                     (u[0] == 0xFE && u[1] == 0xFF))) {
        out->base = 2;
        if (decode_utf16(u + 2, len - 2, u[0] == 0xFF, out)) {
            decode_free(out);
            return set_error(err, RF_ERR_NOMEM, "out of memory");
        }
        out->text = out->conv.text;
        out->len = out->conv.len;
        out->map = out->conv.map;
        out->pos = out->shadow;
        out->pos_len = len - 2;
        return 0;
    }
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        out->base = 3;
    out->text = data + out->base;
    out->len = len - out->base;
    out->pos = out->text;
    out->pos_len = out->len;
    return 0;
}

void decode_free(decoded *d)
{
    if (!d)
        return;
    mtext_free(&d->conv);
    free(d->shadow);
    memset(d, 0, sizeof(*d));
}

/* Bytes of the invisible character at u, or 0. */
static size_t invisible_len(const unsigned char *u, size_t n)
{
    if (n >= 2 && u[0] == 0xC2 && u[1] == 0xAD)
        return 2; /* U+00AD soft hyphen */
    if (n < 3)
        return 0;
    if (u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0x8B && u[2] <= 0x8D)
        return 3; /* U+200B-U+200D zero-width space, non-joiner, joiner */
    if (u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0xA0)
        return 3; /* U+2060 word joiner */
    if (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return 3; /* U+FEFF zero-width no-break space */
    return 0;
}

/*
 * Where the next byte to clean up starts in u[0..n), or n: an invisible
 * character (*w bytes, dropped; *bad = 0) or a byte that is not valid UTF-8
 * (*w = 1, *bad = 1, replaced by DECODE_INVALID so that offsets stay as
 * they are and a pattern can look past it: PCRE2 never lets a match cross
 * an invalid byte, which would blind the rules that read the whole posting).
 */
static size_t next_special(const unsigned char *u, size_t n, size_t *w,
                           int *bad)
{
    const char *s = (const char *)u;
    size_t i = 0;
    /* ASCII runs are skipped in blocks: none of it needs cleaning */
    while ((i += text_ascii_len(s + i, n - i)) < n) {
        if ((*w = invisible_len(u + i, n - i))) {
            *bad = 0;
            return i;
        }
        size_t v = text_utf8_len(s + i, n - i);
        if (v == 0) {
            *w = 1;
            *bad = 1;
            return i;
        }
        i += v;
    }
    *w = 0;
    *bad = 0;
    return n;
}

int decode_has_invisible(const char *s, size_t n)
{
    size_t w;
    int bad;
    return next_special((const unsigned char *)s, n, &w, &bad) < n;
}

int decode_drop_invisible(const char *s, size_t n, mtext *out)
{
    const unsigned char *u = (const unsigned char *)s;
    static const char invalid = DECODE_INVALID;
    size_t i = 0;
    while (i < n) {
        size_t w;
        int bad;
        size_t j = i + next_special(u + i, n - i, &w, &bad);
        if (mtext_copy(out, s + i, j - i, i) ||
            (bad && mtext_copy(out, &invalid, 1, j)))
            return -1;
        i = j + w;
    }
    return 0;
}


/* The runs of a text being made (rf_span). */
typedef struct span_vec {
    rf_span *v;
    size_t n, cap;
} span_vec;

/* Appends the run that starts at text offset `text`, source offset src,
 * unless it goes on from the last one (nothing dropped in between). */
static int span_add(span_vec *sv, size_t text, size_t src)
{
    if (sv->n && sv->v[sv->n - 1].src + (text - sv->v[sv->n - 1].text) == src)
        return 0;
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? 2 * sv->cap : 16;
        rf_span *v = realloc(sv->v, cap * sizeof(*v));
        if (!v)
            return -1;
        sv->v = v;
        sv->cap = cap;
    }
    sv->v[sv->n++] = (rf_span){text, src};
    return 0;
}

/*
 * Cleans s[from..to) (from and to are character starts) into t[at..end),
 * the room its text takes, adding its runs to sv; with t NULL only counts.
 * Returns the bytes of text it makes, or (size_t)-1 when out of memory.
 */
static size_t clean_piece(const char *s, size_t from, size_t to, char *t,
                          size_t at, size_t end, span_vec *sv)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = from, len = at;
    while (i < to) {
        /* the ASCII run copied as it is scanned: one pass, not two; never
         * written past end, where another lane's piece may begin */
        size_t a = t ? text_ascii_copy(t + len, s + i,
                                       to - i < end - len ? to - i : end - len)
                     : text_ascii_len(s + i, to - i);
        size_t j = i + a, w = 0, c = 0; /* then w bytes dropped, or c kept */
        if (j < to && !(w = invisible_len(u + j, to - j)) &&
            !(c = text_utf8_len(s + j, to - j)))
            c = 1; /* not UTF-8: kept as DECODE_INVALID */
        if (t && a + c > 0 && span_add(sv, len, i))
            return (size_t)-1;
        len += a;
        if (t && c == 1)
            t[len] = DECODE_INVALID;
        else if (t)
            memcpy(t + len, s + j, c);
        len += c;
        i = j + c + w;
    }
    return len - at;
}

/* Below this many bytes a piece is not worth a thread of its own. */
#define CLEAN_LANE_MIN ((size_t)4 << 20)

/* The pieces a text is cleaned in, one per lane, and what each made. */
typedef struct clean_job {
    const char *s;
    size_t cut[LANES_MAX + 1]; /* piece i is s[cut[i] .. cut[i + 1]) */
    size_t at[LANES_MAX + 1];  /* and its text, t[at[i] .. at[i + 1]) */
    char *t;                   /* NULL while counting */
    span_vec sv[LANES_MAX];
    size_t got[LANES_MAX];
} clean_job;

static void clean_lane(size_t i, void *arg)
{
    clean_job *j = arg;
    if (j->t)
        bigmem_prefault(j->t + j->at[i], j->at[i + 1] - j->at[i]);
    j->got[i] = clean_piece(j->s, j->cut[i], j->cut[i + 1], j->t, j->at[i],
                            j->at[i + 1], &j->sv[i]);
}

/* Cuts s[0..n) into k pieces of about the same size, each starting at an
 * ASCII byte (which never belongs to a character of several bytes nor to
 * an invisible one), or empty. */
static void cut_pieces(const char *s, size_t n, size_t k, size_t *cut)
{
    cut[0] = 0;
    for (size_t i = 1; i < k; i++) {
        size_t c = n / k * i;
        if (c < cut[i - 1])
            c = cut[i - 1];
        while (c < n && (unsigned char)s[c] >= 0x80)
            c++;
        cut[i] = c;
    }
    cut[k] = n;
}

int decode_drop_invisible_spans(const char *s, size_t n, unsigned threads,
                                char **out, size_t *out_len, rf_span **spans,
                                size_t *n_spans)
{
    clean_job j;
    size_t k = threads > 1 ? n / CLEAN_LANE_MIN : 1;
    if (k > threads)
        k = threads;
    if (k > LANES_MAX)
        k = LANES_MAX;
    if (k < 1)
        k = 1;
    j.s = s;
    j.t = NULL;
    memset(j.sv, 0, sizeof(j.sv));
    cut_pieces(s, n, k, j.cut);
    j.at[0] = 0;
    if (k > 1) {
        /* how much text each piece makes, then each where it goes */
        lanes_run(k, clean_lane, &j);
        for (size_t i = 0; i < k; i++)
            j.at[i + 1] = j.at[i] + j.got[i];
    } else {
        j.at[1] = n; /* room enough: a text is never longer */
    }
    char *t = malloc(n + 1);
    span_vec all = {NULL, 0, 0};
    int oom = !t;
    if (t) {
        j.t = t; /* each piece maps its part of t (clean_lane) and fills it */
        lanes_run(k, clean_lane, &j);
        /* the runs of all pieces, one where a piece goes on from the last */
        for (size_t i = 0; i < k; i++) {
            oom |= j.got[i] == (size_t)-1;
            for (size_t r = 0; r < j.sv[i].n && !oom; r++)
                oom = span_add(&all, j.sv[i].v[r].text, j.sv[i].v[r].src) != 0;
        }
        /* an empty text still has its one run */
        if (!oom && all.n == 0)
            oom = span_add(&all, 0, 0) != 0;
    }
    for (size_t i = 0; i < k; i++)
        free(j.sv[i].v);
    if (oom) {
        free(t);
        free(all.v);
        return -1;
    }
    size_t len = 0;
    for (size_t i = 0; i < k; i++)
        len += j.got[i];
    t[len] = '\0';
    *out = t;
    *out_len = len;
    *spans = all.v;
    *n_spans = all.n;
    return 0;
}

/* Drops the invisible characters of m in place; the map entries of the
 * bytes kept stay as they are. */
static void compact_invisible(mtext *m)
{
    const unsigned char *u = (const unsigned char *)m->text;
    size_t i = 0, j = 0, w;
    int bad;
    while (i < m->len) {
        size_t k = i + next_special(u + i, m->len - i, &w, &bad);
        if (bad)
            k++; /* kept, as DECODE_INVALID, with its map entry */
        if (j != i) {
            memmove(m->text + j, m->text + i, k - i);
            memmove(m->map + j, m->map + i, (k - i) * sizeof(size_t));
        }
        j += k - i;
        if (bad)
            m->text[j - 1] = DECODE_INVALID;
        i = k + (bad ? 0 : w);
    }
    m->map[j] = m->map[m->len];
    m->text[j] = '\0';
    m->len = j;
}

int decode_finish(const decoded *d, mtext *m)
{
    if (mtext_finish(m, d->len))
        return -1;
    compact_invisible(m);
    if (d->map)
        mtext_compose(m->map, m->len, d->map);
    return 0;
}
