/*
 * phrase.c - the phrase syntax, compiled to PCRE2.
 *
 * A phrase is a sequence of items: words, white space, `{a|b}` alternatives,
 * `[optional]` parts, hyphens, apostrophes and other punctuation. It is
 * parsed by recursive descent straight into pattern text; no tree is kept
 * because every construct maps to a fixed piece of pattern. Along the way
 * each sequence is summarised (lit.h): the literal words every match must
 * contain, which lets the fast matcher skip the text that has none.
 */
#include "phrase.h"

#include <stdio.h>
#include <string.h>

#include "lit.h"
#include "precomp.h"
#include "text.h"

/* Whole-word boundaries (phrase.h). */
#define EDGE_START PHRASE_EDGE_START
#define EDGE_END PHRASE_EDGE_END

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
    int depth; /* groups open around the current position */
    arena *mem; /* the summaries of the parts (lit.h) */
} parser;

/* Groups may nest this deep: enough for any phrase, and the parser, which
 * recurses into each, never runs out of stack. */
#define PHRASE_MAX_DEPTH 32

/* Appends s[0..n) to the pattern: buf_append, with its common case (room
 * enough) here, as a phrase is written a few bytes at a time. */
static inline void put(parser *ps, const char *s, size_t n)
{
    buf *b = ps->out;
    if (n < b->cap - b->len && !b->oom) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
    } else {
        buf_append(b, s, n);
    }
}

/* Appends a string constant. */
#define PUT(ps, text) put(ps, text, sizeof(text) - 1)

static void put_char(parser *ps, char c) { put(ps, &c, 1); }

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

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

static void skip_space(parser *ps)
{
    while (is_space(*ps->p))
        ps->p++;
}

/* Where a sequence stops: end of the phrase, or a closing delimiter of an
 * enclosing group. */
static int at_end_char(char c)
{
    return c == '\0' || c == '|' || c == '}' || c == ']';
}

static int at_seq_end(const parser *ps) { return at_end_char(*ps->p); }

static void parse_seq(parser *ps, lit_sum *lits);

/*
 * A group, `{a|b}` or `[a|b]`, as (?:a|b) without any quantifier; the caller
 * has seen the opening bracket and adds `?` for an optional group. *lits is
 * the summary of the branches taken together.
 */
static void parse_group(parser *ps, char close, lit_sum *lits)
{
    lit_none(0, lits);
    if (ps->depth == PHRASE_MAX_DEPTH) {
        fail(ps, "groups nested more than 32 deep");
        return;
    }
    ps->p++;
    PUT(ps, "(?:");
    ps->depth++;
    lit_alts alts;
    lit_alts_init(&alts, ps->mem);
    for (;;) {
        lit_sum branch;
        parse_seq(ps, &branch);
        lit_alts_add(&alts, &branch);
        if (ps->failed)
            break;
        if (*ps->p == '|') {
            put_char(ps, '|');
            ps->p++;
            continue;
        }
        if (*ps->p == close) {
            ps->p++;
            put_char(ps, ')');
            break;
        }
        if (*ps->p == '\0')
            fail(ps, close == '}' ? "unclosed '{'" : "unclosed '['");
        else
            fail(ps, close == '}' ? "']' closes a '{' group"
                                  : "'}' closes a '[' group");
        break;
    }
    ps->depth--;
    lit_alts_end(&alts, lits);
}

/* An optional group offers no literal, only its length and how it ends
 * when it is there. */
static void parse_optional(parser *ps, lit_sum *lits)
{
    lit_sum body;
    parse_group(ps, ']', &body);
    lit_none(body.cons, lits);
    lits->redge = body.redge;
    lits->ledge = body.ledge;
    lits->empty = 1;
}

/* Is the next item, after any spaces, an optional group? */
static int space_then_optional(const parser *ps)
{
    const char *q = ps->p;
    while (is_space(*q))
        q++;
    return *q == '[';
}

/* Non-space bytes the pattern pieces consume at most: a dash, an
 * apostrophe or a quote is at most 3 bytes of UTF-8; any one character of
 * the phrase, in another case, at most 4. */
#define DASH_CONS 3
#define CHAR_CONS 4

/*
 * One character (or escape) of a phrase into out. Returns the ASCII
 * character when it matches only itself in any case (a piece of a literal
 * word), -1 otherwise, with *cons set to the bytes it may consume.
 */
/*
 * A UTF-8 character stands for itself, in any case. A byte that is not
 * valid UTF-8 could never match UTF-8 text, and PCRE2 would refuse the
 * pattern with an offset into it rather than into the phrase: refuse it
 * here. Returns -1 (not a literal ASCII character), as emit_char does.
 */
static int emit_utf8(parser *ps, size_t *cons)
{
    size_t n = text_utf8_len(ps->p, 4); /* stops at the NUL */
    if (!n) {
        fail(ps, "invalid UTF-8");
        return -1;
    }
    put(ps, ps->p, n);
    ps->p += n;
    *cons = CHAR_CONS;
    return -1;
}

/* c, escaped unless it is a letter or a digit. */
static void put_escaped(parser *ps, unsigned char c)
{
    char esc[2] = {'\\', (char)c};
    if (is_alnum((char)c))
        put(ps, esc + 1, 1);
    else
        put(ps, esc, 2);
}

static int emit_char(parser *ps, size_t *cons)
{
    unsigned char c = (unsigned char)*ps->p;
    *cons = 0;
    if (c == '\\') {
        ps->p++;
        if (*ps->p == '\0') {
            fail(ps, "a backslash at the end of the phrase");
            return -1;
        }
        c = (unsigned char)*ps->p;
        if (c >= 0x80)
            return emit_utf8(ps, cons);
        put_escaped(ps, c);
        ps->p++;
        *cons = lit_char_cons(c);
        return c;
    }
    int lc = -1;
    if (c == '-') {
        PUT(ps, HYPHEN);
        *cons = DASH_CONS;
    } else if (c == '\'') {
        PUT(ps, APOSTROPHE);
        *cons = DASH_CONS;
    } else if (c == '"') {
        PUT(ps, QUOTE);
        *cons = DASH_CONS;
    } else if (c >= 0x80) {
        return emit_utf8(ps, cons);
    } else if (c < 0x20 || c == 0x7f) {
        fail(ps, "a control character in the phrase");
        return -1;
    } else {
        /* A letter or a digit; any other ASCII punctuation is literal
         * once escaped. */
        put_escaped(ps, c);
        lc = c;
    }
    if (lc >= 0)
        *cons = lit_char_cons((unsigned char)lc);
    ps->p++;
    return lc;
}

/*
 * Does the character (or escape) at p, when it is not a literal ASCII
 * character, match only characters that are not ASCII letters or digits
 * in any case: a dash (or none), an apostrophe, a quote, a character past
 * ASCII other than the Kelvin sign (k) and the long s (s)? Then a word
 * after it starts at a word edge.
 */
static int leaves_edge(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    if (u[0] == '\\')
        u++;
    if (u[0] < 0x80)
        return u == (const unsigned char *)p &&
               (u[0] == '-' || u[0] == '\'' || u[0] == '"');
    size_t n = text_utf8_len((const char *)u, 4);
    return n > 1 && lit_char_nonalnum(u, n);
}

/* The literal characters seen in a row, as one item of the sequence. */
#define RUN_MAX 256

typedef struct run {
    char s[RUN_MAX];
    size_t n;
} run;

static void end_run(lit_seq *q, run *r)
{
    if (r->n) {
        lit_sum item;
        lit_run(q->mem, r->s, r->n, &item);
        lit_seq_add(q, &item);
        r->n = 0;
    }
}

/* Adds an item that is not part of a literal word. */
static void add_item(lit_seq *q, run *r, lit_sum *item)
{
    end_run(q, r);
    lit_seq_add(q, item);
}

static void parse_seq(parser *ps, lit_sum *lits)
{
    /* One word alone (most branches of a group): its run is the summary
     * that a sequence of that one item would be. */
    const char *w = ps->p;
    while (is_alnum(*w))
        w++;
    size_t wn = (size_t)(w - ps->p);
    if (wn && wn <= RUN_MAX && at_end_char(*w)) {
        put(ps, ps->p, wn);
        lit_run(ps->mem, ps->p, wn, lits);
        ps->p = w;
        return;
    }
    int emitted = 0; /* has this sequence produced anything yet? */
    lit_seq q;
    lit_seq_init(&q, ps->mem);
    run r;
    r.n = 0;
    while (!ps->failed && !at_seq_end(ps)) {
        char c = *ps->p;
        lit_sum item;
        if (is_space(c)) {
            if (space_then_optional(ps) && emitted) {
                /* "go [the] extra": the space belongs to the optional word,
                 * so that leaving it out does not demand two spaces. */
                skip_space(ps);
                PUT(ps, "(?:" PHRASE_SPACE);
                parse_optional(ps, &item);
                PUT(ps, ")?");
                item.ledge = LIT_SPACE;
                add_item(&q, &r, &item);
            } else {
                skip_space(ps);
                end_run(&q, &r);
                if (emitted && !at_seq_end(ps)) {
                    PUT(ps, PHRASE_SPACE);
                    lit_seq_mark(&q, LIT_SPACE);
                }
            }
            continue;
        }
        if (c == '{') {
            parse_group(ps, '}', &item);
            add_item(&q, &r, &item);
        } else if (c == '[') {
            PUT(ps, "(?:");
            parse_optional(ps, &item);
            if (!emitted && !ps->failed && is_space(*ps->p)) {
                /* "[the] extra mile" at the start: the optional word takes
                 * the space after it. */
                skip_space(ps);
                if (!at_seq_end(ps)) {
                    PUT(ps, PHRASE_SPACE);
                    item.redge = LIT_SPACE;
                }
            }
            add_item(&q, &r, &item);
            PUT(ps, ")?");
        } else if (c == '|' || c == '}' || c == ']') {
            break;
        } else if (is_alnum(c) && r.n < sizeof(r.s)) {
            /* letters and digits stand for themselves: as many at once as
             * the run takes */
            const char *from = ps->p;
            while (is_alnum(*ps->p) && r.n < sizeof(r.s))
                r.s[r.n++] = *ps->p++;
            put(ps, from, (size_t)(ps->p - from));
        } else {
            size_t cons;
            int edge = leaves_edge(ps->p);
            int lc = emit_char(ps, &cons);
            if (lc >= 0 && r.n < sizeof(r.s)) {
                r.s[r.n++] = (char)lc;
            } else {
                if (lc >= 0) {
                    char one = (char)lc;
                    lit_run(ps->mem, &one, 1, &item);
                } else {
                    lit_none(cons, &item);
                    item.redge = item.ledge = edge ? LIT_EDGE : LIT_ANY;
                    item.empty = c == '-';
                }
                add_item(&q, &r, &item);
            }
        }
        emitted = 1;
    }
    end_run(&q, &r);
    lit_seq_end(&q, lits);
}

int phrase_compile(const char *phrase, buf *out, char *err, size_t errlen,
                   size_t *erroff)
{
    return phrase_compile_lit(phrase, out, NULL, err, errlen, erroff);
}

int phrase_compile_lit(const char *phrase, buf *out, lit_sum *lits, char *err,
                       size_t errlen, size_t *erroff)
{
    const precomp_lits *pre = precomp_lits_find(1, phrase);
    if (pre) {
        /* a built-in rule's phrase, worked out when the library was built */
        buf_puts(out, pre->regex);
        if (out->oom || (lits && lit_sum_copy(lits, &pre->sum))) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        return 0;
    }
    size_t start = out->len;
    /* the summaries of a phrase's parts fit here, mostly */
    _Alignas(16) unsigned char scratch[8192];
    arena mem;
    arena_init_buf(&mem, scratch, sizeof(scratch));
    parser ps = {phrase, phrase, out, err, errlen, 0, 0, 0, &mem};
    lit_sum sum = LIT_SUM_NONE;
    int rc = -1;
    skip_space(&ps);
    if (*ps.p == '\0') {
        fail(&ps, "an empty phrase");
    } else {
        /* room for most phrases: few bytes become more than three */
        buf_reserve(out, sizeof(EDGE_START "(?:" ")" EDGE_END) +
                             4 * strlen(ps.p));
        PUT(&ps, EDGE_START "(?:");
        parse_seq(&ps, &sum);
        if (!ps.failed && *ps.p != '\0') {
            fail(&ps, *ps.p == '|' ? "'|' outside '{...}' or '[...]'"
                                   : "a closing bracket with no opening one");
        }
        PUT(&ps, ")" EDGE_END);
    }
    if (ps.failed) {
        if (erroff)
            *erroff = ps.erroff;
        goto out;
    }
    lit_resolve(&sum, LIT_EDGE);
    if (out->oom || sum.oom || (lits && lit_sum_copy(lits, &sum))) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (precomp_lits_record && lits)
        precomp_lits_record(1, phrase, out->data + start, lits);
    rc = 0;
out:
    arena_free(&mem);
    return rc;
}
