/* phrase.h - compile a phrase ("{unpaid|free} trial [day]") to a PCRE2 pattern. */
#ifndef RF_PHRASE_H
#define RF_PHRASE_H

#include <stddef.h>

#include "buf.h"

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

#endif
