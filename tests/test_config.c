/* .redflag.conf: what it reads, the file:line of each mistake, where it is
 * found, and how the command line wins over it. */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/rf-config-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes text to dir/name and returns the path (static). */
static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void make_dir(const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_equal(mkdir(path, 0755), 0);
}

/* The message loading `text` as a configuration fails with ("" if none). */
static const char *load_error_of(const char *text)
{
    static rf_error err;
    config c;
    memset(&c, 0, sizeof(c));
    err.message[0] = '\0';
    (void)config_load(&c, write_file("bad.conf", text), &err);
    config_free(&c);
    const char *m = strstr(err.message, "bad.conf");
    return m ? m : err.message;
}

static void config__file__reads_every_key(void **state)
{
    (void)state;
    const char *path = write_file("team.conf",
                                  "\xEF\xBB\xBF# team settings\n\n"
                                  "rules = team.rules\r\n"
                                  "rules = /abs/more.rules\n"
                                  "default-rules = no\n"
                                  "disable = fast-paced, rockstar ninja\n"
                                  "disable-category = hustle\n"
                                  "severity.grind-culture = low\n"
                                  "fail-on = high\n"
                                  "fail-score = 40\n"
                                  "format = sarif\n");
    config c;
    memset(&c, 0, sizeof(c));
    rf_error err = {0, ""};
    assert_int_equal(config_load(&c, path, &err), 0);
    assert_int_equal(c.n, 11);
    char want[256];
    snprintf(want, sizeof(want), "%s/team.rules", dir);
    assert_int_equal(c.entries[0].key, CONF_RULES);
    assert_string_equal(c.entries[0].value, want);
    assert_int_equal(c.entries[0].line, 3);
    assert_string_equal(c.entries[1].value, "/abs/more.rules");
    assert_int_equal(c.entries[2].key, CONF_DEFAULT_RULES);
    assert_int_equal(c.entries[2].number, 0);
    assert_string_equal(c.entries[3].value, "fast-paced");
    assert_string_equal(c.entries[4].value, "rockstar");
    assert_string_equal(c.entries[5].value, "ninja");
    assert_int_equal(c.entries[5].line, 6);
    assert_int_equal(c.entries[6].key, CONF_DISABLE_CATEGORY);
    assert_int_equal(c.entries[7].key, CONF_SEVERITY);
    assert_string_equal(c.entries[7].value, "grind-culture");
    assert_int_equal(c.entries[7].number, RF_LOW);
    assert_int_equal(c.entries[8].number, RF_HIGH);
    assert_int_equal(c.entries[9].number, 40);
    assert_int_equal(c.entries[10].number, FORMAT_SARIF);
    config_free(&c);
    config_free(NULL);
}

static void config__mistakes__say_file_and_line(void **state)
{
    (void)state;
    assert_string_equal(load_error_of("# ok\ncolour = red\n"),
                        "bad.conf:2: unknown key 'colour' (one of: rules, default-rules, "
                        "disable, disable-category, severity.ID, fail-on, fail-score, format)");
    assert_string_equal(load_error_of("just words\n"),
                        "bad.conf:1: expected 'key = value' or a '#' comment");
    assert_string_equal(load_error_of("fail-on = sometimes\n"),
                        "bad.conf:1: fail-on is low, medium, high or never, not 'sometimes'");
    assert_string_equal(load_error_of("fail-score = 101\n"),
                        "bad.conf:1: fail-score is a number from 0 to 100, not '101'");
    assert_string_equal(load_error_of("format = xml\n"),
                        "bad.conf:1: format is text, json, ndjson, tsv or sarif, not 'xml'");
    assert_string_equal(load_error_of("severity.x = huge\n"),
                        "bad.conf:1: severity.x is low, medium or high, not 'huge'");
    assert_string_equal(load_error_of("default-rules = maybe\n"),
                        "bad.conf:1: default-rules is yes or no, not 'maybe'");
    assert_string_equal(load_error_of("disable =\n"), "bad.conf:1: 'disable' has no value");
    assert_string_equal(load_error_of("fail-on = high\n\nfail-on = low\n"),
                        "bad.conf:3: 'fail-on' given twice (first at line 1)");
    assert_string_equal(load_error_of("severity.a = low\nseverity.b = low\nseverity.a = high\n"),
                        "bad.conf:3: 'severity.a' given twice (first at line 1)");
}

static void config__rules__unknown_ids_and_missing_files_name_the_config_line(void **state)
{
    (void)state;
    write_file("team.rules", "[grind]\ncategory = hustle\nseverity = high\n"
                             "title = G\nwhy = w\nadvice = a\nphrase = grind\n");
    const char *path = write_file("a.conf", "rules = team.rules\n"
                                            "severity.grind = low\n"
                                            "disable = grnd\n");
    config c;
    memset(&c, 0, sizeof(c));
    rf_error err = {0, ""};
    assert_int_equal(config_load(&c, path, &err), 0);
    rf_rules *rs = rf_rules_new();
    assert_int_equal(config_add_rules(&c, rs, &err), 0);
    assert_non_null(rf_rules_find(rs, "grind"));
    assert_int_not_equal(config_adjust_rules(&c, rs, &err), 0);
    char want[300];
    snprintf(want, sizeof(want), "%s:3: no rule 'grnd'", path);
    assert_string_equal(err.message, want);
    assert_int_equal(rf_rules_find(rs, "grind")->severity, RF_LOW);
    rf_rules_free(rs);
    config_free(&c);

    path = write_file("b.conf", "\nrules = missing.rules\n");
    memset(&c, 0, sizeof(c));
    assert_int_equal(config_load(&c, path, &err), 0);
    rs = rf_rules_new();
    assert_int_not_equal(config_add_rules(&c, rs, &err), 0);
    snprintf(want, sizeof(want), "%s:2: %s/missing.rules: No such file or directory",
             path, dir);
    assert_string_equal(err.message, want);
    rf_rules_free(rs);
    config_free(&c);

    path = write_file("c.conf", "disable-category = hustel\n");
    memset(&c, 0, sizeof(c));
    assert_int_equal(config_load(&c, path, &err), 0);
    rs = rf_rules_new();
    assert_int_not_equal(config_adjust_rules(&c, rs, &err), 0);
    assert_non_null(strstr(err.message, "c.conf:1: unknown category 'hustel'"));
    rf_rules_free(rs);
    config_free(&c);
}

static void config__find__climbs_to_the_repository_top_and_no_further(void **state)
{
    (void)state;
    make_dir("proj");
    make_dir("proj/.git");
    make_dir("proj/jobs");
    make_dir("proj/jobs/2024");
    char start[256], want[256];
    snprintf(start, sizeof(start), "%s/proj/jobs/2024", dir);
    /* none in the repository: the one above it does not count */
    write_file(".redflag.conf", "fail-on = low\n");
    char *found = config_find(start);
    assert_null(found);
    /* one at the top of the repository is found from below */
    write_file("proj/.redflag.conf", "fail-on = high\n");
    found = config_find(start);
    snprintf(want, sizeof(want), "%s/proj/jobs/2024/../../.redflag.conf", dir);
    assert_non_null(found);
    assert_string_equal(found, want);
    free(found);
    /* the nearest wins */
    write_file("proj/jobs/.redflag.conf", "fail-on = low\n");
    found = config_find(start);
    snprintf(want, sizeof(want), "%s/proj/jobs/2024/../.redflag.conf", dir);
    assert_string_equal(found, want);
    free(found);
    /* a folder named .redflag.conf is not a configuration */
    make_dir("proj/jobs/2024/.redflag.conf");
    found = config_find(start);
    assert_string_equal(found, want);
    free(found);
    /* outside a repository the search goes on up */
    make_dir("other");
    make_dir("other/deep");
    snprintf(start, sizeof(start), "%s/other/deep/", dir);
    found = config_find(start);
    snprintf(want, sizeof(want), "%s/other/deep/../../.redflag.conf", dir);
    assert_string_equal(found, want);
    free(found);
}

static void config__apply__command_line_wins(void **state)
{
    (void)state;
    const char *path = write_file("d.conf", "format = json\nfail-on = high\n"
                                            "default-rules = no\n");
    config c;
    memset(&c, 0, sizeof(c));
    rf_error err = {0, ""};
    assert_int_equal(config_load(&c, path, &err), 0);

    cli_opts o;
    memset(&o, 0, sizeof(o));
    o.fail_on = RF_MEDIUM;
    o.fail_score = -1;
    config_apply(&c, &o);
    assert_int_equal(o.format, FORMAT_JSON);
    assert_int_equal(o.fail_on, RF_HIGH);
    assert_int_equal(o.no_default_rules, 1);

    memset(&o, 0, sizeof(o));
    o.format = FORMAT_TSV;
    o.format_set = 1;
    o.fail_on = FAIL_NEVER;
    o.fail_score = 30; /* --fail-score alone: the file's fail-on is ignored */
    config_apply(&c, &o);
    assert_int_equal(o.format, FORMAT_TSV);
    assert_int_equal(o.fail_on, FAIL_NEVER);
    assert_int_equal(o.fail_score, 30);
    config_free(&c);

    /* fail-score alone in the file decides alone, as on the command line */
    path = write_file("e.conf", "fail-score = 50\n");
    memset(&c, 0, sizeof(c));
    assert_int_equal(config_load(&c, path, &err), 0);
    memset(&o, 0, sizeof(o));
    o.fail_on = RF_MEDIUM;
    o.fail_score = -1;
    config_apply(&c, &o);
    assert_int_equal(o.fail_on, FAIL_NEVER);
    assert_int_equal(o.fail_score, 50);
    config_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(config__file__reads_every_key),
        cmocka_unit_test(config__mistakes__say_file_and_line),
        cmocka_unit_test(config__rules__unknown_ids_and_missing_files_name_the_config_line),
        cmocka_unit_test(config__find__climbs_to_the_repository_top_and_no_further),
        cmocka_unit_test(config__apply__command_line_wins),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
