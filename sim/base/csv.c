/*
** csv: one quoting rule and one number format for every CSV tcsim writes,
** so that a name with a comma reads back the same from each of them.
*/
#include "base/csv.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "base/jsonw.h"
#include "base/xmem.h"

static bool needs_quotes(const char *s)
{
    return strpbrk(s, ",\"\r\n") != NULL;
}

void tc_csv_field(FILE *f, const char *prefix, const char *s, const char *suffix)
{
    bool quote = needs_quotes(s);
    if (quote)
        fputc('"', f);
    fputs(prefix, f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputs(suffix, f);
    if (quote)
        fputc('"', f);
}

char *tc_csv_field_new(const char *prefix, const char *s)
{
    /* at worst every character of s doubled, two quotes and the NUL */
    char *out = tc_xmalloc(strlen(prefix) + 2 * strlen(s) + 3), *p = out;
    bool quote = needs_quotes(s);
    if (quote)
        *p++ = '"';
    for (const char *q = prefix; *q; q++)
        *p++ = *q;
    for (; *s; s++) {
        if (*s == '"')
            *p++ = '"';
        *p++ = *s;
    }
    if (quote)
        *p++ = '"';
    *p = '\0';
    return out;
}

void tc_csv_number(FILE *f, double x)
{
    char buf[TC_JSONW_NUMBER_LEN];
    if (isfinite(x))
        fputs(tc_jsonw_format_number(x, buf, sizeof(buf)), f);
}
