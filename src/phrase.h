/* phrase.h - compile a phrase ("{unpaid|free} trial [day]") to a PCRE2 pattern. */
#ifndef RF_PHRASE_H
#define RF_PHRASE_H

#include <stddef.h>

#include "buf.h"
#include "lit.h"

/* What a space in a phrase becomes: any run of white space. */
#define PHRASE_SPACE "\\s+"

/*
 * Whole-word boundaries that also split "starterSkyNet": a letter or digit
 * next to the phrase edge must be absent, unless the edge falls between a
 * lower-case letter and an upper-case one. They only apply when the phrase
 * edge itself is a letter or digit, which the lookarounds test, so phrases
 * that start or end with punctuation ("100%") still match. A phrase's
 * pattern is PHRASE_EDGE_START "(?:" ... ")" PHRASE_EDGE_END.
 */
#define PHRASE_WORD "[\\p{L}\\p{N}]"
#define PHRASE_EDGE_START                                                  \
    "(?:(?!" PHRASE_WORD ")|(?<!" PHRASE_WORD ")|(?<=\\p{Ll})(?=\\p{Lu}))"
#define PHRASE_EDGE_END                                                    \
    "(?:(?<!" PHRASE_WORD ")|(?!" PHRASE_WORD ")|(?<=\\p{Ll})(?=\\p{Lu}))"

/*
 * Appends the PCRE2 pattern for `phrase` to out. The pattern assumes the
 * options UTF, CASELESS and UCP. Returns 0; or -1 for a phrase that is not
 * well formed, with a message in err and the byte offset of the problem in
 * *erroff.
 */
int phrase_compile(const char *phrase, buf *out, char *err, size_t errlen,
                   size_t *erroff);

/* phrase_compile that also summarises, in *lits (the caller frees it with
 * lit_sum_free), the literal words every match of the phrase contains.
 * *lits is only set when 0 is returned. */
int phrase_compile_lit(const char *phrase, buf *out, lit_sum *lits, char *err,
                       size_t errlen, size_t *erroff);

#endif
