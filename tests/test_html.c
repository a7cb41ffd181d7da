/* HTML to text: what is kept, what is dropped, and where each byte came
 * from. */
#include "inpututil.h"

#include "html.h"
#include "html_entities.h"

static mtext convert(const char *html)
{
    mtext m = MTEXT_INIT;
    assert_int_equal(html_to_text(html, strlen(html), &m), 0);
    assert_int_equal(mtext_finish(&m, strlen(html)), 0);
    return m;
}

static void expect_text(const char *html, const char *want)
{
    mtext m = convert(html);
    assert_string_equal(m.text, want);
    mtext_free(&m);
}

/* Every byte of the text is either the same byte of the page at its
 * offset, or stands for a reference ('&'), a block tag ('<'). */
static void assert_map_sound(const char *html, const mtext *m)
{
    size_t prev = 0;
    for (size_t i = 0; i < m->len; i++) {
        char src = html[m->map[i]];
        assert_true(m->map[i] >= prev);
        prev = m->map[i];
        if (src == m->text[i])
            continue;
        if (src == '&' || (src == '<' && m->text[i] == '\n'))
            continue;
        print_error("text byte %zu (0x%02x) maps to page byte %zu '%c'\n", i,
                    (unsigned char)m->text[i], m->map[i], src);
        fail();
    }
    assert_int_equal(m->map[m->len], strlen(html));
}

static void html__entity__decodes_named_and_numeric(void **state)
{
    (void)state;
    expect_text("a &amp; b &lt;c&gt; &quot;d&quot;", "a & b <c> \"d\"");
    expect_text("We&#x27;re &#39;ok&#39; &#8217; &#X2019;",
                "We're 'ok' \xE2\x80\x99 \xE2\x80\x99");
    expect_text("don&rsquo;t &ndash; &mdash; &hellip; a&nbsp;b &apos; &eacute;",
                "don\xE2\x80\x99t \xE2\x80\x93 \xE2\x80\x94 \xE2\x80\xA6 "
                "a\xC2\xA0" "b ' \xC3\xA9");
    expect_text("&Eacute;&eacute;&euro;&trade;&copy;",
                "\xC3\x89\xC3\xA9\xE2\x82\xAC\xE2\x84\xA2\xC2\xA9");
}

static void html__entity__maps_each_decoded_byte_to_its_ampersand(void **state)
{
    (void)state;
    const char *html = "x&rsquo;y&#x27;z";
    mtext m = convert(html);
    assert_string_equal(m.text, "x\xE2\x80\x99y'z");
    size_t want[] = {0, 1, 1, 1, 8, 9, 15, 16};
    for (size_t i = 0; i <= m.len; i++)
        assert_int_equal(m.map[i], want[i]);
    mtext_free(&m);
}

static void html__entity__unknown_and_malformed_are_left_as_written(
    void **state)
{
    (void)state;
    expect_text("AT&T &foo; &#; &#x; &#xZZ; & x &", "AT&T &foo; &#; &#x; "
                                                    "&#xZZ; & x &");
    /* browsers read the legacy names without a semicolon, and numbers */
    expect_text("&copy2024 &amp &ampx; &#39x", "\xC2\xA9" "2024 & &x; 'x");
    /* &rsquo needs its semicolon: it is not a legacy name */
    expect_text("&rsquo x", "&rsquo x");
}

static void html__numeric__windows_1252_and_invalid_values(void **state)
{
    (void)state;
    expect_text("&#146;&#150;", "\xE2\x80\x99\xE2\x80\x93");
    expect_text("&#0;&#x110000;&#xD800;&#99999999999;",
                "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

static void html__script_style_template_comment__are_skipped(void **state)
{
    (void)state;
    expect_text("a<script>var s = '<p>working interview</p>';</script>b"
                "<style>p{}</style>c<!-- working interview -->d"
                "<template><p>hidden<template>x</template>y</p></template>e"
                "<SCRIPT type=x>1</scripts> 2</SCRIPT >f<!doctype html>g"
                "<?xml x?>h<![CDATA[i]]>j<!-->k<!--->l",
                "abcdefghjkl");
    /* an unclosed script or comment hides the rest */
    expect_text("a<script>working interview", "a");
    expect_text("a<!-- working interview", "a");
}

static void html__block_and_inline__break_or_join(void **state)
{
    (void)state;
    expect_text("<p>one</p><p>two</p>work<b>ing</b> inter<span>view</span>"
                "<br>x<li>y</li><h2>z</h2><td>c1</td><td>c2</td>",
                "one\ntwo\nworking interview\nx\ny\nz\nc1\nc2\n");
    /* no empty lines from block tags in a row, and none at the start */
    expect_text("<div><div><p>a</p></div></div>", "a\n");
    /* the page's own white space is kept as written */
    expect_text("<p>a</p>\n<p>b", "a\n\nb");
}

static void html__tags__attributes_may_hold_angle_brackets(void **state)
{
    (void)state;
    expect_text("<a title=\"a > b\" href='x>y' data-x=1>link</a> ok",
                "link ok");
    expect_text("a < b and c<d", "a < b and c");
    expect_text("x <b", "x ");
    expect_text("x </", "x </");
    expect_text("x </ y> z", "x  z");
    expect_text("<title>Rock &amp; <b>roll</b></title>",
                "Rock & <b>roll</b>\n");
}

static void html__map__every_byte_points_at_its_source(void **state)
{
    (void)state;
    const char *pages[] = {
        ("<p>Temporal | Remote<p>We&#x27;re hiring &amp; <a "
         "href=\"https:&#x2F;&#x2F;x.io\">https:&#x2F;&#x2F;x.io</a><p>"),
        "<ul><li>fast&ndash;paced</li><li>don&rsquo;t stop</li></ul>",
        "caf\xC3\xA9<br/>\xE2\x80\x93 x<script>y</script>z&nbsp;",
    };
    for (size_t k = 0; k < sizeof(pages) / sizeof(*pages); k++) {
        mtext m = convert(pages[k]);
        assert_map_sound(pages[k], &m);
        mtext_free(&m);
    }
}

static void html__sniff__knows_pages_from_text(void **state)
{
    (void)state;
    const char *yes[] = {
        "<!DOCTYPE html><title>x</title>", "  <html lang=en>",
        "<p>Acme | Remote<p>We build<p>Apply", "a<br>b<br/>c<div>d</div>",
    };
    const char *no[] = {
        "Plain text posting.\nWith lines.", "Use <b> for bold.",
        "if a <p and b> c then <div", "",
    };
    for (size_t k = 0; k < sizeof(yes) / sizeof(*yes); k++)
        assert_true(html_sniff(yes[k], strlen(yes[k])));
    for (size_t k = 0; k < sizeof(no) / sizeof(*no); k++)
        assert_false(html_sniff(no[k], strlen(no[k])));
}

static void html__evidence__points_into_the_original_page(void **state)
{
    (void)state;
    const char *page = "<html>\n<body>\n<p>Intro.</p>\n"
                       "<p>We do a <b>working</b>&nbsp;interview, "
                       "don&rsquo;t stop.</p>\n"
                       "<script>script only phrase</script>\n</body>";
    rf_error err = {0, ""};
    rf_doc *doc = rf_doc_new(page, strlen(page), RF_INPUT_HTML, &err);
    assert_non_null(doc);
    rf_result *r = scan_source(rs, rf_doc_source(doc));
    assert_lands_on(r, page, strlen(page), "working-interview",
                    "working</b>&nbsp;interview");
    const rf_evidence *e = evidence_of(r, "working-interview");
    assert_int_equal(e->line, 4);
    assert_int_equal(e->column, 15);
    assert_string_equal(e->match, "working\xC2\xA0interview");
    assert_string_equal(e->context,
                        "We do a working\xC2\xA0interview, don\xE2\x80\x99t "
                        "stop.");
    assert_lands_on(r, page, strlen(page), "dont-stop", "don&rsquo;t");
    /* script content never raises a flag */
    assert_null(evidence_of(r, "script-only"));
    rf_result_free(r);
    rf_doc_free(doc);
}

static void html__auto__sniffs_content_and_keeps_text_as_text(void **state)
{
    (void)state;
    rf_error err = {0, ""};
    const char *page = "<p>a<p>b<p>script only phrase<script>x</script>";
    assert_int_equal(rf_input_detect(NULL, page, strlen(page)), RF_INPUT_HTML);
    assert_int_equal(rf_input_detect("x.txt", page, strlen(page)),
                     RF_INPUT_TEXT);
    assert_int_equal(rf_input_detect("x.HTM", "plain", 5), RF_INPUT_HTML);
    /* content is sniffed after decoding: a UTF-16 page is a page */
    const char u16[] = "\xFF\xFE<\0p\0>\0a\0<\0p\0>\0b\0<\0p\0>\0";
    assert_int_equal(rf_input_detect("page", u16, sizeof(u16) - 1),
                     RF_INPUT_HTML);
    const char *text = "We do a working interview <b>now</b>.";
    rf_doc *doc = rf_doc_new(text, strlen(text), RF_INPUT_AUTO, &err);
    assert_non_null(doc);
    assert_string_equal(rf_doc_source(doc)->text, text);
    assert_null(rf_doc_source(doc)->map);
    rf_doc_free(doc);
}

/* p bytes of text, then what is after: the references and tags are found
 * wherever they fall against the 16-, 32- and 64-byte blocks the text is
 * scanned in, and at the very end of the page. */
static void html__scan__references_and_tags_found_at_every_block_edge(
    void **state)
{
    (void)state;
    static const struct {
        const char *page, *text; /* after the p bytes; \n only when p > 0 */
    } cases[] = {
        {"&amp;yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
         "&yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"},
        {"<p>yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
         "\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"},
        {"&#x27;", "'"},
        {"&#8217;s", "\xE2\x80\x99s"},
        {"&am", "&am"},
        {"&", "&"},
        {"<di", ""},
        {"<br>", "\n"},
        {"a < b &lt; c", "a < b < c"},
        {"<b>&eacute;</b>", "\xC3\xA9"},
    };
    char page[300], want[300];
    for (size_t k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
        for (size_t p = 0; p <= 140; p++) {
            for (size_t i = 0; i < p; i++)
                page[i] = want[i] = (char)('a' + i % 23);
            strcpy(page + p, cases[k].page);
            const char *t = cases[k].text;
            strcpy(want + p, p == 0 && t[0] == '\n' ? t + 1 : t);
            mtext m = convert(page);
            if (strcmp(m.text, want) != 0) {
                print_error("'%s' after %zu bytes: got '%s'\n",
                            cases[k].page, p, m.text + p);
                fail();
            }
            assert_map_sound(page, &m);
            mtext_free(&m);
        }
    }
}

/* Each element the converter knows (and names close to them that it must
 * not take for them), as the lists of the HTML standard give them. */
static void html__tags__known_elements_break_hide_or_show_as_listed(
    void **state)
{
    (void)state;
    static const char *const block[] = {
        "address", "article", "aside", "blockquote", "body", "br",
        "caption", "center", "dd", "details", "dialog", "dir", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
        "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr",
        "html", "legend", "li", "main", "menu", "nav", "ol", "option", "p",
        "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "ul", "DIV", "Li", "H3",
    };
    static const char *const raw[] = {"script", "style",    "xmp",
                                      "iframe", "noembed",  "noframes",
                                      "SCRIPT", "NoFrames"};
    static const char *const inline_or_unknown[] = {
        "a", "b", "i", "em", "span", "strong", "h0", "h7", "hh", "h12",
        "d", "ad", "addres", "addresss", "brr", "dirs", "divx", "t",
        "tablex", "templat", "templates", "titles", "textare", "xm", "ifram",
        "noembe", "noframe", "scriptx", "styles", "u", "ul2", "pr", "pp",
        "abcdefghijklmnopq", "blockquoteblockquote",
    };
    char page[100];
    for (size_t k = 0; k < sizeof(block) / sizeof(*block); k++) {
        snprintf(page, sizeof(page), "a<%s class=x>b</%s>c", block[k],
                 block[k]);
        expect_text(page, "a\nb\nc");
    }
    for (size_t k = 0; k < sizeof(raw) / sizeof(*raw); k++) {
        snprintf(page, sizeof(page), "a<%s>b<p>&amp;</%s>c", raw[k], raw[k]);
        expect_text(page, "ac");
    }
    for (size_t k = 0; k < sizeof(inline_or_unknown) / sizeof(*inline_or_unknown);
         k++) {
        snprintf(page, sizeof(page), "a<%s>b</%s>c<p>", inline_or_unknown[k],
                 inline_or_unknown[k]);
        expect_text(page, "abc\n");
    }
    expect_text("a<textarea>&lt;b<p></textarea>c", "a<b<p>c");
    expect_text("a<TITLE>&lt;b<p></title>c", "a\n<b<p>\nc");
    expect_text("a<template><p>b</p></template>c", "ac");
}

/* Every name of the table is found, with its ';' and (legacy ones) without:
 * the lookup agrees with the table it searches. */
static void html__entity__every_named_reference_decodes(void **state)
{
    (void)state;
    char page[64], want[64];
    for (size_t k = 0; k < sizeof(html_entities) / sizeof(*html_entities);
         k++) {
        const html_entity *e = &html_entities[k];
        char u[4];
        size_t n = mtext_utf8(e->cp, u);
        snprintf(page, sizeof(page), "x&%s;y", e->name);
        snprintf(want, sizeof(want), "x%.*sy", (int)n, u);
        expect_text(page, want);
        if (e->legacy) {
            snprintf(page, sizeof(page), "x&%s y", e->name);
            snprintf(want, sizeof(want), "x%.*s y", (int)n, u);
            expect_text(page, want);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(html__entity__decodes_named_and_numeric),
        cmocka_unit_test(html__entity__every_named_reference_decodes),
        cmocka_unit_test(html__entity__maps_each_decoded_byte_to_its_ampersand),
        cmocka_unit_test(html__entity__unknown_and_malformed_are_left_as_written),
        cmocka_unit_test(html__numeric__windows_1252_and_invalid_values),
        cmocka_unit_test(html__script_style_template_comment__are_skipped),
        cmocka_unit_test(html__block_and_inline__break_or_join),
        cmocka_unit_test(html__tags__attributes_may_hold_angle_brackets),
        cmocka_unit_test(html__map__every_byte_points_at_its_source),
        cmocka_unit_test(html__sniff__knows_pages_from_text),
        cmocka_unit_test(html__evidence__points_into_the_original_page),
        cmocka_unit_test(html__auto__sniffs_content_and_keeps_text_as_text),
        cmocka_unit_test(html__scan__references_and_tags_found_at_every_block_edge),
        cmocka_unit_test(html__tags__known_elements_break_hide_or_show_as_listed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
