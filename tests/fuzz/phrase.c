/*
 * phrase.c - fuzzes the phrase compiler. Property: whatever phrase_compile
 * accepts, PCRE2 compiles; whatever it rejects has a message and an offset
 * inside the phrase.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "phrase.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *phrase = malloc(size + 1);
    if (!phrase)
        return 0;
    memcpy(phrase, data, size);
    phrase[size] = '\0'; /* a phrase is a C string: it ends at a NUL */
    buf out = BUF_INIT;
    char msg[200] = "";
    size_t off = (size_t)-1;
    if (phrase_compile(phrase, &out, msg, sizeof(msg), &off) == 0) {
        int ec;
        PCRE2_SIZE eo;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)out.data, out.len,
                                       RULES_PCRE2_OPTIONS, &ec, &eo, NULL);
        if (!re)
            abort(); /* the compiler wrote a pattern PCRE2 rejects */
        pcre2_code_free(re);
    } else if (!out.oom && (msg[0] == '\0' || off > strlen(phrase))) {
        abort(); /* a rejection must say what and where */
    }
    buf_free(&out);
    free(phrase);
    return 0;
}
