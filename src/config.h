/*
 * config.h - a project's settings in `.redflag.conf`.
 *
 * The file is found in the current folder or the nearest parent that has
 * one; the search stops at the top of a git repository (a folder holding
 * .git) and at the filesystem root. It holds `key = value` lines and `#`
 * comments, like the rule files:
 *
 *   rules            = team.rules        (repeatable; relative to the file)
 *   default-rules    = no                (leave the built-in rules out)
 *   disable          = fast-paced, rockstar   (repeatable)
 *   disable-category = hustle            (repeatable)
 *   severity.ID      = low | medium | high
 *   fail-on          = low | medium | high | never
 *   fail-score       = 0..100
 *   format           = text | json | ndjson | tsv | sarif
 *
 * Command-line options win over the file. Errors are "file:line: message".
 */
#ifndef RF_CONFIG_H
#define RF_CONFIG_H

#include "cli.h"

typedef enum config_key {
    CONF_RULES,
    CONF_DEFAULT_RULES,
    CONF_DISABLE,
    CONF_DISABLE_CATEGORY,
    CONF_SEVERITY,
    CONF_FAIL_ON,
    CONF_FAIL_SCORE,
    CONF_FORMAT
} config_key;

typedef struct config_entry {
    config_key key;
    char *value;  /* CONF_RULES: the path as it resolves from here;
                     CONF_SEVERITY: the rule id */
    int number;   /* parsed: severity, fail level, score, format, yes/no */
    int line;
} config_entry;

typedef struct config {
    char *file;           /* the file read; NULL when there is none */
    config_entry *entries; /* in file order */
    size_t n, cap;
} config;

/*
 * The .redflag.conf that applies from the folder `start` (a path, "" or
 * "." for the current folder): `start` itself or the nearest parent, not
 * past a folder holding .git. Returns a path the caller frees (relative
 * when start is), or NULL when there is none or memory ran out.
 */
char *config_find(const char *start);

/* Reads and checks one file into c (zeroed by the caller). Returns 0, or
 * -1 with err = "file:line: message". */
int config_load(config *c, const char *path, rf_error *err);

/* Adds the `rules` files to rs, in file order. */
int config_add_rules(const config *c, rf_rules *rs, rf_error *err);

/* Applies disable, disable-category and severity.ID to rs; an unknown id
 * or category is "file:line: no rule 'x'". */
int config_adjust_rules(const config *c, rf_rules *rs, rf_error *err);

/* Copies the file's format, fail level and default-rules into o where the
 * command line did not set them. */
void config_apply(const config *c, cli_opts *o);

void config_free(config *c);

#endif
