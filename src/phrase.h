/* phrase.h - compile a phrase ("{unpaid|free} trial [day]") to a PCRE2 pattern. */
#ifndef RF_PHRASE_H
#define RF_PHRASE_H

#include <stddef.h>

#include "buf.h"
#include "lit.h"

/* What a space in a phrase becomes: any run of white space. */
#define PHRASE_SPACE "\\s+"

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
