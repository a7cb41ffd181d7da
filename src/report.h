/* report.h - what a person or a program reads: text, json, ndjson, tsv,
 * sarif, and the summary of a batch. */
#ifndef RF_REPORT_H
#define RF_REPORT_H

#include <stdio.h>

#include "buf.h"
#include "redflag.h"

typedef enum report_format {
    FORMAT_TEXT,
    FORMAT_JSON,
    FORMAT_NDJSON,
    FORMAT_TSV,
    FORMAT_SARIF
} report_format;

/* What is printed per document. */
typedef enum report_mode {
    MODE_FULL,      /* the format's full report */
    MODE_FLAGGED,   /* -l: names of documents with flags */
    MODE_UNFLAGGED, /* -L: names of documents without flags */
    MODE_COUNT,     /* -c: name:number of flags */
    MODE_QUIET,     /* -q: nothing */
    MODE_SUMMARY    /* --summary-only: the summary, in the format */
} report_mode;

/* How many documents one rule flagged. */
typedef struct rule_count {
    const rf_rule *rule; /* owned by the rule set */
    size_t documents;
} rule_count;

typedef struct report_summary {
    size_t documents;
    size_t flagged;
    size_t errors;
    size_t skipped; /* binary files passed over in directories */
    size_t verdicts[4];
    rule_count *rules; /* rules that flagged at least one document */
    size_t n_rules, cap_rules;
} report_summary;

typedef struct report {
    FILE *out;
    report_format format;
    report_mode mode;
    int color;
    int width;     /* text: columns to fit */
    int hold;      /* ndjson: do not flush after each document; the
                      caller flushes (default 0: flush each) */
    size_t docs;   /* documents written so far */
    report_summary sum;
    const rf_rules *rules; /* sarif lists every rule; may be NULL */
    buf sarif_errors;      /* sarif: "name\0error\0" for each error, written
                              at the end as notifications */
    size_t sarif_results;  /* sarif: results written so far */
} report;

/* The summary rows, most frequent rule first: `rules` above, sorted. */
void report_sort_rules(report_summary *s);
/* The summary as a JSON object: documents, flagged, errors, skipped,
 * verdicts {clean, low, elevated, high}, rules {id: documents}. */
void report_json_summary(FILE *out, report_summary *s);

/* Writes s with each control character as a space: text that quotes a
 * document (a reason, an error) must not move a terminal's cursor. */
void report_plain(FILE *out, const char *s);

void report_begin(report *r);
/*
 * One document. res may be NULL when the document could not be read at
 * all; `error` (or NULL) says what went wrong, also when res holds partial
 * results.
 */
void report_document(report *r, const char *name, const rf_result *res,
                     const char *error);
/* Ends the report (the summary, closing brackets) and frees what it held. */
void report_end(report *r);

#endif
