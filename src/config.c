/* config.c - reading and applying .redflag.conf; see config.h. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "buf.h"
#include "text.h"

#define CONFIG_NAME ".redflag.conf"
/* Folders climbed at most while looking for it. */
#define MAX_DEPTH 256

static void seterr(rf_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void seterr(rf_error *err, const char *fmt, ...)
{
    err->code = RF_ERR_USAGE;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
}

/* Does prefix + name exist (as a regular file when `file`)? */
static int exists(buf *scratch, const char *prefix, const char *name,
                  int file, struct stat *sb)
{
    scratch->len = 0;
    buf_printf(scratch, "%s%s", prefix, name);
    if (scratch->oom || stat(scratch->data, sb) != 0)
        return 0;
    return !file || S_ISREG(sb->st_mode);
}

char *config_find(const char *start)
{
    buf dir = BUF_INIT, probe = BUF_INIT;
    char *found = NULL;
    struct stat sb, here, up;
    buf_puts(&dir, "");
    if (start && *start && strcmp(start, ".") != 0)
        buf_printf(&dir, "%s%s", start, start[strlen(start) - 1] == '/' ? "" : "/");
    for (int depth = 0; depth < MAX_DEPTH && !dir.oom; depth++) {
        if (exists(&probe, dir.data, CONFIG_NAME, 1, &sb)) {
            found = buf_take(&probe);
            break;
        }
        /* the top of a repository, or of the filesystem, ends the search */
        if (exists(&probe, dir.data, ".git", 0, &sb) ||
            !exists(&probe, dir.data, ".", 0, &here) ||
            !exists(&probe, dir.data, "..", 0, &up) ||
            (here.st_dev == up.st_dev && here.st_ino == up.st_ino))
            break;
        buf_puts(&dir, "../");
    }
    buf_free(&dir);
    buf_free(&probe);
    return found;
}

static int add_entry(config *c, config_key key, const char *v, size_t n,
                     int number, int line)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        config_entry *p = realloc(c->entries, cap * sizeof(*p));
        if (!p)
            return -1;
        c->entries = p;
        c->cap = cap;
    }
    char *copy = v ? strndup(v, n) : NULL;
    if (v && !copy)
        return -1;
    c->entries[c->n++] = (config_entry){key, copy, number, line};
    return 0;
}

/* The entry with this key (and, for severity, this rule id), or NULL. */
static const config_entry *first(const config *c, config_key key,
                                 const char *id)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->entries[i].key == key &&
            (!id || strcmp(c->entries[i].value, id) == 0))
            return &c->entries[i];
    return NULL;
}

/* Adds each id of a comma- or space-separated list. */
static int add_list(config *c, config_key key, const char *v, const char *ve,
                    int line)
{
    while (v < ve) {
        while (v < ve && (text_is_blank(*v) || *v == ','))
            v++;
        const char *w = v;
        while (v < ve && !text_is_blank(*v) && *v != ',')
            v++;
        if (v > w && add_entry(c, key, w, (size_t)(v - w), 0, line))
            return -1;
    }
    return 0;
}

/* The folder part of path, with its '/', or "". */
static size_t dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) + 1 : 0;
}

static int parse_yes_no(const char *s, int *n)
{
    *n = strcmp(s, "yes") == 0;
    return *n || strcmp(s, "no") == 0 ? 0 : -1;
}

static int parse_severity(const char *s, int *n)
{
    return (*n = rf_severity_parse(s)) < 0 ? -1 : 0;
}

static int parse_format(const char *s, int *n)
{
    return (*n = cli_parse_format(s)) < 0 ? -1 : 0;
}

/* How the value of each key that takes one word is read. */
static const struct {
    int (*parse)(const char *s, int *n);
    const char *expect;
} values[] = {
    [CONF_DEFAULT_RULES] = {parse_yes_no, "yes or no"},
    [CONF_SEVERITY] = {parse_severity, "low, medium or high"},
    [CONF_FAIL_ON] = {cli_parse_fail_on, "low, medium, high or never"},
    [CONF_FAIL_SCORE] = {cli_parse_score, "a number from 0 to 100"},
    [CONF_FORMAT] = {parse_format, "text, json, ndjson, tsv or sarif"},
};

static const char *const key_names[] = {
    [CONF_RULES] = "rules",
    [CONF_DEFAULT_RULES] = "default-rules",
    [CONF_DISABLE] = "disable",
    [CONF_DISABLE_CATEGORY] = "disable-category",
    [CONF_SEVERITY] = "severity.ID",
    [CONF_FAIL_ON] = "fail-on",
    [CONF_FAIL_SCORE] = "fail-score",
    [CONF_FORMAT] = "format",
};
#define N_KEYS (sizeof(key_names) / sizeof(key_names[0]))

static int load_line(config *c, const char *s, const char *e, int line,
                     rf_error *err)
{
    const char *f = c->file;
    text_trim(&s, &e);
    if (s == e || *s == '#')
        return 0;
    const char *eq = memchr(s, '=', (size_t)(e - s));
    if (!eq) {
        seterr(err, "%s:%d: expected 'key = value' or a '#' comment", f, line);
        return -1;
    }
    const char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;
    text_trim(&ks, &ke);
    text_trim(&vs, &ve);
    size_t kn = (size_t)(ke - ks);
    int key = -1;
    for (size_t k = 0; k < N_KEYS; k++)
        if (k != CONF_SEVERITY && strlen(key_names[k]) == kn &&
            memcmp(ks, key_names[k], kn) == 0)
            key = (int)k;
    if (key < 0 && kn > 9 && memcmp(ks, "severity.", 9) == 0)
        key = CONF_SEVERITY;
    if (key < 0) {
        seterr(err,
               "%s:%d: unknown key '%.*s' (one of: rules, default-rules, "
               "disable, disable-category, severity.ID, fail-on, fail-score, "
               "format)",
               f, line, (int)kn, ks);
        return -1;
    }
    if (vs == ve) {
        seterr(err, "%s:%d: '%.*s' has no value", f, line, (int)kn, ks);
        return -1;
    }
    char value[256];
    snprintf(value, sizeof(value), "%.*s", (int)(ve - vs), vs);
    const char *id = key == CONF_SEVERITY ? ks + 9 : NULL;
    char idbuf[128];
    if (id) {
        snprintf(idbuf, sizeof(idbuf), "%.*s", (int)(ke - id), id);
        id = idbuf;
    }
    int repeatable = key == CONF_RULES || key == CONF_DISABLE ||
                     key == CONF_DISABLE_CATEGORY;
    const config_entry *before = repeatable ? NULL : first(c, (config_key)key, id);
    if (before) {
        seterr(err, "%s:%d: '%.*s' given twice (first at line %d)", f, line,
               (int)kn, ks, before->line);
        return -1;
    }
    int n = 0, rc = 0;
    if (key == CONF_RULES) {
        /* relative to the configuration file, not to where redflag runs */
        buf path = BUF_INIT;
        if (vs[0] != '/')
            buf_append(&path, f, dir_len(f));
        buf_append(&path, vs, (size_t)(ve - vs));
        rc = path.oom ? -1 : add_entry(c, CONF_RULES, path.data, path.len, 0, line);
        buf_free(&path);
    } else if (key == CONF_DISABLE || key == CONF_DISABLE_CATEGORY) {
        rc = add_list(c, (config_key)key, vs, ve, line);
    } else if (values[key].parse(value, &n)) {
        seterr(err, "%s:%d: %.*s is %s, not '%s'", f, line, (int)kn, ks,
               values[key].expect, value);
        return -1;
    } else {
        rc = add_entry(c, (config_key)key, id, id ? strlen(id) : 0, n, line);
    }
    if (rc)
        seterr(err, "out of memory");
    return rc;
}

int config_load(config *c, const char *path, rf_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        seterr(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    c->file = strdup(path);
    if (!c->file) {
        fclose(fp);
        seterr(err, "out of memory");
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lineno = 0, rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        char *s = line;
        if (lineno == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3; /* a UTF-8 byte order mark */
            n -= 3;
        }
        if (n > 0 && s[n - 1] == '\n')
            n--;
        rc = load_line(c, s, s + n, lineno, err);
    }
    if (rc == 0 && ferror(fp)) {
        seterr(err, "%s: %s", path, strerror(errno));
        rc = -1;
    }
    free(line);
    fclose(fp);
    return rc;
}

int config_add_rules(const config *c, rf_rules *rs, rf_error *err)
{
    for (size_t i = 0; i < c->n; i++) {
        const config_entry *e = &c->entries[i];
        if (e->key != CONF_RULES || rf_rules_add_path(rs, e->value, err) == 0)
            continue;
        if (err->code == RF_ERR_IO) {
            /* "team.rules: No such file" says too little: say who asked */
            char why[sizeof(err->message)];
            snprintf(why, sizeof(why), "%s", err->message);
            seterr(err, "%s:%d: %s", c->file, e->line, why);
        }
        return -1;
    }
    return 0;
}

int config_adjust_rules(const config *c, rf_rules *rs, rf_error *err)
{
    for (size_t i = 0; i < c->n; i++) {
        const config_entry *e = &c->entries[i];
        int rc = 0;
        if (e->key == CONF_DISABLE)
            rc = rf_rules_disable(rs, e->value, err);
        else if (e->key == CONF_DISABLE_CATEGORY)
            rc = rf_rules_disable_category(rs, e->value, err);
        else if (e->key == CONF_SEVERITY)
            rc = rf_rules_set_severity(rs, e->value, (rf_severity)e->number, err);
        if (rc) {
            char why[sizeof(err->message)];
            snprintf(why, sizeof(why), "%s", err->message);
            seterr(err, "%s:%d: %s", c->file, e->line, why);
            return -1;
        }
    }
    return 0;
}

void config_apply(const config *c, cli_opts *o)
{
    const config_entry *e;
    if (!o->format_set && (e = first(c, CONF_FORMAT, NULL)))
        o->format = (report_format)e->number;
    if ((e = first(c, CONF_DEFAULT_RULES, NULL)) && !e->number)
        o->no_default_rules = 1;
    /* The fail level is one setting: either side decides it whole. */
    if (o->fail_on_set || o->fail_score >= 0)
        return;
    const config_entry *on = first(c, CONF_FAIL_ON, NULL);
    const config_entry *score = first(c, CONF_FAIL_SCORE, NULL);
    if (on)
        o->fail_on = on->number;
    if (score) {
        o->fail_score = score->number;
        if (!on)
            o->fail_on = FAIL_NEVER;
    }
}

void config_free(config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->entries[i].value);
    free(c->entries);
    free(c->file);
    memset(c, 0, sizeof(*c));
}
