/*
 * matcher.h - patterns compiled on first use, and a search for their
 * matches that runs PCRE2 only near the literals every match contains.
 *
 * The reference way to list a pattern's hits is to search from the start,
 * take the leftmost match, and search again from its end. The fast way
 * gives the same list: every match contains one of the pattern's literals
 * and starts at most `back` non-space bytes before it, so each literal
 * found in the text opens a window [lo, p] in which a match may start; a
 * search that starts at lo with PCRE2's offset limit at p finds the
 * leftmost match that starts in the window, exactly as a search from
 * further back would (a match at a position does not depend on where the
 * search started: lookbehinds see the whole text, and a pattern that uses
 * \G or backtracking verbs has no literals). Windows are taken in order of
 * their start, so the first match found is the leftmost one; after a
 * match, the next search starts at its end, as the reference does.
 */
#ifndef RF_MATCHER_H
#define RF_MATCHER_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdatomic.h>
#include <stddef.h>

#include "lit.h"
#include "litset.h"

typedef struct pattern pattern;

/* A regex that looks at the whole text first (lit_split_doc), taken
 * apart: what it flags, and the conditions on the whole text. */
typedef struct pattern_split {
    pattern *x;
    pattern *conds;
    unsigned char *want;
    size_t n;
} pattern_split;

struct pattern {
    char *src;                  /* PCRE2 source */
    pcre2_code *checked;        /* compiled when loaded, to validate; or NULL */
    /* Compiled on first use, for each form (pattern_code): without JIT,
     * and a copy with JIT once much used. */
    _Atomic(pcre2_code *) code[2];
    _Atomic(pcre2_code *) jit[2];
    atomic_ulong work[2];       /* work done so far (see pattern_code) */
    lit_sum lits;               /* !lits.ok: no literal, search every byte */
    /* lits alone, for searches in windows, and lits.pair, the companions:
     * built on first use (pattern_litset), as most patterns need neither */
    _Atomic(litset *) ls[2];
    size_t pair_max;            /* bytes the longest companion may take */
    pattern_split *split;       /* or NULL */
    int pair_global;            /* pattern_pair_global */
};

/* The options every pattern is compiled with. The offset limit only takes
 * effect when a search sets one. */
#define MATCHER_PCRE2_OPTIONS                                              \
    (PCRE2_UTF | PCRE2_CASELESS | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF |   \
     PCRE2_USE_OFFSET_LIMIT)

/*
 * The two compiled forms of a pattern. PAT_ANY, with the options above,
 * matches any text, valid UTF-8 or not. PAT_VALID leaves out
 * PCRE2_MATCH_INVALID_UTF and is only used on text known to be valid
 * UTF-8, with PCRE2_NO_UTF_CHECK: PCRE2's interpreter checks the rest of
 * the text at every call otherwise, which makes small searches in a big
 * text cost as much as the text. On valid text both find the same.
 */
enum { PAT_ANY = 0, PAT_VALID = 1 };

/* The options a pattern is compiled with in `form`. */
uint32_t pattern_options(int form);

/*
 * The code of source src in form, decoded from the precompiled index ix
 * when it is there and usable (precomp.h; ix may be NULL), compiled
 * otherwise. The caller frees it. NULL when src does not compile, with
 * PCRE2's message in msg, or when out of memory.
 */
struct precomp_index;
pcre2_code *pattern_compile(const char *src, int form,
                            const struct precomp_index *ix, char *msg,
                            size_t msglen);

/* Takes ownership of src (malloc'd) and of *lits. Returns 0, or -1 when
 * out of memory (src and lits are freed). */
int pattern_init(pattern *p, char *src, lit_sum *lits);

/* The literal set of p's literals (which 0) or of their companions
 * (which 1), built on first use; safe from several threads. NULL when
 * there are none, or out of memory. */
const litset *pattern_litset(const pattern *p, int which);
/* A pattern of the raw regex re, with its literals; 0 or -1. */
int pattern_init_regex(pattern *p, const char *re);
/* Takes p, a pattern of the raw regex re alone, apart when re looks at the
 * whole text first and what it flags has literals. Returns 0 (p->split
 * may stay NULL) or -1 when out of memory. */
int pattern_split_init(pattern *p, const char *re);
void pattern_free(pattern *p);

/*
 * Calls fn(q, ctx) for each pattern q that pattern_code may compile for
 * p: p itself and, when it is split, what it flags and its conditions;
 * those with no source are left out. Stops at the first fn that does
 * not return 0 and returns that; else 0.
 */
typedef int (*pattern_visit)(const pattern *q, void *ctx);
int pattern_each(const pattern *p, pattern_visit fn, void *ctx);

/*
 * The compiled pattern in form PAT_ANY or PAT_VALID, for `work` more units
 * of work (about one small search each), made on first use
 * (pattern_compile: a built-in rule's is decoded from precomp_builtin);
 * safe to call from several threads at once. JIT compiling costs as much as
 * many small searches in the interpreter, so it is done once a pattern has
 * been given a few dozen (JIT_AFTER), or at once for PATTERN_HOT (a search
 * of every byte).
 * Both find the same. NULL when the pattern does not compile, with PCRE2's
 * message in msg.
 */
#define PATTERN_HOT ((unsigned long)-1)
pcre2_code *pattern_code(const pattern *p, int form, unsigned long work,
                         char *msg, size_t msglen);

/* The furthest position before p (not before start) from which at most
 * `budget` bytes that are not white space lead up to p; start when the
 * budget is LIT_UNBOUNDED. */
size_t matcher_back(const unsigned char *t, size_t p, size_t start,
                    size_t budget);
/* The furthest position after p up to which [p, q) holds at most `budget`
 * bytes that are not white space (at most len). */
size_t matcher_forward(const unsigned char *t, size_t len, size_t p,
                       size_t budget);

/*
 * May the occurrence of p's literal at text[a..] be the literal of a match:
 * is there an occurrence of its companion (lit.h) where the pattern puts
 * it? 1 (also when p has no companion) or 0; -1 when out of memory. Uses
 * scratch vector occ.
 */
int pattern_paired(const pattern *p, const char *text, size_t len, size_t a,
                   occ_vec *occ);

/* A literal found in the text, with the most non-space bytes the
 * pattern's match may hold before it. */
typedef struct mcand {
    size_t pos;
    size_t back;
} mcand;

/* A window: a match may start in [lo, p]. */
typedef struct mwin {
    size_t lo, p;
} mwin;

typedef struct mwin_vec {
    mwin *v;
    size_t n, cap;
} mwin_vec;

/*
 * Are p's companions checked at all (pattern_paired_near)? Not when p has
 * none, nor when they may be so far from the literal that looking for them
 * costs more than the searches they save.
 */
int pattern_pair_checked(const pattern *p);

/* Are they checked, and found in the one pass over the text with the
 * rules' literals (being about as common as the literal) rather than
 * looked for near each candidate? */
int pattern_pair_global(const pattern *p);

/*
 * pattern_paired for each of the candidates c[0..n) of p (sorted by
 * position), keeping those it says yes to at the front of c, in order;
 * *kept is their number. Windows that overlap are looked through for the
 * companion once, not once per candidate; a companion too far away to be
 * worth looking for keeps every candidate. 0, or -1 when out of memory.
 * Uses scratch vectors occ and w.
 */
int pattern_paired_all(const pattern *p, const char *text, size_t len,
                       mcand *c, size_t n, size_t *kept, occ_vec *occ,
                       mwin_vec *w);

/*
 * pattern_paired for each of the candidates c[0..n) of p (sorted by
 * position, inside text[lo..hi)), given the occurrences of p's companions
 * that start in text[lo..hi) and that their contexts allow: comp[0..nc),
 * sorted by position, each as {pos, back = its end}. A candidate that a
 * companion outside [lo, hi) may confirm is looked at with pattern_paired
 * (scratch occ). Keeps the candidates it says yes to at the front of c,
 * in order; *kept is their number. With pattern_pair_checked(p) false,
 * keeps every candidate. 0, or -1 when out of memory.
 */
int pattern_paired_near(const pattern *p, const char *text, size_t len,
                        mcand *c, size_t n, const mcand *comp, size_t nc,
                        size_t lo, size_t hi, size_t *kept, occ_vec *occ);

/* What one thread needs to match: PCRE2 state and scratch vectors. */
typedef struct matcher {
    pcre2_match_data *md;
    pcre2_match_context *mc;     /* the limits */
    pcre2_match_context *mc_lim; /* the limits and an offset limit */
    pcre2_jit_stack *js;
    int reference;               /* search every byte, the reference way */
    int valid;                   /* the text is valid UTF-8 (PAT_VALID) */
    size_t len;                  /* of the text */
    occ_vec occ[3];              /* literal hits, one vector per nesting */
    mwin_vec wins[3];
} matcher;

/* Returns 0, or -1 when out of memory (then call matcher_free). */
int matcher_init(matcher *m, unsigned long match_limit);
void matcher_free(matcher *m);

/* Texts up to this size are checked for valid UTF-8 by matcher_text, so
 * that searches in them need not check it again and a pattern with few
 * of them need not be compiled with JIT; a bigger one is checked a chunk
 * at a time by the scan's literal pass, which sets `valid` itself. */
#define MATCHER_CHECK_MAX (256u * 1024)

/* Prepares the matcher for a text: is it valid UTF-8 (checked here when
 * it is small; else 0 until the caller knows)? */
void matcher_text(matcher *m, const char *text, size_t len);

/*
 * The code of p for a search of the matcher's text: in windows (the fast
 * way, `windows` of them) or of every byte (windows 0, or the reference
 * way). NULL with a message when p does not compile.
 */
const pcre2_code *matcher_code(const matcher *m, const pattern *p,
                               size_t windows, char *msg, size_t msglen);

/* The matches of one pattern in text[0..len), one after another. */
typedef struct msearch {
    matcher *m;
    const pcre2_code *re;
    const char *text;
    size_t len;
    int full;        /* search every byte from `from` */
    size_t from;     /* full: where the next search starts */
    size_t clear;    /* windows: no match left to report starts before it */
    const mwin *w;   /* windows: sorted by start */
    size_t nw, wi;
    size_t last_lo;  /* windows: where the last search started */
} msearch;

/*
 * Starts a search for the matches of pattern p in text[0..len) from byte
 * `from` on. With literals (and not in reference mode) the text from
 * `from` is scanned for them, with scratch vectors `slot` (0..2: searches
 * that are open at the same time use different slots). Returns 0, or -1
 * when out of memory.
 */
int msearch_start(msearch *s, matcher *m, const pcre2_code *re,
                  const pattern *p, const char *text, size_t len,
                  size_t from, int slot);

/*
 * Starts a search whose literal hits are already known: c[0..n) (sorted
 * by position), each with the `back` of its literal for this pattern.
 */

int msearch_start_cands(msearch *s, matcher *m, const pcre2_code *re,
                        const char *text, size_t len, const mcand *c,
                        size_t n, int slot);

/* Appends the windows of candidates c[0..n) to w, sorted among
 * themselves. Returns 0, or -1 when out of memory. */
int mwin_add(mwin_vec *w, const char *text, const mcand *c, size_t n);

/* Starts a search over windows w[0..n) (sorted, as mwin_add leaves them);
 * w must live as long as the search. */
void msearch_start_wins(msearch *s, matcher *m, const pcre2_code *re,
                        const char *text, size_t len, const mwin *w,
                        size_t n);

/*
 * Is there a match of pattern p (compiled as re) anywhere in text[0..len),
 * even an empty one? 1 or 0, or a PCRE2 error code (< 0); -1 also when out
 * of memory. Uses scratch vectors `slot`.
 */
int msearch_exists(matcher *m, const pcre2_code *re, const pattern *p,
                   const char *text, size_t len, int slot);

/*
 * The one match of a pattern with a split (it only matches from the start
 * of the text), given its candidates c[0..n) (those of the whole regex,
 * which are those of what it flags): the first match of what it flags, if
 * every condition on the whole text holds. 1 and [*ms, *me), 0 when there
 * is none; 2 when it cannot be found this way (an empty match, a pattern
 * that does not compile alone), or a PCRE2 error code (< 0): then search
 * the whole pattern instead.
 */
int pattern_split_find(matcher *m, const pattern *p, const char *text,
                       size_t len, const mcand *c, size_t n, size_t *ms,
                       size_t *me);

/* Starts a search of every byte from `from` (the reference way). */
void msearch_start_full(msearch *s, matcher *m, const pcre2_code *re,
                        const char *text, size_t len, size_t from);

/*
 * The next match [*ms, *me): 1; 0 when there is none; a PCRE2 error code
 * (< 0), e.g. a match limit, on failure. An empty match is stepped over.
 * 2 when a search in windows met an empty match (\K): the caller then
 * searches again from the start, every byte (with PAT_ANY code).
 */
int msearch_next(msearch *s, size_t *ms, size_t *me);

/*
 * For a search started with windows: the leftmost match whose attempt
 * starts at or after at_least (and after what earlier calls ruled out),
 * without moving past it: the attempt's start in *rs (before any \K) and
 * the match in [*ms, *me). Returns 1; 2 for a match that \K left empty or
 * moved back; 0 when there is none; a PCRE2 error code (< 0).
 */
int msearch_find(msearch *s, size_t at_least, size_t *rs, size_t *ms,
                 size_t *me);

#endif
