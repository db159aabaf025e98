/*
** override: applies --set KEY=VALUE to the YAML document before it is
** loaded, so overridden values go through exactly the same validation as
** the file. KEY is a dotted path: mapping keys by name, list items by
** 0-based index or by their "name" (arrivals.0.rate, arrivals.fruit_north.rate,
** stations.customs.servers, classes.fruit.patience). The last key may be
** missing from an existing mapping: it is then added. VALUE is a plain
** scalar taken as written, or a flow list/mapping when it starts with [ or {
** ("--set 'stations.gate.open=[\"08:00-12:00\"]'"). Nodes are appended to
** the document and never freed before it; replaced nodes stay unreachable.
** The returned side table maps every node an override created to the
** override's 1-based index, so that the loader reports problems in them as
** "--set:N: error: ...".
*/
#ifndef TCSIM_OVERRIDE_H
#define TCSIM_OVERRIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "tcsim/diag.h"
#include "tcsim/scenario.h"

/*
** Applies ovr[0..n_ovr-1] in order (a later one wins). Errors in an override
** itself (no such key, a bad flow value) go to diags as "--set:N" with the
** key as the path, and that override is skipped. Returns a new array (free())
** of *out_n entries indexed by node id: 0 for a node of the file, N for one
** made by the N-th override; NULL with *out_n = 0 when there is no
** override or no mapping at the root (a failed override still gets a table).
** A document without a mapping at its root is left alone (the loader says
** what is wrong with it).
*/
uint32_t *tc_override_apply(yaml_document_t *doc, const struct tc_override *ovr, size_t n_ovr,
                            size_t *out_n, struct tc_diags *diags);

/* Whether o is KEY*=F (a key ending in '*'): tc_override_apply leaves it alone. */
bool tc_override_is_scale(const struct tc_override *o);

/*
** Applies every KEY*=F of ovr to the loaded scenario, in order: F times a
** distribution (tc_dist_scale: the law of F*X, mean and sd times F) at
** stations.S.service (every class), stations.S.service.CLASS,
** stations.S.failures.up/down and classes.C.patience; F times a stream's
** rate at arrivals.A.rate (an interarrival law divided by F, hourly and
** daily profiles kept as multipliers), or gaps F times as long at
** arrivals.A.interarrival. S, A, C are names or 0-based indices. Errors go
** to diags as "--set:N" with the key as written.
*/
void tc_override_scale(struct tc_scenario *sc, const struct tc_override *ovr, size_t n_ovr,
                       struct tc_diags *diags);

#endif
