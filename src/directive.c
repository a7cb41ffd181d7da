/* directive.c - finding `redflag-disable` lines; see directive.h. */
#include "directive.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

#define KEYWORD "redflag-disable"
#define KEYWORD_LEN (sizeof(KEYWORD) - 1)
#define NEXT_LINE "-next-line"
#define NEXT_LINE_LEN (sizeof(NEXT_LINE) - 1)

static int is_id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static int is_word_char(char c)
{
    return is_id_char(c) || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Length of the rule id at s (lower-case letters and digits joined by
 * single hyphens, as rule files require), or 0. */
static size_t id_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_id_char(s[i]))
        i++;
    if (i == 0 || s[0] == '-' || s[i - 1] == '-')
        return 0;
    for (size_t j = 1; j < i; j++)
        if (s[j] == '-' && s[j - 1] == '-')
            return 0;
    if (i < n && is_word_char(s[i]))
        return 0; /* "Working" or "snake_case": words, not ids */
    return i;
}

static size_t line_end(const char *text, size_t len, size_t i)
{
    const char *nl = memchr(text + i, '\n', len - i);
    return nl ? (size_t)(nl - text) : len;
}

/* Parses a directive whose keyword starts at `at`; 0 when it is not one. */
static int parse(const char *text, size_t len, size_t at, directive *d)
{
    if (at > 0 && is_word_char(text[at - 1]))
        return 0;
    size_t i = at + KEYWORD_LEN;
    int next = 0;
    if (len - i >= NEXT_LINE_LEN && memcmp(text + i, NEXT_LINE, NEXT_LINE_LEN) == 0) {
        next = 1;
        i += NEXT_LINE_LEN;
    }
    if (i < len && is_word_char(text[i]))
        return 0; /* redflag-disabled, redflag-disable-all */
    size_t eol = line_end(text, len, i);
    d->at = at;
    d->ids = d->ids_end = i;
    for (;;) {
        while (i < eol && (text_is_blank(text[i]) || text[i] == ','))
            i++;
        size_t n = id_len(text + i, eol - i);
        if (!n)
            break;
        i += n;
        d->ids_end = i;
    }
    d->end = d->ids_end;
    size_t bol = at;
    while (bol > 0 && text[bol - 1] != '\n')
        bol--;
    if (next) {
        d->from = eol < len ? eol + 1 : len;
        d->to = line_end(text, len, d->from);
    } else {
        d->from = bol;
        d->to = eol;
    }
    return 1;
}

int directive_find(const char *text, size_t len, directives *ds)
{
    /* Look for the hyphen, rarer in prose than any letter of the word. */
    const char *p = text, *end = text + len;
    while ((p = memchr(p, '-', (size_t)(end - p)))) {
        size_t h = (size_t)(p - text);
        p++;
        if (h < 7 || len - (h - 7) < KEYWORD_LEN ||
            memcmp(text + h - 7, KEYWORD, KEYWORD_LEN) != 0)
            continue;
        directive d;
        if (!parse(text, len, h - 7, &d))
            continue;
        if (ds->n == ds->cap) {
            size_t cap = ds->cap ? ds->cap * 2 : 4;
            directive *items = realloc(ds->items, cap * sizeof(*items));
            if (!items)
                return -1;
            ds->items = items;
            ds->cap = cap;
        }
        ds->items[ds->n++] = d;
        p = text + d.end;
    }
    return 0;
}

/* Does the id list text[a..b) name `id`? An empty list names every rule. */
static int names(const char *text, size_t a, size_t b, const char *id)
{
    if (a == b)
        return 1;
    size_t n = strlen(id);
    while (a < b) {
        while (a < b && (text_is_blank(text[a]) || text[a] == ','))
            a++;
        size_t t = a;
        while (t < b && is_id_char(text[t]))
            t++;
        if (t - a == n && memcmp(text + a, id, n) == 0)
            return 1;
        a = t;
    }
    return 0;
}

const directive *directive_covering(const directives *ds, const char *text,
                                    const char *id, size_t pos)
{
    for (size_t i = 0; i < ds->n; i++) {
        const directive *d = &ds->items[i];
        if (pos >= d->at && pos < d->end)
            return d;
        if (pos >= d->from && pos < d->to && names(text, d->ids, d->ids_end, id))
            return d;
    }
    return NULL;
}

void directives_free(directives *ds)
{
    free(ds->items);
    memset(ds, 0, sizeof(*ds));
}
