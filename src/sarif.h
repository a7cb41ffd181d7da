/*
 * sarif.h - SARIF 2.1.0 (OASIS): one run whose tool lists every rule as a
 * reportingDescriptor, one result per piece of evidence (suppressed ones
 * with a `suppressions` entry), documents that could not be read as
 * notifications, and the summary in the run's properties.
 */
#ifndef RF_SARIF_H
#define RF_SARIF_H

#include <stdio.h>

#include "report.h"

void sarif_begin(report *r);
void sarif_document(report *r, const char *name, const rf_result *res,
                    const char *error);
void sarif_end(report *r);

/* Writes path as a JSON string holding a URI reference: an absolute path
 * becomes file:///..., a relative one stays relative; every byte but
 * letters, digits, '-', '.', '_', '~' and '/' is percent-encoded. */
void sarif_uri(FILE *out, const char *path);

#endif
