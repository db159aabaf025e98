/*
** plot_sweep_label: what the sweep plots say about a variant beyond its
** numbers: a readable axis label for a varied key ("servers at lanes"
** for stations.lanes.servers, "arrival rate of stream 1 (trucks/h)"), and
** which variants are overloaded (offered load lambda E[S] / c >= 1 at a
** station, from the variant's own scenario.yaml, by the traffic equations
** of the load warning, whatever bounds the station's queue).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xmem.h"
#include "model/scenario_offered.h"
#include "plot/plot_int.h"
#include "tcsim/scenario.h"

/* s with '_' as a blank. */
static void words(char *buf, size_t len, const char *s, size_t n)
{
    size_t i = 0;
    for (; i < n && i + 1 < len && s[i]; i++)
        buf[i] = s[i] == '_' ? ' ' : s[i];
    if (len)
        buf[i < len ? i : len - 1] = '\0';
}

void tc_plot_key_label(const char *key, const char *suffix, char *buf, size_t len)
{
    const char *d1 = strchr(key, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    char what[128], who[128], unit[64] = "";
    const char *u = suffix ? suffix + strspn(suffix, " ") : "";
    if (d1 && d2 && d2[1]) { /* scope.name.field (field may have dots: service.mean) */
        const char *field = d2 + 1;
        words(what, sizeof(what), field, strlen(field));
        for (char *c = what; *c; c++)
            if (*c == '.')
                *c = ' ';
        /* the member's name as written: it is what the legends and titles show */
        snprintf(who, sizeof(who), "%.*s", (int)(d2 - d1 - 1), d1 + 1);
        bool rate = strcmp(field, "rate") == 0;
        if (*u)
            snprintf(unit, sizeof(unit), " (%s%s)", rate && *u == '/' ? "trucks" : "", u);
        else if (strcmp(field, "capacity") == 0)
            snprintf(unit, sizeof(unit), " (trucks)");
        if (strncmp(key, "stations.", 9) == 0)
            snprintf(buf, len, "%s %s %s%s", what, strcmp(field, "servers") == 0 ? "at" : "of", who,
                     unit);
        else if (strncmp(key, "arrivals.", 9) == 0 && strspn(who, "0123456789") == strlen(who))
            snprintf(buf, len, "%s%s of stream %ld%s", rate ? "arrival " : "", what,
                     strtol(who, NULL, 10) + 1, unit);
        else if (strncmp(key, "classes.", 8) == 0)
            snprintf(buf, len, "%s of class %s%s", what, who, unit);
        else
            snprintf(buf, len, "%s of %.*s %s%s", what, (int)(d1 - key), key, who, unit);
        return;
    }
    words(what, sizeof(what), key, strlen(key));
    for (char *c = what; *c; c++)
        if (*c == '.')
            *c = ' ';
    if (*u)
        snprintf(buf, len, "%s (%s)", what, u);
    else
        snprintf(buf, len, "%s", what);
}

double tc_plot_sweep_offered(const char *dir, const char *variant, const char *station)
{
    char *vd = tc_plot_path_join(dir, variant), *sy = tc_plot_path_join(vd, "scenario.yaml");
    double rho = (double)NAN;
    if (tc_plot_is_file(sy, R_OK)) {
        struct tc_diags quiet;
        tc_diags_init(&quiet);
        struct tc_scenario *sc = tc_scenario_load(sy, NULL, 0, &quiet);
        tc_diags_fini(&quiet);
        if (sc) {
            uint32_t st = tc_scenario_station(sc, station);
            double *r = st != TC_NONE ? tc_scenario_offered_load_any_new(sc) : NULL;
            if (r)
                rho = r[st];
            free(r);
            tc_scenario_free(sc);
        }
    }
    free(vd);
    free(sy);
    return rho;
}
