/* sarif.c - the SARIF writer; see sarif.h. */
#include "sarif.h"

#include <string.h>

#include "json.h"
#include "text.h"

#define SARIF_SCHEMA                                                       \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"  \
    "sarif-schema-2.1.0.json"

static const char *level(rf_severity s)
{
    switch (s) {
    case RF_HIGH: return "error";
    case RF_MEDIUM: return "warning";
    case RF_LOW: return "note";
    }
    return "none";
}

void sarif_uri(FILE *out, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    putc('"', out);
    if (path[0] == '/')
        fputs("file://", out);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        int keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
                   *p == '_' || *p == '~' || *p == '/';
        if (keep)
            putc(*p, out);
        else
            fprintf(out, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
    putc('"', out);
}

/* "working-interview" -> "WorkingInterview": SARIF's name for a rule. */
static void pascal_name(FILE *out, const char *id)
{
    putc('"', out);
    for (int up = 1; *id; id++) {
        if (*id == '-') {
            up = 1;
            continue;
        }
        putc(up && *id >= 'a' && *id <= 'z' ? *id - 'a' + 'A' : *id, out);
        up = 0;
    }
    putc('"', out);
}

static void message(FILE *out, const char *key, const char *text)
{
    fprintf(out, "\"%s\":{\"text\":", key);
    json_cstr(out, text);
    putc('}', out);
}

static void chars(FILE *out, const char *s) { json_chars(out, s, strlen(s)); }

static void descriptor(FILE *out, const rf_rule *ru)
{
    fputs("{\"id\":", out);
    json_cstr(out, ru->id);
    fputs(",\"name\":", out);
    pascal_name(out, ru->id);
    putc(',', out);
    message(out, "shortDescription", ru->title);
    putc(',', out);
    message(out, "fullDescription", ru->why);
    /* help: why it matters and what to do, in one text */
    fputs(",\"help\":{\"text\":\"", out);
    chars(out, ru->why);
    fputs("\\n\\nWhat to do: ", out);
    chars(out, ru->advice);
    fprintf(out, "\"},\"defaultConfiguration\":{\"level\":\"%s\"},"
                 "\"properties\":{\"category\":",
            level(ru->severity));
    json_cstr(out, ru->category);
    fprintf(out, ",\"severity\":\"%s\",\"tags\":[",
            rf_severity_name(ru->severity));
    json_cstr(out, ru->category);
    fputs("]}}", out);
}

void sarif_begin(report *r)
{
    FILE *out = r->out;
    r->sarif_results = 0;
    fputs("{\"$schema\":\"" SARIF_SCHEMA "\",\"version\":\"2.1.0\","
          "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"redflag\","
          "\"version\":\"" RF_VERSION "\",\"semanticVersion\":\"" RF_VERSION
          "\",\"rules\":[",
          out);
    for (size_t i = 0; i < rf_rules_count(r->rules); i++) {
        if (i)
            putc(',', out);
        descriptor(out, rf_rules_get(r->rules, i));
    }
    fputs("]}},\"columnKind\":\"unicodeCodePoints\",\"results\":[", out);
}

/* Index of the rule in the run's driver, or -1. */
static long rule_index(const report *r, const rf_rule *rule)
{
    for (size_t i = 0; i < rf_rules_count(r->rules); i++)
        if (rf_rules_get(r->rules, i) == rule)
            return (long)i;
    return -1;
}

/* The region of one piece of evidence: where it starts, and where it ends
 * counted through the matched words (which may cross a line break). */
static void region(FILE *out, const rf_evidence *e)
{
    size_t end_line = e->line, end_col = e->column, from = 0;
    for (size_t i = 0; i < e->length; i++)
        if (e->match[i] == '\n') {
            end_line++;
            end_col = 1;
            from = i + 1;
        }
    end_col += text_codepoints(e->match + from, e->length - from);
    fprintf(out,
            "\"region\":{\"startLine\":%zu,\"startColumn\":%zu,\"endLine\":%zu,"
            "\"endColumn\":%zu,\"snippet\":{\"text\":",
            e->line, e->column, end_line, end_col);
    json_string(out, e->match, e->length);
    fputs("}}", out);
}

static void location(FILE *out, const char *name)
{
    fputs("\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":",
          out);
    sarif_uri(out, name);
    putc('}', out);
}

static void result(report *r, const char *name, const rf_flag *f,
                   const rf_evidence *e)
{
    FILE *out = r->out;
    const rf_rule *ru = f->rule;
    fputs(r->sarif_results++ ? ",{\"ruleId\":" : "{\"ruleId\":", out);
    json_cstr(out, ru->id);
    long idx = rule_index(r, ru);
    if (idx >= 0)
        fprintf(out, ",\"ruleIndex\":%ld", idx);
    /* "Working interview: 'working interview'" */
    fprintf(out, ",\"level\":\"%s\",\"message\":{\"text\":\"", level(ru->severity));
    chars(out, ru->title);
    fputs(": '", out);
    json_chars(out, e->match, e->length);
    fputs("'\"},", out);
    location(out, name);
    putc(',', out);
    region(out, e);
    fprintf(out, "}}],\"properties\":{\"offset\":%zu,\"points\":%d}", e->offset,
            f->points);
    if (f->reason) {
        fputs(",\"suppressions\":[{\"kind\":\"inSource\",\"justification\":", out);
        json_cstr(out, f->reason);
        fputs("}]", out);
    }
    putc('}', out);
}

void sarif_document(report *r, const char *name, const rf_result *res,
                    const char *error)
{
    if (error) {
        /* kept for the run's notifications, written at the end */
        buf_append(&r->sarif_errors, name, strlen(name) + 1);
        buf_append(&r->sarif_errors, error, strlen(error) + 1);
    }
    for (int pass = 0; res && pass < 2; pass++) {
        size_t n = pass ? rf_result_suppressed_count(res)
                        : rf_result_flag_count(res);
        for (size_t i = 0; i < n; i++) {
            const rf_flag *f = pass ? rf_result_suppressed(res, i)
                                    : rf_result_flag(res, i);
            for (size_t j = 0; j < f->n_evidence; j++)
                result(r, name, f, &f->evidence[j]);
        }
    }
}

void sarif_end(report *r)
{
    FILE *out = r->out;
    fprintf(out, "],\"invocations\":[{\"executionSuccessful\":%s,"
                 "\"toolExecutionNotifications\":[",
            r->sum.errors ? "false" : "true");
    const char *p = r->sarif_errors.data;
    const char *end = p ? p + r->sarif_errors.len : NULL;
    for (int first = 1; p && p < end; first = 0) {
        const char *name = p, *error = p + strlen(p) + 1;
        p = error + strlen(error) + 1;
        fputs(first ? "{\"level\":\"error\"," : ",{\"level\":\"error\",", out);
        message(out, "message", error);
        putc(',', out);
        location(out, name);
        fputs("}}]}", out);
    }
    fputs("]}],\"properties\":{\"summary\":", out);
    report_json_summary(out, &r->sum);
    fputs("}}]}\n", out);
    buf_free(&r->sarif_errors);
}
