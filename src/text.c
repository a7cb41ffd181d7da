#include "text.h"

#include <stdint.h>
#include <string.h>

static int is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

size_t text_codepoints(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += !is_cont((unsigned char)s[i]);
    return k;
}

void text_locate(const char *s, size_t len, size_t pos, text_pos *c,
                 size_t *line, size_t *column)
{
    if (pos > len)
        pos = len;
    if (c->line == 0 || pos < c->pos) {
        c->pos = 0;
        c->line = 1;
        c->line_start = 0;
        c->column = 1;
    }
    const char *p = s + c->pos, *end = s + pos;
    int new_line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        c->line++;
        c->line_start = (size_t)(nl + 1 - s);
        new_line = 1;
        p = nl + 1;
    }
    /* On the same line, count on from the last position: many hits on one
     * megabyte-long line must not recount the line for each. */
    if (new_line)
        c->column = text_codepoints(s + c->line_start, pos - c->line_start) + 1;
    else
        c->column += text_codepoints(s + c->pos, pos - c->pos);
    c->pos = pos;
    *line = c->line;
    *column = c->column;
}

size_t text_floor_char(const char *s, size_t len, size_t pos)
{
    size_t lim = pos > 3 ? pos - 3 : 0;
    while (pos > lim && pos < len && is_cont((unsigned char)s[pos]))
        pos--;
    return pos;
}

size_t text_ceil_char(const char *s, size_t len, size_t pos)
{
    size_t lim = pos + 3;
    while (pos < len && pos < lim && is_cont((unsigned char)s[pos]))
        pos++;
    return pos;
}

void text_trim(const char **s, const char **e)
{
    while (*s < *e && text_is_blank(**s))
        (*s)++;
    while (*e > *s && text_is_blank((*e)[-1]))
        (*e)--;
}

size_t text_space_len(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    if (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r'))
        return 1;
    if (n >= 2 && u[0] == 0xC2 && (u[1] == 0xA0 || u[1] == 0x85))
        return 2;
    if (n >= 3 && u[0] == 0xE2 && u[1] == 0x80 &&
        ((u[2] >= 0x80 && u[2] <= 0x8A) || u[2] == 0xA8 || u[2] == 0xA9 ||
         u[2] == 0xAF))
        return 3;
    if (n >= 3 && u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0x9F)
        return 3;
    if (n >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
        return 3;
    return 0;
}

size_t text_utf8_len(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    if (u[0] < 0x80)
        return 1;
    size_t w;
    uint32_t cp, min;
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        w = 2, cp = u[0] & 0x1Fu, min = 0x80;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        w = 3, cp = u[0] & 0x0Fu, min = 0x800;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        w = 4, cp = u[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n < w)
        return 0;
    for (size_t k = 1; k < w; k++) {
        if ((u[k] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (u[k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return w;
}

int text_valid_utf8(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        /* runs of ASCII, eight bytes at a time */
        uint64_t x;
        if (n - i >= 8 && (memcpy(&x, u + i, 8), !(x & 0x8080808080808080ull))) {
            i += 8;
            continue;
        }
        size_t k = text_utf8_len(s + i, n - i);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}
