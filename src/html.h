/*
 * html.h - HTML to the text a reader sees, with a map back to the page.
 */
#ifndef RF_HTML_H
#define RF_HTML_H

#include <stddef.h>

#include "mtext.h"

/*
 * Appends the text of the HTML in s[0..len) to out, each byte mapped to
 * the offset in s it came from: tags dropped; block elements (p, br, li,
 * div, headings, table cells, ...) turned into a line break, mapped to
 * their '<'; inline elements (a, b, span, ...) dropped without a break;
 * character references decoded (named, decimal, hexadecimal), each
 * decoded character mapped to its '&'; unknown or malformed references
 * kept as written; comments, doctypes, and the content of script, style
 * and template left out. Never fails on malformed markup; returns -1 only
 * when out of memory (out->oom), else 0. Call mtext_finish afterwards.
 */
int html_to_text(const char *s, size_t len, mtext *out);

/* Does s look like HTML: a doctype or <html> first, or several common
 * tags (<p>, <br>, <div>, <li>, ...) in its first few kilobytes? */
int html_sniff(const char *s, size_t len);

#endif
