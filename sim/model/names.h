/*
** names: what a station, class or stream name may be, and its one normal
** form. Names reach the terminal, CSV rows and plots, and name things in
** --set keys, so two spellings of one name must be one name (NFC), and a
** name must not print as something else (control characters, a "road:"
** prefix the outputs use for roads).
*/
#ifndef TCSIM_MODEL_NAMES_H
#define TCSIM_MODEL_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

/*
** The NFC form of the len bytes at s as a new NUL-terminated string
** (free()) with its length in *out_len, or NULL when s is already in NFC
** (every ASCII text is) or is not valid UTF-8.
*/
char *tc_names_nfc(const char *s, size_t len, size_t *out_len);

/* Rewrites every scalar of doc (keys and values) in NFC. */
void tc_names_nfc_document(yaml_document_t *doc);

/*
** NULL when name may name a station, class or stream, else a static
** message saying what is wrong and what is allowed. A title (the scenario's
** name) is held only to the control-character rule.
*/
const char *tc_names_check(const char *name, bool title);

#endif
