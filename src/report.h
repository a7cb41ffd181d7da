/* report.h - what a person or a program reads: text, json, ndjson, tsv. */
#ifndef RF_REPORT_H
#define RF_REPORT_H

#include <stdio.h>

#include "redflag.h"

typedef enum report_format {
    FORMAT_TEXT,
    FORMAT_JSON,
    FORMAT_NDJSON,
    FORMAT_TSV
} report_format;

/* What is printed per document. */
typedef enum report_mode {
    MODE_FULL,      /* the format's full report */
    MODE_FLAGGED,   /* -l: names of documents with flags */
    MODE_UNFLAGGED, /* -L: names of documents without flags */
    MODE_COUNT,     /* -c: name:number of flags */
    MODE_QUIET      /* -q: nothing */
} report_mode;

typedef struct report_summary {
    size_t documents;
    size_t flagged;
    size_t errors;
    size_t skipped; /* binary files passed over in directories */
    size_t verdicts[4];
} report_summary;

typedef struct report {
    FILE *out;
    report_format format;
    report_mode mode;
    int color;
    int width;     /* text: columns to fit */
    size_t docs;   /* documents written so far */
    report_summary sum;
} report;

void report_begin(report *r);
/*
 * One document. res may be NULL when the document could not be read at
 * all; `error` (or NULL) says what went wrong, also when res holds partial
 * results.
 */
void report_document(report *r, const char *name, const rf_result *res,
                     const char *error);
void report_end(report *r);

#endif
