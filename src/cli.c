/*
 * cli.c - load the rules, scan every input, report, and decide the exit
 * code. A document that cannot be read is reported and remembered; the
 * others are still scanned.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "config.h"
#include "walk.h"

typedef struct run {
    const cli_opts *o;
    rf_rules *rs;
    report rep;
    batch *batch;
    walker *w;
    double last_flush; /* ms */
    int failed;    /* a document reached the fail level */
    int errored;   /* something could not be read or scanned */
    int out_errno; /* why writing the output failed; 0 while it works */
} run;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Streaming formats show each document soon after it is done, without a
 * write per document: the output is flushed at least every FLUSH_MS, and
 * whenever the scan waits. */
#define FLUSH_MS 50.0

static void flush_now_and_then(run *r)
{
    double t = now_ms();
    if (t - r->last_flush >= FLUSH_MS) {
        fflush(r->rep.out);
        r->last_flush = t;
    }
}

/* "redflag: PATH: why" on stderr; a why that quotes a document (a CSV
 * header) has its control characters as spaces. */
static void warn(const char *path, const char *why)
{
    fprintf(stderr, "redflag: %s: ", path);
    report_plain(stderr, why);
    putc('\n', stderr);
}

/* A scan's errors, "; "-separated, one line each: "redflag: PATH: rule ID:
 * match limit exceeded". */
static void warn_each(const char *path, const char *errors)
{
    for (const char *p = errors; *p;) {
        const char *end = strstr(p, "; ");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        fprintf(stderr, "redflag: %s: %.*s\n", path, (int)n, p);
        p += n + (end ? 2 : 0);
    }
}

/* Once the output cannot be written (a full disk, a closed pipe), the
 * walk stops: nothing else could be reported. */
static void check_output(run *r)
{
    if (!r->out_errno && ferror(r->rep.out)) {
        r->out_errno = errno ? errno : EIO;
        if (r->w)
            r->w->stop = 1;
    }
}

/* "256 MiB" for a limit that is a whole number of them. */
static void size_text(size_t n, char *out, size_t len)
{
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (u < 4 && n >= 1024 && n % 1024 == 0) {
        n /= 1024;
        u++;
    }
    snprintf(out, len, "%zu %s", n, units[u]);
}

static int reaches_fail_level(const cli_opts *o, const rf_result *res)
{
    if (o->fail_score >= 0 && rf_result_score(res) >= o->fail_score)
        return 1;
    if (o->fail_on == FAIL_NEVER)
        return 0;
    for (size_t i = 0; i < rf_result_flag_count(res); i++)
        if ((int)rf_result_flag(res, i)->rule->severity >= o->fail_on)
            return 1;
    return 0;
}

/*
 * Scanning runs in worker threads (batch.h): each input becomes a list of
 * documents with their results, reported by emit_input in input order.
 */

static void scan_one(const run *r, batch_worker *w, batch_item *it,
                     const char *name, const rf_source *doc)
{
    rf_error err = {0, ""};
    rf_result *res = rf_scanner_scan(w->scanner, doc, &r->o->scan, &err);
    batch_item_add_doc(it, name, res, res ? rf_result_error(res) : err.message);
}

/* A whole file, as text or HTML. */
static void scan_file(const run *r, batch_worker *w, batch_item *it,
                      const char *name, const char *data, size_t len,
                      rf_input in)
{
    rf_error err = {0, ""};
    rf_doc *doc = rf_doc_new_threads(data, len, in, r->o->scan.threads, &err);
    if (!doc) {
        batch_item_add_doc(it, name, NULL, err.message);
        return;
    }
    scan_one(r, w, it, name, rf_doc_source(doc));
    rf_doc_free(doc);
}

/* A CSV or NDJSON file: each record is a document NAME:N. */
static void scan_records(const run *r, batch_worker *w, batch_item *it,
                         const char *name, const char *data, size_t len,
                         rf_input in)
{
    rf_error err = {0, ""};
    rf_records *recs = rf_records_new(data, len, in, r->o->fields,
                                      r->o->n_fields, &err);
    if (!recs) {
        batch_item_add_doc(it, name, NULL, err.message);
        return;
    }
    size_t cap = strlen(name) + 24; /* ":" and a record number */
    char *recname = malloc(cap);
    rf_record rec;
    int rc = recname ? 1 : -1;
    if (!recname)
        snprintf(err.message, sizeof(err.message), "out of memory");
    while (rc > 0 && (rc = rf_records_next(recs, &rec, &err)) > 0) {
        snprintf(recname, cap, "%s:%zu", name, rec.number);
        if (rec.source)
            scan_one(r, w, it, recname, rec.source);
        else
            batch_item_add_doc(it, recname, NULL, rec.error);
    }
    if (rc < 0)
        batch_item_add_doc(it, name, NULL, err.message);
    free(recname);
    rf_records_free(recs);
}

/* Reads, converts and scans one input; runs in any worker thread. */
static void work_input(void *ctx, batch_worker *w, batch_item *it)
{
    const run *r = ctx;
    const char *path = it->path, *name = path;
    if (strcmp(path, "-") == 0 && r->o->stdin_name)
        name = r->o->stdin_name;
    walk_data d;
    int rc = walk_load(path, r->o->max_input, it->regular, &w->data, &d);
    if (rc == EFBIG) {
        char lim[32], why[96];
        size_text(r->o->max_input, lim, sizeof(lim));
        snprintf(why, sizeof(why),
                 "larger than %s (--max-input-size raises the limit)", lim);
        batch_item_add_doc(it, name, NULL, why);
        return;
    }
    if (rc) {
        batch_item_add_doc(it, name, NULL, strerror(rc));
        return;
    }
    if (!it->named && walk_is_binary(d.data, d.len)) {
        it->skipped = 1;
    } else {
        rf_input in = r->o->input;
        if (in == RF_INPUT_AUTO)
            in = rf_input_detect(strcmp(path, "-") ? path : r->o->stdin_name,
                                 d.data, d.len);
        if (in == RF_INPUT_CSV || in == RF_INPUT_NDJSON)
            scan_records(r, w, it, name, d.data, d.len, in);
        else
            scan_file(r, w, it, name, d.data, d.len, in);
    }
    walk_unload(&d);
}

/* Reports one input's documents, in input order: on stdout, and on
 * stderr for those that could not be read or scanned. */
static void emit_input(void *ctx, const batch_item *it)
{
    run *r = ctx;
    if (it->skipped)
        r->rep.sum.skipped++;
    for (size_t i = 0; i < it->n_docs; i++) {
        const batch_doc *d = &it->docs[i];
        if (d->error) {
            if (d->res)
                warn_each(d->name, d->error); /* the scan's, one per rule */
            else
                warn(d->name, d->error);
            r->errored = 1;
        }
        if (d->res && reaches_fail_level(r->o, d->res))
            r->failed = 1;
        report_document(&r->rep, d->name, d->res, d->error);
    }
    flush_now_and_then(r);
    check_output(r);
}

/* Before waiting for workers: what is written reaches the reader. */
static void flush_idle(void *ctx)
{
    run *r = ctx;
    fflush(r->rep.out);
    r->last_flush = now_ms();
    check_output(r);
}

static void on_file(void *ctx, const char *path, int named, int regular)
{
    run *r = ctx;
    batch_add(r->batch, path, named, regular, NULL);
}

static void on_walk_error(void *ctx, const char *path, const char *why)
{
    run *r = ctx;
    batch_add(r->batch, path, 0, 0, why);
}

/* The built-in rules, the configuration's, the command line's; then the
 * configuration's adjustments, which may name any of them. */
static int load_rules(const cli_opts *o, const config *cfg, rf_rules **out)
{
    rf_error err = {0, ""};
    rf_rules *rs = rf_rules_new();
    if (!rs) {
        fputs("redflag: out of memory\n", stderr);
        return -1;
    }
    int rc = 0;
    if (!o->no_default_rules)
        rc = rf_rules_add_default(rs, &err);
    if (rc == 0)
        rc = config_add_rules(cfg, rs, &err);
    for (size_t i = 0; rc == 0 && i < o->n_rule_paths; i++)
        rc = rf_rules_add_path(rs, o->rule_paths[i], &err);
    if (rc == 0)
        rc = config_adjust_rules(cfg, rs, &err);
    /* --test-rules checks every pattern now, the built-in ones too, which
     * are otherwise compiled when first needed */
    if (rc == 0)
        rc = o->test_rules ? rf_rules_compile_all(rs, &err)
                           : rf_rules_compile(rs, &err);
    if (rc) {
        fprintf(stderr, "redflag: %s\n", err.message);
        rf_rules_free(rs);
        return -1;
    }
    *out = rs;
    return 0;
}

static void list_rules(const rf_rules *rs)
{
    for (size_t i = 0; i < rf_rules_count(rs); i++) {
        const rf_rule *r = rf_rules_get(rs, i);
        printf("%s\t%s\t%s\t%s\n", r->id, r->category,
               rf_severity_name(r->severity), r->title);
    }
}

static void debug_prefilter(rf_rules *rs)
{
    for (size_t i = 0; i < rf_rules_count(rs); i++)
        printf("%s\t%s\n", rf_rules_get(rs, i)->id, rf_rules_prefilter(rs, i));
}

static void print_list(const char *label, const char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("  %-8s %s\n", i ? "" : label, items[i]);
}

static int explain(const rf_rules *rs, const char *id)
{
    const rf_rule *r = rf_rules_find(rs, id);
    if (!r) {
        fprintf(stderr, "redflag: no rule '%s' (see redflag --list-rules)\n", id);
        return EXIT_ERROR;
    }
    int p = rf_severity_points(r->severity);
    printf("%s: %s\n", r->id, r->title);
    printf("  category %s\n", r->category);
    printf("  severity %s: +%d points for the first hit, then +%d, +%d, ...\n",
           rf_severity_name(r->severity), p, p / 2, p / 4);
    printf("  defined  %s:%d\n", r->file, r->line);
    printf("  why      %s\n", r->why);
    printf("  advice   %s\n", r->advice);
    print_list("phrase", r->phrases, r->n_phrases);
    print_list("regex", r->regexes, r->n_regexes);
    print_list("unless", r->unless, r->n_unless);
    print_list("match", r->matches, r->n_matches);
    print_list("nomatch", r->nomatches, r->n_nomatches);
    return EXIT_CLEAN;
}

/* Was `rule` among the scored flags of this text? -1 on a scan error. */
static int flags_rule(const rf_rules *rs, const rf_rule *rule,
                      const char *text, const char **why)
{
    rf_error err = {0, ""};
    rf_result *res = rf_scan(rs, text, strlen(text), NULL, &err);
    if (!res)
        return -1;
    int found = 0;
    *why = NULL;
    for (size_t i = 0; i < rf_result_flag_count(res); i++)
        found |= rf_result_flag(res, i)->rule == rule;
    for (size_t i = 0; i < rf_result_suppressed_count(res); i++)
        if (rf_result_suppressed(res, i)->rule == rule)
            *why = "suppressed";
    rf_result_free(res);
    return found;
}

/* Every match example must raise its rule, every nomatch must not. */
static int test_rules(const rf_rules *rs)
{
    size_t examples = 0, failures = 0;
    for (size_t i = 0; i < rf_rules_count(rs); i++) {
        const rf_rule *r = rf_rules_get(rs, i);
        for (int want = 1; want >= 0; want--) {
            const char *const *ex = want ? r->matches : r->nomatches;
            size_t n = want ? r->n_matches : r->n_nomatches;
            for (size_t j = 0; j < n; j++) {
                const char *why = NULL;
                int got = flags_rule(rs, r, ex[j], &why);
                examples++;
                if (got == want)
                    continue;
                failures++;
                printf("%s:%d: rule '%s': %s example %s: %s\n", r->file,
                       r->line, r->id, want ? "match" : "nomatch",
                       got < 0 ? "could not be scanned"
                       : want  ? (why ? "was suppressed" : "did not match")
                               : "matched",
                       ex[j]);
            }
        }
    }
    printf("%zu passed, %zu failed\n", examples - failures, failures);
    return failures ? EXIT_FLAGGED : EXIT_CLEAN;
}

static int use_color(color_when w)
{
    if (w == COLOR_ALWAYS)
        return 1;
    if (w == COLOR_NEVER)
        return 0;
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return 0;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return 0;
    return isatty(STDOUT_FILENO);
}

/*
 * stdout must reach its destination; a full disk is an error. A reader
 * that went away (`redflag ... | head`, with SIGPIPE ignored; by default
 * SIGPIPE ends the process as it does grep) is a quiet stop: it asked for
 * no more.
 */
static int finish_output(int out_errno)
{
    int saved = out_errno;
    errno = 0;
    int bad = fflush(stdout) != 0 || ferror(stdout);
    if (bad && !saved)
        saved = errno;
    errno = 0;
    if (fclose(stdout) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    if (bad && saved != EPIPE)
        fprintf(stderr, "redflag: error writing output: %s\n",
                strerror(saved ? saved : EIO));
    return bad ? -1 : 0;
}

int cli_parse_format(const char *s)
{
    static const char *const names[] = {
        [FORMAT_TEXT] = "text", [FORMAT_JSON] = "json",
        [FORMAT_NDJSON] = "ndjson", [FORMAT_TSV] = "tsv",
        [FORMAT_SARIF] = "sarif",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

int cli_parse_fail_on(const char *s, int *level)
{
    int sev = rf_severity_parse(s);
    if (sev < 0 && strcmp(s, "never") != 0)
        return -1;
    *level = sev < 0 ? FAIL_NEVER : sev;
    return 0;
}

int cli_parse_score(const char *s, int *score)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end || v < 0 || v > 100)
        return -1;
    *score = (int)v;
    return 0;
}

/* The configuration file that applies, read into cfg (empty when none). */
static int read_config(const cli_opts *o, config *cfg)
{
    if (o->no_config)
        return 0;
    char *found = o->config_path ? NULL : config_find(".");
    const char *path = o->config_path ? o->config_path : found;
    rf_error err = {0, ""};
    int rc = path ? config_load(cfg, path, &err) : 0;
    if (rc)
        fprintf(stderr, "redflag: %s\n", err.message);
    free(found);
    return rc;
}

int cli_run(const cli_opts *given)
{
    cli_opts opts = *given;
    const cli_opts *o = &opts;
    config cfg;
    memset(&cfg, 0, sizeof(cfg));
    if (read_config(given, &cfg)) {
        config_free(&cfg);
        return EXIT_ERROR;
    }
    config_apply(&cfg, &opts);
    if (o->mode == MODE_SUMMARY && o->format == FORMAT_SARIF) {
        fputs("redflag: --summary-only has no sarif form; use --format json\n",
              stderr);
        config_free(&cfg);
        return EXIT_ERROR;
    }
    run r;
    memset(&r, 0, sizeof(r));
    r.o = o;
    int loaded = load_rules(o, &cfg, &r.rs);
    config_free(&cfg);
    if (loaded)
        return EXIT_ERROR;
    int rc;
    if (o->list_rules) {
        list_rules(r.rs);
        rc = EXIT_CLEAN;
    } else if (o->debug_prefilter) {
        debug_prefilter(r.rs);
        rc = EXIT_CLEAN;
    } else if (o->explain) {
        rc = explain(r.rs, o->explain);
    } else if (o->test_rules) {
        rc = test_rules(r.rs);
    } else {
        r.rep.out = stdout;
        r.rep.format = o->format;
        r.rep.mode = o->mode;
        r.rep.color = use_color(o->color);
        r.rep.width = 80;
        r.rep.rules = r.rs;
        /* output in big blocks, flushed by flush_now_and_then and
         * flush_idle, not in 4 KiB ones */
        if (!isatty(STDOUT_FILENO))
            setvbuf(stdout, NULL, _IOFBF, 1 << 16);
        r.rep.hold = 1;
        r.last_flush = now_ms();
        report_begin(&r.rep);
        int jobs = o->jobs ? o->jobs : batch_cpus();
        /* a big document alone is scanned with the same threads */
        opts.scan.threads = (unsigned)jobs;
        r.batch = batch_new(r.rs, jobs, work_input, emit_input, flush_idle, &r);
        if (!r.batch) {
            fputs("redflag: out of memory\n", stderr);
            rf_rules_free(r.rs);
            return EXIT_ERROR;
        }
        walker w = {on_file, on_walk_error, &r, 0, NULL, 0, 0};
        r.w = &w;
        if (o->n_inputs == 0)
            walk_path(&w, "-");
        for (size_t i = 0; i < o->n_inputs; i++)
            walk_path(&w, o->inputs[i]);
        walk_free(&w);
        batch_free(r.batch);
        report_end(&r.rep);
        rc = r.errored ? EXIT_ERROR : r.failed ? EXIT_FLAGGED : EXIT_CLEAN;
    }
    rf_rules_free(r.rs);
    if (finish_output(r.out_errno))
        rc = EXIT_ERROR;
    return rc;
}
