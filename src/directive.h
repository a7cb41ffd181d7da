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

/* One id a directive names, with the line it covers; id NULL: every rule. */
typedef struct directive_name {
    size_t from, to;
    const char *id; /* points into the text */
    size_t id_len;
    size_t d;       /* the directive, an index into items */
} directive_name;

typedef struct directives {
    directive *items; /* in text order */
    size_t n, cap;
    directive_name *names; /* by covered line, then id: for lookups */
    size_t n_names, cap_names;
} directives;

/* Finds every directive in text[0..len) into ds (zeroed first by the
 * caller). Returns 0, or -1 when out of memory. */
int directive_find(const char *text, size_t len, directives *ds);

/*
 * The first place in [from, to) where the keyword `redflag-disable`
 * starts in text[0..len), the whole keyword inside the text; `to` when
 * there is none. For a scan that looks through a text a part at a time.
 */
size_t directive_next(const char *text, size_t len, size_t from, size_t to);

/* directive_find, given every place where the keyword starts in the text,
 * in order: at[0..n), as directive_next finds them. */
int directive_find_at(const char *text, size_t len, const size_t *at,
                      size_t n, directives *ds);

/* The directive that turns rule `id` off for a hit starting at `pos` (the
 * first in text order when several do), or NULL. O(log n). */
const directive *directive_covering(const directives *ds, const char *text,
                                    const char *id, size_t pos);

void directives_free(directives *ds);

#endif
