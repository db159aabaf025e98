/*
** names: NFC through libunistring's u8_normalize. Unicode normalisation
** needs the composition and decomposition tables of the Unicode database
** (thousands of entries, canonical ordering, Hangul, exclusions), updated
** with each Unicode version; writing them here would be a large module to
** keep correct and current, where Debian's library is exact and maintained.
*/
#include "model/names.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uninorm.h>

#include "base/xmem.h"

/* Prefixes the outputs put before a station name (timeseries.csv, plots). */
static const char *const reserved_prefixes[] = {"road:"};

char *tc_names_nfc(const char *s, size_t len, size_t *out_len)
{
    size_t i, n = 0;
    uint8_t *r;
    char *out;

    for (i = 0; i < len && (unsigned char)s[i] < 0x80; i++)
        ;
    if (i == len)
        return NULL; /* ASCII is its own NFC: the common case costs one scan */
    r = u8_normalize(UNINORM_NFC, (const uint8_t *)s, len, NULL, &n);
    if (r == NULL)
        return NULL; /* not UTF-8 (libyaml has refused that already) or out of memory */
    if (n == len && memcmp(r, s, len) == 0) {
        free(r);
        return NULL;
    }
    out = tc_xmalloc(n + 1);
    memcpy(out, r, n);
    out[n] = '\0';
    free(r);
    *out_len = n;
    return out;
}

void tc_names_nfc_document(yaml_document_t *doc)
{
    for (yaml_node_t *nd = doc->nodes.start; nd < doc->nodes.top; nd++) {
        size_t n;
        char *nfc;

        if (nd->type != YAML_SCALAR_NODE)
            continue;
        nfc = tc_names_nfc((const char *)nd->data.scalar.value, nd->data.scalar.length, &n);
        if (nfc == NULL)
            continue;
        /* libyaml frees node text with free(), so a malloc'd replacement is its own. */
        free(nd->data.scalar.value);
        nd->data.scalar.value = (yaml_char_t *)nfc;
        nd->data.scalar.length = n;
    }
}

/* Unicode's control characters (category Cc): C0, DEL and C1 (U+0080-U+009F). */
static bool has_control(const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return true;
        if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            return true;
    }
    return false;
}

const char *tc_names_check(const char *name, bool title)
{
    if (has_control(name))
        return "a name must not hold control characters (escape, carriage return, line feed, "
               "tab ...): they would reach the terminal and the outputs raw; use printable text";
    if (title)
        return NULL;
    for (size_t i = 0; i < sizeof(reserved_prefixes) / sizeof(reserved_prefixes[0]); i++)
        if (strncmp(name, reserved_prefixes[i], strlen(reserved_prefixes[i])) == 0)
            return "a name must not start with \"road:\": the outputs name the road queue in "
                   "front of station x \"road:x\"";
    return NULL;
}
