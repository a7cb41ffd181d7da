/* main.c - options in, exit code out; the work is in cli.c and the library. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: redflag [OPTION]... [FILE|DIR]...\n"
    "Reports the red flags in job postings: unpaid working interviews,\n"
    "commission-only pay, hustle talk, guilt, scams. With no FILE, or when\n"
    "FILE is -, reads standard input. Directories are walked recursively.\n"
    "\n"
    "Output:\n"
    "  -f, --format=FMT        text (default), json, ndjson, tsv or sarif\n"
    "  -l, --files-with-flags  print only the names of documents with flags\n"
    "  -L, --files-without-flags  print only the names of documents without\n"
    "  -c, --count             print NAME:NUMBER-OF-FLAGS per document\n"
    "  -q, --quiet             print nothing; only the exit code tells\n"
    "      --summary-only      print only the summary of the run\n"
    "      --color=WHEN        auto (default), always or never; NO_COLOR is\n"
    "                          honoured with auto\n"
    "\n"
    "Exit status:\n"
    "      --fail-on=LEVEL     exit 1 when a flag is at least LEVEL: low,\n"
    "                          medium (default), high, or never\n"
    "      --fail-score=N      exit 1 when a document scores N or more\n"
    "\n"
    "Rules:\n"
    "  -r, --rules=PATH        add a rule file, or every *.rules in a folder\n"
    "                          (repeatable)\n"
    "      --no-default-rules  leave out the built-in rules\n"
    "      --list-rules        print id, category, severity and title per rule\n"
    "      --explain=ID        print everything about one rule\n"
    "      --test-rules        check every rule against its examples\n"
    "      --debug-prefilter   print how each rule is looked for: its literals,\n"
    "                          or every-byte for a rule that has none\n"
    "\n"
    "Speed:\n"
    "  -j, --jobs=N            scan N files at once (default: one per core),\n"
    "                          and a big file with N threads; the output is\n"
    "                          the same for every N\n"
    "      --matcher=WHICH     fast (default) or reference: match every rule\n"
    "                          over every byte, to check the fast matcher\n"
    "\n"
    "Input:\n"
    "      --input=FORMAT      how to read inputs: auto (default: HTML for\n"
    "                          .html and .htm, or when the content looks like\n"
    "                          HTML; text otherwise), text, html, csv, ndjson\n"
    "      --field=NAME[,NAME]...  the fields to scan in each csv or ndjson\n"
    "                          record; each record is a document FILE:N\n"
    "      --stdin-filename=NAME  the name reported for standard input\n"
    "\n"
    "Configuration:\n"
    "      --config=FILE       read settings from FILE instead of the\n"
    "                          .redflag.conf found from here upwards\n"
    "      --no-config         read no configuration file\n"
    "\n"
    "Limits:\n"
    "      --max-evidence=N    evidence kept per rule and document (20)\n"
    "      --context=N         bytes of context each side of a match (40,\n"
    "                          at most 10000)\n"
    "      --match-limit=N     PCRE2 match limit per attempt (1000000, or\n"
    "                          32 per byte of a longer document)\n"
    "      --max-input-size=N  largest document read, in bytes; K, M, G\n"
    "                          suffixes (256M)\n"
    "\n"
    "  -h, --help              print this help and exit\n"
    "  -V, --version           print the version and exit\n"
    "\n"
    "Exit codes: 0 no flag at the fail level, 1 at least one, 2 an error.\n";

static void usage_error(const char *msg, const char *arg)
{
    if (msg)
        fprintf(stderr, "redflag: %s%s%s\n", msg, arg ? ": " : "",
                arg ? arg : "");
    fputs("Try 'redflag --help' for more information.\n", stderr);
}

/* A whole number from 1 to max, with an optional K, M or G (powers of
 * 1024) when `suffix` is set. */
static int parse_size(const char *s, unsigned long long max, int suffix,
                      size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    unsigned long long unit = 1;
    if (suffix && *end && !end[1]) {
        const char *units = "KMGkmg", *u = strchr(units, *end);
        if (u) {
            unit = 1ULL << (10 * ((u - units) % 3 + 1));
            end++;
        }
    }
    if (*s < '0' || *s > '9' || *end || errno || v == 0 || v > max / unit)
        return -1;
    *out = (size_t)(v * unit);
    return 0;
}

enum {
    OPT_COLOR = 256, OPT_FAIL_ON, OPT_FAIL_SCORE, OPT_NO_DEFAULT, OPT_LIST,
    OPT_EXPLAIN, OPT_TEST, OPT_MAX_EVIDENCE, OPT_CONTEXT, OPT_SUMMARY_ONLY,
    OPT_STDIN_FILENAME, OPT_CONFIG, OPT_NO_CONFIG, OPT_INPUT, OPT_FIELD,
    OPT_DEBUG_PREFILTER, OPT_MATCHER,
    OPT_MATCH_LIMIT, OPT_MAX_INPUT
};

/*
 * Splits "title,description" into o->fields, in a copy the caller frees
 * (*names). Returns -1 for an empty name or when out of memory.
 */
static int parse_fields(const char *arg, cli_opts *o, char **names)
{
    size_t n = 1;
    for (const char *p = arg; *p; p++)
        n += *p == ',';
    char *copy = strdup(arg);
    const char **v = calloc(n, sizeof(*v));
    if (!copy || !v) {
        free(copy);
        free(v);
        return -1;
    }
    size_t k = 0;
    for (char *p = copy, *next; p; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        v[k++] = p;
        if (*p == '\0') {
            free(copy);
            free(v);
            return -1;
        }
    }
    free(*names);
    free((void *)o->fields);
    *names = copy;
    o->fields = v;
    o->n_fields = k;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"files-with-flags", no_argument, NULL, 'l'},
        {"files-without-flags", no_argument, NULL, 'L'},
        {"count", no_argument, NULL, 'c'},
        {"quiet", no_argument, NULL, 'q'},
        {"summary-only", no_argument, NULL, OPT_SUMMARY_ONLY},
        {"stdin-filename", required_argument, NULL, OPT_STDIN_FILENAME},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"no-config", no_argument, NULL, OPT_NO_CONFIG},
        {"color", optional_argument, NULL, OPT_COLOR},
        {"colour", optional_argument, NULL, OPT_COLOR},
        {"fail-on", required_argument, NULL, OPT_FAIL_ON},
        {"fail-score", required_argument, NULL, OPT_FAIL_SCORE},
        {"rules", required_argument, NULL, 'r'},
        {"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT},
        {"list-rules", no_argument, NULL, OPT_LIST},
        {"explain", required_argument, NULL, OPT_EXPLAIN},
        {"test-rules", no_argument, NULL, OPT_TEST},
        {"max-evidence", required_argument, NULL, OPT_MAX_EVIDENCE},
        {"context", required_argument, NULL, OPT_CONTEXT},
        {"input", required_argument, NULL, OPT_INPUT},
        {"field", required_argument, NULL, OPT_FIELD},
        {"debug-prefilter", no_argument, NULL, OPT_DEBUG_PREFILTER},
        {"matcher", required_argument, NULL, OPT_MATCHER},
        {"jobs", required_argument, NULL, 'j'},
        {"match-limit", required_argument, NULL, OPT_MATCH_LIMIT},
        {"max-input-size", required_argument, NULL, OPT_MAX_INPUT},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    cli_opts o;
    char *field_names = NULL;
    memset(&o, 0, sizeof(o));
    o.fail_on = RF_MEDIUM;
    o.fail_score = -1;
    o.max_input = DEFAULT_MAX_INPUT;
    o.rule_paths = calloc((size_t)argc, sizeof(char *));
    if (!o.rule_paths) {
        fputs("redflag: out of memory\n", stderr);
        return EXIT_ERROR;
    }
    int c, rc, fmt;
    while ((c = getopt_long(argc, argv, "f:lLcqr:j:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if ((fmt = cli_parse_format(optarg)) < 0) {
                usage_error("unknown format (text, json, ndjson, tsv, sarif)",
                            optarg);
                rc = EXIT_ERROR;
                goto out;
            }
            o.format = (report_format)fmt;
            o.format_set = 1;
            break;
        case 'l': o.mode = MODE_FLAGGED; break;
        case 'L': o.mode = MODE_UNFLAGGED; break;
        case 'c': o.mode = MODE_COUNT; break;
        case 'q': o.mode = MODE_QUIET; break;
        case OPT_SUMMARY_ONLY: o.mode = MODE_SUMMARY; break;
        case OPT_STDIN_FILENAME: o.stdin_name = optarg; break;
        case OPT_CONFIG:
            o.config_path = optarg;
            o.no_config = 0;
            break;
        case OPT_NO_CONFIG:
            o.config_path = NULL;
            o.no_config = 1;
            break;
        case OPT_COLOR:
            if (!optarg || strcmp(optarg, "always") == 0)
                o.color = COLOR_ALWAYS;
            else if (strcmp(optarg, "never") == 0)
                o.color = COLOR_NEVER;
            else if (strcmp(optarg, "auto") == 0)
                o.color = COLOR_AUTO;
            else {
                usage_error("--color takes auto, always or never", optarg);
                rc = EXIT_ERROR;
                goto out;
            }
            break;
        case OPT_FAIL_ON:
            o.fail_on_set = 1;
            if (cli_parse_fail_on(optarg, &o.fail_on)) {
                usage_error("--fail-on takes low, medium, high or never", optarg);
                rc = EXIT_ERROR;
                goto out;
            }
            break;
        case OPT_FAIL_SCORE:
            if (cli_parse_score(optarg, &o.fail_score)) {
                usage_error("--fail-score takes a number from 0 to 100", optarg);
                rc = EXIT_ERROR;
                goto out;
            }
            break;
        case 'r': o.rule_paths[o.n_rule_paths++] = optarg; break;
        case OPT_NO_DEFAULT: o.no_default_rules = 1; break;
        case OPT_LIST: o.list_rules = 1; break;
        case OPT_EXPLAIN: o.explain = optarg; break;
        case OPT_TEST: o.test_rules = 1; break;
        case OPT_DEBUG_PREFILTER: o.debug_prefilter = 1; break;
        case OPT_MATCHER:
            if (strcmp(optarg, "reference") == 0)
                o.scan.flags |= RF_SCAN_REFERENCE;
            else if (strcmp(optarg, "fast") == 0)
                o.scan.flags &= ~RF_SCAN_REFERENCE;
            else {
                usage_error("--matcher takes fast or reference", optarg);
                rc = EXIT_ERROR;
                goto out;
            }
            break;
        case 'j': {
            size_t n;
            if (parse_size(optarg, 1024, 0, &n)) {
                usage_error("--jobs takes a number from 1 to 1024", optarg);
                rc = EXIT_ERROR;
                goto out;
            }
            o.jobs = (int)n;
            break;
        }
        case OPT_MAX_EVIDENCE:
            if (parse_size(optarg, 100000000, 0, &o.scan.max_evidence)) {
                usage_error("--max-evidence takes a number from 1 to 100000000",
                            optarg);
                rc = EXIT_ERROR;
                goto out;
            }
            break;
        case OPT_CONTEXT:
            if (parse_size(optarg, 10000, 0, &o.scan.context_width)) {
                usage_error("--context takes a number from 1 to 10000", optarg);
                rc = EXIT_ERROR;
                goto out;
            }
            break;
        case OPT_MATCH_LIMIT: {
            size_t v;
            if (parse_size(optarg, UINT32_MAX, 0, &v)) {
                usage_error("--match-limit takes a number from 1 to 4294967295",
                            optarg);
                rc = EXIT_ERROR;
                goto out;
            }
            o.scan.match_limit = (unsigned long)v;
            break;
        }
        case OPT_MAX_INPUT:
            if (parse_size(optarg, SIZE_MAX / 2, 1, &o.max_input)) {
                usage_error("--max-input-size takes a size such as 512M or 2G",
                            optarg);
                rc = EXIT_ERROR;
                goto out;
            }
            break;
        case OPT_INPUT: {
            int in = rf_input_parse(optarg);
            if (in < 0) {
                usage_error("--input takes auto, text, html, csv or ndjson",
                            optarg);
                rc = EXIT_ERROR;
                goto out;
            }
            o.input = (rf_input)in;
            break;
        }
        case OPT_FIELD:
            if (parse_fields(optarg, &o, &field_names)) {
                usage_error("--field takes names separated by commas", optarg);
                rc = EXIT_ERROR;
                goto out;
            }
            break;
        case 'h':
            fputs(usage_text, stdout);
            rc = fflush(stdout) || ferror(stdout) ? EXIT_ERROR : EXIT_CLEAN;
            goto out;
        case 'V':
            printf("redflag %s\n", RF_VERSION);
            rc = fflush(stdout) || ferror(stdout) ? EXIT_ERROR : EXIT_CLEAN;
            goto out;
        default:
            usage_error(NULL, NULL);
            rc = EXIT_ERROR;
            goto out;
        }
    }
    int records = o.input == RF_INPUT_CSV || o.input == RF_INPUT_NDJSON;
    if (records != (o.n_fields > 0)) {
        usage_error(records ? "--input csv and ndjson need --field NAME"
                            : "--field needs --input csv or --input ndjson",
                    NULL);
        rc = EXIT_ERROR;
        goto out;
    }
    if (o.fail_score >= 0 && !o.fail_on_set)
        o.fail_on = FAIL_NEVER; /* --fail-score alone decides */
    o.inputs = (const char *const *)argv + optind;
    o.n_inputs = (size_t)(argc - optind);
    if (o.n_inputs == 0 && !o.list_rules && !o.explain && !o.test_rules &&
        !o.debug_prefilter && isatty(STDIN_FILENO)) {
        /* Nothing piped in: say how to use it instead of waiting. */
        fputs("redflag: reading a posting from the terminal; paste it and "
              "press Ctrl-D,\nor give a file: redflag posting.txt "
              "(redflag --help for more)\n",
              stderr);
    }
    rc = cli_run(&o);
out:
    free(o.rule_paths);
    free((void *)o.fields);
    free(field_names);
    return rc;
}
