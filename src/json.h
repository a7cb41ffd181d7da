/* json.h - JSON string output. */
#ifndef RF_JSON_H

#define RF_JSON_H

#include <stddef.h>
#include <stdio.h>

/* Writes s[0..n) as a quoted JSON string. Control characters are escaped;
 * bytes that are not valid UTF-8 become U+FFFD, so the output is always
 * valid JSON whatever the input held. */
void json_string(FILE *out, const char *s, size_t n);
void json_cstr(FILE *out, const char *s); /* NULL -> null */
/* The same escaping without the quotes: a string written in pieces. */
void json_chars(FILE *out, const char *s, size_t n);

#endif
