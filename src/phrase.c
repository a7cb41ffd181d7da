/*
 * phrase.c - the phrase syntax, compiled to PCRE2.
 *
 * A phrase is a sequence of items: words, white space, `{a|b}` alternatives,
 * `[optional]` parts, hyphens, apostrophes and other punctuation. It is
 * parsed by recursive descent straight into pattern text; no tree is kept
 * because every construct maps to a fixed piece of pattern.
 */
#include "phrase.h"

#include <stdio.h>
#include <string.h>

/*
 * Whole-word boundaries that also split "starterSkyNet": a letter or digit
 * next to the phrase edge must be absent, unless the edge falls between a
 * lower-case letter and an upper-case one. They only apply when the phrase
 * edge itself is a letter or digit, which the lookarounds test, so phrases
 * that start or end with punctuation ("100%") still match.
 */
#define WORD "[\\p{L}\\p{N}]"
#define EDGE_START                                                         \
    "(?:(?=" WORD ")(?:(?<!" WORD ")|(?<=\\p{Ll})(?=\\p{Lu}))|(?!" WORD "))"
#define EDGE_END                                                           \
    "(?:(?<=" WORD ")(?:(?!" WORD ")|(?<=\\p{Ll})(?=\\p{Lu}))|(?<!" WORD "))"

/* A hyphen: hyphen-minus, the Unicode hyphens and dashes, a minus, a soft
 * hyphen (each with optional space around it), a space, or nothing. */
#define HYPHEN "(?:\\s*[\\-\\x{2010}-\\x{2015}\\x{2212}\\x{00AD}]\\s*|\\s+)?"
#define APOSTROPHE "['\\x{2018}\\x{2019}\\x{02BC}\\x{00B4}`]"
#define QUOTE "[\"\\x{201C}\\x{201D}\\x{201E}\\x{00AB}\\x{00BB}]"

typedef struct parser {
    const char *start;
    const char *p;
    buf *out;
    char *err;
    size_t errlen;
    size_t erroff;
    int failed;
} parser;

static void fail(parser *ps, const char *msg)
{
    if (ps->failed)
        return;
    ps->failed = 1;
    snprintf(ps->err, ps->errlen, "%s", msg);
    ps->erroff = (size_t)(ps->p - ps->start);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static void skip_space(parser *ps)
{
    while (is_space(*ps->p))
        ps->p++;
}

/* Where a sequence stops: end of the phrase, or a closing delimiter of an
 * enclosing group. */
static int at_seq_end(const parser *ps)
{
    char c = *ps->p;
    return c == '\0' || c == '|' || c == '}' || c == ']';
}

static void parse_seq(parser *ps);

/*
 * A group, `{a|b}` or `[a|b]`, as (?:a|b) without any quantifier; the caller
 * has seen the opening bracket and adds `?` for an optional group.
 */
static void parse_group(parser *ps, char close)
{
    ps->p++;
    buf_puts(ps->out, "(?:");
    for (;;) {
        parse_seq(ps);
        if (ps->failed)
            return;
        if (*ps->p == '|') {
            buf_putc(ps->out, '|');
            ps->p++;
            continue;
        }
        if (*ps->p == close) {
            ps->p++;
            buf_putc(ps->out, ')');
            return;
        }
        if (*ps->p == '\0')
            fail(ps, close == '}' ? "unclosed '{'" : "unclosed '['");
        else
            fail(ps, close == '}' ? "']' closes a '{' group"
                                  : "'}' closes a '[' group");
        return;
    }
}

/* Is the next item, after any spaces, an optional group? */
static int space_then_optional(const parser *ps)
{
    const char *q = ps->p;
    while (is_space(*q))
        q++;
    return *q == '[';
}

static void emit_char(parser *ps)
{
    unsigned char c = (unsigned char)*ps->p;
    if (c == '\\') {
        ps->p++;
        if (*ps->p == '\0') {
            fail(ps, "a backslash at the end of the phrase");
            return;
        }
        c = (unsigned char)*ps->p;
        if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
            (c >= 'A' && c <= 'Z')) {
            buf_putc(ps->out, (char)c);
        } else {
            buf_putc(ps->out, '\\');
            buf_putc(ps->out, (char)c);
        }
        ps->p++;
        return;
    }
    if (c == '-') {
        buf_puts(ps->out, HYPHEN);
    } else if (c == '\'') {
        buf_puts(ps->out, APOSTROPHE);
    } else if (c == '"') {
        buf_puts(ps->out, QUOTE);
    } else if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
               (c >= 'A' && c <= 'Z')) {
        /* UTF-8 bytes and ASCII letters and digits stand for themselves. */
        buf_putc(ps->out, (char)c);
    } else if (c < 0x20 || c == 0x7f) {
        fail(ps, "a control character in the phrase");
        return;
    } else {
        /* Any other ASCII punctuation is literal once escaped. */
        buf_putc(ps->out, '\\');
        buf_putc(ps->out, (char)c);
    }
    ps->p++;
}

static void parse_seq(parser *ps)
{
    int emitted = 0; /* has this sequence produced anything yet? */
    while (!ps->failed && !at_seq_end(ps)) {
        char c = *ps->p;
        if (is_space(c)) {
            if (space_then_optional(ps) && emitted) {
                /* "go [the] extra": the space belongs to the optional word,
                 * so that leaving it out does not demand two spaces. */
                skip_space(ps);
                buf_puts(ps->out, "(?:" PHRASE_SPACE);
                parse_group(ps, ']');
                buf_puts(ps->out, ")?");
            } else {
                skip_space(ps);
                if (emitted && !at_seq_end(ps))
                    buf_puts(ps->out, PHRASE_SPACE);
            }
            continue;
        }
        if (c == '{') {
            parse_group(ps, '}');
        } else if (c == '[') {
            buf_puts(ps->out, "(?:");
            parse_group(ps, ']');
            if (!emitted && !ps->failed && is_space(*ps->p)) {
                /* "[the] extra mile" at the start: the optional word takes
                 * the space after it. */
                skip_space(ps);
                if (!at_seq_end(ps))
                    buf_puts(ps->out, PHRASE_SPACE);
            }
            buf_puts(ps->out, ")?");
        } else if (c == '|' || c == '}' || c == ']') {
            break;
        } else {
            emit_char(ps);
        }
        emitted = 1;
    }
}

int phrase_compile(const char *phrase, buf *out, char *err, size_t errlen,
                   size_t *erroff)
{
    parser ps = {phrase, phrase, out, err, errlen, 0, 0};
    skip_space(&ps);
    if (*ps.p == '\0') {
        fail(&ps, "an empty phrase");
    } else {
        buf_puts(out, EDGE_START "(?:");
        parse_seq(&ps);
        if (!ps.failed && *ps.p != '\0') {
            fail(&ps, *ps.p == '|' ? "'|' outside '{...}' or '[...]'"
                                   : "a closing bracket with no opening one");
        }
        buf_puts(out, ")" EDGE_END);
    }
    if (ps.failed) {
        if (erroff)
            *erroff = ps.erroff;
        return -1;
    }
    if (out->oom) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}
