/*
 * directive.h - inline opt-outs written in a document.
 *
 * A line holding `redflag-disable ID...` turns those rules off on that line;
 * `redflag-disable-next-line ID...` on the line after it. Ids are separated
 * by commas or spaces and end at the first word that is not an id; with no
 * id at all, every rule is off there. The directive's own words never raise
 * a flag (its ids would otherwise match their own phrases).
 */
#ifndef RF_DIRECTIVE_H
#define RF_DIRECTIVE_H

#include <stddef.h>

typedef struct directive {
    size_t at;          /* where `redflag-disable` starts */
    size_t end;         /* where its id list ends */
    size_t from, to;    /* the line it covers: [from, to) */
    size_t ids, ids_end; /* the id list: text[ids..ids_end); empty = all */
} directive;

typedef struct directives {
    directive *items;
    size_t n, cap;
} directives;

/* Finds every directive in text[0..len) into ds (zeroed first by the
 * caller). Returns 0, or -1 when out of memory. */
int directive_find(const char *text, size_t len, directives *ds);

/* The directive that turns rule `id` off for a hit starting at `pos`, or
 * NULL. */
const directive *directive_covering(const directives *ds, const char *text,
                                    const char *id, size_t pos);

void directives_free(directives *ds);

#endif
