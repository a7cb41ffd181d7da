/*
 * precomp.c - looking up and decoding precompiled patterns (precomp.h).
 */
#include "precomp.h"

#include <stdlib.h>
#include <string.h>

void precomp_pcre2_now(precomp_pcre2 *out)
{
    memset(out, 0, sizeof(*out));
    /* each string fits: PCRE2 asks for 24 code units at most */
    pcre2_config(PCRE2_CONFIG_VERSION, out->version);
    pcre2_config(PCRE2_CONFIG_UNICODE_VERSION, out->unicode);
    pcre2_config(PCRE2_CONFIG_NEWLINE, &out->newline);
    pcre2_config(PCRE2_CONFIG_BSR, &out->bsr);
    pcre2_config(PCRE2_CONFIG_LINKSIZE, &out->link_size);
    pcre2_config(PCRE2_CONFIG_PARENSLIMIT, &out->parens_limit);
    pcre2_config(PCRE2_CONFIG_NEVER_BACKSLASH_C, &out->never_backslash_c);
}

/* Eight bytes at a time: each step, (h ^ w) * k with k odd, is one to one
 * in h and in w, so a changed word changes every state after it. Cheap
 * next to decoding. */
uint64_t precomp_sum(const unsigned char *bytes, size_t len)
{
    const uint64_t k = 0x9E3779B97F4A7C15ull;
    uint64_t h = k ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, bytes + i, 8);
        h = (h ^ w) * k;
    }
    uint64_t w = 0;
    for (size_t s = 0; i < len; i++, s += 8)
        w |= (uint64_t)bytes[i] << s;
    h = (h ^ w) * k;
    return h ^ (h >> 32);
}

/* bsearch's comparison for the indexes, sorted by their entries' first
 * member, a string (precomp_entry.src, precomp_lits.key). */
static int by_first_string(const void *key, const void *entry)
{
    return strcmp(key, *(const char *const *)entry);
}

const precomp_entry *precomp_find(const precomp_index *ix, const char *src)
{
    return ix && ix->n ? bsearch(src, ix->v, ix->n, sizeof(*ix->v),
                                 by_first_string)
                       : NULL;
}

pcre2_code *precomp_decode(const precomp_code *c)
{
    pcre2_code *code = NULL;
    /* pcre2_serialize_decode trusts the sizes inside the bytes: they are
     * checked as a whole first */
    if (!c->bytes || precomp_sum(c->bytes, c->len) != c->sum ||
        pcre2_serialize_decode(&code, 1, c->bytes, NULL) != 1)
        return NULL;
    return code;
}

static int same_pcre2(const precomp_pcre2 *a, const precomp_pcre2 *b)
{
    return strcmp(a->version, b->version) == 0 &&
           strcmp(a->unicode, b->unicode) == 0 && a->newline == b->newline &&
           a->bsr == b->bsr && a->link_size == b->link_size &&
           a->parens_limit == b->parens_limit &&
           a->never_backslash_c == b->never_backslash_c;
}

pcre2_code *precomp_code_of(const precomp_index *ix, const char *src,
                            int form)
{
    const precomp_entry *e = precomp_find(ix, src);
    if (!e)
        return NULL;
    /* Codes decode under another PCRE2 of the same version with other
     * defaults (a newline convention, say), but would not match as that
     * one's compiler would have them match. */
    precomp_pcre2 now;
    precomp_pcre2_now(&now);
    if (!same_pcre2(&now, &ix->pcre2))
        return NULL;
    return precomp_decode(&e->code[form]);
}

const precomp_lit_index *precomp_lits_in = &precomp_lit_builtin;

void (*precomp_lits_record)(int phrase, const char *key, const char *regex,
                            const lit_sum *s);

const precomp_lits *precomp_lits_find(int phrase, const char *key)
{
    const precomp_lit_index *ix = precomp_lits_in;
    if (!ix)
        return NULL;
    const precomp_lits *v = phrase ? ix->phrases : ix->regexes;
    size_t n = phrase ? ix->n_phrases : ix->n_regexes;
    return n ? bsearch(key, v, n, sizeof(*v), by_first_string) : NULL;
}
