/* rules.h - the rule set behind rf_rules: loading, validation, compiling. */
#ifndef RF_RULES_H
#define RF_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "redflag.h"

/* Strings read from a rule file, each with the line it came from. */
typedef struct strvec {
    char **items;
    int *lines;
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
    pcre2_code *re;        /* every phrase and regex of the rule */
    pcre2_code *unless_re; /* the unless phrases, or NULL */
} rule;

/* The negating words: one stanza `[@negation]` in any rule file. */
typedef struct negation {
    strvec phrases;
    strvec except;
    strvec stop;           /* words that end a negation's reach: "but" */
    int window;            /* words allowed between negator and match */
    pcre2_code *re;
    pcre2_code *except_re;
    pcre2_code *stop_re;
} negation;

struct rf_rules {
    rule **rules;
    size_t n;
    size_t cap;
    negation neg;
    int compiled;
};

/* The options every pattern is compiled with. */
#define RULES_PCRE2_OPTIONS                                                \
    (PCRE2_UTF | PCRE2_CASELESS | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF)

/* Default number of words a negator reaches forward. */
#define NEGATION_WINDOW 5

#endif
