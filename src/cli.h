/* cli.h - what the command line asked for, and running it. */
#ifndef RF_CLI_H
#define RF_CLI_H

#include <stddef.h>

#include "redflag.h"
#include "report.h"

/* Exit codes (SPEC.md). */
enum { EXIT_CLEAN = 0, EXIT_FLAGGED = 1, EXIT_ERROR = 2 };

/* --fail-on never */
#define FAIL_NEVER (-1)

typedef enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color_when;

typedef struct cli_opts {
    report_format format;
    int format_set;   /* given on the command line */
    report_mode mode;
    int fail_on;      /* lowest failing severity, or FAIL_NEVER */
    int fail_on_set;  /* given on the command line */
    int fail_score;   /* -1 = not set */
    const char **rule_paths;
    size_t n_rule_paths;
    int no_default_rules;
    int list_rules;
    const char *explain;
    int test_rules;
    int debug_prefilter;
    int jobs;         /* files scanned at once; 0 = one per core */
    color_when color;
    const char *stdin_name;    /* reported for standard input; NULL = "-" */
    const char *config_path;   /* --config; NULL = look for .redflag.conf */
    int no_config;             /* --no-config */
    const char *const *inputs; /* none = standard input */
    size_t n_inputs;
    rf_input input;            /* how inputs are read (--input) */
    const char *const *fields; /* record fields to scan (--field) */
    size_t n_fields;
    rf_scan_opts scan;
    size_t max_input; /* largest document read, in bytes */
} cli_opts;

/* The default of --max-input-size: 256 MiB. */
#define DEFAULT_MAX_INPUT ((size_t)256 << 20)

/* Runs everything but option parsing: reads the configuration (config.h),
 * loads the rules, scans, reports; returns the exit code. */
int cli_run(const cli_opts *o);

/* Option values, shared by the command line and the configuration file.
 * Each returns -1 when s is not one of them. */
int cli_parse_format(const char *s);             /* text, json, ... */
int cli_parse_fail_on(const char *s, int *level); /* low..high, never */
int cli_parse_score(const char *s, int *score);   /* 0..100 */

#endif
