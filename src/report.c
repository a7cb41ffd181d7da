/*
 * report.c - one writer per format. The text report is for a person reading
 * one posting at 80 columns; the others are for programs and keep the key
 * names of SPEC.md.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "sarif.h"
#include "text.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_MATCH "\033[1;31m"
#define C_PATH "\033[35m"
#define C_DIM "\033[2m"

static const char *sev_color(rf_severity s)
{
    switch (s) {
    case RF_HIGH: return "\033[1;31m";
    case RF_MEDIUM: return "\033[1;33m";
    case RF_LOW: return "\033[1;36m";
    }
    return "";
}

static const char *verdict_color(rf_verdict v)
{
    switch (v) {
    case RF_VERDICT_HIGH: return "\033[1;31m";
    case RF_ELEVATED: return "\033[1;33m";
    case RF_VERDICT_LOW: return "\033[1;36m";
    case RF_CLEAN: return "\033[1;32m";
    }
    return "";
}

static void col(report *r, const char *c)
{
    if (r->color)
        fputs(c, r->out);
}

/* Writes s with `indent` spaces before every line but the first, wrapping
 * at word boundaries to fit r->width. */
static void wrap(report *r, const char *s, size_t indent, size_t used)
{
    size_t width = r->width > 20 ? (size_t)r->width : 80;
    while (*s) {
        while (*s == ' ')
            s++;
        const char *w = s;
        while (*s && *s != ' ')
            s++;
        size_t wl = text_codepoints(w, (size_t)(s - w));
        if (used > indent && used + 1 + wl > width) {
            fprintf(r->out, "\n%*s", (int)indent, "");
            used = indent;
        } else if (used > indent) {
            putc(' ', r->out);
            used++;
        }
        fwrite(w, 1, (size_t)(s - w), r->out);
        used += wl;
    }
    putc('\n', r->out);
}

/* Writes n bytes of s, each control character as a space. */
static void put_plain(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        putc((unsigned char)s[i] < 0x20 ? ' ' : s[i], out);
}

void report_plain(FILE *out, const char *s)
{
    put_plain(out, s, strlen(s));
}

/* The tail (`from_end`) or head of s[0..n) that is at most `cols` code
 * points long, cut at a character boundary. */
static size_t clip(const char *s, size_t n, size_t cols, int from_end)
{
    size_t k = 0;
    if (from_end) {
        size_t i = n;
        while (i > 0) {
            size_t j = i - 1;
            while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
                j--;
            if (++k > cols)
                return n - i;
            i = j;
        }
        return n;
    }
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && ((unsigned char)s[j] & 0xC0) == 0x80)
            j++;
        if (++k > cols)
            return i;
        i = j;
    }
    return n;
}

static void text_evidence(report *r, const char *name, const rf_evidence *ev)
{
    FILE *out = r->out;
    fputs("    ", out);
    col(r, C_PATH);
    fprintf(out, "%s:%zu:%zu", name, ev->line, ev->column);
    col(r, C_RESET);
    putc('\n', out);

    /* The context line, trimmed so that it fits at 6 columns in. */
    const char *c = ev->context;
    size_t cm = ev->context_match, cl = ev->context_len;
    size_t clen = strlen(c);
    if (cm + cl > clen)
        cl = clen - cm;
    size_t room = (r->width > 40 ? (size_t)r->width : 80) - 8;
    size_t mcols = text_codepoints(c + cm, cl);
    size_t side = mcols < room ? (room - mcols) / 2 : 0;
    size_t before = clip(c, cm, side, 1);
    size_t after = clip(c + cm + cl, clen - cm - cl, side, 0);
    /* Cut at a space, not inside a word, when one is near. */
    for (size_t i = 0; before < cm && i < 12 && i < before; i++)
        if (c[cm - before + i] == ' ') {
            before -= i + 1;
            break;
        }
    for (size_t i = 0; after < clen - cm - cl && i < 12 && i < after; i++)
        if (c[cm + cl + after - i - 1] == ' ') {
            after -= i + 1;
            break;
        }
    int cut_left = before < cm, cut_right = after < clen - cm - cl;

    fputs("      ", out);
    if (cut_left)
        fputs("…", out);
    put_plain(out, c + cm - before, before);
    col(r, C_MATCH);
    put_plain(out, c + cm, cl);
    col(r, C_RESET);
    put_plain(out, c + cm + cl, after);
    if (cut_right)
        fputs("…", out);
    putc('\n', out);
    if (!r->color) {
        /* Without colour, carets show the words. */
        size_t pad = 6 + (size_t)cut_left + text_codepoints(c + cm - before, before);
        fprintf(out, "%*s", (int)pad, "");
        for (size_t i = 0; i < mcols; i++)
            putc('^', out);
        putc('\n', out);
    }
}

static void text_flag(report *r, const char *name, const rf_flag *f)
{
    FILE *out = r->out;
    const rf_rule *ru = f->rule;
    fputs("  ", out);
    col(r, sev_color(ru->severity));
    fprintf(out, "%-6s", rf_severity_name(ru->severity));
    col(r, C_RESET);
    fputs(" ", out);
    col(r, C_BOLD);
    fputs(ru->title, out);
    col(r, C_RESET);
    fprintf(out, "  [%s] +%d", ru->id, f->points);
    if (f->count > 1)
        fprintf(out, " (%zu hits)", f->count);
    putc('\n', out);
    for (size_t i = 0; i < f->n_evidence; i++)
        text_evidence(r, name, &f->evidence[i]);
    if (f->count > f->n_evidence)
        fprintf(out, "    … and %zu more\n", f->count - f->n_evidence);
    fputs("    Why:    ", out);
    wrap(r, ru->why, 12, 12);
    fputs("    Advice: ", out);
    wrap(r, ru->advice, 12, 12);
}

static void text_document(report *r, const char *name, const rf_result *res,
                          const char *error)
{
    FILE *out = r->out;
    if (r->docs > 0)
        putc('\n', out);
    col(r, C_PATH);
    col(r, C_BOLD);
    fputs(name, out);
    col(r, C_RESET);
    if (!res) {
        fputs(": error: ", out);
        report_plain(out, error ? error : "not scanned");
        putc('\n', out);
        return;
    }
    rf_verdict v = rf_result_verdict(res);
    size_t nf = rf_result_flag_count(res), ns = rf_result_suppressed_count(res);
    fputs(": ", out);
    col(r, verdict_color(v));
    fputs(rf_verdict_name(v), out);
    col(r, C_RESET);
    fprintf(out, ", score %d/100, %zu flag%s", rf_result_score(res), nf,
            nf == 1 ? "" : "s");
    if (ns)
        fprintf(out, ", %zu suppressed", ns);
    putc('\n', out);
    if (error) {
        fputs("  error: ", out);
        report_plain(out, error);
        putc('\n', out);
    }
    for (size_t i = 0; i < nf; i++) {
        putc('\n', out);
        text_flag(r, name, rf_result_flag(res, i));
    }
    if (ns)
        putc('\n', out);
    for (size_t i = 0; i < ns; i++) {
        const rf_flag *f = rf_result_suppressed(res, i);
        col(r, C_DIM);
        fprintf(out, "  suppressed: %s at %zu:%zu (", f->rule->id,
                f->evidence[0].line, f->evidence[0].column);
        report_plain(out, f->reason); /* it quotes the document */
        putc(')', out);
        if (f->count > 1)
            fprintf(out, ", %zu hits", f->count);
        col(r, C_RESET);
        putc('\n', out);
    }
}

static void json_flag(FILE *out, const rf_flag *f)
{
    fputs("{\"rule\":", out);
    json_cstr(out, f->rule->id);
    fputs(",\"category\":", out);
    json_cstr(out, f->rule->category);
    fprintf(out, ",\"severity\":\"%s\",\"title\":",
            rf_severity_name(f->rule->severity));
    json_cstr(out, f->rule->title);
    fprintf(out, ",\"points\":%d,\"count\":%zu,\"evidence\":[", f->points,
            f->count);
    for (size_t i = 0; i < f->n_evidence; i++) {
        const rf_evidence *e = &f->evidence[i];
        fputs(i ? ",{\"match\":" : "{\"match\":", out);
        json_string(out, e->match, e->length);
        fprintf(out, ",\"line\":%zu,\"column\":%zu,\"offset\":%zu,\"context\":",
                e->line, e->column, e->offset);
        json_cstr(out, e->context);
        putc('}', out);
    }
    putc(']', out);
    if (f->reason) {
        fputs(",\"reason\":", out);
        json_cstr(out, f->reason);
    }
    putc('}', out);
}

static void json_document(FILE *out, const char *name, const rf_result *res,
                          const char *error)
{
    fputs("{\"file\":", out);
    json_cstr(out, name);
    if (res)
        fprintf(out, ",\"score\":%d,\"verdict\":\"%s\"", rf_result_score(res),
                rf_verdict_name(rf_result_verdict(res)));
    else
        fputs(",\"score\":null,\"verdict\":null", out);
    fputs(",\"flags\":[", out);
    for (size_t i = 0; res && i < rf_result_flag_count(res); i++) {
        if (i)
            putc(',', out);
        json_flag(out, rf_result_flag(res, i));
    }
    fputs("],\"suppressed\":[", out);
    for (size_t i = 0; res && i < rf_result_suppressed_count(res); i++) {
        if (i)
            putc(',', out);
        json_flag(out, rf_result_suppressed(res, i));
    }
    putc(']', out);
    if (error) {
        fputs(",\"error\":", out);
        json_cstr(out, error);
    }
    putc('}', out);
}

/* A TSV field: tabs and line breaks would break the row. */
static void tsv_field(FILE *out, const char *s)
{
    for (; *s; s++)
        putc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, out);
}

static void tsv_document(FILE *out, const char *name, const rf_result *res,
                         const char *error)
{
    tsv_field(out, name);
    if (!res) {
        fputs("\t-\t-\t0\t\t", out);
        tsv_field(out, error ? error : "");
        putc('\n', out);
        return;
    }
    size_t nf = rf_result_flag_count(res);
    fprintf(out, "\t%s\t%d\t%zu\t", rf_verdict_name(rf_result_verdict(res)),
            rf_result_score(res), nf);
    for (size_t i = 0; i < nf; i++) {
        if (i)
            putc(',', out);
        fputs(rf_result_flag(res, i)->rule->id, out);
    }
    putc('\t', out);
    if (error)
        tsv_field(out, error);
    putc('\n', out);
}

/* One more document for each rule that flagged it. A count that cannot
 * grow for want of memory is left out of the summary, nothing else. */
static void count_rules(report_summary *s, const rf_result *res)
{
    for (size_t i = 0; i < rf_result_flag_count(res); i++) {
        const rf_rule *rule = rf_result_flag(res, i)->rule;
        size_t j = 0;
        while (j < s->n_rules && s->rules[j].rule != rule)
            j++;
        if (j == s->n_rules) {
            if (s->n_rules == s->cap_rules) {
                size_t cap = s->cap_rules ? s->cap_rules * 2 : 16;
                rule_count *p = realloc(s->rules, cap * sizeof(*p));
                if (!p)
                    continue;
                s->rules = p;
                s->cap_rules = cap;
            }
            s->rules[s->n_rules++] = (rule_count){rule, 0};
        }
        s->rules[j].documents++;
    }
}

static int cmp_rule_count(const void *pa, const void *pb)
{
    const rule_count *a = pa, *b = pb;
    if (a->documents != b->documents)
        return a->documents > b->documents ? -1 : 1;
    return strcmp(a->rule->id, b->rule->id);
}

void report_sort_rules(report_summary *s)
{
    if (s->n_rules)
        qsort(s->rules, s->n_rules, sizeof(*s->rules), cmp_rule_count);
}

void report_begin(report *r)
{
    memset(&r->sum, 0, sizeof(r->sum));
    r->docs = 0;
    if (r->mode != MODE_FULL)
        return;
    if (r->format == FORMAT_JSON)
        fprintf(r->out, "{\"version\":\"%s\",\"documents\":[", RF_VERSION);
    else if (r->format == FORMAT_SARIF)
        sarif_begin(r);
}

void report_document(report *r, const char *name, const rf_result *res,
                     const char *error)
{
    size_t nf = res ? rf_result_flag_count(res) : 0;
    r->sum.documents++;
    if (error)
        r->sum.errors++;
    if (nf)
        r->sum.flagged++;
    if (res) {
        r->sum.verdicts[rf_result_verdict(res)]++;
        count_rules(&r->sum, res);
    }

    switch (r->mode) {
    case MODE_QUIET:
    case MODE_SUMMARY:
        break;
    case MODE_FLAGGED:
    case MODE_UNFLAGGED:
        if (res && (nf > 0) == (r->mode == MODE_FLAGGED))
            fprintf(r->out, "%s\n", name);
        break;
    case MODE_COUNT:
        if (res)
            fprintf(r->out, "%s:%zu\n", name, nf);
        break;
    case MODE_FULL:
        switch (r->format) {
        case FORMAT_TEXT:
            text_document(r, name, res, error);
            break;
        case FORMAT_JSON:
            if (r->docs)
                putc(',', r->out);
            json_document(r->out, name, res, error);
            break;
        case FORMAT_NDJSON:
            json_document(r->out, name, res, error);
            putc('\n', r->out);
            if (!r->hold)
                fflush(r->out); /* one record as soon as it is done */
            break;
        case FORMAT_TSV:
            tsv_document(r->out, name, res, error);
            break;
        case FORMAT_SARIF:
            sarif_document(r, name, res, error);
            break;
        }
        break;
    }
    r->docs++;
}

void report_json_summary(FILE *out, report_summary *s)
{
    fprintf(out,
            "{\"documents\":%zu,\"flagged\":%zu,\"errors\":%zu,\"skipped\":%zu,"
            "\"verdicts\":{\"clean\":%zu,\"low\":%zu,\"elevated\":%zu,\"high\":%zu},"
            "\"rules\":{",
            s->documents, s->flagged, s->errors, s->skipped, s->verdicts[0],
            s->verdicts[1], s->verdicts[2], s->verdicts[3]);
    report_sort_rules(s);
    for (size_t i = 0; i < s->n_rules; i++) {
        if (i)
            putc(',', out);
        json_cstr(out, s->rules[i].rule->id);
        fprintf(out, ":%zu", s->rules[i].documents);
    }
    fputs("}}", out);
}

/* How many rules the text summary names. */
#define SUMMARY_RULES 10

/* The summary for a person: counts, verdicts, the most frequent rules. */
static void text_summary(report *r)
{
    report_summary *s = &r->sum;
    FILE *out = r->out;
    col(r, C_BOLD);
    fprintf(out, "Summary: %zu document%s scanned\n", s->documents,
            s->documents == 1 ? "" : "s");
    col(r, C_RESET);
    fprintf(out, "  flagged  %zu", s->flagged);
    static const char *const names[] = {"clean", "low", "elevated", "high"};
    const char *sep = " (";
    for (int v = RF_VERDICT_HIGH; v > RF_CLEAN; v--) {
        if (!s->verdicts[v])
            continue;
        fprintf(out, "%s%zu %s", sep, s->verdicts[v], names[v]);
        sep = ", ";
    }
    fprintf(out, "%s\n  clean    %zu\n  errors   %zu\n", *sep == ',' ? ")" : "",
            s->verdicts[RF_CLEAN], s->errors);
    if (s->skipped)
        fprintf(out, "  skipped  %zu binary file%s\n", s->skipped,
                s->skipped == 1 ? "" : "s");
    if (!s->n_rules)
        return;
    report_sort_rules(s);
    size_t shown = s->n_rules < SUMMARY_RULES ? s->n_rules : SUMMARY_RULES;
    int w = 0;
    for (size_t i = 0; i < shown; i++) {
        int n = (int)strlen(s->rules[i].rule->id);
        w = n > w ? n : w;
    }
    fputs("  most frequent flags, by documents:\n", out);
    for (size_t i = 0; i < shown; i++)
        fprintf(out, "  %7zu  %-*s  %s\n", s->rules[i].documents, w,
                s->rules[i].rule->id, s->rules[i].rule->title);
    if (s->n_rules > shown)
        fprintf(out, "           … and %zu more rule%s\n", s->n_rules - shown,
                s->n_rules - shown == 1 ? "" : "s");
}

/* The summary as `key<TAB>value` rows. */
static void tsv_summary(report *r)
{
    report_summary *s = &r->sum;
    fprintf(r->out,
            "documents\t%zu\nflagged\t%zu\nerrors\t%zu\nskipped\t%zu\n"
            "verdict.clean\t%zu\nverdict.low\t%zu\nverdict.elevated\t%zu\n"
            "verdict.high\t%zu\n",
            s->documents, s->flagged, s->errors, s->skipped, s->verdicts[0],
            s->verdicts[1], s->verdicts[2], s->verdicts[3]);
    report_sort_rules(s);
    for (size_t i = 0; i < s->n_rules; i++)
        fprintf(r->out, "rule.%s\t%zu\n", s->rules[i].rule->id,
                s->rules[i].documents);
}

static void summary_only(report *r)
{
    switch (r->format) {
    case FORMAT_TEXT:
        text_summary(r);
        break;
    case FORMAT_TSV:
        tsv_summary(r);
        break;
    case FORMAT_JSON:
    case FORMAT_NDJSON:
    case FORMAT_SARIF:
        fprintf(r->out, "{\"version\":\"%s\",\"summary\":", RF_VERSION);
        report_json_summary(r->out, &r->sum);
        fputs("}\n", r->out);
        break;
    }
}

void report_end(report *r)
{
    if (r->mode == MODE_SUMMARY) {
        summary_only(r);
    } else if (r->mode == MODE_FULL && r->format == FORMAT_JSON) {
        fputs("],\"summary\":", r->out);
        report_json_summary(r->out, &r->sum);
        fputs("}\n", r->out);
    } else if (r->mode == MODE_FULL && r->format == FORMAT_SARIF) {
        sarif_end(r);
    } else if (r->mode == MODE_FULL && r->format == FORMAT_TEXT &&
               (r->sum.documents > 1 || r->sum.skipped)) {
        putc('\n', r->out);
        text_summary(r);
    }
    free(r->sum.rules);
    r->sum.rules = NULL;
    r->sum.n_rules = r->sum.cap_rules = 0;
}
