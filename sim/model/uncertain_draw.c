/*
** uncertain_draw: one replication's scenario under input uncertainty: the
** text loaded again with the drawn values as overrides after the run's
** own (uncertain.c draws them). Apart from uncertain.c because it calls
** the loader, which calls uncertain.c.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "tcsim/scenario.h"

struct tc_scenario *tc_scenario_draw(const struct tc_scenario *sc, uint32_t rep, double *drawn,
                                     struct tc_diags *diags)
{
    const struct tc_scenario_source_text *s = sc->source;
    size_t n = s->n_ovr + sc->n_uncertain;
    struct tc_override *o = tc_xcalloc(n + 1, sizeof(*o));
    char(*vals)[64] = tc_xcalloc(sc->n_uncertain + 1, sizeof(*vals));
    double *x = drawn ? drawn : tc_xcalloc(sc->n_uncertain + 1, sizeof(double));

    tc_scenario_draw_inputs(sc, rep, x);
    memcpy(o, s->ovr, s->n_ovr * sizeof(*o));
    for (uint32_t i = 0; i < sc->n_uncertain; i++) {
        snprintf(vals[i], sizeof(vals[i]), "%.17g%s", x[i], sc->uncertain[i].unit);
        o[s->n_ovr + i] = (struct tc_override){sc->uncertain[i].key, vals[i]};
    }
    struct tc_scenario *r =
        tc_scenario_load_string(s->text, s->len, sc->path, s->base_dir, o, n, diags);
    if (r != NULL && diags->n_err > 0) {
        tc_scenario_free(r);
        r = NULL;
    }
    free(o);
    free(vals);
    if (!drawn)
        free(x);
    return r;
}
