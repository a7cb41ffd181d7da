/*
 * lit.h - the literal words every match of a pattern must contain.
 *
 * The fast matcher does not run a rule's pattern over every byte. It looks
 * for literals first (one pass over the text for all rules at once) and runs
 * the pattern only near them. For that, each pattern is summarised as:
 *
 *   - a set of literals such that every match contains at least one of them
 *     (ASCII letters folded to lower case; a match may hold them in any
 *     case, and 'k'/'s' also as the Kelvin sign and the long s, which PCRE2
 *     treats as the same letters);
 *   - for each literal, how many bytes that are not white space the match
 *     may consume before it (white space is free: `\s+` has no bound), so
 *     that the pattern need only be tried that far back.
 *
 * Summaries are built bottom-up while a phrase or a regex is parsed: a
 * sequence takes the best of its mandatory items, an alternation needs a
 * literal in every branch, an optional item offers none. The summaries of
 * the parts live in an arena, freed at once when the parse is done; only
 * the summary of the whole is copied out (lit_sum_copy), malloc'd.
 */
#ifndef RF_LIT_H
#define RF_LIT_H

#include <stddef.h>

#include "arena.h"

/* A byte count with no bound. */
#define LIT_UNBOUNDED ((size_t)-1)

/*
 * What a match holds right before or after a literal, when the pattern
 * says: white space (a phrase's space), a phrase's word edge, or a regex's
 * \b. The prefilter drops the occurrences that cannot be the literal of a
 * match: "kill" inside "skill" for the phrase "eat what you kill".
 */
enum {
    LIT_ANY,     /* nothing known */
    LIT_EDGE,    /* a phrase edge: no letter or digit, or a lower/upper turn */
    LIT_SPACE,   /* white space */
    LIT_WORDB,   /* \b */
    LIT_INHERIT, /* the edge of the enclosing sequence: not known yet */
    /* that edge, or else (where an optional item before the literal is
     * there) EDGE, SPACE, WORDB: known once the edge is (lit.c) */
    LIT_INHERIT_EDGE,
    LIT_INHERIT_SPACE,
    LIT_INHERIT_WORDB
};

/* One literal of a summary. */
typedef struct lit {
    char *s;     /* folded, NUL-terminated; in the block of lits (below) */
    size_t len;
    size_t back; /* most non-space bytes a match consumes before it */
    unsigned char left, right; /* LIT_* */
} lit;

typedef struct lit_sum {
    int ok;          /* every match contains one of lits[] */
    lit *lits;       /* malloc'd: one block with the literals' texts; in
                        an arena while the summary is built */
    size_t n;
    double cost;     /* expected literal starts per byte of text: lower wins */
    size_t cons;     /* most non-space bytes a match consumes in all */
    int oom;         /* an allocation failed: treat as !ok */
    /*
     * A companion: every match also holds one of pair[], which starts at
     * most `gap` non-space bytes after (pair_after) or before the start of
     * the literal of lits[] the match holds. Checking it drops most
     * occurrences of a common literal ("apply" needs "now" or "today").
     */
    lit *pair;
    size_t n_pair;
    size_t gap;
    int pair_after;
    /*
     * What the item is like at its ends, for the items around it in a
     * sequence: the context it leaves right after it when it consumes
     * something (LIT_ANY: a letter may end it; a dash class leaves EDGE,
     * `\s` SPACE); whether it may consume nothing; and whether every match
     * of it starts (head) or ends (tail) with one of lits[], whole. A
     * literal after an optional hyphen after a word ("fast-paced") is
     * then known to follow a word edge, or the word itself ("fastpaced").
     */
    unsigned char redge;
    unsigned char empty;
    unsigned char head, tail;
    /* in a sequence: it has literals joined to those of the item before,
     * which is no companion for it (a part of its own literals); it may be
     * one for that item, its own and joined literals together */
    unsigned char joined;
    /* the context it puts right after what stands before it, when it
     * consumes something (LIT_ANY: a letter may start it; `\s` SPACE): a
     * literal before "no [more] 9" ("no", then an optional space and a
     * word, then a space) is known to end before white space */
    unsigned char ledge;
} lit_sum;

#define LIT_SUM_NONE                                                        \
    {0, NULL, 0, 0.0, 0, 0, NULL, 0, 0, 0, LIT_ANY, 0, 0, 0, 0, LIT_ANY}

/* Frees a malloc'd summary: one that lit_from_regex, phrase_compile_lit or
 * lit_sum_copy gave. */
void lit_sum_free(lit_sum *s);
/* A deep copy of src (malloc'd, or in an arena) into *dst, malloc'd; -1
 * when out of memory. */
int lit_sum_copy(lit_sum *dst, const lit_sum *src);

/* How often s[0..n) may start at a byte of English text (a guess from
 * letter frequencies and common words; lower is rarer). */
double lit_estimate(const char *s, size_t n);

/* a + b, saturating at LIT_UNBOUNDED. */
size_t lit_add(size_t a, size_t b);

/* Most non-space bytes an ASCII character of a pattern consumes when
 * matched without case: 3 for k and s (the Kelvin sign is 3 bytes), else 1. */
size_t lit_char_cons(unsigned char c);

/*
 * Building a summary. The items and what is made of them live in arena
 * `a`: they are never freed one by one.
 */

/*
 * A run of literal characters (ASCII; letters in any case) as an item: the
 * whole run, or its best part when it holds too many k and s to expand.
 */
void lit_run(arena *a, const char *s, size_t n, lit_sum *out);

/* An item that offers no literal but consumes up to `cons` bytes. */
void lit_none(size_t cons, lit_sum *out);

/* Builds the summary of a sequence of items, left to right. */
typedef struct lit_seq {
    arena *mem;     /* where the items are */
    lit_sum *items; /* the items with literals */
    size_t *at;     /* where each starts: non-space bytes before it */
    size_t n, cap;
    size_t cons;
    int oom;
    int prev;       /* what the next item has on its left (LIT_*) */
    int last_open;  /* only marks came after items[n - 1]: its right */
    int empty;      /* all so far may match nothing */
    /* items[tail_at] is a tail (lit_sum.tail) and only items that may be
     * empty came after it, leaving `sep` when they are not (tail_at is
     * n when not) */
    size_t tail_at;
    int sep;
    int lead;       /* something may come before items[0] */
    /* what stands after the literals of items[n - 1] (last_open) when
     * items that may be empty came after them: the join of how those
     * start, or -1 */
    int pend;
    /* how the sequence starts (lit_sum.ledge): the join of the starts of
     * the marks and items so far, until one that always consumes; -1
     * before the first */
    int first, first_done;
} lit_seq;

void lit_seq_init(lit_seq *q, arena *a);
/* Adds the next item; takes ownership of *item. */
void lit_seq_add(lit_seq *q, lit_sum *item);
/* Adds a mark between items that consumes only white space or nothing:
 * LIT_SPACE (one or more spaces) or LIT_WORDB. */
void lit_seq_mark(lit_seq *q, int kind);
/* The sequence as one item; q is reset. */
void lit_seq_end(lit_seq *q, lit_sum *out);

/* Builds the summary of an alternation: every match holds a literal of a
 * branch only when each branch has literals. */
typedef struct lit_alts {
    arena *mem;   /* where the branches are */
    lit_sum *v;   /* the branches */
    size_t n, cap;
    int oom;
} lit_alts;

void lit_alts_init(lit_alts *x, arena *a);
/* Adds the next branch; takes ownership of *branch. */
void lit_alts_add(lit_alts *x, lit_sum *branch);
/* The alternation as one item; x is reset. */
void lit_alts_end(lit_alts *x, lit_sum *out);

/* The alternation of the malloc'd summaries v[0..n), malloc'd, as
 * lit_alts makes it; takes ownership of v's summaries. */
void lit_alt_all(lit_sum *v, size_t n, lit_sum *out);

/* Applies a quantifier {min,max} (max LIT_UNBOUNDED for none) to an item
 * in arena a. */
void lit_repeat(arena *a, lit_sum *item, size_t min, size_t max);

/* Gives the literals at the edges of the whole pattern their context:
 * LIT_EDGE for a phrase, LIT_ANY for a regex. */
void lit_resolve(lit_sum *s, int ctx);

/* The bytes around a literal, as lit_context_ok sees them. */
static inline int lit_ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static inline int lit_ascii_word(unsigned char c)
{
    return lit_ascii_alnum(c) || c == '_';
}

/*
 * Can `out` (the byte just outside the literal, or -1 at the end of the
 * text) stand next to `in` (the literal's byte at that side) under ctx?
 * Bytes of other characters (>= 0x80) may be anything, so they pass.
 * `lower_upper` says whether out/in read left to right form a lower-case
 * letter followed by an upper-case one.
 */
static inline int lit_side_ok(int ctx, int out, unsigned char in,
                              int lower_upper)
{
    switch (ctx) {
    case LIT_SPACE:
        return out >= 0x80 ||
               (out >= 0 && (out == ' ' || (out >= '\t' && out <= '\r')));
    case LIT_EDGE:
        return !lit_ascii_alnum(in) || out < 0 || out >= 0x80 ||
               !lit_ascii_alnum((unsigned char)out) || lower_upper;
    case LIT_WORDB:
        return !lit_ascii_word(in) || out < 0 || out >= 0x80 ||
               !lit_ascii_word((unsigned char)out);
    }
    return 1;
}

/* Is ctx known to have no ASCII letter or digit on its side of a
 * literal (an edge, white space, \b)? */
static inline int lit_ctx_bounded(int ctx)
{
    return ctx == LIT_EDGE || ctx == LIT_SPACE || ctx == LIT_WORDB;
}

/* Does the UTF-8 character s[0..n) (n > 1) match no ASCII letter or digit
 * in any case? All but the Kelvin sign (k) and the long s (s). */
int lit_char_nonalnum(const unsigned char *s, size_t n);

static inline int lit_lower_upper(int a, int b)
{
    return a >= 'a' && a <= 'z' && b >= 'A' && b <= 'Z';
}

/*
 * May the occurrence text[p..q) of a literal with contexts left and right
 * be the literal of a match in text[0..len)? A cheap check of the bytes
 * around it; it never says no to a real match. Inline: the literal pass
 * asks it for every owner of every occurrence.
 */
static inline int lit_context_ok(const unsigned char *t, size_t len,
                                 size_t p, size_t q, int left, int right)
{
    int before = p > 0 ? t[p - 1] : -1;
    int after = q < len ? t[q] : -1;
    return lit_side_ok(left, before, t[p], lit_lower_upper(before, t[p])) &&
           lit_side_ok(right, after, t[q - 1],
                       lit_lower_upper(t[q - 1], after));
}

/* Combines the contexts of one literal used at two places, or the two
 * contexts a literal may have: the weakest that holds for both. */
int lit_context_join(int a, int b);

/*
 * The summary of a raw PCRE2 pattern (compiled with UTF, CASELESS and UCP).
 * Constructs it does not understand (backreferences, recursion, \G,
 * backtracking verbs, extended mode ...) give !ok: the pattern is then
 * matched over every byte.
 */
void lit_from_regex(const char *re, lit_sum *out);

/*
 * A regex that looks at the whole text before it matches:
 *     \A (?![\s\S]*?Y1) (?=[\s\S]*?Y2) ... [\s\S]*? \K X
 * matches once, at the first match of X, when the text has no match of Y1,
 * some match of Y2, and so on. Split into X and its conditions, each is
 * a pattern with literals of its own that the fast matcher can search
 * cheaply, instead of a scan of every byte per condition.
 */
typedef struct lit_split {
    char *x;          /* what matches */
    char **conds;     /* the conditions' patterns Y */
    unsigned char *want; /* 1: Y must match somewhere; 0: nowhere */
    size_t n;
} lit_split;

/* 1 and *out when re has that form (free with lit_split_free); 0 when it
 * has not; -1 when out of memory. */
int lit_split_doc(const char *re, lit_split *out);
void lit_split_free(lit_split *s);

/* The first bytes of the characters other than 0-9 that \d matches. */
extern const unsigned char lit_digit_leads[];
extern const size_t lit_n_digit_leads;

/* Is the UTF-8 character at s[0..n) one that \s matches? Returns its length,
 * or 0. Covers every character PCRE2's \s matches with UCP. */
size_t lit_space_len(const unsigned char *s, size_t n);

#endif
