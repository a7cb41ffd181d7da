/*
 * precomp.h - the built-in rules' patterns, compiled when the library was
 * built, for pattern_code to decode instead of compiling them.
 *
 * tools/precompile.c loads the built-in rules as the program does, compiles
 * every pattern the scanner may compile for them (rules_each_pattern) in
 * both forms, and writes their codes, as pcre2_serialize_encode gives them,
 * to build/precompiled.c: the index precomp_builtin. An index is read-only
 * data, sorted by source, so a look-up is a binary search that any number
 * of threads may do at once.
 *
 * A code is only used when the PCRE2 found at run time is the version, and
 * has the defaults, of the one it was compiled with, and when its bytes are
 * as they were written; otherwise the caller compiles the pattern, as it
 * does for any pattern not in the index (the user's rules).
 */
#ifndef RF_PRECOMP_H
#define RF_PRECOMP_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "lit.h"

/* What a compiled code depends on besides its source and options: the
 * library's version and the defaults it was built with. */
typedef struct precomp_pcre2 {
    char version[32];  /* PCRE2_CONFIG_VERSION */
    char unicode[32];  /* PCRE2_CONFIG_UNICODE_VERSION */
    uint32_t newline, bsr, link_size, parens_limit, never_backslash_c;
} precomp_pcre2;

/* One compiled form of a pattern, serialised. */
typedef struct precomp_code {
    const unsigned char *bytes; /* NULL when it did not compile */
    size_t len;
    uint64_t sum;               /* precomp_sum(bytes, len) */
} precomp_code;

typedef struct precomp_entry {
    const char *src;            /* the pattern's source, exactly */
    precomp_code code[2];       /* in form PAT_ANY and PAT_VALID */
} precomp_entry;

typedef struct precomp_index {
    precomp_pcre2 pcre2;        /* the PCRE2 the codes were compiled with */
    const precomp_entry *v;     /* sorted by src (strcmp), no two alike */
    size_t n;
} precomp_index;

/* The built-in rules' index (build/precompiled.c). */
extern const precomp_index precomp_builtin;

/* The version and defaults of the PCRE2 this process runs with. */
void precomp_pcre2_now(precomp_pcre2 *out);

/* A checksum of bytes[0..len), to tell codes that were changed. */
uint64_t precomp_sum(const unsigned char *bytes, size_t len);

/* The entry of ix for source src, or NULL; ix may be NULL. */
const precomp_entry *precomp_find(const precomp_index *ix, const char *src);

/*
 * The code c holds, decoded (the caller frees it with pcre2_code_free);
 * NULL when there is none, when its bytes do not match its checksum, or
 * when this PCRE2 cannot decode them (a different version or build:
 * PCRE2_ERROR_BADMAGIC, PCRE2_ERROR_BADMODE, ...) or is out of memory.
 */
pcre2_code *precomp_decode(const precomp_code *c);

/*
 * The code of source src in form (PAT_ANY, PAT_VALID) from ix, decoded;
 * NULL when ix does not have it, was made with a PCRE2 other than this
 * one, or does not decode: then the caller compiles src.
 */
pcre2_code *precomp_code_of(const precomp_index *ix, const char *src,
                            int form);

/*
 * The built-in rules' literal summaries, worked out at build time too: a
 * phrase's regex and summary (phrase_compile_lit), a regex's summary
 * (lit_from_regex), which those functions copy instead of working them out
 * again (two thirds of loading the rules). Each list is sorted by key
 * (strcmp); a summary's literals are static data.
 */
typedef struct precomp_lits {
    const char *key;   /* the phrase or the regex, exactly */
    const char *regex; /* a phrase's regex; NULL for a regex */
    lit_sum sum;
} precomp_lits;

typedef struct precomp_lit_index {
    const precomp_lits *phrases;
    size_t n_phrases;
    const precomp_lits *regexes;
    size_t n_regexes;
} precomp_lit_index;

/* The built-in rules' summaries (build/precompiled.c). */
extern const precomp_lit_index precomp_lit_builtin;

/* Where phrase_compile_lit and lit_from_regex look: &precomp_lit_builtin,
 * or NULL to work every summary out (the tests compare the two). */
extern const precomp_lit_index *precomp_lits_in;

/* The entry of precomp_lits_in for a phrase (or a regex), or NULL. */
const precomp_lits *precomp_lits_find(int phrase, const char *key);

/* When set (tools/precompile.c), called with each summary worked out: s
 * for key, with a phrase's regex. */
extern void (*precomp_lits_record)(int phrase, const char *key,
                                   const char *regex, const lit_sum *s);

#endif
