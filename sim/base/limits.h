/*
** limits: every bound tcsim puts on its input, in one place. Each keeps a
** hostile or mistyped file from crashing the program, hanging it or eating
** the machine, while staying far above what a real border crossing needs.
** Every message about a limit names its macro here ("TC_LIMIT_STATIONS in
** tcsim/limits.h"), so raising one is: change the number, rebuild. The
** reasons for each number are in scenarios/README.md, section "Limits".
*/
#ifndef TCSIM_LIMITS_H
#define TCSIM_LIMITS_H

/* ---- The scenario file as text (checked before libyaml builds a document) ---- */

/* Bytes in a scenario file (16 MiB); a larger file is refused before it is parsed. */
#define TC_LIMIT_SCENARIO_BYTES (16u * 1024u * 1024u)

/* The biggest summary.json tcsim compare reads (a 10,000-station scenario
   writes about 20 MB). */
#define TC_LIMIT_SUMMARY_BYTES (256u * 1024u * 1024u)
/* Lists and mappings nested inside each other; a scenario needs 6. */
#define TC_LIMIT_YAML_DEPTH 64u
/* YAML nodes, with each alias counted as the nodes it repeats ("billion laughs"). */
#define TC_LIMIT_YAML_NODES 1000000u
/* Anchors (&name) and aliases (*name): libyaml 0.2.5 looks both up linearly. */
#define TC_LIMIT_YAML_ANCHORS 1000u
#define TC_LIMIT_YAML_ALIASES 100000u
/* Bytes in one scalar (a key or a value). */
#define TC_LIMIT_SCALAR_BYTES 65536u
/* Diagnostics kept for one scenario; the rest are counted in a last message. */
#define TC_LIMIT_DIAGS 1000u

/* ---- The model ---- */

#define TC_LIMIT_STATIONS 10000u
#define TC_LIMIT_CLASSES  1000u
#define TC_LIMIT_STREAMS  10000u /* items of arrivals */
#define TC_LIMIT_EVENTS   10000u /* items of events */
#define TC_LIMIT_INITIAL  10000u /* items of initial */
/* trucks of initial, all of them: each is a truck in memory from t = 0 */
#define TC_LIMIT_INITIAL_TRUCKS 10000000u
#define TC_LIMIT_CLEARANCES     100u /* items of clearance: each is checked at every departure */
/* stations x classes: per-class service times and statistics at every station. */
#define TC_LIMIT_STATION_CLASSES 1000000u
/* servers (in stations and events) and capacity, unless "unlimited". */
#define TC_LIMIT_SERVERS  1000000u
#define TC_LIMIT_CAPACITY 1000000u
/* Trucks per arrival (batch). */
#define TC_LIMIT_BATCH 10000u
/* A class's cargo value per truck (money). value_lost sums it over up to
   TC_LIMIT_ARRIVALS trucks and its confidence interval squares that sum, so
   1e12 x 1e10 squared (1e44) stays finite; 1e308 made value_lost null. */
#define TC_LIMIT_VALUE 1e12

/* ---- The run ---- */

#define TC_LIMIT_REPLICATIONS 100000u
/* horizon, in days (about 2,700 years: calendars and failures make events every day). */
#define TC_LIMIT_HORIZON_DAYS 1e6
/* Time-series samples per replication: horizon / sample_every + 1. */
#define TC_LIMIT_SAMPLES 1000000u
/* Trucks expected to arrive in one replication, all streams together (hours of work). */
#define TC_LIMIT_ARRIVALS 1e10
/* Events one replication will process besides its trucks' (an estimate at
   load: two per failure and repair of each server, openings, samples, ...).
   The engine processes about 10 to 20 million events a second, so 1e10 is
   10 to 20 minutes a replication; servers failing every microsecond (1.7e11
   over a day) would take hours and are refused. */
#define TC_LIMIT_REP_EVENTS 1e10
/* Rows of timeseries.csv, all held in memory: replications x samples x (stations + roads). */
#define TC_LIMIT_SERIES_ROWS 20000000u
/* Per-replication results held in memory: replications x metrics. */
#define TC_LIMIT_RESULTS 20000000u

/* ---- Trace files (CSV) ---- */

/* Bytes in one trace file (1 GiB); it is read whole into memory. */
#define TC_LIMIT_TRACE_BYTES (1024u * 1024u * 1024u)
/* Rows in one trace file. */
#define TC_LIMIT_TRACE_ROWS 10000000u

#endif
