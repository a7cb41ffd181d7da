/*
 * lit.c - literal summaries of phrases and regexes (see lit.h).
 *
 * Which literal to keep is a guess at how often it occurs in postings: the
 * product of English letter frequencies, plus how often it is part of a
 * common word. A poor guess costs time, never correctness: any literal
 * every match contains will do.
 */
#include "lit.h"
#include "precomp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/*
 * How often each byte is taken to occur in text: a letter a..z by its
 * share of English letters (per thousand letters, times 0.8: a fifth of
 * the bytes are white space and punctuation), then digits, the space,
 * '.' and ','; 0.002 for any other byte (upper-case letters too: literals
 * are folded). A table, as literals are summarised by the thousand when
 * the rules load.
 */
#define L(per_mille) ((per_mille) / 1000.0 * 0.8)
#define O 0.002
#define D 0.0015
#define O8 O, O, O, O, O, O, O, O
#define O16 O8, O8
static const double byte_freq[256] = {
    O16, O16,
    /* ' ' .. '/' */
    0.15, O, O, O, O, O, O, O, O, O, O, O, 0.01, O, 0.01, O,
    /* '0' .. '?' */
    D, D, D, D, D, D, D, D, D, D, O, O, O, O, O, O,
    O16, O16,
    /* '`' 'a' .. 'o' */
    O, L(81.7), L(14.9), L(27.8), L(42.5), L(127.0), L(22.3), L(20.2),
    L(60.9), L(69.7), L(1.5), L(7.7), L(40.3), L(24.1), L(67.5), L(75.1),
    /* 'p' .. 'z', '{' .. DEL */
    L(19.3), L(1.0), L(59.9), L(63.3), L(90.6), L(27.6), L(9.8), L(23.6),
    L(1.5), L(19.7), L(0.7), O, O, O, O, O,
    O16, O16, O16, O16, O16, O16, O16, O16,
};
#undef L
#undef O
#undef D
#undef O8
#undef O16

/* The parts of common words, with how often each starts at a byte of
 * text: generated from tools/common-words.txt, as a hash table of
 * 2^lit_common_bits slots (tools/substrings.c). A letter model makes
 * "you", "work" or "kill" (in "skills") look rarer than they are. */
extern const struct lit_common {
    const char *s;
    double per_byte;
} lit_common[];
extern const unsigned lit_common_bits;

/* How often s[0..n) starts at a byte as a part of a common word; h is the
 * FNV-1a hash of s[0..n). */
static double common_freq(const char *s, size_t n, uint32_t h)
{
    size_t mask = ((size_t)1 << lit_common_bits) - 1;
    for (size_t i = (size_t)h & mask; lit_common[i].s; i = (i + 1) & mask) {
        const char *c = lit_common[i].s;
        size_t k = 0;
        while (k < n && c[k] && c[k] == s[k])
            k++;
        if (k == n && c[n] == '\0')
            return lit_common[i].per_byte;
    }
    return 0;
}

/* Writes s[0..n), folded, to out (NUL-terminated), and returns how often
 * it may start at a byte of text: the product of the bytes' frequencies,
 * plus how often it is a part of a common word. */
static double fold_cost(char *out, const char *s, size_t n)
{
    double p = 1.0;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        c = (unsigned char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
        out[i] = (char)c;
        p *= byte_freq[c];
        h = (h ^ c) * 16777619u;
    }
    out[n] = '\0';
    return p + common_freq(out, n, h);
}

double lit_estimate(const char *s, size_t n)
{
    char folded[64 + 1];
    if (n > sizeof(folded) - 1)
        n = sizeof(folded) - 1;
    return fold_cost(folded, s, n);
}

size_t lit_add(size_t a, size_t b)
{
    return a > LIT_UNBOUNDED - b ? LIT_UNBOUNDED : a + b;
}

static size_t lit_mul(size_t a, size_t k)
{
    if (a == 0 || k == 0)
        return 0;
    return a > LIT_UNBOUNDED / k ? LIT_UNBOUNDED : a * k;
}

size_t lit_char_cons(unsigned char c)
{
    c = (unsigned char)(c | 0x20);
    return c == 'k' || c == 's' ? 3 : 1;
}

/*
 * A malloc'd summary holds its literals and their texts in one block, and
 * its companions in another: the loader keeps thousands of literals, and
 * a block each is a malloc and a free each. The block of the literals (or
 * with `pair`, the companions) of v[0..n) in turn; NULL when out of memory
 * or when there are none.
 */
static lit *lits_block(const lit_sum *v, size_t n, int pair)
{
    size_t count = 0, bytes = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < (pair ? v[i].n_pair : v[i].n); k++, count++)
            bytes += (pair ? v[i].pair : v[i].lits)[k].len + 1;
    lit *b = count ? malloc(count * sizeof(lit) + bytes) : NULL;
    if (!b)
        return NULL;
    char *text = (char *)(b + count);
    lit *l = b;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < (pair ? v[i].n_pair : v[i].n); k++, l++) {
            *l = (pair ? v[i].pair : v[i].lits)[k];
            memcpy(text, l->s, l->len + 1);
            l->s = text;
            text += l->len + 1;
        }
    return b;
}

/* Drops the companion (see lit.h): freed when the summary is malloc'd (a
 * NULL), left to the arena otherwise. */
static void drop_pair(arena *a, lit_sum *s)
{
    if (!a)
        free(s->pair);
    s->pair = NULL;
    s->n_pair = 0;
    s->gap = 0;
    s->pair_after = 0;
}

/* lit_sum_free, for a summary in arena a or (a NULL) malloc'd. */
static void clear_sum(arena *a, lit_sum *s)
{
    if (!a)
        free(s->lits);
    s->lits = NULL;
    s->n = 0;
    drop_pair(a, s);
    s->ok = 0;
    s->cost = 0;
}

void lit_sum_free(lit_sum *s) { clear_sum(NULL, s); }

int lit_sum_copy(lit_sum *dst, const lit_sum *src)
{
    *dst = *src;
    dst->lits = lits_block(src, 1, 0);
    dst->pair = lits_block(src, 1, 1);
    if ((src->n && !dst->lits) || (src->n_pair && !dst->pair)) {
        lit_sum_free(dst);
        return -1;
    }
    return 0;
}

void lit_none(size_t cons, lit_sum *out)
{
    lit_sum none = LIT_SUM_NONE;
    *out = none;
    out->cons = cons;
}

/* Room in s, which has no literal yet, for n of them; -1 when out of
 * memory. */
static int reserve_lits(arena *a, lit_sum *s, size_t n)
{
    s->lits = arena_alloc_raw(a, n * sizeof(lit));
    return s->lits ? 0 : -1;
}

/* Adds str[0..n), folded, to s, which has room for it (reserve_lits); its
 * text goes to `text` (n + 1 bytes), or to the arena when that is NULL. */
static int push_lit(arena *a, lit_sum *s, const char *str, size_t n,
                    size_t back, char *text)
{
    if (!text && !(text = arena_alloc_raw(a, n + 1)))
        return -1;
    s->cost += fold_cost(text, str, n);
    s->lits[s->n++] = (lit){text, n, back, LIT_INHERIT, LIT_INHERIT};
    return 0;
}

/* Each k or s doubles the byte strings a literal stands for (see lit.h). */
#define MAX_KS 3

static int is_ks(char c)
{
    c = (char)(c | 0x20);
    return c == 'k' || c == 's';
}

static size_t count_ks(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += is_ks(s[i]);
    return k;
}

/* How a run of literal characters starting with c starts (ledge). */
static int run_start(char c)
{
    unsigned char u = (unsigned char)c;
    if (u == ' ' || (u >= '\t' && u <= '\r'))
        return LIT_SPACE;
    return u < 0x80 && !lit_ascii_alnum(u) ? LIT_EDGE : LIT_ANY;
}

void lit_run(arena *a, const char *s, size_t n, lit_sum *out)
{
    size_t n_ks = count_ks(s, n);
    lit_none(n + 2 * n_ks, out); /* lit_char_cons of each */
    if (n == 0)
        return;
    /* The longest part with at most MAX_KS of k and s: all of it, mostly. */
    size_t best_i = 0, best_n = n, back = 0;
    if (n_ks > MAX_KS) {
        size_t ks = 0;
        best_n = 0;
        for (size_t i = 0, j = 0; j < n; j++) {
            ks += is_ks(s[j]);
            while (ks > MAX_KS)
                ks -= is_ks(s[i++]);
            if (j + 1 - i > best_n) {
                best_i = i;
                best_n = j + 1 - i;
            }
        }
        for (size_t i = 0; i < best_i; i++)
            back += lit_char_cons((unsigned char)s[i]);
    }
    /* the literal and its text in one piece */
    out->lits = arena_alloc_raw(a, sizeof(lit) + best_n + 1);
    if (!out->lits ||
        push_lit(a, out, s + best_i, best_n, back, (char *)(out->lits + 1))) {
        clear_sum(a, out);
        out->oom = 1;
        return;
    }
    /* a part of the run has letters of the run around it */
    if (best_i > 0)
        out->lits[0].left = LIT_ANY;
    if (best_i + best_n < n)
        out->lits[0].right = LIT_ANY;
    out->head = best_i == 0;
    out->tail = best_i + best_n == n;
    out->redge = lit_ascii_alnum((unsigned char)s[n - 1]) ? LIT_ANY : LIT_EDGE;
    out->ledge = (unsigned char)run_start(s[0]);
    out->ok = 1;
}

/*
 * How good an item is as the sequence's literal: rare, and near the start
 * of the match, because the pattern is tried from that far back. A literal
 * with no bound before it makes every search start at the previous hit,
 * which on a big file is a scan of every byte: the last resort.
 */
static double lit_score(const lit_sum *s)
{
    size_t back = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->lits[i].back > back)
            back = s->lits[i].back;
    if (back == LIT_UNBOUNDED)
        return s->cost * 1e12;
    return s->cost * (1.0 + (double)back / 16.0);
}

/*
 * Contexts as the two things they say: whether the edge of the enclosing
 * sequence may be what stands there (LIT_INHERIT and the three after it),
 * and what else may (CTX_NONE: nothing else).
 */
#define CTX_NONE (-1)

static int ctx_inherits(int c) { return c >= LIT_INHERIT; }

static int ctx_base(int c)
{
    return c == LIT_INHERIT ? CTX_NONE
           : c > LIT_INHERIT ? LIT_EDGE + (c - LIT_INHERIT_EDGE)
                             : c;
}

static int ctx_make(int inherits, int base)
{
    if (base == LIT_ANY)
        return LIT_ANY;
    if (!inherits)
        return base == CTX_NONE ? LIT_ANY : base;
    return base == CTX_NONE ? LIT_INHERIT
                            : LIT_INHERIT_EDGE + (base - LIT_EDGE);
}

/* Either of two contexts, at one place: the weakest that holds for both.
 * EDGE holds wherever SPACE or WORDB does (no letter or digit before). */
static int ctx_either(int a, int b)
{
    int ba = ctx_base(a), bb = ctx_base(b), base;
    if (ba == CTX_NONE || bb == CTX_NONE)
        base = ba == CTX_NONE ? bb : ba;
    else if (ba == LIT_ANY || bb == LIT_ANY)
        base = LIT_ANY;
    else
        base = ba == bb ? ba : LIT_EDGE;
    return ctx_make(ctx_inherits(a) || ctx_inherits(b), base);
}

/* Context c once the edge it may inherit is known to be `edge`. */
static int ctx_resolve(int c, int edge)
{
    if (!ctx_inherits(c))
        return c;
    int base = ctx_base(c);
    return base == CTX_NONE ? edge : ctx_either(edge, base);
}

void lit_seq_init(lit_seq *q, arena *a)
{
    memset(q, 0, sizeof(*q));
    q->mem = a;
    q->prev = LIT_INHERIT;
    q->empty = 1;
    q->sep = CTX_NONE;
    q->pend = CTX_NONE;
    q->first = CTX_NONE;
}

/* The right context of the last item, now that what follows is known:
 * `kind`, or where items that may be empty came between, one of them. */
static void close_last(lit_seq *q, int kind)
{
    if (q->pend != CTX_NONE) {
        kind = ctx_either(q->pend, kind);
        q->pend = CTX_NONE;
    }
    if (!q->last_open)
        return;
    lit_sum *s = &q->items[q->n - 1];
    for (size_t i = 0; i < s->n; i++) {
        lit *l = &s->lits[i];
        if (ctx_inherits(l->right))
            l->right = (unsigned char)ctx_resolve(l->right, kind);
        else if (l->right == LIT_WORDB && kind == LIT_SPACE)
            l->right = (unsigned char)kind;
    }
}

/* Notes how the sequence may start: with `ledge`, and always when
 * `consumes` (or else the next mark or item may start it). */
static void note_first(lit_seq *q, int ledge, int consumes)
{
    if (q->first_done)
        return;
    q->first = q->first == CTX_NONE ? ledge : ctx_either(q->first, ledge);
    q->first_done = consumes;
}

void lit_seq_mark(lit_seq *q, int kind)
{
    /* a \b consumes nothing, but holds where the sequence starts */
    note_first(q, kind, 1);
    close_last(q, kind);
    if (ctx_inherits(q->prev) || q->prev == LIT_ANY ||
        (q->prev == LIT_WORDB && kind == LIT_SPACE))
        q->prev = kind;
    if (kind == LIT_SPACE) {
        q->empty = 0; /* one or more */
        q->lead |= q->n == 0;
    }
    q->tail_at = q->n; /* what follows has its left known */
}

/* Room for one more item in q; -1 when out of memory. */
static int seq_grow(lit_seq *q)
{
    if (q->n < q->cap)
        return 0;
    size_t cap = q->cap ? q->cap * 2 : 4;
    lit_sum *v = arena_alloc_raw(q->mem, cap * (sizeof(*v) + sizeof(size_t)));
    if (!v)
        return -1;
    size_t *at = (size_t *)(v + cap);
    if (q->n) {
        memcpy(v, q->items, q->n * sizeof(*v));
        memcpy(at, q->at, q->n * sizeof(*at));
    }
    q->items = v;
    q->at = at;
    q->cap = cap;
    return 0;
}

/* Most literals joined to those of the item before (join_tail). */
#define MAX_JOINED 64

/*
 * The item b comes after q->items[q->tail_at] (a tail) and items that
 * matched nothing or left q->sep: "fast" [-] "paced". Each literal at the
 * head of b then follows either that context, or the end of a literal of
 * the tail: those whose joining would make a word ("fastpaced") are added
 * to b, joined, with the tail's context on their left; b's own literals
 * get q->sep on theirs (EDGE also, when a literal of the tail ends with
 * neither a letter nor a digit). Then b may be looked for at word starts.
 * Returns 0, also when there is nothing to join or too much, or -1 when
 * out of memory.
 */
static int join_tail(lit_seq *q, lit_sum *b)
{
    if (q->tail_at >= q->n || !lit_ctx_bounded(q->sep) || !b->head)
        return 0;
    for (size_t j = 0; j < b->n; j++)
        if (b->lits[j].left != LIT_INHERIT)
            return 0; /* not at b's head after all */
    const lit_sum *a = &q->items[q->tail_at];
    size_t n_join = 0;
    int left = q->sep;
    for (size_t i = 0; i < a->n; i++) {
        const lit *x = &a->lits[i];
        if (!lit_ascii_alnum((unsigned char)x->s[x->len - 1])) {
            left = ctx_either(left, LIT_EDGE);
            continue;
        }
        size_t ks = count_ks(x->s, x->len);
        for (size_t j = 0; j < b->n; j++) {
            const lit *y = &b->lits[j];
            if (lit_ascii_alnum((unsigned char)y->s[0]) &&
                (ks + count_ks(y->s, y->len) > MAX_KS ||
                 ++n_join > MAX_JOINED))
                return 0;
        }
    }
    lit *v = arena_alloc_raw(q->mem, (b->n + n_join) * sizeof(lit));
    if (!v)
        return -1;
    memcpy(v, b->lits, b->n * sizeof(lit));
    size_t n = b->n;
    b->lits = v;
    for (size_t i = 0; i < a->n; i++) {
        const lit *x = &a->lits[i];
        if (!lit_ascii_alnum((unsigned char)x->s[x->len - 1]))
            continue;
        for (size_t j = 0; j < n; j++) {
            const lit *y = &b->lits[j];
            if (!lit_ascii_alnum((unsigned char)y->s[0]))
                continue;
            char *t = arena_alloc_raw(q->mem, x->len + y->len + 1);
            if (!t)
                return -1;
            memcpy(t, x->s, x->len);
            memcpy(t + x->len, y->s, y->len);
            size_t at = b->n;
            if (push_lit(q->mem, b, t, x->len + y->len, x->back, t))
                return -1;
            b->lits[at].left = x->left;
            b->lits[at].right = y->right;
        }
    }
    for (size_t j = 0; j < n; j++)
        b->lits[j].left = (unsigned char)left;
    b->joined = b->n > n;
    return 0;
}

void lit_seq_add(lit_seq *q, lit_sum *item)
{
    q->oom |= item->oom;
    int maybe_none = item->empty && !item->ok;
    note_first(q, item->ledge, !maybe_none);
    if (maybe_none) {
        /* the literals before stay open: what follows them is how this
         * item starts, or what comes after it */
        q->pend = q->pend == CTX_NONE ? item->ledge
                                      : ctx_either(q->pend, item->ledge);
    } else {
        close_last(q, item->ledge);
        q->last_open = 0;
    }
    drop_pair(q->mem, item); /* a companion holds within its own sequence */
    /* what the next item has on its left */
    int redge = ctx_resolve(item->redge, q->prev);
    int next = item->empty ? ctx_either(q->prev, redge) : redge;
    int empty = item->empty, added = 0, tail = item->tail;
    if (item->ok && !item->oom) {
        /* the literals joined to those of a tail come with their back */
        size_t n_own = item->n;
        if (join_tail(q, item))
            q->oom = 1;
        for (size_t i = 0; i < n_own; i++) {
            item->lits[i].back = lit_add(item->lits[i].back, q->cons);
            item->lits[i].left =
                (unsigned char)ctx_resolve(item->lits[i].left, q->prev);
        }
        if (q->oom || seq_grow(q)) {
            q->oom = 1;
            clear_sum(q->mem, item);
            return;
        }
        size_t cons = item->cons;
        q->at[q->n] = q->cons;
        q->items[q->n++] = *item;
        memset(item, 0, sizeof(*item));
        item->cons = cons;
        q->last_open = 1;
        added = 1;
    }
    if (!added && q->n == 0)
        q->lead = 1;
    if (!empty) {
        q->tail_at = added && tail ? q->n - 1 : q->n;
        q->sep = CTX_NONE;
    } else if (q->tail_at < q->n) {
        q->sep = q->sep == CTX_NONE ? redge : ctx_either(q->sep, redge);
    }
    q->empty &= empty;
    q->cons = lit_add(q->cons, item->cons);
    q->prev = next;
    clear_sum(q->mem, item);
}

void lit_seq_end(lit_seq *q, lit_sum *out)
{
    /* after items that may be empty: one of them, or what follows the
     * sequence */
    if (q->pend != CTX_NONE)
        close_last(q, LIT_INHERIT);
    int ledge = q->first == CTX_NONE ? LIT_ANY : q->first;
    size_t best = q->n;
    for (size_t i = 0; i < q->n; i++)
        if (best == q->n || lit_score(&q->items[i]) < lit_score(&q->items[best]))
            best = i;
    lit_sum none = LIT_SUM_NONE;
    *out = none;
    if (best < q->n && !q->oom) {
        /* The companion: the rarest other item at a bounded distance: from
         * the earliest start of a literal of the first item (the start of
         * the item, or before it for literals joined to the item before)
         * to the latest start of a literal of the second. */
        size_t pair = q->n, gap = 0;
        for (size_t i = 0; i < q->n; i++) {
            size_t first = i > best ? best : i, second = i > best ? i : best;
            size_t d = LIT_UNBOUNDED, from = q->at[first];
            for (size_t k = 0; k < q->items[first].n; k++)
                if (q->items[first].lits[k].back < from)
                    from = q->items[first].lits[k].back;
            /* not an item whose literals are a part of the other's (an
             * item after it with literals joined to its own is one: it
             * holds "only" or "equityonly" for "equity-only") */
            int inside = i + 1 == best && q->items[best].joined;
            if (i != best && !inside && from != LIT_UNBOUNDED) {
                d = 0;
                for (size_t k = 0; k < q->items[second].n; k++)
                    if (q->items[second].lits[k].back > d)
                        d = q->items[second].lits[k].back;
                d = d == LIT_UNBOUNDED ? d : d - from;
            }
            if (d == LIT_UNBOUNDED)
                continue;
            if (pair == q->n || q->items[i].cost < q->items[pair].cost) {
                pair = i;
                gap = d;
            }
        }
        *out = q->items[best];
        if (pair < q->n) {
            out->pair = q->items[pair].lits;
            out->n_pair = q->items[pair].n;
            out->gap = gap;
            out->pair_after = pair > best;
        }
        /* its literals start or end every match when they are those of
         * the first item or the last, with nothing before or after */
        out->head = out->head && best == 0 && !q->lead;
        out->tail = out->tail && best == q->n - 1 && q->tail_at == best &&
                    q->sep == CTX_NONE;
        out->joined = 0;
    }
    out->redge = (unsigned char)q->prev;
    out->ledge = (unsigned char)ledge;
    out->empty = (unsigned char)q->empty;
    out->cons = q->cons;
    out->oom = q->oom;
    if (out->oom)
        clear_sum(q->mem, out);
    /* the other items stay in the arena, unused */
    lit_seq_init(q, q->mem);
}

/*
 * The alternation of v[0..n), in arena a or (a NULL) malloc'd, taking v's
 * summaries: a branch alone as it is; else the widest, with no companion,
 * and the literals of all the branches when each has some (every match
 * holds one of them), their costs added up in order.
 */
static void alt_join(arena *a, lit_sum *v, size_t n, lit_sum *out)
{
    lit_none(0, out);
    if (n == 1) {
        *out = v[0];
        memset(&v[0], 0, sizeof(v[0]));
        return;
    }
    int ok = n > 0, head = 1, tail = 1, redge = CTX_NONE, ledge = CTX_NONE;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        out->cons = v[i].cons > out->cons ? v[i].cons : out->cons;
        out->oom |= v[i].oom;
        ok &= v[i].ok;
        head &= v[i].head;
        tail &= v[i].tail;
        out->empty |= v[i].empty;
        redge = redge == CTX_NONE ? v[i].redge : ctx_either(redge, v[i].redge);
        ledge = ledge == CTX_NONE ? v[i].ledge : ctx_either(ledge, v[i].ledge);
        total += v[i].n;
    }
    out->redge = (unsigned char)(redge == CTX_NONE ? LIT_ANY : redge);
    out->ledge = (unsigned char)(ledge == CTX_NONE ? LIT_ANY : ledge);
    out->head = (unsigned char)(ok && head);
    out->tail = (unsigned char)(ok && tail);
    if (ok && !out->oom) {
        lit *p = a ? arena_alloc_raw(a, total * sizeof(lit))
                   : lits_block(v, n, 0);
        if (p) {
            for (size_t i = 0; i < n; i++) {
                if (a)
                    memcpy(p + out->n, v[i].lits, v[i].n * sizeof(lit));
                out->n += v[i].n;
                out->cost += v[i].cost;
            }
            out->lits = p;
            out->ok = 1;
        } else {
            out->oom = 1;
        }
    }
    for (size_t i = 0; i < n; i++)
        clear_sum(a, &v[i]);
}

void lit_alts_init(lit_alts *x, arena *a)
{
    memset(x, 0, sizeof(*x));
    x->mem = a;
}

void lit_alts_add(lit_alts *x, lit_sum *branch)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 8;
        lit_sum *v = arena_alloc_raw(x->mem, cap * sizeof(*v));
        if (!v) {
            x->oom = 1;
            clear_sum(x->mem, branch);
            return;
        }
        if (x->n)
            memcpy(v, x->v, x->n * sizeof(*v));
        x->v = v;
        x->cap = cap;
    }
    x->v[x->n++] = *branch;
    memset(branch, 0, sizeof(*branch));
}

void lit_alts_end(lit_alts *x, lit_sum *out)
{
    alt_join(x->mem, x->v, x->n, out);
    if (x->oom) {
        clear_sum(x->mem, out);
        out->oom = 1;
    }
    lit_alts_init(x, x->mem);
}

void lit_alt_all(lit_sum *v, size_t n, lit_sum *out)
{
    alt_join(NULL, v, n, out);
}

void lit_repeat(arena *a, lit_sum *item, size_t min, size_t max)
{
    if (min == 0) {
        clear_sum(a, item);
        item->empty = 1;
    }
    if (min == 0 || max != 1)
        item->head = item->tail = 0;
    if (max != 1) {
        for (size_t i = 0; i < item->n; i++) /* repeats touch each other */
            item->lits[i].left = item->lits[i].right = LIT_ANY;
        drop_pair(a, item);
    }
    if (max == LIT_UNBOUNDED)
        item->cons = item->cons ? LIT_UNBOUNDED : 0;
    else
        item->cons = lit_mul(item->cons, max);
}

void lit_resolve(lit_sum *s, int ctx)
{
    for (int k = 0; k < 2; k++) {
        lit *v = k ? s->pair : s->lits;
        size_t n = k ? s->n_pair : s->n;
        for (size_t i = 0; i < n; i++) {
            v[i].left = (unsigned char)ctx_resolve(v[i].left, ctx);
            v[i].right = (unsigned char)ctx_resolve(v[i].right, ctx);
        }
    }
}

int lit_context_join(int a, int b) { return ctx_either(a, b); }

/* ---- white space, as PCRE2's \s sees it with UCP ---- */

size_t lit_space_len(const unsigned char *u, size_t n)
{
    size_t k = text_space_len((const char *)u, n);
    if (k)
        return k;
    /* two more that PCRE2 counts as spaces */
    if (n >= 3 && u[0] == 0xE1 && ((u[1] == 0x9A && u[2] == 0x80) || /* U+1680 */
                                   (u[1] == 0xA0 && u[2] == 0x8E)))  /* U+180E */
        return 3;
    return 0;
}

/* ---- raw PCRE2 patterns ---- */

typedef struct rx {
    const char *p;
    int bad;
    int depth;
    arena *mem; /* the summaries while they are built */
} rx;

#define RX_MAX_DEPTH 100
/* Classes with at most this many characters become literal sets. */
#define RX_CLASS_LITS 10

static void rx_alt(rx *x, lit_sum *out);

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int is_hex(char c)
{
    return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Length of the UTF-8 sequence starting with c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* The bytes to step over at s: the sequence its first byte announces, but
 * never past a byte that does not continue it (such as the NUL at the end
 * of the pattern: a truncated sequence is not read beyond). */
static size_t utf8_step(const char *s)
{
    size_t n = utf8_len((unsigned char)s[0]), i = 1;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

static size_t read_number(rx *x, size_t *v)
{
    size_t n = 0;
    *v = 0;
    while (is_digit(*x->p)) {
        if (*v < 100000)
            *v = *v * 10 + (size_t)(*x->p - '0');
        x->p++;
        n++;
    }
    return n;
}

/* A quantifier at x->p: 1 with its bounds, 0 when there is none. */
static int rx_quant(rx *x, size_t *min, size_t *max)
{
    const char *save = x->p;
    switch (*x->p) {
    case '?': *min = 0; *max = 1; x->p++; break;
    case '*': *min = 0; *max = LIT_UNBOUNDED; x->p++; break;
    case '+': *min = 1; *max = LIT_UNBOUNDED; x->p++; break;
    case '{': {
        x->p++;
        if (*x->p == ',') {
            /* "{,n}" changed meaning between PCRE2 versions. */
            x->bad = 1;
            return 0;
        }
        if (!read_number(x, min)) {
            x->p = save; /* a literal '{' */
            return 0;
        }
        *max = *min;
        if (*x->p == ',') {
            x->p++;
            if (!read_number(x, max))
                *max = LIT_UNBOUNDED;
        }
        if (*x->p != '}') {
            x->p = save;
            return 0;
        }
        x->p++;
        break;
    }
    default:
        return 0;
    }
    if (*x->p == '?' || *x->p == '+')
        x->p++; /* lazy or possessive: the same characters */
    return 1;
}

/* A non-ASCII character that has no case: symbols, dashes, quotes. */
static int caseless_symbol(unsigned long cp)
{
    if (cp >= 0xA1 && cp <= 0xBF)
        return cp != 0xAA && cp != 0xB5 && cp != 0xBA;
    return (cp >= 0x2010 && cp <= 0x205E) || (cp >= 0x20A0 && cp <= 0x20CF);
}

static unsigned long utf8_decode(const unsigned char *s, size_t n)
{
    if (n == 1)
        return s[0];
    unsigned long cp = s[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    return cp;
}

int lit_char_nonalnum(const unsigned char *s, size_t n)
{
    unsigned long cp = utf8_decode(s, n);
    return cp != 0x212A && cp != 0x17F;
}

/* Is the Unicode property at p (after \p) one of punctuation, symbols or
 * separators, which hold no letter or digit? */
static int punct_property(const char *p)
{
    if (*p == '{')
        p++;
    return (*p == 'P' || *p == 'S' || *p == 'Z') &&
           (p[1] == '}' || (p[1] >= 'a' && p[1] <= 'z' && p[2] == '}'));
}

/*
 * A character class; x->p is just past '['. Gives a literal set when it
 * holds a few plain characters, consumes nothing that is not white space
 * when it holds only spaces, and otherwise stands for one character.
 */
static void rx_class(rx *x, lit_sum *out, int *space)
{
    *space = 0;
    /* no_alnum: it matches no ASCII letter or digit */
    int negated = 0, only_space = 1, plain = 1, no_alnum = 1;
    char members[RX_CLASS_LITS][4];
    size_t mlen[RX_CLASS_LITS], nm = 0;
    if (*x->p == '^') {
        negated = 1;
        x->p++;
    }
    int first = 1;
    int prev_char = -1; /* last single ASCII member, for ranges */
    while (*x->p && (*x->p != ']' || first)) {
        first = 0;
        const unsigned char *c = (const unsigned char *)x->p;
        if (c[0] == '[' && c[1] == ':') {
            const char *end = strstr(x->p + 2, ":]");
            if (!end) {
                x->bad = 1;
                return;
            }
            x->p = end + 2;
            only_space = plain = no_alnum = 0;
            prev_char = -1;
            continue;
        }
        if (c[0] == '-' && prev_char >= 0 && c[1] && c[1] != ']') {
            /* a range prev-next of plain ASCII characters */
            unsigned char hi = c[1];
            if (hi == '\\' || hi >= 0x80 || hi < (unsigned char)prev_char) {
                plain = only_space = no_alnum = 0;
                x->p += hi == '\\' && c[2] ? 3 : 2;
                prev_char = -1;
                continue;
            }
            only_space = 0;
            for (int ch = prev_char + 1; ch <= hi; ch++)
                no_alnum &= !lit_ascii_alnum((unsigned char)ch);
            for (int ch = prev_char + 1; ch <= hi && plain; ch++) {
                if (nm == RX_CLASS_LITS) {
                    plain = 0;
                    break;
                }
                members[nm][0] = (char)ch;
                mlen[nm++] = 1;
            }
            x->p += 2;
            prev_char = -1;
            continue;
        }
        if (c[0] == '\\') {
            char e = (char)c[1];
            x->p += 2;
            prev_char = -1;
            if (e == 's' || e == 'h' || e == 'v') {
                plain = 0;
                continue;
            }
            only_space = 0;
            if (e == '\0' || e == 'Q' || e == 'E') {
                x->bad = 1;
                return;
            }
            if (e == 'p' || e == 'P') {
                no_alnum &= e == 'p' && punct_property(x->p);
                if (*x->p == '{') {
                    const char *end = strchr(x->p, '}');
                    if (!end) {
                        x->bad = 1;
                        return;
                    }
                    x->p = end + 1;
                } else if (*x->p) {
                    x->p++;
                }
                plain = 0;
                continue;
            }
            if (e == 'x' && *x->p == '{') {
                const char *end = strchr(x->p, '}');
                if (!end) {
                    x->bad = 1;
                    return;
                }
                /* \x{HHHH}: past ASCII, and not the Kelvin sign or the
                 * long s */
                unsigned long cp = strtoul(x->p + 1, NULL, 16);
                no_alnum &= cp >= 0x80 && cp != 0x212A && cp != 0x17F;
                x->p = end + 1;
                plain = 0;
                continue;
            }
            if (is_alpha(e) || is_digit(e)) {
                no_alnum &= e == 'n' || e == 't' || e == 'r' || e == 'f' ||
                            e == 'e' || e == 'a' || e == 'W';
                /* \d \w \x41 \n ...: not a plain member. Skip the digits
                 * of \xhh and \0oo so they are not read as members. */
                while (is_hex(*x->p) && (e == 'x' || is_digit(e)))
                    x->p++;
                plain = 0;
                continue;
            }
            if ((unsigned char)e >= 0x80) {
                x->bad = 1;
                return;
            }
            /* an escaped ASCII punctuation character stands for itself */
            if (nm == RX_CLASS_LITS)
                plain = 0;
            else {
                members[nm][0] = e;
                mlen[nm++] = 1;
            }
            prev_char = (unsigned char)e;
            continue;
        }
        size_t n = utf8_len(c[0]);
        for (size_t i = 1; i < n; i++)
            if (!c[i]) {
                x->bad = 1;
                return;
            }
        if (lit_space_len(c, n) != n)
            only_space = 0;
        if (n > 1 && !caseless_symbol(utf8_decode(c, n)))
            plain = 0;
        no_alnum &= n > 1 ? lit_char_nonalnum(c, n) : !lit_ascii_alnum(c[0]);
        if (nm == RX_CLASS_LITS)
            plain = 0;
        else if (plain) {
            memcpy(members[nm], c, n);
            mlen[nm++] = n;
        }
        prev_char = n == 1 ? c[0] : -1;
        x->p += n;
    }
    if (*x->p != ']') {
        x->bad = 1;
        return;
    }
    x->p++;
    if (!negated && only_space) {
        lit_none(0, out);
        *space = 1;
        return;
    }
    lit_none(4, out);
    if (!negated && no_alnum)
        *space = 2; /* punctuation, dashes, quotes: an edge after it */
    if (negated || !plain || nm == 0)
        return;
    if (reserve_lits(x->mem, out, nm)) {
        out->oom = 1;
        return;
    }
    for (size_t i = 0; i < nm; i++) {
        char m[4];
        for (size_t k = 0; k < mlen[i]; k++)
            m[k] = (char)(is_alpha(members[i][k]) ? members[i][k] | 0x20
                                                  : members[i][k]);
        int dup = 0;
        for (size_t j = 0; j < out->n; j++)
            dup |= out->lits[j].len == mlen[i] &&
                   memcmp(out->lits[j].s, m, mlen[i]) == 0;
        if (!dup && push_lit(x->mem, out, m, mlen[i], 0, NULL)) {
            clear_sum(x->mem, out);
            out->oom = 1;
            return;
        }
    }
    out->ok = 1;
}

/* Skips a group name up to `close`; returns 0 if it is not there. */
static int skip_name(rx *x, char close)
{
    while (*x->p && *x->p != close)
        x->p++;
    if (*x->p != close)
        return 0;
    x->p++;
    return 1;
}

/* A group; x->p is just past '('. */
static void rx_group(rx *x, lit_sum *out)
{
    lit_none(0, out);
    int assertion = 0;
    if (*x->p == '*') {
        x->bad = 1; /* backtracking verbs and (*pla:...) */
        return;
    }
    if (*x->p == '?') {
        x->p++;
        char c = *x->p;
        if (c == '#') {
            if (!skip_name(x, ')'))
                x->bad = 1;
            return;
        } else if (c == ':' || c == '|' || c == '>') {
            x->p++;
        } else if (c == '=' || c == '!') {
            x->p++;
            assertion = 1;
        } else if (c == '<' && (x->p[1] == '=' || x->p[1] == '!')) {
            x->p += 2;
            assertion = 1;
        } else if (c == '<' || c == '\'') {
            x->p++;
            if (!skip_name(x, c == '<' ? '>' : '\'')) {
                x->bad = 1;
                return;
            }
        } else if (c == 'P' && x->p[1] == '<') {
            x->p += 2;
            if (!skip_name(x, '>')) {
                x->bad = 1;
                return;
            }
        } else {
            /* option letters: (?i) (?-i) (?i:...) (?^) */
            int on = 1;
            while (is_alpha(*x->p) || *x->p == '-' || *x->p == '^') {
                if (*x->p == '-')
                    on = 0;
                else if (*x->p == 'x' && on)
                    x->bad = 1; /* extended mode changes what spaces mean */
                else if (!strchr("imnsxJU^", *x->p))
                    x->bad = 1;
                x->p++;
            }
            if (x->bad)
                return;
            if (*x->p == ')') {
                x->p++;
                return;
            }
            if (*x->p != ':') {
                x->bad = 1; /* recursion, conditions, callouts, ... */
                return;
            }
            x->p++;
        }
    }
    if (++x->depth > RX_MAX_DEPTH) {
        x->bad = 1;
        return;
    }
    lit_sum inner = LIT_SUM_NONE;
    rx_alt(x, &inner);
    x->depth--;
    if (*x->p != ')') {
        clear_sum(x->mem, &inner);
        x->bad = 1;
        return;
    }
    x->p++;
    if (assertion) {
        /* zero-width: its words need not be in the match */
        clear_sum(x->mem, &inner);
        return;
    }
    *out = inner;
}

/*
 * \d as a set of literals: the ASCII digits, and the first byte of every
 * other character PCRE2's \d matches with UCP (Arabic-Indic, Devanagari,
 * fullwidth, mathematical ... digits start with one of these; the tests
 * check it against the PCRE2 in use).
 */
const unsigned char lit_digit_leads[] = {0xD9, 0xDB, 0xDF, 0xE0, 0xE1, 0xEA,
                                         0xEF, 0xF0};
const size_t lit_n_digit_leads = sizeof(lit_digit_leads);

static void digits(arena *a, lit_sum *out)
{
    lit_none(4, out);
    if (reserve_lits(a, out, 10 + lit_n_digit_leads))
        goto oom;
    for (char d = '0'; d <= '9'; d++)
        if (push_lit(a, out, &d, 1, 0, NULL))
            goto oom;
    for (size_t i = 0; i < lit_n_digit_leads; i++)
        if (push_lit(a, out, (const char *)&lit_digit_leads[i], 1, 0, NULL))
            goto oom;
    out->ok = 1;
    return;
oom:
    clear_sum(a, out);
    out->oom = 1;
}

/* What an atom is, for the context of its neighbours. */
enum { ATOM_OTHER, ATOM_SPACE, ATOM_WORDB, ATOM_PUNCT };


/*
 * A backslash escape; x->p is just past '\'. Sets *lit_char to the ASCII
 * character it stands for (-1 when it is not one) or fills *out; *kind
 * says whether it is white space or \b.
 */
static void rx_escape(rx *x, int *lit_char, lit_sum *out, int *kind)
{
    char e = *x->p;
    *lit_char = -1;
    *kind = ATOM_OTHER;
    lit_none(0, out);
    if (e == '\0') {
        x->bad = 1;
        return;
    }
    x->p++;
    switch (e) {
    case 'b':
        *kind = ATOM_WORDB;
        return;
    case 'B': case 'A': case 'z': case 'Z': case 'K': case 'E':
        return; /* zero-width */
    case 's': case 'h': case 'v': case 'R':
        *kind = ATOM_SPACE;
        return; /* white space only */
    case 'd':
        digits(x->mem, out);
        return;
    case 'W':
        *kind = ATOM_PUNCT;
        out->cons = 4;
        return;
    case 'D': case 'w': case 'S': case 'H': case 'V': case 'N': case 'C':
        out->cons = 4;
        return;
    case 'X':
        out->cons = LIT_UNBOUNDED;
        return;
    case 'p': case 'P':
        if (e == 'p' && punct_property(x->p))
            *kind = ATOM_PUNCT;
        if (*x->p == '{') {
            if (!skip_name(x, '}'))
                x->bad = 1;
        } else if (*x->p) {
            x->p++;
        }
        out->cons = 4;
        return;
    case 'x':
        if (*x->p == '{') {
            if (!skip_name(x, '}'))
                x->bad = 1;
        } else {
            for (int i = 0; i < 2 && is_hex(*x->p); i++)
                x->p++;
        }
        out->cons = 4;
        return;
    case 'o':
        if (*x->p != '{' || !(x->p++, skip_name(x, '}')))
            x->bad = 1;
        out->cons = 4;
        return;
    case '0':
        for (int i = 0; i < 2 && *x->p >= '0' && *x->p <= '7'; i++)
            x->p++;
        out->cons = 4;
        return;
    case 'c':
        if (*x->p)
            x->p++;
        out->cons = 4;
        return;
    case 'a': case 'e': case 'f': case 'n': case 'r': case 't':
        out->cons = 4;
        return;
    }
    if (is_alpha(e) || is_digit(e)) {
        /* \G, back references (\1 \g \k), and escapes we do not know */
        x->bad = 1;
        return;
    }
    if ((unsigned char)e >= 0x80) {
        x->p += utf8_step(x->p - 1) - 1;
        out->cons = 4;
        return;
    }
    *lit_char = (unsigned char)e;
}

#define RX_RUN_MAX 256

/* Flushes the pending run of literal characters into the sequence. */
static void flush_run(lit_seq *q, char *run, size_t *rn)
{
    if (!*rn)
        return;
    lit_sum item;
    lit_run(q->mem, run, *rn, &item);
    lit_seq_add(q, &item);
    *rn = 0;
}

static void rx_seq(rx *x, lit_sum *out)
{
    lit_seq q;
    lit_seq_init(&q, x->mem);
    char run[RX_RUN_MAX];
    size_t rn = 0;
    int in_quote = 0; /* inside \Q...\E */
    while (*x->p && !x->bad) {
        unsigned char c = (unsigned char)*x->p;
        lit_sum item = LIT_SUM_NONE;
        int ch = -1, kind = ATOM_OTHER;
        if (in_quote) {
            if (c == '\\' && x->p[1] == 'E') {
                in_quote = 0;
                x->p += 2;
                size_t min = 0, max = 0;
                if (rn > 0 && rx_quant(x, &min, &max)) {
                    /* "\Qab\E+" repeats the b */
                    char last = run[--rn];
                    flush_run(&q, run, &rn);
                    lit_run(x->mem, &last, 1, &item);
                    lit_repeat(x->mem, &item, min, max);
                    lit_seq_add(&q, &item);
                }
                continue;
            }
            if (c >= 0x80 || c < 0x20) {
                x->p += utf8_step(x->p);
                lit_none(4, &item);
            } else {
                ch = c;
                x->p++;
            }
        } else if (c == '|' || c == ')') {
            break;
        } else if (c == '(') {
            x->p++;
            rx_group(x, &item);
        } else if (c == '[') {
            x->p++;
            int space;
            rx_class(x, &item, &space);
            kind = space == 1 ? ATOM_SPACE : space ? ATOM_PUNCT : ATOM_OTHER;
        } else if (c == '\\') {
            if (x->p[1] == 'Q') {
                in_quote = 1;
                x->p += 2;
                continue;
            }
            x->p++;
            rx_escape(x, &ch, &item, &kind);
        } else if (c == '.') {
            x->p++;
            lit_none(4, &item);
        } else if (c == '^' || c == '$') {
            x->p++;
        } else if (c == '*' || c == '+' || c == '?') {
            x->bad = 1; /* nothing to repeat */
            break;
        } else if (c >= 0x80 || c < 0x20) {
            size_t n = utf8_step(x->p);
            if (c >= 0x80 && lit_char_nonalnum((const unsigned char *)x->p, n))
                kind = ATOM_PUNCT;
            x->p += n;
            lit_none(4, &item);
        } else {
            ch = c;
            x->p++;
        }
        if (x->bad) {
            clear_sum(x->mem, &item);
            break;
        }
        size_t min = 0, max = 0;
        char next = *x->p; /* rx_quant, where a quantifier may start */
        int quantified = !in_quote &&
                         (next == '?' || next == '*' || next == '+' ||
                          next == '{') &&
                         rx_quant(x, &min, &max);
        if (ch >= 0 && !quantified && rn < RX_RUN_MAX) {
            run[rn++] = (char)ch;
            continue;
        }
        flush_run(&q, run, &rn);
        if ((kind == ATOM_SPACE && (!quantified || min > 0)) ||
            (kind == ATOM_WORDB && !quantified)) {
            /* one or more spaces, or \b: only a mark between items */
            lit_seq_mark(&q, kind == ATOM_SPACE ? LIT_SPACE : LIT_WORDB);
            clear_sum(x->mem, &item);
            continue;
        }
        if (ch >= 0) {
            char one = (char)ch;
            lit_run(x->mem, &one, 1, &item);
        }
        if (kind == ATOM_SPACE || kind == ATOM_PUNCT) /* one character */
            item.redge = item.ledge =
                kind == ATOM_SPACE ? LIT_SPACE : LIT_EDGE;
        if (quantified)
            lit_repeat(x->mem, &item, min, max);
        lit_seq_add(&q, &item);
    }
    flush_run(&q, run, &rn);
    lit_seq_end(&q, out);
}

static void rx_alt(rx *x, lit_sum *out)
{
    lit_alts alts;
    lit_alts_init(&alts, x->mem);
    for (int first = 1; first || (*x->p == '|' && !x->bad); first = 0) {
        if (!first)
            x->p++;
        lit_sum branch;
        rx_seq(x, &branch);
        lit_alts_add(&alts, &branch);
    }
    lit_alts_end(&alts, out);
}

/* *out, malloc'd: a copy of s, or (out of memory) no literal and oom. */
static void sum_out(lit_sum *out, const lit_sum *s)
{
    if (lit_sum_copy(out, s)) {
        lit_none(LIT_UNBOUNDED, out);
        out->oom = 1;
    }
}

void lit_from_regex(const char *re, lit_sum *out)
{
    const precomp_lits *pre = precomp_lits_find(0, re);
    if (pre) {
        /* a built-in rule's, worked out when the library was built */
        sum_out(out, &pre->sum);
        return;
    }
    /* the summaries of the regex's parts fit here, mostly */
    _Alignas(16) unsigned char scratch[8192];
    arena mem;
    arena_init_buf(&mem, scratch, sizeof(scratch));
    rx x = {re, 0, 0, &mem};
    lit_sum sum;
    rx_alt(&x, &sum);
    if (x.bad || *x.p != '\0' || sum.oom) {
        clear_sum(&mem, &sum);
        sum.cons = LIT_UNBOUNDED;
    }
    lit_resolve(&sum, LIT_ANY);
    sum_out(out, &sum);
    arena_free(&mem);
    if (precomp_lits_record && !out->oom)
        precomp_lits_record(0, re, NULL, out);
}

/* ---- regexes that look at the whole text ---- */

/*
 * Where the item starting at p ends: after a group's ')' (groups nest), a
 * class's ']', an escape, a \Q...\E, or one character. NULL when it is
 * not well formed.
 */
static const char *item_end(const char *p)
{
    if (*p == '\\') {
        if (p[1] == 'Q') {
            const char *e = strstr(p + 2, "\\E");
            return e ? e + 2 : p + strlen(p);
        }
        return p[1] ? p + 2 : NULL;
    }
    if (*p == '[') {
        p++;
        if (*p == '^')
            p++;
        if (*p == ']')
            p++;
        while (*p && *p != ']') {
            if (p[0] == '[' && p[1] == ':') {
                const char *e = strstr(p + 2, ":]");
                if (!e)
                    return NULL;
                p = e + 2;
            } else {
                p += *p == '\\' && p[1] ? 2 : 1;
            }
        }
        return *p ? p + 1 : NULL;
    }
    if (p[0] == '(' && p[1] == '?' && p[2] == '#') {
        const char *e = strchr(p, ')');
        return e ? e + 1 : NULL;
    }
    if (*p == '(') {
        p++;
        while (*p && *p != ')') {
            const char *e = item_end(p);
            if (!e)
                return NULL;
            p = e;
        }
        return *p ? p + 1 : NULL;
    }
    return *p ? p + 1 : NULL;
}

/* Does s[0..n) hold a '|' outside every group? */
static int top_alternation(const char *s, const char *end)
{
    while (s < end) {
        if (*s == '|')
            return 1;
        const char *e = item_end(s);
        if (!e || e > end)
            return 1;
        s = e;
    }
    return 0;
}

static const char *skip_any_lazy(const char *p)
{
    static const char *const forms[] = {"[\\s\\S]*?", "[\\S\\s]*?"};
    for (size_t i = 0; i < 2; i++)
        if (strncmp(p, forms[i], strlen(forms[i])) == 0)
            return p + strlen(forms[i]);
    return NULL;
}

void lit_split_free(lit_split *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->conds[i]);
    free(s->conds);
    free(s->want);
    free(s->x);
    memset(s, 0, sizeof(*s));
}

/* Could a part of the pattern refer to another by number or name? Then it
 * cannot be taken out alone. (Over-careful: "\\1" in a class counts.) */
static int refers(const char *re)
{
    static const char *const refs[] = {"\\g", "\\k", "(?P=", "(?P>", "(?(",
                                       "(?R", "(?&", "(?+", "(*"};
    for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
        if (strstr(re, refs[i]))
            return 1;
    for (const char *p = re; *p; p++) {
        if (p[0] == '\\' && p[1] >= '1' && p[1] <= '9')
            return 1;
        if (p[0] == '(' && p[1] == '?' &&
            ((p[2] >= '0' && p[2] <= '9') || (p[2] == '-' && is_digit(p[3]))))
            return 1;
        if (p[0] == '\\' && p[1])
            p++;
    }
    return 0;
}

int lit_split_doc(const char *re, lit_split *out)
{
    memset(out, 0, sizeof(*out));
    if (strncmp(re, "\\A", 2) != 0 || refers(re) ||
        top_alternation(re, re + strlen(re)))
        return 0;
    const char *p = re + 2;
    for (;;) {
        int want;
        if (strncmp(p, "(?!", 3) == 0)
            want = 0;
        else if (strncmp(p, "(?=", 3) == 0)
            want = 1;
        else
            break;
        const char *end = item_end(p), *y = skip_any_lazy(p + 3);
        if (!end || !y || y >= end - 1 || top_alternation(y, end - 1))
            goto no;
        char **c = realloc(out->conds, (out->n + 1) * sizeof(*c));
        if (!c)
            goto oom;
        out->conds = c;
        unsigned char *w = realloc(out->want, out->n + 1);
        if (!w)
            goto oom;
        out->want = w;
        if (!(c[out->n] = strndup(y, (size_t)(end - 1 - y))))
            goto oom;
        w[out->n++] = (unsigned char)want;
        p = end;
    }
    const char *x = skip_any_lazy(p);
    if (!x || strncmp(x, "\\K", 2) != 0 || !x[2])
        goto no;
    if (!(out->x = strdup(x + 2)))
        goto oom;
    return 1;
no:
    lit_split_free(out);
    return 0;
oom:
    lit_split_free(out);
    return -1;
}
