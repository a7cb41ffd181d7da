#include "json.h"

#include <string.h>

size_t utf8_valid_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    /* no overlong forms, surrogates or code points past U+10FFFF */
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return len;
}

void json_string(FILE *out, const char *s, size_t n)
{
    putc('"', out);
    json_chars(out, s, n);
    putc('"', out);
}

void json_chars(FILE *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        /* copy plain printable ASCII in one go */
        while (run < n && u[run] >= 0x20 && u[run] < 0x80 && u[run] != '"' &&
               u[run] != '\\')
            run++;
        if (run > i) {
            fwrite(s + i, 1, run - i, out);
            i = run;
            continue;
        }
        unsigned char c = u[i];
        if (c == '"' || c == '\\') {
            putc('\\', out);
            putc(c, out);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': fputs("\\n", out); break;
            case '\r': fputs("\\r", out); break;
            case '\t': fputs("\\t", out); break;
            default: fprintf(out, "\\u%04x", c); break;
            }
            i++;
        } else {
            size_t len = utf8_valid_len(u + i, n - i);
            if (len) {
                fwrite(s + i, 1, len, out);
                i += len;
            } else {
                fputs("\xEF\xBF\xBD", out);
                i++;
            }
        }
    }
}

void json_cstr(FILE *out, const char *s)
{
    if (s)
        json_string(out, s, strlen(s));
    else
        fputs("null", out);
}
