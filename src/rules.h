/* rules.h - the rule set behind rf_rules: loading, validation, compiling. */
#ifndef RF_RULES_H
#define RF_RULES_H

#include "litset.h"
#include "matcher.h"
#include "redflag.h"

/* Strings read from a rule file, each with the line it came from. */
typedef struct strvec {
    char **items;
    int *lines;   /* in the block of items */
    size_t n;
    size_t cap;
} strvec;

typedef struct rule {
    rf_rule pub;       /* what the API shows; its arrays point into the vecs */
    strvec phrases;
    strvec regexes;
    strvec unless;
    strvec matches;
    strvec nomatches;
    pattern re;            /* every phrase and regex of the rule */
    pattern *parts;        /* each phrase and regex alone, when all have
                              literals and there are two or more */
    size_t n_parts;
    size_t first_part;     /* the index of parts[0] among all rules' parts */

    pattern unless_re;     /* the unless phrases (src NULL when none) */
    char *prefilter;       /* how the fast matcher finds it (rf_rules_prefilter) */
} rule;

/* The negating words: one stanza `[@negation]` in any rule file. */
typedef struct negation {
    strvec phrases;
    strvec except;
    strvec stop;           /* words that end a negation's reach: "but" */
    int window;            /* words allowed between negator and match */
    pattern re;            /* each src NULL when there are none */
    pattern except_re;
    pattern stop_re;
} negation;

struct rf_rules {
    rule **rules;
    size_t n;
    size_t cap;
    negation neg;
    int compiled;
    litset *prefilter;     /* every rule's literals; owner = part index */
    size_t n_parts;        /* parts of all rules; a rule without parts
                              counts as one */
    const pattern **part_pat; /* the pattern of each part */
    /* Looked at for every document, so kept apart from the patterns (a
     * miss in the cache for each of hundreds of patterns otherwise): per
     * part, how its companion is checked (PART_*); per rule, whether its
     * pattern has no literal to look for, so that it is always searched. */
    unsigned char *part_check;
    unsigned char *no_lits;
};

enum { PART_KEEP, PART_NEAR, PART_ALL };

/*
 * Calls fn(p, ctx) for every pattern the scanner may compile for the rule
 * set (pattern_each of each: the negating words, each rule's whole
 * pattern, its parts and its exceptions), after rf_rules_compile. The
 * same source may come more than once. Stops at the first fn that does
 * not return 0 and returns that; else 0.
 */
int rules_each_pattern(const rf_rules *rs, pattern_visit fn, void *ctx);

/* The options every pattern is compiled with. */
#define RULES_PCRE2_OPTIONS MATCHER_PCRE2_OPTIONS

/* Default number of words a negator reaches forward. */
#define NEGATION_WINDOW 5

#endif
