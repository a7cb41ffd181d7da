#include "json.h"

#include <string.h>

#include "text.h"

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
            size_t len = text_utf8_len(s + i, n - i);
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
