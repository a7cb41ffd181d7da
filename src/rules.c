/*
 * rules.c - the rule file format: `[id]` stanzas of `key = value` lines.
 *
 * A file is read line by line. A stanza is validated when the next one
 * starts or the file ends, so every message can name the line that is wrong.
 * Patterns are compiled (without JIT) as each rule is added, so a bad one is
 * reported with its file and line; the built-in rules, which the test suite
 * checks, are only parsed, so that starting is quick. Every pattern is
 * compiled on its first use, with JIT once much used (matcher.c; those of
 * the built-in rules are decoded from codes compiled when the library was
 * built, precomp.h); rf_rules_compile gathers the literals of all rules
 * for the fast matcher.
 */
#include "rules.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "lit.h"
#include "phrase.h"
#include "text.h"

static const char *const categories[] = {
    "unpaid-work", "pay", "hustle", "demands", "manipulation", "vulnerable",
    "scam",
};

#define CATEGORY_HINT                                                      \
    "(one of: unpaid-work, pay, hustle, demands, manipulation, vulnerable, scam)"

static void seterr(rf_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void seterr(rf_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
}

static int strvec_push(strvec *v, const char *s, size_t n, int line)
{
    if (v->n == v->cap) {
        /* the strings, then their lines, in one block */
        size_t cap = v->cap ? v->cap * 2 : 4;
        char **items = malloc(cap * (sizeof(*items) + sizeof(int)));
        if (!items)
            return -1;
        int *lines = (int *)(items + cap);
        if (v->n) {
            memcpy(items, v->items, v->n * sizeof(*items));
            memcpy(lines, v->lines, v->n * sizeof(*lines));
        }
        free(v->items);
        v->items = items;
        v->lines = lines;
        v->cap = cap;
    }
    char *copy = malloc(n + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, n);
    copy[n] = '\0';
    v->items[v->n] = copy;
    v->lines[v->n] = line;
    v->n++;
    return 0;
}

static void strvec_free(strvec *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->items[i]);
    free(v->items); /* and the lines */
    memset(v, 0, sizeof(*v));
}

/* Takes apart the regexes of a rule that look at the whole text first
 * (matcher.h): the rule alone when it is one regex, else each part. */
static int split_rule(rule *r)
{
    if (r->n_parts) {
        for (size_t i = r->phrases.n; i < r->n_parts; i++)
            if (pattern_split_init(&r->parts[i], r->parts[i].src))
                return -1;
        return 0;
    }
    if (r->phrases.n == 0 && r->regexes.n == 1 && r->re.lits.ok)
        return pattern_split_init(&r->re, r->regexes.items[0]);
    return 0;
}

static void rule_free(rule *r)
{
    if (!r)
        return;
    free((char *)r->pub.id);
    free((char *)r->pub.category);
    free((char *)r->pub.title);
    free((char *)r->pub.why);
    free((char *)r->pub.advice);
    free((char *)r->pub.file);
    strvec_free(&r->phrases);
    strvec_free(&r->regexes);
    strvec_free(&r->unless);
    strvec_free(&r->matches);
    strvec_free(&r->nomatches);
    pattern_free(&r->re);
    for (size_t i = 0; i < r->n_parts; i++)
        pattern_free(&r->parts[i]);
    free(r->parts);
    pattern_free(&r->unless_re);
    free(r->prefilter);
    free(r);
}

rf_rules *rf_rules_new(void)
{
    rf_rules *rs = calloc(1, sizeof(*rs));
    if (rs)
        rs->neg.window = NEGATION_WINDOW;
    return rs;
}

void rf_rules_free(rf_rules *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n; i++)
        rule_free(rs->rules[i]);
    free(rs->rules);
    strvec_free(&rs->neg.phrases);
    strvec_free(&rs->neg.except);
    strvec_free(&rs->neg.stop);
    pattern_free(&rs->neg.re);
    pattern_free(&rs->neg.except_re);
    pattern_free(&rs->neg.stop_re);
    litset_free(rs->prefilter);
    free(rs->part_pat);
    free(rs->part_check);
    free(rs->no_lits);
    free(rs);
}

size_t rf_rules_count(const rf_rules *rs) { return rs ? rs->n : 0; }

const rf_rule *rf_rules_get(const rf_rules *rs, size_t i)
{
    return rs && i < rs->n ? &rs->rules[i]->pub : NULL;
}

const rf_rule *rf_rules_find(const rf_rules *rs, const char *id)
{
    for (size_t i = 0; rs && i < rs->n; i++)
        if (strcmp(rs->rules[i]->pub.id, id) == 0)
            return &rs->rules[i]->pub;
    return NULL;
}

int rf_category_valid(const char *category)
{
    for (size_t i = 0; category && i < sizeof(categories) / sizeof(categories[0]); i++)
        if (strcmp(category, categories[i]) == 0)
            return 1;
    return 0;
}

/* Index of the rule with this id, or -1 with err set. */
static long rule_index(const rf_rules *rs, const char *id, rf_error *err)
{
    for (size_t i = 0; i < rs->n; i++)
        if (strcmp(rs->rules[i]->pub.id, id) == 0)
            return (long)i;
    seterr(err, RF_ERR_USAGE, "no rule '%s'", id);
    return -1;
}

static void remove_rule(rf_rules *rs, size_t i)
{
    rule_free(rs->rules[i]);
    memmove(&rs->rules[i], &rs->rules[i + 1],
            (rs->n - i - 1) * sizeof(rs->rules[0]));
    rs->n--;
    rs->compiled = 0;
}

int rf_rules_disable(rf_rules *rs, const char *id, rf_error *err)
{
    long i = rule_index(rs, id, err);
    if (i < 0)
        return -1;
    remove_rule(rs, (size_t)i);
    return 0;
}

int rf_rules_disable_category(rf_rules *rs, const char *category,
                              rf_error *err)
{
    if (!rf_category_valid(category)) {
        seterr(err, RF_ERR_USAGE,
               "unknown category '%s' " CATEGORY_HINT,
               category);
        return -1;
    }
    for (size_t i = rs->n; i-- > 0;)
        if (strcmp(rs->rules[i]->pub.category, category) == 0)
            remove_rule(rs, i);
    return 0;
}

int rf_rules_set_severity(rf_rules *rs, const char *id, rf_severity sev,
                          rf_error *err)
{
    if (sev != RF_LOW && sev != RF_MEDIUM && sev != RF_HIGH) {
        seterr(err, RF_ERR_USAGE, "unknown severity %d", (int)sev);
        return -1;
    }
    long i = rule_index(rs, id, err);
    if (i < 0)
        return -1;
    rs->rules[i]->pub.severity = sev;
    rs->compiled = 0;
    return 0;
}

/* ---- patterns ---- */

/*
 * The pattern texts of a rule's phrases and regexes, joined: (?:a)|(?:b)|...
 * with where each text is in it, and the literals every match of each
 * contains.
 */
typedef struct joined {
    buf all;
    size_t *start, *len; /* of each text in all */
    lit_sum *sums;
    size_t n;
} joined;

static void joined_free(joined *j)
{
    buf_free(&j->all);
    for (size_t i = 0; j->sums && i < j->n; i++)
        lit_sum_free(&j->sums[i]);
    free(j->sums);
    free(j->start);
    free(j->len);
}

/* The line of the file that pattern i of a rule came from. */
static int line_of(const strvec *phrases, const strvec *regexes, size_t i)
{
    return i < phrases->n ? phrases->lines[i]
                          : regexes->lines[i - phrases->n];
}

/*
 * Compiles src, the whole pattern of the texts in j (as joined, or with
 * their edges shared: factor_edges). When it does not compile, each text,
 * at j->start[i] in `texts` (the joined texts), is compiled alone to find
 * the line to blame.
 */
static pcre2_code *check_parts(const char *file, const char *id,
                               const char *src, const char *texts,
                               const joined *j,
                               const strvec *phrases, const strvec *regexes,
                               const char *what, rf_error *err)
{
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
                                   RULES_PCRE2_OPTIONS, &ec, &eo, NULL);
    if (re)
        return re;
    int whole_ec = ec; /* the loop below overwrites ec, even on success */
    for (size_t i = 0; i < j->n; i++) {
        pcre2_code *one = pcre2_compile((PCRE2_SPTR)texts + j->start[i],
                                        j->len[i], RULES_PCRE2_OPTIONS, &ec,
                                        &eo, NULL);
        if (one) {
            pcre2_code_free(one);
            continue;
        }
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof(msg));
        seterr(err, RF_ERR_RULE,
               "%s:%d: rule '%s': %s does not compile: %s at offset %zu", file,
               line_of(phrases, regexes, i), id, what, (char *)msg, (size_t)eo);
        return NULL;
    }
    /* Each part compiles alone but the whole does not: a regex that is
     * not self-contained, e.g. one ending in a lone '\'. Blame the rule. */
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(whole_ec, msg, sizeof(msg));
    seterr(err, RF_ERR_RULE, "%s:%d: rule '%s': patterns do not combine: %s",
           file, j->n ? line_of(phrases, regexes, 0) : 0, id, (char *)msg);
    return NULL;
}

/*
 * Phrases (and, if given, regexes used as written) to PCRE2 texts joined
 * in j, with the literals every match of each contains. A phrase that is
 * not well formed is an error at its line.
 */
static int translate(const char *file, const char *id, const strvec *phrases,
                     const strvec *regexes, joined *j, rf_error *err)
{
    size_t total = phrases->n + (regexes ? regexes->n : 0);
    memset(j, 0, sizeof(*j));
    j->sums = calloc(total ? total : 1, sizeof(lit_sum));
    j->start = malloc((total ? total : 1) * sizeof(size_t));
    j->len = malloc((total ? total : 1) * sizeof(size_t));
    if (!j->sums || !j->start || !j->len)
        goto oom;
    j->n = total;
    /* room for all at once: a phrase takes about four times its length */
    size_t room = 0;
    for (size_t i = 0; i < total; i++)
        room += i < phrases->n ? 4 * strlen(phrases->items[i]) + 256
                               : strlen(regexes->items[i - phrases->n]) + 8;
    buf_reserve(&j->all, room);
    for (size_t i = 0; i < total; i++) {
        if (i)
            buf_putc(&j->all, '|');
        buf_append(&j->all, "(?:", 3);
        j->start[i] = j->all.len;
        if (i < phrases->n) {
            char msg[200];
            size_t off = 0;
            if (phrase_compile_lit(phrases->items[i], &j->all, &j->sums[i],
                                   msg, sizeof(msg), &off)) {
                seterr(err, RF_ERR_RULE,
                       "%s:%d: rule '%s': bad phrase '%s': %s at offset %zu",
                       file, phrases->lines[i], id, phrases->items[i], msg,
                       off);
                return -1;
            }
        } else {
            const char *x = regexes->items[i - phrases->n];
            lit_from_regex(x, &j->sums[i]);
            buf_puts(&j->all, x);
        }
        j->len[i] = j->all.len - j->start[i];
        buf_putc(&j->all, ')');
    }
    if (!j->all.data)
        buf_puts(&j->all, "");
    if (j->all.oom)
        goto oom;
    return 0;
oom:
    seterr(err, RF_ERR_NOMEM, "out of memory");
    return -1;
}

/*
 * The whole pattern of the texts in j, phrases alone: their word edges
 * once, around the alternation of what each phrase matches between them,
 * rather than each phrase with its own. Both match the same: an edge is a
 * test of the same place whichever phrase follows it, and the phrases are
 * still tried in order. PCRE2 then tests the edge once at each place, not
 * once per phrase, and compiles a much shorter pattern (the negating words
 * are a hundred phrases). NULL when out of memory.
 */
static char *factor_edges(const joined *j)
{
    static const char head[] = PHRASE_EDGE_START "(?:";
    static const char tail[] = ")" PHRASE_EDGE_END;
    size_t hl = sizeof(head) - 1, tl = sizeof(tail) - 1;
    buf b = BUF_INIT;
    buf_reserve(&b, j->all.len);
    buf_append(&b, head, hl);
    for (size_t i = 0; i < j->n; i++) {
        /* each is head (?:what it matches) tail, as phrase_compile
         * writes it */
        const char *t = j->all.data + j->start[i];
        buf_puts(&b, i ? "|(?:" : "(?:");
        buf_append(&b, t + hl, j->len[i] - hl - tl);
        buf_putc(&b, ')');
    }
    buf_append(&b, tail, tl);
    return buf_take(&b);
}

/*
 * The pattern of phrases and regexes: its source and literals, and, when
 * `check` is set, its compiled form, which validates it now so that a bad
 * pattern is blamed on its line. The built-in rules are checked by the
 * test suite (--test-rules) instead, so that starting is quick.
 *
 * With `parts`, each phrase and regex is also made a pattern of its own,
 * when every one has literals and there are two or more: the fast matcher
 * then tries only the one whose literal it found.
 */
static int build_pattern(pattern *out, const char *file, const char *id,
                         const strvec *phrases, const strvec *regexes,
                         int check, pattern **parts, size_t *n_parts,
                         rf_error *err)
{
    joined j;
    lit_sum all = LIT_SUM_NONE;
    int rc = -1;
    memset(out, 0, sizeof(*out));
    if (parts) {
        *parts = NULL;
        *n_parts = 0;
    }
    if (translate(file, id, phrases, regexes, &j, err))
        goto out;
    int every_part_ok = 1;
    for (size_t i = 0; i < j.n; i++)
        every_part_ok &= j.sums[i].ok;
    int split = parts && every_part_ok && j.n > 1;
    if (split) {
        /* the parts keep the literals; the whole only says it has some */
        all.ok = 1;
    } else {
        /* no parts: the whole takes the literals */
        lit_alt_all(j.sums, j.n, &all);
        if (all.oom)
            goto oom;
    }
    /* phrases alone share their edges (factor_edges), and the joined texts
     * stay in j.all; otherwise the whole is the joined texts, taken */
    int factored = (!regexes || !regexes->n) && j.n > 1;
    char *src = factored ? factor_edges(&j) : buf_take(&j.all);
    if (!src || pattern_init(out, src, &all))
        goto oom;
    /* where each text is, for the parts and to blame one that does not
     * compile */
    const char *texts = factored ? j.all.data : out->src;
    if (check && !(out->checked = check_parts(file, id, out->src, texts, &j,
                                              phrases, regexes, "pattern",
                                              err))) {
        pattern_free(out);
        goto out;
    }
    if (split) {
        if (!(*parts = calloc(j.n, sizeof(pattern))))
            goto oom_out;
        *n_parts = j.n;
        for (size_t i = 0; i < j.n; i++) {
            char *one = strndup(texts + j.start[i], j.len[i]);
            if (!one || pattern_init(&(*parts)[i], one, &j.sums[i]))
                goto oom_out;
        }
    }
    rc = 0;
    goto out;
oom_out:
    pattern_free(out);
oom:
    seterr(err, RF_ERR_NOMEM, "out of memory");
out:
    if (rc && parts && *parts) {
        for (size_t i = 0; i < *n_parts; i++)
            pattern_free(&(*parts)[i]);
        free(*parts);
        *parts = NULL;
        *n_parts = 0;
    }
    lit_sum_free(&all);
    joined_free(&j);
    return rc;
}

/* ---- the file format ---- */

enum key {
    K_CATEGORY, K_SEVERITY, K_TITLE, K_WHY, K_ADVICE,
    K_PHRASE, K_REGEX, K_UNLESS, K_MATCH, K_NOMATCH,
    K_EXCEPT, K_STOP, K_WINDOW, K_COUNT
};

static const char *const key_names[K_COUNT] = {
    "category", "severity", "title", "why", "advice",
    "phrase", "regex", "unless", "match", "nomatch",
    "except", "stop", "window",
};

/* A stanza being read. */
typedef struct stanza {
    int active;
    int negation;         /* the [@negation] stanza */
    int line;             /* of the [id] header */
    char *id;
    buf single[K_COUNT];  /* values of keys that appear once */
    int line_of[K_COUNT]; /* 0 = not seen */
    strvec multi[K_COUNT];
    int last_key;         /* for continuation lines; -1 = none */
} stanza;

typedef struct loader {
    rf_rules *rs;
    const char *file;
    stanza st;
    rf_error *err;
    int trusted; /* built-in rules: patterns are checked by the tests */
} loader;

static int is_repeatable(int k)
{
    return k == K_PHRASE || k == K_REGEX || k == K_UNLESS || k == K_MATCH ||
           k == K_NOMATCH || k == K_EXCEPT || k == K_STOP;
}

static void stanza_reset(stanza *st)
{
    free(st->id);
    for (int k = 0; k < K_COUNT; k++) {
        buf_free(&st->single[k]);
        strvec_free(&st->multi[k]);
    }
    memset(st, 0, sizeof(*st));
    st->last_key = -1;
}

static int valid_id(const char *s)
{
    if (!*s || *s == '-')
        return 0;
    for (const char *p = s; *p; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                 (*p == '-' && p[1] != '-' && p[1] != '\0');
        if (!ok)
            return 0;
    }
    return 1;
}

static char *take(buf *b) { return b->data ? buf_take(b) : NULL; }

/* Moves a strvec out of the stanza. */
static strvec move_vec(strvec *v)
{
    strvec out = *v;
    memset(v, 0, sizeof(*v));
    return out;
}

/* Compiles the negating words of `from`, then those of `to`; 0, or -1
 * with the error. */
static int check_negation(loader *ld, const strvec *from, const strvec *to)
{
    strvec all = {0};
    int bad = 0;
    for (int part = 0; part < 2 && !bad; part++) {
        const strvec *v = part ? to : from;
        for (size_t i = 0; i < v->n && !bad; i++)
            bad = strvec_push(&all, v->items[i], strlen(v->items[i]),
                              v->lines[i]);
    }
    pattern check;
    int rc = bad ? -1
                 : build_pattern(&check, ld->file, "@negation", &all, NULL, 1,
                                 NULL, NULL, ld->err);
    strvec_free(&all);
    if (bad)
        seterr(ld->err, RF_ERR_NOMEM, "out of memory");
    if (rc)
        return -1;
    pattern_free(&check);
    return 0;
}

static int finish_negation(loader *ld)
{
    stanza *st = &ld->st;
    for (int k = 0; k < K_COUNT; k++) {
        if ((st->line_of[k] || st->multi[k].n) && k != K_PHRASE &&
            k != K_EXCEPT && k != K_STOP && k != K_WINDOW) {
            int line = st->line_of[k] ? st->line_of[k] : st->multi[k].lines[0];
            seterr(ld->err, RF_ERR_RULE,
                   "%s:%d: key '%s' does not belong in [@negation] (use phrase, except, stop, window)",
                   ld->file, line, key_names[k]);
            return -1;
        }
    }
    negation *ng = &ld->rs->neg;
    if (st->line_of[K_WINDOW]) {
        char *end;
        long w = strtol(st->single[K_WINDOW].data, &end, 10);
        if (*end || w < 0 || w > 50) {
            seterr(ld->err, RF_ERR_RULE,
                   "%s:%d: window must be a whole number from 0 to 50, not '%s'",
                   ld->file, st->line_of[K_WINDOW], st->single[K_WINDOW].data);
            return -1;
        }
        ng->window = (int)w;
    }
    /* Several files may add negating words; each is checked here, by
     * compiling, so a bad one is blamed on its own line. They are compiled
     * with the words earlier stanzas gave, these first: a set too large for
     * one pattern is blamed on this stanza, not left for rf_rules_compile,
     * which could name no file. The built-in words are checked by the test
     * suite instead (as their rules are), and compiled by rf_rules_compile
     * alone. */
    static const int keys[] = {K_PHRASE, K_EXCEPT, K_STOP};
    strvec *dest[] = {&ng->phrases, &ng->except, &ng->stop};
    for (int pass = 0; pass < 3; pass++) {
        strvec *from = &st->multi[keys[pass]];
        strvec *to = dest[pass];
        if (from->n && !ld->trusted && check_negation(ld, from, to))
            return -1;
        for (size_t i = 0; i < from->n; i++)
            if (strvec_push(to, from->items[i], strlen(from->items[i]),
                            from->lines[i])) {
                seterr(ld->err, RF_ERR_NOMEM, "out of memory");
                return -1;
            }
    }
    ld->rs->compiled = 0;
    return 0;
}

static int finish_stanza(loader *ld)
{
    stanza *st = &ld->st;
    if (!st->active)
        return 0;
    if (st->negation) {
        int rc = finish_negation(ld);
        stanza_reset(st);
        return rc;
    }
    for (int k = K_EXCEPT; k <= K_WINDOW; k++) {
        if (st->line_of[k] || st->multi[k].n) {
            int line = st->line_of[k] ? st->line_of[k] : st->multi[k].lines[0];
            seterr(ld->err, RF_ERR_RULE,
                   "%s:%d: key '%s' belongs only in [@negation]", ld->file,
                   line, key_names[k]);
            return -1;
        }
    }
    /* Wrong values first, at their own lines; then what is missing. */
    const char *cat = st->single[K_CATEGORY].data;
    if (cat && !rf_category_valid(cat)) {
        seterr(ld->err, RF_ERR_RULE,
               "%s:%d: unknown category '%s' " CATEGORY_HINT,
               ld->file, st->line_of[K_CATEGORY], cat);
        return -1;
    }
    int sev = rf_severity_parse(st->single[K_SEVERITY].data);
    if (sev < 0 && st->line_of[K_SEVERITY]) {
        seterr(ld->err, RF_ERR_RULE,
               "%s:%d: unknown severity '%s' (one of: low, medium, high)",
               ld->file, st->line_of[K_SEVERITY], st->single[K_SEVERITY].data);
        return -1;
    }
    static const int required[] = {K_CATEGORY, K_SEVERITY, K_TITLE, K_WHY,
                                   K_ADVICE};
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
        if (!st->line_of[required[i]]) {
            seterr(ld->err, RF_ERR_RULE, "%s:%d: rule '%s' has no '%s'",
                   ld->file, st->line, st->id, key_names[required[i]]);
            return -1;
        }
    }
    if (!st->multi[K_PHRASE].n && !st->multi[K_REGEX].n) {
        seterr(ld->err, RF_ERR_RULE, "%s:%d: rule '%s' has no phrase or regex",
               ld->file, st->line, st->id);
        return -1;
    }
    const rf_rule *dup = rf_rules_find(ld->rs, st->id);
    if (dup) {
        seterr(ld->err, RF_ERR_RULE,
               "%s:%d: duplicate rule id '%s' (first defined at %s:%d)",
               ld->file, st->line, st->id, dup->file, dup->line);
        return -1;
    }

    rule *r = calloc(1, sizeof(*r));
    if (!r) {
        seterr(ld->err, RF_ERR_NOMEM, "out of memory");
        return -1;
    }
    if (build_pattern(&r->re, ld->file, st->id, &st->multi[K_PHRASE],
                      &st->multi[K_REGEX], !ld->trusted, &r->parts,
                      &r->n_parts, ld->err) ||
        (st->multi[K_UNLESS].n &&
         build_pattern(&r->unless_re, ld->file, st->id, &st->multi[K_UNLESS],
                       NULL, !ld->trusted, NULL, NULL, ld->err))) {
        rule_free(r);
        return -1;
    }

    if (ld->rs->n == ld->rs->cap) {
        size_t cap = ld->rs->cap ? ld->rs->cap * 2 : 32;
        rule **p = realloc(ld->rs->rules, cap * sizeof(*p));
        if (!p) {
            rule_free(r);
            seterr(ld->err, RF_ERR_NOMEM, "out of memory");
            return -1;
        }
        ld->rs->rules = p;
        ld->rs->cap = cap;
    }
    r->pub.id = st->id;
    st->id = NULL;
    r->pub.category = take(&st->single[K_CATEGORY]);
    r->pub.severity = (rf_severity)sev;
    r->pub.title = take(&st->single[K_TITLE]);
    r->pub.why = take(&st->single[K_WHY]);
    r->pub.advice = take(&st->single[K_ADVICE]);
    r->pub.file = strdup(ld->file);
    r->pub.line = st->line;
    r->phrases = move_vec(&st->multi[K_PHRASE]);
    r->regexes = move_vec(&st->multi[K_REGEX]);
    r->unless = move_vec(&st->multi[K_UNLESS]);
    r->matches = move_vec(&st->multi[K_MATCH]);
    r->nomatches = move_vec(&st->multi[K_NOMATCH]);
    if (split_rule(r)) {
        rule_free(r);
        seterr(ld->err, RF_ERR_NOMEM, "out of memory");
        return -1;
    }
#define EXPOSE(field, vec)                                                 \
    r->pub.field = (const char *const *)r->vec.items;                      \
    r->pub.n_##field = r->vec.n
    EXPOSE(phrases, phrases);
    EXPOSE(regexes, regexes);
    EXPOSE(unless, unless);
    EXPOSE(matches, matches);
    EXPOSE(nomatches, nomatches);
#undef EXPOSE
    ld->rs->rules[ld->rs->n++] = r;
    ld->rs->compiled = 0;
    stanza_reset(st);
    if (!r->pub.category || !r->pub.title || !r->pub.why || !r->pub.advice ||
        !r->pub.file) {
        seterr(ld->err, RF_ERR_NOMEM, "out of memory");
        return -1;
    }
    return 0;
}


static int load_line(loader *ld, const char *s, const char *e, int lineno)
{
    stanza *st = &ld->st;
    const char *t = s, *te = e;
    text_trim(&t, &te);
    if (t == te) {
        st->last_key = -1; /* a blank line ends a continued value */
        return 0;
    }
    if (*t == '#')
        return 0;
    if (text_is_blank(*s)) {
        int k = st->last_key;
        if (k < 0) {
            seterr(ld->err, RF_ERR_RULE,
                   "%s:%d: an indented line continues a value, but there is no 'key = value' above it",
                   ld->file, lineno);
            return -1;
        }
        buf *b = is_repeatable(k) ? NULL : &st->single[k];
        if (b) {
            buf_putc(b, ' ');
            buf_append(b, t, (size_t)(te - t));
            if (b->oom)
                goto oom;
        } else {
            strvec *v = &st->multi[k];
            char **last = &v->items[v->n - 1];
            size_t n0 = strlen(*last), n1 = (size_t)(te - t);
            char *p = realloc(*last, n0 + 1 + n1 + 1);
            if (!p)
                goto oom;
            p[n0] = ' ';
            memcpy(p + n0 + 1, t, n1);
            p[n0 + 1 + n1] = '\0';
            *last = p;
        }
        return 0;
    }
    if (*t == '[') {
        if (finish_stanza(ld))
            return -1;
        if (te[-1] != ']' || te - t < 3) {
            seterr(ld->err, RF_ERR_RULE, "%s:%d: expected '[rule-id]'",
                   ld->file, lineno);
            return -1;
        }
        const char *is = t + 1, *ie = te - 1;
        text_trim(&is, &ie);
        st->id = strndup(is, (size_t)(ie - is));
        if (!st->id)
            goto oom;
        st->active = 1;
        st->line = lineno;
        st->last_key = -1;
        if (strcmp(st->id, "@negation") == 0) {
            st->negation = 1;
        } else if (!valid_id(st->id)) {
            seterr(ld->err, RF_ERR_RULE,
                   "%s:%d: invalid rule id '%s' (use lower-case letters and digits joined by single hyphens)",
                   ld->file, lineno, st->id);
            return -1;
        }
        return 0;
    }
    const char *eq = memchr(t, '=', (size_t)(te - t));
    if (!eq) {
        seterr(ld->err, RF_ERR_RULE,
               "%s:%d: expected 'key = value', '[rule-id]' or a '#' comment",
               ld->file, lineno);
        return -1;
    }
    const char *ks = t, *ke = eq, *vs = eq + 1, *ve = te;
    text_trim(&ks, &ke);
    text_trim(&vs, &ve);
    int k = -1;
    size_t kn = (size_t)(ke - ks);
    for (int i = 0; i < K_COUNT && k < 0; i++)
        if (key_names[i][0] == *ks && strncmp(key_names[i], ks, kn) == 0 &&
            key_names[i][kn] == '\0')
            k = i;
    if (k < 0) {
        seterr(ld->err, RF_ERR_RULE, "%s:%d: unknown key '%.*s'", ld->file,
               lineno, (int)(ke - ks), ks);
        return -1;
    }
    if (!st->active) {
        seterr(ld->err, RF_ERR_RULE,
               "%s:%d: '%s' comes before any '[rule-id]' line", ld->file,
               lineno, key_names[k]);
        return -1;
    }
    if (vs == ve) {
        seterr(ld->err, RF_ERR_RULE, "%s:%d: '%s' has no value", ld->file,
               lineno, key_names[k]);
        return -1;
    }
    if (is_repeatable(k)) {
        if (strvec_push(&st->multi[k], vs, (size_t)(ve - vs), lineno))
            goto oom;
    } else {
        if (st->line_of[k]) {
            seterr(ld->err, RF_ERR_RULE,
                   "%s:%d: '%s' given twice in '%s' (first at line %d)",
                   ld->file, lineno, key_names[k], st->id, st->line_of[k]);
            return -1;
        }
        st->line_of[k] = lineno;
        if (buf_append(&st->single[k], vs, (size_t)(ve - vs)))
            goto oom;
    }
    st->last_key = k;
    return 0;
oom:
    seterr(ld->err, RF_ERR_NOMEM, "out of memory");
    return -1;
}

static int add_buffer(rf_rules *rs, const char *name, const char *data,
                      size_t len, int trusted, rf_error *err)
{
    loader ld = {rs, name, {0}, err, trusted};
    ld.st.last_key = -1;
    int lineno = 0, rc = 0;
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* a UTF-8 byte order mark */
    while (p < end && rc == 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        lineno++;
        if (memchr(p, '\0', (size_t)(le - p))) {
            seterr(err, RF_ERR_RULE, "%s:%d: a NUL byte in a rule file", name,
                   lineno);
            rc = -1;
            break;
        }
        rc = load_line(&ld, p, le, lineno);
        p = nl ? nl + 1 : end;
    }
    if (rc == 0)
        rc = finish_stanza(&ld);
    stanza_reset(&ld.st);
    return rc ? -1 : 0;
}

int rf_rules_add_buffer(rf_rules *rs, const char *name, const char *data,
                        size_t len, rf_error *err)
{
    return add_buffer(rs, name, data, len, 0, err);
}

static int read_file(const char *path, char **data, size_t *len,
                     rf_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        seterr(err, RF_ERR_IO, "%s: %s", path, strerror(errno));
        return -1;
    }
    buf b = BUF_INIT;
    char chunk[16384];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, n);
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        buf_free(&b);
        seterr(err, RF_ERR_IO, "%s: %s", path, strerror(saved));
        return -1;
    }
    *len = b.len;
    *data = buf_take(&b);
    if (!*data) {
        seterr(err, RF_ERR_NOMEM, "out of memory");
        return -1;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

int rf_rules_add_path(rf_rules *rs, const char *path, rf_error *err)
{
    struct stat sb;
    if (stat(path, &sb)) {
        seterr(err, RF_ERR_IO, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        char *data;
        size_t len;
        if (read_file(path, &data, &len, err))
            return -1;
        int rc = rf_rules_add_buffer(rs, path, data, len, err);
        free(data);
        return rc;
    }
    DIR *d = opendir(path);
    if (!d) {
        seterr(err, RF_ERR_IO, "%s: %s", path, strerror(errno));
        return -1;
    }
    strvec names = {0};
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".rules"))
            continue;
        if (strvec_push(&names, de->d_name, strlen(de->d_name), 0)) {
            seterr(err, RF_ERR_NOMEM, "out of memory");
            rc = -1;
            break;
        }
    }
    closedir(d);
    if (rc == 0)
        qsort(names.items, names.n, sizeof(char *), cmp_str);
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        buf full = BUF_INIT;
        buf_printf(&full, "%s%s%s", path,
                   has_suffix(path, "/") ? "" : "/", names.items[i]);
        if (full.oom) {
            seterr(err, RF_ERR_NOMEM, "out of memory");
            rc = -1;
        } else {
            rc = rf_rules_add_path(rs, full.data, err);
        }
        buf_free(&full);
    }
    strvec_free(&names);
    return rc;
}

/* The files in rules/, embedded by the build (default_rules.c). */
extern const struct rf_embedded_rules {
    const char *name;
    const char *data;
    size_t len;
} rf_default_rules[];
extern const size_t rf_default_rules_count;

int rf_rules_add_default(rf_rules *rs, rf_error *err)
{
    for (size_t i = 0; i < rf_default_rules_count; i++)
        if (add_buffer(rs, rf_default_rules[i].name, rf_default_rules[i].data,
                       rf_default_rules[i].len, 1, err))
            return -1;
    return 0;
}

/* Says how the fast matcher finds rule r: "literals\tword@back ..." or
 * "every-byte\twhy". NULL when out of memory. */
/* Is "word@" among the tab- or space-separated items of b? */
static int listed(const buf *b, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = b->data; p && (p = strstr(p, word)); p++)
        if ((p == b->data || p[-1] == ' ' || p[-1] == '\t') && p[n] == '@')
            return 1;
    return 0;
}

/* Appends "word@back" for each literal of ls not listed yet in b. */
static void list_literals(buf *b, const lit_sum *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        /* each literal once, with the most it is looked back for */
        size_t back = ls->lits[i].back, j;
        for (j = 0; j < ls->n; j++) {
            if (strcmp(ls->lits[j].s, ls->lits[i].s) != 0)
                continue;
            if (j < i)
                break;
            if (ls->lits[j].back > back)
                back = ls->lits[j].back;
        }
        if (j < ls->n || listed(b, ls->lits[i].s))
            continue;
        if (b->len && b->data[b->len - 1] != '\t' && b->data[b->len - 1] != ' ')
            buf_putc(b, ' ');
        buf_puts(b, ls->lits[i].s);
        if (back == LIT_UNBOUNDED)
            buf_puts(b, "@*");
        else
            buf_printf(b, "@%zu", back);
    }
}

static char *describe_prefilter(const rule *r)
{
    buf b = BUF_INIT;
    if (r->re.lits.ok && r->re.split) {
        buf_printf(&b, "whole-text\t%zu condition%s, then ", r->re.split->n,
                   r->re.split->n == 1 ? "" : "s");
        list_literals(&b, &r->re.split->x->lits);
        return buf_take(&b);
    }
    if (r->re.lits.ok) {
        buf_puts(&b, "literals\t");
        if (!r->n_parts)
            list_literals(&b, &r->re.lits);
        for (size_t i = 0; i < r->n_parts; i++)
            list_literals(&b, &r->parts[i].lits);
        return buf_take(&b);
    }
    /* Which pattern has no literal every match must contain? */
    buf_puts(&b, "every-byte\t");
    for (size_t i = 0; i < r->phrases.n && !b.oom; i++) {
        buf ignore = BUF_INIT;
        char msg[200];
        size_t off;
        lit_sum one = LIT_SUM_NONE;
        int found = phrase_compile_lit(r->phrases.items[i], &ignore, &one,
                                       msg, sizeof(msg), &off) == 0 &&
                    !one.ok;
        buf_free(&ignore);
        lit_sum_free(&one);
        if (found) {
            buf_printf(&b, "no literal in phrase at %s:%d", r->pub.file,
                       r->phrases.lines[i]);
            return buf_take(&b);
        }
    }
    for (size_t i = 0; i < r->regexes.n; i++) {
        lit_sum one;
        lit_from_regex(r->regexes.items[i], &one);
        int found = !one.ok;
        lit_sum_free(&one);
        if (found) {
            buf_printf(&b, "no literal found in regex at %s:%d", r->pub.file,
                       r->regexes.lines[i]);
            return buf_take(&b);
        }
    }
    buf_puts(&b, "no literal");
    return buf_take(&b);
}

/* The literals of every rule, for the one pass over each document: the
 * owner of a literal is the part (phrase or regex) it came from, or the
 * rule's whole pattern for a rule without parts. A part's companions
 * (lit.h) are found in the same pass, with owner n_parts + part, so that
 * checking a candidate's companion is a look at the occurrences found
 * near it rather than another search of the text there. */
static int build_prefilter(rf_rules *rs)
{
    litset_free(rs->prefilter);
    free(rs->part_pat);
    free(rs->part_check);
    free(rs->no_lits);
    rs->part_pat = NULL;
    rs->part_check = rs->no_lits = NULL;
    if (!(rs->prefilter = litset_new()))
        return -1;
    size_t total = 0;
    for (size_t i = 0; i < rs->n; i++)
        total += rs->rules[i]->n_parts ? rs->rules[i]->n_parts : 1;
    if (!(rs->part_pat = calloc(total + 1, sizeof(pattern *))) ||
        !(rs->part_check = calloc(total + 1, 1)) ||
        !(rs->no_lits = calloc(rs->n + 1, 1)))
        return -1;
    size_t part = 0;
    for (size_t i = 0; i < rs->n; i++) {
        rule *r = rs->rules[i];
        free(r->prefilter);
        r->prefilter = NULL; /* described when asked (rf_rules_prefilter) */
        r->first_part = part;
        rs->no_lits[i] = !r->re.lits.ok;
        size_t np = r->n_parts ? r->n_parts : 1;
        for (size_t k = 0; k < np; k++, part++) {
            const pattern *p = r->n_parts ? &r->parts[k] : &r->re;
            rs->part_pat[part] = p;
            rs->part_check[part] =
                (unsigned char)(pattern_pair_global(p)    ? PART_NEAR
                                : pattern_pair_checked(p) ? PART_ALL
                                                          : PART_KEEP);
            for (size_t j = 0; p->lits.ok && j < p->lits.n; j++) {
                const lit *l = &p->lits.lits[j];
                if (litset_add(rs->prefilter, l->s, l->len, (uint32_t)part,
                               l->back, l->left, l->right))
                    return -1;
            }
            for (size_t j = 0; pattern_pair_global(p) && j < p->lits.n_pair;
                 j++) {
                const lit *l = &p->lits.pair[j];
                if (litset_add(rs->prefilter, l->s, l->len,
                               (uint32_t)(total + part), 0, l->left,
                               l->right))
                    return -1;
            }
        }
    }
    rs->n_parts = part;
    return litset_build(rs->prefilter);
}

int rf_rules_compile(rf_rules *rs, rf_error *err)
{
    if (rs->compiled)
        return 0;
    negation *ng = &rs->neg;
    strvec *vecs[] = {&ng->phrases, &ng->except, &ng->stop};
    pattern *pats[] = {&ng->re, &ng->except_re, &ng->stop_re};
    for (int i = 0; i < 3; i++) {
        pattern_free(pats[i]);
        /* each stanza was checked when it was loaded */
        if (vecs[i]->n && build_pattern(pats[i], "[@negation]", "@negation",
                                        vecs[i], NULL, 0, NULL, NULL, err))
            return -1;
    }
    if (build_prefilter(rs)) {
        seterr(err, RF_ERR_NOMEM, "out of memory");
        return -1;
    }
    rs->compiled = 1;
    return 0;
}

/* Compiles p now; on failure, err says which line of rule r is to blame. */
static int compile_now(const pattern *p, const rule *r, const strvec *phrases,
                       const strvec *regexes, rf_error *err)
{
    char msg[300];
    if (!p->src || pattern_code(p, PAT_ANY, PATTERN_HOT, msg, sizeof(msg)))
        return 0;
    pattern check;
    const char *file = r ? r->pub.file : "[@negation]";
    const char *id = r ? r->pub.id : "@negation";
    if (build_pattern(&check, file, id, phrases, regexes, 1, NULL, NULL,
                      err) == 0) {
        pattern_free(&check);
        seterr(err, RF_ERR_RULE, "%s:%d: rule '%s': %s", file,
               r ? r->pub.line : 0, id, msg);
    }
    return -1;
}

int rf_rules_compile_all(rf_rules *rs, rf_error *err)
{
    if (rf_rules_compile(rs, err))
        return -1;
    negation *ng = &rs->neg;
    if (compile_now(&ng->re, NULL, &ng->phrases, NULL, err) ||
        compile_now(&ng->except_re, NULL, &ng->except, NULL, err) ||
        compile_now(&ng->stop_re, NULL, &ng->stop, NULL, err))
        return -1;
    for (size_t i = 0; i < rs->n; i++) {
        const rule *r = rs->rules[i];
        if (compile_now(&r->re, r, &r->phrases, &r->regexes, err) ||
            compile_now(&r->unless_re, r, &r->unless, NULL, err))
            return -1;
        for (size_t k = 0; k < r->n_parts; k++)
            if (compile_now(&r->parts[k], r, &r->phrases, &r->regexes, err))
                return -1;
    }
    return 0;
}

int rules_each_pattern(const rf_rules *rs, pattern_visit fn, void *ctx)
{
    const pattern *neg[] = {&rs->neg.re, &rs->neg.except_re,
                            &rs->neg.stop_re};
    int rc = 0;
    for (size_t i = 0; i < 3 && !rc; i++)
        rc = pattern_each(neg[i], fn, ctx);
    for (size_t i = 0; i < rs->n && !rc; i++) {
        const rule *r = rs->rules[i];
        rc = pattern_each(&r->re, fn, ctx);
        for (size_t k = 0; k < r->n_parts && !rc; k++)
            rc = pattern_each(&r->parts[k], fn, ctx);
        if (!rc)
            rc = pattern_each(&r->unless_re, fn, ctx);
    }
    return rc;
}

const char *rf_rules_prefilter(rf_rules *rs, size_t i)
{
    if (!rs || !rs->compiled || i >= rs->n)
        return NULL;
    rule *r = rs->rules[i];
    if (!r->prefilter)
        r->prefilter = describe_prefilter(r);
    return r->prefilter;
}

/* ---- names ---- */

const char *rf_severity_name(rf_severity s)
{
    switch (s) {
    case RF_LOW: return "low";
    case RF_MEDIUM: return "medium";
    case RF_HIGH: return "high";
    }
    return "?";
}

int rf_severity_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "low") == 0)
        return RF_LOW;
    if (strcmp(s, "medium") == 0)
        return RF_MEDIUM;
    if (strcmp(s, "high") == 0)
        return RF_HIGH;
    return -1;
}
