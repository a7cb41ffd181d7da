/*
 * scan.c - one document against a compiled rule set.
 *
 * Each rule is matched on its own, so one rule never hides another at the
 * same place. A rule's hits are non-overlapping (the next search starts
 * where the last hit ended, which merges overlapping hits). Each hit is
 * then checked against the rule's `unless` phrases and the negating words;
 * what survives is scored, the rest is kept with its reason.
 *
 * Matching is fast by default: one pass over the text finds the literals
 * of every rule (litset.c), and the keyword of the directives on the way;
 * a rule's pattern is only tried near its own (matcher.c); a rule none of
 * whose literals occur is not tried at all. The same goes for the unless
 * phrases and the negating words, in the few hundred bytes around each
 * hit. RF_SCAN_REFERENCE matches every pattern over the whole text
 * instead; both give the same hits.
 *
 * A big document may be scanned by several threads (rf_scan_opts.threads):
 * each takes the next chunk of the text not yet taken and looks through it
 * for literals, checking each candidate's companion while the chunk is in
 * the cache; then the rules are searched, each by whichever thread is
 * free; then the hits are looked at for what suppresses them, a block of
 * hits at a time (what one hit does to the next is left to one thread).
 * Each thread has its own PCRE2 state and scratch space (a lane); the
 * results are put together in a fixed order, so they are the same for any
 * number of threads.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "directive.h"
#include "lanes.h"
#include "rules.h"
#include "score.h"
#include "text.h"

#define DEFAULT_MAX_EVIDENCE 20
#define DEFAULT_CONTEXT 40
#define DEFAULT_MATCH_LIMIT 1000000UL
/* Steps per byte of text the default match limit allows at least. */
#define MATCH_STEPS_PER_BYTE 32
/* How far back a negator or an exception is looked for. */
#define LOOKBACK 300

struct rf_result {
    arena mem;
    rf_flag *flags;
    size_t n_flags;
    rf_flag *supp;
    size_t n_supp;
    int score;
    rf_verdict verdict;
    char *error;
};

typedef struct hit {
    size_t start, end;
    const rule *rule;
    size_t order;       /* the rule's index: groups hits back by rule */
    const char *reason; /* NULL: scored */
} hit;

/* A candidate and the part (or companion) it belongs to, in 16 bytes
 * rather than 24: a big text has millions. `more` is the candidate's back,
 * or for a companion the length of the occurrence (see find_chunks);
 * OWNED_FAR stands for any back from there up, LIT_UNBOUNDED among them,
 * which only widens a window. */
typedef struct owned {
    uint32_t owner;
    uint32_t more;
    size_t pos;
} owned;

#define OWNED_FAR UINT32_MAX

typedef struct owned_vec {
    owned *v;
    size_t n, cap;
} owned_vec;

/* What one thread of a scan works with: PCRE2 state and scratch space. */
typedef struct lane {
    matcher m;
    occ_vec occ;       /* the literals found in a chunk of the text */
    /* the candidates and companions of the chunk just read, in text
     * order; per owner, how many (then where the next goes in cc) and
     * where its own start in cc, grouped by owner (both 0 but for the
     * owners in ctouched, as found) */
    owned_vec chunk;
    size_t *cnum, *cat;
    uint32_t *ctouched;
    size_t n_ctouched;
    mcand *cc;
    size_t cap_cc;
    owned_vec any;     /* the candidates their companions confirmed, chunk
                          by chunk as the lane took them (chunk_out) */
    size_t *count;     /* per part: its candidates in any; then where the
                          next of them goes in cands (0 but for those in
                          touched) */
    uint32_t *touched; /* the parts with candidates in any, as found */
    size_t n_touched;
    /* one search per part of a rule, over windows kept in pwins */
    struct part_search *parts;
    mwin_vec pwins;
    hit *hits;         /* the hits found by this lane (threads only) */
    size_t n_hits, cap_hits;
    size_t *kw;        /* where a directive's keyword starts in its chunks */
    size_t n_kw, cap_kw;
    int utf8_bad;      /* a chunk it read is not valid UTF-8 */
    int oom;
} lane;

/* Lanes a scan uses at most, and the bytes of text each must have. */
#define MAX_LANES LANES_MAX
#define LANE_MIN_BYTES (2u * 1024 * 1024)

/* What is kept from one document to the next (see redflag.h). */
struct rf_scanner {
    const rf_rules *rs;
    lane *lanes;       /* lanes[0] for every scan; more for big texts */
    size_t n_lanes;
    /* Per part of a rule: the candidates its companion confirmed,
     * cands[part_at .. part_at + part_n). Only the parts in touched (in
     * order) have any; part_n is 0 for every other. A posting touches a
     * few dozen of the rules' hundreds of parts, so nothing per document
     * goes through them all. */
    size_t *part_at, *part_n;
    uint32_t *touched;
    size_t n_touched;
    /* per rule: the candidates of all its parts, cands[rule_c0 .. rule_c1)
     * (empty for a rule none of whose parts was touched) */
    size_t *rule_c0, *rule_c1;
    uint32_t *part_rule; /* per part: its rule's index */
    uint64_t *mark;    /* a bit per part, clear between uses */
    mcand *cands;
    size_t cap_cands;
    struct chunk_out *chunks; /* find_candidates's, kept for the next */
    size_t cap_chunks;
    /* a big plain text's line breaks, counted by the literal pass a block
     * of NL_BLOCK bytes at a time while the block is in the cache (the
     * evidence's lines are then found without reading the text again);
     * have_nl says whether this scan counts them */
    uint32_t *nl;
    size_t cap_nl;
    int have_nl;
    hit *hits;
    size_t cap_hits;
};

/* The search of one part (see scan_parts). */
struct part_search {
    msearch it;
    int state;             /* 0 done, 1 look for the next match, 2 have it */
    size_t at, nw;         /* its windows: pwins.v[at .. at + nw) */
    size_t rs, ms, me;     /* the match: attempt start, [ms, me) */
};

/* Everything one scan needs. */
typedef struct scanner {
    const rf_rules *rs;
    const rf_source *doc;
    size_t max_evidence;
    size_t context;
    rf_scanner *keep;
    lane *ln;          /* this thread's */
    matcher *m;        /* &ln->m */
    rf_result *res;
    arena *reasons;    /* where suppression reasons go: &res->mem, or a
                          lane's while hits are classified in lanes */
    buf errors;
    struct note_vec *notes; /* a lane's: errors kept with their hit */
    size_t at_hit;     /* the hit being classified, for notes */
    hit *hits;
    size_t n_hits, cap_hits;
    /* flags being built, grown as rules match */
    rf_flag *flags, *supp;
    size_t n_flags, cap_flags, n_supp, cap_supp;
    int oom;
} scanner;

/* An error a lane met while classifying hits[hit]: noted later, in the
 * order of the hits (classify). */
typedef struct note {
    size_t hit;
    char *what; /* "rule ID: message", malloc'd */
} note;

typedef struct note_vec {
    note *v;
    size_t n, cap;
} note_vec;

static void notes_free(note_vec *nv)
{
    for (size_t i = 0; i < nv->n; i++)
        free(nv->v[i].what);
    free(nv->v);
    memset(nv, 0, sizeof(*nv));
}

/* Adds "rule ID: message" to the errors, once: a pattern that does not
 * compile would otherwise be reported at every hit. */
static void note_error(buf *errors, const char *one)
{
    if (errors->data && strstr(errors->data, one))
        return;
    if (errors->len)
        buf_puts(errors, "; ");
    buf_puts(errors, one);
}

/* Keeps an error of the hit being classified for later. One the lane has
 * kept already goes: it came from an earlier hit, so it is among the
 * errors by the time this one would be noted. */
static void keep_note(scanner *sc, const char *one)
{
    note_vec *nv = sc->notes;
    for (size_t i = 0; i < nv->n; i++)
        if (strcmp(nv->v[i].what, one) == 0)
            return;
    if (nv->n == nv->cap) {
        size_t cap = nv->cap ? nv->cap * 2 : 4;
        note *v = realloc(nv->v, cap * sizeof(*v));
        if (!v) {
            sc->oom = 1;
            return;
        }
        nv->v = v;
        nv->cap = cap;
    }
    char *what = strdup(one);
    if (!what) {
        sc->oom = 1;
        return;
    }
    nv->v[nv->n++] = (note){sc->at_hit, what};
}

static void add_error_for(scanner *sc, const char *id, const char *what)
{
    char one[400];
    snprintf(one, sizeof(one), "rule %s: %s", id, what);
    if (sc->notes)
        keep_note(sc, one);
    else
        note_error(&sc->errors, one);
}

static void add_error(scanner *sc, const rf_rule *r, const char *what)
{
    add_error_for(sc, r->id, what);
}

static const char *match_error(int rc)
{
    /* Which of PCRE2's limits ran out is the same news to the user: this
     * rule backtracks too much on this text. */
    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT:
    case PCRE2_ERROR_DEPTHLIMIT:
    case PCRE2_ERROR_HEAPLIMIT:
    case PCRE2_ERROR_JIT_STACKLIMIT:
        return "match limit exceeded";
    case PCRE2_ERROR_NOMEMORY: return "out of memory while matching";
    }
    return "matching failed";
}

/*
 * Starts a search for the matches of p in text[0..len) from `from` on (see
 * matcher.h; `slot` keeps searches that are open at once apart). Returns 1,
 * or 0 when there is nothing to search: no pattern, one that does not
 * compile (noted as an error of `id`), or no memory.
 */
static int search(scanner *sc, msearch *it, const pattern *p, const char *id,
                  size_t from, size_t len, int slot)
{
    if (!p->src)
        return 0;
    char msg[300];
    const pcre2_code *re = matcher_code(sc->m, p, 1, msg, sizeof(msg));
    if (!re) {
        add_error_for(sc, id, msg);
        return 0;
    }
    if (msearch_start(it, sc->m, re, p, sc->doc->text, len, from, slot)) {
        sc->oom = 1;
        return 0;
    }
    return 1;
}

/*
 * Does the line that starts at u[i] go on with the sentence above it? Hard
 * wrapped text breaks lines inside sentences, and the next line then goes on
 * in lower case ("We never ask for\nunpaid trials"); a blank line, a bullet,
 * a capital or a digit starts something new ("No laptop\n100% commission" is
 * a list). Stricter than the rule catalogue's sentence windows, because a
 * negation read too far hides a real flag.
 */
static int continues_line(const unsigned char *u, size_t i, size_t len)
{
    while (i < len && (u[i] == ' ' || u[i] == '\t' ||
                       (u[i] == 0xC2 && i + 1 < len && u[i + 1] == 0xA0)))
        i += u[i] == 0xC2 ? 2 : 1;
    if (i >= len)
        return 0;
    unsigned char c = u[i];
    if ((c >= 'a' && c <= 'z') || c == '"' || c == '\'')
        return 1;
    if (i + 2 < len && c == 0xE2 && u[i + 1] == 0x80 &&
        (u[i + 2] == 0x98 || u[i + 2] == 0x9C)) /* ‘ “ */
        return 1;
    return 0;
}

/* Is u[i] a hyphen written as a dash: with a space or a tab on each side,
 * or doubled ("No - 100% commission", "No--"), not one inside a word? */
static int is_dash_hyphen(const unsigned char *u, size_t i, size_t len)
{
    int before = i > 0 ? u[i - 1] : ' ', after = i + 1 < len ? u[i + 1] : ' ';
    return before == '-' || after == '-' ||
           ((before == ' ' || before == '\t') && (after == ' ' || after == '\t'));
}

/* Does u[i] end a clause, so that a negation before it stops there? */
static int is_clause_end(const unsigned char *u, size_t i, size_t len)
{
    switch (u[i]) {
    case ',': case ';': case ':': case '.': case '!': case '?':
    case '|': case '(': case ')':
        return 1;
    case '\n':
        return !continues_line(u, i + 1, len);
    case '-':
        return is_dash_hyphen(u, i, len);
    }
    /* bullet U+2022, en dash U+2013 and em dash U+2014, middle dot
     * U+00B7, seen from their last byte */
    if (i >= 2 && (u[i] == 0xA2 || u[i] == 0x93 || u[i] == 0x94) &&
        u[i - 1] == 0x80 && u[i - 2] == 0xE2)
        return 1;
    if (i >= 1 && u[i] == 0xB7 && u[i - 1] == 0xC2)
        return 1;
    return 0;
}

/* Words (runs of non-space holding a letter or digit) in text[a..b). */
static size_t count_words(const char *text, size_t a, size_t b)
{
    size_t n = 0;
    int counted = 0; /* has the current run of non-space been counted? */
    while (a < b) {
        size_t sp = text_space_len(text + a, b - a);
        if (sp) {
            counted = 0;
            a += sp;
            continue;
        }
        unsigned char c = (unsigned char)text[a];
        int wordy = c >= 0x80 || (c >= '0' && c <= '9') ||
                    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
        if (wordy && !counted) {
            n++;
            counted = 1;
        }
        a++;
    }
    return n;
}

/* Does any match of p in text[a..b) overlap [s, e)? */
static int overlapped(scanner *sc, const pattern *p, size_t a, size_t b,
                      size_t s, size_t e)
{
    msearch it;
    size_t ms, me;
    int rc;
    if (!search(sc, &it, p, "@negation", a, b, 2))
        return 0;
    while ((rc = msearch_next(&it, &ms, &me)) == 1) {
        if (ms >= e)
            return 0;
        if (me > s)
            return 1;
    }
    if (rc < 0) /* a lookup that could not finish finds nothing, and says so */
        add_error_for(sc, "@negation", match_error(rc));
    return 0;
}

/* The reason an `unless` phrase of the hit's rule suppresses it, or NULL. */
static const char *unless_reason(scanner *sc, const hit *h)
{
    const char *text = sc->doc->text;
    size_t len = sc->doc->len, hs = h->start, he = h->end;
    size_t a = hs > LOOKBACK ? text_floor_char(text, len, hs - LOOKBACK) : 0;
    size_t b = len - he > LOOKBACK ? he + LOOKBACK : len;
    size_t us, ue;
    msearch it;
    int rc;
    if (!search(sc, &it, &h->rule->unless_re, h->rule->pub.id, a, b, 1))
        return NULL;
    while ((rc = msearch_next(&it, &us, &ue)) == 1) {
        if (us >= he)
            return NULL;
        if (ue > hs) {
            char *why = arena_alloc(sc->reasons, ue - us + 16);
            if (why)
                snprintf(why, ue - us + 16, "unless '%.*s'", (int)(ue - us),
                         text + us);
            return why;
        }
    }
    /* An exception that could not be looked for suppresses nothing. */
    if (rc < 0)
        add_error(sc, &h->rule->pub, match_error(rc));
    return NULL;
}

/* Where the clause holding byte hs starts. */
static size_t clause_start(const char *text, size_t len, size_t hs)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t cs = hs, lim = hs > LOOKBACK ? hs - LOOKBACK : 0;
    while (cs > lim && !is_clause_end(u, cs - 1, len))
        cs--;
    return cs;
}

/* Does a stop word ("but") stand in text[a..b)? */
static int stopped(scanner *sc, size_t a, size_t b)
{
    msearch it;
    size_t ss, se;
    if (!search(sc, &it, &sc->rs->neg.stop_re, "@negation", a, b, 2))
        return 0;
    int rc = msearch_next(&it, &ss, &se);
    if (rc < 0)
        add_error_for(sc, "@negation", match_error(rc));
    return rc == 1;
}

/* The reason a negating word before the hit suppresses it, or NULL. */
static const char *negation_reason(scanner *sc, size_t hs)
{
    const negation *ng = &sc->rs->neg;
    const char *text = sc->doc->text;
    size_t len = sc->doc->len;
    if (!ng->re.src || hs == 0)
        return NULL;
    size_t cs = clause_start(text, sc->doc->len, hs);
    size_t ns, ne;
    msearch it;
    int rc;
    if (!search(sc, &it, &ng->re, "@negation", cs, hs, 1))
        return NULL;
    while ((rc = msearch_next(&it, &ns, &ne)) == 1) {
        if (count_words(text, ne, hs) > (size_t)ng->window)
            continue;
        if (overlapped(sc, &ng->except_re, cs,
                       len - hs > LOOKBACK ? hs + LOOKBACK : len, ns, ne))
            continue;
        if (stopped(sc, ne, hs))
            continue;
        char *why = arena_alloc(sc->reasons, ne - ns + 16);
        if (why)
            snprintf(why, ne - ns + 16, "negated by '%.*s'", (int)(ne - ns),
                     text + ns);
        return why;
    }
    /* A negation that could not be looked for negates nothing. */
    if (rc < 0)
        add_error_for(sc, "@negation", match_error(rc));
    return NULL;
}

/* Where text byte ti of a document comes from in its source. */
static size_t source_offset(const rf_source *d, size_t ti)
{
    if (d->map)
        return d->map[ti];
    if (!d->spans || !d->n_spans)
        return ti;
    size_t lo = 0, hi = d->n_spans; /* the last span starting at or before */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->spans[mid].text <= ti)
            lo = mid;
        else
            hi = mid;
    }
    return d->spans[lo].src + (ti - d->spans[lo].text);
}

/*
 * "disabled inline at line N" for each directive, in one pass: they come in
 * text order, so counting lines is linear however many there are. NULL
 * when out of memory.
 */
static const char **inline_reasons(scanner *sc, const directives *ds)
{
    const rf_source *d = sc->doc;
    const char **why = arena_alloc(&sc->res->mem, ds->n * sizeof(*why));
    text_pos cache = {0, 0, 0, 0};
    for (size_t i = 0; why && i < ds->n; i++) {
        size_t line, column, at = ds->items[i].at;
        if (d->src && (d->map || d->spans))
            text_locate(d->src, d->src_len, source_offset(d, at), &cache,
                        &line, &column);
        else
            text_locate(d->text, d->len, at, &cache, &line, &column);
        char *s = arena_alloc(&sc->res->mem, 48);
        if (!s)
            return NULL;
        snprintf(s, 48, "disabled inline at line %zu", line);
        why[i] = s;
    }
    return why;
}

/* The reason an inline `redflag-disable` turns the hit off, or NULL. */
static const char *inline_reason(const scanner *sc, const directives *ds,
                                 const char **why, const hit *h)
{
    const directive *dv = directive_covering(ds, sc->doc->text,
                                             h->rule->pub.id, h->start);
    return dv ? why[dv - ds->items] : NULL;
}

static int push_hit(scanner *sc, const rule *r, size_t order, size_t s,
                    size_t e)
{
    if (sc->n_hits == sc->cap_hits) {
        size_t cap = sc->cap_hits ? sc->cap_hits * 2 : 16;
        hit *p = realloc(sc->hits, cap * sizeof(*p));
        if (!p)
            return -1;
        sc->hits = p;
        sc->cap_hits = cap;
    }
    sc->hits[sc->n_hits++] = (hit){s, e, r, order, NULL};
    return 0;
}

static rf_flag *new_flag(scanner *sc, int suppressed)
{
    rf_flag **arr = suppressed ? &sc->supp : &sc->flags;
    size_t *n = suppressed ? &sc->n_supp : &sc->n_flags;
    size_t *cap = suppressed ? &sc->cap_supp : &sc->cap_flags;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        rf_flag *p = realloc(*arr, c * sizeof(*p));
        if (!p)
            return NULL;
        *arr = p;
        *cap = c;
    }
    rf_flag *f = &(*arr)[(*n)++];
    memset(f, 0, sizeof(*f));
    return f;
}

/* Copies one line of context around [s, e) into the arena. */
static void make_context(scanner *sc, rf_evidence *ev, size_t s, size_t e)
{
    const char *t = sc->doc->text;
    size_t len = sc->doc->len, w = sc->context;
    size_t a = s > w ? s - w : 0, b = len - e > w ? e + w : len;
    const char *nl;
    for (size_t i = s; i > a; i--)
        if (t[i - 1] == '\n') {
            a = i;
            break;
        }
    if ((nl = memchr(t + e, '\n', b - e)))
        b = (size_t)(nl - t);
    a = text_ceil_char(t, len, a);
    b = text_floor_char(t, len, b);
    /* Start and end on a word when the cut fell inside one. */
    if (a > 0 && t[a - 1] != '\n') {
        for (size_t i = a; i < s && i < a + 15; i++)
            if (t[i] == ' ') {
                a = i + 1;
                break;
            }
    }
    if (b < len && t[b] != '\n') {
        for (size_t i = b; i > e && i + 15 > b; i--)
            if (t[i - 1] == ' ') {
                b = i - 1;
                break;
            }
    }
    char *c = arena_strndup(&sc->res->mem, t + a, b - a);
    if (!c) {
        sc->oom = 1;
        return;
    }
    for (char *p = c; p < c + (b - a); p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    ev->context = c;
    ev->context_match = s - a;
    ev->context_len = e - s;
}

/* Evidence for hits[i] (the match text and context; positions later). */
static void make_evidence(scanner *sc, rf_evidence *ev, const hit *h)
{
    ev->match = arena_strndup(&sc->res->mem, sc->doc->text + h->start,
                              h->end - h->start);
    if (!ev->match)
        sc->oom = 1;
    ev->offset = h->start; /* a text index until positions are resolved */
    ev->length = h->end - h->start;
    make_context(sc, ev, h->start, h->end);
}

/*
 * Room for one more piece of evidence in f. The array grows by doubling,
 * in the arena, up to max_evidence: a flag costs what it keeps, not what
 * the limit would allow.
 */
static rf_evidence *evidence_slot(scanner *sc, rf_flag *f)
{
    size_t n = f->n_evidence;
    if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) { /* full: 0, 4, 8, ... */
        size_t cap = n ? 2 * n : 4;
        if (cap > sc->max_evidence)
            cap = sc->max_evidence;
        rf_evidence *p = arena_alloc(&sc->res->mem, cap * sizeof(*p));
        if (!p) {
            sc->oom = 1;
            return NULL;
        }
        if (n)
            memcpy(p, f->evidence, n * sizeof(*p));
        f->evidence = p;
    }
    return (rf_evidence *)&f->evidence[f->n_evidence++];
}

static int same_reason(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Turns the hits [a, b) of one rule (classified, and sorted by reason so
 * that each reason's hits are together) into a flag and suppressed entries
 * grouped by reason. */
static void collect(scanner *sc, size_t a, size_t b)
{
    const rule *r = sc->hits[a].rule;
    rf_flag *f = NULL;
    for (size_t i = a; i < b && !sc->oom; i++) {
        const hit *h = &sc->hits[i];
        if (!f || !same_reason(f->reason, h->reason)) {
            f = new_flag(sc, h->reason != NULL);
            if (!f) {
                sc->oom = 1;
                return;
            }
            f->rule = &r->pub;
            f->reason = h->reason;
        }
        f->count++;
        if (f->n_evidence < sc->max_evidence) {
            rf_evidence *ev = evidence_slot(sc, f);
            if (ev)
                make_evidence(sc, ev, h);
        }
    }
}

/* The literal pass looks through a text this much at a time. */
#define FIND_CHUNK (256u * 1024)

/* ---- lanes: one thread each ---- */

typedef void lane_fn(scanner *sc, size_t li, void *arg);

typedef struct lane_call {
    scanner *sc;
    lane_fn *fn;
    void *arg;
} lane_call;

static void lane_do(size_t li, void *p)
{
    lane_call *c = p;
    c->fn(c->sc, li, c->arg);
}

/* Runs fn for lanes 0 .. n - 1 at once (lanes_run). */
static void run_lanes(scanner *sc, size_t n, lane_fn *fn, void *arg)
{
    lane_call c = {sc, fn, arg};
    lanes_run(n, lane_do, &c);
}

static void lane_free(lane *ln);

static int lane_init(lane *ln, size_t n_parts)
{
    memset(ln, 0, sizeof(*ln));
    ln->cnum = calloc(2 * n_parts + 1, sizeof(size_t));
    ln->cat = calloc(2 * n_parts + 1, sizeof(size_t));
    ln->ctouched = malloc((2 * n_parts + 1) * sizeof(uint32_t));
    ln->count = calloc(n_parts + 1, sizeof(size_t));
    ln->touched = malloc((n_parts + 1) * sizeof(uint32_t));
    ln->parts = calloc(n_parts + 1, sizeof(*ln->parts));
    if (!ln->cnum || !ln->cat || !ln->ctouched || !ln->count ||
        !ln->touched || !ln->parts ||
        matcher_init(&ln->m, DEFAULT_MATCH_LIMIT)) {
        lane_free(ln);
        return -1;
    }
    return 0;
}

static void lane_free(lane *ln)
{
    matcher_free(&ln->m);
    occ_vec_free(&ln->occ);
    free(ln->chunk.v);
    free(ln->cnum);
    free(ln->cat);
    free(ln->ctouched);
    free(ln->cc);
    free(ln->any.v);
    free(ln->count);
    free(ln->touched);
    free(ln->parts);
    free(ln->pwins.v);
    free(ln->hits);
    free(ln->kw);
}

/* At least n lanes (fewer when out of memory); how many there are. */
static size_t lanes_reserve(rf_scanner *k, size_t n)
{
    if (n <= k->n_lanes)
        return n;
    lane *v = realloc(k->lanes, n * sizeof(*v));
    if (!v)
        return k->n_lanes;
    k->lanes = v;
    while (k->n_lanes < n && !lane_init(&k->lanes[k->n_lanes], k->rs->n_parts))
        k->n_lanes++;
    return k->n_lanes;
}

/* A scanner for lane li of sc's scan: the lane's matcher, errors of its
 * own, the rest shared. */
static scanner lane_scanner(const scanner *sc, size_t li)
{
    scanner sub = *sc;
    sub.ln = &sc->keep->lanes[li];
    sub.m = &sub.ln->m;
    memset(&sub.errors, 0, sizeof(sub.errors));
    sub.oom = 0;
    return sub;
}

/* Any lane out of memory? */
static int lanes_oom(const rf_scanner *k, size_t n)
{
    int oom = 0;
    for (size_t i = 0; i < n; i++)
        oom |= k->lanes[i].oom;
    return oom;
}

/* ---- classifying the hits ---- */

/*
 * The reason for suppressing h that depends on h alone: a
 * `redflag-disable` line (directive.h), its rule's `unless` phrases, or a
 * negating word a few words before it in the same clause; NULL when none.
 * Sets h->reason; returns 1 when it is a negation.
 */
static int own_reason(scanner *sc, const directives *ds, const char **why,
                      hit *h)
{
    if (ds->n && (h->reason = inline_reason(sc, ds, why, h)))
        return 0;
    if ((h->reason = unless_reason(sc, h)))
        return 0;
    return (h->reason = negation_reason(sc, h->start)) != NULL;
}

/* Does h follow the negated hit n closely, in the same clause? */
static int follows_negation(scanner *sc, const hit *n, const hit *h)
{
    const char *text = sc->doc->text;
    /* A clause reaches back LOOKBACK bytes at most (clause_start): n, if
     * further back, is not in h's, which needs no reading to tell. */
    if (n->end > h->start || h->start - n->start > LOOKBACK)
        return 0;
    return clause_start(text, sc->doc->len, h->start) <= n->start &&
           count_words(text, n->end, h->start) <=
               (size_t)sc->rs->neg.window &&
           !stopped(sc, n->end, h->start);
}

static int by_offset(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* The directives of the document, into ds: from where the lanes found
 * their keyword in the literal pass, or looked for when there was none
 * (RF_SCAN_REFERENCE). Returns 0, or -1 when out of memory. */
static int find_directives(scanner *sc, size_t n_lanes, directives *ds)
{
    const char *text = sc->doc->text;
    size_t len = sc->doc->len, n = 0;
    const lane *lanes = sc->keep->lanes;
    if (sc->m->reference)
        return directive_find(text, len, ds);
    for (size_t i = 0; i < n_lanes; i++)
        n += lanes[i].n_kw;
    if (n_lanes == 1 || n == 0)
        return directive_find_at(text, len, lanes[0].kw, lanes[0].n_kw, ds);
    /* the lanes took chunks in no fixed order */
    size_t *kw = malloc(n * sizeof(*kw));
    if (!kw)
        return -1;
    n = 0;
    for (size_t i = 0; i < n_lanes; i++) {
        memcpy(kw + n, lanes[i].kw, lanes[i].n_kw * sizeof(*kw));
        n += lanes[i].n_kw;
    }
    qsort(kw, n, sizeof(*kw), by_offset);
    int rc = directive_find_at(text, len, kw, n, ds);
    free(kw);
    return rc;
}

/* Hits a lane takes at a time when they are classified in lanes. */
#define CLASSIFY_BLOCK 64

/* The hits classified by lanes: each takes the next block not yet taken,
 * so that its hits, and its notes, come in text order. */
typedef struct classify_job {
    const directives *ds;
    const char **why;
    unsigned char *negated;     /* per hit: own_reason said 1 */
    atomic_size_t next;         /* the first hit of the next block */
    arena mem[MAX_LANES];       /* each lane's reasons */
    note_vec notes[MAX_LANES];  /* each lane's errors, by hit */
} classify_job;

static void classify_lane(scanner *sc, size_t li, void *arg)
{
    classify_job *j = arg;
    lane *ln = &sc->keep->lanes[li];
    scanner sub = lane_scanner(sc, li);
    sub.reasons = &j->mem[li];
    sub.notes = &j->notes[li];
    size_t b;
    while (!sub.oom &&
           (b = atomic_fetch_add(&j->next, CLASSIFY_BLOCK)) < sc->n_hits) {
        size_t e = sc->n_hits - b > CLASSIFY_BLOCK ? b + CLASSIFY_BLOCK
                                                   : sc->n_hits;
        for (size_t i = b; i < e && !sub.oom; i++) {
            sub.at_hit = i;
            j->negated[i] =
                (unsigned char)own_reason(&sub, j->ds, j->why, &sc->hits[i]);
        }
    }
    ln->oom = sub.oom;
}

/* Finds the reasons of own_reason for every hit with n_lanes lanes, into
 * j; the notes of the hits are left in j->notes. */
static void classify_lanes(scanner *sc, size_t n_lanes, classify_job *j)
{
    for (size_t i = 0; i < n_lanes; i++)
        sc->keep->lanes[i].oom = 0;
    run_lanes(sc, n_lanes, classify_lane, j);
    sc->oom |= lanes_oom(sc->keep, n_lanes);
    /* the reasons live as long as the result */
    for (size_t i = 0; i < n_lanes; i++)
        arena_adopt(&sc->res->mem, &j->mem[i]);
}

/*
 * Classifies every hit of the document, in text order. A hit is suppressed
 * for a reason of its own (own_reason), or by following a negated hit
 * closely in the same clause: "we never ask for a working interview or
 * any unpaid trial" is one negation over two flags. With several lanes,
 * the reasons of their own are found by the lanes, and the rest here, as
 * with one, with the errors noted in the same order.
 */
static void classify(scanner *sc, size_t n_lanes)
{
    const hit *last_neg = NULL;
    directives ds;
    memset(&ds, 0, sizeof(ds));
    const char **why = NULL;
    if (find_directives(sc, n_lanes, &ds) ||
        (ds.n && !(why = inline_reasons(sc, &ds))))
        sc->oom = 1;
    /* a lane for every block of hits at most */
    size_t blocks = (sc->n_hits + CLASSIFY_BLOCK - 1) / CLASSIFY_BLOCK;
    if (n_lanes > blocks)
        n_lanes = blocks;
    classify_job j;
    memset(&j, 0, sizeof(j));
    size_t at[MAX_LANES] = {0}; /* the next note of each lane */
    if (n_lanes > 1 && !sc->oom) {
        j.ds = &ds;
        j.why = why;
        atomic_init(&j.next, 0);
        if (!(j.negated = calloc(sc->n_hits, 1)))
            sc->oom = 1;
        else
            classify_lanes(sc, n_lanes, &j);
    }
    for (size_t i = 0; i < sc->n_hits && !sc->oom; i++) {
        hit *h = &sc->hits[i];
        int negated;
        if (n_lanes > 1) {
            for (size_t li = 0; li < n_lanes; li++)
                while (at[li] < j.notes[li].n && j.notes[li].v[at[li]].hit == i)
                    note_error(&sc->errors, j.notes[li].v[at[li]++].what);
            negated = j.negated[i];
        } else {
            negated = own_reason(sc, &ds, why, h);
        }
        if (negated) {
            last_neg = h;
            continue;
        }
        if (!h->reason && last_neg && follows_negation(sc, last_neg, h)) {
            h->reason = last_neg->reason;
            last_neg = h;
        }
    }
    if (n_lanes > 1) {
        free(j.negated);
        for (size_t li = 0; li < n_lanes; li++)
            notes_free(&j.notes[li]);
    }
    directives_free(&ds);
}

/* ---- the literal pass and the candidates ---- */

static int reserve_owned(owned_vec *any, size_t cap)
{
    owned *v = realloc(any->v, cap * sizeof(*v));
    if (!v)
        return -1;
    any->v = v;
    any->cap = cap;
    return 0;
}

static inline int push_owned(owned_vec *any, owned o)
{
    if (any->n == any->cap &&
        reserve_owned(any, any->cap ? any->cap * 2 : 256))
        return -1;
    any->v[any->n++] = o;
    return 0;
}

/* Adds where a directive's keyword starts in text[at..stop) to ln->kw:
 * looked for in the chunk just read for literals, and still in the cache,
 * rather than over the whole text after. Returns 0, or -1 when out of
 * memory. */
static int find_keywords(scanner *sc, lane *ln, size_t at, size_t stop)
{
    const char *text = sc->doc->text;
    size_t len = sc->doc->len;
    for (size_t k = directive_next(text, len, at, stop); k < stop;
         k = directive_next(text, len, k + 1, stop)) {
        if (ln->n_kw == ln->cap_kw) {
            size_t cap = ln->cap_kw ? ln->cap_kw * 2 : 16;
            size_t *v = realloc(ln->kw, cap * sizeof(*v));
            if (!v)
                return -1;
            ln->kw = v;
            ln->cap_kw = cap;
        }
        ln->kw[ln->n_kw++] = k;
    }
    return 0;
}

/* Line breaks are counted in blocks of this many bytes of a big text: a
 * piece of evidence then has its line from the blocks before it and at
 * most a block read (FIND_CHUNK is a multiple of it). */
#define NL_BLOCK 4096u

/* nl[b]: the line breaks of block b of text[0..len), for the blocks of
 * text[at..stop) (at a multiple of NL_BLOCK). */
static void count_breaks(uint32_t *nl, const char *text, size_t len,
                         size_t at, size_t stop)
{
    for (size_t b = at / NL_BLOCK; b * NL_BLOCK < stop; b++) {
        size_t from = b * NL_BLOCK, last;
        size_t n = len - from < NL_BLOCK ? len - from : NL_BLOCK;
        nl[b] = (uint32_t)text_count_byte(text + from, n, '\n', &last);
    }
}

/* Room for n candidates at *v (*cap of them now). Returns 0, or -1 when
 * out of memory. */
static int reserve_mcands(mcand **v, size_t *cap, size_t n)
{
    if (n <= *cap)
        return 0;
    mcand *w = realloc(*v, n * sizeof(*w));
    if (!w)
        return -1;
    *v = w;
    *cap = n;
    return 0;
}

/* Empties the lane's chunk: its candidates and its counts per owner. */
static void chunk_clear(lane *ln)
{
    for (size_t t = 0; t < ln->n_ctouched; t++)
        ln->cnum[ln->ctouched[t]] = ln->cat[ln->ctouched[t]] = 0;
    ln->n_ctouched = 0;
    ln->chunk.n = 0;
}

/*
 * Keeps the candidates of the chunk text[at..stop) just read (ln->chunk)
 * that their part's companion confirms, while the chunk is in the cache:
 * grouped by owner in ln->cc, checked a part at a time, and appended to
 * ln->any, counted per part in ln->count. The companions' occurrences
 * serve only here. Returns 0, or -1 when out of memory.
 */
static int check_chunk(scanner *sc, lane *ln, size_t at, size_t stop)
{
    const char *text = sc->doc->text;
    size_t len = sc->doc->len, no = sc->rs->n_parts, total = 0;
    for (size_t t = 0; t < ln->n_ctouched; t++) {
        uint32_t o = ln->ctouched[t];
        ln->cat[o] = total;
        total += ln->cnum[o];
        ln->cnum[o] = ln->cat[o];
    }
    if (reserve_mcands(&ln->cc, &ln->cap_cc, total))
        return -1;
    for (size_t i = 0; i < ln->chunk.n; i++) {
        const owned *o = &ln->chunk.v[i];
        size_t more = o->owner < no ? (o->more == OWNED_FAR ? LIT_UNBOUNDED
                                                            : o->more)
                                    : o->pos + o->more;
        ln->cc[ln->cnum[o->owner]++] = (mcand){o->pos, more};
    }
    /* now cnum[o] is where o's end in cc */
    int rc = 0;
    for (size_t t = 0; t < ln->n_ctouched && !rc; t++) {
        uint32_t p = ln->ctouched[t];
        if (p >= no)
            continue;
        const pattern *pp = sc->rs->part_pat[p];
        mcand *c = ln->cc + ln->cat[p];
        size_t n = ln->cnum[p] - ln->cat[p], kept = n;
        if (sc->rs->part_check[p] == PART_NEAR)
            rc = pattern_paired_near(pp, text, len, c, n,
                                     ln->cc + ln->cat[no + p],
                                     ln->cnum[no + p] - ln->cat[no + p], at,
                                     stop, &kept, &ln->m.occ[2]);
        else if (sc->rs->part_check[p] == PART_ALL)
            rc = pattern_paired_all(pp, text, len, c, n, &kept,
                                    &ln->m.occ[2], &ln->m.wins[2]);
        for (size_t i = 0; i < kept && !rc; i++)
            rc = push_owned(&ln->any,
                            (owned){p,
                                    c[i].back < OWNED_FAR ? (uint32_t)c[i].back
                                                          : OWNED_FAR,
                                    c[i].pos});
        if (kept && ln->count[p] == 0)
            ln->touched[ln->n_touched++] = p;
        ln->count[p] += kept;
    }
    chunk_clear(ln);
    return rc ? -1 : 0;
}

/*
 * The candidates of every rule's parts that start in the chunk of the text
 * at `at` and that their companions confirm (check_chunk), appended to
 * ln->any. Occurrences whose surroundings rule them out (a "kill" inside
 * "skill" for a phrase) are dropped. The text is looked through a chunk
 * at a time, so that the occurrences of a big text are never all held at
 * once, and each chunk is read from memory once. Where the keyword of a
 * directive starts goes to ln->kw.
 */
static int find_chunk(scanner *sc, lane *ln, size_t at)
{
    const litset *ls = sc->rs->prefilter;
    size_t no = sc->rs->n_parts;
    const unsigned char *t = (const unsigned char *)sc->doc->text;
    size_t len = sc->doc->len, reach = litset_max_len(ls);
    size_t stop = len - at > FIND_CHUNK ? at + FIND_CHUNK : len;
    ln->occ.n = 0;
    if (litset_find(ls, sc->doc->text, len, at,
                    len - stop > reach ? stop + reach : len, &ln->occ) ||
        find_keywords(sc, ln, at, stop))
        return -1;
    if (sc->keep->have_nl)
        count_breaks(sc->keep->nl, (const char *)t, len, at, stop);
    /* a big text is checked for valid UTF-8 here, a chunk just read at a
     * time (matcher_text checks small ones) */
    if (len > MATCHER_CHECK_MAX && !ln->utf8_bad &&
        !text_valid_utf8_part((const char *)t, len, at, stop))
        ln->utf8_bad = 1;
    for (size_t i = 0; i < ln->occ.n && ln->occ.v[i].pos < stop; i++) {
        size_t n;
        const lit_occ *oc = &ln->occ.v[i];
        const lit_owner *o = litset_owners(ls, oc->lit, &n);
        int ok = 1;
        for (size_t j = 0; j < n; j++) {
            /* owners of the same contexts are side by side: checked once
             * for each run of them */
            if (!oc->checked &&
                (j == 0 || o[j].left != o[j - 1].left ||
                 o[j].right != o[j - 1].right))
                ok = lit_context_ok(t, len, oc->pos, oc->end, o[j].left,
                                    o[j].right);
            if (!ok)
                continue;
            size_t more = o[j].owner < no ? o[j].back : oc->end - oc->pos;
            if (push_owned(&ln->chunk,
                           (owned){o[j].owner,
                                   more < OWNED_FAR ? (uint32_t)more
                                                    : OWNED_FAR,
                                   oc->pos}))
                return -1;
            if (ln->cnum[o[j].owner]++ == 0)
                ln->ctouched[ln->n_ctouched++] = o[j].owner;
        }
    }
    return check_chunk(sc, ln, at, stop);
}

/* The chunks of a text, claimed by the lanes one at a time (so that a
 * lane the machine runs faster takes more), and where each chunk's
 * candidates went: lanes[lane].any.v[from .. to). */
typedef struct chunk_out {
    size_t lane, from, to;
} chunk_out;

typedef struct find_job {
    size_t chunks;
    atomic_size_t next;
    chunk_out *out;
} find_job;

static void find_lane(scanner *sc, size_t li, void *arg)
{
    find_job *j = arg;
    lane *ln = &sc->keep->lanes[li];
    size_t c;
    /* what a document that ran out of memory may have left */
    chunk_clear(ln);
    for (size_t i = 0; i < ln->n_touched; i++)
        ln->count[ln->touched[i]] = 0;
    ln->n_touched = 0;
    ln->any.n = 0;
    ln->n_kw = 0;
    ln->utf8_bad = 0;
    while (!ln->oom && (c = atomic_fetch_add(&j->next, 1)) < j->chunks) {
        j->out[c] = (chunk_out){li, ln->any.n, 0};
        ln->oom = find_chunk(sc, ln, c * FIND_CHUNK) != 0;
        j->out[c].to = ln->any.n;
    }
}

/* Empties what the last document touched: every part's count, every
 * rule's range. */
static void forget_touched(rf_scanner *k)
{
    for (size_t t = 0; t < k->n_touched; t++)
        k->part_n[k->touched[t]] = 0;
    k->n_touched = 0;
    memset(k->rule_c0, 0, k->rs->n * sizeof(size_t));
    memset(k->rule_c1, 0, k->rs->n * sizeof(size_t));
}

/* The parts the lanes touched, once each and in order, in k->touched:
 * set in a bitmap of the parts, which is read back in order and left
 * clear. */
static void gather_touched(rf_scanner *k, size_t n_lanes)
{
    size_t n = 0, words = (k->rs->n_parts + 63) / 64;
    for (size_t i = 0; i < n_lanes; i++) {
        const lane *ln = &k->lanes[i];
        for (size_t t = 0; t < ln->n_touched; t++) {
            uint32_t o = ln->touched[t];
            k->mark[o / 64] |= (uint64_t)1 << (o % 64);
        }
    }
    for (size_t w = 0; w < words; w++) {
        for (uint64_t m = k->mark[w]; m; m &= m - 1)
            k->touched[n++] = (uint32_t)(64 * w + (size_t)__builtin_ctzll(m));
        k->mark[w] = 0;
    }
    k->n_touched = n;
}

/*
 * Finds the literals of every rule in the document and lists the
 * candidates of each part of a rule that its companion confirms (where
 * its literals are, with how far back a match may start) in
 * keep->cands[part_at[i] .. part_at[i] + part_n[i]), in text order, a
 * rule's parts side by side, with n_lanes lanes.
 */
static int find_candidates(scanner *sc, size_t n_lanes)
{
    rf_scanner *k = sc->keep;
    find_job j = {(sc->doc->len + FIND_CHUNK - 1) / FIND_CHUNK, 0, NULL};
    forget_touched(k);
    if (j.chunks > k->cap_chunks) {
        chunk_out *v = realloc(k->chunks, j.chunks * sizeof(*v));
        if (!v)
            return -1;
        k->chunks = v;
        k->cap_chunks = j.chunks;
    }
    j.out = k->chunks;
    atomic_init(&j.next, 0);
    for (size_t i = 0; i < n_lanes; i++)
        k->lanes[i].oom = 0;
    run_lanes(sc, n_lanes, find_lane, &j);
    if (lanes_oom(k, n_lanes))
        return -1;
    if (sc->doc->len > MATCHER_CHECK_MAX) {
        int valid = 1;
        for (size_t i = 0; i < n_lanes; i++)
            valid &= !k->lanes[i].utf8_bad;
        for (size_t i = 0; i < n_lanes; i++)
            k->lanes[i].m.valid = valid;
    }
    gather_touched(k, n_lanes);
    /* Each part's candidates together, the parts in order (so a rule's
     * are together); part_n counts where the next goes while they are
     * put there. */
    size_t total = 0;
    for (size_t t = 0; t < k->n_touched; t++) {
        uint32_t p = k->touched[t], r = k->part_rule[p];
        k->part_at[p] = k->part_n[p] = total;
        if (k->rule_c0[r] == k->rule_c1[r])
            k->rule_c0[r] = total;
        for (size_t i = 0; i < n_lanes; i++)
            total += k->lanes[i].count[p];
        k->rule_c1[r] = total;
    }
    if (reserve_mcands(&k->cands, &k->cap_cands, total))
        return -1;
    /* chunk by chunk, so that each part's are in text order */
    for (size_t c = 0; c < j.chunks; c++) {
        const owned *v = k->lanes[k->chunks[c].lane].any.v;
        for (size_t i = k->chunks[c].from; i < k->chunks[c].to; i++) {
            size_t back = v[i].more == OWNED_FAR ? LIT_UNBOUNDED : v[i].more;
            k->cands[k->part_n[v[i].owner]++] = (mcand){v[i].pos, back};
        }
    }
    for (size_t t = 0; t < k->n_touched; t++)
        k->part_n[k->touched[t]] -= k->part_at[k->touched[t]];
    return 0;
}

/*
 * The hits of a rule whose parts are searched one by one: the rule's
 * pattern is the alternation of its parts, which at each place takes the
 * first part that matches there, and searches on from the end of the last
 * hit. So the next hit is that of the part whose next match starts
 * leftmost (the first such part on a tie), and every part then looks on
 * from its end. Returns 0; 1 when a part cannot be searched this way (a
 * match limit, a pattern that does not compile alone, an empty match),
 * and the caller searches the whole pattern instead.
 */
static int scan_parts(scanner *sc, const rule *r, size_t order)
{
    rf_scanner *k = sc->keep;
    const char *text = sc->doc->text;
    size_t len = sc->doc->len, np = r->n_parts, fp = r->first_part;
    struct part_search *ps = sc->ln->parts + fp;
    mwin_vec *pwins = &sc->ln->pwins;
    pwins->n = 0;
    for (size_t i = 0; i < np; i++) {
        ps[i].at = pwins->n;
        if (mwin_add(pwins, text, k->cands + k->part_at[fp + i],
                     k->part_n[fp + i])) {
            sc->oom = 1;
            return 0;
        }
        ps[i].nw = pwins->n - ps[i].at;
    }
    for (size_t i = 0; i < np; i++) {
        ps[i].state = 0;
        if (!ps[i].nw)
            continue;
        ps[i].state = 1;
        if (r->parts[i].split)
            continue; /* searched its own way, below */
        char msg[300];
        const pcre2_code *re =
            matcher_code(sc->m, &r->parts[i], ps[i].nw, msg, sizeof(msg));
        if (!re)
            return 1;
        msearch_start_wins(&ps[i].it, sc->m, re, text, len,
                           pwins->v + ps[i].at, ps[i].nw);
    }
    size_t clear = 0;
    for (;;) {
        struct part_search *best = NULL;
        for (size_t i = 0; i < np; i++) {
            struct part_search *p = &ps[i];
            if (p->state == 2 && p->rs < clear)
                p->state = 1;
            if (p->state == 1 && r->parts[i].split) {
                /* it matches from the start of the text, or not at all */
                size_t c0 = k->part_at[fp + i];
                int rc = clear ? 0
                               : pattern_split_find(
                                     sc->m, &r->parts[i], text, len,
                                     k->cands + c0,
                                     k->part_n[fp + i], &p->ms,
                                     &p->me);
                if (rc < 0 || rc == 2)
                    return 1;
                p->rs = 0;
                p->state = rc ? 2 : 0;
            } else if (p->state == 1) {
                int rc = msearch_find(&p->it, clear, &p->rs, &p->ms, &p->me);
                if (rc < 0 || rc == 2)
                    return 1;
                p->state = rc ? 2 : 0;
            }
            if (p->state == 2 && (!best || p->rs < best->rs))
                best = p;
        }
        if (!best)
            return 0;
        if (push_hit(sc, r, order, best->ms, best->me)) {
            sc->oom = 1;
            return 0;
        }
        clear = best->me;
        best->state = 1;
    }
}

/* Adds the matches of a search as hits of rule r; returns what ended it
 * (msearch_next), 0 also when out of memory. */
static int push_hits(scanner *sc, const rule *r, size_t order, msearch *it)
{
    size_t s, e;
    int rc;
    while ((rc = msearch_next(it, &s, &e)) == 1)
        if (push_hit(sc, r, order, s, e)) {
            sc->oom = 1;
            return 0;
        }
    return rc;
}

/* Can the rule set's i-th rule match at all: is one of its literals
 * in the text? (A rule with no literal may match anywhere.) */
static inline int rule_may_match(const scanner *sc, size_t i)
{
    return sc->m->reference || sc->rs->no_lits[i] ||
           sc->keep->rule_c0[i] != sc->keep->rule_c1[i];
}

/* Adds every hit of rule r, the rule set's order-th, one that
 * rule_may_match, to sc->hits. */
static void scan_rule(scanner *sc, const rule *r, size_t order)
{
    const char *text = sc->doc->text;
    size_t len = sc->doc->len, s, e, first = sc->n_hits;
    int fast = !sc->m->reference && r->re.lits.ok;
    rf_scanner *k = sc->keep;
    size_t c0 = k->rule_c0[order], c1 = k->rule_c1[order];
    if (fast && r->re.split) {
        /* a regex that looks at the whole text first: one hit at most */
        int rc = pattern_split_find(sc->m, &r->re, text, len, k->cands + c0,
                                    c1 - c0, &s, &e);
        if (rc == 1 && push_hit(sc, r, order, s, e))
            sc->oom = 1;
        if (rc == 0 || rc == 1)
            return;
    }
    if (fast && r->n_parts) {
        if (!scan_parts(sc, r, order))
            return;
        sc->n_hits = first; /* start again with the whole pattern */
    }
    char msg[300];
    const pcre2_code *re =
        matcher_code(sc->m, &r->re, fast ? c1 - c0 : 0, msg, sizeof(msg));
    if (!re) {
        add_error(sc, &r->pub, msg);
        return;
    }
    msearch it;
    if (!fast)
        msearch_start_full(&it, sc->m, re, text, len, 0);
    else if (msearch_start_cands(&it, sc->m, re, text, len, k->cands + c0,
                                 c1 - c0, 0)) {
        sc->oom = 1;
        return;
    }
    int rc = push_hits(sc, r, order, &it);
    if (rc == 2) {
        /* an empty match in a window: every byte, the reference way */
        sc->n_hits = first;
        re = matcher_code(sc->m, &r->re, 0, msg, sizeof(msg));
        if (!re) {
            add_error(sc, &r->pub, msg);
            return;
        }
        msearch_start_full(&it, sc->m, re, text, len, 0);
        rc = push_hits(sc, r, order, &it);
    }
    if (rc < 0) {
        add_error(sc, &r->pub, match_error(rc));
        sc->n_hits = first; /* a rule that could not finish reports nothing */
    }
}

/* The rules searched by lanes: each takes the next rule not yet taken. */
typedef struct rules_job {
    atomic_size_t next;
    char **errors;         /* per rule: what went wrong, or NULL */
} rules_job;

static void rules_lane(scanner *sc, size_t li, void *arg)
{
    rules_job *j = arg;
    lane *ln = &sc->keep->lanes[li];
    scanner sub = lane_scanner(sc, li);
    sub.hits = ln->hits;
    sub.cap_hits = ln->cap_hits;
    sub.n_hits = 0;
    size_t i;
    while (!sub.oom && (i = atomic_fetch_add(&j->next, 1)) < sc->rs->n) {
        if (rule_may_match(&sub, i))
            scan_rule(&sub, sc->rs->rules[i], i);
        if (sub.errors.len && !(j->errors[i] = buf_take(&sub.errors)))
            sub.oom = 1;
        sub.errors.len = 0;
    }
    ln->hits = sub.hits;
    ln->cap_hits = sub.cap_hits;
    ln->n_hits = sub.n_hits;
    ln->oom = sub.oom || sub.errors.oom;
    buf_free(&sub.errors);
}

/* Adds every hit of every rule to sc->hits, with n_lanes lanes. The hits
 * are sorted later; errors are noted in the order of the rules. */
static void scan_rules(scanner *sc, size_t n_lanes)
{
    const rf_rules *rs = sc->rs;
    if (n_lanes < 2) {
        for (size_t i = 0; i < rs->n && !sc->oom; i++)
            if (rule_may_match(sc, i))
                scan_rule(sc, rs->rules[i], i);
        return;
    }
    rules_job j;
    atomic_init(&j.next, 0);
    if (!(j.errors = calloc(rs->n, sizeof(char *)))) {
        sc->oom = 1;
        return;
    }
    for (size_t i = 0; i < n_lanes; i++)
        sc->keep->lanes[i].oom = 0;
    run_lanes(sc, n_lanes, rules_lane, &j);
    sc->oom |= lanes_oom(sc->keep, n_lanes);
    for (size_t i = 0; i < n_lanes && !sc->oom; i++) {
        const lane *ln = &sc->keep->lanes[i];
        for (size_t h = 0; h < ln->n_hits && !sc->oom; h++)
            if (push_hit(sc, ln->hits[h].rule, ln->hits[h].order,
                         ln->hits[h].start, ln->hits[h].end))
                sc->oom = 1;
    }
    for (size_t i = 0; i < rs->n; i++) {
        if (j.errors[i]) {
            if (sc->errors.len)
                buf_puts(&sc->errors, "; ");
            buf_puts(&sc->errors, j.errors[i]);
        }
        free(j.errors[i]);
    }
    free(j.errors);
}

static int cmp_hit_pos(const void *pa, const void *pb)
{
    const hit *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* By rule, then by reason (scored first), then by position: each flag's
 * hits in one run, so grouping them is linear however many reasons the
 * text gives. */
static int cmp_hit_rule(const void *pa, const void *pb)
{
    const hit *a = pa, *b = pb;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    if (!same_reason(a->reason, b->reason)) {
        if (!a->reason || !b->reason)
            return a->reason ? 1 : -1;
        return strcmp(a->reason, b->reason);
    }
    return a->start < b->start ? -1 : a->start > b->start;
}

/* Flags by severity (high first), then by where they first appear. */
static int cmp_flags(const void *pa, const void *pb)
{
    const rf_flag *a = pa, *b = pb;
    if (a->rule->severity != b->rule->severity)
        return a->rule->severity > b->rule->severity ? -1 : 1;
    size_t oa = a->n_evidence ? a->evidence[0].offset : 0;
    size_t ob = b->n_evidence ? b->evidence[0].offset : 0;
    return oa < ob ? -1 : oa > ob;
}

static int cmp_evp(const void *pa, const void *pb)
{
    const rf_evidence *a = *(rf_evidence *const *)pa;
    const rf_evidence *b = *(rf_evidence *const *)pb;
    return a->offset < b->offset ? -1 : a->offset > b->offset;
}

/* Text indexes -> line, column and source offset, in one pass over the
 * document in position order. */
static void resolve_positions(scanner *sc)
{
    size_t n = 0;
    for (size_t i = 0; i < sc->n_flags; i++)
        n += sc->flags[i].n_evidence;
    for (size_t i = 0; i < sc->n_supp; i++)
        n += sc->supp[i].n_evidence;
    if (!n)
        return;
    rf_evidence **all = malloc(n * sizeof(*all));
    if (!all) {
        sc->oom = 1;
        return;
    }
    size_t k = 0;
    for (int pass = 0; pass < 2; pass++) {
        rf_flag *fs = pass ? sc->supp : sc->flags;
        size_t nf = pass ? sc->n_supp : sc->n_flags;
        for (size_t i = 0; i < nf; i++)
            for (size_t j = 0; j < fs[i].n_evidence; j++)
                all[k++] = (rf_evidence *)&fs[i].evidence[j];
    }
    qsort(all, n, sizeof(*all), cmp_evp);
    const rf_source *d = sc->doc;
    text_pos cache = {0, 0, 0, 0};
    const rf_scanner *keep = sc->keep;
    size_t line_before = 0, counted = 0; /* breaks in text[0 .. counted) */
    for (size_t i = 0; i < n; i++) {
        size_t ti = all[i]->offset;
        size_t so = source_offset(d, ti);
        if (keep->have_nl && ti / NL_BLOCK * NL_BLOCK > counted) {
            /* the blocks before it, counted: on from the one it is in,
             * when that is past the last position (the same line breaks
             * in the text and the file, which differ only by invisible
             * characters) */
            size_t tb = ti / NL_BLOCK * NL_BLOCK;
            for (; counted < tb; counted += NL_BLOCK)
                line_before += keep->nl[counted / NL_BLOCK];
            size_t sb = source_offset(d, tb);
            if (sb > cache.pos) /* 0 before the first: sb is past it */
                text_pos_at(d->src ? d->src : d->text, sb, line_before + 1,
                            &cache);
        }
        if (d->src)
            text_locate(d->src, d->src_len, so, &cache, &all[i]->line,
                        &all[i]->column);
        else
            text_locate(d->text, d->len, ti, &cache, &all[i]->line,
                        &all[i]->column);
        all[i]->offset = d->base_offset + so;
    }
    free(all);
}

/*
 * The match limit for a document: the one asked for, or by default 1e6 or
 * MATCH_STEPS_PER_BYTE steps per byte, whichever is more. A rule that reads
 * the whole document once, as `\A(?![\s\S]*?base salary)` does, takes a
 * few steps per byte: with a fixed limit it failed on every posting longer
 * than a few hundred kilobytes. Backtracking that grows faster than the
 * text still runs into it.
 */
static uint32_t match_limit(const rf_scan_opts *o, size_t len)
{
    if (o->match_limit)
        return o->match_limit > UINT32_MAX ? UINT32_MAX
                                           : (uint32_t)o->match_limit;
    if (len > UINT32_MAX / MATCH_STEPS_PER_BYTE)
        return UINT32_MAX;
    size_t steps = len * MATCH_STEPS_PER_BYTE;
    return steps > DEFAULT_MATCH_LIMIT ? (uint32_t)steps
                                       : (uint32_t)DEFAULT_MATCH_LIMIT;
}

rf_scanner *rf_scanner_new(const rf_rules *rs)
{
    rf_scanner *k = calloc(1, sizeof(*k));
    if (!k)
        return NULL;
    k->rs = rs;
    size_t no = rs->n_parts, nr = rs->n ? rs->n : 1;
    k->touched = calloc(no + 1, sizeof(uint32_t));
    k->mark = calloc((no + 63) / 64 + 1, sizeof(uint64_t));
    k->part_at = calloc(no + 1, sizeof(size_t));
    k->part_n = calloc(no + 1, sizeof(size_t));
    k->part_rule = calloc(no + 1, sizeof(uint32_t));
    k->rule_c0 = calloc(nr, sizeof(size_t));
    k->rule_c1 = calloc(nr, sizeof(size_t));
    if (!k->touched || !k->mark ||
        !k->part_at || !k->part_n || !k->part_rule || !k->rule_c0 ||
        !k->rule_c1 || lanes_reserve(k, 1) < 1) {
        rf_scanner_free(k);
        return NULL;
    }
    /* a rule without parts counts as one (rules.h) */
    for (size_t i = 0; i < rs->n; i++) {
        const rule *r = rs->rules[i];
        for (size_t p = 0; p < (r->n_parts ? r->n_parts : 1); p++)
            k->part_rule[r->first_part + p] = (uint32_t)i;
    }
    return k;
}

void rf_scanner_free(rf_scanner *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n_lanes; i++)
        lane_free(&k->lanes[i]);
    free(k->lanes);
    free(k->touched);
    free(k->mark);
    free(k->part_at);
    free(k->part_n);
    free(k->part_rule);
    free(k->chunks);
    free(k->rule_c0);
    free(k->rule_c1);
    free(k->cands);
    free(k->nl);
    free(k->hits);
    free(k);
}

rf_result *rf_scanner_scan(rf_scanner *k, const rf_source *doc,
                           const rf_scan_opts *opts, rf_error *err)
{
    const rf_rules *rs = k->rs;
    rf_scan_opts o = {0, 0, 0, 0, 0};
    if (opts)
        o = *opts;
    if (!rs->compiled) {
        if (err) {
            err->code = RF_ERR_USAGE;
            snprintf(err->message, sizeof(err->message),
                     "the rule set was not compiled");
        }
        return NULL;
    }
    scanner sc;
    memset(&sc, 0, sizeof(sc));
    sc.rs = rs;
    sc.doc = doc;
    sc.max_evidence = o.max_evidence ? o.max_evidence : DEFAULT_MAX_EVIDENCE;
    sc.context = o.context_width ? o.context_width : DEFAULT_CONTEXT;
    sc.keep = k;
    sc.hits = k->hits;
    sc.cap_hits = k->cap_hits;
    sc.res = calloc(1, sizeof(*sc.res));
    if (!sc.res) {
        sc.oom = 1;
        goto done;
    }
    sc.reasons = &sc.res->mem;
    int reference = (o.flags & RF_SCAN_REFERENCE) != 0;
    size_t n_lanes = 1;
    if (o.threads > 1 && !reference && doc->len / LANE_MIN_BYTES > 1) {
        n_lanes = doc->len / LANE_MIN_BYTES;
        if (n_lanes > o.threads)
            n_lanes = o.threads;
        if (n_lanes > MAX_LANES)
            n_lanes = MAX_LANES;
        n_lanes = lanes_reserve(k, n_lanes);
    }
    sc.ln = &k->lanes[0]; /* after lanes_reserve, which may move them */
    sc.m = &sc.ln->m;
    uint32_t limit = match_limit(&o, doc->len);
    for (size_t i = 0; i < n_lanes; i++) {
        matcher *m = &k->lanes[i].m;
        pcre2_set_match_limit(m->mc, limit);
        pcre2_set_match_limit(m->mc_lim, limit);
        m->reference = reference;
        matcher_text(m, doc->text, doc->len);
    }

    /* a big plain text has its line breaks counted in the literal pass */
    k->have_nl = 0;
    if (!reference && doc->len > MATCHER_CHECK_MAX && !doc->map) {
        size_t nb = doc->len / NL_BLOCK + 1;
        if (k->cap_nl < nb) {
            uint32_t *v = realloc(k->nl, nb * sizeof(*v));
            if (v) {
                k->nl = v;
                k->cap_nl = nb;
            }
        }
        k->have_nl = k->cap_nl >= nb;
    }
    if (!reference && find_candidates(&sc, n_lanes))
        sc.oom = 1;
    if (!sc.oom)
        scan_rules(&sc, n_lanes);
    if (sc.oom)
        goto done;
    if (sc.n_hits) { /* without hits, sc.hits is NULL: not for qsort */
        qsort(sc.hits, sc.n_hits, sizeof(hit), cmp_hit_pos);
        classify(&sc, n_lanes);
        qsort(sc.hits, sc.n_hits, sizeof(hit), cmp_hit_rule);
    }
    for (size_t a = 0, b; a < sc.n_hits && !sc.oom; a = b) {
        for (b = a + 1; b < sc.n_hits && sc.hits[b].order == sc.hits[a].order;)
            b++;
        collect(&sc, a, b);
    }
    if (sc.oom)
        goto done;
    resolve_positions(&sc);

    int *points = sc.n_flags ? malloc(sc.n_flags * sizeof(int)) : NULL;
    if (sc.n_flags && !points) {
        sc.oom = 1;
        goto done;
    }
    for (size_t i = 0; i < sc.n_flags; i++) {
        sc.flags[i].points =
            score_flag_points(sc.flags[i].rule->severity, sc.flags[i].count);
        points[i] = sc.flags[i].points;
    }
    sc.res->score = score_total(points, sc.n_flags);
    sc.res->verdict = score_verdict(sc.res->score);
    free(points);
    if (sc.n_flags)
        qsort(sc.flags, sc.n_flags, sizeof(rf_flag), cmp_flags);
    if (sc.n_supp)
        qsort(sc.supp, sc.n_supp, sizeof(rf_flag), cmp_flags);
    sc.res->flags = sc.flags;
    sc.res->n_flags = sc.n_flags;
    sc.res->supp = sc.supp;
    sc.res->n_supp = sc.n_supp;
    sc.flags = sc.supp = NULL;
    if (sc.errors.len)
        sc.res->error = buf_take(&sc.errors);
    if (sc.errors.oom)
        sc.oom = 1;

done:
    k->hits = sc.hits; /* kept for the next document */
    k->cap_hits = sc.cap_hits;
    free(sc.flags);
    free(sc.supp);
    buf_free(&sc.errors);
    if (sc.oom) {
        rf_result_free(sc.res);
        if (err) {
            err->code = RF_ERR_NOMEM;
            snprintf(err->message, sizeof(err->message), "out of memory");
        }
        return NULL;
    }
    return sc.res;
}

rf_result *rf_scan_source(const rf_rules *rs, const rf_source *doc,
                          const rf_scan_opts *opts, rf_error *err)
{
    rf_scanner *k = rf_scanner_new(rs);
    if (!k) {
        if (err) {
            err->code = RF_ERR_NOMEM;
            snprintf(err->message, sizeof(err->message), "out of memory");
        }
        return NULL;
    }
    rf_result *r = rf_scanner_scan(k, doc, opts, err);
    rf_scanner_free(k);
    return r;
}

rf_result *rf_scan(const rf_rules *rs, const char *text, size_t len,
                   const rf_scan_opts *opts, rf_error *err)
{
    rf_source doc = {text, len, NULL, NULL, 0, 0, NULL, 0};
    return rf_scan_source(rs, &doc, opts, err);
}

int rf_result_score(const rf_result *r) { return r->score; }
rf_verdict rf_result_verdict(const rf_result *r) { return r->verdict; }
size_t rf_result_flag_count(const rf_result *r) { return r->n_flags; }
size_t rf_result_suppressed_count(const rf_result *r) { return r->n_supp; }
const char *rf_result_error(const rf_result *r) { return r->error; }

const rf_flag *rf_result_flag(const rf_result *r, size_t i)
{
    return i < r->n_flags ? &r->flags[i] : NULL;
}

const rf_flag *rf_result_suppressed(const rf_result *r, size_t i)
{
    return i < r->n_supp ? &r->supp[i] : NULL;
}

void rf_result_free(rf_result *r)
{
    if (!r)
        return;
    arena_free(&r->mem);
    free(r->flags);
    free(r->supp);
    free(r->error);
    free(r);
}
