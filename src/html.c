/*
 * html.c - HTML to text, one pass over the page, every output byte mapped
 * to the page byte it came from.
 *
 * This is a tokenizer in the manner of the HTML5 one (tags, attributes with
 * quoted values, comments, raw text elements, character references), not a
 * tree builder: text needs no tree, and without one the offset of each byte
 * is simply where the tokenizer stands. See the README, "Inputs", for why
 * this is not libxml2 or gumbo.
 */
#include "html.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html_entities.h"
#include "text.h"

typedef struct conv {
    const char *s;
    size_t len;
    size_t i;      /* where the tokenizer stands */
    mtext *out;
    int hidden;    /* <template> depth: nothing inside is shown */
} conv;

#define TAG_NAME_MAX 15

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alnum(char c) { return is_alpha(c) || is_digit(c); }

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

static int in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (name[0] == list[k][0] && strcmp(name, list[k]) == 0)
            return 1;
    return 0;
}

#define IN(name, list) in_list(name, list, sizeof(list) / sizeof(*list))

/* What an element is to the text. */
enum {
    TAG_BLOCK = 1,   /* starts and ends a line of text */
    TAG_RAW = 2,     /* content not markup and not shown */
    TAG_RCDATA = 4,  /* content shown as text: references decoded, no tags */
    TAG_TEMPLATE = 8 /* content not shown, whatever it holds */
};

/* The TAG_ kind of the element called name (lower case, n > 0 bytes):
 * one switch on the first letter, then a few comparisons, where a list
 * of names would be compared one by one for every tag of the page. */
static unsigned tag_kind(const char *name, size_t n)
{
#define IS(lit) (n == sizeof(lit) - 1 && memcmp(name, lit, sizeof(lit) - 1) == 0)
    switch (name[0]) {
    case 'a':
        return IS("address") || IS("article") || IS("aside") ? TAG_BLOCK : 0;
    case 'b':
        return IS("blockquote") || IS("body") || IS("br") ? TAG_BLOCK : 0;
    case 'c':
        return IS("caption") || IS("center") ? TAG_BLOCK : 0;
    case 'd':
        return IS("dd") || IS("details") || IS("dialog") || IS("dir") ||
                       IS("div") || IS("dl") || IS("dt")
                   ? TAG_BLOCK
                   : 0;
    case 'f':
        return IS("fieldset") || IS("figcaption") || IS("figure") ||
                       IS("footer") || IS("form")
                   ? TAG_BLOCK
                   : 0;
    case 'h':
        if (n == 2 && name[1] >= '1' && name[1] <= '6')
            return TAG_BLOCK;
        return IS("head") || IS("header") || IS("hgroup") || IS("hr") ||
                       IS("html")
                   ? TAG_BLOCK
                   : 0;
    case 'i':
        return IS("iframe") ? TAG_RAW : 0;
    case 'l':
        return IS("legend") || IS("li") ? TAG_BLOCK : 0;
    case 'm':
        return IS("main") || IS("menu") ? TAG_BLOCK : 0;
    case 'n':
        if (IS("noembed") || IS("noframes"))
            return TAG_RAW;
        return IS("nav") ? TAG_BLOCK : 0;
    case 'o':
        return IS("ol") || IS("option") ? TAG_BLOCK : 0;
    case 'p':
        return IS("p") || IS("pre") ? TAG_BLOCK : 0;
    case 's':
        if (IS("script") || IS("style"))
            return TAG_RAW;
        return IS("section") || IS("summary") ? TAG_BLOCK : 0;
    case 't':
        if (IS("title"))
            return TAG_BLOCK | TAG_RCDATA;
        if (IS("textarea"))
            return TAG_RCDATA;
        if (IS("template"))
            return TAG_TEMPLATE;
        return IS("table") || IS("tbody") || IS("td") || IS("tfoot") ||
                       IS("th") || IS("thead") || IS("tr")
                   ? TAG_BLOCK
                   : 0;
    case 'u':
        return IS("ul") ? TAG_BLOCK : 0;
    case 'x':
        return IS("xmp") ? TAG_RAW : 0;
    default:
        return 0;
    }
#undef IS
}

/* Windows-1252 for the numeric references &#128; to &#159;, as HTML5 and
 * browsers read them (0: left as it is). */
static const uint16_t cp1252[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static uint32_t numeric_char(uint32_t v)
{
    if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0xFFFD;
    if (v >= 0x80 && v <= 0x9F && cp1252[v - 0x80])
        return cp1252[v - 0x80];
    return v;
}

static const html_entity *find_entity(const char *name, size_t n)
{
    size_t lo = 0, hi = sizeof(html_entities) / sizeof(*html_entities);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *e = html_entities[mid].name;
        /* the first letter settles most steps without a call */
        int r = (unsigned char)name[0] - (unsigned char)e[0];
        if (r == 0)
            r = strncmp(name, e, n);
        if (r == 0 && e[n] != '\0')
            r = -1; /* name is a prefix of e */
        if (r == 0)
            return &html_entities[mid];
        if (r < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * The character reference at s[i] ('&'): returns how many bytes it takes
 * and sets *cp, or returns 0 when it is not one (the '&' is then text).
 * Named references need their ';' except the legacy ones browsers also
 * read without it (&amp, &nbsp, &eacute, ...); numeric ones do not.
 */
static size_t char_ref(const char *s, size_t len, size_t i, uint32_t *cp)
{
    size_t k = i + 1;
    if (k < len && s[k] == '#') {
        k++;
        int hex = k < len && lower(s[k]) == 'x';
        if (hex)
            k++;
        size_t d0 = k;
        uint32_t v = 0;
        int d;
        /* past 0x10FFFF, the value only has to stay big */
        if (hex) {
            for (; k < len && (d = hex_value(s[k])) >= 0; k++)
                if (v <= 0x10FFFF)
                    v = v * 16u + (uint32_t)d;
        } else {
            for (; k < len && is_digit(s[k]); k++)
                if (v <= 0x10FFFF)
                    v = v * 10u + (uint32_t)(s[k] - '0');
        }
        if (k == d0)
            return 0;
        if (k < len && s[k] == ';')
            k++;
        *cp = numeric_char(v);
        return k - i;
    }
    size_t n0 = k;
    while (k < len && is_alnum(s[k]) && k - n0 < 32)
        k++;
    if (k == n0)
        return 0;
    const html_entity *e;
    if (k < len && s[k] == ';' && (e = find_entity(s + n0, k - n0))) {
        *cp = e->cp;
        return k + 1 - i;
    }
    /* The longest legacy name the letters start with: "&copy2024". */
    for (size_t n = k - n0 < 6 ? k - n0 : 6; n >= 2; n--) {
        if ((e = find_entity(s + n0, n)) && e->legacy) {
            *cp = e->cp;
            return 1 + n;
        }
    }
    return 0;
}

static void emit_copy(conv *c, size_t a, size_t b)
{
    if (!c->hidden && b > a)
        mtext_copy(c->out, c->s + a, b - a, a);
}

/* A block element: a line break, unless the text already ends one. */
static void emit_break(conv *c, size_t at)
{
    mtext *o = c->out;
    if (c->hidden || o->len == 0 || o->text[o->len - 1] == '\n')
        return;
    mtext_putc(o, '\n', at);
}

/* The reference or literal '&' at c->i. */
static void ampersand(conv *c)
{
    uint32_t cp;
    size_t n = char_ref(c->s, c->len, c->i, &cp);
    if (n == 0) {
        emit_copy(c, c->i, c->i + 1);
        c->i++;
        return;
    }
    if (!c->hidden)
        mtext_put_utf8(c->out, cp, c->i);
    c->i += n;
}

/* Text up to `end`, references decoded; '<' is text too. */
static void rcdata(conv *c, size_t end)
{
    while (c->i < end && !c->out->oom) {
        const char *amp = memchr(c->s + c->i, '&', end - c->i);
        size_t j = amp ? (size_t)(amp - c->s) : end;
        emit_copy(c, c->i, j);
        c->i = j;
        if (j < end)
            ampersand(c);
    }
}

/* Just past the first '>' at or after k, or len. */
static size_t past_gt(const char *s, size_t len, size_t k)
{
    const char *gt = k < len ? memchr(s + k, '>', len - k) : NULL;
    return gt ? (size_t)(gt - s) + 1 : len;
}

/* The end of a comment whose "<!--" ends at k. */
static size_t comment_end(const char *s, size_t len, size_t k)
{
    if (k < len && s[k] == '>')
        return k + 1; /* <!--> */
    if (k + 1 < len && s[k] == '-' && s[k + 1] == '>')
        return k + 2; /* <!---> */
    for (; k + 2 < len; k++) {
        if (s[k] != '-' || s[k + 1] != '-')
            continue;
        if (s[k + 2] == '>')
            return k + 3;
        if (k + 3 < len && s[k + 2] == '!' && s[k + 3] == '>')
            return k + 4;
    }
    return len;
}

/* Where "</name" (any case, then a space, '/' or '>') starts at or after
 * k: the end of a raw text element. len when it never comes. */
static size_t raw_end(const char *s, size_t len, size_t k, const char *name)
{
    size_t n = strlen(name);
    for (; k + 2 + n <= len; k++) {
        if (s[k] != '<' || s[k + 1] != '/')
            continue;
        size_t m = 0;
        while (m < n && lower(s[k + 2 + m]) == name[m])
            m++;
        if (m == n && (k + 2 + n == len || is_ws(s[k + 2 + n]) ||
                       s[k + 2 + n] == '/' || s[k + 2 + n] == '>'))
            return k;
    }
    return len;
}

/* Just past the '>' that closes a tag whose attributes start at k, or
 * (size_t)-1 when the input ends first (HTML then drops the tag). Quoted
 * attribute values may hold '>'. */
static size_t tag_end(const char *s, size_t len, size_t k)
{
    for (;;) {
        while (k < len && (is_ws(s[k]) || s[k] == '/'))
            k++;
        if (k >= len)
            return (size_t)-1;
        if (s[k] == '>')
            return k + 1;
        k++; /* an attribute name; its first character may be '=' */
        while (k < len && !is_ws(s[k]) && s[k] != '/' && s[k] != '>' &&
               s[k] != '=')
            k++;
        while (k < len && is_ws(s[k]))
            k++;
        if (k >= len || s[k] != '=')
            continue;
        k++;
        while (k < len && is_ws(s[k]))
            k++;
        if (k < len && (s[k] == '"' || s[k] == '\'')) {
            const char *q = memchr(s + k + 1, s[k], len - k - 1);
            if (!q)
                return (size_t)-1;
            k = (size_t)(q - s) + 1;
        } else {
            while (k < len && !is_ws(s[k]) && s[k] != '>')
                k++;
        }
    }
}

/* A start or end tag whose '<' is at c->i and name starts at k. */
static void tag(conv *c, size_t k, int end)
{
    const char *s = c->s;
    size_t lt = c->i, n = 0;
    char name[TAG_NAME_MAX + 1];
    while (k < c->len && !is_ws(s[k]) && s[k] != '/' && s[k] != '>') {
        if (n < TAG_NAME_MAX)
            name[n] = lower(s[k]);
        n++;
        k++;
    }
    /* too long: no element we know */
    unsigned kind = n && n <= TAG_NAME_MAX ? tag_kind(name, n) : 0;
    size_t gt = tag_end(s, c->len, k);
    if (gt == (size_t)-1) {
        c->i = c->len;
        return;
    }
    c->i = gt;
    if (kind & TAG_TEMPLATE) {
        if (!end)
            c->hidden++;
        else if (c->hidden)
            c->hidden--;
        return;
    }
    if (kind & TAG_BLOCK)
        emit_break(c, lt);
    if (end)
        return;
    if (kind & (TAG_RAW | TAG_RCDATA))
        name[n] = '\0';
    if (kind & TAG_RAW) {
        c->i = raw_end(s, c->len, c->i, name);
    } else if (kind & TAG_RCDATA) {
        rcdata(c, raw_end(s, c->len, c->i, name));
    }
}

/* Whatever starts with the '<' at c->i. */
static void markup(conv *c)
{
    const char *s = c->s;
    size_t i = c->i, len = c->len;
    char n = i + 1 < len ? s[i + 1] : '\0';
    if (is_alpha(n)) {
        tag(c, i + 1, 0);
    } else if (n == '/' && i + 2 < len && is_alpha(s[i + 2])) {
        tag(c, i + 2, 1);
    } else if (n == '/' && i + 2 < len) {
        c->i = past_gt(s, len, i + 2); /* "</>" or a bogus comment */
    } else if (n == '!' && i + 3 < len && s[i + 2] == '-' && s[i + 3] == '-') {
        c->i = comment_end(s, len, i + 4);
    } else if (n == '!' || n == '?') {
        c->i = past_gt(s, len, i + 2); /* doctype, <![CDATA[, <?xml */
    } else {
        /* a '<' that starts nothing ("a < b", or "</" at the very end) */
        size_t e = n == '/' ? i + 2 : i + 1;
        emit_copy(c, i, e);
        c->i = e;
    }
}

int html_to_text(const char *s, size_t len, mtext *out)
{
    conv c = {s, len, 0, out, 0};
    /* The text is never longer than the page (a tag or a reference is at
     * least as long as what it becomes), so this is the only allocation.
     * The pages of it never written are never touched either. */
    if (mtext_reserve(out, len))
        return -1;
    while (c.i < len && !out->oom) {
        size_t j = c.i + text_find2(s + c.i, len - c.i, '<', '&');
        emit_copy(&c, c.i, j);
        c.i = j;
        if (j == len)
            break;
        if (s[j] == '&')
            ampersand(&c);
        else
            markup(&c);
    }
    return out->oom ? -1 : 0;
}

static int starts_ci(const char *s, size_t n, const char *prefix)
{
    size_t k = 0;
    for (; prefix[k]; k++)
        if (k >= n || lower(s[k]) != prefix[k])
            return 0;
    return 1;
}

int html_sniff(const char *s, size_t len)
{
    static const char *const common[] = {
        "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
        "h6", "table", "tr", "td", "span", "a", "b", "i", "em", "strong",
    };
    size_t n = len < 4096 ? len : 4096, i = 0;
    while (i < n && is_ws(s[i]))
        i++;
    if (starts_ci(s + i, n - i, "<!doctype html") ||
        starts_ci(s + i, n - i, "<html"))
        return 1;
    int tags = 0;
    for (; i < n && tags < 3; i++) {
        if (s[i] != '<')
            continue;
        size_t k = i + 1 + (i + 1 < n && s[i + 1] == '/');
        char name[8];
        size_t m = 0;
        while (k < n && is_alnum(s[k]) && m < sizeof(name) - 1)
            name[m++] = lower(s[k++]);
        name[m] = '\0';
        if (m && k < n && (is_ws(s[k]) || s[k] == '>' || s[k] == '/') &&
            IN(name, common))
            tags++;
    }
    return tags >= 3;
}
