/*
 * redflag.h - find the red flags in job postings.
 *
 * The library loads rule files, compiles them once, and scans text for the
 * phrases they describe. It never prints and never exits: every function that
 * can fail returns a status or NULL and fills an rf_error with what went wrong
 * and where.
 *
 * Ownership, once for the whole API: objects returned by rf_*_new and rf_scan
 * belong to the caller, who releases them with the matching rf_*_free (every
 * free function accepts NULL). Pointers handed out by accessors (rules, flags,
 * evidence, strings) stay owned by the object they came from and live as long
 * as it does.
 */
#ifndef REDFLAG_H
#define REDFLAG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RF_VERSION "0.1.0"

/* Status codes. */
enum {
    RF_OK = 0,
    RF_ERR_NOMEM = -1,  /* out of memory */
    RF_ERR_IO = -2,     /* a file could not be read */
    RF_ERR_RULE = -3,   /* a rule file is invalid */
    RF_ERR_MATCH = -4,  /* matching failed, e.g. a PCRE2 match limit was hit */
    RF_ERR_USAGE = -5,  /* a bad argument */
    RF_ERR_INPUT = -6   /* an input that cannot be decoded or parsed */
};

/* What went wrong and where: "rules/pay.rules:14: unknown category 'payy'". */
typedef struct rf_error {
    int code;
    char message[512];
} rf_error;

typedef enum rf_severity { RF_LOW = 0, RF_MEDIUM = 1, RF_HIGH = 2 } rf_severity;

typedef enum rf_verdict {
    RF_CLEAN = 0,
    RF_VERDICT_LOW = 1,
    RF_ELEVATED = 2,
    RF_VERDICT_HIGH = 3
} rf_verdict;

/* One rule as loaded from a rule file. Read-only for the caller. */
typedef struct rf_rule {
    const char *id;
    const char *category;
    rf_severity severity;
    const char *title;
    const char *why;
    const char *advice;
    const char *file;   /* where it was defined */
    int line;
    /* Patterns and examples, in file order. */
    const char *const *phrases;
    size_t n_phrases;
    const char *const *regexes;
    size_t n_regexes;
    const char *const *unless;
    size_t n_unless;
    const char *const *matches;
    size_t n_matches;
    const char *const *nomatches;
    size_t n_nomatches;
} rf_rule;

/* A rule set: rules added from files or buffers, then compiled once. */
typedef struct rf_rules rf_rules;

/* A new, empty rule set, or NULL when out of memory. */
rf_rules *rf_rules_new(void);

/* Adds the rule files compiled into the library (rules/ at build time). */
int rf_rules_add_default(rf_rules *rs, rf_error *err);

/*
 * Adds the rules of one file, or of every *.rules file in a directory (sorted
 * by name). On error returns non-zero, fills err with "path:line: message",
 * and the rule set must not be compiled.
 */
int rf_rules_add_path(rf_rules *rs, const char *path, rf_error *err);

/* Adds the rules in buf (len bytes), reported as coming from `name`. */
int rf_rules_add_buffer(rf_rules *rs, const char *name, const char *buf,
                        size_t len, rf_error *err);

/*
 * Validates the rules as a whole (duplicate ids) and prepares them for
 * scanning. A pattern PCRE2 rejects gives "file:line: rule ID: pattern error
 * at offset N: message". Must succeed before rf_scan. Patterns are compiled
 * with JIT on their first use; those of rf_rules_add_default are checked by
 * the test suite rather than when they are added.
 */
int rf_rules_compile(rf_rules *rs, rf_error *err);

/*
 * rf_rules_compile, then compiles (with JIT) every pattern now, including
 * the built-in ones that would otherwise be compiled on first use: a check
 * of the whole rule set, as --test-rules does. Returns 0, or non-zero with
 * "file:line: ..." in err.
 */
int rf_rules_compile_all(rf_rules *rs, rf_error *err);

/*
 * How the fast matcher finds rule i, for debugging: "literals<TAB>word@N
 * ..." (the literals it looks for, each with the most non-space bytes a
 * match may hold before it; @* for no bound), or "every-byte<TAB>reason"
 * for a rule with no literal every match must contain, which is matched
 * over the whole text. "whole-text<TAB>..." for a regex that looks at
 * the whole text first. Made on the first call and owned by rs; NULL
 * before rf_rules_compile, or when out of memory.
 */
const char *rf_rules_prefilter(rf_rules *rs, size_t i);

size_t rf_rules_count(const rf_rules *rs);
const rf_rule *rf_rules_get(const rf_rules *rs, size_t i);
/* The rule with this id, or NULL. */
const rf_rule *rf_rules_find(const rf_rules *rs, const char *id);

/*
 * Adjusting a rule set, e.g. from a project's configuration. Each returns 0,
 * or non-zero with err saying what is unknown ("no rule 'x'"); the set is
 * then unchanged.
 *
 * rf_rules_disable takes the rule out of the set: it is no longer counted,
 * listed, found or matched, and pointers to it from rf_rules_get/find are no
 * longer valid. rf_rules_disable_category does that to every rule of one of
 * the fixed categories (none in the set is not an error).
 * rf_rules_set_severity changes what the rule's hits are worth.
 * After any of them, call rf_rules_compile again before rf_scan.
 */
int rf_rules_disable(rf_rules *rs, const char *id, rf_error *err);
int rf_rules_disable_category(rf_rules *rs, const char *category,
                              rf_error *err);
int rf_rules_set_severity(rf_rules *rs, const char *id, rf_severity sev,
                          rf_error *err);

/* Is this one of the fixed category ids ("pay", "scam", ...)? */
int rf_category_valid(const char *category);

void rf_rules_free(rf_rules *rs);

/* One piece of evidence: where a rule matched. */
typedef struct rf_evidence {
    const char *match;    /* the matched words as they appear in the text */
    size_t line;          /* 1-based */
    size_t column;        /* 1-based, in code points */
    size_t offset;        /* byte offset in the input as read */
    size_t length;        /* bytes of the match in the scanned text */
    const char *context;  /* the match with some text around it, one line */
    size_t context_match; /* byte offset of the match inside context */
    size_t context_len;   /* bytes of the match inside context */
} rf_evidence;

/* A rule that matched one document, with all its evidence. */
typedef struct rf_flag {
    const rf_rule *rule;
    int points;           /* contribution to the score; 0 when suppressed */
    size_t count;         /* hits, including those beyond the evidence kept */
    const rf_evidence *evidence;
    size_t n_evidence;
    const char *reason;   /* why it was suppressed; NULL for a scored flag */
} rf_flag;

/* The result of scanning one document. */
typedef struct rf_result rf_result;

/* Options for one scan. Zero-initialise, then set what you need. */
typedef struct rf_scan_opts {
    size_t max_evidence;   /* evidence items kept per rule; 0 = default (20) */
    size_t context_width;  /* bytes of context each side; 0 = default (40) */
    unsigned long match_limit; /* PCRE2 match limit per attempt; 0 =
                                  default: 1e6, or 32 per byte of text
                                  when that is more */
    unsigned flags;        /* RF_SCAN_* */
    unsigned threads;      /* threads a big document (several MB) may be
                              scanned with; 0 or 1 = this thread only. The
                              results are the same for every number. */
} rf_scan_opts;

/*
 * Match every pattern over the whole text, the plain way, instead of only
 * near the literals its matches must contain. The results are the same;
 * it is slower, and kept to check the fast matcher against. (Where the
 * plain way would stop at a PCRE2 match limit at a place where no match
 * can start, the fast matcher, which never tries there, does not.)
 */
#define RF_SCAN_REFERENCE 1u

/*
 * Scans len bytes of UTF-8 text (invalid bytes and NULs are tolerated) with a
 * compiled rule set. Returns a result the caller frees with rf_result_free,
 * or NULL on a fatal error (out of memory). A match limit hit in one rule is
 * not fatal: that rule is skipped and rf_result_error() says so. A limit hit
 * while looking for a hit's `unless` phrases or negating words is reported
 * the same way, and the hit is kept as scored.
 */
rf_result *rf_scan(const rf_rules *rs, const char *text, size_t len,
                   const rf_scan_opts *opts, rf_error *err);

/*
 * A document whose text was converted from another form (HTML, a CSV or JSON
 * record). `text` is what is matched. `map`, when not NULL, holds len + 1
 * entries: map[i] is the byte offset in the original input of text byte i
 * (map[len] is the end). Evidence offsets are base_offset + map[i]. When
 * `src` is not NULL, line and column are counted in src at map[i] (HTML: the
 * original file); otherwise they are counted in text itself (a record field).
 */
/* One run of a text that comes from its source byte for byte (rf_source). */
typedef struct rf_span {
    size_t text; /* where the run starts in the text */
    size_t src;  /* and in the source */
} rf_span;

typedef struct rf_source {
    const char *text;
    size_t len;
    const size_t *map;
    const char *src;
    size_t src_len;
    size_t base_offset;
    /*
     * Instead of map (NULL), for text that is its source with a few bytes
     * left out (a soft hyphen in a big file): spans[0 .. n_spans), sorted,
     * spans[0].text == 0; text byte i comes from source offset
     * spans[k].src + (i - spans[k].text) for the last k with
     * spans[k].text <= i. Eight bytes of map per byte of a big text would
     * cost more than the text.
     */
    const rf_span *spans;
    size_t n_spans;
} rf_source;

/* rf_scan for converted text; same contract. */
rf_result *rf_scan_source(const rf_rules *rs, const rf_source *doc,
                          const rf_scan_opts *opts, rf_error *err);

/*
 * Inputs as people have them. A file is read whole; then rf_doc_new makes
 * a text or HTML file ready to scan, and rf_records_new splits a CSV or
 * NDJSON export into one document per record. Either way the text that is
 * scanned comes with a map back to the file as read, so that evidence
 * offsets (and, for whole files, lines and columns) point into the file:
 *
 *   - a UTF-8 byte order mark is skipped; UTF-16 with a byte order mark is
 *     converted to UTF-8; UTF-32 is refused;
 *   - soft hyphens (U+00AD) and zero-width characters (U+200B-U+200D,
 *     U+2060, U+FEFF) are taken out, so that they never split a word;
 *   - invalid UTF-8 and NUL bytes are kept as they are: they never match.
 */
typedef enum rf_input {
    RF_INPUT_AUTO = 0, /* HTML when the name or the content says so */
    RF_INPUT_TEXT,
    RF_INPUT_HTML,
    RF_INPUT_CSV,      /* records: rf_records_new */
    RF_INPUT_NDJSON    /* records: rf_records_new */
} rf_input;

/* "auto", "text", "html", "csv", "ndjson"; rf_input_parse returns -1 for
 * an unknown name. */
const char *rf_input_name(rf_input in);
int rf_input_parse(const char *name);

/*
 * What a whole file is: RF_INPUT_HTML for a name ending in .html, .htm or
 * .xhtml, RF_INPUT_TEXT for .txt, .text or .md; otherwise (and when path
 * is NULL) HTML when the content starts with a doctype or <html>, or has
 * several common tags (<p>, <br>, <div>, ...) early, and text when not.
 */
rf_input rf_input_detect(const char *path, const char *data, size_t len);

/* A whole file made ready to scan. */
typedef struct rf_doc rf_doc;

/*
 * Decodes len bytes of a file and, for RF_INPUT_HTML (or RF_INPUT_AUTO
 * when the content looks like HTML), turns the HTML into the text a reader
 * sees: tags dropped, block elements as line breaks, character references
 * decoded, comments, scripts, styles and templates left out. The doc keeps
 * pointers into data, which must outlive it. Returns NULL and fills err
 * when out of memory, for UTF-32 input (RF_ERR_INPUT), or for a record
 * format (RF_ERR_USAGE). Free with rf_doc_free.
 */
rf_doc *rf_doc_new(const char *data, size_t len, rf_input input,
                   rf_error *err);
/* The same, with up to `threads` threads for a big file (several MB) that
 * has characters to take out; 0 or 1 = this thread only. The doc is the
 * same for every number. */
rf_doc *rf_doc_new_threads(const char *data, size_t len, rf_input input,
                           unsigned threads, rf_error *err);
/* What to give rf_scan_source: evidence offsets are byte offsets in data,
 * lines and columns are counted in the file. Owned by the doc. */
const rf_source *rf_doc_source(const rf_doc *doc);
void rf_doc_free(rf_doc *doc);

/* The records of a CSV or NDJSON file, one document each. */
typedef struct rf_records rf_records;

typedef struct rf_record {
    size_t number;   /* 1-based; a CSV header is not a record */
    size_t line;     /* the line of the file the record starts on */
    /* The named fields, in the order asked for, joined by a line holding
     * only U+001E (which no phrase crosses): evidence offsets are byte
     * offsets in the file, lines and columns count in this text. NULL
     * when the record is malformed. */
    const rf_source *source;
    const char *error; /* why the record is malformed, or NULL */
} rf_record;

/*
 * Reads data as CSV (RFC 4180: a header row naming the fields; quoted
 * fields may hold commas, doubled quotes and line breaks) or NDJSON (one
 * JSON object per line; blank lines are not records) and scans the fields
 * named in fields[0..n_fields). Returns NULL and fills err when out of
 * memory, when a CSV header is missing or lacks a field, or for UTF-32.
 * Keeps pointers into data and fields, which must outlive it.
 */
rf_records *rf_records_new(const char *data, size_t len, rf_input input,
                           const char *const *fields, size_t n_fields,
                           rf_error *err);
/*
 * The next record: returns 1 and fills *rec (valid until the next call),
 * 0 after the last one, or -1 with err filled when out of memory. A
 * malformed record (bad JSON, an unterminated quote, a missing field) is
 * still a record: rec->source is NULL and rec->error says what and where;
 * the records after it are read as usual.
 */
int rf_records_next(rf_records *it, rf_record *rec, rf_error *err);
void rf_records_free(rf_records *it);

/*
 * A scanner keeps the matching state and buffers that rf_scan would set up
 * and free for every document: for many documents, make one per thread
 * and reuse it. rs must be compiled and outlive the scanner; one rule set
 * may be shared by scanners in several threads. NULL when out of memory.
 */
typedef struct rf_scanner rf_scanner;
rf_scanner *rf_scanner_new(const rf_rules *rs);
/* rf_scan_source with a scanner; same contract. */
rf_result *rf_scanner_scan(rf_scanner *sc, const rf_source *doc,
                           const rf_scan_opts *opts, rf_error *err);
void rf_scanner_free(rf_scanner *sc);

int rf_result_score(const rf_result *r);           /* 0..100 */
rf_verdict rf_result_verdict(const rf_result *r);
size_t rf_result_flag_count(const rf_result *r);   /* scored flags */
const rf_flag *rf_result_flag(const rf_result *r, size_t i);
size_t rf_result_suppressed_count(const rf_result *r);
const rf_flag *rf_result_suppressed(const rf_result *r, size_t i);
/* Non-fatal errors met while scanning, or NULL: each "rule ID: what"
 * ("rule slow: match limit exceeded"; ID is "@negation" for the negating
 * words), said once per document, several joined by "; ". */
const char *rf_result_error(const rf_result *r);
void rf_result_free(rf_result *r);

/* Names for the enums: "low", "medium", "high"; "clean", "low", ... */
const char *rf_severity_name(rf_severity s);
const char *rf_verdict_name(rf_verdict v);
/* Parses "low", "medium", "high"; returns -1 when unknown. */
int rf_severity_parse(const char *s);

/* Points a severity is worth for a rule's first hit. */
int rf_severity_points(rf_severity s);

#ifdef __cplusplus
}
#endif
#endif
